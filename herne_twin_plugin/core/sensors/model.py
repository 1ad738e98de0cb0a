"""The normalised sensor model every source is turned into: station -> stream -> observation.

- ``Station``: a place that measures (a LoRaWAN device on a light pole, a gauge in a
  hollow, a SensorThings Thing, an NGSI entity), with its position in ``crs``
  (EPSG:25832 from the city's register, EPSG:4326 lon/lat from web APIs).
- ``Stream``: one observed property of a station (``herne-aq-0001/pm10``) with its
  unit and thresholds ({"warn": 50}, {"warn_below": 15}, ...).
- ``Observation``: one reading: UTC time, float value in the stream's unit and a
  quality flag (``Quality``). Only ``valid`` values are ever shown as values.
"""

import datetime
import re
from dataclasses import dataclass, field

UTC = datetime.timezone.utc
CITY_CRS = "EPSG:25832"
LONLAT_CRS = "EPSG:4326"


class Quality:
    """Quality flag of an accepted observation (stable strings, stored in layers)."""

    VALID = "valid"
    OUT_OF_RANGE = "out_of_range"  # outside the property's physical range
    SUSPECT = "suspect"  # in a unit that cannot be converted: not comparable with ranges or thresholds
    UNCHECKED = "unchecked"  # a property without a known physical range

    ALL = (VALID, OUT_OF_RANGE, SUSPECT, UNCHECKED)


@dataclass(frozen=True)
class Station:
    station_id: str
    name: str
    x: float
    y: float
    crs: str = CITY_CRS
    sensor_type: str = ""
    properties: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Stream:
    stream_id: str
    station_id: str
    observed_property: str
    unit: str
    thresholds: dict = field(default_factory=dict, compare=False, hash=False)
    source_ref: str = ""  # where the history comes from (a Datastream id, an NGSI entity id/attr)


@dataclass(frozen=True)
class Observation:
    stream_id: str
    station_id: str
    observed_property: str
    time: datetime.datetime  # aware, UTC
    value: float
    unit: str
    quality: str
    source: str  # "tts", "chirpstack", "sensorthings", "ngsi", "quantumleap"

    @property
    def is_valid(self):
        return self.quality == Quality.VALID


def stream_id(station_id, observed_property):
    return "{}/{}".format(station_id, observed_property)


_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_time(text):
    """An aware UTC datetime from ISO 8601 text (any number of fraction digits, Z or
    an offset; no offset means UTC); ValueError for anything else."""
    if not isinstance(text, str):
        raise ValueError("not a text")
    match = _ISO_TIME.match(text.strip())
    if not match:
        raise ValueError("not an ISO 8601 time: {!r}".format(text[:40]))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micros)
    offset = datetime.timedelta(0)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return (moment - offset).replace(tzinfo=UTC)


def format_time(moment):
    """ISO 8601 in UTC with milliseconds and Z, as SensorThings and NGSI write it."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "{:03d}Z".format(moment.microsecond // 1000)


def utc_now():
    return datetime.datetime.now(UTC)


@dataclass
class Snapshot:
    """What a source holds right now: stations, their streams and each stream's latest observation."""

    stations: list = field(default_factory=list)
    streams: list = field(default_factory=list)
    observations: list = field(default_factory=list)

    def latest_by_station(self):
        """{station id: {observed property: Observation}}."""
        result = {}
        for observation in self.observations:
            result.setdefault(observation.station_id, {})[observation.observed_property] = observation
        return result
