"""The packed spatial index: the same R*Tree a row-by-row fill gives, one SQLite itself accepts and keeps up."""

import random
import sqlite3
import struct

import pytest
from citymodel_support import fixture, fixture_text, query, scalar, spatial_index_matches

from herne_twin_plugin.core.citymodel import import_city_model
from herne_twin_plugin.core.citymodel.spatial_index import box_arrays, pack

_WINDOW = "SELECT id FROM r WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? ORDER BY id"


def _rtree(page_size=4096):
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA page_size = {}".format(page_size))
    db.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    return db


def _boxes(count, seed=7):
    """Building-sized boxes in UTM coordinates, with decimals that float32 cannot hold."""
    rng = random.Random(seed)
    boxes = []
    for fid in range(1, count + 1):
        x, y = rng.uniform(367000, 372000), rng.uniform(5711000, 5715000)
        boxes.append((fid, x, x + rng.uniform(0.001, 40), y, y + rng.uniform(0.001, 40)))
    return boxes


def _windows(seed=11):
    rng = random.Random(seed)
    for _ in range(60):
        x, y, size = rng.uniform(366900, 372000), rng.uniform(5710900, 5715000), rng.uniform(0.5, 800)
        yield x + size, x, y + size, y


@pytest.mark.parametrize("count", [1, 3, 51, 52, 600, 2601, 2652, 20000])
def test_a_packed_index_holds_the_boxes_sqlite_would_and_answers_the_same(count):
    boxes = _boxes(count)
    row_by_row, packed = _rtree(), _rtree()
    row_by_row.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", boxes)
    packed.execute("BEGIN")
    assert pack(packed, "r", *box_arrays(boxes))
    packed.execute("COMMIT")

    assert packed.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert sorted(packed.execute("SELECT * FROM r")) == sorted(row_by_row.execute("SELECT * FROM r"))
    for window in _windows():
        assert packed.execute(_WINDOW, window).fetchall() == row_by_row.execute(_WINDOW, window).fetchall()
    if count > 51:  # more than one node: a real tree
        assert packed.execute("SELECT rtreedepth(data) FROM r_node WHERE nodeno = 1").fetchone()[0] >= 1


def test_sqlite_keeps_a_packed_index_up_when_rows_come_and_go():
    boxes = _boxes(3000)
    db = _rtree()
    assert pack(db, "r", *box_arrays(boxes))
    db.execute("DELETE FROM r WHERE id % 3 = 0")
    added = [(10000 + fid, *box) for fid, *box in _boxes(500, seed=8)]
    db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", added)
    db.execute("DELETE FROM r WHERE id BETWEEN 1000 AND 2999")
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    expected = {fid for fid, *_box in added} | {
        fid for fid, *_box in boxes if fid % 3 and not 1000 <= fid <= 2999}
    assert {row[0] for row in db.execute("SELECT id FROM r")} == expected


def test_small_nodes_and_ids_beyond_float_precision_are_packed_exactly():
    db = _rtree(page_size=512)  # 448-byte nodes: 18 cells each, a deeper tree
    boxes = [(2**53 + 1 + fid, x0, x1, y0, y1) for fid, x0, x1, y0, y1 in _boxes(5000)]
    assert pack(db, "r", *box_arrays(boxes))
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert db.execute("SELECT rtreedepth(data) FROM r_node WHERE nodeno = 1").fetchone()[0] >= 2
    assert sorted(row[0] for row in db.execute("SELECT id FROM r")) == [box[0] for box in boxes]


@pytest.mark.parametrize("sizes", [
    [3, 40, 9],  # a single node, then packed anew with what it held
    [600, 5, 5, 5],  # small additions under a root with room
    [2601, 2601, 2601, 2601],  # the root overflows: the tree grows at the top
    [20000, 300, 9000, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
     1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
])
def test_tiles_packed_onto_a_filled_index_leave_the_tree_sqlite_would_answer_alike(sizes):
    boxes = _boxes(sum(sizes), seed=len(sizes))
    row_by_row, packed = _rtree(), _rtree()
    start = 0
    for size in sizes:
        tile = boxes[start:start + size]
        start += size
        row_by_row.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", tile)
        packed.execute("BEGIN")
        assert pack(packed, "r", *box_arrays(tile))
        packed.execute("COMMIT")
        assert packed.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert sorted(packed.execute("SELECT * FROM r")) == sorted(row_by_row.execute("SELECT * FROM r"))
    for window in _windows():
        assert packed.execute(_WINDOW, window).fetchall() == row_by_row.execute(_WINDOW, window).fetchall()
    packed.execute("DELETE FROM r WHERE id % 4 = 1")  # SQLite keeps working on it
    packed.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", [(10**6 + fid, *box) for fid, *box in boxes[:700]])
    assert packed.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"


class _SQLiteWithoutJSON:
    """A connection as an SQLite built without its JSON functions gives it."""

    def __init__(self, db):
        self._db = db

    def execute(self, sql, *args):
        if "json_each" in sql:
            raise sqlite3.OperationalError("no such table: json_each")
        return self._db.execute(sql, *args)

    def executemany(self, sql, rows):
        return self._db.executemany(sql, rows)


@pytest.mark.parametrize("case", ["consecutive ids", "ids with gaps, shuffled", "SQLite without JSON"])
def test_every_row_is_recorded_in_its_leaf_however_its_ids_run(case):
    """A tile's new rows (consecutive fids) go into the index's row table in one statement; other ids, or an
    SQLite without JSON functions, row by row: either way each row is found in its leaf (rtreecheck checks the
    row table against the nodes)."""
    boxes = _boxes(3000)
    if case == "ids with gaps, shuffled":
        boxes = [(7 * fid + 3, *box) for fid, *box in boxes]
        random.Random(5).shuffle(boxes)
    db = _rtree()
    statements = []
    db.set_trace_callback(statements.append)
    assert pack(_SQLiteWithoutJSON(db) if case == "SQLite without JSON" else db, "r", *box_arrays(boxes))
    db.set_trace_callback(None)
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert sorted(row[0] for row in db.execute("SELECT rowid FROM r_rowid")) == sorted(box[0] for box in boxes)
    assert sorted(db.execute("SELECT * FROM r")) == sorted(
        _rtree_of(boxes).execute("SELECT * FROM r"))  # the same boxes as SQLite's own fill
    row_statements = [sql for sql in statements if sql.startswith('INSERT INTO "r_rowid"')]
    assert len(row_statements) == (1 if case == "consecutive ids" else len(boxes))


def _rtree_of(boxes):
    db = _rtree()
    db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", boxes)
    return db


def test_a_row_already_in_the_index_is_refused_and_nothing_changes():
    db = _rtree()
    assert pack(db, "r", *box_arrays(_boxes(3000)))
    before = sorted(db.execute("SELECT * FROM r"))
    assert not pack(db, "r", *box_arrays(_boxes(10, seed=3)))  # ids 1..10 are there already
    assert sorted(db.execute("SELECT * FROM r")) == before
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"


def test_an_index_of_another_layout_is_left_alone():
    three_d = sqlite3.connect(":memory:")
    three_d.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy, minz, maxz)")
    assert not pack(three_d, "r", *box_arrays(_boxes(10)))
    assert three_d.execute("SELECT COUNT(*) FROM r").fetchone()[0] == 0


def test_every_layer_index_is_sound_after_first_import_append_and_replace(tmp_path):
    """The first tile goes into empty indexes (packed), the next into filled ones, a changed tile replaces rows."""
    gpkg = str(tmp_path / "city.gpkg")
    import_city_model([fixture("gable_house.gml")], gpkg)
    import_city_model([fixture("gable_house_citygml2.gml")], gpkg)
    changed = tmp_path / "gable_house.gml"
    changed.write_text(fixture_text("gable_house.gml").replace(
        ">31001_1010<", ">31001_2463<"), encoding="utf-8")
    import_city_model([str(changed)], gpkg)
    for layer in ("buildings", "building_footprints", "building_surfaces"):
        assert scalar(gpkg, "SELECT rtreecheck('rtree_{}_geom')".format(layer)) == "ok"
        assert spatial_index_matches(gpkg, layer)
        boxes = dict((row[0], row[1:]) for row in query(
            gpkg, 'SELECT id, minx, maxx, miny, maxy FROM "rtree_{}_geom"'.format(layer)))
        for fid, blob in query(gpkg, 'SELECT fid, geom FROM "{}"'.format(layer)):
            minx, maxx, miny, maxy = struct.unpack_from("<4d", blob, 8)  # the GeoPackage header's envelope
            box = boxes[fid]
            assert box[0] <= minx and box[1] >= maxx and box[2] <= miny and box[3] >= maxy
            assert max(minx - box[0], box[1] - maxx, miny - box[2], box[3] - maxy) < 0.5  # float32 at UTM size


def test_a_tile_beyond_the_packing_limit_packs_the_first_rows_and_adds_the_rest(tmp_path, monkeypatch):
    from herne_twin_plugin.core.citymodel import geopackage_writer

    monkeypatch.setattr(geopackage_writer, "_FLUSH_ROWS", 4)
    monkeypatch.setattr(geopackage_writer, "_PACK_AT_MOST", 8)
    gpkg = str(tmp_path / "city.gpkg")
    summary = import_city_model([fixture("gable_house.gml"), fixture("gable_house_citygml2.gml")], gpkg)
    assert summary.buildings >= 2
    surfaces = scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces")
    assert surfaces > 8  # some packed, some added row by row
    for layer in ("buildings", "building_footprints", "building_surfaces"):
        assert scalar(gpkg, "SELECT rtreecheck('rtree_{}_geom')".format(layer)) == "ok"
        assert spatial_index_matches(gpkg, layer)
