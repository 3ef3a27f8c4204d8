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
    from django.contrib.auth.models import Group, Permission

    def perms(names: list[str]) -> list[Permission]:
        codenames = [n.split(".")[1] for n in names]
        return list(
            Permission.objects.filter(content_type__app_label="local_offer", codename__in=codenames)
        )

    officers, _ = Group.objects.get_or_create(name=OFFICER_GROUP)
    officers.permissions.set(perms(OFFICER_PERMISSIONS))
    providers, _ = Group.objects.get_or_create(name=PROVIDER_GROUP)
    providers.permissions.set(perms(PROVIDER_PERMISSIONS))
