"""pygeoapi (PyPI) over PostGIS: an OGC API Features server with editable collections.

Stands in for the city's OGC API servers (ldproxy, pygeoapi): Part 1 reads and
Part 4 writes (POST/PUT/DELETE) on the editable collections (street_lights,
sensor_stations, building_footprints, inspections). pygeoapi
runs from its own virtual environment (.venv-pygeoapi: numpy 2 and friends must
never reach QGIS's .venv) under Flask's server, without debugger or reloader.

Note for clients: pygeoapi 0.20 answers in CRS84 by default but reads the
geometry of POST/PUT bodies in the collection's storage CRS (EPSG:25832 here)
and ignores a Content-Crs header. The state file says so (``pygeoapi_storage_crs``).
"""

import json
import os

from . import processes
from .processes import BackendError

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.environ.get("HERNE_PYGEOAPI_VENV", os.path.join(REPO_ROOT, ".venv-pygeoapi"))
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
STORAGE_CRS = "http://www.opengis.net/def/crs/EPSG/0/25832"
CRS_LIST = [CRS84, STORAGE_CRS, "http://www.opengis.net/def/crs/EPSG/0/4326",
            "http://www.opengis.net/def/crs/EPSG/0/3857"]

# collection id -> (title, description, keywords)
COLLECTIONS = {
    "street_lights": ("Street lights", "Light points of Herne's street lighting (asset register).",
                      ["Straßenbeleuchtung", "Lichtpunkte", "assets"]),
    "sensor_stations": ("Sensor stations", "Locations of the city's LoRaWAN sensor stations.",
                        ["Sensoren", "LoRaWAN", "assets"]),
    "districts": ("Districts", "Herne's city districts (Stadtbezirke).", ["Stadtbezirke"]),
    "building_footprints": ("Building footprints", "Ground plans of Herne's buildings (LoD2).",
                            ["Gebäude", "Grundrisse", "assets"]),
    "inspections": ("Inspections", "Field inspections of the city's assets (condition, defects, photos).",
                    ["Begehungen", "Inspektionen", "assets"]),
}


def _venv_program(name):
    path = os.path.join(VENV, "bin", name)
    if not os.access(path, os.X_OK):
        raise BackendError(
            "pygeoapi's virtual environment is missing ({} not found): run `make setup` "
            "(it builds .venv-pygeoapi from requirements-pygeoapi.txt)".format(path)
        )
    return path


def write_config(workdir, port, dsn, tables, editable):
    """Write ``<workdir>/pygeoapi-config.yml`` (JSON is valid YAML) and return its path.
    Collections are those of COLLECTIONS that exist as spatial tables."""
    os.makedirs(workdir, exist_ok=True)
    os.chmod(workdir, 0o700)  # the config holds the database password
    url = "http://{}:{}".format(processes.LOCALHOST, port)
    resources = {}
    for table in tables:
        if table["name"] not in COLLECTIONS or not table["geometry_column"]:
            continue
        title, description, keywords = COLLECTIONS[table["name"]]
        resources[table["name"]] = {
            "type": "collection",
            "title": title,
            "description": description,
            "keywords": keywords,
            "extents": {"spatial": {"bbox": table.get("extent_wgs84") or [7.1, 51.5, 7.3, 51.6], "crs": CRS84}},
            "providers": [{
                "type": "feature",
                "name": "PostgreSQL",
                "data": {"host": dsn["host"], "port": dsn["port"], "dbname": dsn["dbname"], "user": dsn["user"],
                         "password": dsn["password"], "search_path": [dsn["schema"], "public"]},
                "id_field": "fid",
                "table": table["name"],
                "geom_field": table["geometry_column"],
                "storage_crs": STORAGE_CRS,
                "crs": CRS_LIST,
                "editable": table["name"] in editable,
            }],
        }
    if not resources:
        raise BackendError("none of the tables {} is loaded: nothing for pygeoapi to serve".format(
            ", ".join(COLLECTIONS)))
    config = {
        "server": {
            "bind": {"host": processes.LOCALHOST, "port": port},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US", "de-DE"],
            "limits": {"default_items": 100, "max_items": 10000},
            # Only used by pygeoapi's HTML pages; it is never fetched by the tests.
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    "attribution": "OpenStreetMap contributors"},
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": "Herne Digital Twin (lokal): OGC API Features",
                "description": "Local stand-in for Herne's OGC API Features servers",
                "keywords": ["Herne", "Digitaler Zwilling"],
                "url": url,
                "terms_of_service": "https://www.govdata.de/dl-de/by-2-0",
            },
            "license": {"name": "dl-de/by-2-0", "url": "https://www.govdata.de/dl-de/by-2-0"},
            "provider": {"name": "Stadt Herne (lokale Testumgebung)"},
            "contact": {"name": "Geo-Services, Fachbereich 16"},
        },
        "resources": resources,
    }
    path = os.path.join(workdir, "pygeoapi-config.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=1, ensure_ascii=False)
    return path


def _env(config_path, openapi_path):
    # Nothing of QGIS's Python may leak in; and the venv's pyproj brings its own
    # PROJ data (Debian's proj.db, which PROJ_DATA points at, is too old for it).
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PROJ_DATA", "PROJ_LIB")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(PYGEOAPI_CONFIG=config_path, PYGEOAPI_OPENAPI=openapi_path,
               PATH=os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", ""))
    return env


def write_openapi(config_path):
    """pygeoapi needs its OpenAPI document before it starts; generate it next to the config."""
    openapi_path = os.path.join(os.path.dirname(config_path), "pygeoapi-openapi.yml")
    processes.run(
        [_venv_program("pygeoapi"), "openapi", "generate", config_path, "--output-file", openapi_path],
        "pygeoapi OpenAPI generation", env=_env(config_path, openapi_path), timeout=120,
    )
    return openapi_path


def start(config_path, openapi_path, port, log_path):
    """Serve pygeoapi on 127.0.0.1:<port>; return its Popen once /collections answers."""
    def lists_collections():
        status, _, body = processes.http_request(url(port) + "/collections?f=json", timeout=5)
        return status == 200 and json.loads(body).get("collections")

    return processes.start_service(
        [_venv_program("python"), "-m", "flask", "--app", "pygeoapi.flask_app", "run",
         "--host", processes.LOCALHOST, "--port", str(port), "--no-reload", "--no-debugger"],
        "pygeoapi", log_path, lists_collections, timeout=60,
        env=_env(config_path, openapi_path), cwd=os.path.dirname(config_path),
    )


def url(port):
    return "http://{}:{}".format(processes.LOCALHOST, port)
