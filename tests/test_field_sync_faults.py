"""Nothing lost: the sync interrupted at every step, server faults, changed server schemas, cancel."""

import random
import shutil

import pytest
from field_sync_support import (
    Crash,
    CrashCounter,
    FakeCity,
    edit,
    geometry_blob_sql,
    gpkg_of,
    light_key,
    make_package,
    package_rows,
    point_hex,
)
from qgis.core import QgsFeedback

from herne_twin_plugin.core.field import journal, sync

K1, K2, K3, K4, K5, K6, K7, K8 = (light_key(number) for number in range(1, 9))
NEW_LIGHT = "c0000000-0000-4000-8000-000000000001"
SET_LAMP = "UPDATE street_lights SET lamp_type = ? WHERE light_uuid = ?"


def _edit_offline(package):
    """An inspector's day: edits that merge, one that conflicts, a delete, a move, two inserts."""
    edit(package, "UPDATE street_lights SET lamp_type = 'LED', wattage_w = 30 WHERE light_uuid = ?", K1)
    edit(package, "UPDATE street_lights SET street = 'Hauptstraße' WHERE light_uuid = ?", K2)
    edit(package, SET_LAMP, "LED", K3)
    edit(package, "DELETE FROM street_lights WHERE light_uuid = ?", K4)
    edit(package, "UPDATE street_lights SET geom = {} WHERE light_uuid = ?".format(
        geometry_blob_sql(387300.0, 5711300.0)), K7)
    edit(package, "INSERT INTO street_lights (light_uuid, street, lamp_type, wattage_w, geom) VALUES "
                  "(?, 'Neustraße', 'LED', 20, {})".format(geometry_blob_sql(387400.0, 5711400.0)), NEW_LIGHT)
    edit(package, "INSERT INTO inspections (asset_key, condition, notes, inspected_at, geom) VALUES "
                  "(?, 4, 'Leuchte defekt', '2026-11-26T09:15:00Z', {})".format(
                      geometry_blob_sql(387010.0, 5711005.0)), K1)


def _office_city(batching=False):
    """The server with the office's edits made while the inspector was out."""
    city = FakeCity()
    city.batching = batching
    city.lights.office_edit(K2, lamp_type="NAV")
    city.lights.office_edit(K3, lamp_type="NAV")
    del city.lights.features[K5]
    city.lights.office_edit(K6, wattage_w=45)
    city.lights.office_edit(K8, geometry=point_hex(399000.0, 5719000.0))
    city.lights.put({"light_uuid": "b0000000-0000-4000-8000-000000000001", "street": "Ringstraße",
                     "lamp_type": "LED", "wattage_w": 25, "last_inspection": None}, (387600.0, 5711600.0))
    return city


def _state(package, city):
    """What a user checks: the server, the package's layers, the pending edits, the open conflicts."""
    pending = sorted((c.table_name, c.feature_key, c.op, tuple(sorted(c.changed)))
                     for c in journal.pending_changes(gpkg_of(package)))
    conflicts = sorted((c.table, c.key, tuple(f.field for f in c.conflicts), str(c.mine), str(c.theirs))
                       for c in sync.open_conflicts(package))
    rows = {table: package_rows(package, table) for table in ("street_lights", "inspections")}
    return {"server": city.state(), "package": rows, "pending": pending, "conflicts": conflicts}


@pytest.fixture(scope="module")
def offline_package(tmp_path_factory, qgis_app):
    folder = tmp_path_factory.mktemp("template")
    package = make_package(folder)
    _edit_offline(package)
    return package


def _copy(template, folder):
    target = str(folder / "pkg_mitte")
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="module")
def uninterrupted(offline_package, tmp_path_factory):
    """The state after one uninterrupted sync, and the number of events (calls and checkpoints) it had."""
    package = _copy(offline_package, tmp_path_factory.mktemp("reference"))
    city = _office_city()
    counter = CrashCounter().install()
    city.set_counter(counter)
    try:
        report = sync.run_sync(package, city.factory, retry_delay_s=0)
    finally:
        CrashCounter.uninstall()
    assert report.complete and report.counts["conflict"] == 1 and report.counts["applied"] >= 4
    return _state(package, city), counter.count, counter.events


def test_the_reference_sync_lost_nothing(uninterrupted):
    state, events, names = uninterrupted
    server = state["server"]["street_lights"]
    assert server[K1][0]["lamp_type"] == "LED" and server[K2][0]["street"] == "Hauptstraße"
    assert server[K2][0]["lamp_type"] == "NAV" and server[K3][0]["lamp_type"] == "NAV"
    assert K4 not in server and NEW_LIGHT in server and len(state["server"]["inspections"]) == 1
    assert state["pending"] == [("street_lights", K3, "update", ("lamp_type",))]
    assert events >= 30 and any(name.startswith("checkpoint confirm_committing") for name in names)


def _crash_then_sync(template, folder, crash_points, batching=False):
    package = _copy(template, folder)
    city = _office_city(batching)
    for number, crash_at in enumerate(crash_points):
        counter = CrashCounter(crash_at).install()
        city.set_counter(counter)
        try:
            sync.run_sync(package, city.factory, retry_delay_s=0)
            # a run after a crash has less left to do: a later crash point may lie beyond its end
            assert number > 0 and counter.count < crash_at, "no crash at event {}".format(crash_at)
        except Crash:
            pass
        finally:
            CrashCounter.uninstall()
            city.set_counter(None)
    sync.run_sync(package, city.factory, retry_delay_s=0)
    return package, city


def test_a_sync_interrupted_at_any_step_and_run_again_ends_as_an_uninterrupted_one(
        offline_package, uninterrupted, tmp_path):
    state, events, names = uninterrupted
    for crash_at in range(1, events + 1):
        package, city = _crash_then_sync(offline_package, tmp_path / str(crash_at), [crash_at])
        assert _state(package, city) == state, "interrupted at event {} ({})".format(crash_at, names[crash_at - 1])
        assert city.lights.insert_count == 1 and city.inspections.insert_count == 1


def test_a_sync_interrupted_twice_still_ends_in_the_same_state(offline_package, uninterrupted, tmp_path):
    state, events, _ = uninterrupted
    chance = random.Random(2601)
    for trial in range(20):
        points = [chance.randint(1, events), chance.randint(1, events // 2)]  # the second run has less to do
        package, city = _crash_then_sync(offline_package, tmp_path / str(trial), points)
        assert _state(package, city) == state, "interrupted at events {}".format(points)


def test_with_batched_writes_too_an_interrupted_sync_ends_as_an_uninterrupted_one(
        offline_package, uninterrupted, tmp_path):
    state = uninterrupted[0]
    counter = CrashCounter().install()
    city = _office_city(batching=True)
    city.set_counter(counter)
    try:
        sync.run_sync(_copy(offline_package, tmp_path / "reference"), city.factory, retry_delay_s=0)
    finally:
        CrashCounter.uninstall()
    assert _state(str(tmp_path / "reference" / "pkg_mitte"), city) == state
    for crash_at in range(1, counter.count + 1):
        package, city = _crash_then_sync(offline_package, tmp_path / str(crash_at), [crash_at], batching=True)
        assert _state(package, city) == state, "interrupted at event {} ({})".format(
            crash_at, counter.events[crash_at - 1])


def _light_sync(tmp_path, city=None, **kwargs):
    package = make_package(tmp_path)
    edit(package, SET_LAMP, "LED", K1)
    edit(package, SET_LAMP, "NAV", K2)
    city = city or FakeCity()
    return package, city


def test_a_server_error_once_is_retried_and_applied_once(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("update", 1, "500")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert report.complete and report.counts["applied"] == 2
    assert city.lights.state()[K1][0]["lamp_type"] == "LED"
    assert journal.pending_changes(gpkg_of(package)) == []


def test_a_server_that_keeps_failing_stops_the_sync_and_keeps_the_edits(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    for nth in (1, 2, 3):
        city.lights.fault("update", nth, "500")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert "500" in report.stopped
    assert [(r.key, r.outcome) for r in report.receipts] == [(K1, "error")]
    assert city.lights.state()[K1][0]["lamp_type"] == "HQL" and city.lights.state()[K2][0]["lamp_type"] == "HQL"
    assert {c.feature_key for c in journal.pending_changes(gpkg_of(package))} == {K1, K2}
    again = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert again.complete and again.counts["applied"] == 2 and again.pending == 0


def test_an_injected_412_is_read_again_and_applied(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("update", 1, "412")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert report.counts["applied"] == 2 and city.lights.state()[K1][0]["lamp_type"] == "LED"


def test_an_office_edit_during_the_sync_becomes_a_conflict(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)

    def office_edits_now(name, number):
        if name == "merged":  # after the sync read the server, before it writes
            city.lights.office_edit(K1, lamp_type="HST")

    sync.checkpoint_hook = office_edits_now
    try:
        report = sync.run_sync(package, city.factory, retry_delay_s=0)
    finally:
        sync.checkpoint_hook = None
    assert {(r.key, r.outcome) for r in report.receipts} == {(K1, "conflict"), (K2, "applied")}
    assert city.lights.state()[K1][0]["lamp_type"] == "HST"
    [conflict] = sync.open_conflicts(package)
    assert (conflict.conflicts[0].mine, conflict.conflicts[0].theirs) == ("LED", "HST")


def test_a_time_out_after_the_server_applied_is_confirmed_not_repeated(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("update", 1, "timeout_after")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    outcomes = {r.key: r.outcome for r in report.receipts}
    assert outcomes == {K1: "already_applied", K2: "applied"}
    assert [call for call in city.lights.calls if call[0] == "update"] == [("update", K1), ("update", K2)]


def test_a_reset_before_a_delete_reached_the_server_is_sent_again(tmp_path, qgis_app):
    package = make_package(tmp_path)
    edit(package, "DELETE FROM street_lights WHERE light_uuid = ?", K4)
    city = FakeCity()
    city.lights.fault("delete", 1, "reset_before")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert [(r.key, r.outcome) for r in report.receipts] == [(K4, "applied")]
    assert K4 not in city.lights.state()


def test_a_rejected_edit_keeps_the_servers_reason_and_stays_pending(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("update", 1, "rejected")
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    receipts = {r.key: r for r in report.receipts}
    assert receipts[K1].outcome == "rejected" and "wattage_w must be positive" in receipts[K1].message
    assert receipts[K2].outcome == "applied"
    assert [c.feature_key for c in journal.pending_changes(gpkg_of(package))] == [K1]


def test_a_failing_read_is_retried_and_a_dead_server_leaves_the_package_as_it_was(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("features_in_area", 1, "500")
    assert sync.run_sync(package, city.factory, retry_delay_s=0).counts["applied"] == 2

    package, city = _light_sync(tmp_path / "second")
    for nth in (1, 2, 3):
        city.lights.fault("features_in_area", nth, "500")
    before = _state(package, city)
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    assert report.stopped and "street_lights" in report.stopped
    assert _state(package, city) == before


def test_a_column_added_on_the_server_is_kept(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fields.append(("district", "str"))
    for feature in city.lights.features.values():
        feature["values"]["district"] = "Herne-Mitte"
    report = sync.run_sync(package, city.factory)
    assert report.counts["applied"] == 2 and any("district" in message for message in report.messages)
    assert city.lights.state()[K1][0]["district"] == "Herne-Mitte"
    assert city.lights.state()[K1][0]["lamp_type"] == "LED"


@pytest.mark.parametrize("renamed_to", [None, "last_check"])
def test_a_column_removed_or_renamed_on_the_server_keeps_its_edits_with_a_clear_message(
        tmp_path, qgis_app, renamed_to):
    package, city = _light_sync(tmp_path)
    edit(package, "UPDATE street_lights SET last_inspection = '2026-11-26' WHERE light_uuid = ?", K3)
    city.lights.fields = [f for f in city.lights.fields if f[0] != "last_inspection"]
    if renamed_to:
        city.lights.fields.append((renamed_to, "date"))
    for feature in city.lights.features.values():
        value = feature["values"].pop("last_inspection")
        if renamed_to:
            feature["values"][renamed_to] = value

    report = sync.run_sync(package, city.factory)

    receipts = {r.key: r for r in report.receipts}
    assert receipts[K3].outcome == "error" and "last_inspection" in receipts[K3].message
    assert receipts[K1].outcome == "applied" and receipts[K2].outcome == "applied"
    assert any("last_inspection" in m and "removed or renamed" in m for m in report.messages)
    assert [c.feature_key for c in journal.pending_changes(gpkg_of(package))] == [K3]
    rows = package_rows(package, "street_lights")
    assert rows[K3][0]["last_inspection"] == "2026-11-26"
    assert rows[K4][0]["last_inspection"] is not None  # the package's values are not emptied by the pull


def test_a_key_column_gone_on_the_server_keeps_every_edit_of_the_layer(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fields = [f for f in city.lights.fields if f[0] != "light_uuid"]
    report = sync.run_sync(package, city.factory)
    assert any("key field light_uuid" in m for m in report.messages)
    assert len(journal.pending_changes(gpkg_of(package))) == 2
    assert city.lights.state()[K1][0]["lamp_type"] == "HQL"


def test_a_schema_refusal_on_write_is_an_error_receipt_and_the_edit_stays(tmp_path, qgis_app):
    package, city = _light_sync(tmp_path)
    city.lights.fault("update", 1, "schema")
    report = sync.run_sync(package, city.factory)
    assert {r.key: r.outcome for r in report.receipts} == {K1: "error", K2: "applied"}
    assert [c.feature_key for c in journal.pending_changes(gpkg_of(package))] == [K1]


class _CancelAfter(QgsFeedback):
    def __init__(self, pushes):
        super().__init__()
        self.pushes = pushes

    def setProgress(self, progress):  # noqa: N802
        super().setProgress(progress)
        self.pushes -= 1
        if self.pushes < 0:
            self.cancel()


def test_cancel_stops_between_features_and_the_next_sync_finishes(offline_package, uninterrupted, tmp_path):
    package = _copy(offline_package, tmp_path)
    city = _office_city()
    report = sync.run_sync(package, city.factory, feedback=_CancelAfter(2), retry_delay_s=0, write_batch_size=1)
    assert report.stopped and report.pending > 1
    sync.run_sync(package, city.factory, retry_delay_s=0)
    assert _state(package, city) == uninterrupted[0]


def _batch_sync(tmp_path, fault=None):
    package = make_package(tmp_path)
    for number in range(1, 6):
        edit(package, SET_LAMP, "LED", light_key(number))
    city = FakeCity()
    city.batching = True
    city.lights.batch_fault = fault
    report = sync.run_sync(package, city.factory, retry_delay_s=0)
    return package, city, report


def test_a_transport_that_writes_in_batches_gets_one_request_per_batch(tmp_path, qgis_app):
    package, city, report = _batch_sync(tmp_path)
    assert [call for call in city.lights.calls if call[0] == "write_batch"] == [("write_batch", 5)]
    assert report.counts["applied"] == 5 and report.pending == 0
    assert all(values["lamp_type"] == "LED" for values, _ in
               (city.lights.state()[light_key(number)] for number in range(1, 6)))


def test_a_batch_answered_in_part_sends_the_rest_alone(tmp_path, qgis_app):
    package, city, report = _batch_sync(tmp_path, fault=2)
    assert [call for call in city.lights.calls if call[0] == "write_batch"] == [
        ("write_batch", 5), ("write_batch", 1), ("write_batch", 1), ("write_batch", 1)]
    assert [call for call in city.lights.calls if call[0] == "update"] == [
        ("update", light_key(number)) for number in range(1, 6)]
    assert report.counts["applied"] == 5 and report.pending == 0


def test_a_batch_without_answer_is_read_again_and_confirmed_not_repeated(tmp_path, qgis_app):
    package, city, report = _batch_sync(tmp_path, fault="timeout_after")
    assert report.counts["already_applied"] == 5 and report.pending == 0
    assert [call for call in city.lights.calls if call[0] == "update"] == [
        ("update", light_key(number)) for number in range(1, 6)]
