"""Who keeps the Local Offer: council officers (the SEND managers' group) and provider accounts.

Its two roles join the core's catalogue through `ehc.roles.role_register` (from
LocalOfferConfig.ready), so their groups are synced with the others after every migrate:
officers (council staff who approve providers' changes and answer comments; a SEND manager is
usually added to it) and providers.
"""

from typing import Any

from ehc import roles as ehc_roles

OFFICER_GROUP = "local_offer_officer"
PROVIDER_GROUP = "local_offer_provider"

MANAGE_DIRECTORY = "local_offer.manage_directory"
APPROVE_CHANGE = "local_offer.approve_change"
TRIAGE_COMMENT = "local_offer.triage_comment"
EDIT_OWN_SERVICES = "local_offer.edit_own_services"

OFFICER_PERMISSIONS = [MANAGE_DIRECTORY, APPROVE_CHANGE, TRIAGE_COMMENT]
PROVIDER_PERMISSIONS = [EDIT_OWN_SERVICES]


def roles_register() -> None:
    ehc_roles.role_register(
        OFFICER_GROUP,
        OFFICER_PERMISSIONS,
        capabilities={
            "manage_directory": MANAGE_DIRECTORY,
            "approve_change": APPROVE_CHANGE,
            "triage_comment": TRIAGE_COMMENT,
        },
    )
    ehc_roles.role_register(
        PROVIDER_GROUP,
        PROVIDER_PERMISSIONS,
        capabilities={"edit_own_services": EDIT_OWN_SERVICES},
    )


def sync_local_offer_groups(**_kwargs: Any) -> None:
    """After this app's migrate (and after a test database is flushed): every role's group, now
    that this app's permissions exist, and the fixed taxonomies the directory files services
    under."""
    ensure_taxonomies()
    ehc_roles.sync_role_groups()


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
