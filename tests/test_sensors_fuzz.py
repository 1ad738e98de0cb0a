"""Fuzzing the live ingest through a real Mosquitto: 10,000 mutations of valid uplinks
(truncated, random bytes, wrong types, missing fields, deep nesting, huge numbers, NaN,
bad times, flipped payload bits, oversized) must not crash it; every message is either
accepted or counted as rejected, and no invalid value reaches the layer as a value."""

import json
import math
import random
import time

import pytest
from sensors.simulator import Publisher, UplinkPlan, run
from sensors.testing import mosquitto_broker, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.ingest import ConnectionState, MqttIngest, UplinkQueue
from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.live_layer import LiveLayerBatcher, LiveReadingsLayer
from herne_twin_plugin.core.sensors.lorawan import UplinkDecoder
from herne_twin_plugin.core.sensors.model import Quality
from herne_twin_plugin.core.sensors.observed_properties import PROPERTIES, PROPERTY_ORDER
from herne_twin_plugin.core.sensors.quality import QualityCounters
from herne_twin_plugin.core.sensors.register import DeviceRegister

MESSAGES = 10000
SEED = 4711


def _paths(node, prefix=()):
    """Every (path, value) in a JSON tree."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _set(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _drop(document, path):
    target = document
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]


def _nested(depth, rng):
    value = rng.random()
    for _level in range(depth):
        value = [value] if rng.random() < 0.5 else {"v": value}
    return value


class Mutator:
    """Deterministic mutations of valid uplinks (see the module doc)."""

    # oversized messages are rare: each is a quarter of a megabyte through the broker
    WEIGHTS = (("valid", 10), ("truncate", 10), ("random_bytes", 8), ("wrong_type", 12), ("missing", 10),
               ("deep", 8), ("huge_number", 8), ("nan", 8), ("bad_time", 8), ("bit_flip", 8), ("reading_type", 8),
               ("oversized", 1), ("topic", 4))
    KINDS = tuple(kind for kind, _weight in WEIGHTS)

    def __init__(self, plan, rng):
        self.plan, self.rng = plan, rng
        self.kinds = {}

    def message(self, index):
        topic, payload = self.plan.message(index)
        kind = self.rng.choices(self.KINDS, weights=[weight for _kind, weight in self.WEIGHTS])[0]
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return getattr(self, "_" + kind)(topic, payload)

    def _valid(self, topic, payload):
        return topic, payload

    def _truncate(self, topic, payload):
        return topic, payload[: self.rng.randrange(len(payload))]

    def _random_bytes(self, topic, _payload):
        return topic, bytes(self.rng.randrange(256) for _ in range(self.rng.randrange(1, 400)))

    def _leaves(self, document):
        return [(path, value) for path, value in _paths(document) if path]

    def _wrong_type(self, topic, payload):
        document = json.loads(payload)
        path, value = self.rng.choice(self._leaves(document))
        choices = ["text", 17, 3.5, True, None, [], {}, [1, "a"], {"x": {"y": 1}}]
        _set(document, path, self.rng.choice([choice for choice in choices if type(choice) is not type(value)]))
        return topic, json.dumps(document).encode()

    def _missing(self, topic, payload):
        document = json.loads(payload)
        path, _value = self.rng.choice(self._leaves(document))
        _drop(document, path)
        return topic, json.dumps(document).encode()

    def _readings(self, document):
        holder = document.get("object") or document.get("uplink_message", {}).get("decoded_payload")
        return holder if isinstance(holder, dict) and holder else None

    def _deep(self, topic, payload):
        if self.rng.random() < 0.3:  # the whole message, beyond any recursion limit
            depth = self.rng.randrange(1000, 60000)
            return topic, b"[" * depth + payload + b"]" * depth
        document = json.loads(payload)
        path, _value = self.rng.choice(self._leaves(document))
        _set(document, path, _nested(self.rng.randrange(2, 500), self.rng))
        return topic, json.dumps(document).encode()

    def _number_text(self, topic, payload, replacements):
        document = json.loads(payload)
        readings = self._readings(document)
        if readings is None:  # raw only: the port number is the number to break
            replacement = self.rng.choice(replacements).encode()
            return topic, payload.replace(b'"fPort":2', b'"fPort":' + replacement).replace(
                b'"f_port":2', b'"f_port":' + replacement)
        key = self.rng.choice(sorted(key for key in readings if key in PROPERTIES))  # not the battery
        marker = "__MUTATED__"
        readings[key] = marker
        return topic, json.dumps(document).replace('"{}"'.format(marker), self.rng.choice(replacements)).encode()

    def _huge_number(self, topic, payload):
        return self._number_text(topic, payload, ["1e308", "-1e308", "1" + "0" * 400, "1e999", "-1e999",
                                                  "123456789012345678901234567890", "4.9e-324"])

    def _nan(self, topic, payload):
        return self._number_text(topic, payload, ["NaN", "Infinity", "-Infinity"])

    def _bad_time(self, topic, payload):
        document = json.loads(payload)
        value = self.rng.choice(["", "gestern", "2025-02-30T10:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
                                 "2025-06-30T10:00:00+25:00", 1751277600, "2025-06-30T10:00:00.123456789012345Z"])
        key = "time" if "time" in document else "received_at"
        document[key] = value
        document.get("uplink_message", {}).pop("received_at", None)
        return topic, json.dumps(document).encode()

    def _bit_flip(self, topic, payload):
        data = bytearray(payload)
        for _flip in range(self.rng.randrange(1, 6)):
            data[self.rng.randrange(len(data))] ^= 1 << self.rng.randrange(8)
        return topic, bytes(data)

    def _reading_type(self, topic, payload):
        document = json.loads(payload)
        readings = self._readings(document)
        if readings is None:
            return self._wrong_type(topic, payload)
        key = self.rng.choice(sorted(readings))
        readings[key] = self.rng.choice(["12.5", None, [12.5], {"value": "x"}, {"unit": "°C"}, True, -1e6, 1e6])
        return topic, json.dumps(document).encode()

    def _oversized(self, topic, payload):
        document = json.loads(payload)
        document["padding"] = "x" * self.rng.randrange(270000, 320000)  # beyond the 256 kB limit
        return topic, json.dumps(document).encode()

    def _topic(self, topic, payload):
        parts = topic.split("/")
        parts[3 if topic.startswith("v3/") else 3] = "".join(self.rng.choice("0123456789abcdef") for _ in range(16))
        return "/".join(parts), payload


class RecordingQueue(UplinkQueue):
    """Keeps every accepted observation, to check what the decoder let through."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def put(self, item):
        self.seen.extend(item.observations)
        return super().put(item)


def test_ten_thousand_mutated_uplinks(qgis_app, mosquitto_broker, sensor_stations):  # noqa: F811
    from qgis.PyQt.QtCore import QCoreApplication

    counters = QualityCounters()
    queue = RecordingQueue(counters=counters)
    live = LiveReadingsLayer(LatestValueStore(counters))
    batcher = LiveLayerBatcher(queue, live, max_repaints_per_s=10)
    ingest = MqttIngest(mosquitto_broker.url, UplinkDecoder(DeviceRegister.from_records(sensor_stations), counters),
                        queue, min_backoff_s=0.2)
    ingest.start()
    try:
        deadline = time.monotonic() + 10
        while ingest.state != ConnectionState.CONNECTED and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ingest.state == ConnectionState.CONNECTED
        mutator = Mutator(UplinkPlan(sensor_stations, seed=SEED, raw_share=0.4), random.Random(SEED))
        publisher = Publisher("127.0.0.1", mosquitto_broker.port)
        try:
            figures = run(mutator.plan, publisher, rate=3000, count=MESSAGES, messages=mutator.message)
        finally:
            publisher.close()
        assert figures["all_acked"]
        deadline = time.monotonic() + 60
        while counters.snapshot()["received"] < MESSAGES and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            batcher.tick()
            time.sleep(0.01)
        batcher.stop()
        assert ingest.state == ConnectionState.CONNECTED and ingest.connections == 1  # never went down
    finally:
        ingest.stop()

    counts = counters.snapshot()
    assert counts["received"] == MESSAGES, mosquitto_broker.log_text()[-2000:]  # nothing lost on the way
    assert counts["accepted"] + sum(counts["rejected"].values()) == MESSAGES
    assert counts["accepted"] >= mutator.kinds["valid"]
    assert len(counts["rejected"]) >= 8  # the mutations hit many different checks
    assert counts["dropped"] == 0

    for observation in queue.seen:  # what the decoder accepted
        assert math.isfinite(observation.value)
        if observation.quality == Quality.VALID:
            prop = PROPERTIES[observation.observed_property]
            assert prop.minimum <= observation.value <= prop.maximum
            assert observation.unit == prop.unit

    layer = live.layer
    assert 0 < layer.featureCount() <= len(sensor_stations) + counts["accepted"]
    for feature in layer.getFeatures():  # what a user sees
        for key in PROPERTY_ORDER:
            value = feature[key]
            if value is None or (hasattr(value, "isNull") and value.isNull()):
                continue
            assert feature[key + "_quality"] == Quality.VALID, (feature["station_id"], key, value)
            assert PROPERTIES[key].minimum <= value <= PROPERTIES[key].maximum
    print("fuzz: {} accepted, rejected {}, mutations {}".format(counts["accepted"], counts["rejected"],
                                                                 mutator.kinds))


@pytest.mark.parametrize("kind", ["truncate", "random_bytes", "deep", "nan", "huge_number", "oversized"])
def test_mutations_of_each_kind_are_rejected_without_a_broker(qgis_app, sensor_stations, kind):  # noqa: F811
    """The decoder alone, quickly: these mutations can never give an accepted uplink."""
    counters = QualityCounters()
    decoder = UplinkDecoder(DeviceRegister.from_records(sensor_stations), counters)
    mutator = Mutator(UplinkPlan(sensor_stations, seed=SEED), random.Random(kind))
    mutate = getattr(mutator, "_" + kind)
    accepted = []
    for index in range(200):
        topic, payload = mutate(*mutator.plan.message(index))
        uplink = decoder.process(topic, payload)
        if uplink is not None:
            accepted.append(uplink)
    assert counters.snapshot()["received"] == 200
    for observation in (item for uplink in accepted for item in uplink.observations):
        assert math.isfinite(observation.value)
        if observation.quality == Quality.VALID:  # e.g. 4.9e-324, or nesting in a field nobody reads
            prop = PROPERTIES[observation.observed_property]
            assert prop.minimum <= observation.value <= prop.maximum
    if kind in ("truncate", "random_bytes", "nan", "oversized"):
        assert accepted == []
