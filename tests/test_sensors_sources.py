"""SensorThings API and NGSI v2 sources against the spec-exact fixture server, as a user
checks them: every station arrives over paged answers, the latest reading is the server's
newest, history is complete, and failures are told apart with a plain reason."""

import datetime
import math

import pytest
from fixture_http_server import BASIC_PASSWORD, BASIC_USER, basic_authcfg  # noqa: F401 (fixture)
from sensors.testing import sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.fetch import SourceCategory, SourceError
from herne_twin_plugin.core.sensors.model import LONLAT_CRS, Quality
from herne_twin_plugin.core.sensors.ngsi import NgsiSource
from herne_twin_plugin.core.sensors.sensorthings import SensorThingsSource


@pytest.fixture
def server(qgis_app, sensor_server):  # noqa: F811
    sensor_server.basic_auth = (BASIC_USER, BASIC_PASSWORD)
    with sensor_server._lock:
        sensor_server.requests.clear()
    return sensor_server


def expected_latest(server):
    """{stream id: value} of the server's newest readings, from its own data."""
    data = server.data
    return {"{}/{}".format(station["station_id"], key): data.latest(station, key) for station, key in data.streams}


# -- SensorThings ---------------------------------------------------------------------------

def test_latest_readings_of_all_stations_over_paged_expand(server):
    source = SensorThingsSource(server.url("sta"))
    snapshot = source.latest()
    assert sorted(station.station_id for station in snapshot.stations) == sorted(
        station["station_id"] for station in server.data.stations)
    assert len(snapshot.streams) == len(server.data.streams)
    assert source.pages_read == math.ceil(len(server.data.streams) / 25)  # the server pages by 25
    latest = {item.stream_id: item for item in snapshot.observations}
    assert {key: item.value for key, item in latest.items()} == expected_latest(server)
    assert {item.time for item in latest.values()} == {server.data.times[-1]}
    assert all(item.quality == Quality.VALID for item in latest.values())
    requested = server.paths()[0]
    assert "$expand=Observations($orderby=phenomenonTime%20desc;$top=1),Thing/Locations" in requested


def test_stations_carry_position_and_thresholds(server, sensor_stations):  # noqa: F811
    snapshot = SensorThingsSource(server.url("sta"), page_size=100).latest()
    record = sensor_stations[0]
    station = next(item for item in snapshot.stations if item.station_id == record["station_id"])
    assert (station.x, station.y, station.crs) == (record["lon"], record["lat"], LONLAT_CRS)
    pm10 = next(item for item in snapshot.streams if item.stream_id == record["station_id"] + "/pm10")
    assert (pm10.unit, pm10.thresholds) == ("µg/m³", {"warn": 50})


def test_extent_filter_returns_the_stations_inside(server, sensor_stations):  # noqa: F811
    west = sorted(record["lon"] for record in sensor_stations)[len(sensor_stations) // 2]
    extent = (7.0, 51.4, west, 51.7)
    inside = {record["station_id"] for record in sensor_stations if record["lon"] <= west}
    source = SensorThingsSource(server.url("sta"))
    assert {station.station_id for station in source.stations(extent)} == inside
    assert {station.station_id for station in source.latest(extent).stations} == inside
    assert "st_intersects(Thing/Locations/location,geography'POLYGON((" in server.paths()[-1]


def test_history_of_a_stream_between_two_times(server):
    source = SensorThingsSource(server.url("sta"))
    stream = next(item for item in source.latest().streams if item.observed_property == "temperature")
    times = server.data.times
    history = source.history(stream, start=times[10], end=times[40])
    station = next(record for record in server.data.stations if record["station_id"] == stream.station_id)
    assert [item.time for item in history] == times[10:41]
    assert [item.value for item in history] == [server.data.value(station, "temperature", index)
                                                for index in range(10, 41)]


def test_a_looping_next_link_stops_with_a_clear_error(server):
    source = SensorThingsSource(server.url("sta", fault="nextlink_loop"))
    with pytest.raises(SourceError) as failed:
        source.latest()
    assert failed.value.category == SourceCategory.PAGING_LOOP
    assert "leads back to a page already read" in str(failed.value)
    assert len(server.paths()) == 1  # the repeated page is not fetched again


def test_too_many_pages_stop_the_reading(server):
    source = SensorThingsSource(server.url("sta"), page_size=5, max_pages=3)
    with pytest.raises(SourceError) as failed:
        source.latest()
    assert failed.value.category == SourceCategory.TOO_MANY_PAGES
    assert len(server.paths()) == 3


@pytest.mark.parametrize("fault, category, words", [
    ("status/500", SourceCategory.SERVER_ERROR, "HTTP 500"),
    ("status/503", SourceCategory.SERVER_ERROR, "HTTP 503"),
    ("status/401", SourceCategory.UNAUTHORIZED, "HTTP 401"),
    ("auth", SourceCategory.UNAUTHORIZED, "needs credentials"),
    ("status/404", SourceCategory.NOT_FOUND, "HTTP 404"),
    ("malformed_json", SourceCategory.NOT_JSON, "not valid JSON"),
    ("slow/3", SourceCategory.TIMEOUT, "No answer from 127.0.0.1 within 1 s"),
])
def test_failures_are_classified(server, fault, category, words):
    source = SensorThingsSource(server.url("sta", fault=fault), timeout_s=1)
    with pytest.raises(SourceError) as failed:
        source.latest()
    assert failed.value.category == category
    assert words in str(failed.value)


def test_a_closed_port_is_connection_refused(qgis_app):
    from backend.processes import free_port

    with pytest.raises(SourceError) as failed:
        SensorThingsSource("http://127.0.0.1:{}/v1.1".format(free_port())).stations()
    assert failed.value.category == SourceCategory.CONNECTION_REFUSED


def test_credentials_come_from_the_authcfg(server, basic_authcfg):  # noqa: F811
    source = SensorThingsSource(server.url("sta", fault="auth"), authcfg=basic_authcfg, page_size=100)
    assert len(source.latest().stations) == len(server.data.stations)
    assert all(headers["authorization"].startswith("Basic ") for _path, headers in server.requests)
    with pytest.raises(SourceError) as failed:
        SensorThingsSource(server.url("sta"), authcfg="nope123").stations()
    assert failed.value.category == SourceCategory.AUTH_CONFIG


def test_results_that_are_no_numbers_are_counted_not_shown(server, monkeypatch):
    original = server.sta.observation

    def broken(datastream_id, index):
        observation = original(datastream_id, index)
        if datastream_id % 2:
            observation["result"] = "n/a"
        return observation

    monkeypatch.setattr(server.sta, "observation", broken)
    source = SensorThingsSource(server.url("sta"), page_size=200)
    snapshot = source.latest()
    broken_count = sum(1 for datastream_id in server.sta.datastream_stream if datastream_id % 2)
    assert len(snapshot.observations) == len(server.data.streams) - broken_count
    assert source.counters.snapshot()["rejected"] == {"wrong_type": broken_count}


# -- NGSI v2 --------------------------------------------------------------------------------

def ngsi(server, service="herne", servicepath="", page_size=7):
    return NgsiSource(server.url("orion"), service, servicepath, quantumleap_url=server.url("quantumleap"),
                      page_size=page_size)


def test_orion_entities_arrive_over_limit_offset_paging_with_the_fiware_headers(server):
    source = ngsi(server, servicepath="/sensors/#")
    entities = source.entities()
    assert len(entities) == source.total_count == len(server.data.stations)
    assert len({entity["id"] for entity in entities}) == len(entities)
    assert source.pages_read == math.ceil(len(entities) / 7)
    for _path, headers in server.requests:
        assert (headers["fiware-service"], headers["fiware-servicepath"]) == ("herne", "/sensors/#")
    assert "options=count" in server.paths()[0] and "limit=7&offset=0" in server.paths()[0]


def test_orion_snapshot_matches_the_latest_readings(server):
    snapshot = ngsi(server, page_size=100).latest()
    assert len(snapshot.stations) == len(server.data.stations)
    by_station = {record["station_id"]: record for record in server.data.stations}
    for observation in snapshot.observations:
        record = by_station[observation.station_id.rsplit(":", 1)[1]]
        assert observation.value == server.data.latest(record, observation.observed_property)
        assert observation.time == server.data.times[-1]
        assert observation.quality == Quality.VALID
    assert len(snapshot.observations) == len(server.data.streams)  # parking status included as occupied


def test_service_path_selects_a_subtree(server):
    snapshot = ngsi(server, servicepath="/sensors/parking").latest()
    parking = [record for record in server.data.stations if record["sensor_type"] == "parking"]
    assert len(snapshot.stations) == len(parking)
    assert {item.observed_property for item in snapshot.observations} == {"occupied"}
    assert {item.value for item in snapshot.observations} <= {0.0, 1.0}


def test_quantumleap_history_last_n_and_time_range(server):
    source = ngsi(server, page_size=100)
    stream = next(item for item in source.latest().streams if item.observed_property == "no2")
    record = next(item for item in server.data.stations if item["station_id"] == stream.station_id.rsplit(":", 1)[1])
    times = server.data.times
    last = source.history(stream, last_n=4)
    assert [item.time for item in last] == times[-4:]
    assert [item.value for item in last] == [server.data.value(record, "no2", index)
                                             for index in range(len(times) - 4, len(times))]
    ranged = source.history(stream, start=times[5], end=times[9])
    assert [item.time for item in ranged] == times[5:10]
    assert all(item.source == "quantumleap" for item in ranged)
    assert "fiware-service" in server.requests[-1][1]


def test_wrong_service_is_an_empty_tenant(server):
    source = ngsi(server, service="bochum")
    assert source.latest().stations == [] and source.total_count == 0
    right = ngsi(server, page_size=100)
    stream = right.latest().streams[0]
    wrong = NgsiSource(server.url("orion"), "bochum", quantumleap_url=server.url("quantumleap"))
    assert wrong.history(stream, last_n=3) == []  # QuantumLeap: 404 "No records were found"


def test_malformed_service_name_is_the_broker_error(server):
    with pytest.raises(SourceError) as failed:
        ngsi(server, service="Bo-chum!").entities()
    assert failed.value.category == SourceCategory.EXCEPTION_REPORT
    assert "bad character in tenant name" in str(failed.value)


def test_ngsi_server_failure_is_classified(server):
    source = NgsiSource(server.url("orion", fault="status/500"), "herne")
    with pytest.raises(SourceError) as failed:
        source.latest()
    assert failed.value.category == SourceCategory.SERVER_ERROR
    assert "injected failure" in failed.value.details  # the broker's description is kept for the log


def test_history_without_quantumleap_is_explained(server):
    stream = NgsiSource(server.url("orion"), "herne").latest().streams[0]
    with pytest.raises(SourceError, match="No QuantumLeap address"):
        NgsiSource(server.url("orion"), "herne").history(stream, last_n=1)


def test_time_of_readings_comes_from_time_instant(server):
    snapshot = ngsi(server, page_size=100).latest()
    assert {item.time for item in snapshot.observations} == {server.data.end.astimezone(datetime.timezone.utc)}
