from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DeadlinesAtRiskView.as_view(), name="at_risk"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
    path("without-a-case/", views.SubjectDeadlinesView.as_view(), name="subject_deadlines"),
    path(
        "without-a-case/list/",
        views.SubjectDeadlineListView.as_view(),
        name="subject_deadline_list",
    ),
]
