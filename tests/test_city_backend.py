"""The local city backend, checked as a user of Herne's servers would check it:
real requests against real processes on 127.0.0.1, results read back from PostGIS."""

import json
import os
import shutil
import stat
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ElementTree

import paho.mqtt.client as mqtt
import psycopg2
import pytest
from backend.processes import http_request, is_running, port_accepts, start_time
from backend_fixtures import backend_root
from city_backend import STATE_FILE, BackendError, CityBackend, read_state, stop_backend
from qgis.PyQt.QtGui import QImage

CITY_BACKEND = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "city_backend.py")
HAZARD_LAYERS = ("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")
WMS_NS = {"wms": "http://www.opengis.net/wms"}


def get(url, **params):
    query = "&".join("{}={}".format(key, value) for key, value in params.items())
    status, headers, body = http_request(url + ("?" + query if query else ""))
    assert status == 200, "{} -> {}: {}".format(url, status, body[:500])
    return headers, body


def sql(backend, statement, *args):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


def png(body):
    image = QImage()
    assert image.loadFromData(body, "PNG"), "not a PNG: {!r}".format(body[:200])
    return image


def painted_pixels(image):
    """Colours of the (every second) pixels that are mostly opaque; anti-aliased rims are left out."""
    return [image.pixelColor(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
            if image.pixelColor(x, y).alpha() >= 128]


def extent_of(backend, table):
    return sql(backend, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                        "(SELECT ST_Extent(geom) AS e FROM assets.{}) x".format(table))[0]


def getmap(backend, layers, bbox, size=400):
    margin = 50
    bbox = ",".join(str(v) for v in (bbox[0] - margin, bbox[1] - margin, bbox[2] + margin, bbox[3] + margin))
    headers, body = get(backend.wms_url, SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS=layers,
                        STYLES="", CRS="EPSG:25832", BBOX=bbox, WIDTH=size, HEIGHT=size,
                        FORMAT="image/png", TRANSPARENT="TRUE")
    assert headers["Content-Type"].startswith("image/png"), body[:500]
    return png(body)


# -- the running session backend ------------------------------------------------------------------


@pytest.mark.backend
def test_state_file_tells_every_endpoint_and_keeps_secrets_private(city_backend):
    path = os.path.join(city_backend.backend_dir, STATE_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    state = read_state(city_backend.backend_dir)
    for key in ("wms_url", "wfs_url", "ogcapi_qgis_url", "pygeoapi_url", "mqtt_host", "mqtt_port",
                "sensorthings_url", "ngsi_url", "quantumleap_url"):
        assert state[key], key
    assert set(state["pg"]) >= {"host", "port", "dbname", "user", "password"}
    assert stat.S_IMODE(os.stat(state["pg"]["pgpass_file"]).st_mode) == 0o600
    for service, port in state["ports"].items():
        assert port_accepts(port), "{} does not listen on {}".format(service, port)
    assert len(set(state["ports"].values())) == len(state["ports"])
    assert all(is_running(pid) for pid in city_backend.pids.values())
    with open(state["qgis_project"], encoding="utf-8") as project:
        assert state["pg"]["password"] not in project.read(), "the QGIS project must not hold the password"
    print("\nbackend start-up: {} s".format(state["startup_seconds"]))


@pytest.mark.backend
def test_status_shows_every_service_running(city_backend):
    done = run_cli("status", "--dir", city_backend.backend_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    for service in city_backend.pids:
        assert "{} ".format(service) in done.stdout and "running" in done.stdout
    assert city_backend.wms_url in done.stdout


@pytest.mark.backend
def test_wms_capabilities_list_the_city_layers(city_backend):
    _, body = get(city_backend.wms_url, SERVICE="WMS", VERSION="1.3.0", REQUEST="GetCapabilities")
    root = ElementTree.fromstring(body)
    assert root.findtext("wms:Service/wms:Title", namespaces=WMS_NS) == "Herne Digital Twin (lokal)"
    names = {element.text for element in root.iterfind(".//wms:Layer/wms:Name", WMS_NS)}
    assert {"districts", "street_lights", "streets", "sensor_stations", "building_footprints"} <= names
    assert set(HAZARD_LAYERS) <= names
    crs = {element.text for element in root.iterfind("wms:Capability/wms:Layer/wms:CRS", WMS_NS)}
    assert {"EPSG:25832", "EPSG:4326", "EPSG:3857"} <= crs


@pytest.mark.backend
def test_getmap_of_street_lights_draws_the_lights(city_backend):
    image = getmap(city_backend, "street_lights", extent_of(city_backend, "street_lights"))
    assert (image.width(), image.height()) == (400, 400)
    painted = painted_pixels(image)
    assert painted, "GetMap of street_lights is blank"
    # The lights' symbol is an amber dot (#fdb42f) with a brown rim.
    amber = [c for c in painted if c.red() > 200 and 140 < c.green() < 220 and c.blue() < 100]
    assert amber, "no amber light symbol in the map"


@pytest.mark.backend
def test_heavy_rain_layers_are_drawn_in_blue(city_backend):
    for layer in HAZARD_LAYERS:
        painted = painted_pixels(getmap(city_backend, layer, extent_of(city_backend, layer), size=200))
        assert painted, "{} is blank".format(layer)
        assert all(colour.blue() > colour.red() for colour in painted), "{} is not blue".format(layer)


@pytest.mark.backend
def test_wfs_getfeature_returns_every_light(city_backend):
    _, body = get(city_backend.wfs_url, SERVICE="WFS", VERSION="1.1.0", REQUEST="GetFeature",
                  TYPENAME="street_lights", OUTPUTFORMAT="application/vnd.geo%2Bjson")
    features = json.loads(body)["features"]
    in_database = sql(city_backend, "SELECT count(*) FROM assets.street_lights")[0][0]
    assert len(features) == in_database > 0
    uuids = {row[0] for row in sql(city_backend, "SELECT light_uuid FROM assets.street_lights")}
    assert {feature["properties"]["light_uuid"] for feature in features} == uuids


@pytest.mark.backend
def test_wfst_update_through_qgis_wfs_provider_lands_in_postgis(qgis_app, city_backend):
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    light_uuid, lamp_type = sql(city_backend, "SELECT light_uuid, lamp_type FROM assets.street_lights "
                                              "ORDER BY fid LIMIT 1")[0]
    uri = "url='{}' typename='street_lights' version='1.1.0' srsname='EPSG:25832'".format(city_backend.wfs_url)
    layer = QgsVectorLayer(uri, "street_lights", "WFS")
    assert layer.isValid(), layer.error().summary()
    request = QgsFeatureRequest().setFilterExpression("light_uuid = '{}'".format(light_uuid))
    feature = next(layer.getFeatures(request))
    try:
        assert layer.startEditing()
        assert layer.changeAttributeValue(feature.id(), layer.fields().indexOf("lamp_type"), "HSE-Prüflampe")
        assert layer.commitChanges(), layer.commitErrors()
        stored = sql(city_backend, "SELECT lamp_type FROM assets.street_lights WHERE light_uuid = %s", light_uuid)
        assert stored == [("HSE-Prüflampe",)]
    finally:
        sql(city_backend, "UPDATE assets.street_lights SET lamp_type = %s WHERE light_uuid = %s",
            lamp_type, light_uuid)


@pytest.mark.backend
def test_ogc_api_features_of_qgis_server(city_backend):
    _, body = get(city_backend.ogcapi_qgis_url + "/collections.json")
    ids = {collection["id"] for collection in json.loads(body)["collections"]}
    assert {"street_lights", "sensor_stations", "districts"} <= ids
    _, body = get(city_backend.ogcapi_qgis_url + "/collections/street_lights/items.json", limit=2)
    assert len(json.loads(body)["features"]) == 2


@pytest.mark.backend
def test_pygeoapi_items_in_a_bbox(city_backend):
    _, body = get(city_backend.pygeoapi_url + "/collections", f="json")
    assert {"street_lights", "sensor_stations", "districts"} <= {c["id"] for c in json.loads(body)["collections"]}
    light_uuid, lon, lat = sql(city_backend, "SELECT light_uuid, ST_X(ST_Transform(geom, 4326)), "
                                             "ST_Y(ST_Transform(geom, 4326)) FROM assets.street_lights "
                                             "ORDER BY fid LIMIT 1")[0]
    bbox = "{},{},{},{}".format(lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5)
    _, body = get(city_backend.pygeoapi_url + "/collections/street_lights/items", f="json", bbox=bbox)
    found = json.loads(body)["features"]
    assert [feature["properties"]["light_uuid"] for feature in found] == [light_uuid]
    assert found[0]["geometry"]["coordinates"] == pytest.approx([lon, lat])


@pytest.mark.backend
def test_pygeoapi_post_put_delete_land_in_postgis(city_backend):
    items = city_backend.pygeoapi_url + "/collections/street_lights/items"
    new_uuid = str(uuid.uuid4())
    light = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [369650.0, 5713650.0]},
             "properties": {"light_uuid": new_uuid, "lamp_type": "LED", "street": "Teststraße"}}
    headers = {"Content-Type": "application/geo+json"}
    status, answer, body = http_request(items, "POST", json.dumps(light).encode(), headers)
    assert status == 201, body
    location = answer["Location"]
    assert sql(city_backend, "SELECT lamp_type, ST_AsText(geom) FROM assets.street_lights WHERE light_uuid = %s",
               new_uuid) == [("LED", "POINT(369650 5713650)")]

    light["properties"]["lamp_type"] = "NAV"
    light["id"] = int(location.rsplit("/", 1)[1])  # pygeoapi 0.20 wants the id in a PUT body too
    status, _, body = http_request(location, "PUT", json.dumps(light).encode(), headers)
    assert status == 204, body
    assert sql(city_backend, "SELECT lamp_type FROM assets.street_lights WHERE light_uuid = %s",
               new_uuid) == [("NAV",)]

    status, _, body = http_request(location, "DELETE")
    assert status == 200, body
    assert sql(city_backend, "SELECT count(*) FROM assets.street_lights WHERE light_uuid = %s", new_uuid) == [(0,)]
    assert http_request(location + "?f=json")[0] == 404


def _round_trip(host, port, topic, payload, username=None, password=None, timeout=10):
    """Publish ``payload`` and return what a subscriber on ``topic`` receives (None on timeout)."""
    received = []
    subscriber = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    for client in (subscriber, publisher):
        if username:
            client.username_pw_set(username, password)
    subscribed = []
    subscriber.on_subscribe = lambda *args: subscribed.append(True)
    subscriber.on_message = lambda client, userdata, message: received.append(message.payload)
    subscriber.connect(host, port)
    subscriber.loop_start()
    try:
        subscriber.subscribe(topic, qos=1)
        deadline = time.monotonic() + timeout
        while not subscribed and time.monotonic() < deadline:
            time.sleep(0.05)
        publisher.connect(host, port)
        publisher.loop_start()
        publisher.publish(topic, payload, qos=1).wait_for_publish(timeout)
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for client in (publisher, subscriber):
            client.loop_stop()
            client.disconnect()
    return received[0] if received else None


@pytest.mark.backend
def test_mqtt_publish_subscribe_round_trip(city_backend):
    uplink = json.dumps({"end_device_ids": {"device_id": "herne-env-001"},
                         "uplink_message": {"decoded_payload": {"temperature": 21.5}}}).encode()
    topic = "v3/herne-sensors@ttn/devices/herne-env-001/up"
    assert _round_trip(city_backend.mqtt_host, city_backend.mqtt_port, topic, uplink) == uplink
    assert _round_trip(city_backend.mqtt_host, city_backend.mqtt_auth_port, topic, uplink,
                       city_backend.mqtt_username, city_backend.mqtt_password) == uplink


@pytest.mark.backend
def test_mqtt_login_listener_refuses_a_wrong_password(city_backend):
    results = []
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.username_pw_set(city_backend.mqtt_username, "wrong")
    client.on_connect = lambda client, userdata, flags, reason, properties: results.append(reason)
    client.connect(city_backend.mqtt_host, city_backend.mqtt_auth_port)
    client.loop_start()
    deadline = time.monotonic() + 10
    while not results and time.monotonic() < deadline:
        time.sleep(0.05)
    client.loop_stop()
    assert results and results[0].is_failure


@pytest.mark.backend
def test_a_second_start_in_a_running_dir_is_refused(city_backend):
    with pytest.raises(BackendError, match="already running"):
        CityBackend(city_backend.data_dir, city_backend.backend_dir).start()
    assert all(is_running(pid) for pid in city_backend.pids.values())


# -- life cycle of a backend of its own -------------------------------------------------------------


@pytest.mark.backend
def test_stop_ends_every_process_and_a_new_start_works(city_backend):
    # Beside the session's backend dir, so the session's clean-up removes it whatever happens.
    backend_dir = os.path.join(os.path.dirname(city_backend.backend_dir), "life_cycle")
    try:
        backend = CityBackend(city_backend.data_dir, backend_dir)
        for attempt in ("first", "second"):
            with backend:
                pids, ports = backend.pids, backend.ports
                assert set(pids) == {"postgres", "qgis_server", "qgis_server_front", "pygeoapi", "mosquitto",
                                     "sensors"}
                get(backend.wms_url, SERVICE="WMS", REQUEST="GetCapabilities")
                print("\n{} start: {} s".format(attempt, backend.startup_seconds))
            assert not [name for name, pid in pids.items() if is_running(pid)], "processes left behind"
            assert not [name for name, port in ports.items() if port_accepts(port)], "ports still open"
        assert stop_backend(backend.backend_dir) == [], "stopping a stopped backend must succeed"
    finally:
        stop_backend(backend_dir)


@pytest.mark.backend
def test_a_failed_start_says_why_and_leaves_no_process(tmp_path):
    data_dir = tmp_path / "broken"
    data_dir.mkdir()
    (data_dir / "herne_sample.gpkg").write_bytes(b"this is not a GeoPackage")
    root = backend_root()
    try:
        backend = CityBackend(str(data_dir), os.path.join(root, "backend"))
        with pytest.raises(BackendError, match="herne_sample.gpkg"):
            backend.start()
        pids = read_state(backend.backend_dir)["processes"]
        assert pids, "postgres had been started"
        assert not [name for name, entry in pids.items() if is_running(entry["pid"])]
    finally:
        stop_backend(os.path.join(root, "backend"))
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.backend
def test_a_missing_pygeoapi_venv_is_named_and_nothing_keeps_running(city_backend, monkeypatch):
    from backend import pygeoapi_server

    monkeypatch.setattr(pygeoapi_server, "VENV", os.path.join(city_backend.backend_dir, "no-such-venv"))
    backend_dir = os.path.join(os.path.dirname(city_backend.backend_dir), "without_pygeoapi")
    try:
        with pytest.raises(BackendError, match="make setup"):
            CityBackend(city_backend.data_dir, backend_dir).start()
        started = read_state(backend_dir)["processes"]
        assert {"postgres", "mosquitto"} <= set(started), "the services before pygeoapi had started"
        assert not [name for name, entry in started.items() if is_running(entry["pid"])]
    finally:
        stop_backend(backend_dir)


# -- without a backend: bad input and stale state ------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, CITY_BACKEND, *args], capture_output=True, text=True, timeout=60)


def test_stop_without_a_backend_succeeds(tmp_path):
    done = run_cli("stop", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "nothing was running" in done.stdout


def test_status_without_a_backend_says_so(tmp_path):
    done = run_cli("status", "--dir", str(tmp_path))
    assert done.returncode == 1
    assert "no backend state" in done.stderr


def test_a_corrupt_state_file_gets_a_clear_error(tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json")
    with pytest.raises(BackendError, match="not valid JSON"):
        read_state(str(tmp_path))


def _sleeper():
    return subprocess.Popen(["sleep", "60"], start_new_session=True)


def _write_state(directory, pid, started):
    state = {"processes": {"mosquitto": {"pid": pid, "started": started}}}
    (directory / STATE_FILE).write_text(json.dumps(state))


def test_stop_ends_a_recorded_process_by_its_pid(tmp_path):
    sleeper = _sleeper()
    _write_state(tmp_path, sleeper.pid, start_time(sleeper.pid))
    assert stop_backend(str(tmp_path)) == ["mosquitto"]
    assert sleeper.wait(timeout=5) is not None
    assert stop_backend(str(tmp_path)) == [], "a second stop finds nothing running and succeeds"


def test_stop_never_touches_a_pid_that_now_belongs_to_another_process(tmp_path):
    sleeper = _sleeper()
    try:
        _write_state(tmp_path, sleeper.pid, start_time(sleeper.pid) - 1)  # a different process's start time
        assert stop_backend(str(tmp_path)) == []
        assert sleeper.poll() is None, "an unrelated process was killed"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_the_qgis_server_front_counts_a_body_in_characters():
    from backend.ows_front import mapserver_length

    # qgis_mapserver 3.22 waits for this many characters, not bytes (see ows_front.py).
    body = "<wfs:Value>Bahnhofstraße</wfs:Value>".encode("utf-8")
    assert len(body) == 37 and mapserver_length(body) == 36


@pytest.mark.backend
def test_sensor_fixture_server_serves_the_sample_stations(city_backend):
    status, _headers, body = http_request(city_backend.sensorthings_url + "/Things?$count=true&$top=1")
    assert status == 200, body[:300]
    stations = sql(city_backend, "SELECT count(*) FROM assets.sensor_stations")[0][0]
    assert json.loads(body)["@iot.count"] == stations > 0
    status, _headers, body = http_request(city_backend.ngsi_url + "/v2/entities?limit=1&options=count",
                                          headers={"Fiware-Service": city_backend.fiware_service})
    assert status == 200 and json.loads(body), body[:300]
