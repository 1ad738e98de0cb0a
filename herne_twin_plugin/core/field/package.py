"""Making a field package: the assets of an area, an inspection layer, the journal, an
offline basemap, the latest sensor readings, the hazard layers and a project that opens
offline in QGIS and QField.

``make_package(layers, area, ...)`` runs the pre-check first (precheck.py) and stops with
every blocking reason before anything is copied. Then, in a hidden folder beside the
target (``.<name>.partial-<random>``):

1. one GeoPackage table per asset layer, its features in the area (and filter) read
   through the layer's transport (``transports.transport_for``: the same path the sync
   reads and writes through) and written with ``executemany`` in one transaction per
   layer, the spatial index built afterwards by GDAL in one go;
2. the inspection layer linked to the assets, the manifest (where each layer came from,
   its key, its schema), the change journal on every synced layer;
3. the basemap (basemap.py), the sensor snapshot and the hazard layers cut to the area;
4. the project (offline_project.py).

Only then is the folder renamed to ``<name>``: a cancelled or failed run leaves no half
package behind, and an existing package is never overwritten.
"""

import dataclasses
import getpass
import logging
import operator
import os
import re
import shutil
import sqlite3
import struct
import uuid
from dataclasses import dataclass, field
from typing import Dict, List

import numpy
from osgeo import gdal, ogr, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerType,
    QgsProject,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..citymodel import spatial_index
from ..hazard.geometry import WkbTable
from ..i18n import tr
from . import basemap as basemap_module
from . import journal, manifest
from .inspection import INSPECTION_TABLE, PHOTO_FOLDER, InspectionError, add_inspection_layer
from .inspection import KEY_COLUMN as INSPECTION_KEY
from .manifest import PACKAGE_CRS, PackageLayer, PackageManifest
from .offline_project import OfflineProjectError, write_project
from .precheck import (
    DEFAULT_MAX_FEATURES,
    NO_FEATURES,
    TOO_MANY_FEATURES,
    ReadsAhead,
    area_in_layer_crs,
    check_layer,
    feature_reasons,
    inspection_source_beside,
    precheck,
)
from .transports.base import ServerFeature, TransportError, normalise_value

LOG = logging.getLogger(__name__)

BASEMAP_FILE = "basemap.tif"
SENSORS_TABLE = "sensors"
PARTIAL_MARK = ".partial-"
_BATCH = 1000  # rows per executemany, and how often the copy reports progress
AUTO = "auto"  # inspection_target: the `inspections` layer of the first asset layer's service
_RESERVED = ("gpkg_", "rtree_", "sqlite_", "hernetwin_")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")

_OGR_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger64, "real": ogr.OFTReal, "date": ogr.OFTDate,
              "datetime": ogr.OFTDateTime, "bool": ogr.OFTInteger}


class PackageError(ValueError):
    """The package cannot be made; the message says why, for the user."""


class PackageCancelled(Exception):  # noqa: N818
    """The user cancelled; nothing was left behind."""


@dataclass
class PackageResult:
    package_dir: str
    gpkg_path: str
    project_path: str
    manifest: PackageManifest
    feature_counts: Dict[str, int] = field(default_factory=dict)
    warnings: List[str] = field(default_factory=list)


# -- the area --------------------------------------------------------------------------------

def area_from_extent(rectangle, crs, transform_context=None):
    """The package area (QgsGeometry in EPSG:25832) of a map extent in ``crs``."""
    target = QgsCoordinateReferenceSystem(PACKAGE_CRS)
    rectangle = QgsRectangle(rectangle)
    if crs is not None and crs.isValid() and crs != target:
        transform = QgsCoordinateTransform(crs, target, transform_context or QgsProject.instance().transformContext())
        rectangle = transform.transformBoundingBox(rectangle)
    return QgsGeometry.fromRect(rectangle)


def area_from_layer(layer, expression="", selected_only=False, transform_context=None):
    """The package area of polygon features (a district, a drawn polygon): their union in
    EPSG:25832. ``expression`` picks features (e.g. ``"name" = 'Wanne'``)."""
    if layer is None or not layer.isValid() or layer.type() != QgsMapLayerType.VectorLayer:
        raise PackageError(tr("The area layer cannot be read."))
    if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
        raise PackageError(tr("The area layer {layer} has no polygons: choose districts or a drawn polygon.").format(
            layer=layer.name()))
    request = QgsFeatureRequest()
    if expression:
        request.setFilterExpression(expression)
    geometries = _polygons(layer, request, selected_only)
    if not geometries:
        raise PackageError(tr("No area polygon found in {layer} (check the choice or the selection).").format(
            layer=layer.name()))
    area = QgsGeometry.unaryUnion(geometries)
    target = QgsCoordinateReferenceSystem(PACKAGE_CRS)
    if layer.crs().isValid() and layer.crs() != target:
        area.transform(QgsCoordinateTransform(layer.crs(), target,
                                              transform_context or QgsProject.instance().transformContext()))
    return area


def _polygons(layer, request, selected_only):
    # The iterator ends here: kept alive in an error's traceback it would outlive its layer.
    features = layer.getSelectedFeatures(request) if selected_only else layer.getFeatures(request)
    try:
        return [feature.geometry() for feature in features if not feature.geometry().isEmpty()]
    finally:
        features.close()


def district_area(layer, district, name_field="name"):
    """The area of one district of a districts layer, by its name."""
    quoted = district.replace("'", "''")
    return area_from_layer(layer, "\"{}\" = '{}'".format(name_field.replace('"', '""'), quoted))


def checked_area(area):
    """``area`` as a valid polygon geometry; PackageError otherwise."""
    if area is None or area.isNull() or area.isEmpty():
        raise PackageError(tr("Choose an area for the package (a map extent, a district or a drawn polygon)."))
    if area.type() != QgsWkbTypes.PolygonGeometry:
        raise PackageError(tr("The package area must be a polygon."))
    if not area.isGeosValid():
        area = area.makeValid()
    if area.area() <= 0:
        raise PackageError(tr("The package area has no surface."))
    return area


# -- checks before anything is written -------------------------------------------------------

def check_name(name):
    name = (name or "").strip()
    if not _NAME.match(name):
        raise PackageError(tr(
            "The package name {name!r} cannot be used: letters, digits, '-' and '_' only, at most 64 characters, "
            "starting with a letter or digit.").format(name=name))
    return name


def check_output_dir(output_dir, name):
    output_dir = os.path.abspath(os.path.expanduser(output_dir or ""))
    if not os.path.isdir(output_dir):
        raise PackageError(tr("The folder {folder} does not exist.").format(folder=output_dir))
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise PackageError(tr("Cannot write to the folder {folder}: no permission.").format(folder=output_dir))
    target = os.path.join(output_dir, name)
    if os.path.exists(target):
        raise PackageError(tr("{path} exists already: choose another name or folder (a package is never "
                              "overwritten, its edits might not be synchronised yet).").format(path=target))
    return output_dir, target


# -- the package schema ----------------------------------------------------------------------

def field_type(qgs_field):
    """The package type ('str', 'int', ...) of a QgsField."""
    kind = qgs_field.type()
    type_name = qgs_field.typeName().lower()
    if type_name == "date":  # QGIS's WFS provider gives xsd:date as a string with this type name
        return "date"
    if type_name in ("datetime", "timestamp"):
        return "datetime"
    if kind in (QVariant.Int, QVariant.LongLong, QVariant.UInt, QVariant.ULongLong):
        return "int"
    if kind == QVariant.Double:
        return "real"
    if kind == QVariant.Date:
        return "date"
    if kind == QVariant.DateTime:
        return "datetime"
    if kind == QVariant.Bool:
        return "bool"
    return "str"


def table_name_for(source_name, taken):
    """A GeoPackage table name for a WFS type / collection / table name, unique in ``taken``."""
    base = source_name.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    base = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_") or "layer"
    if base[0].isdigit() or base.startswith(_RESERVED) or base in (INSPECTION_TABLE, SENSORS_TABLE):
        base = "layer_" + base
    name, number = base, 2
    while name in taken:
        name, number = "{}_{}".format(base, number), number + 1
    taken.add(name)
    return name


def package_layer(layer, check, table_name, role=manifest.ROLE_ASSET):
    """The manifest entry of a checked server layer (see precheck.LayerCheck)."""
    from .precheck import SERVER_ID_COLUMNS

    source = check.source
    fields = tuple((f.name(), field_type(f)) for f in layer.fields()
                   if f.name().lower() not in SERVER_ID_COLUMNS or f.name() == check.key_column)
    return PackageLayer(
        table_name=table_name, role=role, source_kind=source.kind, source_url=source.url, source_name=source.name,
        source_version=source.version, authcfg=source.authcfg, key_column=check.key_column,
        geometry_type=QgsWkbTypes.displayString(layer.wkbType()), crs=PACKAGE_CRS, fields=fields,
        writable=not any(reason.code == "read_only" for reason in check.reasons), title=layer.name(),
    )


def _ogr_geometry_type(geometry_type):
    wkb = QgsWkbTypes.parseType(geometry_type) if geometry_type else QgsWkbTypes.NoGeometry
    if wkb in (QgsWkbTypes.NoGeometry, QgsWkbTypes.Unknown):
        return ogr.wkbNone
    return ogr.GT_SetModifier(int(QgsWkbTypes.flatType(wkb)), int(QgsWkbTypes.hasZ(wkb)), int(QgsWkbTypes.hasM(wkb)))


def create_table(dataset, package_layer_entry):
    """An empty GeoPackage table for a PackageLayer (``fid`` key, ``geom``, its fields)."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(PACKAGE_CRS.split(":")[1]))
    geometry_type = _ogr_geometry_type(package_layer_entry.geometry_type)
    # The spatial index (R*Tree and its triggers) is made while the table is empty; the copy
    # fills it in one go (copy_features).
    options = ["FID=fid", "SPATIAL_INDEX=YES"]
    if geometry_type != ogr.wkbNone:
        options.append("GEOMETRY_NAME=geom")
    table = dataset.CreateLayer(package_layer_entry.table_name, srs if geometry_type != ogr.wkbNone else None,
                                geometry_type, options)
    if table is None:
        raise PackageError(tr("The table {table} cannot be created in the package: {error}").format(
            table=package_layer_entry.table_name, error=gdal.GetLastErrorMsg()))
    for name, kind in package_layer_entry.fields:
        definition = ogr.FieldDefn(name, _OGR_TYPES.get(kind, ogr.OFTString))
        if kind == "bool":
            definition.SetSubType(ogr.OFSTBoolean)
        table.CreateField(definition)
    return table


def gpkg_blob(wkb, srs_id):
    """A GeoPackage geometry blob (header without envelope, little endian) around ``wkb``."""
    return b"GP\x00\x01" + struct.pack("<i", srs_id) + wkb


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    return value


# The Python type a value of each package type has once normalised (transports.normalise_value).
# Dates and date-times are normalised again in any case (their text form is checked there).
_NORMALISED = {"str": str, "int": int, "real": float}


def _row_value(value, kind):
    """A feature's value as the package stores it; a transport's values are normalised already
    (checked by their type, normalised again where not)."""
    if value is None or type(value) is _NORMALISED.get(kind):
        return value
    return _sqlite_value(normalise_value(value, kind))


# -- copying features ------------------------------------------------------------------------

def copy_features(connection, entry, features, srs_id, feedback=None, progress=None):
    """Write ServerFeatures into ``entry``'s table, in one transaction, as they come (a
    transport passing features on while it reads has them written meanwhile); returns the count."""
    names = [name for name, _ in entry.fields]
    has_geometry = _ogr_geometry_type(entry.geometry_type) != ogr.wkbNone
    columns = names + (["geom"] if has_geometry else [])
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        journal._ident(entry.table_name), ", ".join(journal._ident(name) for name in columns),
        ", ".join("?" * len(columns)))
    count = 0
    batch = []
    connection.execute("BEGIN")
    try:
        # Row by row the index trigger costs SQLite a node rewrite per row (and our Python
        # ST_* functions): set aside for the copy, the index is packed from all rows at the end.
        index_trigger = spatial_index.set_aside_trigger(connection, _rtree(entry.table_name) + "_insert") \
            if has_geometry else None
        # GDAL's feature count trigger updates gpkg_ogr_contents once per row (more than the row's
        # own insert costs): set aside too, the count is written once at the end.
        count_trigger = spatial_index.set_aside_trigger(connection, "trigger_insert_feature_count_" + entry.table_name)
        for feature in features:
            if feedback is not None and feedback.isCanceled():
                raise PackageCancelled()
            batch.append(feature)
            if len(batch) >= _BATCH:
                connection.executemany(sql, _rows(batch, entry, has_geometry, srs_id))
                count += len(batch)
                batch = []
                if progress is not None:
                    progress(count)
        if batch:
            connection.executemany(sql, _rows(batch, entry, has_geometry, srs_id))
            count += len(batch)
        if index_trigger is not None:
            _index_rows(connection, entry.table_name)
            connection.execute(index_trigger)
        if count_trigger is not None:  # (GDAL may have left it NULL: counted, not added)
            connection.execute("UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM {}) "
                               "WHERE lower(table_name) = lower(?)".format(journal._ident(entry.table_name)),
                               (entry.table_name,))
            connection.execute(count_trigger)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return count


def _rows(batch, entry, has_geometry, srs_id):
    """The table rows of a batch of ServerFeatures. A transport's values are normalised already:
    each column is checked by the types it holds and normalised again only where a value is not
    of its package type (dates, date-times and booleans always)."""
    names = [name for name, _ in entry.fields]
    try:
        columns = list(zip(*[operator.itemgetter(*names)(feature.values) for feature in batch])) if len(names) > 1 \
            else [[feature.values[names[0]] for feature in batch]]
    except KeyError:  # a transport leaving out a field: NULL
        columns = [[feature.values.get(name) for feature in batch] for name in names]
    for index, (_name, kind) in enumerate(entry.fields):
        expected = _NORMALISED.get(kind)
        if expected is None or not set(map(type, columns[index])) <= {expected, type(None)}:
            columns[index] = [_row_value(value, kind) for value in columns[index]]
    if has_geometry:
        columns.append([gpkg_blob(bytes.fromhex(feature.geometry), srs_id) if feature.geometry else None
                        for feature in batch])
    return list(zip(*columns))


def _rtree(table):
    return "rtree_{}_geom".format(table)


def _index_rows(connection, table):
    """Put every row's bounding box into the table's (empty) spatial index at once (spatial_index.add)."""
    fids, wkbs = [], []
    for fid, blob in connection.execute("SELECT fid, geom FROM {} WHERE geom IS NOT NULL".format(
            journal._ident(table))):
        fids.append(fid)
        wkbs.append(blob[journal.gpkg_header_size(blob):])
    if not fids:
        return
    bounds = WkbTable(wkbs).bounds  # minx, miny, maxx, maxy; NaN for an empty geometry
    present = ~numpy.isnan(bounds).any(axis=1)
    ids = numpy.asarray(fids, dtype=numpy.int64)[present]
    boxes = bounds[present][:, [0, 2, 1, 3]]  # the R*Tree's order: minx, maxx, miny, maxy
    spatial_index.add(connection, _rtree(table), ids, boxes)


def _finish_tables(gpkg_path, tables):
    """Extent of the freshly filled tables (from their spatial index)."""
    connection = sqlite3.connect(gpkg_path)
    try:
        with connection:
            for table, has_geometry in tables:
                if not has_geometry:
                    continue
                extent = connection.execute(
                    "SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {}".format(
                        journal._ident("rtree_{}_geom".format(table)))).fetchone()
                if extent and extent[0] is not None:
                    connection.execute(
                        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                        tuple(extent) + (table,))
    finally:
        connection.close()


class QgisLayerReader:
    """Reads a layer's features in the area through its QGIS provider, as ServerFeatures.
    Used only where no transport exists for the layer's service (transports not installed)."""

    def __init__(self, layer, entry, transform_context=None):
        self.layer, self.entry = layer, entry
        self.context = transform_context or QgsProject.instance().transformContext()

    def features_in_area(self, area_wkt, filter_expression=""):
        area = QgsGeometry.fromWkt(area_wkt)
        local_area = area_in_layer_crs(area, self.layer, self.context)
        engine = QgsGeometry.createGeometryEngine(local_area.constGet())
        engine.prepareGeometry()
        request = QgsFeatureRequest().setFilterRect(local_area.boundingBox())
        if filter_expression:
            request.setFilterExpression(filter_expression)
        to_package = QgsCoordinateTransform(self.layer.crs(), QgsCoordinateReferenceSystem(PACKAGE_CRS), self.context)
        types = dict(self.entry.fields)
        for feature in self.layer.getFeatures(request):
            geometry = feature.geometry()
            if geometry.isNull() or not engine.intersects(geometry.constGet()):
                continue
            geometry.transform(to_package)
            values = {name: normalise_value(feature[name], kind) for name, kind in types.items()}
            yield ServerFeature(key=str(values.get(self.entry.key_column)), values=values,
                                geometry=bytes(geometry.asWkb()).hex())


def _with_server_schema(entry, layer, transport_factory, steps, reads_ahead=None):
    """``entry`` with the field types its server declares (QGIS's WFS provider reads xsd:date
    as text, say); the layer's own where no transport is installed for the service."""
    from .precheck import SERVER_ID_COLUMNS

    reader = (reads_ahead.peek(entry) if reads_ahead is not None else None) or \
        _reader(entry, layer, transport_factory, steps.feedback)  # (the one reading ahead knows the schema)
    if not hasattr(reader, "server_fields"):
        return entry
    try:
        offered = reader.server_fields()
    except TransportError as error:
        raise PackageError(tr("{layer} could not be read from its server: {error}").format(
            layer=entry.title, error=error.message)) from error
    fields = tuple((name, kind) for name, kind in offered
                   if name.lower() not in SERVER_ID_COLUMNS or name == entry.key_column)
    if entry.key_column not in dict(fields):
        raise PackageError(tr("The server does not list the key column {column} of {layer}.").format(
            column=entry.key_column, layer=entry.title))
    return dataclasses.replace(entry, fields=fields)


def _prefetch(readers, area_wkt, filter_expression, reads_ahead=None):
    """Every layer's read asked for at once (transports that can send their requests ahead): the
    servers write the next layers' answers while the copy reads the first; a read the pre-check
    started (``reads_ahead``) is taken over. A failure here is left to that layer's own read,
    which says it in its place."""
    for reader in readers:
        prefetch = getattr(reader, "prefetch_in_area", None)
        if prefetch is None:
            continue
        ahead = reads_ahead.take(reader.layer) if reads_ahead is not None and hasattr(reader, "layer") else None
        try:
            if ahead is not None:
                prefetch(area_wkt, filter_expression, ahead=ahead)
            else:
                prefetch(area_wkt, filter_expression)
        except TransportError as error:
            LOG.info("Reading ahead failed (%s); the layer is read in its turn", error.message)


def _reader(entry, layer, transport_factory, feedback):
    if transport_factory is not None:
        return transport_factory(entry, feedback)
    try:
        from .transports import transport_for

        return transport_for(entry, feedback)
    except ImportError:  # that kind of transport is not installed: read through QGIS
        LOG.warning("No transport for %s layers: reading %s through QGIS", entry.source_kind, entry.title)
        return QgisLayerReader(layer, entry)


# -- the whole package ----------------------------------------------------------------------

class _Progress:
    """Maps each step's share onto 0-100 of the run's feedback."""

    def __init__(self, feedback):
        self.feedback = feedback

    def step(self, start, end):
        def report(fraction):
            if self.feedback is not None:
                self.feedback.setProgress(start + (end - start) * max(0.0, min(1.0, fraction)))
        return report

    def cancelled(self):
        if self.feedback is not None and self.feedback.isCanceled():
            raise PackageCancelled()

    def info(self, text):
        LOG.info(text)
        if self.feedback is not None and hasattr(self.feedback, "pushInfo"):
            self.feedback.pushInfo(text)

    def warning(self, text):
        LOG.warning(text)
        if self.feedback is not None and hasattr(self.feedback, "reportError"):
            self.feedback.reportError(text, False)


def make_package(layers, area, filter_expression="", output_dir=".", name="feldpaket", basemap=None,
                 sensor_snapshot=None, hazard_layers=(), feedback=None, key_columns=None, inspection_target=AUTO,
                 basemap_resolution=basemap_module.DEFAULT_RESOLUTION_M,
                 basemap_max_pixels=basemap_module.DEFAULT_MAX_PIXELS, max_features=DEFAULT_MAX_FEATURES,
                 transport_factory=None, title="", timeout_s=30.0, check_features=True):
    """Make the field package ``<output_dir>/<name>/`` (see the module docstring).

    ``layers``: the asset layers (WFS, OGC API Features, PostGIS); ``area``: QgsGeometry in
    EPSG:25832; ``basemap``: a map layer to render offline (usually WMS); ``sensor_snapshot``:
    a catalog entry (SensorThings / NGSI) or a point layer; ``hazard_layers``: depth-class
    polygons, depth rasters or hazard WMS layers; ``inspection_target``: the server's
    inspection layer the inspections are pushed to (None: they stay in the package);
    ``key_columns``: {layer id or name: key column} where the user chose one; ``check_features``:
    the pre-check counts the features in the area before copying (a WFS or OGC API server
    counts them itself; other layers are read, their keys checked too); False: not at all.
    The copy is checked for every one of these reasons in any case (count, empty and repeated
    keys), so the server's features are read once.
    Returns a PackageResult; raises PackageError (with every reason) or PackageCancelled."""
    name = check_name(name)
    output_dir, target = check_output_dir(output_dir, name)
    area = checked_area(area)
    layers = list(layers or [])
    if not layers:
        raise PackageError(tr("Choose at least one layer to take into the field."))
    steps = _Progress(feedback)
    steps.info(tr("Checking {count} layers before packaging...").format(count=len(layers)))
    # The transports pass repeated keys on, so the copy check finds what the pre-check leaves.
    # Each server is asked for a layer's features once it has counted them (nothing is written
    # before the whole pre-check passed; reads not taken are dropped at the end).
    reads_ahead = ReadsAhead(timeout_s) if transport_factory is None else None
    try:
        return _checked_and_made(layers, area, filter_expression, output_dir, name, target, basemap,
                                 sensor_snapshot, hazard_layers, feedback, key_columns, inspection_target,
                                 basemap_resolution, basemap_max_pixels, max_features, transport_factory, title,
                                 timeout_s, check_features, steps, reads_ahead)
    finally:
        if reads_ahead is not None:
            reads_ahead.close()


def _checked_and_made(layers, area, filter_expression, output_dir, name, target, basemap, sensor_snapshot,
                      hazard_layers, feedback, key_columns, inspection_target, basemap_resolution, basemap_max_pixels,
                      max_features, transport_factory, title, timeout_s, check_features, steps, reads_ahead):
    result = precheck(layers, area, filter_expression, key_columns, max_features, feedback,
                      progress=steps.step(0, 5), count_features=check_features, reads_ahead=reads_ahead)
    steps.cancelled()
    inspection_source = None
    if isinstance(inspection_target, str) and inspection_target == AUTO:
        first = result.layers[0]
        inspection_source = inspection_source_beside(layers[0], first.source, feedback) if first.source else None
        if inspection_source is None:
            steps.warning(tr("The service of {layer} has no inspection layer ({table}) that takes new features: the "
                             "inspections stay in the package and are not sent to a server.").format(
                                 layer=layers[0].name(), table=INSPECTION_TABLE))
    elif inspection_target is not None:
        inspection_check = check_layer(inspection_target, area, "", INSPECTION_KEY, 10 ** 12, feedback)
        inspection_check.reasons = [reason for reason in inspection_check.reasons
                                    if reason.code not in (NO_FEATURES, TOO_MANY_FEATURES)]
        result.layers.append(inspection_check)
        inspection_source = inspection_check.source
    if not result.ok:
        raise PackageError(tr("The package cannot be made safely:") + "\n" + result.text())
    warnings = [str(reason) for reason in result.warnings]
    for warning in warnings:
        steps.warning(warning)
    steps.step(0, 5)(1.0)

    partial = os.path.join(output_dir, "." + name + PARTIAL_MARK + uuid.uuid4().hex[:8])
    os.mkdir(partial)
    try:
        package_result = _build(partial, name, layers, result, area, filter_expression, basemap, sensor_snapshot,
                                hazard_layers, inspection_source, basemap_resolution,
                                basemap_max_pixels, transport_factory, title, steps, timeout_s, max_features,
                                reads_ahead)
        steps.cancelled()
        os.rename(partial, target)
    except (journal.FieldJournalError, InspectionError, OfflineProjectError, OSError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise PackageError(tr("The package could not be made: {error}").format(error=error)) from error
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    package_result.warnings = warnings + package_result.warnings
    package_result.package_dir = target
    package_result.gpkg_path = os.path.join(target, name + ".gpkg")
    package_result.project_path = os.path.join(target, name + ".qgz")
    steps.step(0, 100)(1.0)
    steps.info(tr("Field package {path} made.").format(path=target))
    return package_result


def _build(folder, name, layers, checked, area, filter_expression, basemap, sensor_snapshot, hazard_layers,
           inspection_source, basemap_resolution, basemap_max_pixels, transport_factory, title,
           steps, timeout_s, max_features, reads_ahead=None):
    gpkg_path = os.path.join(folder, name + ".gpkg")
    os.mkdir(os.path.join(folder, PHOTO_FOLDER))
    taken = set()
    entries = []
    for layer in layers:
        check = checked.check(layer)
        entry = package_layer(layer, check, table_name_for(check.source.name, taken))
        entries.append((layer, _with_server_schema(entry, layer, transport_factory, steps, reads_ahead)))
    srs_id = int(PACKAGE_CRS.split(":")[1])

    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg_path)
    if dataset is None:
        raise PackageError(tr("The GeoPackage {path} cannot be created: {error}").format(
            path=gpkg_path, error=gdal.GetLastErrorMsg()))
    for _, entry in entries:
        create_table(dataset, entry)
    dataset = None

    counts = {}
    readers = [_reader(entry, layer, transport_factory, steps.feedback) for layer, entry in entries]
    connection = journal.connect(gpkg_path)
    try:
        _prefetch(readers, area.asWkt(), filter_expression, reads_ahead)
        for index, ((layer, entry), reader) in enumerate(zip(entries, readers)):
            steps.cancelled()
            steps.info(tr("Copying {layer} from {url}...").format(layer=entry.title, url=entry.source_url))
            share = steps.step(5 + 55 * index / len(entries), 5 + 55 * (index + 1) / len(entries))
            expected = max(1, checked.check(layer).feature_count or layer.featureCount())
            try:
                features = reader.features_in_area(area.asWkt(), filter_expression)
                counts[entry.table_name] = copy_features(
                    connection, entry, features, srs_id, steps.feedback,
                    lambda done, share=share, expected=expected: share(done / expected))
            except TransportError as error:
                if steps.feedback is not None and steps.feedback.isCanceled():
                    raise PackageCancelled() from error
                raise PackageError(tr("{layer} could not be read from its server: {error}").format(
                    layer=entry.title, error=error.message)) from error
            steps.info(tr("{count} features of {layer} copied.").format(count=counts[entry.table_name],
                                                                         layer=entry.title))
        notes = _check_copies(connection, [entry for _, entry in entries], counts, max_features)
        for note in notes:
            steps.warning(note)
    finally:
        connection.close()
        for reader in readers:
            if hasattr(reader, "close"):
                reader.close()
    steps.cancelled()
    _finish_tables(gpkg_path, [(entry.table_name, _ogr_geometry_type(entry.geometry_type) != ogr.wkbNone)
                               for _, entry in entries])
    inspection_entry = _inspection_entry(add_inspection_layer(gpkg_path, [entry for _, entry in entries]),
                                         inspection_source)

    package_manifest = PackageManifest(
        package_id=str(uuid.uuid4()), title=title or name, created_at=_utc_now(), created_by=_user_name(),
        area_wkt=area.asWkt(3), crs=PACKAGE_CRS, filter=filter_expression or "",
        layers=[entry for _, entry in entries] + [inspection_entry])
    context = _context_layers(folder, gpkg_path, area, basemap, sensor_snapshot, hazard_layers, basemap_resolution,
                              basemap_max_pixels, steps, notes, timeout_s)
    package_manifest.layers.extend(context)
    connection = sqlite3.connect(gpkg_path)
    try:
        with connection:
            manifest.write(connection, package_manifest)
    finally:
        connection.close()
    # The inspections get a journal also where they have no server yet: every insert keeps its client UUID.
    copied = {entry.table_name for _, entry in entries}  # their keys checked by _check_copies
    for entry in package_manifest.layers:
        if entry.synced or entry.role == manifest.ROLE_INSPECTION:
            journal.install(gpkg_path, entry.table_name, entry.key_column, keys_checked=entry.table_name in copied)
    steps.step(90, 92)(1.0)
    steps.cancelled()
    project_path = write_project(folder, name, package_manifest)
    steps.step(92, 99)(1.0)
    return PackageResult(folder, gpkg_path, project_path, package_manifest, counts, notes)


def _check_copies(connection, entries, counts, max_features):
    """What the pre-check left to the copy: per layer the count, empty and repeated keys
    (precheck.feature_reasons). Raises PackageError naming every blocking reason; returns
    the warnings."""
    reasons = []
    for entry in entries:
        key = journal._ident(entry.key_column)
        table = journal._ident(entry.table_name)
        empty = connection.execute("SELECT count(*) FROM {t} WHERE {k} IS NULL OR trim({k}) = ''".format(
            t=table, k=key)).fetchone()[0]
        repeated = connection.execute("SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {k} IS NOT NULL AND trim({k}) "
                                      "<> '' GROUP BY {k} HAVING count(*) > 1)".format(t=table, k=key)).fetchone()[0]
        reasons.extend(feature_reasons(entry.title, entry.key_column, counts[entry.table_name], empty, repeated,
                                       max_features))
    blocking = [reason for reason in reasons if reason.blocking]
    if blocking:
        raise PackageError(tr("The package cannot be made safely:") + "\n" + "\n".join(
            "- " + str(reason) for reason in blocking))
    return [str(reason) for reason in reasons]


def _inspection_entry(entry, source):
    """The inspection layer's manifest entry, pushed to the server's inspection layer ``source``
    (a precheck.LayerSource) where there is one, else kept in the package (source 'none')."""
    if source is None:
        return dataclasses.replace(entry, writable=False)
    return dataclasses.replace(entry, source_kind=source.kind, source_url=source.url, source_name=source.name,
                               source_version=source.version, authcfg=source.authcfg)


def _utc_now():
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _user_name():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# -- context layers: basemap, sensors, hazard ----------------------------------------------

def _context_layers(folder, gpkg_path, area, basemap, sensor_snapshot, hazard_layers, resolution, max_pixels, steps,
                    notes, timeout_s):
    entries = []
    extent = area.boundingBox()
    if basemap is not None:
        steps.info(tr("Rendering the basemap {layer}...").format(layer=basemap.name()))
        try:
            basemap_module.render_geotiff(basemap, extent, os.path.join(folder, BASEMAP_FILE), resolution, max_pixels,
                                          steps.feedback, steps.step(60, 80))
        except basemap_module.BasemapCancelled as error:
            raise PackageCancelled() from error
        except basemap_module.BasemapError as error:
            raise PackageError(str(error)) from error
        entries.append(PackageLayer(table_name=BASEMAP_FILE, role=manifest.ROLE_BASEMAP, title=basemap.name()))
    steps.cancelled()
    if sensor_snapshot is not None:
        steps.info(tr("Taking the latest sensor readings..."))
        entries.append(_sensor_layer(gpkg_path, area, sensor_snapshot, steps, timeout_s))
    steps.step(80, 83)(1.0)
    taken = {SENSORS_TABLE, INSPECTION_TABLE}
    hazard_layers = list(hazard_layers or [])
    for index, layer in enumerate(hazard_layers):
        steps.cancelled()
        steps.info(tr("Cutting the hazard layer {layer} to the area...").format(layer=layer.name()))
        entries.append(_hazard_layer(folder, gpkg_path, area, layer, taken, resolution, max_pixels, steps))
        steps.step(83, 90)((index + 1) / len(hazard_layers))
    return entries


def _sensor_layer(gpkg_path, area, snapshot_source, steps, timeout_s):
    """The latest readings (hernetwin:sensorsnapshot's core) or a given point layer, in the area."""
    if hasattr(snapshot_source, "service_type"):  # a catalog entry
        from ..sensors.fetch import SourceError
        from ..sensors.live_layer import ReadingsSchema
        from ..sensors.model import CITY_CRS
        from ..sensors.snapshot import read_snapshot, snapshot_features, snapshot_properties

        lonlat = QgsCoordinateTransform(QgsCoordinateReferenceSystem(PACKAGE_CRS),
                                        QgsCoordinateReferenceSystem("EPSG:4326"),
                                        QgsProject.instance().transformContext()).transformBoundingBox(
                                            area.boundingBox())
        try:
            snapshot = read_snapshot(snapshot_source, (lonlat.xMinimum(), lonlat.yMinimum(), lonlat.xMaximum(),
                                                       lonlat.yMaximum()), steps.feedback, timeout_s)
        except SourceError as error:
            raise PackageError(tr("The sensor readings could not be read: {error}").format(error=error.message)) \
                from error
        schema = ReadingsSchema(snapshot_properties(snapshot), CITY_CRS)
        features = snapshot_features(snapshot, schema)
        _write_vector(gpkg_path, SENSORS_TABLE, schema.fields, QgsWkbTypes.Point, features, area)
        title = tr("Sensors: {source}").format(source=snapshot_source.name)
    else:
        _copy_vector(gpkg_path, SENSORS_TABLE, snapshot_source, area, clip=False)
        title = snapshot_source.name()
    return PackageLayer(table_name=SENSORS_TABLE, role=manifest.ROLE_SENSORS, geometry_type="Point", title=title)


def _hazard_layer(folder, gpkg_path, area, layer, taken, resolution, max_pixels, steps):
    if not layer.isValid():
        raise PackageError(tr("The hazard layer {layer} cannot be read.").format(layer=layer.name()))
    table = table_name_for("hazard_" + layer.name(), taken)
    if layer.type() == QgsMapLayerType.VectorLayer:
        _copy_vector(gpkg_path, table, layer, area, clip=True)
        return PackageLayer(table_name=table, role=manifest.ROLE_HAZARD,
                            geometry_type=QgsWkbTypes.displayString(layer.wkbType()), title=layer.name())
    file_name = table + ".tif"
    path = os.path.join(folder, file_name)
    if layer.providerType() == "gdal":
        _cut_raster(layer, area, path)
    else:  # a hazard map service: rendered like the basemap
        try:
            basemap_module.render_geotiff(layer, area.boundingBox(), path, resolution, max_pixels, steps.feedback)
        except basemap_module.BasemapCancelled as error:
            raise PackageCancelled() from error
        except basemap_module.BasemapError as error:
            raise PackageError(tr("{layer}: {error}").format(layer=layer.name(), error=error)) from error
    return PackageLayer(table_name=file_name, role=manifest.ROLE_HAZARD, title=layer.name())


def _cut_raster(layer, area, path):
    """A local raster (depth in cm) cut to the area's bounds, in EPSG:25832, compressed."""
    bounds = area.boundingBox()
    options = gdal.WarpOptions(
        format="GTiff", dstSRS=PACKAGE_CRS, outputBounds=(bounds.xMinimum(), bounds.yMinimum(), bounds.xMaximum(),
                                                          bounds.yMaximum()),
        creationOptions=["TILED=YES", "COMPRESS=DEFLATE"], resampleAlg="near")
    source = layer.dataProvider().dataSourceUri().split("|")[0]
    if gdal.Warp(path, source, options=options) is None:
        raise PackageError(tr("The raster {layer} cannot be cut to the area: {error}").format(
            layer=layer.name(), error=gdal.GetLastErrorMsg()))


def _copy_vector(gpkg_path, table, layer, area, clip):
    """Features of ``layer`` in the area into ``table`` (cut to the area where ``clip``)."""
    local_area = area_in_layer_crs(area, layer)
    request = QgsFeatureRequest().setFilterRect(local_area.boundingBox())
    transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(PACKAGE_CRS),
                                       QgsProject.instance().transformContext())
    engine = QgsGeometry.createGeometryEngine(local_area.constGet())
    engine.prepareGeometry()
    features = []
    for feature in layer.getFeatures(request):
        geometry = feature.geometry()
        if geometry.isNull() or not engine.intersects(geometry.constGet()):
            continue
        if clip and geometry.type() != QgsWkbTypes.PointGeometry:
            geometry = geometry.intersection(local_area)
            if geometry.isEmpty():
                continue
        geometry.transform(transform)
        feature.setGeometry(geometry)
        features.append(feature)
    _write_vector(gpkg_path, table, layer.fields(), layer.wkbType(), features)


def _write_vector(gpkg_path, table, fields, wkb_type, features, area=None):
    """Write QgsFeatures (package CRS) into a new table; only those intersecting ``area`` where given."""
    from qgis.core import QgsFeature, QgsFields

    kept_indexes = [index for index, qgs_field in enumerate(fields) if qgs_field.name().lower() != "fid"]
    kept = QgsFields()
    for index in kept_indexes:
        kept.append(fields.at(index))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = table
    options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    options.fileEncoding = "UTF-8"
    multi = wkb_type not in (QgsWkbTypes.NoGeometry,) and QgsWkbTypes.geometryType(wkb_type) != \
        QgsWkbTypes.PointGeometry
    if multi:
        wkb_type = QgsWkbTypes.multiType(wkb_type)
    writer = QgsVectorFileWriter.create(gpkg_path, kept, wkb_type, QgsCoordinateReferenceSystem(PACKAGE_CRS),
                                        QgsProject.instance().transformContext(), options)
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise PackageError(tr("The table {table} cannot be written: {error}").format(
            table=table, error=writer.errorMessage()))
    engine = None
    if area is not None:
        engine = QgsGeometry.createGeometryEngine(area.constGet())
        engine.prepareGeometry()
    for feature in features:
        geometry = feature.geometry()
        if engine is not None and (geometry.isNull() or not engine.intersects(geometry.constGet())):
            continue
        if multi and not geometry.isNull():
            geometry.convertToMultiType()
        copy = QgsFeature(kept)
        copy.setAttributes([feature.attribute(index) for index in kept_indexes])
        copy.setGeometry(geometry)
        writer.addFeature(copy)
    del writer
