# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test install install-test messages migrate demo lint format screenshots bench \
	bench-serving national-data backup restore clean pdf-libraries

run: install messages migrate demo
	$(MANAGE) runserver 127.0.0.1:8000

# The production stack on this machine: gunicorn (gunicorn.conf.py) on PostgreSQL, static files
# hashed and compressed through whitenoise, JSON logs. Settings come from production.env when it
# exists (see production.env.example); otherwise from the local defaults below.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/medborgarloften
serve: install messages
	@set -a; [ ! -f production.env ] || . ./production.env; set +a; \
	export DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} \
		SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(hostname)-not-for-the-internet} \
		DATABASE_URL=$${DATABASE_URL:-$(SERVE_DATABASE_URL)}; \
	if [ "$$DATABASE_URL" = "$(SERVE_DATABASE_URL)" ]; then \
		createdb -h 127.0.0.1 -U postgres medborgarloften 2>/dev/null || true; fi; \
	$(MANAGE) migrate --noinput -v0 && \
	$(MANAGE) collectstatic --noinput -v0 && \
	$(MANAGE) load_demo && \
	echo "Serving with gunicorn on http://$${GUNICORN_BIND:-127.0.0.1:8000}/ (Ctrl-C stops)" && \
	exec $(BIN)/gunicorn -c gunicorn.conf.py

test: install-test messages
	$(BIN)/lint-imports
	$(BIN)/pytest

install: pdf-libraries $(VENV)/.installed
install-test: pdf-libraries $(VENV)/.installed-test

# WeasyPrint (the yearly PDF) draws text with the system's Pango and fonts: installed from Debian
# when missing, as .ci/run installs Chromium; pdftotext (poppler-utils) reads the PDFs in the tests.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-libraries:
	@if ! { PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p | grep libpangoft2-1.0.so.0 >/dev/null && \
		[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v pdftotext >/dev/null; }; then \
		echo "Installing Pango, DejaVu fonts and poppler-utils for the PDFs: $(PDF_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null \
			|| echo "Could not install them (not root?): the PDFs need $(PDF_PACKAGES)."; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# English is a translation of the Swedish source texts; without gettext the site is Swedish only.
messages: install
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=$(VENV) -v0; \
	else \
		echo "msgfmt (gettext) not found: English translations not compiled."; \
	fi

migrate: install
	$(MANAGE) migrate --noinput -v0

demo: install
	$(MANAGE) load_demo

lint: install-test
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# README screenshots of the demo promise page and of the printed yearly report; needs `make run`
# serving in another terminal.
screenshots: install-test
	$(BIN)/python docs/take_screenshots.py
	$(BIN)/python docs/print_report.py

# National-scale benchmark of the yearly report and the outcome import, the import's limits and
# the PDF (see bench/). All run; the target fails if one of them missed an aim or failed.
bench: install messages
	status=0; \
	for bench in national_report import_limits followup_pdf; do \
		$(BIN)/python bench/$$bench.py || status=1; \
	done; exit $$status

# Serving, load and fault benchmarks under gunicorn on PostgreSQL (see README, "Production").
bench-serving: install
	$(BIN)/python bench/serving.py

# Synthetic national data (290 municipalities, 10 years), clearly marked; never loaded by `run`.
national-data: install migrate
	$(MANAGE) generate_national_data

# `make backup [FILE=x.jsonl.gz]`; `make restore FILE=x.jsonl.gz` into an empty, migrated database.
backup: install
	$(MANAGE) backup $(FILE)

restore: install migrate
	$(MANAGE) restore $(FILE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
