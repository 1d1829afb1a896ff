# Two commands are all a new machine needs: `make run` and `make test`.
# Both create .venv and install what they need on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run chat test lint typecheck pytest catalogs extract update-catalogs bench clean \
	settings-docs reliability reliability-full

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

## Translations (bokmål is the source language; see babel.cfg). After adding or changing a
## string: `make update-catalogs`, translate the new entries in locales/{nn,en}, `make catalogs`.
## Keywords are repeated here because babel before 2.18 ignores them in babel.cfg.
I18N_KEYWORDS := -k _ -k n_:1,2 -k N_ -k gettext -k ngettext:1,2

extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg $(I18N_KEYWORDS) --sort-output --no-wrap \
		--add-location=file --project=innspill --copyright-holder=innspill \
		-o locales/messages.pot .

update-catalogs: extract
	$(BIN)/pybabel -q update -i locales/messages.pot -d locales -D messages \
		--no-fuzzy-matching --ignore-obsolete --no-wrap

catalogs: $(STAMP)
	@if ls locales/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d locales -D messages; fi

## The README's settings table and .env.example, regenerated from bot/ops/settings.py.
settings-docs: $(STAMP)
	$(BIN)/python -m bot.ops.config_reference --write

## The reliability suite (tests/reliability): kills, floods, SMTP faults, hostile input.
## Writes docs/reliability.md from the figures it measured; -full uses issue #11's sizes.
reliability: install
	$(BIN)/python -m tests.reliability

reliability-full: install
	$(BIN)/python -m tests.reliability --full

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
