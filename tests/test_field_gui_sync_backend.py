"""The sync and conflict dialogs on the real engine against the real local backend (QGIS
Server WFS-T): an inspector's offline edits and an office user's edit of the same street
light; the dry run lists what would happen and changes nothing, "Synchronise" runs
hernetwin:syncfield in the background and shows the receipts, the conflict is decided in the
conflict dialog with a typed value, and the next sync puts exactly that value on the server."""

import pytest
from field_support import LIGHTS, make_template_package, package_gpkg
from field_sync_support import edit_gpkg
from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt

from herne_twin_plugin.core.field import journal, sync
from herne_twin_plugin.gui.field.conflict_dialog import ConflictDialog
from herne_twin_plugin.gui.field.field_package import layer_titles, read_manifest
from herne_twin_plugin.gui.field.sync_dialog import SyncDialog

pytestmark = pytest.mark.gui


def _journal_state(gpkg):
    connection = journal.connect(gpkg)
    try:
        return connection.execute("SELECT seq, pushed FROM hernetwin_journal ORDER BY seq").fetchall()
    finally:
        connection.close()


def _wait(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.task is None, timeout=120000)


def test_dry_run_sync_and_a_decided_conflict_through_the_dialogs(
        city_backend, server_tables, hernetwin_provider, qgis_iface, qtbot, messages, tmp_path):
    server_tables.reset()
    gpkg = package_gpkg(make_template_package(city_backend, "wfs", tmp_path / "begehung"))
    connection = journal.connect(gpkg)
    merged_key, conflict_key = [row[0] for row in connection.execute(
        "SELECT light_uuid FROM street_lights ORDER BY light_uuid LIMIT 2")]
    connection.close()
    edit_gpkg(gpkg, "UPDATE street_lights SET lamp_type = 'LED 4000K' WHERE light_uuid = ?", merged_key)
    edit_gpkg(gpkg, "UPDATE street_lights SET wattage_w = 31 WHERE light_uuid = ?", conflict_key)
    server_tables.office_edit(LIGHTS, merged_key, street="Mont-Cenis-Straße Süd")
    server_tables.office_edit(LIGHTS, conflict_key, wattage_w=77)
    before = server_tables.snapshots()
    journal_before = _journal_state(gpkg)

    dialog = SyncDialog(qgis_iface, package=gpkg)
    dialog.show()
    try:
        # the dry run: per layer what would happen, and nothing changes anywhere
        qtbot.mouseClick(dialog.dry_run_button, Qt.LeftButton)
        _wait(qtbot, dialog)
        rows = {dialog.plan_table.item(r, 0).text(): tuple(int(dialog.plan_table.item(r, c).text())
                                                           for c in (1, 2, 3))
                for r in range(dialog.plan_table.rowCount())}
        titles = layer_titles(read_manifest(gpkg))
        assert rows == {titles[LIGHTS]: (1, 0, 1), titles["inspections"]: (0, 0, 0)}, dialog.status.text()
        assert {(row[1], row[4]) for row in dialog.planned.visible_rows()} == {
            (merged_key, "merged"), (conflict_key, "conflict")}
        assert server_tables.snapshots() == before
        assert _journal_state(gpkg) == journal_before and sync.receipts(gpkg) == []

        # the sync: receipts per feature, the summary, the way to the conflict
        qtbot.mouseClick(dialog.sync_button, Qt.LeftButton)
        _wait(qtbot, dialog)
        shown = {(row[1], row[4]) for row in dialog.receipts.visible_rows()}
        assert shown == {(merged_key, "merged"), (conflict_key, "conflict")}, dialog.status.text()
        described = {row[1]: row[2] for row in dialog.receipts.visible_rows()}
        assert described[merged_key].endswith("Mont-Cenis-Straße Süd")  # the light's number, then its street
        assert any("1 merged, 1 conflict" in m for m in messages[Qgis.Warning])
        assert dialog.conflicts_button.isEnabled()
        merged, _ = server_tables.row(LIGHTS, merged_key)
        assert (merged["lamp_type"], merged["street"]) == ("LED 4000K", "Mont-Cenis-Straße Süd")
        assert server_tables.row(LIGHTS, conflict_key)[0]["wattage_w"] == 77  # never overwritten

        # the conflict, side by side, decided with a typed value
        conflicts = ConflictDialog(gpkg, iface=qgis_iface)
        conflicts.show()
        assert [conflicts.conflict_list.topLevelItem(0).text(1)] == [conflict_key]
        row = next(r for r in range(conflicts.table.rowCount()) if conflicts.table.item(r, 0).text() == "wattage_w")
        base = conflicts.table.item(row, 1).text()
        assert (conflicts.table.item(row, 2).text(), conflicts.table.item(row, 3).text()) == ("31", "77")
        assert base not in ("31", "77")
        conflicts.decisions["wattage_w"].editor.setValue(55)
        qtbot.mouseClick(conflicts.apply_button, Qt.LeftButton)
        assert conflicts.conflict_list.topLevelItemCount() == 0
        assert sync.open_conflicts(gpkg) == []
        conflicts.close()

        # the next sync sends exactly the decision
        dialog.refresh_conflicts()
        assert not dialog.conflicts_button.isEnabled()
        qtbot.mouseClick(dialog.sync_button, Qt.LeftButton)
        _wait(qtbot, dialog)
        assert [(row[1], row[4]) for row in dialog.receipts.visible_rows()] == [(conflict_key, "applied")]
        assert server_tables.row(LIGHTS, conflict_key)[0]["wattage_w"] == 55
        assert any(m.endswith(":1 applied") for m in messages[Qgis.Success]), messages
    finally:
        dialog.close()
