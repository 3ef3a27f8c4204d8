"""Which move between phases of education a child makes next, from their date of birth and
setting (spec R14-R16, Reg 2's "transfer between phases").

School years in England run from 1 September; a child joins Reception in the September after
their 4th birthday, so the year group follows from the child's age on 31 August. The statutory
last day for the amended plan comes from ehc.timescales.phase_transfer_deadline.
"""

from dataclasses import dataclass
from datetime import date

from ehc import timescales
from ehc.models import Setting

RECEPTION_AGE = 4
PRIMARY_END_AGE = 11  # Year 7 starts in the September the child is 11 on 31 August
MIDDLE_END_AGE = 13  # Year 9: the usual move from a middle school
POST16_AGE = 16  # Year 12
# Spec R14: the review applies within 12 months of the transfer; planning starts a summer early.


@dataclass(frozen=True)
class PhaseTransfer:
    year: int  # the transfer happens in September of this year
    label: str
    post16: bool
    deadline: date  # last day for the amended plan naming the new setting
    latest_safe_meeting: date  # a review meeting after this cannot finish by the deadline


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing `day` began."""
    return day.year if day.month >= 9 else day.year - 1


def age_on_31_august(date_of_birth: date, year: int) -> int:
    before_birthday = (date_of_birth.month, date_of_birth.day) > (8, 31)
    return year - date_of_birth.year - (1 if before_birthday else 0)


def year_group(date_of_birth: date, day: date) -> int:
    """National curriculum year on `day`: 0 is Reception, negative is early years."""
    return age_on_31_august(date_of_birth, school_year_start(day)) - RECEPTION_AGE


def year_group_label(group: int) -> str:
    if group < 0:
        return "Early years"
    if group == 0:
        return "Reception"
    return f"Year {group}"


def _transfer_age(phase: str, kind: str, age_now: int) -> tuple[int, str] | None:
    if kind == Setting.Kind.POST16 or phase == Setting.Phase.POST16:
        return None  # post-16 moves run 5 months before a planned date (R16), not a fixed day
    if kind == Setting.Kind.EARLY_YEARS or phase == Setting.Phase.NURSERY:
        return RECEPTION_AGE, "Early years to school"
    if phase == Setting.Phase.PRIMARY:
        return PRIMARY_END_AGE, "Primary to secondary"
    if phase == Setting.Phase.MIDDLE:
        return MIDDLE_END_AGE, "Middle to secondary"
    if phase in (Setting.Phase.SECONDARY, Setting.Phase.ALL_THROUGH, Setting.Phase.SPECIAL):
        return POST16_AGE, "Secondary to post-16"
    # No setting or no phase: go by age.
    for age, label in (
        (RECEPTION_AGE, "Early years to school"),
        (PRIMARY_END_AGE, "Primary to secondary"),
        (POST16_AGE, "Secondary to post-16"),
    ):
        if age_now < age:
            return age, label
    return None


def next_phase_transfer(
    date_of_birth: date, setting: Setting | None, today: date
) -> PhaseTransfer | None:
    """The child's next fixed-date transfer whose deadline has not passed, or None."""
    return next_phase_transfer_for(
        date_of_birth, setting.phase if setting else "", setting.kind if setting else "", today
    )


def next_phase_transfer_for(
    date_of_birth: date, phase: str, kind: str, today: date
) -> PhaseTransfer | None:
    """next_phase_transfer from the setting's phase and kind (for rows read without objects)."""
    age_now = age_on_31_august(date_of_birth, school_year_start(today))
    found = _transfer_age(phase, kind, age_now)
    if found is None:
        return None
    age, label = found
    year = (
        date_of_birth.year + age + (1 if (date_of_birth.month, date_of_birth.day) > (8, 31) else 0)
    )
    post16 = age == POST16_AGE
    deadline = timescales.phase_transfer_deadline(year, post16=post16)
    if deadline < today:
        return None
    return PhaseTransfer(
        year=year,
        label=label,
        post16=post16,
        deadline=deadline,
        latest_safe_meeting=timescales.phase_transfer_latest_meeting(deadline),
    )
