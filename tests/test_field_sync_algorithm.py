"""hernetwin:syncfield: counts per outcome, receipts CSV next to the package, dry run, cancel, bad input."""

import csv
import pathlib

import pytest
from field_sync_support import FakeCity, edit, geometry_blob_sql, gpkg_of, light_key, make_package
from qgis import processing
from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

from herne_twin_plugin.core.field import journal, sync

K1, K2, K3 = light_key(1), light_key(2), light_key(3)


@pytest.fixture
def city(monkeypatch):
    city = FakeCity()
    monkeypatch.setattr(sync, "_default_factory", lambda: city.factory)
    return city


@pytest.fixture
def package(tmp_path, qgis_app):
    package = make_package(tmp_path)
    edit(package, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", K1)
    edit(package, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", K3)
    return package


def _run(parameters, feedback=None):
    return processing.run("hernetwin:syncfield", parameters, context=QgsProcessingContext(),
                          feedback=feedback or QgsProcessingFeedback())


def test_syncfield_reports_counts_and_writes_receipts_next_to_the_package(
        hernetwin_provider, package, city):
    city.lights.office_edit(K3, lamp_type="NAV")
    city.lights.office_edit(K2, wattage_w=70)

    results = _run({"PACKAGE": gpkg_of(package), "DRY_RUN": False})

    assert (results["APPLIED"], results["CONFLICTS"], results["PULLED"], results["REJECTED"]) == (1, 1, 1, 0)
    assert results["PENDING"] == 1 and results["OPEN_CONFLICTS"] == 1
    assert city.lights.state()[K1][0]["lamp_type"] == "LED"
    receipts_csv = pathlib.Path(results["RECEIPTS"])
    assert receipts_csv.parent == pathlib.Path(package)
    with receipts_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(row["key"], row["outcome"]) for row in rows} == {(K1, "applied"), (K3, "conflict"), (K2, "pulled")}
    assert results["SYNC_ID"] and [r.key for r in sync.receipts(package, results["SYNC_ID"])]
    assert "1 applied" in results["REPORT"]


def test_syncfield_dry_run_changes_nothing(hernetwin_provider, package, city):
    before = pathlib.Path(gpkg_of(package)).read_bytes()

    results = _run({"PACKAGE": gpkg_of(package), "DRY_RUN": True})

    assert pathlib.Path(gpkg_of(package)).read_bytes() == before
    assert city.lights.state()[K1][0]["lamp_type"] == "HQL"
    assert results["APPLIED"] == 2 and results["PENDING"] == 2 and results["SYNC_ID"] == ""
    assert "would send 2 changes" in results["REPORT"]
    assert pathlib.Path(results["RECEIPTS"]).is_file()


def test_syncfield_cancelled_keeps_what_was_not_confirmed(hernetwin_provider, package, city):
    edit(package, "INSERT INTO inspections (asset_key, condition, geom) VALUES (?, 2, {})".format(
        geometry_blob_sql(387010.0, 5711005.0)), K1)
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda value: feedback.cancel())  # cancelled after the first batch

    results = _run({"PACKAGE": gpkg_of(package), "DRY_RUN": False}, feedback)

    assert results["APPLIED"] == 2 and results["PENDING"] == 1 and "Cancelled" in results["REPORT"]
    assert [c.table_name for c in journal.pending_changes(gpkg_of(package))] == ["inspections"]
    assert city.inspections.state() == {}
    assert city.lights.state()[K1][0]["lamp_type"] == "LED"


def test_syncfield_refuses_what_is_no_field_package(hernetwin_provider, tmp_path, qgis_app, city):
    plain = tmp_path / "plain.gpkg"
    connection = journal.connect(str(plain))
    connection.execute("CREATE TABLE t (a)")
    connection.close()
    with pytest.raises(QgsProcessingException, match="no package manifest"):
        _run({"PACKAGE": str(plain), "DRY_RUN": False})
