# Herne Digital Twin for QGIS: set-up, tests, demo, packaging.
#   make demo   - set everything up and run the demo (exported map in build/demo/)
#   make test   - set everything up and run the tests
SHELL := /bin/bash
PYTHON := .venv/bin/python
export QT_QPA_PLATFORM ?= offscreen
export PROJ_DATA ?= /usr/share/proj
export PROJ_LIB ?= /usr/share/proj
# QGIS settings and profiles of tests and scripts stay inside build/, away from the user's.
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default

.PHONY: setup test test-fast demo package install-dev uninstall-dev translations i18n-update i18n-check \
        lint backend-start backend-stop sample-data screenshot view3d clean

setup:
	bash scripts/setup.sh

translations: setup
	$(PYTHON) scripts/i18n.py compile

i18n-update: setup
	$(PYTHON) scripts/i18n.py update

i18n-check: setup
	$(PYTHON) scripts/i18n.py check

test: setup translations
	$(PYTHON) -m pytest -ra -p no:cacheprovider

# Unit tests only (no local backend): quick feedback while developing.
test-fast: setup translations
	$(PYTHON) -m pytest -ra -p no:cacheprovider -m "not backend"

lint: setup
	.venv/bin/ruff check .

sample-data: setup
	$(PYTHON) scripts/make_sample_data.py --out build/sample

backend-start: setup sample-data
	$(PYTHON) scripts/city_backend.py start --data build/sample --dir build/backend

backend-stop:
	$(PYTHON) scripts/city_backend.py stop --dir build/backend

demo: setup translations
	$(PYTHON) scripts/demo.py --out build/demo

# The sample city model in 3D, rendered offscreen under Xvfb: build/view3d/herne_3d.png
view3d: setup translations
	$(PYTHON) scripts/view3d.py

screenshot: setup translations
	$(PYTHON) scripts/screenshot.py --out build/screenshots

package: setup translations
	$(PYTHON) scripts/package.py

# Link the source checkout into the QGIS profile (edits show after a plugin reload).
install-dev: translations
	mkdir -p "$(QGIS_PROFILE_DIR)/python/plugins"
	ln -sfn "$(CURDIR)/herne_twin_plugin" "$(QGIS_PROFILE_DIR)/python/plugins/herne_twin_plugin"
	$(PYTHON) scripts/qgis_desktop.py enable --profile-dir "$(QGIS_PROFILE_DIR)"
	@echo "install-dev: linked into $(QGIS_PROFILE_DIR)/python/plugins and enabled"

uninstall-dev:
	rm -f "$(QGIS_PROFILE_DIR)/python/plugins/herne_twin_plugin"

clean:
	rm -rf build dist
