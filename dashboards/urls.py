from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DeadlinesAtRiskView.as_view(), name="at_risk"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
]
