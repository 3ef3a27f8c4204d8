"""Recording an exception against a time limit (spec §1.3, §0.1 point 1)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import timescales
from ehc.models import Deadline, TimescaleException, User
from ehc.services.common import local_today, save_audited
from ehc.services.deadlines import deadline_refresh

NOT_ALLOWED = "The regulations do not allow '{code}' as a reason for missing '{title}' ({kind})."
UNKNOWN_CODE = "'{code}' is not an exception the regulations recognise."
ENDS_BEFORE_STARTS = "The end date cannot be before the start date."
# Not a statutory rule: a plausibility bound, so a mistyped year (31/12/9999) is caught.
EXCEPTION_MAX_OVERRUN = timedelta(days=366)
ENDS_TOO_LATE = (
    "The end date must be no more than a year after the deadline ({due:%d %B %Y}). If the "
    "circumstances go on, record the date they are expected to end."
)
OUTSIDE_PERIOD = (
    "The exception's period must overlap the time the limit ran "
    "({start:%d %B %Y} to {due:%d %B %Y})."
)
TOLD_IN_FUTURE = "The date the family was told cannot be in the future."
DEADLINE_CLOSED = "This deadline no longer applies, so no exception can be recorded against it."
CORONAVIRUS_ONLY_2020 = (
    "A coronavirus reason only applies to a period between 1 May and 25 September 2020."
)
# SI 2020/471: the temporary coronavirus reason applied 1 May-25 September 2020 only (spec 1.3).
CORONAVIRUS_FROM, CORONAVIRUS_UNTIL = date(2020, 5, 1), date(2020, 9, 25)


@transaction.atomic
def timescale_exception_record(
    *,
    deadline: Deadline,
    code: str,
    starts_on: date,
    ends_on: date,
    evidence: str,
    reasoning: str,
    family_told_on: date | None,
    acting_user: User,
) -> TimescaleException:
    """Record why a time limit could not be met. The due date stays; the deadline is disapplied."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    _validate(deadline, code, starts_on, ends_on, family_told_on)
    exception = TimescaleException(
        deadline=deadline,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        evidence=evidence,
        reasoning=reasoning,
        family_told_on=family_told_on,
        recorded_by=acting_user,
    )
    save_audited(exception, acting_user=acting_user)
    deadline_refresh(deadline=deadline)
    return exception


def _validate(
    deadline: Deadline,
    code: str,
    starts_on: date,
    ends_on: date,
    family_told_on: date | None,
) -> None:
    if code not in timescales.EXCEPTION_CODES:
        raise ValidationError({"code": UNKNOWN_CODE.format(code=code)})
    if not timescales.exception_allowed(deadline.kind, code):
        raise ValidationError(
            {"code": NOT_ALLOWED.format(code=code, title=deadline.title, kind=deadline.kind)}
        )
    if deadline.status in (Deadline.Status.NOT_NEEDED, Deadline.Status.SUPERSEDED):
        raise ValidationError(DEADLINE_CLOSED, code="closed")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_STARTS})
    if ends_on > deadline.due_on + EXCEPTION_MAX_OVERRUN:
        raise ValidationError({"ends_on": ENDS_TOO_LATE.format(due=deadline.due_on)})
    if ends_on < deadline.starts_on or starts_on > deadline.due_on:
        raise ValidationError(
            {"starts_on": OUTSIDE_PERIOD.format(start=deadline.starts_on, due=deadline.due_on)}
        )
    if code == "CORONAVIRUS" and (ends_on < CORONAVIRUS_FROM or starts_on > CORONAVIRUS_UNTIL):
        raise ValidationError({"code": CORONAVIRUS_ONLY_2020})
    if family_told_on and family_told_on > local_today():
        raise ValidationError({"family_told_on": TOLD_IN_FUTURE})
