from django.db import migrations

# Misspelt words of word kinds are now read against the kind's word list (SearchWord), so
# nothing reads the trigram index on titles that 0011 made on PostgreSQL; it only slowed writes.
UP = "DROP INDEX IF EXISTS ehc_searchdocument_title_trgm"
DOWN = (
    "CREATE INDEX IF NOT EXISTS ehc_searchdocument_title_trgm ON ehc_searchdocument "
    "USING gin (title gin_trgm_ops) WHERE title <> ''"
)


def _on_postgresql(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("ehc", "0017_subject_deadlines")]

    operations = [migrations.RunPython(_on_postgresql(UP), _on_postgresql(DOWN))]
