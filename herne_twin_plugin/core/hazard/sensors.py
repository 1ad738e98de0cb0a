"""Water-level and rain sensors over the hazard map: their thresholds tied to the scenario.

A water-level gauge (``sensor_type`` water_level, or a ``water_level`` observed property)
sits in a hollow; in a scenario the hazard data gives the water depth at its place. The
gauge's thresholds (``thresholds`` JSON of the sensor register, e.g.
``{"water_level": {"warn": 30, "alarm": 60}}`` in the unit of ``units``) then tell what
the gauge would report in that scenario: "alarm", "warning" or "below warning". With a
depth raster the depth at the gauge counts; with depth-class polygons the class's lower
bound (the depth the class guarantees).

A rain gauge (``rain``/``precipitation``) compares its thresholds in mm/h with the rain
of the scenario, where the scenario fixes one (Extremregen: 90 mm/h).

Sensors of other kinds, and gauges without thresholds, get no state.
"""

import json

from qgis.core import QgsField
from qgis.PyQt.QtCore import QVariant

from .scenarios import CODE_BELOW_10, CODE_NO_DATA, DEPTH_CLASSES, RAIN_MM_PER_HOUR

WATER_LEVEL = "water_level"
RAIN = "rain"
_WATER_LEVEL_NAMES = ("water_level", "waterlevel", "wasserstand", "pegel", "gauge_height")
_RAIN_NAMES = ("rain", "precipitation", "rainfall", "niederschlag", "rain_intensity", "precipitation_intensity")
_TO_CM = {"cm": 1.0, "m": 100.0, "mm": 0.1}
_TO_MM_PER_HOUR = {"mm/h": 1.0, "mm h-1": 1.0, "mm/hr": 1.0, "l/m²/h": 1.0, "mm/min": 60.0}

ALARM = "alarm"
WARNING = "warning"
BELOW_WARNING = "below warning"
NO_DATA = "no data"
STATES = (ALARM, WARNING, BELOW_WARNING, NO_DATA)
# the output fields this view adds to an exposure of sensor stations
VIEW_FIELDS = (
    ("hazard_sensor", QVariant.String),  # water_level or rain
    ("threshold_warn", QVariant.Double),
    ("threshold_alarm", QVariant.Double),
    ("threshold_unit", QVariant.String),  # cm for gauges, mm/h for rain
    ("expected_state", QVariant.String),
)


# the asset attributes view_columns reads
READ_FIELDS = ("sensor_type", "observed_properties", "units", "thresholds")


def is_sensor_layer(fields):
    return fields.indexOf("thresholds") >= 0 and (
        fields.indexOf("sensor_type") >= 0 or fields.indexOf("observed_properties") >= 0)


def view_fields():
    return [QgsField(name, kind) for name, kind in VIEW_FIELDS]


def _list(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return []
    return [part.strip() for part in str(value).split(",")]


def hazard_kind(sensor_type, observed_properties=""):
    """WATER_LEVEL, RAIN or None, with the observed property that tells it."""
    candidates = [str(sensor_type or "").strip().lower()] + [p.lower() for p in _list(observed_properties)]
    for candidate in candidates:
        if candidate in _WATER_LEVEL_NAMES:
            return WATER_LEVEL, candidate
        if candidate in _RAIN_NAMES:
            return RAIN, candidate
    return None, None


def thresholds_of(thresholds_json, observed_properties, units, kind):
    """(warn, alarm) of the hazard property in cm (gauges) or mm/h (rain); None where the
    register gives none (or JSON it cannot read, or a unit it cannot convert)."""
    try:
        thresholds = json.loads(str(thresholds_json)) if thresholds_json not in (None, "") else {}
    except (TypeError, ValueError):
        return None, None
    if not isinstance(thresholds, dict):
        return None, None
    names = _WATER_LEVEL_NAMES if kind == WATER_LEVEL else _RAIN_NAMES
    key = next((k for k in thresholds if str(k).lower() in names), None)
    if key is None or not isinstance(thresholds[key], dict):
        return None, None
    properties = [p.lower() for p in _list(observed_properties)]
    unit_list = _list(units)
    unit = unit_list[properties.index(key.lower())] if key.lower() in properties and \
        properties.index(key.lower()) < len(unit_list) else ("cm" if kind == WATER_LEVEL else "mm/h")
    factors = _TO_CM if kind == WATER_LEVEL else _TO_MM_PER_HOUR
    factor = factors.get(unit.strip().lower())
    if factor is None:
        return None, None
    limits = thresholds[key]
    return _scaled(limits.get("warn"), factor), _scaled(limits.get("alarm"), factor)


def _scaled(value, factor):
    try:
        return None if value is None else float(value) * factor
    except (TypeError, ValueError):
        return None


def state_of(level, warn, alarm):
    if level is None:
        return NO_DATA
    if alarm is not None and level >= alarm:
        return ALARM
    if warn is not None and level >= warn:
        return WARNING
    return BELOW_WARNING


def gauge_depth(max_depth_cm, code):
    """The depth at a gauge: the measured depth, else the lower bound of its class."""
    if code == CODE_NO_DATA:
        return None
    if max_depth_cm is not None and max_depth_cm == max_depth_cm:
        return float(max_depth_cm)
    if code == CODE_BELOW_10:
        return 0.0
    return DEPTH_CLASSES[code - 1].min_cm


def view_columns(features, max_depths, codes, scenario):
    """Values of VIEW_FIELDS for each station, in the order of ``features``."""
    rain = RAIN_MM_PER_HOUR.get(scenario)
    names = features[0].fields().names() if features else []
    rows = []
    for feature, depth, code in zip(features, max_depths, codes):
        sensor_type = feature["sensor_type"] if "sensor_type" in names else None
        observed = feature["observed_properties"] if "observed_properties" in names else None
        kind, _property = hazard_kind(sensor_type, observed)
        if kind is None:
            rows.append([None, None, None, None, None])
            continue
        units = feature["units"] if "units" in names else None
        warn, alarm = thresholds_of(feature["thresholds"], observed, units, kind)
        if warn is None and alarm is None:
            rows.append([kind, None, None, None, None])
            continue
        if kind == WATER_LEVEL:
            level, unit = gauge_depth(depth, int(code)), "cm"
        else:
            level, unit = (rain if int(code) != CODE_NO_DATA else None), "mm/h"
        rows.append([kind, warn, alarm, unit, state_of(level, warn, alarm)])
    return rows
