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
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Field, Model

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
    columns = [cast(Field, model._meta.get_field(f)) for f in fields]
    return _write(model._meta.db_table, [str(c.column) for c in columns], columns, rows)


def _write(table: str, names: Sequence[str], fields: Sequence[Field], rows: Iterable[tuple]) -> int:
    adapt = [_adapter(f) for f in fields]
    needs = [i for i, a in enumerate(adapt) if a is not None]

    def prepared(row: tuple) -> tuple:
        if not needs:
            return row
        out = list(row)
        for i in needs:
            out[i] = adapt[i](out[i])
        return tuple(out)

    quoted = ", ".join(_qn(n) for n in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_qn(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            _qn(table), quoted, ", ".join(["%s"] * len(names))
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


# -- staging: rows worked out in Python once, every table then filled by INSERT ... SELECT -----


@dataclass(frozen=True)
class Const:
    """A value the same for every row of an insert_select, stored as its field stores it."""

    value: object


def stage_create(name: str, columns: Sequence[tuple[str, Field]]) -> None:
    """A temporary table `name` with a column of each field's database type, emptied if it is
    there already (it lasts until the connection closes; a rolled-back transaction drops it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_qn(name)}")
        cursor.execute(
            "CREATE TEMPORARY TABLE {} ({})".format(
                _qn(name),
                ", ".join(f"{_qn(col)} {field.db_type(connection)}" for col, field in columns),
            )
        )


def stage_drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_qn(name)}")


def stage_write(name: str, columns: Sequence[tuple[str, Field]], rows: Iterable[tuple]) -> int:
    """Rows into a stage table (PostgreSQL by COPY, SQLite by one prepared statement), each
    value adapted as its field would store it."""
    fields = [field for _col, field in columns]
    count = _write(name, [col for col, _field in columns], fields, rows)
    if connection.vendor == "postgresql":
        # A temporary table has no statistics until analysed: without them the planner
        # guesses its size and can choose a plan that reads every row of a big table per row.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_qn(name)}")
    return count


def const_sql(model: type[Model], column: str, value: object) -> tuple[str, list]:
    """A placeholder and its parameter for `value` stored as the model's `column` stores it
    (cast to the column's type on PostgreSQL, where a bare parameter has none)."""
    field = model._meta.get_field(column)
    stored = field.get_db_prep_save(value, connection)
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})", [stored]
    return "%s", [stored]


def insert_select(
    model: type[Model], values: dict[str, str | Const | tuple[str, list]], source: str
) -> int:
    """INSERT INTO the model's table SELECT ... FROM `source`: one statement for any number
    of rows. `values` maps a column (field name or attname) to an SQL expression over
    `source`, an expression with its parameters, or a Const; every other column but the
    primary key takes its field's default. Returns the row count."""
    given = dict(values)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given or field.attname in given:
            continue
        given[field.attname] = Const(field.get_default())
    expressions, params = [], []
    for column, value in given.items():
        if isinstance(value, Const):
            value = const_sql(model, column, value.value)
        if isinstance(value, tuple):
            expressions.append(value[0])
            params.extend(value[1])
        else:
            expressions.append(value)
    columns = [_qn(model._meta.get_field(c).column) for c in given]
    sql = "INSERT INTO {} ({}) SELECT {} FROM {}".format(
        _qn(model._meta.db_table), ", ".join(columns), ", ".join(expressions), source
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
