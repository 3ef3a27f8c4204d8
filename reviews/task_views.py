"""The caseworker's review task pages. The shared task page (workflows.views) has already
checked the case, locked the process and checked this user holds the task; TaskFormView shows a
service's ValidationError next to its field (nothing saved) and otherwise completes the task."""

from django.urls import reverse
from django.utils.functional import cached_property

from reviews import forms, selectors, services
from reviews.models import AnnualReview
from workflows.task_views import TaskFormView


def day(value) -> str:
    return f"{value:%-d %B %Y}" if value else ""


class ReviewTaskView(TaskFormView):
    template_name = "reviews/staff/task.html"

    @cached_property
    def review(self) -> AnnualReview:
        return self.activation.process.seed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        context["facts"] = selectors.review_facts(self.review)
        return context

    def get_success_url(self) -> str:
        return reverse("reviews:plan", args=[self.case.pk])


class ArrangeMeetingView(ReviewTaskView):
    form_class = forms.ArrangeMeetingForm

    def perform(self, form) -> str:
        data = form.cleaned_data
        review = services.review_meeting_arrange(
            review=self.review,
            meeting_on=data["meeting_on"],
            notice_sent_on=data["notice_sent_on"],
            advice_circulated_on=data["advice_circulated_on"],
            acting_user=self.request.user,
        )
        return f"Review meeting arranged for {day(review.meeting_on)}."


class HoldMeetingView(ReviewTaskView):
    form_class = forms.HoldMeetingForm

    def perform(self, form) -> str:
        review = services.review_meeting_record(
            review=self.review,
            held_on=form.cleaned_data["held_on"],
            adulthood_discussed=form.cleaned_data["adulthood_discussed"],
            acting_user=self.request.user,
        )
        decide_by = selectors.review_facts(review).decision_due
        return f"Meeting recorded. The decision is due by {day(decide_by)}."


class ReportView(ReviewTaskView):
    form_class = forms.ReportForm

    def perform(self, form) -> str:
        services.review_report_record(
            review=self.review,
            sent_on=form.cleaned_data["sent_on"],
            recommendations=form.cleaned_data["recommendations"],
            acting_user=self.request.user,
        )
        return "Review report recorded."


class DecideView(ReviewTaskView):
    form_class = forms.DecideForm

    def perform(self, form) -> str:
        data = form.cleaned_data
        review = services.review_decision_record(
            review=self.review,
            details=services.ReviewDecision(
                decision=data["decision"],
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                proposed_sections=form.proposed_sections(),
                evidence=data["evidence"],
                consulted_family_on=data["consulted_family_on"],
                consulted_setting_on=data["consulted_setting_on"],
            ),
            acting_user=self.request.user,
        )
        process = self.activation.process
        process.amending = review.decision == AnnualReview.Decision.AMEND
        process.save()
        if process.amending:
            end = services.representations_end(review)
            return (
                f"Decision to amend recorded with the proposed amendments. The family has "
                f"until {day(end)} to comment."
            )
        return f"Decision recorded: {review.get_decision_display().lower()}."


class FinaliseView(ReviewTaskView):
    """Two forms on one page: issue the final amended plan (R11), or decide not to (R12)."""

    template_name = "reviews/staff/task_finalise.html"
    FORMS = {"issue": forms.FinaliseForm, "withdraw": forms.NotAmendForm}

    def get_form(self, form_class=None):
        action = self.request.POST.get("action", "issue")
        self.action = action if action in self.FORMS else "issue"
        data = self.request.POST if self.request.method == "POST" else None
        return self.FORMS[self.action](data, prefix=self.action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = context["form"]
        for action, form_class in self.FORMS.items():
            form = bound if isinstance(bound, form_class) else form_class(prefix=action)
            form.helper.form_tag = False
            context[f"{action}_form"] = form
        return context

    def perform(self, form) -> str:
        data = form.cleaned_data
        if isinstance(form, forms.NotAmendForm):
            services.amendment_withdraw(
                review=self.review,
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                acting_user=self.request.user,
            )
            return "Recorded that the plan will not be amended after all."
        version = services.amended_plan_issue(
            review=self.review,
            issued_on=data["issued_on"],
            named_setting=data["named_setting"],
            setting_type=data["setting_type"],
            family_views=data["family_views"],
            acting_user=self.request.user,
        )
        return f"Final amended plan issued (version {version.number})."
