"""Keep the case search index true when what it is made of changes.

A case's search text comes from the case, its child, the child's contacts and the settings named
on it (ehc.search.cases). Whoever saves one of those rows, through a service, the admin or an app,
the case's index row is rewritten in the same transaction, so a search never finds a case under
a name it no longer has, or misses it under the new one. This is index upkeep, not a business
rule, so it is done on the models' save and delete signals (the one place every save passes).

Only the fields the search text is made of are watched: a case moving stage, or a contact's
phone number changing, costs nothing. Bulk inserts and queryset updates send no signals; the
code that does them (demo data, legacy imports) calls `search_index_update` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_init, post_save

from ehc.models import Case, Child, Contact, Setting
from ehc.search.service import search_index_remove, search_index_update

#: model -> the attributes its part of a case's search text is made of.
WATCHED: dict[type[Model], tuple[str, ...]] = {
    Case: ("reference", "child_id", "team_id", "requester_name", "requested_setting_id"),
    Child: ("first_name", "last_name", "date_of_birth", "upn", "current_setting_id"),
    Contact: ("full_name", "address", "child_id"),
    Setting: ("name", "urn"),
}
_SEEN = "_search_seen"


def _values(instance: Model) -> tuple:
    # From __dict__, so a deferred field is never loaded just to be compared.
    return tuple(instance.__dict__.get(name) for name in WATCHED[type(instance)])


def _remember(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    instance.__dict__[_SEEN] = _values(instance)


def _case_ids(instance: Model, before: tuple | None) -> Iterable[int]:
    """The cases whose search text this row is part of (before and after a change)."""
    if isinstance(instance, Case):
        return [instance.pk]
    if isinstance(instance, Child):
        return Case.objects.filter(child_id=instance.pk).values_list("pk", flat=True)
    if isinstance(instance, Contact):
        children = {
            child_id
            for child_id in (instance.child_id, before[2] if before else None)
            if child_id is not None
        }
        return Case.objects.filter(child_id__in=children).values_list("pk", flat=True)
    if isinstance(instance, Setting):
        return Case.objects.filter(
            Q(requested_setting_id=instance.pk) | Q(child__current_setting_id=instance.pk)
        ).values_list("pk", flat=True)
    return []


def _saved(sender: type[Model], instance: Model, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw:  # loading fixtures
        return
    before = instance.__dict__.get(_SEEN)
    now = _values(instance)
    instance.__dict__[_SEEN] = now
    if not created and before == now:
        return
    if created and isinstance(instance, Child | Setting):
        return  # no case names it yet
    ids = list(_case_ids(instance, before))
    if ids:
        search_index_update(kind="case", ids=ids)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if isinstance(instance, Case):
        search_index_remove(kind="case", ids=[instance.pk])
        return
    ids = list(_case_ids(instance, instance.__dict__.get(_SEEN)))
    if ids:
        search_index_update(kind="case", ids=ids)


def connect() -> None:
    for model in WATCHED:
        uid = f"ehc.search.freshness.{model.__name__}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
