"""Field packages made against the real local backend: the street lights of a district from
WFS and from OGC API Features, opened offline; basemap, sensors, hazard; cancel; bad input."""

import json
import os
import shutil
import sqlite3

import psycopg2
import pytest
from osgeo import gdal, ogr
from qgis.core import (
    QgsEditorWidgetSetup,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsFeedback,
    QgsGeometry,
    QgsNetworkAccessManager,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)

from herne_twin_plugin.core.field import journal, manifest
from herne_twin_plugin.core.field import package as pk
from herne_twin_plugin.core.services.service_types import ServiceEntry, ServiceType

DISTRICT = "Herne-Mitte"
SMALL_AREA = QgsGeometry.fromWkt(
    "POLYGON((369300 5713300,369700 5713300,369700 5713700,369300 5713700,369300 5713300))")


def lights_layer(backend, kind):
    if kind == "wfs":
        return QgsVectorLayer("url='{}' typename='street_lights' version='1.1.0' srsname='EPSG:25832'".format(
            backend.wfs_url), "Straßenbeleuchtung", "WFS")
    return QgsVectorLayer("url='{}' typename='street_lights'".format(backend.pygeoapi_url), "Straßenbeleuchtung",
                          "OAPIF")


def wms_layer(backend, name="extremregen"):
    return QgsRasterLayer("url={}&layers={}&styles=&format=image/png&crs=EPSG:25832".format(backend.wms_url, name),
                          name, "wms")


def districts_layer(backend):
    """The sample city's districts. Made inside each test: an OGR layer that a pytest fixture
    holds crashed GDAL when the fixture was dropped (QGIS 3.22, GDAL 3.6)."""
    layer = QgsVectorLayer("{}|layername=districts".format(
        os.path.join(backend.data_dir, "herne_sample.gpkg")), "Bezirke", "ogr")
    assert layer.isValid()
    return layer




def server_lights(backend, area):
    """{light_uuid: (attributes without fid/geom, (x, y))} of the server's lights in ``area``."""
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT light_uuid, (to_jsonb(t) - 'fid' - 'geom')::text, ST_X(geom), ST_Y(geom) "
                       "FROM assets.street_lights AS t WHERE ST_Intersects(geom, ST_GeomFromText(%s, 25832))",
                       (area.asWkt(),))
        return {key: (json.loads(values), (x, y)) for key, values, x, y in cursor.fetchall()}


def package_lights(gpkg):
    """The same for the package's street_lights table."""
    connection = sqlite3.connect(gpkg)
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute("SELECT * FROM street_lights").fetchall()
    finally:
        connection.close()
    found = {}
    for row in rows:
        values = {name: row[name] for name in row.keys() if name not in ("fid", "geom")}
        point = ogr.CreateGeometryFromWkb(bytes(row["geom"][8:]))
        found[values["light_uuid"]] = (values, (point.GetX(), point.GetY()))
    return found


def read_manifest(gpkg):
    connection = sqlite3.connect(gpkg)
    try:
        return manifest.read(connection)
    finally:
        connection.close()


class NetworkWatch:
    """Records every request QGIS networking is asked to make while it is installed."""

    def __init__(self):
        self.urls = []
        self.handle = None

    def __enter__(self):
        self.handle = QgsNetworkAccessManager.setRequestPreprocessor(
            lambda request: self.urls.append(request.url().toString()))
        return self

    def __exit__(self, *exc):
        QgsNetworkAccessManager.removeRequestPreprocessor(self.handle)


@pytest.fixture(scope="module", params=["wfs", "oapif"])
def district_package(request, qgis_app, city_backend, tmp_path_factory):
    """The street lights of one district, packaged from WFS or OGC API Features with a basemap."""
    kind = request.param
    area = pk.district_area(districts_layer(city_backend), DISTRICT)
    output = tmp_path_factory.mktemp("package_" + kind)
    result = pk.make_package([lights_layer(city_backend, kind)], area, output_dir=str(output), name="mitte_" + kind,
                             basemap=wms_layer(city_backend), basemap_resolution=25.0)
    return kind, area, result


def test_the_package_holds_every_light_of_the_district_as_the_server_has_it(district_package, city_backend):
    kind, area, result = district_package
    expected = server_lights(city_backend, area)
    assert len(expected) > 100
    assert result.feature_counts == {"street_lights": len(expected)}
    found = package_lights(result.gpkg_path)
    assert set(found) == set(expected)
    for key, (values, (x, y)) in expected.items():
        package_values, (px, py) = found[key]
        assert package_values == values, key
        assert abs(px - x) < 0.01 and abs(py - y) < 0.01, key


def test_the_spatial_index_finds_each_light_where_it_stands(district_package):
    """The package's R*Tree is packed from the copied rows in one go: it holds every light with
    its own box, SQLite's own check finds nothing wrong, and QGIS uses it for a map window."""
    _kind, _area, result = district_package
    connection = sqlite3.connect(result.gpkg_path)
    try:
        boxes = dict((fid, box) for fid, *box in connection.execute("SELECT id, minx, maxx, miny, maxy "
                                                                   "FROM rtree_street_lights_geom"))
        points = {fid: ogr.CreateGeometryFromWkb(bytes(blob[8:])) for fid, blob in connection.execute(
            "SELECT fid, geom FROM street_lights")}
        integrity = connection.execute("SELECT rtreecheck('rtree_street_lights_geom')").fetchone()[0]
        triggers = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_street_lights_geom%'")}
    finally:
        connection.close()
    assert integrity == "ok"
    assert "rtree_street_lights_geom_insert" in triggers  # back after the copy: later inserts are indexed
    assert set(boxes) == set(points) and len(points) > 100
    for fid, point in points.items():
        minx, maxx, miny, maxy = boxes[fid]
        # float32 boxes rounded outwards: at Herne's northings one step is 0.5 m
        assert minx <= point.GetX() <= maxx and miny <= point.GetY() <= maxy, fid
        assert maxx - minx <= 0.1 and maxy - miny <= 1.0, fid
    layer = QgsVectorLayer(result.gpkg_path + "|layername=street_lights", "lights", "ogr")
    assert layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent
    window = layer.extent()
    window.scale(0.5)
    inside = {f.id() for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(window))}
    assert inside == {fid for fid, point in points.items() if window.contains(QgsPointXY(point.GetX(), point.GetY()))}
    assert 0 < len(inside) < len(points)


def test_the_feature_count_qgis_shows_is_the_packaged_rows_and_stays_right_after_an_edit(district_package,
                                                                                       tmp_path):
    """The copy adds the layer's count to gpkg_ogr_contents once (GDAL's per-row trigger set aside):
    QGIS shows that count without counting, and the trigger is back for the inspector's inserts."""
    _kind, _area, result = district_package
    gpkg = str(tmp_path / "count.gpkg")
    shutil.copy(result.gpkg_path, gpkg)

    def counts():
        connection = sqlite3.connect(gpkg)
        try:
            return connection.execute(
                "SELECT (SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'street_lights'), "
                "(SELECT count(*) FROM street_lights)").fetchone()
        finally:
            connection.close()

    recorded, rows = counts()
    assert recorded == rows == result.feature_counts["street_lights"] > 100
    layer = QgsVectorLayer(gpkg + "|layername=street_lights", "lights", "ogr")
    assert layer.featureCount() == rows
    feature = QgsFeature(next(layer.getFeatures()))
    feature.setAttribute("fid", None)  # a new row
    feature.setAttribute("light_uuid", "new-light-of-the-count-test")
    assert layer.dataProvider().addFeatures([feature])[0]
    del layer
    assert counts() == (rows + 1, rows + 1)


def test_the_project_opens_offline_from_a_moved_copy(district_package, tmp_path):
    kind, _area, result = district_package
    moved = str(tmp_path / "elsewhere")
    shutil.copytree(result.package_dir, moved)
    project = QgsProject()
    with NetworkWatch() as watch:
        assert project.read(os.path.join(moved, os.path.basename(result.project_path)))
        layers = list(project.mapLayers().values())
        for layer in layers:
            if isinstance(layer, QgsVectorLayer):
                layer.featureCount()
    assert watch.urls == []
    assert layers and all(layer.isValid() for layer in layers)
    assert {layer.providerType() for layer in layers} <= {"ogr", "gdal"}
    assert all(os.path.realpath(moved) in os.path.realpath(layer.source().split("|")[0]) for layer in layers)
    lights = [layer for layer in layers if "layername=street_lights" in layer.source()][0]
    assert lights.featureCount() == result.feature_counts["street_lights"]
    # the key is read-only in the form; the inspection form is configured and linked to the lights
    assert lights.editFormConfig().readOnly(lights.fields().indexOf("light_uuid"))
    inspections = [layer for layer in layers if "layername=inspections" in layer.source()][0]
    assert inspections.editorWidgetSetup(inspections.fields().indexOf("condition")).type() == "ValueMap"
    relations = project.relationManager().referencedRelations(lights)
    assert [relation.referencingLayer().id() for relation in relations] == [inspections.id()]
    assert isinstance(inspections.editorWidgetSetup(0), QgsEditorWidgetSetup)
    project.clear()


def test_the_manifest_says_where_each_layer_came_from(district_package, city_backend):
    kind, area, result = district_package
    package_manifest = read_manifest(result.gpkg_path)
    assert package_manifest.package_id == result.manifest.package_id
    assert package_manifest.created_at and package_manifest.crs == "EPSG:25832"
    assert QgsGeometry.fromWkt(package_manifest.area_wkt).area() == pytest.approx(area.area(), rel=1e-6)
    lights = package_manifest.layer("street_lights")
    assert lights.role == manifest.ROLE_ASSET and lights.synced and lights.writable
    assert lights.source_kind == kind
    assert lights.source_url == (city_backend.wfs_url if kind == "wfs" else city_backend.pygeoapi_url)
    assert lights.source_name == "street_lights"
    assert lights.source_version == ("1.1.0" if kind == "wfs" else "")
    assert lights.key_column == "light_uuid" and lights.geometry_type == "Point"
    with psycopg2.connect(city_backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'assets' "
                       "AND table_name = 'street_lights' AND column_name NOT IN ('fid', 'geom')")
        server_columns = {name for (name,) in cursor.fetchall()}
    assert {name for name, _ in lights.fields} == server_columns
    types = dict(lights.fields)
    assert (types["last_inspection"], types["install_year"], types["mast_height_m"]) == ("date", "int", "real")
    inspections = package_manifest.layer("inspections")
    assert inspections.role == manifest.ROLE_INSPECTION and inspections.key_column == "inspection_uuid"
    assert (inspections.source_kind, inspections.source_name) == (kind, "inspections")
    assert package_manifest.layer("basemap.tif").role == manifest.ROLE_BASEMAP


def test_the_journal_records_edits_from_the_first_one(district_package, tmp_path):
    _kind, _area, result = district_package
    gpkg = str(tmp_path / "copy.gpkg")
    shutil.copy(result.gpkg_path, gpkg)
    connection = journal.connect(gpkg)
    try:
        tables = {row[0]: row[1] for row in connection.execute(
            "SELECT table_name, key_column FROM hernetwin_journal_tables")}
        key = connection.execute("SELECT light_uuid FROM street_lights LIMIT 1").fetchone()[0]
        connection.execute("UPDATE street_lights SET lamp_type = 'LED-neu' WHERE light_uuid = ?", (key,))
    finally:
        connection.close()
    assert tables == {"street_lights": "light_uuid", "inspections": "inspection_uuid"}
    changes = journal.pending_changes(gpkg)
    assert [(change.feature_key, change.op, change.changed) for change in changes] == [(key, "update", ("lamp_type",))]
    assert changes[0].base["lamp_type"] != "LED-neu"


def test_the_basemap_covers_the_area_and_is_not_blank(district_package):
    _kind, area, result = district_package
    dataset = gdal.Open(os.path.join(result.package_dir, "basemap.tif"))
    bounds = area.boundingBox()
    x0, step, _, y1, _, _ = dataset.GetGeoTransform()
    # the area and a margin around it (basemap.py: the project's first view in any window shape)
    assert step == 25.0 and x0 <= bounds.xMinimum() and y1 >= bounds.yMaximum()
    assert x0 + dataset.RasterXSize * step >= bounds.xMaximum() and y1 - dataset.RasterYSize * step <= \
        bounds.yMinimum()
    left, top = int((bounds.xMinimum() - x0) / step), int((y1 - bounds.yMaximum()) / step)
    alpha = dataset.GetRasterBand(4).ReadAsArray(left, top, int(bounds.width() / step), int(bounds.height() / step))
    assert (alpha > 0).mean() > 0.01  # the hazard map drew something in the area
    assert len({int(value) for value in dataset.GetRasterBand(1).ReadAsArray().ravel()}) > 2


def test_sensors_and_hazard_layers_are_cut_to_the_area(qgis_app, city_backend, tmp_path):
    data = city_backend.data_dir
    depth_classes = QgsVectorLayer("{}|layername=starkregen_depth_classes".format(
        os.path.join(data, "herne_sample.gpkg")), "Tiefenklassen", "ogr")
    depth = QgsRasterLayer(os.path.join(data, "starkregen_extremregen_depth.tif"), "Extremregen Tiefe", "gdal")
    sensors = ServiceEntry("SensorThings lokal", ServiceType.SENSORTHINGS, city_backend.sensorthings_url)
    area = pk.district_area(districts_layer(city_backend), DISTRICT)
    result = pk.make_package([lights_layer(city_backend, "wfs")], area, output_dir=str(tmp_path), name="kontext",
                             sensor_snapshot=sensors, hazard_layers=[depth_classes, depth])
    roles = {entry.table_name: entry.role for entry in result.manifest.layers}
    assert roles["sensors"] == manifest.ROLE_SENSORS
    assert roles["hazard_tiefenklassen"] == roles["hazard_extremregen_tiefe.tif"] == manifest.ROLE_HAZARD
    within = area.buffer(0.01, 4)
    hazard = QgsVectorLayer("{}|layername=hazard_tiefenklassen".format(result.gpkg_path), "h", "ogr")
    assert hazard.featureCount() > 0
    assert all(within.contains(feature.geometry()) for feature in hazard.getFeatures())
    sensor_layer = QgsVectorLayer("{}|layername=sensors".format(result.gpkg_path), "s", "ogr")
    assert sensor_layer.featureCount() > 0
    assert all(area.intersects(feature.geometry()) for feature in sensor_layer.getFeatures())
    assert "station_id" in sensor_layer.fields().names()
    raster = gdal.Open(os.path.join(result.package_dir, "hazard_extremregen_tiefe.tif"))
    x0, _, _, y1, _, _ = raster.GetGeoTransform()
    bounds = area.boundingBox()
    assert (x0, y1) == pytest.approx((bounds.xMinimum(), bounds.yMaximum()))
    project = QgsProject()
    assert project.read(result.project_path)
    assert all(layer.isValid() for layer in project.mapLayers().values())
    project.clear()


class FakeTransport:
    """Serves the lights given as (key, install_year, last_inspection) at one point."""

    features = ()

    def __init__(self, entry, feedback=None):
        self.entry = entry

    def features_in_area(self, area_wkt, filter_expression=""):
        from herne_twin_plugin.core.field.transports.base import ServerFeature

        point = bytes(QgsGeometry.fromWkt("POINT(369500 5713500)").asWkb()).hex()
        for key, year, inspected in self.features:
            values = {name: None for name, _ in self.entry.fields}
            values.update(light_uuid=key, install_year=year, last_inspection=inspected, mast_height_m=5)
            yield ServerFeature(key, values, point)


def fake_transport(features):
    return type("Served", (FakeTransport,), {"features": tuple(features)})


def test_a_fake_transport_feeds_the_copy_with_the_package_types(qgis_app, city_backend, tmp_path):
    served = fake_transport(("fake-{}".format(n), "20{:02d}".format(n), "2024-0{}-01T00:00:00".format(n + 1))
                            for n in range(3))
    result = pk.make_package([lights_layer(city_backend, "wfs")], SMALL_AREA, output_dir=str(tmp_path), name="fake",
                             transport_factory=served)
    rows = package_lights(result.gpkg_path)
    assert sorted(rows) == ["fake-0", "fake-1", "fake-2"]
    values, _ = rows["fake-1"]
    assert (values["install_year"], values["last_inspection"], values["mast_height_m"]) == (2001, "2024-02-01", 5.0)


def test_the_copy_is_checked_for_empty_and_repeated_keys(qgis_app, city_backend, tmp_path):
    served = fake_transport([("a", 2000, None), ("a", 2001, None), ("", 2002, None), ("b", 2003, None)])
    with pytest.raises(pk.PackageError) as raised:
        pk.make_package([lights_layer(city_backend, "wfs")], SMALL_AREA, output_dir=str(tmp_path), name="doppelt",
                        transport_factory=served, check_features=False)
    assert "1 features in the area have no light_uuid" in str(raised.value)
    assert "1 values of light_uuid occur more than once" in str(raised.value)
    assert os.listdir(str(tmp_path)) == []


def test_a_postgis_table_is_packaged_without_its_password(qgis_app, city_backend, tmp_path, monkeypatch):
    from qgis.core import QgsDataSourceUri

    pg = city_backend.pg
    monkeypatch.setenv("PGPASSFILE", pg["pgpass_file"])  # where the sync finds the password, as the warning says
    uri = QgsDataSourceUri()
    uri.setConnection(pg["host"], str(pg["port"]), pg["dbname"], pg["user"], pg["password"])
    uri.setDataSource("assets", "street_lights", "geom", "", "fid")
    lights = QgsVectorLayer(uri.uri(False), "Leuchten PostGIS", "postgres")
    result = pk.make_package([lights], SMALL_AREA, output_dir=str(tmp_path), name="postgis")
    assert result.feature_counts == {"street_lights": len(server_lights(city_backend, SMALL_AREA))}
    entry = result.manifest.layer("street_lights")
    assert (entry.source_kind, entry.source_name, entry.key_column) == ("postgis", "assets.street_lights",
                                                                        "light_uuid")
    assert pg["password"] not in entry.source_url and "dbname=herne" in entry.source_url
    with open(result.gpkg_path, "rb") as package_file:
        assert pg["password"].encode() not in package_file.read()
    assert any("password" in warning for warning in result.warnings)


def test_cancel_leaves_nothing_behind(qgis_app, city_backend, tmp_path):
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda progress: progress > 6 and feedback.cancel())
    with pytest.raises(pk.PackageCancelled):
        pk.make_package([lights_layer(city_backend, "wfs")], pk.district_area(districts_layer(city_backend), DISTRICT),
                        output_dir=str(tmp_path), name="abgebrochen", feedback=feedback)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("name", ["", "../escape", "a b", "x" * 65, "ä-umlaut"])
def test_a_bad_package_name_is_refused(qgis_app, city_backend, tmp_path, name):
    with pytest.raises(pk.PackageError, match="name"):
        pk.make_package([lights_layer(city_backend, "wfs")], SMALL_AREA, output_dir=str(tmp_path), name=name)
    assert os.listdir(str(tmp_path)) == []


def test_bad_folders_areas_and_layers_are_refused_with_the_reason(qgis_app, city_backend, tmp_path):
    lights = lights_layer(city_backend, "wfs")
    with pytest.raises(pk.PackageError, match="does not exist"):
        pk.make_package([lights], SMALL_AREA, output_dir=str(tmp_path / "missing"), name="p")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "edits.txt").write_text("unsynced")
    with pytest.raises(pk.PackageError, match="exists already"):
        pk.make_package([lights], SMALL_AREA, output_dir=str(tmp_path), name="p")
    assert (tmp_path / "p" / "edits.txt").read_text() == "unsynced"
    with pytest.raises(pk.PackageError, match="area"):
        pk.make_package([lights], QgsGeometry(), output_dir=str(tmp_path), name="q")
    with pytest.raises(pk.PackageError, match="polygon"):
        pk.make_package([lights], QgsGeometry.fromWkt("POINT(369500 5713500)"), output_dir=str(tmp_path), name="q")
    with pytest.raises(pk.PackageError, match="at least one layer"):
        pk.make_package([], SMALL_AREA, output_dir=str(tmp_path), name="q")
    assert sorted(os.listdir(str(tmp_path))) == ["p"]


def test_blocking_reasons_stop_the_package_before_anything_is_copied(qgis_app, city_backend, tmp_path):
    districts_wfs = QgsVectorLayer("url='{}' typename='districts' version='1.1.0'".format(city_backend.wfs_url),
                                   "Bezirke WFS", "WFS")
    memory = QgsVectorLayer("Point?crs=EPSG:25832&field=light_uuid:string", "Notizen", "memory")
    with pytest.raises(pk.PackageError) as raised:
        pk.make_package([lights_layer(city_backend, "wfs"), districts_wfs, memory], SMALL_AREA,
                        output_dir=str(tmp_path), name="blockiert")
    message = str(raised.value)
    assert "Bezirke WFS: " in message and "Notizen: " in message and "Straßenbeleuchtung" not in message
    assert os.listdir(str(tmp_path)) == []


def test_too_many_features_or_a_repeated_key_found_in_the_copy_leave_nothing(qgis_app, city_backend, tmp_path):
    lights = lights_layer(city_backend, "wfs")
    with pytest.raises(pk.PackageError, match="more than 10: choose a smaller area"):
        pk.make_package([lights], SMALL_AREA, output_dir=str(tmp_path), name="zu_viele", max_features=10)
    with pytest.raises(pk.PackageError, match="values of lamp_type occur more than once"):
        pk.make_package([lights], SMALL_AREA, output_dir=str(tmp_path), name="lampentyp",
                        key_columns={lights.name(): "lamp_type"})
    assert os.listdir(str(tmp_path)) == []


def test_a_basemap_beyond_the_size_limit_is_refused_and_leaves_nothing(qgis_app, city_backend, tmp_path):
    with pytest.raises(pk.PackageError, match="coarser resolution"):
        pk.make_package([lights_layer(city_backend, "wfs")], pk.district_area(districts_layer(city_backend), DISTRICT),
                        output_dir=str(tmp_path), name="zu_gross", basemap=wms_layer(city_backend),
                        basemap_resolution=0.1, basemap_max_pixels=1_000_000)
    assert os.listdir(str(tmp_path)) == []


def test_area_from_an_extent_in_another_crs(qgis_app):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    # the sample city's corner in WGS 84 (its capabilities say so): about 369,000 / 5,713,000 in EPSG:25832
    area = pk.area_from_extent(QgsRectangle(7.11, 51.55, 7.13, 51.56), QgsCoordinateReferenceSystem("EPSG:4326"))
    bounds = area.boundingBox()
    assert 368000 < bounds.xMinimum() < bounds.xMaximum() < 372000
    assert 5711000 < bounds.yMinimum() < bounds.yMaximum() < 5716000
    assert area.area() > 1e6


def test_an_unknown_district_is_named(qgis_app, city_backend):
    with pytest.raises(pk.PackageError, match="No area polygon"):
        pk.district_area(districts_layer(city_backend), "Atlantis")
