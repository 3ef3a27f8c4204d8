"""The disagreement models moved from the core app to disagreements/ without moving any data.

A database migrated before the move (the core at ehc 0006, no disagreements app) and the same
database migrated after it must have the same schema; the models' content types keep their ids,
so a workflow process started before the move still finds its disagreement (process.seed), and
the flow references viewflow stores by module path follow the flow to disagreements/flows.py."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from viewflow.workflow.models import Process

from disagreements.flows import DisagreementFlow
from disagreements.models import Disagreement

# Unapplying the disagreements app reverses the move: its state, content types and flow
# references go back to the core, and no table changes on the way.
BEFORE_THE_MOVE = [("disagreements", None)]


def _schema() -> dict:
    """Every table's columns and constraints, as the database reports them."""
    introspection = connection.introspection
    schema = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = [
                (c.name, str(c.type_code), c.null_ok)
                for c in introspection.get_table_description(cursor, table)
            ]
            constraints = sorted(
                (
                    name,
                    tuple(info["columns"]),
                    bool(info["unique"]),
                    bool(info["primary_key"]),
                    bool(info["index"]),
                    tuple(info["foreign_key"] or ()),
                )
                for name, info in introspection.get_constraints(cursor, table).items()
            )
            schema[table] = (columns, constraints)
    return schema


def _flow_references(process: Process) -> tuple[str, set[str]]:
    """The process's flow and its tasks' nodes as stored (raw: the old path cannot be imported)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT flow_class FROM viewflow_process WHERE id = %s", [process.pk])
        (flow_class,) = cursor.fetchone()
        cursor.execute("SELECT flow_task FROM viewflow_task WHERE process_id = %s", [process.pk])
        tasks = {row[0] for row in cursor.fetchall()}
    return flow_class, tasks


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_ends_identical_and_keeps_its_processes(
    open_refusal,
):
    process = Process.objects.get(flow_class=DisagreementFlow, seed_object_id=open_refusal.pk)
    content_type_id = ContentType.objects.get_for_model(Disagreement).pk
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    after_the_move = _schema()

    _migrate(BEFORE_THE_MOVE)
    assert _schema() == after_the_move  # the move itself changes no table
    before = ContentType.objects.get(app_label="ehc", model="disagreement")
    assert before.pk == content_type_id
    assert not ContentType.objects.filter(app_label="disagreements").exists()
    flow_class, tasks = _flow_references(process)
    assert flow_class == "workflows/disagreements.DisagreementFlow"
    assert tasks and all(t.startswith("workflows/disagreements.DisagreementFlow.") for t in tasks)

    _migrate(latest)
    assert _schema() == after_the_move
    moved = ContentType.objects.get(app_label="disagreements", model="disagreement")
    assert moved.pk == content_type_id
    assert not ContentType.objects.filter(app_label="ehc", model="disagreement").exists()
    flow_class, tasks = _flow_references(process)
    assert flow_class == "disagreements/flows.DisagreementFlow"
    assert tasks and all(t.startswith("disagreements/flows.DisagreementFlow.") for t in tasks)
    process = Process.objects.get(pk=process.pk)
    assert process.flow_class is DisagreementFlow
    assert {task.flow_task.name for task in process.task_set.all()} >= {"start", "mediation"}
    assert process.seed == open_refusal
    assert process.artifact == open_refusal.case


@pytest.mark.django_db
def test_every_moved_model_matches_the_table_it_kept():
    """The state Django holds for the moved models (fields, indexes, constraints) matches the
    tables the core app created: names, columns and index names."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = set(introspection.table_names(cursor))
        for model in apps.get_app_config("disagreements").get_models():
            table = model._meta.db_table
            assert table.startswith("ehc_"), table
            assert table in tables
            columns = {c.name for c in introspection.get_table_description(cursor, table)}
            assert {f.column for f in model._meta.concrete_fields} == columns
            constraints = introspection.get_constraints(cursor, table)
            for index in model._meta.indexes:
                assert index.name in constraints
            for constraint in model._meta.constraints:
                assert constraint.name in constraints
