# Kepu — two set-up commands: `make run` and `make test`. Everything they need is
# installed from here (Python packages into .venv; Debian packages for the browser
# tests and PDF fonts when missing), so they work on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt | cksum | cut -d' ' -f1)
MO     := kepu/locale/zh_Hans/LC_MESSAGES/django.mo
PO     := kepu/locale/zh_Hans/LC_MESSAGES/django.po
APT_PACKAGES := chromium fonts-noto-cjk libharfbuzz-subset0 poppler-utils wrk redis-server nginx
BENCH_ARGS ?= --scale province --db postgres --scales county,city,province

.PHONY: run test journeys lint format messages system-deps bench cluster-test audit-deps clean env-keys restore-drill

$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

.env:
	@$(PYTHON) -c 'import base64, os, secrets; k = lambda: base64.b64encode(os.urandom(32)).decode(); print(f"KEPU_SECRET_KEY={secrets.token_urlsafe(48)}\nKEPU_HTTPS=false\nKEPU_FIELD_KEYS=k1:{k()}\nKEPU_BLIND_INDEX_KEY={k()}\nKEPU_AUDIT_KEY=a1:{k()}")' > $@
	@echo "created .env with fresh keys (local settings; see .env.example)"

# Keys added after a .env was made: appended once to an existing .env.
env-keys: .env
	@grep -q '^KEPU_AUDIT_KEY=' .env || { $(PYTHON) -c 'import base64, os; print("KEPU_AUDIT_KEY=a1:" + base64.b64encode(os.urandom(32)).decode())' >> .env; echo "added KEPU_AUDIT_KEY to .env"; }

$(MO): $(PO) $(STAMP)
	@$(PY) manage.py compilemessages -l zh_Hans -v0

messages: $(MO)

# The platform with the demo province on SQLite, and its background worker (imports,
# large exports, bulletins and the periodic schedules run there). A second run is quick:
# migrations, regions and demo data are all idempotent.
run: $(STAMP) .env env-keys $(MO)
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py load_regions
	@$(PY) manage.py load_demo
	@echo "Kepu is at http://127.0.0.1:$(PORT)/ with its background worker  (Ctrl-C stops both)"
	@trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker -v0 & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

# Chromium and CJK fonts for the browser journeys, wrk and redis-server for the benchmark,
# nginx for the cluster test (Debian packages, root only).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing) >/dev/null; \
	  else echo "missing:$$missing (apt-get install as root); browser tests will be skipped, make bench needs wrk"; fi; \
	fi

# The whole suite. DATABASE_URL selects PostgreSQL (a fresh test database is created).
# The browser journeys run in a process of their own: Playwright keeps an event loop
# running in its process, and Django refuses to open database connections beside it.
# (Exit code 5 = PYTEST_ARGS selected no journey.) Their server runs `make run`'s way, on
# a SQLite database of its own whatever DATABASE_URL says, so CI runs them in one pass
# only (JOURNEYS=0 in the PostgreSQL pass).
JOURNEYS ?= 1
test: $(STAMP) .env env-keys $(MO) system-deps
	@$(PY) -m pytest -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)
	@if [ "$(JOURNEYS)" = 1 ]; then $(MAKE) --no-print-directory journeys; fi

# The browser journeys alone (a real server on a SQLite database of their own, Chromium).
journeys: $(STAMP) .env env-keys $(MO) system-deps
	@$(PY) -m pytest -p no:xdist -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The benchmark suite (issue 8): dataset, in-process measurements, gunicorn under wrk;
# the report goes to bench/results/. Other options, e.g. a quick run on SQLite:
#   make bench BENCH_ARGS="--scale county --db sqlite"
# (all of them: .venv/bin/python bench/run.py --help).
bench: $(STAMP) .env env-keys $(MO) system-deps
	@$(PY) bench/run.py $(BENCH_ARGS)

# The multi-host deployment of docs/deploy.md on loopback (issue 17): nginx, two app
# servers, PostgreSQL (KEPU_CLUSTER_PG, default postgres://postgres@127.0.0.1:5432; a
# database of its own, dropped afterwards), Redis and two workers; a 20,000-row import and
# public orders through nginx while an app server and a worker are killed. The report
# goes to bench/results/cluster-latest.md.
cluster-test: $(STAMP) .env env-keys $(MO) system-deps
	@$(PY) scripts/cluster_test.py $(CLUSTER_ARGS)

# The backup and restore drill (docs/deploy.md): backs up the database of DATABASE_URL (or
# .env's) with its files, restores into a fresh database, verifies it, prints the times.
restore-drill: $(STAMP) .env env-keys
	@$(PY) scripts/restore_drill.py

# Known vulnerabilities in the locked requirements (pip-audit; PyPI's project JSON for
# what pip-audit cannot look up). Fails on a vulnerability; packages that could not be
# audited are listed as NOT audited (a failure with AUDIT_ARGS=--strict).
audit-deps: $(STAMP)
	@$(PY) scripts/audit_deps.py $(AUDIT_ARGS)

lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

clean:
	rm -rf var .pytest_cache artifacts
