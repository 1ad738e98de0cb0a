"""The demo's field step (scripts/demo_field.py) against the session's local backend: a package
of one district's street lights, offline edits and an inspection, an office edit of the same
light, one conflict decided per field, the second sync, receipts and the map."""

import os

import pytest
from demo_field import DECISIONS, FIELD_EDITS, OFFICE_EDIT, DemoError, show_field_sync


@pytest.fixture(scope="module")
def demo(qgis_app, city_backend, server_tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("field-demo")
    return show_field_sync(city_backend.state, str(out)), out


def test_the_light_edited_on_both_sides_is_one_conflict_with_both_fields(demo):
    result, _out = demo
    conflict = result["conflict"]
    assert conflict.table == "street_lights" and conflict.key == result["lights"][0]
    by_field = {item.field: item for item in conflict.conflicts}
    assert set(by_field) == {"wattage_w", "mast_height_m"}, "lamp_type was changed alike on both sides: no conflict"
    for name, item in by_field.items():
        assert item.mine == FIELD_EDITS[0][name] and item.theirs == OFFICE_EDIT[name]
    first = result["first"].counts
    assert first["conflict"] == 1 and first["applied"] == 3, "the two other lights and the inspection"
    assert result["first"].open_conflicts == 1


def test_the_second_sync_pushes_the_decision_and_leaves_nothing_open(demo):
    from herne_twin_plugin.core.field import journal, sync

    result, _out = demo
    second = result["second"]
    assert second.counts["applied"] == 1 and second.open_conflicts == 0 and second.pending == 0
    assert sync.open_conflicts(result["package_dir"]) == []
    assert journal.pending_changes(result["gpkg"]) == []
    decided = result["server"][result["lights"][0]]
    for name, choice in DECISIONS.items():
        wanted = FIELD_EDITS[0][name] if choice == "mine" else OFFICE_EDIT[name]
        assert decided[name] == pytest.approx(wanted), name
    assert decided["lamp_type"] == "LED"


def test_the_other_edits_are_on_the_server_exactly_once(demo, server_tables):
    result, _out = demo
    for key, changes in zip(result["lights"][1:], FIELD_EDITS[1:]):
        for name, value in changes.items():
            assert str(result["server"][key][name]) == str(value), (key, name)
    uuid = result["inspection"]["inspection_uuid"]
    rows = server_tables.execute("SELECT inspector, condition, status FROM assets.inspections "
                                 "WHERE inspection_uuid = %s", (uuid,))
    assert rows == [(result["inspection"]["inspector"], 4, "open")], "the inspection reached the server once"
    assert result["inspection"]["inspected_at"].endswith("Z"), "the form's default stamps UTC"


def test_receipts_tell_what_happened_in_each_sync(demo):
    result, _out = demo
    by_sync = {}
    for receipt in result["receipts"]:
        by_sync.setdefault(receipt.sync_id, []).append((receipt.table, receipt.key, receipt.outcome))
    assert list(by_sync) == [result["first"].sync_id, result["second"].sync_id]
    first = set(by_sync[result["first"].sync_id])
    assert ("street_lights", result["lights"][0], "conflict") in first
    assert {("street_lights", key, "applied") for key in result["lights"][1:]} <= first
    assert ("inspections", result["inspection"]["inspection_uuid"], "applied") in first
    assert by_sync[result["second"].sync_id] == [("street_lights", result["lights"][0], "applied")]


def test_the_map_of_the_inspected_lights_is_written(demo):
    from qgis.PyQt.QtGui import QImage

    result, out = demo
    assert result["png"] == os.path.join(str(out), "field_sync.png")
    image = QImage(result["png"])
    assert not image.isNull() and image.width() > 800
    colours = {image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 23)}
    assert len(colours) > 20, "the map shows more than a blank page"


@pytest.mark.parametrize("state, message", [
    ({}, "no running local backend"),
    ({"wfs_url": "http://127.0.0.1:1/ows", "dir": "/nonexistent"}, "no running local backend"),
])
def test_a_missing_backend_is_named(qgis_app, tmp_path, state, message):
    with pytest.raises(DemoError, match=message):
        show_field_sync(state, str(tmp_path))


def test_missing_sample_data_is_named(qgis_app, city_backend, tmp_path):
    state = dict(city_backend.state, data_dir=str(tmp_path / "nothing"))
    with pytest.raises(DemoError, match="no sample GeoPackage"):
        show_field_sync(state, str(tmp_path))
