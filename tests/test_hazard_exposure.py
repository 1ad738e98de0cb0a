"""Exposure against hand-made depth rasters and depth-class polygons whose answers are
worked out by hand (in the comments), and the fast raster path against a plain reference."""

import math

import numpy
import pytest
import shapely
from hazard_testdata import box, class_layer, class_name, memory_layer, write_raster
from qgis.core import NULL, QgsGeometry
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard.exposure import AssetGeometries, DepthRaster, expose_to_raster
from herne_twin_plugin.core.hazard.output import exposure_layer
from herne_twin_plugin.core.hazard.sources import run_exposure

X0, Y0, CELL = 370000.0, 5714000.0, 10.0
ND = -9999.0
# 4 columns x 3 rows of 10 m, north row first
DEPTHS = [
    [5.0, 20.0, 40.0, 120.0],
    [ND, 30.0, 55.0, 99.9],
    [10.0, ND, 9.99, 100.0],
]


def centre(row, column):
    return X0 + CELL * column + CELL / 2, Y0 - CELL * row - CELL / 2


def point(row, column, dx=0.0, dy=0.0):
    x, y = centre(row, column)
    return "POINT({} {})".format(x + dx, y + dy)


@pytest.fixture
def depth_raster(tmp_path):
    return write_raster(tmp_path / "depth.tif", DEPTHS, X0, Y0, CELL)


def exposed(layer, hazard, **kwargs):
    output, run = exposure_layer(layer, hazard, "exposure", **kwargs)
    return {f["name"]: f for f in output.getFeatures()}, run


def named_points(rows):
    return memory_layer("Point", [(wkt, {"name": name}) for name, wkt in rows], [("name", QVariant.String)])


def named_polygons(rows):
    return memory_layer("Polygon", [(wkt, {"name": name}) for name, wkt in rows], [("name", QVariant.String)])


def test_a_point_reads_the_cell_it_lies_in_and_its_class_follows_the_lower_bounds(qgis_app, depth_raster):
    cells = [(r, c) for r in range(3) for c in range(4)]
    # off the centre, still inside the cell
    layer = named_points([("{}-{}".format(r, c), point(r, c, 3.0, -4.0)) for r, c in cells])
    features, _run = exposed(layer, depth_raster)
    for r, c in cells:
        feature = features["{}-{}".format(r, c)]
        depth = DEPTHS[r][c] if DEPTHS[r][c] != ND else 0.0  # a cell without water inside the raster is dry
        assert feature["max_depth_cm"] == pytest.approx(depth, abs=0.05)
        assert feature["depth_class"] == class_name(depth)
        assert feature["covered_share"] == 1.0
    # the class bounds: 30 is "30-50", 10 is "10-30", 100 is ">100", 9.99 is below 10 cm
    assert [features[n]["depth_class"] for n in ("1-1", "2-0", "2-3", "2-2", "1-3")] == \
        ["30-50", "10-30", ">100", "below 10 cm", "50-100"]


def test_a_point_outside_the_raster_is_no_data_not_safe(qgis_app, depth_raster):
    layer = named_points([("west", "POINT({} {})".format(X0 - 5, Y0 - 5)),
                          ("south", "POINT({} {})".format(X0 + 5, Y0 - 35))])
    features, run = exposed(layer, depth_raster)
    for feature in features.values():
        assert feature["depth_class"] == "no data"
        assert feature["max_depth_cm"] == NULL
        assert feature["covered_share"] == 0.0
    assert any("outside the hazard data" in note for note in run.notes)


def test_a_footprint_takes_the_cells_whose_centres_lie_inside(qgis_app, depth_raster):
    # cells (0,1) (0,2) (1,1) (1,2): 20, 40, 30, 55 cm
    footprint = box(X0 + 11, Y0 - 19, X0 + 29, Y0 - 1)
    features, _run = exposed(named_polygons([("house", footprint)]), depth_raster)
    house = features["house"]
    assert house["max_depth_cm"] == pytest.approx(55.0)
    assert house["mean_depth_cm"] == pytest.approx((20 + 40 + 30 + 55) / 4, abs=0.05)
    assert house["depth_class"] == "50-100"
    assert [house["share_10_30"], house["share_30_50"], house["share_50_100"], house["share_gt_100"]] == \
        pytest.approx([0.25, 0.5, 0.25, 0.0])


def test_a_footprint_partly_outside_the_raster_says_how_much_is_covered(qgis_app, depth_raster):
    # cell centres at x + 25, 35 (inside: 40 and 120 cm) and x + 45, 55 (beyond the raster's east edge)
    footprint = box(X0 + 21, Y0 - 9, X0 + 59, Y0 - 1)
    features, _run = exposed(named_polygons([("half", footprint)]), depth_raster)
    half = features["half"]
    assert half["covered_share"] == pytest.approx(0.5)
    assert half["max_depth_cm"] == pytest.approx(120.0)
    assert half["mean_depth_cm"] == pytest.approx(80.0)
    assert half["depth_class"] == ">100"
    # shares are of the whole footprint: a quarter each, half of it unknown
    assert [half["share_30_50"], half["share_gt_100"], half["share_10_30"]] == pytest.approx([0.25, 0.25, 0.0])


def test_a_buffer_around_a_point_takes_the_cells_within_it(qgis_app, depth_raster):
    # 15 m around the centre of cell (1,1): the 3 x 3 cells around it (diagonals are 14.1 m away)
    layer = named_points([("light", point(1, 1))])
    features, run = exposed(layer, depth_raster, buffer_m=15.0)
    light = features["light"]
    cells = [5, 20, 40, 0, 30, 55, 10, 0, 9.99]
    assert light["max_depth_cm"] == pytest.approx(55.0)
    assert light["mean_depth_cm"] == pytest.approx(sum(cells) / 9, abs=0.05)
    assert light["depth_class"] == "50-100"
    shares = [light["share_10_30"], light["share_30_50"], light["share_50_100"]]
    assert shares == pytest.approx([2 / 9, 2 / 9, 1 / 9], abs=1e-4)
    assert run.assets.areal


def test_a_footprint_smaller_than_a_cell_takes_the_cell_under_it(qgis_app, depth_raster):
    # 2 x 2 m inside cell (2,3) (100 cm), away from its centre
    features, _run = exposed(named_polygons([("kiosk", box(X0 + 31, Y0 - 29, X0 + 33, Y0 - 27))]), depth_raster)
    kiosk = features["kiosk"]
    assert kiosk["depth_class"] == ">100"
    assert kiosk["max_depth_cm"] == pytest.approx(100.0)
    assert kiosk["share_gt_100"] == 1.0


def test_depths_in_metres_are_converted_to_cm(qgis_app, tmp_path):
    metres = [[v / 100.0 if v != ND else ND for v in row] for row in DEPTHS]
    raster = write_raster(tmp_path / "depth_m.tif", metres, X0, Y0, CELL, unit="m")
    features, run = exposed(named_points([("a", point(0, 3)), ("b", point(1, 2))]), raster)
    assert features["a"]["max_depth_cm"] == pytest.approx(120.0, abs=0.01)
    assert features["b"]["depth_class"] == "50-100"
    assert any("metres" in note for note in run.notes)


def test_a_bottom_up_raster_gives_the_same_answers(qgis_app, tmp_path):
    flipped = write_raster(tmp_path / "flipped.tif", DEPTHS[::-1], X0, Y0 - 3 * CELL, CELL, cell_y=-CELL)
    layer = named_points([("{}-{}".format(r, c), point(r, c)) for r in range(3) for c in range(4)])
    features, _run = exposed(layer, flipped)
    assert features["0-3"]["max_depth_cm"] == pytest.approx(120.0)
    assert features["2-0"]["max_depth_cm"] == pytest.approx(10.0)
    footprint = named_polygons([("house", box(X0 + 11, Y0 - 19, X0 + 29, Y0 - 1))])
    assert exposed(footprint, flipped)[0]["house"]["mean_depth_cm"] == pytest.approx(36.25, abs=0.05)


# -- depth-class polygons -----------------------------------------------------------------

CLASSES = [
    (box(0, 0, 100, 100), "10-30"),
    (box(100, 0, 200, 100), "50-100"),
    (box(0, 200, 100, 300), "> 100 cm"),  # spelled as on a printed legend
]


def test_footprints_share_their_area_with_the_classes(qgis_app):
    hazard = class_layer(CLASSES)
    houses = named_polygons([
        ("straddling", box(90, 40, 110, 60)),  # half in 10-30, half in 50-100
        ("inside", box(20, 20, 30, 30)),
        ("dry", box(20, 120, 30, 130)),  # between the polygons, inside their extent
        ("quarter", box(95, 295, 105, 305)),  # a quarter in > 100, half beyond the extent's top
    ])
    features, run = exposed(houses, hazard)
    straddling = features["straddling"]
    assert straddling["depth_class"] == "50-100"
    assert [straddling["share_10_30"], straddling["share_50_100"]] == pytest.approx([0.5, 0.5])
    assert features["inside"]["depth_class"] == "10-30" and features["inside"]["share_10_30"] == 1.0
    assert features["dry"]["depth_class"] == "below 10 cm" and features["dry"]["share_10_30"] == 0.0
    quarter = features["quarter"]
    # the extent of the polygons is (0 0, 200 300): the southern half of the footprint lies inside it
    assert quarter["covered_share"] == pytest.approx(0.5)
    assert quarter["share_gt_100"] == pytest.approx(0.25)
    assert quarter["depth_class"] == ">100"
    # polygons give classes, not depths
    assert all(f["max_depth_cm"] == NULL and f["mean_depth_cm"] == NULL for f in features.values())
    assert any("classes, not depths" in note for note in run.notes)


def test_points_take_the_class_of_the_polygon_they_lie_in(qgis_app):
    lights = named_points([("wet", "POINT(150 50)"), ("dry", "POINT(150 250)"), ("outside", "POINT(250 50)")])
    features, _run = exposed(lights, class_layer(CLASSES))
    assert [features[n]["depth_class"] for n in ("wet", "dry", "outside")] == ["50-100", "below 10 cm", "no data"]


def test_overlapping_class_polygons_count_each_part_once_in_the_deepest_class(qgis_app):
    # a deeper polygon laid over the east half of the shallow one
    hazard = class_layer([(box(0, 0, 100, 100), "10-30"), (box(50, 0, 100, 100), ">100")])
    features, run = exposed(named_polygons([("house", box(40, 40, 60, 60))]), hazard)
    house = features["house"]
    assert [house["share_10_30"], house["share_gt_100"]] == pytest.approx([0.5, 0.5])
    assert house["depth_class"] == ">100"
    assert any("overlap" in note for note in run.notes)


def test_an_explicit_coverage_area_decides_what_is_no_data(qgis_app):
    coverage = memory_layer("Polygon", [(box(0, 0, 100, 300), {})])
    lights = named_points([("covered", "POINT(50 150)"), ("beyond", "POINT(150 150)")])
    features, _run = exposed(lights, class_layer(CLASSES), coverage=coverage)
    assert features["covered"]["depth_class"] == "below 10 cm"
    assert features["beyond"]["depth_class"] == "no data"


# -- the fast raster path against a plain reference ----------------------------------------


def reference(values, x0, y0, cell, geometry):
    """Max, mean, class shares and covered share by testing every cell centre around the
    footprint (also beyond the raster, for the covered share): slow and plain."""
    rows, cols = values.shape
    minx, miny, maxx, maxy = geometry.bounds
    columns = numpy.arange(math.floor((minx - x0) / cell) - 1, math.ceil((maxx - x0) / cell) + 1)
    lines = numpy.arange(math.floor((y0 - maxy) / cell) - 1, math.ceil((y0 - miny) / cell) + 1)
    grid_c, grid_r = numpy.meshgrid(columns, lines)
    inside = shapely.contains_xy(geometry, x0 + (grid_c + 0.5) * cell, y0 - (grid_r + 0.5) * cell)
    total = int(inside.sum())
    in_raster = inside & (grid_c >= 0) & (grid_c < cols) & (grid_r >= 0) & (grid_r < rows)
    depth = values[grid_r[in_raster], grid_c[in_raster]]
    depth = numpy.where(depth > 0, depth, 0.0)
    if total == 0 or depth.size == 0:
        return None
    bounds = [10, 30, 50, 100, numpy.inf]
    shares = [float(((depth >= lo) & (depth < hi)).sum()) / total for lo, hi in zip(bounds[:-1], bounds[1:])]
    return depth.max(), depth.mean(), shares, depth.size / total


def test_the_tiled_fast_path_matches_a_cell_by_cell_reference(qgis_app, tmp_path):
    rng = numpy.random.default_rng(7)
    rows, cols, cell, x0, y0 = 384, 512, 1.0, 369000.0, 5714000.0
    values = numpy.full((rows, cols), ND, dtype=numpy.float32)
    # a few ponds, most 64 x 64 tiles stay dry (and compress to the same bytes)
    for _pond in range(6):
        cy, cx, radius = rng.integers(0, rows), rng.integers(0, cols), rng.integers(5, 30)
        yy, xx = numpy.ogrid[:rows, :cols]
        depth = 150.0 * (1 - ((yy - cy) ** 2 + (xx - cx) ** 2) / radius ** 2)
        values = numpy.where(depth > 0, numpy.maximum(values, depth.astype(numpy.float32)), values)
    path = write_raster(tmp_path / "ponds.tif", values, x0, y0, cell, tiled_block=64)
    footprints = []
    for _house in range(400):
        x, y = x0 + rng.uniform(-10, cols + 10), y0 - rng.uniform(-10, rows + 10)
        w, h, angle = rng.uniform(3, 25), rng.uniform(3, 25), rng.uniform(0, 180)
        house = shapely.affinity.rotate(shapely.box(x, y, x + w, y + h), angle, origin="centroid")
        footprints.append(house)
    raster = DepthRaster(path)
    assert raster.dry_blocks().sum() > 10  # the dry tiles are recognised, not decoded
    assets = AssetGeometries.from_geometries([QgsGeometry.fromWkt(house.wkt) for house in footprints], areal=True)
    result = expose_to_raster(raster, assets)
    checked = 0
    for index, house in enumerate(footprints):
        expected = reference(values, x0, y0, cell, house)
        if expected is None:  # wholly outside, or smaller than a cell: other tests cover those
            continue
        deepest, mean, shares, covered = expected
        assert result.max_depth_cm[index] == pytest.approx(deepest, abs=1e-3), index
        assert result.mean_depth_cm[index] == pytest.approx(mean, abs=1e-3), index
        assert list(result.shares[index]) == pytest.approx(shares), index
        assert result.covered_share[index] == pytest.approx(covered), index
        assert result.codes[index] == ["below 10 cm", "10-30", "30-50", "50-100", ">100"].index(
            class_name(deepest))
        checked += 1
    assert checked > 300
    wet = int((result.codes > 0).sum())
    assert wet > 5, "the test should include exposed houses"


def test_points_on_the_tiled_path_match_the_cells(qgis_app, tmp_path):
    rng = numpy.random.default_rng(11)
    values = numpy.full((256, 320), ND, dtype=numpy.float32)
    values[100:140, 40:90] = rng.uniform(0, 200, size=(40, 50))
    path = write_raster(tmp_path / "points.tif", values, 0.0, 256.0, 1.0, tiled_block=32)
    xs, ys = rng.uniform(0, 320, 500), rng.uniform(0, 256, 500)
    layer = memory_layer("Point", [("POINT({} {})".format(x, y), {"n": i}) for i, (x, y) in enumerate(zip(xs, ys))],
                         [("n", QVariant.Int)])
    run = run_exposure(layer, path)
    expected = values[(256.0 - ys).astype(int), xs.astype(int)]
    expected = numpy.where(expected > 0, expected, 0.0)
    assert run.exposure.max_depth_cm == pytest.approx(expected, abs=1e-3)
