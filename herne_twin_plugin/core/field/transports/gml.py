"""GML geometries (2, 3.1, 3.2) of WFS answers as WKB hex, read straight from ElementTree.

QGIS 3.22's QgsOgcUtils.geometryFromGML reads no MultiSurface (what QGIS Server and GeoServer
send for multipolygons) and no GML 3.2 namespace; this reader knows the simple-feature
geometries a WFS sends: Point, LineString, Polygon, MultiPoint, MultiLineString / MultiCurve,
MultiPolygon / MultiSurface, with pos, posList or coordinates. Coordinates are taken in the
order given (EPSG:25832 is easting, northing); a third dimension is dropped (the package is 2D).
Anything else raises ValueError.
"""

import struct
import sys
from array import array

_POINT, _LINE, _POLYGON, _MULTIPOINT, _MULTILINE, _MULTIPOLYGON = 1, 2, 3, 4, 5, 6
_LITTLE_ENDIAN = sys.byteorder == "little"
# Element tag -> local name (a WFS answer has a handful of tags, read once per element otherwise).
_LOCAL_NAMES = {}
_LOCAL_NAMES_MAX = 4096


def _local(element):
    """The element's tag without its namespace; hot loops look in _LOCAL_NAMES first."""
    tag = element.tag
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < _LOCAL_NAMES_MAX:  # a server inventing tags cannot grow it without end
            _LOCAL_NAMES[tag] = name
    return name


def _dimension(element, default=2):
    value = element.get("srsDimension") or element.get("dimension")
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _points(element):
    """The coordinates of a geometry element's coordinate children (posList, pos, coordinates)
    as one flat list x0, y0, x1, y1, ... (packed into WKB in one call)."""
    found = []
    for child in element:
        name = _LOCAL_NAMES.get(child.tag) or _local(child)
        if name == "posList":
            numbers = list(map(float, (child.text or "").split()))
            step = _dimension(child, None)
            if step is None:  # the geometry's own dimension (looked up only where the posList has none)
                step = _dimension(element)
            if step < 2 or len(numbers) % step:
                raise ValueError("posList of {} numbers is not in steps of {}".format(len(numbers), step))
            if step == 2:
                found.extend(numbers)
            else:
                flat = [0.0] * (len(numbers) // step * 2)
                flat[0::2], flat[1::2] = numbers[0::step], numbers[1::step]
                found.extend(flat)
        elif name == "pos":
            numbers = (child.text or "").split()
            if len(numbers) < 2:
                raise ValueError("pos with fewer than two numbers")
            found.extend((float(numbers[0]), float(numbers[1])))
        elif name == "coordinates":
            separator = child.get("cs", ",")
            tuple_separator = child.get("ts", " ")
            for pair in (child.text or "").strip().split(tuple_separator if tuple_separator.strip() else None):
                values = pair.split(separator)
                if len(values) >= 2:
                    found.extend((float(values[0]), float(values[1])))
        elif name == "Point":  # a LineString given as points (GML 3.1 allows it)
            found.extend(_points(child))
    return found


def _ring(element):
    rings = [child for child in element if (_LOCAL_NAMES.get(child.tag) or _local(child)) == "LinearRing"]
    if len(rings) != 1:
        raise ValueError("a polygon boundary without one LinearRing")
    points = _points(rings[0])
    if len(points) < 8:
        raise ValueError("a ring of fewer than four points")
    return points


_EXTERIOR = frozenset(("exterior", "outerBoundaryIs"))
_INTERIOR = frozenset(("interior", "innerBoundaryIs"))


def _polygon(element):
    """The rings of a Polygon element, exterior first (one pass over its children)."""
    exterior, interiors = [], []
    for child in element:
        name = _LOCAL_NAMES.get(child.tag) or _local(child)
        if name in _EXTERIOR:
            exterior.append(_ring(child))
        elif name in _INTERIOR:
            interiors.append(_ring(child))
    if len(exterior) != 1:
        raise ValueError("a polygon without one exterior")
    return exterior + interiors


def _members(element, member_names, kind_name):
    """The parts (elements named ``kind_name``) inside a multi geometry's member elements."""
    names = _LOCAL_NAMES
    return [child for member in element if (names.get(member.tag) or _local(member)) in member_names
            for child in member if (names.get(child.tag) or _local(child)) == kind_name]


def _wkb_points(flat):
    coordinates = array("d", flat)
    if not _LITTLE_ENDIAN:
        coordinates.byteswap()
    return struct.pack("<I", len(flat) // 2) + coordinates.tobytes()


def _wkb(kind, body):
    return struct.pack("<BI", 1, kind) + body


def _polygon_body(rings):
    return struct.pack("<I", len(rings)) + b"".join(_wkb_points(ring) for ring in rings)


def _point(element):
    points = _points(element)
    if len(points) != 2:
        raise ValueError("a point without one position")
    return _wkb(_POINT, struct.pack("<dd", *points))


def _line(element):
    points = _points(element)
    if len(points) < 4:
        raise ValueError("a line of fewer than two points")
    return _wkb(_LINE, _wkb_points(points))


def _multi(kind, member_names, part_name):
    def read(element):
        parts = _members(element, member_names, part_name)
        part_reader = _READERS[part_name]
        return _wkb(kind, struct.pack("<I", len(parts)) + b"".join([part_reader(part) for part in parts]))
    return read


_READERS = {
    "Point": _point,
    "LineString": _line,
    "Polygon": lambda element: _wkb(_POLYGON, _polygon_body(_polygon(element))),
    "MultiPoint": _multi(_MULTIPOINT, frozenset(("pointMember", "pointMembers")), "Point"),
    "MultiLineString": _multi(_MULTILINE, frozenset(("lineStringMember", "curveMember", "curveMembers")),
                              "LineString"),
    "MultiPolygon": _multi(_MULTIPOLYGON, frozenset(("polygonMember", "surfaceMember", "surfaceMembers")),
                           "Polygon"),
}
_READERS["MultiCurve"] = _READERS["MultiLineString"]
_READERS["MultiSurface"] = _READERS["MultiPolygon"]


def to_wkb(element):
    """WKB bytes of a GML geometry element; ValueError for what it cannot read."""
    name = _LOCAL_NAMES.get(element.tag) or _local(element)
    reader = _READERS.get(name)
    if reader is None:
        raise ValueError("GML geometry {} is not supported".format(name))
    return reader(element)


def to_wkb_hex(element):
    return to_wkb(element).hex()
