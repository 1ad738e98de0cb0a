"""Buildings along the streets: terraced blocks in the centres, houses with gardens elsewhere.

Each side of each street is walked lot by lot. In a district centre buildings
stand at the pavement, 3-5 storeys, mostly in closed rows, with rear buildings
in the yards; elsewhere detached 1-2 storey houses with front gardens and
garages. A building is only placed where it overlaps no street space and no
other building. Some houses get an attached annex as a second BuildingPart.
Ids look like ALKIS building ids (DENW36AL...), heights are relative to the
ground (DHHN2016 from ``terrain``).
"""

import math
from dataclasses import dataclass

from . import rng as rngs
from .building_solids import FLAT, GABLE, HIP, PYRAMID, SHED, Part
from .districts import city_outline, district_at
from .geometry import offset_point, ogr_polygon, point_along, rectangle
from .occupancy import Occupancy
from .streets import MAIN_ROAD
from .terrain import ground_height

# ALKIS building functions (Gebäudefunktion) used by the generator
FUNCTIONS = {
    "31001_1010": "Wohnhaus",
    "31001_1123": "Wohn- und Geschäftsgebäude",
    "31001_2020": "Bürogebäude",
    "31001_2050": "Geschäftsgebäude",
    "31001_2143": "Lagerhalle",
    "31001_2463": "Garage",
    "31001_3021": "Allgemein bildende Schule",
    "31001_3041": "Kirche",
}
HOUSE, MIXED, OFFICE, SHOP, HALL, GARAGE, SCHOOL, CHURCH = sorted(FUNCTIONS)

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_GROUND_PLAN_DATES = ("2022-07-01", "2023-03-01", "2023-11-01", "2024-06-01")
_MARGIN = 80.0  # metres around the scale's bounds whose streets still shape the buildings in it


@dataclass
class Building:
    building_id: str  # gml:id in the CityGML
    function_code: str
    ground_z: float
    parts: list  # [building_solids.Part]; more than one: written as BuildingParts
    footprint: list  # 4 x (x, y), counter-clockwise: the outline of all parts
    district: str
    street: str
    house_number: str  # "" for buildings without an address (garages, rear buildings)
    ground_plan_date: str

    @property
    def centroid(self):
        return (sum(x for x, _y in self.footprint) / 4.0, sum(y for _x, y in self.footprint) / 4.0)

    @property
    def tile(self):
        """Name of the NRW 1 km tile the building belongs to (by its centroid)."""
        x, y = self.centroid
        return "LoD2_32_{}_{}_1_NW".format(int(x // 1000), int(y // 1000))

    @property
    def measured_height(self):
        return max(part.height for part in self.parts)

    @property
    def roof_type(self):
        return self.parts[0].roof_type


def city_buildings(seed, streets, districts, scale, progress=None):
    """The buildings whose centroid lies within ``scale.bounds``, in a stable order."""
    xmin, ymin, xmax, ymax = scale.bounds
    nearby = [
        street for street in streets
        if any(xmin - _MARGIN <= x <= xmax + _MARGIN and ymin - _MARGIN <= y <= ymax + _MARGIN
               for x, y in street.coords)
    ]
    occupancy = Occupancy()
    for street in nearby:
        occupancy.add_corridor(street.coords, street.half_width)
    outline = city_outline()
    placer = _Placer(seed, occupancy, outline, districts)
    buildings = []
    for index, street in enumerate(nearby):
        for building in placer.street_buildings(street):
            if scale.contains(*building.centroid):
                buildings.append(building)
        if progress is not None and index % 50 == 0:
            progress.fraction(index / len(nearby))
    return buildings


class _Placer:
    def __init__(self, seed, occupancy, outline, districts):
        self.seed = seed
        self.occupancy = occupancy
        self.outline = outline
        self.districts = districts
        self.ids = set()

    def street_buildings(self, street):
        rng = rngs.stream(self.seed, "buildings:" + street.key)
        main = street.street_class == MAIN_ROAD
        for side, first_number in ((1, 1), (-1, 2)):
            number = first_number
            along = rng.uniform(4.0, 12.0)
            while along < street.length - 6.0:
                x, y, ux, uy = point_along(street.coords, along)
                district = district_at(self.districts, x, y)
                dense = district is not None and district.in_centre(x, y)
                lot = _dense_lot(rng, main) if dense else _suburban_lot(rng, main)
                placed = self._place(rng, street, side, along, lot, number, dense)
                if placed:
                    yield from placed
                    number += 2
                    along += lot["width"] + lot["gap"]
                else:
                    along += 3.0

    def _place(self, rng, street, side, along, lot, number, dense):
        width, depth = lot["width"], lot["depth"]
        centre_along = along + width / 2.0
        if centre_along > street.length:
            return None
        x, y, ux, uy = point_along(street.coords, centre_along)
        distance = street.half_width + lot["setback"] + depth / 2.0
        cx, cy = offset_point(x, y, ux, uy, side * distance)
        # the house faces the street: its local frame runs along the street
        footprint = _ccw(rectangle(cx, cy, ux, uy, width, depth))
        if not self._free(footprint):
            return None
        district = district_at(self.districts, cx, cy)
        house = self._building(rng, footprint, lot["function"], dense, district, street.name, str(number))
        self.occupancy.add(footprint)
        result = [house]
        extra = lot.get("extra")
        if extra:
            # a rear building in the yard, or a garage beside the house
            if extra == "rear":
                function = rng.choices((HOUSE, GARAGE, HALL), (50, 30, 20))[0]
                if function == GARAGE:  # a row of garages in the yard
                    w, d = rng.uniform(6.0, 12.0), rng.uniform(5.5, 6.5)
                else:
                    w, d = rng.uniform(7.0, 11.0), rng.uniform(7.0, 10.0)
                ex, ey = offset_point(x, y, ux, uy, side * (distance + depth / 2.0 + rng.uniform(4.0, 9.0) + d / 2.0))
            else:
                function = GARAGE
                w, d = rng.uniform(3.0, 3.6), rng.uniform(5.5, 6.5)
                bx, by = x + ux * (width / 2.0 + 1.0 + w / 2.0), y + uy * (width / 2.0 + 1.0 + w / 2.0)
                ex, ey = offset_point(bx, by, ux, uy, side * (distance + 2.0))
            outbuilding = _ccw(rectangle(ex, ey, ux, uy, w, d))
            if self._free(outbuilding):
                district = district_at(self.districts, ex, ey)
                result.append(self._building(rng, outbuilding, function, dense, district, street.name, ""))
                self.occupancy.add(outbuilding)
        return [building for building in result if building.district]

    def _free(self, corners):
        return self.occupancy.is_free(corners) and ogr_polygon(corners).Within(self.outline)

    def _building(self, rng, footprint, function, dense, district, street, number):
        ground_z = ground_height(*_mean(footprint))
        parts = _parts(rng, footprint, function, dense)
        return Building(
            building_id=self._new_id(rng),
            function_code=function,
            ground_z=ground_z,
            parts=parts,
            footprint=footprint,
            district=district.name if district else "",
            street=street,
            house_number=number,
            ground_plan_date=rng.choice(_GROUND_PLAN_DATES),
        )

    def _new_id(self, rng):
        while True:
            value = rng.getrandbits(47)
            chars = []
            for _ in range(8):
                value, digit = divmod(value, 62)
                chars.append(_BASE62[digit])
            building_id = "DENW36AL" + "".join(reversed(chars))
            if building_id not in self.ids:
                self.ids.add(building_id)
                return building_id


def _dense_lot(rng, main):
    lot = {
        "width": rng.uniform(7.0, 12.0),
        "depth": rng.uniform(11.0, 15.0),
        "setback": rng.uniform(0.5, 1.5),
        "gap": 0.0 if rng.random() < 0.8 else rng.uniform(2.0, 6.0),
        "function": rng.choices((MIXED, HOUSE, SHOP, OFFICE), (45, 35, 10, 10) if main else (25, 60, 8, 7))[0],
        "extra": "rear" if rng.random() < 0.6 else None,
    }
    if rng.random() < 0.015:
        lot.update(width=rng.uniform(25.0, 45.0), depth=rng.uniform(18.0, 30.0), gap=rng.uniform(3.0, 8.0),
                   function=rng.choice((SCHOOL, CHURCH, SHOP)), extra=None)
    return lot


def _suburban_lot(rng, main):
    lot = {
        "width": rng.uniform(8.0, 13.0),
        "depth": rng.uniform(8.0, 12.0),
        "setback": rng.uniform(3.0, 7.0) + (2.0 if main else 0.0),
        "gap": rng.uniform(6.0, 16.0),
        "function": HOUSE,
        "extra": "garage" if rng.random() < 0.25 else None,
    }
    if rng.random() < 0.01:
        lot.update(width=rng.uniform(25.0, 50.0), depth=rng.uniform(15.0, 30.0), gap=rng.uniform(5.0, 10.0),
                   function=rng.choice((SCHOOL, HALL, CHURCH)), extra=None)
    return lot


def _parts(rng, footprint, function, dense):
    """One Part, or a house and its annex as two parts sharing a ClosureSurface."""
    c = _ridge_first(footprint)
    length, width = _dist(c[0], c[1]), _dist(c[1], c[2])
    roof, eave, height = _roof_and_heights(rng, function, dense, length, width)
    annex_length = rng.uniform(3.0, 5.0)
    if function == HOUSE and rng.random() < 0.08 and length - annex_length >= 6.0:
        # the annex takes the c1/c2 end of the footprint; the house keeps the rest
        t = (length - annex_length) / length
        m1 = _mix(c[0], c[1], t)
        m2 = _mix(c[3], c[2], t)
        annex_height = round(rng.uniform(2.6, min(3.2, eave - 0.4)), 3)
        house = Part([c[0], m1, m2, c[3]], roof, eave, height, closures={1: annex_height})
        annex = Part([m1, c[1], c[2], m2], FLAT, annex_height, annex_height, closures={3: annex_height})
        if roof == HIP and _dist(c[0], m1) < 1.15 * width:
            house.roof_type = GABLE
        return [house, annex]
    return [Part(c, roof, eave, height)]


def _roof_and_heights(rng, function, dense, length, width):
    """(roof type, eave height, measured height) in metres, rounded to millimetres."""
    if function == GARAGE:
        h = rng.uniform(2.6, 3.1)
        return FLAT, round(h, 3), round(h, 3)
    if function in (HALL, SHOP, SCHOOL):
        h = rng.uniform(6.0, 12.0)
        return FLAT, round(h, 3), round(h, 3)
    if function == CHURCH:
        eave = rng.uniform(9.0, 13.0)
        return GABLE, round(eave, 3), round(eave + width / 2.0 * math.tan(math.radians(50)), 3)
    storeys = rng.randint(3, 5) if dense else rng.randint(1, 2)
    eave = storeys * rng.uniform(2.8, 3.1) + 0.4
    if dense:
        roof = rng.choices((FLAT, GABLE, HIP, SHED), (40, 45, 10, 5))[0]
    else:
        roof = rng.choices((GABLE, HIP, FLAT, PYRAMID, SHED), (60, 18, 12, 5, 5))[0]
    if roof == HIP and length < 1.15 * width:
        roof = PYRAMID
    if roof == PYRAMID and length > 1.3 * width:
        roof = HIP
    if roof == FLAT:
        return FLAT, round(eave, 3), round(eave, 3)
    pitch = {SHED: 12.0, GABLE: 40.0, HIP: 35.0, PYRAMID: 35.0}[roof]
    rise = (width if roof == SHED else width / 2.0) * math.tan(math.radians(pitch + rng.uniform(-5.0, 5.0)))
    return roof, round(eave, 3), round(eave + rise, 3)


def _ridge_first(corners):
    """The corners rotated so that c0->c1 is a long side (the ridge runs along it)."""
    if _dist(corners[0], corners[1]) >= _dist(corners[1], corners[2]):
        return list(corners)
    return corners[1:] + corners[:1]


def _ccw(corners):
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1]))
    corners = [(round(x, 3), round(y, 3)) for x, y in corners]
    return corners if area > 0 else corners[::-1]


def _mix(p, q, t):
    return (round(p[0] + (q[0] - p[0]) * t, 3), round(p[1] + (q[1] - p[1]) * t, 3))


def _mean(points):
    return sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points)


def _dist(p, q):
    return math.hypot(q[0] - p[0], q[1] - p[1])
