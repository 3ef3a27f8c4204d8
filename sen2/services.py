"""The only writers of SEN2 items. Each is keyword-only, validates first (raising ValidationError
with a message that names the field) and saves in one transaction; nothing is half saved.

Codes are checked against the code lists of the collection the council is working on (see
`working_collection`), so a caseworker can only record a code the return will accept."""

import re
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc.models import Case, Child, Setting, User
from ehc.services.common import local_today
from sen2.collection import Collection, available_years, collection_for, current_year
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail, RequestDetail
from sen2.upn import upn_problem

NOT_A_CODE = "Choose a {what} from the list"
BAD_UPN = "Enter a real UPN: this one {problem}"
UPN_AND_REASON = "Give a UPN or the reason there is none, not both"
BAD_ULN = "A unique learner number is 10 digits"
BAD_POSTCODE = "Enter a real postcode, like SW1A 1AA"
SAME_NEED_TWICE = "Each need can be chosen once"
SECOND_BEFORE_THIRD = "Choose a second need before a third"
PLACE_WHERE = "Choose a setting from the register or a SENsetting code, not both"
PLACE_NOWHERE = (
    "Choose a setting from the register, or a SENsetting code where it has no URN or UKPRN"
)
LEAVING_BEFORE_ENTRY = "The leaving date must be on or after the entry date"
OVERLAPS = "This overlaps the placement ranked {rank} at {other} from {start}: end that one first"
OTHER_NEEDS_TEXT = "Say what the other arrangement is"
DECISION_BEFORE_MEETING = "The review decision date must be on or after the meeting"
CEASE_NEEDS_REASON = "Choose why the plan ceased"
REASON_NEEDS_DATE = "Enter the date the plan ceased, or remove the reason"
FUTURE = "The date must be today or in the past"

POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def working_collection(today: date | None = None) -> Collection:
    """The collection caseworkers record codes for: next January's, or the latest configured."""
    year = current_year(today or local_today())
    years = available_years()
    if year not in years and years:
        year = max(y for y in years if y <= year) if any(y <= year for y in years) else years[0]
    return collection_for(year)


def _check_code(
    errors: dict, field: str, collection: Collection, code_list: str, value: str, what: str
) -> None:
    if value and value not in collection.codes.get(code_list, {}):
        errors[field] = NOT_A_CODE.format(what=what)


def _check_past(errors: dict, field: str, day: date | None) -> None:
    if day is not None and day > local_today():
        errors[field] = FUTURE


@dataclass(frozen=True)
class PersonItems:
    sex: str
    ethnicity: str
    postcode: str = ""
    upn: str = ""
    uln: str = ""
    upn_unknown: str = ""


@transaction.atomic
def person_profile_save(*, child: Child, items: PersonItems, acting_user: User) -> PersonProfile:
    """The child's Person-module items. The UPN is kept on the child (the core record)."""
    collection = working_collection()
    errors: dict[str, str] = {}
    _check_code(errors, "sex", collection, "Sex", items.sex, "sex")
    _check_code(errors, "ethnicity", collection, "Ethnicity", items.ethnicity, "ethnicity")
    _check_code(errors, "upn_unknown", collection, "UPNunknown", items.upn_unknown, "reason")
    upn = items.upn.strip().upper()
    if upn and (problem := upn_problem(upn)):
        errors["upn"] = BAD_UPN.format(problem=problem)
    if upn and items.upn_unknown:
        errors["upn_unknown"] = UPN_AND_REASON
    if items.uln and not re.fullmatch(r"\d{10}", items.uln):
        errors["uln"] = BAD_ULN
    postcode = " ".join(items.postcode.upper().split())
    if postcode and not POSTCODE.match(postcode):
        errors["postcode"] = BAD_POSTCODE
    if errors:
        raise ValidationError(errors)
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.upn != upn:
        child.upn = upn
        child._history_user = acting_user  # type: ignore[attr-defined]
        child.save(update_fields=["upn"])
    profile, _ = PersonProfile.objects.get_or_create(child=child)
    profile.sex = items.sex
    profile.ethnicity = items.ethnicity
    profile.postcode = postcode
    profile.uln = items.uln
    profile.upn_unknown = "" if upn else items.upn_unknown
    profile._history_user = acting_user  # type: ignore[attr-defined]
    profile.save()
    return profile


@dataclass(frozen=True)
class RequestItems:
    request_source: str
    rya: bool = False
    request_mediation: bool = False
    request_tribunal: bool = False
    assessment_mediation: bool = False
    assessment_tribunal: bool = False
    other_mediation: bool = False
    other_tribunal: bool = False


@transaction.atomic
def request_detail_save(*, case: Case, items: RequestItems, acting_user: User) -> RequestDetail:
    collection = working_collection()
    errors: dict[str, str] = {}
    _check_code(
        errors, "request_source", collection, "RequestSource", items.request_source, "source"
    )
    if errors:
        raise ValidationError(errors)
    detail, _ = RequestDetail.objects.get_or_create(case=case)
    for name, value in vars(items).items():
        setattr(detail, name, value)
    detail._history_user = acting_user  # type: ignore[attr-defined]
    detail.save()
    return detail


@transaction.atomic
def need_types_save(*, case: Case, ranked: list[str], acting_user: User) -> list[NeedType]:
    """Replace the case's SEN types with `ranked`, primary first. Blank places are skipped only
    at the end (a third need needs a second)."""
    collection = working_collection()
    errors: dict[str, str] = {}
    names = ["primary", "second", "third"]
    for name, code in zip(names, ranked, strict=False):
        _check_code(errors, name, collection, "SENtype", code, "need")
    if not ranked or not ranked[0]:
        errors["primary"] = "Choose the primary need"
    while ranked and not ranked[-1]:
        ranked = ranked[:-1]
    if "" in ranked:
        errors["third"] = SECOND_BEFORE_THIRD
    codes = [c for c in ranked if c]
    if len(set(codes)) != len(codes):
        errors[names[len(codes) - 1]] = SAME_NEED_TWICE
    if errors:
        raise ValidationError(errors)
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    NeedType.objects.filter(case=case).delete()
    rows = []
    for rank, code in enumerate(codes, start=1):
        need = NeedType(case=case, sen_type=code, rank=rank)
        need._history_user = acting_user  # type: ignore[attr-defined]
        need.save()
        rows.append(need)
    return rows


@dataclass(frozen=True)
class PlacementItems:
    setting: Setting | None
    sen_setting: str
    rank: int
    entry_date: date | None
    leaving_date: date | None = None
    sen_setting_other: str = ""
    sen_unit: bool = False
    resourced_provision: bool = False
    residential: bool = False
    work_based: bool = False


@transaction.atomic
def placement_save(
    *, case: Case, items: PlacementItems, acting_user: User, placement: Placement | None = None
) -> Placement:
    collection = working_collection()
    errors: dict[str, str] = {}
    _check_code(
        errors, "sen_setting", collection, "SENsetting", items.sen_setting, "SENsetting code"
    )
    if items.setting is not None and items.sen_setting:
        errors["sen_setting"] = PLACE_WHERE
    if items.setting is None and not items.sen_setting:
        errors["setting"] = PLACE_NOWHERE
    if items.sen_setting == "OTH" and not items.sen_setting_other.strip():
        errors["sen_setting_other"] = OTHER_NEEDS_TEXT
    if items.entry_date and items.leaving_date and items.leaving_date < items.entry_date:
        errors["leaving_date"] = LEAVING_BEFORE_ENTRY
    Case.objects.select_for_update().filter(pk=case.pk).exists()  # one writer per case at a time
    if not errors:
        others = Placement.objects.filter(case=case, rank=items.rank).select_related("setting")
        if placement is not None:
            others = others.exclude(pk=placement.pk)
        start = items.entry_date or date.min
        end = items.leaving_date or date.max
        for other in others:
            if (other.entry_date or date.min) <= end and start <= (other.leaving_date or date.max):
                errors["entry_date"] = OVERLAPS.format(
                    rank=other.rank,
                    other=other,
                    start=f"{other.entry_date:%d %b %Y}" if other.entry_date else "its start",
                )
                break
    if errors:
        raise ValidationError(errors)
    placement = placement or Placement(case=case)
    for name, value in vars(items).items():
        setattr(placement, name, value)
    placement._history_user = acting_user  # type: ignore[attr-defined]
    placement.save()
    return placement


@dataclass(frozen=True)
class PlanItems:
    residential: bool = False
    work_based: bool = False
    personal_budget: bool = False
    organised_arrangements: bool = False
    direct_payments: bool = False
    review_meeting_on: date | None = None
    review_decided_on: date | None = None
    cease_date: date | None = None
    cease_reason: str = ""
    transfer_la: str = ""


TRANSFER_LA_FORMAT = "Enter the council's 3-digit code, for example 205"


@transaction.atomic
def plan_detail_save(*, case: Case, items: PlanItems, acting_user: User) -> PlanDetail:
    collection = working_collection()
    errors: dict[str, str] = {}
    _check_code(errors, "cease_reason", collection, "CeaseReason", items.cease_reason, "reason")
    for name in ("review_meeting_on", "review_decided_on", "cease_date"):
        _check_past(errors, name, getattr(items, name))
    meeting, decided = items.review_meeting_on, items.review_decided_on
    if meeting and decided and decided < meeting:
        errors["review_decided_on"] = DECISION_BEFORE_MEETING
    if items.cease_date and not items.cease_reason:
        errors["cease_reason"] = CEASE_NEEDS_REASON
    if items.cease_reason and not items.cease_date:
        errors["cease_date"] = REASON_NEEDS_DATE
    items = replace(items, transfer_la=items.transfer_la.strip())
    if items.transfer_la and not (len(items.transfer_la) == 3 and items.transfer_la.isdigit()):
        errors["transfer_la"] = TRANSFER_LA_FORMAT
    if errors:
        raise ValidationError(errors)
    detail, _ = PlanDetail.objects.get_or_create(case=case)
    for name, value in vars(items).items():
        setattr(detail, name, value)
    detail._history_user = acting_user  # type: ignore[attr-defined]
    detail.save()
    return detail
