"""Plans in force. ehc/urls.py mounts `staff_patterns` at /staff/ (namespace "reviews") and
`family_patterns` at /my-cases/<case_pk>/plan-reviews/ (namespace "reviews_family")."""

from django.urls import path

from reviews import family_views, life_views, views

PLAN = "cases/<int:case_pk>/plan-in-force/"

staff_patterns = [
    path(PLAN, views.PlanView.as_view(), name="plan"),
    path(PLAN + "reviews/start/", views.ReviewStartView.as_view(), name="review_start"),
    path(PLAN + "compare/", views.VersionCompareView.as_view(), name="compare"),
    path(PLAN + "versions/<int:number>/", views.VersionView.as_view(), name="version"),
    path(
        PLAN + "reassessments/new/",
        life_views.ReassessmentRequestView.as_view(),
        name="reassessment_new",
    ),
    path(
        PLAN + "reassessments/<int:pk>/decision/",
        life_views.ReassessmentDecisionView.as_view(),
        name="reassessment_decide",
    ),
    path(
        PLAN + "reassessments/<int:pk>/plan/",
        life_views.ReassessmentPlanView.as_view(),
        name="reassessment_plan",
    ),
    path(PLAN + "moves/out/", life_views.MoveOutView.as_view(), name="move_out"),
    path(
        PLAN + "moves/<int:pk>/passed-on/",
        life_views.MoveOutDoneView.as_view(),
        name="move_out_done",
    ),
    path(PLAN + "moves/in/", life_views.MoveInView.as_view(), name="move_in"),
    path(
        PLAN + "moves/<int:pk>/family-told/",
        life_views.FamilyToldView.as_view(),
        name="move_in_told",
    ),
    path(PLAN + "cease/", life_views.CeaseView.as_view(), name="cease"),
    path(PLAN + "post16-moves/new/", life_views.Post16MoveView.as_view(), name="post16_move"),
    path(
        PLAN + "reviews/<int:review_pk>/letters/<slug:kind>/",
        views.ReviewLetterView.as_view(),
        name="letter",
    ),
    path("dashboards/reviews/", views.ReviewsDashboardView.as_view(), name="dashboard"),
    path("dashboards/reviews/<slug:figure>/", views.FigureListView.as_view(), name="figure"),
    path("dashboards/phase-transfers/", views.CohortView.as_view(), name="cohort"),
    path("plans/import/", views.ImportView.as_view(), name="import"),
]

family_patterns = [
    path("", family_views.FamilyPlanView.as_view(), name="plan"),
    path(
        "reviews/<int:review_pk>/letters/<slug:kind>/",
        family_views.FamilyLetterView.as_view(),
        name="letter",
    ),
]
