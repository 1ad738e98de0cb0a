"""Street lights (Lichtpunkte) along the streets, in the schema of a municipal asset register.

Herne runs about 16,500 light points; the generator spaces the lights so the
whole city has that many (about 30 m apart, on both sides of main roads). Each
light gets a light point number ("HER-03412"), a UUID that is stable for the seed,
and attributes drawn with plausible dependencies: LED lamps are recent and may
carry a LoRaWAN node, HQL (mercury vapour) lamps are old, wattage fits the lamp
type and the street class.
"""

import datetime
from dataclasses import dataclass

from . import rng as rngs
from .districts import district_at
from .geometry import offset_point, point_along
from .streets import MAIN_ROAD

LIGHTS_IN_HERNE = 16500

OPERATORS = ("Stadt Herne", "Stadtwerke Herne AG")
LAMP_TYPES = ("LED", "NAV", "HQL")
MAST_TYPES = ("Stahlrohrmast", "Betonmast", "Holzmast", "Wandausleger", "Seilüberspannung")
CONTROL_UNITS = ("Rundsteuerempfänger", "Dämmerungsschalter", "LoRaWAN-Knoten")  # or none (NULL)

# (lamp type) -> (wattages on residential streets, wattages on main roads, install years)
_LAMPS = {
    "LED": ((18, 24, 31, 40), (56, 75, 100, 120), (2012, 2025)),
    "NAV": ((35, 50, 70), (100, 150), (1985, 2011)),
    "HQL": ((50, 80), (125,), (1962, 1984)),
}
# (mast type) -> mast heights in metres
_MAST_HEIGHTS = {
    "Stahlrohrmast": (4.0, 4.5, 5.0, 6.0),
    "Betonmast": (6.0, 8.0, 10.0),
    "Holzmast": (5.0, 6.0, 7.0),
    "Wandausleger": (4.5, 5.0, 5.5, 6.0),
    "Seilüberspannung": (6.0, 7.0, 8.0),
}
_MAIN_ROAD_MAST_HEIGHTS = (8.0, 9.0, 10.0, 12.0)
_FIRST_INSPECTION = datetime.date(2021, 1, 4)
_LAST_INSPECTION = datetime.date(2025, 9, 30)

FIELDS = (
    ("light_point_no", "str"), ("street", "str"), ("district", "str"), ("mast_type", "str"),
    ("mast_height_m", "real"), ("lamp_type", "str"), ("wattage_w", "int"), ("install_year", "int"),
    ("control_unit", "str"), ("operator", "str"), ("last_inspection", "date"), ("light_uuid", "str"),
)


@dataclass
class StreetLight:
    x: float
    y: float
    attributes: dict


def light_spacing(streets):
    """Metres between lights so that the whole city has LIGHTS_IN_HERNE of them."""
    lit_length = sum(street.length * (2 if street.street_class == MAIN_ROAD else 1) for street in streets)
    return lit_length / LIGHTS_IN_HERNE


def city_street_lights(seed, streets, districts):
    """Every light of the city in a stable order (numbers HER-00001 upwards)."""
    rng = rngs.stream(seed, "street_lights")
    spacing = light_spacing(streets)
    operators = {}
    lights = []
    for street in streets:
        main = street.street_class == MAIN_ROAD
        step = spacing / 2 if main else spacing
        count = max(1, int(round(street.length / step)))
        step = street.length / count
        side = rng.choice((1, -1))
        operator = operators.setdefault(street.name, rng.choices(OPERATORS, (7, 3))[0])
        for index in range(count):
            along = (index + 0.5) * step + rng.uniform(-1.5, 1.5)
            x, y, ux, uy = point_along(street.coords, min(max(along, 0.0), street.length))
            if main:
                side = -side  # staggered on both sides of main roads
            x, y = offset_point(x, y, ux, uy, side * (street.half_width - 1.0))
            district = district_at(districts, x, y)
            if district is None:
                continue  # the pavement at the city limit lies outside Herne
            number = len(lights) + 1
            attributes = _attributes(rng, main, district.in_centre(x, y))
            attributes.update(
                light_point_no="HER-{:05d}".format(number),
                street=street.name,
                district=district.name,
                operator=operator,
                light_uuid=rngs.stable_uuid(seed, "street_light", number),
            )
            lights.append(StreetLight(round(x, 2), round(y, 2), attributes))
    return lights


def _attributes(rng, main, in_centre):
    if main:
        mast_type = rng.choices(("Stahlrohrmast", "Betonmast"), (85, 15))[0]
    elif in_centre:
        mast_type = rng.choices(("Stahlrohrmast", "Wandausleger", "Seilüberspannung"), (50, 30, 20))[0]
    else:
        mast_type = rng.choices(("Stahlrohrmast", "Betonmast", "Holzmast"), (70, 20, 10))[0]
    heights = _MAIN_ROAD_MAST_HEIGHTS if main and mast_type == "Stahlrohrmast" else _MAST_HEIGHTS[mast_type]
    lamp_type = rng.choices(LAMP_TYPES, (55, 35, 10))[0]
    residential_watts, main_watts, (first_year, last_year) = _LAMPS[lamp_type]
    if lamp_type == "LED":
        control = rng.choices(CONTROL_UNITS + (None,), (35, 10, 35, 20))[0]
    else:
        control = rng.choices(CONTROL_UNITS[:2] + (None,), (60, 25, 15))[0]
    days = (_LAST_INSPECTION - _FIRST_INSPECTION).days
    return {
        "mast_type": mast_type,
        "mast_height_m": rng.choice(heights),
        "lamp_type": lamp_type,
        "wattage_w": rng.choice(main_watts if main else residential_watts),
        "install_year": rng.randint(first_year, last_year),
        "control_unit": control,
        "last_inspection": _FIRST_INSPECTION + datetime.timedelta(days=rng.randint(0, days)),
    }
