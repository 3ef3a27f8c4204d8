from django.urls import path

from workflows import case_list_views, views

app_name = "workflows"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("cases/", case_list_views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.RegisterRequestView.as_view(), name="register"),
    path("cases/<int:case_pk>/close/", views.CloseCaseView.as_view(), name="close"),
    path("cases/<int:case_pk>/reassign/", views.CaseReassignView.as_view(), name="case_reassign"),
    path("cases/<int:case_pk>/tasks/<int:task_pk>/", views.TaskView.as_view(), name="task"),
    path(
        "cases/<int:case_pk>/tasks/<int:task_pk>/reassign/",
        views.ReassignView.as_view(),
        name="reassign",
    ),
    path(
        "cases/<int:case_pk>/tasks/<int:task_pk>/<str:action>/",
        views.TaskActionView.as_view(),
        name="task_action",
    ),
]
