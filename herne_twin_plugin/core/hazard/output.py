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
"""

import numpy
from qgis.core import QgsFeatureSink, QgsField, QgsFields, QgsMemoryProviderUtils, QgsProcessingUtils
from qgis.PyQt.QtCore import QVariant

from . import sensors, street_lights
from .scenarios import CLASS_NAMES, DEPTH_CLASSES
from .sources import run_exposure

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
        return street_lights.view_columns(run.assets.features, run.exposure.codes.tolist(), inspections)
    if view is sensors:
        return sensors.view_columns(run.assets.features, run.exposure.max_depth_cm.tolist(),
                                    run.exposure.codes.tolist(), run.scenario)
    return None


def output_features(run, asset_field_count, view=None, inspections=None):
    """The assets' features with the exposure values after their ``asset_field_count``
    own attributes. The features are reused and padded in place: no copy of every
    attribute, which is what keeps 50,000 buildings quick."""
    columns = exposure_columns(run)
    extra = view_columns(view, run, inspections) if view is not None else None
    if extra:
        columns += [list(column) for column in zip(*extra)]
    width = len(columns)
    features = run.assets.features
    for feature in features:
        feature.padAttributes(width)
    for offset, column in enumerate(columns):
        field = asset_field_count + offset
        for feature, value in zip(features, column):
            if value is not None:
                feature.setAttribute(field, value)
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
