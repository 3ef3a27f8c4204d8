"""The family's page about their plan in force, under /my-cases/<case_pk>/plan-reviews/.

The case is loaded through the access check (FamilyCaseMixin): another family's case is 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ehc.services.common import local_today
from family.views import ContactsMixin, FamilyCaseMixin
from reviews import letters, selectors
from reviews.models import AnnualReview


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


class FamilyLetterView(FamilyCaseMixin, ContactsMixin, TemplateView):
    """A letter about a review of the family's plan, as sent (?format=pdf for the PDF)."""

    template_name = "reviews/letters/letter.html"

    def get(self, request, *args, **kwargs):
        plan = selectors.plan_for_case(self.case)
        if plan is None:
            raise Http404("No plan in force")
        review = get_object_or_404(AnnualReview, pk=kwargs["review_pk"], plan=plan)
        letter = letters.review_letter(review, kwargs["kind"])
        if letter is None:
            raise Http404("This review has not sent that letter.")
        context = letters.letter_context(letter)
        if request.GET.get("format") == "pdf":
            return letters.letter_pdf_response(context)
        return self.render_to_response(
            dict(
                **context,
                for_pdf=False,
                layout="base.html",
                back_url=reverse("reviews_family:plan", args=[self.case.pk]),
            )
        )
