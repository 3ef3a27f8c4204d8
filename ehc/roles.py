"""The one catalogue of roles and what each may do. Groups are synced from it after migrate."""

CASEWORKER = "caseworker"
MANAGER = "manager"
PARENT = "parent"

_CASEWORK = [
    "ehc.view_case",
    "ehc.progress_case",
    "ehc.record_exception",
    "ehc.view_deadline",
    "ehc.view_child",
    "ehc.view_contact",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKER: _CASEWORK,
    MANAGER: _CASEWORK + ["ehc.view_all_cases", "ehc.reassign_case", "ehc.view_dashboards"],
    PARENT: ["ehc.view_own_case"],
}


def sync_role_groups(**_kwargs) -> None:
    """Make each role's group hold exactly the permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
