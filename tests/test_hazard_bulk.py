"""The bulk paths of the exposure: assets in a GeoPackage read through OGR in one go (WKB
parsed with numpy), and a GeoPackage output written in one SQLite transaction. Both must
give exactly what the feature-by-feature path gives."""

import sqlite3

import numpy
import pytest
from hazard_testdata import box, class_layer, memory_layer, write_raster
from osgeo import ogr
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard.geometry import WkbError, WkbTable, wkb_points, wkb_rings
from herne_twin_plugin.core.hazard.sources import run_exposure
from herne_twin_plugin.core.sample_city import generate

X0, Y0 = 370000.0, 5714000.0
ND = -9999.0


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("hazard_bulk_city")), scale="sample")


def gpkg(city, name):
    return "{}|layername={}".format(city["geopackage"], name)


def run(**parameters):
    import processing

    parameters.setdefault("OUTPUT", "memory:")
    parameters.setdefault("SUMMARY", "memory:")
    result = processing.run("hernetwin:hazardexposure", parameters)
    if not isinstance(result["OUTPUT"], QgsVectorLayer):
        result["OUTPUT"] = QgsVectorLayer(result["OUTPUT"], "output", "ogr")
    return result


def rows(layer):
    return [(f.attributes(), bytes(f.geometry().asWkb()) if f.hasGeometry() else None) for f in layer.getFeatures()]


def summary(result):
    return [f.attributes() for f in result["SUMMARY"].getFeatures()]


def copy_in_memory(path):
    """The layer at ``path`` as a memory layer: read feature by feature."""
    layer = QgsVectorLayer(path, "assets", "ogr")
    copy = layer.materialize(QgsFeatureRequest())
    QgsProject.instance().addMapLayer(copy, False)
    return copy


def write_gpkg(path, layer, name="assets"):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", name
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.NoError, error
    return "{}|layername={}".format(path, name)


# -- the WKB reader ---------------------------------------------------------------------------

GEOMETRIES = [
    "POINT(1 2)", "POINT EMPTY", "POINT Z(1 2 3)", "POINT M(4 5 6)", "POINT ZM(7 8 9 10)",
    "LINESTRING(0 0, 1 1, 2 5)", "LINESTRING Z(0 0 1, 3 -1 1)",
    "POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))", "POLYGON ZM((0 0 1 2,1 0 1 2,1 1 1 2,0 0 1 2))",
    "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.1 5.1,5.2 5.1,5.2 5.2,5.1 5.1)))",
    "MULTIPOLYGON Z(((0 0 3,1 0 3,1 1 3,0 0 3)))", "MULTIPOINT((1 1),(3 4))", "MULTILINESTRING((0 0,1 1),(2 2,3 -3))",
    "GEOMETRYCOLLECTION(POINT(1 1),POLYGON((0 0,1 0,1 1,0 0)))", "MULTIPOLYGON EMPTY", "POLYGON EMPTY",
    "LINESTRING EMPTY",
]


def wkb_cases():
    cases = [bytes(ogr.CreateGeometryFromWkt(wkt).ExportToIsoWkb()) for wkt in GEOMETRIES]
    cases.append(None)
    cases.append(b"")
    # big-endian (read one by one), and the old 2.5D codes (0x80000000 for Z)
    cases.append(bytes(ogr.CreateGeometryFromWkt("POLYGON((0 0,1 0,1 1,0 0))").ExportToWkb(ogr.wkbXDR)))
    old_z = ogr.CreateGeometryFromWkt("MULTIPOLYGON Z(((0 0 1,2 0 1,2 2 1,0 0 1)))")
    cases.append(bytes(old_z.ExportToWkb(ogr.wkbNDR)))
    rng = numpy.random.default_rng(6)
    for _ in range(200):
        parts = []
        for _part in range(int(rng.integers(1, 4))):
            rings = []
            for _ring in range(int(rng.integers(1, 4))):
                xy = rng.uniform(-1e3, 1e3, (int(rng.integers(3, 9)), 2))
                rings.append("({})".format(",".join("{!r} {!r}".format(*p) for p in list(xy) + [xy[0]])))
            parts.append("({})".format(",".join(rings)))
        cases.append(bytes(ogr.CreateGeometryFromWkt("MULTIPOLYGON({})".format(",".join(parts))).ExportToIsoWkb()))
    return cases


def test_the_wkb_table_reads_what_the_plain_reader_reads(qgis_app):
    cases = wkb_cases()
    table = WkbTable(cases)
    assert table.count == len(cases)
    for index, wkb in enumerate(cases):
        if not wkb:
            assert numpy.isnan(table.bounds[index]).all()
            continue
        rings, points = wkb_rings(wkb), wkb_points(wkb)
        assert len(table.rings(index)) == len(rings)
        for mine, plain in zip(table.rings(index), rings):
            assert numpy.array_equal(mine, plain)
        assert numpy.array_equal(table.points(index), points)
        every = numpy.concatenate(rings + [points]) if rings or len(points) else numpy.zeros((0, 2))
        if len(every):
            expected = [every[:, 0].min(), every[:, 1].min(), every[:, 0].max(), every[:, 1].max()]
            assert table.bounds[index].tolist() == expected, index
        else:
            assert numpy.isnan(table.bounds[index]).all(), index
        assert table.wkb(index) == wkb
    # the collection and the big-endian polygon went the plain way, the rest was vectorised
    assert table._fallback == [GEOMETRIES.index("GEOMETRYCOLLECTION(POINT(1 1),POLYGON((0 0,1 0,1 1,0 0)))"),
                               len(GEOMETRIES) + 2]


def test_the_wkb_table_takes_numpy_arrays_as_ogr_gives_them(qgis_app):
    polygons = [bytes(ogr.CreateGeometryFromWkt("POLYGON(({0} 0,{1} 0,{1} 1,{0} 0))".format(i, i + 1)).ExportToIsoWkb())
                for i in range(5)]
    fixed = numpy.array(polygons, dtype="V{}".format(len(polygons[0])))
    masked = numpy.ma.masked_array(fixed, mask=[False, True, False, False, True])
    for array, present in ((fixed, [0, 1, 2, 3, 4]), (masked, [0, 2, 3])):
        table = WkbTable(array)
        assert numpy.flatnonzero(numpy.isfinite(table.bounds[:, 0])).tolist() == present
        for index in present:
            assert table.bounds[index].tolist() == [index, 0.0, index + 1, 1.0]


def test_curves_stay_unreadable_as_before(qgis_app):
    curve = bytes(ogr.CreateGeometryFromWkt("CURVEPOLYGON(CIRCULARSTRING(0 0,1 1,2 0,1 -1,0 0))").ExportToIsoWkb())
    with pytest.raises(WkbError):
        WkbTable([curve])


# -- reading in bulk ---------------------------------------------------------------------------


@pytest.mark.parametrize("assets, hazard", [
    ("building_footprints", "raster"), ("street_lights", "raster"),
    ("building_footprints", "extremregen"), ("street_lights", "extremregen"), ("sensor_stations", "raster"),
])
def test_assets_read_in_bulk_give_what_feature_by_feature_gives(city, hernetwin_provider, assets, hazard):
    hazard = city["depth_rasters"]["extremregen"] if hazard == "raster" else gpkg(city, hazard)
    layer = QgsVectorLayer(gpkg(city, assets), assets, "ogr")
    copy = copy_in_memory(gpkg(city, assets))
    hazard_layer = hazard if hazard.endswith(".tif") else QgsVectorLayer(hazard, "hazard", "ogr")
    assert run_exposure(layer, hazard_layer).assets.table is not None
    assert run_exposure(copy, hazard_layer).assets.table is None
    bulk, plain = run(INPUT=gpkg(city, assets), HAZARD=hazard), run(INPUT=copy, HAZARD=hazard)
    assert bulk["OUTPUT"].fields().names() == plain["OUTPUT"].fields().names()
    assert rows(bulk["OUTPUT"]) == rows(plain["OUTPUT"])
    assert summary(bulk) == summary(plain)
    assert (bulk["EXPOSED_COUNT"], bulk["NO_DATA_COUNT"]) == (plain["EXPOSED_COUNT"], plain["NO_DATA_COUNT"])


def odd_buildings(tmp_path):
    """Footprints over a 10 m raster: plain, with a hole, a bow-tie (invalid), no geometry,
    an empty one, a multipolygon, one outside."""
    features = [
        (box(X0 + 2, Y0 - 28, X0 + 28, Y0 - 2), {"name": "plain", "district": "Mitte"}),
        ("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}),({4} {5},{6} {5},{6} {7},{4} {7},{4} {5}))".format(
            X0 + 1, Y0 - 39, X0 + 39, Y0 - 1, X0 + 11, Y0 - 29, X0 + 29, Y0 - 11), {"name": "hole", "district": None}),
        ("POLYGON(({0} {1},{2} {3},{2} {1},{0} {3},{0} {1}))".format(X0 + 1, Y0 - 39, X0 + 39, Y0 - 1),
         {"name": "bow-tie", "district": "Süd"}),
        (None, {"name": "none", "district": "Mitte"}),
        ("POLYGON EMPTY", {"name": "empty", "district": "Mitte"}),
        ("MULTIPOLYGON((({0} {1},{2} {1},{2} {3},{0} {1})),(({4} {1},{5} {1},{5} {3},{4} {1})))".format(
            X0 + 1, Y0 - 19, X0 + 9, Y0 - 1, X0 + 21, X0 + 29), {"name": "two parts", "district": "Nord"}),
        (box(X0 + 500, Y0 + 500, X0 + 520, Y0 + 520), {"name": "outside", "district": "Nord"}),
    ]
    layer = memory_layer("MultiPolygon", features, [("name", QVariant.String), ("district", QVariant.String)])
    depths = [[5.0, 20.0, 40.0, 120.0], [ND, 30.0, 55.0, 99.9], [10.0, ND, 9.99, 100.0], [50.0, 50.0, ND, 12.0]]
    raster = write_raster(tmp_path / "depth.tif", depths, X0, Y0, 10.0)
    return write_gpkg(tmp_path / "odd.gpkg", layer), raster


def test_odd_footprints_in_a_geopackage_read_in_bulk_as_one_by_one(tmp_path, hernetwin_provider):
    path, raster = odd_buildings(tmp_path)
    copy = copy_in_memory(path)
    bulk = run_exposure(QgsVectorLayer(path, "assets", "ogr"), raster)
    plain = run_exposure(copy, raster)
    assert bulk.assets.table is not None and plain.assets.table is None
    assert bulk.notes == plain.notes
    assert any("had invalid geometries and were repaired" in note for note in bulk.notes)
    assert any("have no geometry" in note for note in bulk.notes)
    for name in ("max_depth_cm", "mean_depth_cm", "covered_share", "shares"):
        assert numpy.array_equal(getattr(bulk.exposure, name), getattr(plain.exposure, name), equal_nan=True), name
    assert bulk.exposure.codes.tolist() == plain.exposure.codes.tolist()
    result, expected = run(INPUT=path, HAZARD=raster), run(INPUT=copy, HAZARD=raster)
    assert rows(result["OUTPUT"]) == rows(expected["OUTPUT"])
    assert summary(result) == summary(expected)


def test_only_a_whole_unfiltered_layer_is_read_in_bulk(city, hernetwin_provider):
    raster = city["depth_rasters"]["extremregen"]
    layer = QgsVectorLayer(gpkg(city, "building_footprints"), "buildings", "ogr")
    layer.setSubsetString("fid % 3 = 0")
    assert 0 < layer.featureCount() < city["counts"]["building_footprints"]
    subset = run_exposure(layer, raster)
    assert subset.assets.table is None and len(subset.exposure) == layer.featureCount()
    QgsProject.instance().addMapLayer(layer)
    try:
        whole = QgsVectorLayer(gpkg(city, "building_footprints"), "buildings", "ogr")
        QgsProject.instance().addMapLayer(whole)
        whole.selectByIds(list(whole.allFeatureIds())[:7])
        selected = run(INPUT=QgsProcessingFeatureSourceDefinition(whole.id(), True), HAZARD=raster)
        assert selected["OUTPUT"].featureCount() == 7
        limited = run(INPUT=QgsProcessingFeatureSourceDefinition(whole.id(), False, 11), HAZARD=raster)
        assert limited["OUTPUT"].featureCount() == 11
        filtered = run(INPUT=layer.id(), HAZARD=raster)
        assert filtered["OUTPUT"].featureCount() == layer.featureCount()
        whole.startEditing()  # edits pending: the file is not what the layer shows
        assert run_exposure(whole, raster).assets.table is None
        whole.rollBack()
    finally:
        QgsProject.instance().removeAllMapLayers()


# -- a GeoPackage written directly ---------------------------------------------------------------


def rtree_check(path, table):
    with sqlite3.connect(path) as connection:
        check = connection.execute("SELECT rtreecheck(?)", ("rtree_{}_geom".format(table),)).fetchone()[0]
        count = connection.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?",
                                   (table,)).fetchone()[0]
        indexed = connection.execute('SELECT count(*) FROM "rtree_{}_geom"'.format(table)).fetchone()[0]
    return check, count, indexed


@pytest.mark.parametrize("assets, hazard", [
    ("building_footprints", "raster"), ("street_lights", "extremregen"), ("sensor_stations", "raster"),
])
def test_a_geopackage_output_is_written_directly_and_holds_what_the_memory_output_holds(
        city, hernetwin_provider, tmp_path, monkeypatch, assets, hazard):
    from herne_twin_plugin.processing import hazard_exposure_algorithm

    hazard = city["depth_rasters"]["extremregen"] if hazard == "raster" else gpkg(city, hazard)
    memory = run(INPUT=gpkg(city, assets), HAZARD=hazard)

    def no_features(*_args, **_kwargs):
        raise AssertionError("written feature by feature")

    monkeypatch.setattr(hazard_exposure_algorithm, "output_features", no_features)
    path = str(tmp_path / "exposure.gpkg")
    direct = run(INPUT=gpkg(city, assets), HAZARD=hazard, OUTPUT=path)
    monkeypatch.undo()
    output = direct["OUTPUT"]
    assert output.isValid() and output.source().startswith(path)
    assert [(f.name(), f.type()) for f in output.fields()] == [(f.name(), f.type()) for f in memory["OUTPUT"].fields()]
    assert rows(output) == rows(memory["OUTPUT"])
    assert summary(direct) == summary(memory)
    assert output.extent() == memory["OUTPUT"].extent()
    count = memory["OUTPUT"].featureCount()
    assert rtree_check(path, "exposure") == ("ok", count, count)
    # the spatial index answers as a scan does
    area = output.extent().buffered(-output.extent().width() / 4)
    inside = sorted(f.id() for f in output.getFeatures(QgsFeatureRequest().setFilterRect(area)))
    scanned = sorted(f.id() for f in memory["OUTPUT"].getFeatures() if f.geometry().boundingBox().intersects(area))
    assert inside == scanned and inside
    # and OGR reads it as a sound GeoPackage whose triggers still keep index and count
    with sqlite3.connect(path) as connection:
        triggers = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exposure'")}
    assert {"rtree_exposure_geom_insert", "rtree_exposure_geom_delete", "trigger_insert_feature_count_exposure",
            "trigger_delete_feature_count_exposure"} <= triggers
    dataset = ogr.Open(path, 1)
    table = dataset.GetLayerByName("exposure")
    assert table.GetFeatureCount() == count
    added = ogr.Feature(table.GetLayerDefn())
    added.SetGeometry(ogr.CreateGeometryFromWkt("POINT(370000 5714000)"))
    assert table.CreateFeature(added) == 0
    dataset = table = None
    assert rtree_check(path, "exposure") == ("ok", count + 1, count + 1)


def test_odd_footprints_written_directly(tmp_path, hernetwin_provider):
    path, raster = odd_buildings(tmp_path)
    memory = run(INPUT=path, HAZARD=raster)
    target = str(tmp_path / "out.gpkg")
    direct = run(INPUT=path, HAZARD=raster, OUTPUT=target)
    assert rows(direct["OUTPUT"]) == rows(memory["OUTPUT"])
    # the feature without geometry and the empty one are in the table, not in the index
    assert rtree_check(target, "out") == ("ok", 7, 5)


def test_a_geopackage_output_from_assets_elsewhere_is_written_feature_by_feature(tmp_path, hernetwin_provider):
    layer = memory_layer("Polygon", [(box(X0 + 2, Y0 - 28, X0 + 28, Y0 - 2), {"name": "a"})],
                         [("name", QVariant.String)])
    QgsProject.instance().addMapLayer(layer)
    try:
        polygons = class_layer([(box(X0, Y0 - 20, X0 + 20, Y0), 30)])
        QgsProject.instance().addMapLayer(polygons)
        target = str(tmp_path / "out.gpkg")
        result = run(INPUT=layer.id(), HAZARD=polygons.id(), OUTPUT=target)
        features = list(result["OUTPUT"].getFeatures())
        assert [f["name"] for f in features] == ["a"] and features[0]["depth_class"] == "30-50"
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_a_geopackage_output_into_the_assets_own_file_is_written_feature_by_feature(tmp_path, hernetwin_provider):
    path, raster = odd_buildings(tmp_path)
    memory = run(INPUT=path, HAZARD=raster)
    file = path.split("|")[0]
    result = run(INPUT=path, HAZARD=raster, OUTPUT="ogr:dbname='{}' table=\"exposure\" (geom)".format(file))
    assert rows(result["OUTPUT"]) == rows(memory["OUTPUT"])
    assert QgsVectorLayer(path, "assets", "ogr").featureCount() == 7


def test_only_polygons_geos_finds_valid_are_taken_as_certainly_valid(qgis_app):
    from qgis.core import QgsGeometry

    from herne_twin_plugin.core.hazard.geometry import ring_edges

    rng = numpy.random.default_rng(11)
    wkts = []
    for _ in range(400):  # random rings: many self-intersecting
        xy = rng.uniform(0, 100, (int(rng.integers(3, 12)), 2)).round(int(rng.integers(0, 3)))
        wkts.append("POLYGON(({}))".format(",".join("{!r} {!r}".format(*p) for p in list(xy) + [xy[0]])))
    for angle in rng.uniform(0, numpy.pi, 200):  # rotated rectangles far from the origin, as buildings are
        c, s = numpy.cos(angle), numpy.sin(angle)
        corners = [(370000 + 12 * c * u - 8 * s * v, 5714000 + 12 * s * u + 8 * c * v) for u, v in
                   ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))]
        wkts.append("MULTIPOLYGON((({})))".format(",".join("{!r} {!r}".format(*p) for p in corners)))
    wkts += ["POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((0 0,10 0,10 10,10 10,0 10,0 0))",  # repeated point
             "POLYGON((0 0,10 0,20 0,10 10,0 0))", "POLYGON((0 0,10 0,5 0,5 5,0 0))",  # straight on, spike
             "POLYGON((0 0,10 0,10 10,5 0,0 10,0 0))", "POLYGON((0 0,10 0,0 10,10 10,0 0))",  # touching, bow-tie
             "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))"]  # a hole: left to GEOS
    table = WkbTable([bytes(QgsGeometry.fromWkt(wkt).asWkb()) for wkt in wkts])
    sure = table.certainly_valid(numpy.arange(len(wkts)))
    for wkt, certain in zip(wkts, sure.tolist()):
        if certain:
            assert QgsGeometry.fromWkt(wkt).isGeosValid(), wkt
    assert sure[400:600].all()  # every rectangle
    assert sure[600:].tolist() == [True, False, False, False, False, False, False]
    assert 0 < sure[:400].sum() < 400
    edges, owner = table.edges(numpy.arange(len(wkts)))
    for index in (0, 5, 450, len(wkts) - 1):
        expected = ring_edges(wkb_rings(bytes(QgsGeometry.fromWkt(wkts[index]).asWkb())))
        for mine, plain in zip(edges, expected):
            assert numpy.array_equal(mine[owner == index], plain)


def test_street_light_dates_read_in_bulk_as_qgis_reads_them(tmp_path, hernetwin_provider):
    from qgis.PyQt.QtCore import QDate

    lights = [(f"POINT({X0 + 5 + 10 * i} {Y0 - 5 - 10 * (i % 3)})",
               {"light_uuid": f"uuid-{i}", "last_inspection": QDate(2020 + i, 1 + i, 3) if i % 2 else None})
              for i in range(4)]
    layer = memory_layer("Point", lights, [("light_uuid", QVariant.String), ("last_inspection", QVariant.Date)])
    path = write_gpkg(tmp_path / "lights.gpkg", layer, "lights")
    depths = [[5.0, 20.0, 40.0, 120.0], [ND, 30.0, 55.0, 99.9], [10.0, ND, 9.99, 100.0]]
    raster = write_raster(tmp_path / "depth.tif", depths, X0, Y0, 10.0)
    assert run_exposure(QgsVectorLayer(path, "lights", "ogr"), raster).assets.table is not None
    bulk, plain = run(INPUT=path, HAZARD=raster), run(INPUT=copy_in_memory(path), HAZARD=raster)
    assert rows(bulk["OUTPUT"]) == rows(plain["OUTPUT"])
    assert [f["last_inspected"] for f in bulk["OUTPUT"].getFeatures()][:2] == [None, QDate(2021, 2, 3)]
    target = str(tmp_path / "out.gpkg")
    assert rows(run(INPUT=path, HAZARD=raster, OUTPUT=target)["OUTPUT"]) == rows(plain["OUTPUT"])


def test_the_raster_regions_change_nothing_but_speed(city, monkeypatch):
    from herne_twin_plugin.core.hazard import exposure

    raster = city["depth_rasters"]["extremregen"]
    layer = QgsVectorLayer(gpkg(city, "building_footprints"), "buildings", "ogr")
    results = []
    for cells in (48, 300, 4096):
        monkeypatch.setattr(exposure, "FOOTPRINT_REGION_CELLS", cells)
        results.append(run_exposure(layer, raster).exposure)
    for other in results[1:]:
        for name in ("max_depth_cm", "mean_depth_cm", "covered_share", "shares"):
            assert numpy.array_equal(getattr(results[0], name), getattr(other, name), equal_nan=True), name
        assert numpy.array_equal(results[0].codes, other.codes)


@pytest.mark.parametrize("nodata", [9999.0, -9999.0, 0.0, None])
def test_nodata_above_zero_is_dry_too(qgis_app, tmp_path, nodata):
    from herne_twin_plugin.core.hazard.exposure import DepthRaster

    missing = nodata if nodata is not None else float("nan")
    values = [[missing, 20.0, -3.0], [float("nan"), 0.0, 55.0]]
    raster = DepthRaster(write_raster(tmp_path / "depth.tif", values, X0, Y0, 10.0, nodata=nodata))
    depths = raster.read_depths(0, 0, 3, 2)
    assert depths.dtype == numpy.float32
    assert depths.tolist() == [[0.0, 20.0, 0.0], [0.0, 0.0, 55.0]]


@pytest.mark.parametrize("packer", ["fails", "missing"])
def test_a_geopackage_output_without_the_packer_is_still_whole(tmp_path, hernetwin_provider, monkeypatch, packer):
    from herne_twin_plugin.core.citymodel import spatial_index

    path, raster = odd_buildings(tmp_path)
    memory = run(INPUT=path, HAZARD=raster)
    for name in ("pack", "pack_empty"):
        if packer == "missing":
            monkeypatch.delattr(spatial_index, name, raising=False)
        else:
            monkeypatch.setattr(spatial_index, name, lambda *_args: (_ for _ in ()).throw(ValueError("broken")),
                                raising=False)
    target = str(tmp_path / "out.gpkg")
    direct = run(INPUT=path, HAZARD=raster, OUTPUT=target)
    assert rows(direct["OUTPUT"]) == rows(memory["OUTPUT"])
    check, count, _indexed = rtree_check(target, "out")
    assert check == "ok" and count in (7, None)
