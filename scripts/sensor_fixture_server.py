#!/usr/bin/env python3
"""A local SensorThings API v1.1 and FIWARE NGSI v2 (Orion + QuantumLeap) server over
the sample city's sensor stations, following the specifications to the letter.

    .venv/bin/python scripts/sensor_fixture_server.py [--scale sample|full] [--stations N]
        [--gpkg FILE] [--port 0] [--hours 24] [--step 15] [--page-size 100] [--state FILE]

It prints (and with ``--state`` writes as JSON) its URLs and serves until Ctrl-C:

- SensorThings: ``http://127.0.0.1:<port>/v1.1`` (see scripts/sensors/sta_service.py)
- Orion:        ``http://127.0.0.1:<port>/orion`` (``Fiware-Service: herne``)
- QuantumLeap:  ``http://127.0.0.1:<port>/quantumleap`` (see scripts/sensors/ngsi_service.py)

Readings are deterministic (seed, station, property, time) every ``--step`` minutes
over the last ``--hours`` up to now. Fault injection for tests: put
``/_fault/<fault>`` in front of any path, e.g. ``/_fault/status/500/v1.1/Things``:

- ``status/<code>``: answer with that HTTP status and the API's error body
  (401 comes with ``WWW-Authenticate: Basic``);
- ``slow/<seconds>``: wait before answering;
- ``nextlink_loop``: every collection's ``@iot.nextLink`` leads back to the page itself;
- ``malformed_json``: cut the body in half;
- ``auth``: require HTTP Basic credentials (``SensorFixtureServer.basic_auth``).

From Python (tests)::

    with SensorFixtureServer(scale="sample") as server:
        server.url("sta"), server.url("orion"), server.url("quantumleap", fault="status/500")
"""

import argparse
import base64
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
if SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, SCRIPTS_DIR)

from sensors.fixture_data import DEFAULT_SEED, FixtureData  # noqa: E402
from sensors.ngsi_service import NgsiModel, ngsi_error  # noqa: E402
from sensors.sta_service import VERSION, SensorThingsModel, error  # noqa: E402
from sensors.stations import load_stations  # noqa: E402

LOCALHOST = "127.0.0.1"
PREFIXES = {"sta": "/" + VERSION, "orion": "/orion", "quantumleap": "/quantumleap"}
DEFAULT_BASIC_AUTH = ("herne", "fixture-secret")


def _faults(path):
    """({fault: argument}, rest of the path) of a path that may start with /_fault/..."""
    faults = {}
    while path.startswith("/_fault/"):
        parts = path[len("/_fault/"):].split("/")
        name = parts[0]
        if name in ("status", "slow") and len(parts) > 1:
            faults[name] = parts[1]
            path = "/" + "/".join(parts[2:])
        else:
            faults[name] = True
            path = "/" + "/".join(parts[1:])
    return faults, path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HerneSensorFixture/1.0"

    def log_message(self, *_args):  # quiet: tests read server.requests instead
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        owner = self.server.owner
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        owner.record(self.path, headers)
        faults, rest_of_path = _faults(path)
        fault_prefix, path = path[: len(path) - len(rest_of_path)], rest_of_path
        api = next((name for name, prefix in PREFIXES.items() if path == prefix or path.startswith(prefix + "/")),
                   None)
        if "auth" in faults and not owner.authorised(headers.get("authorization", "")):
            return self._send(self._failure(api, 401, "credentials required"))
        if "slow" in faults:
            time.sleep(float(faults["slow"]))
        if "status" in faults:
            return self._send(self._failure(api, int(faults["status"]), "injected failure"))
        prefix = PREFIXES.get(api, "")
        rest = path[len(prefix):]
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if api == "sta":
            host = headers.get("host") or "{}:{}".format(LOCALHOST, owner.port)
            root = "http://{}{}{}".format(host, fault_prefix, prefix)  # links stay behind the same faults
            answer = owner.sta.handle(rest, pairs, root, loop_link="nextlink_loop" in faults)
        elif api == "orion":
            answer = owner.ngsi.orion(rest, dict(pairs), headers)
        elif api == "quantumleap":
            answer = owner.ngsi.quantumleap(rest, dict(pairs), headers)
        else:
            answer = error(404, "no such API: {}".format(path))
        if "malformed_json" in faults:
            answer.body = answer.body[: len(answer.body) // 2]
        self._send(answer)

    def _unsupported(self):
        owner = self.server.owner
        owner.record(self.path, {name.lower(): value for name, value in self.headers.items()})
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        answer = error(405, "this server is read-only: GET only")
        answer.headers["Allow"] = "GET"
        self._send(answer)

    do_POST = do_PUT = do_PATCH = do_DELETE = _unsupported  # noqa: N815

    @staticmethod
    def _failure(api, status, message):
        if api in ("orion", "quantumleap"):
            names = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
                     500: "InternalServerError", 503: "ServiceUnavailable"}
            answer = ngsi_error(status, names.get(status, "Error"), message)
        else:
            answer = error(status, message)
        if status == 401:
            answer.headers["WWW-Authenticate"] = 'Basic realm="Herne sensor fixture"'
        return answer

    def _send(self, answer):
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if answer.body:
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out test)
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class SensorFixtureServer:
    """The fixture server in a thread of this process (see the module doc)."""

    def __init__(self, stations=None, scale="sample", gpkg=None, count=None, seed=DEFAULT_SEED, end=None, hours=24,
                 step_minutes=15, page_size=100, max_top=1000, port=0, basic_auth=DEFAULT_BASIC_AUTH):
        if stations is None:
            stations = load_stations(gpkg=gpkg, scale=scale, count=count)
        self.data = FixtureData(stations, seed=seed, end=end, hours=hours, step_minutes=step_minutes)
        self.sta = SensorThingsModel(self.data, page_size=page_size, max_top=max_top)
        self.ngsi = NgsiModel(self.data)
        self.basic_auth = basic_auth
        self.requests = []  # (path with query, headers with lower-case names)
        self._lock = threading.Lock()
        self._wanted_port = port
        self._httpd = None
        self._thread = None

    @property
    def port(self):
        return self._httpd.server_address[1]

    def url(self, api="sta", fault=None):
        """The base URL of ``api`` ("sta", "orion", "quantumleap"), optionally behind a fault."""
        fault_prefix = "/_fault/" + fault if fault else ""
        return "http://{}:{}{}{}".format(LOCALHOST, self.port, fault_prefix, PREFIXES[api])

    def record(self, path, headers):
        with self._lock:
            self.requests.append((path, headers))

    def paths(self):
        with self._lock:
            return [path for path, _headers in self.requests]

    def authorised(self, header):
        expected = "Basic " + base64.b64encode("{}:{}".format(*self.basic_auth).encode()).decode()
        return header == expected

    def start(self):
        self._httpd = _Server((LOCALHOST, self._wanted_port), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="sensor-fixture-server", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def urls(self):
        return {"sensorthings_url": self.url("sta"), "ngsi_url": self.url("orion"),
                "quantumleap_url": self.url("quantumleap"), "fiware_service": "herne",
                "stations": len(self.data.stations), "datastreams": len(self.data.streams),
                "newest_reading": self.data.times[-1].isoformat()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("sample", "full"), default="sample",
                        help="sample: 60 stations of Herne-Mitte; full: Herne's 2,000 (default %(default)s)")
    parser.add_argument("--stations", type=int, help="serve only the first N stations")
    parser.add_argument("--gpkg", help="read the stations from this GeoPackage's sensor_stations layer")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--hours", type=float, default=24, help="hours of history (default %(default)s)")
    parser.add_argument("--step", type=int, default=15, help="minutes between readings (default %(default)s)")
    parser.add_argument("--page-size", type=int, default=100, help="SensorThings page size (default %(default)s)")
    parser.add_argument("--state", help="write the URLs as JSON to this file")
    args = parser.parse_args(argv)
    if args.step <= 0 or args.hours <= 0 or args.page_size <= 0:
        parser.error("--hours, --step and --page-size must be positive")
    try:
        server = SensorFixtureServer(scale=args.scale, gpkg=args.gpkg, count=args.stations, seed=args.seed,
                                     hours=args.hours, step_minutes=args.step, page_size=args.page_size,
                                     port=args.port).start()
    except (ValueError, OSError) as problem:
        parser.error(str(problem))
    urls = server.urls()
    if args.state:
        with open(args.state, "w", encoding="utf-8") as handle:
            json.dump(urls, handle, indent=2)
    print(json.dumps(urls, indent=2), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
