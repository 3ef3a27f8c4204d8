"""Plans in force. ehc/urls.py mounts `staff_patterns` at /staff/ (namespace "reviews") and
`family_patterns` at /my-cases/<case_pk>/plan-reviews/ (namespace "reviews_family")."""

from django.urls import path

from reviews import family_views, views

PLAN = "cases/<int:case_pk>/plan-in-force/"

staff_patterns = [
    path(PLAN, views.PlanView.as_view(), name="plan"),
    path(PLAN + "reviews/start/", views.ReviewStartView.as_view(), name="review_start"),
    path(PLAN + "compare/", views.VersionCompareView.as_view(), name="compare"),
    path(PLAN + "versions/<int:number>/", views.VersionView.as_view(), name="version"),
    path("dashboards/reviews/", views.ReviewsDashboardView.as_view(), name="dashboard"),
    path("dashboards/reviews/<slug:figure>/", views.FigureListView.as_view(), name="figure"),
    path("dashboards/phase-transfers/", views.CohortView.as_view(), name="cohort"),
    path("plans/import/", views.ImportView.as_view(), name="import"),
]

family_patterns = [
    path("", family_views.FamilyPlanView.as_view(), name="plan"),
]
