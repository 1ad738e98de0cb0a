#!/usr/bin/env python3
"""Build dist/herne_twin.zip, installable with QGIS's "Install from ZIP".

The zip holds one folder, ``herne_twin_plugin/``, with what QGIS needs at run time:
the code, metadata.txt, resources/ and the compiled translations (*.qm). Tests,
scripts, caches and translation sources stay out. Symbolic links of the source
checkout (metadata.txt, resources, i18n) are stored as the files they point to.
"""

import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "herne_twin_plugin"
SKIP_DIRS = {"__pycache__", ".pytest_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".ts", ".gfs", "~")


def runtime_files():
    """(path on disk, path in the zip) for every file the plugin needs at run time."""
    base = os.path.join(ROOT, PACKAGE)
    for folder, dirs, files in os.walk(base, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(SKIP_SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(folder, name)
            yield path, os.path.join(PACKAGE, os.path.relpath(path, base))


def build(target):
    qm_files = [arc for _path, arc in runtime_files() if arc.endswith(".qm")]
    if not qm_files:
        sys.exit("package: no compiled translations (*.qm); run `make translations` first")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = target + ".part"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, arc in runtime_files():
            archive.write(path, arc)
    os.replace(partial, target)  # never leave a half-written zip under the real name
    return target


if __name__ == "__main__":
    out = build(os.path.join(ROOT, "dist", "herne_twin.zip"))
    print("package: wrote", os.path.relpath(out, ROOT))
