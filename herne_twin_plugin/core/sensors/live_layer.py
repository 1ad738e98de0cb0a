"""The live readings layer: one point per station, the latest reading of each stream
as attributes, updated in batches on the UI thread.

Attributes (``ReadingsSchema``): ``station_id``, ``name``, ``sensor_type``, ``source``,
``last_time`` (newest reading), ``age_s``; per observed property ``p``: ``p`` (the
value, NULL unless the reading is valid), ``p_unit``, ``p_time``, ``p_age_s`` and
``p_quality`` (see model.Quality). A value that failed a check is never written as
a value: the quality field says why it is missing.

``LiveLayerBatcher`` is driven by a QTimer on the UI thread: each tick drains the
ingest queue into a LatestValueStore and, at most ``max_repaints_per_s`` times a
second, writes the changed stations to the memory layer in one provider call and
repaints it. Headless use and tests call ``tick()`` directly.
"""

import collections
import logging
import time

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QObject, Qt, QTime, QTimer, QVariant, pyqtSignal

from ..i18n import tr
from .latest_values import LatestValueStore
from .model import CITY_CRS, Quality, utc_now
from .observed_properties import PROPERTY_ORDER

LOGGER = logging.getLogger(__name__)

STATION_FIELDS = (
    ("station_id", QVariant.String), ("name", QVariant.String), ("sensor_type", QVariant.String),
    ("source", QVariant.String), ("last_time", QVariant.DateTime), ("age_s", QVariant.Double),
)
STREAM_SUFFIXES = (
    ("", QVariant.Double), ("_unit", QVariant.String), ("_time", QVariant.DateTime), ("_age_s", QVariant.Double),
    ("_quality", QVariant.String),
)


def qdatetime(moment):
    """A UTC QDateTime for an aware datetime (None stays None: a NULL attribute)."""
    if moment is None:
        return None
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute, moment.second, moment.microsecond // 1000), Qt.UTC)


class ReadingsSchema:
    """Fields, attributes and point geometry of a readings layer (live layer and snapshot)."""

    def __init__(self, properties=PROPERTY_ORDER, crs=CITY_CRS, transform_context=None):
        self.properties = tuple(properties)
        self.crs = QgsCoordinateReferenceSystem(crs)
        self._context = transform_context or QgsCoordinateTransformContext()
        self._transforms = {}
        self.fields = QgsFields()
        for name, kind in STATION_FIELDS:
            self.fields.append(QgsField(name, kind))
        for key in self.properties:
            for suffix, kind in STREAM_SUFFIXES:
                self.fields.append(QgsField(key + suffix, kind))
        self._offsets = {key: len(STATION_FIELDS) + index * len(STREAM_SUFFIXES)
                         for index, key in enumerate(self.properties)}

    def attributes(self, station, latest, now):
        """The attribute list of ``station`` with its latest readings ({property: Observation})."""
        values = [None] * self.fields.count()
        newest = None
        sources = set()
        for key, observation in latest.items():
            offset = self._offsets.get(key)
            if offset is None:
                continue
            age = max(0.0, (now - observation.time).total_seconds())
            values[offset] = observation.value if observation.quality == Quality.VALID else None
            values[offset + 1] = observation.unit
            values[offset + 2] = qdatetime(observation.time)
            values[offset + 3] = round(age, 1)
            values[offset + 4] = observation.quality
            sources.add(observation.source)
            if newest is None or observation.time > newest:
                newest = observation.time
        values[0:6] = [
            station.station_id, station.name, station.sensor_type or None, ",".join(sorted(sources)) or None,
            qdatetime(newest), round(max(0.0, (now - newest).total_seconds()), 1) if newest else None,
        ]
        return values

    def age_changes(self, latest, now):
        """{field index: age} of the age fields of a station's readings."""
        changes = {}
        newest = None
        for key, observation in latest.items():
            offset = self._offsets.get(key)
            if offset is not None:
                changes[offset + 3] = round(max(0.0, (now - observation.time).total_seconds()), 1)
                if newest is None or observation.time > newest:
                    newest = observation.time
        if newest is not None:
            changes[5] = round(max(0.0, (now - newest).total_seconds()), 1)
        return changes

    def point(self, station):
        """The station's position as a point geometry in the schema's CRS."""
        geometry = QgsGeometry.fromPointXY(QgsPointXY(station.x, station.y))
        if station.crs != self.crs.authid():
            transform = self._transforms.get(station.crs)
            if transform is None:
                transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(station.crs), self.crs, self._context)
                self._transforms[station.crs] = transform
            geometry.transform(transform)
        return geometry

    def feature(self, station, latest, now):
        feature = QgsFeature(self.fields)
        feature.setAttributes(self.attributes(station, latest, now))
        feature.setGeometry(self.point(station))
        return feature


def create_readings_layer(schema, name=None):
    """An empty, read-only memory point layer with the schema's fields."""
    layer = QgsVectorLayer("Point?crs={}".format(schema.crs.authid()), name or tr("Live sensor readings"), "memory")
    layer.dataProvider().addAttributes(schema.fields.toList())
    layer.updateFields()
    layer.setReadOnly(True)  # written by the ingest only; a user edit would be overwritten
    return layer


class LiveReadingsLayer:
    """Writes the stations of a LatestValueStore into a memory layer (one feature each)."""

    def __init__(self, store=None, schema=None, layer=None, clock=utc_now):
        self.store = store if store is not None else LatestValueStore()
        self.schema = schema or ReadingsSchema()
        self.layer = layer or create_readings_layer(self.schema)
        self.clock = clock
        self._fids = {}
        self._positions = {}

    def write(self, station_ids):
        """Write these stations' latest readings in one provider call; the number written."""
        now = self.clock()
        provider = self.layer.dataProvider()
        new, changes, moved = [], {}, {}
        for station_id in station_ids:
            station = self.store.station(station_id)
            if station is None:
                continue
            latest = self.store.latest(station_id)
            fid = self._fids.get(station_id)
            position = (station.x, station.y, station.crs)
            if fid is None:
                new.append((station_id, position, self.schema.feature(station, latest, now)))
                continue
            changes[fid] = dict(enumerate(self.schema.attributes(station, latest, now)))
            if self._positions[station_id] != position:
                moved[fid] = self.schema.point(station)
                self._positions[station_id] = position
        if new:
            ok, added = provider.addFeatures([feature for _id, _position, feature in new])
            if not ok:
                LOGGER.error("Live readings: %d stations could not be added to the layer", len(new))
            else:
                for (station_id, position, _feature), feature in zip(new, added):
                    self._fids[station_id] = feature.id()
                    self._positions[station_id] = position
        if changes:
            provider.changeAttributeValues(changes)
        if moved:
            provider.changeGeometryValues(moved)
        if new or moved:
            self.layer.updateExtents()
        return len(new) + len(changes)

    def refresh_ages(self):
        """Recompute every station's age fields (ages grow while no reading arrives)."""
        now = self.clock()
        changes = {fid: self.schema.age_changes(self.store.latest(station_id), now)
                   for station_id, fid in self._fids.items()}
        if changes:
            self.layer.dataProvider().changeAttributeValues(changes)

    def feature_id(self, station_id):
        return self._fids.get(station_id)


class LiveLayerBatcher(QObject):
    """Drains the ingest queue on the UI thread and writes the live layer in batches.

    ``written(stations, uplinks)`` follows every layer write. ``stats()`` holds the
    figures a benchmark wants: ticks, uplinks, writes, the longest tick (the UI
    stall) and the latest parse-to-layer latencies.
    """

    written = pyqtSignal(int, int)

    def __init__(self, queue, live_layer, interval_ms=100, max_repaints_per_s=4.0, age_refresh_s=10.0,
                 max_per_tick=20000, parent=None):
        super().__init__(parent)
        self.queue = queue
        self.live_layer = live_layer
        self.min_write_interval_s = 1.0 / max_repaints_per_s if max_repaints_per_s > 0 else 0.0
        self.age_refresh_s = age_refresh_s
        self.max_per_tick = max_per_tick
        self._dirty = set()
        self._pending = []  # parse times of uplinks drained but not yet written
        self._last_write = float("-inf")
        self._last_ages = time.monotonic()
        self._stats = {"ticks": 0, "uplinks": 0, "writes": 0, "max_tick_s": 0.0}
        self.latencies_s = collections.deque(maxlen=100000)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self):
        self._timer.start()

    def stop(self):
        self._timer.stop()
        self.tick(force=True)

    def tick(self, force=False):
        """Drain the queue; write the layer when due (or when ``force``). Returns stations written."""
        started = time.monotonic()
        uplinks = self.queue.drain(self.max_per_tick)
        store = self.live_layer.store
        for uplink in uplinks:
            if store.apply(uplink.station, uplink.observations):
                self._dirty.add(uplink.station.station_id)
            self._pending.append(uplink.parsed_at)
        written = 0
        now = time.monotonic()
        if self._dirty and (force or now - self._last_write >= self.min_write_interval_s):
            written = self.live_layer.write(self._dirty)
            self.live_layer.layer.triggerRepaint()
            done = time.monotonic()
            self.latencies_s.extend(done - parsed for parsed in self._pending)
            count = len(self._pending)
            self._dirty, self._pending = set(), []
            self._last_write = self._last_ages = done
            self._stats["writes"] += 1
            self.written.emit(written, count)
        elif self._pending and not self._dirty:
            self._pending = []  # duplicates only: nothing to show
        elif now - self._last_ages >= self.age_refresh_s and not self._dirty:
            self.live_layer.refresh_ages()
            self.live_layer.layer.triggerRepaint()
            self._last_ages = time.monotonic()
        self._stats["ticks"] += 1
        self._stats["uplinks"] += len(uplinks)
        self._stats["max_tick_s"] = max(self._stats["max_tick_s"], time.monotonic() - started)
        return written

    def stats(self):
        return dict(self._stats)
