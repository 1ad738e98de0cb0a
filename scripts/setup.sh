#!/usr/bin/env bash
# One-step set-up on Debian 12 / Ubuntu: Debian packages, the QGIS virtual environment
# (.venv, from /usr/bin/python3 with --system-site-packages) and pygeoapi's own
# environment (.venv-pygeoapi). Idempotent: a second run only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# --- Debian packages -------------------------------------------------------------------
mapfile -t PACKAGES < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- .venv: the QGIS Python with the project's PyPI packages -----------------------------
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
want=$(stamp_of requirements.txt constraints.txt)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade -r requirements.txt -c constraints.txt
  echo "$want" > .venv/.installed
fi

# --- .venv-pygeoapi: pygeoapi's own environment (its numpy never meets QGIS's) -----------
if [ ! -x .venv-pygeoapi/bin/python ]; then
  /usr/bin/python3 -m venv .venv-pygeoapi
fi
want=$(stamp_of requirements-pygeoapi.txt)
if [ "$(cat .venv-pygeoapi/.installed 2>/dev/null)" != "$want" ]; then
  .venv-pygeoapi/bin/python -m pip install -q -r requirements-pygeoapi.txt
  echo "$want" > .venv-pygeoapi/.installed
fi

# --- the QGIS stack must still import (a stray numpy 2 would break it) --------------------
PROJ_DATA=/usr/share/proj QT_QPA_PLATFORM=offscreen .venv/bin/python - <<'PY'
import numpy, qgis.core, osgeo.gdal_array, matplotlib.pyplot, shapely, paho.mqtt.client, pytest_qgis  # noqa
assert numpy.__version__.startswith("1."), "numpy %s in .venv: QGIS's Debian stack needs numpy 1.x" % numpy.__version__
PY
.venv-pygeoapi/bin/python -c "import pygeoapi" 
echo "setup: ok (QGIS $(/usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)' 2>/dev/null))"
