"""The live readings layer, headless: one point per station with the latest reading of
each stream, written in batches, never a bad value as a value."""

import datetime

import pytest
from sensors.testing import sensor_stations  # noqa: F401 (fixture)

from herne_twin_plugin.core.sensors.ingest import UplinkQueue
from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.live_layer import LiveLayerBatcher, LiveReadingsLayer, ReadingsSchema
from herne_twin_plugin.core.sensors.lorawan import Uplink
from herne_twin_plugin.core.sensors.model import LONLAT_CRS, UTC, Observation, Quality, Station, stream_id
from herne_twin_plugin.core.sensors.quality import QualityCounters

T0 = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
AQ = Station("herne-aq-0001", "Luftqualität Bebelstraße 1", 369002.51, 5713934.24, sensor_type="air_quality")
TP = Station("herne-tp-0012", "Stadtklima Ewaldstraße 12", 368984.47, 5713130.7, sensor_type="temperature")


def reading(station, key, value, minutes, quality=Quality.VALID, unit="µg/m³"):
    return Observation(stream_id(station.station_id, key), station.station_id, key,
                       T0 + datetime.timedelta(minutes=minutes), value, unit, quality, "tts")


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def live(qgis_app):
    clock = Clock(T0 + datetime.timedelta(minutes=1))
    return LiveReadingsLayer(LatestValueStore(QualityCounters()), clock=clock)


def is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


def feature_of(live, station_id):
    return live.layer.getFeature(live.feature_id(station_id))


def test_schema_has_value_unit_time_age_and_quality_per_property():
    names = ReadingsSchema(["pm10"]).fields.names()
    assert names == ["station_id", "name", "sensor_type", "source", "last_time", "age_s",
                     "pm10", "pm10_unit", "pm10_time", "pm10_age_s", "pm10_quality"]


def test_one_point_per_station_with_the_latest_values(live):
    store = live.store
    store.apply(AQ, [reading(AQ, "pm10", 21.4, 0), reading(AQ, "no2", 36.5, 0)])
    store.apply(TP, [reading(TP, "temperature", 12.3, 0, unit="°C")])
    assert live.write(["herne-aq-0001", "herne-tp-0012"]) == 2
    store.apply(AQ, [reading(AQ, "pm10", 25.0, 15)])
    live.clock.moment = T0 + datetime.timedelta(minutes=16)
    live.write(["herne-aq-0001"])
    assert live.layer.featureCount() == 2
    feature = feature_of(live, "herne-aq-0001")
    assert (feature["pm10"], feature["pm10_unit"], feature["pm10_quality"]) == (25.0, "µg/m³", "valid")
    assert feature["pm10_age_s"] == 60.0
    assert feature["no2"] == 36.5 and feature["no2_age_s"] == 16 * 60.0
    assert feature["pm10_time"].toUTC().toString("yyyy-MM-ddTHH:mm") == "2025-06-30T12:15"
    assert feature["age_s"] == 60.0  # of the newest reading
    assert feature.geometry().asPoint().x() == pytest.approx(369002.51)
    assert is_null(feature["temperature"])  # another station's property


def test_a_reading_that_failed_its_check_is_never_written_as_a_value(live):
    live.store.apply(AQ, [reading(AQ, "pm10", 21.4, 0), reading(AQ, "pm25", 4000.0, 0, Quality.OUT_OF_RANGE),
                          reading(AQ, "no2", 12.0, 0, Quality.SUSPECT, unit="ppm")])
    live.write(["herne-aq-0001"])
    feature = feature_of(live, "herne-aq-0001")
    assert feature["pm10"] == 21.4
    assert is_null(feature["pm25"])
    assert feature["pm25_quality"] == "out_of_range"
    assert is_null(feature["no2"])
    assert (feature["no2_quality"], feature["no2_unit"]) == ("suspect", "ppm")


def test_stations_from_message_positions_are_placed_in_the_city_crs(live, sensor_stations):  # noqa: F811
    record = sensor_stations[0]  # lon/lat computed by GDAL from the register's EPSG:25832 position
    located = Station("herne-aq-9999", "herne-aq-9999", record["lon"], record["lat"], LONLAT_CRS, "air_quality")
    live.store.apply(located, [reading(located, "pm10", 10.0, 0)])
    live.write(["herne-aq-9999"])
    point = feature_of(live, "herne-aq-9999").geometry().asPoint()
    assert (point.x(), point.y()) == (pytest.approx(record["x"], abs=0.05), pytest.approx(record["y"], abs=0.05))


def test_ages_grow_while_nothing_arrives(live):
    live.store.apply(AQ, [reading(AQ, "pm10", 21.4, 0)])
    live.write(["herne-aq-0001"])
    live.clock.moment = T0 + datetime.timedelta(hours=2)
    live.refresh_ages()
    feature = feature_of(live, "herne-aq-0001")
    assert (feature["pm10_age_s"], feature["age_s"], feature["pm10"]) == (7200.0, 7200.0, 21.4)


def test_batcher_writes_in_batches_at_most_at_the_repaint_rate(live):
    queue = UplinkQueue()
    batcher = LiveLayerBatcher(queue, live, max_repaints_per_s=4)
    writes = []
    batcher.written.connect(lambda stations, uplinks: writes.append((stations, uplinks)))
    for minute in range(5):
        queue.put(Uplink(AQ, [reading(AQ, "pm10", 20.0 + minute, minute)], "tts", 0.0))
    queue.put(Uplink(TP, [reading(TP, "temperature", 12.3, 0, unit="°C")], "chirpstack", 0.0))
    assert batcher.tick() == 2
    assert writes == [(2, 6)]  # six uplinks, one provider edit for two stations
    queue.put(Uplink(AQ, [reading(AQ, "pm10", 30.0, 10)], "tts", 0.0))
    assert batcher.tick() == 0  # too soon after the last repaint: kept for the next one
    assert feature_of(live, "herne-aq-0001")["pm10"] == 24.0
    batcher.stop()  # the final tick writes what is pending
    assert feature_of(live, "herne-aq-0001")["pm10"] == 30.0
    assert batcher.stats()["writes"] == 2 and batcher.stats()["uplinks"] == 7


def test_full_queue_drops_and_counts(qgis_app):
    counters = QualityCounters()
    queue = UplinkQueue(capacity=3, counters=counters)
    assert [queue.put(index) for index in range(5)] == [True, True, True, False, False]
    assert counters.snapshot()["dropped"] == 2
    assert queue.drain() == [0, 1, 2] and len(queue) == 0


def test_only_the_changed_fields_are_written_and_big_batches_are_spread_over_ticks(live):
    stations = [Station("herne-aq-{:04d}".format(number), "AQ {}".format(number), 369000.0 + number, 5713000.0,
                        sensor_type="air_quality") for number in range(1, 1001)]
    queue = UplinkQueue()
    batcher = LiveLayerBatcher(queue, live, max_repaints_per_s=1000, max_stations_per_tick=300,
                               tick_budget_s=None)  # the count bound alone (the time bound: the next test)
    for station in stations:
        queue.put(Uplink(station, [reading(station, "pm10", 20.0, 0), reading(station, "no2", 30.0, 0)], "tts", 0.0))
    repaints = []
    batcher.written.connect(lambda stations_written, uplinks: repaints.append((stations_written, uplinks)))
    assert [batcher.tick() for _ in range(4)] == [300, 300, 300, 100]  # one write cycle over four ticks
    assert repaints == [(1000, 1000)] and live.layer.featureCount() == 1000
    queue.put(Uplink(stations[0], [reading(stations[0], "pm10", 99.0, 15)], "tts", 0.0))
    live.clock.moment = T0 + datetime.timedelta(minutes=20)
    batcher.stop()
    feature = feature_of(live, stations[0].station_id)
    assert (feature["pm10"], feature["pm10_age_s"], feature["age_s"]) == (99.0, 300.0, 300.0)
    assert (feature["no2"], feature["no2_age_s"]) == (30.0, 60.0)  # untouched until the next age refresh
    assert len(batcher.latencies_s) == 1001


def test_a_tick_stops_by_time_and_the_cycle_still_ends(live):
    import time

    stations = [Station("herne-aq-{:04d}".format(number), "AQ {}".format(number), 369000.0 + number, 5713000.0,
                        sensor_type="air_quality") for number in range(1, 1001)]
    queue = UplinkQueue()
    batcher = LiveLayerBatcher(queue, live, max_repaints_per_s=1000, max_stations_per_tick=1000, tick_budget_s=0.02)
    write = live.write

    def slow_write(changes):  # a slow provider: 8 ms per chunk of stations
        time.sleep(0.008)
        return write(changes)

    live.write = slow_write
    for station in stations:
        queue.put(Uplink(station, [reading(station, "pm10", 20.0, 0)], "tts", 0.0))
    per_tick = []
    while live.layer.featureCount() < len(stations) and len(per_tick) < 50:
        per_tick.append(batcher.tick())
    assert sum(per_tick) == len(stations) and live.layer.featureCount() == len(stations)
    assert max(per_tick) < 1000 and len(per_tick) > 1, "the budget spreads the cycle over ticks"
    assert all(written >= batcher.WRITE_CHUNK for written in per_tick), "every tick makes progress"
    assert batcher.stats()["max_tick_s"] < 0.02 + 0.05  # the budget and one chunk beyond it
