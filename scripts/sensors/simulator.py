"""The LoRaWAN uplink simulator: which station sends what when (deterministic from a seed).

Message ``i`` goes to station ``i % n`` (round robin); it is that station's ``i // n``-th
uplink. Its readings are the deterministic readings of readings.py at a virtual time
(``VIRTUAL_START`` plus 15 minutes per uplink), so the values depend only on seed,
station and message number; ``received_at`` / ``time`` is the wall clock at publishing
(strictly rising per station). Each station belongs to one network server
(``network="mixed"``: about half The Things Stack, half ChirpStack); a share
``raw_share`` of uplinks carries only the raw payload.
"""

import datetime
import json
import threading
import time

from .readings import reading, uniform
from .uplinks import chirpstack_uplink, tts_uplink

UTC = datetime.timezone.utc
VIRTUAL_START = datetime.datetime(2025, 6, 1, tzinfo=UTC)
VIRTUAL_STEP = datetime.timedelta(minutes=15)
NETWORKS = ("tts", "chirpstack", "mixed")


class UplinkPlan:
    def __init__(self, stations, seed=2601, raw_share=0.3, network="mixed", clock=None):
        if not stations:
            raise ValueError("no stations to simulate")
        if network not in NETWORKS:
            raise ValueError("network must be one of {}".format(", ".join(NETWORKS)))
        if not 0.0 <= raw_share <= 1.0:
            raise ValueError("the raw share must be between 0 and 1")
        self.stations = list(stations)
        self.seed = seed
        self.raw_share = raw_share
        self.network = network
        self.clock = clock or (lambda: datetime.datetime.now(UTC))
        self._last_time = {}
        self.last_readings = {}  # station id -> (time, readings) of its latest uplink

    def network_of(self, station):
        if self.network != "mixed":
            return self.network
        return "tts" if uniform(self.seed, station["station_id"], "network") < 0.5 else "chirpstack"

    def readings(self, station, counter):
        moment = VIRTUAL_START + VIRTUAL_STEP * counter
        return {key: reading(self.seed, station["station_id"], key, moment) for key in station["property_list"]}

    def message(self, index):
        """(topic, payload bytes) of message ``index``."""
        station = self.stations[index % len(self.stations)]
        counter = index // len(self.stations)
        station_id = station["station_id"]
        moment = self.clock()
        last = self._last_time.get(station_id)
        if last is not None and moment <= last:
            moment = last + datetime.timedelta(milliseconds=1)
        self._last_time[station_id] = moment
        readings = self.readings(station, counter)
        raw_only = uniform(self.seed, station_id, counter, "raw") < self.raw_share
        battery = round(3.3 + 0.3 * uniform(self.seed, station_id, "battery"), 3)
        build = tts_uplink if self.network_of(station) == "tts" else chirpstack_uplink
        topic, message = build(station, readings, moment, counter, raw_only, self.seed, battery)
        self.last_readings[station_id] = (moment, readings)
        return topic, json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Publisher:
    """Publishes messages to an MQTT broker with QoS 1 at a given rate (paho-mqtt)."""

    def __init__(self, host, port, username=None, password=None, qos=1, client_id=None):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.qos = qos
        self.acked = 0
        self._lock = threading.Lock()
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                                  client_id=client_id or "herne-simulator-{}".format(int(time.time() * 1000)))
        if username:
            self.client.username_pw_set(username, password)
        self.client.max_inflight_messages_set(2000)
        self.client.max_queued_messages_set(0)
        self.client.on_publish = self._on_publish
        connected = threading.Event()
        self.client.on_connect = lambda *_args: connected.set()
        self.client.connect(host, port, keepalive=30)
        self.client.loop_start()
        if not connected.wait(10):
            self.close()
            raise ConnectionError("the broker {}:{} did not accept the simulator".format(host, port))

    def _on_publish(self, *_args):
        with self._lock:
            self.acked += 1

    def publish(self, topic, payload):
        self.client.publish(topic, payload, qos=self.qos)

    def wait_acked(self, count, timeout_s=30.0):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if self.acked >= count:
                    return True
            time.sleep(0.01)
        return False

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def run(plan, publisher, rate, count=None, duration_s=None, messages=None):
    """Publish ``count`` messages (or for ``duration_s``) at ``rate`` per second (0: as fast as
    possible); ``messages`` may replace ``plan.message``. Returns a dict of figures."""
    if count is None and duration_s is None:
        raise ValueError("give a count or a duration")
    make = messages or plan.message
    started = time.monotonic()
    sent = 0
    while True:
        if count is not None and sent >= count:
            break
        now = time.monotonic()
        if duration_s is not None and now - started >= duration_s:
            break
        if rate > 0:
            due = started + sent / rate
            if due > now:
                time.sleep(min(due - now, 0.05))
                continue
        topic, payload = make(sent)
        publisher.publish(topic, payload)
        sent += 1
    published = time.monotonic() - started
    acked = publisher.wait_acked(sent, timeout_s=max(10.0, sent / 500.0))
    elapsed = time.monotonic() - started
    return {"sent": sent, "acked": publisher.acked, "all_acked": acked, "publish_s": round(published, 3),
            "elapsed_s": round(elapsed, 3), "rate": round(sent / published, 1) if published > 0 else float(sent)}
