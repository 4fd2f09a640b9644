# CivAtlas: two commands. `make run` serves the platform with the demo data;
# `make test` runs the whole test suite. Both start with `make setup`, which installs
# whatever is missing (see scripts/setup.sh) and is safe to run again.
.PHONY: setup run test lint bench messages

HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	bash scripts/setup.sh

run: setup
	@.venv/bin/python manage.py demo_logins
	.venv/bin/python manage.py runserver $(HOST):$(PORT)

test:
	bash scripts/setup.sh --with-browser
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check .

bench: setup
	.venv/bin/python bench/run_all.py

messages:
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=data --ignore=tests
	.venv/bin/python manage.py compilemessages --ignore=.venv
