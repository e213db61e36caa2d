# Peer Support Training Platform. `make run` serves the site with demo data; `make test` runs the suite.
# Set DATABASE_URL=postgres://... to use PostgreSQL instead of the embedded SQLite database.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export VAR_DIR ?= $(CURDIR)/var

# Debian packages: WeasyPrint needs Pango and HarfBuzz to build PDFs; the tests also drive
# Chromium and turn PDF pages into images with poppler's pdftoppm.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

VENDOR_FONTS := $(foreach w,400 700,$(foreach s,normal italic,node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-$(w)-$(s).woff2))

.PHONY: help system-packages-run system-packages-test setup collectstatic run test lint format bench bench-load clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

system-packages-run:
	@scripts/system-packages $(RUN_PACKAGES)

system-packages-test:
	@scripts/system-packages $(TEST_PACKAGES)

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed static_src/site.scss
	rm -rf static_build
	mkdir -p static_build/css static_build/fonts static_build/vendor/reveal static_build/vendor/govuk static_build/vendor/workbox
	cp node_modules/reveal.js/dist/reveal.js node_modules/reveal.js/dist/reveal.css static_build/vendor/reveal/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static_build/vendor/govuk/
	@# with their source maps: the scripts name them, and collectstatic's manifest refuses a missing one
	cp node_modules/workbox-sw/build/workbox-sw.js* $(foreach m,core routing strategies,node_modules/workbox-$(m)/build/workbox-$(m).prod.js*) static_build/vendor/workbox/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static_build/vendor/govuk/
	cp $(VENDOR_FONTS) static_build/fonts/
	node_modules/.bin/sass --load-path=node_modules --no-source-map --style=compressed --quiet-deps \
		static_src/site.scss static_build/css/site.css
	touch $@

setup: $(BIN)/.installed static_build/.built  ## Install everything and migrate the database
	mkdir -p $(VAR_DIR)
	$(BIN)/python manage.py migrate --noinput

collectstatic: setup
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

$(VAR_DIR)/secret_key:
	mkdir -p $(VAR_DIR)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: system-packages-run collectstatic $(VAR_DIR)/secret_key  ## Serve the site on http://$(HOST):$(PORT) with the demo data
	$(BIN)/python manage.py load_demo
	@# gunicorn, and next to it the worker that builds the printed books; Ctrl-C, or either
	@# of them stopping, stops both.
	export SECRET_KEY="$${SECRET_KEY:-$$(cat $(VAR_DIR)/secret_key)}" HTTPS="$${HTTPS:-off}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" \
		DJANGO_SETTINGS_MODULE=trainingsite.settings.production; \
	$(BIN)/python manage.py print_worker & worker=$$!; \
	$(BIN)/gunicorn trainingsite.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips=127.0.0.1 & server=$$!; \
	trap 'kill -TERM $$server $$worker 2>/dev/null' INT TERM; \
	while kill -0 $$server 2>/dev/null && kill -0 $$worker 2>/dev/null; do sleep 1; done; \
	kill -TERM $$server $$worker 2>/dev/null; wait $$server $$worker; true

test: system-packages-test setup  ## Run the whole test suite, browser tests in Debian's Chromium
	DJANGO_SETTINGS_MODULE=trainingsite.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed  ## Check code style, import layers (.importlinter), Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(BIN)/.installed  ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: collectstatic  ## Print latency figures: Markdown at its limit, main pages, cohort pages, then a mixed read/write load
	$(BIN)/python -m benchmarks.markdown
	$(BIN)/python -m benchmarks.pages
	$(BIN)/python -m benchmarks.cohorts
	$(BIN)/python -m benchmarks.downloads
	$(BIN)/python -m benchmarks.load

bench-load: collectstatic  ## 50 clients read and write for 60 s; fails on any error or lost write
	$(BIN)/python -m benchmarks.load

clean:  ## Remove installed packages and built files (keeps var/, your data)
	rm -rf $(VENV) node_modules static_build staticfiles
