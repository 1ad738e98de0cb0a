"""The "Live sensors" dock as a user drives it: choose the local broker from the catalog,
pick the stations layer, Connect; the simulator's uplinks fill the styled live layer, the
counters count them, a broker that drops dead shows "Reconnecting" and recovers,
Disconnect leaves no thread behind. Also the alert list and its acknowledgements."""

import datetime
import json
import os
import threading
import time

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QSettings
from sensors.simulator import Publisher, UplinkPlan, run
from sensors.stations import SAMPLE_DIR
from sensors.testing import mosquitto_broker, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.catalog import ServiceCatalog
from herne_twin_plugin.core.sensors.alerts import ABOVE, AlertEngine, AlertRule
from herne_twin_plugin.core.sensors.live_style import station_states
from herne_twin_plugin.core.sensors.model import UTC, Observation, Quality, Station
from herne_twin_plugin.core.settings import PluginSettings
from herne_twin_plugin.gui.sensors.alerts import AlertList
from herne_twin_plugin.gui.sensors.live_dock import LiveSensorsDock

PROPERTIES = ("pm10", "pm25", "no2", "water_level", "occupied", "soil_moisture", "soil_temperature", "temperature",
              "humidity")


def wait(condition, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def ingest_threads():
    return [thread for thread in threading.enumerate() if thread.name == "herne-twin-mqtt-ingest"]


@pytest.fixture
def settings(tmp_path):
    return PluginSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


@pytest.fixture
def dock(qgis_iface, qgis_new_project, mosquitto_broker, settings, tmp_path, sensor_stations):  # noqa: F811
    state = tmp_path / "backend.json"
    state.write_text(json.dumps({"mqtt_host": "127.0.0.1", "mqtt_port": mosquitto_broker.port}))
    catalog = ServiceCatalog(settings=settings, backend_state_path=str(state))
    register = QgsVectorLayer("{}|layername=sensor_stations".format(os.path.join(SAMPLE_DIR, "herne_sample.gpkg")),
                              "sensor_stations", "ogr")
    assert register.isValid()
    QgsProject.instance().addMapLayer(register)
    widget = LiveSensorsDock(qgis_iface, catalog, settings)
    widget.register_combo.setLayer(register)
    yield widget
    widget.close_connections()


def publish(broker, plan, count, offset=0):
    publisher = Publisher("127.0.0.1", broker.port)
    try:
        figures = run(plan, publisher, rate=0, count=count, messages=lambda index: plan.message(offset + index))
    finally:
        publisher.close()
    assert figures["all_acked"]
    return figures["sent"]


def layer_values(layer):
    return {feature["station_id"]: {key: feature[key] for key in PROPERTIES
                                    if feature[key] is not None and not getattr(feature[key], "isNull", bool)()}
            for feature in layer.getFeatures()}


def test_connect_fills_the_live_layer_and_disconnect_stops_the_thread(
        dock, mosquitto_broker, sensor_stations):  # noqa: F811
    dock.select_source("local-mqtt")
    dock.connect_button.click()
    assert wait(lambda: dock.state_label.text().startswith("Connected")), dock.state_label.text()
    session = dock.session
    assert session.layer.id() in QgsProject.instance().mapLayers(), "the live layer is in the project"
    assert not dock.connect_button.isEnabled() and dock.disconnect_button.isEnabled()
    plan = UplinkPlan(sensor_stations, seed=5)
    sent = publish(mosquitto_broker, plan, 3 * len(sensor_stations))
    assert wait(lambda: session.counters.snapshot()["accepted"] == sent)
    assert wait(lambda: session.layer.featureCount() == len(sensor_stations) and session.batcher.stats()["cycles"]
                and not session.batcher._dirty and session.batcher._cycle is None)
    expected = {station_id: readings for station_id, (_time, readings) in plan.last_readings.items()}
    assert layer_values(session.layer) == expected
    dock.update_counters()
    assert "Received {}, accepted {}, rejected 0".format(sent, sent) in dock.counters_label.text()
    states = station_states(session.layer)
    assert len(states) == len(sensor_stations) and "stale" not in states.values(), "fresh readings are coloured"
    assert ingest_threads(), "the ingest runs on its own thread"

    dock.disconnect_button.click()
    assert dock.session is None and not ingest_threads(), "Disconnect joins the ingest thread"
    assert not session.batcher._timer.isActive()
    assert dock.state_label.text() == "Not connected" and dock.connect_button.isEnabled()
    assert session.layer.featureCount() == len(sensor_stations), "the layer keeps the last readings"


def test_a_broker_that_drops_shows_reconnecting_and_recovers(dock, mosquitto_broker, sensor_stations):  # noqa: F811
    dock.select_source("local-mqtt")
    dock.connect_button.click()
    assert wait(lambda: dock.state_label.text().startswith("Connected"))
    mosquitto_broker.kill()
    assert wait(lambda: dock.state_label.text().startswith("Reconnecting"), 10), dock.state_label.text()
    assert "Next attempt in" in dock.state_label.text()
    mosquitto_broker.start()
    assert wait(lambda: dock.state_label.text().startswith("Connected"), 20), dock.state_label.text()
    plan = UplinkPlan(sensor_stations, seed=9)
    sent = publish(mosquitto_broker, plan, len(sensor_stations))
    assert wait(lambda: dock.session.counters.snapshot()["accepted"] == sent)


def test_connect_without_a_register_layer_says_what_is_missing(dock):
    dock.select_source("local-mqtt")
    dock.register_combo.setLayer(None)
    dock.connect_button.click()
    assert dock.session is None and not ingest_threads()
    assert "device register" in dock.state_label.text()


def test_stale_setting_is_remembered(dock, settings):
    dock.stale_spin.setValue(5)
    assert float(settings.value("sensors/stale_after_s")) == 300
    assert dock.stale_after_s() == 300


def test_alert_list_shows_alerts_and_remembers_acknowledgements(qgis_app, settings):
    station = Station("herne-aq-0001", "Westring", 372000.0, 5713000.0)
    moment = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    observation = Observation("herne-aq-0001/pm10", station.station_id, "pm10", moment, 80.0, "µg/m³",
                              Quality.VALID, "tts")
    engine = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 0)], settings)
    alerts = AlertList()
    alerts.set_engine(engine)
    alerts.add_alerts(engine.evaluate(station, [observation]))
    assert [item.text() for item in alerts.items()] == [engine.history[0].message()]
    item = alerts.items()[0]
    assert not alerts.is_acknowledged(item)
    item.setSelected(True)
    alerts.acknowledge_button.click()
    assert alerts.is_acknowledged(item)
    again = AlertList()
    later = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 0)], settings)
    again.set_engine(later)
    again.add_alerts(later.evaluate(station, [observation]))
    assert again.is_acknowledged(again.items()[0]), "acknowledged before: still acknowledged"
