"""Bulk writes for the large loaders (national dataset, reference list): COPY and index rebuilds.

Raw SQL, because the ORM cannot say either: ``copy_rows`` streams tuples through one
``COPY … FROM STDIN`` (bound data; the ORM's bulk insert is ~10× slower at this size),
``copy_text`` streams blocks already in COPY's text format (the caller escapes; the
gazetteer's loaders format in worker processes, ~10× less work than ``write_row``),
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


def copy_text(table: str, columns: tuple[str, ...], blocks: Iterable[str]) -> int:
    """COPY ``blocks`` of lines in COPY's text format into ``table``; returns the row count."""
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for block in blocks:
            copy.write(block)
            count += block.count("\n")
    return count


# Memory for one index build: GIN builds (trigrams, fragments) are ~20 % faster with 1 GB
# than with 256 MB on 1.5 million names. Allocated only as a build needs it.
BUILD_MEMORY = "1GB"


@contextmanager
def indexes_rebuilt(table: str, *, when: bool = True):
    """Drop ``table``'s secondary indexes (not the primary key) and its foreign keys around
    the block, then create them again by their stored definitions (same names, same
    options). A unique index built again checks the new rows too; a foreign key added
    again checks every row in one join, instead of one queued check per written row (a
    sixth of a 150,000-name load). Must run inside a transaction."""
    if not when:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt needs a transaction (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename = %s AND indexname <> %s", [table, f"{table}_pkey"])
        definitions = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        keys = cursor.fetchall()
        # No ALTER TABLE while foreign-key checks of earlier writes are pending: run them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; PostgreSQL builds no index on a table with
        # pending checks, so run them now (the rest of the transaction checks at once too).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        for _name, definition in definitions:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
