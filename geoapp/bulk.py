"""Bulk writes for the large loaders (national dataset, reference list): COPY and index rebuilds.

Raw SQL, because the ORM cannot say either: ``copy_rows`` streams tuples through one
``COPY … FROM STDIN`` (bound data; the ORM's bulk insert is ~10× slower at this size),
and ``indexes_rebuilt`` drops a table's secondary indexes for a block and builds them
again from their stored definitions afterwards, which is several times faster than
maintaining every index row by row when a load more than doubles a table. Both run in
the caller's transaction: an index is never left missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection


def copy_rows(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns the count."""
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@contextmanager
def indexes_rebuilt(table: str, *, when: bool = True):
    """Drop ``table``'s secondary indexes (not the primary key) around the block, then
    create them again by their ``pg_indexes`` definitions (same names, same options).
    A unique index built again checks the new rows too. Must run inside a transaction."""
    if not when:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt needs a transaction (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename = %s AND indexname <> %s", [table, f"{table}_pkey"])
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; PostgreSQL builds no index on a table with
        # pending checks, so run them now (the rest of the transaction checks at once too).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)
