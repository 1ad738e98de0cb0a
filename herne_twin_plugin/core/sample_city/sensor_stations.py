"""LoRaWAN sensor stations of Herne's growing sensor network.

Five kinds of station, placed where the city would put them: air quality and
climate sensors on light poles (``mounted_on`` names the light point), parking
sensors in the parking lane, water level gauges at the lowest point of a
Starkregen hollow, soil moisture probes in gardens and green spaces.
``observed_properties`` and ``units`` are aligned comma lists; ``thresholds`` is
JSON, e.g. {"pm10": {"warn": 50}}: "warn"/"alarm" are exceeded from above,
"warn_below" from below; NULL where no threshold makes sense (parking).
"""

import datetime
import json
import math
from dataclasses import dataclass

from . import rng as rngs
from .districts import district_at
from .geometry import offset_point, point_along
from .streets import MAIN_ROAD

SENSOR_TYPES = ("air_quality", "water_level", "parking", "soil_moisture", "temperature")

# sensor type -> (id prefix, German name, observed properties, units, share of the network in %)
_KINDS = {
    "air_quality": ("aq", "Luftqualität", ("pm10", "pm25", "no2"), ("µg/m³", "µg/m³", "µg/m³"), 12.5),
    "water_level": ("wl", "Pegel Senke", ("water_level",), ("cm",), 12.5),
    "parking": ("pk", "Parkplatz", ("occupied",), ("bool",), 40.0),
    "soil_moisture": ("sm", "Bodenfeuchte", ("soil_moisture", "soil_temperature"), ("%", "°C"), 17.5),
    "temperature": ("tp", "Stadtklima", ("temperature", "humidity"), ("°C", "%"), 17.5),
}
# the first hex digits of the DevEUIs, by sensor type (vendor-like prefixes)
_EUI_PREFIX = {
    "air_quality": "70B3D57BA0", "water_level": "A840410", "parking": "70B3D5E75E",
    "soil_moisture": "A840411", "temperature": "A81758FFFE",
}
OPERATORS = ("Stadt Herne", "Stadtwerke Herne AG")
_FIRST_DAY = datetime.date(2019, 3, 1)
_LAST_DAY = datetime.date(2025, 6, 30)

FIELDS = (
    ("station_id", "str"), ("name", "str"), ("sensor_type", "str"), ("device_eui", "str"),
    ("observed_properties", "str"), ("units", "str"), ("thresholds", "str"), ("network", "str"),
    ("operator", "str"), ("district", "str"), ("mounted_on", "str"), ("commissioned", "date"),
)


@dataclass
class SensorStation:
    x: float
    y: float
    attributes: dict


def sensor_stations(seed, scale, streets, lights, hollows, districts):
    """``scale.sensor_stations`` stations within the scale's bounds, in a stable order."""
    rng = rngs.stream(seed, "sensor_stations:" + scale.name)
    lights = [light for light in lights if scale.contains(light.x, light.y)]
    streets = [street for street in streets if any(scale.contains(x, y) for x, y in street.coords)]
    hollows = sorted((h for h in hollows if scale.contains(h.x, h.y)), key=lambda h: -h.depth)
    counts = _counts(scale.sensor_stations)
    euis = set()
    stations = []
    for sensor_type in SENSOR_TYPES:
        prefix, title, properties, units, _share = _KINDS[sensor_type]
        for number in range(1, counts[sensor_type] + 1):
            x, y, where, mounted_on = _site(rng, sensor_type, number, scale, streets, lights, hollows, districts)
            district = district_at(districts, x, y)
            stations.append(SensorStation(round(x, 2), round(y, 2), {
                "station_id": "herne-{}-{:04d}".format(prefix, number),
                "name": "{} {} {}".format(title, where, number),
                "sensor_type": sensor_type,
                "device_eui": _device_eui(rng, sensor_type, euis),
                "observed_properties": ",".join(properties),
                "units": ",".join(units),
                "thresholds": _thresholds(rng, sensor_type),
                "network": "LoRaWAN",
                "operator": rng.choice(OPERATORS),
                "district": district.name if district else None,
                "mounted_on": mounted_on,
                "commissioned": _FIRST_DAY + datetime.timedelta(days=rng.randint(0, (_LAST_DAY - _FIRST_DAY).days)),
            }))
    return stations


def _counts(total):
    """Stations per sensor type: the network's shares, rounded so they add up to ``total``."""
    shares = {sensor_type: _KINDS[sensor_type][4] for sensor_type in SENSOR_TYPES}
    if total <= 100:  # a small network shows every kind equally
        shares = dict.fromkeys(SENSOR_TYPES, 1.0)
    weight = sum(shares.values())
    counts = {sensor_type: int(total * share / weight) for sensor_type, share in shares.items()}
    for sensor_type in SENSOR_TYPES[: total - sum(counts.values())]:
        counts[sensor_type] += 1
    return counts


def _site(rng, sensor_type, number, scale, streets, lights, hollows, districts):
    """(x, y, place name, light point no. or None) for one station, inside the city and the bounds."""
    for _attempt in range(1000):
        mounted_on = None
        if sensor_type in ("air_quality", "temperature") and lights:
            light = rng.choice(lights)
            x, y, where, mounted_on = light.x, light.y, light.attributes["street"], light.attributes["light_point_no"]
        elif sensor_type == "water_level" and hollows:
            hollow = hollows[(number - 1) % len(hollows)]
            # the first round sits at the lowest points, later gauges a little up the slope
            turn = (number - 1) // len(hollows)
            x = hollow.x + math.cos(hollow.angle) * hollow.a * 0.2 * turn
            y = hollow.y + math.sin(hollow.angle) * hollow.a * 0.2 * turn
            district = district_at(districts, x, y)
            where = district.name if district else ""
        else:
            street = rng.choice(streets)
            x, y, ux, uy = point_along(street.coords, rng.uniform(0.0, street.length))
            side = rng.choice((1, -1))
            if sensor_type == "parking" or sensor_type == "water_level":
                distance = street.half_width - 2.5 if street.street_class != MAIN_ROAD else street.half_width - 3.0
            else:
                distance = street.half_width + rng.uniform(15.0, 40.0)
            x, y = offset_point(x, y, ux, uy, side * distance)
            where = street.name
        if scale.contains(x, y) and district_at(districts, x, y) is not None:
            return x, y, where, mounted_on
    raise RuntimeError("no site found for a {} station".format(sensor_type))


def _device_eui(rng, sensor_type, taken):
    prefix = _EUI_PREFIX[sensor_type]
    while True:
        eui = prefix + rngs.hex_id(rng, 16 - len(prefix))
        if eui not in taken:
            taken.add(eui)
            return eui


def _thresholds(rng, sensor_type):
    if sensor_type == "air_quality":
        limits = {"pm10": {"warn": 50}, "pm25": {"warn": 25}, "no2": {"warn": 200}}
    elif sensor_type == "water_level":
        warn = rng.choice((10, 15, 20, 30))  # cm of water in the hollow
        limits = {"water_level": {"warn": warn, "alarm": warn * 2}}
    elif sensor_type == "soil_moisture":
        limits = {"soil_moisture": {"warn_below": 15}}
    elif sensor_type == "temperature":
        limits = {"temperature": {"warn": 30, "alarm": 35}}
    else:
        return None
    return json.dumps(limits, sort_keys=True)
