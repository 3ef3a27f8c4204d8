"""Mounted at the site root by the URL configuration."""

from django.urls import path

from ehc.security import audit_views, views

urlpatterns = [
    path("sign-in/code/", views.VerifyView.as_view(), name="second_factor_verify"),
    path(
        "sign-in/set-up-authenticator/",
        views.EnrolView.as_view(),
        name="second_factor_enrol",
    ),
    path(
        "staff/cases/<int:case_pk>/who-has-looked/",
        audit_views.ChildReadsView.as_view(),
        name="child_reads",
    ),
    path(
        "sign-in/set-up-authenticator/<str:token>/",
        views.EnrolLinkView.as_view(),
        name="second_factor_enrol_link",
    ),
    path("staff/accounts/", views.AccountListView.as_view(), name="second_factor_accounts"),
    path(
        "staff/accounts/<int:user_pk>/send-set-up-link/",
        views.SendLinkView.as_view(),
        name="second_factor_send_link",
    ),
    path(
        "staff/accounts/<int:user_pk>/reset-authenticator/",
        views.ResetView.as_view(),
        name="second_factor_reset",
    ),
]
