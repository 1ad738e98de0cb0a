"""The field sync against the real local backend (QGIS Server WFS-T, pygeoapi OGC API Features Part 4).

A package made by make_package, edited offline through the journal's triggers while an office
user edits the same street lights through a second transport; the sync merges what does not
overlap, keeps the overlap as a conflict, the decision is pushed, and nothing is left over.
"""

import pytest
from field_support import INSPECTIONS, LIGHTS, SERVER_KINDS, make_template_package, package_gpkg
from field_sync_support import edit_gpkg, geometry_blob_sql

from herne_twin_plugin.core.field import journal, manifest, sync
from herne_twin_plugin.core.field.package_store import same_geometry
from herne_twin_plugin.core.field.transports import transport_for


def _row(gpkg, key):
    connection = journal.connect(gpkg)
    try:
        row = connection.execute("SELECT * FROM street_lights WHERE light_uuid = ?", (key,)).fetchone()
        return dict(row) if row else None
    finally:
        connection.close()


def _office(gpkg):
    """A second transport on the same service: the office user's QGIS."""
    connection = journal.connect(gpkg)
    try:
        layer = manifest.read(connection).layer(LIGHTS)
    finally:
        connection.close()
    return transport_for(layer)


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_offline_edits_and_an_office_edit_meet_on_the_real_server(city_backend, server_tables, tmp_path, kind):
    server_tables.reset()
    gpkg = package_gpkg(make_template_package(city_backend, kind, tmp_path / "begehung"))
    connection = journal.connect(gpkg)
    keys = [row[0] for row in connection.execute("SELECT light_uuid FROM street_lights ORDER BY light_uuid LIMIT 4")]
    connection.close()
    merged_key, conflict_key, deleted_key, moved_key = keys

    # values no sample light has, so that every edit is one
    edit_gpkg(gpkg, "UPDATE street_lights SET lamp_type = 'LED 4000K', wattage_w = 31 WHERE light_uuid = ?", merged_key)
    edit_gpkg(gpkg, "UPDATE street_lights SET lamp_type = 'LED 3000K' WHERE light_uuid = ?", conflict_key)
    edit_gpkg(gpkg, "DELETE FROM street_lights WHERE light_uuid = ?", deleted_key)
    edit_gpkg(gpkg, "UPDATE street_lights SET geom = {} WHERE light_uuid = ?".format(
        geometry_blob_sql(369512.5, 5713487.25)), moved_key)
    edit_gpkg(gpkg, "INSERT INTO inspections (inspection_uuid, asset_layer, asset_key, inspected_at, inspector, "
                "condition, defects, notes, photos, status, geom) VALUES (NULL, 'street_lights', ?, "
                "'2026-11-26T09:30:00Z', 'Inspektor A', 4, 'LEUCHTE_DEFEKT', 'Leuchte flackert', '', 'open', "
                "{})".format(
                    geometry_blob_sql(369500.0, 5713500.0)), merged_key)
    office = _office(gpkg)
    current = office.features_by_key([merged_key, conflict_key])
    office.update(current[merged_key], {"street": "Mont-Cenis-Straße Süd"})
    office.update(current[conflict_key], {"lamp_type": "NAV 70W"})

    plan = sync.plan_sync(gpkg)
    assert plan.counts() == {"applied": 3, "merged": 1, "conflict": 1}, plan.text()

    report = sync.run_sync(gpkg)

    outcomes = {(r.table, r.key): r.outcome for r in report.receipts}
    assert set(outcomes.values()) <= {"merged", "conflict", "applied"}, [r.message for r in report.receipts]
    assert outcomes[(LIGHTS, merged_key)] == "merged"
    assert outcomes[(LIGHTS, conflict_key)] == "conflict"
    assert outcomes[(LIGHTS, deleted_key)] == "applied" and outcomes[(LIGHTS, moved_key)] == "applied"
    assert [r.outcome for r in report.receipts if r.table == INSPECTIONS] == ["applied"]
    merged, _ = server_tables.row(LIGHTS, merged_key)
    assert (merged["lamp_type"], merged["wattage_w"], merged["street"]) == ("LED 4000K", 31, "Mont-Cenis-Straße Süd")
    assert _row(gpkg, merged_key)["street"] == "Mont-Cenis-Straße Süd"
    assert server_tables.row(LIGHTS, conflict_key)[0]["lamp_type"] == "NAV 70W"  # never overwritten
    assert server_tables.row(LIGHTS, deleted_key) is None
    assert server_tables.row(LIGHTS, moved_key)[1] == "POINT(369512.5 5713487.25)"
    [inspection_key] = [r.key for r in report.receipts if r.table == INSPECTIONS]
    inspection, _ = server_tables.row(INSPECTIONS, inspection_key)
    assert (inspection["asset_key"], inspection["condition"], inspection["notes"]) == (
        merged_key, 4, "Leuchte flackert")

    sync.resolve_conflict(gpkg, LIGHTS, conflict_key, {"lamp_type": "mine"})
    again = sync.run_sync(gpkg)

    assert [(r.key, r.outcome) for r in again.receipts] == [(conflict_key, "applied")]
    assert server_tables.row(LIGHTS, conflict_key)[0]["lamp_type"] == "LED 3000K"
    assert again.pending == 0 and again.open_conflicts == 0
    # a third sync finds nothing to do, and nothing was applied twice
    assert sync.run_sync(gpkg).receipts == []
    assert server_tables.execute("SELECT count(*) FROM assets.inspections WHERE inspection_uuid = %s",
                                 (inspection_key,)) == [(1,)]
    moved = _office(gpkg).features_by_key([moved_key])[moved_key]
    assert same_geometry(moved.geometry, _point_hex(369512.5, 5713487.25))


def _point_hex(x, y):
    from osgeo import ogr

    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(x, y)
    return point.ExportToWkb(ogr.wkbNDR).hex()
