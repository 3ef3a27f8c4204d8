"""Seed the default alert rules, and start the event cursor at today's last event.

Starting the cursor at the newest existing event means installing alerts does not email
families about decisions made before alerts existed.
"""

from django.db import migrations

# Deadlines the council itself must meet: the assessment, transfer reviews (T8-T10), personal
# budget reviews (PB13), mediation it arranges (M4, M5, M9) and tribunal orders (Reg 44/45).
CASEWORKER_KINDS = [
    "A2", "A5", "A7", "A12", "A13", "R1",
    "T8", "T9", "T10", "PB13",
    "M4", "M5", "M9",
    "Ta-cease", "Tb-assess", "Tb-no-plan", "Tb-final", "Tc-draft", "Tc-final",
    "Td-amend", "Te-placement", "Tf-continue",
    "Ua-assess", "Ua-no-plan", "Ua-final", "Ub-amend", "Uc-draft", "Uc-final", "Uc-placement",
    "Rec-response",
]
FAMILY_EVENTS = [
    "decided_to_assess",
    "decided_not_to_assess",
    "draft_served",
    "final_plan_issued",
    "decided_not_to_issue",
]
DEFAULT_RULES = [
    {
        "name": "Caseworker: 10 working days before",
        "trigger": "due_soon",
        "audience": "caseworker",
        "working_days_before": 10,
        "deadline_kinds": CASEWORKER_KINDS,
    },
    {
        "name": "Caseworker: 5 working days before",
        "trigger": "due_soon",
        "audience": "caseworker",
        "working_days_before": 5,
        "deadline_kinds": CASEWORKER_KINDS,
    },
    {
        "name": "Caseworker: on the day",
        "trigger": "due_soon",
        "audience": "caseworker",
        "working_days_before": 0,
        "deadline_kinds": CASEWORKER_KINDS,
    },
    {
        "name": "Team managers: deadline missed",
        "trigger": "overdue",
        "audience": "managers",
        "working_days_before": None,
        "deadline_kinds": CASEWORKER_KINDS,
    },
    {
        "name": "Family: decisions and plans",
        "trigger": "family_event",
        "audience": "family",
        "working_days_before": None,
        "event_kinds": FAMILY_EVENTS,
    },
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    SweepState = apps.get_model("notifications", "SweepState")
    CaseEvent = apps.get_model("ehc", "CaseEvent")
    for fields in DEFAULT_RULES:
        AlertRule.objects.get_or_create(name=fields["name"], defaults=fields)
    last_event = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    SweepState.objects.get_or_create(pk=1, defaults={"events_checked_to_id": last_event or 0})


def unseed(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    AlertRule.objects.filter(
        name__in=[r["name"] for r in DEFAULT_RULES], notifications__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
