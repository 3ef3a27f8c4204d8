"""Alerts before each review clock runs out: add the review deadlines (R2, R4, R5, R7, R8, R11,
R12, R13, R14, R15) to the default caseworker and manager alert rules. R10 is the family's own
window and R3 is guidance, so neither alerts anyone by default."""

from django.db import migrations

REVIEW_KINDS = ["R2", "R4", "R5", "R7", "R8", "R11", "R12", "R13", "R14", "R15"]
RULE_NAMES = [
    "Caseworker: 10 working days before",
    "Caseworker: 5 working days before",
    "Caseworker: on the day",
    "Team managers: deadline missed",
]


def add(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    for rule in AlertRule.objects.filter(name__in=RULE_NAMES):
        kinds = list(rule.deadline_kinds or [])
        if not kinds:  # an empty list already means every deadline
            continue
        rule.deadline_kinds = kinds + [k for k in REVIEW_KINDS if k not in kinds]
        rule.save(update_fields=["deadline_kinds"])


def remove(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    for rule in AlertRule.objects.filter(name__in=RULE_NAMES):
        rule.deadline_kinds = [k for k in rule.deadline_kinds or [] if k not in REVIEW_KINDS]
        rule.save(update_fields=["deadline_kinds"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("notifications", "0002_default_rules")]

    operations = [migrations.RunPython(add, remove)]
