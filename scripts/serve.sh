#!/usr/bin/env bash
# The production stack on this machine (make serve): DEBUG off, static files collected
# and served by whitenoise, gunicorn with several workers, and the Celery workers for
# long jobs. Settings come from the environment (geoapp/settings.py); a secret key is
# generated once into var/secret_key when CIVATLAS_SECRET_KEY is not set.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export CIVATLAS_DEBUG=${CIVATLAS_DEBUG:-0}
export CIVATLAS_DB_CONN_MAX_AGE=${CIVATLAS_DB_CONN_MAX_AGE:-60}
if [ -z "${CIVATLAS_SECRET_KEY:-}" ]; then
  mkdir -p var
  [ -s var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  chmod 600 var/secret_key
  CIVATLAS_SECRET_KEY=$(cat var/secret_key)
  export CIVATLAS_SECRET_KEY
fi
.venv/bin/python manage.py collectstatic --noinput -v 0
# Task workers: ${CIVATLAS_JOB_WORKERS:-1} processes, one job at a time each; their log in
# ${CIVATLAS_CELERY_LOG:-var/celery.log} (bench/bench_load.py keeps its own).
.venv/bin/celery -A geoapp.jobs worker -c "${CIVATLAS_JOB_WORKERS:-1}" -l warning --without-gossip --without-mingle \
  --pidfile= >"${CIVATLAS_CELERY_LOG:-var/celery.log}" 2>&1 &
worker=$!
echo "CivAtlas (production stack) on http://$HOST:$PORT/ — gunicorn ${WEB_CONCURRENCY:-3} workers, Celery pid $worker"
.venv/bin/gunicorn geoapp.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-3}" \
  --threads "${GUNICORN_THREADS:-2}" --timeout "${GUNICORN_TIMEOUT:-120}" --access-logfile - --log-level warning &
web=$!
trap 'kill "$web" "$worker" 2>/dev/null || true' EXIT INT TERM
wait "$web"
