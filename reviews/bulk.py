"""Inserting many rows at once for the import and the nightly pass."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

from ehc.services.deadlines import DEADLINE_MUTABLE_FIELDS

# A stored deadline's own columns: the two that identify it on its case, then those a
# recompute may change.
DEADLINE_FIELDS = ["kind", "subject_key", *DEADLINE_MUTABLE_FIELDS]


def insert_plain(model: type[Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """INSERT many rows with one prepared statement (executemany), skipping the ORM's per-object
    work: for rows whose ids nobody needs back. Values are adapted by each field for the
    database (dates, datetimes, JSON), so SQLite and PostgreSQL store what the ORM would."""
    columns = [model._meta.get_field(f) for f in fields]
    adapt = [
        (lambda v, c=c: c.get_db_prep_save(v, connection))
        if c.get_internal_type() in ("DateField", "DateTimeField", "JSONField")
        else None
        for c in columns
    ]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(c.column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    prepared = [
        tuple(v if a is None else a(v) for v, a in zip(row, adapt, strict=True)) for row in rows
    ]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
