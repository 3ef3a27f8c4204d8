"""The disagreement models, taken over from the core app (ehc migration 0007) with their tables
as they are: ehc_disagreement, ehc_historicaldisagreement and the rest keep their names and rows.

Their content types move too (app label "ehc" to "disagreements", same ids), so every
workflow process whose artifact is a disagreement, and every permission on these models,
still points at the same rows."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = (
    "disagreement",
    "mediation",
    "appeal",
    "order",
    "orderduty",
    "recommendation",
    "complaint",
    "historicaldisagreement",
    "historicalmediation",
    "historicalappeal",
    "historicalorder",
    "historicalorderduty",
    "historicalrecommendation",
    "historicalcomplaint",
)


def _move_content_types(apps, schema_editor, source: str, target: str) -> None:
    """Relabel each moved model's content type in place, keeping its id, so generic relations
    (a workflow process's artifact) and permissions keep pointing at it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue  # a fresh database: content types are made after migrating
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already made under the new label; leave both for an admin to resolve
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def content_types_forward(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "ehc", "disagreements")


def content_types_backward(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "disagreements", "ehc")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ehc", "0007_disagreements_leave_for_their_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's record of which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Disagreement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "decision",
                            models.CharField(
                                choices=[
                                    (
                                        "refusal_to_assess",
                                        "Decision not to carry out an assessment",
                                    ),
                                    ("no_plan", "Decision not to issue an EHC plan"),
                                    ("plan_contents", "Contents of the EHC plan"),
                                    ("refusal_to_reassess", "Decision not to reassess"),
                                    (
                                        "no_amendment",
                                        "Decision not to amend the plan after a review",
                                    ),
                                    ("cease", "Decision to stop maintaining the plan"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "decision_sent_on",
                            models.DateField(
                                help_text="The day written notice of the decision went."
                            ),
                        ),
                        ("opened_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("settled", "Settled"),
                                    ("closed", "Not taken further"),
                                ],
                                db_index=True,
                                default="open",
                                max_length=10,
                            ),
                        ),
                        (
                            "adviser_contacted_on",
                            models.DateField(
                                blank=True,
                                help_text="The family contacted the mediation adviser (M2).",
                                null=True,
                            ),
                        ),
                        (
                            "choice",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("mediation", "Mediation"),
                                    ("certificate", "A certificate only (no mediation)"),
                                    (
                                        "not_needed",
                                        "No certificate needed: the appeal is only about the school or setting",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "adviser_informed_on",
                            models.DateField(
                                blank=True,
                                help_text="The adviser was told the family wants a certificate only (M3 starts).",
                                null=True,
                            ),
                        ),
                        ("certificate_issued_on", models.DateField(blank=True, null=True)),
                        ("closed_on", models.DateField(blank=True, null=True)),
                        ("close_reason", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="disagreements",
                                to="ehc.case",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "notice",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="ehc.notice",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_disagreement",
                        "ordering": ["decision_sent_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Complaint",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("council", "Complaint to the council"),
                                    ("lgsco", "Local Government and Social Care Ombudsman"),
                                    ("nhs", "NHS complaint"),
                                    ("phso", "Parliamentary and Health Service Ombudsman"),
                                    ("school", "School complaint"),
                                    ("secretary_of_state", "Complaint to the Secretary of State"),
                                    ("drs", "Disagreement resolution service"),
                                    ("judicial_review", "Judicial review"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("made_on", models.DateField()),
                        ("about", models.TextField()),
                        ("outcome_on", models.DateField(blank=True, null=True)),
                        ("outcome", models.TextField(blank=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="complaints",
                                to="ehc.case",
                            ),
                        ),
                        (
                            "escalated_from",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="escalations",
                                to="disagreements.complaint",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="complaints",
                                to="disagreements.disagreement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_complaint",
                        "ordering": ["made_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Appeal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "registered_on",
                            models.DateField(help_text="The day the Tribunal received the appeal."),
                        ),
                        ("tribunal_reference", models.CharField(blank=True, max_length=40)),
                        (
                            "grounds",
                            models.JSONField(
                                default=list, help_text="Codes from GROUNDS (CFA s.51(2))."
                            ),
                        ),
                        (
                            "sections",
                            models.JSONField(
                                blank=True, default=list, help_text="Plan sections appealed."
                            ),
                        ),
                        (
                            "deadline_on",
                            models.DateField(
                                help_text="The appeal deadline when it was registered (F1)."
                            ),
                        ),
                        (
                            "is_late",
                            models.BooleanField(
                                default=False,
                                help_text="Registered after the deadline: the Tribunal admitted it (F6).",
                            ),
                        ),
                        (
                            "response_due_on",
                            models.DateField(
                                blank=True,
                                help_text="From the Tribunal's directions (F4).",
                                null=True,
                            ),
                        ),
                        ("response_sent_on", models.DateField(blank=True, null=True)),
                        ("hearing_on", models.DateField(blank=True, null=True)),
                        ("decided_on", models.DateField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("upheld", "Appeal upheld"),
                                    ("partly_upheld", "Appeal partly upheld"),
                                    ("dismissed", "Appeal dismissed"),
                                    ("withdrawn", "Withdrawn by the family"),
                                    ("conceded", "Conceded by the council without an order"),
                                    ("unopposed", "Not opposed by the council (Reg 45)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                        (
                            "disagreement",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="appeal",
                                to="disagreements.disagreement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_appeal",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalAppeal",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "registered_on",
                            models.DateField(help_text="The day the Tribunal received the appeal."),
                        ),
                        ("tribunal_reference", models.CharField(blank=True, max_length=40)),
                        (
                            "grounds",
                            models.JSONField(
                                default=list, help_text="Codes from GROUNDS (CFA s.51(2))."
                            ),
                        ),
                        (
                            "sections",
                            models.JSONField(
                                blank=True, default=list, help_text="Plan sections appealed."
                            ),
                        ),
                        (
                            "deadline_on",
                            models.DateField(
                                help_text="The appeal deadline when it was registered (F1)."
                            ),
                        ),
                        (
                            "is_late",
                            models.BooleanField(
                                default=False,
                                help_text="Registered after the deadline: the Tribunal admitted it (F6).",
                            ),
                        ),
                        (
                            "response_due_on",
                            models.DateField(
                                blank=True,
                                help_text="From the Tribunal's directions (F4).",
                                null=True,
                            ),
                        ),
                        ("response_sent_on", models.DateField(blank=True, null=True)),
                        ("hearing_on", models.DateField(blank=True, null=True)),
                        ("decided_on", models.DateField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("upheld", "Appeal upheld"),
                                    ("partly_upheld", "Appeal partly upheld"),
                                    ("dismissed", "Appeal dismissed"),
                                    ("withdrawn", "Withdrawn by the family"),
                                    ("conceded", "Conceded by the council without an order"),
                                    ("unopposed", "Not opposed by the council (Reg 45)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical appeal",
                        "verbose_name_plural": "historical appeals",
                        "db_table": "ehc_historicalappeal",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalComplaint",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("council", "Complaint to the council"),
                                    ("lgsco", "Local Government and Social Care Ombudsman"),
                                    ("nhs", "NHS complaint"),
                                    ("phso", "Parliamentary and Health Service Ombudsman"),
                                    ("school", "School complaint"),
                                    ("secretary_of_state", "Complaint to the Secretary of State"),
                                    ("drs", "Disagreement resolution service"),
                                    ("judicial_review", "Judicial review"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("made_on", models.DateField()),
                        ("about", models.TextField()),
                        ("outcome_on", models.DateField(blank=True, null=True)),
                        ("outcome", models.TextField(blank=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.case",
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "escalated_from",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.complaint",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical complaint",
                        "verbose_name_plural": "historical complaints",
                        "db_table": "ehc_historicalcomplaint",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalDisagreement",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "decision",
                            models.CharField(
                                choices=[
                                    (
                                        "refusal_to_assess",
                                        "Decision not to carry out an assessment",
                                    ),
                                    ("no_plan", "Decision not to issue an EHC plan"),
                                    ("plan_contents", "Contents of the EHC plan"),
                                    ("refusal_to_reassess", "Decision not to reassess"),
                                    (
                                        "no_amendment",
                                        "Decision not to amend the plan after a review",
                                    ),
                                    ("cease", "Decision to stop maintaining the plan"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "decision_sent_on",
                            models.DateField(
                                help_text="The day written notice of the decision went."
                            ),
                        ),
                        ("opened_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("settled", "Settled"),
                                    ("closed", "Not taken further"),
                                ],
                                db_index=True,
                                default="open",
                                max_length=10,
                            ),
                        ),
                        (
                            "adviser_contacted_on",
                            models.DateField(
                                blank=True,
                                help_text="The family contacted the mediation adviser (M2).",
                                null=True,
                            ),
                        ),
                        (
                            "choice",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("mediation", "Mediation"),
                                    ("certificate", "A certificate only (no mediation)"),
                                    (
                                        "not_needed",
                                        "No certificate needed: the appeal is only about the school or setting",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "adviser_informed_on",
                            models.DateField(
                                blank=True,
                                help_text="The adviser was told the family wants a certificate only (M3 starts).",
                                null=True,
                            ),
                        ),
                        ("certificate_issued_on", models.DateField(blank=True, null=True)),
                        ("closed_on", models.DateField(blank=True, null=True)),
                        ("close_reason", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.case",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "notice",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.notice",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical disagreement",
                        "verbose_name_plural": "historical disagreements",
                        "db_table": "ehc_historicaldisagreement",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalMediation",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "la_informed_on",
                            models.DateField(
                                help_text="The family told the council it wants mediation."
                            ),
                        ),
                        ("issues", models.TextField()),
                        (
                            "health_issues",
                            models.TextField(
                                blank=True,
                                help_text="Health care issues and the health provision sought, if any.",
                            ),
                        ),
                        ("health_body_due_on", models.DateField(blank=True, null=True)),
                        ("health_body_told_on", models.DateField(blank=True, null=True)),
                        ("arrange_by", models.DateField()),
                        ("arranged_on", models.DateField(blank=True, null=True)),
                        ("meeting_on", models.DateField(blank=True, null=True)),
                        (
                            "not_arranged_adviser_told_on",
                            models.DateField(
                                blank=True,
                                help_text="The council could not arrange mediation in 30 days and told the adviser (M6).",
                                null=True,
                            ),
                        ),
                        ("held_on", models.DateField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("agreement", "Agreement on every issue"),
                                    ("partial", "Agreement on some issues"),
                                    ("no_agreement", "No agreement"),
                                    ("withdrawn", "The family withdrew from mediation"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "rcb_only",
                            models.BooleanField(
                                default=False,
                                help_text="Only the health commissioning body took part (Reg 42(4), M10).",
                            ),
                        ),
                        ("rcb_told_la_on", models.DateField(blank=True, null=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical mediation",
                        "verbose_name_plural": "historical mediations",
                        "db_table": "ehc_historicalmediation",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalOrder",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("tribunal", "Tribunal order (Reg 44)"),
                                    ("consent", "Consent order (Reg 44)"),
                                    ("unopposed", "Appeal not opposed (Reg 45)"),
                                    ("agreement", "Mediation agreement (Reg 42)"),
                                    (
                                        "concession",
                                        "Conceded without an order (the original time limits run on)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "order_type",
                            models.CharField(
                                choices=[
                                    (
                                        "assess",
                                        "Carry out an EHC needs assessment (or reassessment)",
                                    ),
                                    ("make_plan", "Make and maintain an EHC plan"),
                                    ("amend", "Amend the plan's contents"),
                                    ("placement", "Change the school or setting named"),
                                    ("continue", "Continue to maintain the plan"),
                                    ("cease", "Stop maintaining the plan (appeal dismissed)"),
                                    ("remit", "Reconsider the decision (remitted to the council)"),
                                    (
                                        "agreed_action",
                                        "Action agreed on a matter that cannot be appealed",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("made_on", models.DateField()),
                        ("details", models.TextField(blank=True)),
                        (
                            "other_timescale",
                            models.TextField(
                                blank=True,
                                help_text="A different timescale agreed in writing (Reg 42(5)).",
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "appeal",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.appeal",
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical order",
                        "verbose_name_plural": "historical orders",
                        "db_table": "ehc_historicalorder",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalRecommendation",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("made_on", models.DateField()),
                        (
                            "body",
                            models.CharField(
                                choices=[
                                    ("health", "The health commissioning body (sections C and G)"),
                                    (
                                        "social_care",
                                        "The council's social care service (sections D and H)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("sections", models.JSONField(default=list)),
                        ("text", models.TextField()),
                        ("responded_on", models.DateField(blank=True, null=True)),
                        ("response", models.TextField(blank=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "appeal",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.appeal",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical recommendation",
                        "verbose_name_plural": "historical recommendations",
                        "db_table": "ehc_historicalrecommendation",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Mediation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "la_informed_on",
                            models.DateField(
                                help_text="The family told the council it wants mediation."
                            ),
                        ),
                        ("issues", models.TextField()),
                        (
                            "health_issues",
                            models.TextField(
                                blank=True,
                                help_text="Health care issues and the health provision sought, if any.",
                            ),
                        ),
                        ("health_body_due_on", models.DateField(blank=True, null=True)),
                        ("health_body_told_on", models.DateField(blank=True, null=True)),
                        ("arrange_by", models.DateField()),
                        ("arranged_on", models.DateField(blank=True, null=True)),
                        ("meeting_on", models.DateField(blank=True, null=True)),
                        (
                            "not_arranged_adviser_told_on",
                            models.DateField(
                                blank=True,
                                help_text="The council could not arrange mediation in 30 days and told the adviser (M6).",
                                null=True,
                            ),
                        ),
                        ("held_on", models.DateField(blank=True, null=True)),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("agreement", "Agreement on every issue"),
                                    ("partial", "Agreement on some issues"),
                                    ("no_agreement", "No agreement"),
                                    ("withdrawn", "The family withdrew from mediation"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "rcb_only",
                            models.BooleanField(
                                default=False,
                                help_text="Only the health commissioning body took part (Reg 42(4), M10).",
                            ),
                        ),
                        ("rcb_told_la_on", models.DateField(blank=True, null=True)),
                        (
                            "disagreement",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mediation",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_mediation",
                    },
                ),
                migrations.CreateModel(
                    name="Order",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("tribunal", "Tribunal order (Reg 44)"),
                                    ("consent", "Consent order (Reg 44)"),
                                    ("unopposed", "Appeal not opposed (Reg 45)"),
                                    ("agreement", "Mediation agreement (Reg 42)"),
                                    (
                                        "concession",
                                        "Conceded without an order (the original time limits run on)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "order_type",
                            models.CharField(
                                choices=[
                                    (
                                        "assess",
                                        "Carry out an EHC needs assessment (or reassessment)",
                                    ),
                                    ("make_plan", "Make and maintain an EHC plan"),
                                    ("amend", "Amend the plan's contents"),
                                    ("placement", "Change the school or setting named"),
                                    ("continue", "Continue to maintain the plan"),
                                    ("cease", "Stop maintaining the plan (appeal dismissed)"),
                                    ("remit", "Reconsider the decision (remitted to the council)"),
                                    (
                                        "agreed_action",
                                        "Action agreed on a matter that cannot be appealed",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("made_on", models.DateField()),
                        ("details", models.TextField(blank=True)),
                        (
                            "other_timescale",
                            models.TextField(
                                blank=True,
                                help_text="A different timescale agreed in writing (Reg 42(5)).",
                            ),
                        ),
                        (
                            "appeal",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="orders",
                                to="disagreements.appeal",
                            ),
                        ),
                        (
                            "disagreement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="orders",
                                to="disagreements.disagreement",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_order",
                        "ordering": ["made_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalOrderDuty",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=20)),
                        ("done_on", models.DateField(blank=True, null=True)),
                        ("not_needed", models.BooleanField(default=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="disagreements.order",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical order duty",
                        "verbose_name_plural": "historical order dutys",
                        "db_table": "ehc_historicalorderduty",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="OrderDuty",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=20)),
                        ("done_on", models.DateField(blank=True, null=True)),
                        ("not_needed", models.BooleanField(default=False)),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="duties",
                                to="disagreements.order",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_orderduty",
                        "ordering": ["order_id", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Recommendation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("made_on", models.DateField()),
                        (
                            "body",
                            models.CharField(
                                choices=[
                                    ("health", "The health commissioning body (sections C and G)"),
                                    (
                                        "social_care",
                                        "The council's social care service (sections D and H)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("sections", models.JSONField(default=list)),
                        ("text", models.TextField()),
                        ("responded_on", models.DateField(blank=True, null=True)),
                        ("response", models.TextField(blank=True)),
                        (
                            "appeal",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="recommendations",
                                to="disagreements.appeal",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="ehc.caseevent",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ehc_recommendation",
                        "ordering": ["made_on", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="disagreement",
                    index=models.Index(
                        fields=["case", "status"], name="ehc_disagre_case_id_d07967_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="complaint",
                    index=models.Index(
                        fields=["kind", "made_on"], name="ehc_complai_kind_1a1d2c_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="appeal",
                    index=models.Index(fields=["outcome"], name="ehc_appeal_outcome_0dd924_idx"),
                ),
                migrations.AddIndex(
                    model_name="order",
                    index=models.Index(
                        fields=["source", "order_type"], name="ehc_order_source_37a940_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="orderduty",
                    constraint=models.UniqueConstraint(
                        fields=("order", "kind"), name="one_duty_per_order_and_kind"
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
