"""What the public pages change: uploaded documents, submitting a request (exactly once), the
family's sign-in, and the emails that confirm a request.

The case itself is made by workflows.services.request_register, the one entry point for new
requests; this module adds what only an online request has, in the same transaction.
"""

import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ehc import roles, timescales
from ehc.models import (
    Case,
    CaseEvent,
    Contact,
    OnlineRequestSubmission,
    RequestDocument,
    Setting,
    Team,
    User,
)
from ehc.services import ChildDetails, ContactDetails
from ehc.services.common import save_audited
from ehc.services.retention import DOCUMENT_DIR, abandoned_documents_purge  # noqa: F401
from workflows.services import request_register

logger = logging.getLogger(__name__)

# What may be uploaded, decided from the file's content (its first bytes), never its name.
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}
SNIFF_BYTES = 8192

WRONG_TYPE = "The selected file must be a PDF, JPEG, PNG or Word document"
EMPTY_FILE = "The selected file is empty"

SUBJECT_CONFIRMATION = "We have received your request for an EHC needs assessment"
SUBJECT_FAMILY_TOLD = "A request for an EHC needs assessment has been made"
CLAIM_SALT = "family.services.case_claim"
CLAIM_MAX_AGE = timedelta(days=14)

SUBJECT_SIGN_IN_LINK = "Your link to sign in and follow a request for an EHC needs assessment"


class NoTeam(Exception):
    """No team exists to receive online requests: the deployment is not set up."""


class AccountSetupTokenGenerator(PasswordResetTokenGenerator):
    """One-time links that let a family choose a password. A token stops working once the
    password is set or the user signs in, and after PASSWORD_RESET_TIMEOUT."""

    key_salt = "family.services.AccountSetupTokenGenerator"


account_setup_token = AccountSetupTokenGenerator()


# -- documents ---------------------------------------------------------------------------------


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def document_check(upload, *, already: list[dict]) -> str:
    """The file's type (a MIME type from ALLOWED_DOCUMENT_TYPES), or ValidationError saying why
    it cannot be accepted: too big, too many, empty, or not a PDF, image or Word file."""
    max_file = settings.EHC_REQUEST_MAX_FILE_BYTES
    max_total = settings.EHC_REQUEST_MAX_TOTAL_BYTES
    if upload.size == 0:
        raise ValidationError(EMPTY_FILE)
    if upload.size > max_file:
        raise ValidationError(f"The selected file must be smaller than {_megabytes(max_file)}MB")
    if len(already) >= settings.EHC_REQUEST_MAX_FILES:
        raise ValidationError(
            f"You can upload up to {settings.EHC_REQUEST_MAX_FILES} files. Remove one to add another"
        )
    if sum(d["size"] for d in already) + upload.size > max_total:
        raise ValidationError(
            f"Your files together must be smaller than {_megabytes(max_total)}MB. Remove a file "
            "or upload a smaller one"
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(WRONG_TYPE)
    return kind.mime


def _display_name(name: str) -> str:
    """The uploaded name, shown back to people: no path, no control characters, not too long."""
    name = os.path.basename(name.replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or "document"


def document_keep(*, journey_id: str, upload, content_type: str) -> dict:
    """Store a checked upload under MEDIA_ROOT, named by us (never by the uploader)."""
    extension = ALLOWED_DOCUMENT_TYPES[content_type]
    document_id = uuid.uuid4().hex
    stored = default_storage.save(
        f"{DOCUMENT_DIR}/{uuid.UUID(journey_id)}/{document_id}.{extension}", upload
    )
    return {
        "id": document_id,
        "name": stored,
        "original_name": _display_name(upload.name),
        "content_type": content_type,
        "size": upload.size,
        "uploaded_at": timezone.now().isoformat(),
    }


def document_discard(document: dict) -> None:
    default_storage.delete(document["name"])


# -- submitting a request ----------------------------------------------------------------------


@dataclass(frozen=True)
class Referrer:
    """The person at a school or setting who asked."""

    full_name: str
    job_title: str
    organisation: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class OnlineRequest:
    """Everything the form collected, already validated page by page."""

    requester_type: str
    child: ChildDetails
    contacts: list[ContactDetails]
    needs: str
    support: str
    views: str = ""
    interests: str = ""
    aspirations: str = ""
    family_views: str = ""
    setting_name: str = ""
    setting_urn: str = ""
    referrer: Referrer | None = None
    documents: list[dict] = field(default_factory=list)

    @property
    def requester_name(self) -> str:
        if self.referrer is not None:
            return f"{self.referrer.full_name}, {self.referrer.job_title}, {self.referrer.organisation}"
        return self.contacts[0].full_name if self.contacts else ""


@dataclass(frozen=True)
class FamilyAccount:
    user: User
    needs_setup: bool  # no password yet: the email carries the one-time set-up link
    # An account that already existed: the case joins it only when the link carrying this token,
    # sent to the account's address, is opened (proof that the requester holds that email).
    claim_token: str = ""


@dataclass(frozen=True)
class Submitted:
    case: Case
    created: bool
    account: FamilyAccount | None = None

    @property
    def decision_due(self) -> date:
        return timescales.decision_to_assess_due(self.case.clock_starts_on)


def public_request_team() -> Team:
    """The team online requests go to: settings.EHC_PUBLIC_REQUEST_TEAM, else the first team."""
    name = settings.EHC_PUBLIC_REQUEST_TEAM
    if name:
        team = Team.objects.filter(name=name).first()
        if team is not None:
            return team
        logger.error("EHC_PUBLIC_REQUEST_TEAM names no team (%r); using the first team", name)
    team = Team.objects.order_by("id").first()
    if team is None:
        raise NoTeam("Create a team before taking online requests.")
    return team


def case_for_key(key: uuid.UUID) -> Case | None:
    found = OnlineRequestSubmission.objects.select_related("case").filter(key=key).first()
    return found.case if found else None


def online_request_submit(
    *, key: uuid.UUID, request: OnlineRequest, received_at: datetime
) -> Submitted:
    """Register an online request as a case and start its flow, once per key.

    A double click, a refresh or a resubmission of the same form returns the case the first
    submit made (created=False). Raises ValidationError if the service refuses the dates, and
    NoTeam if there is nobody to send the request to; either way nothing is saved.
    """
    try:
        with transaction.atomic():
            existing = case_for_key(key)
            if existing is not None:
                return Submitted(existing, created=False)
            case = request_register(
                child_details=request.child,
                contacts=list(request.contacts),
                team=public_request_team(),
                requester_type=request.requester_type,
                requester_name=request.requester_name[:200],
                request_channel=Case.Channel.ONLINE_FORM,
                received_at=received_at,
                acting_user=None,
            )
            OnlineRequestSubmission.objects.create(key=key, case=case)
            _answers_record(case, request)
            _current_setting_link(case, request.setting_urn)
            _documents_attach(case, request.documents)
            account = _family_account_link(case)
    except IntegrityError:
        existing = case_for_key(key)
        if existing is None:
            raise
        return Submitted(existing, created=False)
    return Submitted(case, created=True, account=account)


def _answers_record(case: Case, request: OnlineRequest) -> None:
    """The family's own words go on the request's event: they seed section A of a plan."""
    event = case.events.get(kind=CaseEvent.Kind.REQUEST_RECEIVED)
    event.summary = f"Online request: {Case.RequesterType(request.requester_type).label}"
    event.details = {
        "source": "online_form",
        "requester_type": request.requester_type,
        "referrer": request.referrer.__dict__ if request.referrer else None,
        "current_setting": {"name": request.setting_name, "urn": request.setting_urn},
        "needs": request.needs,
        "support_so_far": request.support,
        "section_a": {
            "views": request.views,
            "interests": request.interests,
            "aspirations": request.aspirations,
            "family_views": request.family_views,
        },
        "consent_given": True,
        "documents": len(request.documents),
    }
    save_audited(event, acting_user=None)


def _current_setting_link(case: Case, urn: str) -> None:
    """A URN we hold a setting for names the child's current setting; free text stays text."""
    if not urn:
        return
    setting = Setting.objects.filter(urn=urn).order_by("id").first()
    if setting is not None:
        case.child.current_setting = setting
        save_audited(case.child, acting_user=None)


def _documents_attach(case: Case, documents: list[dict]) -> None:
    for document in documents:
        if not default_storage.exists(document["name"]):
            logger.warning("Uploaded document %s is missing; not attached", document["id"])
            continue
        RequestDocument.objects.create(
            case=case,
            file=document["name"],
            original_name=document["original_name"],
            content_type=document["content_type"],
            size=document["size"],
            uploaded_at=datetime.fromisoformat(document["uploaded_at"]),
        )


def is_family_only(user: User, parent_group: Group) -> bool:
    groups = set(user.groups.values_list("pk", flat=True))
    return groups == {parent_group.pk} and not user.is_staff and not user.is_superuser


def _family_account_link(case: Case) -> FamilyAccount | None:
    """Give the first contact with an email a way to follow the case.

    No account with that address: a new one in the "parent" group, linked to the contact, with
    no password; only the one-time set-up link sent to the address opens it. An account that
    already exists is never linked on the strength of a typed address: the email carries a
    claim link (case_claim), and until it is opened the case is visible only to staff. A staff
    account with the same email address is never linked to a family's case.
    """
    contact = case.child.contacts.exclude(email="").order_by("id").first()
    if contact is None:
        return None
    email = contact.email.strip().lower()
    parent_group = Group.objects.get(name=roles.PARENT)
    user_model = get_user_model()
    user = (
        user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("id")
        .first()
    )
    if user is None:
        first, _, last = contact.full_name.strip().partition(" ")
        try:
            with transaction.atomic():
                user = user_model(
                    username=email, email=email, first_name=first[:150], last_name=last[:150]
                )
                user.set_unusable_password()
                user.save()
        except IntegrityError:  # the same person sent two requests at the same moment
            user = user_model.objects.get(username=email)
            if contact.user_id is None:
                return _claimable(contact, user, parent_group)
        user.groups.add(parent_group)
        contact.user = user
        save_audited(contact, acting_user=None)
        return FamilyAccount(user=user, needs_setup=True)
    return _claimable(contact, user, parent_group)


def _claimable(contact: Contact, user: User, parent_group: Group) -> FamilyAccount | None:
    if not is_family_only(user, parent_group):
        logger.warning("Not linking case of contact %s to a staff account", contact.pk)
        return None
    token = signing.dumps({"contact": contact.pk, "user": user.pk}, salt=CLAIM_SALT)
    return FamilyAccount(user=user, needs_setup=not user.has_usable_password(), claim_token=token)


def case_claim_check(token: str) -> tuple[Contact, User] | None:
    """The contact and account a claim link names, if the link is genuine, not expired, and
    still fits (the contact not linked to anyone else, the account still a family's)."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
        contact_pk, user_pk = int(data["contact"]), int(data["user"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    contact = Contact.objects.filter(pk=contact_pk).first()
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if contact is None or user is None or contact.user_id not in (None, user.pk):
        return None
    if contact.email.strip().lower() != user.email.strip().lower():
        return None
    if not is_family_only(user, Group.objects.get(name=roles.PARENT)):
        return None
    return contact, user


def case_claim(*, token: str) -> User | None:
    """Add the case to the account the link was sent to. Opening it proves the requester holds
    that email address. Returns the account, or None if the link does not check out."""
    checked = case_claim_check(token)
    if checked is None:
        return None
    contact, user = checked
    if contact.user_id is None:
        contact.user = user
        save_audited(contact, acting_user=user)
        logger.info("Contact %s joined account %s through the emailed link", contact.pk, user.pk)
    return user


# -- emails ------------------------------------------------------------------------------------


def account_setup_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("family:account_setup", args=[uid, account_setup_token.make_token(user)])


def _send(subject: str, template: str, context: dict, to: str) -> bool:
    body = render_to_string(template, {**context, "la_name": settings.LOCAL_AUTHORITY_NAME})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # the request is made whatever happens to the email: never lose it
        logger.exception("Could not send %r", subject)
        return False
    return True


def confirmation_emails_send(
    *, submitted: Submitted, request: OnlineRequest, absolute: Callable[[str], str]
) -> str:
    """Confirm a new request by email. ``absolute`` turns a path into a full link.

    No personal data in any subject line; the bodies carry the reference, the date the council
    must decide whether to assess, what happens next and, for the family, a sign-in link.
    Returns the address the confirmation went to ("" if none).
    """
    case, account = submitted.case, submitted.account
    context = {
        "reference": case.reference,
        "decision_due": submitted.decision_due,
        "send_team": settings.LA_SEND_TEAM_CONTACT,
        "iass": settings.IASS_CONTACT,
        "sign_in_url": absolute(reverse("login")),
        "cases_url": absolute(reverse("family:case_list")),
        "setup_url": absolute(account_setup_path(account.user))
        if account and account.needs_setup and not account.claim_token
        else "",
        "claim_url": absolute(reverse("family:case_claim", args=[account.claim_token]))
        if account and account.claim_token
        else "",
        "has_account": account is not None,
    }
    family_email = account.user.email if account else ""
    if request.referrer is not None:
        sent_to = ""
        if _send(
            SUBJECT_CONFIRMATION,
            "family/email/referrer_confirmation.txt",
            context,
            request.referrer.email,
        ):
            sent_to = request.referrer.email
        if family_email:
            _send(SUBJECT_FAMILY_TOLD, "family/email/family_told.txt", context, family_email)
        return sent_to
    to = family_email or next((c.email for c in request.contacts if c.email), "")
    if to and _send(SUBJECT_CONFIRMATION, "family/email/confirmation.txt", context, to):
        return to
    return ""


def sign_in_link_send(*, email: str, absolute: Callable[[str], str]) -> None:
    """Send a fresh set-up link to a family account with this email, if there is one. Says
    nothing either way, so the page cannot be used to find out who has an account."""
    parent_group = Group.objects.get(name=roles.PARENT)
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .order_by("id")
        .first()
    )
    if user is None or not is_family_only(user, parent_group):
        return
    context = {
        "setup_url": absolute(account_setup_path(user)),
        "sign_in_url": absolute(reverse("login")),
        "send_team": settings.LA_SEND_TEAM_CONTACT,
    }
    _send(SUBJECT_SIGN_IN_LINK, "family/email/sign_in_link.txt", context, user.email)
