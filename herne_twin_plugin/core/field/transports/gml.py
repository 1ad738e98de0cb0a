"""GML geometries (2, 3.1, 3.2) of WFS answers as WKB hex, read straight from ElementTree.

QGIS 3.22's QgsOgcUtils.geometryFromGML reads no MultiSurface (what QGIS Server and GeoServer
send for multipolygons) and no GML 3.2 namespace; this reader knows the simple-feature
geometries a WFS sends: Point, LineString, Polygon, MultiPoint, MultiLineString / MultiCurve,
MultiPolygon / MultiSurface, with pos, posList or coordinates. Coordinates are taken in the
order given (EPSG:25832 is easting, northing); a third dimension is dropped (the package is 2D).
Anything else raises ValueError.
"""

import struct

_POINT, _LINE, _POLYGON, _MULTIPOINT, _MULTILINE, _MULTIPOLYGON = 1, 2, 3, 4, 5, 6


def _local(element):
    return element.tag.rpartition("}")[2]


def _children(element, *names):
    return [child for child in element if _local(child) in names]


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
        name = _local(child)
        if name == "posList":
            numbers = list(map(float, (child.text or "").split()))
            step = _dimension(child, _dimension(element))
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
    rings = _children(element, "LinearRing")
    if len(rings) != 1:
        raise ValueError("a polygon boundary without one LinearRing")
    points = _points(rings[0])
    if len(points) < 8:
        raise ValueError("a ring of fewer than four points")
    return points


def _polygon(element):
    rings = []
    for boundary in _children(element, "exterior", "outerBoundaryIs"):
        rings.append(_ring(boundary))
    if len(rings) != 1:
        raise ValueError("a polygon without one exterior")
    for boundary in _children(element, "interior", "innerBoundaryIs"):
        rings.append(_ring(boundary))
    return rings


def _members(element, member_names, list_names, kind_names):
    parts = []
    for member in element:
        name = _local(member)
        if name in member_names:
            parts.extend(child for child in member if _local(child) in kind_names)
        elif name in list_names:
            parts.extend(child for child in member if _local(child) in kind_names)
    return parts


def _wkb_points(flat):
    return struct.pack("<I%dd" % len(flat), len(flat) // 2, *flat)


def _wkb(kind, body):
    return struct.pack("<BI", 1, kind) + body


def _polygon_body(rings):
    return struct.pack("<I", len(rings)) + b"".join(_wkb_points(ring) for ring in rings)


def to_wkb(element):
    """WKB bytes of a GML geometry element; ValueError for what it cannot read."""
    name = _local(element)
    if name == "Point":
        points = _points(element)
        if len(points) != 2:
            raise ValueError("a point without one position")
        return _wkb(_POINT, struct.pack("<dd", *points))
    if name == "LineString":
        points = _points(element)
        if len(points) < 4:
            raise ValueError("a line of fewer than two points")
        return _wkb(_LINE, _wkb_points(points))
    if name == "Polygon":
        return _wkb(_POLYGON, _polygon_body(_polygon(element)))
    if name == "MultiPoint":
        parts = _members(element, ("pointMember",), ("pointMembers",), ("Point",))
        return _wkb(_MULTIPOINT, struct.pack("<I", len(parts)) + b"".join(to_wkb(part) for part in parts))
    if name in ("MultiLineString", "MultiCurve"):
        parts = _members(element, ("lineStringMember", "curveMember"), ("curveMembers",), ("LineString",))
        return _wkb(_MULTILINE, struct.pack("<I", len(parts)) + b"".join(to_wkb(part) for part in parts))
    if name in ("MultiPolygon", "MultiSurface"):
        parts = _members(element, ("polygonMember", "surfaceMember"), ("surfaceMembers",), ("Polygon",))
        return _wkb(_MULTIPOLYGON, struct.pack("<I", len(parts)) + b"".join(to_wkb(part) for part in parts))
    raise ValueError("GML geometry {} is not supported".format(name))


def to_wkb_hex(element):
    return to_wkb(element).hex()
