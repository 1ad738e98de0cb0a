"""Deterministic synthetic readings: the same seed, station, property and time always
give the same value; the fixture server and the simulator share them.

Values follow a daily cycle plus hashed noise, rounded to what the devices' codecs
can carry (so a raw payload decodes to exactly the value of a decoded one).
"""

import datetime
import hashlib
import math
import struct

UTC = datetime.timezone.utc
# The city's units per property, written the way each platform writes them.
UNITS = {
    "pm10": ("µg/m³", "GQ", "microgram per cubic metre"),
    "pm25": ("µg/m³", "GQ", "microgram per cubic metre"),
    "no2": ("µg/m³", "GQ", "microgram per cubic metre"),
    "water_level": ("cm", "CMT", "centimetre"),
    "occupied": ("", "C62", "occupied (1) or free (0)"),
    "soil_moisture": ("%", "P1", "percent volumetric water content"),
    "soil_temperature": ("°C", "CEL", "degree Celsius"),
    "temperature": ("°C", "CEL", "degree Celsius"),
    "humidity": ("%", "P1", "percent relative humidity"),
}
# Resolution of the codecs (herne_twin_plugin/core/sensors/codecs.py).
_STEP = {"pm10": 0.1, "pm25": 0.1, "no2": 0.1, "water_level": 0.1, "occupied": 1, "soil_moisture": 0.01,
         "soil_temperature": 0.01, "temperature": 0.01, "humidity": 0.5}


def uniform(seed, *parts):
    """A float in [0, 1) from the seed and the parts (stable across runs and machines)."""
    digest = hashlib.blake2b("|".join(str(part) for part in (seed,) + parts).encode(), digest_size=8).digest()
    return struct.unpack(">Q", digest)[0] / 2.0 ** 64


def _quantise(key, value):
    step = _STEP.get(key, 0.01)
    return round(round(value / step) * step, 4)


def reading(seed, station_id, key, moment):
    """The value of ``key`` at station ``station_id`` at ``moment`` (aware datetime)."""
    stamp = int(moment.timestamp())
    hours = (stamp % 86400) / 3600.0
    day_cycle = math.sin((hours - 9.0) / 24.0 * 2.0 * math.pi)  # highest in the afternoon
    noise = uniform(seed, station_id, key, stamp) - 0.5
    site = uniform(seed, station_id, key, "site")  # each station a little different
    if key == "pm10":
        value = 16 + 8 * site + 7 * day_cycle + 8 * noise
    elif key == "pm25":
        value = 9 + 5 * site + 4 * day_cycle + 5 * noise
    elif key == "no2":
        value = 22 + 20 * site + 12 * day_cycle + 10 * noise
    elif key == "water_level":
        # dry most of the time; a few hours of water after a (hashed) rain event
        event = uniform(seed, station_id, "rain", stamp // (6 * 3600))
        phase = (stamp % (6 * 3600)) / (6 * 3600.0)
        value = 45 * site * math.sin(phase * math.pi) if event > 0.8 else 0.0
    elif key == "occupied":
        busy = 0.35 + 0.45 * max(0.0, day_cycle)
        value = 1 if noise + 0.5 < busy else 0
    elif key == "soil_moisture":
        value = 22 + 15 * site - 3 * day_cycle + 2 * noise
    elif key == "soil_temperature":
        value = 13 + 3 * day_cycle + 0.5 * noise
    elif key == "temperature":
        value = 17 + 2 * site + 6 * day_cycle + 1.5 * noise
    elif key == "humidity":
        value = 68 - 18 * day_cycle + 10 * noise
    else:
        value = 100 * noise
    if key in ("humidity", "soil_moisture"):
        value = min(100.0, max(0.0, value))
    elif key in ("pm10", "pm25", "no2", "water_level"):
        value = max(0.0, value)
    return _quantise(key, value)


def series_times(end, hours, step_minutes):
    """Times from ``end`` back over ``hours``, oldest first, every ``step_minutes``."""
    step = datetime.timedelta(minutes=step_minutes)
    count = int(hours * 60 // step_minutes) + 1
    return [end - step * (count - 1 - index) for index in range(count)]


def floor_time(moment, step_minutes):
    seconds = step_minutes * 60
    stamp = int(moment.timestamp()) // seconds * seconds
    return datetime.datetime.fromtimestamp(stamp, UTC)


def iso(moment):
    """ISO 8601 with milliseconds and Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "{:03d}Z".format(moment.microsecond // 1000)
