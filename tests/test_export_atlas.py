"""hernetwin:exportatlas as a planner checks its result: one page per district or per building,
in the asked order, with the page's name on it; one file per page where asked; the chart of
the nearest sensor; and bad input (no features, broken expressions, cancel) leaves no file."""

# ruff: noqa: F811 (the fixtures come from export_support and are named as arguments)

import datetime
import math
import os

import pytest
from export_support import (  # noqa: F401 (fixtures)
    PAGE_MM,
    city_project,
    flat,
    gpkg_rows,
    hernetwin,
    leftovers,
    need_tools,
    pdf_pages,
    pdf_text,
    sample_city,
)
from qgis.core import QgsGeometry, QgsPointXY, QgsProcessingException, QgsProcessingFeedback, QgsProject
from qgis.PyQt.QtGui import QColor, QImage

from herne_twin_plugin.core.export import chart as chart_module
from herne_twin_plugin.core.export.chart import Observation, SensorChart, render_chart


def run_atlas(parameters, feedback=None):
    import processing

    return processing.run("hernetwin:exportatlas", parameters, feedback=feedback)


def test_one_page_per_district_sorted_by_name(hernetwin, city_project, tmp_path):
    need_tools()
    districts = city_project["districts"]
    result = run_atlas({"COVERAGE": districts.id(), "SORT": '"name"', "PAGE_NAME": '"name"', "TITLE": "Stadtbezirk",
                        "TEMPLATE": 0, "DPI": 72, "OUTPUT": str(tmp_path / "bezirke.pdf")})
    names = sorted(feature["name"] for feature in districts.getFeatures())
    assert result["PAGE_COUNT"] == len(names)
    sizes, _pngs = pdf_pages(result["OUTPUT"], tmp_path)
    assert len(sizes) == len(names)
    assert all(size == pytest.approx(PAGE_MM["a4_portrait"], abs=2.0) for size in sizes)
    for page, name in enumerate(names, start=1):
        assert "Stadtbezirk – {}".format(name) in flat(pdf_text(result["OUTPUT"], page))
    assert leftovers(tmp_path) == []


def test_one_file_per_affected_building_filtered_and_sorted(hernetwin, city_project, sample_city, tmp_path):
    """The exposure's output is any layer with fields: here the buildings, filtered by height."""
    need_tools()
    heights = sorted(row[0] for row in gpkg_rows(sample_city["geopackage"],
                                                 "SELECT measured_height FROM building_footprints"))
    threshold = heights[-6]  # the five tallest buildings (heights of the sample are distinct enough)
    expected = [row for row in gpkg_rows(
        sample_city["geopackage"],
        "SELECT building_id, measured_height FROM building_footprints WHERE measured_height > {} "
        "ORDER BY measured_height DESC".format(threshold))]
    assert 1 <= len(expected) <= 6
    out = tmp_path / "atlas"
    out.mkdir()
    result = run_atlas({"COVERAGE": city_project["building_footprints"].id(),
                        "FILTER": '"measured_height" > {}'.format(threshold),
                        "SORT": '-"measured_height"', "PAGE_NAME": '"building_id"', "TITLE": "Gebäude",
                        "SINGLE_FILE": False, "DPI": 72, "OUTPUT": str(out / "gebaeude.pdf")})
    files = result["OUTPUT_FILES"].split(";")
    assert result["PAGE_COUNT"] == len(expected) == len(files)
    assert sorted(os.listdir(out)) == sorted(os.path.basename(f) for f in files)
    for number, (path, (building_id, _height)) in enumerate(zip(sorted(files), expected), start=1):
        assert os.path.basename(path).startswith("gebaeude_{}_".format(number))
        page_dir = tmp_path / "page{}".format(number)
        page_dir.mkdir()
        sizes, _ = pdf_pages(path, page_dir)
        assert len(sizes) == 1 and sizes[0] == pytest.approx(PAGE_MM["a4_landscape"], abs=2.0)
        assert building_id in flat(pdf_text(path))


@pytest.mark.parametrize("parameter, expression, message", [
    ("FILTER", '"measured_height" >', "not valid"),
    ("SORT", '"no_such_field"', "no_such_field"),
    ("FILTER", '"measured_height" > 100000', "passes the filter"),
])
def test_bad_expressions_and_empty_selections(hernetwin, city_project, tmp_path, parameter, expression, message):
    with pytest.raises(QgsProcessingException, match=message):
        run_atlas({"COVERAGE": city_project["building_footprints"].id(), parameter: expression,
                   "OUTPUT": str(tmp_path / "atlas.pdf")})
    assert os.listdir(tmp_path) == []


def test_an_empty_coverage_layer(hernetwin, qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    empty = QgsVectorLayer("Polygon?crs=EPSG:25832&field=name:string", "Betroffene Gebäude", "memory")
    QgsProject.instance().addMapLayer(empty)
    try:
        with pytest.raises(QgsProcessingException, match="Betroffene Gebäude has no features"):
            run_atlas({"COVERAGE": empty.id(), "OUTPUT": str(tmp_path / "atlas.pdf")})
    finally:
        QgsProject.instance().removeMapLayer(empty.id())
    assert os.listdir(tmp_path) == []


def test_an_unwritable_output_folder(hernetwin, city_project, tmp_path):
    with pytest.raises(QgsProcessingException, match="Cannot write"):
        run_atlas({"COVERAGE": city_project["districts"].id(), "OUTPUT": str(tmp_path / "fehlt" / "atlas.pdf")})
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("single_file", [True, False])
def test_cancel_leaves_no_file(hernetwin, city_project, tmp_path, single_file):
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda progress: feedback.cancel() if progress > 0 else None)
    result = run_atlas({"COVERAGE": city_project["districts"].id(), "SINGLE_FILE": single_file, "DPI": 72,
                        "OUTPUT": str(tmp_path / "atlas.pdf")}, feedback=feedback)
    assert feedback.isCanceled()
    assert result.get("PAGE_COUNT") is None
    assert os.listdir(tmp_path) == []


# -- the chart of the nearest sensor ----------------------------------------------------------

START = datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc)


def rising_readings(station_id):
    """Synthetic water levels: 48 hourly readings rising from 20 cm, one gap, one NaN."""
    readings = [Observation(START + datetime.timedelta(hours=h), 20.0 + h * 0.5, "cm") for h in range(48)]
    readings[10] = Observation(readings[10].time, float("nan"), "cm")
    return readings


def test_nearest_station_is_the_closest_one(city_project):
    stations = city_project["sensor_stations"]
    chart = SensorChart(stations, rising_readings, max_distance_m=None)
    for building in list(city_project["building_footprints"].getFeatures())[:25]:
        geometry = building.geometry()
        nearest = chart.nearest(geometry)
        distances = sorted(s.geometry().distance(geometry) for s in stations.getFeatures())
        assert nearest.geometry().distance(geometry) == pytest.approx(distances[0])
    far = QgsGeometry.fromPointXY(QgsPointXY(0, 0))
    assert SensorChart(stations, rising_readings, max_distance_m=500).nearest(far) is None


def test_chart_image_shows_the_readings(qgis_app, tmp_path):
    path = render_chart(rising_readings("x"), str(tmp_path / "chart.png"), title="Pegel Emscher", size_mm=(60, 50),
                        dpi=200)
    image = QImage(path)
    assert image.width() == pytest.approx(60 / 25.4 * 200, abs=2)
    assert image.height() == pytest.approx(50 / 25.4 * 200, abs=2)
    line = QColor(chart_module.LINE_COLOUR).rgb() & 0xFFFFFF
    blue = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if (image.pixel(x, y) & 0xFFFFFF) == line)
    assert blue > 20, "the line of readings is not drawn"


def test_no_readings_no_chart_and_a_failing_provider_does_not_stop_the_atlas(city_project, tmp_path):
    stations = city_project["sensor_stations"]
    centre = QgsGeometry.fromPointXY(stations.extent().center())

    def broken(_station_id):
        raise OSError("history server unreachable")

    assert SensorChart(stations, lambda _s: [], max_distance_m=None).image_for(centre, str(tmp_path / "a.png")) is None
    assert SensorChart(stations, broken, max_distance_m=None).image_for(centre, str(tmp_path / "b.png")) is None
    with pytest.raises(Exception, match="provider"):
        SensorChart(stations, "not callable")


def _blue_pixels(png):
    image = QImage(png)
    line = QColor(chart_module.LINE_COLOUR)
    count = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            pixel = QColor(image.pixel(x, y))
            if math.dist((pixel.red(), pixel.green(), pixel.blue()), (line.red(), line.green(), line.blue())) < 40:
                count += 1
    return count


def test_atlas_pages_carry_the_chart_from_the_registered_provider(hernetwin, city_project, tmp_path):
    need_tools()
    districts = city_project["districts"]
    chart_module.register_observation_provider(rising_readings)
    try:
        with_chart = run_atlas({"COVERAGE": districts.id(), "SENSORS": city_project["sensor_stations"].id(),
                                "LAYERS": [districts.id()], "FILTER": "\"name\" = 'Herne-Mitte'", "DPI": 72,
                                "OUTPUT": str(tmp_path / "mit.pdf")})
    finally:
        chart_module.register_observation_provider(None)
    without = run_atlas({"COVERAGE": districts.id(), "SENSORS": city_project["sensor_stations"].id(),
                         "LAYERS": [districts.id()], "FILTER": "\"name\" = 'Herne-Mitte'", "DPI": 72,
                         "OUTPUT": str(tmp_path / "ohne.pdf")})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _sizes, pages_with = pdf_pages(with_chart["OUTPUT"], tmp_path / "a", dpi=150)
    _sizes, pages_without = pdf_pages(without["OUTPUT"], tmp_path / "b", dpi=150)
    # the chart's blue line is on the page with a provider and nowhere without one
    assert _blue_pixels(pages_with[0]) > 30
    assert _blue_pixels(pages_without[0]) < 5
