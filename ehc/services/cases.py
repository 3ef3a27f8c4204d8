"""Creating cases from requests, and the date checks every request must pass."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ehc import timescales
from ehc.models import Case, CaseEvent, Child, Contact, Setting, Team, User
from ehc.services.common import local_today, save_audited
from ehc.services.deadlines import case_deadlines_recompute

RECEIVED_IN_FUTURE = "The request cannot have been received in the future."
RECEIVED_BEFORE_BIRTH = "The request cannot have been received before the child was born."
TOO_OLD = (
    "The young person was 25 or over on the day the request was received; EHC needs "
    "assessments are for children and young people under 25."
)
NO_START = "Give the date and time the request was received, or the date it came to our attention."
BOTH_STARTS = "Give either a received date and time or a brought-to-attention date, not both."
NAIVE_DATETIME = "The received time must include a time zone."
ATTENTION_ONLY_FOR_OTHER = (
    "A brought-to-attention date is only for cases where no formal request was made."
)
MAX_AGE_YEARS = 25


@dataclass(frozen=True)
class ChildDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    upn: str = ""
    nhs_number: str = ""
    home_local_authority: str = ""


@dataclass(frozen=True)
class ContactDetails:
    full_name: str
    relationship: str
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_contact_method: str = Contact.ContactMethod.EMAIL
    communication_needs: str = ""


def deemed_receipt_date(received_at: datetime) -> date:
    """The day the clock counts from (spec §1.1): the local calendar day, or by local option the
    next working day for requests arriving after 5pm or on a non-working day."""
    local = timezone.localtime(received_at)
    day = local.date()
    if not settings.DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY:
        return day
    if local.hour >= 17 or not timescales.is_working_day(day):
        return timescales.working_days_after(day, 1)
    return day


def validate_request_dates(
    *, date_of_birth: date, received_at: datetime | None, brought_to_attention_on: date | None
) -> date:
    """Check the dates of a request and return the day its clock starts. Raises ValidationError."""
    if received_at is None and brought_to_attention_on is None:
        raise ValidationError(NO_START, code="no_start")
    if received_at is not None and brought_to_attention_on is not None:
        raise ValidationError(BOTH_STARTS, code="both_starts")
    if received_at is not None and timezone.is_naive(received_at):
        raise ValidationError(NAIVE_DATETIME, code="naive")
    if received_at is not None:
        arrived = timezone.localtime(received_at).date()
    elif brought_to_attention_on is not None:
        arrived = brought_to_attention_on
    else:  # refused above; this tells the type checker
        raise ValidationError(NO_START, code="no_start")
    errors = {}
    if arrived > local_today() or (received_at is not None and received_at > timezone.now()):
        errors["received_at"] = RECEIVED_IN_FUTURE
    elif arrived < date_of_birth:
        errors["received_at"] = RECEIVED_BEFORE_BIRTH
    elif arrived >= date_of_birth + relativedelta(years=MAX_AGE_YEARS):
        errors["date_of_birth"] = TOO_OLD
    if errors:
        raise ValidationError(errors)
    return deemed_receipt_date(received_at) if received_at else arrived


def child_find_matches(*, first_name: str, last_name: str, date_of_birth: date) -> QuerySet[Child]:
    """Existing children who may be the same person: same date of birth and surname."""
    return Child.objects.filter(
        date_of_birth=date_of_birth, last_name__iexact=last_name.strip()
    ).order_by("id")


@transaction.atomic
def case_create_from_request(
    *,
    child: Child | None = None,
    child_details: ChildDetails | None = None,
    contacts: Sequence[ContactDetails] = (),
    team: Team,
    requester_type: str,
    requester_name: str = "",
    request_channel: str,
    received_at: datetime | None = None,
    brought_to_attention_on: date | None = None,
    requested_setting: Setting | None = None,
    route: str = Case.Route.REQUEST,
    acting_user: User | None,
) -> Case:
    """Register a request (or s.24 attention) as a case, with its event and deadlines.

    A request is never refused for its form or channel. An existing child is only reused when the
    caller passes it explicitly; a possible match is flagged on the case, never merged silently.
    """
    if (child is None) == (child_details is None):
        raise ValueError("Pass exactly one of child or child_details.")
    if brought_to_attention_on is not None and requester_type != Case.RequesterType.OTHER:
        raise ValidationError({"brought_to_attention_on": ATTENTION_ONLY_FOR_OTHER})
    if child is not None:
        dob = child.date_of_birth
    elif child_details is not None:
        dob = child_details.date_of_birth
        details_given = child_details
    else:  # refused above; this tells the type checker
        raise ValueError("Pass exactly one of child or child_details.")
    clock_start = validate_request_dates(
        date_of_birth=dob, received_at=received_at, brought_to_attention_on=brought_to_attention_on
    )
    if child is None:
        child = _child_create(details_given, acting_user)
    for details in contacts:
        save_audited(Contact(child=child, **details.__dict__), acting_user=acting_user)

    case = Case(
        child=child,
        team=team,
        requester_type=requester_type,
        requester_name=requester_name,
        request_channel=request_channel,
        received_at=received_at,
        brought_to_attention_on=brought_to_attention_on,
        clock_starts_on=clock_start,
        requested_setting=requested_setting,
        route=route,
        possible_duplicate_of=_open_case_for_same_child(child),
        stage=Case.Stage.DECIDING_TO_ASSESS,
    )
    save_audited(case, acting_user=acting_user)
    kind = CaseEvent.Kind.REQUEST_RECEIVED if received_at else CaseEvent.Kind.BROUGHT_TO_ATTENTION
    save_audited(
        CaseEvent(case=case, kind=kind, occurred_on=clock_start, recorded_by=acting_user),
        acting_user=acting_user,
    )
    case_deadlines_recompute(case=case)
    return case  # saving the case wrote its search index row (ehc.search.freshness)


def _child_create(details: ChildDetails, acting_user: User | None) -> Child:
    child = Child(**details.__dict__)
    save_audited(child, acting_user=acting_user)
    return child


def _open_case_for_same_child(child: Child) -> Case | None:
    """An open case for this child, or for a record that looks like the same child."""
    lookalikes = child_find_matches(
        first_name=child.first_name, last_name=child.last_name, date_of_birth=child.date_of_birth
    ).values("id")
    return (
        Case.objects.filter(child_id__in=lookalikes, outcome=Case.Outcome.OPEN)
        .order_by("id")
        .first()
    )


def case_assign(*, case: Case, caseworker: User | None, acting_user: User) -> Case:
    case.assigned_caseworker = caseworker
    save_audited(case, acting_user=acting_user, validate=False)
    return case


__all__ = [
    "ChildDetails",
    "ContactDetails",
    "case_assign",
    "case_create_from_request",
    "child_find_matches",
    "deemed_receipt_date",
    "validate_request_dates",
]
