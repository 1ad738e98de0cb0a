"""Reads side by side: the QGIS Server front hands requests to several qgis_mapserver
processes at once, and the WFS transport reads the strips of a large area over at most
CONNECTIONS requests in flight per server, every feature once and with the same values as one
request after the other; a cancel in the middle leaves nothing running and no package.
Scripted servers on 127.0.0.1 play the mapservers and the WFS."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_field_transport_faults import DESCRIBE, ScriptedServer, wfs_layer
from test_field_transport_reads import XML, collection

from herne_twin_plugin.core.field.transports import base, transport_for, wfst

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRONT = os.path.join(ROOT, "scripts", "backend", "ows_front.py")
SLOW_S = 0.8  # how long a scripted mapserver takes per answer
# Twelve lights in a row, 2 m apart: with STRIP_FEATURES = 2, six strips across the area.
LIGHTS = [("street_lights.{}".format(n), "L-{:02d}".format(n), 369500.0 + 2 * n, 5713000.0) for n in range(12)]
AREA = "POLYGON((369499 5712999, 369523 5712999, 369523 5713001, 369499 5713001, 369499 5712999))"


# -- the front ------------------------------------------------------------------------------------

class SlowMapServer:
    """Plays one qgis_mapserver: answers one request at a time, each after SLOW_S seconds,
    with its own name and the Content-Length it was sent."""

    def __init__(self, name):
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_args):
                pass

            def do_GET(self):  # noqa: N802
                self._answer(b"")

            def do_POST(self):  # noqa: N802
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _answer(self, body):
                with lock:  # one at a time, like qgis_mapserver
                    time.sleep(SLOW_S)
                payload = "{} {} {}".format(name, self.headers.get("Content-Length"), len(body)).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def front():
    """start(mapservers) -> the front's URL, with that many slow mapservers behind it."""
    started = []

    def start(count):
        servers = [SlowMapServer("server-{}".format(number)) for number in range(count)]
        port = _free_port()
        argv = [sys.executable, FRONT, "--listen-port", str(port)]
        for server in servers:
            argv += ["--server-port", str(server.port)]
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        started.append((process, servers))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return "http://127.0.0.1:{}/ows".format(port)

    yield start
    for process, servers in started:
        process.terminate()
        process.wait(10)
        for server in servers:
            server.close()


def _two_at_once(url, bodies):
    answers, threads = [None] * len(bodies), []
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def ask(index):
        with opener.open(urllib.request.Request(url, data=bodies[index]), timeout=30) as response:
            answers[index] = response.read().decode()

    started = time.monotonic()
    for index in range(len(bodies)):
        threads.append(threading.Thread(target=ask, args=(index,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started, answers


def test_the_front_answers_two_requests_at_once_from_two_mapservers(front):
    seconds, answers = _two_at_once(front(2), [b"<a/>", b"<b/>"])
    assert sorted(answer.split()[0] for answer in answers) == ["server-0", "server-1"]
    assert seconds < 2 * SLOW_S, "the two requests were answered one after the other"


def test_with_one_mapserver_the_front_waits_for_it_to_be_free(front):
    seconds, answers = _two_at_once(front(1), [b"<a/>", b"<b/>"])
    assert [answer.split()[0] for answer in answers] == ["server-0", "server-0"]
    assert seconds >= 2 * SLOW_S


def test_the_front_still_sends_a_bodys_length_in_characters(front):
    body = "<wfs:Transaction>Bahnhofstraße, Hölkeskampring</wfs:Transaction>".encode()
    _, (answer,) = _two_at_once(front(2), [body])
    _, sent_length, received = answer.split()
    assert int(sent_length) == len(body.decode()) < len(body)  # qgis_mapserver 3.22 counts characters
    assert int(received) == len(body.decode())


# -- the transport ---------------------------------------------------------------------------------

def _schema_or_count(request):
    """The scripted WFS's answer to DescribeFeatureType and to resultType=hits (all the lights), else None."""
    if request["query"].get("REQUEST") == "DescribeFeatureType":
        return 200, XML, DESCRIBE
    if b'resultType="hits"' in request["body"]:
        return 200, XML, collection([], len(LIGHTS))
    return None


def _strip_server(server, in_flight, delay=0.3, fail_strip=None):
    """A WFS answering the BBOX of each strip with the lights in it (edges count, as in BBOX),
    ``delay`` seconds per strip; ``in_flight`` records how many strips were asked at once."""
    lock = threading.Lock()
    state = {"now": 0}

    def script(request):
        answer, body = _schema_or_count(request), request["body"]
        if answer is not None:
            return answer
        with lock:
            state["now"] += 1
            in_flight.append(state["now"])
        try:
            time.sleep(delay)
            low = float(re.search(rb"<gml:lowerCorner>([\d.]+) ", body).group(1))
            high = float(re.search(rb"<gml:upperCorner>([\d.]+) ", body).group(1))
            if fail_strip is not None and low <= LIGHTS[fail_strip][2] <= high:
                return 500, {}, b"strip failed"
            return 200, XML, collection([light for light in LIGHTS if low <= light[2] <= high])
        finally:
            with lock:
                state["now"] -= 1

    server.script = script


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(wfst, "STRIP_FEATURES", 2)
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


def _read(url, connections, monkeypatch):
    monkeypatch.setattr(wfst, "CONNECTIONS", connections)
    monkeypatch.setattr(wfst, "_GATES", {})
    return list(transport_for(wfs_layer(url)).features_in_area(AREA))


def test_a_layer_read_over_two_connections_gives_each_feature_once_with_the_same_values(qgis_app, server,
                                                                                     monkeypatch):
    in_flight = []
    _strip_server(server, in_flight)
    one_by_one = _read(server.url, 1, monkeypatch)
    assert max(in_flight) == 1
    in_flight.clear()
    side_by_side = _read(server.url, 2, monkeypatch)
    assert max(in_flight) == 2, "never two strips at once"
    strips = [request["body"] for request in server.requests if b"<ogc:BBOX>" in request["body"]
              and b"resultType" not in request["body"]]
    assert len(strips) == 12  # six strips, read twice
    # lights on strip edges come in two answers: passed on once, in strip order, values as one by one
    assert [feature.key for feature in side_by_side] == [key for _, key, _, _ in LIGHTS]
    assert side_by_side == one_by_one


def test_both_layers_are_asked_for_before_the_first_is_read(qgis_app, server, monkeypatch):
    in_flight = []
    _strip_server(server, in_flight)
    monkeypatch.setattr(wfst, "_GATES", {})
    first, second = transport_for(wfs_layer(server.url)), transport_for(wfs_layer(server.url))
    try:
        first.prefetch_in_area(AREA)
        second.prefetch_in_area(AREA)
        time.sleep(0.3 * 6 + 0.5)  # the server answers first's six strips and starts on second's
        asked = len([r for r in server.requests if b"<ogc:BBOX>" in r["body"] and b"resultType" not in r["body"]])
        assert asked > 6, "the second layer's strips wait for the first layer to be read"
        assert list(first.features_in_area(AREA)) == list(second.features_in_area(AREA))
    finally:
        first.close()
        second.close()


def test_a_failed_strip_is_the_reads_error_and_the_strips_after_it_are_not_sent(qgis_app, server, monkeypatch):
    in_flight = []
    _strip_server(server, in_flight, fail_strip=3)
    monkeypatch.setattr(wfst, "_GATES", {})
    with pytest.raises(base.TransportError) as raised:
        list(transport_for(wfs_layer(server.url)).features_in_area(AREA))
    assert raised.value.kind == base.SERVER_ERROR
    strips = [r for r in server.requests if b"<ogc:BBOX>" in r["body"] and b"resultType" not in r["body"]]
    assert len(strips) < 6
    assert not wfst._gate(server.url + "/ows")._waiting, "a request is still waiting for its turn"


def test_a_cancel_in_the_middle_of_a_concurrent_read_stops_every_request(qgis_app, server, monkeypatch):
    from qgis.core import QgsFeedback

    in_flight = []
    _strip_server(server, in_flight, delay=0.5)
    monkeypatch.setattr(wfst, "_GATES", {})
    feedback = QgsFeedback()
    transport = transport_for(wfs_layer(server.url), feedback)
    threading.Timer(0.7, feedback.cancel).start()  # while the first two strips are read
    started = time.monotonic()
    with pytest.raises(base.TransportError) as raised:
        list(transport.features_in_area(AREA))
    assert raised.value.kind == base.CANCELLED
    assert time.monotonic() - started < 3 * 0.5, "the read went on after the cancel"
    strips = [r for r in server.requests if b"<ogc:BBOX>" in r["body"] and b"resultType" not in r["body"]]
    assert len(strips) < 6


def test_strips_that_hold_fewer_than_counted_are_completed_by_pages_each_feature_once(qgis_app, server,
                                                                                     monkeypatch):
    cap = 1  # a server-side limit: one feature per answer (each strip holds two)

    def script(request):
        answer, body = _schema_or_count(request), request["body"]
        if answer is not None:
            return answer
        low = float(re.search(rb"<gml:lowerCorner>([\d.]+) ", body).group(1))
        high = float(re.search(rb"<gml:upperCorner>([\d.]+) ", body).group(1))
        inside = [light for light in LIGHTS if low <= light[2] <= high]
        start = int(re.search(rb'startIndex="(\d+)"', body).group(1)) if b"startIndex" in body else 0
        return 200, XML, collection(inside[start:start + cap])

    server.script = script
    monkeypatch.setattr(wfst, "_GATES", {})
    features = list(transport_for(wfs_layer(server.url)).features_in_area(AREA))
    assert sorted(feature.key for feature in features) == [key for _, key, _, _ in LIGHTS]
    pages = [r["body"] for r in server.requests if b"SortBy" in r["body"]]
    assert pages and all(b'maxFeatures="1"' in page for page in pages)
