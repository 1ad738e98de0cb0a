"""Sensor history on QGIS's temporal controller: observations over a time range as a
point layer with a time field, playable with the time slider.

One feature per observation (``station_id``, ``name``, ``observed_property``, ``value``,
``unit``, ``quality``, ``time``), at its station. The layer's temporal properties take
``time`` as the instant of each feature and ``step_s`` (the stations' reporting interval)
as its duration, so every step of the slider shows each station's reading of that step.
``read_history`` collects the observations from a SensorThings or NGSI v2 (QuantumLeap)
source; it blocks on the network: run it in a QgsTask.
"""

import logging

from qgis.core import (
    QgsDateTimeRange,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QVariant

from ..i18n import tr
from .live_layer import ReadingsSchema, qdatetime
from .model import Quality

LOGGER = logging.getLogger(__name__)

HISTORY_FIELDS = (
    ("station_id", QVariant.String), ("name", QVariant.String), ("observed_property", QVariant.String),
    ("value", QVariant.Double), ("unit", QVariant.String), ("quality", QVariant.String),
    ("time", QVariant.DateTime),
)


def history_layer(stations, observations, step_s=900, name=None, schema=None):
    """A temporal memory layer of ``observations`` at their ``stations`` (Station list)."""
    schema = schema or ReadingsSchema()
    by_id = {station.station_id: station for station in stations}
    layer = QgsVectorLayer("Point?crs={}".format(schema.crs.authid()), name or tr("Sensor history"), "memory")
    fields = QgsFields()
    for field_name, kind in HISTORY_FIELDS:
        fields.append(QgsField(field_name, kind))
    provider = layer.dataProvider()
    provider.addAttributes(fields.toList())
    layer.updateFields()
    features = []
    skipped = 0
    first = last = None
    for observation in observations:
        station = by_id.get(observation.station_id)
        if station is None:
            skipped += 1
            continue
        feature = QgsFeature(layer.fields())
        feature.setGeometry(schema.point(station))
        feature.setAttributes([
            station.station_id, station.name, observation.observed_property,
            observation.value if observation.quality == Quality.VALID else None, observation.unit,
            observation.quality, qdatetime(observation.time)])
        features.append(feature)
        first = observation.time if first is None or observation.time < first else first
        last = observation.time if last is None or observation.time > last else last
    if skipped:
        LOGGER.warning("Sensor history: %d observations of unknown stations left out", skipped)
    provider.addFeatures(features)
    layer.updateExtents()
    set_temporal(layer, step_s)
    if first is not None:
        layer.setCustomProperty("herne_twin/history_range", [qdatetime(first), qdatetime(last)])
    return layer


def set_temporal(layer, step_s):
    """Make ``time`` the layer's instant, each feature lasting ``step_s`` seconds."""
    properties = layer.temporalProperties()
    properties.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    properties.setStartField("time")
    properties.setFixedDuration(float(step_s))
    properties.setDurationUnits(QgsUnitTypes.TemporalSeconds)
    properties.setIsActive(True)


def layer_time_range(layer):
    """The QgsDateTimeRange of the layer's features (first to last reading)."""
    index = layer.fields().indexOf("time")
    first, last = layer.minimumValue(index), layer.maximumValue(index)
    return QgsDateTimeRange(first, last)


def read_history(source, streams, start, end, feedback=None):
    """The observations of ``streams`` between ``start`` and ``end`` (aware datetimes) from a
    SensorThingsSource or NgsiSource; a stream whose history fails is logged and skipped."""
    from .fetch import SourceError
    from .ngsi import NgsiSource

    observations = []
    for index, stream in enumerate(streams):
        if feedback is not None:
            if feedback.isCanceled():
                break
            feedback.setProgress(100.0 * index / max(1, len(streams)))
        try:
            if isinstance(source, NgsiSource):
                observations.extend(source.history(stream, start=start, end=end))
            else:
                observations.extend(source.history(stream, start, end))
        except SourceError as error:
            LOGGER.warning("Sensor history of %s: %s", stream.stream_id, error)
    return observations
