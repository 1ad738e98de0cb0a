"""What the fixture server serves: the sample stations and a deterministic time series
per stream (the same values over SensorThings, NGSI v2 and QuantumLeap)."""

import datetime

from .readings import UNITS, floor_time, reading, series_times

UTC = datetime.timezone.utc
DEFAULT_SEED = 2601


class FixtureData:
    """Stations (records of stations.py) and readings every ``step_minutes`` over the
    ``hours`` up to ``end`` (default: now, floored to the step)."""

    def __init__(self, stations, seed=DEFAULT_SEED, end=None, hours=24, step_minutes=15):
        self.stations = list(stations)
        self.seed = seed
        self.step_minutes = step_minutes
        self.end = floor_time(end or datetime.datetime.now(UTC), step_minutes)
        self.times = series_times(self.end, hours, step_minutes)
        self.streams = [(station, key) for station in self.stations for key in station["property_list"]]

    def value(self, station, key, index):
        """The reading of ``key`` at ``station`` at ``self.times[index]``."""
        return reading(self.seed, station["station_id"], key, self.times[index])

    def unit(self, station, key):
        """The unit the station's register gives for ``key`` (symbol), "" for yes/no."""
        position = station["property_list"].index(key)
        unit = station["unit_list"][position] if position < len(station["unit_list"]) else UNITS[key][0]
        return "" if unit == "bool" else unit

    def latest(self, station, key):
        return self.value(station, key, len(self.times) - 1)
