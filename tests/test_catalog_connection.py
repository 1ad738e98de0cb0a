"""The connection check against real local servers: the fixture HTTP server on
127.0.0.1, a silent TCP port, an unused port, and Mosquitto for MQTT."""

import logging
import os
import shutil
import socket
import subprocess
import time

import pytest
from fixture_http_server import (  # noqa: F401 (fixtures)
    BASIC_PASSWORD,
    BASIC_USER,
    SilentTcpServer,
    basic_authcfg,
    fixture_server,
    unused_port,
)

from herne_twin_plugin.core.catalog import (
    Category,
    ConnectionCheck,
    ServiceEntry,
    ServiceType,
    check_connection,
)
from herne_twin_plugin.core.services.connection_check import classify_failure
from herne_twin_plugin.core.services.http_fetch import HttpResponse

NGSI_OPTIONS = {"fiware_service": "herne", "fiware_servicepath": "/sensors"}


def service(server, path, service_type=ServiceType.WMS, **fields):
    url = server.url(path) if path.startswith("/") else path
    return ServiceEntry("Test " + path, service_type, url, **fields)


def check(entry, **limits):
    limits.setdefault("timeout_s", 5)
    return check_connection(entry, **limits)


# -- services that work -------------------------------------------------------------------

@pytest.mark.parametrize("path, service_type, fields, message", [
    ("/wms", ServiceType.WMS, {"version": "1.3.0"}, "Connected to Herne Testdienst WMS: 4 layers."),
    ("/wms", ServiceType.WMS, {"version": "1.1.1"}, "Connected to Hochwasser Test 1.1.1: 2 layers."),
    ("/wfs", ServiceType.WFS, {"version": "1.1.0"}, "Connected to Herne Testdienst WFS: 2 feature types."),
    ("/oapif", ServiceType.OAPIF, {}, "Connected to Herne Testdienst OGC API: 2 collections."),
    ("/sta/v1.1", ServiceType.SENSORTHINGS, {}, "Connected to the SensorThings API 1.1: 8 entity sets."),
    ("/ngsi", ServiceType.NGSI, {"options": NGSI_OPTIONS}, "Connected to the NGSI v2 broker: 3 entities."),
])
def test_working_services(fixture_server, path, service_type, fields, message):  # noqa: F811
    result = check(service(fixture_server, path, service_type, **fields))
    assert (result.ok, result.category, result.message) == (True, Category.OK, message)


def test_wms_request_keeps_the_url_parameters(fixture_server):  # noqa: F811
    result = check(service(fixture_server, "/wms?MAP=/srv/herne/city.qgs&request=GetMap"))
    assert result.ok
    assert fixture_server.paths() == ["/wms?MAP=/srv/herne/city.qgs&SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0"]
    assert [layer.name for layer in result.capabilities.top_level_layers()] == ["street_lights", "starkregen"]


def test_ngsi_sends_the_fiware_headers(fixture_server):  # noqa: F811
    assert check(service(fixture_server, "/ngsi/v2", ServiceType.NGSI, options=NGSI_OPTIONS)).ok
    headers = fixture_server.requests[-1][1]
    assert (headers["fiware-service"], headers["fiware-servicepath"]) == ("herne", "/sensors")
    result = check(service(fixture_server, "/ngsi", ServiceType.NGSI, options={"fiware_service": "bochum"}))
    assert result.category == Category.EXCEPTION_REPORT
    assert result.message == "The server reported an error: unknown service"


def test_wms_111_dtd_is_never_fetched(fixture_server):  # noqa: F811
    assert check(service(fixture_server, "/wms", version="1.1.1")).ok
    assert fixture_server.dtd_fetches == 0


def test_same_origin_redirect_is_followed(fixture_server):  # noqa: F811
    assert check(service(fixture_server, "/redirect-same")).ok


# -- everything that goes wrong ---------------------------------------------------------------

@pytest.mark.parametrize("path, service_type, category, words", [
    ("/status/401", ServiceType.WMS, Category.UNAUTHORIZED, "needs credentials (HTTP 401)"),
    ("/status/403", ServiceType.WFS, Category.FORBIDDEN, "Access denied (HTTP 403)"),
    ("/status/404", ServiceType.WMS, Category.NOT_FOUND, "Not found (HTTP 404)"),
    ("/status/500", ServiceType.WMS, Category.SERVER_ERROR, "failed with HTTP 500"),
    ("/status/503", ServiceType.OAPIF, Category.SERVER_ERROR, "failed with HTTP 503"),
    ("/status/418", ServiceType.WMS, Category.HTTP_ERROR, "answered with HTTP 418"),
    ("/not-xml", ServiceType.WMS, Category.NOT_XML, "not XML"),
    ("/html", ServiceType.WFS, Category.NOT_XML, "not XML"),
    ("/wms", ServiceType.OAPIF, Category.NOT_JSON, "not JSON"),
    ("/exception", ServiceType.WMS, Category.EXCEPTION_REPORT,
     "The server reported an error: Workspace geoportal ist voruebergehend deaktiviert"),
    ("/ows-exception", ServiceType.WFS, Category.EXCEPTION_REPORT,
     "The server reported an error: Unknown service: WFX"),
    ("/wfs", ServiceType.WMS, Category.WRONG_SERVICE, "expected WMS, but the answer is a WFS document"),
    ("/wms", ServiceType.WFS, Category.WRONG_SERVICE, "expected WFS, but the answer is a WMS document"),
    ("/tiles-api", ServiceType.OAPIF, Category.WRONG_SERVICE, "does not declare OGC API Features conformance"),
    ("/sta/v1.1", ServiceType.OAPIF, Category.WRONG_SERVICE,
     "expected OGC API Features, but the answer is a JSON document"),
    ("/oapif", ServiceType.SENSORTHINGS, Category.WRONG_SERVICE,
     "expected SensorThings API, but the answer is a JSON document"),
    ("/entity", ServiceType.WMS, Category.UNSAFE_XML, "refused for safety"),
    ("/external-entity", ServiceType.WMS, Category.UNSAFE_XML, "refused for safety"),
    ("/redirect-away", ServiceType.WMS, Category.REDIRECT, "redirects to another address: http://localhost:"),
])
def test_failures_are_classified(fixture_server, path, service_type, category, words):  # noqa: F811
    result = check(service(fixture_server, path, service_type))
    assert not result.ok
    assert result.category == category
    assert words in result.message


def test_redirect_away_is_not_followed_and_its_token_not_shown(fixture_server):  # noqa: F811
    result = check(service(fixture_server, "/redirect-away"))
    assert result.category == Category.REDIRECT
    assert "token=***" in result.message
    assert len(fixture_server.requests) == 1  # nothing went to localhost


def test_unreachable_port_is_connection_refused():
    port = unused_port()
    result = check(ServiceEntry("Weg", ServiceType.WFS, "http://127.0.0.1:{}/ows".format(port)))
    assert result.category == Category.CONNECTION_REFUSED
    assert "refused the connection" in result.message


def test_server_that_never_answers_times_out(fixture_server):  # noqa: F811
    started = time.monotonic()
    result = check(service(fixture_server, "/hang"), timeout_s=1)
    assert result.category == Category.TIMEOUT
    assert result.message == "No answer from 127.0.0.1 within 1 s."
    assert time.monotonic() - started < 10


def test_https_to_a_plain_http_port_is_a_tls_error(fixture_server):  # noqa: F811
    result = check(ServiceEntry("TLS", ServiceType.WMS, "https://127.0.0.1:{}/wms".format(fixture_server.port)))
    assert result.category == Category.TLS_ERROR


@pytest.mark.parametrize("announced", ["0", "1"])
def test_huge_answer_is_cut_off_at_the_limit(fixture_server, announced):  # noqa: F811
    result = check(service(fixture_server, "/huge?mb=4&length=" + announced), max_bytes=1024 * 1024)
    assert result.category == Category.TOO_LARGE
    assert result.message == "The answer is larger than 1 MB and was not read."


def test_name_resolution_failure_is_recognised():
    # Classified from the network error code: a real lookup would leave 127.0.0.1.
    from qgis.PyQt.QtNetwork import QNetworkReply

    entry = ServiceEntry("Herne", ServiceType.WMS, "https://geodaten.herne.invalid/ows")
    response = HttpResponse(entry.url, error=QNetworkReply.HostNotFoundError, error_text="Host not found")
    result = classify_failure(response, entry, 5)
    assert result.category == Category.NAME_NOT_RESOLVED
    assert "geodaten.herne.invalid could not be resolved" in result.message


def test_malformed_catalog_entry_is_reported_not_requested(fixture_server):  # noqa: F811
    # e.g. an entry edited by hand in the settings: it is never validated on load
    result = check(ServiceEntry("Kaputt", ServiceType.WMS, "http//127.0.0.1:{}/wms".format(fixture_server.port)))
    assert result.category == Category.INVALID_URL
    assert "no scheme" in result.message
    assert fixture_server.requests == []


def test_download_and_portal_entries_are_not_testable():
    result = check(ServiceEntry("Portal", ServiceType.PORTAL, "https://open.herne.de"))
    assert (result.ok, result.category) == (False, Category.NOT_TESTABLE)


# -- authentication ---------------------------------------------------------------------------

def test_authcfg_is_applied_and_never_logged(fixture_server, basic_authcfg, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG, logger="herne_twin_plugin")
    without = check(service(fixture_server, "/basic/wms"))
    assert without.category == Category.UNAUTHORIZED
    assert "Choose an authentication configuration" in without.message
    with_auth = check(service(fixture_server, "/basic/wms", authcfg=basic_authcfg))
    assert with_auth.ok
    assert fixture_server.requests[-1][1]["authorization"].startswith("Basic ")
    assert BASIC_PASSWORD not in caplog.text
    assert BASIC_PASSWORD not in with_auth.details + with_auth.message


def test_wrong_credentials_and_unknown_authcfg(fixture_server, basic_authcfg):  # noqa: F811
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    wrong = QgsAuthMethodConfig("Basic")
    wrong.setName("wrong password")
    wrong.setConfig("username", BASIC_USER)
    wrong.setConfig("password", "falsch")
    assert manager.storeAuthenticationConfig(wrong)[0]
    result = check(service(fixture_server, "/basic/wms", authcfg=wrong.id()))
    assert result.category == Category.UNAUTHORIZED
    assert "rejected the credentials" in result.message

    result = check(service(fixture_server, "/basic/wms", authcfg="zz99zz9"))
    assert result.category == Category.AUTH_CONFIG
    assert fixture_server.paths().count("/basic/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0") == 1


# -- asynchronous use ---------------------------------------------------------------------------

def test_check_is_asynchronous_and_can_be_cancelled(fixture_server, qtbot):  # noqa: F811
    running = ConnectionCheck(service(fixture_server, "/hang"), timeout_s=30)
    results = []
    running.finished.connect(results.append)
    running.start()
    assert running.running and results == []  # start() returned without waiting
    qtbot.waitUntil(lambda: len(fixture_server.requests) == 1, timeout=5000)
    running.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert [result.category for result in results] == [Category.CANCELLED]
    assert not running.running


# -- MQTT ---------------------------------------------------------------------------------------

@pytest.fixture
def mosquitto(tmp_path):
    """A Mosquitto broker on a free 127.0.0.1 port; with ``secured(port)`` a second
    one that wants BASIC_USER/BASIC_PASSWORD."""
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not shutil.which(binary):
        pytest.skip("mosquitto is not installed")
    processes = []

    def start(password_file=None):
        port = unused_port()
        config = tmp_path / "mosquitto-{}.conf".format(port)
        lines = ["listener {} 127.0.0.1".format(port), "persistence false"]
        if os.geteuid() == 0:  # else mosquitto drops to its own user and cannot read tmp_path
            lines.append("user root")
        if password_file:
            lines += ["allow_anonymous false", "password_file {}".format(password_file)]
        else:
            lines.append("allow_anonymous true")
        config.write_text("\n".join(lines) + "\n")
        process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return port
            except OSError:
                time.sleep(0.05)
        pytest.fail("mosquitto did not start")

    def secured():
        password_file = tmp_path / "passwords"
        password_file.write_text("")
        subprocess.run(["mosquitto_passwd", "-b", str(password_file), BASIC_USER, BASIC_PASSWORD], check=True)
        return start(str(password_file))

    start.secured = secured
    yield start
    for process in processes:
        process.terminate()
        process.wait(10)


def mqtt_entry(port, **fields):
    return ServiceEntry("Broker", ServiceType.MQTT, "mqtt://127.0.0.1:{}".format(port), **fields)


def test_mqtt_broker_accepts(mosquitto):
    result = check(mqtt_entry(mosquitto()))
    assert (result.ok, result.category) == (True, Category.OK)
    assert result.message.startswith("Connected to the MQTT broker 127.0.0.1:")


def test_mqtt_credentials_come_from_the_authcfg(mosquitto, basic_authcfg):  # noqa: F811
    port = mosquitto.secured()
    result = check(mqtt_entry(port))
    assert result.category == Category.FORBIDDEN  # no credentials: not authorised
    assert check(mqtt_entry(port, authcfg=basic_authcfg)).ok


def test_mqtt_refused_silent_and_wrong_service(fixture_server):  # noqa: F811
    assert check(mqtt_entry(unused_port())).category == Category.CONNECTION_REFUSED
    with SilentTcpServer() as silent:
        started = time.monotonic()
        result = check(mqtt_entry(silent.port), timeout_s=1)
        assert result.category == Category.TIMEOUT
        assert time.monotonic() - started < 10
    result = check(mqtt_entry(fixture_server.port))
    assert result.category == Category.WRONG_SERVICE
    assert "did not answer like an MQTT broker" in result.message
