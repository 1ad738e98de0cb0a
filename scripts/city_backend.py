#!/usr/bin/env python3
"""The local city backend: Herne's servers as real processes on 127.0.0.1.

    .venv/bin/python scripts/city_backend.py start [--data build/sample] [--dir build/backend]
    .venv/bin/python scripts/city_backend.py status [--dir build/backend]
    .venv/bin/python scripts/city_backend.py stop [--dir build/backend]

``start`` runs PostgreSQL + PostGIS (database ``herne``, schema ``assets`` with
the sample GeoPackage's layers), QGIS Server (WMS, WFS, WFS-T, OGC API Features
under /wfs3), pygeoapi (OGC API Features with editable collections),
Mosquitto and the sensor fixture server (SensorThings API, Orion, QuantumLeap
over the sample stations; scripts/sensor_fixture_server.py), each on a free
port, and writes ``<dir>/backend.json`` (0600: it holds the generated passwords)
with every port, URL, pid and the database's connection pieces. The demo and
the benchmarks read that file; ``stop`` ends every process by its pid.

From Python::

    with CityBackend(data_dir, backend_dir) as backend:
        backend.wms_url, backend.pygeoapi_url, backend.pg["port"], ...
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
import time

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
if SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, SCRIPTS_DIR)

from backend import mosquitto, postgis, pygeoapi_server, qgis_server  # noqa: E402
from backend.processes import (  # noqa: E402
    LOCALHOST,
    BackendError,
    free_port,
    http_request,
    is_running,
    spawned_pids,
    start_service,
    start_time,
    stop_process,
    stop_spawned,
)

DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "build", "sample")
DEFAULT_BACKEND_DIR = os.path.join(REPO_ROOT, "build", "backend")
SAMPLE_GPKG = "herne_sample.gpkg"
STATE_FILE = "backend.json"
# Layers that accept edits (WFS-T in QGIS Server, Part 4 in pygeoapi); inspections is
# the empty table field inspections are pushed to.
EDITABLE_LAYERS = ("street_lights", "sensor_stations", "building_footprints", "inspections")
SCENARIOS = ("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")
# Everything `start` creates inside the backend dir; a new start clears exactly these.
_GENERATED = ("pgdata", "run", "logs", "qgis", "pygeoapi", "mosquitto", "pgpass", "pg_service.conf", STATE_FILE)
# Ports chosen at start. Clients use qgis_server (the front); qgis_mapserver sits behind it.
_PORTS = ("postgres", "qgis_server", "qgis_mapserver", "pygeoapi", "mqtt", "mqtt_auth", "sensors")
# Services in stopping order (clients of the database first).
_SERVICES = ("sensors", "pygeoapi", "qgis_server_front", "qgis_server", "mosquitto", "postgres")
SENSOR_SERVER = os.path.join(SCRIPTS_DIR, "sensor_fixture_server.py")
SENSOR_SERVER_TIMEOUT_S = 60.0  # it reads the stations from the GeoPackage (GDAL) before it listens

__all__ = ["BackendError", "CityBackend", "ensure_sample_data", "read_state", "stop_backend",
           "stop_started_backends"]

# Backends this Python process started and has not stopped (backend dir -> CityBackend).
_started = {}


def ensure_sample_data(data_dir):
    """Return ``data_dir`` holding herne_sample.gpkg, generating the sample city there if it is missing."""
    gpkg = os.path.join(data_dir, SAMPLE_GPKG)
    if os.path.isfile(gpkg):
        return data_dir
    os.makedirs(data_dir, exist_ok=True)
    code = ("import sys; from herne_twin_plugin.core.sample_city import generate; "
            "generate(sys.argv[1], scale='sample', seed=2601)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=REPO_ROOT)
    env.setdefault("PROJ_DATA", "/usr/share/proj")
    done = subprocess.run([sys.executable, "-c", code, data_dir], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not os.path.isfile(gpkg):
        raise BackendError("sample-city generation into {} failed:\n{}".format(
            data_dir, (done.stderr or done.stdout).strip()[-3000:]))
    return data_dir


def depth_rasters(data_dir):
    """The heavy-rain depth rasters present in ``data_dir`` (starkregen_<scenario>_depth.tif)."""
    rasters = []
    for scenario in SCENARIOS:
        path = os.path.join(data_dir, "starkregen_{}_depth.tif".format(scenario))
        if os.path.isfile(path):
            rasters.append({"name": "starkregen_{}_depth".format(scenario), "path": os.path.abspath(path)})
    return rasters


def read_state(backend_dir=DEFAULT_BACKEND_DIR):
    """The state file of a backend dir as a dict; BackendError if there is none."""
    path = os.path.join(backend_dir, STATE_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise BackendError("no backend state at {}: was `start` run with --dir {}?".format(
            path, backend_dir)) from None
    except json.JSONDecodeError as error:
        raise BackendError("backend state {} is not valid JSON: {}".format(path, error)) from None


def _write_state(backend_dir, state):
    path = os.path.join(backend_dir, STATE_FILE)
    temporary = path + ".tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(temporary, path)


def sensor_urls(port):
    """backend.json's keys of the sensor fixture server listening on ``port``."""
    base = "http://{}:{}".format(LOCALHOST, port)
    return {"sensorthings_url": base + "/v1.1", "ngsi_url": base + "/orion",
            "quantumleap_url": base + "/quantumleap", "fiware_service": "herne"}


def running_services(state):
    """Names of the services in ``state`` whose recorded process still runs."""
    processes = state.get("processes", {})
    return [name for name in _SERVICES
            if name in processes and is_running(processes[name]["pid"], processes[name].get("started"))]


def stop_backend(backend_dir=DEFAULT_BACKEND_DIR):
    """Stop every process recorded in the backend dir's state; already gone counts as stopped.
    Returns the names of the services that were still running."""
    try:
        state = read_state(backend_dir)
    except BackendError:
        return []
    processes = dict(state.get("processes", {}))
    if "postgres" not in processes and state.get("pg"):
        # A start that failed between pg_ctl and recording the pid still left postmaster.pid.
        found = postgis.read_postmaster(state["pg"]["pgdata"])
        if found:
            processes["postgres"] = {"pid": found[0], "started": found[1]}
    was_running = running_services(dict(state, processes=processes))
    errors = []
    for name in _SERVICES:
        if name not in processes:
            continue
        pid, started = processes[name]["pid"], processes[name].get("started")
        try:
            if name == "postgres":
                postgis.CityDatabase.stop(state["pg"]["pgdata"], pid, started)
            else:
                stop_process(pid, started)
        except BackendError as error:
            errors.append("{}: {}".format(name, error))
    socket_dir = state.get("pg", {}).get("socket_dir", "")
    if os.path.basename(socket_dir).startswith("herne-pg-"):  # the /tmp fallback for long paths
        shutil.rmtree(socket_dir, ignore_errors=True)
    state["stopped_at"] = _now()
    _write_state(backend_dir, state)
    if errors:
        raise BackendError("could not stop: " + "; ".join(errors))
    return was_running


def stop_started_backends():
    """Stop every backend (and any half-started service) of this Python process:
    for atexit and signal handlers, where no ``with`` block or ``finally`` runs."""
    for backend in list(_started.values()):
        try:
            backend.stop()
        except BackendError:
            pass  # keep going: the remaining backends must stop too
    stop_spawned()


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class CityBackend:
    """PostGIS, QGIS Server, pygeoapi and Mosquitto for one backend dir.

    After ``start()`` (or entering the ``with`` block) the attributes hold the
    endpoints: ``wms_url``, ``wfs_url``, ``ogcapi_qgis_url``, ``pygeoapi_url``,
    ``mqtt_host``, ``mqtt_port``, ``mqtt_auth_port``, ``mqtt_username``,
    ``mqtt_password``, ``pg`` (host, port, dbname, user, password, schema, ...),
    ``pids`` (service -> pid) and ``state`` (everything in backend.json).
    """

    def __init__(self, data_dir=DEFAULT_DATA_DIR, backend_dir=DEFAULT_BACKEND_DIR):
        self.data_dir = os.path.abspath(data_dir)
        self.backend_dir = os.path.abspath(backend_dir)
        self.state = None

    @classmethod
    def attach(cls, backend_dir=DEFAULT_BACKEND_DIR):
        """The backend a `start` left running in ``backend_dir`` (for the demo and benchmarks)."""
        state = read_state(backend_dir)
        backend = cls(state["data_dir"], backend_dir)
        backend.state = state
        return backend

    def __getattr__(self, name):
        state = self.__dict__.get("state")
        if state is not None and name in state:
            return state[name]
        raise AttributeError("{} has no attribute {!r} (is the backend started?)".format(
            type(self).__name__, name))

    @property
    def pids(self):
        return {name: entry["pid"] for name, entry in (self.state or {}).get("processes", {}).items()}

    def pg_dsn(self):
        """A libpq connection string for psycopg2/psql (password included)."""
        pg = self.state["pg"]
        return "host={host} port={port} dbname={dbname} user={user} password={password}".format(**pg)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False

    # -- start -----------------------------------------------------------------

    def _prepare_dir(self):
        os.makedirs(self.backend_dir, exist_ok=True)
        try:
            running = running_services(read_state(self.backend_dir))
        except BackendError:
            running = []
        if running:
            raise BackendError("a backend is already running in {} ({}): run `stop` first".format(
                self.backend_dir, ", ".join(running)))
        for name in _GENERATED:
            path = os.path.join(self.backend_dir, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
        os.makedirs(os.path.join(self.backend_dir, "logs"))

    def _record(self, name, pid):
        self.state["processes"][name] = {"pid": pid, "started": start_time(pid)}
        _write_state(self.backend_dir, self.state)

    def start(self):
        """Start all services (a fresh database each time); on any failure stop what was started."""
        began = time.monotonic()
        ensure_sample_data(self.data_dir)
        self._prepare_dir()
        _started[self.backend_dir] = self
        ports = set()
        while len(ports) < len(_PORTS):  # distinct, even if the kernel hands one out twice
            ports.add(free_port())
        self.state = {"dir": self.backend_dir, "data_dir": self.data_dir, "host": LOCALHOST,
                      "started_at": _now(), "processes": {}, "ports": dict(zip(_PORTS, sorted(ports))),
                      "logs": os.path.join(self.backend_dir, "logs")}
        database = postgis.CityDatabase(self.backend_dir, self.state["ports"]["postgres"],
                                        secrets.token_urlsafe(18))
        self.state["pg"] = database.dsn()
        _write_state(self.backend_dir, self.state)
        spawned_before = spawned_pids()
        try:
            self._start_services(database, self.state["ports"])
        except BaseException:
            self.stop()
            # A server that was started but not yet recorded (say, Ctrl-C during its wait).
            stop_spawned(spawned_pids() - spawned_before)
            raise
        self.state["startup_seconds"] = round(time.monotonic() - began, 1)
        _write_state(self.backend_dir, self.state)
        return self

    def _start_services(self, database, ports):
        logs = self.state["logs"]
        database.start_server()
        self._record("postgres", database.postmaster()[0])
        database.create_database()
        tables = database.load_geopackage(os.path.join(self.data_dir, SAMPLE_GPKG))
        rasters = depth_rasters(self.data_dir)
        mqtt_password = secrets.token_urlsafe(12)
        mqtt_config = mosquitto.write_config(os.path.join(self.backend_dir, "mosquitto"), ports["mqtt"],
                                             ports["mqtt_auth"], mqtt_password)
        broker = mosquitto.start(mqtt_config, ports["mqtt"], ports["mqtt_auth"],
                                 os.path.join(logs, "mosquitto.log"))
        self._record("mosquitto", broker.pid)
        sensors = self._start_sensor_server(ports["sensors"], logs)
        self._record("sensors", sensors.pid)

        # The two slow preparations (PyQGIS project, pygeoapi's OpenAPI document) run side by side.
        qgis_dir = os.path.join(self.backend_dir, "qgis")
        pygeoapi_config = pygeoapi_server.write_config(
            os.path.join(self.backend_dir, "pygeoapi"), ports["pygeoapi"], database.dsn(), tables, EDITABLE_LAYERS)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            project_job = pool.submit(qgis_server.write_project, database, qgis_dir, tables, rasters,
                                      EDITABLE_LAYERS, ports["qgis_server"])
            openapi_job = pool.submit(pygeoapi_server.write_openapi, pygeoapi_config)
            project_path, openapi_path = project_job.result(), openapi_job.result()

        # Both servers start now; then wait for each to answer. A server that
        # fails stops itself; the other one is recorded so stop() ends it.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            qgis_job = pool.submit(qgis_server.start, database, qgis_dir, project_path, ports["qgis_server"],
                                   ports["qgis_mapserver"], logs)
            pygeoapi_job = pool.submit(pygeoapi_server.start, pygeoapi_config, openapi_path, ports["pygeoapi"],
                                       os.path.join(logs, "pygeoapi.log"))
            if qgis_job.exception() is None:
                mapserver, front = qgis_job.result()
                self._record("qgis_server", mapserver.pid)
                self._record("qgis_server_front", front.pid)
            if pygeoapi_job.exception() is None:
                self._record("pygeoapi", pygeoapi_job.result().pid)
            for job in (qgis_job, pygeoapi_job):
                if job.exception() is not None:
                    raise job.exception()

        self.state.update(qgis_server.urls(ports["qgis_server"]))
        self.state.update(
            qgis_project=project_path,
            pygeoapi_url=pygeoapi_server.url(ports["pygeoapi"]),
            pygeoapi_config=pygeoapi_config,
            pygeoapi_storage_crs=pygeoapi_server.STORAGE_CRS,
            mqtt_host=LOCALHOST,
            mqtt_port=ports["mqtt"],
            mqtt_auth_port=ports["mqtt_auth"],
            mqtt_username=mosquitto.USERNAME,
            mqtt_password=mqtt_password,
            layers=[table["name"] for table in tables],
            rasters=[raster["name"] for raster in rasters],
            editable_layers=list(EDITABLE_LAYERS),
            stable_keys=dict(postgis.STABLE_KEYS),
            **sensor_urls(ports["sensors"]),
        )

    def _start_sensor_server(self, port, logs):
        """The SensorThings / Orion / QuantumLeap fixture server over the sample stations."""
        env = dict(os.environ, PYTHONPATH=REPO_ROOT, QT_QPA_PLATFORM="offscreen")
        env.setdefault("PROJ_DATA", "/usr/share/proj")
        argv = [sys.executable, SENSOR_SERVER, "--gpkg", os.path.join(self.data_dir, SAMPLE_GPKG),
                "--port", str(port)]
        ready_url = sensor_urls(port)["sensorthings_url"]
        return start_service(argv, "sensor fixture server", os.path.join(logs, "sensors.log"),
                             lambda: http_request(ready_url, timeout=2)[0] == 200, SENSOR_SERVER_TIMEOUT_S,
                             env=env, cwd=REPO_ROOT)

    # -- stop ------------------------------------------------------------------

    def stop(self):
        """Stop every process this backend dir records; safe to call twice."""
        _started.pop(self.backend_dir, None)
        stop_backend(self.backend_dir)


def _print_status(backend_dir):
    state = read_state(backend_dir)
    running = running_services(state)
    for name in _SERVICES:
        entry = state.get("processes", {}).get(name)
        if entry is None:
            print("{:18} not started".format(name))
            continue
        print("{:18} pid {:>7}  {}".format(name, entry["pid"], "running" if name in running else "stopped"))
    for key in ("wms_url", "wfs_url", "ogcapi_qgis_url", "pygeoapi_url", "sensorthings_url", "ngsi_url",
                "quantumleap_url"):
        if key in state:
            print("{:18} {}".format(key, state[key]))
    if "mqtt_port" in state:
        print("{:18} mqtt://{}:{} (login: {})".format("mqtt", state["mqtt_host"], state["mqtt_port"],
                                                      state["mqtt_auth_port"]))
    print("{:18} postgresql://{}@{}:{}/{}".format("postgis", state["pg"]["user"], state["pg"]["host"],
                                                  state["pg"]["port"], state["pg"]["dbname"]))
    return 0 if len(running) == len(_SERVICES) else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start all services and write <dir>/backend.json")
    start.add_argument("--data", default=DEFAULT_DATA_DIR, help="dir with herne_sample.gpkg (made if missing)")
    start.add_argument("--dir", default=DEFAULT_BACKEND_DIR, help="backend dir (data, logs, state)")
    for name, text in (("stop", "stop every process of the backend dir"),
                       ("status", "show the services' pids and URLs")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--dir", default=DEFAULT_BACKEND_DIR, help="backend dir")
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            backend = CityBackend(args.data, args.dir).start()
            print("city backend started in {:.1f} s; state: {}".format(
                backend.startup_seconds, os.path.join(backend.backend_dir, STATE_FILE)))
            return _print_status(args.dir)
        if args.command == "stop":
            stopped = stop_backend(args.dir)
            print("stopped: {}".format(", ".join(stopped) if stopped else "nothing was running"))
            return 0
        return _print_status(args.dir)
    except BackendError as error:
        print("city_backend: {}".format(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
