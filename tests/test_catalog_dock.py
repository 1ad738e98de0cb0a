"""The Service Catalog dock and its add/edit dialog, driven like a user would."""

import json

import pytest
from fixture_http_server import catalog_settings, fixture_server  # noqa: F401 (fixtures)
from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDialog

from herne_twin_plugin.core.catalog import TIMEOUT_KEY, ServiceCatalog, ServiceEntry, ServiceType
from herne_twin_plugin.gui.catalog_dock import CatalogDock
from herne_twin_plugin.gui.service_dialog import ServiceDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def catalog(catalog_settings, fixture_server, tmp_path):  # noqa: F811
    state = tmp_path / "backend.json"
    state.write_text(json.dumps({
        "wms_url": fixture_server.url("/wms"),
        "wfs_url": fixture_server.url("/wfs"),
        "ogcapi_qgis_url": fixture_server.url("/oapif"),
    }))
    catalog_settings.set_value(TIMEOUT_KEY, 5)
    return ServiceCatalog(catalog_settings, backend_state_path=str(state))


@pytest.fixture
def dock(qgis_iface, catalog, qtbot, messages):
    dock = CatalogDock(qgis_iface, catalog, qgis_iface.mainWindow())
    dock.show()
    yield dock
    dock.close_connections()
    dock.deleteLater()
    QgsProject.instance().clear()


def labels(item):
    return [item.child(index).text(0) for index in range(item.childCount())]


def click(qtbot, dock, action):
    assert action.isEnabled(), action.text() + " is disabled"
    qtbot.mouseClick(dock.button_for(action), Qt.LeftButton)


def test_tree_shows_groups_services_and_preset_layers(dock):
    root = dock.tree.invisibleRootItem()
    assert labels(root) == ["City of Herne", "State of NRW", "Federal Agency for Cartography (BKG)",
                            "Local backend", "My services"]
    assert labels(root.child(3)) == ["Local WMS (QGIS Server)", "Local WFS (QGIS Server)",
                                     "Local OGC API Features (QGIS Server)"]
    rain = dock.service_item("herne-starkregen-wms")
    assert labels(rain) == ["seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen"]
    assert "https://geodaten.herne.de/geoserver/geoportal/starkregen/wms" in rain.toolTip(0)


def test_test_connection_then_add_one_layer(dock, qtbot, messages):
    dock.select_service("local-wms")
    click(qtbot, dock, dock.test_action)
    assert dock.running_checks() == 1  # the click returned while the test runs
    qtbot.waitUntil(lambda: dock.running_checks() == 0, timeout=10000)
    assert dock.status_label.text() == "Local WMS (QGIS Server): Connected to Herne Testdienst WMS: 4 layers."
    item = dock.service_item("local-wms")
    assert item.text(1) == "OK"
    assert labels(item) == ["Strassenbeleuchtung", "Starkregen"]
    assert labels(item.child(1)) == ["Seltener Starkregen", "Extremregen"]
    assert messages[Qgis.Success] == [
        "Service Catalog:Local WMS (QGIS Server): Connected to Herne Testdienst WMS: 4 layers."]

    dock.select_service("local-wms", "extremregen")
    click(qtbot, dock, dock.add_layers_action)
    project = QgsProject.instance()
    group = project.layerTreeRoot().findGroup("Local WMS (QGIS Server)")
    assert [node.layer().name() for node in group.findLayers()] == ["Extremregen"]
    assert group.findLayers()[0].layer().isValid()
    assert "Added 1 layer(s) of Local WMS (QGIS Server) to the map." in dock.status_label.text()

    lights = dock.select_service("local-wms", "street_lights")
    rect = dock.tree.visualItemRect(lights)
    qtbot.mouseClick(dock.tree.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert [node.layer().name() for node in group.findLayers()] == ["Extremregen", "Strassenbeleuchtung"]


def test_add_without_test_reads_the_capabilities_first(dock, qtbot):
    dock.select_service("local-oapif-qgis")
    click(qtbot, dock, dock.add_layers_action)
    group_name = "Local OGC API Features (QGIS Server)"
    qtbot.waitUntil(lambda: QgsProject.instance().layerTreeRoot().findGroup(group_name) is not None, timeout=10000)
    layers = [node.layer() for node in QgsProject.instance().layerTreeRoot().findGroup(group_name).findLayers()]
    assert [(layer.name(), layer.providerType()) for layer in layers] == [
        ("Sensoren", "OAPIF"), ("Strassenbaeume", "OAPIF")]


def test_failed_test_says_why(dock, catalog, fixture_server, qtbot, messages):  # noqa: F811
    own = catalog.add_user_service(ServiceEntry("Geschuetzt", ServiceType.WMS, fixture_server.url("/status/401")))
    dock.select_service(own.service_id)
    click(qtbot, dock, dock.test_action)
    qtbot.waitUntil(lambda: dock.running_checks() == 0, timeout=10000)
    assert dock.service_item(own.service_id).text(1) == "failed"
    assert "needs credentials (HTTP 401)" in dock.status_label.text()
    assert len(messages[Qgis.Warning]) == 1 and "HTTP 401" in messages[Qgis.Warning][0]


def test_own_services_can_be_added_edited_and_removed(dock, catalog, monkeypatch):
    dock.select_service("herne-geoserver-wms")
    assert not dock.edit_service_action.isEnabled() and not dock.remove_service_action.isEnabled()

    typed = ServiceEntry("Orion Herne", ServiceType.NGSI, "http://127.0.0.1:1026", options={"fiware_service": "herne"})
    monkeypatch.setattr(dock, "_run_dialog", lambda service=None: catalog.validate(typed))
    dock.add_service_action.trigger()
    own = catalog.user_services()[0]
    assert labels(dock.tree.invisibleRootItem().child(4)) == ["Orion Herne"]
    assert dock.service_item(own.service_id).isSelected()
    assert dock.edit_service_action.isEnabled() and dock.remove_service_action.isEnabled()
    assert not dock.add_layers_action.isEnabled()  # sensor services are not map layers

    monkeypatch.setattr(dock, "_run_dialog", lambda service=None: service.with_changes(name="Orion Nord"))
    dock.edit_service_action.trigger()
    assert labels(dock.tree.invisibleRootItem().child(4)) == ["Orion Nord"]

    monkeypatch.setattr(dock, "confirm", lambda question: False)
    dock.remove_service_action.trigger()
    assert len(catalog.user_services()) == 1
    monkeypatch.setattr(dock, "confirm", lambda question: "Orion Nord" in question)
    dock.remove_service_action.trigger()
    assert catalog.user_services() == []
    assert labels(dock.tree.invisibleRootItem().child(4)) == []


def test_portal_and_download_open_in_the_browser(dock, monkeypatch):
    opened = []
    monkeypatch.setattr("herne_twin_plugin.gui.catalog_dock.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()))
    dock.select_service("herne-open-data")
    assert dock.open_action.isEnabled() and not dock.test_action.isEnabled()
    dock.open_action.trigger()
    dock.select_service("nrw-lod2-tiles")
    dock.open_action.trigger()
    assert opened == ["https://open.herne.de",
                      "https://www.opengeodata.nrw.de/produkte/geobasis/3dg/lod2_gml/lod2_gml/"]


def test_close_connections_cancels_tests_and_disconnects(dock, catalog, fixture_server, qtbot):  # noqa: F811
    own = catalog.add_user_service(ServiceEntry("Haengt", ServiceType.WMS, fixture_server.url("/hang")))
    dock.select_service(own.service_id)
    click(qtbot, dock, dock.test_action)
    qtbot.waitUntil(lambda: any(path.startswith("/hang") for path in fixture_server.paths()), timeout=5000)
    assert dock.running_checks() == 1
    assert catalog.receivers(catalog.changed) == 1
    dock.close_connections()
    assert dock.running_checks() == 0
    assert catalog.receivers(catalog.changed) == 0
    catalog.add_user_service(ServiceEntry("Neu", ServiceType.WMS, fixture_server.url("/wms")))
    assert labels(dock.tree.invisibleRootItem().child(4)) == ["Haengt"]  # no longer follows the catalog


def test_dialog_keeps_bad_input_open_with_the_reason(catalog, qtbot):
    dialog = ServiceDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Kanalkataster")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("wfs"))
    versions = [dialog.version_combo.itemText(index) for index in range(dialog.version_combo.count())]
    assert versions == ["1.1.0", "2.0.0", "1.0.0"]
    dialog.url_edit.setText("geodaten.herne.de/geoserver/ows")
    dialog.accept()
    assert dialog.result() != QDialog.Accepted
    assert not dialog.error_label.isHidden()
    assert "no scheme" in dialog.error_label.text()
    dialog.url_edit.setText("https://user:geheim@geodaten.herne.de/geoserver/ows")
    dialog.accept()
    assert "authentication configuration" in dialog.error_label.text()
    assert "geheim" not in dialog.error_label.text()

    dialog.url_edit.setText("https://geodaten.herne.de/geoserver/ows?")
    dialog.version_combo.setCurrentText("2.0.0")
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    assert (dialog.service().url, dialog.service().version) == ("https://geodaten.herne.de/geoserver/ows?", "2.0.0")
    assert catalog.user_services() == []  # the dialog validates; the dock stores


def test_dialog_shows_the_options_of_the_type(catalog, qtbot):
    dialog = ServiceDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("ngsi"))
    visible = {key for key, edit in dialog.option_edits.items() if not edit.isHidden()}
    assert visible == {"fiware_service", "fiware_servicepath"}
    assert dialog.version_combo.isHidden()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("mqtt"))
    assert {key for key, edit in dialog.option_edits.items() if not edit.isHidden()} == {"topic"}

    entry = ServiceEntry("TTN", ServiceType.MQTT, "mqtts://eu1.cloud.thethings.network:8883",
                         options={"topic": "v3/+/devices/+/up"}, service_id="user-1")
    edit = ServiceDialog(catalog, entry)
    qtbot.addWidget(edit)
    assert edit.windowTitle() == "Edit service"
    assert (edit.entry().url, edit.entry().options, edit.entry().service_id) == (
        entry.url, entry.options, "user-1")
