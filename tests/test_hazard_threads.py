"""Threads of an exposure run: where a thread reads the assets' features ahead (a memory
output), the computation leaves it a core; the number of threads changes no value."""

import os
import threading

import pytest
from hazard_testdata import city_layer, spy_read_ahead
from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer
from test_hazard_fast_paths import values

from herne_twin_plugin.core.hazard import exposure
from herne_twin_plugin.core.hazard.exposure import threads_beside
from herne_twin_plugin.core.hazard.sources import run_exposure
from herne_twin_plugin.core.sample_city import generate
from herne_twin_plugin.processing import hazard_exposure_algorithm


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("hazard_threads_city")), scale="sample")


@pytest.mark.parametrize("cores, expected", [(1, 1), (2, 1), (3, 2), (8, 4)])
def test_the_computation_takes_the_cores_left_at_least_one(monkeypatch, cores, expected):
    monkeypatch.setattr(exposure.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(exposure, "OVERLAY_THREADS", max(1, min(4, cores)))
    assert threads_beside(1) == expected


@pytest.mark.parametrize("hazard", ["raster", "extremregen"])
def test_the_number_of_threads_changes_no_value(city, hazard):
    buildings = city_layer(city, "building_footprints")
    source = city["depth_rasters"]["extremregen"] if hazard == "raster" else city_layer(city, "extremregen")
    one = values(run_exposure(buildings, source, threads=1))
    assert values(run_exposure(buildings, source, threads=3)) == one
    assert values(run_exposure(buildings, source)) == one


def test_one_thread_means_no_overlay_thread(city, monkeypatch):
    started = []
    pool = exposure.ThreadPoolExecutor

    def spy(*args, **kwargs):
        started.append(kwargs.get("thread_name_prefix"))
        return pool(*args, **kwargs)

    monkeypatch.setattr(exposure, "ThreadPoolExecutor", spy)
    run_exposure(city_layer(city, "building_footprints"), city_layer(city, "extremregen"), threads=1)
    assert "hazard-overlay" not in started
    run_exposure(city_layer(city, "building_footprints"), city_layer(city, "extremregen"), threads=2)
    assert "hazard-overlay" in started


@pytest.mark.parametrize("output, reading_ahead", [("memory:", True), ("exposure.gpkg", False)])
def test_the_algorithm_leaves_the_read_ahead_a_core(city, hernetwin_provider, monkeypatch, tmp_path, output,
                                                     reading_ahead):
    import processing

    asked = []
    real = hazard_exposure_algorithm.run_exposure

    def spy(*args, **kwargs):
        asked.append((args[-1], [t.name for t in threading.enumerate()]))
        return real(*args, **kwargs)

    monkeypatch.setattr(hazard_exposure_algorithm, "run_exposure", spy)
    destination = output if output.startswith("memory") else str(tmp_path / output)
    result = processing.run("hernetwin:hazardexposure", {
        "INPUT": "{}|layername=building_footprints".format(city["geopackage"]),
        "HAZARD": "{}|layername=extremregen".format(city["geopackage"]), "OUTPUT": destination,
        "SUMMARY": "memory:"})
    assert result["OUTPUT"]
    (threads, names), = asked
    if reading_ahead:
        assert threads == threads_beside(1) and threads <= max(1, (os.cpu_count() or 1) - 1)
    else:
        assert threads is None and "hazard-prefetch" not in names


def output_rows(layer):
    """(building_id, attributes, WKB) of every feature of an exposure output, by building."""
    return sorted((f["building_id"], f.attributes()[1:], bytes(f.geometry().asWkb())) for f in layer.getFeatures())


def run_algorithm(**parameters):
    import processing

    parameters.setdefault("SUMMARY", "memory:")
    result = processing.run("hernetwin:hazardexposure", parameters)
    output = result["OUTPUT"]
    return output if isinstance(output, QgsVectorLayer) else QgsVectorLayer(output, "exposure", "ogr")


def test_the_memory_output_read_ahead_holds_what_every_other_path_holds(city, hernetwin_provider, tmp_path,
                                                                       monkeypatch):
    """Buildings on class polygons into a memory layer (features read ahead, the overlays in
    one thread) against a GeoPackage output (written directly, overlays in threads) and against
    a subset and a selection of the same layer (read feature by feature): every asset with
    the same attributes (the feature id apart) and geometry."""
    buildings, hazard = gpkg_layer(city, "building_footprints"), gpkg_layer(city, "extremregen")
    read_ahead = spy_read_ahead(monkeypatch)
    memory = output_rows(run_algorithm(INPUT=buildings, HAZARD=hazard, OUTPUT="memory:"))
    assert read_ahead == [True]
    assert len(memory) == city["counts"]["building_footprints"]
    classes = {row[1][-8] for row in memory}  # depth_class
    assert "below 10 cm" in classes and len(classes) >= 3
    direct = output_rows(run_algorithm(INPUT=buildings, HAZARD=hazard, OUTPUT=str(tmp_path / "exposure.gpkg")))
    assert direct == memory
    layer = QgsVectorLayer(buildings, "buildings", "ogr")
    layer.setSubsetString("fid % 3 = 0")
    QgsProject.instance().addMapLayer(layer)
    whole = QgsVectorLayer(buildings, "buildings", "ogr")
    QgsProject.instance().addMapLayer(whole)
    try:
        subset = output_rows(run_algorithm(INPUT=layer.id(), HAZARD=hazard, OUTPUT="memory:"))
        chosen = {f["building_id"] for f in layer.getFeatures()}
        assert subset == [row for row in memory if row[0] in chosen] and 0 < len(subset) < len(memory)
        whole.selectByIds(list(whole.allFeatureIds())[5:40])
        selected = output_rows(run_algorithm(INPUT=QgsProcessingFeatureSourceDefinition(whole.id(), True),
                                             HAZARD=hazard, OUTPUT="memory:"))
        picked = {f["building_id"] for f in whole.selectedFeatures()}
        assert selected == [row for row in memory if row[0] in picked] and len(selected) == 35
        assert read_ahead == [True]  # neither the subset nor the selection was read ahead
    finally:
        QgsProject.instance().removeMapLayers([layer.id(), whole.id()])


def gpkg_layer(city, name):
    return "{}|layername={}".format(city["geopackage"], name)
