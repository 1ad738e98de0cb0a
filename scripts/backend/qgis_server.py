"""QGIS Server (Debian ``qgis-server``): ``qgis_mapserver`` over a generated Herne project.

Stands in for the city's GeoServer: WMS 1.3.0, WFS 1.1.0/2.0 with transactions,
and OGC API Features under ``/wfs3``, all from one project file. Clients reach it
through a thin front (ows_front.py) that fixes qgis_mapserver 3.22's handling
of POST bodies with non-ASCII text and hands each request to a free one of
MAPSERVERS ``qgis_mapserver`` processes: GeoServer answers requests side by side,
the development server one at a time. The processes share one process group, led
by the pid the backend records: stopping it stops them all.
"""

import json
import os
import shlex
import sys

from . import processes

SERVICE_TITLE = "Herne Digital Twin (lokal)"
SERVICE_ABSTRACT = "Lokale Testumgebung: Straßenbeleuchtung, Sensorstandorte, Starkregengefahren (EPSG:25832)."
CRS_LIST = ["EPSG:25832", "EPSG:4326", "EPSG:3857"]
OWS_PATH = "/ows"
OGCAPI_PATH = "/wfs3"
_HERE = os.path.dirname(os.path.abspath(__file__))
_GENERATOR = os.path.join(_HERE, "make_qgis_project.py")
_FRONT = os.path.join(_HERE, "ows_front.py")
# QGIS Server plugins of the backend: herne_fresh_counts counts PostGIS layers per request
# (qgis_mapserver 3.22 keeps a count that other writers make wrong; see its docstring).
SERVER_PLUGINS = os.path.join(_HERE, "server_plugins")
# qgis_mapserver processes behind the front: requests answered side by side (as by GeoServer).
MAPSERVERS = 2


def _headless_env(database, workdir):
    env = database.client_env()
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PROJ_DATA=env.get("PROJ_DATA", "/usr/share/proj"),
        XDG_RUNTIME_DIR=workdir,
        # Keep QGIS's settings and caches inside the backend dir, and write no
        # .aux.xml statistics next to the rasters in the (shared) data dir.
        HOME=workdir,
        GDAL_PAM_ENABLED="NO",
    )
    return env


def write_project(database, workdir, tables, rasters, editable, port):
    """Generate ``<workdir>/herne.qgs`` with PyQGIS in a separate process; return its path.
    The project advertises the front on ``port`` as its service URL."""
    os.makedirs(workdir, exist_ok=True)
    os.chmod(workdir, 0o700)
    spatial = [table for table in tables if table["geometry_column"]]
    extents = [table["extent"] for table in spatial if table.get("extent")]
    if not extents:
        raise processes.BackendError("no spatial table with features to publish in QGIS Server")
    spec = {
        "project_path": os.path.join(workdir, "herne.qgs"),
        "profile_dir": os.path.join(workdir, "profile"),
        "title": SERVICE_TITLE,
        "abstract": SERVICE_ABSTRACT,
        "service": database.dsn()["service"],
        "schema": database.dsn()["schema"],
        "tables": spatial,
        "rasters": rasters,
        "editable": list(editable),
        "crs_list": CRS_LIST,
        "service_url": urls(port)["wms_url"],
        "wms_extent": [min(e[0] for e in extents), min(e[1] for e in extents),
                       max(e[2] for e in extents), max(e[3] for e in extents)],
    }
    spec_path = os.path.join(workdir, "project_spec.json")
    with open(spec_path, "w", encoding="utf-8") as handle:
        json.dump(spec, handle, indent=1)
    processes.run([sys.executable, _GENERATOR, spec_path], "QGIS project generation",
                  env=_headless_env(database, workdir), timeout=180)
    return spec["project_path"]


def _answers_wms(port):
    def ready():
        status, _, body = processes.http_request(
            "http://{}:{}{}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities".format(
                processes.LOCALHOST, port, OWS_PATH), timeout=5)
        return status == 200 and b"WMS_Capabilities" in body
    return ready


def start(database, workdir, project_path, port, server_port, log_dir, mapservers=None):
    """Start ``mapservers`` (default MAPSERVERS) ``qgis_mapserver`` processes, the first on
    127.0.0.1:<server_port>, and the front (see ows_front.py) on <port>; return (Popen of the
    mapservers' group leader, the front's Popen) once WMS answers through the front.

    The mapservers run under one ``bash`` that leads their process group (a process can only
    join a group of its own session): stopping that pid's group stops every mapserver, and
    one mapserver ending ends the others."""
    count = MAPSERVERS if mapservers is None else mapservers
    if count < 1:
        raise processes.BackendError("QGIS Server needs at least one qgis_mapserver process")
    env = _headless_env(database, workdir)
    env.update(QGIS_PROJECT_FILE=project_path, QGIS_SERVER_LOG_STDERR="1", QGIS_SERVER_LOG_LEVEL="1",
               QGIS_PLUGINPATH=SERVER_PLUGINS)
    ports, commands = [server_port] + [processes.free_port() for _ in range(count - 1)], []
    for number, server in enumerate(ports, 1):
        # Settings, auth and cache databases of its own: two processes never create one together.
        own_dir = workdir if number == 1 else os.path.join(workdir, "mapserver-{}".format(number))
        os.makedirs(own_dir, mode=0o700, exist_ok=True)
        commands.append("env HOME={0} XDG_RUNTIME_DIR={0} QGIS_OPTIONS_PATH={0} qgis_mapserver {1}:{2} &".format(
            shlex.quote(own_dir), processes.LOCALHOST, server))
    log = os.path.join(log_dir, "qgis_server.log")
    # bash's `wait -n` returns when the first mapserver ends: then the whole group goes (`kill 0`), so a
    # crashed mapserver shows as a stopped QGIS Server, never as half of one behind the front.
    group = processes.spawn(["bash", "-c", " ".join(commands) + " wait -n; kill 0"], log, env=env)
    try:
        for server in ports:
            processes.wait_until(_answers_wms(server), "QGIS Server (qgis_mapserver on port {})".format(server), log,
                                 timeout=60, process=group)
        argv = [sys.executable, _FRONT, "--listen-port", str(port)]
        for server in ports:
            argv += ["--server-port", str(server)]
        front = processes.start_service(argv, "QGIS Server front", os.path.join(log_dir, "qgis_server_front.log"),
                                        _answers_wms(port), timeout=20)
    except BaseException:
        processes.stop_process(group.pid)  # its group: every mapserver started here
        raise
    return group, front


def urls(port):
    base = "http://{}:{}".format(processes.LOCALHOST, port)
    return {"wms_url": base + OWS_PATH, "wfs_url": base + OWS_PATH, "ogcapi_qgis_url": base + OGCAPI_PATH}
