"""Pages for organisations' members (the inbox), their administrators, the council's staff
(organisations, asking for advice online, the figures) and two public pages reached by link
(joining an organisation; a parent's views on a school's request).

Every professional page checks an active membership first (a member or organisation the
council suspended is refused at their next request), then fetches the request through
``selectors.access_advice_request`` (404 for another organisation's, as for a missing one),
and records the read in the read audit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from dashboards.views import DashboardMixin
from ehc import roles
from ehc.audit import read_record
from ehc.models.audit import ReadAudit
from ehc.permissions import CaseAccessMixin, ManagerRequiredMixin
from ehc.signed_in import signed_in_user
from professionals import flows, forms, selectors, services
from professionals.models import AdviceDocument, AdviceRequest, Membership, Organisation

SUSPENDED = (
    "Your access to the organisation account is suspended or has ended. Contact your "
    "organisation's administrator or the council's SEND team."
)


def _untagged(form):
    """A form the page wraps in its own <form> (to add the action it stands for)."""
    form.helper.form_tag = False
    return form


# -- members of organisations ------------------------------------------------------------------


class MemberMixin(LoginRequiredMixin):
    """An active member of an organisation that is not suspended; anyone else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not selectors.is_professional(request.user):
            raise PermissionDenied(SUSPENDED)
        return super().dispatch(request, *args, **kwargs)


class InboxView(MemberMixin, TemplateView):
    template_name = "professionals/member/inbox.html"

    def get_context_data(self, **kwargs):
        user = signed_in_user(self.request)
        memberships = selectors.active_memberships(user)
        return super().get_context_data(
            memberships=memberships,
            open_requests=selectors.inbox(user, which="open"),
            closed_requests=selectors.inbox(user, which="closed")[:50],
            school_requests=selectors.school_requests_for(user)[:50],
            contributions=selectors.review_contributions_for(user).order_by("status", "due_on")[
                :50
            ],
            is_senco=any(m.is_senco for m in memberships),
            **kwargs,
        )


class AdviceRequestMixin(MemberMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and selectors.is_professional(request.user):
            self.advice = selectors.access_advice_request(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


ACTION_FORMS = {
    "assign": forms.AssignForm,
    "question": forms.QuestionForm,
    "upload": forms.UploadForm,
    "advice": forms.AdviceForm,
}


class AdviceRequestView(AdviceRequestMixin, TemplateView):
    """The request, and everything a member can do with it, on one page."""

    template_name = "professionals/member/request.html"

    def _form(self, action: str, bound=None):
        if bound is not None and isinstance(bound, ACTION_FORMS[action]):
            return bound
        kwargs: dict = {"prefix": action}
        if action == "assign":
            kwargs["candidates"] = selectors.colleagues(self.advice)
        if action == "advice":
            kwargs["initial"] = {
                f: getattr(self.advice, f)
                for f in ("needs", "outcomes", "provision", "other_comments")
            }
        form = ACTION_FORMS[action](**kwargs)
        form.helper.form_action = reverse(
            "professionals:request_action", args=[self.advice.pk, action]
        )
        return form

    def get_context_data(self, bound=None, **kwargs):
        advice = self.advice
        is_open = selectors.request_is_open(advice)
        context = super().get_context_data(advice=advice, is_open=is_open, bound=bound, **kwargs)
        if is_open:
            context.update({f"{a}_form": self._form(a, bound) for a in ACTION_FORMS})
            context["details"] = [
                (services.CHILD_DETAILS.get(k, k), v) for k, v in advice.child_details.items()
            ]
        context["documents"] = advice.documents.all()
        context["messages_list"] = advice.messages.select_related("author")
        context["max_mb"] = services.max_file_bytes() // services.MB
        return context

    def get(self, request, *args, **kwargs):
        read_record(
            request=request,
            case=self.advice.case,
            what="professionals:request"
            if selectors.request_is_open(self.advice)
            else "professionals:request_sent_only",
            object_id=self.advice.pk,
        )
        return super().get(request, *args, **kwargs)


class AdviceRequestActionView(AdviceRequestMixin, View):
    """POST only: accept, assign, ask, upload, save the advice, or send it. A refusal shows
    the request page again with the GOV.UK error summary; nothing is saved."""

    def post(self, request, pk, action):
        advice, user = self.advice, request.user
        if action in ("accept", "submit"):
            try:
                if action == "accept":
                    services.advice_request_accept(advice=advice, acting_user=user)
                    messages.success(request, "Request accepted. It is assigned to you.")
                else:
                    flows.advice_send(advice=advice, acting_user=user)
                    messages.success(
                        request,
                        "Advice sent. The council has it now: it is recorded on the case with "
                        "your name and today's date.",
                    )
            except ValidationError as error:
                return self._page(None, error=error)
            return redirect("professionals:request", pk=advice.pk)
        if action not in ACTION_FORMS:
            raise Http404("No such action.")
        if not selectors.request_is_open(advice):
            return self._page(None, error=ValidationError(services.NOT_OPEN))
        form = ACTION_FORMS[action](
            request.POST,
            request.FILES,
            prefix=action,
            **({"candidates": selectors.colleagues(advice)} if action == "assign" else {}),
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    text = self._perform(action, form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, text)
                return redirect("professionals:request", pk=advice.pk)
        return self._page(form)

    def _perform(self, action: str, data: dict) -> str:
        advice, user = self.advice, signed_in_user(self.request)
        if action == "assign":
            services.advice_request_assign(
                advice=advice, assignee=data["assignee"], acting_user=user
            )
            name = data["assignee"].get_full_name() or data["assignee"].username
            return f"Assigned to {name}."
        if action == "question":
            services.advice_question_ask(advice=advice, text=data["text"], acting_user=user)
            return "Question sent to the caseworker."
        if action == "upload":
            document = services.advice_document_upload(
                advice=advice, upload=data["document"], acting_user=user
            )
            return f"{document.original_name} uploaded."
        services.advice_draft_save(
            advice=advice,
            needs=data["needs"],
            outcomes=data["outcomes"],
            provision=data["provision"],
            other_comments=data["other_comments"],
            acting_user=user,
        )
        return "Draft saved. Send the advice when it is ready."

    def _page(self, form, *, error: ValidationError | None = None):
        view = AdviceRequestView()
        view.setup(self.request, pk=self.advice.pk)
        view.advice = AdviceRequest.objects.select_related("case", "organisation").get(
            pk=self.advice.pk
        )
        context = view.get_context_data(bound=form, page_error=error.messages if error else None)
        return render(self.request, view.template_name, context)


class AdviceDocumentView(AdviceRequestMixin, View):
    """Download a document the organisation uploaded (audited); never by its storage path."""

    def get(self, request, pk, document_pk):
        document = get_object_or_404(AdviceDocument, pk=document_pk, request=self.advice)
        read_record(
            request=request,
            case=self.advice.case,
            what="professionals:document",
            object_id=document.pk,
            action=ReadAudit.Action.DOWNLOADED,
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


class MembersView(MemberMixin, TemplateView):
    """The organisation's administrator: who is a member, invitations, invite and remove."""

    template_name = "professionals/member/members.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and selectors.is_professional(request.user):
            self.membership = selectors.membership_for(request.user, kwargs["org_pk"])
            if not self.membership.is_admin:
                raise PermissionDenied(services.NOT_AN_ADMIN)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        organisation = self.membership.organisation
        form = form or forms.InviteForm(school=organisation.kind == Organisation.Kind.SCHOOL)
        return super().get_context_data(
            organisation=organisation,
            members=organisation.memberships.filter(removed_at=None).select_related("user"),
            invitations=organisation.invitations.filter(used_at=None, withdrawn_at=None),
            form=form,
            **kwargs,
        )

    def post(self, request, org_pk):
        organisation = self.membership.organisation
        if "remove" in request.POST:
            membership = get_object_or_404(
                Membership, pk=request.POST.get("remove"), organisation=organisation
            )
            try:
                services.membership_remove(membership=membership, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{membership.user.get_full_name()} removed.")
            return redirect("professionals:members", org_pk=organisation.pk)
        form = forms.InviteForm(request.POST, school=organisation.kind == Organisation.Kind.SCHOOL)
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    is_admin=form.cleaned_data["is_admin"],
                    is_senco=form.cleaned_data.get("is_senco", False),
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {form.cleaned_data['email']}. The link works once and "
                    f"for {services.INVITATION_DAYS} days.",
                )
                return redirect("professionals:members", org_pk=organisation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SchoolRequestView(MemberMixin, FormView):
    """A school's SENCO asks for an EHC needs assessment for a pupil (s.36)."""

    template_name = "professionals/member/form_page.html"
    form_class = forms.SchoolRequestForm
    membership: Membership

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and selectors.is_professional(request.user):
            membership = (
                selectors.active_memberships(request.user)
                .filter(is_senco=True, organisation__kind=Organisation.Kind.SCHOOL)
                .first()
            )
            if membership is None:
                raise PermissionDenied(services.NOT_A_SENCO)
            self.membership = membership
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Request an EHC needs assessment for a pupil at {self.membership.organisation}",
            back_url=reverse("professionals:inbox"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            school_request = services.school_request_submit(
                organisation=self.membership.organisation,
                pupil=services.PupilDetails(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    parent_name=data["parent_name"],
                    parent_email=data["parent_email"],
                    reasons=data["reasons"],
                    support_so_far=data["support_so_far"],
                ),
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Request {school_request.case.reference} sent. We have emailed "
            f"{school_request.parent_name} to tell them and ask for their views.",
        )
        return redirect("professionals:inbox")


# -- public pages reached by link ---------------------------------------------------------------


class InvitationView(View):
    template_name = "professionals/public/invitation.html"

    def _render(self, request, *, invitation=None, form=None, error=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "form": form,
                "link_error": error,
                "title": "Join your organisation",
            },
            status=status,
        )

    def _form(self, request, data=None):
        signed_in = request.user.is_authenticated
        return forms.AcceptInvitationForm(data, needs_password=not signed_in)

    def get(self, request, token):
        try:
            invitation = services.invitation_for_token(token)
        except ValidationError as error:
            return self._render(request, error=error.messages[0], status=410)
        return self._render(request, invitation=invitation, form=self._form(request))

    def post(self, request, token):
        try:
            invitation = services.invitation_for_token(token)
        except ValidationError as error:
            return self._render(request, error=error.messages[0], status=410)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                membership = services.invitation_accept(
                    token=token,
                    password=form.cleaned_data.get("password", ""),
                    signed_in_user=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as error:
                if error.messages and error.messages[0] in (
                    services.INVITATION_USED,
                    services.INVITATION_EXPIRED,
                ):
                    return self._render(request, error=error.messages[0], status=410)
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"You have joined {membership.organisation}. Sign in with your email address "
                    "and password; you will then set up an authenticator app.",
                )
                if request.user.is_authenticated:
                    return redirect("professionals:inbox")
                return HttpResponseRedirect(
                    reverse("login") + "?next=" + reverse("professionals:inbox")
                )
        return self._render(request, invitation=invitation, form=form)


class ParentViewsView(View):
    template_name = "professionals/public/parent_views.html"

    def _render(self, request, **context):
        status = context.pop("status", 200)
        return render(
            request,
            self.template_name,
            {"title": "Your views on the school's request", **context},
            status=status,
        )

    def get(self, request, token):
        try:
            school_request = services.school_request_for_token(token)
        except ValidationError as error:
            return self._render(request, link_error=error.messages[0], status=404)
        return self._render(request, school_request=school_request, form=forms.ParentViewsForm())

    def post(self, request, token):
        try:
            school_request = services.school_request_for_token(token)
        except ValidationError as error:
            return self._render(request, link_error=error.messages[0], status=404)
        form = forms.ParentViewsForm(request.POST)
        if form.is_valid():
            try:
                services.parent_views_record(token=token, views=form.cleaned_data["views"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return self._render(request, school_request=school_request, done=True)
        return self._render(request, school_request=school_request, form=form)


# -- council staff -----------------------------------------------------------------------------


class OrganisationListView(ManagerRequiredMixin, FormView):
    template_name = "professionals/staff/organisations.html"
    form_class = forms.OrganisationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisations=Organisation.objects.select_related("setting").order_by("name"), **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(
                name=data["name"],
                kind=data["kind"],
                setting=data["setting"],
                email=data["email"],
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, f"{organisation} created. Invite its administrator next.")
        return redirect("professionals_staff:organisation", pk=organisation.pk)


class OrganisationView(ManagerRequiredMixin, TemplateView):
    """One organisation: its members; suspend or reinstate it or a member; invite someone."""

    template_name = "professionals/staff/organisation.html"

    def load(self, request, **kwargs) -> None:
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])

    def get_context_data(self, invite_form=None, suspend_form=None, **kwargs):
        organisation = self.organisation
        return super().get_context_data(
            organisation=organisation,
            members=organisation.memberships.filter(removed_at=None).select_related("user"),
            invite_form=_untagged(
                invite_form
                or forms.InviteForm(
                    prefix="invite", school=organisation.kind == Organisation.Kind.SCHOOL
                )
            ),
            suspend_form=_untagged(suspend_form or forms.SuspendForm(prefix="suspend")),
            requests=organisation.advice_requests.order_by("-sent_on")[:20],
            **kwargs,
        )

    def post(self, request, pk):
        organisation, user = self.organisation, request.user
        action = request.POST.get("action", "")
        try:
            if action == "suspend":
                suspend_form = forms.SuspendForm(request.POST, prefix="suspend")
                if not suspend_form.is_valid():
                    return self.render_to_response(self.get_context_data(suspend_form=suspend_form))
                services.organisation_suspend(
                    organisation=organisation,
                    reason=suspend_form.cleaned_data["reason"],
                    acting_user=user,
                )
                messages.success(
                    request,
                    f"{organisation} is suspended. Its members are signed out of it at their next click.",
                )
            elif action == "reinstate":
                services.organisation_reinstate(organisation=organisation, acting_user=user)
                messages.success(request, f"{organisation} is reinstated.")
            elif action in ("suspend_member", "reinstate_member", "remove_member"):
                membership = get_object_or_404(
                    Membership, pk=request.POST.get("membership"), organisation=organisation
                )
                {
                    "suspend_member": services.membership_suspend,
                    "reinstate_member": services.membership_reinstate,
                    "remove_member": services.membership_remove,
                }[action](membership=membership, acting_user=user)
                messages.success(request, "Done. It takes effect at the member's next click.")
            elif action == "invite":
                form = forms.InviteForm(
                    request.POST,
                    prefix="invite",
                    school=organisation.kind == Organisation.Kind.SCHOOL,
                )
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(invite_form=form))
                try:
                    services.invitation_create(
                        organisation=organisation,
                        email=form.cleaned_data["email"],
                        full_name=form.cleaned_data["full_name"],
                        is_admin=form.cleaned_data["is_admin"],
                        is_senco=form.cleaned_data.get("is_senco", False),
                        acting_user=user,
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                    return self.render_to_response(self.get_context_data(invite_form=form))
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("professionals_staff:organisation", pk=organisation.pk)


class CaseAdviceSendView(CaseAccessMixin, FormView):
    """A caseworker asks an organisation for advice through its inbox."""

    template_name = "professionals/staff/form_page.html"
    form_class = forms.AdviceRequestSendForm

    def get_initial(self):
        return {
            "details": list(services.REQUIRED_DETAILS),
            "adviser": self.request.GET.get("adviser", ""),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Ask an organisation for advice online", **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            advice = services.advice_request_send(
                case=self.case,
                adviser=data["adviser"],
                organisation=data["organisation"],
                questions=data["questions"],
                why=data["why"],
                details=data["details"],
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Request sent to {advice.organisation}. Advice is due by {advice.due_on:%-d %B %Y}.",
        )
        return redirect("ehc:case_detail", case_pk=self.case.pk)


class CaseAdviceRequestView(CaseAccessMixin, TemplateView):
    """The caseworker's view of one online request: what was asked, questions and answers,
    what came back."""

    template_name = "professionals/staff/request.html"

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.advice = get_object_or_404(AdviceRequest, pk=kwargs["pk"], case=self.case)

    def get_context_data(self, form=None, **kwargs):
        form = form or forms.AnswerForm()
        return super().get_context_data(
            advice=self.advice,
            form=form,
            details=[
                (services.CHILD_DETAILS.get(k, k), v) for k, v in self.advice.child_details.items()
            ],
            **kwargs,
        )

    def post(self, request, case_pk, pk):
        form = forms.AnswerForm(request.POST)
        if form.is_valid():
            services.advice_question_answer(
                advice=self.advice, text=form.cleaned_data["text"], acting_user=request.user
            )
            messages.success(request, "Answer sent to the organisation.")
            return redirect("professionals_case:request", case_pk=self.case.pk, pk=self.advice.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CaseAdviceDocumentView(CaseAccessMixin, View):
    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.document = get_object_or_404(
            AdviceDocument, pk=kwargs["document_pk"], request__case=self.case
        )

    def get(self, request, case_pk, document_pk):
        return FileResponse(
            self.document.file.open("rb"),
            as_attachment=True,
            filename=self.document.original_name,
            content_type=self.document.content_type,
        )


class CaseContributionRequestView(CaseAccessMixin, FormView):
    """Ask an organisation for its contribution to the case's open annual review (R5)."""

    template_name = "professionals/staff/form_page.html"
    form_class = forms.ContributionRequestForm

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.review = selectors.case_open_review(self.case)
        if self.review is None:
            raise Http404("No open review.")

    def get_initial(self):
        plan = self.review.plan
        setting = getattr(plan, "current_setting", None)
        organisation = Organisation.objects.filter(setting=setting).first() if setting else None
        return {"organisation": organisation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Ask for a contribution to the annual review", **kwargs
        )

    def form_valid(self, form):
        try:
            contribution = services.review_contribution_request(
                review=self.review,
                organisation=form.cleaned_data["organisation"],
                questions=form.cleaned_data["questions"],
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Asked {contribution.organisation} for its contribution, due by "
            f"{contribution.due_on:%-d %B %Y} (2 weeks before the meeting).",
        )
        return redirect("ehc:case_detail", case_pk=self.case.pk)


class ContributionView(MemberMixin, FormView):
    """A member writes and sends the organisation's contribution to an annual review."""

    template_name = "professionals/member/contribution.html"
    form_class = forms.ContributionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and selectors.is_professional(request.user):
            self.contribution = selectors.access_review_contribution(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        read_record(
            request=request,
            case=self.contribution.review.plan.case,
            what="professionals:contribution",
            object_id=self.contribution.pk,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        contribution = self.contribution
        is_open = contribution.status == "sent" and contribution.review.is_open
        plan = contribution.review.plan
        return super().get_context_data(
            contribution=contribution,
            is_open=is_open,
            child_name=plan.case.child.full_name if is_open else "",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.review_contribution_submit(
                contribution=self.contribution,
                progress=form.cleaned_data["progress"],
                views=form.cleaned_data["views"],
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Contribution sent to the council.")
        return redirect("professionals:contribution", pk=self.contribution.pk)


class AdviceTimelinessView(DashboardMixin, TemplateView):
    template_name = "professionals/staff/timeliness.html"
    csv_tables = ("by_organisation", "by_kind")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.advice_timeliness(), **kwargs)

    def csv_rows(self, table: str, context: dict):
        header = [
            "Organisation" if table == "by_organisation" else "Kind of advice",
            "Requests",
            "Advice in",
            "Median days to advice",
            "Share within 6 weeks (%)",
            "Overdue now",
        ]
        rows = [
            [
                r.label,
                r.requests,
                r.advice_in,
                "" if r.median_days is None else r.median_days,
                "" if r.within_6_weeks_pct is None else r.within_6_weeks_pct,
                r.overdue_now,
            ]
            for r in context[table]
        ]
        return header, rows


def staff_may_manage_organisations(user) -> bool:
    return user.is_authenticated and user.has_perm(roles.REASSIGN_CASE)
