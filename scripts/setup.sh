#!/usr/bin/env bash
# CivAtlas set-up, shared by `make run` and `make test` (idempotent).
#
#   scripts/setup.sh [--with-browser]
#
# 1. apt packages that are missing (GDAL, PostgreSQL + PostGIS, python3-venv; pango, CJK
#    fonts, poppler-utils and mosquitto, started if not listening; chromium with --with-browser),
# 2. a PostgreSQL server: $DATABASE_URL if set, else the local one, started or
#    created if needed,
# 3. the database `civatlas` (UTF-8 character type) and the template
#    `civatlas_template` for test databases, both with postgis, postgis_topology, pg_trgm,
# 4. .venv with requirements-dev.txt, 5. migrations, 6. the demo data and demo users.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_BROWSER=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install the packages listed in README.md by hand"
  SUDO="sudo"
fi

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  say "installing ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- 1. system packages --------------------------------------------------------------
need=()
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
command -v gdalinfo >/dev/null || need+=(gdal-bin)
command -v psql >/dev/null || need+=(postgresql-client)
if [ "$WITH_BROWSER" -eq 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
fi
command -v redis-server >/dev/null || need+=(redis-server)  # tile cache + task queue
[ ${#need[@]} -gt 0 ] && apt_install "${need[@]}"
# Inspection reports (boundaries.inspections): WeasyPrint needs pango; Chinese PDF text needs
# the CJK fonts on the server (not only for the browser); pdftotext (poppler-utils) reads
# the PDFs in tests. Smart-marker telemetry subscribes to a local MQTT broker (mosquitto).
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils mosquitto
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  say "starting mosquitto (MQTT broker for smart markers) on 127.0.0.1:1883"
  if command -v systemctl >/dev/null && systemctl start mosquitto 2>/dev/null; then :;
  # Without a config file mosquitto 2 listens on 127.0.0.1:1883 only (local-only mode).
  else $SUDO /usr/sbin/mosquitto -d || say "WARNING: could not start mosquitto"; fi
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.5; done
fi
# Redis on 127.0.0.1:6379 (the tile cache and the Celery broker): start it where it is not running.
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  say "starting Redis"
  (command -v systemctl >/dev/null && $SUDO systemctl start redis-server 2>/dev/null) \
    || $SUDO service redis-server start >/dev/null 2>&1 \
    || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null || true
fi
export PGOPTIONS="-c client_min_messages=warning"

# --- 2. a PostgreSQL server -------------------------------------------------------------
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; elif [ -n "$SUDO" ]; then sudo -u postgres "$@"; else runuser -u postgres -- "$@"; fi; }

if [ -n "${DATABASE_URL:-}" ]; then
  ADMIN_URL="$DATABASE_URL"
  psql "$ADMIN_URL" -Atqc 'select 1' >/dev/null 2>&1 || \
    psql "${ADMIN_URL%/*}/postgres" -Atqc 'select 1' >/dev/null 2>&1 || \
    die "cannot reach the server in DATABASE_URL ($DATABASE_URL)"
else
  if ! pg_isready -q 2>/dev/null; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      apt_install postgresql
    fi
    PGVER=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
      say "creating PostgreSQL $PGVER cluster 'main' (UTF-8)"
      $SUDO pg_createcluster --locale C.UTF-8 "$PGVER" main >/dev/null
    fi
    say "starting PostgreSQL"
    pg_lsclusters -h | while read -r ver name _rest; do
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null || true
    done
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not start; install and start it (apt-get install postgresql) or set DATABASE_URL"
  fi
  # A role for the current user, superuser so it can create extensions and test databases.
  if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    say "creating PostgreSQL role $(id -un)"
    as_postgres createuser --superuser "$(id -un)"
  fi
  ADMIN_URL="postgresql:///postgres"
fi

# --- PostGIS for the server's major version -------------------------------------------------
server_psql() { psql "${ADMIN_URL%/*}/postgres" -v ON_ERROR_STOP=1 -Atq "$@"; }
[ -z "${DATABASE_URL:-}" ] && server_psql() { psql -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
MAJOR=$(server_psql -c 'show server_version_num' | cut -c1-2)
if [ "$(server_psql -c "select count(*) from pg_available_extensions where name in ('postgis','postgis_topology','pg_trgm')")" != 3 ]; then
  [ -z "${DATABASE_URL:-}" ] || die "the server in DATABASE_URL lacks PostGIS (postgresql-$MAJOR-postgis-3) or pg_trgm"
  apt_install "postgresql-$MAJOR-postgis-3" "postgresql-$MAJOR-postgis-3-scripts"
fi

# --- 3. databases --------------------------------------------------------------------------------
DB_NAME=civatlas
if [ -n "${DATABASE_URL:-}" ]; then DB_NAME=$(python3 -c 'import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).path.lstrip("/"))' "$DATABASE_URL"); fi
ensure_db() {  # name, is_template
  local name=$1 template=$2
  if [ "$(server_psql -c "select count(*) from pg_database where datname = '$name'")" = 0 ]; then
    say "creating database $name (UTF-8)"
    server_psql -c "create database \"$name\" encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0"
  fi
  local url="postgresql:///$name"
  [ -n "${DATABASE_URL:-}" ] && url="${DATABASE_URL%/*}/$name"
  psql "$url" -v ON_ERROR_STOP=1 -Atq \
    -c "create extension if not exists postgis" \
    -c "create extension if not exists postgis_topology" \
    -c "create extension if not exists pg_trgm" >/dev/null
  [ "$template" = yes ] && server_psql -c "alter database \"$name\" is_template true" >/dev/null
  local ctype; ctype=$(server_psql -c "select datctype from pg_database where datname = '$name'")
  case "$ctype" in *UTF-8*|*utf8*|*UTF8*) ;; *) say "WARNING: $name has LC_CTYPE=$ctype; Chinese name search needs a UTF-8 character type";; esac
}
ensure_db "$DB_NAME" no
ensure_db civatlas_template yes

# --- 4. virtualenv ---------------------------------------------------------------------------------
STAMP=.venv/.requirements-$(cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
if [ ! -f "$STAMP" ]; then
  say "creating .venv and installing Python packages"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -r requirements-dev.txt 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  rm -f .venv/.requirements-*; touch "$STAMP"
fi

# --- 5-6. schema and demo data ------------------------------------------------------------------------
say "migrating"
.venv/bin/python manage.py migrate --noinput -v 0
say "loading demo data (idempotent)"
.venv/bin/python manage.py load_demo -v 0
.venv/bin/python manage.py load_demo_placenames -v 0
.venv/bin/python manage.py load_demo_signs -v 0
.venv/bin/python manage.py load_demo_facilities -v 0
.venv/bin/python manage.py load_demo_inspections -v 0
.venv/bin/python manage.py build_tiles --if-missing  # generalised tile geometries
say "loading the national reference list of division names (once; data/reference/)"
.venv/bin/python manage.py load_reference_divisions --if-empty -v 0

# --- 7. the one register: divisions, names, signs, facilities and lines agree ----------
say "checking the register (check_register)"
.venv/bin/python manage.py check_register || die "check_register found problems in the demo data (see above)"
