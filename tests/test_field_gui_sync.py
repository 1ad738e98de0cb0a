"""The sync dialog as an inspector uses it: the package of the open project is chosen, the dry
run lists per layer what a sync would do (and writes nothing), receipts of the last sync with
the message-bar summary, the way to the conflicts, and clear refusals."""

import os
import threading

import pytest
from field_gui_support import (
    FakeSync,
    FeatureAction,
    LayerPlan,
    Receipt,
    SyncPlan,
    edit_conflict,
    make_package,
    now_iso,
)
from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt

from herne_twin_plugin.gui.field.conflict_dialog import ConflictDialog
from herne_twin_plugin.gui.field.sync_dialog import SyncDialog

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("hernetwin_provider")]  # Processing set up first


@pytest.fixture
def package(tmp_path):
    return make_package(tmp_path)


@pytest.fixture
def project(qgis_new_project):
    project = QgsProject.instance()
    yield project
    project.removeAllMapLayers()


def plan():
    return SyncPlan(layers=[
        LayerPlan("street_lights", pushes=["light-0001", "light-0003"], pulls=["light-0005"],
                  conflicts=["light-0002"]),
        LayerPlan("inspections", pushes=["i-1", "i-2", "i-3"], notes=["the server added the column 'remark'"]),
    ], actions=[
        FeatureAction("street_lights", "light-0001", "push_update", "update", "applied", fields=("wattage_w",)),
        FeatureAction("street_lights", "light-0002", "conflict", "update", "conflict", "edited here and on the server"),
    ])


def receipts():
    return [Receipt("s1", "street_lights", "light-0001", "update", "applied", "", now_iso(0)),
            Receipt("s2", "street_lights", "light-0001", "update", "applied", "", now_iso(10)),
            Receipt("s2", "street_lights", "light-0003", "update", "merged", "", now_iso(10)),
            Receipt("s2", "street_lights", "light-0002", "update", "conflict", "edited on both sides", now_iso(10)),
            Receipt("s2", "inspections", "i-1", "insert", "rejected", "condition must be 1-5", now_iso(10))]


@pytest.fixture
def dialog(qgis_iface, project, package, messages):
    dialog = SyncDialog(qgis_iface, qgis_iface.mainWindow(), project=project, package=package,
                        sync_api=FakeSync(conflicts=[edit_conflict()], receipts=receipts(), plan=plan()))
    dialog.show()
    yield dialog
    if dialog.task is not None:
        dialog.cancel()
        dialog.task.waitForFinished(30000)
    dialog.close()
    dialog.deleteLater()


def test_the_package_of_the_open_project_is_chosen(qgis_iface, project, package):
    lights = QgsVectorLayer(package + "|layername=street_lights", "Straßenleuchten", "ogr")
    assert lights.isValid()
    project.addMapLayer(lights)
    dialog = SyncDialog(qgis_iface, project=project, sync_api=FakeSync())
    assert dialog.package.filePath() == package
    assert dialog.windowTitle() == "Synchronise field package"
    dialog.deleteLater()


def test_the_dry_run_lists_per_layer_what_a_sync_would_do(dialog, qtbot, messages):
    progress = []
    dialog.progress.valueChanged.connect(lambda value: progress.append((value, threading.current_thread())))
    qtbot.mouseClick(dialog.dry_run_button, Qt.LeftButton)
    assert not dialog.sync_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    assert dialog.plan_box.isVisible() and dialog.tabs.currentWidget() is dialog.plan_box
    rows = [tuple(dialog.plan_table.item(r, c).text() for c in range(5)) for r in range(dialog.plan_table.rowCount())]
    assert rows == [("Straßenleuchten", "2", "1", "1", ""),
                    ("inspections", "3", "0", "0", "the server added the column 'remark'")]
    assert any("5 to send, 1 from the server, 1 conflict" in m for m in messages[Qgis.Info])
    # and per feature, as the receipts would say (with the feature's street from the package)
    assert [row[:6] for row in dialog.planned.visible_rows()] == [
        ("Straßenleuchten", "light-0001", "Bahnhofstraße", "changed", "applied", "wattage_w"),
        ("Straßenleuchten", "light-0002", "Bahnhofstraße", "changed", "conflict", "edited here and on the server")]
    # besides reading the package's receipts and conflicts, only the plan was asked for
    assert [call[0] for call in dialog.sync.calls if call[0] not in ("receipts", "open_conflicts")] == ["plan_sync"]
    assert 50 in [value for value, _thread in progress]  # the engine's progress reached the bar
    assert all(thread is threading.main_thread() for _value, thread in progress)  # on the UI thread only
    assert dialog.sync_button.isEnabled() and not dialog.cancel_button.isEnabled()


def test_a_failing_dry_run_says_why(dialog, qtbot, messages):
    dialog.sync.plan = ValueError("the server 127.0.0.1 refused the connection")
    assert dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    assert "refused the connection" in dialog.status.text()
    assert any("The dry run failed" in m for m in messages[Qgis.Critical])
    assert not dialog.tabs.isTabEnabled(0)


def test_receipts_of_the_latest_sync_with_the_summary_and_the_way_to_the_conflicts(dialog, messages):
    # opened on a package that was synced before: its last receipts and open conflicts at once
    assert len(dialog.receipts.visible_rows()) == 4 and dialog.conflicts_button.isEnabled()
    dialog.chosen_package()
    shown = dialog.show_receipts()
    assert {receipt.sync_id for receipt in shown} == {"s2"}
    # described as the package has the light (its street), also the one deleted in the package
    assert dialog.receipts.visible_rows()[2][:5] == (
        "Straßenleuchten", "light-0002", "Bahnhofstraße", "changed", "conflict")
    assert dialog.receipts.counts_label.text() == "1 applied, 1 merged, 1 conflict, 1 rejected"
    assert dialog.refresh_conflicts() == 1
    assert dialog.conflicts_button.isEnabled() and "(1)" in dialog.conflicts_button.text()
    conflicts = dialog.open_conflicts()
    assert isinstance(conflicts, ConflictDialog) and conflicts.conflict_list.topLevelItemCount() == 1
    conflicts.choose_all("mine")
    assert conflicts.apply()
    conflicts.close()
    sip.delete(conflicts)  # its map canvas must not outlive the test (see field_gui_support)
    assert not dialog.conflicts_button.isEnabled()


def test_unsaved_edits_in_the_package_stop_the_sync_before_it_starts(dialog, project, package, messages):
    lights = QgsVectorLayer(package + "|layername=street_lights", "Straßenleuchten", "ogr")
    # once in a full CI run GDAL found the fresh package without its gpkg_contents: say so, not StopIteration
    assert lights.isValid() and lights.featureCount() == 6, (lights.isValid(), lights.featureCount(), package)
    project.addMapLayer(lights)
    lights.startEditing()
    feature = next(lights.getFeatures())
    lights.changeAttributeValue(feature.id(), lights.fields().indexOf("street"), "Neue Straße")
    assert dialog.start_sync() is False
    assert dialog.task is None
    assert any("Straßenleuchten" in m and "Save or discard" in m for m in messages[Qgis.Warning])
    lights.rollBack()


def test_a_path_that_is_no_field_package_is_refused_with_its_reason(dialog, tmp_path, messages):
    dialog.package.setFilePath(str(tmp_path / "nowhere.gpkg"))
    assert dialog.start_dry_run() is False and dialog.start_sync() is False
    assert any("nowhere.gpkg does not exist" in m for m in messages[Qgis.Warning])
    dialog.package.setFilePath("")
    assert dialog.start_dry_run() is False
    assert "Choose a field package" in dialog.status.text()
    assert not [call for call in dialog.sync.calls if call[0] == "plan_sync"]
    assert not os.path.exists(tmp_path / "nowhere.gpkg")


def test_a_server_that_does_not_answer_keeps_the_edit_and_says_why(
        qgis_iface, project, package, messages, qtbot, hernetwin_provider):
    """The real hernetwin:syncfield against a port where no server listens (127.0.0.1:9)."""
    from herne_twin_plugin.core.field import journal

    journal.install(package, "street_lights", "light_uuid")
    connection = journal.connect(package)
    connection.execute("BEGIN")
    connection.execute("UPDATE street_lights SET wattage_w = 18 WHERE light_uuid = 'light-0001'")
    connection.execute("COMMIT")
    connection.close()
    dialog = SyncDialog(qgis_iface, project=project, package=package)
    dialog.show()
    try:
        assert dialog.start_sync()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=120000)
        warnings = messages[Qgis.Warning] + messages[Qgis.Critical]
        assert warnings and any("kept in the package" in m or "Nothing is lost" in m for m in warnings), messages
        assert not messages[Qgis.Success]
        assert [change.feature_key for change in journal.pending_changes(package)] == ["light-0001"]
    finally:
        dialog.close()


class _SlowPlan(FakeSync):
    """A dry run that only ends when it is cancelled."""

    def plan_sync(self, package, transport_factory=None, feedback=None):
        import time

        while not feedback.isCanceled():
            time.sleep(0.01)
        return None


def test_cancel_stops_the_dry_run(qgis_iface, project, package, messages, qtbot):
    dialog = SyncDialog(qgis_iface, project=project, package=package, sync_api=_SlowPlan())
    dialog.show()
    try:
        assert dialog.start_dry_run() and dialog.cancel_button.isEnabled()
        qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
        assert any("cancelled" in m for m in messages[Qgis.Info])
        assert dialog.dry_run_button.isEnabled() and not dialog.tabs.isTabEnabled(0)
    finally:
        dialog.close()


def test_features_are_described_as_the_package_has_them_also_when_deleted_there(package):
    from herne_twin_plugin.core.field import journal
    from herne_twin_plugin.gui.field.field_package import feature_descriptions

    journal.install(package, "street_lights", "light_uuid")
    connection = journal.connect(package)
    connection.execute("BEGIN")
    connection.execute("UPDATE street_lights SET street = 'Hauptstraße' WHERE light_uuid = 'light-0001'")
    connection.execute("DELETE FROM street_lights WHERE light_uuid = 'light-0003'")
    connection.execute("COMMIT")
    connection.close()
    assert feature_descriptions(package, [("street_lights", "light-0001"), ("street_lights", "light-0003"),
                                          ("street_lights", "nowhere"), ("no_such_layer", "x")]) == {
        ("street_lights", "light-0001"): "Hauptstraße", ("street_lights", "light-0003"): "Bahnhofstraße"}


def test_unload_stops_a_running_dry_run_and_leaves_the_dialog_alone(qgis_iface, project, package):
    dialog = SyncDialog(qgis_iface, project=project, package=package, sync_api=_SlowPlan())
    assert dialog.start_dry_run()
    task = dialog.task
    assert dialog.close_connections()
    assert dialog.task is None and task.status() in (task.Terminated, task.Complete)
    dialog.deleteLater()
