"""The index checked after every `migrate`: a migration that remakes an indexed table on
SQLite, or one that drops and recreates the full-text tables, must not leave search blind."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connection

from ehc.models import SearchDocument

log = logging.getLogger(__name__)


def search_index_check(sender: object, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate: repair the index when the migrated schema has it (skipped when only part
    of the migrations ran and the index table is not yet in its current shape)."""
    from ehc.search.service import search_index_repair

    if using != DEFAULT_DB_ALIAS:
        return
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    if not {f.column for f in SearchDocument._meta.concrete_fields} <= columns:
        return
    repaired = search_index_repair()
    if repaired:
        log.info("Search index repaired after migrate: %s", ", ".join(repaired))
