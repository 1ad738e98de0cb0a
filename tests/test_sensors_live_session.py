"""LiveSession with the other two live sources: the SensorThings MQTT extension (the
snapshot fills the layer at once, then pushed Observations update it) and Orion polled in
a background task; alerts fire from the readings as they arrive; stop leaves nothing running."""

import datetime
import json
import time

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QSettings
from sensors.simulator import Publisher
from sensors.testing import mosquitto_broker, sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.alerts import ABOVE, AlertRule
from herne_twin_plugin.core.sensors.ingest import ConnectionState
from herne_twin_plugin.core.sensors.live_session import LiveSession
from herne_twin_plugin.core.sensors.model import format_time, utc_now
from herne_twin_plugin.core.sensors.ngsi import NgsiSource
from herne_twin_plugin.core.sensors.sensorthings import SensorThingsSource, datastream_key
from herne_twin_plugin.core.settings import PluginSettings


def pump(condition, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def value_of(layer, station_id, field):
    for feature in layer.getFeatures():
        if feature["station_id"] == station_id:
            return feature[field]
    return None


def test_sensorthings_mqtt_extension_updates_the_layer_and_fires_alerts(qgis_app, sensor_server,  # noqa: F811
                                                                         mosquitto_broker, tmp_path):  # noqa: F811
    snapshot = SensorThingsSource(sensor_server.url("sta"), page_size=100).latest()
    settings = PluginSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    session = LiveSession.sensorthings(snapshot, mosquitto_broker.url, alert_rules=[AlertRule("pm10", ABOVE, 50, 0)],
                                       settings=settings, ingest_options={"min_backoff_s": 0.2})
    fired = []
    session.alertsFired.connect(fired.extend)
    session.start()
    try:
        assert pump(lambda: session.state == ConnectionState.CONNECTED)
        assert pump(lambda: session.layer.featureCount() == len(snapshot.stations)), "the snapshot fills the layer"
        pm10 = next(stream for stream in snapshot.streams if stream.observed_property == "pm10")
        latest = {item.stream_id: item for item in snapshot.observations}[pm10.stream_id]
        publisher = Publisher("127.0.0.1", mosquitto_broker.port)
        try:
            moment = max(latest.time + datetime.timedelta(minutes=1), utc_now() - datetime.timedelta(seconds=5))
            publisher.publish("v1.1/Datastreams({})/Observations".format(datastream_key(pm10)), json.dumps(
                {"@iot.id": 999999, "phenomenonTime": format_time(moment), "result": 87.5}).encode())
            assert publisher.wait_acked(1)
        finally:
            publisher.close()
        assert pump(lambda: value_of(session.layer, pm10.station_id, "pm10") == 87.5)
        assert [alert.station_id for alert in fired] == [pm10.station_id]
        assert fired[0].value == 87.5
    finally:
        session.close_connections()
    assert not session.running and not session.batcher._timer.isActive()


def test_ngsi_polling_fills_the_layer_and_stops(qgis_app, sensor_server):  # noqa: F811
    source = NgsiSource(sensor_server.url("orion"), service="herne")
    session = LiveSession.ngsi_polling(source, interval_s=0.5)
    states = []
    session.stateChanged.connect(lambda state, message: states.append(state))
    session.start()
    try:
        assert pump(lambda: session.layer.featureCount() == len(sensor_server.data.stations))
        assert pump(lambda: session.poller.polls >= 2, 10), "polled again after the interval"
        assert ConnectionState.CONNECTED in states
        station_id = next(iter(session.live.store.station_ids()))
        assert session.live.store.latest(station_id), "latest readings are in the store"
    finally:
        session.close_connections()
    assert not session.running
    pump(lambda: QgsApplication.taskManager().countActiveTasks() == 0, 10)


def test_ngsi_polling_of_a_failing_server_says_when_it_tries_again(qgis_app, sensor_server):  # noqa: F811
    source = NgsiSource(sensor_server.url("orion", fault="status/503"), service="herne")
    session = LiveSession.ngsi_polling(source, interval_s=5)
    messages = []
    session.stateChanged.connect(lambda state, message: messages.append((state, message)))
    session.start()
    try:
        assert pump(lambda: any(state == ConnectionState.WAITING for state, _message in messages))
        text = [message for state, message in messages if state == ConnectionState.WAITING][0]
        assert "Next attempt in 5 s" in text and "503" in text
        assert session.layer.featureCount() == 0
    finally:
        session.close_connections()
