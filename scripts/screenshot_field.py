#!/usr/bin/env python3
"""Pictures of the field sync dialog and the conflict dialog with a real conflict, taken in the
real QGIS desktop under Xvfb (no screen needed).

What happens, all on 127.0.0.1: the local city backend starts (or ``--backend-dir`` names a
running one); make_package (what ``hernetwin:packagefield`` runs) packages the street lights
of a block in Herne-Mitte from the WFS with a basemap from the WMS; the inspector edits the
package offline (a light's wattage, its inspection date and its position; another light's
mast height; a third light's control unit); meanwhile an office user edits and moves the same
first light in the asset register and deletes the second; ``run_sync`` brings one applied edit,
two conflicts (edit vs edit, delete vs edit) and their receipts. QGIS then opens the package
and both dialogs, and saves

    docs/screenshot_conflict.png     the conflict dialog (fields side by side, map preview)
    docs/screenshot_field_sync.png   the sync dialog (receipts of the sync)

    .venv/bin/python scripts/screenshot_field.py [--out docs] [--backend-dir build/backend]
"""

import argparse
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (os.path.join(ROOT, "scripts"), ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import qgis_desktop  # noqa: E402

# A block of Herne-Mitte around the Bahnhofstraße: a few dozen street lights.
AREA = (369300.0, 5713300.0, 369700.0, 5713700.0)
LIGHTS = "street_lights"


class ScreenshotError(RuntimeError):
    """The pictures could not be taken; the message says why."""


def _qgis_app():
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False)
        app.initQgis()
    return app


def make_package(backend, out_dir):
    """Package the street lights of AREA from the backend's WFS, with a basemap rendered from
    its WMS (districts, buildings, streets); returns the package's .gpkg."""
    from qgis.core import QgsGeometry, QgsRasterLayer, QgsRectangle, QgsVectorLayer

    from herne_twin_plugin.core.field.package import make_package as package

    uri = "url='{}' typename='{}' version='1.1.0' srsname='EPSG:25832'".format(backend.wfs_url, LIGHTS)
    lights = QgsVectorLayer(uri, "Straßenleuchten", "WFS")
    if not lights.isValid():
        raise ScreenshotError("the WFS layer {} of {} could not be opened".format(LIGHTS, backend.wfs_url))
    basemap = QgsRasterLayer(
        "url={}&layers=districts&layers=building_footprints&layers=streets&styles=&styles=&styles="
        "&format=image/png&crs=EPSG:25832".format(backend.wms_url), "Grundkarte", "wms")
    area = QgsGeometry.fromRect(QgsRectangle(*AREA))
    result = package([lights], area, output_dir=out_dir, name="herne_mitte", basemap=basemap,
                     basemap_resolution=0.5, key_columns={LIGHTS: "light_uuid"}, title="Begehung Herne-Mitte")
    return os.path.join(result.package_dir, "herne_mitte.gpkg")


def offline_edits(gpkg, keys):
    """The inspector's edits in the package (through the journal's triggers, as QGIS makes them)."""
    from osgeo import ogr

    from herne_twin_plugin.core.field import journal
    from herne_twin_plugin.core.field.package_store import gpkg_blob

    first, second, third = keys
    connection = journal.connect(gpkg)
    try:
        (geometry_column,) = connection.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (LIGHTS,)).fetchone()
        connection.execute("BEGIN")
        connection.execute(
            "UPDATE street_lights SET wattage_w = 33, last_inspection = '2026-11-20' WHERE light_uuid = ?", (first,))
        # the light stands 4 m further east than the register says
        x, y = connection.execute(
            "SELECT ST_MinX({g}), ST_MinY({g}) FROM street_lights WHERE light_uuid = ?".format(g=geometry_column),
            (first,)).fetchone()
        (srs_id,) = connection.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (LIGHTS,)).fetchone()
        moved = ogr.CreateGeometryFromWkt("POINT ({} {})".format(x + 4.0, y)).ExportToWkb().hex()
        connection.execute("UPDATE street_lights SET {} = ? WHERE light_uuid = ?".format(geometry_column),
                           (gpkg_blob(moved, srs_id), first))
        connection.execute("UPDATE street_lights SET mast_height_m = 8.5 WHERE light_uuid = ?", (second,))
        connection.execute("UPDATE street_lights SET control_unit = 'Funk-Rundsteuer' WHERE light_uuid = ?",
                           (third,))
        connection.execute("COMMIT")
    finally:
        connection.close()


def office_edits(backend, keys):
    """An office user's edits in the asset register meanwhile: the same light (values and position), and a
    deletion."""
    import psycopg2

    first, second, _third = keys
    connection = psycopg2.connect(backend.pg_dsn())
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("UPDATE assets.street_lights SET wattage_w = 58, last_inspection = '2026-11-02', "
                           "geom = ST_Translate(geom, -3, -2.5) WHERE light_uuid = %s", (first,))
            cursor.execute("DELETE FROM assets.street_lights WHERE light_uuid = %s", (second,))
    finally:
        connection.close()


def make_conflict(backend, work_dir):
    """A synced package with two open conflicts; returns (gpkg, key of the edit conflict)."""
    from herne_twin_plugin.core.field import sync
    from herne_twin_plugin.core.field.journal import connect

    gpkg = make_package(backend, work_dir)
    connection = connect(gpkg)
    try:
        (geometry_column,) = connection.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (LIGHTS,)).fetchone()
        centre = ((AREA[0] + AREA[2]) / 2, (AREA[1] + AREA[3]) / 2)
        keys = [row[0] for row in connection.execute(  # lights near the middle: the basemap all around them
            "SELECT light_uuid FROM street_lights ORDER BY abs(ST_MinX({g}) - ?) + abs(ST_MinY({g}) - ?), light_uuid "
            "LIMIT 3".format(g=geometry_column), centre)]
    finally:
        connection.close()
    if len(keys) < 3:
        raise ScreenshotError("the package holds {} street lights, 3 are needed".format(len(keys)))
    offline_edits(gpkg, keys)
    office_edits(backend, keys)
    report = sync.run_sync(gpkg)
    conflicts = sync.open_conflicts(gpkg)
    if len(conflicts) < 2:
        raise ScreenshotError("the sync left {} open conflicts, 2 were expected: {}".format(len(conflicts), report))
    return gpkg, keys[0]


def take(out_dir, gpkg, first_key, locale="de"):
    """Both dialogs in QGIS under Xvfb; returns the PNG paths."""
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="herne-field-shot-")
    try:
        profiles = os.path.join(work, "profiles")
        qgis_desktop.make_profile(profiles, locale=locale)
        env = {"HERNE_TWIN_FIELD_PACKAGE": gpkg, "HERNE_TWIN_SCREENSHOT_DIR": out_dir,
               "HERNE_TWIN_CONFLICT_KEY": first_key}
        script = os.path.join(ROOT, "scripts", "desktop", "take_field_screenshots.py")
        log = os.path.join(out_dir, "qgis_field_screenshot.log") if os.environ.get("HERNE_TWIN_KEEP_LOG") else \
            os.path.join(work, "qgis.log")
        qgis_desktop.run_qgis(profiles, script, timeout=180, env=env, log_path=log)
        pictures = [os.path.join(out_dir, name) for name in ("screenshot_conflict.png", "screenshot_field_sync.png")]
        missing = [path for path in pictures if not os.path.exists(path)]
        if missing:
            with open(log, encoding="utf-8", errors="replace") as handle:
                tail = handle.read()[-3000:]
            raise ScreenshotError("QGIS wrote no {}; its log ends:\n{}".format(", ".join(missing), tail))
        return pictures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"))
    parser.add_argument("--backend-dir", help="a running backend (scripts/city_backend.py start --dir ...)")
    parser.add_argument("--locale", default="de")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    from city_backend import CityBackend, ensure_sample_data

    app = _qgis_app()  # noqa: F841 (kept: a collected QgsApplication takes QGIS down)
    from herne_twin_plugin.core.i18n import install_translator

    # the sync below writes its receipts' messages in the language it runs in, as inside QGIS
    translator = install_translator(args.locale)  # noqa: F841 (kept: a collected translator is removed)
    work = tempfile.mkdtemp(prefix="herne-field-shot-")
    os.chmod(work, 0o755)  # the postgres system user enters the backend's dir
    backend = None
    try:
        if args.backend_dir:
            backend = CityBackend.attach(args.backend_dir)
            print("note: the screenshot edits the running backend's street lights (one changed, one deleted)")
        else:
            data = ensure_sample_data(os.path.join(work, "sample"))
            backend = CityBackend(data, os.path.join(work, "backend")).start()
        package_dir = os.path.join(work, "packages")
        os.makedirs(package_dir)
        gpkg, first_key = make_conflict(backend, package_dir)
        for path in take(args.out, gpkg, first_key, args.locale):
            print("screenshot:", path)
    except ScreenshotError as error:
        sys.exit("screenshot_field: {}".format(error))
    finally:
        if backend is not None and not args.backend_dir:
            backend.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
