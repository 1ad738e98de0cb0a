"""The receipts table: one row per feature with operation, outcome and the server's reason,
filtered by outcome, exported as CSV exactly as shown."""

import csv

import pytest
from field_gui_support import Receipt, now_iso
from qgis.PyQt.QtGui import QColor

from herne_twin_plugin.gui.field.receipts_view import OUTCOME_COLOURS, ReceiptsView, summary_text

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qgis_app):
    view = ReceiptsView(layer_titles={"street_lights": "Straßenleuchten"})
    view.set_receipts([
        Receipt("s1", "street_lights", "light-0001", "update", "applied", "", now_iso(0)),
        Receipt("s1", "street_lights", "light-0002", "update", "conflict", "edited on both sides", now_iso(1)),
        Receipt("s1", "inspections", "3f2a", "insert", "rejected", "condition: 7 is not in 1-5", now_iso(2)),
        Receipt("s1", "street_lights", "light-0007", "delete", "already_applied", "", now_iso(3)),
        Receipt("s1", "street_lights", "light-0009", "update", "merged", "", now_iso(4)),
    ], descriptions={("street_lights", "light-0001"): "L-0001, Bahnhofstraße"})
    yield view
    view.deleteLater()


def test_one_row_per_feature_with_operation_outcome_and_reason(view):
    rows = view.visible_rows()
    assert [row[:5] for row in rows] == [
        ("Straßenleuchten", "light-0001", "L-0001, Bahnhofstraße", "changed", "applied"),
        ("Straßenleuchten", "light-0002", "", "changed", "conflict"),
        ("inspections", "3f2a", "", "new", "rejected"),
        ("Straßenleuchten", "light-0007", "", "deleted", "already applied"),
        ("Straßenleuchten", "light-0009", "", "changed", "merged"),
    ]
    assert rows[2][5] == "condition: 7 is not in 1-5"
    assert rows[0][6] == "2026-11-26T09:00:00Z"
    rejected = view.model.item(2, 4)
    assert rejected.background().color() == QColor(OUTCOME_COLOURS["rejected"])
    assert view.counts_label.text() == "1 applied, 1 merged, 1 already applied, 1 conflict, 1 rejected"


def test_the_filter_shows_one_outcome(view):
    view.set_outcome_filter("conflict")
    assert [row[1] for row in view.visible_rows()] == ["light-0002"]
    view.set_outcome_filter("rejected")
    assert [row[1] for row in view.visible_rows()] == ["3f2a"]
    view.set_outcome_filter("")
    assert len(view.visible_rows()) == 5


def test_csv_export_writes_the_rows_as_shown(view, tmp_path):
    view.set_outcome_filter("rejected")
    path = tmp_path / "quittungen.csv"
    assert view.export_csv(str(path)) == 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Layer", "Feature", "Description", "Operation", "Outcome", "Server message", "Time"]
    assert rows[1] == ["inspections", "3f2a", "", "new", "rejected", "condition: 7 is not in 1-5", now_iso(2)]


def test_an_unwritable_export_says_why(view, tmp_path, monkeypatch):
    from herne_twin_plugin.gui.field import receipts_view

    target = tmp_path / "missing-folder" / "quittungen"
    monkeypatch.setattr(receipts_view.QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    view.export_button.click()
    assert view.counts_label.text().startswith("The receipts could not be written")
    assert "quittungen.csv" in view.counts_label.text()


def test_summary_counts_in_words():
    assert summary_text({"applied": 12, "merged": 2, "conflict": 1}) == "12 applied, 2 merged, 1 conflict"
    assert summary_text({"conflict": 3, "error": 1}) == "3 conflicts, 1 error"
    assert summary_text({}) == "nothing to synchronise"
    empty = ReceiptsView()
    assert not empty.export_button.isEnabled()
    empty.deleteLater()
