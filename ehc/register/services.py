"""The only writers of the register (besides the GIAS import, ehc.register.gias): a caseworker
adds a setting that is not in it, a manager confirms or merges that entry, and a case's current
setting is set from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey
from django.utils import timezone

from ehc.models import Case, CaseEvent, Setting, User
from ehc.search import normalise, search_index_remove, search_index_update
from ehc.services.common import save_audited

UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
NAME_REQUIRED = "Enter the name of the setting"
BAD_POSTCODE = "Enter a real postcode, like BA1 2CD"
URN_TAKEN = "URN {urn} is already in the register: {name}. Choose it instead of adding it"
UKPRN_TAKEN = "UKPRN {ukprn} is already in the register: {name}. Choose it instead of adding it"
ALREADY_THERE = (
    "{name} at {postcode} is already in the register. Choose it instead of adding it again"
)
NOT_FLAGGED = "This setting does not need confirming"
MERGE_INTO_ITSELF = "Choose a different setting to merge it into"
MERGE_INTO_UNCONFIRMED = "Choose a setting that is in the register, not one waiting to be confirmed"


@dataclass(frozen=True)
class SettingDetails:
    name: str
    kind: str
    phase: str = Setting.Phase.NOT_APPLICABLE
    establishment_type: str = ""
    street: str = ""
    town: str = ""
    postcode: str = ""
    local_authority: str = ""
    urn: str = ""
    ukprn: str = ""


def _postcode(value: str) -> str:
    compact = "".join(value.upper().split())
    if not compact:
        return ""
    if not UK_POSTCODE.match(compact):
        raise ValidationError({"postcode": BAD_POSTCODE})
    return f"{compact[:-3]} {compact[-3:]}"


@transaction.atomic
def setting_add(*, details: SettingDetails, acting_user: User) -> Setting:
    """A setting a caseworker found missing from the register: added at once (so the case can
    name it) and flagged for a manager to confirm or merge."""
    name = " ".join(details.name.split())
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    postcode = _postcode(details.postcode)
    urn, ukprn = details.urn.strip(), details.ukprn.strip()
    if urn and (same := Setting.objects.filter(urn=urn).first()):
        raise ValidationError({"urn": URN_TAKEN.format(urn=urn, name=same.name)})
    if ukprn and (same := Setting.objects.filter(ukprn=ukprn).first()):
        raise ValidationError({"ukprn": UKPRN_TAKEN.format(ukprn=ukprn, name=same.name)})
    if postcode:
        for same in Setting.objects.filter(postcode=postcode):
            if normalise(same.name) == normalise(name):
                raise ValidationError(ALREADY_THERE.format(name=same.name, postcode=postcode))
    setting = Setting(
        name=name,
        kind=details.kind,
        phase=details.phase,
        establishment_type=details.establishment_type.strip(),
        street=details.street.strip(),
        town=details.town.strip(),
        postcode=postcode,
        local_authority=details.local_authority.strip(),
        urn=urn,
        ukprn=ukprn,
        source=Setting.Source.CASEWORKER,
        needs_confirming=True,
        added_by=acting_user,
    )
    save_audited(setting, acting_user=acting_user)
    search_index_update(kind="setting", ids=[setting.pk])
    return setting


@transaction.atomic
def setting_confirm(*, setting: Setting, acting_user: User) -> Setting:
    """A manager confirms a caseworker's entry as a setting of its own."""
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    if not setting.needs_confirming:
        raise ValidationError(NOT_FLAGGED)
    setting.needs_confirming = False
    setting.confirmed_by, setting.confirmed_at = acting_user, timezone.now()
    save_audited(setting, acting_user=acting_user)
    search_index_update(kind="setting", ids=[setting.pk])
    return setting


def _references() -> list[ForeignKey]:
    """Every foreign key to Setting in the project (cases, plans, reviews, SEN2, apps' own),
    those with no reverse accessor (related_name="+") too; not the history tables."""
    references = []
    for relation in Setting._meta.get_fields(include_hidden=True):
        field = getattr(relation, "field", None)
        if (
            relation.auto_created
            and not relation.concrete
            and isinstance(field, ForeignKey)
            and not field.model.__name__.startswith("Historical")
            and not field.model._meta.auto_created
        ):
            references.append(field)
    return references


@transaction.atomic
def setting_merge(*, duplicate: Setting, into: Setting, acting_user: User) -> int:
    """A caseworker's entry is another entry already in the register: everything that names it
    names the register entry instead, and the duplicate goes (its history keeps it). Returns the
    number of records moved over."""
    duplicate = Setting.objects.select_for_update().get(pk=duplicate.pk)
    if not duplicate.needs_confirming:
        raise ValidationError(NOT_FLAGGED)
    if into.pk == duplicate.pk:
        raise ValidationError({"into": MERGE_INTO_ITSELF})
    if into.needs_confirming:
        raise ValidationError({"into": MERGE_INTO_UNCONFIRMED})
    moved = 0
    for fk in _references():
        moved += fk.model._base_manager.filter(**{fk.name: duplicate}).update(**{fk.name: into})
    old_subject, new_subject = f"setting:{duplicate.pk}", f"setting:{into.pk}"
    moved += CaseEvent.objects.filter(subject_key=old_subject).update(subject_key=new_subject)
    cases = set(Case.objects.filter(requested_setting=into).values_list("pk", flat=True))
    cases |= set(Case.objects.filter(child__current_setting=into).values_list("pk", flat=True))
    # django-simple-history reads both when it records the deletion.
    duplicate._history_user = acting_user  # type: ignore[attr-defined]
    duplicate._change_reason = f"Merged into {into.name} ({into.register_number})"  # type: ignore[attr-defined]
    duplicate.delete()
    search_index_remove(kind="setting", ids=[duplicate.pk])
    if cases:
        search_index_update(kind="case", ids=sorted(cases))
    return moved


@transaction.atomic
def case_current_setting_set(*, case: Case, setting: Setting, acting_user: User) -> Case:
    """The child's current setting, chosen by a caseworker (for instance the register entry
    suggested for the school the family named)."""
    child = case.child
    child.current_setting = setting
    save_audited(child, acting_user=acting_user, validate=False)
    search_index_update(kind="case", ids=[case.pk])
    return case
