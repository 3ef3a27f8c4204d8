"""Alerts for the rest of a plan's life, and news for families about their plan's reviews.

Staff: add the clocks of post-16 moves (R16), moves between councils (R18, R19, R20) and
reassessment (R21, R22) to the default caseworker and manager alert rules, as 0002 did for the
review clocks. Families: a default "update for the family" rule for each step of a review they
must hear of (the meeting arranged, the decision, the proposed amendments and their 15 days, the
final amended plan, not amending after all, the decision to cease and the plan ceased), by
email and on their notifications page.
"""

from django.db import migrations

LIFE_KINDS = ["R16", "R18", "R19", "R20", "R21", "R22"]
STAFF_RULES = [
    "Caseworker: 10 working days before",
    "Caseworker: 5 working days before",
    "Caseworker: on the day",
    "Team managers: deadline missed",
]
FAMILY_RULE = {
    "name": "Family: reviews of their plan",
    "trigger": "family_event",
    "audience": "family",
    "working_days_before": None,
    "event_kinds": [
        "review_meeting_arranged",
        "review_plan_kept",
        "amendments_proposed",
        "amended_plan_issued",
        "decided_not_to_amend",
        "decided_to_cease",
        "plan_ceased",
    ],
}


def add(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    for rule in AlertRule.objects.filter(name__in=STAFF_RULES):
        kinds = list(rule.deadline_kinds or [])
        if not kinds:  # an empty list already means every deadline
            continue
        rule.deadline_kinds = kinds + [k for k in LIFE_KINDS if k not in kinds]
        rule.save(update_fields=["deadline_kinds"])
    AlertRule.objects.get_or_create(name=FAMILY_RULE["name"], defaults=FAMILY_RULE)


def remove(apps, schema_editor):
    AlertRule = apps.get_model("notifications", "AlertRule")
    for rule in AlertRule.objects.filter(name__in=STAFF_RULES):
        rule.deadline_kinds = [k for k in rule.deadline_kinds or [] if k not in LIFE_KINDS]
        rule.save(update_fields=["deadline_kinds"])
    AlertRule.objects.filter(name=FAMILY_RULE["name"], notifications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_post16_moves"),
        ("notifications", "0003_alter_alertrule_audience_and_more"),
    ]

    operations = [migrations.RunPython(add, remove)]
