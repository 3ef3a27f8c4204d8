"""The caseworker's transfer-review task pages. Each parses a form, calls one service and
completes the task.

conversions.views.ReviewTaskView has already checked the user may see the review, and viewflow's
wrap_view has locked the process, checked the user may execute the task and started it; the
service rolls back on any ValidationError, so a refused step saves nothing.
"""

from django.urls import reverse

from conversions import forms
from conversions import services as conversions
from conversions import timetable as tt
from ehc import plan_hooks
from ehc.services.common import local_today
from workflows import forms as assessment_forms
from workflows import task_views as assessment_views
from workflows.task_views import TaskFormView


class ReviewTaskFormView(TaskFormView):
    """A transfer-review task: the flow's artifact is the review (the case comes later)."""

    template_name = "conversions/task.html"

    @property
    def review(self):
        return self.activation.process.artifact

    @property
    def case(self):
        return self.review.case

    def get_context_data(self, **kwargs):
        from conversions.selectors import review_summary

        context = super().get_context_data(**kwargs)
        context.update(review=self.review, summary=review_summary(self.review))
        return context

    def get_success_url(self) -> str:
        return reverse("conversions:review_detail", args=[self.review.pk])


class GiveNoticeView(ReviewTaskFormView):
    form_class = forms.NoticeForm

    def get_initial(self):
        today = local_today()
        return {"notice_given_on": today, "planned_start_on": tt.earliest_start_after_notice(today)}

    def perform(self, form):
        review = conversions.transfer_notice_record(
            review=self.review,
            notice_given_on=form.cleaned_data["notice_given_on"],
            planned_start_on=form.cleaned_data["planned_start_on"],
            acting_user=self.request.user,
        )
        return f"Notice recorded. The transfer review starts on {review.planned_start_on:%d %B %Y}."


class StartReviewView(ReviewTaskFormView):
    form_class = forms.StartForm

    def get_initial(self):
        return {"started_on": self.review.planned_start_on or local_today()}

    def perform(self, form):
        case = conversions.transfer_review_start(
            review=self.review,
            started_on=form.cleaned_data["started_on"],
            acting_user=self.request.user,
        )
        review = self.review
        review.refresh_from_db()
        due = review.plan_due_on
        return (
            f"Transfer review started as case {case.reference}. "
            f"The final plan is due by {due:%d %B %Y}."
        )


class FamilyMeetingView(ReviewTaskFormView):
    form_class = forms.MeetingForm

    def perform(self, form):
        conversions.transfer_meeting_record(
            review=self.review,
            met_on=form.cleaned_data["met_on"],
            notes=form.cleaned_data["notes"],
            acting_user=self.request.user,
        )
        return "Meeting with the family recorded."


class AdviceView(ReviewTaskFormView):
    form_class = forms.AdviceForm

    def perform(self, form):
        data = form.cleaned_data
        conversions.transfer_advice_record(
            review=self.review,
            advisers=data["advisers"],
            requested_on=data["requested_on"],
            received_on=data["received_on"],
            summary=data["summary"],
            acting_user=self.request.user,
        )
        return "Advice recorded."


class DecideToIssueView(ReviewTaskFormView):
    form_class = assessment_forms.DecideToIssueForm

    def perform(self, form):
        issue = form.said_yes
        conversions.transfer_decision_record(
            review=self.review,
            decided_on=form.cleaned_data["decided_on"],
            issue=issue,
            reasons=form.cleaned_data["reasons"],
            acting_user=self.request.user,
        )
        self.activation.process.issue_plan = issue
        self.activation.process.save()
        if issue:
            return "Decision to issue a plan recorded. Draft the plan next."
        return "Decision that no plan is needed recorded; the transfer review is concluded."


class DraftPlanView(ReviewTaskFormView, assessment_views.DraftPlanView):
    pass


class ServeDraftView(ReviewTaskFormView, assessment_views.ServeDraftView):
    pass


class IssueFinalPlanView(ReviewTaskFormView):
    form_class = assessment_forms.FinalPlanForm

    def get_initial(self):
        return {"named_setting": self.review.instrument.current_setting, "issued_on": local_today()}

    def get_form_kwargs(self):
        found = plan_hooks.final_plan_open_matters(case=self.case)
        return {**super().get_form_kwargs(), "open_matters": [m for _, ms in found for m in ms]}

    def perform(self, form):
        data = form.cleaned_data
        conversions.transfer_plan_finalise(
            review=self.review,
            issued_on=data["issued_on"],
            named_setting=data["named_setting"],
            setting_type=data["setting_type"],
            acting_user=self.request.user,
            without_reason=data.get("without_reason", ""),
        )
        return "Final EHC plan issued; the transfer is complete."
