"""Starkregen (heavy rain) water depths for Herne's three scenarios, as rasters and depth-class polygons.

The model: rain collects in hollows (Senken: dips, underpasses, courtyards) and
along flow paths. Each hollow is an elliptic bowl; in a scenario with fill level
k the water depth is ``D * (k - q²)`` where q is the elliptic distance from the
bowl's lowest point and D its depth in cm at k = 1. The scenarios fill the same
hollows more or less: the "seltener" (rare, about 30-year) rain least, the
"außergewöhnliche" (about 100-year) rain more, the Extremregen (90 mm/h) most,
so every scenario's flooded area lies inside the next one's, and deeper classes
lie inside shallower ones. Where hollows overlap the deeper water counts.

The rasters are that depth on a grid (cm, Float32, nodata -9999, dry cells are
nodata). The depth-class polygons are the exact areas between the class bounds
(10/30/50/100 cm), so classifying the raster gives the polygons' classes up to
one cell at the class boundaries.
"""

import math
from dataclasses import dataclass

import numpy
from osgeo import gdal, ogr

from ..hazard.scenarios import DEPTH_CLASSES as HAZARD_DEPTH_CLASSES
from ..hazard.scenarios import HERNE_SCENARIOS
from . import rng as rngs
from .geometry import checked, crs, ellipse_ring, ogr_box, ogr_polygon, polygon_parts

# How full the hollows run in each scenario (the rarer the rain, the less water).
FILL_LEVELS = {"seltener_starkregen": 0.45, "aussergewoehnlicher_starkregen": 0.7, "extremregen": 1.0}
# (layer name = WMS layer name of Herne's Starkregengefahrenkarte, label, fill level k),
# from the one definition of the scenarios and classes in core/hazard/scenarios.py.
SCENARIOS = tuple((s.key, s.official_name, FILL_LEVELS[s.key]) for s in HERNE_SCENARIOS)
# (depth class, lower bound in cm, upper bound in cm or None)
DEPTH_CLASSES = tuple(
    (c.name, int(c.min_cm), None if c.max_cm is None else int(c.max_cm)) for c in HAZARD_DEPTH_CLASSES
)
NODATA = -9999.0

FIELDS = (
    ("scenario", "str"), ("scenario_label", "str"), ("depth_class", "str"),
    ("depth_min_cm", "int"), ("depth_max_cm", "int"),
)

_HOLLOWS_PER_KM2 = 8.0
_BLOCK_ROWS = 256


@dataclass(frozen=True)
class Hollow:
    x: float
    y: float
    a: float  # semi-axis along ``angle``, metres
    b: float  # the other semi-axis, metres
    angle: float  # radians
    depth: float  # cm of water at the lowest point when the hollow is full (k = 1)

    def extent(self, fill):
        """(xmin, ymin, xmax, ymax) of the wet area at fill level ``fill``."""
        reach = max(self.a, self.b) * math.sqrt(fill)
        return self.x - reach, self.y - reach, self.x + reach, self.y + reach


def city_hollows(seed, outline):
    """The hollows of the whole city (the same for every scale), each wholly inside ``outline``."""
    rng = rngs.stream(seed, "starkregen")
    xmin, xmax, ymin, ymax = outline.GetEnvelope()
    count = int(round(outline.GetArea() / 1e6 * _HOLLOWS_PER_KM2))
    hollows = []
    while len(hollows) < count:
        kind = rng.choices(("puddle", "dip", "basin", "flow path"), (60, 30, 7, 3))[0]
        if kind == "puddle":
            a, depth = rng.uniform(15.0, 40.0), rng.uniform(20.0, 70.0)
            b = a * rng.uniform(0.5, 1.0)
        elif kind == "dip":
            a, depth = rng.uniform(40.0, 120.0), rng.uniform(40.0, 150.0)
            b = a * rng.uniform(0.4, 1.0)
        elif kind == "basin":
            a, depth = rng.uniform(120.0, 250.0), rng.uniform(60.0, 240.0)
            b = a * rng.uniform(0.5, 0.9)
        else:
            a, depth = rng.uniform(200.0, 500.0), rng.uniform(25.0, 80.0)
            b = rng.uniform(12.0, 30.0)
        hollow = Hollow(
            round(rng.uniform(xmin, xmax), 2), round(rng.uniform(ymin, ymax), 2),
            round(a, 2), round(b, 2), round(rng.uniform(0.0, math.pi), 4), round(depth, 1),
        )
        if ogr_polygon(ellipse_ring(hollow.x, hollow.y, hollow.a, hollow.b, hollow.angle)).Within(outline):
            hollows.append(hollow)
    return hollows


def depth_class_areas(hollows, bounds):
    """[(scenario, label, class name, min cm, max cm or None, ogr Polygon)] clipped to ``bounds``."""
    box = ogr_box(*bounds)
    result = []
    for scenario, label, fill in SCENARIOS:
        wet = [_wet_area(hollows, fill, lower, box) for _name, lower, _upper in DEPTH_CLASSES]
        for index, (name, lower, upper) in enumerate(DEPTH_CLASSES):
            area = wet[index]
            if index + 1 < len(wet) and not wet[index + 1].IsEmpty():
                area = checked(area.Difference(wet[index + 1]), "Starkregen areas")
            parts = polygon_parts(area)
            parts.sort(key=lambda polygon: polygon.GetEnvelope())
            for polygon in parts:
                result.append((scenario, label, name, lower, upper, polygon))
    return result


def _wet_area(hollows, fill, min_depth, box):
    """The area where the water is at least ``min_depth`` cm deep, within ``box``."""
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    xmin, xmax, ymin, ymax = box.GetEnvelope()
    for hollow in hollows:
        scale_sq = fill - min_depth / hollow.depth
        if scale_sq <= 0.0:
            continue
        hx0, hy0, hx1, hy1 = hollow.extent(fill)
        if hx1 < xmin or hx0 > xmax or hy1 < ymin or hy0 > ymax:
            continue
        scale = math.sqrt(scale_sq)
        ring = ellipse_ring(hollow.x, hollow.y, hollow.a * scale, hollow.b * scale, hollow.angle)
        union.AddGeometry(ogr_polygon(ring))
    if union.GetGeometryCount() == 0:
        return ogr.Geometry(ogr.wkbPolygon)
    merged = checked(union.UnionCascaded(), "Starkregen areas")
    return checked(merged.Intersection(box), "Starkregen areas")


def write_depth_raster(path, hollows, fill, bounds, resolution, metadata, progress=None):
    """A GeoTIFF of the water depth (cm) in a scenario, written in blocks of rows."""
    xmin, ymin, xmax, ymax = bounds
    width = int(round((xmax - xmin) / resolution))
    height = int(round((ymax - ymin) / resolution))
    driver = gdal.GetDriverByName("GTiff")
    dataset = checked(driver.Create(
        path, width, height, 1, gdal.GDT_Float32,
        options=["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=3"],
    ), path)
    dataset.SetGeoTransform((xmin, resolution, 0.0, ymax, 0.0, -resolution))
    dataset.SetProjection(crs().ExportToWkt())
    dataset.SetMetadata(metadata)
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.SetUnitType("cm")
    band.SetDescription("Wassertiefe (cm)")
    xs = xmin + (numpy.arange(width) + 0.5) * resolution
    for top in range(0, height, _BLOCK_ROWS):
        rows = min(_BLOCK_ROWS, height - top)
        ys = ymax - (top + numpy.arange(rows) + 0.5) * resolution
        checked(band.WriteArray(_depth_block(hollows, fill, xs, ys), 0, top), path)
        if progress is not None:
            progress((top + rows) / height)
    if max(width, height) > 4096:
        # overviews, so that a map of the whole city does not read every cell
        checked(dataset.BuildOverviews("NEAREST", [4, 16, 64]), path)
    band.FlushCache()
    dataset = None


def _depth_block(hollows, fill, xs, ys):
    depth = numpy.zeros((len(ys), len(xs)), dtype=numpy.float64)
    for hollow in hollows:
        hx0, hy0, hx1, hy1 = hollow.extent(fill)
        cols = numpy.nonzero((xs >= hx0) & (xs <= hx1))[0]
        rows = numpy.nonzero((ys >= hy0) & (ys <= hy1))[0]
        if len(cols) == 0 or len(rows) == 0:
            continue
        c0, c1, r0, r1 = cols[0], cols[-1] + 1, rows[0], rows[-1] + 1
        dx = xs[c0:c1][numpy.newaxis, :] - hollow.x
        dy = ys[r0:r1][:, numpy.newaxis] - hollow.y
        cos_a, sin_a = math.cos(hollow.angle), math.sin(hollow.angle)
        u = dx * cos_a + dy * sin_a
        v = -dx * sin_a + dy * cos_a
        water = hollow.depth * (fill - (u / hollow.a) ** 2 - (v / hollow.b) ** 2)
        window = depth[r0:r1, c0:c1]
        numpy.maximum(window, water, out=window)
    depth = numpy.round(depth, 1)
    depth[depth <= 0.0] = NODATA
    return depth.astype(numpy.float32)


def raster_file_name(scenario):
    return "starkregen_{}_depth.tif".format(scenario)
