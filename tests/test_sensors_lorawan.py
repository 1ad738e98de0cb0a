"""LoRaWAN uplinks of The Things Stack v3 and ChirpStack v4 into observations, as the
sensor team checks them: decoded and raw-only messages give the same readings, and
every bad message is counted with its reason and logged, never shown as valid."""

import base64
import copy
import datetime
import json
import logging
import os

import pytest
from sensors.testing import sensor_stations  # noqa: F401 (fixture)

from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.lorawan import DEFAULT_TOPICS, UplinkDecoder
from herne_twin_plugin.core.sensors.model import LONLAT_CRS, UTC, Quality
from herne_twin_plugin.core.sensors.quality import QualityCounters, Reason
from herne_twin_plugin.core.sensors.register import DeviceRegister

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sensors")
NOW = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def canned(name):
    with open(os.path.join(DATA, name + ".json"), encoding="utf-8") as handle:
        document = json.load(handle)
    return document["topic"], document["message"]


@pytest.fixture(scope="module")
def register(sensor_stations):  # noqa: F811
    return DeviceRegister.from_records(sensor_stations)


@pytest.fixture
def decoder(register):
    return UplinkDecoder(register, QualityCounters(), clock=lambda: NOW)


def process(decoder, topic, message):
    payload = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
    return decoder.process(topic, payload)


def readings(uplink):
    return {item.observed_property: (item.value, item.unit, item.quality) for item in uplink.observations}


# -- well-formed uplinks ---------------------------------------------------------------------

def test_tts_decoded_payload_becomes_observations_of_the_registered_station(decoder):
    uplink = process(decoder, *canned("tts_v3_decoded"))
    assert uplink.station.station_id == "herne-aq-0001"
    assert (uplink.station.x, uplink.station.y, uplink.station.crs) == (369002.51, 5713934.24, "EPSG:25832")
    assert readings(uplink) == {"pm10": (21.4, "µg/m³", Quality.VALID), "pm25": (12.0, "µg/m³", Quality.VALID),
                                "no2": (36.5, "µg/m³", Quality.VALID)}  # the battery is no stream
    observation = uplink.observations[0]
    assert observation.time == datetime.datetime(2025, 6, 30, 10, 15, 2, 718451, tzinfo=UTC)
    assert (observation.stream_id, observation.source) == ("herne-aq-0001/pm10", "tts")


def test_tts_raw_only_payload_is_decoded_by_the_station_codec(decoder):
    uplink = process(decoder, *canned("tts_v3_raw_only"))
    assert readings(uplink) == {"pm10": (16.1, "µg/m³", Quality.VALID), "pm25": (9.0, "µg/m³", Quality.VALID),
                                "no2": (30.0, "µg/m³", Quality.VALID)}


def test_decoded_and_raw_payload_of_one_uplink_agree(decoder):
    topic, message = canned("tts_v3_decoded")
    raw_only = copy.deepcopy(message)
    del raw_only["uplink_message"]["decoded_payload"]
    assert readings(process(decoder, topic, message)) == readings(process(decoder, topic, raw_only))


def test_chirpstack_decoded_object_becomes_observations(decoder):
    uplink = process(decoder, *canned("chirpstack_v4_decoded"))
    assert uplink.station.station_id == "herne-tp-0012"
    assert readings(uplink) == {"temperature": (12.34, "°C", Quality.VALID), "humidity": (70.0, "%", Quality.VALID)}
    assert uplink.observations[0].time == datetime.datetime(2025, 6, 30, 10, 16, 40, 775023, tzinfo=UTC)
    assert uplink.network == "chirpstack"


def test_chirpstack_raw_only_data_is_decoded(decoder):
    uplink = process(decoder, *canned("chirpstack_v4_raw_only"))
    assert readings(uplink) == {"temperature": (11.1, "°C", Quality.VALID), "humidity": (72.0, "%", Quality.VALID)}


def test_chirpstack_without_time_uses_the_network_server_time(decoder):
    topic, message = canned("chirpstack_v4_decoded")
    del message["time"]
    uplink = process(decoder, topic, message)
    assert uplink.observations[0].time == datetime.datetime(2025, 6, 30, 10, 16, 40, 792345, tzinfo=UTC)


def test_unregistered_tts_device_stands_where_the_message_says(decoder):
    topic, message = canned("tts_v3_decoded")
    message["end_device_ids"].update(device_id="herne-aq-9999", dev_eui="70B3D57BA0FFFFFF")
    topic = topic.replace("herne-aq-0001", "herne-aq-9999")
    message["uplink_message"]["locations"]["user"].update(latitude=51.54, longitude=7.22)
    uplink = process(decoder, topic, message)
    assert (uplink.station.station_id, uplink.station.crs) == ("herne-aq-9999", LONLAT_CRS)
    assert (uplink.station.x, uplink.station.y) == (7.22, 51.54)
    assert uplink.station.sensor_type == "air_quality"  # from version_ids.model_id
    assert readings(uplink)["pm10"] == (21.4, "µg/m³", Quality.VALID)


def test_decoded_values_with_units_are_converted(decoder):
    topic, message = canned("chirpstack_v4_decoded")
    message["object"] = {"temperature": {"value": 68.0, "unit": "°F"}, "humidity": 70}
    assert readings(process(decoder, topic, message))["temperature"] == (pytest.approx(20.0), "°C", Quality.VALID)


def test_default_topics_match_both_network_servers():
    assert DEFAULT_TOPICS == ("v3/+/devices/+/up", "application/+/device/+/event/up")


# -- bad input: counted, logged, never valid --------------------------------------------------

def _tts():
    return canned("tts_v3_decoded")


def _cs():
    return canned("chirpstack_v4_decoded")


def _mutate(source, change):
    topic, message = source()
    result = change(message)
    return topic, message if result is None else result


BAD = [
    ("malformed JSON", lambda: (_tts()[0], b'{"end_device_ids": {"device_id": '), Reason.MALFORMED_JSON),
    ("not UTF-8", lambda: (_tts()[0], b"\xff\xfe\x00garbage"), Reason.MALFORMED_JSON),
    ("a JSON list", lambda: (_tts()[0], b"[1, 2, 3]"), Reason.NOT_AN_OBJECT),
    ("deep nesting", lambda: (_tts()[0], b"[" * 100000 + b"]" * 100000), Reason.TOO_DEEP),
    ("huge payload", lambda: (_tts()[0], b'{"x": "' + b"A" * 300000 + b'"}'), Reason.TOO_LARGE),
    ("unknown topic", lambda: ("v3/app@herne/devices/herne-aq-0001/join", json.dumps(_tts()[1]).encode()),
     Reason.UNKNOWN_FORMAT),
    ("no end_device_ids", lambda: _mutate(_tts, lambda m: m.pop("end_device_ids") and None), Reason.MISSING_FIELD),
    ("no uplink_message", lambda: _mutate(_tts, lambda m: m.pop("uplink_message") and None), Reason.MISSING_FIELD),
    ("no received_at", lambda: _mutate(_tts, lambda m: (m.pop("received_at"), m["uplink_message"].pop(
        "received_at")) and None), Reason.MISSING_FIELD),
    ("device_id a number", lambda: _mutate(_tts, lambda m: m["end_device_ids"].update(device_id=17)),
     Reason.WRONG_TYPE),
    ("value a string", lambda: _mutate(_tts, lambda m: m["uplink_message"]["decoded_payload"].update(pm10="21.4")),
     Reason.WRONG_TYPE),
    ("value NaN", lambda: (_tts()[0], json.dumps(_tts()[1]).replace("21.4", "NaN").encode()), Reason.NOT_FINITE),
    ("value 1e999", lambda: (_tts()[0], json.dumps(_tts()[1]).replace("21.4", "1e999").encode()), Reason.NOT_FINITE),
    ("time unreadable", lambda: _mutate(_tts, lambda m: m.update(received_at="gestern")), Reason.BAD_TIME),
    ("time in the future", lambda: _mutate(_tts, lambda m: m.update(received_at="2025-06-30T13:00:00Z")),
     Reason.FUTURE_TIME),
    ("topic names another device", lambda: (_tts()[0].replace("aq-0001", "aq-0002"), json.dumps(_tts()[1]).encode()),
     Reason.TOPIC_MISMATCH),
    ("devEui is not the topic's", lambda: _mutate(_cs, lambda m: m["deviceInfo"].update(
        devEui="0101010101010101", deviceName="fremd")), Reason.TOPIC_MISMATCH),
    ("unknown ChirpStack device", lambda: (_cs()[0].replace("a81758fffe501cda", "0101010101010101"),
                                           json.dumps(_mutate(_cs, lambda m: m["deviceInfo"].update(
                                               devEui="0101010101010101", deviceName="fremd"))[1]).encode()),
     Reason.UNKNOWN_DEVICE),
    ("unknown TTS device without locations", lambda: (_tts()[0].replace("herne-aq-0001", "fremd"), json.dumps(
        _mutate(_tts, lambda m: (m["end_device_ids"].update(device_id="fremd", dev_eui="0101010101010101"),
                                 m["uplink_message"].pop("locations")) and None)[1]).encode()),
     Reason.UNKNOWN_DEVICE),
    ("raw payload not base64", lambda: _mutate(_cs, lambda m: (m.pop("object"), m.update(data="!!!")) and None),
     Reason.UNDECODABLE_PAYLOAD),
    ("raw payload of a wrong length", lambda: _mutate(_cs, lambda m: (m.pop("object"), m.update(
        data=base64.b64encode(b"\x01\x02").decode())) and None), Reason.UNDECODABLE_PAYLOAD),
    ("raw payload without port", lambda: _mutate(_cs, lambda m: (m.pop("object"), m.pop("fPort")) and None),
     Reason.MISSING_FIELD),
    ("nothing the city measures", lambda: _mutate(_cs, lambda m: m.update(object={"battery_v": 3.3})),
     Reason.NO_READINGS),
    ("position out of the world", lambda: (_tts()[0].replace("herne-aq-0001", "fremd"), json.dumps(
        _mutate(_tts, lambda m: (m["end_device_ids"].update(device_id="fremd", dev_eui="0101010101010101"),
                                 m["uplink_message"]["locations"]["user"].update(latitude=123.0)) and None)[1]
    ).encode()), Reason.BAD_LOCATION),
]


@pytest.mark.parametrize("case, make, reason", BAD, ids=[case for case, _make, _reason in BAD])
def test_bad_messages_are_rejected_counted_and_logged(decoder, caplog, case, make, reason):
    topic, payload = make()
    with caplog.at_level(logging.WARNING, logger="herne_twin_plugin"):
        assert process(decoder, topic, payload) is None
    counts = decoder.counters.snapshot()
    assert counts["rejected"] == {reason: 1}
    assert (counts["received"], counts["accepted"]) == (1, 0)
    assert any(reason in record.getMessage() for record in caplog.records)


def test_out_of_range_values_are_kept_but_never_valid(decoder):
    topic, message = _tts()
    message["uplink_message"]["decoded_payload"].update(pm10=1500.0, pm25=-3.0)
    values = readings(process(decoder, topic, message))
    assert values["pm10"] == (1500.0, "µg/m³", Quality.OUT_OF_RANGE)
    assert values["pm25"] == (-3.0, "µg/m³", Quality.OUT_OF_RANGE)
    assert values["no2"][2] == Quality.VALID
    assert decoder.counters.snapshot()["observations"] == {Quality.OUT_OF_RANGE: 2, Quality.VALID: 1}


def test_raw_bytes_beyond_the_physical_range_are_flagged(decoder):
    topic, message = _cs()
    del message["object"]
    message["data"] = base64.b64encode(bytes.fromhex("0104D2FA0D48")).decode()  # humidity byte 250: 125 %
    values = readings(process(decoder, topic, message))
    assert values["humidity"] == (125.0, "%", Quality.OUT_OF_RANGE)
    assert values["temperature"] == (12.34, "°C", Quality.VALID)


def test_duplicates_and_out_of_order_uplinks_are_counted_not_taken_as_latest(decoder):
    counters = decoder.counters
    store = LatestValueStore(counters)
    topic, newer = _tts()
    older = copy.deepcopy(newer)
    older["received_at"] = "2025-06-30T10:00:02Z"
    older["uplink_message"]["decoded_payload"]["pm10"] = 99.0
    for message in (newer, newer, older):  # the second is a QoS 1 redelivery, the third arrives late
        uplink = process(decoder, topic, message)
        store.apply(uplink.station, uplink.observations)
    assert store.latest("herne-aq-0001")["pm10"].value == 21.4
    assert counters.snapshot()["order"] == {"duplicate": 3, "out_of_order": 3}  # three streams each


def test_rejections_are_logged_without_flooding(decoder, caplog):
    with caplog.at_level(logging.WARNING, logger="herne_twin_plugin"):
        for _ in range(2500):
            process(decoder, _tts()[0], b"not json")
    assert decoder.counters.snapshot()["rejected"] == {Reason.MALFORMED_JSON: 2500}
    lines = [record for record in caplog.records if Reason.MALFORMED_JSON in record.getMessage()]
    assert 10 <= len(lines) <= 20  # the first ten, then a summary every thousand
    assert "2000 messages rejected so far" in lines[-1].getMessage()
