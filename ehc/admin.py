"""Django admin for system administrators: every record with its history."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login  # noqa: E402
from django.urls import reverse  # noqa: E402
from simple_history.admin import SimpleHistoryAdmin

from ehc.models import (
    Case,
    CaseEvent,
    Child,
    Contact,
    Deadline,
    Setting,
    SubjectDeadline,
    SubjectDeadlineOwner,
    Team,
    TimescaleException,
    User,
)


def _admin_sign_in(request, extra_context=None):
    """The admin has no sign-in page of its own: it uses the service's, with its rate limits,
    lockout and second factor (ehc/security/)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))


admin.site.login = _admin_sign_in

admin.site.register(User, UserAdmin)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    filter_horizontal = ["members"]


@admin.register(Setting)
class SettingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "phase", "urn", "ukprn"]
    search_fields = ["name", "urn", "ukprn"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "upn"]
    search_fields = ["last_name", "first_name", "upn"]
    inlines = [ContactInline]
    raw_id_fields = ["current_setting"]


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["occurred_on", "kind", "subject_key", "summary", "recorded_by"]
    readonly_fields = fields
    can_delete = False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["kind", "subject_key", "title", "starts_on", "due_on", "met_on", "status"]
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "child",
        "stage",
        "outcome",
        "clock_starts_on",
        "team",
        "assigned_caseworker",
    ]
    list_filter = ["stage", "outcome", "team", "requester_type"]
    search_fields = ["reference", "child__last_name"]
    raw_id_fields = ["child", "possible_duplicate_of", "requested_setting"]
    list_select_related = ["child", "team", "assigned_caseworker"]
    inlines = [EventInline, DeadlineInline]


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "subject_key", "due_on", "met_on", "status", "is_open"]
    list_filter = ["kind", "status", "is_open"]
    raw_id_fields = ["case", "started_by"]
    list_select_related = ["case"]


class SubjectDeadlineOwnerInline(admin.TabularInline):
    model = SubjectDeadlineOwner
    extra = 0
    fields = ["key", "user", "email"]
    readonly_fields = fields
    can_delete = False


@admin.register(SubjectDeadline)
class SubjectDeadlineAdmin(SimpleHistoryAdmin):
    """Deadlines without a case (kept by their apps' services: read here, not edited)."""

    list_display = ["kind", "subject_type", "subject_id", "due_on", "met_on", "status", "is_open"]
    list_filter = ["kind", "status", "is_open", "source"]
    search_fields = ["subject_id"]
    readonly_fields = [f.name for f in SubjectDeadline._meta.fields]
    inlines = [SubjectDeadlineOwnerInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TimescaleException)
class TimescaleExceptionAdmin(SimpleHistoryAdmin):
    list_display = ["deadline", "code", "starts_on", "ends_on", "family_told_on"]
    raw_id_fields = ["deadline"]


@admin.register(CaseEvent)
class CaseEventAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "occurred_on", "recorded_by"]
    list_filter = ["kind"]
    raw_id_fields = ["case"]
