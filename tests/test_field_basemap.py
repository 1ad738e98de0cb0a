"""The offline basemap of a field package reaches beyond the package area (issue 5): the
package project opens on the area, a map window of its own shape shows more than the area,
and an inspector who opens the package must see the basemap there, not a white corner.

The basemap's source here is a local layer that paints everything (no server needed): every
pixel the raster holds is drawn, so "no white" is "inside the raster"."""

import os

import pytest
from osgeo import gdal
from qgis.core import (
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize

from herne_twin_plugin.core.field import basemap, manifest, offline_project

# A package area shaped like a district, twice as wide as high (EPSG:25832, Herne-Mitte).
AREA_WKT = "POLYGON((369000 5712000, 371000 5712000, 370600 5713000, 369300 5712900, 369000 5712000))"
# Map windows an inspector opens the package in: laptop 16:9, 4:3, square, tablet upright 9:16, 3:4.
WINDOWS = [(1600, 900), (1200, 900), (1000, 1000), (900, 1600), (900, 1200)]
RESOLUTION_M = 10.0


@pytest.fixture
def ground(qgis_app):
    """A layer that paints the whole city grey (stands in for the WMS)."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:25832", "Grundkarte", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(355000, 5700000, 385000, 5730000)))
    layer.dataProvider().addFeatures([feature])
    layer.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "120,120,120,255", "outline_style": "no"}))
    return layer


def raster_bounds(path):
    dataset = gdal.Open(path)
    x0, step_x, _, y1, _, step_y = dataset.GetGeoTransform()
    return QgsRectangle(x0, y1 + dataset.RasterYSize * step_y, x0 + dataset.RasterXSize * step_x, y1), dataset


def alpha_at(dataset, x, y):
    x0, step_x, _, y1, _, step_y = dataset.GetGeoTransform()
    column = min(dataset.RasterXSize - 1, int((x - x0) / step_x))
    row = min(dataset.RasterYSize - 1, int((y - y1) / step_y))
    return int(dataset.GetRasterBand(4).ReadAsArray(column, row, 1, 1)[0, 0])


@pytest.fixture
def opened_package(ground, tmp_path):
    """A package folder with the rendered basemap and its project, as an inspector opens it:
    (the project's initial extent, raster bounds, GDAL dataset)."""
    folder = str(tmp_path)
    area = QgsGeometry.fromWkt(AREA_WKT)
    basemap.render_geotiff(ground, area.boundingBox(), os.path.join(folder, "basemap.tif"), RESOLUTION_M)
    package_manifest = manifest.PackageManifest(package_id="test", title="Begehung", area_wkt=AREA_WKT, layers=[
        manifest.PackageLayer(table_name="basemap.tif", role=manifest.ROLE_BASEMAP, title="Grundkarte")])
    path = offline_project.write_project(folder, "paket", package_manifest)
    project = QgsProject()
    assert project.read(path)
    initial = project.viewSettings().defaultViewExtent()
    project.clear()
    bounds, dataset = raster_bounds(os.path.join(folder, "basemap.tif"))
    return QgsRectangle(initial), bounds, dataset


def test_the_project_opens_on_the_whole_area(opened_package):
    initial, _bounds, _dataset = opened_package
    assert initial.contains(QgsGeometry.fromWkt(AREA_WKT).boundingBox())


def test_the_basemap_covers_the_projects_initial_extent(opened_package):
    initial, bounds, dataset = opened_package
    assert bounds.contains(initial)
    for x, y in ((initial.xMinimum(), initial.yMinimum()), (initial.xMaximum(), initial.yMaximum()),
                 (initial.xMinimum(), initial.yMaximum()), (initial.xMaximum(), initial.yMinimum())):
        assert alpha_at(dataset, x, y) == 255  # drawn to the corner


@pytest.mark.parametrize("window", WINDOWS, ids=["{}x{}".format(*window) for window in WINDOWS])
def test_a_map_window_opened_on_the_package_shows_no_white_corner(opened_package, window):
    initial, bounds, dataset = opened_package
    settings = QgsMapSettings()
    settings.setOutputSize(QSize(*window))
    settings.setExtent(initial)
    visible = settings.visibleExtent()
    tolerance = RESOLUTION_M  # a raster ends on a whole pixel
    assert bounds.xMinimum() <= visible.xMinimum() + tolerance and bounds.xMaximum() >= visible.xMaximum() - tolerance
    assert bounds.yMinimum() <= visible.yMinimum() + tolerance and bounds.yMaximum() >= visible.yMaximum() - tolerance
    inside = QgsRectangle(visible)
    inside.grow(-tolerance)
    for x, y in ((inside.xMinimum(), inside.yMinimum()), (inside.xMaximum(), inside.yMaximum())):
        assert alpha_at(dataset, x, y) == 255


def test_margins_shrink_before_the_size_limit_but_the_area_stays_whole():
    area = QgsGeometry.fromWkt(AREA_WKT).boundingBox()
    columns, rows = basemap.raster_size(area, RESOLUTION_M)
    limit = columns * rows + 2_000  # room for the area and a little more
    extent = basemap.covered_extent(area, RESOLUTION_M, limit)
    assert extent.contains(area)
    width, height = basemap.raster_size(extent, RESOLUTION_M)
    assert width * height <= limit
    unlimited = basemap.covered_extent(area, RESOLUTION_M)
    assert unlimited.width() > extent.width() or unlimited.height() > extent.height()


def test_an_area_beyond_the_size_limit_is_still_refused():
    area = QgsGeometry.fromWkt(AREA_WKT).boundingBox()
    with pytest.raises(basemap.BasemapError, match="coarser resolution"):
        basemap.covered_extent(area, 1.0, max_pixels=1_000_000)


@pytest.mark.parametrize("resolution", [0, -5, float("nan")])
def test_a_resolution_that_is_no_positive_number_is_refused(resolution):
    with pytest.raises(basemap.BasemapError, match="positive number"):
        basemap.covered_extent(QgsGeometry.fromWkt(AREA_WKT).boundingBox(), resolution)
