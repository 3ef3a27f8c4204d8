"""Alert rules for the Local Offer's clocks (LO1-LO3), sent by the alert engine to whoever keeps
each record (audience "owners"); they replace the app's own stale-record and action emails.
Managers edit them at /notifications/rules/ like any other rule."""

from django.db import migrations

RULES = [
    {
        "name": "Record owners: Local Offer record past its review date",
        "trigger": "overdue",
        "audience": "owners",
        "working_days_before": None,
        "deadline_kinds": ["LO2"],
    },
    {
        "name": "Action owner: Local Offer action due in 5 working days",
        "trigger": "due_soon",
        "audience": "owners",
        "working_days_before": 5,
        "deadline_kinds": ["LO3"],
    },
    {
        "name": "Action owner: Local Offer action overdue",
        "trigger": "overdue",
        "audience": "owners",
        "working_days_before": None,
        "deadline_kinds": ["LO3"],
    },
    {
        "name": "Officers: 'you said, we did' due in 20 working days",
        "trigger": "due_soon",
        "audience": "owners",
        "working_days_before": 20,
        "deadline_kinds": ["LO1"],
    },
    {
        "name": "Officers: 'you said, we did' overdue",
        "trigger": "overdue",
        "audience": "owners",
        "working_days_before": None,
        "deadline_kinds": ["LO1"],
    },
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    for fields in RULES:
        AlertRule.objects.get_or_create(name=fields["name"], defaults=fields)


def unseed(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    AlertRule.objects.filter(
        name__in=[r["name"] for r in RULES], notifications__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("local_offer", "0006_clocks_are_deadlines"),
        ("notifications", "0004_subject_deadlines"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
