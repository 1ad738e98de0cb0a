"""The latest reading of every stream of every station, as the live layer shows it.

Only a newer reading replaces the latest one: duplicates (a stream's time seen
before, e.g. a QoS 1 redelivery) and out-of-order readings (older than the latest)
are counted and otherwise ignored. Not thread-safe: it belongs to the thread that
applies batches (the UI thread, driven by ``LiveLayerBatcher``).
"""

from .quality import QualityCounters, StreamOrder


class LatestValueStore:
    POSITION = "@position"  # in apply()'s result: the station is new or has moved

    def __init__(self, counters=None, memory=64):
        self.counters = counters if counters is not None else QualityCounters()
        self._order = StreamOrder(memory)
        self._stations = {}
        self._latest = {}

    def apply(self, station, observations):
        """Take the readings of one station; the set of what changed: observed properties
        with a new latest reading, and POSITION when the station is new or has moved."""
        changed = set()
        known = self._stations.get(station.station_id)
        if known is None or (known.x, known.y, known.crs) != (station.x, station.y, station.crs):
            self._stations[station.station_id] = station
            changed.add(self.POSITION)
        latest = self._latest.setdefault(station.station_id, {})
        for observation in observations:
            kind = self._order.classify(observation.stream_id, observation.time)
            if kind != StreamOrder.NEW:
                self.counters.count_order(kind)
                continue
            latest[observation.observed_property] = observation
            changed.add(observation.observed_property)
        return changed

    def station(self, station_id):
        return self._stations.get(station_id)

    def station_ids(self):
        return list(self._stations)

    def latest(self, station_id):
        """{observed property: latest Observation} of a station (a copy)."""
        return dict(self._latest.get(station_id, {}))

    def __len__(self):
        return len(self._stations)
