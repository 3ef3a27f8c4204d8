"""The one catalogue of roles and what each may do. Groups are synced from it after migrate.

Code names a permission or a role only through the constants here (``roles.PROGRESS_CASE``,
``roles.MANAGER``); docs/permissions.md says who may do what.
"""

# Roles: one Django group each.
CASEWORKER = "caseworker"
MANAGER = "manager"
PARENT = "parent"
# Members of outside organisations (schools, EP services, health, social care, private
# practitioners): no case permissions; their organisation's requests decide what they see.
PROFESSIONAL = "professional"
STAFF_ROLES = (CASEWORKER, MANAGER)

# Permissions (app_label.codename), as user.has_perm and permission_required take them.
VIEW_CASE = "ehc.view_case"
PROGRESS_CASE = "ehc.progress_case"  # caseworkers and managers: work on cases and tasks
RECORD_EXCEPTION = "ehc.record_exception"
VIEW_DEADLINE = "ehc.view_deadline"
VIEW_CHILD = "ehc.view_child"
VIEW_CONTACT = "ehc.view_contact"
VIEW_ALL_CASES = "ehc.view_all_cases"  # managers: every team's cases and tasks
REASSIGN_CASE = "ehc.reassign_case"  # managers: the manager-only steps
VIEW_DASHBOARDS = "ehc.view_dashboards"  # managers: dashboards, outbox and alert rules
VIEW_OWN_CASE = "ehc.view_own_case"  # families: their own cases

_CASEWORK = [
    VIEW_CASE,
    PROGRESS_CASE,
    RECORD_EXCEPTION,
    VIEW_DEADLINE,
    VIEW_CHILD,
    VIEW_CONTACT,
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKER: _CASEWORK,
    MANAGER: _CASEWORK + [VIEW_ALL_CASES, REASSIGN_CASE, VIEW_DASHBOARDS],
    PARENT: [VIEW_OWN_CASE],
    PROFESSIONAL: [],
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
