#!/usr/bin/env python3
"""Render a 3D view of the sample city to a PNG, without a screen.

    python scripts/view3d.py [--sample build/sample] [--out build/view3d/herne_3d.png]
                             [--city-model GPKG] [--size 1600x1000] [--timeout 300]

1. writes the sample city into ``--sample`` if it is missing (core/sample_city);
2. imports its LoD2 CityGML tiles with ``hernetwin:importcitymodel`` into
   ``<out dir>/herne_citymodel.gpkg`` (or uses ``--city-model``);
3. writes the sample's terrain as a DEM (core/sample_city/terrain), so buildings, street
   lights and water stand on the ground they were generated on;
4. renders an oblique view over Herne-Mitte (roofs and walls, street lights and sensor
   stations at their height, the Extremregen depth classes draped on the terrain) in a
   child process under Xvfb (OpenGL), bounded by ``--timeout``.

Exit codes: 0 picture written, 1 failed, 3 xvfb-run missing, 4 no OpenGL under Xvfb.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (ROOT, os.path.join(ROOT, "scripts")):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

DEFAULT_SAMPLE = os.path.join(ROOT, "build", "sample")
DEFAULT_OUT = os.path.join(ROOT, "build", "view3d", "herne_3d.png")
CITY_MODEL_NAME = "herne_citymodel.gpkg"
TERRAIN_NAME = "herne_sample_terrain.tif"
WORK_FOLDER = "view3d_files"
# Herne-Mitte, the centre of the sample city (core/sample_city/scales.py), and the camera on it
CENTRE = (369700.0, 5713700.0)
CAMERA = {"distance": 480.0, "pitch": 62.0, "heading": 335.0}
TERRAIN_CELL = 10.0  # metres
TERRAIN_MARGIN = 200.0  # metres of terrain around the sample city
HAZARD_LAYER = "extremregen"
STREET_COLOUR = "#b8b8b8"  # neutral grey: the picture's test tells walls (warm) from streets by it
EXIT_NO_XVFB, EXIT_NO_OPENGL = 3, 4


class View3DError(RuntimeError):
    """The 3D view could not be rendered; ``exit_code`` says why (see the module's doc)."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


def step(text):
    print("view3d: " + text, flush=True)


# -- data (in the caller's process; needs a running QgsApplication for the import) ----------


def ensure_sample(sample_dir):
    """``sample_dir`` with the sample city in it (generated where it is missing)."""
    from herne_twin_plugin.core.sample_city import GEOPACKAGE_NAME, generate

    if not os.path.isfile(os.path.join(sample_dir, GEOPACKAGE_NAME)):
        step("writing the sample city into " + sample_dir)
        generate(sample_dir, scale="sample")
    return sample_dir


_PROVIDER = []  # the provider's Python object must outlive the registry's use of it


def ensure_processing():
    """Processing with the plugin's provider, in a script's own QgsApplication (or a test's)."""
    from qgis.core import QgsApplication

    plugins = os.path.join(QgsApplication.pkgDataPath(), "python", "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    from herne_twin_plugin.processing.provider import PROVIDER_ID, HerneTwinProvider

    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    if registry.providerById(PROVIDER_ID) is None:
        _PROVIDER.append(HerneTwinProvider())
        registry.addProvider(_PROVIDER[-1])
    return registry


def import_city_model(citygml_dir, gpkg_path, feedback=None):
    """Import the CityGML tiles in ``citygml_dir`` into ``gpkg_path`` with hernetwin:importcitymodel."""
    registry = ensure_processing()
    if registry.algorithmById("hernetwin:importcitymodel") is None:
        raise View3DError("the Processing algorithm hernetwin:importcitymodel is not available")
    import processing
    from qgis.core import QgsProcessingFeedback

    os.makedirs(os.path.dirname(os.path.abspath(gpkg_path)), exist_ok=True)
    step("importing the CityGML tiles of {} into {}".format(citygml_dir, gpkg_path))
    started = time.monotonic()
    result = processing.run("hernetwin:importcitymodel", {"INPUT": citygml_dir, "OUTPUT": gpkg_path},
                            feedback=feedback or QgsProcessingFeedback())
    step("imported in {:.0f} s".format(time.monotonic() - started))
    return result.get("OUTPUT", gpkg_path)


def city_model_is_current(gpkg_path, citygml_dir):
    """True where ``gpkg_path`` exists and is newer than every tile in ``citygml_dir``."""
    if not os.path.isfile(gpkg_path):
        return False
    built = os.path.getmtime(gpkg_path)
    tiles = [os.path.join(citygml_dir, name) for name in os.listdir(citygml_dir) if name.endswith(".gml")]
    return all(os.path.getmtime(tile) <= built for tile in tiles)


def write_terrain(path, bounds):
    """The sample city's terrain (core/sample_city/terrain.ground_height) as a GeoTIFF DEM."""
    import numpy
    from osgeo import gdal, osr

    from herne_twin_plugin.core.sample_city.terrain import ground_height

    xmin, ymin, xmax, ymax = bounds
    columns = int(round((xmax - xmin) / TERRAIN_CELL))
    rows = int(round((ymax - ymin) / TERRAIN_CELL))
    heights = numpy.empty((rows, columns), dtype=numpy.float32)
    for row in range(rows):
        y = ymax - (row + 0.5) * TERRAIN_CELL
        for column in range(columns):
            heights[row, column] = ground_height(xmin + (column + 0.5) * TERRAIN_CELL, y)
    partial = path + ".partial.tif"
    gdal.AllRegister()  # QgsApplication.exitQgis() deregisters GDAL's drivers
    dataset = gdal.GetDriverByName("GTiff").Create(partial, columns, rows, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((xmin, TERRAIN_CELL, 0.0, ymax, 0.0, -TERRAIN_CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).WriteArray(heights)
    dataset.SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION", "Herne sample city terrain (synthetic), m DHHN2016")
    dataset = None
    os.replace(partial, path)
    return path


def sample_bounds():
    from herne_twin_plugin.core.sample_city.scales import SCALES

    xmin, ymin, xmax, ymax = SCALES["sample"].bounds
    return (xmin - TERRAIN_MARGIN, ymin - TERRAIN_MARGIN, xmax + TERRAIN_MARGIN, ymax + TERRAIN_MARGIN)


# -- rendering (in a child process under Xvfb) ---------------------------------------------


def render_png(sample_dir, city_model, out_png, size=(1600, 1000), timeout=300, locale="de"):
    """Render the view into ``out_png`` in a child process under Xvfb; return the path.

    Raises View3DError (exit_code 3: no xvfb-run, 4: no OpenGL, 1: anything else).
    """
    if shutil.which("xvfb-run") is None:
        raise View3DError("xvfb-run is not installed (Debian package xvfb)", EXIT_NO_XVFB)
    out_png = os.path.abspath(out_png)
    work_dir = os.path.join(os.path.dirname(out_png), WORK_FOLDER)  # terrain, job and log beside the picture
    os.makedirs(work_dir, exist_ok=True)
    terrain = write_terrain(os.path.join(work_dir, TERRAIN_NAME), sample_bounds())
    job = {
        "sample_dir": os.path.abspath(sample_dir), "city_model": os.path.abspath(city_model),
        "terrain": terrain, "out_png": out_png, "width": size[0], "height": size[1], "locale": locale,
    }
    job_path = os.path.join(work_dir, "view3d_job.json")
    with open(job_path, "w", encoding="utf-8") as handle:
        json.dump(job, handle)
    partial = out_png + ".partial.png"
    if os.path.exists(partial):
        os.remove(partial)
    command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1200x24 -nolisten tcp",
               sys.executable, os.path.abspath(__file__), "--render-job", job_path]
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=ROOT)
    env.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-{}".format(os.getuid()))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    log_path = os.path.join(work_dir, "view3d.log")
    step("rendering under Xvfb (log: {})".format(log_path))
    with open(log_path, "w") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the child and the Xvfb that xvfb-run started for it
            child.wait()
            raise View3DError("the 3D scene was not ready within {} s; see {}".format(timeout, log_path)) from None
    if code == EXIT_NO_OPENGL:
        raise View3DError("no OpenGL context under Xvfb; see {}".format(log_path), EXIT_NO_OPENGL)
    if code != 0 or not os.path.isfile(partial):
        raise View3DError("rendering failed (exit code {}); see {}".format(code, log_path))
    os.replace(partial, out_png)
    return out_png


def _opengl_available():
    from qgis.PyQt.QtGui import QOffscreenSurface, QOpenGLContext

    context = QOpenGLContext()
    if not context.create():
        return False
    surface = QOffscreenSurface()
    surface.create()
    ok = context.makeCurrent(surface)
    context.doneCurrent()
    return ok


def _sample_layer(project, gpkg, name, title):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), title, "ogr")
    if not layer.isValid():
        raise View3DError("cannot open {} in {}".format(name, gpkg))
    project.addMapLayer(layer)
    return layer


def compose_view(project, job):
    """The project's layers, the 3D map settings and the camera of the view."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsFillSymbol,
        QgsLineSymbol,
        QgsNullSymbolRenderer,
        QgsRasterLayer,
        QgsRectangle,
    )

    from herne_twin_plugin.core import styles
    from herne_twin_plugin.core.citymodel_view import city_model_layers, scene
    from herne_twin_plugin.core.sample_city import GEOPACKAGE_NAME
    from herne_twin_plugin.core.sample_city.terrain import ground_height

    project.setCrs(QgsCoordinateReferenceSystem(scene.CITY_CRS))
    sample_gpkg = os.path.join(job["sample_dir"], GEOPACKAGE_NAME)
    ground = _sample_layer(project, sample_gpkg, "districts", "Stadtbezirke")
    ground.renderer().setSymbol(QgsFillSymbol.createSimple({"color": scene.GROUND_COLOUR, "outline_style": "no"}))
    streets = _sample_layer(project, sample_gpkg, "streets", "Straßen")
    streets.renderer().setSymbol(QgsLineSymbol.createSimple({"color": STREET_COLOUR, "width": "1.4"}))
    hazard = _sample_layer(project, sample_gpkg, HAZARD_LAYER, "Starkregen: Extremregen")
    lights = _sample_layer(project, sample_gpkg, "street_lights", "Straßenbeleuchtung")
    sensors = _sample_layer(project, sample_gpkg, "sensor_stations", "Sensorstationen")
    styles.style_depth_classes(hazard)
    city_model_layers.style_twin_layers_3d([hazard, lights, sensors])
    for layer in (lights, sensors):  # they stand on the terrain in 3D; their 2D markers would litter it
        layer.setRenderer(QgsNullSymbolRenderer())
    model = city_model_layers.add_city_model_layers(job["city_model"], project)

    terrain = QgsRasterLayer(job["terrain"], "Gelände", "gdal")
    if not terrain.isValid():
        raise View3DError("cannot open the terrain " + job["terrain"])
    project.addMapLayer(terrain, False)
    x, y = CENTRE
    extent = QgsRectangle(*sample_bounds())
    settings = scene.city_map_settings(
        project, extent, [model[city_model_layers.SURFACES], lights, sensors, hazard, streets, ground], terrain=terrain)
    pose = scene.camera_pose(settings, x, y, ground_height(x, y), **CAMERA)
    return settings, pose


def _render_job(job_path):
    """The child: render the job's view into ``<out_png>.partial.png``."""
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    from qgis._3d import Qgs3D
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    Qgs3D.initialize()
    try:
        if not _opengl_available():
            print("view3d: no OpenGL context", file=sys.stderr)
            return EXIT_NO_OPENGL
        from herne_twin_plugin.core.citymodel_view.render import render_scene
        from herne_twin_plugin.core.i18n import install_translator

        translator = install_translator(job.get("locale") or "de")  # noqa: F841 (kept for the run)
        project = QgsProject.instance()
        try:
            settings, pose = compose_view(project, job)
        except (View3DError, ValueError) as error:  # a bad city model, sample or terrain
            print("view3d: " + str(error), file=sys.stderr)
            return 1
        started = time.monotonic()
        image = render_scene(project, settings, pose, job["width"], job["height"])
        print("view3d: rendered in {:.1f} s".format(time.monotonic() - started), flush=True)
        if image.isNull() or not image.save(job["out_png"] + ".partial.png", "PNG"):
            print("view3d: no image to save", file=sys.stderr)
            return 1
        return 0
    finally:
        QgsProject.instance().clear()
        app.exitQgis()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=DEFAULT_SAMPLE, help="sample city folder (written if missing)")
    parser.add_argument("--out", default=DEFAULT_OUT, help="the PNG to write")
    parser.add_argument("--city-model", help="an imported city model GeoPackage (default: import the sample's tiles)")
    parser.add_argument("--size", default="1600x1000", help="width x height in pixels")
    parser.add_argument("--timeout", type=int, default=300, help="seconds the rendering may take")
    parser.add_argument("--render-job", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render_job:
        return _render_job(args.render_job)
    try:
        width, height = (int(value) for value in args.size.lower().split("x"))
    except ValueError:
        parser.error("--size must look like 1600x1000")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    city_model = args.city_model or os.path.join(out_dir, CITY_MODEL_NAME)
    try:
        ensure_sample(args.sample)
        if args.city_model is None:
            citygml_dir = os.path.join(args.sample, "citygml")
            if not city_model_is_current(city_model, citygml_dir):
                _import_in_own_app(citygml_dir, city_model)
        png = render_png(args.sample, city_model, args.out, (width, height), args.timeout)
    except View3DError as error:
        print("view3d: " + str(error), file=sys.stderr)
        return error.exit_code
    step("wrote " + png)
    return 0


def _import_in_own_app(citygml_dir, gpkg_path):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        import_city_model(citygml_dir, gpkg_path)
    finally:
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
