"""What the export tests share: the sample city, a styled project of it, and the tools a
person uses to check a map file (pdftoppm, pdftotext, gdalinfo)."""

import glob
import json
import os
import shutil
import sqlite3
import subprocess

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer

from herne_twin_plugin.core import styles

SAMPLE_LAYERS = ("districts", "extremregen", "building_footprints", "street_lights", "sensor_stations")
MAP_ORDER = ("sensor_stations", "street_lights", "building_footprints", "extremregen", "districts")
PAGE_MM = {"a4_portrait": (210, 297), "a4_landscape": (297, 210), "a3_landscape": (420, 297)}
TOOLS = ("pdftoppm", "pdftotext", "gdalinfo")


def need_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip("checking exports needs {} (Debian poppler-utils, gdal-bin)".format(", ".join(missing)))


@pytest.fixture(scope="session")
def sample_city(tmp_path_factory, qgis_app):
    """The synthetic sample city, generated once for the export tests."""
    from herne_twin_plugin.core.sample_city import generate

    folder = str(tmp_path_factory.mktemp("export_sample"))
    return generate(folder, scale="sample")


@pytest.fixture
def city_project(sample_city, qgis_app):
    """QgsProject.instance() with the sample city's layers, styled as in the demo; {name: layer}."""
    project = QgsProject.instance()
    project.clear()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    layers = {}
    for name in reversed(MAP_ORDER):  # the last added is on top
        layer = QgsVectorLayer("{}|layername={}".format(sample_city["geopackage"], name), name, "ogr")
        assert layer.isValid(), name
        project.addMapLayer(layer)
        layers[name] = layer
    styles.style_districts(layers["districts"])
    styles.style_depth_classes(layers["extremregen"])
    styles.style_building_footprints(layers["building_footprints"])
    styles.style_street_lights(layers["street_lights"])
    styles.style_sensor_stations(layers["sensor_stations"])
    yield layers
    project.clear()


@pytest.fixture(scope="module")
def hernetwin(hernetwin_provider):
    """The plugin's Processing provider, registered."""
    return hernetwin_provider


def gpkg_rows(path, sql):
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def pdf_pages(path, folder, dpi=30):
    """[(width_mm, height_mm)] of each page, as pdftoppm renders them (and the PNG paths)."""
    prefix = os.path.join(str(folder), "page")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", path, prefix], check=True, capture_output=True)
    pngs = sorted(glob.glob(prefix + "*.png"))
    from qgis.PyQt.QtGui import QImage

    sizes = []
    for png in pngs:
        image = QImage(png)
        sizes.append((image.width() / dpi * 25.4, image.height() / dpi * 25.4))
    return sizes, pngs


def pdf_text(path, page=None):
    command = ["pdftotext", "-layout"]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    return subprocess.run(command + [path, "-"], check=True, capture_output=True, text=True).stdout


def flat(text):
    """Text with line breaks and runs of spaces as single spaces (labels wrap in the PDF)."""
    return " ".join(text.split())


def gdal_info(path):
    result = subprocess.run(["gdalinfo", "-json", path], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def corner_box(info):
    """(xmin, ymin, xmax, ymax) of a raster's corners as gdalinfo reports them."""
    corners = info["cornerCoordinates"]
    xs = [corners[k][0] for k in ("upperLeft", "lowerRight")]
    ys = [corners[k][1] for k in ("upperLeft", "lowerRight")]
    return min(xs), min(ys), max(xs), max(ys)


def leftovers(folder):
    """Anything an export left behind under a temporary name."""
    return [name for name in os.listdir(str(folder)) if name.startswith(".partial")]
