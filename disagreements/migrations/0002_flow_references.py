"""The disagreement flow moved from workflows/disagreements.py to disagreements/flows.py, and
viewflow stores each process's flow and each task's node by module path. Rewrite the stored
references so processes and tasks started before the move load, and carry on, as before."""

from django.db import migrations

OLD = "workflows/disagreements.DisagreementFlow"
NEW = "disagreements/flows.DisagreementFlow"


def _rewrite(apps, schema_editor, old: str, new: str) -> None:
    table_process = apps.get_model("viewflow", "Process")._meta.db_table
    table_task = apps.get_model("viewflow", "Task")._meta.db_table
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table_process)} SET flow_class = %s WHERE flow_class = %s", [new, old]
        )
        # A task's node is "<flow reference>.<node name>": swap the prefix, keep the node.
        cursor.execute(
            f"UPDATE {quote(table_task)} SET flow_task = %s || SUBSTR(flow_task, %s) "
            f"WHERE flow_task LIKE %s",
            [new, len(old) + 1, old + ".%"],
        )


def forward(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, OLD, NEW)


def backward(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("disagreements", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(forward, backward)]
