# Two commands for a new user: `make demo` and `make test`.
# Both build .venv from the committed lock file when it is missing or stale.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_UI_ENABLED := false

.PHONY: venv demo test lint format bench fuzz reliability clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jumelage demo --dir demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint sql/

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix sql/

# caniemail's support data (npm), for the check that every email reads right in Outlook and
# Gmail (tests/report/test_email_clients.py); pinned by its package-lock.json.
EMAILCHECK := tests/emailcheck/node_modules/.package-lock.json

$(EMAILCHECK): tests/emailcheck/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found (Node.js runs the email check)"; exit 1; }
	npm ci --prefix tests/emailcheck --no-audit --no-fund --loglevel=error

test: lint $(EMAILCHECK)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

# The long campaigns of tests/reliability (make test runs a fast slice of each).
fuzz: $(STAMP)
	$(BIN)/python -m tests.reliability.fuzz_campaign --files 10000
	$(BIN)/python -m tests.reliability.mail_fuzz_campaign --messages 10000

reliability: $(STAMP)
	$(BIN)/python -m tests.reliability.summary --files 10000 --cycles 30 --races 20

clean:
	rm -rf $(VENV) demo .pytest_cache
