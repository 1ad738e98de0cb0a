"""Plane geometry helpers shared by the sample city's parts (EPSG:25832, metres)."""

import math

from osgeo import gdal, ogr, osr

from ..i18n import tr

EPSG = 25832


def crs():
    """EPSG:25832 (ETRS89 / UTM 32N), the city's CRS, as an osr object."""
    srs = osr.SpatialReference()
    if srs.ImportFromEPSG(EPSG) != 0:
        raise OSError(tr("GDAL does not know EPSG:{} (PROJ data not found: set PROJ_DATA).").format(EPSG))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def checked(status, what):
    """Raise OSError with GDAL's last message when a GDAL/OGR call failed.

    ``status`` is the call's result: None or a non-zero error code mean failure.
    (The generator does not switch GDAL to exceptions: that switch is global to
    the process and would change other plugins' code running in other threads.)
    """
    if status is None or (isinstance(status, int) and not isinstance(status, bool) and status != 0):
        raise OSError("{}: {}".format(what, gdal.GetLastErrorMsg() or "GDAL error"))
    return status


# --- polylines -------------------------------------------------------------------------------


def polyline_length(coords):
    return sum(math.hypot(x2 - x1, y2 - y1) for (x1, y1), (x2, y2) in zip(coords, coords[1:]))


def point_along(coords, distance):
    """(x, y, ux, uy): the point ``distance`` metres along the polyline and the unit direction there."""
    remaining = distance
    for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0.0:
            continue
        if remaining <= length:
            t = remaining / length
            return x1 + t * (x2 - x1), y1 + t * (y2 - y1), (x2 - x1) / length, (y2 - y1) / length
        remaining -= length
    (x1, y1), (x2, y2) = coords[-2], coords[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    return x2, y2, (x2 - x1) / length, (y2 - y1) / length


def cut_polyline(coords, start, end):
    """The part of the polyline between ``start`` and ``end`` metres along it."""
    result = []
    travelled = 0.0
    for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0.0:
            continue
        seg_start, seg_end = travelled, travelled + length
        if seg_end >= start and seg_start <= end:
            t0 = max(0.0, (start - seg_start) / length)
            t1 = min(1.0, (end - seg_start) / length)
            first = (x1 + t0 * (x2 - x1), y1 + t0 * (y2 - y1))
            last = (x1 + t1 * (x2 - x1), y1 + t1 * (y2 - y1))
            if not result:
                result.append(first)
            if last != result[-1]:
                result.append(last)
        travelled = seg_end
    return result


def offset_point(x, y, ux, uy, left):
    """The point ``left`` metres to the left of direction (ux, uy) (negative: to the right)."""
    return x - uy * left, y + ux * left


# --- OGR geometries --------------------------------------------------------------------------


def ogr_linestring(coords):
    line = ogr.Geometry(ogr.wkbLineString)
    for x, y in coords:
        line.AddPoint_2D(x, y)
    return line


def ogr_polygon(*rings):
    """A polygon from rings of (x, y); rings need not repeat their first point."""
    polygon = ogr.Geometry(ogr.wkbPolygon)
    for coords in rings:
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in coords:
            ring.AddPoint_2D(x, y)
        if tuple(coords[0]) != tuple(coords[-1]):
            ring.AddPoint_2D(*coords[0])
        polygon.AddGeometry(ring)
    return polygon


def ogr_point(x, y):
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(x, y)
    return point


def ogr_box(xmin, ymin, xmax, ymax):
    return ogr_polygon([(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)])


def as_multipolygon(geometry):
    """The polygon parts of ``geometry`` as one MultiPolygon."""
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    for polygon in polygon_parts(geometry):
        multi.AddGeometry(polygon)
    return multi


def polygon_parts(geometry):
    """The polygons inside a (Multi)Polygon or GeometryCollection, in a stable order."""
    if geometry is None or geometry.IsEmpty():
        return []
    flat = ogr.GT_Flatten(geometry.GetGeometryType())
    if flat == ogr.wkbPolygon:
        return [geometry.Clone()]
    parts = []
    for index in range(geometry.GetGeometryCount()):
        parts.extend(polygon_parts(geometry.GetGeometryRef(index)))
    return parts


def line_parts(geometry):
    """The coordinates of every linestring inside ``geometry`` (lists of (x, y))."""
    if geometry is None or geometry.IsEmpty():
        return []
    flat = ogr.GT_Flatten(geometry.GetGeometryType())
    if flat == ogr.wkbLineString:
        return [[(geometry.GetX(i), geometry.GetY(i)) for i in range(geometry.GetPointCount())]]
    parts = []
    if flat in (ogr.wkbMultiLineString, ogr.wkbGeometryCollection):
        for index in range(geometry.GetGeometryCount()):
            parts.extend(line_parts(geometry.GetGeometryRef(index)))
    return parts


# --- shapes ----------------------------------------------------------------------------------


def rectangle(cx, cy, ux, uy, width, depth):
    """Corners (counter-clockwise) of a width x depth rectangle centred on (cx, cy);
    ``width`` runs along the unit direction (ux, uy), ``depth`` across it."""
    hw, hd = width / 2.0, depth / 2.0
    vx, vy = -uy, ux
    return [
        (cx - ux * hw - vx * hd, cy - uy * hw - vy * hd),
        (cx + ux * hw - vx * hd, cy + uy * hw - vy * hd),
        (cx + ux * hw + vx * hd, cy + uy * hw + vy * hd),
        (cx - ux * hw + vx * hd, cy - uy * hw + vy * hd),
    ]


def ellipse_ring(cx, cy, a, b, angle, max_chord=5.0):
    """Vertices (counter-clockwise) of an ellipse with semi-axes a (along ``angle``) and b,
    with edges of about ``max_chord`` metres (24 to 160 vertices)."""
    perimeter = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))
    count = int(min(160, max(24, perimeter / max_chord)))
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    ring = []
    for index in range(count):
        t = 2.0 * math.pi * index / count
        u, v = a * math.cos(t), b * math.sin(t)
        ring.append((cx + u * cos_a - v * sin_a, cy + u * sin_a + v * cos_a))
    return ring
