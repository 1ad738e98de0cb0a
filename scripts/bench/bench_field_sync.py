#!/usr/bin/env python3
"""Benchmark: offline field packages and their sync against QGIS's own QgsOfflineEditing, in one run.

    .venv/bin/python scripts/bench/bench_field_sync.py [--data build/bench/sample-full]
        [--backend-dir DIR | --attach DIR] [--edits 1000,10000] [--concurrent 1000] [--runs 1]

Data: the full-size sample city (16,482 street lights, 51,306 building footprints), generated
into --data when missing. A local city backend (PostGIS, QGIS Server with WFS-T) is started on
that data in a temporary folder and stopped at the end (``--attach DIR``: use a running one).
Both tools read the same two WFS 1.1.0 layers of the local QGIS Server, the whole city: all
street lights and all building footprints (no area filter: QgsOfflineEditing has none).

What each side uses. The server is the same for both, in the same run: QGIS Server as the
backend starts it, qgis_server.MAPSERVERS (2) ``qgis_mapserver`` processes behind the front
(scripts/backend/ows_front.py hands each request to a free one; the city's GeoServer also
answers side by side), so at most two answers are written at once on the machine's cores.
QgsOfflineEditing reads the layers through QGIS's WFS provider as it does by itself (one
layer after the other, its own requests; the bench asks nothing else of it). Ours
(make_package) has the server count each layer first (the pre-check's resultType=hits, both
layers at once) and asks for a layer's GetFeature answers as soon as its count is in (a large
layer as strips of the area; nothing is written before the whole pre-check has passed), at most
wfst.CONNECTIONS (2) requests in flight per server; it parses each answer in the calling
thread (lxml; no worker processes) and writes it into the GeoPackage while the server writes
the next. Both run in
this one Python process; ``cpu_seconds`` is this process's CPU time (user + system, all its
threads) during the packaging, ``server_cpu_seconds`` that of the qgis_mapserver processes.
The ratio that counts is the wall time's; a loaded machine (see ``load`` in the JSON) slows
both and the server most.

| case                     | QGIS                                        | ours                              |
|--------------------------|---------------------------------------------|-----------------------------------|
| package                  | QgsOfflineEditing.convertToOfflineProject   | core.field.package.make_package   |
|                          | (GeoPackage container)                      | (the same two layers, no basemap) |
| sync N edits             | QgsOfflineEditing.synchronize               | core.field.sync.run_sync          |
| concurrent office edits  | synchronize, then count what was lost       | run_sync, then count what was lost|

Edits (the same list for both tools, made in QGIS's edit buffer on the offline layer as an
inspector does, not timed): two thirds on street lights (attribute updates of one or two fields,
moved masts, new lights, removed lights), one third on buildings (attribute updates, removals).
Before each case the server's tables are restored from a snapshot taken at the start, so both
tools start from the same server state.

After every sync the server (PostGIS behind the WFS) is compared with what it should hold: the
snapshot with the edits applied. Missing edits, features written twice, edited fields with a
wrong value, and changes nobody made are counted per tool.

Concurrent case: N offline edits; meanwhile an "office user" changes, directly on the server,
100 of the same features in a field the inspector also changed, 100 of them in another field,
100 features the inspector did not touch, deletes 10 features the inspector edited and edits 10
the inspector deleted. After the sync we count office edits overwritten (server value is not
the office's any more), offline edits lost (not on the server and not kept, visible, in the
package as an open conflict or pending change), features changed that neither the inspector nor
the office edited (an edit written onto the wrong feature), and for ours the conflicts shown.

Targets (issue 5): package and sync at least 3 times faster than QgsOfflineEditing; no edit
lost under a concurrent server edit, every overlap a conflict. Each timing is the best of
--runs. Prints a table and writes build/bench/field_sync.json.
"""

import argparse
import datetime
import inspect
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
for _path in (ROOT, SCRIPTS):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

TARGET_RATIO = 3.0
OUT = os.path.join(ROOT, "build", "bench", "field_sync.json")
SNAPSHOT_SCHEMA = "bench_field_snapshot"
SCHEMA = "assets"
# The layers both tools take offline, with their stable key.
LAYERS = {"street_lights": "light_uuid", "building_footprints": "building_id"}
# What an inspector changes, per layer: field -> how a new value is made from the old one.
LAMP_TYPES = ("LED", "NAV", "HQL")
CONTROL_UNITS = ("LoRaWAN-Knoten", "Dämmerungsschalter", "Rundsteuerempfänger")
INSPECTION_DAY0 = datetime.date(2026, 1, 5)


def _other(rng, choices, current):
    return rng.choice([choice for choice in choices if choice != current])


EDITABLE_FIELDS = {
    "street_lights": {
        "lamp_type": lambda rng, old: _other(rng, LAMP_TYPES, old),
        "wattage_w": lambda rng, old: _other(rng, range(20, 260, 5), old),
        "mast_height_m": lambda rng, old: _other(rng, [h / 2 for h in range(8, 29)], old),
        "control_unit": lambda rng, old: _other(rng, CONTROL_UNITS, old),
        "last_inspection": lambda rng, old: _other(
            rng, [(INSPECTION_DAY0 + datetime.timedelta(days=d)).isoformat() for d in range(300)], old),
    },
    "building_footprints": {
        "measured_height": lambda rng, old: round(rng.uniform(3.0, 40.0), 2) if old is None
        else round(float(old) + rng.choice((-1, 1)) * rng.uniform(0.5, 3.0), 2),
        "storey_parts": lambda rng, old: _other(rng, range(1, 12), old),
        "house_number": lambda rng, old: _other(rng, [str(n) for n in range(1, 200)], old),
    },
}


def _log(text):
    print("bench: " + text, flush=True)


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


# --- the server: PostGIS behind the WFS ---------------------------------------------------------------

def _plain(value):
    """A server value as the comparison uses it: dates as ISO text, floats rounded."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10] if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime) else value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "is_integer") and not isinstance(value, (int, float)):  # Decimal
        return round(float(value), 6)
    return value


class Server:
    """The backend's database: snapshot and restore of the benchmarked tables, the office
    user's edits, and reads for the comparison."""

    def __init__(self, dsn):
        import psycopg2

        self.connection = psycopg2.connect(dsn)
        self.connection.autocommit = True
        self.columns = {}

    def query(self, sql, parameters=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall() if cursor.description else []

    def table_columns(self, table):
        """Attribute columns (without fid and geometry) in table order."""
        if table not in self.columns:
            rows = self.query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = %s ORDER BY ordinal_position", (SCHEMA, table))
            self.columns[table] = [(name, kind) for name, kind in rows if name not in ("fid", "geom")]
        return self.columns[table]

    def snapshot(self, tables):
        self.query("DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s}".format(s=SNAPSHOT_SCHEMA))
        for table in tables:
            self.query("CREATE TABLE {s}.{t} AS SELECT * FROM {a}.{t}".format(s=SNAPSHOT_SCHEMA, t=table, a=SCHEMA))

    def restore(self, tables):
        """The tables as at the snapshot: same rows, same fids (the WFS feature ids)."""
        for table in tables:
            self.query("DELETE FROM {a}.{t}; INSERT INTO {a}.{t} SELECT * FROM {s}.{t}; ANALYZE {a}.{t}".format(
                a=SCHEMA, t=table, s=SNAPSHOT_SCHEMA))

    def drop_snapshot(self):
        self.query("DROP SCHEMA IF EXISTS {} CASCADE".format(SNAPSHOT_SCHEMA))

    def keys(self, table, key):
        return [row[0] for row in self.query("SELECT {k} FROM {a}.{t} ORDER BY fid".format(
            k=key, a=SCHEMA, t=table))]

    def rows(self, table, key, keys, schema=SCHEMA):
        """{key: [(values dict, geometry WKB hex)]} of these keys (a list: a key written twice shows)."""
        columns = [name for name, _ in self.table_columns(table)]
        found = {}
        keys = list(keys)
        for start in range(0, len(keys), 5000):
            for row in self.query(
                    "SELECT {c}, encode(ST_AsBinary(geom), 'hex') FROM {s}.{t} WHERE {k} = ANY(%s)".format(
                        c=", ".join(columns), s=schema, t=table, k=key), (keys[start:start + 5000],)):
                values = {name: _plain(value) for name, value in zip(columns, row[:-1])}
                found.setdefault(values[key], []).append((values, row[-1]))
        return found

    def changed_keys(self, table, key):
        """Keys whose row differs from the snapshot (values or geometry at 1 mm), appeared or went."""
        columns = [name for name, _ in self.table_columns(table)]
        now = ", ".join("a.{}".format(name) for name in columns) + ", ST_SnapToGrid(a.geom, 0.001)"
        then = ", ".join("s.{}".format(name) for name in columns) + ", ST_SnapToGrid(s.geom, 0.001)"
        rows = self.query(
            "SELECT coalesce(a.{k}, s.{k}) FROM {a}.{t} a FULL JOIN {s}.{t} s ON a.{k} = s.{k} "
            "WHERE a.{k} IS NULL OR s.{k} IS NULL OR ROW({now}) IS DISTINCT FROM ROW({then})".format(
                k=key, a=SCHEMA, s=SNAPSHOT_SCHEMA, t=table, now=now, then=then))
        return {row[0] for row in rows}

    def duplicated_keys(self, table, key):
        return {row[0]: row[1] for row in self.query(
            "SELECT {k}, count(*) FROM {a}.{t} GROUP BY {k} HAVING count(*) > 1".format(k=key, a=SCHEMA, t=table))}

    def office_update(self, table, key, value_key, field, value):
        self.query("UPDATE {a}.{t} SET {f} = %s WHERE {k} = %s".format(a=SCHEMA, t=table, f=field, k=key),
                   (value, value_key))

    def office_delete(self, table, key, value_key):
        self.query("DELETE FROM {a}.{t} WHERE {k} = %s".format(a=SCHEMA, t=table, k=key), (value_key,))

    def close(self):
        self.connection.close()


# --- edits -------------------------------------------------------------------------------------------------

class Edit:
    """One feature's offline edit. kind: 'update' (values), 'move' (dx, dy), 'insert' (values,
    geometry WKT), 'delete'."""

    def __init__(self, table, kind, key, values=None, dx=0.0, dy=0.0, wkt=None):
        self.table, self.kind, self.key = table, kind, key
        self.values = values or {}
        self.dx, self.dy, self.wkt = dx, dy, wkt

    def as_dict(self):
        return {"table": self.table, "kind": self.kind, "key": self.key, "values": self.values}


def make_edits(server, count, seed, kinds=None):
    """``count`` edits on distinct features, two thirds street lights, one third buildings."""
    rng = random.Random(seed)
    shares = {"street_lights": count - count // 3, "building_footprints": count // 3}
    edits = []
    for table, share in shares.items():
        key = LAYERS[table]
        keys = rng.sample(server.keys(table, key), share)
        current = server.rows(table, key, keys)
        for number, feature_key in enumerate(keys):
            values = current[feature_key][0][0]
            roll = rng.random() if kinds is None else 0.0
            if table == "street_lights" and roll > 0.95:
                edits.append(_new_light(rng, current[feature_key][0][1], seed, number))
            elif roll > 0.90:
                edits.append(Edit(table, "delete", feature_key))
            elif table == "street_lights" and roll > 0.85:
                edits.append(Edit(table, "move", feature_key, dx=rng.uniform(0.5, 3.0), dy=rng.uniform(-3.0, 3.0)))
            else:
                fields = rng.sample(sorted(EDITABLE_FIELDS[table]), rng.choice((1, 1, 2)))
                edits.append(Edit(table, "update", feature_key, {
                    name: EDITABLE_FIELDS[table][name](rng, values.get(name)) for name in fields}))
    return edits


def _new_light(rng, near_wkb_hex, seed, number):
    from qgis.core import QgsGeometry

    near = QgsGeometry()
    near.fromWkb(bytes.fromhex(near_wkb_hex))
    point = near.asPoint()
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, "herne-bench-light-{}-{}".format(seed, number)))
    values = {
        "light_uuid": key, "light_point_no": "HER-N{:05d}".format(number), "street": "Neue Straße",
        "district": "Herne-Mitte", "mast_type": "Stahlrohrmast", "mast_height_m": 8.0, "lamp_type": "LED",
        "wattage_w": 40, "install_year": 2026, "control_unit": rng.choice(CONTROL_UNITS),
        "operator": "Stadtwerke Herne AG", "last_inspection": "2026-11-20",
    }
    wkt = "Point ({:.2f} {:.2f})".format(point.x() + rng.uniform(3, 8), point.y() + rng.uniform(3, 8))
    return Edit("street_lights", "insert", key, values, wkt=wkt)


def _qgis_value(field, value):
    from qgis.PyQt.QtCore import QDate, QVariant

    if value is None:
        return None
    if field.type() == QVariant.Date:
        return QDate.fromString(str(value)[:10], "yyyy-MM-dd")
    if field.type() in (QVariant.Int, QVariant.LongLong):
        return int(value)
    if field.type() == QVariant.Double:
        return float(value)
    return value if not isinstance(value, (int, float)) or field.type() != QVariant.String else str(value)


def apply_edits(layers, edits):
    """Make the edits in QGIS's edit buffer of each layer (table -> QgsVectorLayer) and commit."""
    from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry

    by_table = {}
    for edit in edits:
        by_table.setdefault(edit.table, []).append(edit)
    for table, table_edits in by_table.items():
        layer, key = layers[table], LAYERS[table]
        fields = layer.fields()
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([key], fields)
        fids = {feature[key]: feature.id() for feature in layer.getFeatures(request)}
        if not layer.startEditing():
            raise RuntimeError("layer {} cannot be edited".format(layer.name()))
        for edit in table_edits:
            if edit.kind == "insert":
                feature = QgsFeature(fields)
                for name, value in edit.values.items():
                    feature[name] = _qgis_value(fields.field(name), value)
                feature.setGeometry(QgsGeometry.fromWkt(edit.wkt))
                if not layer.addFeature(feature):
                    raise RuntimeError("cannot add {} to {}".format(edit.key, table))
                continue
            fid = fids[edit.key]
            if edit.kind == "delete":
                ok = layer.deleteFeature(fid)
            elif edit.kind == "move":
                geometry = QgsGeometry(layer.getFeature(fid).geometry())
                geometry.translate(edit.dx, edit.dy)
                ok = layer.changeGeometry(fid, geometry)
            else:
                ok = layer.changeAttributeValues(fid, {fields.indexOf(name): _qgis_value(fields.field(name), value)
                                                       for name, value in edit.values.items()})
            if not ok:
                raise RuntimeError("edit {} of {} {} failed".format(edit.kind, table, edit.key))
        if not layer.commitChanges():
            raise RuntimeError("commit on {} failed: {}".format(layer.name(), layer.commitErrors()))


# --- the comparison with what the server should hold --------------------------------------------------------

def _geometry(wkb_hex):
    from qgis.core import QgsGeometry

    geometry = QgsGeometry()
    geometry.fromWkb(bytes.fromhex(wkb_hex))
    return geometry


def _same_geometry(first_hex, second):
    first = _geometry(first_hex)
    if first.isNull() or second.isNull():
        return first.isNull() and second.isNull()
    return first.hausdorffDistance(second) <= 0.01


def _same_value(server_value, wanted):
    if isinstance(wanted, float) or isinstance(server_value, float):
        try:
            return abs(float(server_value) - float(wanted)) < 1e-6
        except (TypeError, ValueError):
            return False
    return server_value == wanted


def check_server(server, edits):
    """How far the server is from the snapshot with ``edits`` applied (no office edits)."""
    from qgis.core import QgsGeometry

    report = {"edits": len(edits), "missing": 0, "wrong_values": 0, "duplicated": 0, "unexpected": 0,
              "examples": []}
    for table, key in LAYERS.items():
        table_edits = {edit.key: edit for edit in edits if edit.table == table}
        changed = server.changed_keys(table, key)
        duplicated = server.duplicated_keys(table, key)
        report["duplicated"] += sum(count - 1 for count in duplicated.values())
        unexpected = sorted(changed - set(table_edits))
        report["unexpected"] += len(unexpected)
        report["examples"] += ["{} {}: changed, but nobody edited it".format(table, k) for k in unexpected[:3]]
        now = server.rows(table, key, table_edits)
        then = server.rows(table, key, table_edits, schema=SNAPSHOT_SCHEMA)
        for feature_key, edit in table_edits.items():
            rows = now.get(feature_key, [])
            if edit.kind == "delete":
                if rows:
                    report["missing"] += 1
                    _example(report, table, edit, "still on the server")
                continue
            if not rows:
                report["missing"] += 1
                _example(report, table, edit, "not on the server")
                continue
            values, geometry = rows[0]
            if edit.kind == "insert":
                wanted, wanted_geometry = edit.values, QgsGeometry.fromWkt(edit.wkt)
            else:
                wanted = dict(then[feature_key][0][0], **edit.values)
                wanted_geometry = _geometry(then[feature_key][0][1])
                if edit.kind == "move":
                    wanted_geometry.translate(edit.dx, edit.dy)
            wrong = [name for name, value in wanted.items() if not _same_value(values.get(name), value)]
            if not _same_geometry(geometry, wanted_geometry):
                wrong.append("geometry")
            if wrong:
                edited = set(edit.values) | ({"geometry"} if edit.kind in ("move", "insert") else set())
                if set(wrong) & edited or edit.kind == "insert":
                    report["wrong_values"] += 1
                else:
                    report["unexpected"] += 1
                _example(report, table, edit, "fields {} differ: server {}".format(
                    ", ".join(wrong), {name: values.get(name) for name in wrong if name != "geometry"}))
    report["server_as_expected"] = not any(report[name] for name in ("missing", "wrong_values", "duplicated",
                                                                      "unexpected"))
    return report


def _example(report, table, edit, text):
    if len(report["examples"]) < 8:
        report["examples"].append("{} {} ({}): {}".format(table, edit.key, edit.kind, text))


# --- the two tools ----------------------------------------------------------------------------------------------

def wfs_layer(backend_state, table):
    """The layer as a user adds it from the catalog: WFS 1.1.0 of the local QGIS Server in EPSG:25832."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri()
    uri.setParam("url", backend_state["wfs_url"])
    uri.setParam("typename", table)
    uri.setParam("version", "1.1.0")
    uri.setParam("srsname", "EPSG:25832")
    layer = QgsVectorLayer(uri.uri(False), table, "WFS")
    if not layer.isValid():
        raise RuntimeError("WFS layer {} of {} is not valid".format(table, backend_state["wfs_url"]))
    return layer


class QgisOfflineEditing:
    """QGIS's own offline editing (Web is not involved: it works on the project's layers)."""

    name = "QgsOfflineEditing"

    def __init__(self, backend_state, workdir):
        self.state, self.workdir = backend_state, workdir
        self.offline = None
        self.layers = {}

    def package(self, tag):
        from qgis.core import QgsOfflineEditing, QgsProject

        project = QgsProject.instance()
        project.clear()
        folder = os.path.join(self.workdir, "qgis-" + tag)
        os.makedirs(folder, exist_ok=True)
        online = {table: wfs_layer(self.state, table) for table in LAYERS}
        project.addMapLayers(list(online.values()))
        self.offline = QgsOfflineEditing()
        errors = []
        self.offline.warning.connect(lambda title, message: errors.append("{}: {}".format(title, message)))
        ok = self.offline.convertToOfflineProject(folder, "offline.gpkg", [layer.id() for layer in online.values()],
                                                  False, QgsOfflineEditing.GPKG)
        if not ok or errors:
            raise RuntimeError("convertToOfflineProject failed: {}".format("; ".join(errors) or "no reason given"))
        # The project's layers are now the offline copies; their names carry an " (offline)" suffix.
        self.layers = {}
        for layer in project.mapLayers().values():
            table = layer.name().split(" ")[0]
            if table in LAYERS:
                self.layers[table] = layer
        counts = {table: layer.featureCount() for table, layer in self.layers.items()}
        return {"features": counts, "bytes": _folder_bytes(folder)}

    def edit(self, edits):
        apply_edits(self.layers, edits)

    def sync(self):
        """synchronize(); what it says goes only to QGIS's message log: collect it."""
        from qgis.core import Qgis, QgsApplication

        errors = []
        self.offline.warning.connect(lambda title, message: errors.append("{}: {}".format(title, message)))

        def logged(message, tag, level):
            if level >= Qgis.Warning and len(errors) < 20:
                errors.append("{}: {}".format(tag, message[:300]))

        log = QgsApplication.messageLog()
        log.messageReceived.connect(logged)
        try:
            self.offline.synchronize()
        finally:
            log.messageReceived.disconnect(logged)
        return {"warnings": errors}

    def kept_in_package(self, table):
        """After synchronize() the offline layers are gone from the project: nothing is kept in view."""
        return {}

    def close(self):
        from qgis.core import QgsProject

        QgsProject.instance().clear()
        self.offline = None


class HerneFieldSync:
    """Ours: core.field.package.make_package and core.field.sync.run_sync."""

    name = "hernetwin"

    def __init__(self, backend_state, workdir, name=None, **options):
        self.state, self.workdir = backend_state, workdir
        self.name = name or self.name
        self.options = options  # extra make_package arguments (a variant of ours)
        self.package_dir = self.gpkg = None
        self.layers, self.tables = {}, {}

    @staticmethod
    def available():
        try:
            from herne_twin_plugin.core.field import package, sync  # noqa: F401
        except ImportError as error:
            return str(error)
        return ""

    def package(self, tag):
        from qgis.core import QgsProject, QgsRectangle, QgsVectorLayer

        from herne_twin_plugin.core.field.package import area_from_extent, make_package

        project = QgsProject.instance()
        project.clear()
        online = [wfs_layer(self.state, table) for table in LAYERS]
        project.addMapLayers(online)
        extent = QgsRectangle(online[0].extent())
        extent.combineExtentWith(online[1].extent())
        extent.grow(100.0)  # the whole city, as QgsOfflineEditing takes it
        folder = tempfile.mkdtemp(prefix="ours-{}-".format(tag), dir=self.workdir)
        feedback, marks = _phase_feedback()
        started = time.perf_counter()
        result = make_package(online, area_from_extent(extent, online[0].crs()), output_dir=folder, name="field",
                              key_columns=dict(LAYERS), inspection_target=None, feedback=feedback, **self.options)
        total = time.perf_counter() - started
        # make_package reports 0-5 % for the pre-check and 5-60 % for copying the layers
        checked, copied = marks.get(5.0, total), marks.get(60.0, total)
        phases = {"precheck": round(checked, 2), "copy": round(copied - checked, 2), "rest": round(total - copied, 2)}
        self.package_dir, self.gpkg = result.package_dir, result.gpkg_path
        tables = {entry.source_name: entry.table_name for entry in result.manifest.layers if entry.synced}
        self.tables = {table: tables.get(table, table) for table in LAYERS}
        self.layers = {table: QgsVectorLayer("{}|layername={}".format(self.gpkg, self.tables[table]), table, "ogr")
                       for table in LAYERS}
        counts = {table: layer.featureCount() for table, layer in self.layers.items()}
        return {"features": counts, "bytes": _folder_bytes(self.package_dir), "phases": phases}

    def edit(self, edits):
        apply_edits(self.layers, edits)

    def sync(self):
        from herne_twin_plugin.core.field.sync import run_sync

        report = run_sync(self.package_dir)
        return {"counts": {name: count for name, count in report.counts.items() if count},
                "stopped": report.stopped, "pending": report.pending, "open_conflicts": report.open_conflicts,
                "messages": report.messages[:10]}

    def kept_in_package(self, table):
        """{key: current package values} of features kept as open conflicts or pending changes."""
        from herne_twin_plugin.core.field import journal
        from herne_twin_plugin.core.field.sync import open_conflicts

        package_table = self.tables[table]
        keys = {conflict.key for conflict in open_conflicts(self.package_dir) if conflict.table == package_table}
        keys |= {change.feature_key for change in journal.pending_changes(self.gpkg)
                 if change.table_name == package_table}
        kept = {}
        layer = self.layers[table]
        for feature in layer.getFeatures():
            if feature[LAYERS[table]] in keys:
                kept[feature[LAYERS[table]]] = {name: _plain_qgis(feature[name]) for name in feature.fields().names()}
        for key in keys - set(kept):
            kept[key] = None  # kept as a delete (or a conflict over a delete)
        return kept

    def conflicts(self):
        from herne_twin_plugin.core.field.sync import open_conflicts

        names = {package_table: table for table, package_table in self.tables.items()}
        return [(names.get(conflict.table, conflict.table), conflict.key)
                for conflict in open_conflicts(self.package_dir)]

    def close(self):
        from qgis.core import QgsProject

        QgsProject.instance().clear()
        self.layers = {}


def _phase_feedback():
    """A QgsFeedback and {progress mark: seconds since its creation} when progress first reaches 5 and 60 %."""
    from qgis.core import QgsFeedback

    feedback, marks, started = QgsFeedback(), {}, time.perf_counter()

    def seen(progress):
        for mark in (5.0, 60.0):
            if progress >= mark and mark not in marks:
                marks[mark] = time.perf_counter() - started

    feedback.progressChanged.connect(seen)
    return feedback, marks


def make_package_function():
    from herne_twin_plugin.core.field.package import make_package

    return make_package


def _plain_qgis(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if hasattr(value, "toString") and not isinstance(value, str):
        return value.toString("yyyy-MM-dd")
    return _plain(value)


def _folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(base, name)) for base, _dirs, names in os.walk(folder) for name in names)


# --- cases -------------------------------------------------------------------------------------------------------

def package_case(tools, server, runs, state):
    result = {"server": _server_setup(state)}
    for tool in tools:
        times, details, cpu, server_cpu = [], None, [], []
        for run in range(runs):
            server.restore(LAYERS)
            cpu_before, server_before = _own_cpu(), _server_cpu(state)
            seconds, details = timed(lambda tool=tool, run=run: tool.package("package-{}".format(run)))
            times.append(round(seconds, 2))
            cpu.append(round(_own_cpu() - cpu_before, 2))
            server_cpu.append(round(_server_cpu(state) - server_before, 2) if server_before is not None else None)
            tool.close()
        best = times.index(min(times))
        result[tool.name] = {"seconds": min(times), "runs": times, "cpu_seconds": cpu[best],
                             "server_cpu_seconds": server_cpu[best], **details}
        _log("package {}: {:.1f} s, CPU {:.1f} s here, {} s in the server ({}{})".format(
            tool.name, min(times), cpu[best], server_cpu[best], details["features"], "; phases {}".format(
                details["phases"]) if "phases" in details else ""))
    return result


def _own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_group(state):
    """Pids of the QGIS Server processes (the group the backend's recorded qgis_server pid leads)."""
    leader = (state.get("processes") or {}).get("qgis_server", {}).get("pid")
    found = []
    if not leader:
        return found
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/{}/stat".format(name), encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader:  # the process group
            found.append(int(name))
    return found


def _server_cpu(state):
    """CPU seconds the QGIS Server processes have used so far (None where they cannot be read)."""
    ticks, pids = 0, _server_group(state)
    for pid in pids:
        try:
            with open("/proc/{}/stat".format(pid), encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK") if pids else None


def _server_setup(state):
    from herne_twin_plugin.core.field.transports import wfst

    mapservers = 0
    for pid in _server_group(state):
        try:
            with open("/proc/{}/cmdline".format(pid), "rb") as cmdline:
                mapservers += b"qgis_mapserver" in cmdline.read().split(b"\0")[0]
        except OSError:
            pass
    return {"qgis_mapserver_processes": mapservers, "ours_requests_in_flight_per_server": wfst.CONNECTIONS}


def sync_case(tools, server, count, seed):
    server.restore(LAYERS)  # the edits are made against the snapshot, not what the last case left
    edits = make_edits(server, count, seed)
    kinds = {}
    for edit in edits:
        kinds[edit.kind] = kinds.get(edit.kind, 0) + 1
    result = {"edits": len(edits), "kinds": kinds}
    for tool in tools:
        server.restore(LAYERS)
        tool.package("sync-{}".format(count))
        tool.edit(edits)
        seconds, details = timed(tool.sync)
        check = check_server(server, edits)
        tool.close()
        result[tool.name] = {"seconds": round(seconds, 2), "sync": details, "check": check}
        _log("sync {} edits with {}: {:.1f} s; server as expected: {} (missing {}, wrong {}, duplicated {}, "
             "unexpected {})".format(count, tool.name, seconds, check["server_as_expected"], check["missing"],
                                     check["wrong_values"], check["duplicated"], check["unexpected"]))
    return result


def office_plan(edits, seed, server):
    """The office user's edits against ``edits``: (table, key, field or None for a delete, value, group)."""
    rng = random.Random(seed + 1)
    updates = [edit for edit in edits if edit.kind == "update" and edit.table == "street_lights"]
    deletes = [edit for edit in edits if edit.kind == "delete" and edit.table == "street_lights"]
    rng.shuffle(updates)
    plan = []
    same, other, gone = updates[:100], updates[100:200], updates[200:210]
    current = server.rows("street_lights", "light_uuid", [edit.key for edit in updates[:210]] +
                          [edit.key for edit in deletes[:10]])
    for edit in same:
        name = rng.choice(sorted(edit.values))
        value = EDITABLE_FIELDS["street_lights"][name](rng, edit.values[name])
        while value == current[edit.key][0][0].get(name):
            value = EDITABLE_FIELDS["street_lights"][name](rng, edit.values[name])
        plan.append(("street_lights", edit.key, name, value, "same_field"))
    for edit in other:
        name = rng.choice(sorted(set(EDITABLE_FIELDS["street_lights"]) - set(edit.values)))
        plan.append(("street_lights", edit.key, name, EDITABLE_FIELDS["street_lights"][name](
            rng, current[edit.key][0][0].get(name)), "other_field"))
    for edit in gone:
        plan.append(("street_lights", edit.key, None, None, "office_delete_vs_offline_edit"))
    for edit in deletes[:10]:
        name = "lamp_type"
        plan.append(("street_lights", edit.key, name, EDITABLE_FIELDS["street_lights"][name](
            rng, current[edit.key][0][0].get(name)), "office_edit_vs_offline_delete"))
    touched = {edit.key for edit in edits}
    untouched = [key for key in server.keys("street_lights", "light_uuid") if key not in touched]
    for key in rng.sample(untouched, 100):
        plan.append(("street_lights", key, "wattage_w", rng.randrange(300, 400), "untouched_feature"))
    return plan


def concurrent_case(tools, server, count, seed):
    server.restore(LAYERS)
    edits = [edit for edit in make_edits(server, count, seed) if edit.kind in ("update", "delete")]
    result = {"offline_edits": len(edits)}
    for tool in tools:
        server.restore(LAYERS)
        tool.package("concurrent")
        tool.edit(edits)
        plan = office_plan(edits, seed, server)
        for table, key, name, value, _group in plan:
            if name is None:
                server.office_delete(table, LAYERS[table], key)
            else:
                server.office_update(table, LAYERS[table], key, name, value)
        seconds, details = timed(tool.sync)
        counted = count_losses(tool, server, edits, plan)
        counted.update(seconds=round(seconds, 2), sync=details)
        result[tool.name] = counted
        result["office_edits"] = len(plan)
        result["office_groups"] = _groups(plan)
        tool.close()
        _log("concurrent, {}: office edits overwritten {}, offline edits lost {}, conflicts shown {} of {}".format(
            tool.name, counted["office_edits_overwritten"], counted["offline_edits_lost"],
            counted.get("conflicts_shown", "-"), counted["overlaps"]))
    return result


def _groups(plan):
    groups = {}
    for *_rest, group in plan:
        groups[group] = groups.get(group, 0) + 1
    return groups


def count_losses(tool, server, edits, plan):
    """Office edits overwritten and offline edits lost (per feature and field), and for ours the
    conflicts shown for the overlapping features."""
    table, key = "street_lights", "light_uuid"
    light_edits = [edit for edit in edits if edit.table == table]
    keys = {edit.key for edit in light_edits} | {entry[1] for entry in plan}
    now = server.rows(table, key, keys)
    kept = tool.kept_in_package(table)
    office_by_key = {}
    for _table, feature_key, name, value, group in plan:
        office_by_key.setdefault(feature_key, []).append((name, value, group))
    overwritten, lost, lost_examples, overwritten_examples = 0, 0, [], []
    for feature_key, office in office_by_key.items():
        rows = now.get(feature_key, [])
        for name, value, group in office:
            if name is None:
                survived = not rows  # the office deleted it: it must stay deleted (or be decided)
            else:
                survived = bool(rows) and _same_value(rows[0][0].get(name), _plain(value))
            if not survived:
                overwritten += 1
                if len(overwritten_examples) < 5:
                    overwritten_examples.append("{} {}: office {} = {!r} overwritten".format(
                        group, feature_key, name or "delete", value))
    for edit in light_edits:
        rows = now.get(edit.key, [])
        in_package = kept.get(edit.key, "absent") if edit.key in kept else "absent"
        if edit.kind == "delete":
            if rows and not (edit.key in kept and in_package is None):
                lost += 1
                if len(lost_examples) < 5:
                    lost_examples.append("{}: offline delete lost".format(edit.key))
            continue
        for name, value in edit.values.items():
            on_server = bool(rows) and _same_value(rows[0][0].get(name), value)
            kept_here = isinstance(in_package, dict) and _same_value(in_package.get(name), value)
            if not on_server and not kept_here:
                lost += 1
                if len(lost_examples) < 5:
                    lost_examples.append("{}: offline {} = {!r} neither on the server nor kept".format(
                        edit.key, name, value))
    overlap_keys = {feature_key for _t, feature_key, _n, _v, group in plan
                    if group in ("same_field", "office_delete_vs_offline_edit", "office_edit_vs_offline_delete")}
    # An edit written onto another feature than the one edited (the tool lost track of which is which).
    strays = 0
    for stray_table, stray_key in LAYERS.items():
        known = {edit.key for edit in edits if edit.table == stray_table}
        known |= {entry[1] for entry in plan if entry[0] == stray_table}
        strays += len(server.changed_keys(stray_table, stray_key) - known)
    counted = {"office_edits_overwritten": overwritten, "offline_edits_lost": lost, "overlaps": len(overlap_keys),
               "features_changed_nobody_edited": strays, "examples": overwritten_examples + lost_examples}
    if hasattr(tool, "conflicts"):
        shown = {feature_key for conflict_table, feature_key in tool.conflicts() if conflict_table == table}
        counted["conflicts_shown"] = len(shown & overlap_keys)
        counted["conflicts_without_overlap"] = len(shown - overlap_keys)
    return counted


# --- the run ------------------------------------------------------------------------------------------------------

def start_qgis():
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    return app


def verdicts(results):
    lines, targets = [], {}

    def ratio(case, label):
        entry = results.get(case) or {}
        theirs, ours = entry.get(QgisOfflineEditing.name), entry.get(HerneFieldSync.name)
        if not theirs or not ours or "seconds" not in ours:
            targets[label] = {"met": None, "why": "ours not measured"}
            lines.append("{:34} not measured for ours".format(label))
            return
        value = theirs["seconds"] / max(ours["seconds"], 1e-9)
        correct = ours.get("check", {}).get("server_as_expected", True)
        met = value >= TARGET_RATIO and correct
        targets[label] = {"ratio": round(value, 2), "target": TARGET_RATIO, "met": met, "server_as_expected": correct}
        lines.append("{:34} QGIS {:7.1f} s  ours {:7.1f} s  ratio {:5.2f}x  target {:.0f}x: {}".format(
            label, theirs["seconds"], ours["seconds"], value, TARGET_RATIO,
            "MET" if met else "NOT MET" + ("" if correct else " (server not as expected)")))

    ratio("package", "package (lights + buildings)")
    package = results.get("package") or {}
    theirs, ours = package.get(QgisOfflineEditing.name), package.get(HerneFieldSync.name)
    if theirs and ours and "cpu_seconds" in ours and "cpu_seconds" in theirs:
        lines.append("{:34} CPU in this process: QGIS {:.1f} s, ours {:.1f} s ({:.2f}x); in QGIS Server ({} "
                     "qgis_mapserver): {} s, {} s; load {}".format(
                         "", theirs["cpu_seconds"], ours["cpu_seconds"],
                         theirs["cpu_seconds"] / max(ours["cpu_seconds"], 1e-9),
                         package.get("server", {}).get("qgis_mapserver_processes", "?"), theirs["server_cpu_seconds"],
                         ours["server_cpu_seconds"], package.get("load", "?")))
    for case in sorted(name for name in results if name.startswith("sync_")):
        ratio(case, "sync {} edits".format(case.split("_")[1]))
    concurrent = results.get("concurrent")
    if concurrent:
        ours = concurrent.get(HerneFieldSync.name)
        theirs = concurrent.get(QgisOfflineEditing.name)
        if theirs:
            lines.append("{:34} QGIS: {} office edits overwritten, {} offline edits lost, {} features changed "
                         "that nobody edited".format("concurrent office edits", theirs["office_edits_overwritten"],
                                                     theirs["offline_edits_lost"],
                                                     theirs.get("features_changed_nobody_edited")))
        if ours:
            met = (ours["office_edits_overwritten"] == 0 and ours["offline_edits_lost"] == 0
                   and ours.get("conflicts_shown") == ours["overlaps"]
                   and not ours.get("features_changed_nobody_edited"))
            targets["nothing lost"] = {"met": met}
            lines.append("{:34} ours: {} overwritten, {} lost, {} of {} overlaps shown as conflicts: {}".format(
                "", ours["office_edits_overwritten"], ours["offline_edits_lost"], ours.get("conflicts_shown"),
                ours["overlaps"], "MET" if met else "NOT MET"))
        else:
            targets["nothing lost"] = {"met": None, "why": "ours not measured"}
    return lines, targets


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "build", "bench", "sample-full"))
    parser.add_argument("--attach", help="backend dir of a running city backend (on the full data) to use")
    parser.add_argument("--edits", default="1000,10000", help="edit counts for the sync timings")
    parser.add_argument("--concurrent", type=int, default=1000, help="offline edits in the concurrent case (0: skip)")
    parser.add_argument("--runs", type=int, default=1, help="packaging runs per tool (best counts)")
    parser.add_argument("--tools", default="qgis,ours", help="qgis, ours or both")
    parser.add_argument("--skip-package", action="store_true")
    parser.add_argument("--read-once", action="store_true",
                        help="also package with make_package(check_features=False): the server read once")
    parser.add_argument("--seed", type=int, default=2601)
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--update", action="store_true",
                        help="keep the other cases of an earlier --out file (each case compares both tools in its run)")
    args = parser.parse_args(argv)

    import city_backend

    app = start_qgis()  # noqa: F841 (kept alive for the run)
    workdir = tempfile.mkdtemp(prefix="herne-field-bench-")
    backend = None
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "load_before": os.getloadavg()[0]},
               "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    try:
        if args.attach:
            backend = city_backend.CityBackend.attach(args.attach)
        else:
            from herne_twin_plugin.core.sample_city import generate

            if not os.path.isfile(os.path.join(args.data, "herne_sample.gpkg")):
                _log("generating the full-size sample city in {} (about 40 s) ...".format(args.data))
                generate(args.data, scale="full")
            backend_dir = os.path.join(workdir, "backend")
            os.chmod(workdir, 0o755)  # the postgres system user enters it
            _log("starting the city backend on {} ...".format(args.data))
            backend = city_backend.CityBackend(args.data, backend_dir).start()
        state = backend.state
        server = Server(backend.pg_dsn())
        server.snapshot(LAYERS)
        tools, variants = [], []
        wanted = args.tools.split(",")
        if "qgis" in wanted:
            tools.append(QgisOfflineEditing(state, workdir))
        if "ours" in wanted:
            missing = HerneFieldSync.available()
            if missing:
                _log("ours is not available yet: {}".format(missing))
                results["ours_missing"] = missing
            else:
                tools.append(HerneFieldSync(state, workdir))
                if args.read_once and "check_features" in inspect.signature(make_package_function()).parameters:
                    variants.append(HerneFieldSync(state, workdir, name="hernetwin, server read once",
                                                   check_features=False))
        results["layers"] = {table: len(server.keys(table, key)) for table, key in LAYERS.items()}
        cases = [] if args.skip_package else [("package", lambda: package_case(tools + variants, server, args.runs,
                                                                             state))]
        for count in [int(text) for text in args.edits.split(",") if text.strip()]:
            cases.append(("sync_{}".format(count), lambda count=count: sync_case(tools, server, count, args.seed)))
        if args.concurrent:
            cases.append(("concurrent", lambda: concurrent_case(tools, server, args.concurrent, args.seed)))
        for name, run in cases:
            try:
                results[name] = run()
                results[name]["measured_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
                    timespec="seconds")
                results[name]["load"] = os.getloadavg()[0]
            except Exception as error:  # one failing case must not hide the others' figures
                traceback.print_exc()
                results[name] = {"error": "{}: {}".format(type(error).__name__, error)}
                for tool in tools:
                    tool.close()
        server.restore(LAYERS)
        server.drop_snapshot()
        server.close()
    finally:
        if backend is not None and not args.attach:
            backend.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if args.update and os.path.isfile(args.out):
        with open(args.out, encoding="utf-8") as earlier:
            kept = json.load(earlier)
        # a case that failed now does not replace its earlier figures
        kept.update({name: value for name, value in results.items()
                     if name != "targets" and not (isinstance(value, dict) and "error" in value and name in kept)})
        results = kept
    lines, targets = verdicts(results)
    results["targets"] = targets
    results["machine"]["load_after"] = os.getloadavg()[0]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(results, out, indent=1, ensure_ascii=False, default=str)
    print("\n".join(["", "field packages and sync vs QgsOfflineEditing ({} street lights, {} buildings)".format(
        *results.get("layers", {}).values())] + lines))
    print("written: {}".format(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
