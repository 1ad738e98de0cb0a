"""A layer's spatial index (SQLite R*Tree) filled in one go, where it is empty.

Inserting row by row costs SQLite a rewrite of a whole node per row (about 5 µs):
for a dense tile that was more time than GDAL needs for the whole import. Where
the index is still empty (the first tile written into a layer), ``pack_empty``
builds the tree bottom-up instead (sort-tile-recursive packing: boxes sorted into
slices by x, each slice by y, nodes filled evenly) and writes its nodes straight
into the R*Tree's own tables, in the format SQLite's rtree module documents:

- ``<rtree>_node(nodeno, data)``: node 1 is the root; each node is a blob of the
  root's size: 2 bytes tree depth (root only), 2 bytes cell count, then per cell
  an 8-byte id (row id in a leaf, child node number above) and the box as 4-byte
  floats (minx, maxx, miny, maxy), all big-endian;
- ``<rtree>_rowid(rowid, nodeno)``: the leaf of each row;
- ``<rtree>_parent(nodeno, parentnode)``: the parent of each node but the root.

Boxes are rounded to float32 outwards exactly as SQLite rounds them, so the index
holds the same boxes as a row-by-row fill (SQLite's ``rtreecheck`` agrees with
the result, and SQLite inserts and deletes rows in it later as in any other).
Anything unexpected (a tree not empty, another table layout) leaves the index
untouched and returns False: the caller then inserts row by row.
"""

import sqlite3

import numpy

_CELL = numpy.dtype([("id", ">i8"), ("box", ">f4", (4,))])  # one cell of a 2D R*Tree node
_TOWARDS, _AWAY = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0  # SQLite's RNDTOWARDS, RNDAWAY


def box_arrays(boxes):
    """(ids as int64, boxes as float64 n x 4) of [(id, minx, maxx, miny, maxy)]: 40 bytes a box."""
    ids = numpy.fromiter((box[0] for box in boxes), dtype=numpy.int64, count=len(boxes))
    return ids, numpy.array(boxes, dtype=numpy.float64)[:, 1:]


def pack_empty(db, rtree, ids, boxes):
    """Fill the empty 2D R*Tree ``rtree`` with ``ids`` and their ``boxes`` (see box_arrays); True if done."""
    if not len(ids):
        return True
    root = _empty_root(db, rtree)
    if root is None:
        return False
    max_cells = (len(root) - 4) // _CELL.itemsize
    if max_cells < 3:
        return False
    cells = numpy.empty(len(ids), dtype=_CELL)
    cells["id"] = ids
    cells["box"][:, 0] = _rounded_down(boxes[:, 0])
    cells["box"][:, 1] = _rounded_up(boxes[:, 1])
    cells["box"][:, 2] = _rounded_down(boxes[:, 2])
    cells["box"][:, 3] = _rounded_up(boxes[:, 3])

    nodes = []  # (nodeno, cells), the root last
    mappings = []  # per level from the leaves up: (member ids, their nodenos) for _rowid, then _parent
    depth = 0  # levels below the root
    next_node = 2
    while len(cells) > max_cells:
        groups = _str_groups(cells["box"], max_cells)
        ordered = cells[numpy.concatenate(groups)]
        sizes = [len(group) for group in groups]
        starts = numpy.cumsum([0] + sizes[:-1])
        upper = numpy.empty(len(groups), dtype=_CELL)
        upper["id"] = numpy.arange(next_node, next_node + len(groups), dtype=numpy.int64)
        next_node += len(groups)
        box = ordered["box"]
        upper["box"][:, 0] = numpy.minimum.reduceat(box[:, 0], starts)
        upper["box"][:, 1] = numpy.maximum.reduceat(box[:, 1], starts)
        upper["box"][:, 2] = numpy.minimum.reduceat(box[:, 2], starts)
        upper["box"][:, 3] = numpy.maximum.reduceat(box[:, 3], starts)
        nodes.extend((number, ordered[start:start + size])
                     for number, start, size in zip(upper["id"].tolist(), starts.tolist(), sizes))
        mappings.append((ordered["id"], numpy.repeat(upper["id"], sizes)))
        cells = upper
        depth += 1
    nodes.append((1, cells))
    mappings.append((cells["id"], numpy.ones(len(cells), dtype=numpy.int64)))

    blobs = [(number, _node_blob(members, depth if number == 1 else 0, len(root))) for number, members in nodes]
    db.execute("SAVEPOINT pack_rtree")
    try:
        db.execute('UPDATE "{}_node" SET data = ? WHERE nodeno = 1'.format(rtree), (blobs[-1][1],))
        db.executemany('INSERT INTO "{}_node" (nodeno, data) VALUES (?, ?)'.format(rtree), blobs[:-1])
        for level, (members, numbers) in enumerate(mappings):
            db.executemany('INSERT INTO "{}" VALUES (?, ?)'.format(rtree + ("_parent" if level else "_rowid")),
                           zip(members.tolist(), numbers.tolist()))
    except sqlite3.Error:  # e.g. shadow tables write-protected (SQLITE_DBCONFIG_DEFENSIVE)
        db.execute("ROLLBACK TO pack_rtree")
        db.execute("RELEASE pack_rtree")
        return False
    db.execute("RELEASE pack_rtree")
    return True


def is_empty(db, rtree):
    """True where ``rtree`` is empty and laid out as ``pack_empty`` expects."""
    return _empty_root(db, rtree) is not None


def _empty_root(db, rtree):
    """The root node's blob where the R*Tree is empty and has the documented layout, else None."""
    try:
        row = db.execute('SELECT data FROM "{}_node" WHERE nodeno = 1'.format(rtree)).fetchone()
        if row is None or not isinstance(row[0], bytes) or len(row[0]) < 4 or any(row[0][:4]):
            return None  # no root, or a depth or cells on it
        for suffix, columns in (("_node", 2), ("_rowid", 2), ("_parent", 2)):
            cursor = db.execute('SELECT * FROM "{}{}" LIMIT 1'.format(rtree, suffix))
            if len(cursor.description) != columns:
                return None  # auxiliary columns: not the GeoPackage's R*Tree
        if db.execute('SELECT 1 FROM "{0}_node" WHERE nodeno != 1 UNION ALL SELECT 1 FROM "{0}_rowid" '
                      'UNION ALL SELECT 1 FROM "{0}_parent" LIMIT 1'.format(rtree)).fetchone():
            return None
        if len(db.execute('SELECT * FROM "{}" LIMIT 0'.format(rtree)).description) != 5:
            return None  # not two dimensions
    except sqlite3.Error:  # the caller inserts row by row
        return None
    return row[0]


def _rounded_down(values):
    """float32 no larger than each float64, as SQLite's rtreeValueDown rounds a box's lower bound."""
    rounded = values.astype(numpy.float32)
    over = rounded > values
    if over.any():
        rounded[over] = (values[over] * numpy.where(values[over] < 0, _AWAY, _TOWARDS)).astype(numpy.float32)
    return rounded


def _rounded_up(values):
    """float32 no smaller than each float64, as SQLite's rtreeValueUp rounds a box's upper bound."""
    rounded = values.astype(numpy.float32)
    under = rounded < values
    if under.any():
        rounded[under] = (values[under] * numpy.where(values[under] < 0, _TOWARDS, _AWAY)).astype(numpy.float32)
    return rounded


def _str_groups(boxes, max_cells):
    """Index arrays of the nodes of one level: sort-tile-recursive, every node at most ``max_cells``."""
    count = len(boxes)
    nodes = -(-count // max_cells)
    slices = int(numpy.ceil(numpy.sqrt(nodes)))
    centre_x = boxes[:, 0].astype(numpy.float64) + boxes[:, 1]
    centre_y = boxes[:, 2].astype(numpy.float64) + boxes[:, 3]
    groups = []
    for part in numpy.array_split(numpy.argsort(centre_x, kind="stable"), slices):
        if not len(part):
            continue
        ordered = part[numpy.argsort(centre_y[part], kind="stable")]
        groups.extend(numpy.array_split(ordered, -(-len(ordered) // max_cells)))
    return groups


def _node_blob(members, depth, size):
    head = int(depth).to_bytes(2, "big") + len(members).to_bytes(2, "big")
    body = members.tobytes()
    return head + body + bytes(size - 4 - len(body))
