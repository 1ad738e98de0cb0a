#!/usr/bin/env python3
"""Write the synthetic Herne sample city (see herne_twin_plugin/core/sample_city).

    python scripts/make_sample_data.py --out build/sample [--scale sample|full] [--seed 2601]

No QGIS application is needed: the generator uses GDAL/OGR and numpy only.
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")  # Debian's pyproj/GDAL in a venv may not find it

from herne_twin_plugin.core.sample_city import DEFAULT_SEED, SCALES, generate  # noqa: E402


class ConsoleFeedback:
    """Prints the generator's steps and a coarse progress to stderr."""

    def __init__(self):
        self._shown = -10

    def setProgress(self, percent):  # noqa: N802 (QgsFeedback's name)
        step = int(percent // 10 * 10)
        if step > self._shown:
            self._shown = step
            print("  {:3d} %".format(step), file=sys.stderr)

    def pushInfo(self, message):  # noqa: N802
        print(message, file=sys.stderr)

    def isCanceled(self):  # noqa: N802
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="sample",
                        help="sample: centre of Herne-Mitte (seconds); full: all of Herne (about a minute, 650 MB)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same files (default %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        feedback = None if args.quiet else ConsoleFeedback()
        result = generate(args.out, scale=args.scale, seed=args.seed, feedback=feedback)
    except ValueError as error:
        parser.error(str(error))
    counts = ", ".join("{} {}".format(count, name) for name, count in result["counts"].items())
    print("{} ({} scale, seed {}, {:.1f} s): {}".format(
        result["output_dir"], result["scale"], result["seed"], time.monotonic() - started, counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
