#!/usr/bin/env bash
# The peers `make bench` measures CivAtlas against, in their own venv var/bench-peers
# (idempotent): pygeoapi serving the same PostGIS tables (bench/pygeoapi_peer.py, with
# SQLAlchemy, GeoAlchemy2 and psycopg2 for its PostgreSQL providers and gunicorn to
# serve it) and locust for the load run. Kept out of .venv so that none of these, nor
# their pins (Flask, SQLAlchemy, shapely, rasterio…), reach the application.
# Versions are pinned to ones that installed and ran here; a second run only compares
# the stamp file and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=var/bench-peers
PINS=(
  pygeoapi==0.21.0
  SQLAlchemy==2.0.58
  GeoAlchemy2==0.17.1
  psycopg2-binary==2.9.13
  gunicorn==27.0.1
  locust==2.47.0
)
STAMP="$VENV/.pins"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "${PINS[*]}" ] && [ -x "$VENV/bin/pygeoapi" ] && [ -x "$VENV/bin/locust" ]; then
  exit 0
fi
mkdir -p var
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
echo "==> installing the benchmark peers into $VENV: ${PINS[*]}"
"$VENV/bin/python" -m pip install -q "${PINS[@]}"
printf '%s' "${PINS[*]}" > "$STAMP"
