# CivAtlas: two commands. `make run` serves the platform with the demo data;
# `make test` runs the whole test suite. Both start with `make setup`, which installs
# whatever is missing (see scripts/setup.sh) and is safe to run again.
.PHONY: setup run test lint bench messages serve guide-screenshots backup restore

HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	bash scripts/setup.sh

run: setup
	@.venv/bin/python manage.py demo_logins
	@# DEBUG stays off (docs/security.md); --insecure lets runserver serve the static files anyway.
	.venv/bin/python manage.py runserver --insecure $(HOST):$(PORT)

# The production stack: gunicorn (several workers), whitenoise, DEBUG off, Celery workers
# (scripts/serve.sh; docs/scaling.md). `make run` stays the one-command demo.
serve: setup
	@.venv/bin/python manage.py demo_logins
	HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

test:
	bash scripts/setup.sh --with-browser
	.venv/bin/python -m pytest

# The operator guide's pictures (docs/screenshots/), taken by the persona journeys.
guide-screenshots:
	CIVATLAS_GUIDE_SHOTS=1 .venv/bin/python -m pytest tests/e2e/test_personas.py -q

lint:
	.venv/bin/ruff check .

# Benchmarks run on their own database with the national dataset (scripts/bench_db.sh
# creates and loads it; BENCH_DATABASE_URL overrides the default civatlas_national),
# against peers installed into their own venv var/bench-peers (scripts/bench_peers.sh).
BENCH_DATABASE_URL ?= postgresql:///civatlas_national
bench: setup
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) bash scripts/bench_db.sh
	bash scripts/bench_peers.sh
	DATABASE_URL=$(subst postgresql:,postgis:,$(BENCH_DATABASE_URL)) .venv/bin/python bench/run_all.py

# Chinese is the source language (docs/adr/0004): refresh the English catalogues of
# templates/Python (django) and map.js (djangojs) and compile them; fill in the new
# msgstrs (no fuzzy flags) and run it again.
MSG_IGNORE = --ignore=.venv --ignore=data --ignore=tests --ignore=var --ignore=node_modules
messages:
	.venv/bin/python manage.py makemessages -l en $(MSG_IGNORE)
	.venv/bin/python manage.py makemessages -d djangojs -l en $(MSG_IGNORE)
	.venv/bin/python manage.py compilemessages --ignore=.venv

# Backups (docs/security.md): the database with pg_dump (custom format) and the media
# folder, with checksums; `make restore BACKUP=var/backups/<stamp>` restores into a fresh
# database named by DATABASE_URL and an empty media folder.
backup:
	bash scripts/backup.sh $(BACKUP_DIR)

restore:
	bash scripts/restore.sh $(BACKUP)
