# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install messages translations run test lint format release serve worker backup restore bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the lock changes.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# GNU gettext, for the catalogues: Debian's package where it is missing.
GETTEXT := command -v msgfmt >/dev/null || (command -v apt-get >/dev/null && apt-get update -qq && apt-get install -y -qq gettext >/dev/null) || echo "GNU gettext missing: install it for the interface's languages"

# The catalogues of the interface's languages compiled for gettext (locale/: ours; locale_libraries/: what the
# libraries' own catalogues lack), each checked as it is compiled (its placeholders those of the English).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale_libraries/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po
	@$(GETTEXT)
	msgfmt --check-format --output-file $@ $<

messages: $(MO_FILES)

# The catalogues brought up to date with the strings marked in the code (makemessages, with GNU gettext), then a
# list of what is left to translate: fails while any message is untranslated or fuzzy.
translations: install
	@$(GETTEXT)
	$(BIN)/python manage.py translations

# The site and one worker for its long work (large imports, exports, list actions); Ctrl-C stops both.
run: install messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bootstrap
	$(BIN)/python manage.py db_worker --interval 0.5 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite on TEST_WORKERS processes (pytest-xdist; `auto`: one per core), each with its own test database.
# Tests marked with the same xdist_group run on one worker, one after the other; no reordering of the groups,
# so that pytest-django's order (database tests before transactional ones) holds on each worker. The ten
# slowest tests are listed at the end: make slow tests faster rather than fewer.
TEST_WORKERS ?= auto

test: install translations messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=10

# A release, once per deployment (not on every start of every host): checks, migrations, static files.
release: install messages
	DJANGO_DEBUG=false $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --no-input --verbosity 0

# Production settings under gunicorn, with TASK_WORKERS workers (default 1) for the long work, after a release;
# needs DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS) in the environment. Another host runs `make worker` alone.
serve: release
	for n in $$(seq $${TASK_WORKERS:-1}); do DJANGO_DEBUG=false $(BIN)/python manage.py db_worker & done; \
		trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=false $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--timeout 120 --access-logfile - --error-logfile - \
		--access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

# A worker alone, for a host that runs only the long work.
worker: install messages
	DJANGO_DEBUG=false $(BIN)/python manage.py db_worker

# The whole site's data as JSON: records with natural keys, their history, groups and accounts;
# `make restore FILE=...` loads it into an empty database.
BACKUP_DIR ?= backups
backup: install
	mkdir -p $(BACKUP_DIR)
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)/relations-$$(date -u +%Y%m%dT%H%M%SZ).json

restore: install
	@test -n "$(FILE)" || (echo "Give the backup file: make restore FILE=backups/relations-....json" && exit 2)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py restore $(FILE)

# Pages, imports, export, backup and restore, and load on the article's data and at scale; the table lands in
# benchmarks/results/. The mixed load test uses Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/14, emptied).
bench: install
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get update -qq && apt-get install -y -qq wrk >/dev/null) || echo "wrk missing: the load tests will be skipped"
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/extraction.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
