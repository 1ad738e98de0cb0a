"""Which ground is taken: street space and buildings, as convex polygons in a spatial hash.

New buildings are placed only where they overlap neither the street space nor
another building (touching is allowed: terraced houses share walls).
"""

import math

_CELL = 25.0  # metres per hash cell
_TOUCH = 0.05  # overlaps thinner than this count as touching


class Occupancy:
    def __init__(self):
        self._cells = {}
        self._shapes = []  # (xmin, ymin, xmax, ymax, corners)

    def add(self, corners):
        xmin, ymin, xmax, ymax = _bbox(corners)
        index = len(self._shapes)
        self._shapes.append((xmin, ymin, xmax, ymax, corners))
        for key in _cell_keys(xmin, ymin, xmax, ymax):
            self._cells.setdefault(key, []).append(index)

    def add_corridor(self, coords, half_width):
        """The street space along a polyline, one rectangle per segment (ends extended a little)."""
        for (x1, y1), (x2, y2) in zip(coords, coords[1:]):
            length = math.hypot(x2 - x1, y2 - y1)
            if length == 0.0:
                continue
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            reach = 2.0
            ax, ay = x1 - ux * reach, y1 - uy * reach
            bx, by = x2 + ux * reach, y2 + uy * reach
            nx, ny = -uy * half_width, ux * half_width
            self.add([(ax - nx, ay - ny), (bx - nx, by - ny), (bx + nx, by + ny), (ax + nx, ay + ny)])

    def is_free(self, corners):
        xmin, ymin, xmax, ymax = _bbox(corners)
        seen = set()
        for key in _cell_keys(xmin, ymin, xmax, ymax):
            for index in self._cells.get(key, ()):
                if index in seen:
                    continue
                seen.add(index)
                oxmin, oymin, oxmax, oymax, other = self._shapes[index]
                if oxmin >= xmax - _TOUCH or oxmax <= xmin + _TOUCH or oymin >= ymax - _TOUCH or oymax <= ymin + _TOUCH:
                    continue
                if _convex_overlap(corners, other):
                    return False
        return True


def _bbox(corners):
    xs = [x for x, _y in corners]
    ys = [y for _x, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _cell_keys(xmin, ymin, xmax, ymax):
    for i in range(int(math.floor(xmin / _CELL)), int(math.floor(xmax / _CELL)) + 1):
        for j in range(int(math.floor(ymin / _CELL)), int(math.floor(ymax / _CELL)) + 1):
            yield i, j


def _convex_overlap(first, second):
    """True if two convex polygons overlap by more than _TOUCH (separating axis test)."""
    for polygon in (first, second):
        count = len(polygon)
        for index in range(count):
            x1, y1 = polygon[index]
            x2, y2 = polygon[(index + 1) % count]
            nx, ny = y1 - y2, x2 - x1
            norm = math.hypot(nx, ny)
            if norm == 0.0:
                continue
            nx, ny = nx / norm, ny / norm
            a = [x * nx + y * ny for x, y in first]
            b = [x * nx + y * ny for x, y in second]
            if max(a) <= min(b) + _TOUCH or max(b) <= min(a) + _TOUCH:
                return False
    return True
