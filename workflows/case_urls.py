from django.urls import path

from workflows import case_views

app_name = "ehc"
urlpatterns = [
    path("cases/<int:case_pk>/", case_views.CaseDetailView.as_view(), name="case_detail"),
    path(
        "cases/<int:case_pk>/deadlines/<int:deadline_pk>/exception/",
        case_views.ExceptionCreateView.as_view(),
        name="exception_new",
    ),
    path(
        "cases/<int:case_pk>/notices/<int:notice_pk>/",
        case_views.NoticeView.as_view(),
        name="notice",
    ),
]
