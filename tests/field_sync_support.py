"""Test support for the field sync: a small package and an in-process server behind the transport interface.

``FakeCity`` holds one dict-backed layer per table (``FakeLayer``) and gives the sync a
``transport_factory``. Faults can be injected per call (500, 412, a time-out after the
server applied the write, a reset before it did), and ``Crash`` (a BaseException, as a
killed process: nothing catches it) can be raised at the n-th event, counting every
transport call and every checkpoint of the sync (which sit before and after each local
transaction commits).
"""

import os

from osgeo import ogr, osr

from herne_twin_plugin.core.field import journal, manifest
from herne_twin_plugin.core.field import sync as sync_module
from herne_twin_plugin.core.field.transports import base as tb

AREA_WKT = "POLYGON((386000 5710000, 388000 5710000, 388000 5712000, 386000 5712000, 386000 5710000))"
LIGHT_FIELDS = (("light_uuid", "str"), ("street", "str"), ("lamp_type", "str"), ("wattage_w", "int"),
                ("last_inspection", "date"))
INSPECTION_FIELDS = (("inspection_uuid", "str"), ("asset_key", "str"), ("condition", "int"), ("notes", "str"),
                     ("inspected_at", "datetime"), ("photos", "str"))
_OGR_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger, "real": ogr.OFTReal, "date": ogr.OFTDate,
              "datetime": ogr.OFTDateTime}


def light_key(number):
    return "a0000000-0000-4000-8000-{:012d}".format(number)


def point_hex(x, y):
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(x, y)
    return point.ExportToWkb(ogr.wkbNDR).hex().upper()


def initial_lights(count=8):
    """{key: (values, (x, y))}: the street lights at packaging time, all inside AREA_WKT."""
    lights = {}
    for number in range(1, count + 1):
        key = light_key(number)
        lights[key] = ({"light_uuid": key, "street": "Bahnhofstraße", "lamp_type": "HQL", "wattage_w": 125,
                        "last_inspection": "2025-03-0{}".format(1 + number % 9)},
                       (387000.0 + 10 * number, 5711000.0 + 5 * number))
    return lights


class Crash(BaseException):
    """A simulated kill: not an Exception, so nothing in the sync handles it."""


class CrashCounter:
    """Counts events (transport calls, sync checkpoints) and raises Crash at the n-th."""

    def __init__(self, crash_at=None):
        self.crash_at = crash_at
        self.count = 0
        self.events = []

    def tick(self, name):
        self.count += 1
        self.events.append(name)
        if self.crash_at is not None and self.count == self.crash_at:
            raise Crash("crash at event {} ({})".format(self.count, name))

    def install(self):
        sync_module.checkpoint_hook = lambda name, number: self.tick("checkpoint " + name)
        return self

    @staticmethod
    def uninstall():
        sync_module.checkpoint_hook = None


class FakeLayer:
    """A server layer: features by key with a version (ETag) each."""

    def __init__(self, fields, key_column, etags=True):
        self.fields = list(fields)
        self.key_column = key_column
        self.etags = etags
        self.features = {}  # key -> {"values", "geometry", "version"}
        self.calls = []
        self.faults = {}  # (method, n-th call of that method) -> fault
        self.method_calls = {}
        self.counter = None
        self.insert_count = 0

    def put(self, values, xy=None, geometry=None):
        key = str(values[self.key_column])
        previous = self.features.get(key)
        self.features[key] = {
            "values": dict(values), "geometry": geometry or (point_hex(*xy) if xy else None),
            "version": (previous["version"] + 1) if previous else 1,
        }
        return key

    def office_edit(self, key, geometry=None, **values):
        feature = self.features[key]
        feature["values"].update(values)
        if geometry is not None:
            feature["geometry"] = geometry
        feature["version"] += 1

    def state(self):
        return {key: (dict(f["values"]), f["geometry"]) for key, f in self.features.items()}

    def fault(self, method, nth, kind):
        """``kind``: '500', '412', 'timeout_after' (applied, then no answer), 'reset_before',
        'rejected', 'schema'."""
        self.faults[(method, nth)] = kind


class FakeTransport(tb.FieldTransport):
    def __init__(self, server, layer, feedback=None):
        super().__init__(layer, feedback, 1.0)
        self.server = server

    def _call(self, method, key=""):
        server = self.server
        server.calls.append((method, key))
        server.method_calls[method] = server.method_calls.get(method, 0) + 1
        if server.counter is not None:
            server.counter.tick("{} {}".format(method, key))
        return server.faults.pop((method, server.method_calls[method]), None)

    @staticmethod
    def _raise_before(fault):
        if fault == "500":
            raise tb.TransportError(tb.SERVER_ERROR, "HTTP 500 Internal Server Error", 500)
        if fault == "412":
            raise tb.TransportError(tb.PRECONDITION_FAILED, "HTTP 412 Precondition Failed", 412)
        if fault == "reset_before":
            raise tb.TransportError(tb.NETWORK, "connection reset", outcome_unknown=True)
        if fault == "rejected":
            raise tb.TransportError(tb.REJECTED, "HTTP 400", 400, server_message="wattage_w must be positive")
        if fault == "schema":
            raise tb.TransportError(tb.SCHEMA_CHANGED, "the server's fields changed")

    @staticmethod
    def _raise_after(fault):
        if fault == "timeout_after":
            raise tb.TransportError(tb.TIMEOUT, "no answer within 1 s", outcome_unknown=True)

    def _feature(self, key):
        stored = self.server.features[key]
        types = dict(self.server.fields)
        values = {name: tb.normalise_value(stored["values"].get(name), kind) for name, kind in types.items()
                  if name in types}
        extra = {name: value for name, value in stored["values"].items() if name not in types}
        return tb.ServerFeature(key=key, values=values, geometry=stored["geometry"], server_id=key,
                                version=str(stored["version"]) if self.server.etags else "", extra=extra)

    def server_fields(self):
        self._raise_before(self._call("server_fields"))
        return list(self.server.fields)

    def features_in_area(self, area_wkt, filter_expression=""):
        self._raise_before(self._call("features_in_area"))
        area = ogr.CreateGeometryFromWkt(area_wkt)
        found = []
        for key, stored in sorted(self.server.features.items()):
            geometry = ogr.CreateGeometryFromWkb(bytes.fromhex(stored["geometry"]))
            if geometry.Intersects(area):
                found.append(self._feature(key))
        return iter(found)

    def features_by_key(self, keys):
        keys = list(keys)
        self._raise_before(self._call("features_by_key", ",".join(keys)))
        return {key: self._feature(key) for key in keys if key in self.server.features}

    def insert(self, values, geometry):
        key = str(values[self.server.key_column])
        fault = self._call("insert", key)
        self._raise_before(fault)
        self._check_types(values)
        if key in self.server.features:
            raise tb.TransportError(tb.REJECTED, "duplicate key", 409, server_message="duplicate key " + key)
        self.server.put(values, geometry=geometry)
        self.server.insert_count += 1
        self._raise_after(fault)
        return self._feature(key)

    def _check_types(self, values):
        types = dict(self.server.fields)
        for name, value in values.items():
            try:
                tb.normalise_value(value, types.get(name, "str"))
            except ValueError:
                raise tb.TransportError(tb.REJECTED, "HTTP 400", 400, server_message="{}: not a {}".format(
                    name, types.get(name))) from None

    def update(self, current, values, geometry=None):
        fault = self._call("update", current.key)
        self._raise_before(fault)
        self._check_types(values)
        stored = self.server.features.get(current.key)
        if stored is None:
            raise tb.TransportError(tb.NOT_FOUND, "HTTP 404", 404)
        if self.server.etags and current.version and current.version != str(stored["version"]):
            raise tb.TransportError(tb.PRECONDITION_FAILED, "HTTP 412 Precondition Failed", 412)
        self.server.office_edit(current.key, geometry=geometry, **values)
        self._raise_after(fault)
        return self._feature(current.key)

    def delete(self, current):
        fault = self._call("delete", current.key)
        self._raise_before(fault)
        stored = self.server.features.get(current.key)
        if stored is None:
            raise tb.TransportError(tb.NOT_FOUND, "HTTP 404", 404)
        if self.server.etags and current.version and current.version != str(stored["version"]):
            raise tb.TransportError(tb.PRECONDITION_FAILED, "HTTP 412 Precondition Failed", 412)
        del self.server.features[current.key]
        self._raise_after(fault)


class BatchingTransport(FakeTransport):
    """A transport that sends a whole batch in one request (as a WFS Transaction would).

    ``server.batch_fault``: None, 'timeout_after' (all applied, then no answer) or an int k
    (only the first k operations answered; the rest not attempted)."""

    def write_batch(self, operations):
        self.server.calls.append(("write_batch", len(operations)))
        fault = getattr(self.server, "batch_fault", None)
        self.server.batch_fault = None
        if isinstance(fault, int):
            operations = operations[:fault]
        counter, self.server.counter = self.server.counter, None  # one request, one event
        try:
            results = super().write_batch(operations)
        finally:
            self.server.counter = counter
        if fault == "timeout_after":
            raise tb.TransportError(tb.TIMEOUT, "no answer to the transaction", outcome_unknown=True)
        return results


class FakeCity:
    """The servers of a package's layers; ``factory`` is the sync's transport_factory."""

    def __init__(self, etags=True, lights=None):
        self.lights = FakeLayer(LIGHT_FIELDS, "light_uuid", etags)
        self.inspections = FakeLayer(INSPECTION_FIELDS, "inspection_uuid", etags)
        for values, xy in (lights or initial_lights()).values():
            self.lights.put(values, xy)

    def layer(self, table):
        return {"street_lights": self.lights, "inspections": self.inspections}[table]

    batching = False  # True: transports that write a batch in one request

    def factory(self, layer, feedback=None):
        kind = BatchingTransport if self.batching else FakeTransport
        return kind(self.layer(layer.table_name), layer, feedback)

    def set_counter(self, counter):
        self.lights.counter = self.inspections.counter = counter

    def state(self):
        return {"street_lights": self.lights.state(), "inspections": self.inspections.state()}


def make_package(folder, lights=None, name="pkg_mitte"):
    """A field package folder as the packaging writes it: layers, manifest, journal installed."""
    directory = os.path.join(str(folder), name)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name + ".gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    for table, fields, rows in (("street_lights", LIGHT_FIELDS, (lights or initial_lights()).values()),
                                ("inspections", INSPECTION_FIELDS, ())):
        layer = source.CreateLayer(table, srs, ogr.wkbPoint, ["FID=fid", "GEOMETRY_NAME=geom"])
        for field_name, kind in fields:
            layer.CreateField(ogr.FieldDefn(field_name, _OGR_TYPES[kind]))
        for values, (x, y) in rows:
            feature = ogr.Feature(layer.GetLayerDefn())
            for field_name, value in values.items():
                feature.SetField(field_name, value)
            feature.SetGeometry(ogr.CreateGeometryFromWkb(bytes.fromhex(point_hex(x, y))))
            layer.CreateFeature(feature)
    source = None
    package_manifest = manifest.PackageManifest(
        package_id="test-package", title="Herne-Mitte", area_wkt=AREA_WKT,
        layers=[
            manifest.PackageLayer("street_lights", manifest.ROLE_ASSET, manifest.SOURCE_WFS,
                                  "http://127.0.0.1:1/wfs", "street_lights", "2.0.0", "", "light_uuid", "Point",
                                  fields=LIGHT_FIELDS, writable=True, title="Straßenbeleuchtung"),
            manifest.PackageLayer("inspections", manifest.ROLE_INSPECTION, manifest.SOURCE_OAPIF,
                                  "http://127.0.0.1:1/ogcapi", "inspections", "", "", "inspection_uuid", "Point",
                                  fields=INSPECTION_FIELDS, writable=True, title="Inspektionen"),
        ],
    )
    with journal.write_transaction(path) as connection:
        manifest.write(connection, package_manifest)
    journal.install(path, "street_lights", "light_uuid")
    journal.install(path, "inspections", "inspection_uuid")
    return directory


def gpkg_of(directory):
    return os.path.join(directory, os.path.basename(directory) + ".gpkg")


def edit_gpkg(gpkg, sql, *params):
    """An offline edit of a package GeoPackage, as QGIS or QField would make it (journaled by the triggers)."""
    with journal.write_transaction(gpkg) as connection:
        connection.execute(sql, params)


def edit(directory, sql, *params):
    """An offline edit of the package in ``directory``."""
    edit_gpkg(gpkg_of(directory), sql, *params)


def geometry_blob_sql(x, y):
    """SQL for a GeoPackage point blob (srs 25832, no envelope) at x, y."""
    return "X'47500001E8640000{}'".format(point_hex(x, y))


def package_rows(directory, table):
    """{key: (synced values, geometry WKB hex)} of a package layer."""
    connection = journal.connect(gpkg_of(directory))
    try:
        fields = dict(LIGHT_FIELDS if table == "street_lights" else INSPECTION_FIELDS)
        key_column = "light_uuid" if table == "street_lights" else "inspection_uuid"
        rows = {}
        for row in connection.execute(
                "SELECT {}, {} AS g FROM {}".format(", ".join(fields), journal._wkb_hex_sql("geom"), table)):
            values = {name: tb.normalise_value(row[name], kind) for name, kind in fields.items()}
            rows[row[key_column]] = (values, row["g"])
        return rows
    finally:
        connection.close()
