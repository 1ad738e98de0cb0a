"""The city-model GeoPackage, written one tile per transaction.

A tile is written completely or not at all: ``begin_tile`` opens a transaction,
``commit_tile`` replaces the rows the tile had from an earlier import (and rows
of the same buildings from elsewhere: update in place by building_id) and
records the tile in ``import_tiles``; ``rollback_tile`` drops everything of the
tile (after an error or a cancel). ``import_tiles`` therefore only ever lists
complete tiles.

GDAL/OGR creates the layers (tables, spatial index, metadata), so the file is a
GeoPackage as GDAL and QGIS write it. The rows go in through sqlite3, prepared
as tuples with their GeoPackage geometry blobs by ``tile_rows`` (in this process
or in a parse worker): writing feature by feature through OGR's Python bindings
took more than half the import time. The file is synced to disk once, when it is
closed, not at every tile (see ``CityModelGeoPackage``). During a tile's
transaction the per-row insert triggers of the spatial index and of the feature
count are set aside and their work is done in bulk (the tile's part of the
spatial index is packed in one go, see ``spatial_index``); they are back before
the commit, and a rollback restores them with the rest.
"""

import datetime
import itertools
import logging
import os
import sqlite3
import struct
import threading

import numpy
from osgeo import gdal, ogr, osr

from ..i18n import tr
from . import layers, spatial_index
from .errors import CityModelError
from .srs import HORIZONTAL_CODE
from .tile_rows import geometry_blob  # noqa: F401 (part of this module's interface)

LOG = logging.getLogger(__name__)

_FIELD_TYPES = {
    layers.STRING: ogr.OFTString, layers.REAL: ogr.OFTReal, layers.INTEGER: ogr.OFTInteger,
    layers.BOOLEAN: ogr.OFTInteger, layers.DATE: ogr.OFTDate, layers.DATETIME: ogr.OFTDateTime,
}
_GEOMETRY_TYPES = {"MultiPolygonZ": ogr.wkbMultiPolygon25D, "MultiPolygon": ogr.wkbMultiPolygon, None: ogr.wkbNone}
_FLUSH_ROWS = 4096
_ROWS_PER_INSERT = 50  # rows in one INSERT statement (see _Table._insert)
_MAX_VARIABLES = 999  # SQLite's least limit of parameters to a statement (before 3.32)
PAGE_SIZE = 16384  # bytes per page of a new GeoPackage (see _new_geopackage)
EARLY_SYNC_BYTES = 4 << 20  # growth of the file between syncs during an import (see _EarlySync)
_PACK_AT_MOST = 1 << 16  # boxes kept for the spatial index (3 MB); a dense NRW tile has about 30,000

_HEADER_START = struct.Struct("<2sBBi")


def _envelope_value(index):
    """SQL function reading one envelope value from a GeoPackage blob (for GDAL's spatial index triggers)."""

    def value(blob):
        if blob is None or len(blob) < 8:
            return None
        _magic, _version, flags, _srs = _HEADER_START.unpack_from(blob)
        if not (flags >> 1) & 7 or len(blob) < 8 + 8 * (index + 1):
            return None
        return struct.unpack_from("<d", blob, 8 + 8 * index)[0]

    return value


def _is_empty(blob):
    if blob is None or len(blob) < 8:
        return None
    return 1 if blob[3] & 0x10 else 0


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _write_error(step, error):
    return CityModelError(tr("Writing the GeoPackage failed ({step}): {error}").format(step=step, error=error))


class _Table:
    """One layer: its insert statement, buffered rows, next fid and the triggers set aside per tile."""

    def __init__(self, db, spec):
        self.db = db
        self.spec = spec
        self.name = spec.name
        self.geometry_column = None
        self.srs_id = 0
        self.rtree = None
        if spec.geometry is not None:
            row = db.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                             (spec.name,)).fetchone()
            self.geometry_column, self.srs_id = row
            rtree = "rtree_{}_{}".format(spec.name, self.geometry_column)
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
                self.rtree = rtree
        columns = ["fid"] + ([self.geometry_column] if self.geometry_column else []) + spec.field_names
        self.insert_sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
            spec.name, ", ".join('"{}"'.format(c) for c in columns), ", ".join("?" * len(columns)))
        self.width = len(columns)
        self.rows_per_insert = max(1, min(_ROWS_PER_INSERT, _MAX_VARIABLES // self.width))
        self.insert_many_sql = self.insert_sql + (", ({})".format(", ".join("?" * self.width))
                                                  * (self.rows_per_insert - 1))
        self.field_names = spec.field_names
        self.booleans = {i for i, (_n, kind) in enumerate(spec.fields) if kind == layers.BOOLEAN}
        self.rows = []
        self.boxes = []
        self.packed = None  # [(ids, boxes)] kept to go into the spatial index in one go
        self.packed_count = 0
        self.next_fid = 1
        self.first_fid = 1
        self.suspended = {}  # trigger name -> SQL, while a tile is being written
        self.extent = None

    def begin(self):
        db = self.db
        last = db.execute('SELECT MAX(fid) FROM "{}"'.format(self.name)).fetchone()[0] or 0
        self.first_fid = self.next_fid = last + 1
        self.extent = None
        names = ["trigger_insert_feature_count_" + self.name]
        if self.rtree:
            names.append(self.rtree + "_insert")
        self.suspended = {}
        for name in names:
            sql = spatial_index.set_aside_trigger(db, name)
            if sql is not None:
                self.suspended[name] = sql
        rtree_insert = "{}_insert".format(self.rtree)
        self.packed = [] if rtree_insert in self.suspended else None
        self.packed_count = 0

    def add(self, values):
        """Add a row of a table without geometry, given as {field: value}."""
        fid = self.next_fid
        self.next_fid = fid + 1
        row = [values.get(name) for name in self.field_names]
        if self.booleans:
            row = [(1 if value else 0) if index in self.booleans and value is not None else value
                   for index, value in enumerate(row)]
        self.rows.append((fid, *row))
        if len(self.rows) >= _FLUSH_ROWS:
            self.flush()

    def add_prepared(self, rows, boxes):
        """Add rows of a geometry layer given as (geometry blob, values in field order) with their boxes
        (numpy n x 4: minx, maxx, miny, maxy), see tile_rows."""
        fid = self.next_fid
        self.next_fid = fid + len(rows)
        self.rows.extend([(number, *row) for number, row in zip(range(fid, self.next_fid), rows)])
        self.boxes.append((numpy.arange(fid, self.next_fid, dtype=numpy.int64), boxes))
        if len(self.rows) >= _FLUSH_ROWS:
            self.flush()

    def flush(self):
        if self.rows:
            self._insert(self.rows)
            self.rows = []
        if self.boxes:
            ids = numpy.concatenate([ids for ids, _boxes in self.boxes])
            boxes = numpy.concatenate([boxes for _ids, boxes in self.boxes])
            self.boxes = []
            if not len(ids):
                return
            self._extend(boxes)
            if self.packed is not None:
                self.packed.append((ids, boxes))
                self.packed_count += len(ids)
                if self.packed_count >= _PACK_AT_MOST:  # a giant tile: memory stays flat, the rest row by row
                    self._pack()
            elif "{}_insert".format(self.rtree) in self.suspended:
                self._index(list(zip(ids.tolist(), *boxes.T.tolist())))

    def _insert(self, rows):
        """Insert ``rows`` (tuples in column order), ``rows_per_insert`` to a statement: SQLite then runs one
        statement for many rows, where Python's executemany prepares each row as a statement's run of its own
        (a dense tile's surfaces: about a tenth off the inserts)."""
        step = self.rows_per_insert
        whole = len(rows) - len(rows) % step if step > 1 else 0
        if whole:
            values = list(itertools.chain.from_iterable(rows[:whole]))
            size = step * self.width
            self.db.executemany(self.insert_many_sql, [values[i:i + size] for i in range(0, len(values), size)])
        if whole < len(rows):
            self.db.executemany(self.insert_sql, rows[whole:])

    def _index(self, boxes):
        self.db.executemany('INSERT INTO "{}" VALUES (?, ?, ?, ?, ?)'.format(self.rtree), boxes)

    def _pack(self, more=False):
        """Add the boxes kept so far to the spatial index in one go; later boxes of the tile go in row by row
        (``more``: are kept to be packed too)."""
        packed, self.packed = self.packed, ([] if more and self.packed is not None else None)
        self.packed_count = 0
        if not packed:
            return
        ids = numpy.concatenate([ids for ids, _boxes in packed])
        boxes = numpy.concatenate([boxes for _ids, boxes in packed])
        spatial_index.add(self.db, self.rtree, ids, boxes)

    def _extend(self, boxes):
        """Grow the tile's extent by ``boxes`` (n x 4: minx, maxx, miny, maxy): per batch, not per row."""
        minx, miny = (float(v) for v in boxes[:, 0::2].min(axis=0))
        maxx, maxy = (float(v) for v in boxes[:, 1::2].max(axis=0))
        extent = self.extent
        if extent is None:
            self.extent = [minx, maxx, miny, maxy]
        else:
            self.extent = [min(extent[0], minx), max(extent[1], maxx), min(extent[2], miny), max(extent[3], maxy)]

    def finish(self):
        """Write the buffered rows, do the suspended triggers' work in bulk and restore them."""
        db = self.db
        self.flush()
        self._pack()
        added = self.next_fid - self.first_fid
        if added and "trigger_insert_feature_count_" + self.name in self.suspended:
            db.execute("UPDATE gpkg_ogr_contents SET feature_count = feature_count + ? "
                       "WHERE lower(table_name) = lower(?)", (added, self.name))
        if self.extent is not None:
            minx, maxx, miny, maxy = self.extent
            db.execute("UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), "
                       "max_x = max(coalesce(max_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
                       "max_y = max(coalesce(max_y, ?), ?), last_change = ? WHERE table_name = ?",
                       (minx, minx, maxx, maxx, miny, miny, maxy, maxy, _now(), self.name))
        elif added:
            db.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (_now(), self.name))
        for sql in self.suspended.values():
            db.execute(sql)
        self.suspended = {}

    def discard(self):
        self.rows, self.boxes, self.suspended, self.packed = [], [], {}, None


class CityModelGeoPackage:
    """Opens (or creates) the GeoPackage at ``path`` with the layers of ``layers``.

    ``keep_parts`` adds the ``building_parts`` layer. Raises CityModelError where
    the file exists but is no GeoPackage, or holds a layer of the same name with
    another shape.
    """

    def __init__(self, path, keep_parts=False):
        self.path = os.fspath(path)
        self.keep_parts = keep_parts
        self._in_tile = False
        names = _create_layers(self.path, keep_parts)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            # No fsync per tile: the rollback journal stays on disk, so a failure, a cancel or a killed
            # process still ends in the last committed tile (SQLite rolls a hot journal back on the next
            # open). Only a crash of the whole machine could lose the order of writes; ``close`` syncs
            # the file once at the end, so a finished import is as durable as with synchronous=FULL.
            self._db.execute("PRAGMA synchronous = OFF")
            for index, function in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
                self._db.create_function(function, 1, _envelope_value(index), deterministic=True)
            self._db.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
            self._tables = {name: _Table(self._db, layers.LAYER_SPECS[name]) for name in names}
            self._early_sync = _EarlySync(self.path)
        except sqlite3.Error as error:
            raise _write_error("open", error) from None

    # -- tiles ---------------------------------------------------------------------------------

    def imported_sha256(self, tile):
        """The sha256 recorded for ``tile`` (file name) by an earlier complete import, or None."""
        row = self._db.execute('SELECT sha256 FROM "{}" WHERE tile = ?'.format(layers.TILES), (tile,)).fetchone()
        return row[0] if row else None

    def begin_tile(self):
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_tile = True
            for table in self._tables.values():
                table.begin()
        except sqlite3.Error as error:
            self.rollback_tile()
            raise _write_error("begin", error) from None

    @property
    def srs_ids(self):
        """Layer name -> srs_id of its geometry column (for tile_rows.TileRows)."""
        return {name: table.srs_id for name, table in self._tables.items() if table.geometry_column}

    def add_tile_rows(self, tile_rows):
        """Add the rows of a run of buildings (a tile_rows.TileRows) to the open tile.

        They are written at once (while parse workers read the next slices), not kept for the commit."""
        tile_rows.finish()
        for name, (rows, boxes) in tile_rows.layers.items():
            if rows:
                table = self._tables[name]
                table.add_prepared(rows, numpy.frombuffer(boxes, dtype=numpy.float64).reshape(-1, 4))
                table.flush()
        self._early_sync.nudge()

    def pack_spatial_indexes(self):
        """Pack the open tile's rows written so far into the spatial indexes now; the rest goes in at the
        commit, packed as subtrees of their own. Done once most of a big tile is written, this leaves the
        commit, which nothing else can overlap, a quarter of the work."""
        for table in self._tables.values():
            table.flush()
            table._pack(more=True)

    def add_failure(self, building_id, tile, reason):
        self._tables[layers.FAILURES].add({"building_id": building_id, "source_tile": tile, "reason": reason})

    def commit_tile(self, tile, sha256, buildings, failures):
        """Replace what the tile and its buildings had before, record the tile, commit."""
        try:
            for table in self._tables.values():
                table.flush()
            self._replace_earlier_rows(tile)
            self._db.execute('DELETE FROM "{}" WHERE tile = ?'.format(layers.TILES), (tile,))
            self._tables[layers.TILES].add({
                "tile": tile, "sha256": sha256, "buildings": buildings, "failures": failures, "imported_at": _now(),
            })
            for table in self._tables.values():
                table.finish()
            self._db.execute("COMMIT")
            self._in_tile = False
        except sqlite3.Error as error:
            self.rollback_tile()
            raise _write_error("commit", error) from None

    def _replace_earlier_rows(self, tile):
        buildings, failures = self._tables[layers.BUILDINGS], self._tables[layers.FAILURES]
        new_ids = ('SELECT building_id FROM "{b}" WHERE fid >= {nb} UNION SELECT building_id FROM "{f}" '
                   "WHERE fid >= {nf} AND building_id IS NOT NULL").format(
            b=buildings.name, nb=buildings.first_fid, f=failures.name, nf=failures.first_fid)
        for name in layers.BUILDING_ID_LAYERS:
            table = self._tables.get(name)
            if table is None or table.first_fid == 1:
                continue  # nothing from earlier imports
            self._db.execute(
                'DELETE FROM "{name}" WHERE fid < ? AND (source_tile = ? OR building_id IN ({ids}))'.format(
                    name=name, ids=new_ids), (table.first_fid, tile))

    def rollback_tile(self):
        if self._in_tile:
            self._in_tile = False
            for table in self._tables.values():
                table.discard()
            try:
                self._db.execute("ROLLBACK")  # also brings back the triggers set aside
            except sqlite3.Error as error:
                LOG.warning("Rollback of %s failed: %s", self.path, error)

    def record_tile_failure(self, tile, reason):
        """List a tile that failed as a whole (building_id NULL), in its own small transaction."""
        failures = self._tables[layers.FAILURES]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_tile = True
            failures.begin()
            self._db.execute('DELETE FROM "{}" WHERE building_id IS NULL AND source_tile = ?'.format(
                failures.name), (tile,))
            failures.add({"building_id": None, "source_tile": tile, "reason": reason})
            failures.finish()
            self._db.execute("COMMIT")
            self._in_tile = False
        except sqlite3.Error as error:
            self.rollback_tile()
            raise _write_error("failure", error) from None

    def close(self):
        if self._db is not None:
            self.rollback_tile()
            self._db.close()
            self._db = None
            self._early_sync.wait()
            _sync_file(self.path)


def new_srs_ids(path, keep_parts=False):
    """What ``CityModelGeoPackage(path, keep_parts).srs_ids`` will be where ``path`` does not exist yet (GDAL
    numbers a new GeoPackage's EPSG coordinate system by its EPSG code), else None."""
    if os.path.exists(path):
        return None
    return {spec.name: int(HORIZONTAL_CODE) for spec in layers.LAYERS
            if spec.geometry is not None and (keep_parts or spec.name != layers.BUILDING_PARTS)}


class _EarlySync:
    """Syncs the GeoPackage in a thread while the import goes on, each time it has grown by EARLY_SYNC_BYTES,
    so that the sync at the end (``close``) finds little left to write: the disk works while the import
    computes (the dense urban tile's last sync took 10 ms of its 0.5 s). It only ever syncs what is written
    already; the sync at the end stays the one that counts."""

    def __init__(self, path):
        self.path = path
        self._synced_size = self._size()
        self._thread = None

    def _size(self):
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def nudge(self):
        if self._thread is not None and self._thread.is_alive():
            return
        size = self._size()
        if size - self._synced_size >= EARLY_SYNC_BYTES:
            self._synced_size = size
            self._thread = threading.Thread(target=_sync_file, args=(self.path,), name="GeoPackage sync", daemon=True)
            self._thread.start()

    def wait(self):
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def _sync_file(path):
    """Flush the finished GeoPackage to disk (see the synchronous pragma in CityModelGeoPackage)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        LOG.warning("Could not sync %s to disk: %s", path, error)
    finally:
        os.close(descriptor)


def _create_layers(path, keep_parts):
    """Create the GeoPackage and any missing layer, field and index with GDAL; return the layer names."""
    exists = os.path.exists(path)
    try:
        if exists:
            dataset = ogr.Open(path, 1)
            if dataset is None or dataset.GetDriver().GetName() != "GPKG":
                raise CityModelError(tr("{path} exists and is not a GeoPackage.").format(path=path))
        else:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            dataset = _new_geopackage(path)
        if dataset is None:
            raise CityModelError(tr("Cannot write the GeoPackage {path}: {error}").format(
                path=path, error=gdal.GetLastErrorMsg() or "-"))
        names = []
        for spec in layers.LAYERS:
            if spec.name == layers.BUILDING_PARTS and not keep_parts and dataset.GetLayerByName(spec.name) is None:
                continue
            _create_layer(dataset, spec)
            names.append(spec.name)
        dataset = None  # GDAL writes the spatial indexes and closes the file
        return names
    except RuntimeError as error:  # GDAL with exceptions switched on
        raise CityModelError(tr("Cannot write the GeoPackage {path}: {error}").format(path=path, error=error)) from None


def _new_geopackage(path):
    """A new GeoPackage made by GDAL, with pages of PAGE_SIZE bytes (SQLite's default of 4 KB holds few
    building solids: the dense urban tile's import spent 5 % less time in all with 16 KB pages)."""
    previous = gdal.GetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", None)
    gdal.SetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", "page_size={}".format(PAGE_SIZE))
    try:
        return ogr.GetDriverByName("GPKG").CreateDataSource(path)
    finally:
        gdal.SetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", previous)


def _create_layer(dataset, spec):
    layer = dataset.GetLayerByName(spec.name)
    if layer is None:
        srs = None
        options = ["DESCRIPTION=" + spec.description, "FID=fid"]
        if spec.geometry is not None:
            srs = osr.SpatialReference()
            srs.ImportFromEPSG(int(HORIZONTAL_CODE))
            options.append("GEOMETRY_NAME=geom")
        layer = dataset.CreateLayer(spec.name, srs, _GEOMETRY_TYPES[spec.geometry], options=options)
        if layer is None:
            raise CityModelError(tr("Cannot create the layer {layer}: {error}").format(
                layer=spec.name, error=gdal.GetLastErrorMsg() or "-"))
    elif (spec.geometry is None) != (layer.GetGeomType() == ogr.wkbNone):
        raise CityModelError(tr(
            "The GeoPackage already has a layer '{layer}' that is not a city-model layer.").format(layer=spec.name))
    definition = layer.GetLayerDefn()
    for name, kind in spec.fields:
        if definition.GetFieldIndex(name) < 0:
            field = ogr.FieldDefn(name, _FIELD_TYPES[kind])
            if kind == layers.BOOLEAN:
                field.SetSubType(ogr.OFSTBoolean)
            layer.CreateField(field)
    for column in ("building_id", "source_tile", "tile"):
        if column in spec.field_names:
            result = dataset.ExecuteSQL('CREATE INDEX IF NOT EXISTS "idx_{0}_{1}" ON "{0}" ("{1}")'.format(
                spec.name, column))
            if result is not None:
                dataset.ReleaseResultSet(result)
