"""Plain numpy geometry for the exposure: polygon rings from WKB, points in polygons, and
the cells of a raster grid whose centres lie inside polygons.

QGIS's own Python (Debian 12 ships shapely 1.8 at most) has no vectorised geometry
library, so the hot loops of the exposure work on coordinate arrays: the even-odd rule
over all rings of a (multi)polygon, as polygon scan conversion does it. A point on a
vertical edge is outside (like GEOS's "contains"); on a horizontal edge it follows the
usual half-open rule (the edge's lower side counts).
"""

import struct

import numpy

# ISO WKB geometry types (QGIS writes ISO WKB; Z/M add 1000/2000/3000)
POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, COLLECTION = 1, 2, 3, 4, 5, 6, 7
POLYHEDRAL_SURFACE, TIN, TRIANGLE = 15, 16, 17
_EWKB_Z, _EWKB_M, _EWKB_SRID = 0x80000000, 0x40000000, 0x20000000
# points x edges handled at once by points_in_rings (memory stays small)
PAIRS_PER_CHUNK = 1 << 21


class WkbError(ValueError):
    """WKB the reader does not understand (curves must be segmentised first)."""


def _header(data, offset):
    order = "<" if data[offset] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    dims = 2
    if code & (_EWKB_Z | _EWKB_M | _EWKB_SRID):
        dims += bool(code & _EWKB_Z) + bool(code & _EWKB_M)
        if code & _EWKB_SRID:
            offset += 4
        code &= 0x0FFFFFFF
    else:
        dims += {0: 0, 1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
        code %= 1000
    return order, code, dims, offset


def _coordinates(data, offset, order, dims, count):
    values = numpy.frombuffer(data, dtype=order + "f8", count=count * dims, offset=offset)
    return values.reshape(count, dims)[:, :2], offset + 8 * count * dims


def _parse(data, offset, rings, points):
    order, code, dims, offset = _header(data, offset)
    if code == POINT:
        xy, offset = _coordinates(data, offset, order, dims, 1)
        if not numpy.isnan(xy).any():  # an empty point is NaN, NaN
            points.append(xy)
    elif code == LINESTRING:
        (count,) = struct.unpack_from(order + "I", data, offset)
        xy, offset = _coordinates(data, offset + 4, order, dims, count)
        points.append(xy)
    elif code in (POLYGON, TRIANGLE):
        (ring_count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        for _ring in range(ring_count):
            (count,) = struct.unpack_from(order + "I", data, offset)
            xy, offset = _coordinates(data, offset + 4, order, dims, count)
            if count:
                rings.append(xy)
    elif code in (MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, COLLECTION, POLYHEDRAL_SURFACE, TIN):
        (part_count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        for _part in range(part_count):
            offset = _parse(data, offset, rings, points)
    else:
        raise WkbError("WKB geometry type {} is not supported here".format(code))
    return offset


def wkb_rings(data):
    """The rings (each an (n, 2) array) of all polygons in a WKB geometry."""
    rings, points = [], []
    _parse(bytes(data), 0, rings, points)
    return rings


def wkb_points(data):
    """The vertices ((n, 2) array) of the points and lines in a WKB geometry."""
    rings, points = [], []
    _parse(bytes(data), 0, rings, points)
    return numpy.concatenate(points) if points else numpy.zeros((0, 2))


def ring_edges(rings, with_ring=False):
    """(x1, y1, x2, y2) arrays of the edges of the rings, closing a ring where it is open;
    with ``with_ring`` also the index of each edge's ring."""
    rings = [ring for ring in rings if len(ring) >= 2]
    if not rings:
        empty = numpy.zeros(0)
        edges = (empty, empty, empty, empty)
        return (edges, numpy.zeros(0, dtype=numpy.int64)) if with_ring else edges
    open_rings = [i for i, ring in enumerate(rings) if ring[0, 0] != ring[-1, 0] or ring[0, 1] != ring[-1, 1]]
    for i in open_rings:
        rings[i] = numpy.vstack([rings[i], rings[i][:1]])
    points = numpy.concatenate(rings)
    lengths = numpy.array([len(ring) for ring in rings])
    ends = numpy.cumsum(lengths)
    # every point but the last of its ring starts an edge
    starts = numpy.ones(len(points), dtype=bool)
    starts[ends - 1] = False
    first = numpy.flatnonzero(starts)
    edges = (points[first, 0], points[first, 1], points[first + 1, 0], points[first + 1, 1])
    if not with_ring:
        return edges
    return edges, numpy.repeat(numpy.arange(len(rings)), lengths - 1)


def points_in_rings(xs, ys, edges):
    """A bool array: which points lie inside the polygon of ``edges`` (even-odd rule)."""
    xs, ys = numpy.asarray(xs, dtype=float), numpy.asarray(ys, dtype=float)
    x1, y1, x2, y2 = edges
    inside = numpy.zeros(xs.shape, dtype=bool)
    if len(x1) == 0 or xs.size == 0:
        return inside
    flat_x, flat_y, flat = xs.ravel(), ys.ravel(), inside.ravel()
    step = max(1, PAIRS_PER_CHUNK // len(x1))
    with numpy.errstate(divide="ignore", invalid="ignore"):
        for start in range(0, flat_x.size, step):
            px = flat_x[start:start + step, numpy.newaxis]
            py = flat_y[start:start + step, numpy.newaxis]
            crosses = (y1 > py) != (y2 > py)
            at_x = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
            flat[start:start + step] = ((crosses & (px < at_x)).sum(axis=1) % 2) == 1
    return inside


def cells_inside(grid, windows, edges, edge_owner):
    """For cell windows of many polygons at once: which cell centres lie inside.

    ``grid``: (x0, dx, y0, dy) with dy signed (negative for north-up rasters), cell (c, r)
    centred at (x0 + (c + 0.5) dx, y0 + (r + 0.5) dy). ``windows``: arrays (c0, c1, r0, r1)
    per polygon (half-open). ``edges``: (x1, y1, x2, y2) of all polygons' rings and
    ``edge_owner`` the polygon of each edge. Returns a bool array of all window cells,
    polygon by polygon, each window row by row (the layout of ``window_cells``).

    Scan conversion: each cell row's centre line meets the rings at sorted x positions;
    between the 1st and 2nd, 3rd and 4th ... the cells are inside.
    """
    x0, dx, y0, dy = grid
    c0, c1, r0, r1 = (numpy.asarray(a, dtype=numpy.int64) for a in windows)
    x1, y1, x2, y2 = edges
    count = len(c0)
    widths, heights = c1 - c0, r1 - r0
    row_owner = numpy.repeat(numpy.arange(count), heights)
    row_start = numpy.concatenate(([0], numpy.cumsum(heights)[:-1]))
    row_y = y0 + dy * (r0[row_owner] + numpy.arange(len(row_owner)) - row_start[row_owner] + 0.5)
    # every row of a polygon against every edge of that polygon
    edge_count = numpy.bincount(edge_owner, minlength=count)
    edge_start = numpy.concatenate(([0], numpy.cumsum(edge_count)[:-1]))
    per_row = edge_count[row_owner]
    pair_row = numpy.repeat(numpy.arange(len(row_owner)), per_row)
    pair_first = numpy.concatenate(([0], numpy.cumsum(per_row)[:-1]))
    pair_edge = edge_start[row_owner[pair_row]] + numpy.arange(len(pair_row)) - pair_first[pair_row]
    line = row_y[pair_row]
    crossing = (y1[pair_edge] > line) != (y2[pair_edge] > line)
    rows, hit = pair_row[crossing], pair_edge[crossing]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        at_x = x1[hit] + (row_y[rows] - y1[hit]) * (x2[hit] - x1[hit]) / (y2[hit] - y1[hit])
    order = numpy.lexsort((at_x, rows))
    rows, at_x = rows[order], at_x[order]
    # each row line crosses closed rings an even number of times: consecutive pairs are spans
    span_row, enter, leave = rows[0::2], at_x[0::2], at_x[1::2]
    owner = row_owner[span_row]
    first = numpy.floor((enter - x0) / dx - 0.5).astype(numpy.int64) + 1
    last = numpy.ceil((leave - x0) / dx - 0.5).astype(numpy.int64) - 1
    first = numpy.maximum(first, c0[owner])
    last = numpy.minimum(last, c1[owner] - 1)
    real = last >= first
    # one slot more per row, so that every span's end mark stays in its row
    slots = widths[row_owner] + 1
    slot_start = numpy.concatenate(([0], numpy.cumsum(slots)[:-1]))
    size = int(slots.sum())
    base = slot_start[span_row[real]] - c0[owner[real]]
    marks = numpy.bincount(base + first[real], minlength=size) - numpy.bincount(base + last[real] + 1, minlength=size)
    cover = numpy.cumsum(marks)
    keep = numpy.ones(size, dtype=bool)
    keep[slot_start + widths[row_owner]] = False
    return cover[keep] > 0
