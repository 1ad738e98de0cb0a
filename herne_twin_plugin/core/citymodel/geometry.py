"""Plain-Python geometry of LoD2 boundary surfaces, written straight to WKB.

A ring is a flat, closed list of coordinates [x0, y0, z0, x1, ..., x0, y0, z0];
a ``Polygon`` holds its rings (the exterior first), its normal and its box.
Normals come from Newell's method in coordinates relative to the ring's first
point (UTM coordinates are large: subtracting first keeps the products
precise). A polygon's normal vector has the length of twice its area and
points to the side from which the exterior ring runs counter-clockwise:
outwards, in a proper solid.
"""

import math
import struct
import sys
from array import array
from collections import Counter

from ..i18n import tr
from .errors import BuildingFailure

MIN_AREA_M2 = 1e-6  # below this a polygon is degenerate (collinear or repeated points)
FLAT_TILT_DEG = 1.0  # surfaces flatter than this have no orientation (azimuth NULL)

WKB_POLYGON, WKB_MULTIPOLYGON = 3, 6
WKB_POLYGON_Z, WKB_MULTIPOLYGON_Z = 1003, 1006  # ISO WKB, as GeoPackage stores it
_BIG_ENDIAN = sys.byteorder == "big"
_HEADER = struct.Struct("<BII")
_COUNT = struct.Struct("<I")
_ONE_RING = _HEADER.pack(1, WKB_POLYGON_Z, 1)
_ONE_POLYGON = _HEADER.pack(1, WKB_MULTIPOLYGON_Z, 1)


def ring_normal(c):
    """Newell normal (nx, ny, nz) of a closed ring: its length is twice the ring's area."""
    x0, y0, z0 = c[0], c[1], c[2]
    nx = ny = nz = 0.0
    px = py = pz = 0.0
    for qx, qy, qz in zip(c[3::3], c[4::3], c[5::3]):
        qx, qy, qz = qx - x0, qy - y0, qz - z0
        nx += (py - qy) * (pz + qz)
        ny += (pz - qz) * (px + qx)
        nz += (px - qx) * (py + qy)
        px, py, pz = qx, qy, qz
    return nx, ny, nz


def polygon_normal(rings):
    """Normal of a polygon with holes: the exterior's, less the holes' area, whichever way they run."""
    nx, ny, nz = ring_normal(rings[0])
    for hole in rings[1:]:
        hx, hy, hz = ring_normal(hole)
        sign = -1.0 if hx * nx + hy * ny + hz * nz > 0 else 1.0
        nx, ny, nz = nx + sign * hx, ny + sign * hy, nz + sign * hz
    return nx, ny, nz


class Polygon:
    __slots__ = ("rings", "normal", "box", "area", "_wkb")

    def __init__(self, rings, normal, box, area=None):
        self.rings = rings
        self.normal = normal  # (nx, ny, nz), length = twice the area
        self.box = box  # (minx, maxx, miny, maxy, minz, maxz) of the exterior ring
        if area is None:
            nx, ny, nz = normal
            area = 0.5 * math.sqrt(nx * nx + ny * ny + nz * nz)
        self.area = area
        self._wkb = None

    @property
    def wkb(self):
        """ISO WKB of this PolygonZ (kept: a polygon is written in its surface and in its building)."""
        if self._wkb is None:
            rings = self.rings
            if len(rings) == 1:  # the usual case, in one concatenation
                ring = rings[0]
                self._wkb = _ONE_RING + _COUNT.pack(len(ring) // 3) + _doubles(ring)
            else:
                out = [_HEADER.pack(1, WKB_POLYGON_Z, len(rings))]
                for ring in rings:
                    out.append(_COUNT.pack(len(ring) // 3))
                    out.append(_doubles(ring))
                self._wkb = b"".join(out)
        return self._wkb

    def reversed(self):
        """The same polygon seen from the other side (rings run the other way)."""
        rings = []
        for ring in self.rings:
            points = [ring[i:i + 3] for i in range(len(ring) - 3, -1, -3)]
            rings.append([value for point in points for value in point])
        nx, ny, nz = self.normal
        return Polygon(rings, (-nx, -ny, -nz), self.box, self.area)


def make_polygon(rings, polygon_id):
    """A checked Polygon; raises BuildingFailure for a degenerate one (NaN, < 3 points, no area)."""
    exterior = rings[0]
    normal = ring_normal(exterior) if len(rings) == 1 else polygon_normal(rings)
    nx, ny, nz = normal
    area = 0.5 * math.sqrt(nx * nx + ny * ny + nz * nz)
    if area > MIN_AREA_M2 and math.isfinite(area):
        xs, ys, zs = exterior[0::3], exterior[1::3], exterior[2::3]
        return Polygon(rings, normal, (min(xs), max(xs), min(ys), max(ys), min(zs), max(zs)), area)
    polygon_id = polygon_id or "-"
    if not all(math.isfinite(value) for ring in rings for value in ring):
        raise BuildingFailure(tr("Polygon {polygon} has coordinates that are not numbers (NaN or infinite).").format(
            polygon=polygon_id))
    distinct = {(exterior[i], exterior[i + 1], exterior[i + 2]) for i in range(0, len(exterior), 3)}
    if len(distinct) < 3:
        raise BuildingFailure(tr("Polygon {polygon} has fewer than 3 distinct points.").format(polygon=polygon_id))
    raise BuildingFailure(tr("Polygon {polygon} has no area (its points lie on one line).").format(
        polygon=polygon_id))


def closed_ring(values, dimension=3):
    """``values`` as a closed ring of (x, y, z); raises BuildingFailure for a broken coordinate list."""
    if dimension != 3:
        raise BuildingFailure(tr("A polygon has {n}D coordinates; LoD2 needs 3D.").format(n=dimension))
    if len(values) % 3:
        raise BuildingFailure(tr("A polygon's coordinate list does not divide into x y z triples."))
    if len(values) >= 3 and (values[0] != values[-3] or values[1] != values[-2] or values[2] != values[-1]):
        values.extend(values[:3])
    return values


def orientation(normal, upward=False):
    """(tilt in degrees, azimuth in degrees or None) of a surface with this (summed) normal.

    Tilt 0 is flat, 90 vertical; azimuth is the direction the surface faces, 0 north,
    clockwise, None for flat surfaces. ``upward`` turns the normal up first (roofs
    face the sky even where a ring runs the wrong way).
    """
    nx, ny, nz = normal
    if upward and nz < 0:
        nx, ny, nz = -nx, -ny, -nz
    horizontal = math.hypot(nx, ny)
    if horizontal == 0.0 and nz == 0.0:
        return None, None
    tilt = math.degrees(math.atan2(horizontal, abs(nz)))
    if tilt < FLAT_TILT_DEG:
        return tilt, None
    return tilt, math.degrees(math.atan2(nx, ny)) % 360.0


def envelope(polygons):
    """(minx, maxx, miny, maxy, minz, maxz) of ``polygons``."""
    if len(polygons) == 1:
        return polygons[0].box
    minx, maxx, miny, maxy, minz, maxz = zip(*[polygon.box for polygon in polygons])
    return min(minx), max(maxx), min(miny), max(maxy), min(minz), max(maxz)


def z_range(polygons):
    """(lowest z, highest z) of ``polygons``."""
    if len(polygons) == 1:
        return polygons[0].box[4:]
    return min([polygon.box[4] for polygon in polygons]), max([polygon.box[5] for polygon in polygons])


def is_closed(polygons):
    """True where the polygons form a watertight shell: every edge is shared by exactly two faces.

    Vertices are compared exactly first (a tile writes a shared vertex with the same
    digits in every polygon) and, failing that, to the millimetre. An edge that one
    face has whole and its neighbour in pieces (a T-junction, common where a wall
    meets a closure surface) counts as shared.
    """
    if len(polygons) < 4:
        return False
    return _edges_paired(polygons, None) or _edges_paired(polygons, 1000.0)


def _edges_paired(polygons, scale):
    vertices = {}  # vertex -> number: edges are counted as one int of two vertex numbers (cheap to hash)
    number = vertices.setdefault
    edges = []
    for polygon in polygons:
        for ring in polygon.rings:
            if scale is None:
                points = zip(ring[0::3], ring[1::3], ring[2::3])
            else:
                points = [(round(x * scale), round(y * scale), round(z * scale))
                          for x, y, z in zip(ring[0::3], ring[1::3], ring[2::3])]
            ids = [number(point, len(vertices)) for point in points]
            edges += [(a << 32) | b if a < b else (b << 32) | a for a, b in zip(ids, ids[1:]) if a != b]
    if not edges:
        return False
    counts = Counter(edges)  # counted in C
    if max(counts.values()) > 2:
        return False
    single = [edge for edge, count in counts.items() if count == 1]
    if not single:
        return True
    points = list(vertices)
    return _t_junctions_pair([(points[edge >> 32], points[edge & 0xFFFFFFFF]) for edge in single],
                             1e-3 * (scale or 1.0))


def _t_junctions_pair(edges, tolerance):
    """True if the unpaired edges pair up once each is split at the unpaired vertices lying on it."""
    vertices = {point for edge in edges for point in edge}
    counts = {}
    for a, b in edges:
        d = [b[k] - a[k] for k in range(3)]
        length2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2
        cuts = [(0.0, a), (1.0, b)]
        for v in vertices:
            if v == a or v == b:
                continue
            t = sum((v[k] - a[k]) * d[k] for k in range(3)) / length2
            if 0.0 < t < 1.0:
                off2 = sum((a[k] + t * d[k] - v[k]) ** 2 for k in range(3))
                if off2 <= tolerance * tolerance:
                    cuts.append((t, v))
        cuts.sort()
        for (_t1, p), (_t2, q) in zip(cuts, cuts[1:]):
            key = (p, q) if p < q else (q, p)
            counts[key] = counts.get(key, 0) + 1
    return all(count == 2 for count in counts.values())


def _doubles(values):
    packed = array("d", values)
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def multipolygon_z_wkb(polygons):
    """ISO WKB of a MultiPolygonZ."""
    if len(polygons) == 1:
        return _ONE_POLYGON + polygons[0].wkb
    return _HEADER.pack(1, WKB_MULTIPOLYGON_Z, len(polygons)) + b"".join([polygon.wkb for polygon in polygons])


def _flat_ring(ring):
    """A 3D ring as a 2D one (drops z)."""
    xy = [0.0] * (2 * (len(ring) // 3))
    xy[0::2] = ring[0::3]
    xy[1::2] = ring[1::3]
    return xy


def multipolygon_2d_wkb(polygons):
    out = [_HEADER.pack(1, WKB_MULTIPOLYGON, len(polygons))]
    for polygon in polygons:
        rings = polygon.rings
        out.append(_HEADER.pack(1, WKB_POLYGON, len(rings)))
        for ring in rings:
            out.append(_COUNT.pack(len(ring) // 3))
            out.append(_doubles(_flat_ring(ring)))
    return b"".join(out)


def footprint(ground_polygons, other_polygons=()):
    """(2D MultiPolygon WKB, (minx, maxx, miny, maxy)) of a building's footprint (from Polygons), or None.

    From its GroundSurface polygons; without any, from the vertical projection of
    its other non-vertical faces. More than one polygon is dissolved into one
    outline (parts standing side by side share edges); that keeps the envelope.
    """
    outline = footprint_outline(ground_polygons, other_polygons)
    if outline is None:
        return None
    wkb, box, several = outline
    return (dissolved(wkb) if several else wkb), box


def footprint_outline(ground_polygons, other_polygons=()):
    """``footprint`` before the dissolving: (WKB, box, whether it has several polygons to dissolve), or None.

    A parse worker stops here (it starts without GDAL); the QGIS process dissolves (``dissolved``)."""
    polygons = list(ground_polygons)
    if not polygons:
        polygons = [polygon for polygon in other_polygons if abs(polygon.normal[2]) > 1e-9]
    if not polygons:
        return None
    return multipolygon_2d_wkb(polygons), envelope(polygons)[:4], len(polygons) > 1


def dissolved(wkb):
    """The polygons of a 2D MultiPolygon WKB dissolved into one outline (GDAL/GEOS); ``wkb`` itself where
    that fails or gives no MultiPolygon."""
    from osgeo import ogr  # here: a parse worker never gets here and starts faster without GDAL

    geometry = ogr.CreateGeometryFromWkb(wkb)
    try:
        union = geometry.UnionCascaded()
    except RuntimeError:  # GDAL with exceptions on, invalid input
        union = None
    if union is None or union.IsEmpty():
        return wkb
    union = ogr.ForceToMultiPolygon(union)
    if ogr.GT_Flatten(union.GetGeometryType()) != ogr.wkbMultiPolygon:
        return wkb
    return bytes(union.ExportToIsoWkb())
