from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from disagreements import urls as disagreement_urls
from family import urls as family_urls
from family.ratelimits import sign_in_view
from family.views import HomeView
from local_offer import urls as local_offer_urls
from personal_budgets import urls as pb_urls
from professionals import urls as professional_urls
from reviews import urls as review_urls

# GOV.UK Frontend's compiled CSS asks for its fonts and images at /assets/.
GOVUK_ASSETS = settings.BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("sign-in/", sign_in_view, name="login"),  # LoginView, rate limited
    path("sign-out/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("", include("ehc.security.urls")),
    path("privacy/", TemplateView.as_view(template_name="ehc/privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="ehc/accessibility.html"),
        name="accessibility",
    ),
    path("request/", include((family_urls.request_patterns, "request"))),
    path("my-cases/", include((family_urls.family_patterns, "family"))),
    path(
        "my-cases/<int:case_pk>/disagreement/",
        include((disagreement_urls.family_patterns, "family_disagreement")),
    ),
    path(
        "staff/cases/<int:case_pk>/disagreements/",
        include((disagreement_urls.staff_patterns, "disagreements")),
    ),
    path(
        "staff/dashboards/disagreements/",
        include((disagreement_urls.dashboard_patterns, "disagreement_dashboard")),
    ),
    path(
        "my-cases/<int:case_pk>/personal-budget/",
        include((pb_urls.family_patterns, "personal_budgets_family")),
    ),
    path("staff/", include((pb_urls.staff_patterns, "personal_budgets"))),
    path(
        "my-cases/<int:case_pk>/plan-reviews/",
        include((review_urls.family_patterns, "reviews_family")),
    ),
    path("staff/", include((review_urls.staff_patterns, "reviews"))),
    path("professionals/", include((professional_urls.member_patterns, "professionals"))),
    path("professionals/", include((professional_urls.public_patterns, "professionals_public"))),
    path("staff/", include((professional_urls.staff_patterns, "professionals_staff"))),
    path(
        "staff/cases/<int:case_pk>/advice-requests/",
        include((professional_urls.case_patterns, "professionals_case")),
    ),
    path("staff/conversions/", include("conversions.urls")),
    path("staff/", include("ehc.register.urls")),
    path("staff/", include("workflows.urls")),
    path("staff/", include("workflows.case_urls")),
    path("staff/dashboards/", include("dashboards.urls")),
    path("staff/sen2/", include("sen2.urls")),
    path("notifications/", include("notifications.urls")),
    path(
        "local-offer/provider/",
        include((local_offer_urls.provider_patterns, "local_offer_provider")),
    ),
    path("local-offer/", include((local_offer_urls.public_patterns, "local_offer"))),
    path("staff/local-offer/", include((local_offer_urls.staff_patterns, "local_offer_staff"))),
    path(
        "openreferral/",
        include((local_offer_urls.openreferral_patterns, "openreferral")),
    ),
    path("admin/", admin.site.urls),
    re_path(r"^assets/(?P<path>.*)$", serve, {"document_root": GOVUK_ASSETS}),
]
