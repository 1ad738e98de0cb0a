"""The change journal of a field package: every edit recorded with its base, by any client, crash-safe."""

import os
import subprocess
import sys
import textwrap

import pytest
from field_sync_support import edit_gpkg
from osgeo import ogr, osr

from herne_twin_plugin.core.field import journal
from herne_twin_plugin.core.field.journal import FieldJournalError, install, mark_pushed, pending_changes, uninstall

LIGHTS = [
    ("a0000000-0000-4000-8000-000000000001", "HQL", 125, (387000.0, 5711000.0)),
    ("a0000000-0000-4000-8000-000000000002", "NAV", 70, (387010.0, 5711005.0)),
    ("a0000000-0000-4000-8000-000000000003", "LED", 30, (387020.0, 5711010.0)),
]


def _point_wkb_hex(x, y):
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(x, y)
    return point.ExportToWkb(ogr.wkbNDR).hex().upper()


@pytest.fixture
def package(tmp_path):
    """A field package with street lights (key light_uuid) and a layer without a stable key."""
    path = str(tmp_path / "inspection.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    lights = source.CreateLayer("street_lights", srs, ogr.wkbPoint)
    for name, kind in (("light_uuid", ogr.OFTString), ("lamp_type", ogr.OFTString), ("wattage_w", ogr.OFTInteger)):
        lights.CreateField(ogr.FieldDefn(name, kind))
    for key, lamp, watts, (x, y) in LIGHTS:
        feature = ogr.Feature(lights.GetLayerDefn())
        feature.SetField("light_uuid", key)
        feature.SetField("lamp_type", lamp)
        feature.SetField("wattage_w", watts)
        feature.SetGeometry(ogr.CreateGeometryFromWkb(bytes.fromhex(_point_wkb_hex(x, y))))
        lights.CreateFeature(feature)
    drains = source.CreateLayer("drains", srs, ogr.wkbPoint)
    drains.CreateField(ogr.FieldDefn("drain_no", ogr.OFTString))
    for number in ("K1", "K1", None):
        feature = ogr.Feature(drains.GetLayerDefn())
        if number:
            feature.SetField("drain_no", number)
        drains.CreateFeature(feature)
    source = None
    return path


@pytest.fixture
def journaled(package):
    install(package, "street_lights", "light_uuid")
    return package


def _by_key(path):
    return {change.feature_key: change for change in pending_changes(path)}


KEY1, KEY2, KEY3 = (light[0] for light in LIGHTS)


def test_a_layer_without_stable_key_is_refused_with_the_reason(package):
    with pytest.raises(FieldJournalError, match="no layer named hydrants"):
        install(package, "hydrants", "hydrant_no")
    with pytest.raises(FieldJournalError, match="no column light_no"):
        install(package, "street_lights", "light_no")
    with pytest.raises(FieldJournalError, match="have no drain_no"):
        install(package, "drains", "drain_no")
    edit_gpkg(package, "UPDATE drains SET drain_no = 'K1' WHERE drain_no IS NULL")
    with pytest.raises(FieldJournalError, match="not a stable key"):
        install(package, "drains", "drain_no")
    install(package, "street_lights", "light_uuid")
    with pytest.raises(FieldJournalError, match="already has a change journal"):
        install(package, "street_lights", "light_uuid")
    assert pending_changes(package) == []


@pytest.mark.parametrize("fix_empty", [False, True])
def test_keys_the_caller_said_it_checked_are_still_refused_where_empty_or_repeated(package, fix_empty):
    if fix_empty:
        edit_gpkg(package, "UPDATE drains SET drain_no = 'K1' WHERE drain_no IS NULL")
    with pytest.raises(FieldJournalError, match="not a stable key" if fix_empty else "have no drain_no"):
        install(package, "drains", "drain_no", keys_checked=True)
    edit_gpkg(package, "UPDATE drains SET drain_no = 'K' || fid")
    install(package, "drains", "drain_no", keys_checked=True)  # nothing of the refused install was left


def test_updates_keep_the_base_the_inspector_started_from(journaled):
    edit_gpkg(journaled, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", KEY1)
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = 20 WHERE light_uuid = ?", KEY1)
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = wattage_w WHERE light_uuid = ?", KEY2)  # no change
    changes = pending_changes(journaled)
    assert len(changes) == 1
    change = changes[0]
    assert (change.op, change.feature_key) == ("update", KEY1)
    assert change.base["lamp_type"] == "HQL" and change.base["wattage_w"] == 125
    assert change.values["lamp_type"] == "LED" and change.values["wattage_w"] == 20
    assert set(change.changed) == {"lamp_type", "wattage_w"}
    assert change.geometry_changed is False
    assert change.base_geometry == _point_wkb_hex(387000.0, 5711000.0)
    # edited back to where it started: nothing to push
    edit_gpkg(journaled, "UPDATE street_lights SET lamp_type = 'HQL', wattage_w = 125 WHERE light_uuid = ?", KEY1)
    assert pending_changes(journaled) == []


def test_moved_light_records_its_geometry_as_wkb(journaled):
    from herne_twin_plugin.core.field.journal import connect

    connection = connect(journaled)
    moved = connection.execute(
        "SELECT geom FROM street_lights WHERE light_uuid = ?", (KEY3,)
    ).fetchone()[0]
    connection.close()
    # the same GeoPackage header, a point 2 m further east
    header_size = len(moved) - 21
    new_blob = moved[:header_size] + bytes.fromhex(_point_wkb_hex(387022.0, 5711010.0))
    edit_gpkg(journaled, "UPDATE street_lights SET geom = ? WHERE light_uuid = ?", new_blob, KEY3)
    change = _by_key(journaled)[KEY3]
    assert change.geometry_changed and change.changed == ()
    assert change.geometry == _point_wkb_hex(387022.0, 5711010.0)
    assert change.base_geometry == _point_wkb_hex(387020.0, 5711010.0)


def test_inserts_and_deletes_collapse_per_feature(journaled):
    edit_gpkg(journaled, "INSERT INTO street_lights (lamp_type, wattage_w) VALUES ('LED', 18)")
    edit_gpkg(journaled, "INSERT INTO street_lights (light_uuid, lamp_type) VALUES ('short-lived', 'LED')")
    edit_gpkg(journaled, "DELETE FROM street_lights WHERE light_uuid = 'short-lived'")
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = 24 WHERE lamp_type = 'LED' AND wattage_w = 18")
    edit_gpkg(journaled, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", KEY2)
    edit_gpkg(journaled, "DELETE FROM street_lights WHERE light_uuid = ?", KEY2)
    changes = pending_changes(journaled)
    assert sorted(change.op for change in changes) == ["delete", "insert"]
    inserted = next(change for change in changes if change.op == "insert")
    # a new light without key gets its client UUID as key, the final values and no base
    assert inserted.client_uuid and inserted.feature_key == inserted.client_uuid
    assert inserted.values["light_uuid"] == inserted.client_uuid
    assert inserted.values["wattage_w"] == 24 and inserted.base == {}
    deleted = next(change for change in changes if change.op == "delete")
    assert deleted.feature_key == KEY2 and deleted.base["lamp_type"] == "NAV" and deleted.values == {}


def test_client_uuids_differ_between_inserts(journaled):
    for _ in range(20):
        edit_gpkg(journaled, "INSERT INTO street_lights (lamp_type) VALUES ('LED')")
    uuids = [change.client_uuid for change in pending_changes(journaled)]
    assert len(set(uuids)) == 20
    assert all(len(uuid) == 36 and uuid[14] == "4" for uuid in uuids)


def test_an_edit_rolled_back_leaves_no_journal_row(journaled):
    connection = journal.connect(journaled)
    connection.execute("BEGIN")
    connection.execute("UPDATE street_lights SET wattage_w = 1")
    connection.execute("DELETE FROM street_lights WHERE light_uuid = ?", (KEY1,))
    connection.execute("ROLLBACK")
    connection.close()
    assert pending_changes(journaled) == []


CRASHING_EDIT = textwrap.dedent(
    """
    import os, sys
    from herne_twin_plugin.core.field.journal import connect
    connection = connect(sys.argv[1])
    connection.execute("BEGIN")
    connection.execute("UPDATE street_lights SET wattage_w = 11 WHERE light_uuid = ?", (sys.argv[2],))
    connection.execute("COMMIT")
    connection.execute("BEGIN")
    connection.execute("UPDATE street_lights SET wattage_w = 99 WHERE light_uuid = ?", (sys.argv[3],))
    os._exit(3)  # the crash: the second edit was never committed
    """
)


def test_the_journal_survives_a_crash(journaled):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    process = subprocess.run(
        [sys.executable, "-c", CRASHING_EDIT, journaled, KEY1, KEY2], cwd=root, capture_output=True, text=True
    )
    assert process.returncode == 3, process.stderr
    changes = _by_key(journaled)
    assert list(changes) == [KEY1]
    assert changes[KEY1].values["wattage_w"] == 11 and changes[KEY1].base["wattage_w"] == 125


def test_mark_pushed_moves_the_base_forward(journaled):
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = 40 WHERE light_uuid = ?", KEY1)
    first = pending_changes(journaled)[0]
    mark_pushed(journaled, first.seqs)
    assert pending_changes(journaled) == []
    edit_gpkg(journaled, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", KEY1)
    change = pending_changes(journaled)[0]
    assert change.base["wattage_w"] == 40 and change.changed == ("lamp_type",)
    with pytest.raises(FieldJournalError, match="no entries 999"):
        mark_pushed(journaled, [999])
    assert len(pending_changes(journaled)) == 1  # the refused call changed nothing


def test_uninstall_stops_recording_and_keeps_the_journal(journaled):
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = 40 WHERE light_uuid = ?", KEY1)
    uninstall(journaled, "street_lights")
    edit_gpkg(journaled, "UPDATE street_lights SET wattage_w = 50 WHERE light_uuid = ?", KEY2)
    assert [change.feature_key for change in pending_changes(journaled)] == [KEY1]
    with pytest.raises(FieldJournalError, match="has no change journal"):
        uninstall(journaled, "street_lights")
    install(journaled, "street_lights", "light_uuid")  # can be installed again


def test_ogr_edits_are_recorded(journaled):
    source = ogr.Open(journaled, 1)
    layer = source.GetLayerByName("street_lights")
    layer.SetAttributeFilter("light_uuid = '{}'".format(KEY2))
    feature = layer.GetNextFeature()
    feature.SetField("lamp_type", "LED")
    assert layer.SetFeature(feature) == 0
    source = None
    change = _by_key(journaled)[KEY2]
    assert change.changed == ("lamp_type",) and change.values["lamp_type"] == "LED"


def test_qgis_edits_are_recorded(qgis_app, journaled):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(journaled + "|layername=street_lights", "street_lights", "ogr")
    assert layer.isValid()
    features = {feature["light_uuid"]: feature for feature in layer.getFeatures()}
    fields = layer.fields()
    assert layer.startEditing()
    assert layer.changeAttributeValue(features[KEY1].id(), fields.indexOf("wattage_w"), 60)
    assert layer.changeGeometry(features[KEY1].id(), QgsGeometry.fromPointXY(QgsPointXY(387001.0, 5711000.0)))
    assert layer.deleteFeature(features[KEY3].id())
    new_light = QgsFeature(fields)
    new_light["lamp_type"] = "LED"
    new_light["wattage_w"] = 15
    new_light.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(387030.0, 5711020.0)))
    assert layer.addFeature(new_light)
    assert layer.commitChanges(), layer.commitErrors()
    del layer
    changes = pending_changes(journaled)
    by_op = {}
    for change in changes:
        by_op.setdefault(change.op, []).append(change)
    assert sorted(by_op) == ["delete", "insert", "update"]
    (updated,) = by_op["update"]
    assert updated.feature_key == KEY1 and updated.values["wattage_w"] == 60 and updated.base["wattage_w"] == 125
    assert updated.geometry_changed and updated.geometry == _point_wkb_hex(387001.0, 5711000.0)
    assert [change.feature_key for change in by_op["delete"]] == [KEY3]
    (inserted,) = by_op["insert"]
    assert inserted.values["wattage_w"] == 15 and inserted.client_uuid
    assert inserted.geometry == _point_wkb_hex(387030.0, 5711020.0)


@pytest.mark.parametrize("byte_order", ["<", ">"])
@pytest.mark.parametrize("envelope", [0, 1, 2, 3, 4])
def test_the_base_geometry_is_the_wkb_behind_any_geopackage_header(tmp_path, byte_order, envelope):
    """Whatever header a client wrote (no envelope, xy, xyz, xym, xyzm; either byte order), the
    journal's base and its edits hold the WKB that follows it."""
    import sqlite3
    import struct

    wkb = bytes.fromhex(_point_wkb_hex(387000.5, 5711000.25))
    sizes = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
    blob = b"GP\x00" + bytes([(envelope << 1) | (byte_order == "<")]) + struct.pack(byte_order + "i", 25832) + \
        struct.pack(byte_order + "{}d".format(sizes[envelope]), *range(sizes[envelope])) + wkb
    path = str(tmp_path / "headers.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    layer = source.CreateLayer("lights", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("light_uuid", ogr.OFTString))
    source = None
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DROP TRIGGER IF EXISTS rtree_lights_geom_insert")  # (its ST_ functions need GDAL's SQLite)
        connection.execute("INSERT INTO lights (light_uuid, geom) VALUES ('a', ?)", (blob,))
    connection.close()
    install(path, "lights", "light_uuid")
    with journal.write_transaction(path) as connection:
        connection.execute("INSERT INTO lights (light_uuid, geom) VALUES ('b', ?)", (blob,))
        base = connection.execute("SELECT base_geometry FROM {} WHERE feature_key = 'a'".format(
            journal.BASE_TABLE)).fetchone()[0]
    assert base == wkb.hex().upper()
    assert _by_key(path)["b"].geometry == wkb.hex().upper()
