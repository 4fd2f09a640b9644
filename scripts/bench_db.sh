#!/usr/bin/env bash
# The benchmark database of `make bench`: $BENCH_DATABASE_URL (default
# postgresql:///civatlas_national), never the development database. Creates it with
# PostGIS, postgis_topology and pg_trgm where missing, migrates, loads the demo data and
# then the national dataset (manage.py load_national: idempotent, so a second `make bench`
# only checks). About 10-15 minutes the first time on 2 cores; seconds afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

URL=${BENCH_DATABASE_URL:-postgresql:///civatlas_national}
NAME=$(python3 -c 'import sys, urllib.parse as u; print(u.urlparse(sys.argv[1]).path.lstrip("/"))' "$URL")
PSQL_URL=${URL/#postgis:/postgresql:}
SERVER_URL="${PSQL_URL%/*}/postgres"
[ "$NAME" = civatlas ] && { echo "BENCH_DATABASE_URL must not be the development database civatlas" >&2; exit 1; }

if [ "$(psql "$SERVER_URL" -Atqc "select count(*) from pg_database where datname = '$NAME'")" = 0 ]; then
  echo "==> creating the benchmark database $NAME (UTF-8)"
  psql "$SERVER_URL" -qc "create database \"$NAME\" encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0"
fi
psql "$PSQL_URL" -v ON_ERROR_STOP=1 -Atq -c "create extension if not exists postgis" \
  -c "create extension if not exists postgis_topology" -c "create extension if not exists pg_trgm" >/dev/null

export DATABASE_URL="${URL/#postgresql:/postgis:}"
.venv/bin/python manage.py migrate --noinput -v 0
# The demo first (its topology and lines), so the national load merges around it; only
# into a fresh database: load_demo_placenames names *every* division it finds, which on
# the national dataset would re-spell and re-note 660,000 names.
if [ -z "$(psql "$PSQL_URL" -Atqc "select 1 from boundaries_division where code = '620521000000'")" ]; then
  .venv/bin/python manage.py load_demo -v 0
  .venv/bin/python manage.py load_demo_placenames -v 0
  .venv/bin/python manage.py load_demo_facilities -v 0
fi
# The demo sign plan (idempotent): the load run's field team submits inspections of its signs.
.venv/bin/python manage.py load_demo_signs -v 0
.venv/bin/python manage.py load_reference_divisions --if-empty -v 0
# The timings of a run that wrote something go to bench/results/ (bench/bench_import.py reports them).
.venv/bin/python manage.py load_national --workers "${BENCH_WORKERS:-2}" --report bench/results/load_national.json
.venv/bin/python manage.py build_tiles --if-missing
