"""The street network: Herne's main roads plus a generated grid of residential streets.

Each district gets its own slightly curved street grid, turned to the district's
angle. Every second grid line exists only in the district's dense centre, so
blocks are about 125 m there and 250 m elsewhere. Lines are clipped to their
district and cut into streets of a few hundred metres, each with its own name;
main roads keep their real names and are split where they cross a district
boundary (one street feature per district, as in a municipal register).
"""

import math
from dataclasses import dataclass

from . import rng as rngs
from .geometry import cut_polyline, line_parts, ogr_linestring, ogr_polygon, polyline_length
from .street_names import MAIN_ROADS, street_name_pool

MAIN_ROAD = "Hauptverkehrsstraße"
RESIDENTIAL = "Wohnstraße"

GRID_SPACING = 250.0  # metres between residential streets outside the centres
_VERTEX_STEP = 40.0  # metres between vertices of generated streets
_MIN_PIECE = 60.0  # shorter pieces of a clipped grid line are dropped


@dataclass
class Street:
    key: str  # stable key, e.g. "1-A-03-1"
    name: str
    district: str
    street_class: str
    coords: list  # [(x, y), ...]

    @property
    def length(self):
        return polyline_length(self.coords)

    @property
    def half_width(self):
        """Half the width of the street space (carriageway and pavements), in metres."""
        return 8.5 if self.street_class == MAIN_ROAD else 5.5


def city_streets(seed, districts):
    """All streets of the city, in a stable order (main roads first)."""
    rng = rngs.stream(seed, "streets")
    names = iter(street_name_pool(rngs.stream(seed, "street_names")))
    streets = []
    for road_index, (name, coords) in enumerate(MAIN_ROADS):
        road = ogr_linestring(coords)
        for district in districts:
            pieces = line_parts(road.Intersection(district.geometry))
            for piece_index, piece in enumerate(pieces):
                if polyline_length(piece) >= 20.0:
                    key = "M{:02d}-{}-{}".format(road_index, district.district_id, piece_index)
                    streets.append(Street(key, name, district.name, MAIN_ROAD, piece))
    for district in districts:
        for family, line_index, piece_index, piece in _grid_lines(rng, district):
            for chunk_index, chunk in enumerate(_cut_into_streets(rng, piece)):
                key = "{}-{}-{:03d}-{}-{}".format(district.district_id, family, line_index, piece_index, chunk_index)
                streets.append(Street(key, next(names), district.name, RESIDENTIAL, chunk))
    return streets


def _grid_lines(rng, district):
    """(family, index, piece index, coords) of the district's grid lines, clipped to it."""
    angle = math.radians(district.street_grid_angle)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    ox, oy = district.centre
    ring = district.ring
    # the district's extent in the grid's frame (u across the lines, v along them)
    us = [(x - ox) * cos_a + (y - oy) * sin_a for x, y in ring]
    vs = [-(x - ox) * sin_a + (y - oy) * cos_a for x, y in ring]
    centre = ogr_polygon(_circle(district.centre, district.centre_radius)).Intersection(district.geometry)
    half = GRID_SPACING / 2.0
    for family in ("A", "B"):
        lo, hi = (min(us), max(us)) if family == "A" else (min(vs), max(vs))
        along_lo, along_hi = (min(vs), max(vs)) if family == "A" else (min(us), max(us))
        phase = rng.uniform(0.0, half)
        first = int(math.floor((lo - phase) / half))
        last = int(math.ceil((hi - phase) / half))
        for index in range(first, last + 1):
            offset = phase + index * half
            wiggle = (rng.uniform(0.0, 9.0), rng.uniform(350.0, 900.0), rng.uniform(0.0, 2 * math.pi))
            coords = []
            steps = int((along_hi - along_lo) / _VERTEX_STEP) + 2
            for step in range(steps):
                along = along_lo + step * _VERTEX_STEP
                across = offset + wiggle[0] * math.sin(2 * math.pi * along / wiggle[1] + wiggle[2])
                u, v = (across, along) if family == "A" else (along, across)
                coords.append((ox + u * cos_a - v * sin_a, oy + u * sin_a + v * cos_a))
            area = district.geometry if index % 2 == 0 else centre
            clipped = ogr_linestring(coords).Intersection(area)
            pieces = [piece for piece in line_parts(clipped) if polyline_length(piece) >= _MIN_PIECE]
            for piece_index, piece in enumerate(pieces):
                yield family, index - first, piece_index, piece


def _cut_into_streets(rng, coords):
    """Cut a long grid line into streets of 400-750 m (a short rest joins the last one)."""
    total = polyline_length(coords)
    cuts = [0.0]
    while total - cuts[-1] > 750.0:
        cuts.append(cuts[-1] + rng.uniform(400.0, 750.0))
    if total - cuts[-1] < 150.0 and len(cuts) > 1:
        cuts.pop()
    cuts.append(total)
    return [cut_polyline(coords, start, end) for start, end in zip(cuts, cuts[1:])]


def _circle(centre, radius, count=72):
    cx, cy = centre
    return [(cx + radius * math.cos(2 * math.pi * i / count), cy + radius * math.sin(2 * math.pi * i / count))
            for i in range(count)]
