"""Mounted by ehc/urls.py: staff pages under /staff/cases/<case_pk>/disagreements/ (namespace
"disagreements"), the family's page at /my-cases/<case_pk>/disagreement/ (namespace
"family_disagreement") and the managers' figures at /staff/dashboards/disagreements/ (namespace
"disagreement_dashboard")."""

from django.urls import path

from disagreements import views

staff_patterns = [
    path("", views.CaseDisagreementsView.as_view(), name="list"),
    path("new/", views.DisagreementOpenView.as_view(), name="open"),
    path("<int:pk>/", views.DisagreementDetailView.as_view(), name="detail"),
    path("complaints/new/", views.ComplaintCreateView.as_view(), name="complaint_new"),
    path(
        "complaints/<int:complaint_pk>/outcome/",
        views.ComplaintOutcomeView.as_view(),
        name="complaint_outcome",
    ),
]
family_patterns = [
    path("", views.FamilyDisagreementView.as_view(), name="detail"),
]
dashboard_patterns = [
    path("", views.DisagreementDashboardView.as_view(), name="figures"),
]
