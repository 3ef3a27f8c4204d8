"""Public pages ("Ask for an EHC needs assessment") and the family's signed-in pages.

Views parse input and call services; every case page loads its case through
ehc.access.access_case_by_id, so a changed id in a URL gives 404, never someone else's case.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from ehc import roles, timescales
from ehc.access import access_case_by_id, cases_visible_to
from ehc.models import Notice
from ehc.notices import notice_context, notice_pdf_response
from ehc.permissions import CaseAccessMixin
from ehc.services import ChildDetails, ContactDetails
from ehc.services.common import local_today
from family import services
from family.forms import (
    SCHOOL,
    AccountSetupForm,
    AnotherContactForm,
    ChildForm,
    ConsentForm,
    ContactForm,
    DocumentsForm,
    NeedsForm,
    ReferrerForm,
    SecondContactForm,
    SettingForm,
    SignInLinkForm,
    SubmitForm,
    SupportForm,
    ViewsForm,
    WhoForm,
)
from family.journey import Journey, finished, remember_finished
from family.selectors import disagreement_routes, family_case_page, family_notices, visible_plan


class HomeView(TemplateView):
    """The service's front page: start a request, or sign in to follow one. Caseworkers and
    managers signing in land here too, and go straight on to their work queue."""

    template_name = "family/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.has_perm(roles.PROGRESS_CASE):
            return redirect("workflows:queue")
        return super().get(request, *args, **kwargs)


def contacts() -> dict:
    """Who to contact for help: every family page can say it."""
    return {
        "send_team_contact": settings.LA_SEND_TEAM_CONTACT,
        "iass_contact": settings.IASS_CONTACT,
    }


def page(request, template: str, context: dict | None = None, status: int = 200):
    return render(request, template, {**contacts(), **(context or {})}, status=status)


class ContactsMixin:
    def get_context_data(self, **kwargs):
        return super().get_context_data(**contacts(), **kwargs)


# -- the journey's pages -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    slug: str
    key: str
    form_class: type
    applies: Callable[[Journey], bool] = lambda journey: True


def _asked_for_second_contact(journey: Journey) -> bool:
    return (journey.answers("another") or {}).get("another") == "yes"


STEPS = [
    Step("who-is-asking", "who", WhoForm),
    Step("about-you", "referrer", ReferrerForm, lambda j: j.requester_type == SCHOOL),
    Step("child-or-young-person", "child", ChildForm),
    Step("contact-details", "contact", ContactForm),
    Step("another-parent-or-carer", "another", AnotherContactForm),
    Step(
        "another-parent-or-carer-details",
        "second_contact",
        SecondContactForm,
        _asked_for_second_contact,
    ),
    Step("school-or-setting", "setting", SettingForm),
    Step("what-they-find-difficult", "needs", NeedsForm),
    Step("support-so-far", "support", SupportForm),
    Step("views-interests-and-hopes", "views", ViewsForm),
    Step("documents", "documents", DocumentsForm),
    Step("privacy-and-consent", "consent", ConsentForm),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
FIRST_STEP = STEPS[0]


def applicable_steps(journey: Journey) -> list[Step]:
    return [step for step in STEPS if step.applies(journey)]


def bound_form(step: Step, journey: Journey):
    """The page's form bound to the answers saved for it (None if never answered)."""
    data = journey.answers(step.key)
    if data is None:
        return None
    return step.form_class(data=data, journey=journey)


def first_incomplete(journey: Journey) -> Step | None:
    for step in applicable_steps(journey):
        form = bound_form(step, journey)
        if form is None or not form.is_valid():
            return step
    return None


def step_url(step: Step, change: bool = False) -> str:
    url = reverse("request:step", args=[step.slug])
    return f"{url}?change=1" if change else url


def _raw_answers(form, data) -> dict:
    """The submitted values for this form's fields only (date fields post name_0, _1, _2)."""
    names = list(form.fields)
    return {
        key: data.get(key)
        for key in data
        if any(key == name or key.startswith(f"{name}_") for name in names)
    }


def _expired(request):
    return page(request, "family/request/expired.html")


class JourneyMixin:
    """Loads the journey; with no journey (the session ended, or never began) it says so."""

    begins_journey = False

    def dispatch(self, request, *args, **kwargs):
        self.journey = Journey(request.session)
        if not self.journey.exists:
            if self.begins_journey:
                self.journey = Journey.begin(request.session)
            elif request.method == "GET" and finished(request.session):
                return redirect("request:confirmation")
            else:
                return _expired(request)
        self.change = request.GET.get("change") == "1"
        return super().dispatch(request, *args, **kwargs)


class StartView(ContactsMixin, TemplateView):
    template_name = "family/request/start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(in_progress=Journey(self.request.session).exists, **kwargs)


class BeginView(View):
    """The start button: begin a journey (or carry on with one) at its first unanswered page."""

    def get(self, request):
        journey = Journey.begin(request.session)
        step = first_incomplete(journey)
        return redirect(step_url(step) if step else reverse("request:check"))


class StepView(JourneyMixin, View):
    template_name = "family/request/question.html"

    def dispatch(self, request, *args, **kwargs):
        self.step = STEP_BY_SLUG.get(kwargs["slug"])
        if self.step is None:
            raise Http404("No such question.")
        self.begins_journey = self.step is FIRST_STEP
        return super().dispatch(request, *args, **kwargs)

    def _guard(self):
        """Pages are answered in order: a page not needed, or reached too early, redirects."""
        steps = applicable_steps(self.journey)
        if self.step not in steps:
            return redirect(reverse("request:check"))
        missing = first_incomplete(self.journey)
        if missing is not None and steps.index(missing) < steps.index(self.step):
            return redirect(step_url(missing, self.change))
        return None

    def get(self, request, slug):
        if (response := self._guard()) is not None:
            return response
        form = bound_form(self.step, self.journey) or self.step.form_class(journey=self.journey)
        return self.render(form)

    def post(self, request, slug):
        if (response := self._guard()) is not None:
            return response
        form = self.step.form_class(data=request.POST, files=request.FILES, journey=self.journey)
        if not form.is_valid():
            return self.render(form)
        self.journey.save_answers(self.step.key, _raw_answers(form, request.POST))
        return redirect(self.next_url())

    def next_url(self) -> str:
        if self.change:
            missing = first_incomplete(self.journey)
            return step_url(missing, change=True) if missing else reverse("request:check")
        steps = applicable_steps(self.journey)
        later = steps[steps.index(self.step) + 1 :]
        return step_url(later[0]) if later else reverse("request:check")

    def back_url(self) -> str:
        if self.change:
            return reverse("request:check")
        steps = applicable_steps(self.journey)
        index = steps.index(self.step) if self.step in steps else 0
        return step_url(steps[index - 1]) if index > 0 else reverse("request:start")

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "step": self.step, "back_url": self.back_url(), "change": self.change},
            status=status,
        )


class DocumentsView(StepView):
    """Upload files one at a time, see them listed, remove any, then continue."""

    template_name = "family/request/documents.html"

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, slug="documents")

    def get(self, request, **kwargs):
        if (response := self._guard()) is not None:
            return response
        return self.render(DocumentsForm(journey=self.journey))

    def post(self, request, **kwargs):
        if (response := self._guard()) is not None:
            return response
        form = DocumentsForm(data=request.POST, files=request.FILES, journey=self.journey)
        form.is_valid()
        upload = request.FILES.get("document")
        if upload is not None:
            try:
                content_type = services.document_check(upload, already=self.journey.documents)
            except ValidationError as error:
                form.add_error("document", error)
                return self.render(form)
            self.journey.add_document(
                services.document_keep(
                    journey_id=self.journey.id, upload=upload, content_type=content_type
                )
            )
        elif "continue" not in request.POST:
            form.add_error("document", "Select a file to upload")
            return self.render(form)
        if "continue" in request.POST:
            self.journey.save_answers("documents", {"seen": "1"})
            return redirect(self.next_url())
        return redirect(step_url(self.step, self.change))

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "step": self.step,
                "back_url": self.back_url(),
                "change": self.change,
                "documents": self.journey.documents,
            },
            status=status,
        )


class DocumentRemoveView(JourneyMixin, View):
    def post(self, request, document_id):
        document = self.journey.remove_document(document_id)
        if document is not None:
            services.document_discard(document)
        return redirect(step_url(STEP_BY_SLUG["documents"], self.change))


def _cleaned(journey: Journey) -> dict:
    """Every answered page's cleaned data, by step key (call only when nothing is missing)."""
    cleaned = {}
    for step in applicable_steps(journey):
        form = bound_form(step, journey)
        form.is_valid()
        cleaned[step.key] = form.cleaned_data
    return cleaned


def _contact(data: dict, relationship: str | None = None) -> ContactDetails:
    return ContactDetails(
        full_name=data["full_name"].strip(),
        relationship=relationship or data["relationship"],
        email=data.get("email", "").strip().lower(),
        phone=data.get("phone", ""),
        address=data.get("address", ""),
        preferred_contact_method=data["preferred_contact_method"],
        communication_needs=data.get("communication_needs", ""),
    )


def online_request_from(journey: Journey) -> services.OnlineRequest:
    answers = _cleaned(journey)
    requester = answers["who"]["requester_type"]
    child = answers["child"]
    contacts = [_contact(answers["contact"], "self" if requester == "young_person" else None)]
    if "second_contact" in answers:
        contacts.append(_contact(answers["second_contact"]))
    referrer = answers.get("referrer")
    views = answers["views"]
    return services.OnlineRequest(
        requester_type=requester,
        child=ChildDetails(
            first_name=child["first_name"].strip(),
            last_name=child["last_name"].strip(),
            date_of_birth=child["date_of_birth"],
        ),
        contacts=contacts,
        needs=answers["needs"]["needs"],
        support=answers["support"]["support"],
        views=views["views"],
        interests=views["interests"],
        aspirations=views["aspirations"],
        family_views=views["family_views"],
        setting_name=answers["setting"]["setting_name"].strip(),
        setting_urn=answers["setting"]["setting_urn"].strip(),
        referrer=services.Referrer(
            full_name=referrer["full_name"].strip(),
            job_title=referrer["job_title"].strip(),
            organisation=referrer["organisation"].strip(),
            email=referrer["email"].strip().lower(),
            phone=referrer["phone"],
        )
        if referrer
        else None,
        documents=journey.documents,
    )


def summary_sections(journey: Journey) -> list[tuple[str, list[str]]]:
    """How check your answers groups the pages (page keys; pages not answered are skipped)."""
    own = journey.requester_type == "young_person"
    return [
        ("Who is asking", ["who", "referrer"]),
        ("About you" if own else "The child or young person", ["child", "setting"]),
        ("Contact details", ["contact", "another", "second_contact"]),
        ("Needs, support and views", ["needs", "support", "views"]),
        ("Privacy notice and consent", ["consent"]),
    ]


class CheckAnswersView(JourneyMixin, View):
    template_name = "family/request/check_answers.html"

    def get(self, request):
        if (missing := first_incomplete(self.journey)) is not None:
            return redirect(step_url(missing))
        return self.render()

    def render(self, errors=(), status=200):
        forms = {}
        for step in applicable_steps(self.journey):
            form = bound_form(step, self.journey)
            form.is_valid()
            forms[step.key] = (step, form)
        sections = []
        for title, keys in summary_sections(self.journey):
            rows = [
                (label, value, step_url(forms[key][0], change=True))
                for key in keys
                if key in forms
                for label, value in forms[key][1].summary_rows()
            ]
            sections.append({"title": title, "rows": rows})
        return render(
            self.request,
            self.template_name,
            {
                "sections": sections,
                "documents": self.journey.documents,
                "documents_url": step_url(STEP_BY_SLUG["documents"], change=True),
                "submit_form": SubmitForm(initial={"key": self.journey.id}),
                "service_errors": errors,
                "child_url": step_url(STEP_BY_SLUG["child-or-young-person"], change=True),
            },
            status=status,
        )


class SubmitView(View):
    """POST only, rate limited: send the request, once per journey."""

    def post(self, request):
        form = SubmitForm(data=request.POST)
        if not form.is_valid():
            return redirect("request:check")
        key = form.cleaned_data["key"]
        done = services.case_for_key(key)
        if done is not None:  # a double click, a refresh, or the back button and submit again
            self._remember(request, key, done)
            return redirect("request:confirmation")
        journey = Journey(request.session)
        if not journey.exists:
            return _expired(request)
        if str(key) != journey.id:
            return redirect("request:check")
        if (missing := first_incomplete(journey)) is not None:
            return redirect(step_url(missing))
        online_request = online_request_from(journey)
        try:
            submitted = services.online_request_submit(
                key=key, request=online_request, received_at=timezone.now()
            )
        except ValidationError as error:
            view = CheckAnswersView()
            view.request, view.journey, view.change = request, journey, False
            return view.render(errors=error.messages)
        except services.NoTeam:
            return page(request, "family/request/unavailable.html", status=503)
        if not submitted.created:
            self._remember(request, key, submitted.case)
            return redirect("request:confirmation")
        sent_to = services.confirmation_emails_send(
            submitted=submitted, request=online_request, absolute=request.build_absolute_uri
        )
        remember_finished(
            request.session,
            key=str(key),
            reference=submitted.case.reference,
            decision_due=submitted.decision_due,
            email=sent_to,
        )
        return redirect("request:confirmation")

    @staticmethod
    def _remember(request, key, case):
        previous = finished(request.session) or {}
        remember_finished(
            request.session,
            key=str(key),
            reference=case.reference,
            decision_due=timescales.decision_to_assess_due(case.clock_starts_on),
            email=previous.get("email_sent_to", "") if previous.get("key") == str(key) else "",
        )


class ConfirmationView(View):
    def get(self, request):
        done = finished(request.session)
        if done is None:
            return redirect("request:start")
        return page(request, "family/request/confirmation.html", {"done": done})


# -- signing in --------------------------------------------------------------------------------


class AccountSetupView(auth_views.PasswordResetConfirmView):
    """The one-time link from the confirmation email: choose a password, then see your cases."""

    template_name = "family/account_setup.html"
    form_class = AccountSetupForm
    token_generator = services.account_setup_token
    post_reset_login = True
    post_reset_login_backend = "ehc.auth_backends.EmailOrUsernameBackend"
    success_url = reverse_lazy("family:case_list")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None:
            return None
        parent_group = Group.objects.get(name=roles.PARENT)
        return user if services.is_family_only(user, parent_group) else None


class CaseClaimView(View):
    """The link in the confirmation email to a family that already had a sign-in: a button that
    adds the new request to their account (opening the link proves they hold the address)."""

    def get(self, request, token):
        if services.case_claim_check(token) is None:
            return page(request, "family/case_claim_invalid.html", status=404)
        return page(request, "family/case_claim.html")

    def post(self, request, token):
        user = services.case_claim(token=token)
        if user is None:
            return page(request, "family/case_claim_invalid.html", status=404)
        if not user.has_usable_password():
            return redirect(services.account_setup_path(user))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("family:case_list")
        return redirect(f"{reverse('login')}?next={reverse('family:case_list')}")


class SignInLinkView(FormView):
    """Ask for a new set-up link (also the way back in after a forgotten password)."""

    template_name = "family/sign_in_link.html"
    form_class = SignInLinkForm

    def form_valid(self, form):
        services.sign_in_link_send(
            email=form.cleaned_data["email"], absolute=self.request.build_absolute_uri
        )
        return page(
            self.request, "family/sign_in_link_sent.html", {"email": form.cleaned_data["email"]}
        )


# -- the family's case pages -------------------------------------------------------------------


class FamilyRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Parents and young people (the "parent" role). Anyone else signed in gets 403."""

    permission_required = roles.VIEW_OWN_CASE


class FamilyCaseMixin(CaseAccessMixin):
    """A family page about one case: the parent role, and the case fetched through the access
    check (404 for anyone else's case) before anything else runs."""

    permission_required = roles.VIEW_OWN_CASE


class CaseListView(FamilyRequiredMixin, ContactsMixin, TemplateView):
    template_name = "family/case_list.html"
    page_size = 25

    def get_context_data(self, **kwargs):
        cases = (
            cases_visible_to(self.request.user)
            .select_related("child", "assigned_caseworker")
            .order_by("-clock_starts_on", "-id")
        )
        page = Paginator(cases, self.page_size).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class CaseDetailView(FamilyCaseMixin, ContactsMixin, TemplateView):
    template_name = "family/case_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=family_case_page(self.case, local_today()), **kwargs)


class NoticeView(FamilyCaseMixin, TemplateView):
    """A letter we sent the family, as a page or (?format=pdf) a PDF."""

    template_name = "family/notice.html"

    def get(self, request, *args, **kwargs):
        notice = family_notices(self.case).filter(pk=kwargs["notice_pk"]).first()
        if notice is None:
            raise Http404("No such letter.")
        context = notice_context(notice)
        if request.GET.get("format") == "pdf":
            return notice_pdf_response(context)
        return self.render_to_response(context)


class PlanView(FamilyCaseMixin, ContactsMixin, TemplateView):
    template_name = "family/plan.html"

    def get_context_data(self, **kwargs):
        page = family_case_page(self.case, local_today())
        if page.plan is None:
            raise Http404("No plan has been sent yet.")
        return super().get_context_data(page=page, **kwargs)


class DisagreeView(FamilyCaseMixin, TemplateView):
    template_name = "family/disagree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            routes=disagreement_routes(self.case),
            plan=visible_plan(self.case),
            mediation_adviser=settings.MEDIATION_ADVISER_CONTACT,
            drs_contact=settings.DISAGREEMENT_RESOLUTION_CONTACT,
            iass_contact=settings.IASS_CONTACT,
            send_team=settings.LA_SEND_TEAM_CONTACT,
            appealable_kinds=Notice.APPEALABLE,
            **kwargs,
        )


class DocumentDownloadView(LoginRequiredMixin, View):
    """A document sent with the request, to the family and to staff who may see the case."""

    def get(self, request, case_pk, document_pk):
        case = access_case_by_id(request.user, case_pk)
        document = case.request_documents.filter(pk=document_pk).first()
        if document is None:
            raise Http404("No such document.")
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The file is missing.") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response  # recorded as a download in the read audit (ehc.audit)
