"""Online write-back check (issue 5, item 6): a real WFS layer from the local QGIS Server is
edited in QGIS while a second client (the WFS-T transport) changes the same features. A save
must never write over a server change to a field the user changed too; such edits stay
pending and a second save (the user decided) writes them. Checked in PostGIS."""

import psycopg2
import pytest
from qgis.core import Qgis, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication
from test_field_transport_backend import STREET_LIGHT_FIELDS

from herne_twin_plugin.core.field import online_edit
from herne_twin_plugin.core.field.manifest import PackageLayer
from herne_twin_plugin.core.field.transports import base, transport_for
from herne_twin_plugin.gui.field import online_edit_guard

pytestmark = pytest.mark.backend

# Each test edits its own street lights (the session's backend is shared with other test modules).
OFFSETS = {"overlap": 700, "apart": 710, "delete": 720, "gone": 730, "failure": 740, "gui": 750, "geometry": 760}


def sql(backend, statement, *args):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


def light_at(backend, offset):
    return sql(backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid OFFSET %s LIMIT 1", offset)[0][0]


def light(backend, name):
    return light_at(backend, OFFSETS[name])


def column(backend, key, name):
    rows = sql(backend, "SELECT {} FROM assets.street_lights WHERE light_uuid = %s".format(name), key)
    return rows[0][0] if rows else None


def wfs_layer(backend):
    uri = "pagingEnabled='true' srsname='EPSG:25832' typename='street_lights' url='{}' version='auto'".format(
        backend.wfs_url)
    layer = QgsVectorLayer(uri, "Straßenbeleuchtung (WFS)", "WFS")
    assert layer.isValid(), layer.error().summary()
    return layer


def office(backend):
    """The second client: an office user writing through WFS-T."""
    return transport_for(PackageLayer("street_lights", "asset", "wfs", backend.wfs_url, "street_lights", "1.1.0", "",
                                      "light_uuid", "Point", fields=STREET_LIGHT_FIELDS, writable=True))


def office_edit(backend, key, **values):
    transport = office(backend)
    current = transport.features_by_key([key])[key]
    transport.update(current, values)


def feature_of(layer, key):
    return next(feature for feature in layer.getFeatures() if feature["light_uuid"] == key)


def save(layer):
    """What QGIS's Save Layer Edits does, then the event loop turn that puts kept edits back."""
    result = layer.commitChanges(False)
    QCoreApplication.processEvents()
    return result


class Recorder:
    def __init__(self, guard):
        self.conflicts, self.failures = [], []
        guard.conflictsFound.connect(lambda layer, conflicts: self.conflicts.extend(conflicts))
        guard.checkFailed.connect(lambda layer, message: self.failures.append(message))


def test_a_field_both_changed_is_not_written_and_the_edit_stays_until_the_user_saves_again(city_backend):
    key = light(city_backend, "overlap")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    started_with = feature["lamp_type"]
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("lamp_type"), "LED-Feld")
    office_edit(city_backend, key, lamp_type="NAV-Büro")

    save(layer)
    assert column(city_backend, key, "lamp_type") == "NAV-Büro"  # the office's value is not overwritten
    assert layer.isEditable() and layer.isModified()
    assert feature_of(layer, key)["lamp_type"] == "LED-Feld"  # and the inspector's edit is not lost
    assert [(c.key, c.field, c.kind, c.base, c.mine, c.theirs) for c in seen.conflicts] == [
        (key, "lamp_type", online_edit.BOTH_CHANGED, started_with, "LED-Feld", "NAV-Büro")]
    assert "NAV-Büro" in seen.conflicts[0].describe() and "LED-Feld" in seen.conflicts[0].describe()

    # The user has seen the server's value and saves again: now theirs is written.
    assert save(layer)
    assert column(city_backend, key, "lamp_type") == "LED-Feld"
    assert not layer.isModified() and len(seen.conflicts) == 1
    guard.detach()


def test_save_and_stop_editing_keeps_the_layer_in_edit_mode_with_the_edits(city_backend):
    """Toggle editing -> Save: QGIS would leave edit mode; the held edits bring it back, each
    edit its own undo step (undo one to take the server's value)."""
    key = light(city_backend, "overlap")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("control_unit"), "Feld-Steuerung")
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("install_year"), 1999)
    office_edit(city_backend, key, control_unit="Büro-Steuerung")
    layer.commitChanges()  # stop editing too
    QCoreApplication.processEvents()
    assert layer.isEditable() and [c.field for c in seen.conflicts] == ["control_unit"]
    assert (feature_of(layer, key)["control_unit"], feature_of(layer, key)["install_year"]) == ("Feld-Steuerung", 1999)
    assert column(city_backend, key, "install_year") != 1999  # nothing of the layer was written
    assert layer.undoStack().count() == 2  # one undo step per edit put back
    while feature_of(layer, key)["control_unit"] == "Feld-Steuerung":  # the inspector takes the server's value
        layer.undoStack().undo()
    assert feature_of(layer, key)["install_year"] == 1999  # ... for that edit only
    assert layer.commitChanges()  # and the rest goes through
    assert (column(city_backend, key, "control_unit"), column(city_backend, key, "install_year")) == (
        "Büro-Steuerung", 1999)
    guard.detach()


def test_a_newer_server_change_after_the_warning_is_a_new_conflict(city_backend):
    key = light(city_backend, "overlap")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("mast_type"), "Stahlrohrmast-Feld")
    office_edit(city_backend, key, mast_type="Betonmast-Büro")
    save(layer)
    office_edit(city_backend, key, mast_type="Betonmast-Büro-2")
    save(layer)
    assert column(city_backend, key, "mast_type") == "Betonmast-Büro-2"
    assert [c.theirs for c in seen.conflicts] == ["Betonmast-Büro", "Betonmast-Büro-2"]
    assert feature_of(layer, key)["mast_type"] == "Stahlrohrmast-Feld"
    layer.rollBack()
    guard.detach()


def test_edits_to_different_fields_both_survive(city_backend):
    key = light(city_backend, "apart")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("wattage_w"), 33)
    office_edit(city_backend, key, operator="AGR Herne (Büro)")
    assert save(layer)
    assert (column(city_backend, key, "wattage_w"), column(city_backend, key, "operator")) == (33, "AGR Herne (Büro)")
    assert not seen.conflicts and not layer.isModified()
    guard.detach()


def test_deleting_a_feature_the_server_changed_is_held_back(city_backend):
    key = light(city_backend, "delete")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.deleteFeature(feature.id())
    office_edit(city_backend, key, install_year=2026)
    save(layer)
    assert column(city_backend, key, "light_uuid") == key  # still on the server
    assert [(c.key, c.kind) for c in seen.conflicts] == [(key, online_edit.CHANGED_ON_SERVER)]
    assert feature.id() in layer.editBuffer().deletedFeatureIds()  # the deletion is still pending
    layer.rollBack()
    guard.detach()


def test_an_edit_of_a_feature_deleted_on_the_server_is_held_back(city_backend):
    key = light(city_backend, "gone")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("lamp_type"), "LED-Feld")
    transport = office(city_backend)
    transport.delete(transport.features_by_key([key])[key])
    save(layer)
    assert [(c.key, c.kind) for c in seen.conflicts] == [(key, online_edit.DELETED_ON_SERVER)]
    assert layer.isModified() and feature_of(layer, key)["lamp_type"] == "LED-Feld"
    layer.rollBack()
    guard.detach()


def test_a_moved_point_moved_on_the_server_too_is_held_back(city_backend):
    key = light(city_backend, "geometry")
    layer = wfs_layer(city_backend)
    guard = online_edit.CommitGuard(layer)
    seen = Recorder(guard)
    feature = feature_of(layer, key)
    point = feature.geometry().asPoint()
    layer.startEditing()
    layer.changeGeometry(feature.id(), QgsGeometry.fromPointXY(QgsPointXY(point.x() + 2, point.y())))
    transport = office(city_backend)
    current = transport.features_by_key([key])[key]
    transport.update(current, {}, bytes(QgsGeometry.fromPointXY(QgsPointXY(point.x(), point.y() + 3)).asWkb()).hex())
    save(layer)
    assert [(c.key, c.field) for c in seen.conflicts] == [(key, online_edit.GEOMETRY)]
    moved = sql(city_backend, "SELECT ST_Y(geom) FROM assets.street_lights WHERE light_uuid = %s", key)[0][0]
    assert abs(moved - (point.y() + 3)) < 0.01  # the server's move stays
    layer.rollBack()
    guard.detach()


def test_when_the_server_cannot_be_asked_nothing_is_written_and_nothing_lost(city_backend):
    key = light(city_backend, "failure")
    layer = wfs_layer(city_backend)

    def unreachable(_description, **_options):
        raise base.TransportError(base.NETWORK, "Verbindung abgelehnt")

    guard = online_edit.CommitGuard(layer, transport_factory=unreachable)
    seen = Recorder(guard)
    before = column(city_backend, key, "lamp_type")
    feature = feature_of(layer, key)
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("lamp_type"), "LED-offline")
    save(layer)
    assert seen.failures == ["Verbindung abgelehnt"]
    assert column(city_backend, key, "lamp_type") == before
    assert feature_of(layer, key)["lamp_type"] == "LED-offline" and layer.isModified()
    layer.rollBack()
    guard.detach()


def test_the_plugin_guards_wfs_layers_of_the_project_and_says_what_was_not_saved(city_backend, qgis_iface):
    key = light(city_backend, "gui")
    project = QgsProject.instance()
    online_edit_guard.install(qgis_iface, project)
    try:
        layer = wfs_layer(city_backend)
        memory = QgsVectorLayer("Point?field=light_uuid:string", "scratch", "memory")
        project.addMapLayers([layer, memory])
        assert online_edit_guard.guard_of(layer) is not None
        assert online_edit_guard.guard_of(memory) is None  # not a server layer: nothing to check
        feature = feature_of(layer, key)
        layer.startEditing()
        layer.changeAttributeValue(feature.id(), layer.fields().indexOf("street"), "Feldweg")
        office_edit(city_backend, key, street="Büroweg")
        save(layer)
        warnings = qgis_iface.messageBar().get_messages(Qgis.Warning)
        assert any(layer.name() in text and "Büroweg" in text and "Feldweg" in text for text in warnings)
        assert column(city_backend, key, "street") == "Büroweg"
        layer.rollBack()
        layer_id = layer.id()
        project.removeMapLayers([layer_id, memory.id()])
        assert online_edit_guard.guard_of(layer_id) is None
    finally:
        online_edit_guard.uninstall()


def test_a_layer_without_a_stable_key_is_not_described():
    layer = QgsVectorLayer("Point?field=name:string", "ohne Schlüssel", "memory")
    assert online_edit.package_layer(layer) is None
