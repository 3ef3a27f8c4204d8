"""The family's page about their plan in force, under /my-cases/<case_pk>/plan-reviews/.

The case is loaded through the access check (FamilyCaseMixin): another family's case is 404."""

from django.http import Http404
from django.views.generic import TemplateView

from ehc.services.common import local_today
from family.views import ContactsMixin, FamilyCaseMixin
from reviews import selectors


class FamilyPlanView(FamilyCaseMixin, ContactsMixin, TemplateView):
    """When the next review is, the decision, the proposed amendments and the family's 15 days,
    the final amended plan (what changed) and how to disagree."""

    template_name = "reviews/family/plan.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_for_case(self.case)
        if plan is None:
            raise Http404("No plan in force")
        return super().get_context_data(
            page=selectors.family_page(plan, local_today()), today=local_today(), **kwargs
        )
