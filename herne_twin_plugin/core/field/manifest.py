"""What a field package holds and where each layer came from: the package manifest.

Two tables in the package's GeoPackage, written at packaging time and read by the sync:

- ``hernetwin_package``: one row per package property (``package_id``, ``title``,
  ``created_at``, ``area_wkt`` in the package CRS, ``crs``, ``filter``, ``created_by``).
- ``hernetwin_package_layers``: one row per layer of the package: its role, the service it
  was copied from and how to write back to it, its stable key and its schema at packaging
  time (to notice a server schema changed since).

Roles: ``asset`` (synced both ways), ``inspection`` (created offline, pushed as inserts),
``basemap``, ``sensors``, ``hazard`` (read-only context, never synced).
Source kinds: ``wfs`` (WFS-T 1.1.0 / 2.0.0), ``oapif`` (OGC API Features Part 4),
``postgis`` (a database connection), ``none`` (context layers).
"""

import json
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

PACKAGE_TABLE = "hernetwin_package"
LAYERS_TABLE = "hernetwin_package_layers"

ROLE_ASSET, ROLE_INSPECTION = "asset", "inspection"
ROLE_BASEMAP, ROLE_SENSORS, ROLE_HAZARD = "basemap", "sensors", "hazard"
SYNCED_ROLES = (ROLE_ASSET, ROLE_INSPECTION)

SOURCE_WFS, SOURCE_OAPIF, SOURCE_POSTGIS, SOURCE_NONE = "wfs", "oapif", "postgis", "none"

PACKAGE_CRS = "EPSG:25832"


@dataclass(frozen=True)
class PackageLayer:
    """One layer of a package and the service behind it.

    ``source_url``: the WFS endpoint, the OGC API landing page, or a PostGIS connection
    string without password (credentials come from ``authcfg``). ``source_name``: the WFS
    type name, the OGC API collection id, or ``schema.table``. ``fields``: (name, type) at
    packaging time, type one of 'str', 'int', 'real', 'date', 'datetime', 'bool'.
    """

    table_name: str
    role: str
    source_kind: str = SOURCE_NONE
    source_url: str = ""
    source_name: str = ""
    source_version: str = ""  # WFS version ('1.1.0', '2.0.0'); empty otherwise
    authcfg: str = ""
    key_column: str = ""
    geometry_type: str = ""  # e.g. 'Point', 'MultiPolygon'; empty for tables without geometry
    crs: str = PACKAGE_CRS
    fields: Tuple[Tuple[str, str], ...] = ()
    writable: bool = False
    title: str = ""

    @property
    def synced(self):
        return self.role in SYNCED_ROLES and self.source_kind != SOURCE_NONE


@dataclass
class PackageManifest:
    package_id: str
    title: str = ""
    created_at: str = ""
    created_by: str = ""
    area_wkt: str = ""
    crs: str = PACKAGE_CRS
    filter: str = ""
    layers: List[PackageLayer] = field(default_factory=list)

    def layer(self, table_name) -> Optional[PackageLayer]:
        return next((layer for layer in self.layers if layer.table_name == table_name), None)

    @property
    def synced_layers(self):
        return [layer for layer in self.layers if layer.synced]


_PROPERTIES = ("package_id", "title", "created_at", "created_by", "area_wkt", "crs", "filter")
_LAYER_COLUMNS = (
    "table_name", "role", "source_kind", "source_url", "source_name", "source_version", "authcfg",
    "key_column", "geometry_type", "crs", "fields", "writable", "title",
)


def create_tables(connection):
    """Create the manifest tables (sqlite3 connection, inside the caller's transaction)."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (name TEXT PRIMARY KEY, value TEXT NOT NULL)".format(PACKAGE_TABLE)
    )
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (table_name TEXT PRIMARY KEY, role TEXT NOT NULL, source_kind TEXT NOT NULL, "
        "source_url TEXT NOT NULL, source_name TEXT NOT NULL, source_version TEXT NOT NULL, authcfg TEXT NOT NULL, "
        "key_column TEXT NOT NULL, geometry_type TEXT NOT NULL, crs TEXT NOT NULL, fields TEXT NOT NULL, "
        "writable INTEGER NOT NULL, title TEXT NOT NULL)".format(LAYERS_TABLE)
    )


def write(connection, manifest):
    """Store ``manifest`` (replacing what was there), inside the caller's transaction."""
    create_tables(connection)
    connection.execute("DELETE FROM {}".format(PACKAGE_TABLE))
    connection.execute("DELETE FROM {}".format(LAYERS_TABLE))
    connection.executemany(
        "INSERT INTO {} (name, value) VALUES (?, ?)".format(PACKAGE_TABLE),
        [(name, str(getattr(manifest, name) or "")) for name in _PROPERTIES],
    )
    rows = []
    for layer in manifest.layers:
        row = [getattr(layer, name) for name in _LAYER_COLUMNS]
        row[_LAYER_COLUMNS.index("fields")] = json.dumps([list(pair) for pair in layer.fields])
        row[_LAYER_COLUMNS.index("writable")] = int(bool(layer.writable))
        rows.append(row)
    connection.executemany(
        "INSERT INTO {} ({}) VALUES ({})".format(
            LAYERS_TABLE, ", ".join(_LAYER_COLUMNS), ", ".join("?" * len(_LAYER_COLUMNS))
        ),
        rows,
    )


def read(connection):
    """The manifest of a package (sqlite3 connection), or None where the file is no field package."""
    known = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if PACKAGE_TABLE not in known or LAYERS_TABLE not in known:
        return None
    properties = dict(connection.execute("SELECT name, value FROM {}".format(PACKAGE_TABLE)).fetchall())
    manifest = PackageManifest(**{name: properties.get(name, "") for name in _PROPERTIES})
    for row in connection.execute("SELECT {} FROM {} ORDER BY rowid".format(", ".join(_LAYER_COLUMNS), LAYERS_TABLE)):
        values = dict(zip(_LAYER_COLUMNS, tuple(row)))
        values["fields"] = tuple(tuple(pair) for pair in json.loads(values["fields"]))
        values["writable"] = bool(values["writable"])
        manifest.layers.append(PackageLayer(**values))
    return manifest
