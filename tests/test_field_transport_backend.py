"""The field transports against the real local backend: WFS-T 1.1.0 on QGIS Server, OGC API
Features on pygeoapi and on QGIS Server (/wfs3), and PostGIS. Every result is checked against
what PostGIS itself holds, as the city's database administrator would check it."""

import uuid

import psycopg2
import pytest
from qgis.core import QgsGeometry, QgsPointXY

from herne_twin_plugin.core.field.manifest import PackageLayer
from herne_twin_plugin.core.field.transports import base, transport_for

pytestmark = pytest.mark.backend

STREET_LIGHT_FIELDS = (
    ("fid", "int"), ("light_point_no", "str"), ("street", "str"), ("district", "str"), ("mast_type", "str"),
    ("mast_height_m", "real"), ("lamp_type", "str"), ("wattage_w", "int"), ("install_year", "int"),
    ("control_unit", "str"), ("operator", "str"), ("last_inspection", "date"), ("light_uuid", "str"),
)
INSPECTION_FIELDS = (
    ("inspection_uuid", "str"), ("asset_layer", "str"), ("asset_key", "str"), ("inspected_at", "str"),
    ("inspector", "str"), ("condition", "int"), ("defects", "str"), ("notes", "str"), ("photos", "str"),
    ("status", "str"),
)
KINDS = ("wfs", "oapif_pygeoapi", "oapif_qgis", "postgis")
# Each kind edits its own street lights, so the tests do not step on each other.
OFFSET = {kind: 200 + 40 * index for index, kind in enumerate(KINDS)}


def package_layer(backend, kind, table, fields=None, key=None):
    fields = fields or (STREET_LIGHT_FIELDS if table == "street_lights" else INSPECTION_FIELDS)
    key = key or ("light_uuid" if table == "street_lights" else "inspection_uuid")
    common = dict(table_name=table, role="asset", key_column=key, geometry_type="Point", fields=tuple(fields),
                  writable=True)
    if kind == "wfs":
        return PackageLayer(source_kind="wfs", source_url=backend.wfs_url, source_name=table,
                            source_version="1.1.0", **common)
    if kind == "oapif_pygeoapi":
        return PackageLayer(source_kind="oapif", source_url=backend.pygeoapi_url, source_name=table, **common)
    if kind == "oapif_qgis":
        return PackageLayer(source_kind="oapif", source_url=backend.ogcapi_qgis_url, source_name=table, **common)
    return PackageLayer(source_kind="postgis", source_url=backend.pg_dsn(), source_name="assets." + table, **common)


def sql(backend, statement, *args):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


def light_keys(backend, kind, count=1):
    rows = sql(backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid OFFSET %s LIMIT %s",
               OFFSET[kind], count)
    return [row[0] for row in rows]


def database_values(backend, key):
    names = [name for name, _ in STREET_LIGHT_FIELDS]
    row = sql(backend, "SELECT {}, ST_X(geom), ST_Y(geom) FROM assets.street_lights WHERE light_uuid = %s".format(
        ", ".join(names)), key)[0]
    values = {name: base.normalise_value(value, field_type)
              for (name, field_type), value in zip(STREET_LIGHT_FIELDS, row[:-2])}
    return values, QgsPointXY(row[-2], row[-1])


def point_of(feature):
    geometry = QgsGeometry()
    geometry.fromWkb(bytes.fromhex(feature.geometry))
    return geometry.asPoint()


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


def test_area_and_filter_read_exactly_what_the_database_selects(city_backend, kind):
    xmin, ymin, xmax, ymax = sql(city_backend, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                               "(SELECT ST_Extent(geom) e FROM assets.street_lights) x")[0]
    # A triangle, not a box: a server's bounding-box answer must be cut to the area.
    area = "POLYGON(({0} {1}, {2} {1}, {0} {3}, {0} {1}))".format(xmin - 1, ymin - 1, xmax + 1, ymax + 1)
    cases = {
        "": "TRUE",
        "lamp_type IN ('LED', 'NAV') AND install_year >= 2000": "lamp_type IN ('LED', 'NAV') AND install_year >= 2000",
        "district = 'Herne-Mitte' AND mast_type = 'Betonmast'": "district = 'Herne-Mitte' AND mast_type = 'Betonmast'",
        "last_inspection >= '2024-01-01' OR wattage_w < 50": "last_inspection >= '2024-01-01' OR wattage_w < 50",
    }
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    for expression, where in cases.items():
        expected = {row[0] for row in sql(
            city_backend, "SELECT light_uuid FROM assets.street_lights WHERE ST_Intersects(geom, "
                          "ST_GeomFromText(%s, 25832)) AND ({})".format(where), area)}
        got = [feature.key for feature in transport.features_in_area(area, expression)]
        assert len(got) == len(set(got)), "a feature came twice (paging)"
        assert set(got) == expected, expression
        assert 0 < len(expected) < 1531 or expression == ""


def test_features_by_key_equal_the_database_values(city_backend, kind):
    keys = [row[0] for row in sql(city_backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid DESC "
                                                "LIMIT 150")]
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    found = transport.features_by_key(keys + ["not-on-the-server"])
    assert set(found) == set(keys)  # the missing key is absent, not an error
    for key in keys[:30]:
        values, point = database_values(city_backend, key)
        assert found[key].values == values
        assert point_of(found[key]).distance(point) < 0.001  # millimetres


def test_update_is_written_and_a_stale_one_is_refused(city_backend, kind):
    key = light_keys(city_backend, kind)[0]
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    read = transport.features_by_key([key])[key]
    changes = {"lamp_type": "LED-{}".format(kind[:6]), "street": "Straße am Flöz {}".format(kind),
               "last_inspection": "2026-11-20", "mast_height_m": 7.5}
    written = transport.update(read, changes)
    values, _ = database_values(city_backend, key)
    assert {name: values[name] for name in changes} == changes
    assert written.values["lamp_type"] == changes["lamp_type"]
    # Somebody in the office changes the lamp type; our old read must not overwrite it.
    sql(city_backend, "UPDATE assets.street_lights SET lamp_type = 'HQL-Büro' WHERE light_uuid = %s", key)
    with pytest.raises(base.TransportError) as refused:
        transport.update(written, {"lamp_type": "LED-stale"})
    assert refused.value.kind == base.PRECONDITION_FAILED
    assert database_values(city_backend, key)[0]["lamp_type"] == "HQL-Büro"
    # An office edit of another field survives our next update.
    sql(city_backend, "UPDATE assets.street_lights SET operator = 'Büro-Betreiber' WHERE light_uuid = %s", key)
    fresh = transport.features_by_key([key])[key]
    transport.update(fresh, {"control_unit": "LoRaWAN-Knoten neu"})
    values, _ = database_values(city_backend, key)
    assert (values["operator"], values["control_unit"], values["lamp_type"]) == (
        "Büro-Betreiber", "LoRaWAN-Knoten neu", "HQL-Büro")


def test_geometry_update_moves_the_point(city_backend, kind):
    key = light_keys(city_backend, kind, 2)[1]
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    read = transport.features_by_key([key])[key]
    old = point_of(read)
    moved = QgsGeometry.fromPointXY(QgsPointXY(old.x() + 1.5, old.y() - 0.25))
    transport.update(read, {}, bytes(moved.asWkb()).hex())
    _, point = database_values(city_backend, key)
    assert point.distance(QgsPointXY(old.x() + 1.5, old.y() - 0.25)) < 0.001


def inspection_table(kind):
    # QGIS Server 3.22's OGC API refuses every request on an empty collection (HTTP 400,
    # "offset [0--1]"), inserts too: there the insert goes into street_lights.
    return "street_lights" if kind == "oapif_qgis" else "inspections"


def new_values(table, key):
    if table == "inspections":
        return {"inspection_uuid": key, "asset_layer": "street_lights", "asset_key": "HER-00042",
                "inspected_at": "2026-11-26T09:15:00Z", "inspector": "J. Kowalski", "condition": 4,
                "defects": "MAST_ROST;LEUCHTE_DEFEKT", "notes": "Mast rostig – Leuchte flackert, Überprüfung nötig",
                "photos": "DCIM/{}_1.jpg".format(key[:8]), "status": "open"}
    return {"light_uuid": key, "light_point_no": "HER-NEU-{}".format(key[:4]), "street": "Neue Straße",
            "district": "Herne-Mitte", "lamp_type": "LED", "wattage_w": 30, "install_year": 2026,
            "last_inspection": "2026-11-26", "mast_height_m": 6.0}


def test_insert_is_found_by_its_key_and_never_made_twice(city_backend, kind):
    table = inspection_table(kind)
    key_column = "light_uuid" if table == "street_lights" else "inspection_uuid"
    transport = transport_for(package_layer(city_backend, kind, table))
    key = str(uuid.uuid4())
    values = new_values(table, key)
    point = QgsGeometry.fromPointXY(QgsPointXY(369512.25, 5713004.5))
    inserted = transport.insert(values, bytes(point.asWkb()).hex())
    assert inserted.key == key
    found = transport.features_by_key([key])[key]
    assert {name: found.values[name] for name in values} == values
    assert point_of(found).distance(QgsPointXY(369512.25, 5713004.5)) < 0.001
    # A retried insert (the answer was lost): the sync looks the key up first; were it sent again,
    # the server's unique key refuses it and there is still exactly one.
    with pytest.raises(base.TransportError):
        transport.insert(values, bytes(point.asWkb()).hex())
    assert sql(city_backend, "SELECT count(*) FROM assets.{} WHERE {} = %s".format(table, key_column), key)[0][0] == 1


def test_refused_insert_carries_the_servers_reason(city_backend, kind):
    if kind == "oapif_qgis":
        pytest.skip("QGIS Server 3.22 refuses inserts into the empty inspections collection (see inspection_table)")
    transport = transport_for(package_layer(city_backend, kind, "inspections"))
    key = str(uuid.uuid4())
    values = dict(new_values("inspections", key), condition=9)  # the table allows 1 to 5
    with pytest.raises(base.TransportError) as refused:
        transport.insert(values, bytes(QgsGeometry.fromPointXY(QgsPointXY(369512, 5713004)).asWkb()).hex())
    assert refused.value.kind in (base.REJECTED, base.SERVER_ERROR)
    assert str(refused.value) and refused.value.server_message
    assert sql(city_backend, "SELECT count(*) FROM assets.inspections WHERE inspection_uuid = %s", key)[0][0] == 0


def test_delete_removes_and_a_second_delete_finds_nothing(city_backend, kind):
    table = inspection_table(kind)
    transport = transport_for(package_layer(city_backend, kind, table))
    key = str(uuid.uuid4())
    transport.insert(new_values(table, key), bytes(QgsGeometry.fromPointXY(QgsPointXY(369600, 5713100)).asWkb()).hex())
    current = transport.features_by_key([key])[key]
    transport.delete(current)
    assert transport.features_by_key([key]) == {}
    with pytest.raises(base.TransportError) as gone:
        transport.delete(current)
    assert gone.value.kind == base.NOT_FOUND


def test_a_field_gone_from_the_server_is_named_and_nothing_is_written(city_backend, kind):
    key = light_keys(city_backend, kind, 3)[2]
    before = database_values(city_backend, key)[0]
    renamed = STREET_LIGHT_FIELDS + (("lamp_colour_temperature", "int"),)  # renamed or removed on the server
    transport = transport_for(package_layer(city_backend, kind, "street_lights", fields=renamed))
    for attempt in (lambda: list(transport.features_in_area("")),
                    lambda: transport.features_by_key([key]),
                    lambda: transport.update(base.ServerFeature(key, dict(before)), {"lamp_type": "X"})):
        with pytest.raises(base.TransportError) as changed:
            attempt()
        assert changed.value.kind == base.SCHEMA_CHANGED
        assert "lamp_colour_temperature" in str(changed.value)
    assert database_values(city_backend, key)[0] == before


def test_fields_the_server_added_arrive_as_extra(city_backend, kind):
    fewer = tuple(pair for pair in STREET_LIGHT_FIELDS if pair[0] != "operator")
    key = light_keys(city_backend, kind)[0]
    transport = transport_for(package_layer(city_backend, kind, "street_lights", fields=fewer))
    feature = transport.features_by_key([key])[key]
    assert "operator" not in feature.values
    assert feature.extra["operator"] == database_values(city_backend, key)[0]["operator"]


def test_a_filter_no_server_can_be_sent_is_refused_clearly(city_backend, kind):
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    for expression in ("upper(street) = 'BAHNHOFSTRASSE'", "street LIKE 'Bahn%'", "no_such_field = 1"):
        with pytest.raises(base.TransportError) as refused:
            list(transport.features_in_area("", expression))
        assert refused.value.kind == base.UNSUPPORTED_FILTER
        assert expression in str(refused.value)


def test_an_insert_without_its_key_is_refused(city_backend, kind):
    table = inspection_table(kind)
    transport = transport_for(package_layer(city_backend, kind, table))
    values = new_values(table, "x")
    values.pop("light_uuid" if table == "street_lights" else "inspection_uuid")
    with pytest.raises(base.TransportError) as refused:
        transport.insert(values, None)
    assert refused.value.kind == base.REJECTED


def test_a_batch_of_writes_reports_each_feature_on_its_own(city_backend, kind):
    """What the sync sends per round (write_batch): good updates, a stale one, a good and a refused
    insert and a delete; each gets its own result, and PostGIS holds exactly the good ones."""
    keys = [row[0] for row in sql(city_backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid "
                                                "OFFSET %s LIMIT 4", 1000 + 20 * KINDS.index(kind))]
    transport = transport_for(package_layer(city_backend, kind, "street_lights"))
    read = transport.features_by_key(keys)
    sql(city_backend, "UPDATE assets.street_lights SET lamp_type = 'Büro' WHERE light_uuid = %s", keys[2])
    table = inspection_table(kind)
    inserts = transport_for(package_layer(city_backend, kind, table))
    good, bad = str(uuid.uuid4()), str(uuid.uuid4())
    point = bytes(QgsGeometry.fromPointXY(QgsPointXY(369700, 5713200)).asWkb()).hex()
    # refused by the table: a condition outside 1-5, or (street lights) a key that exists already
    refusal = {"condition": 9} if table == "inspections" else {"light_uuid": keys[0]}
    bad_values = dict(new_values(table, bad), **refusal)
    updates = [base.WriteOperation("update", key, {"lamp_type": "LED-Stapel", "wattage_w": 21}, None, read[key])
               for key in keys[:3]]
    results = transport.write_batch(updates + [base.WriteOperation("delete", keys[3], current=read[keys[3]])])
    assert [type(result).__name__ for result in results] == ["ServerFeature", "ServerFeature", "TransportError",
                                                             "NoneType"]
    assert results[0].values["lamp_type"] == "LED-Stapel" and results[2].kind == base.PRECONDITION_FAILED
    assert [database_values(city_backend, key)[0]["lamp_type"] for key in keys[:3]] == ["LED-Stapel", "LED-Stapel",
                                                                                      "Büro"]
    assert column_count(city_backend, "street_lights", "light_uuid", keys[3]) == 0
    results = inserts.write_batch([base.WriteOperation("insert", good, new_values(table, good), point),
                                   base.WriteOperation("insert", bad, bad_values, point)])
    assert results[0].key == good and isinstance(results[1], base.TransportError)
    assert results[1].kind in (base.REJECTED, base.SERVER_ERROR)
    key_column = "light_uuid" if table == "street_lights" else "inspection_uuid"
    assert column_count(city_backend, table, key_column, good) == 1
    assert column_count(city_backend, table, key_column, bad) == 0


def column_count(backend, table, key_column, key):
    return sql(backend, "SELECT count(*) FROM assets.{} WHERE {} = %s".format(table, key_column), key)[0][0]


def test_postgis_takes_user_and_password_from_the_authcfg(city_backend, qgis_app):
    """The package stores a connection string without the password; the login comes from
    QGIS's authentication database (a wrong one is an AUTH error, not a hang)."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if manager.isDisabled():
        pytest.skip("the QGIS authentication system is disabled")
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("pytest-master-password", True)
    pg = city_backend.pg
    ids = {}
    for name, password in (("right", pg["password"]), ("wrong", "falsches-Passwort")):
        config = QgsAuthMethodConfig("Basic")
        config.setName("Herne PostGIS ({})".format(name))
        config.setConfig("username", pg["user"])
        config.setConfig("password", password)
        assert manager.storeAuthenticationConfig(config)[0]
        ids[name] = config.id()
    without_password = "host={host} port={port} dbname={dbname}".format(**pg)
    key = light_keys(city_backend, "postgis")[0]

    def layer(authcfg):
        return PackageLayer("street_lights", "asset", "postgis", without_password, "assets.street_lights", "",
                            authcfg, "light_uuid", "Point", fields=STREET_LIGHT_FIELDS)

    assert key in transport_for(layer(ids["right"])).features_by_key([key])
    with pytest.raises(base.TransportError) as refused:
        transport_for(layer(ids["wrong"])).features_by_key([key])
    assert refused.value.kind == base.AUTH and pg["password"] not in str(refused.value)


def test_fields_the_package_lacks_survive_an_update(city_backend, kind):
    """An OGC API PUT replaces the whole feature: the server's fields the package does not hold
    must go along, not be emptied."""
    key = sql(city_backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid OFFSET %s LIMIT 1",
              1200 + KINDS.index(kind))[0][0]
    fewer = tuple(pair for pair in STREET_LIGHT_FIELDS if pair[0] not in ("operator", "control_unit"))
    before = database_values(city_backend, key)[0]
    transport = transport_for(package_layer(city_backend, kind, "street_lights", fields=fewer))
    transport.update(transport.features_by_key([key])[key], {"lamp_type": "LED-teilweise"})
    after = database_values(city_backend, key)[0]
    assert after["lamp_type"] == "LED-teilweise"
    assert (after["operator"], after["control_unit"]) == (before["operator"], before["control_unit"])
