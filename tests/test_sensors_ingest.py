"""Live ingest through a real Mosquitto: the simulator publishes The Things Stack and
ChirpStack uplinks, the memory layer ends with the right latest values per station,
and a broker that drops dead is reconnected to with back-off."""

import time

import pytest
from sensors.simulator import Publisher, UplinkPlan, run
from sensors.testing import mosquitto_broker, sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.ingest import ConnectionState, IngestError, MqttIngest, UplinkQueue
from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.live_layer import LiveLayerBatcher, LiveReadingsLayer
from herne_twin_plugin.core.sensors.lorawan import DEFAULT_TOPICS, UplinkDecoder
from herne_twin_plugin.core.sensors.quality import QualityCounters
from herne_twin_plugin.core.sensors.register import DeviceRegister


class LivePipeline:
    """What the live dock wires together, driven by hand instead of a QTimer."""

    def __init__(self, url, stations, authcfg="", decoder=None, topics=DEFAULT_TOPICS):
        self.counters = decoder.counters if decoder else QualityCounters()
        self.queue = UplinkQueue(counters=self.counters)
        self.live = LiveReadingsLayer(LatestValueStore(self.counters))
        self.batcher = LiveLayerBatcher(self.queue, self.live, max_repaints_per_s=20)
        decoder = decoder or UplinkDecoder(DeviceRegister.from_records(stations), self.counters)
        self.ingest = MqttIngest(url, decoder, self.queue, topics=topics, authcfg=authcfg, min_backoff_s=0.2,
                                 max_backoff_s=1.0)
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


def test_sensorthings_mqtt_extension_observations_reach_the_layer(mosquitto_broker, sensor_server,  # noqa: F811
                                                                  pipeline_factory):
    import datetime
    import json

    from herne_twin_plugin.core.sensors.sensorthings import SensorThingsMqttDecoder, SensorThingsSource

    snapshot = SensorThingsSource(sensor_server.url("sta"), page_size=200).latest()
    decoder = SensorThingsMqttDecoder(snapshot, counters=QualityCounters())
    assert len(decoder.topics()) == len(snapshot.streams)
    pipeline = pipeline_factory(mosquitto_broker.url, [], decoder=decoder, topics=decoder.topics())
    pipeline.ingest.start()
    assert pipeline.connected()
    moment = (sensor_server.data.times[-1] + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    messages = [("v1.1/Datastreams({})/Observations".format(datastream_id),
                 json.dumps({"@iot.id": 99000 + datastream_id, "phenomenonTime": moment, "result": value}).encode())
                for datastream_id, value in ((1, 42.5), (2, 17.0), (3, 2500.0))]  # 2500 µg/m³ NO2: out of range
    messages.append(("v1.1/Datastreams(1)/Observations", b'{"result": 1'))  # cut off
    messages.append(("v1.1/Datastreams(2)/Observations", json.dumps({"phenomenonTime": moment, "result": "n/a"})
                     .encode()))
    publisher = Publisher("127.0.0.1", mosquitto_broker.port)
    try:
        for topic, payload in messages:
            publisher.publish(topic, payload)
        publisher.wait_acked(len(messages))
    finally:
        publisher.close()
    assert pipeline.wait(lambda: pipeline.counters.snapshot()["received"] == 5)
    pipeline.batcher.stop()
    counts = pipeline.counters.snapshot()
    assert (counts["accepted"], counts["rejected"]) == (3, {"malformed_json": 1, "wrong_type": 1})
    station, key = sensor_server.sta.datastream_stream[1]
    values = pipeline.layer_values()[station["station_id"]]
    assert values["pm10"] == 42.5 and values["pm25"] == 17.0 and "no2" not in values
    feature = next(pipeline.live.layer.getFeatures())
    assert feature["no2_quality"] == "out_of_range" and feature["source"] == "sensorthings"


@pytest.fixture
def tls_broker(tmp_path_factory):
    """Mosquitto with a TLS listener whose certificate a test CA signed (for 127.0.0.1)."""
    import os
    import shutil
    import subprocess
    import tempfile

    from backend import processes

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    workdir = tempfile.mkdtemp(prefix="herne-sensors-tls-")
    os.chmod(workdir, 0o755)  # mosquitto drops root privileges before it reads the certificates

    def run(*argv):
        subprocess.run(argv, cwd=workdir, check=True, capture_output=True, timeout=60)

    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Herne Test CA")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")
    with open(os.path.join(workdir, "san.ext"), "w", encoding="ascii") as handle:
        handle.write("subjectAltName=IP:127.0.0.1\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "san.ext")
    for name in os.listdir(workdir):
        os.chmod(os.path.join(workdir, name), 0o644)
    port = processes.free_port()
    config = os.path.join(workdir, "mosquitto.conf")
    with open(config, "w", encoding="ascii") as handle:
        handle.write("persistence false\nlog_dest stderr\nlistener {} 127.0.0.1\nallow_anonymous true\n"
                     "cafile {dir}/ca.pem\ncertfile {dir}/server.pem\nkeyfile {dir}/server.key\n".format(
                         port, dir=workdir))
    process = processes.start_service(["mosquitto", "-c", config], "Mosquitto (TLS)", os.path.join(
        workdir, "mosquitto.log"), lambda: processes.port_accepts(port), timeout=20)
    try:
        yield {"port": port, "ca": os.path.join(workdir, "ca.pem")}
    finally:
        processes.stop_process(process.pid)
        shutil.rmtree(workdir, ignore_errors=True)


def test_tls_broker_is_trusted_through_the_qgis_certificate_store(tls_broker, sensor_stations,  # noqa: F811
                                                                   pipeline_factory):
    import subprocess

    from qgis.core import QgsApplication
    from qgis.PyQt.QtNetwork import QSslCertificate

    url = "mqtts://127.0.0.1:{}".format(tls_broker["port"])
    untrusted = pipeline_factory(url, sensor_stations)
    untrusted.ingest.start()
    assert untrusted.wait(lambda: any(state == ConnectionState.WAITING for state, _m in untrusted.states), 10)
    assert "certificate" in [message for state, message in untrusted.states
                             if state == ConnectionState.WAITING][0].lower()
    untrusted.ingest.stop()

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("pytest-master-password", True)
    with open(tls_broker["ca"], "rb") as handle:
        authority = QSslCertificate(handle.read())
    assert manager.storeCertAuthority(authority)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()
    try:
        trusted = pipeline_factory(url, sensor_stations)
        trusted.ingest.start()
        assert trusted.connected()
        topic, payload = UplinkPlan(sensor_stations).message(0)
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(tls_broker["port"]), "--cafile",
                        tls_broker["ca"], "-q", "1", "-t", topic, "-s"], input=payload, check=True, timeout=20)
        assert trusted.wait(lambda: trusted.counters.snapshot()["accepted"] == 1)
    finally:
        manager.removeCertAuthority(authority)
        manager.rebuildCaCertsCache()
        manager.rebuildTrustedCaCertsCache()
