"""QGIS Server (Debian ``qgis-server``): ``qgis_mapserver`` over a generated Herne project.

Stands in for the city's GeoServer: WMS 1.3.0, WFS 1.1.0/2.0 with transactions,
and OGC API Features under ``/wfs3``, all from one project file. Clients reach it
through a thin front (ows_front.py) that fixes qgis_mapserver 3.22's handling
of POST bodies with non-ASCII text.
"""

import json
import os
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


def start(database, workdir, project_path, port, server_port, log_dir):
    """Start ``qgis_mapserver`` on 127.0.0.1:<server_port> and its front (see
    ows_front.py) on <port>; return both Popens once WMS answers through the front."""
    env = _headless_env(database, workdir)
    env.update(
        QGIS_PROJECT_FILE=project_path,
        QGIS_SERVER_LOG_STDERR="1",
        QGIS_SERVER_LOG_LEVEL="1",
        QGIS_OPTIONS_PATH=workdir,
    )
    mapserver = processes.start_service(
        ["qgis_mapserver", "{}:{}".format(processes.LOCALHOST, server_port)], "QGIS Server (qgis_mapserver)",
        os.path.join(log_dir, "qgis_server.log"), _answers_wms(server_port), timeout=60, env=env)
    try:
        front = processes.start_service(
            [sys.executable, _FRONT, "--listen-port", str(port), "--server-port", str(server_port)],
            "QGIS Server front", os.path.join(log_dir, "qgis_server_front.log"), _answers_wms(port), timeout=20)
    except BaseException:
        processes.stop_process(mapserver.pid)
        raise
    return mapserver, front


def urls(port):
    base = "http://{}:{}".format(processes.LOCALHOST, port)
    return {"wms_url": base + OWS_PATH, "wfs_url": base + OWS_PATH, "ogcapi_qgis_url": base + OGCAPI_PATH}
