#!/usr/bin/env bash
# Demonstrate the read-replica router (docs/scaling.md) against a real streaming replica
# on this machine: a second PostgreSQL cluster on another port, cloned from the primary
# with pg_basebackup -R (streaming replication), the app reading through
# DATABASE_REPLICA_URL and writing to the primary. Removes the replica afterwards
# (keep it with KEEP=1). Needs root or the postgres user; run by hand, not in make test.
set -euo pipefail
cd "$(dirname "$0")/.."
VER=${PG_VERSION:-$(pg_lsclusters -h | awk 'NR==1{print $1}')}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5439}
NAME=${REPLICA_CLUSTER:-civatlas_replica}
DB=${DB:-$(python3 -c 'import os,urllib.parse as u; print(u.urlparse(os.environ.get("DATABASE_URL","postgresql:///civatlas")).path.lstrip("/"))')}
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
say() { echo "== $*"; }

hba=/etc/postgresql/$VER/main/pg_hba.conf
if ! grep -qE '^local\s+replication\s+all' "$hba"; then
  say "allowing local replication connections on the primary ($hba)"
  echo "local   replication     all                                     peer" >> "$hba"
  as_pg psql -p "$PRIMARY_PORT" -Atqc "select pg_reload_conf()" >/dev/null
fi
if pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
  say "dropping the old replica cluster $NAME"; pg_dropcluster --stop "$VER" "$NAME"
fi
say "creating cluster $NAME on port $PORT and cloning the primary (pg_basebackup -R)"
pg_createcluster -q "$VER" "$NAME" --port "$PORT" >/dev/null
data=/var/lib/postgresql/$VER/$NAME
find "$data" -mindepth 1 -delete  # keep the directory (owned by postgres)
started=$(date +%s)
SLOT=${NAME}_slot
drop_slot() { as_pg psql -p "$PRIMARY_PORT" -Atqc "select pg_drop_replication_slot('$SLOT') from pg_replication_slots where slot_name = '$SLOT'" >/dev/null || true; }
drop_slot
# A replication slot keeps the WAL written during the copy (other work goes on meanwhile).
as_pg pg_basebackup -p "$PRIMARY_PORT" -D "$data" -R -X stream -c fast -C -S "$SLOT"
say "base backup took $(( $(date +%s) - started )) s"
pg_ctlcluster "$VER" "$NAME" start
for _ in $(seq 1 30); do pg_isready -q -p "$PORT" && break; sleep 1; done
say "replica in recovery (streaming): $(as_pg psql -p "$PORT" -Atc 'select pg_is_in_recovery()')"
for _ in $(seq 1 60); do
  state=$(as_pg psql -p "$PRIMARY_PORT" -Atc "select state from pg_stat_replication where application_name like '%$NAME' or application_name = 'walreceiver' limit 1")
  [ "$state" = streaming ] && break; sleep 1
done
say "primary's view of the replica: ${state:-not connected}"

say "the app with DATABASE_REPLICA_URL: reads from the replica, writes to the primary"
DATABASE_REPLICA_URL="postgresql:///$DB?port=$PORT&host=/var/run/postgresql" .venv/bin/python - <<'PY'
import os, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")
django.setup()
from django.db import connections, router, transaction
from boundaries.models import Division
from geoapp.jobs.models import Job

def server(alias):
    with connections[alias].cursor() as c:
        c.execute("select inet_server_port(), current_setting('port'), pg_is_in_recovery()")
        return c.fetchone()[1:]

print("read alias for Division:", router.db_for_read(Division), "→ port/in recovery", server(router.db_for_read(Division)))
print("write alias for Job:", router.db_for_write(Job), "→ port/in recovery", server(router.db_for_write(Job)))
print("divisions read via the replica:", Division.objects.current().count())
with transaction.atomic():
    job = Job.objects.create(kind="wait", params={"seconds": 0}, message="replica demo")
    print("inside a transaction reads stay on", router.db_for_read(Job))
started = time.monotonic()
while not Job.objects.filter(pk=job.pk).exists():  # a read, so on the replica
    if time.monotonic() - started > 60:
        raise SystemExit("the replica did not catch up within 60 s")
    time.sleep(0.01)
print(f"job #{job.pk} written on the primary, visible on the replica after {1000 * (time.monotonic() - started):.0f} ms")
Job.objects.filter(pk=job.pk).delete()
PY
if [ "${KEEP:-0}" != 1 ]; then say "removing the replica and its slot"; pg_dropcluster --stop "$VER" "$NAME"; drop_slot; fi
