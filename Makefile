# Two commands are all a new machine needs: `make run` and `make test`.
# Both create .venv and install what they need on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run chat test lint typecheck pytest catalogs extract update-catalogs bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP) catalogs

## Run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal chat.
run: install
	$(BIN)/innspill run

chat: install
	$(BIN)/innspill chat

## The whole test suite, with lint and type checks first.
test: install lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) catalogs
	$(BIN)/pytest -q

## Translations (bokmål is the source language).
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		--project=innspill --copyright-holder="innspill" -o locales/messages.pot .

update-catalogs: extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

catalogs: $(STAMP)
	@if ls locales/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel compile -q -d locales -D messages; fi

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
