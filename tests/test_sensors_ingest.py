"""Live ingest through a real Mosquitto: the simulator publishes The Things Stack and
ChirpStack uplinks, the memory layer ends with the right latest values per station,
and a broker that drops dead is reconnected to with back-off."""

import time

import pytest
from sensors.simulator import Publisher, UplinkPlan, run
from sensors.testing import mosquitto_broker, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.ingest import ConnectionState, IngestError, MqttIngest, UplinkQueue
from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.live_layer import LiveLayerBatcher, LiveReadingsLayer
from herne_twin_plugin.core.sensors.lorawan import UplinkDecoder
from herne_twin_plugin.core.sensors.quality import QualityCounters
from herne_twin_plugin.core.sensors.register import DeviceRegister


class LivePipeline:
    """What the live dock wires together, driven by hand instead of a QTimer."""

    def __init__(self, url, stations, authcfg=""):
        self.counters = QualityCounters()
        self.queue = UplinkQueue(counters=self.counters)
        self.live = LiveReadingsLayer(LatestValueStore(self.counters))
        self.batcher = LiveLayerBatcher(self.queue, self.live, max_repaints_per_s=20)
        self.ingest = MqttIngest(url, UplinkDecoder(DeviceRegister.from_records(stations), self.counters),
                                 self.queue, authcfg=authcfg, min_backoff_s=0.2, max_backoff_s=1.0)
        self.states = []
        self.ingest.stateChanged.connect(lambda state, message: self.states.append((state, message)))

    def wait(self, condition, timeout_s=20.0):
        from qgis.PyQt.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            self.batcher.tick()
            if condition():
                return True
            time.sleep(0.02)
        return condition()

    def connected(self, times=1):
        return self.wait(lambda: self.ingest.state == ConnectionState.CONNECTED and self.ingest.connections >= times)

    def layer_values(self):
        layer = self.live.layer
        values = {}
        for feature in layer.getFeatures():
            values[feature["station_id"]] = {
                name: feature[name] for name in layer.fields().names()
                if name in ("pm10", "pm25", "no2", "water_level", "occupied", "soil_moisture", "soil_temperature",
                            "temperature", "humidity") and feature[name] is not None
                and not (hasattr(feature[name], "isNull") and feature[name].isNull())}
        return values


def expected_values(plan):
    return {station_id: readings for station_id, (_time, readings) in plan.last_readings.items()}


@pytest.fixture
def pipeline_factory(qgis_app):
    made = []

    def make(*args, **kwargs):
        made.append(LivePipeline(*args, **kwargs))
        return made[-1]

    yield make
    for pipeline in made:
        pipeline.ingest.stop()


def test_simulated_uplinks_end_as_the_latest_values_per_station(mosquitto_broker, sensor_stations,  # noqa: F811
                                                                 pipeline_factory):
    pipeline = pipeline_factory(mosquitto_broker.url, sensor_stations)
    pipeline.ingest.start()
    assert pipeline.connected()
    plan = UplinkPlan(sensor_stations, seed=7, raw_share=0.4)
    publisher = Publisher("127.0.0.1", mosquitto_broker.port)
    try:
        figures = run(plan, publisher, rate=0, count=10 * len(sensor_stations))
    finally:
        publisher.close()
    assert figures["all_acked"]
    assert pipeline.wait(lambda: pipeline.counters.snapshot()["accepted"] == figures["sent"])
    pipeline.batcher.stop()  # writes what is still pending
    counts = pipeline.counters.snapshot()
    assert (counts["received"], counts["rejected"], counts["dropped"]) == (figures["sent"], {}, 0)
    assert pipeline.live.layer.featureCount() == len(sensor_stations)
    assert pipeline.layer_values() == expected_values(plan)
    networks = {feature["source"] for feature in pipeline.live.layer.getFeatures()}
    assert networks == {"tts", "chirpstack"}


def test_a_broker_that_drops_dead_is_reconnected_with_back_off(mosquitto_broker, sensor_stations,  # noqa: F811
                                                               pipeline_factory):
    pipeline = pipeline_factory(mosquitto_broker.url, sensor_stations)
    pipeline.ingest.start()
    assert pipeline.connected()
    plan = UplinkPlan(sensor_stations, seed=11)
    sent = 0
    for _round in range(2):
        publisher = Publisher("127.0.0.1", mosquitto_broker.port)
        try:
            figures = run(plan, publisher, rate=0, count=2 * len(sensor_stations),
                          messages=lambda index, offset=sent: plan.message(offset + index))
        finally:
            publisher.close()
        sent += figures["sent"]
        assert pipeline.wait(lambda total=sent: pipeline.counters.snapshot()["accepted"] == total)
        if _round == 0:
            mosquitto_broker.kill()
            assert pipeline.wait(lambda: pipeline.ingest.state == ConnectionState.WAITING, 10)
            time.sleep(1.0)  # a few attempts fail while the broker is down
            mosquitto_broker.start()
            assert pipeline.connected(times=2)
    pipeline.batcher.stop()
    assert pipeline.layer_values() == expected_values(plan)
    waits = [message for state, message in pipeline.states if state == ConnectionState.WAITING]
    assert len(waits) >= 2
    assert "Next attempt in 0.2 s" in waits[0] and any("Next attempt in 0.4 s" in text for text in waits)
    assert pipeline.counters.snapshot()["rejected"] == {}


def test_credentials_come_from_the_authcfg(mosquitto_broker, sensor_stations, pipeline_factory):  # noqa: F811
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("pytest-master-password", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("Herne test broker")
    config.setConfig("username", mosquitto_broker.username)
    config.setConfig("password", mosquitto_broker.password)
    assert manager.storeAuthenticationConfig(config)[0]
    url = "mqtt://127.0.0.1:{}".format(mosquitto_broker.auth_port)
    refused = pipeline_factory(url, sensor_stations)
    refused.ingest.start()
    assert refused.wait(lambda: any(state == ConnectionState.WAITING for state, _m in refused.states), 10)
    assert "refused the connection" in [message for state, message in refused.states
                                        if state == ConnectionState.WAITING][0]
    refused.ingest.stop()
    allowed = pipeline_factory(url, sensor_stations, authcfg=config.id())
    allowed.ingest.start()
    assert allowed.connected()
    publisher = Publisher("127.0.0.1", mosquitto_broker.auth_port, mosquitto_broker.username,
                          mosquitto_broker.password)
    try:
        run(UplinkPlan(sensor_stations), publisher, rate=0, count=5)
    finally:
        publisher.close()
    assert allowed.wait(lambda: allowed.counters.snapshot()["accepted"] == 5)


def test_stop_unsubscribes_disconnects_and_joins(mosquitto_broker, sensor_stations, pipeline_factory):  # noqa: F811
    pipeline = pipeline_factory(mosquitto_broker.url, sensor_stations)
    pipeline.ingest.start()
    assert pipeline.connected()
    assert pipeline.ingest.stop(timeout_s=5)
    assert not pipeline.ingest.running
    assert pipeline.wait(lambda: pipeline.states[-1][0] == ConnectionState.STOPPED, 5)

    def broker_saw_disconnect():
        with open(mosquitto_broker.log, encoding="utf-8", errors="replace") as log:
            return "Client {} disconnected".format(pipeline.ingest.client_id) in log.read()

    assert pipeline.wait(broker_saw_disconnect, 5)  # a clean DISCONNECT, not a dropped socket


@pytest.mark.parametrize("url", ["http://127.0.0.1:1883", "mqtt://", "mqtt://127.0.0.1:99999"])
def test_an_unusable_broker_address_fails_at_once(qgis_app, sensor_stations, url):  # noqa: F811
    ingest = MqttIngest(url, UplinkDecoder(), UplinkQueue())
    with pytest.raises(IngestError, match="not an MQTT broker address"):
        ingest.start()
    assert ingest.state == ConnectionState.FAILED and not ingest.running


def test_an_unreadable_authcfg_fails_at_once(qgis_app):
    ingest = MqttIngest("mqtt://127.0.0.1:1883", UplinkDecoder(), UplinkQueue(), authcfg="nope123")
    with pytest.raises(IngestError, match="nope123 could not be read"):
        ingest.start()


def test_simulator_command_line_publishes_at_the_asked_rate(mosquitto_broker, sensor_stations,  # noqa: F811
                                                            pipeline_factory):
    import os
    import subprocess
    import sys

    pipeline = pipeline_factory(mosquitto_broker.url, sensor_stations)
    pipeline.ingest.start()
    assert pipeline.connected()
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "sensor_simulator.py")
    done = subprocess.run([sys.executable, script, "--broker", mosquitto_broker.url, "--stations", "20", "--count",
                           "100", "--rate", "200", "--raw-share", "0.5"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "100 uplinks to 20 stations" in done.stdout and "messages/s achieved (asked 200.0)" in done.stdout
    achieved = float(done.stdout.split("s: ")[1].split(" messages/s")[0])
    assert 100 <= achieved <= 260  # paced, not a burst
    assert pipeline.wait(lambda: pipeline.counters.snapshot()["accepted"] == 100)
    pipeline.batcher.stop()
    assert pipeline.live.layer.featureCount() == 20


@pytest.mark.parametrize("arguments, words", [
    (["--stations", "2001", "--count", "1"], "between 1 and 2000"),
    (["--count", "1", "--broker", "http://127.0.0.1:1"], "mqtt://host:port"),
    (["--stations", "5"], "give --count or --duration"),
    (["--count", "1", "--raw-share", "1.5", "--broker", "mqtt://127.0.0.1:1"], "raw share"),
])
def test_simulator_command_line_rejects_bad_arguments(arguments, words):
    import os
    import subprocess
    import sys

    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "sensor_simulator.py")
    done = subprocess.run([sys.executable, script] + arguments, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and words in done.stderr


def test_simulator_covers_two_thousand_stations(qgis_app):
    from sensors.stations import stations_for_count

    stations = stations_for_count(2000)
    decoder = UplinkDecoder(DeviceRegister.from_records(stations))
    plan = UplinkPlan(stations, raw_share=0.5)
    seen = set()
    for index in range(2000):
        uplink = decoder.process(*plan.message(index))
        seen.add(uplink.station.station_id)
        assert all(item.quality == "valid" for item in uplink.observations)
    assert len(seen) == 2000
    assert decoder.counters.snapshot()["rejected"] == {}
