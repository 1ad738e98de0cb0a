"""A layer's spatial index (SQLite R*Tree): a tile's rows added in one go.

Inserting row by row costs SQLite a rewrite of a whole node per row (about 5 µs):
for a dense tile that was more time than GDAL needs for the whole import.
``pack`` builds the tile's part of the tree bottom-up instead (sort-tile-recursive
packing: boxes sorted into slices by x, each slice by y, nodes filled evenly),
hangs it into the tree (see ``pack``) and writes the nodes straight into the
R*Tree's own tables, in the format SQLite's rtree module documents:

- ``<rtree>_node(nodeno, data)``: node 1 is the root; each node is a blob of the
  root's size: 2 bytes tree depth (root only), 2 bytes cell count, then per cell
  an 8-byte id (row id in a leaf, child node number above) and the box as 4-byte
  floats (minx, maxx, miny, maxy), all big-endian;
- ``<rtree>_rowid(rowid, nodeno)``: the leaf of each row;
- ``<rtree>_parent(nodeno, parentnode)``: the parent of each node but the root.

Boxes are rounded to float32 outwards exactly as SQLite rounds them, so the index
holds the same boxes as a row-by-row fill (SQLite's ``rtreecheck`` agrees with
the result, and SQLite inserts and deletes rows in it later as in any other).
Anything unexpected (another table layout, an SQL error) leaves the index
untouched and returns False: the caller then inserts row by row.
"""

import json
import sqlite3

import numpy

_CELL = numpy.dtype([("id", ">i8"), ("box", ">f4", (4,))])  # one cell of a 2D R*Tree node
_TOWARDS, _AWAY = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0  # SQLite's RNDTOWARDS, RNDAWAY


def box_arrays(boxes):
    """(ids as int64, boxes as float64 n x 4) of [(id, minx, maxx, miny, maxy)]: 40 bytes a box."""
    ids = numpy.fromiter((box[0] for box in boxes), dtype=numpy.int64, count=len(boxes))
    return ids, numpy.array(boxes, dtype=numpy.float64)[:, 1:]


def add(db, rtree, ids, boxes):
    """Add ``ids`` with their ``boxes`` to the R*Tree ``rtree``: packed in one go (``pack``), or
    row by row where the index is not laid out as ``pack`` expects."""
    if not pack(db, rtree, ids, boxes):
        db.executemany('INSERT INTO "{}" VALUES (?, ?, ?, ?, ?)'.format(rtree.replace('"', '""')),
                       zip(ids.tolist(), *boxes.T.tolist()))


def set_aside_trigger(db, name):
    """Inside the caller's transaction: drop trigger ``name`` and return its SQL to create it
    again (None where there is no such trigger)."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).fetchone()
    if row is None:
        return None
    db.execute('DROP TRIGGER "{}"'.format(name.replace('"', '""')))
    return row[0]


def pack(db, rtree, ids, boxes):
    """Add ``ids`` with their ``boxes`` (see box_arrays) to the 2D R*Tree ``rtree`` in one go; True if done.

    Into an empty tree (or one that is a single node) they go packed as a whole tree. Onto a
    deeper tree they are packed into subtrees of the height of the root's children and hung
    under the root; where the root overflows, its children are packed into new levels above
    them (the tree grows at the top, as an R*Tree does). Leaves stay at one depth throughout.
    """
    if not len(ids):
        return True
    layout = _layout(db, rtree)
    if layout is None:
        return False
    root, next_node = layout
    max_cells = (len(root) - 4) // _CELL.itemsize
    depth, count = int.from_bytes(root[:2], "big"), int.from_bytes(root[2:4], "big")
    if max_cells < 3 or count * _CELL.itemsize + 4 > len(root):
        return False
    cells = numpy.empty(len(ids), dtype=_CELL)
    cells["id"] = ids
    cells["box"][:, 0] = _rounded_down(boxes[:, 0])
    cells["box"][:, 1] = _rounded_up(boxes[:, 1])
    cells["box"][:, 2] = _rounded_down(boxes[:, 2])
    cells["box"][:, 3] = _rounded_up(boxes[:, 3])
    present = numpy.frombuffer(root, dtype=_CELL, count=count, offset=4)  # the root's cells as they are
    replaced = []  # rows of a single-node tree, taken out to be packed again with the new ones
    if depth == 0:
        replaced = present["id"].tolist()
        cells, present = _joined(present, cells), present[:0]
    nodes, mappings, top, _levels, next_node = _levels_up(cells, max_cells, next_node, depth or None)
    children = _joined(present, top)
    if len(children) > max_cells:  # the root overflows: new levels above its children
        upper_nodes, upper_mappings, children, levels, next_node = _levels_up(children, max_cells, next_node)
        nodes += upper_nodes
        mappings += upper_mappings
        depth += levels
    elif depth == 0:
        depth = len(mappings)
    mappings.append((children["id"], numpy.ones(len(children), dtype=numpy.int64)))
    blobs = [(number, _node_blob(members, 0, len(root))) for number, members in nodes]
    db.execute("SAVEPOINT pack_rtree")
    try:
        if replaced:
            db.executemany('DELETE FROM "{}_rowid" WHERE rowid = ?'.format(rtree), [(row,) for row in replaced])
        db.execute('UPDATE "{}_node" SET data = ? WHERE nodeno = 1'.format(rtree),
                   (_node_blob(children, depth, len(root)),))
        db.executemany('INSERT INTO "{}_node" (nodeno, data) VALUES (?, ?)'.format(rtree), blobs)
        for level, (members, numbers) in enumerate(mappings):
            # the rows' leaves (a row already there is an error, as for SQLite), then the nodes' parents
            # (replaced: the root's former children may have got new ones)
            if level == 0:
                _insert_leaves(db, rtree, members, numbers)
            else:
                db.executemany('INSERT OR REPLACE INTO "{}_parent" VALUES (?, ?)'.format(rtree),
                               zip(members.tolist(), numbers.tolist()))
    except sqlite3.Error:  # e.g. shadow tables write-protected (SQLITE_DBCONFIG_DEFENSIVE)
        db.execute("ROLLBACK TO pack_rtree")
        db.execute("RELEASE pack_rtree")
        return False
    db.execute("RELEASE pack_rtree")
    return True


def _insert_leaves(db, rtree, ids, leaves):
    """The rows ``ids`` into ``<rtree>_rowid`` with their leaf nodes, in the order of the ids (SQLite appends
    them at the end of its table rather than seeking a place for each). A run of consecutive ids, as a tile's
    new rows are, goes in as one statement over a JSON list of the leaves (a third of the time of a row-by-row
    insert; where SQLite has no JSON functions, row by row)."""
    order = numpy.argsort(ids, kind="stable")
    ids, leaves = ids[order], leaves[order]
    if len(ids) > 1 and bool((numpy.diff(ids) == 1).all()):
        try:
            db.execute('INSERT INTO "{}_rowid" SELECT ? + key, value FROM json_each(?)'.format(rtree),
                       (int(ids[0]), json.dumps(leaves.tolist())))
            return
        except sqlite3.OperationalError as error:
            if "json_each" not in str(error):  # (SQLite without JSON: the statement did nothing)
                raise
    db.executemany('INSERT INTO "{}_rowid" VALUES (?, ?)'.format(rtree), zip(ids.tolist(), leaves.tolist()))


def _joined(first, second):
    """Two cell arrays as one, still big-endian (numpy.concatenate would turn them native)."""
    return numpy.concatenate([first, second]).astype(_CELL, copy=False)


def _levels_up(cells, max_cells, next_node, levels=None):
    """Pack ``cells`` into nodes level by level: ``levels`` times, or until one node's worth is left.

    Returns (nodes [(nodeno, cells)], mappings [(member ids, their nodenos)] per level from the
    bottom, the cells of the top level's nodes, the levels built, the next free node number).
    """
    nodes, mappings = [], []
    built = 0
    while (len(cells) > max_cells) if levels is None else built < levels:
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
        built += 1
    return nodes, mappings, cells, built, next_node


def _layout(db, rtree):
    """(root node blob, next free node number) where ``rtree`` has the documented layout, else None."""
    try:
        row = db.execute('SELECT data FROM "{}_node" WHERE nodeno = 1'.format(rtree)).fetchone()
        if row is None or not isinstance(row[0], bytes) or len(row[0]) < 4:
            return None
        for suffix in ("_node", "_rowid", "_parent"):
            if len(db.execute('SELECT * FROM "{}{}" LIMIT 0'.format(rtree, suffix)).description) != 2:
                return None  # auxiliary columns: not the GeoPackage's R*Tree
        if len(db.execute('SELECT * FROM "{}" LIMIT 0'.format(rtree)).description) != 5:
            return None  # not two dimensions
        last = db.execute('SELECT MAX(nodeno) FROM "{}_node"'.format(rtree)).fetchone()[0]
    except sqlite3.Error:  # the caller inserts row by row
        return None
    return row[0], last + 1


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
