"""The field sync engine against an in-process server: merges, conflicts, pulls, inserts, dry run, receipts."""

import hashlib
import os
import pathlib

import pytest
from field_sync_support import (
    FakeCity,
    edit,
    geometry_blob_sql,
    gpkg_of,
    light_key,
    make_package,
    package_rows,
    point_hex,
)

from herne_twin_plugin.core.field import journal, receipts, sync
from herne_twin_plugin.core.field.conflicts import GEOMETRY_FIELD
from herne_twin_plugin.core.field.merge import WHOLE_FEATURE, EditedValue
from herne_twin_plugin.core.field.package_store import SyncError, same_geometry

K1, K2, K3, K4, K5, K6 = (light_key(number) for number in range(1, 7))
SET_LAMP = "UPDATE street_lights SET lamp_type = ? WHERE light_uuid = ?"


@pytest.fixture
def package(tmp_path, qgis_app):
    return make_package(tmp_path)


@pytest.fixture
def city():
    return FakeCity()


def _insert_inspection(package, asset_key, notes="Mast rostig", x=387010.0, y=5711005.0):
    edit(package, "INSERT INTO inspections (asset_key, condition, notes, inspected_at, geom) VALUES (?, 3, ?, "
                  "'2026-11-26T08:00:00Z', " + geometry_blob_sql(x, y) + ")", asset_key, notes)
    connection = journal.connect(gpkg_of(package))
    try:
        return connection.execute("SELECT inspection_uuid FROM inspections WHERE notes = ?", (notes,)).fetchone()[0]
    finally:
        connection.close()


def _outcomes(report):
    return {(receipt.table, receipt.key): receipt.outcome for receipt in report.receipts}


def test_edits_that_do_not_overlap_merge_by_themselves(package, city):
    edit(package, "UPDATE street_lights SET street = 'Hauptstraße' WHERE light_uuid = ?", K2)
    city.lights.office_edit(K2, lamp_type="NAV", wattage_w=70)

    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K2)] == "merged"
    server = city.lights.state()[K2][0]
    assert (server["street"], server["lamp_type"], server["wattage_w"]) == ("Hauptstraße", "NAV", 70)
    assert package_rows(package, "street_lights")[K2][0] == server
    assert journal.pending_changes(gpkg_of(package)) == []
    assert report.pending == 0 and report.open_conflicts == 0


def test_overlapping_edits_become_a_conflict_and_nothing_is_overwritten(package, city):
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")

    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K3)] == "conflict"
    assert city.lights.state()[K3][0]["lamp_type"] == "NAV"  # the office's edit stands
    assert package_rows(package, "street_lights")[K3][0]["lamp_type"] == "LED"  # the inspector's too
    [conflict] = sync.open_conflicts(package)
    assert (conflict.table, conflict.key) == ("street_lights", K3)
    [field_conflict] = conflict.conflicts
    assert (field_conflict.field, field_conflict.base, field_conflict.mine, field_conflict.theirs) == (
        "lamp_type", "HQL", "LED", "NAV")
    assert [change.feature_key for change in journal.pending_changes(gpkg_of(package))] == [K3]
    # a second sync neither loses nor duplicates it
    again = sync.run_sync(package, city.factory)
    assert _outcomes(again)[("street_lights", K3)] == "conflict"
    assert len(sync.open_conflicts(package)) == 1


def test_a_moved_light_on_both_sides_is_a_geometry_conflict(package, city):
    edit(package, "UPDATE street_lights SET geom = {} WHERE light_uuid = ?".format(
        geometry_blob_sql(387100.0, 5711100.0)), K1)
    city.lights.office_edit(K1, geometry=point_hex(387200.0, 5711200.0))

    sync.run_sync(package, city.factory)

    [conflict] = sync.open_conflicts(package)
    assert [c.field for c in conflict.conflicts] == [GEOMETRY_FIELD]
    assert same_geometry(conflict.mine_geometry, point_hex(387100.0, 5711100.0))
    assert same_geometry(conflict.theirs_geometry, point_hex(387200.0, 5711200.0))
    assert same_geometry(city.lights.state()[K1][1], point_hex(387200.0, 5711200.0))


def test_deleted_here_and_edited_on_the_server_is_a_conflict(package, city):
    edit(package, "DELETE FROM street_lights WHERE light_uuid = ?", K4)
    city.lights.office_edit(K4, wattage_w=50)

    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K4)] == "conflict"
    assert K4 in city.lights.state()
    [conflict] = sync.open_conflicts(package)
    assert conflict.kind == "delete_vs_edit" and conflict.mine is None and conflict.theirs["wattage_w"] == 50

    sync.resolve_conflict(package, "street_lights", K4, {WHOLE_FEATURE: "theirs"})
    sync.run_sync(package, city.factory)
    assert package_rows(package, "street_lights")[K4][0]["wattage_w"] == 50
    assert K4 in city.lights.state() and journal.pending_changes(gpkg_of(package)) == []


def test_edited_here_and_deleted_on_the_server_decided_mine_comes_back(package, city):
    edit(package, SET_LAMP, "LED", K4)
    del city.lights.features[K4]

    sync.run_sync(package, city.factory)
    [conflict] = sync.open_conflicts(package)
    assert conflict.theirs is None and conflict.mine["lamp_type"] == "LED"
    assert package_rows(package, "street_lights")[K4][0]["lamp_type"] == "LED"

    sync.resolve_conflict(package, "street_lights", K4, {WHOLE_FEATURE: "mine"})
    report = sync.run_sync(package, city.factory)
    assert _outcomes(report)[("street_lights", K4)] == "applied"
    assert city.lights.state()[K4][0]["lamp_type"] == "LED"
    assert sync.open_conflicts(package) == [] and journal.pending_changes(gpkg_of(package)) == []


def test_a_delete_reaches_the_server_when_nobody_else_touched_the_light(package, city):
    edit(package, "DELETE FROM street_lights WHERE light_uuid = ?", K4)
    report = sync.run_sync(package, city.factory)
    assert _outcomes(report)[("street_lights", K4)] == "applied"
    assert K4 not in city.lights.state()


def test_server_inserts_deletes_and_edits_in_the_area_reach_the_package_unjournaled(package, city):
    new_key = city.lights.put({"light_uuid": "b0000000-0000-4000-8000-000000000001", "street": "Neustraße",
                               "lamp_type": "LED", "wattage_w": 20, "last_inspection": None}, (387500.0, 5711500.0))
    city.lights.put({"light_uuid": "b0000000-0000-4000-8000-000000000002", "street": "Fernweg",
                     "lamp_type": "LED", "wattage_w": 20, "last_inspection": None}, (399000.0, 5719000.0))
    del city.lights.features[K5]
    city.lights.office_edit(K6, wattage_w=45)

    report = sync.run_sync(package, city.factory)

    rows = package_rows(package, "street_lights")
    assert new_key in rows and rows[new_key][0]["street"] == "Neustraße"
    assert "b0000000-0000-4000-8000-000000000002" not in rows  # outside the package's area
    assert K5 not in rows
    assert rows[K6][0]["wattage_w"] == 45
    assert {receipt.outcome for receipt in report.receipts} == {"pulled"}
    assert journal.pending_changes(gpkg_of(package)) == []  # the server's changes are no inspector's edits
    # and an inspector's later edit of the pulled light starts from the server's state
    edit(package, "UPDATE street_lights SET wattage_w = 40 WHERE light_uuid = ?", K6)
    [change] = journal.pending_changes(gpkg_of(package))
    assert change.base["wattage_w"] == 45 and change.changed == ("wattage_w",)


def test_a_light_moved_out_of_the_area_leaves_the_package_unless_it_has_an_edit(package, city):
    city.lights.office_edit(K5, geometry=point_hex(399000.0, 5719000.0))
    city.lights.office_edit(K6, geometry=point_hex(399100.0, 5719100.0))
    edit(package, SET_LAMP, "LED", K6)

    report = sync.run_sync(package, city.factory)

    outcomes = _outcomes(report)
    assert outcomes[("street_lights", K5)] == "pulled"
    assert outcomes[("street_lights", K6)] == "merged"  # the edit is pushed, the move merged in
    rows = package_rows(package, "street_lights")
    assert K5 not in rows
    assert city.lights.state()[K6][0]["lamp_type"] == "LED"
    assert same_geometry(rows[K6][1], point_hex(399100.0, 5719100.0))
    sync.run_sync(package, city.factory)  # no edit left: now it leaves the package too
    assert K6 not in package_rows(package, "street_lights")


def test_an_insert_is_created_once_even_when_its_answer_is_lost(package, city):
    key = _insert_inspection(package, K1)
    city.inspections.fault("insert", 1, "timeout_after")  # applied, but the answer never came

    report = sync.run_sync(package, city.factory, retry_delay_s=0)

    assert _outcomes(report)[("inspections", key)] == "already_applied"
    assert city.inspections.insert_count == 1 and list(city.inspections.state()) == [key]
    assert city.inspections.state()[key][0]["asset_key"] == K1
    assert journal.pending_changes(gpkg_of(package)) == []
    sync.run_sync(package, city.factory)
    assert city.inspections.insert_count == 1


def test_dry_run_writes_nothing_and_says_what_a_sync_would_do(package, city):
    edit(package, SET_LAMP, "LED", K1)
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")
    city.lights.office_edit(K5, wattage_w=70)
    key = _insert_inspection(package, K1)
    path = gpkg_of(package)
    before = hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
    server_before = city.state()

    plan = sync.plan_sync(package, city.factory)

    assert hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest() == before
    assert city.state() == server_before
    assert {call[0] for call in city.lights.calls + city.inspections.calls} <= {
        "server_fields", "features_in_area", "features_by_key"}
    actions = {(action.table, action.key): action.action for action in plan.actions}
    assert actions == {("street_lights", K1): "push_update", ("street_lights", K3): "conflict",
                       ("street_lights", K5): "pull_update", ("inspections", key): "push_insert"}
    assert plan.counts() == {"applied": 2, "conflict": 1, "pulled": 1}
    # the sync then does exactly that
    report = sync.run_sync(package, city.factory)
    assert report.counts["applied"] == 2 and report.counts["conflict"] == 1 and report.counts["pulled"] == 1


def test_receipts_are_kept_in_the_package_per_sync(package, city, tmp_path):
    edit(package, SET_LAMP, "LED", K1)
    first = sync.run_sync(package, city.factory)
    edit(package, SET_LAMP, "NAV", K2)
    second = sync.run_sync(package, city.factory)

    assert [(r.key, r.outcome) for r in sync.receipts(package, first.sync_id)] == [(K1, "applied")]
    assert [(r.key, r.outcome) for r in sync.receipts(package, second.sync_id)] == [(K2, "applied")]
    assert len(sync.receipts(package)) == 2 and receipts.last_sync_id(gpkg_of(package)) == second.sync_id
    csv_path = receipts.write_csv(sync.receipts(package), str(tmp_path / "receipts.csv"))
    lines = pathlib.Path(csv_path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("sync_id,layer,key,operation,outcome") and len(lines) == 3


def test_a_conflict_resolved_per_field_is_pushed_as_decided(package, city):
    edit(package, "UPDATE street_lights SET lamp_type = 'LED', wattage_w = 30, street = 'Hauptstraße' "
                  "WHERE light_uuid = ?", K3)
    city.lights.office_edit(K3, lamp_type="NAV", wattage_w=70, last_inspection="2026-11-01")
    sync.run_sync(package, city.factory)
    [conflict] = sync.open_conflicts(package)
    assert sorted(c.field for c in conflict.conflicts) == ["lamp_type", "wattage_w"]

    sync.resolve_conflict(package, "street_lights", K3, {"lamp_type": "mine", "wattage_w": EditedValue(50)})
    assert sync.open_conflicts(package) == []
    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K3)] == "applied"
    server = city.lights.state()[K3][0]
    assert (server["lamp_type"], server["wattage_w"], server["street"], server["last_inspection"]) == (
        "LED", 50, "Hauptstraße", "2026-11-01")
    assert package_rows(package, "street_lights")[K3][0] == server
    assert journal.pending_changes(gpkg_of(package)) == []


def test_a_server_edit_after_the_decision_is_a_new_conflict(package, city):
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")
    sync.run_sync(package, city.factory)
    sync.resolve_conflict(package, "street_lights", K3, {"lamp_type": "mine"})
    city.lights.office_edit(K3, lamp_type="HST")  # the office again, after the conflict was shown

    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K3)] == "conflict"
    assert city.lights.state()[K3][0]["lamp_type"] == "HST"
    [conflict] = sync.open_conflicts(package)
    assert (conflict.conflicts[0].base, conflict.conflicts[0].mine, conflict.conflicts[0].theirs) == (
        "NAV", "LED", "HST")


def test_choosing_theirs_everywhere_leaves_nothing_to_push(package, city):
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")
    sync.run_sync(package, city.factory)
    sync.resolve_conflict(package, "street_lights", K3, {"lamp_type": "theirs"})
    assert journal.pending_changes(gpkg_of(package)) == []
    assert package_rows(package, "street_lights")[K3][0]["lamp_type"] == "NAV"


def test_resolving_needs_an_open_conflict_and_every_field_decided(package, city):
    with pytest.raises(SyncError, match="no open conflict"):
        sync.resolve_conflict(package, "street_lights", K1, {"lamp_type": "mine"})
    edit(package, "UPDATE street_lights SET lamp_type = 'LED', wattage_w = 30 WHERE light_uuid = ?", K3)
    city.lights.office_edit(K3, lamp_type="NAV", wattage_w=70)
    sync.run_sync(package, city.factory)
    with pytest.raises(ValueError, match="still open: wattage_w"):
        sync.resolve_conflict(package, "street_lights", K3, {"lamp_type": "mine"})
    assert len(sync.open_conflicts(package)) == 1  # nothing half-decided


def test_a_package_that_is_not_one_is_refused_with_the_reason(tmp_path, qgis_app):
    with pytest.raises(SyncError, match="does not exist"):
        sync.run_sync(str(tmp_path / "missing"), FakeCity().factory)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SyncError, match="no single field package"):
        sync.plan_sync(str(tmp_path / "empty"), FakeCity().factory)
    plain = tmp_path / "plain.gpkg"
    connection = journal.connect(str(plain))
    connection.execute("CREATE TABLE t (a)")
    connection.close()
    with pytest.raises(SyncError, match="no package manifest"):
        sync.run_sync(str(plain), FakeCity().factory)


def test_without_etags_the_sync_compares_before_it_writes(package, tmp_path):
    city = FakeCity(etags=False)
    edit(package, SET_LAMP, "LED", K1)
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")
    report = sync.run_sync(package, city.factory)
    assert _outcomes(report)[("street_lights", K1)] == "applied"
    assert _outcomes(report)[("street_lights", K3)] == "conflict"
    assert city.lights.state()[K3][0]["lamp_type"] == "NAV"


def test_an_edit_made_while_the_sync_pushes_stays_pending_on_top_of_the_server(package, city):
    edit(package, SET_LAMP, "LED", K2)
    city.lights.office_edit(K2, street="Overwegstraße")

    def edit_during_push(name, number):
        if name == "pushed":
            edit(package, "UPDATE street_lights SET wattage_w = 20 WHERE light_uuid = ?", K2)

    sync.checkpoint_hook = edit_during_push
    try:
        sync.run_sync(package, city.factory)
    finally:
        sync.checkpoint_hook = None
    [change] = journal.pending_changes(gpkg_of(package))
    assert change.changed == ("wattage_w",)  # the server's street is not pushed back
    row = package_rows(package, "street_lights")[K2][0]
    assert (row["street"], row["lamp_type"], row["wattage_w"]) == ("Overwegstraße", "LED", 20)
    sync.run_sync(package, city.factory)
    server = city.lights.state()[K2][0]
    assert (server["street"], server["lamp_type"], server["wattage_w"]) == ("Overwegstraße", "LED", 20)


def test_a_layer_of_a_read_only_service_keeps_its_edits(package, city):
    connection = journal.connect(gpkg_of(package))
    connection.execute("UPDATE hernetwin_package_layers SET writable = 0 WHERE table_name = 'street_lights'")
    connection.close()
    edit(package, SET_LAMP, "LED", K1)
    report = sync.run_sync(package, city.factory)
    assert _outcomes(report)[("street_lights", K1)] == "error"
    assert "does not accept changes" in report.receipts[0].message
    assert city.lights.state()[K1][0]["lamp_type"] == "HQL"
    assert len(journal.pending_changes(gpkg_of(package))) == 1


def test_package_folder_and_gpkg_path_are_the_same_package(package, city):
    edit(package, SET_LAMP, "LED", K1)
    assert os.path.isdir(package)
    assert len(sync.plan_sync(gpkg_of(package), city.factory).actions) == 1
    assert len(sync.plan_sync(package, city.factory).actions) == 1


def test_photos_are_uploaded_after_the_inspections(package, city, tmp_path):
    photo = pathlib.Path(package) / "DCIM" / "insp_IMG_0001.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of a rusty mast")
    key = _insert_inspection(package, K1)
    edit(package, "UPDATE inspections SET photos = 'DCIM/insp_IMG_0001.jpg' WHERE inspection_uuid = ?", key)
    shared = tmp_path / "shared_photos"
    shared.mkdir()
    connection = journal.connect(gpkg_of(package))
    connection.execute("INSERT INTO hernetwin_package (name, value) VALUES ('attachment_target', ?)", (str(shared),))
    connection.close()

    report = sync.run_sync(package, city.factory)

    assert city.inspections.state()[key][0]["photos"] == "DCIM/insp_IMG_0001.jpg"
    uploaded = [path for path in shared.rglob("*") if path.is_file()]
    assert [path.read_bytes() for path in uploaded] == [photo.read_bytes()]
    assert any("1 uploaded" in message for message in report.messages)


def test_a_decision_about_an_edit_that_changed_since_is_refused(package, city):
    edit(package, SET_LAMP, "LED", K3)
    city.lights.office_edit(K3, lamp_type="NAV")
    sync.run_sync(package, city.factory)
    edit(package, SET_LAMP, "HST", K3)  # the inspector again, after the conflict was found

    with pytest.raises(SyncError, match="edited again"):
        sync.resolve_conflict(package, "street_lights", K3, {"lamp_type": "theirs"})

    assert package_rows(package, "street_lights")[K3][0]["lamp_type"] == "HST"
    sync.run_sync(package, city.factory)
    [conflict] = sync.open_conflicts(package)
    assert (conflict.conflicts[0].mine, conflict.conflicts[0].theirs) == ("HST", "NAV")


def test_a_journal_from_before_the_sync_guard_gets_guarded_triggers(package, city):
    connection = journal.connect(gpkg_of(package))
    connection.execute("BEGIN")
    triggers = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hernetwin_journal_%'").fetchall()
    for name, sql in triggers:
        connection.execute('DROP TRIGGER "{}"'.format(name))
        connection.execute(sql.replace(" WHEN NOT EXISTS (SELECT 1 FROM hernetwin_sync_guard)", "").replace(
            " AND NOT EXISTS (SELECT 1 FROM hernetwin_sync_guard)", ""))
    connection.execute("COMMIT")
    assert "hernetwin_sync_guard" not in " ".join(row[0] for row in connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hernetwin_journal_%'"))
    connection.close()
    city.lights.office_edit(K6, wattage_w=45)

    sync.run_sync(package, city.factory)

    assert package_rows(package, "street_lights")[K6][0]["wattage_w"] == 45
    assert journal.pending_changes(gpkg_of(package)) == []
    edit(package, SET_LAMP, "LED", K1)  # and the inspector's edits are still journaled
    assert [c.feature_key for c in journal.pending_changes(gpkg_of(package))] == [K1]


def test_one_sync_at_a_time_and_a_dead_syncs_lock_blocks_nothing(package, city):
    from qgis.PyQt.QtCore import QLockFile

    edit(package, SET_LAMP, "LED", K1)
    lock_path = gpkg_of(package) + ".sync-lock"
    held = QLockFile(lock_path)
    assert held.tryLock(0)
    try:
        with pytest.raises(SyncError, match="Another sync"):
            sync.run_sync(package, city.factory)
        with pytest.raises(SyncError, match="Another sync"):
            sync.resolve_conflict(package, "street_lights", K1, {})
    finally:
        held.unlock()
    assert city.lights.state()[K1][0]["lamp_type"] == "HQL"
    # a lock left by a process that died (pid 2**22 + 1 is above Linux's pid limit)
    pathlib.Path(lock_path).write_text("{}\npython3\n{}\n".format(2 ** 22 + 1, os.uname().nodename))
    assert sync.run_sync(package, city.factory).counts["applied"] == 1
    assert not pathlib.Path(lock_path).exists()


def test_text_typed_into_a_number_field_is_refused_by_the_server_and_kept(package, city):
    edit(package, "UPDATE street_lights SET wattage_w = 'viel' WHERE light_uuid = ?", K1)
    edit(package, SET_LAMP, "LED", K2)

    plan = sync.plan_sync(package, city.factory)
    assert {a.key: a.push_values for a in plan.actions}[K1] == {"wattage_w": "viel"}
    report = sync.run_sync(package, city.factory)

    receipts = {r.key: r for r in report.receipts}
    assert receipts[K1].outcome == "rejected" and "wattage_w: not a int" in receipts[K1].message
    assert receipts[K2].outcome == "applied"
    assert city.lights.state()[K1][0]["wattage_w"] == 125
    assert [c.feature_key for c in journal.pending_changes(gpkg_of(package))] == [K1]


def test_a_light_edited_while_the_sync_pulls_is_not_overwritten_by_the_pull(package, city):
    city.lights.office_edit(K6, wattage_w=45)

    def inspector_edits_now(name, number):
        if name == "merged":  # the sync has decided to pull K6, the inspector edits it before it does
            edit(package, SET_LAMP, "LED", K6)

    sync.checkpoint_hook = inspector_edits_now
    try:
        first = sync.run_sync(package, city.factory)
    finally:
        sync.checkpoint_hook = None
    assert ("street_lights", K6) not in _outcomes(first)
    assert package_rows(package, "street_lights")[K6][0]["lamp_type"] == "LED"
    second = sync.run_sync(package, city.factory)
    assert _outcomes(second)[("street_lights", K6)] == "merged"
    server = city.lights.state()[K6][0]
    assert (server["lamp_type"], server["wattage_w"]) == ("LED", 45)
    assert package_rows(package, "street_lights")[K6][0] == server


def test_deleted_here_edited_on_the_server_decided_mine_deletes_it_on_the_server(package, city):
    edit(package, "DELETE FROM street_lights WHERE light_uuid = ?", K4)
    city.lights.office_edit(K4, wattage_w=50)
    sync.run_sync(package, city.factory)

    sync.resolve_conflict(package, "street_lights", K4, {WHOLE_FEATURE: "mine"})
    [change] = journal.pending_changes(gpkg_of(package))
    assert (change.op, change.base["wattage_w"]) == ("delete", 50)  # against the server's state now
    report = sync.run_sync(package, city.factory)

    assert _outcomes(report)[("street_lights", K4)] == "applied"
    assert K4 not in city.lights.state() and K4 not in package_rows(package, "street_lights")
    assert journal.pending_changes(gpkg_of(package)) == [] and sync.open_conflicts(package) == []
