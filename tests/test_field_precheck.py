"""The field package pre-check: every reason a layer would not sync safely, against the real
local backend (QGIS Server WFS/WFS-T, pygeoapi and QGIS Server OGC API Features, PostGIS)."""

import time

import psycopg2
import pytest
from qgis.core import QgsDataSourceUri, QgsGeometry, QgsRasterLayer, QgsRectangle, QgsVectorLayer

from herne_twin_plugin.core.field import precheck as pc

# A 400 m square in the middle of the sample city (street lights in it) and one far outside.
AREA = QgsGeometry.fromWkt("POLYGON((369300 5713300,369700 5713300,369700 5713700,369300 5713700,369300 5713300))")
EMPTY_AREA = QgsGeometry.fromRect(QgsRectangle(300000, 5600000, 300100, 5600100))
SCHEMA = "precheck_test"


def wfs_layer(backend, typename):
    return QgsVectorLayer("url='{}' typename='{}' version='1.1.0' srsname='EPSG:25832'".format(
        backend.wfs_url, typename), "WFS " + typename, "WFS")


def oapif_layer(url, collection):
    return QgsVectorLayer("url='{}' typename='{}'".format(url, collection), "OGC API " + collection, "OAPIF")


def pg_layer(backend, schema, table, user=None, password=None):
    pg = backend.pg
    uri = QgsDataSourceUri()
    uri.setConnection(pg["host"], str(pg["port"]), pg["dbname"], user or pg["user"], password or pg["password"])
    uri.setDataSource(schema, table, "geom", "", "fid")
    return QgsVectorLayer(uri.uri(False), "PostGIS " + table, "postgres")


def codes(check):
    """The blocking reasons' codes (warnings such as a password kept in the layer aside)."""
    return sorted(reason.code for reason in check.blocking)


def server_count_in_area(backend, table, area=AREA):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assets.{} WHERE ST_Intersects(geom, ST_GeomFromText(%s, 25832))".format(
            table), (area.asWkt(),))
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def test_tables(city_backend):
    """PostGIS tables that break one rule each, in a schema of their own (dropped after)."""
    connection = psycopg2.connect(city_backend.pg_dsn())
    connection.autocommit = True
    statements = """
        DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s};
        CREATE TABLE {s}.no_key (fid serial PRIMARY KEY, name text, geom geometry(Point, 25832));
        INSERT INTO {s}.no_key (name, geom) VALUES ('a', ST_SetSRID(ST_MakePoint(369500, 5713500), 25832));
        CREATE TABLE {s}.dupes (fid serial PRIMARY KEY, asset_uuid text, geom geometry(Point, 25832));
        INSERT INTO {s}.dupes (asset_uuid, geom) VALUES
            ('x', ST_SetSRID(ST_MakePoint(369500, 5713500), 25832)),
            ('x', ST_SetSRID(ST_MakePoint(369510, 5713500), 25832)),
            (NULL, ST_SetSRID(ST_MakePoint(369520, 5713500), 25832)),
            ('', ST_SetSRID(ST_MakePoint(369530, 5713500), 25832)),
            ('y', ST_SetSRID(ST_MakePoint(369540, 5713500), 25832));
        CREATE TABLE {s}.curves (fid serial PRIMARY KEY, asset_uuid text, geom geometry(CompoundCurve, 25832));
        INSERT INTO {s}.curves (asset_uuid, geom) VALUES ('c1', ST_GeomFromText(
            'COMPOUNDCURVE(CIRCULARSTRING(369400 5713400, 369500 5713500, 369600 5713400))', 25832));
        CREATE TABLE {s}.mixed (fid serial PRIMARY KEY, asset_uuid text, geom geometry(GeometryCollection, 25832));
        CREATE TABLE {s}.read_only (fid serial PRIMARY KEY, asset_uuid text, geom geometry(Point, 25832));
        INSERT INTO {s}.read_only (asset_uuid, geom) VALUES ('r1', ST_SetSRID(ST_MakePoint(369500, 5713500), 25832));
        REVOKE INSERT, UPDATE, DELETE ON {s}.read_only FROM CURRENT_USER;
    """.format(s=SCHEMA)
    with connection.cursor() as cursor:
        cursor.execute(statements)
    yield city_backend
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS {} CASCADE".format(SCHEMA))
    connection.close()


def test_writable_wfs_oapif_and_postgis_layers_pass_with_their_key_and_count(qgis_app, city_backend):
    layers = [wfs_layer(city_backend, "street_lights"), oapif_layer(city_backend.pygeoapi_url, "street_lights"),
              pg_layer(city_backend, "assets", "street_lights")]
    result = pc.precheck(layers, AREA)
    expected = server_count_in_area(city_backend, "street_lights")
    assert expected > 0
    for check in result.layers:
        assert check.blocking == [], check.reasons
        assert check.key_column == "light_uuid"
        assert check.feature_count == expected, check.layer.name()
    assert result.ok
    kinds = [(check.source.kind, check.source.name) for check in result.layers]
    assert kinds == [("wfs", "street_lights"), ("oapif", "street_lights"), ("postgis", "assets.street_lights")]
    assert "password" not in result.layers[2].source.url  # never written into a package


def test_a_wfs_type_without_transactions_is_read_only(qgis_app, city_backend):
    check = pc.check_layer(wfs_layer(city_backend, "districts"), AREA)
    assert pc.READ_ONLY in codes(check)
    assert "WFS-T" in str(check.blocking[0])


def test_an_oapif_collection_that_takes_no_edits_is_read_only(qgis_app, city_backend):
    # pygeoapi: Part 4 is offered, but not for this collection (OPTIONS says GET only).
    assert pc.READ_ONLY in codes(pc.check_layer(oapif_layer(city_backend.pygeoapi_url, "districts"), AREA))
    # QGIS Server's OGC API (3.22): no Part 4 at all.
    qgis_oapif = pc.check_layer(oapif_layer(city_backend.ogcapi_qgis_url, "street_lights"), AREA)
    assert pc.READ_ONLY in codes(qgis_oapif)


def test_a_table_without_update_privilege_is_read_only(qgis_app, test_tables):
    check = pc.check_layer(pg_layer(test_tables, SCHEMA, "read_only"), AREA)
    assert pc.READ_ONLY in codes(check)
    assert "UPDATE" in check.blocking[0].message


def test_a_layer_without_a_stable_key_is_named(qgis_app, test_tables):
    check = pc.check_layer(pg_layer(test_tables, SCHEMA, "no_key"), AREA)
    assert codes(check) == [pc.NO_STABLE_KEY]
    assert check.key_column == ""


def test_empty_and_repeated_keys_are_counted(qgis_app, test_tables):
    check = pc.check_layer(pg_layer(test_tables, SCHEMA, "dupes"), AREA)
    assert check.key_column == "asset_uuid"
    messages = [reason.message for reason in check.reasons if reason.code == pc.NO_STABLE_KEY]
    assert len(messages) == 2, check.reasons
    assert any(message.startswith("2 features") for message in messages)  # NULL and ''
    assert any(message.startswith("1 values") for message in messages)  # 'x' twice


def test_a_chosen_key_column_must_exist_and_must_not_be_the_server_number(qgis_app, city_backend):
    layer = wfs_layer(city_backend, "street_lights")
    assert codes(pc.check_layer(layer, AREA, key_column="no_such_column")) == [pc.NO_STABLE_KEY]
    assert codes(pc.check_layer(layer, AREA, key_column="fid")) == [pc.NO_STABLE_KEY]
    chosen = pc.check_layer(layer, AREA, key_column="light_point_no")
    assert chosen.key_column == "light_point_no" and chosen.blocking == []


def test_curved_and_mixed_geometries_are_unsupported(qgis_app, test_tables):
    for table in ("curves", "mixed"):
        check = pc.check_layer(pg_layer(test_tables, SCHEMA, table), AREA)
        assert pc.UNSUPPORTED_GEOMETRY in codes(check), table


def test_a_map_picture_is_online_only(qgis_app, city_backend):
    wms = QgsRasterLayer("url={}&layers=extremregen&styles=&format=image/png&crs=EPSG:25832".format(
        city_backend.wms_url), "Extremregen", "wms")
    assert wms.isValid()
    check = pc.check_layer(wms, AREA)
    assert codes(check) == [pc.ONLINE_ONLY]
    assert "basemap" in check.reasons[0].message


def test_file_and_memory_layers_have_no_server(qgis_app, tmp_path):
    memory = QgsVectorLayer("Point?crs=EPSG:25832&field=light_uuid:string", "scratch", "memory")
    assert pc.LOCAL_LAYER in codes(pc.check_layer(memory, AREA))
    csv = tmp_path / "lights.csv"
    csv.write_text("light_uuid,x,y\na,369500,5713500\n")
    text = QgsVectorLayer("file://{}?type=csv&xField=x&yField=y&crs=EPSG:25832".format(csv), "csv", "delimitedtext")
    assert text.isValid()
    assert pc.LOCAL_LAYER in codes(pc.check_layer(text, AREA))


def test_the_servers_count_every_layer_at_once_and_each_check_gets_its_own_count(qgis_app, city_backend,
                                                                                  monkeypatch):
    """Each count is the server reading the area (half a second for the full city's footprints):
    the layers are counted side by side, and every layer still gets the count of its own type."""
    counting = pc._count_of
    spans = {}

    def slow_count(entry, *args):
        started = time.monotonic()
        time.sleep(0.5)  # longer than starting the next count: one after the other would not overlap
        counted = counting(entry, *args)
        spans[entry.source_name] = (started, time.monotonic())
        return counted

    monkeypatch.setattr(pc, "_count_of", slow_count)
    tables = ("street_lights", "building_footprints")
    result = pc.precheck([wfs_layer(city_backend, table) for table in tables], AREA)
    assert [check.feature_count for check in result.layers] == [
        server_count_in_area(city_backend, table) for table in tables]
    assert sorted(spans) == sorted(tables)  # once each: the checks took the counts asked ahead
    (first_start, first_end), (second_start, second_end) = spans.values()
    assert first_start < second_end and second_start < first_end  # side by side


def test_too_many_features_for_the_area(qgis_app, city_backend):
    check = pc.check_layer(wfs_layer(city_backend, "street_lights"), AREA, max_features=10)
    assert codes(check) == [pc.TOO_MANY_FEATURES]
    assert str(check.feature_count) in check.reasons[0].message


def test_an_area_without_features_is_a_warning_only(qgis_app, city_backend):
    result = pc.precheck([wfs_layer(city_backend, "street_lights")], EMPTY_AREA)
    assert result.ok
    assert [reason.code for reason in result.warnings] == [pc.NO_FEATURES]


def test_a_filter_narrows_the_count_and_a_broken_filter_is_named(qgis_app, city_backend):
    layer = wfs_layer(city_backend, "street_lights")
    everything = pc.check_layer(layer, AREA).feature_count
    with psycopg2.connect(city_backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assets.street_lights WHERE lamp_type = 'LED' AND "
                       "ST_Intersects(geom, ST_GeomFromText(%s, 25832))", (AREA.asWkt(),))
        led = cursor.fetchone()[0]
    assert 0 < led < everything
    assert pc.check_layer(layer, AREA, "\"lamp_type\" = 'LED'").feature_count == led
    broken = pc.check_layer(layer, AREA, "\"lamp_type\" = ")
    assert codes(broken) == [pc.LAYER_INVALID]


def test_an_unreachable_layer_is_named(qgis_app):
    layer = QgsVectorLayer("url='http://127.0.0.1:9/ows' typename='street_lights' version='1.1.0'", "gone", "WFS")
    assert codes(pc.check_layer(layer, AREA)) == [pc.LAYER_INVALID]


def test_the_result_text_lists_every_reason(qgis_app, city_backend):
    layers = [wfs_layer(city_backend, "districts"),
              QgsVectorLayer("Point?crs=EPSG:25832", "scratch", "memory")]
    result = pc.precheck(layers, AREA)
    assert not result.ok
    lines = result.text().splitlines()
    assert len(lines) == len(result.reasons) >= 3
    assert any(line.startswith("- WFS districts:") for line in lines)
    assert any(line.startswith("- scratch:") for line in lines)


def test_key_candidates_prefer_uuids_and_skip_server_numbers():
    assert pc.key_candidates(["fid", "id", "name", "street_id", "light_uuid"]) == ["light_uuid", "street_id"]
    assert pc.key_candidates(["fid", "name"]) == []
