"""What the city measures: observed properties with their unit and physical range.

A reading is compared with its property's range after its unit is converted to the
property's unit (the unit the city's stations report in). Properties and units
have aliases, so the names of other platforms (UN/CEFACT unit codes in FIWARE,
UCUM symbols in SensorThings, vendor payload keys) map onto ours.
"""

import functools
from dataclasses import dataclass

from ..i18n import tr

MICROGRAM_PER_M3 = "µg/m³"  # with the micro sign U+00B5, as in the sample city


@dataclass(frozen=True)
class ObservedProperty:
    key: str
    unit: str  # the unit values are kept in ("" for yes/no properties)
    minimum: float
    maximum: float
    boolean: bool = False  # 0 or 1 only (true/false accepted)


PROPERTIES = {
    prop.key: prop
    for prop in (
        ObservedProperty("pm10", MICROGRAM_PER_M3, 0.0, 1000.0),
        ObservedProperty("pm25", MICROGRAM_PER_M3, 0.0, 1000.0),
        ObservedProperty("no2", MICROGRAM_PER_M3, 0.0, 2000.0),
        # cm of water over the gauge; a dry gauge drifts a few cm around zero
        ObservedProperty("water_level", "cm", -10.0, 1000.0),
        ObservedProperty("occupied", "", 0.0, 1.0, boolean=True),
        ObservedProperty("soil_moisture", "%", 0.0, 100.0),
        ObservedProperty("soil_temperature", "°C", -30.0, 60.0),
        ObservedProperty("temperature", "°C", -40.0, 60.0),
        ObservedProperty("humidity", "%", 0.0, 100.0),
    )
}
#: The properties in a stable display order.
PROPERTY_ORDER = tuple(PROPERTIES)

# Other names for our properties (compared in lower case, "-", " " and "." as "_").
_PROPERTY_ALIASES = {
    "pm_10": "pm10", "pm10_0": "pm10", "particulate_matter_10": "pm10", "pm10_mass_concentration": "pm10",
    "pm2_5": "pm25", "pm_25": "pm25", "pm_2_5": "pm25", "particulate_matter_2_5": "pm25",
    "pm2_5_mass_concentration": "pm25",
    "nitrogen_dioxide": "no2",
    "waterlevel": "water_level", "water_level_cm": "water_level", "level": "water_level",
    "parking_occupied": "occupied", "occupancy": "occupied", "car_present": "occupied",
    "soilmoisture": "soil_moisture", "vwc": "soil_moisture", "soil_vwc": "soil_moisture",
    "soiltemperature": "soil_temperature", "soil_temp": "soil_temperature",
    "temp": "temperature", "air_temperature": "temperature", "tempc_sht": "temperature",
    "relative_humidity": "humidity", "hum_sht": "humidity", "rh": "humidity",
}

# unit spelling -> (our unit, factor, offset): value_in_our_unit = value * factor + offset
_UNITS = {}


def _unit(target, factor, offset, *spellings):
    for spelling in spellings:
        _UNITS[spelling.lower()] = (target, factor, offset)


_unit(MICROGRAM_PER_M3, 1.0, 0.0, MICROGRAM_PER_M3, "µg/m3", "μg/m³", "μg/m3", "ug/m3", "ug/m³", "ug.m-3",
      "gq", "microgram per cubic metre", "microgram per cubic meter")
_unit(MICROGRAM_PER_M3, 1000.0, 0.0, "mg/m³", "mg/m3", "gp", "milligram per cubic metre")
_unit("cm", 1.0, 0.0, "cm", "cmt", "centimetre", "centimeter")
_unit("cm", 0.1, 0.0, "mm", "mmt", "millimetre", "millimeter")
_unit("cm", 100.0, 0.0, "m", "mtr", "metre", "meter")
_unit("%", 1.0, 0.0, "%", "p1", "percent", "%rh", "% rh")
_unit("°C", 1.0, 0.0, "°C", "℃", "degc", "cel", "celsius", "degree celsius")
_unit("°C", 1.0, -273.15, "k", "kel", "kelvin")
_unit("°C", 5.0 / 9.0, -32.0 * 5.0 / 9.0, "°f", "fah", "degf", "fahrenheit")
_unit("", 1.0, 0.0, "", "bool", "boolean", "1", "c62")


@functools.lru_cache(maxsize=1024)  # called for every reading of every uplink
def property_key(name):
    """Our key for a property name from a message or a server; the name itself
    (normalised) when it is not one of ours."""
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_").replace(".", "_")
    if key in PROPERTIES:
        return key
    return _PROPERTY_ALIASES.get(key, key)


def convert(key, value, unit):
    """(value, unit) in the property's own unit, or None when ``unit`` cannot be
    converted to it (an unknown unit or one of another quantity). ``unit`` None or
    "" means the property's own unit (LoRaWAN payloads carry no units)."""
    prop = PROPERTIES[key]
    if unit is None or (unit == "" and not prop.boolean):
        return value, prop.unit
    found = _UNITS.get(str(unit).strip().lower())
    if found is None or found[0] != prop.unit:
        return None
    _target, factor, offset = found
    return value * factor + offset, prop.unit


def property_label(key):
    labels = {
        "pm10": tr("PM10"),
        "pm25": tr("PM2.5"),
        "no2": tr("NO2"),
        "water_level": tr("Water level"),
        "occupied": tr("Parking space occupied"),
        "soil_moisture": tr("Soil moisture"),
        "soil_temperature": tr("Soil temperature"),
        "temperature": tr("Air temperature"),
        "humidity": tr("Relative humidity"),
    }
    return labels.get(key, key)
