"""Personal budget pages. ehc/urls.py mounts `staff_patterns` at /staff/ (namespace
"personal_budgets") and `family_patterns` at /my-cases/<case_pk>/personal-budget/ (namespace
"personal_budgets_family")."""

from django.urls import path

from personal_budgets import family_views, views

BUDGET = "cases/<int:case_pk>/personal-budget/<int:budget_pk>/"

staff_patterns = [
    path(
        "cases/<int:case_pk>/personal-budget/request/",
        views.RequestRecordView.as_view(),
        name="request",
    ),
    path(BUDGET, views.BudgetDetailView.as_view(), name="budget"),
    path(BUDGET + "parts/new/", views.ComponentFormView.as_view(), name="component_new"),
    path(
        BUDGET + "parts/<int:component_pk>/",
        views.ComponentFormView.as_view(),
        name="component_edit",
    ),
    path(
        BUDGET + "parts/<int:component_pk>/remove/",
        views.ComponentRemoveView.as_view(),
        name="component_remove",
    ),
    path(BUDGET + "direct-payments/refuse/", views.RefuseView.as_view(), name="refuse"),
    path(BUDGET + "direct-payments/reduce/", views.ReduceView.as_view(), name="reduce"),
    path(BUDGET + "direct-payments/stop/", views.StopView.as_view(), name="stop"),
    path(BUDGET + "direct-payments/reviews/new/", views.ReviewView.as_view(), name="review"),
    path(
        BUDGET + "decisions/<int:decision_pk>/reconsideration/",
        views.ReconsiderationView.as_view(),
        name="reconsideration",
    ),
    path(BUDGET + "section-j/", views.SectionJWriteView.as_view(), name="section_j"),
    path(BUDGET + "letters/<int:notice_pk>/", views.NoticeView.as_view(), name="notice"),
    path("dashboards/personal-budgets/", views.FiguresView.as_view(), name="figures"),
]

family_patterns = [
    path("", family_views.FamilyBudgetView.as_view(), name="budget"),
    path("ask/", family_views.FamilyRequestView.as_view(), name="ask"),
    path("letters/<int:notice_pk>/", family_views.FamilyNoticeView.as_view(), name="notice"),
]
