"""Two sets of pages, mounted by ehc/urls.py: the public journey at /request/ (namespace
"request") and the signed-in family pages at /my-cases/ (namespace "family")."""

from django.urls import path

from family import views
from family.ratelimits import rate_limited

request_patterns = [
    path("", views.StartView.as_view(), name="start"),
    path("start/", views.BeginView.as_view(), name="begin"),
    path("check-answers/", views.CheckAnswersView.as_view(), name="check"),
    path(
        "send/",
        rate_limited(
            views.SubmitView.as_view(),
            group="request-submit",
            limits=[("ip", "EHC_RATELIMIT_REQUEST_SUBMIT")],
        ),
        name="submit",
    ),
    path("confirmation/", views.ConfirmationView.as_view(), name="confirmation"),
    path(
        "documents/",
        rate_limited(
            views.DocumentsView.as_view(),
            group="request-upload",
            limits=[("ip", "EHC_RATELIMIT_REQUEST_UPLOAD")],
        ),
        name="documents",
    ),
    path(
        "documents/<str:document_id>/remove/",
        views.DocumentRemoveView.as_view(),
        name="document_remove",
    ),
    path("<slug:slug>/", views.StepView.as_view(), name="step"),
]

family_patterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("set-up/<uidb64>/<token>/", views.AccountSetupView.as_view(), name="account_setup"),
    path("add-request/<str:token>/", views.CaseClaimView.as_view(), name="case_claim"),
    path(
        "sign-in-link/",
        rate_limited(
            views.SignInLinkView.as_view(),
            group="sign-in-link",
            limits=[("ip", "EHC_RATELIMIT_SIGN_IN_LINK")],
        ),
        name="sign_in_link",
    ),
    path("<int:case_pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:case_pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("<int:case_pk>/if-you-disagree/", views.DisagreeView.as_view(), name="disagree"),
    path("<int:case_pk>/letters/<int:notice_pk>/", views.NoticeView.as_view(), name="notice"),
    path(
        "<int:case_pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
]
