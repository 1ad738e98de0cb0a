"""The time-series chart dock: reads the stations and a station's history from the fixture
server (SensorThings and QuantumLeap), draws one panel per property with its thresholds,
exports a PNG and a CSV with exactly the readings of the chosen range."""

import csv
import datetime
import json
import time

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QSettings
from qgis.PyQt.QtGui import QImage
from sensors.testing import sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.catalog import ServiceCatalog
from herne_twin_plugin.core.sensors.model import parse_time
from herne_twin_plugin.core.settings import PluginSettings
from herne_twin_plugin.gui.sensors.chart_dock import SensorChartDock


def wait_loaded(dock, action, timeout_s=30.0):
    done = []
    dock.loaded.connect(lambda: done.append(True))
    action()
    deadline = time.monotonic() + timeout_s
    while not done and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert done, "nothing was read in {} s: {}".format(timeout_s, dock.status_label.text())


@pytest.fixture
def chart(qgis_iface, sensor_server, tmp_path):  # noqa: F811
    state = tmp_path / "backend.json"
    state.write_text(json.dumps({"sensorthings_url": sensor_server.url("sta"), "ngsi_url": sensor_server.url("orion"),
                                 "quantumleap_url": sensor_server.url("quantumleap"), "fiware_service": "herne"}))
    settings = PluginSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    dock = SensorChartDock(qgis_iface, ServiceCatalog(settings=settings, backend_state_path=str(state)))
    yield dock
    dock.close_connections()


def expected_rows(server, station_id, start, end):
    """(property, time, value) the server holds for the station within [start, end]."""
    station = next(item for item in server.data.stations if item["station_id"] == station_id)
    rows = []
    for key in station["property_list"]:
        for index, moment in enumerate(server.data.times):
            if start <= moment <= end:
                rows.append((key, moment, server.data.value(station, key, index)))
    return sorted(rows)


@pytest.mark.parametrize("service_id", ["local-sensorthings", "local-ngsi"])
def test_chart_reads_history_and_exports_png_and_csv(chart, sensor_server, sensor_stations, tmp_path,  # noqa: F811
                                                     service_id):
    wait_loaded(chart, lambda: chart.select_source(service_id))
    assert chart.station_combo.count() == len(sensor_stations)
    gauge = next(item for item in sensor_stations if "water_level" in item["property_list"])
    chart.range_combo.setCurrentIndex(0)  # the last 6 hours
    # SensorThings keeps the city's station id; NGSI names the entity urn:ngsi-ld:<type>:<station id>
    station_id = next(chart.station_combo.itemData(index) for index in range(chart.station_combo.count())
                      if chart.station_combo.itemData(index).split(":")[-1] == gauge["station_id"])
    wait_loaded(chart, lambda: chart.show_station(station_id))
    start, end = chart.range
    assert end - start == datetime.timedelta(hours=6)
    csv_path = chart.export_csv(str(tmp_path / "chart.csv"))
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["station_id", "observed_property", "time", "value", "unit", "quality"]
    assert {row[0] for row in rows[1:]} == {station_id}
    assert {stream.observed_property for stream in chart.streams} == set(gauge["property_list"])
    got = sorted((row[1], parse_time(row[2]), float(row[3])) for row in rows[1:])
    expected = expected_rows(sensor_server, gauge["station_id"], start, end)
    assert [(key, moment) for key, moment, _value in got] == [(key, moment) for key, moment, _value in expected]
    assert [value for _key, _moment, value in got] == pytest.approx([value for _k, _m, value in expected])
    # one panel per property, the water level's warning and alarm levels drawn
    axes = chart.figure.axes
    assert len(axes) == len(gauge["property_list"])
    level_axes = axes[gauge["property_list"].index("water_level")]
    limits = sorted(line.get_ydata()[0] for line in level_axes.get_lines()[1:])
    if service_id == "local-sensorthings":  # NGSI entities carry no thresholds
        assert limits == sorted(gauge["threshold_map"]["water_level"].values())
    png = chart.export_png(str(tmp_path / "chart.png"))
    image = QImage(png)
    assert not image.isNull() and image.width() >= 600 and image.height() >= 400
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
    assert "#2171b5" in colours or any(name.startswith("#21") for name in colours), "the series line is drawn"


def test_a_failing_history_server_is_reported(chart, sensor_server, tmp_path):  # noqa: F811
    wait_loaded(chart, lambda: chart.select_source("local-sensorthings"))
    chart.source.base = sensor_server.url("sta", fault="status/500")
    for stream in chart.snapshot.streams:
        object.__setattr__(stream, "source_ref", stream.source_ref.replace(
            sensor_server.url("sta"), sensor_server.url("sta", fault="status/500")))
    wait_loaded(chart, lambda: chart.show_station(chart.station_combo.itemData(0)))
    assert chart.streams == [] and "500" in chart.status_label.text()
    assert not chart.csv_button.isEnabled() and not chart.png_button.isEnabled()
    assert chart.show_station("no-such-station") is False


def test_history_on_the_time_slider(chart, sensor_server, qgis_new_project):  # noqa: F811
    from qgis.core import QgsProject

    wait_loaded(chart, lambda: chart.select_source("local-sensorthings"))
    chart.range_combo.setCurrentIndex(0)  # 6 hours
    wait_loaded(chart, chart.history_button.click)
    layer = chart.history_layer
    assert layer is not None and layer.id() in QgsProject.instance().mapLayers()
    assert layer.temporalProperties().isActive() and layer.temporalProperties().startField() == "time"
    data = sensor_server.data
    now = datetime.datetime.now(datetime.timezone.utc)
    steps = [moment for moment in data.times if now - datetime.timedelta(hours=6) <= moment <= now]
    assert layer.featureCount() == len(data.streams) * len(steps)
    assert str(len(data.streams) * len(steps)) in chart.status_label.text()
