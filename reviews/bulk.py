"""Inserting many rows at once for the import and the nightly pass.

Three set-based tools, each one statement (or one COPY) per batch, whatever the batch size:

* `allocate_ids` reserves primary keys before inserting, so parents and children can be written
  without reading ids back (PostgreSQL: the table's sequence; SQLite: its AUTOINCREMENT counter);
* `insert_plain` writes rows: PostgreSQL by COPY, SQLite by one prepared statement (executemany);
* `insert_history` writes the django-simple-history rows of rows just inserted, as one
  INSERT ... SELECT from the table itself, so a bulk-created row has the same "created" history
  row as one saved through the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model

from ehc.services.deadlines import DEADLINE_MUTABLE_FIELDS

# A stored deadline's own columns: the two that identify it on its case, then those a
# recompute may change.
DEADLINE_FIELDS = ["kind", "subject_key", *DEADLINE_MUTABLE_FIELDS]
HISTORY_OWN = ("history_id", "history_date", "history_change_reason", "history_type")


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """`count` unused primary keys for `model`, reserved for this transaction's inserts.

    Must run inside transaction.atomic: on SQLite the counter's update takes the write lock, so
    no other writer can take the same ids before this transaction ends."""
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_ids must run inside a transaction")
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {_qn(table)})) "
            "+ %s WHERE name = %s",
            [count, table],
        )
        if cursor.rowcount == 0:  # the table has never had a row
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, COALESCE(MAX({connection.ops.quote_name(pk)}), 0) + %s "
                f"FROM {_qn(table)}",
                [table, count],
            )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _adapter(field):  # noqa: ANN001, ANN202  (a model field; returns a value adapter or None)
    kind = field.get_internal_type()
    if kind == "JSONField":
        encoder = field.encoder or DjangoJSONEncoder
        seen: dict[int, tuple] = {}  # the same object in many rows is encoded once

        def dump(value):  # noqa: ANN001, ANN202
            if value is None:
                return None
            hit = seen.get(id(value))
            if hit is not None and hit[0] is value:
                return hit[1]
            done = json.dumps(value, cls=encoder)
            seen[id(value)] = (value, done)  # holding the object keeps its id from reuse
            return done

        return dump
    if connection.vendor == "postgresql":
        return None  # COPY takes dates, datetimes, booleans and text as they are
    if kind in ("DateField", "DateTimeField"):
        cache: dict = {}

        def adapt(value):  # noqa: ANN001, ANN202
            if value is None:
                return None
            try:
                return cache[value]
            except KeyError:
                cache[value] = done = field.get_db_prep_save(value, connection)
                return done

        return adapt
    return None


def insert_plain(model: type[Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """INSERT many rows, skipping the ORM's per-object work: PostgreSQL by COPY, SQLite by one
    prepared statement. Values are adapted as each field would for the database (dates,
    datetimes, JSON), so what is stored is what the ORM would store. Returns the row count."""
    columns = [model._meta.get_field(f) for f in fields]
    adapt = [_adapter(c) for c in columns]
    needs = [i for i, a in enumerate(adapt) if a is not None]

    def prepared(row: tuple) -> tuple:
        if not needs:
            return row
        out = list(row)
        for i in needs:
            out[i] = adapt[i](out[i])
        return tuple(out)

    names = ", ".join(_qn(c.column) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {_qn(model._meta.db_table)} ({names}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            _qn(model._meta.db_table), names, ", ".join(["%s"] * len(columns))
        )
        batch = [prepared(row) for row in rows]
        if batch:
            cursor.executemany(sql, batch)
        return len(batch)


def insert_history(
    model: type[Model],
    ids: Sequence[int],
    *,
    when: datetime,
    user_id: int | None,
    reason: str,
    history_type: str = "+",
) -> None:
    """The django-simple-history rows ("+" created, "~" changed) of rows `ids` of `model`, as
    they stand now: one INSERT ... SELECT per 5,000 ids."""
    if not ids:
        return
    history = model.history.model  # type: ignore[attr-defined]
    copied = [
        f.column
        for f in history._meta.concrete_fields
        if f.name not in HISTORY_OWN and f.name != "history_user"
    ]
    own = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    when_db = history._meta.get_field("history_date").get_db_prep_save(when, connection)
    pk = _qn(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = list(ids[start : start + 5000])
            cursor.execute(
                "INSERT INTO {h} ({cols}, {own}) SELECT {cols}, %s, %s, %s, %s FROM {t} "
                "WHERE {pk} IN ({marks})".format(
                    h=_qn(history._meta.db_table),
                    cols=", ".join(_qn(c) for c in copied),
                    own=", ".join(_qn(c) for c in own),
                    t=_qn(model._meta.db_table),
                    pk=pk,
                    marks=", ".join(["%s"] * len(chunk)),
                ),
                [when_db, reason, history_type, user_id, *chunk],
            )


def with_defaults(model: type[Model], given: Sequence[str]) -> tuple[list[str], tuple]:
    """The columns to insert: `given`, then every other concrete field but the primary key,
    with the value it defaults to (the same for every row: give per-row defaults, such as a
    random reference or a creation time, yourself)."""
    rest = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in given and f.attname not in given
    ]
    return [*given, *(f.attname for f in rest)], tuple(f.get_default() for f in rest)
