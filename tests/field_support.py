"""Shared helpers for the field sync's failure tests (interrupted, faults, concurrent editors).

- ServerTables: the backend's PostGIS tables as the tests see them: a baseline saved once,
  reset between trials in one transaction, snapshots (every attribute and the geometry of
  every feature, by stable key) to compare server states exactly, office edits in SQL.
- make_template_package / copy_package: a field package of AREA made against the backend
  (core/field/package.make_package over WFS or OGC API Features), made once and copied per
  trial (a copy keeps the offline edits and their client UUIDs, so every trial pushes exactly
  the same edits).
- apply_offline_edits / edit_package: seeded random or named offline edits (attribute edits,
  moves, deletes, new lights, inspections) through the journal's triggers, as QGIS or QField
  would make them.
- sync_process / start_sync_process: run_sync in a child process (to kill it), with the
  engine's crash checkpoint (HERNETWIN_SYNC_CRASH_AT) or a SIGKILL from the test.
- fault_proxies / retarget_package: a fault proxy in front of each server and a package
  pointed at it.
- SchemaChange: ALTER TABLE on a served table, undone exactly.
- explain_pending: each edit still pending with its last receipt, for assertion messages.
"""

import contextlib
import json
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
import uuid
from dataclasses import dataclass, field

from herne_twin_plugin.core.field import journal
from herne_twin_plugin.core.field.package_store import package_gpkg

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
SCHEMA = "assets"
BASELINE_SCHEMA = "field_test_baseline"

# A 400 m square in the middle of the sample city: about a hundred street lights.
AREA_WKT = "POLYGON((369300 5713300,369700 5713300,369700 5713700,369300 5713700,369300 5713300))"
AREA_BOUNDS = (369300.0, 5713300.0, 369700.0, 5713700.0)
LIGHTS, INSPECTIONS = "street_lights", "inspections"
STABLE_KEYS = {LIGHTS: "light_uuid", INSPECTIONS: "inspection_uuid", "building_footprints": "building_id"}
SYNCED_TABLES = (LIGHTS, INSPECTIONS)

# The two servers every trial runs against: QGIS Server (WFS-T) and pygeoapi (OGC API Features Part 4).
SERVER_KINDS = ("wfs", "oapif")

SEED_INSPECTION = "00000000-0000-4000-8000-00000000feed"

CRASH_ENV = "HERNETWIN_SYNC_CRASH_AT"
CHECKPOINT_LOG_ENV = "HERNETWIN_SYNC_CHECKPOINT_LOG"
CRASH_EXIT = 137


# -- the server's tables ------------------------------------------------------------------------


class ServerTables:
    """PostGIS tables of the backend: baseline, reset, snapshots, office edits."""

    def __init__(self, backend, tables=SYNCED_TABLES):
        import psycopg2

        self.backend = backend
        self.connection = psycopg2.connect(backend.pg_dsn())
        self.connection.autocommit = True
        self.tables = tuple(tables)
        self._baseline_columns = {}

    def close(self):
        self.connection.close()

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def columns(self, table):
        """The table's columns (without fid) in their order, as PostGIS has them now."""
        rows = self.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position", (SCHEMA, table))
        return [name for (name,) in rows if name != "fid"]

    def save_baseline(self):
        """Remember the tables as they are now (once per session; reset() goes back to it)."""
        self._seed_inspection()
        self.execute("CREATE SCHEMA IF NOT EXISTS {}".format(BASELINE_SCHEMA))
        for table in self.tables:
            self.execute("DROP TABLE IF EXISTS {b}.{t}; CREATE TABLE {b}.{t} AS TABLE {s}.{t}".format(
                b=BASELINE_SCHEMA, t=table, s=SCHEMA))
            self._baseline_columns[table] = ["fid"] + self.columns(table)

    def reset(self):
        """Put the tables back to the baseline, in one transaction (the servers never see half of it)."""
        statements = []
        for table in self.tables:
            columns = ", ".join('"{}"'.format(name) for name in self._baseline_columns[table])
            statements.append(
                "DELETE FROM {s}.{t}; INSERT INTO {s}.{t} ({c}) SELECT {c} FROM {b}.{t}; "
                "SELECT setval(pg_get_serial_sequence('{s}.{t}', 'fid'), "
                "GREATEST(COALESCE((SELECT max(fid) FROM {s}.{t}), 0), 1));".format(
                    s=SCHEMA, t=table, b=BASELINE_SCHEMA, c=columns))
        self.execute("BEGIN; " + " ".join(statements) + " COMMIT;")

    def drop_baseline(self):
        self.execute("DROP SCHEMA IF EXISTS {} CASCADE".format(BASELINE_SCHEMA))
        self.execute("DELETE FROM {}.{} WHERE inspection_uuid = %s".format(SCHEMA, INSPECTIONS), (SEED_INSPECTION,))

    def _seed_inspection(self):
        """One inspection outside AREA where the server has none: QGIS 3.22's OGC API Features
        provider reads a collection's fields from its first items, so an empty inspections
        collection has no fields and make_package finds no inspection layer to push to."""
        if INSPECTIONS in self.tables and not self.execute("SELECT 1 FROM {}.{} LIMIT 1".format(SCHEMA, INSPECTIONS)):
            self.execute(
                "INSERT INTO {}.{} (geom, inspection_uuid, asset_layer, asset_key, inspected_at, inspector, condition, "
                "defects, notes, photos, status) VALUES (ST_SetSRID(ST_MakePoint(368950, 5712950), 25832), %s, "
                "'street_lights', '', '2026-11-01T09:00:00Z', 'Testlauf', 3, '', 'seed', '', 'done')".format(
                    SCHEMA, INSPECTIONS), (SEED_INSPECTION,))

    def snapshot(self, table):
        """{stable key: (attributes as JSON text without fid, geometry as WKT)} of every feature.
        A key held by two features is a duplicate: it raises, nothing may be applied twice."""
        key = STABLE_KEYS[table]
        rows = self.execute(
            "SELECT {k}, (to_jsonb(t) - 'fid' - 'geom')::text, ST_AsText(geom) FROM {s}.{t} AS t".format(
                k=key, s=SCHEMA, t=table))
        state = {}
        for feature_key, values, geometry in rows:
            if feature_key in state:
                raise AssertionError("{} {} is on the server twice: an edit was applied twice".format(
                    table, feature_key))
            state[feature_key] = (values, geometry)
        return state

    def snapshots(self):
        return {table: self.snapshot(table) for table in self.tables}

    def row(self, table, key):
        """One feature's attributes (dict, without fid/geom) and geometry WKT, or None."""
        found = self.execute(
            "SELECT (to_jsonb(t) - 'fid' - 'geom')::text, ST_AsText(geom) FROM {s}.{t} AS t WHERE {k} = %s".format(
                s=SCHEMA, t=table, k=STABLE_KEYS[table]), (key,))
        if not found:
            return None
        return json.loads(found[0][0]), found[0][1]

    def office_edit(self, table, key, **values):
        """An office user's edit, straight in the asset register."""
        assignments = ", ".join('"{}" = %s'.format(name) for name in values)
        self.execute("UPDATE {s}.{t} SET {a} WHERE {k} = %s".format(
            s=SCHEMA, t=table, a=assignments, k=STABLE_KEYS[table]), list(values.values()) + [key])

    def office_move(self, table, key, x, y):
        """An office user moves a feature."""
        self.execute("UPDATE {s}.{t} SET geom = ST_SetSRID(ST_MakePoint(%s, %s), 25832) WHERE {k} = %s".format(
            s=SCHEMA, t=table, k=STABLE_KEYS[table]), (x, y, key))

    def keys_in_area(self, table):
        minx, miny, maxx, maxy = AREA_BOUNDS
        rows = self.execute(
            "SELECT {k} FROM {s}.{t} WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 25832) ORDER BY {k}".format(
                k=STABLE_KEYS[table], s=SCHEMA, t=table), (minx, miny, maxx, maxy))
        return [key for (key,) in rows]


def diff_states(expected, actual):
    """Lines naming every feature that differs between two snapshots ({table: snapshot})."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table, {}), actual.get(table, {})
        for key in sorted(set(want) | set(got)):
            if key not in got:
                lines.append("{} {}: missing on the server".format(table, key))
            elif key not in want:
                lines.append("{} {}: on the server but not expected".format(table, key))
            elif want[key] != got[key]:
                lines.append("{} {}: expected {} got {}".format(table, key, want[key], got[key]))
    return lines


# -- packages -----------------------------------------------------------------------------------


def server_url(backend, kind):
    return backend.wfs_url if kind == "wfs" else backend.pygeoapi_url


def online_layer(backend, kind, table=LIGHTS):
    """The street lights as QGIS opens them online: WFS 1.1.0 from QGIS Server or OGC API Features from pygeoapi."""
    from qgis.core import QgsVectorLayer

    if kind == "wfs":
        uri = "url='{}' typename='{}' version='1.1.0' srsname='EPSG:25832'".format(backend.wfs_url, table)
        layer = QgsVectorLayer(uri, table, "WFS")
    else:
        layer = QgsVectorLayer("url='{}' typename='{}'".format(backend.pygeoapi_url, table), table, "OAPIF")
    if not layer.isValid():
        raise AssertionError("{} layer {} is not valid: {}".format(kind, table, layer.error().summary()))
    return layer


def make_template_package(backend, kind, package_dir):
    """A field package (core/field/package.make_package) of AREA_WKT: the street lights and the
    inspection layer of the backend, synced over ``kind`` ('wfs': QGIS Server WFS-T 1.1.0,
    'oapif': pygeoapi). No basemap, sensors or hazard layers: the sync does not touch them."""
    from qgis.core import QgsGeometry

    from herne_twin_plugin.core.field.package import make_package

    package_dir = str(package_dir).rstrip(os.sep)
    result = make_package([online_layer(backend, kind)], QgsGeometry.fromWkt(AREA_WKT),
                          output_dir=os.path.dirname(package_dir), name=os.path.basename(package_dir),
                          key_columns={LIGHTS: STABLE_KEYS[LIGHTS]}, title="Begehung Test")
    synced = {layer.table_name for layer in result.manifest.synced_layers}
    if set(SYNCED_TABLES) - synced:
        raise AssertionError("the package syncs only {}".format(sorted(synced)))
    return result.package_dir


def copy_package(template_dir, destination):
    """A copy of a package folder (GeoPackage, project, DCIM); the copy syncs on its own."""
    shutil.copytree(str(template_dir), str(destination))
    return str(destination)


def retarget_package(package_dir, old_origin, new_origin):
    """Make the package's synced layers talk to ``new_origin`` (the fault proxy) instead of
    ``old_origin`` (the server): the manifest's source URLs are rewritten."""
    connection = sqlite3.connect(package_gpkg(package_dir))
    try:
        with connection:
            connection.execute(
                "UPDATE hernetwin_package_layers SET source_url = replace(source_url, ?, ?)",
                (old_origin.rstrip("/"), new_origin.rstrip("/")))
    finally:
        connection.close()


@contextlib.contextmanager
def fault_proxies(backend, log_dir):
    """A fault proxy (scripts/backend/fault_proxy.py) in front of each server: {'wfs': ..., 'oapif': ...}."""
    from backend.fault_proxy import FaultProxy

    started = {}
    try:
        for kind in SERVER_KINDS:
            started[kind] = FaultProxy(origin(server_url(backend, kind)), log_dir).start()
        yield started
    finally:
        for proxy in started.values():
            proxy.stop()


def origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return "{}://{}".format(parts.scheme, parts.netloc)


# -- offline edits ------------------------------------------------------------------------------

STREETS = ("Bahnhofstraße", "Hauptstraße", "Mont-Cenis-Straße", "Straße des Bergbaus", "Düngelstraße")
LAMP_TYPES = ("LED", "NAV", "HQL", "HSE")
DEFECT_CODES = ("MAST_KORROSION", "LEUCHTE_DEFEKT", "KLAPPE_OFFEN", "NEIGUNG", "GRAFFITI")


def _gpkg_point(connection, table, x, y):
    """A GeoPackage geometry blob (little endian, no envelope) for a point of ``table``."""
    (srs_id,) = connection.execute(
        "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
    return b"GP" + bytes((0, 1)) + struct.pack("<i", srs_id) + struct.pack("<BIdd", 1, 1, x, y)


def _geometry_column(connection, table):
    return connection.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()[0]


@dataclass
class OfflineEdits:
    """What apply_offline_edits did, by stable key."""

    updated: dict = field(default_factory=dict)  # key -> {field: new value}
    moved: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    inserted: list = field(default_factory=list)  # client UUIDs of new lights
    inspections: list = field(default_factory=list)  # client UUIDs of new inspections

    @property
    def count(self):
        return len(self.updated) + len(self.moved) + len(self.deleted) + len(self.inserted) + len(self.inspections)


def _point_in_area(rng):
    minx, miny, maxx, maxy = AREA_BOUNDS
    return round(rng.uniform(minx + 20, maxx - 20), 2), round(rng.uniform(miny + 20, maxy - 20), 2)


def apply_offline_edits(gpkg, rng, updates=6, moves=2, deletes=2, inserts=2, inspections=3, avoid=()):
    """Random edits in the package, through the journal's triggers; keys in ``avoid`` stay untouched."""
    edits = OfflineEdits()
    connection = journal.connect(gpkg)
    try:
        geometry = _geometry_column(connection, LIGHTS)
        keys = [row[0] for row in connection.execute(
            "SELECT light_uuid FROM street_lights ORDER BY light_uuid") if row[0] not in set(avoid)]
        chosen = rng.sample(keys, updates + moves + deletes)
        connection.execute("BEGIN")
        for key in chosen[:updates]:
            values = rng.choice([
                {"street": rng.choice(STREETS), "lamp_type": rng.choice(LAMP_TYPES)},
                {"wattage_w": rng.choice((18, 30, 50, 70, 125)), "control_unit": "CU-{}".format(rng.randint(1, 999))},
                {"mast_height_m": round(rng.uniform(3.5, 12.0), 1), "last_inspection": "2026-0{}-1{}".format(
                    rng.randint(1, 9), rng.randint(0, 9))},
                {"street": rng.choice(STREETS)},
            ])
            assignments = ", ".join('"{}" = ?'.format(name) for name in values)
            connection.execute("UPDATE street_lights SET {} WHERE light_uuid = ?".format(assignments),
                               list(values.values()) + [key])
            edits.updated[key] = values
        for key in chosen[updates:updates + moves]:
            connection.execute('UPDATE street_lights SET "{}" = ? WHERE light_uuid = ?'.format(geometry),
                               (_gpkg_point(connection, LIGHTS, *_point_in_area(rng)), key))
            edits.moved.append(key)
        for key in chosen[updates + moves:]:
            connection.execute("DELETE FROM street_lights WHERE light_uuid = ?", (key,))
            edits.deleted.append(key)
        for _ in range(inserts):
            connection.execute(
                'INSERT INTO street_lights ("{}", light_point_no, street, district, mast_type, mast_height_m, '
                "lamp_type, wattage_w, install_year, control_unit, operator, last_inspection) "
                "VALUES (?, ?, ?, 'Herne-Mitte', 'Stahlmast', ?, 'LED', 30, 2026, NULL, 'Stadt Herne', NULL)".format(
                    geometry),
                (_gpkg_point(connection, LIGHTS, *_point_in_area(rng)), "NEU-{}".format(rng.randint(1000, 9999)),
                 rng.choice(STREETS), round(rng.uniform(4.0, 8.0), 1)))
            edits.inserted.append(_key_of_last_insert(connection, LIGHTS))
        inspected = rng.sample(keys, inspections)
        for asset_key in inspected:
            # The inspection form fills the UUID in (its default), as QField and QGIS do.
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            connection.execute(
                'INSERT INTO inspections ("{}", inspection_uuid, asset_layer, asset_key, inspected_at, inspector, '
                "condition, defects, notes, photos, status) "
                "VALUES (?, ?, 'street_lights', ?, ?, 'Jürgen Prüfer', ?, ?, ?, '', ?)".format(
                    _geometry_column(connection, INSPECTIONS)),
                (_gpkg_point(connection, INSPECTIONS, *_point_in_area(rng)), key, asset_key,
                 "2026-11-2{}T0{}:15:00Z".format(rng.randint(0, 5), rng.randint(6, 9)), rng.randint(1, 5),
                 ";".join(sorted(rng.sample(DEFECT_CODES, rng.randint(0, 2)))),
                 "Leuchte flackert, Mastfuß prüfen ({})".format(_number_word(rng)), rng.choice(("open", "done"))))
            edits.inspections.append(key)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return edits


def _number_word(rng):
    return rng.choice(("eins", "zwei", "drei", "groß", "übel"))


def _key_of_last_insert(connection, table):
    """The client UUID the journal gave the feature just inserted (its key was left empty)."""
    row = connection.execute(
        "SELECT feature_key FROM {} WHERE table_name = ? AND op = 'insert' ORDER BY seq DESC LIMIT 1".format(
            journal.JOURNAL_TABLE), (table,)).fetchone()
    return row[0]


def package_features(gpkg, table):
    """{key: attributes dict} of a package layer (what the inspector sees)."""
    key = STABLE_KEYS[table]
    connection = journal.connect(gpkg)
    try:
        geometry = _geometry_column(connection, table)
        rows = connection.execute('SELECT * FROM "{}"'.format(table)).fetchall()
    finally:
        connection.close()
    return {row[key]: {name: row[name] for name in row.keys() if name not in ("fid", geometry)} for row in rows}


# -- the sync in a child process ---------------------------------------------------------------

_SYNC_SCRIPT = textwrap.dedent("""
    import json, os, sys
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from herne_twin_plugin.core.field import sync
    report = sync.run_sync(sys.argv[1])
    print("SYNC-REPORT " + json.dumps(sync_summary(report), default=str), flush=True)
    os._exit(0)
""")

_SUMMARY = textwrap.dedent("""
    def sync_summary(report):
        return {"counts": dict(report.counts), "sync_id": report.sync_id, "stopped": report.stopped,
                "pending": report.pending, "open_conflicts": report.open_conflicts}
""")


def _child_env(crash_at=None, extra=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=REPO_ROOT)
    env.setdefault("PROJ_DATA", "/usr/share/proj")
    env.pop(CRASH_ENV, None)
    env.pop(CHECKPOINT_LOG_ENV, None)
    if crash_at is not None:
        env[CRASH_ENV] = str(crash_at)
    env.update(extra or {})
    return env


def start_sync_process(package, crash_at=None, extra_env=None):
    """run_sync(package) in a child process (Popen); it dies at checkpoint ``crash_at`` if given."""
    return subprocess.Popen(
        [PYTHON, "-c", _SUMMARY + _SYNC_SCRIPT, str(package)], cwd=REPO_ROOT, env=_child_env(crash_at, extra_env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@dataclass
class SyncRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def crashed(self):
        return self.returncode in (CRASH_EXIT, -9)

    @property
    def summary(self):
        for line in self.stdout.splitlines():
            if line.startswith("SYNC-REPORT "):
                return json.loads(line[len("SYNC-REPORT "):])
        return None


def finish(process, timeout=180):
    began = time.monotonic()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError("the sync did not finish in {} s:\n{}".format(timeout, stderr[-3000:])) from None
    return SyncRun(process.returncode, stdout, stderr, time.monotonic() - began)


def sync_process(package, crash_at=None, extra_env=None, timeout=180):
    """run_sync in a child process to its end (or its crash checkpoint): a SyncRun."""
    return finish(start_sync_process(package, crash_at, extra_env), timeout)


def kill_after(process, seconds):
    """SIGKILL the child sync after ``seconds`` (if it still runs); the SyncRun."""
    began = time.monotonic()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()  # our own child, by its Popen
    run = finish(process)
    run.seconds = time.monotonic() - began
    return run


def read_checkpoints(path):
    """[(number, name)] of a checkpoint log the engine wrote (HERNETWIN_SYNC_CHECKPOINT_LOG)."""
    with open(path, encoding="utf-8") as handle:
        return [(int(number), name) for number, name in (line.split() for line in handle if line.strip())]


def seeded_rng(name, default_seed=2611):
    """A random.Random with the seed from HERNETWIN_TEST_SEED (or the default), printed so a failure reproduces."""
    seed = int(os.environ.get("HERNETWIN_TEST_SEED", default_seed))
    print("{}: seed {} (HERNETWIN_TEST_SEED={} reproduces it)".format(name, seed, seed))
    return random.Random(seed), seed


def edit_package(gpkg, operations):
    """Named offline edits on street lights: [('update', key, {field: value}) | ('move', key, (x, y)) |
    ('delete', key, None)]."""
    connection = journal.connect(gpkg)
    try:
        connection.execute("BEGIN")
        for op, key, values in operations:
            if op == "update":
                assignments = ", ".join('"{}" = ?'.format(name) for name in values)
                done = connection.execute("UPDATE street_lights SET {} WHERE light_uuid = ?".format(assignments),
                                          list(values.values()) + [key])
            elif op == "move":
                geometry = _geometry_column(connection, LIGHTS)
                done = connection.execute('UPDATE street_lights SET "{}" = ? WHERE light_uuid = ?'.format(geometry),
                                          (_gpkg_point(connection, LIGHTS, *values), key))
            elif op == "delete":
                done = connection.execute("DELETE FROM street_lights WHERE light_uuid = ?", (key,))
            else:
                raise ValueError("unknown edit {}".format(op))
            if done.rowcount != 1:
                raise AssertionError("street light {} is not in the package {}".format(key, gpkg))
        connection.execute("COMMIT")
    finally:
        connection.close()


# -- server schema changes ---------------------------------------------------------------------


class SchemaChange:
    """ALTER TABLE on a served table, undone exactly (column order, types, indexes, data) by ``undo()``.

    QGIS Server reads the new schema once its project is reloaded (the project file is touched);
    pygeoapi 0.20 keeps the table's columns it reflected at its first request (functools.cache)
    for its whole life, so it is restarted to see the change, as an administrator would."""

    def __init__(self, backend, tables, table):
        self.backend, self.tables, self.table = backend, tables, table
        self.columns = tables.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            ("{}.{}".format(SCHEMA, table),))
        self.indexes = tables.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s", (SCHEMA, table))

    def apply(self, sql):
        self.tables.execute(sql.format(t="{}.{}".format(SCHEMA, self.table)))
        reload_servers(self.backend)

    def undo(self):
        """The table's columns back in their order with their types, its indexes, then the baseline rows."""
        qualified = "{}.{}".format(SCHEMA, self.table)
        original = [name for name, _, _ in self.columns]
        current = [name for (name,) in self.tables.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum", (qualified,))]
        for name in current:
            if name not in original:
                self.tables.execute("ALTER TABLE {} DROP COLUMN \"{}\"".format(qualified, name))
        current = [name for name in current if name in original]
        # Columns from the first one out of place on are dropped and added again in order.
        first_wrong = next((i for i, name in enumerate(original) if i >= len(current) or current[i] != name), None)
        if first_wrong is not None:
            for name, declared, _ in self.columns[first_wrong:]:
                if name in current:
                    self.tables.execute("ALTER TABLE {} DROP COLUMN \"{}\"".format(qualified, name))
                self.tables.execute("ALTER TABLE {} ADD COLUMN \"{}\" {}".format(qualified, name, declared))
        present = {name for (name,) in self.tables.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s", (SCHEMA, self.table))}
        self.tables.reset()
        for name, _, not_null in self.columns:
            if not_null:
                self.tables.execute("ALTER TABLE {} ALTER COLUMN \"{}\" SET NOT NULL".format(qualified, name))
        for name, definition in self.indexes:
            if name not in present:
                self.tables.execute(definition)
        reload_servers(self.backend)


def reload_servers(backend):
    """Make both servers read the tables' schema again: QGIS Server reloads its (touched)
    project; pygeoapi is restarted on its port (it caches reflected tables for its life)."""
    from backend import processes, pygeoapi_server

    os.utime(backend.qgis_project)
    entry = backend.state["processes"]["pygeoapi"]
    processes.stop_process(entry["pid"], entry.get("started"))
    config = backend.pygeoapi_config
    started = pygeoapi_server.start(config, os.path.join(os.path.dirname(config), "pygeoapi-openapi.yml"),
                                    backend.state["ports"]["pygeoapi"],
                                    os.path.join(backend.state["logs"], "pygeoapi.log"))
    backend.state["processes"]["pygeoapi"] = {"pid": started.pid, "started": processes.start_time(started.pid)}
    _rewrite_backend_state(backend)
    time.sleep(1.0)  # QGIS Server's file watcher drops the cached project


def _rewrite_backend_state(backend):
    """backend.json with pygeoapi's new pid, so `stop` ends the restarted process."""
    path = os.path.join(backend.backend_dir, "backend.json")
    temporary = path + ".tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(backend.state, handle, indent=1, sort_keys=True)
    os.replace(temporary, path)


def explain_pending(package):
    """Lines for an assertion message: each pending edit with the last receipt the sync gave it."""
    from herne_twin_plugin.core.field import sync

    gpkg = package_gpkg(package)
    last = {}
    for receipt in sync.receipts(gpkg):
        last[(receipt.table, receipt.key)] = receipt
    lines = []
    for change in journal.pending_changes(gpkg):
        receipt = last.get((change.table_name, change.feature_key))
        lines.append("{} {} {}: {}".format(
            change.op, change.table_name, change.feature_key,
            "{} - {}".format(receipt.outcome, receipt.message) if receipt else "no receipt"))
    return lines
