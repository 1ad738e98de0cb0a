"""Receipts clean-up (issue 5): a package keeps the receipts of its last N syncs; older ones go,
except every receipt a person still needs: of a conflict still open, of an edit the server
has not confirmed yet. Each clean-up is counted, for the receipts view."""

import os

import pytest
from field_gui_support import make_package
from qgis.core import QgsSettings

from herne_twin_plugin.core.field import conflicts, journal
from herne_twin_plugin.core.field import receipts as receipt_store
from herne_twin_plugin.core.field.receipts import APPLIED, CONFLICT, ERROR, Receipt
from herne_twin_plugin.core.settings import PluginSettings


def add_syncs(gpkg, count, first=0, outcomes=None):
    """``count`` syncs of three lights each (light-0000..0002), oldest first; sync ids s000, s001, ..."""
    outcomes = outcomes or {}
    with journal.write_transaction(gpkg) as connection:
        receipt_store.create_table(connection)
        for number in range(first, first + count):
            for light in range(3):
                key = "light-{:04d}".format(light)
                receipt_store.add(connection, Receipt(
                    "s{:03d}".format(number), "street_lights", key, "update",
                    outcomes.get((number, key), APPLIED), "", "2026-11-{:02d}T08:00:00Z".format(1 + number % 28)))


def sync_ids(gpkg):
    return sorted({receipt.sync_id for receipt in receipt_store.read(gpkg)})


def receipts_of(gpkg, key):
    return [(receipt.sync_id, receipt.outcome) for receipt in receipt_store.read(gpkg) if receipt.key == key]


@pytest.fixture
def package(tmp_path):
    gpkg = make_package(tmp_path, basemap=False)
    journal.install(gpkg, "street_lights", "light_uuid")
    return gpkg


def test_only_the_last_syncs_are_kept_and_the_clean_up_is_counted(package):
    add_syncs(package, 25)
    pruned = receipt_store.prune(package, keep=20)
    assert sync_ids(package) == ["s{:03d}".format(number) for number in range(5, 25)]
    assert (pruned.receipts, pruned.syncs, pruned.protected) == (15, 5, 0)
    assert receipt_store.removed_so_far(package) == receipt_store.Pruned(15, 5, 0)
    # Nothing more to remove; later clean-ups add up.
    assert receipt_store.prune(package, keep=20) == receipt_store.Pruned()
    add_syncs(package, 2, first=25)
    receipt_store.prune(package, keep=20)
    assert sync_ids(package)[0] == "s007"
    assert receipt_store.removed_so_far(package) == receipt_store.Pruned(21, 7, 0)


def test_the_receipt_of_a_conflict_still_open_is_never_removed(package):
    add_syncs(package, 6, outcomes={(0, "light-0001"): CONFLICT})
    with journal.write_transaction(package) as connection:
        conflicts.create_table(connection)
        connection.execute(
            "INSERT INTO {} (table_name, feature_key, conflicts, server_version, detected_at, sync_id) "
            "VALUES ('street_lights', 'light-0001', '[]', '', '2026-11-01T08:00:00Z', 's000')".format(
                conflicts.CONFLICTS_TABLE))
    pruned = receipt_store.prune(package, keep=2)
    assert receipts_of(package, "light-0001") == [("s000", CONFLICT), ("s004", APPLIED), ("s005", APPLIED)]
    assert [sync for sync, _ in receipts_of(package, "light-0000")] == ["s004", "s005"]
    assert (pruned.receipts, pruned.syncs, pruned.protected) == (11, 3, 1)  # s000 keeps its conflict's receipt
    # Decided: the conflict is gone, its old receipts go at the next clean-up.
    with journal.write_transaction(package) as connection:
        conflicts.remove(connection, "street_lights", "light-0001")
    receipt_store.prune(package, keep=2)
    assert [sync for sync, _ in receipts_of(package, "light-0001")] == ["s004", "s005"]


def test_the_receipts_of_an_edit_not_yet_confirmed_stay(package):
    add_syncs(package, 4, outcomes={(0, "light-0002"): ERROR})
    connection = journal.connect(package)
    connection.execute("UPDATE street_lights SET wattage_w = 99 WHERE light_uuid = 'light-0002'")  # journaled
    connection.close()
    assert [change.feature_key for change in journal.pending_changes(package)] == ["light-0002"]
    receipt_store.prune(package, keep=1)
    assert receipts_of(package, "light-0002") == [("s000", ERROR), ("s003", APPLIED)]  # the error tells why
    assert receipts_of(package, "light-0000") == [("s003", APPLIED)]
    # Confirmed at last: the old error receipt goes at the next clean-up.
    connection = journal.connect(package)
    seqs = [row[0] for row in connection.execute("SELECT seq FROM {} WHERE pushed = 0".format(journal.JOURNAL_TABLE))]
    connection.close()
    journal.mark_pushed(package, seqs)
    add_syncs(package, 1, first=4)
    receipt_store.prune(package, keep=1)
    assert receipts_of(package, "light-0002") == [("s004", APPLIED)]


def test_a_package_without_receipts_or_old_syncs_is_left_as_it_is(package, tmp_path):
    assert receipt_store.prune(package, keep=3) == receipt_store.Pruned()
    add_syncs(package, 3)
    before = os.path.getsize(package), receipt_store.read(package)
    assert receipt_store.prune(package, keep=3) == receipt_store.Pruned()
    assert receipt_store.read(package) == before[1]
    assert receipt_store.removed_so_far(str(tmp_path / "nicht_da.gpkg")) == receipt_store.Pruned()
    assert not (tmp_path / "nicht_da.gpkg").exists()


@pytest.mark.parametrize("keep", [0, -1, 2.5, "20", True])
def test_a_number_of_syncs_below_one_or_not_whole_is_refused(package, keep):
    with pytest.raises(ValueError, match="at least the last sync"):
        receipt_store.prune(package, keep=keep)


def test_the_setting_decides_how_many_syncs_are_kept(package, qgis_app):
    settings = PluginSettings(QgsSettings())
    try:
        settings.set_value(receipt_store.KEEP_SYNCS_KEY, 3)
        assert receipt_store.keep_syncs() == 3
        add_syncs(package, 5)
        receipt_store.prune(package)
        assert sync_ids(package) == ["s002", "s003", "s004"]
        for bad in ("", "abc", "0", "-4"):
            settings.set_value(receipt_store.KEEP_SYNCS_KEY, bad)
            assert receipt_store.keep_syncs() == receipt_store.DEFAULT_KEEP_SYNCS
    finally:
        settings.remove(receipt_store.KEEP_SYNCS_KEY)
    assert receipt_store.keep_syncs() == receipt_store.DEFAULT_KEEP_SYNCS == 20
