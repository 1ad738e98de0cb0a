"""Concurrent editors: two field packages of the same area and an office user edit the same
street lights. Every overlapping edit surfaces as a conflict with both sides (nothing silently
overwritten, on the server or in the package); edits that do not overlap merge by themselves.
Against both real servers (QGIS Server WFS-T and pygeoapi OGC API Features Part 4).
"""

import pytest
from field_support import (
    LIGHTS,
    SERVER_KINDS,
    edit_package,
    make_template_package,
    package_features,
    package_gpkg,
)

from herne_twin_plugin.core.field import journal, sync
from herne_twin_plugin.core.field.conflicts import GEOMETRY_FIELD
from herne_twin_plugin.core.field.merge import DELETE_VS_EDIT, EDIT_VS_EDIT, MINE


def _conflicts(package):
    """{key: {field: kind}} of the package's open conflicts on the street lights."""
    found = {}
    for conflict in sync.open_conflicts(package):
        if conflict.table == LIGHTS:
            found[conflict.key] = {item.field: item.kind for item in conflict.conflicts}
    return found


def _outcomes(report, package):
    return {(receipt.key, receipt.outcome) for receipt in sync.receipts(package, report.sync_id)
            if receipt.table == LIGHTS}


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_overlapping_edits_of_two_packages_and_the_office_become_conflicts(
        kind, city_backend, server_tables, tmp_path, qgis_app):
    server_tables.reset()
    first = make_template_package(city_backend, kind, str(tmp_path / "team_a"))
    second = make_template_package(city_backend, kind, str(tmp_path / "team_b"))
    k = server_tables.keys_in_area(LIGHTS)[:10]
    before = {key: server_tables.row(LIGHTS, key)[0] for key in k}

    # Team A, offline.
    edit_package(package_gpkg(first), [
        ("update", k[0], {"street": "Bahnhofstraße (Team A)"}),  # office edits the same field: conflict
        ("update", k[1], {"wattage_w": 51}),                   # team B too, later: conflict for B
        ("update", k[2], {"lamp_type": "LED (Team A)"}),  # B and the office edit other fields: merge
        ("update", k[4], {"control_unit": "CU-SAME"}),         # B makes the very same edit: no conflict
        ("update", k[5], {"mast_height_m": 9.55}),              # the office deletes it: conflict
        ("update", k[6], {"operator": "Stadtwerke Herne"}),    # nobody else touches it: applied
        ("move", k[8], (369411.5, 5713422.5)),                 # the office moves it elsewhere: conflict
        ("move", k[9], (369433.25, 5713444.75)),               # the office edits an attribute: merge
    ])
    # Team B, offline.
    edit_package(package_gpkg(second), [
        ("update", k[1], {"wattage_w": 71}),
        ("update", k[2], {"street": "Hauptstraße (Team B)"}),
        ("delete", k[3], None),                                # the office edits it: conflict
        ("update", k[4], {"control_unit": "CU-SAME"}),
        ("update", k[7], {"lamp_type": "NAV (Team B)"}),  # nobody else touches it: applied
    ])
    # The office, online, meanwhile.
    server_tables.office_edit(LIGHTS, k[0], street="Amtsweg (Büro)")
    server_tables.office_edit(LIGHTS, k[2], control_unit="CU-OFFICE")
    server_tables.office_edit(LIGHTS, k[3], lamp_type="HSE (Büro)")
    server_tables.execute("DELETE FROM assets.street_lights WHERE light_uuid = %s", (k[5],))
    server_tables.office_move(LIGHTS, k[8], 369488.0, 5713499.0)
    server_tables.office_edit(LIGHTS, k[9], lamp_type="LED (Büro)")

    report_a = sync.run_sync(first)
    assert _conflicts(first) == {k[0]: {"street": EDIT_VS_EDIT}, k[5]: _delete_vs_edit(),
                                 k[8]: {GEOMETRY_FIELD: EDIT_VS_EDIT}}
    report_b = sync.run_sync(second)
    assert _conflicts(second) == {k[1]: {"wattage_w": EDIT_VS_EDIT}, k[3]: _delete_vs_edit()}

    server = {key: (server_tables.row(LIGHTS, key) or (None,))[0] for key in k}
    assert server[k[0]]["street"] == "Amtsweg (Büro)", "the office's edit was overwritten"
    assert server[k[1]]["wattage_w"] == 51, "team A's confirmed edit was overwritten by team B"
    assert (server[k[2]]["lamp_type"], server[k[2]]["street"], server[k[2]]["control_unit"]) == (
        "LED (Team A)", "Hauptstraße (Team B)", "CU-OFFICE"), "non-overlapping edits did not merge"
    assert server[k[3]] is not None and server[k[3]]["lamp_type"] == "HSE (Büro)", "team B's delete won silently"
    assert server[k[4]]["control_unit"] == "CU-SAME"
    assert server[k[5]] is None, "team A's edit resurrected a feature the office deleted"
    assert server[k[6]]["operator"] == "Stadtwerke Herne"
    assert server[k[7]]["lamp_type"] == "NAV (Team B)"
    assert server_tables.row(LIGHTS, k[8])[1] == "POINT(369488 5713499)", "the office's move was overwritten"
    assert server_tables.row(LIGHTS, k[9])[1] == "POINT(369433.25 5713444.75)" and server[k[9]]["lamp_type"] == (
        "LED (Büro)"), "a move and an attribute edit did not merge"
    for key in (k[2], k[4], k[6], k[7], k[9]):
        untouched = {name for name in before[key] if name not in ("street", "lamp_type", "control_unit",
                                                                    "operator", "wattage_w")}
        assert {name: server[key][name] for name in untouched} == {name: before[key][name] for name in untouched}

    # The conflicts are kept, visible, with both sides; each side's edit is still in its package.
    assert (k[0], "conflict") in _outcomes(report_a, first)
    assert (k[1], "conflict") in _outcomes(report_b, second)
    assert package_features(package_gpkg(first), LIGHTS)[k[0]]["street"] == "Bahnhofstraße (Team A)"
    assert package_features(package_gpkg(second), LIGHTS)[k[1]]["wattage_w"] == 71
    pending_a = {change.feature_key for change in journal.pending_changes(package_gpkg(first))}
    assert {k[0], k[5], k[8]} <= pending_a

    # A decision goes to the server with the next sync; the office's field edits on other
    # features reached both packages.
    sync.resolve_conflict(first, LIGHTS, k[0], {"street": MINE})
    sync.run_sync(first)
    assert server_tables.row(LIGHTS, k[0])[0]["street"] == "Bahnhofstraße (Team A)"
    assert k[0] not in _conflicts(first)
    assert package_features(package_gpkg(second), LIGHTS)[k[2]]["control_unit"] == "CU-OFFICE"


def _delete_vs_edit():
    from herne_twin_plugin.core.field.merge import WHOLE_FEATURE

    return {WHOLE_FEATURE: DELETE_VS_EDIT}
