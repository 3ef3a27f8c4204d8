"""Full-text search over services: FTS5 on SQLite, a weighted tsvector GIN index and trigrams on
PostgreSQL. local_offer.search holds the queries that use them."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE local_offer_service_fts USING fts5(
        name, search_text, content='local_offer_service', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER local_offer_service_fts_ai AFTER INSERT ON local_offer_service BEGIN
        INSERT INTO local_offer_service_fts(rowid, name, search_text)
        VALUES (new.rowid, new.name, new.search_text); END""",
    """CREATE TRIGGER local_offer_service_fts_ad AFTER DELETE ON local_offer_service BEGIN
        INSERT INTO local_offer_service_fts(local_offer_service_fts, rowid, name, search_text)
        VALUES ('delete', old.rowid, old.name, old.search_text); END""",
    """CREATE TRIGGER local_offer_service_fts_au AFTER UPDATE OF name, search_text
        ON local_offer_service BEGIN
        INSERT INTO local_offer_service_fts(local_offer_service_fts, rowid, name, search_text)
        VALUES ('delete', old.rowid, old.name, old.search_text);
        INSERT INTO local_offer_service_fts(rowid, name, search_text)
        VALUES (new.rowid, new.name, new.search_text); END""",
    "INSERT INTO local_offer_service_fts(local_offer_service_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS local_offer_service_fts_au",
    "DROP TRIGGER IF EXISTS local_offer_service_fts_ad",
    "DROP TRIGGER IF EXISTS local_offer_service_fts_ai",
    "DROP TABLE IF EXISTS local_offer_service_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX local_offer_service_fts ON local_offer_service USING GIN ((
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', search_text), 'B')))""",
    """CREATE INDEX local_offer_service_name_trgm ON local_offer_service
        USING GIN (lower(name) gin_trgm_ops)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS local_offer_service_name_trgm",
    "DROP INDEX IF EXISTS local_offer_service_fts",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("local_offer", "0002_taxonomies_synonyms")]
    operations = [migrations.RunPython(forward, backward)]
