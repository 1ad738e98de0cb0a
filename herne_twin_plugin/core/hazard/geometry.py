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


def _wkb_buffer(wkbs):
    """(all WKB in one bytes object, length of each): from a list of bytes-like objects
    (None: no geometry) or a numpy array of them, fixed-size ("V") and masked ones too
    (what OGR's GetArrowStreamAsNumPy gives)."""
    mask = numpy.ma.getmaskarray(wkbs) if numpy.ma.isMaskedArray(wkbs) else None
    raw = numpy.ma.getdata(wkbs) if mask is not None else wkbs
    if isinstance(raw, numpy.ndarray) and raw.dtype.kind == "V":
        lengths = numpy.full(len(raw), raw.dtype.itemsize, dtype=numpy.int64)
        if mask is not None and mask.any():
            lengths[mask] = 0
            raw = raw[~mask]
        return raw.tobytes(), lengths
    items = [None if w is None or (mask is not None and mask[i]) else bytes(w) for i, w in enumerate(raw)]
    lengths = numpy.fromiter((len(w) if w is not None else 0 for w in items), dtype=numpy.int64, count=len(items))
    return b"".join(w for w in items if w is not None), lengths


class WkbTable:
    """Many WKB geometries parsed at once with numpy: their bounding boxes, and the
    coordinates of their polygon rings and of their points and lines, without a Python
    step per geometry.

    The vectorised reader takes little-endian (multi)points, (multi)lines and
    (multi)polygons in 2D, Z, M and ZM (ISO and EWKB codes), which is what GeoPackage and
    most files hold; any other geometry (curves, collections, big-endian WKB) is read one
    by one with the plain reader above, with the same result. ``None`` or b"" is no
    geometry (bounds NaN)."""

    # a geometry with more parts or rings than this is read on its own (rounds of numpy per ring)
    MAX_ROUNDS = 256

    def __init__(self, wkbs=None, buffers=None):
        data, lengths = buffers if buffers is not None else _wkb_buffer(wkbs)
        self.count = len(lengths)
        self._data = numpy.frombuffer(data, dtype=numpy.uint8)
        starts = (numpy.cumsum(lengths) - lengths).astype(numpy.int64)
        self._starts, self._lengths, self._raw = starts, lengths, data
        # runs of coordinates: owner, kind (1 ring, 0 points/line vertices), byte offset, count, dims
        self._runs = []
        present = numpy.flatnonzero(lengths >= 5)
        self._parse_top(present, starts[present])
        runs = self._merged_runs()
        for index in self._fallback:
            rings, points = [], []
            _parse(data[starts[index]:starts[index] + lengths[index]], 0, rings, points)
            runs.append(("coordinates", index, rings, points))
        self._build(runs)

    # -- the vectorised reader ------------------------------------------------------------

    def _u8(self, offsets):
        return self._data[offsets].astype(numpy.int64)

    def _u32(self, offsets):
        take = offsets[:, numpy.newaxis] + numpy.arange(4)
        return self._data[take].copy().view("<u4").ravel().astype(numpy.int64)

    def _header(self, offsets):
        """(taken, offsets after the header, base code, dims): ``taken`` marks the
        geometries the vectorised reader takes (the others go to the fallback)."""
        little = self._u8(offsets) == 1
        code = self._u32(offsets + 1)
        flags = code & 0xE0000000
        ewkb_dims = 2 + ((code & _EWKB_Z) != 0) + ((code & _EWKB_M) != 0)
        srid = (code & _EWKB_SRID) != 0
        iso = code & 0x0FFFFFFF
        thousands = iso // 1000
        iso_dims = 2 + numpy.select([thousands == 1, thousands == 2, thousands == 3], [1, 1, 2], 0)
        dims = numpy.where(flags != 0, ewkb_dims, iso_dims)
        base = numpy.where(flags != 0, iso, iso % 1000)
        taken = little & (thousands < 4) & ((flags == 0) | (iso < 1000)) & numpy.isin(
            base, (POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON))
        return taken, offsets + 5 + 4 * srid, base, dims

    def _parse_top(self, owners, offsets):
        bad = numpy.zeros(self.count, dtype=bool)
        if len(owners):
            taken, offsets, base, dims = self._header(offsets)
            bad[owners[~taken]] = True
            owners, offsets, base, dims = owners[taken], offsets[taken], base[taken], dims[taken]
            single = base < MULTIPOINT
            self._bodies(owners[single], offsets[single], base[single], dims[single], bad)
            multi = ~single
            owners, offsets, base, dims = owners[multi], offsets[multi], base[multi], dims[multi]
            parts = self._u32(offsets) if len(offsets) else numpy.zeros(0, dtype=numpy.int64)
            offsets = offsets + 4
            bad[owners[parts > self.MAX_ROUNDS]] = True
            for part in range(int(parts.max()) if len(parts) else 0):
                active = numpy.flatnonzero((parts > part) & ~bad[owners])
                if len(active) == 0:
                    break
                taken, body, child, child_dims = self._header(offsets[active])
                taken &= (child == base[active] - 3) & (child_dims == dims[active])
                bad[owners[active[~taken]]] = True
                active, body = active[taken], body[taken]
                offsets[active] = self._bodies(owners[active], body, base[active] - 3, dims[active], bad)
        self._fallback = numpy.flatnonzero(bad).tolist()
        if self._fallback:
            self._runs = [tuple(part[keep] for part in run) for run in self._runs for keep in [~bad[run[0]]]]

    def _bodies(self, owners, offsets, base, dims, bad):
        """Reads the bodies of single points, lines and polygons; the offsets after them.
        Polygons with too many rings are marked in ``bad`` (read on their own)."""
        end = offsets.copy()
        point = base == POINT
        self._run(owners[point], 0, offsets[point], numpy.ones(int(point.sum()), dtype=numpy.int64), dims[point])
        end[point] = offsets[point] + 8 * dims[point]
        line = base == LINESTRING
        if line.any():
            counts = self._u32(offsets[line])
            self._run(owners[line], 0, offsets[line] + 4, counts, dims[line])
            end[line] = offsets[line] + 4 + 8 * dims[line] * counts
        polygon = numpy.flatnonzero(base == POLYGON)
        if len(polygon):
            rings = self._u32(offsets[polygon])
            too_many = rings > self.MAX_ROUNDS
            bad[owners[polygon[too_many]]] = True
            rings[too_many] = 0
            cursor = offsets[polygon] + 4
            polygon_owners, polygon_dims = owners[polygon], dims[polygon]
            for ring in range(int(rings.max())):
                active = rings > ring
                counts = self._u32(cursor[active])
                self._run(polygon_owners[active], 1, cursor[active] + 4, counts, polygon_dims[active])
                cursor[active] += 4 + 8 * polygon_dims[active] * counts
            end[polygon] = cursor
        return end

    def _run(self, owners, kind, offsets, counts, dims):
        if len(owners):
            self._runs.append((owners, numpy.full(len(owners), kind), offsets, counts, dims))

    def _merged_runs(self):
        if not self._runs:
            return []
        owners, kinds, offsets, counts, dims = (numpy.concatenate(part) for part in zip(*self._runs))
        return [("runs", owners, kinds, offsets, counts, dims)]

    # -- the result ---------------------------------------------------------------------

    def _build(self, runs):
        owner_parts, kind_parts, length_parts, x_parts, y_parts = [], [], [], [], []
        for run in runs:
            if run[0] == "runs":
                _tag, owners, kinds, offsets, counts, dims = run
                total = int(counts.sum())
                first = numpy.cumsum(counts) - counts
                step = numpy.repeat(8 * dims, counts)
                at = numpy.repeat(offsets, counts) + (numpy.arange(total) - numpy.repeat(first, counts)) * step
                take = at[:, numpy.newaxis] + numpy.arange(16)
                xy = self._data[take].copy().view("<f8").reshape(total, 2) if total else numpy.zeros((0, 2))
                owner_parts.append(owners)
                kind_parts.append(kinds)
                length_parts.append(counts)
                x_parts.append(xy[:, 0])
                y_parts.append(xy[:, 1])
            else:
                _tag, index, rings, points = run
                for kind, arrays in ((1, rings), (0, points)):
                    for xy in arrays:
                        owner_parts.append(numpy.array([index]))
                        kind_parts.append(numpy.array([kind]))
                        length_parts.append(numpy.array([len(xy)]))
                        x_parts.append(numpy.asarray(xy[:, 0], dtype=float))
                        y_parts.append(numpy.asarray(xy[:, 1], dtype=float))
        if owner_parts:
            owners = numpy.concatenate(owner_parts).astype(numpy.int64)
            kinds = numpy.concatenate(kind_parts).astype(numpy.int8)
            lengths = numpy.concatenate(length_parts).astype(numpy.int64)
            xs, ys = numpy.concatenate(x_parts), numpy.concatenate(y_parts)
        else:
            owners = lengths = numpy.zeros(0, dtype=numpy.int64)
            kinds = numpy.zeros(0, dtype=numpy.int8)
            xs = ys = numpy.zeros(0)
        # an empty point is NaN, NaN: no coordinate
        point_start = numpy.cumsum(lengths) - lengths
        empty_point = (kinds == 0) & (lengths == 1)
        empty_point[empty_point] = numpy.isnan(xs[point_start[empty_point]]) | numpy.isnan(ys[point_start[empty_point]])
        empty_ring = (kinds == 1) & (lengths == 0)
        keep = ~(empty_point | empty_ring)
        keep_points = numpy.repeat(keep, lengths)
        owners, kinds, lengths = owners[keep], kinds[keep], lengths[keep]
        xs, ys = xs[keep_points], ys[keep_points]
        # runs by owner, in the order they were read (stable), coordinates along
        order = numpy.argsort(owners, kind="stable")
        point_start = numpy.cumsum(lengths) - lengths
        lengths_sorted = lengths[order]
        sorted_start = numpy.cumsum(lengths_sorted) - lengths_sorted
        gather = numpy.repeat(point_start[order] - sorted_start, lengths_sorted) + numpy.arange(
            int(lengths_sorted.sum()))
        self.xs, self.ys = xs[gather], ys[gather]
        self.run_owner, self.run_kind, self.run_length = owners[order], kinds[order], lengths_sorted
        self.run_start = sorted_start
        self.first_run = numpy.searchsorted(self.run_owner, numpy.arange(self.count + 1))
        point_owner = numpy.repeat(self.run_owner, self.run_length)
        self.bounds = numpy.full((self.count, 4), numpy.nan)
        if len(point_owner):
            starts = numpy.searchsorted(point_owner, numpy.arange(self.count))
            has = numpy.bincount(point_owner, minlength=self.count) > 0
            starts = starts[has]
            self.bounds[has, 0] = numpy.minimum.reduceat(self.xs, starts)
            self.bounds[has, 1] = numpy.minimum.reduceat(self.ys, starts)
            self.bounds[has, 2] = numpy.maximum.reduceat(self.xs, starts)
            self.bounds[has, 3] = numpy.maximum.reduceat(self.ys, starts)

    @staticmethod
    def buffer_of(wkbs):
        """(bytes, lengths) of an array of WKB: copied, for WkbTable(buffers=...)."""
        return _wkb_buffer(wkbs)

    def wkb(self, index):
        """The WKB of geometry ``index`` (b"" where there is none)."""
        start = self._starts[index]
        return self._raw[start:start + self._lengths[index]]

    def _runs_of(self, index, kind):
        out = []
        for run in range(self.first_run[index], self.first_run[index + 1]):
            if self.run_kind[run] == kind:
                start = self.run_start[run]
                stop = start + self.run_length[run]
                out.append(numpy.column_stack([self.xs[start:stop], self.ys[start:stop]]))
        return out

    def edges(self, indices):
        """(edges as ring_edges gives them, position in ``indices`` of each edge) of the
        rings of the geometries ``indices``, all at once."""
        indices = numpy.asarray(indices, dtype=numpy.int64)
        first, last = self.first_run[indices], self.first_run[indices + 1]
        counts = last - first
        runs = numpy.repeat(first - (numpy.cumsum(counts) - counts), counts) + numpy.arange(int(counts.sum()))
        owner = numpy.repeat(numpy.arange(len(indices)), counts)
        ring = (self.run_kind[runs] == 1) & (self.run_length[runs] >= 2)
        runs, owner = runs[ring], owner[ring]
        starts, lengths = self.run_start[runs], self.run_length[runs]
        # every point but the last of its ring starts an edge; an open ring gets its closing edge
        total = int((lengths - 1).sum())
        begin = numpy.repeat(starts - (numpy.cumsum(lengths - 1) - (lengths - 1)), lengths - 1) + numpy.arange(total)
        end = begin + 1
        edge_owner = numpy.repeat(owner, lengths - 1)
        tail = starts + lengths - 1
        open_ = (self.xs[starts] != self.xs[tail]) | (self.ys[starts] != self.ys[tail])
        if open_.any():
            begin = numpy.concatenate([begin, tail[open_]])
            end = numpy.concatenate([end, starts[open_]])
            edge_owner = numpy.concatenate([edge_owner, owner[open_]])
        if open_.any():
            order = numpy.argsort(edge_owner, kind="stable")  # grouped by owner, as cells_inside reads them
            begin, end, edge_owner = begin[order], end[order], edge_owner[order]
        edges = (self.xs[begin], self.ys[begin], self.xs[end], self.ys[end])
        return edges, edge_owner

    def certainly_valid(self, indices):
        """A mask over ``indices``: True where the geometry is a polygon of one closed ring
        of at most 32 edges that is certainly simple (then GEOS finds it valid too);
        False where GEOS has to decide."""
        indices = numpy.asarray(indices, dtype=numpy.int64)
        result = numpy.zeros(len(indices), dtype=bool)
        first = self.first_run[indices]
        single = (self.first_run[indices + 1] - first) == 1
        single[single] = self.run_kind[first[single]] == 1
        lengths = numpy.where(single, self.run_length[numpy.minimum(first, len(self.run_length) - 1)], 0) \
            if len(self.run_length) else numpy.zeros(len(indices), dtype=numpy.int64)
        for length in numpy.unique(lengths[(lengths >= 4) & (lengths <= 33)]).tolist():
            these = numpy.flatnonzero(single & (lengths == length))
            at = self.run_start[first[these]][:, numpy.newaxis] + numpy.arange(length)
            x, y = self.xs[at], self.ys[at]
            closed = (x[:, 0] == x[:, -1]) & (y[:, 0] == y[:, -1]) & numpy.isfinite(x).all(axis=1) & \
                numpy.isfinite(y).all(axis=1)
            result[these[closed]] = _simple_rings(x[closed], y[closed])
        return result

    def rings(self, index):
        """The rings of geometry ``index`` as wkb_rings gives them."""
        return self._runs_of(index, 1)

    def points(self, index):
        """The point and line vertices of geometry ``index`` as wkb_points gives them."""
        points = self._runs_of(index, 0)
        return numpy.concatenate(points) if points else numpy.zeros((0, 2))



# Shewchuk's error bound of the plain orientation determinant (ccwerrboundA): where the
# determinant exceeds it, its sign is the exact sign.
_ORIENTATION_BOUND = 3.3306690738754716e-16
_PAIRS = {}


def _orientation(ax, ay, bx, by, cx, cy):
    """+1 / -1 where the turn a -> b -> c is certainly left / right, 0 where it is unsure."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    bound = _ORIENTATION_BOUND * (numpy.abs(left) + numpy.abs(right))
    return numpy.where(det > bound, 1, numpy.where(det < -bound, -1, 0))


def _edge_pairs(edges):
    """(i, j) of the edges of a closed ring of ``edges`` edges that share no vertex."""
    if edges not in _PAIRS:
        i, j = numpy.triu_indices(edges, 2)
        keep = ~((i == 0) & (j == edges - 1))
        _PAIRS[edges] = (i[keep], j[keep])
    return _PAIRS[edges]


def _simple_rings(x, y):
    """For rings (g, n) of closed coordinates: True where the ring is certainly simple
    (no two edges meet but neighbours at their shared vertex, no turn back or straight on
    at a vertex), decided with certain orientation signs only."""
    edges = x.shape[1] - 1
    nx, ny = numpy.roll(x[:, :-1], -1, axis=1), numpy.roll(y[:, :-1], -1, axis=1)
    nnx, nny = numpy.roll(x[:, :-1], -2, axis=1), numpy.roll(y[:, :-1], -2, axis=1)
    # every vertex a real turn: no zero-length edge, no spike, no straight run
    ok = (_orientation(x[:, :-1], y[:, :-1], nx, ny, nnx, nny) != 0).all(axis=1)
    i, j = _edge_pairs(edges)
    if len(i) == 0:
        return ok
    ax, ay, bx, by = x[:, i], y[:, i], x[:, i + 1], y[:, i + 1]
    cx, cy, dx, dy = x[:, j], y[:, j], x[:, j + 1], y[:, j + 1]
    side_c, side_d = _orientation(ax, ay, bx, by, cx, cy), _orientation(ax, ay, bx, by, dx, dy)
    side_a, side_b = _orientation(cx, cy, dx, dy, ax, ay), _orientation(cx, cy, dx, dy, bx, by)
    apart = ((side_c == side_d) & (side_c != 0)) | ((side_a == side_b) & (side_a != 0))
    return ok & apart.all(axis=1)
