"""Services are found through the core search index (ehc.search, migration ehc 0011) from now
on: the Local Offer's own full-text table, its triggers and its PostgreSQL indexes go. The
index check that runs after every migrate (ehc.search.upkeep) writes the services' documents."""

from django.db import migrations

SQLITE = [
    "DROP TRIGGER IF EXISTS local_offer_service_fts_au",
    "DROP TRIGGER IF EXISTS local_offer_service_fts_ad",
    "DROP TRIGGER IF EXISTS local_offer_service_fts_ai",
    "DROP TABLE IF EXISTS local_offer_service_fts",
]
POSTGRES = [
    "DROP INDEX IF EXISTS local_offer_service_name_trgm",
    "DROP INDEX IF EXISTS local_offer_service_fts",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("local_offer", "0004_action_alerts"),
        ("ehc", "0011_search_words_and_uuid_keys"),
    ]
    # Going back leaves the old search without its index; migration 0003 rebuilds it if
    # unapplied and applied again.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
