"""Hazard layers one step away on the local city backend: Herne's Starkregen WMS layers added
through the catalog with their legend, and identify answers read as depth class and depth."""

import os

import pytest
from osgeo import gdal
from qgis.core import QgsPointXY, QgsProject, QgsVectorLayer

from herne_twin_plugin.core.catalog import ServiceCatalog
from herne_twin_plugin.core.hazard.hazard_layers import HAZARD_SERVICES, add_hazard_wms, legend_image
from herne_twin_plugin.core.hazard.identify import DEPTH, DEPTH_CLASS, depth_cm, identify_hazard
from herne_twin_plugin.core.hazard.scenarios import SCENARIO_KEYS

pytestmark = pytest.mark.backend


@pytest.fixture
def catalog(qgis_app, city_backend, qgis_new_project):
    return ServiceCatalog(backend_state_path=os.path.join(city_backend.backend_dir, "backend.json"))


def wet_spot(city_backend, scenario="extremregen"):
    """A point inside a depth-class polygon of the data the backend serves, and its class."""
    layer = QgsVectorLayer("{}|layername={}".format(os.path.join(city_backend.data_dir, "herne_sample.gpkg"),
                                                    scenario), scenario, "ogr")
    deepest = max(layer.getFeatures(), key=lambda f: (f["depth_min_cm"], f.geometry().area()))
    return deepest.geometry().pointOnSurface().asPoint(), deepest["depth_class"]


def test_the_hazard_presets_name_the_layers_of_each_service(qgis_app):
    catalog = ServiceCatalog()
    for hazard in HAZARD_SERVICES:
        assert catalog.service(hazard.service_id) is not None, hazard.service_id
    layers = {hazard.service_id: hazard.layers for hazard in HAZARD_SERVICES}
    assert layers["herne-starkregen-wms"] == SCENARIO_KEYS
    assert {"nw_tiefe_agw", "nw_tiefe_extrem", "nw_geschw_agw", "nw_geschw_extrem"} == set(layers["bkg-starkregen-wms"])


def test_herne_starkregen_layers_come_with_their_legend(catalog):
    layers = add_hazard_wms(catalog, "local-wms", list(SCENARIO_KEYS), project=QgsProject.instance())
    assert [layer.providerType() for layer in layers] == ["wms"] * 3
    assert all(layer.isValid() for layer in layers)
    for layer in layers:
        legend = legend_image(layer)
        assert legend is not None and not legend.isNull() and legend.height() > 10, layer.name()


def test_identify_on_the_wms_reads_the_depth_class_and_the_depth(catalog, city_backend):
    point, depth_class = wet_spot(city_backend)
    classes = add_hazard_wms(catalog, "local-wms", ["extremregen"], project=QgsProject.instance())[0]
    values = identify_hazard(classes, QgsPointXY(point))
    assert [v.value for v in values if v.quantity == DEPTH_CLASS] == [depth_class]

    depth_layer = add_hazard_wms(catalog, "local-wms", ["starkregen_extremregen_depth"],
                                 project=QgsProject.instance())[0]
    values = identify_hazard(depth_layer, QgsPointXY(point))
    raster = gdal.Open(os.path.join(city_backend.data_dir, "starkregen_extremregen_depth.tif"))
    x0, dx, _a, y0, _b, dy = raster.GetGeoTransform()
    cell = raster.GetRasterBand(1).ReadAsArray(int((point.x() - x0) / dx), int((point.y() - y0) / dy), 1, 1)[0, 0]
    assert [v.quantity for v in values] == [DEPTH]
    assert depth_cm(values) == pytest.approx(float(cell), abs=0.1)
