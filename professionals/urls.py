from django.urls import path

from professionals import views

member_patterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("requests/<int:pk>/", views.AdviceRequestView.as_view(), name="request"),
    path(
        "requests/<int:pk>/<str:action>/",
        views.AdviceRequestActionView.as_view(),
        name="request_action",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_pk>/",
        views.AdviceDocumentView.as_view(),
        name="document",
    ),
    path("organisations/<int:org_pk>/members/", views.MembersView.as_view(), name="members"),
    path("request-an-assessment/", views.SchoolRequestView.as_view(), name="school_request"),
    path("reviews/<int:pk>/", views.ContributionView.as_view(), name="contribution"),
]

public_patterns = [
    path("join/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("your-views/<str:token>/", views.ParentViewsView.as_view(), name="parent_views"),
]

staff_patterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<int:pk>/", views.OrganisationView.as_view(), name="organisation"),
    path("dashboards/advice/", views.AdviceTimelinessView.as_view(), name="timeliness"),
]

case_patterns = [
    path("new/", views.CaseAdviceSendView.as_view(), name="send"),
    path("<int:pk>/", views.CaseAdviceRequestView.as_view(), name="request"),
    path(
        "review-contribution/",
        views.CaseContributionRequestView.as_view(),
        name="contribution_request",
    ),
    path(
        "documents/<int:document_pk>/",
        views.CaseAdviceDocumentView.as_view(),
        name="document",
    ),
]
