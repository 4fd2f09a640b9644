"""The inverted list of two-character fragments (``NameFragment``), in search order.

A two-character infix that half the country's village committees share (村民, 委员,
员会) matches 100,000–600,000 names; the GIN index over ``PlaceName.fragments`` finds
them but returns them unordered, so the first page meant fetching and sorting them all
(~100–200 ms nationally, ADR 0035). This list holds one row per (fragment, standard name)
under a B-tree primary key (fragment, search_order, standard_name, name): the first page
of a fragment is the first rows of one index range.

It is an index, not data: PostgreSQL keeps it with the names by a trigger (migration
0005, the SQL below), so every write path — actions, the admin, COPY loaders — keeps
it right. The national loaders switch the trigger off for their COPY and ``refill`` the
list in one statement afterwards (``deferred``), which is far faster than a trigger per
row. Raw SQL: the ORM cannot say a trigger or ``unnest``.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from django.db import connection

from geoapp.bulk import BUILD_MEMORY

TABLE = "placenames_namefragment"
NAMES = "placenames_placename"
TRIGGERS = ("placenames_namefragment_sync", "placenames_namefragment_sync_update")

# The rows of the names matching WHERE, each two-character fragment once: a fragment
# where it first occurs in its name's array (``fragments`` holds each once anyway). Not
# DISTINCT over the whole list: that hashed 5.3 million rows nationally (+3 s).
_ROWS = f"""SELECT u.f, p.search_order, p.standard_name, p.id
FROM {NAMES} p, unnest(p.fragments) WITH ORDINALITY AS u(f, i)
WHERE p.status = 'standard' AND char_length(u.f) = 2 AND array_position(p.fragments, u.f) = u.i"""

SYNC_FUNCTION = f"""
CREATE OR REPLACE FUNCTION placenames_namefragment_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'standard' THEN
    DELETE FROM {TABLE} WHERE fragment = ANY (OLD.fragments) AND search_order = OLD.search_order
      AND standard_name = OLD.standard_name AND name_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'standard' THEN
    INSERT INTO {TABLE} (fragment, search_order, standard_name, name_id)
    SELECT DISTINCT f, NEW.search_order, NEW.standard_name, NEW.id FROM unnest(NEW.fragments) AS f
    WHERE char_length(f) = 2;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER placenames_namefragment_sync AFTER INSERT OR DELETE ON {NAMES}
  FOR EACH ROW EXECUTE FUNCTION placenames_namefragment_sync();
CREATE TRIGGER placenames_namefragment_sync_update AFTER UPDATE ON {NAMES} FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.fragments IS DISTINCT FROM NEW.fragments
        OR OLD.standard_name IS DISTINCT FROM NEW.standard_name OR OLD.search_order IS DISTINCT FROM NEW.search_order)
  EXECUTE FUNCTION placenames_namefragment_sync();
"""
DROP_SYNC = f"""
DROP TRIGGER IF EXISTS placenames_namefragment_sync ON {NAMES};
DROP TRIGGER IF EXISTS placenames_namefragment_sync_update ON {NAMES};
DROP FUNCTION IF EXISTS placenames_namefragment_sync();
"""


@lru_cache(maxsize=8)
def _database_collation(database: str) -> str:
    """The collation of ``database`` (the cache key; the query asks the connected one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def in_search_order() -> bool:
    """Whether the list's byte order (COLLATE "C") is the order the search sorts names in
    (the database's): so in the C and C.UTF-8 databases the project creates. Elsewhere
    the search sorts the matches instead of reading the list."""
    collation = _database_collation(connection.settings_dict["NAME"]).lower().replace("-", "")
    return collation in ("c", "posix", "c.utf8")


def refill(*, since_id: int | None = None) -> None:
    """Rows for the standard names with an id above ``since_id`` (all when None: the
    list is emptied and written again, its key built once after the rows, by sorting)."""
    with connection.cursor() as cursor:
        if since_id is not None:
            cursor.execute(f"INSERT INTO {TABLE} (fragment, search_order, standard_name, name_id) {_ROWS} "
                           "AND p.id > %s", [since_id])
            return
        cursor.execute(f"TRUNCATE {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {TABLE}_pkey")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        cursor.execute(f"INSERT INTO {TABLE} (fragment, search_order, standard_name, name_id) {_ROWS}")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey "
                       "PRIMARY KEY (fragment, search_order, standard_name, name_id)")
        cursor.execute(f"ANALYZE {TABLE}")  # without statistics the planner may scan it all


def tidy() -> None:
    """After a bulk load, outside a transaction: VACUUM the list, so that reading a
    fragment's first names needs no visit to the table (index-only scan; nationally,
    before autovacuum came, the infix p95 was 30 ms instead of 14). Inside a
    transaction (a job, a test) only ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {TABLE}")


@contextmanager
def deferred(*, many: bool):
    """Inside a transaction: the trigger off for a bulk write of new names, the list
    filled after it (entirely when ``many``: the load more than doubles the table)."""
    if not connection.in_atomic_block:
        raise RuntimeError("fragment_list.deferred needs a transaction (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {NAMES}")
        (before,) = cursor.fetchone()
        for trigger in TRIGGERS:
            cursor.execute(f"ALTER TABLE {NAMES} DISABLE TRIGGER {trigger}")
    yield
    with connection.cursor() as cursor:
        # No ALTER TABLE while foreign-key checks (deferred by Django) are pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for trigger in TRIGGERS:
            cursor.execute(f"ALTER TABLE {NAMES} ENABLE TRIGGER {trigger}")
    refill(since_id=None if many else before)
