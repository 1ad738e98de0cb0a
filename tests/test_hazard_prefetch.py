"""The assets' features read ahead in a thread while the exposure is computed: the output
holds what it holds without, features out of order or missing are read again, a stopped
or failing read leaves nothing behind."""

import threading

import pytest
from hazard_testdata import box, city_layer, class_layer, memory_layer, spy_read_ahead
from qgis.core import QgsFeatureRequest
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard import prefetch as prefetch_module
from herne_twin_plugin.core.hazard.prefetch import FeaturePrefetch
from herne_twin_plugin.core.sample_city import generate


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("hazard_prefetch_city")), scale="sample")


def output_rows(parameters):
    import processing

    result = processing.run("hernetwin:hazardexposure", dict(parameters, OUTPUT="memory:", SUMMARY="memory:"))
    return [(f.id(), f.attributes(), bytes(f.geometry().asWkb())) for f in result["OUTPUT"].getFeatures()]


@pytest.mark.parametrize("hazard", ["raster", "extremregen"])
def test_an_output_from_features_read_ahead_is_the_output_without(city, hernetwin_provider, monkeypatch, hazard):
    parameters = {"INPUT": "{}|layername=building_footprints".format(city["geopackage"]),
                  "HAZARD": city["depth_rasters"]["extremregen"] if hazard == "raster" else
                  "{}|layername=extremregen".format(city["geopackage"])}
    used = spy_read_ahead(monkeypatch)
    ahead = output_rows(parameters)
    assert used == [True]
    monkeypatch.setattr(FeaturePrefetch, "worthwhile", staticmethod(lambda *_args: False))
    assert output_rows(parameters) == ahead


def test_no_read_ahead_into_a_geopackage_or_for_points_on_class_polygons(city, hernetwin_provider, monkeypatch,
                                                                         tmp_path):
    import processing

    started = []
    monkeypatch.setattr(prefetch_module.FeaturePrefetch, "_read", lambda self: started.append(True))
    processing.run("hernetwin:hazardexposure", {
        "INPUT": "{}|layername=building_footprints".format(city["geopackage"]),
        "HAZARD": city["depth_rasters"]["extremregen"], "OUTPUT": str(tmp_path / "exposure.gpkg"),
        "SUMMARY": "memory:"})
    lights, polygons = city_layer(city, "street_lights"), city_layer(city, "extremregen")
    buildings = city_layer(city, "building_footprints")
    assert not FeaturePrefetch.worthwhile(lights, polygons, 0.0)
    assert not FeaturePrefetch.worthwhile(buildings, polygons, 5.0)  # a buffer: read feature by feature
    assert FeaturePrefetch.worthwhile(buildings, polygons, 0.0)
    buildings.setSubsetString("\"district\" IS NOT NULL")
    assert not FeaturePrefetch.worthwhile(buildings, polygons, 0.0)
    assert not started


def test_features_out_of_order_are_put_in_order_and_missing_ones_refused(city):
    buildings = city_layer(city, "building_footprints")
    ids = [f.id() for f in buildings.getFeatures(QgsFeatureRequest().setNoAttributes().setFlags(
        QgsFeatureRequest.NoGeometry))]
    ahead = FeaturePrefetch(buildings)
    backwards = ahead.aligned(ids[::-1])
    assert [f.id() for f in backwards] == ids[::-1]
    assert ahead.aligned(ids + [max(ids) + 1]) is None  # an asset it never read
    assert ahead.aligned(ids[1:]) is None  # one read too many


def test_a_stopped_or_failed_read_ahead_gives_nothing_and_leaves_no_thread(city, monkeypatch):
    before = threading.active_count()
    buildings = city_layer(city, "building_footprints")
    monkeypatch.setattr(prefetch_module, "CHUNK", 10)
    ahead = FeaturePrefetch(buildings)
    ahead.stop()
    assert threading.active_count() == before
    # stopped before the end (10 features a look) or read whole before the stop: never a part
    found = ahead.aligned([f.id() for f in buildings.getFeatures()])
    assert found is None or len(found) == buildings.featureCount()

    class Broken:
        def getFeatures(self, _request):
            raise RuntimeError("provider gone")

    monkeypatch.setattr(prefetch_module, "QgsVectorLayerFeatureSource", lambda _layer: Broken())
    assert FeaturePrefetch(buildings).aligned([1, 2]) is None
    assert threading.active_count() == before


def test_a_failing_run_stops_the_read_ahead(city, hernetwin_provider):
    import processing
    from qgis.core import QgsProcessingException

    before = threading.active_count()
    hazard = class_layer([(box(0, 0, 10, 10), "unreadable class")])  # no class that can be read: an error
    with pytest.raises(QgsProcessingException):
        processing.run("hernetwin:hazardexposure", {
            "INPUT": "{}|layername=building_footprints".format(city["geopackage"]), "HAZARD": hazard,
            "OUTPUT": "memory:", "SUMMARY": "memory:"})
    assert threading.active_count() == before
    # and a layer that is no GeoPackage is never read ahead
    assert not FeaturePrefetch.worthwhile(memory_layer("Polygon", [], [("name", QVariant.String)]), hazard, 0.0)
