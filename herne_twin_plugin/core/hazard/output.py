"""The exposure written out: the asset layer's fields plus the exposure fields.

Output fields (in this order, after the asset layer's own):

- ``scenario``: the scenario of the hazard data (e.g. extremregen);
- ``depth_class``: "10-30", "30-50", "50-100", ">100", "below 10 cm" or "no data";
- ``max_depth_cm``, ``mean_depth_cm``: water depth at or around the asset (rasters only;
  cells inside the hazard data without water count as 0 cm);
- ``covered_share``: share of the asset inside the hazard data's coverage;
- for footprints (and buffered assets): ``share_10_30`` ... ``share_gt_100``, the share of
  the area in each class;
- for street lights: the asset view's fields (street_lights.py);
- for sensor stations: the threshold fields (sensors.py).

A field name the asset layer already has gets a suffix (QgsProcessingUtils.combineFields).

A GeoPackage output from assets read in bulk from a GeoPackage is written by
``write_geopackage`` in one SQLite transaction (the assets' rows copied by INSERT ...
SELECT, the exposure values joined by feature id); every other output gets QgsFeatures.
"""

import collections
import itertools
import logging
import os
import sqlite3

import numpy
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsMemoryProviderUtils,
    QgsProcessingUtils,
    QgsProviderRegistry,
)
from qgis.PyQt.QtCore import QDate, QVariant

from ..citymodel import spatial_index
from . import sensors, street_lights
from .scenarios import CLASS_NAMES, DEPTH_CLASSES
from .sources import run_exposure

LOG = logging.getLogger(__name__)

BASE_FIELDS = (
    ("scenario", QVariant.String),
    ("depth_class", QVariant.String),
    ("max_depth_cm", QVariant.Double),
    ("mean_depth_cm", QVariant.Double),
    ("covered_share", QVariant.Double),
)


def exposure_fields(areal, extra_fields=()):
    fields = QgsFields()
    for name, kind in BASE_FIELDS:
        fields.append(QgsField(name, kind))
    if areal:
        for depth_class in DEPTH_CLASSES:
            fields.append(QgsField(depth_class.share_field, QVariant.Double))
    for extra in extra_fields:
        fields.append(extra)
    return fields


def asset_view(fields):
    """The module whose view fields an asset layer gets (street lights, sensors) or None."""
    if street_lights.is_street_light_layer(fields):
        return street_lights
    if sensors.is_sensor_layer(fields):
        return sensors
    return None


def output_fields(asset_fields, areal, view=None):
    extra = view.view_fields() if view is not None else ()
    return QgsProcessingUtils.combineFields(asset_fields, exposure_fields(areal, extra))


def _column(values, digits):
    """A list of rounded numbers with None for NaN (a NULL in the layer)."""
    rounded = numpy.round(numpy.asarray(values, dtype=float), digits)
    column = rounded.astype(object)  # Python floats, as tolist() gives
    column[~numpy.isfinite(rounded)] = None
    return column.tolist()


def exposure_columns(run):
    """The values of the exposure fields (without view fields), column by column."""
    exposure = run.exposure
    columns = [
        [run.scenario or None] * len(exposure),
        [CLASS_NAMES[code] for code in exposure.codes.tolist()],
        _column(exposure.max_depth_cm, 1),
        _column(exposure.mean_depth_cm, 1),
        _column(exposure.covered_share, 4),
    ]
    if exposure.shares is not None:
        columns += [_column(exposure.shares[:, k], 4) for k in range(exposure.shares.shape[1])]
    return columns


def view_columns(view, run, inspections=None):
    if view is street_lights:
        return street_lights.view_columns_of(run.assets.column(street_lights.LIGHT_KEY),
                                             run.assets.column(street_lights.REGISTER_INSPECTION_FIELD),
                                             run.exposure.codes.tolist(), inspections)
    if view is sensors:
        features = run.assets.attribute_features(sensors.READ_FIELDS)
        return sensors.view_columns(features, run.exposure.max_depth_cm.tolist(), run.exposure.codes.tolist(),
                                    run.scenario)
    return None


def output_features(run, asset_field_count, view=None, inspections=None, features=None):
    """The assets' features with the exposure values after their ``asset_field_count``
    own attributes. The features are reused and padded in place: no copy of every
    attribute, which is what keeps 50,000 buildings quick. ``features``: the assets'
    features where they have been read already (prefetch.py), aligned with the run's."""
    columns = exposure_columns(run)
    extra = view_columns(view, run, inspections) if view is not None else None
    if extra:
        columns += [list(column) for column in zip(*extra)]
    width = len(columns)
    features = features if features is not None else run.assets.features
    # map() calls QGIS without a Python step per feature; NULLs stay as the padding left them
    # (a None set would read back as a typed NULL, not as None)
    collections.deque(map(QgsFeature.padAttributes, features, itertools.repeat(width)), maxlen=0)
    for offset, column in enumerate(columns):
        given = [value is not None for value in column]
        if not any(given):
            continue
        if all(given):
            targets, values = features, column
        else:
            targets = list(itertools.compress(features, given))
            values = list(itertools.compress(column, given))
        collections.deque(map(QgsFeature.setAttribute, targets, itertools.repeat(asset_field_count + offset), values),
                          maxlen=0)
    return features


def exposure_layer(assets, hazard, name, buffer_m=0.0, scenario=None, coverage=None, inspections=None,
                   context=None, feedback=None):
    """The exposure of the ``assets`` layer as a new memory layer named ``name`` (not yet
    in a project, not yet styled), and the ExposureRun with its notes. ``inspections``:
    {light_uuid: Inspection} (street_lights.read_inspections) for street lights."""
    run = run_exposure(assets, hazard, buffer_m, scenario, coverage, context=context, feedback=feedback)
    view = asset_view(assets.fields())
    fields = output_fields(assets.fields(), run.assets.areal, view)
    layer = QgsMemoryProviderUtils.createMemoryLayer(name, fields, assets.wkbType(), assets.sourceCrs())
    features = output_features(run, assets.fields().count(), view, inspections)
    layer.dataProvider().addFeatures(features, QgsFeatureSink.FastInsert)
    layer.updateExtents()
    return layer, run


# -- a GeoPackage written directly ---------------------------------------------------------


def geopackage_table(destination):
    """(path, table name or None) where ``destination`` (a Processing sink's) is a table in
    a GeoPackage file, else None."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", destination)
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    return path, parts.get("layerName") or None


def _sql_value(value):
    """A value of the exposure or view columns as GeoPackage stores it; ValueError for a
    kind this writer does not know."""
    if value is None or isinstance(value, (str, float, int)):
        return value
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd") if value.isValid() else None
    raise ValueError("no GeoPackage value for {!r}".format(type(value)))


def _quoted(name):
    return '"{}"'.format(name.replace('"', '""'))


def write_geopackage(run, destination, asset_field_count, view=None, inspections=None):
    """Writes the exposure into the empty GeoPackage table that Processing made for the
    output (``destination``), straight from the assets' GeoPackage: one transaction in
    SQLite, the assets' rows copied by INSERT ... SELECT and the exposure values (per
    feature id) by executemany. No QgsFeature is made.

    True when written; False where this path does not apply (assets not read in bulk from
    a GeoPackage, another layout of the output table, ...): then nothing was written and
    the caller writes features."""
    table = run.assets.table
    target = geopackage_table(destination)
    if table is None or target is None or os.path.realpath(target[0]) == os.path.realpath(table.path):
        return False
    columns = exposure_columns(run)
    extra = view_columns(view, run, inspections) if view is not None else None
    try:
        if extra:
            columns += [[_sql_value(value) for value in column] for column in zip(*extra)]
        rows = list(zip(run.assets.ids.tolist(), *columns))
    except ValueError as error:
        LOG.info("exposure not written directly: %s", error)
        return False
    connection = sqlite3.connect(target[0], isolation_level=None)
    connection.execute("PRAGMA temp_store = MEMORY")  # the exposure values' table
    try:
        return _write_rows(connection, target[1], table, run, asset_field_count, len(columns), rows)
    except sqlite3.Error as error:
        LOG.info("exposure not written directly to %s: %s", target[0], error)
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def _packed(connection, rtree, ids, boxes):
    """The empty R*Tree ``rtree`` filled in one go by the city model's packer (its name has
    been pack_empty and pack); False where that is not possible (then row by row)."""
    packer = getattr(spatial_index, "pack", None) or getattr(spatial_index, "pack_empty", None)
    if packer is None:
        return False
    try:
        return bool(packer(connection, rtree, ids, boxes))
    except (ValueError, TypeError, IndexError, KeyError) as error:
        # the index may be half written: the whole transaction goes back, the caller writes features
        raise sqlite3.Error("spatial index not packed: {}".format(error)) from error


def _write_rows(connection, name, table, run, asset_field_count, width, rows):
    execute = connection.execute
    tables = [row[0] for row in execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
    if name is None and len(tables) == 1:
        name = tables[0]
    if name not in tables:
        return False
    geometry_column, srs_id = execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                      (name,)).fetchone()
    layout = execute("PRAGMA table_info({})".format(_quoted(name))).fetchall()
    names = [row[1] for row in layout if row[1] != geometry_column]
    source_names = [table.fid_column] + table.field_names()
    # the output's columns: the assets' (feature id first) and then the exposure's, nothing else
    if len(names) != len(source_names) + width or names[:len(source_names)] != source_names or \
            len(source_names) != asset_field_count:
        return False
    if execute("SELECT count(*) FROM {}".format(_quoted(name))).fetchone()[0]:
        return False
    execute("ATTACH DATABASE ? AS assets", (table.path,))
    try:
        source_srs = execute("SELECT srs_id FROM assets.gpkg_geometry_columns WHERE table_name = ?",
                             (table.layer_name,)).fetchone()
        if source_srs is None or source_srs[0] != srs_id:
            return False  # the blobs name their CRS: copied only where it is the same
        rtree = "rtree_{}_{}".format(name, geometry_column)
        indexed = execute("SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND column_name = ? AND "
                          "extension_name = 'gpkg_rtree_index'", (name, geometry_column)).fetchone()[0] > 0
        execute("BEGIN")
        # the table's triggers are off while the rows go in: the R*Tree's call OGR's SQL functions
        # (the index is filled at once), the feature count's would update it row by row (set at the end)
        triggers = execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                           (name,)).fetchall()
        for trigger, _sql in triggers:
            execute("DROP TRIGGER {}".format(_quoted(trigger)))
        exposure = ["e{}".format(k) for k in range(width)]
        execute("CREATE TEMP TABLE hazard_exposure_values (fid INTEGER PRIMARY KEY, {})".format(", ".join(exposure)))
        connection.executemany("INSERT INTO hazard_exposure_values VALUES ({})".format(
            ", ".join("?" * (width + 1))), rows)
        source_columns = [_quoted(table.fid_column), _quoted(table.geometry_column)] + [
            _quoted(n) for n in table.field_names()]
        execute("INSERT INTO {} ({}) SELECT {} FROM assets.{} AS a JOIN hazard_exposure_values AS e ON e.fid = a.{} "
                "ORDER BY a.{}".format(
                    _quoted(name),
                    ", ".join([_quoted(names[0]), _quoted(geometry_column)] + [_quoted(n) for n in names[1:]]),
                    ", ".join(["a." + c for c in source_columns] + ["e." + c for c in exposure]),
                    _quoted(table.layer_name), _quoted(table.fid_column), _quoted(table.fid_column)))
        bounds = run.assets.geometries.bounds
        present = numpy.flatnonzero(numpy.isfinite(bounds[:, 0]))
        if indexed:
            ids, boxes = run.assets.ids[present], bounds[present][:, [0, 2, 1, 3]]
            if not _packed(connection, rtree, ids, boxes):
                connection.executemany("INSERT INTO {} VALUES (?, ?, ?, ?, ?)".format(_quoted(rtree)),
                                       zip(ids.tolist(), *(boxes[:, k].tolist() for k in range(4))))
        for _trigger, sql in triggers:
            execute(sql)
        if len(present):
            execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                    (*(float(v) for v in (bounds[present, 0].min(), bounds[present, 1].min(),
                                          bounds[present, 2].max(), bounds[present, 3].max())), name))
        if execute("SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone()[0]:
            execute("UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM {}) "
                    "WHERE lower(table_name) = lower(?)".format(_quoted(name)), (name,))
        execute("DROP TABLE hazard_exposure_values")
        execute("COMMIT")
        return True
    finally:
        if connection.in_transaction:
            execute("ROLLBACK")
        execute("DETACH DATABASE assets")
