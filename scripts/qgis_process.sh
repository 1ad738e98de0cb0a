#!/usr/bin/env bash
# Run QGIS's command-line Processing (qgis_process) with the plugin's provider "hernetwin".
#
#   scripts/qgis_process.sh list | grep hernetwin
#   scripts/qgis_process.sh run hernetwin:samplecity -- OUTPUT_FOLDER=build/sample SCALE=0
#
# Works the same on QGIS 3.22 (whose qgis_process has no `plugins enable`) and newer:
# a profile of our own under build/ links the checkout and enables the plugin in its
# QGIS3.ini, and QGIS_CUSTOM_CONFIG_PATH points qgis_process at it. Debian's wrapper
# /usr/bin/qgis_process fails on 3.22 ("--noversioncheck not known"), so call the binary.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROFILES="${HERNE_TWIN_PROFILES:-$ROOT/build/qgis-process}"
if [ ! -e "$PROFILES/profiles/default/python/plugins/herne_twin_plugin" ]; then
  "$ROOT/.venv/bin/python" - "$PROFILES" "$ROOT/scripts" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import qgis_desktop
qgis_desktop.make_profile(sys.argv[1], locale="en")
PY
fi
BIN="$(command -v qgis_process.bin || command -v qgis_process)"
export QGIS_CUSTOM_CONFIG_PATH="$PROFILES" QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" PROJ_DATA="${PROJ_DATA:-/usr/share/proj}"
exec "$BIN" "$@"
