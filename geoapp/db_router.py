"""Read replica routing (docs/scaling.md), active when ``DATABASE_REPLICA_URL`` is set.

Reads outside a transaction go to the streaming replica (maps, tiles, search, WFS);
writes, and every read inside ``transaction.atomic`` on the primary (so an action reads
its own writes and its row locks), go to the primary. Migrations run on the primary only.
"""

from __future__ import annotations

from django.db import connections


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
