"""The only writers of organisations, members, invitations, advice requests and school
requests. Each service is keyword-only, checks first, runs in one transaction and records the
acting user; a refusal raises ValidationError with a message from a constant here and changes
nothing.

Advice arriving from an organisation is recorded on the case by the same service a caseworker
uses (ehc.services.assessment.advice_receipt_record), so the A5 clock, the case page and the
flow see it exactly as if it had come by email.
"""

from __future__ import annotations

import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ehc import roles, timescales
from ehc.models import Case, Contact, Setting, User
from ehc.services import ChildDetails, ContactDetails, deadline_track
from ehc.services.assessment import ADVISERS, advice_receipt_record, advice_request_record
from ehc.services.common import local_today, save_audited
from professionals.models import (
    AdviceDocument,
    AdviceMessage,
    AdviceRequest,
    Invitation,
    Membership,
    Organisation,
    SchoolRequest,
)

SOURCE = "professionals"
MB = 1024 * 1024

# -- messages ----------------------------------------------------------------------------------
SETTING_NEEDED = "Choose the school or setting from the register."
SETTING_ONLY_FOR_SCHOOLS = "Only a school or setting is linked to the settings register."
SETTING_TAKEN = "That school or setting already has an organisation account."
ALREADY_SUSPENDED = "That is suspended already."
NOT_SUSPENDED = "That is not suspended."
NOT_AN_ADMIN = "Only the organisation's administrator can do that."
LAST_ADMIN = "You cannot remove the organisation's only administrator. Make someone else an administrator first."
ALREADY_MEMBER = "That person is already a member of this organisation."
INVITATION_INVALID = (
    "This invitation link is not valid. Ask your organisation's administrator for a new one."
)
INVITATION_EXPIRED = (
    "This invitation link has expired. Ask your organisation's administrator for a new one."
)
INVITATION_USED = (
    "This invitation link has already been used. Sign in instead, or ask for a new invitation."
)
INVITATION_WITHDRAWN = (
    "This invitation was withdrawn. Ask your organisation's administrator for a new one."
)
USERNAME_TAKEN = "An account with this email address already exists. Sign in with it first, then open the link again."
NOT_A_MEMBER = "That person is not an active member of your organisation."
NOT_OPEN = "This request is no longer open: the advice was sent or the request was closed."
ALREADY_ACCEPTED = "This request has been accepted already."
ALREADY_SUBMITTED = "This advice was sent on {when}. It cannot be sent again; ask the caseworker if something needs adding."
CASE_CLOSED = "The case was closed on {when}, so the advice cannot be sent. Your draft and documents are kept."
ADVICE_EMPTY = "Write the advice or upload a document before sending it."
ACCEPT_FIRST = "Accept the request before sending advice."
UNKNOWN_ADVISER = "Choose which advice you are asking for."
WRONG_ORGANISATION_KIND = "{org} is not an organisation that gives this advice."
ORGANISATION_SUSPENDED = "{org} is suspended and cannot receive requests."
NO_DETAILS = "Choose at least the child's name and date of birth."
EMPTY_FILE = "The selected file is empty."
WRONG_TYPE = "The selected file must be a PDF, JPEG, PNG or Word document."
QUESTION_EMPTY = "Write your question."
NOT_A_SENCO = "Only the school's SENCO can request an assessment for it."
NOT_A_SCHOOL = "Only a school or setting can request an assessment as a school."
NO_TEAM = "The council is not set up to take requests yet. Contact its SEND team."
VIEWS_EMPTY = "Write your views, or say you have nothing to add."
VIEWS_LINK_INVALID = "This link is not valid. Contact the council's SEND team."
VIEWS_ALREADY = "Your views were sent on {when}. Thank you; contact the SEND team to add to them."

INVITATION_SALT = "professionals.invitation"
VIEWS_SALT = "professionals.parent_views"
INVITATION_DAYS = 7

# Which kinds of organisation give which advice (ehc.services.assessment.ADVISERS).
ADVISER_KINDS: dict[str, tuple[str, ...]] = {
    "educational": (Organisation.Kind.SCHOOL,),
    "medical": (Organisation.Kind.HEALTH, Organisation.Kind.PRIVATE),
    "psychological": (Organisation.Kind.EP_SERVICE, Organisation.Kind.PRIVATE),
    "social_care": (Organisation.Kind.SOCIAL_CARE,),
    "adulthood": tuple(Organisation.Kind.values),
    "other": tuple(Organisation.Kind.values),
}

# The child details a request may share, and what each shows. Nothing else reaches the inbox.
CHILD_DETAILS: dict[str, str] = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "current_setting": "Current school or setting",
    "contact": "Parent or carer to contact for an appointment",
    "needs": "What the request said the child finds hard",
}
REQUIRED_DETAILS = ("name", "date_of_birth")

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}


def max_file_bytes() -> int:
    return int(getattr(settings, "EHC_ADVICE_MAX_FILE_MB", 25)) * MB


def file_too_big_message() -> str:
    return f"The selected file must be smaller than {max_file_bytes() // MB}MB."


# -- organisations -----------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, setting: Setting | None, email: str, acting_user: User
) -> Organisation:
    if kind == Organisation.Kind.SCHOOL and setting is None:
        raise ValidationError({"setting": SETTING_NEEDED})
    if kind != Organisation.Kind.SCHOOL and setting is not None:
        raise ValidationError({"setting": SETTING_ONLY_FOR_SCHOOLS})
    if setting is not None and Organisation.objects.filter(setting=setting).exists():
        raise ValidationError({"setting": SETTING_TAKEN})
    organisation = Organisation(
        name=(name.strip() or (setting.name if setting else "")),
        kind=kind,
        setting=setting,
        email=email.strip().lower(),
    )
    save_audited(organisation, acting_user=acting_user)
    return organisation


@transaction.atomic
def organisation_suspend(*, organisation: Organisation, reason: str, acting_user: User) -> None:
    """The council stops an organisation at once: every member's next request is refused."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_suspended:
        raise ValidationError(ALREADY_SUSPENDED)
    organisation.suspended_at = timezone.now()
    organisation.suspended_reason = reason.strip()[:300]
    save_audited(organisation, acting_user=acting_user)


@transaction.atomic
def organisation_reinstate(*, organisation: Organisation, acting_user: User) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_suspended:
        raise ValidationError(NOT_SUSPENDED)
    organisation.suspended_at = None
    organisation.suspended_reason = ""
    save_audited(organisation, acting_user=acting_user)


@transaction.atomic
def membership_suspend(*, membership: Membership, acting_user: User) -> None:
    """The council stops one member at once (their next request is refused)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.suspended_at is not None:
        raise ValidationError(ALREADY_SUSPENDED)
    membership.suspended_at = timezone.now()
    save_audited(membership, acting_user=acting_user)


@transaction.atomic
def membership_reinstate(*, membership: Membership, acting_user: User) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.suspended_at is None:
        raise ValidationError(NOT_SUSPENDED)
    membership.suspended_at = None
    save_audited(membership, acting_user=acting_user)


def _is_admin(user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        organisation=organisation,
        user=user,
        is_admin=True,
        removed_at=None,
        suspended_at=None,
        organisation__suspended_at=None,
    ).exists()


def _may_manage(user: User, organisation: Organisation) -> bool:
    return user.has_perm(roles.REASSIGN_CASE) or _is_admin(user, organisation)


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: User) -> None:
    """The organisation's administrator (or the council) removes a member. Their past work stays
    with the organisation; their access ends at their next request."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not _may_manage(acting_user, membership.organisation):
        raise ValidationError(NOT_AN_ADMIN)
    if membership.removed_at is not None:
        return
    if membership.is_admin:
        others = Membership.objects.filter(
            organisation=membership.organisation, is_admin=True, removed_at=None
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(LAST_ADMIN)
    membership.removed_at = timezone.now()
    save_audited(membership, acting_user=acting_user)
    AdviceRequest.objects.filter(
        assigned_to=membership.user,
        status__in=AdviceRequest.OPEN_STATUSES,
        organisation=membership.organisation,
    ).update(assigned_to=None)


# -- invitations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    url: str


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    is_admin: bool,
    is_senco: bool,
    acting_user: User,
    now: datetime | None = None,
) -> InvitationSent:
    """Invite someone to join; the emailed link is signed, lasts INVITATION_DAYS and works once."""
    if not _may_manage(acting_user, organisation):
        raise ValidationError(NOT_AN_ADMIN)
    email = email.strip().lower()
    if Membership.objects.filter(
        organisation=organisation, user__username__iexact=email, removed_at=None
    ).exists():
        raise ValidationError({"email": ALREADY_MEMBER})
    now = now or timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        is_admin=is_admin,
        is_senco=is_senco and organisation.kind == Organisation.Kind.SCHOOL,
        nonce=secrets.token_urlsafe(32),
        invited_by=acting_user,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "professionals_public:invitation", args=[invitation_token(invitation)]
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="You have been invited to an organisation account",
            message=(
                f"{acting_user.get_full_name() or 'An administrator'} has invited you to join "
                f"{organisation.name} on the council's EHC assessment service, where your "
                "organisation receives and answers requests for advice.\n\n"
                f"Open this link within {INVITATION_DAYS} days to set up your sign-in (it works "
                f"once): {url}\n\n{settings.LOCAL_AUTHORITY_NAME}\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return InvitationSent(invitation=invitation, url=url)


def invitation_for_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a link names, or ValidationError saying why the link cannot be used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
        invitation = Invitation.objects.select_related("organisation").get(
            pk=data["i"], nonce=data["n"]
        )
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError(INVITATION_INVALID) from exc
    now = now or timezone.now()
    if invitation.used_at is not None:
        raise ValidationError(INVITATION_USED)
    if invitation.withdrawn_at is not None:
        raise ValidationError(INVITATION_WITHDRAWN)
    if invitation.expires_at <= now:
        raise ValidationError(INVITATION_EXPIRED)
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, signed_in_user: User | None, now: datetime | None = None
) -> Membership:
    """Join the organisation: a new account (username = the invited address, with the chosen
    password; the second factor is set up at first sign-in), or the signed-in account."""
    invitation = invitation_for_token(token, now=now)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:  # another tab got there first
        raise ValidationError(INVITATION_USED)
    user_model = get_user_model()
    if signed_in_user is not None and signed_in_user.is_authenticated:
        user = signed_in_user
    else:
        if user_model.objects.filter(username__iexact=invitation.email).exists():
            raise ValidationError(USERNAME_TAKEN)
        first, _, last = invitation.full_name.partition(" ")
        user = user_model(
            username=invitation.email, email=invitation.email, first_name=first, last_name=last
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=roles.PROFESSIONAL))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"is_admin": invitation.is_admin, "is_senco": invitation.is_senco},
    )
    if not created:
        if membership.removed_at is None:
            raise ValidationError(ALREADY_MEMBER)
        membership.removed_at = None
        membership.is_admin, membership.is_senco = invitation.is_admin, invitation.is_senco
    save_audited(membership, acting_user=user)
    invitation.used_at = now or timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    return membership


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, acting_user: User) -> None:
    if not _may_manage(acting_user, invitation.organisation):
        raise ValidationError(NOT_AN_ADMIN)
    if invitation.used_at is None and invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])


# -- advice requests ---------------------------------------------------------------------------


def _child_details(case: Case, chosen: list[str]) -> dict[str, str]:
    """Copy only the chosen details: the inbox never reads the case record itself."""
    child = case.child
    out: dict[str, str] = {}
    if "name" in chosen:
        out["name"] = child.full_name
    if "date_of_birth" in chosen:
        out["date_of_birth"] = child.date_of_birth.isoformat()
    if "current_setting" in chosen:
        setting = getattr(child, "current_setting", None)
        out["current_setting"] = setting.name if setting else "Not known"
    if "contact" in chosen:
        contact = child.contacts.order_by("id").first()
        if contact is not None:
            out["contact"] = ", ".join(
                p for p in (contact.full_name, contact.phone, contact.email) if p
            )
    if "needs" in chosen:
        event = case.events.filter(kind="request_received").first()
        needs = (event.details or {}).get("needs", "") if event else ""
        out["needs"] = str(needs or "Not given")
    return out


def _clocks(advice: AdviceRequest, *, today=None) -> None:
    advice.accept_deadline = deadline_track(
        case=advice.case,
        source=SOURCE,
        kind="PA1",
        subject_key=f"advice_request:{advice.pk}",
        starts_on=advice.sent_on,
        due_on=advice.accept_by,
        met_on=advice.accepted_at.date()
        if advice.accepted_at
        else (advice.submitted_on if advice.submitted_on else None),
        needed=advice.status != AdviceRequest.Status.CLOSED,
        guidance=True,
        today=today,
    )
    advice.due_deadline = deadline_track(
        case=advice.case,
        source=SOURCE,
        kind="PA2",
        subject_key=f"advice_request:{advice.pk}",
        starts_on=advice.sent_on,
        due_on=advice.due_on,
        met_on=advice.submitted_on,
        needed=advice.status != AdviceRequest.Status.CLOSED,
        today=today,
    )
    advice.save(update_fields=["accept_deadline", "due_deadline"])


@transaction.atomic
def advice_request_send(
    *,
    case: Case,
    adviser: str,
    organisation: Organisation,
    questions: str,
    why: str,
    details: list[str],
    acting_user: User,
    sent_on=None,
) -> AdviceRequest:
    """A caseworker asks an organisation for advice through its inbox. Records "advice asked
    for" on the case (the A5 clock starts) with the caseworker's own service, and the request's
    two clocks: taken up within a week (PA1) and the advice in by the A5 date (PA2)."""
    if adviser not in ADVISERS or adviser == "parent":
        raise ValidationError({"adviser": UNKNOWN_ADVISER})
    if organisation.kind not in ADVISER_KINDS[adviser]:
        raise ValidationError({"organisation": WRONG_ORGANISATION_KIND.format(org=organisation)})
    if organisation.is_suspended:
        raise ValidationError({"organisation": ORGANISATION_SUSPENDED.format(org=organisation)})
    if not set(REQUIRED_DETAILS) <= set(details):
        raise ValidationError({"details": NO_DETAILS})
    sent_on = sent_on or local_today()
    advice_request_record(
        case=case,
        adviser=adviser,
        asked_on=sent_on,
        adviser_name=f"{organisation.name} (online request)",
        acting_user=acting_user,
    )
    advice = AdviceRequest(
        case=case,
        organisation=organisation,
        adviser=adviser,
        questions=questions.strip(),
        why=why.strip(),
        child_details=_child_details(case, [d for d in details if d in CHILD_DETAILS]),
        sent_on=sent_on,
        due_on=timescales.advice_request_due(sent_on),
        accept_by=timescales.advice_request_accept_due(sent_on),
        sent_by=acting_user,
    )
    save_audited(advice, acting_user=acting_user)
    _clocks(advice)
    return advice


def _member(user: User, advice: AdviceRequest) -> Membership:
    membership = Membership.objects.filter(
        organisation_id=advice.organisation_id,
        user=user,
        removed_at=None,
        suspended_at=None,
        organisation__suspended_at=None,
    ).first()
    if membership is None:
        raise ValidationError(NOT_A_MEMBER)
    return membership


def _locked(advice: AdviceRequest) -> AdviceRequest:
    return AdviceRequest.objects.select_for_update().select_related("case").get(pk=advice.pk)


def _check_submitted(advice: AdviceRequest) -> None:
    if advice.status == AdviceRequest.Status.SUBMITTED:
        when = timezone.localtime(advice.submitted_at).strftime("%-d %B %Y at %H:%M")
        raise ValidationError(ALREADY_SUBMITTED.format(when=when))
    if not advice.is_open:
        raise ValidationError(NOT_OPEN)


@transaction.atomic
def advice_request_accept(*, advice: AdviceRequest, acting_user: User) -> AdviceRequest:
    advice = _locked(advice)
    _member(acting_user, advice)
    _check_submitted(advice)
    if advice.status == AdviceRequest.Status.ACCEPTED:
        raise ValidationError(ALREADY_ACCEPTED)
    advice.status = AdviceRequest.Status.ACCEPTED
    advice.accepted_at = timezone.now()
    advice.accepted_by = acting_user
    if advice.assigned_to_id is None:
        advice.assigned_to = acting_user
    save_audited(advice, acting_user=acting_user)
    _clocks(advice)
    return advice


@transaction.atomic
def advice_request_assign(
    *, advice: AdviceRequest, assignee: User, acting_user: User
) -> AdviceRequest:
    advice = _locked(advice)
    _member(acting_user, advice)
    _check_submitted(advice)
    try:
        _member(assignee, advice)
    except ValidationError as error:
        raise ValidationError({"assignee": NOT_A_MEMBER}) from error
    advice.assigned_to = assignee
    save_audited(advice, acting_user=acting_user)
    return advice


@transaction.atomic
def advice_question_ask(*, advice: AdviceRequest, text: str, acting_user: User) -> AdviceMessage:
    """A member asks the caseworker a question about the request (shown on the case page)."""
    advice = _locked(advice)
    _member(acting_user, advice)
    if not advice.is_open:
        raise ValidationError(NOT_OPEN)
    if not text.strip():
        raise ValidationError({"text": QUESTION_EMPTY})
    return AdviceMessage.objects.create(request=advice, author=acting_user, text=text.strip())


@transaction.atomic
def advice_question_answer(*, advice: AdviceRequest, text: str, acting_user: User) -> AdviceMessage:
    """The council answers, from the case page."""
    if not text.strip():
        raise ValidationError({"text": QUESTION_EMPTY})
    return AdviceMessage.objects.create(
        request=advice, author=acting_user, text=text.strip(), from_council=True
    )


def _display_name(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or "document"


def document_check(upload) -> str:
    """The file's type from its content, or ValidationError: empty, too big, or not a PDF,
    image or Word document."""
    if upload.size == 0:
        raise ValidationError({"document": EMPTY_FILE})
    if upload.size > max_file_bytes():
        raise ValidationError({"document": file_too_big_message()})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError({"document": WRONG_TYPE})
    return kind.mime


@transaction.atomic
def advice_document_upload(*, advice: AdviceRequest, upload, acting_user: User) -> AdviceDocument:
    """Keep a checked file with the request, stored through the storage API under our name."""
    advice = _locked(advice)
    _member(acting_user, advice)
    _check_submitted(advice)
    content_type = document_check(upload)
    stored_name = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[content_type]}"
    document = AdviceDocument(
        request=advice,
        stored_name=stored_name,
        original_name=_display_name(upload.name),
        content_type=content_type,
        size=upload.size,
        uploaded_by=acting_user,
    )
    document.file.save(stored_name, upload, save=False)
    try:
        document.save()
    except Exception:
        if document.file.name:
            default_storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def advice_draft_save(
    *,
    advice: AdviceRequest,
    needs: str,
    outcomes: str,
    provision: str,
    other_comments: str,
    acting_user: User,
) -> AdviceRequest:
    advice = _locked(advice)
    _member(acting_user, advice)
    _check_submitted(advice)
    advice.needs, advice.outcomes = needs.strip(), outcomes.strip()
    advice.provision, advice.other_comments = provision.strip(), other_comments.strip()
    save_audited(advice, acting_user=acting_user)
    return advice


@transaction.atomic
def advice_submit(*, advice: AdviceRequest, acting_user: User, today=None) -> AdviceRequest:
    """Send the advice: the request is done and "advice received" is recorded on the case by
    the caseworker's own service, saying who sent it. (professionals.flows.advice_send also
    completes the adviser's task on the case; pages call that.)"""
    advice = _locked(advice)
    _member(acting_user, advice)
    case = Case.objects.select_for_update().get(pk=advice.case_id)
    if advice.status != AdviceRequest.Status.SUBMITTED and not case.is_open:
        when = case.closed_on.strftime("%-d %B %Y") if case.closed_on else "an earlier date"
        raise ValidationError(CASE_CLOSED.format(when=when))
    _check_submitted(advice)
    if advice.status != AdviceRequest.Status.ACCEPTED:
        raise ValidationError(ACCEPT_FIRST)
    if not (advice.needs or advice.provision or advice.outcomes or advice.documents.exists()):
        raise ValidationError(ADVICE_EMPTY)
    today = today or local_today()
    sender = acting_user.get_full_name() or acting_user.get_username()
    advice.status = AdviceRequest.Status.SUBMITTED
    advice.submitted_at = timezone.now()
    advice.submitted_on = today
    advice.submitted_by = acting_user
    save_audited(advice, acting_user=acting_user)
    documents = advice.documents.count()
    advice_receipt_record(
        case=case,
        adviser=advice.adviser,
        received_on=today,
        summary=(
            f"Sent online by {sender} for {advice.organisation.name}"
            + (f", with {documents} document{'s' if documents != 1 else ''}" if documents else "")
            + "."
        ),
        acting_user=acting_user,
    )
    _clocks(advice, today=today)
    return advice


@transaction.atomic
def advice_requests_close_for_case(*, case: Case) -> int:
    """The case closed (withdrawn, moved away): its open requests close, their clocks stop.
    What organisations already sent stays theirs to see."""
    closed = 0
    for advice in AdviceRequest.objects.select_for_update().filter(
        case=case, status__in=AdviceRequest.OPEN_STATUSES
    ):
        advice.status = AdviceRequest.Status.CLOSED
        advice.closed_at = timezone.now()
        save_audited(advice, acting_user=None)
        _clocks(advice)
        closed += 1
    return closed


# -- schools requesting assessments (s.36) -----------------------------------------------------


@dataclass(frozen=True)
class PupilDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    parent_name: str
    parent_email: str
    reasons: str
    support_so_far: str


def views_token(school_request: SchoolRequest) -> str:
    return signing.dumps({"s": school_request.pk, "n": school_request.views_nonce}, salt=VIEWS_SALT)


@transaction.atomic
def school_request_submit(
    *, organisation: Organisation, pupil: PupilDetails, acting_user: User
) -> SchoolRequest:
    """A school's SENCO requests an EHC needs assessment (s.36(1)): the case is registered
    through the one entry point for new requests, then the parent is told and asked for their
    views by a link of their own."""
    from family.services import NoTeam, public_request_team
    from workflows.services import request_register

    if organisation.kind != Organisation.Kind.SCHOOL:
        raise ValidationError(NOT_A_SCHOOL)
    if not Membership.objects.filter(
        organisation=organisation,
        user=acting_user,
        is_senco=True,
        removed_at=None,
        suspended_at=None,
        organisation__suspended_at=None,
    ).exists():
        raise ValidationError(NOT_A_SENCO)
    try:
        team = public_request_team()
    except NoTeam as exc:
        raise ValidationError(NO_TEAM) from exc
    case = request_register(
        child_details=ChildDetails(
            first_name=pupil.first_name.strip(),
            last_name=pupil.last_name.strip(),
            date_of_birth=pupil.date_of_birth,
        ),
        contacts=[
            ContactDetails(
                full_name=pupil.parent_name.strip(),
                relationship=Contact.Relationship.PARENT,
                email=pupil.parent_email.strip().lower(),
            )
        ],
        team=team,
        requester_type=Case.RequesterType.SCHOOL,
        requester_name=organisation.name[:200],
        request_channel=Case.Channel.ONLINE_FORM,
        received_at=timezone.now(),
        requested_setting=None,
        acting_user=acting_user,
    )
    if organisation.setting_id:
        case.child.current_setting = organisation.setting
        save_audited(case.child, acting_user=acting_user)
    event = case.events.get(kind="request_received")
    event.summary = f"Request from a school: {organisation.name}"
    event.details = {
        **(event.details or {}),
        "source": "school",
        "needs": pupil.reasons.strip(),
        "support_so_far": pupil.support_so_far.strip(),
    }
    save_audited(event, acting_user=acting_user)
    school_request = SchoolRequest.objects.create(
        case=case,
        organisation=organisation,
        submitted_by=acting_user,
        reasons=pupil.reasons.strip(),
        support_so_far=pupil.support_so_far.strip(),
        parent_name=pupil.parent_name.strip(),
        parent_email=pupil.parent_email.strip().lower(),
        views_nonce=secrets.token_urlsafe(32),
        parent_informed=True,
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "professionals_public:parent_views", args=[views_token(school_request)]
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="A school has asked the council for an EHC needs assessment",
            message=(
                f"Dear {school_request.parent_name},\n\n{organisation.name} has asked the council "
                "for an education, health and care (EHC) needs assessment for your child "
                f"(reference {case.reference}). The council will decide within 6 weeks whether "
                "to carry one out, and will write to you.\n\n"
                "Your views matter: tell us what you think, and anything the council should "
                f"know, here: {url}\n\n"
                "If you did not know about this request, contact the SEND team.\n\n"
                f"{settings.LOCAL_AUTHORITY_NAME}\n"
            ),
            from_email=None,
            recipient_list=[school_request.parent_email],
        )
    )
    return school_request


def school_request_for_token(token: str) -> SchoolRequest:
    try:
        data = signing.loads(token, salt=VIEWS_SALT)
        return SchoolRequest.objects.select_related("case", "organisation").get(
            pk=data["s"], views_nonce=data["n"]
        )
    except (signing.BadSignature, SchoolRequest.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError(VIEWS_LINK_INVALID) from exc


@transaction.atomic
def parent_views_record(*, token: str, views: str) -> SchoolRequest:
    """The parent's views on the school's request, once, kept with the request (and on the
    case's timeline as a note)."""
    from ehc.services.events import case_event_record

    school_request = school_request_for_token(token)
    school_request = SchoolRequest.objects.select_for_update().get(pk=school_request.pk)
    if school_request.parent_views_at is not None:
        when = timezone.localtime(school_request.parent_views_at).strftime("%-d %B %Y")
        raise ValidationError(VIEWS_ALREADY.format(when=when))
    if not views.strip():
        raise ValidationError({"views": VIEWS_EMPTY})
    school_request.parent_views = views.strip()
    school_request.parent_views_at = timezone.now()
    save_audited(school_request, acting_user=None)
    case_event_record(
        case=school_request.case,
        kind="note",
        occurred_on=local_today(),
        subject_key="parent_views",
        summary=f"The parent's views on the school's request: {views.strip()}",
        acting_user=None,
    )
    return school_request


# -- contributions to annual reviews (R5) ------------------------------------------------------

REVIEW_CLOSED = "This review is finished; contributions can no longer be sent."
ALREADY_ASKED = "{org} has already been asked to contribute to this review."
CONTRIBUTION_SENT = "This contribution was sent on {when}. It cannot be sent again."
CONTRIBUTION_EMPTY = "Write about the child's progress before sending the contribution."


@transaction.atomic
def review_contribution_request(
    *, review, organisation: Organisation, questions: str, acting_user: User
):
    """Ask an organisation (usually the school) for its contribution to an annual review,
    due 2 weeks before the meeting (R5; before a date is set, 2 weeks before the review's
    last possible day)."""
    from professionals.models import ReviewContribution

    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if organisation.is_suspended:
        raise ValidationError({"organisation": ORGANISATION_SUSPENDED.format(org=organisation)})
    if ReviewContribution.objects.filter(review=review, organisation=organisation).exists():
        raise ValidationError({"organisation": ALREADY_ASKED.format(org=organisation)})
    meeting = review.meeting_on or review.due_on
    contribution = ReviewContribution(
        review=review,
        organisation=organisation,
        questions=questions.strip(),
        asked_on=local_today(),
        due_on=timescales.review_advice_latest(meeting),
        asked_by=acting_user,
    )
    save_audited(contribution, acting_user=acting_user)
    return contribution


@transaction.atomic
def review_contribution_submit(*, contribution, progress: str, views: str, acting_user: User):
    from professionals.models import ReviewContribution

    contribution = (
        ReviewContribution.objects.select_for_update()
        .select_related("review")
        .get(pk=contribution.pk)
    )
    if not Membership.objects.filter(
        organisation_id=contribution.organisation_id,
        user=acting_user,
        removed_at=None,
        suspended_at=None,
        organisation__suspended_at=None,
    ).exists():
        raise ValidationError(NOT_A_MEMBER)
    if contribution.status == ReviewContribution.Status.SUBMITTED:
        when = timezone.localtime(contribution.submitted_at).strftime("%-d %B %Y")
        raise ValidationError(CONTRIBUTION_SENT.format(when=when))
    if not contribution.review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if not progress.strip():
        raise ValidationError({"progress": CONTRIBUTION_EMPTY})
    contribution.progress, contribution.views = progress.strip(), views.strip()
    contribution.status = ReviewContribution.Status.SUBMITTED
    contribution.submitted_at = timezone.now()
    contribution.submitted_by = acting_user
    save_audited(contribution, acting_user=acting_user)
    return contribution
