"""Who keeps the Local Offer: council officers (the SEND managers' group) and provider accounts.

The core's role catalogue (ehc.roles) knows nothing of this app, so the Local Offer keeps its own
two groups, synced after every migrate: officers (council staff who approve providers' changes and
answer comments; a SEND manager is usually added to it) and providers.
"""

from typing import Any

OFFICER_GROUP = "local_offer_officer"
PROVIDER_GROUP = "local_offer_provider"

OFFICER_PERMISSIONS = [
    "local_offer.manage_directory",
    "local_offer.approve_change",
    "local_offer.triage_comment",
]
PROVIDER_PERMISSIONS = ["local_offer.edit_own_services"]


def sync_local_offer_groups(**_kwargs: Any) -> None:
    """After migrate (and after a test database is flushed): the groups, and the fixed taxonomies
    the directory files services under."""
    from django.contrib.auth.models import Group, Permission

    ensure_taxonomies()

    def perms(names: list[str]) -> list[Permission]:
        codenames = [n.split(".")[1] for n in names]
        return list(
            Permission.objects.filter(content_type__app_label="local_offer", codename__in=codenames)
        )

    officers, _ = Group.objects.get_or_create(name=OFFICER_GROUP)
    officers.permissions.set(perms(OFFICER_PERMISSIONS))
    providers, _ = Group.objects.get_or_create(name=PROVIDER_GROUP)
    providers.permissions.set(perms(PROVIDER_PERMISSIONS))


def ensure_taxonomies() -> None:
    """The published taxonomies and their terms, with their fixed ids (idempotent)."""
    from local_offer import vocabulary as v
    from local_offer.models import Taxonomy, TaxonomyTerm

    for code, (name, description, terms) in v.TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=v.taxonomy_uuid(code),
            defaults={"code": code, "name": name, "description": description, "version": "1"},
        )
        for term_code, term_name in terms:
            TaxonomyTerm.objects.update_or_create(
                id=v.term_uuid(code, term_code),
                defaults={"taxonomy": taxonomy, "code": term_code, "name": term_name},
            )
