"""The normalised sensor model's rules as a data steward checks them: physical ranges,
units, times, duplicates and late readings, and the device codecs' byte layouts."""

import datetime
import math

import pytest

from herne_twin_plugin.core.sensors.codecs import CODECS, CodecError, codec_for
from herne_twin_plugin.core.sensors.model import UTC, Quality, format_time, parse_time
from herne_twin_plugin.core.sensors.observed_properties import PROPERTIES, property_key
from herne_twin_plugin.core.sensors.quality import (
    QualityCounters,
    Reason,
    RejectionError,
    StreamOrder,
    assess,
    reading_time,
)

NOW = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


# -- physical ranges and units -------------------------------------------------------------

@pytest.mark.parametrize("key, value, unit, expected", [
    ("pm10", 42.0, "µg/m³", (42.0, "µg/m³", Quality.VALID)),
    ("pm10", 0.05, "mg/m³", (50.0, "µg/m³", Quality.VALID)),  # converted before the range check
    ("pm10", 1000.1, None, (1000.1, "µg/m³", Quality.OUT_OF_RANGE)),
    ("pm10", -1, "ug/m3", (-1.0, "µg/m³", Quality.OUT_OF_RANGE)),
    ("temperature", 60.0, "°C", (60.0, "°C", Quality.VALID)),
    ("temperature", -40.5, "Cel", (-40.5, "°C", Quality.OUT_OF_RANGE)),
    ("temperature", 293.15, "K", (pytest.approx(20.0), "°C", Quality.VALID)),
    ("temperature", 68.0, "°F", (pytest.approx(20.0), "°C", Quality.VALID)),
    ("soil_moisture", 100.5, "%", (100.5, "%", Quality.OUT_OF_RANGE)),
    ("water_level", 0.25, "m", (25.0, "cm", Quality.VALID)),
    ("water_level", 1500, "CMT", (1500.0, "cm", Quality.OUT_OF_RANGE)),
    ("occupied", True, None, (1.0, "", Quality.VALID)),
    ("occupied", 0, "bool", (0.0, "", Quality.VALID)),
    ("occupied", 0.5, None, (0.5, "", Quality.OUT_OF_RANGE)),
    ("occupied", 2, None, (2.0, "", Quality.OUT_OF_RANGE)),
    ("pm10", 12.0, "ppm", (12.0, "ppm", Quality.SUSPECT)),  # not convertible: not comparable
    ("temperature", 12.0, "cm", (12.0, "cm", Quality.SUSPECT)),  # a unit of another quantity
    ("noise_level", 55.0, "dB", (55.0, "dB", Quality.UNCHECKED)),  # no known range
])
def test_readings_are_checked_in_the_city_units(key, value, unit, expected):
    assert assess(key, value, unit) == expected


@pytest.mark.parametrize("value, reason", [
    ("12.5", Reason.WRONG_TYPE), (None, Reason.WRONG_TYPE), ([1], Reason.WRONG_TYPE), ({"v": 1}, Reason.WRONG_TYPE),
    (True, Reason.WRONG_TYPE),  # a boolean is no PM10 value
    (math.nan, Reason.NOT_FINITE), (math.inf, Reason.NOT_FINITE), (-math.inf, Reason.NOT_FINITE),
    (10 ** 400, Reason.NOT_FINITE),
])
def test_values_that_are_no_numbers_are_rejected(value, reason):
    with pytest.raises(RejectionError) as rejected:
        assess("pm10", value)
    assert rejected.value.reason == reason


def test_every_property_has_a_sane_range():
    for prop in PROPERTIES.values():
        assert prop.minimum < prop.maximum
    assert (PROPERTIES["pm10"].minimum, PROPERTIES["pm10"].maximum) == (0.0, 1000.0)
    assert (PROPERTIES["temperature"].minimum, PROPERTIES["temperature"].maximum) == (-40.0, 60.0)
    assert (PROPERTIES["soil_moisture"].minimum, PROPERTIES["soil_moisture"].maximum) == (0.0, 100.0)


@pytest.mark.parametrize("name, key", [
    ("PM10", "pm10"), ("pm2.5", "pm25"), ("PM2_5", "pm25"), ("waterLevel", "water_level"),
    ("soilMoisture", "soil_moisture"), ("TempC_SHT", "temperature"), ("noise", "noise"),
])
def test_names_of_other_platforms_map_to_ours(name, key):
    assert property_key(name) == key


# -- times ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2025-06-30T10:15:02.718451223Z", datetime.datetime(2025, 6, 30, 10, 15, 2, 718451, tzinfo=UTC)),
    ("2025-06-30T12:15:02+02:00", datetime.datetime(2025, 6, 30, 10, 15, 2, tzinfo=UTC)),
    ("2025-06-30T10:16:40.775023242+00:00", datetime.datetime(2025, 6, 30, 10, 16, 40, 775023, tzinfo=UTC)),
    ("2025-06-30 10:15", datetime.datetime(2025, 6, 30, 10, 15, tzinfo=UTC)),  # no zone: UTC
])
def test_times_of_the_network_servers_are_read_as_utc(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("yesterday", Reason.BAD_TIME), ("2025-13-01T00:00:00Z", Reason.BAD_TIME),
    ("2025-06-31T00:00:00Z", Reason.BAD_TIME),
    ("1970-01-01T00:00:00Z", Reason.BAD_TIME), ("2025-06-30T12:06:00Z", Reason.FUTURE_TIME),
    (1751277600, Reason.WRONG_TYPE), (None, Reason.MISSING_FIELD),
])
def test_unusable_times_are_rejected(text, reason):
    with pytest.raises(RejectionError) as rejected:
        reading_time(text, NOW)
    assert rejected.value.reason == reason


def test_small_clock_drift_is_accepted_and_times_round_trip():
    assert reading_time("2025-06-30T12:04:00Z", NOW) == NOW + datetime.timedelta(minutes=4)
    assert format_time(NOW) == "2025-06-30T12:00:00.000Z"
    assert parse_time(format_time(NOW)) == NOW


# -- duplicates and late readings -------------------------------------------------------------

def test_duplicates_and_late_readings_are_told_apart_per_stream():
    order = StreamOrder()
    first, second = NOW, NOW + datetime.timedelta(minutes=15)
    assert order.classify("aq-1/pm10", first) == StreamOrder.NEW
    assert order.classify("aq-1/pm10", second) == StreamOrder.NEW
    assert order.classify("aq-1/pm10", second) == StreamOrder.DUPLICATE
    assert order.classify("aq-1/pm10", first) == StreamOrder.DUPLICATE
    assert order.classify("aq-1/pm10", first + datetime.timedelta(minutes=5)) == StreamOrder.OUT_OF_ORDER
    assert order.classify("aq-2/pm10", first) == StreamOrder.NEW  # another stream


def test_counters_add_up():
    counters = QualityCounters()
    for _ in range(3):
        counters.count_received()
    counters.count_rejected(Reason.MALFORMED_JSON)
    counters.count_accepted([])
    counters.count_rejected(Reason.UNKNOWN_DEVICE)
    snapshot = counters.snapshot()
    assert snapshot["received"] == snapshot["accepted"] + sum(snapshot["rejected"].values()) == 3
    assert snapshot["rejected"] == {Reason.MALFORMED_JSON: 1, Reason.UNKNOWN_DEVICE: 1}


# -- codecs -------------------------------------------------------------------------------------

ROUND_TRIPS = [
    ("herne-air-quality-v1", {"pm10": 21.4, "pm25": 12.0, "no2": 36.5, "battery_v": 3.809}),
    ("herne-air-quality-v1", {"pm10": 0.0, "no2": 6553.4, "battery_v": 3.0}),  # pm25 not measured
    ("herne-water-level-v1", {"water_level": -3.2, "battery_v": 3.6}),
    ("herne-water-level-v1", {"water_level": 123.4, "battery_v": 3.55}),
    ("herne-parking-v1", {"occupied": 1, "battery_v": 3.3}),
    ("herne-parking-v1", {"occupied": 0, "battery_v": 3.3}),
    ("herne-soil-moisture-v1", {"soil_moisture": 31.27, "soil_temperature": -2.05, "battery_v": 3.4}),
    ("herne-climate-v1", {"temperature": 23.45, "humidity": 55.5, "battery_v": 3.61}),
    ("herne-climate-v1", {"temperature": -12.5, "battery_v": 3.61}),  # humidity element failed
]


@pytest.mark.parametrize("codec_id, readings", ROUND_TRIPS)
def test_codecs_round_trip(codec_id, readings):
    codec = CODECS[codec_id]
    data = codec.encode(readings)
    assert len(data) == codec.size
    assert codec.decode(data) == pytest.approx(readings)


@pytest.mark.parametrize("codec_id, hex_bytes, expected", [
    ("herne-air-quality-v1", "0100A1005A012C0E10", {"pm10": 16.1, "pm25": 9.0, "no2": 30.0, "battery_v": 3.6}),
    ("herne-air-quality-v1", "01FFFF005AFFFF0E10", {"pm25": 9.0, "battery_v": 3.6}),
    ("herne-water-level-v1", "01FFF60D48", {"water_level": -1.0, "battery_v": 3.4}),
    ("herne-parking-v1", "01010CE4", {"occupied": 1, "battery_v": 3.3}),
    ("herne-soil-moisture-v1", "010C3504B00D48", {"soil_moisture": 31.25, "soil_temperature": 12.0,
                                                  "battery_v": 3.4}),
    ("herne-climate-v1", "0104D28C0D48", {"temperature": 12.34, "humidity": 70.0, "battery_v": 3.4}),
])
def test_documented_byte_layouts(codec_id, hex_bytes, expected):
    assert CODECS[codec_id].decode(bytes.fromhex(hex_bytes)) == pytest.approx(expected)


@pytest.mark.parametrize("codec_id, data, f_port, words", [
    ("herne-air-quality-v1", bytes.fromhex("0100A1005A012C0E"), 2, "needs 9 bytes"),
    ("herne-air-quality-v1", bytes.fromhex("0200A1005A012C0E10"), 2, "version 2"),
    ("herne-air-quality-v1", bytes.fromhex("0100A1005A012C0E10"), 1, "port"),
    ("herne-parking-v1", bytes.fromhex("01030CE4"), 2, "reserved status bits"),
    ("herne-climate-v1", b"", 2, "needs 6 bytes"),
])
def test_bytes_that_do_not_follow_the_layout_are_refused(codec_id, data, f_port, words):
    with pytest.raises(CodecError, match=words):
        CODECS[codec_id].decode(data, f_port)


@pytest.mark.parametrize("codec_id, readings", [
    ("herne-air-quality-v1", {"pm10": -1.0, "battery_v": 3.6}),  # u16 holds no negative value
    ("herne-air-quality-v1", {"pm10": 6553.5, "battery_v": 3.6}),  # is the not-measured marker
    ("herne-climate-v1", {"temperature": 400.0, "battery_v": 3.6}),
    ("herne-parking-v1", {"occupied": 2, "battery_v": 3.6}),
    ("herne-parking-v1", {"occupied": 1}),  # the battery is always sent
])
def test_values_a_layout_cannot_carry_are_refused(codec_id, readings):
    with pytest.raises(CodecError):
        CODECS[codec_id].encode(readings)


def test_codec_lookup_by_sensor_type_and_model():
    assert codec_for("air_quality").codec_id == "herne-air-quality-v1"
    assert codec_for("", "Herne Climate V1").codec_id == "herne-climate-v1"
    assert codec_for("", "dragino-lht65") is None
    assert codec_for("unknown") is None
