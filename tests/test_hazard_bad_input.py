"""Bad input for the exposure: each case gets a clear result or a clear message, never a crash."""

import numpy
import pytest
from hazard_testdata import box, class_layer, memory_layer, write_raster
from osgeo import gdal
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard.exposure import ExposureError
from herne_twin_plugin.core.hazard.output import exposure_layer
from herne_twin_plugin.core.hazard.sources import run_exposure

ND = -9999.0
NAME = [("name", QVariant.String)]


def by_name(layer, hazard, **kwargs):
    output, run = exposure_layer(layer, hazard, "exposure", **kwargs)
    return {f["name"]: f for f in output.getFeatures()}, run


def points(rows, epsg=25832):
    return memory_layer("Point", [(wkt, {"name": name}) for name, wkt in rows], NAME, epsg=epsg)


# -- a raster in another coordinate system ------------------------------------------------

LON0, LAT0, STEP = 7.20, 51.55, 0.001  # about 70 m x 111 m cells near Herne
GEOGRAPHIC = [[12.0, 35.0, ND], [60.0, ND, 150.0]]


@pytest.fixture
def geographic_raster(tmp_path):
    return write_raster(tmp_path / "wgs84.tif", GEOGRAPHIC, LON0, LAT0, STEP, epsg=4326)


def utm_centre(row, column):
    """The centre of a cell of the WGS 84 raster, in EPSG:25832."""
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                       QgsCoordinateReferenceSystem("EPSG:25832"), QgsProject.instance())
    centre = transform.transform(QgsPointXY(LON0 + (column + 0.5) * STEP, LAT0 - (row + 0.5) * STEP))
    return "POINT({} {})".format(centre.x(), centre.y())


def test_a_raster_in_another_crs_is_sampled_on_the_fly_and_the_user_is_told(qgis_app, geographic_raster):
    cells = [(r, c) for r in range(2) for c in range(3)]
    layer = points([("{}{}".format(r, c), utm_centre(r, c)) for r, c in cells])
    features, run = by_name(layer, geographic_raster)
    for r, c in cells:
        value = GEOGRAPHIC[r][c]
        assert features["{}{}".format(r, c)]["max_depth_cm"] == pytest.approx(value if value != ND else 0.0)
    assert any("EPSG:25832" in note and "EPSG:4326" in note and "transformed" in note for note in run.notes)


def test_a_buffer_in_metres_works_against_a_geographic_raster(qgis_app, geographic_raster):
    # 20 m around the centre of a 70 m x 111 m cell holds no other cell's centre
    features, _run = by_name(points([("light", utm_centre(1, 0))]), geographic_raster, buffer_m=20.0)
    assert features["light"]["max_depth_cm"] == pytest.approx(60.0)
    assert features["light"]["depth_class"] == "50-100"


def test_a_buffer_without_any_metric_crs_is_refused(qgis_app, geographic_raster):
    layer = points([("light", "POINT({} {})".format(LON0 + 0.0005, LAT0 - 0.0005))], epsg=4326)
    with pytest.raises(ExposureError, match="projected coordinate system"):
        run_exposure(layer, geographic_raster, buffer_m=10.0)


# -- no-data areas ---------------------------------------------------------------------------

X0, Y0 = 370000.0, 5714000.0
HOLE = [[40.0, 40.0, 40.0], [40.0, ND, 40.0], [40.0, 40.0, 40.0]]


def test_nodata_cells_inside_the_raster_are_dry_not_unknown(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "hole.tif", HOLE, X0, Y0, 10.0)
    features, _run = by_name(points([("hole", "POINT({} {})".format(X0 + 15, Y0 - 15))]), raster)
    assert features["hole"]["depth_class"] == "below 10 cm"
    assert features["hole"]["max_depth_cm"] == 0.0


def test_nan_cells_without_a_nodata_value_are_dry(qgis_app, tmp_path):
    values = numpy.array(HOLE, dtype=numpy.float32)
    values[values == ND] = numpy.nan
    raster = write_raster(tmp_path / "nan.tif", values, X0, Y0, 10.0, nodata=None)
    features, _run = by_name(points([("hole", "POINT({} {})".format(X0 + 15, Y0 - 15)),
                                     ("wet", "POINT({} {})".format(X0 + 5, Y0 - 5))]), raster)
    assert features["hole"]["max_depth_cm"] == 0.0
    assert features["wet"]["depth_class"] == "30-50"


def test_a_coverage_area_marks_a_hole_in_the_data_as_no_data(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "hole.tif", HOLE, X0, Y0, 10.0)
    # the data provider says: the middle cell was not modelled
    coverage = memory_layer("Polygon", [("POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}), "
                                         "({e} {f}, {g} {f}, {g} {h}, {e} {h}, {e} {f}))".format(
                                             a=X0, b=Y0 - 30, c=X0 + 30, d=Y0, e=X0 + 10, f=Y0 - 20, g=X0 + 20,
                                             h=Y0 - 10), {})])
    layer = points([("hole", "POINT({} {})".format(X0 + 15, Y0 - 15)), ("wet", "POINT({} {})".format(X0 + 5, Y0 - 5))])
    features, _run = by_name(layer, raster, coverage=coverage)
    assert features["hole"]["depth_class"] == "no data"
    assert features["wet"]["depth_class"] == "30-50"


# -- invalid polygons ------------------------------------------------------------------------

BOW_TIE = "POLYGON((0 0, 20 20, 20 0, 0 20, 0 0))"  # two triangles of 100 m² crossing at (10 10)


def test_an_invalid_footprint_is_repaired_and_named(qgis_app):
    hazard = class_layer([(box(0, 0, 10, 20), "30-50"), (box(-50, -50, 100, -40), "10-30")])
    houses = memory_layer("Polygon", [(BOW_TIE, {"name": "bow tie"}), (box(50, 0, 60, 10), {"name": "fine"})], NAME)
    features, run = by_name(houses, hazard)
    bow_tie = features["bow tie"]
    # the western triangle (half the repaired area) lies in the 30-50 polygon
    assert bow_tie["share_30_50"] == pytest.approx(0.5)
    assert bow_tie["depth_class"] == "30-50"
    assert features["fine"]["depth_class"] == "below 10 cm"
    assert any("invalid" in note and "repaired" in note and "1" in note for note in run.notes)


def test_an_invalid_depth_class_polygon_is_repaired_and_named(qgis_app):
    hazard = class_layer([(BOW_TIE, ">100"), (box(100, 100, 110, 110), "10-30")])
    features, run = by_name(points([("in a lobe", "POINT(3 10)"), ("between", "POINT(10 3)")]), hazard)
    assert features["in a lobe"]["depth_class"] == ">100"
    assert features["between"]["depth_class"] == "below 10 cm"
    assert any("depth-class polygons" in note and "repaired" in note for note in run.notes)


def test_an_invalid_footprint_against_a_raster_does_not_crash(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "flat.tif", [[20.0] * 3] * 3, 0.0, 30.0, 10.0)
    features, run = by_name(memory_layer("Polygon", [(BOW_TIE, {"name": "bow tie"})], NAME), raster)
    assert features["bow tie"]["depth_class"] == "10-30"
    assert any("repaired" in note for note in run.notes)


# -- empty asset layers, missing geometries ------------------------------------------------------


def test_an_empty_asset_layer_gives_an_empty_result_and_says_so(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "flat.tif", [[20.0]], X0, Y0, 10.0)
    output, run = exposure_layer(points([]), raster, "exposure")
    assert output.featureCount() == 0
    assert len(run.exposure) == 0
    assert any("empty" in note for note in run.notes)
    output, run = exposure_layer(memory_layer("Polygon", []), class_layer([(box(0, 0, 1, 1), "10-30")]), "exp")
    assert output.featureCount() == 0


def test_an_asset_without_geometry_is_no_data(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "flat.tif", [[20.0]], X0, Y0, 10.0)
    features, run = by_name(points([("nowhere", None), ("here", "POINT({} {})".format(X0 + 5, Y0 - 5))]), raster)
    assert features["nowhere"]["depth_class"] == "no data"
    assert features["here"]["depth_class"] == "10-30"
    assert any("no geometry" in note for note in run.notes)


# -- assets outside the hazard extent -------------------------------------------------------------


def test_assets_outside_the_raster_are_no_data_even_next_to_water(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "deep.tif", [[150.0, 150.0]], X0, Y0, 10.0)
    houses = memory_layer("Polygon", [(box(X0 + 25, Y0 - 8, X0 + 35, Y0 - 2), {"name": "east"}),
                                      (box(X0 + 2, Y0 - 8, X0 + 8, Y0 - 2), {"name": "inside"})], NAME)
    features, run = by_name(houses, raster)
    assert features["east"]["depth_class"] == "no data"
    assert features["east"]["covered_share"] == 0.0
    assert features["east"]["share_gt_100"] == NULL
    assert features["inside"]["depth_class"] == ">100"
    assert any("1 of 2 assets lie outside the hazard data" in note for note in run.notes)


def test_assets_outside_the_depth_class_polygons_extent_are_no_data(qgis_app):
    hazard = class_layer([(box(0, 0, 100, 100), "10-30"), (box(200, 200, 300, 300), "30-50")])
    features, _run = by_name(points([("far", "POINT(1000 1000)"), ("gap", "POINT(150 150)")]), hazard)
    assert features["far"]["depth_class"] == "no data"
    assert features["gap"]["depth_class"] == "below 10 cm"


# -- wrong kinds of input ------------------------------------------------------------------------


def test_lines_need_a_buffer(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "flat.tif", [[20.0] * 3] * 3, 0.0, 30.0, 10.0)
    pipes = memory_layer("LineString", [("LINESTRING(5 5, 25 25)", {"name": "pipe"})], NAME)
    with pytest.raises(ExposureError, match="Line assets need a buffer"):
        run_exposure(pipes, raster)
    features, _run = by_name(pipes, raster, buffer_m=2.0)
    assert features["pipe"]["depth_class"] == "10-30"


def test_a_map_service_is_not_taken_for_local_depth_data(qgis_app):
    wms = QgsRasterLayer("crs=EPSG:25832&format=image/png&layers=extremregen&styles&url=http://127.0.0.1:9/wms",
                         "Starkregen (WMS)", "wms")
    with pytest.raises(ExposureError, match="local depth data"):
        run_exposure(points([("a", "POINT(0 0)")]), wms)


@pytest.mark.parametrize("content", [b"", b"not a raster at all"])
def test_an_unreadable_raster_is_a_clear_error(qgis_app, tmp_path, content):
    broken = tmp_path / "broken.tif"
    broken.write_bytes(content)
    with pytest.raises(ExposureError, match="cannot be read"):
        run_exposure(points([("a", "POINT(0 0)")]), str(broken))
    with pytest.raises(ExposureError, match="cannot be read"):
        run_exposure(points([("a", "POINT(0 0)")]), str(tmp_path / "missing.tif"))


def test_a_rotated_raster_is_refused(qgis_app, tmp_path):
    path = write_raster(tmp_path / "rotated.tif", [[20.0, 20.0], [20.0, 20.0]], X0, Y0, 10.0)
    dataset = gdal.Open(path, gdal.GA_Update)
    dataset.SetGeoTransform((X0, 10.0, 2.0, Y0, 2.0, -10.0))
    dataset = None
    with pytest.raises(ExposureError, match="rotated"):
        run_exposure(points([("a", "POINT(0 0)")]), path)


def test_depth_class_layers_without_a_class_or_with_several_scenarios(qgis_app):
    plain = memory_layer("Polygon", [(box(0, 0, 1, 1), {"name": "x"})], NAME)
    with pytest.raises(ExposureError, match="none of the fields"):
        run_exposure(points([("a", "POINT(0 0)")]), plain)
    several = class_layer([(box(0, 0, 10, 10), "10-30", "seltener_starkregen"),
                           (box(0, 0, 10, 10), "30-50", "extremregen")], scenario="x")
    with pytest.raises(ExposureError, match="several scenarios.*extremregen"):
        run_exposure(points([("a", "POINT(5 5)")]), several)
    with pytest.raises(ExposureError, match="no scenario aussergewoehnlicher_starkregen"):
        run_exposure(points([("a", "POINT(5 5)")]), several, scenario="aussergewoehnlicher_starkregen")
    run = run_exposure(points([("a", "POINT(5 5)")]), several, scenario="extremregen")
    assert run.exposure.codes.tolist() == [2] and run.scenario == "extremregen"


def test_polygons_with_unknown_classes_are_left_out_and_named(qgis_app):
    hazard = class_layer([(box(0, 0, 10, 10), "sehr tief"), (box(20, 0, 30, 10), "30-50")])
    features, run = by_name(points([("odd", "POINT(5 5)"), ("known", "POINT(25 5)")]), hazard)
    assert features["odd"]["depth_class"] == "no data"  # not safe: unknown
    assert features["known"]["depth_class"] == "30-50"
    assert any("counts as no data" in note for note in run.notes)
    with pytest.raises(ExposureError, match="no polygons with a depth class"):
        run_exposure(points([("a", "POINT(5 5)")]), class_layer([(box(0, 0, 10, 10), "unbekannt")]))


def test_a_negative_buffer_is_refused(qgis_app, tmp_path):
    raster = write_raster(tmp_path / "flat.tif", [[20.0]], X0, Y0, 10.0)
    with pytest.raises(ExposureError, match="buffer"):
        run_exposure(points([("a", "POINT(0 0)")]), raster, buffer_m=-5.0)
