"""The live readings layer: one point per station, the latest reading of each stream
as attributes, updated in batches on the UI thread.

Attributes (``ReadingsSchema``): ``station_id``, ``name``, ``sensor_type``, ``source``,
``last_time`` (newest reading), ``age_s``; per observed property ``p``: ``p`` (the
value, NULL unless the reading is valid), ``p_unit``, ``p_time``, ``p_age_s`` and
``p_quality`` (see model.Quality). A value that failed a check is never written as
a value: the quality field says why it is missing.

``LiveLayerBatcher`` is driven by a QTimer on the UI thread: each tick drains the
ingest queue into a LatestValueStore and, at most ``max_repaints_per_s`` times a
second, writes the changed fields of the changed stations to the memory layer (one
provider call per tick, a bounded number of stations per tick) and repaints it.
Headless use and tests call ``tick()`` directly.
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

    def changes(self, station, latest, properties, now):
        """{field index: value} of the station fields and of the given properties' fields
        (what a new reading of those properties changes)."""
        changes = {}
        newest = None
        sources = set()
        for key, observation in latest.items():
            sources.add(observation.source)
            if newest is None or observation.time > newest:
                newest = observation.time
            offset = self._offsets.get(key)
            if offset is None or key not in properties:
                continue
            changes[offset] = observation.value if observation.quality == Quality.VALID else None
            changes[offset + 1] = observation.unit
            changes[offset + 2] = qdatetime(observation.time)
            changes[offset + 3] = round(max(0.0, (now - observation.time).total_seconds()), 1)
            changes[offset + 4] = observation.quality
        changes[3] = ",".join(sorted(sources)) or None
        changes[4] = qdatetime(newest)
        changes[5] = round(max(0.0, (now - newest).total_seconds()), 1) if newest else None
        return changes

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

    def write(self, changes):
        """Write stations into the layer in one provider call; the number written.

        ``changes`` maps station ids to what changed (LatestValueStore.apply's sets):
        only those fields are written. A plain list of station ids writes them whole.
        """
        if not isinstance(changes, dict):
            changes = {station_id: None for station_id in changes}
        now = self.clock()
        provider = self.layer.dataProvider()
        new, attribute_changes, moved = [], {}, {}
        for station_id, what in changes.items():
            station = self.store.station(station_id)
            if station is None:
                continue
            latest = self.store.latest(station_id)
            fid = self._fids.get(station_id)
            position = (station.x, station.y, station.crs)
            if fid is None:
                new.append((station_id, position, self.schema.feature(station, latest, now)))
                continue
            if what is None:
                attribute_changes[fid] = dict(enumerate(self.schema.attributes(station, latest, now)))
            else:
                attribute_changes[fid] = self.schema.changes(station, latest, what, now)
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
        if attribute_changes:
            provider.changeAttributeValues(attribute_changes)
        if moved:
            provider.changeGeometryValues(moved)
        if new or moved:
            self.layer.updateExtents()
        return len(new) + len(attribute_changes)

    def refresh_ages(self):
        """Recompute every station's age fields (ages grow while no reading arrives)."""
        now = self.clock()
        changes = {fid: self.schema.age_changes(self.store.latest(station_id), now)
                   for station_id, fid in self._fids.items()}
        if changes:
            self.layer.dataProvider().changeAttributeValues(changes)

    def feature_id(self, station_id):
        return self._fids.get(station_id)


def _merged(items):
    merged = {}
    for station_id, what in items:
        merged.setdefault(station_id, set()).update(what)
    return merged


class LiveLayerBatcher(QObject):
    """Drains the ingest queue on the UI thread and writes the live layer in batches.

    Every tick (``interval_ms``) drains the queue into the store. At most
    ``max_repaints_per_s`` times a second a write cycle starts: the stations changed so far
    are written, at most ``max_stations_per_tick`` per tick (so one tick never stalls the
    UI for long), and when the cycle's last station is written the layer is repainted and
    ``written(stations, uplinks)`` emitted. A tick also stops by time: it drains in chunks
    until half of ``tick_budget_s`` is used and writes chunks of ``WRITE_CHUNK`` stations
    until the budget is used (at least one chunk, so a cycle always ends); while work is
    left over the next tick follows after ``backlog_interval_ms`` instead of ``interval_ms``.
    ``stats()`` holds what a benchmark wants: ticks, uplinks, cycles, the longest tick (the
    UI stall); ``latencies_s`` the time from parsing a station's oldest unwritten uplink to
    its write.
    """

    written = pyqtSignal(int, int)

    DRAIN_CHUNK = 500  # uplinks taken from the queue at a time
    WRITE_CHUNK = 100  # stations written in one provider call

    def __init__(self, queue, live_layer, interval_ms=50, max_repaints_per_s=4.0, age_refresh_s=10.0,
                 max_per_tick=20000, max_stations_per_tick=400, tick_budget_s=0.02, backlog_interval_ms=5,
                 parent=None):
        super().__init__(parent)
        self.queue = queue
        self.live_layer = live_layer
        self.min_write_interval_s = 1.0 / max_repaints_per_s if max_repaints_per_s > 0 else 0.0
        self.age_refresh_s = age_refresh_s
        self.max_per_tick = max_per_tick
        self.max_stations_per_tick = max_stations_per_tick
        self.tick_budget_s = tick_budget_s  # None: no time limit (the counts only)
        self.interval_ms = interval_ms
        self.backlog_interval_ms = backlog_interval_ms
        self._dirty = {}  # station id -> what changed, not yet in a write cycle
        self._parsed = {}  # station id -> parse time of its oldest uplink not yet in a write cycle
        self._cycle = None  # [(station id, what changed)] still to write in this cycle
        self._cycle_parsed = {}  # the same as _parsed, for the stations of the cycle
        self._cycle_stats = [0, 0]  # stations written, uplinks drained in this cycle
        self._last_cycle = float("-inf")
        self._last_ages = time.monotonic()
        self._stats = {"ticks": 0, "uplinks": 0, "writes": 0, "cycles": 0, "max_tick_s": 0.0}
        self.latencies_s = collections.deque(maxlen=100000)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self):
        self._timer.start()

    def stop(self):
        """Stop the timer and write everything still pending."""
        self._timer.stop()
        self.tick(force=True)

    def tick(self, force=False):
        """Drain the queue; write when due (everything when ``force``). Returns stations written."""
        started = time.monotonic()
        budget = None if force or self.tick_budget_s is None else self.tick_budget_s
        drained = 0
        store = self.live_layer.store
        while drained < self.max_per_tick:
            uplinks = self.queue.drain(min(self.DRAIN_CHUNK, self.max_per_tick - drained))
            for uplink in uplinks:
                changed = store.apply(uplink.station, uplink.observations)
                if changed:
                    station_id = uplink.station.station_id
                    self._dirty.setdefault(station_id, set()).update(changed)
                    self._parsed.setdefault(station_id, uplink.parsed_at)
            drained += len(uplinks)
            if len(uplinks) < self.DRAIN_CHUNK or (budget is not None
                                                   and time.monotonic() - started >= budget / 2):
                break
        self._cycle_stats[1] += drained
        if self._cycle is None and self._dirty and (force or started - self._last_cycle >= self.min_write_interval_s):
            self._cycle, self._dirty = list(self._dirty.items()), {}
            self._cycle_parsed, self._parsed = self._parsed, {}
            self._last_cycle = started
        written = 0
        if self._cycle is not None:
            if force:
                batch, self._cycle = self._cycle + list(self._dirty.items()), []
                for station_id, parsed in self._parsed.items():
                    self._cycle_parsed.setdefault(station_id, parsed)
                self._dirty, self._parsed = {}, {}
                written = self._write(batch)
            else:
                allowed = self.max_stations_per_tick
                while self._cycle and allowed > 0:
                    size = min(self.WRITE_CHUNK, allowed)
                    batch, self._cycle = self._cycle[:size], self._cycle[size:]
                    allowed -= len(batch)
                    written += self._write(batch)
                    if budget is not None and time.monotonic() - started >= budget:
                        break
            if not self._cycle:
                self._finish_cycle()
        elif started - self._last_ages >= self.age_refresh_s:
            self.live_layer.refresh_ages()
            self.live_layer.layer.triggerRepaint()
            self._last_ages = time.monotonic()
        self._stats["ticks"] += 1
        self._stats["uplinks"] += drained
        self._stats["max_tick_s"] = max(self._stats["max_tick_s"], time.monotonic() - started)
        if self._timer.isActive():  # work left over: come back soon, the event loop runs in between
            backlog = bool(self._cycle) or len(self.queue) > 0
            self._timer.setInterval(self.backlog_interval_ms if backlog else self.interval_ms)
        return written

    def _write(self, batch):
        batch = _merged(batch)  # a station may be both in the cycle and changed since
        written = self.live_layer.write(batch)
        done = time.monotonic()
        self.latencies_s.extend(done - self._cycle_parsed.pop(station_id, done) for station_id in batch)
        self._stats["writes"] += 1
        self._cycle_stats[0] += written
        return written

    def _finish_cycle(self):
        self._cycle = None
        self.live_layer.layer.triggerRepaint()
        self._last_ages = time.monotonic()
        self._stats["cycles"] += 1
        stations, uplinks = self._cycle_stats
        self._cycle_stats = [0, 0]
        self.written.emit(stations, uplinks)

    def stats(self):
        return dict(self._stats)
