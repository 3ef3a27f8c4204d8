from django.urls import path

from conversions import views

app_name = "conversions"
urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="instruments"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("instruments/<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument_detail"),
    path("reviews/", views.ReviewListView.as_view(), name="reviews"),
    path("reviews/<int:review_pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path(
        "reviews/<int:review_pk>/tasks/<int:task_pk>/",
        views.ReviewTaskView.as_view(),
        name="task",
    ),
    path(
        "reviews/<int:review_pk>/tasks/<int:task_pk>/<str:action>/",
        views.ReviewTaskActionView.as_view(),
        name="task_action",
    ),
    path("timetable/", views.TimetableView.as_view(), name="timetable"),
    path("progress/", views.ProgressView.as_view(), name="progress"),
]
