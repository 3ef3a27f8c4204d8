"""Alert rules that chase online advice requests (PA1: accepted within a week; PA2: the advice
in by the A5 date). Managers edit them at /notifications/rules/ like any other rule."""

from django.db import migrations

RULES = [
    {
        "name": "Organisation: advice request waiting to be accepted",
        "trigger": "due_soon",
        "audience": "org_members",
        "working_days_before": 2,
        "deadline_kinds": ["PA1"],
    },
    {
        "name": "Organisation administrators: advice request not accepted within a week",
        "trigger": "overdue",
        "audience": "org_admins",
        "working_days_before": None,
        "deadline_kinds": ["PA1"],
    },
    {
        "name": "Caseworker: advice request not accepted within a week",
        "trigger": "overdue",
        "audience": "caseworker",
        "working_days_before": None,
        "deadline_kinds": ["PA1"],
    },
    {
        "name": "Organisation: advice due in 5 working days",
        "trigger": "due_soon",
        "audience": "org_members",
        "working_days_before": 5,
        "deadline_kinds": ["PA2"],
    },
    {
        "name": "Organisation administrators: advice not in by its date",
        "trigger": "overdue",
        "audience": "org_admins",
        "working_days_before": None,
        "deadline_kinds": ["PA2"],
    },
    {
        "name": "Caseworker: advice from an organisation not in by its date",
        "trigger": "overdue",
        "audience": "caseworker",
        "working_days_before": None,
        "deadline_kinds": ["PA2"],
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
        ("professionals", "0001_initial"),
        ("notifications", "0003_alter_alertrule_audience_and_more"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
