"""Threads of an exposure run: where a thread reads the assets' features ahead (a memory
output), the computation leaves it a core; the number of threads changes no value."""

import os
import threading

import pytest
from hazard_testdata import city_layer
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
