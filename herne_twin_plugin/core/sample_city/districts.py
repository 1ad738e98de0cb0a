"""The four Stadtbezirke of Herne, simplified, at their real location (EPSG:25832).

The districts share their boundary vertices (``_NODES``), so together they tile the
city without gaps or overlaps. The outline is a coarse sketch of Herne (about
51 km², E 364-375 km, N 5711-5718 km); populations are plausible, not official.
"""

import math
from dataclasses import dataclass, field

from .geometry import ogr_point, ogr_polygon

# Boundary vertices in metres. P* run round the city counter-clockwise from the
# south-west, the others are inner boundary points (J1: where Wanne, Eickel and
# Herne-Mitte meet).
_NODES = {
    "P0": (364700, 5712300), "P1": (366000, 5711700), "P2": (367400, 5711300),
    "P3": (368900, 5711700), "P4": (370100, 5711600), "P5": (371200, 5711800),
    "P6": (372900, 5712100), "P7": (374100, 5713000), "P8": (374600, 5714300),
    "P9": (374200, 5715400), "P10": (373500, 5716400), "P11": (372300, 5716800),
    "P12": (370900, 5716700), "P13": (370000, 5716900), "P14": (368900, 5717000),
    "P15": (368000, 5717900), "P16": (366800, 5718100), "P17": (365600, 5717800),
    "P18": (364900, 5716900), "P19": (364400, 5715500), "P20": (364300, 5714400),
    "P21": (364400, 5713200),
    "J1": (367600, 5714300), "WE": (365800, 5714600), "EM": (367800, 5713000),
    "WM1": (368400, 5715500), "WM2": (368600, 5716700),
    "MS1": (370900, 5715800), "MS2": (370700, 5714300), "MS3": (371000, 5712900),
}

OUTLINE = ["P{}".format(index) for index in range(22)]


@dataclass
class District:
    district_id: int
    name: str
    population: int
    nodes: list
    street_grid_angle: float  # degrees; the local street grid's orientation
    centre: tuple  # the dense town centre (E, N)
    centre_radius: float  # metres
    geometry: object = field(default=None, repr=False)  # ogr Polygon

    @property
    def ring(self):
        return [_NODES[name] for name in self.nodes]

    def contains(self, x, y):
        return self.geometry.Contains(ogr_point(x, y))

    def in_centre(self, x, y):
        return math.hypot(x - self.centre[0], y - self.centre[1]) <= self.centre_radius


_DISTRICTS = (
    (1, "Herne-Mitte", 63400,
     ["P2", "P3", "P4", "P5", "MS3", "MS2", "MS1", "P12", "P13", "P14", "WM2", "WM1", "J1", "EM"],
     8.0, (369600, 5713600), 750.0),
    (2, "Wanne", 35100,
     ["P20", "WE", "J1", "WM1", "WM2", "P14", "P15", "P16", "P17", "P18", "P19"],
     -12.0, (365900, 5716000), 450.0),
    (3, "Eickel", 31300,
     ["P21", "P0", "P1", "P2", "EM", "J1", "WE", "P20"],
     20.0, (365600, 5713000), 380.0),
    (4, "Sodingen", 27600,
     ["P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12", "MS1", "MS2", "MS3"],
     -5.0, (373000, 5714500), 380.0),
)


def herne_districts():
    """The four districts, each with its OGR polygon, in district_id order."""
    result = []
    for district_id, name, population, nodes, angle, centre, radius in _DISTRICTS:
        district = District(district_id, name, population, nodes, angle, centre, radius)
        district.geometry = ogr_polygon(district.ring)
        result.append(district)
    return result


def city_outline():
    """Herne's outline as an OGR polygon."""
    return ogr_polygon([_NODES[name] for name in OUTLINE])


def district_at(districts, x, y):
    """The district containing (x, y), or None outside the city."""
    point = ogr_point(x, y)
    for district in districts:
        if district.geometry.Contains(point):
            return district
    return None
