#!/usr/bin/env python3
"""Take a screenshot of QGIS with the plugin loaded and the service catalog open,
without a screen (QGIS runs under Xvfb in a fresh profile).

    python scripts/screenshot.py --out build/screenshots [--sample build/sample]
"""

import argparse
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import qgis_desktop  # noqa: E402


def take(out_dir, sample_dir=None, locale="de"):
    out_dir = os.path.abspath(out_dir)
    profiles = os.path.join(out_dir, "profiles")
    shutil.rmtree(profiles, ignore_errors=True)  # a fresh profile: no state from an earlier run
    qgis_desktop.make_profile(profiles, locale=locale)
    png = os.path.join(out_dir, "qgis_catalog_{}.png".format(locale))
    env = {"HERNE_TWIN_SCREENSHOT": png}
    if sample_dir:
        env["HERNE_TWIN_SAMPLE_GPKG"] = os.path.join(os.path.abspath(sample_dir), "herne_sample.gpkg")
    state = os.path.join(ROOT, "build", "backend", "backend.json")
    if os.path.exists(state):
        env["HERNE_TWIN_BACKEND_STATE"] = state
    script = os.path.join(ROOT, "scripts", "desktop", "take_screenshot.py")
    qgis_desktop.run_qgis(profiles, script, timeout=180, env=env, log_path=os.path.join(out_dir, "qgis.log"))
    if not os.path.exists(png):
        sys.exit("screenshot: QGIS wrote no picture; see {}".format(os.path.join(out_dir, "qgis.log")))
    return png


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "screenshots"))
    parser.add_argument("--sample", default=os.path.join(ROOT, "build", "sample"))
    parser.add_argument("--locale", default="de")
    args = parser.parse_args()
    sample = args.sample if os.path.exists(os.path.join(args.sample, "herne_sample.gpkg")) else None
    print("screenshot:", take(args.out, sample, args.locale))


if __name__ == "__main__":
    main()
