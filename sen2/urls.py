"""SEN2 pages, mounted at /staff/sen2/ (namespace "sen2")."""

from django.urls import path

from sen2 import views

app_name = "sen2"
CASE = "cases/<int:case_pk>/"
urlpatterns = [
    path("", views.ReturnView.as_view(), name="return"),
    path("<int:year>/rules/<str:rule_id>/", views.RuleView.as_view(), name="rule"),
    path("<int:year>/download/", views.DownloadView.as_view(), name="download"),
    path(CASE, views.CaseItemsView.as_view(), name="case"),
    path(CASE + "person/", views.PersonView.as_view(), name="person"),
    path(CASE + "request/", views.RequestView.as_view(), name="request"),
    path(CASE + "needs/", views.NeedsView.as_view(), name="needs"),
    path(CASE + "placements/new/", views.PlacementView.as_view(), name="placement_new"),
    path(
        CASE + "placements/<int:placement_pk>/",
        views.PlacementView.as_view(),
        name="placement_edit",
    ),
    path(CASE + "plan/", views.PlanView.as_view(), name="plan"),
]
