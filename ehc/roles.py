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

# What a page may ask of the signed-in user, by name: templates write `{% if can.reassign_case %}`
# (ehc.context_processors.capabilities), never a codename, so a role change is made here only.
CAPABILITIES: dict[str, str] = {
    "view_case": VIEW_CASE,
    "progress_case": PROGRESS_CASE,
    "record_exception": RECORD_EXCEPTION,
    "view_all_cases": VIEW_ALL_CASES,
    "reassign_case": REASSIGN_CASE,
    "view_dashboards": VIEW_DASHBOARDS,
    "view_own_case": VIEW_OWN_CASE,
}


def role_register(
    role: str, permissions: list[str], *, capabilities: dict[str, str] | None = None
) -> None:
    """An app adds a role of its own to the catalogue (from its AppConfig.ready): the group is
    synced with the core's, and its permissions may be named for templates."""
    named = capabilities or {}
    for name, perm in named.items():
        if CAPABILITIES.get(name, perm) != perm:
            raise ValueError(f"capability {name!r} already names {CAPABILITIES[name]}")
    ROLE_PERMISSIONS[role] = list(permissions)
    CAPABILITIES.update(named)


def sync_role_groups(**_kwargs: object) -> None:
    """Make each role's group hold exactly the permissions listed above (and registered).

    Run after each app's migrate: an app's permissions exist only once its own has run, so an
    app with a role connects this to its post_migrate too."""
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
