"""The SensorThings / NGSI v2 fixture server follows the specifications as a client
developer reads them: paging, query options, navigation, errors, content types,
FIWARE tenants, QuantumLeap history and the fault switches."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sensors.testing import sensor_server, sensor_stations  # noqa: F401 (fixtures)

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def get(url, headers=None, method="GET"):
    """(status, headers with lower-case names, body) without any proxy."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_json(url, headers=None):
    status, answer_headers, body = get(url, headers)
    return status, answer_headers, json.loads(body) if body else None


def q(text):
    return urllib.parse.quote(text, safe="$(),;/'=:@*")


@pytest.fixture
def server(sensor_server):  # noqa: F811
    return sensor_server


# -- SensorThings ---------------------------------------------------------------------------

def test_service_root_lists_the_entity_sets_and_conformance(server):
    status, headers, root = get_json(server.url("sta"))
    assert status == 200 and headers["content-type"].startswith("application/json")
    names = [entry["name"] for entry in root["value"]]
    assert names == ["Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors", "ObservedProperties",
                     "Observations", "FeaturesOfInterest"]
    assert root["value"][0]["url"] == server.url("sta") + "/Things"
    assert "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data" in root["serverSettings"]["conformance"]


def test_next_links_page_through_every_thing_once(server):
    url, seen, pages = server.url("sta") + "/Things?$top=7&$count=true", [], 0
    while url:
        status, _headers, page = get_json(url)
        assert status == 200 and page["@iot.count"] == len(server.data.stations)
        seen += [thing["@iot.id"] for thing in page["value"]]
        url, pages = page.get("@iot.nextLink"), pages + 1
    assert sorted(seen) == list(range(1, len(server.data.stations) + 1))
    assert pages == -(-len(server.data.stations) // 7)


def test_server_driven_paging_without_top(server):
    _status, _headers, page = get_json(server.url("sta") + "/Datastreams")
    assert len(page["value"]) == 25 and "$skip=25" in page["@iot.nextLink"]


def test_entities_carry_self_and_navigation_links_that_resolve(server):
    _status, _headers, thing = get_json(server.url("sta") + "/Things(3)")
    assert thing["@iot.selfLink"] == server.url("sta") + "/Things(3)"
    _status, _headers, streams = get_json(thing["Datastreams@iot.navigationLink"])
    assert streams["value"]
    for stream in streams["value"]:
        _status, _headers, owner = get_json(stream["Thing@iot.navigationLink"])
        assert owner["@iot.id"] == 3
    first = streams["value"][0]["@iot.id"]
    status, _headers, same = get_json(server.url("sta") + "/Things(3)/Datastreams({})".format(first))
    assert status == 200 and same["@iot.id"] == first


def test_filter_on_phenomenon_time_with_and(server):
    times = server.data.times
    start, end = times[10].strftime("%Y-%m-%dT%H:%M:%SZ"), times[20].strftime("%Y-%m-%dT%H:%M:%S.000Z")
    url = server.url("sta") + "/Datastreams(1)/Observations?$count=true&$top=100&$filter=" + q(
        "phenomenonTime gt {} and phenomenonTime lt {}".format(start, end))
    _status, _headers, page = get_json(url)
    assert page["@iot.count"] == 9  # strictly between the 11th and 21st reading
    assert [item["phenomenonTime"][:19] for item in page["value"]] == [
        moment.strftime("%Y-%m-%dT%H:%M:%S") for moment in times[11:20]]


def test_filter_by_extent_with_st_intersects(server, sensor_stations):  # noqa: F811
    lon = sorted(record["lon"] for record in sensor_stations)[20]
    polygon = "POLYGON((7.0 51.4,{0} 51.4,{0} 51.7,7.0 51.7,7.0 51.4))".format(lon)
    url = server.url("sta") + "/Things?$top=100&$filter=" + q("st_intersects(Locations/location,geography'{}')"
                                                               .format(polygon))
    _status, _headers, page = get_json(url)
    expected = {record["station_id"] for record in sensor_stations if record["lon"] <= lon}
    assert {thing["properties"]["station_id"] for thing in page["value"]} == expected


def test_filter_functions_and_comparisons(server):
    url = server.url("sta") + "/Things?$top=100&$filter=" + q(
        "startswith(properties/station_id,'herne-pk') and not (@iot.id lt 3)")
    _status, _headers, page = get_json(url)
    assert page["value"] and all(thing["properties"]["station_id"].startswith("herne-pk") for thing in page["value"])
    url = server.url("sta") + "/Observations?$top=5&$filter=" + q("result ge 1000 or result eq 'x'")
    _status, _headers, page = get_json(url)
    assert page["value"] == []


def test_expand_with_nested_options_gives_the_newest_observation(server):
    url = server.url("sta") + "/Datastreams?$top=4&$expand=" + q(
        "Observations($orderby=phenomenonTime desc;$top=1;$count=true),Thing/Locations")
    _status, _headers, page = get_json(url)
    for stream in page["value"]:
        record, key = server.sta.datastream_stream[stream["@iot.id"]]
        assert len(stream["Observations"]) == 1
        assert stream["Observations"][0]["result"] == server.data.latest(record, key)
        assert stream["Observations@iot.count"] == len(server.data.times)
        assert "$skip=1" in stream["Observations@iot.nextLink"]
        assert stream["Thing"]["Locations"][0]["location"]["coordinates"] == [record["lon"], record["lat"]]


def test_orderby_select_property_value_and_ref(server):
    url = server.url("sta") + "/Datastreams(2)/Observations?$top=5&$orderby=" + q("result desc,@iot.id asc") + \
        "&$select=result"
    _status, _headers, page = get_json(url)
    results = [item["result"] for item in page["value"]]
    assert results == sorted(results, reverse=True) and set(page["value"][0]) == {"result"}
    status, headers, body = get(server.url("sta") + "/Things(1)/name/$value")
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/plain")
    assert body.decode("utf-8") == server.data.stations[0]["name"]
    _status, _headers, name = get_json(server.url("sta") + "/Things(1)/name")
    assert name == {"name": server.data.stations[0]["name"]}
    _status, _headers, refs = get_json(server.url("sta") + "/Things(1)/Datastreams/$ref")
    assert all(set(item) == {"@iot.selfLink"} for item in refs["value"])


@pytest.mark.parametrize("path, status, words", [
    ("/Things(9999)", 404, "Nothing found"),
    ("/Gadgets", 404, "no entity set"),
    ("/Things?$top=-1", 400, "$top must be a non-negative integer"),
    ("/Things?$filter=" + q("name eq"), 400, "ends too early"),
    ("/Things?$filter=" + q("colour eq 'red'"), 400, "no property or navigation colour"),
    ("/Things?$expand=Gadgets", 400, "no navigation property Gadgets"),
    ("/Things?$foo=1", 400, "unknown query option $foo"),
    ("/Things?$orderby=" + q("name sideways"), 400, "cannot read $orderby"),
])
def test_errors_answer_with_status_and_a_json_body(server, path, status, words):
    answer_status, headers, body = get_json(server.url("sta") + path)
    assert answer_status == status and headers["content-type"].startswith("application/json")
    assert body["code"] == status and body["type"] == "error" and words in body["message"]


def test_the_server_is_read_only(server):
    status, headers, _body = get(server.url("sta") + "/Things", method="POST")
    assert status == 405 and headers["allow"] == "GET"


# -- NGSI v2 ----------------------------------------------------------------------------------

HERNE = {"Fiware-Service": "herne"}


def test_orion_entry_point_and_version(server):
    assert get_json(server.url("orion") + "/v2")[2]["entities_url"] == "/v2/entities"
    assert "version" in get_json(server.url("orion") + "/version")[2]["orion"]


def test_orion_paging_and_total_count(server):
    status, headers, page = get_json(server.url("orion") + "/v2/entities?limit=10&offset=55&options=count", HERNE)
    assert status == 200 and headers["fiware-total-count"] == str(len(server.data.stations))
    assert len(page) == len(server.data.stations) - 55
    assert "fiware-total-count" not in get_json(server.url("orion") + "/v2/entities", HERNE)[1]
    assert len(get_json(server.url("orion") + "/v2/entities", HERNE)[2]) == 20  # Orion's default limit


def test_normalized_and_key_values_representations(server):
    record = server.data.stations[0]
    key = "urn:ngsi-ld:AirQualityObserved:" + record["station_id"]
    _status, _headers, normalized = get_json(server.url("orion") + "/v2/entities/" + key, HERNE)
    assert normalized["pm10"]["type"] == "Number"
    assert normalized["pm10"]["value"] == server.data.latest(record, "pm10")
    assert normalized["pm10"]["metadata"]["unitCode"]["value"] == "GQ"
    assert normalized["location"] == {"type": "geo:json", "metadata": {},
                                      "value": {"type": "Point", "coordinates": [record["lon"], record["lat"]]}}
    _status, _headers, plain = get_json(server.url("orion") + "/v2/entities/" + key + "?options=keyValues", HERNE)
    assert plain["pm10"] == server.data.latest(record, "pm10") and plain["type"] == "AirQualityObserved"
    status, headers, value = get(server.url("orion") + "/v2/entities/{}/attrs/pm10/value".format(key), HERNE)
    assert (status, headers["content-type"]) == (200, "text/plain") and float(value) == plain["pm10"]


@pytest.mark.parametrize("headers, count", [
    ({}, 0),  # the default tenant holds nothing
    ({"Fiware-Service": "bochum"}, 0),
    ({"Fiware-Service": "HERNE"}, 60),  # case-folded like Orion does
    ({"Fiware-Service": "herne", "Fiware-ServicePath": "/sensors/parking"}, 12),
    ({"Fiware-Service": "herne", "Fiware-ServicePath": "/sensors/parking,/sensors/air_quality"}, 24),
    ({"Fiware-Service": "herne", "Fiware-ServicePath": "/sensors/#"}, 60),
    ({"Fiware-Service": "herne", "Fiware-ServicePath": "/sensors"}, 0),  # exact path, not the subtree
])
def test_tenants_and_service_paths(server, headers, count):
    status, answer_headers, page = get_json(server.url("orion") + "/v2/entities?limit=100&options=count", headers)
    assert status == 200 and int(answer_headers["fiware-total-count"]) == count == len(page)


@pytest.mark.parametrize("path, headers, status, error, words", [
    ("/v2/entities?limit=1001", HERNE, 400, "BadRequest", "Bad pagination limit"),
    ("/v2/entities?limit=0", HERNE, 400, "BadRequest", "Bad pagination limit"),
    ("/v2/entities?offset=-1", HERNE, 400, "BadRequest", "Bad pagination offset"),
    ("/v2/entities?options=fancy", HERNE, 400, "BadRequest", "/options/"),
    ("/v2/entities", {"Fiware-Service": "her ne!"}, 400, "BadRequest", "bad character in tenant name"),
    ("/v2/entities", {"Fiware-Service": "herne", "Fiware-ServicePath": "sensors"}, 400, "BadRequest",
     "must begin with /"),
    ("/v2/entities/urn:nope", HERNE, 404, "NotFound", "has not been found"),
    ("/v2/entities/urn:ngsi-ld:AirQualityObserved:herne-aq-0001/attrs/colour", HERNE, 404, "NotFound",
     "does not have such an attribute"),
])
def test_orion_errors(server, path, headers, status, error, words):
    answer_status, answer_headers, body = get_json(server.url("orion") + path, headers)
    assert answer_status == status and answer_headers["content-type"] == "application/json"
    assert body["error"] == error and words in body["description"]
    assert "fiware-correlator" in answer_headers


def test_orion_simple_query_language(server):
    _status, _headers, page = get_json(server.url("orion") + "/v2/entities?limit=100&q=" + q("pm10>20;no2<1000")
                                       + "&options=keyValues", HERNE)
    assert page and all(entity["pm10"] > 20 for entity in page)
    expected = [record for record in server.data.stations if record["sensor_type"] == "air_quality"
                and server.data.latest(record, "pm10") > 20]
    assert len(page) == len(expected)


def test_quantumleap_history(server):
    record = server.data.stations[0]
    key = "urn:ngsi-ld:AirQualityObserved:" + record["station_id"]
    base = server.url("quantumleap") + "/v2/entities/{}/attrs/pm10".format(key)
    _status, _headers, last = get_json(base + "?lastN=3", HERNE)
    assert last["attrName"] == "pm10" and last["entityType"] == "AirQualityObserved"
    assert last["values"] == [server.data.value(record, "pm10", index) for index in (-3, -2, -1)]
    times = server.data.times
    window = "?fromDate={}&toDate={}".format(q(times[2].isoformat()), q(times[5].isoformat()))
    _status, _headers, ranged = get_json(base + window, HERNE)
    assert len(ranged["index"]) == len(ranged["values"]) == 4
    _status, _headers, whole = get_json(server.url("quantumleap") + "/v2/entities/" + key + "?lastN=2", HERNE)
    assert [item["attrName"] for item in whole["attributes"]] == ["no2", "pm10", "pm25"]


@pytest.mark.parametrize("suffix, headers, status", [
    ("/attrs/pm10?lastN=3", {"Fiware-Service": "bochum"}, 404),
    ("/attrs/colour?lastN=3", HERNE, 404),
    ("/attrs/pm10?lastN=x", HERNE, 400),
    ("/attrs/pm10?fromDate=gestern", HERNE, 400),
])
def test_quantumleap_errors(server, suffix, headers, status):
    key = "urn:ngsi-ld:AirQualityObserved:" + server.data.stations[0]["station_id"]
    answer_status, _headers, body = get_json(server.url("quantumleap") + "/v2/entities/" + key + suffix, headers)
    assert answer_status == status and set(body) == {"error", "description"}


# -- fault switches and the command line -----------------------------------------------------------

def test_fault_switches(server):
    status, headers, body = get_json(server.url("sta", fault="status/503") + "/Things")
    assert status == 503 and body["code"] == 503
    status, headers, body = get_json(server.url("orion", fault="status/401") + "/v2/entities")
    assert status == 401 and headers["www-authenticate"].startswith("Basic") and body["error"] == "Unauthorized"
    status, _headers, body = get(server.url("sta", fault="malformed_json") + "/Things")
    with pytest.raises(ValueError):
        json.loads(body)
    _status, _headers, page = get_json(server.url("sta", fault="nextlink_loop") + "/Things?$top=5")
    assert page["@iot.nextLink"] == server.url("sta", fault="nextlink_loop") + "/Things?$top=5"
    started = time.monotonic()
    assert get(server.url("sta", fault="slow/0.5"))[0] == 200
    assert time.monotonic() - started >= 0.5
    assert get(server.url("sta", fault="auth"))[0] == 401


def test_command_line_serves_and_stops(tmp_path):
    state = tmp_path / "state.json"
    process = subprocess.Popen([sys.executable, os.path.join(REPO_ROOT, "scripts", "sensor_fixture_server.py"),
                                "--stations", "5", "--hours", "2", "--state", str(state)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not state.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        urls = json.loads(state.read_text())
        assert urls["stations"] == 5 and urls["fiware_service"] == "herne"
        _status, _headers, page = get_json(urls["sensorthings_url"] + "/Things?$count=true")
        assert page["@iot.count"] == 5
        _status, _headers, history = get_json(urls["sensorthings_url"] + "/Datastreams(1)/Observations?$count=true")
        assert history["@iot.count"] == 9  # two hours every 15 minutes, both ends included
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(10)
    assert process.returncode == 0


def test_command_line_rejects_bad_arguments():
    done = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "scripts", "sensor_fixture_server.py"),
                           "--step", "0"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "must be positive" in done.stderr
