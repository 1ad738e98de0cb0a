"""Receipts clean-up as the inspector sees it (issue 5): after a sync through the dialog the
package keeps the receipts of the last N syncs (setting) and the receipts tab says how many
older ones were removed; the receipt of an edit not yet confirmed stays."""

import pytest
from field_gui_support import make_package
from qgis.core import QgsProject, QgsSettings
from test_field_receipts import add_syncs, receipts_of

from herne_twin_plugin.core.field import journal
from herne_twin_plugin.core.field import receipts as receipt_store
from herne_twin_plugin.core.field.receipts import ERROR, Pruned
from herne_twin_plugin.core.settings import PluginSettings
from herne_twin_plugin.gui.field.receipts_view import ReceiptsView
from herne_twin_plugin.gui.field.sync_dialog import SyncDialog

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("hernetwin_provider")]  # Processing set up first


@pytest.fixture
def keep_three(qgis_app):
    settings = PluginSettings(QgsSettings())
    settings.set_value(receipt_store.KEEP_SYNCS_KEY, 3)
    yield 3
    settings.remove(receipt_store.KEEP_SYNCS_KEY)


def test_the_view_says_how_many_older_receipts_were_removed(qgis_app):
    view = ReceiptsView()
    try:
        view.set_removed(Pruned(), 20)
        assert view.removed_label.isHidden()
        view.set_removed(Pruned(receipts=45, syncs=15, protected=0), 20)
        assert not view.removed_label.isHidden()
        text = view.removed_label.text()
        assert "45" in text and "15" in text and "20" in text
        view.set_removed(Pruned(receipts=45, syncs=14, protected=2), 20)
        assert "2" in view.removed_label.text().split(".", 1)[1]  # the ones kept are named too
    finally:
        view.deleteLater()


def test_a_sync_in_the_dialog_keeps_the_last_syncs_and_shows_what_was_removed(
        qgis_iface, qgis_new_project, tmp_path, messages, qtbot, keep_three):
    """The real hernetwin:syncfield against a port where no server listens (127.0.0.1:9): the
    edit is kept (error receipt), older syncs' receipts go but for the unconfirmed edit's."""
    package = make_package(tmp_path)
    journal.install(package, "street_lights", "light_uuid")
    add_syncs(package, 6, outcomes={(0, "light-0001"): ERROR})  # s000..s005, three lights each
    connection = journal.connect(package)
    connection.execute("UPDATE street_lights SET wattage_w = 18 WHERE light_uuid = 'light-0001'")
    connection.close()
    dialog = SyncDialog(qgis_iface, project=QgsProject.instance(), package=package)
    dialog.show()
    try:
        assert dialog.receipts.removed_label.isHidden()  # nothing removed yet
        assert dialog.start_sync()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=120000)
        # The server was not reached: this sync has no receipt, the last three with receipts stay,
        # and of s000 the error receipt of the edit still waiting for the server.
        syncs = {receipt.sync_id for receipt in receipt_store.read(package)}
        assert syncs == {"s000", "s003", "s004", "s005"}
        assert receipts_of(package, "light-0001")[0] == ("s000", ERROR)  # the unconfirmed edit's reason stays
        removed = receipt_store.removed_so_far(package)
        assert (removed.receipts, removed.syncs, removed.protected) == (2 + 2 * 3, 2, 1)
        label = dialog.receipts.removed_label
        assert not label.isHidden() and "8 " in label.text() and "last 3 syncs" in label.text()
        assert [change.feature_key for change in journal.pending_changes(package)] == ["light-0001"]
    finally:
        dialog.close()
        dialog.deleteLater()
