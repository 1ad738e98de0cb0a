"""The conflict dialog as an inspector uses it: the list of open conflicts, per conflict the
fields side by side (base, mine, server), a map preview in three colours with its legend,
decisions by radio button or an edited value, and the conflict gone once applied."""

import pytest
from field_gui_support import FakeSync, delete_conflict, edit_conflict, make_package
from qgis.core import Qgis, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtGui import QColor

from herne_twin_plugin.core.field.merge import MINE, THEIRS, WHOLE_FEATURE, EditedValue
from herne_twin_plugin.gui.field.conflict_dialog import SIDE_COLOURS, ConflictDialog
from herne_twin_plugin.gui.field.field_package import PackageChoiceError

pytestmark = pytest.mark.gui


@pytest.fixture
def package(tmp_path):
    return make_package(tmp_path)


@pytest.fixture
def dialog(qgis_iface, package, messages):
    fake = FakeSync(conflicts=[edit_conflict(), delete_conflict()])
    dialog = ConflictDialog(package, iface=qgis_iface, sync_api=fake)  # no parent: see the note in field_gui_support
    dialog.show()
    yield dialog
    dialog.close()
    dialog.deleteLater()


def table_rows(dialog):
    return [tuple(dialog.table.item(row, column).text() if dialog.table.item(row, column) else ""
                  for column in range(4)) for row in range(dialog.table.rowCount())]


def test_the_list_names_layer_feature_and_kind_of_every_open_conflict(dialog):
    items = [dialog.conflict_list.topLevelItem(i) for i in range(dialog.conflict_list.topLevelItemCount())]
    assert [(item.text(0), item.text(1)) for item in items] == [
        ("Straßenleuchten", "light-0002"), ("Straßenleuchten", "light-0004")]
    assert items[0].text(3) == "3 fields"
    assert items[1].text(3) == "Deleted on the server, edited here"
    # the street as the inspector sees it in the package (renamed here in the first conflict)
    assert (items[0].text(2), items[1].text(2)) == ("Bahnhofstr.", "Bahnhofstraße")
    assert "2 open conflict" in dialog.status.text()


def test_the_fields_stand_side_by_side_base_mine_server(dialog):
    assert dialog.current.key == "light-0002"
    header = [dialog.table.horizontalHeaderItem(c).text() for c in range(5)]
    assert header == ["Field", "Base value", "My change", "Server", "Decision"]
    rows = table_rows(dialog)
    assert rows[0] == ("wattage_w", "42", "35", "50")
    assert rows[1] == ("last_inspection", "2025-05-03", "2026-11-20", "2026-11-02")
    assert rows[2][0] == "Geometry"
    assert rows[2][1:] == ("369440.0, 5713500.0", "moved 5.8 m", "moved 7.2 m")  # sqrt(3²+5²), sqrt(4²+6²)
    assert dialog.table.item(2, 2).toolTip() == "369443.0, 5713505.0"
    # the street was edited only here: merged by itself, no row, no decision asked
    assert "street" not in [row[0] for row in rows]
    for row, side in ((1, "base"), (2, "mine"), (3, "theirs")):
        assert dialog.table.item(0, row).foreground().color() == QColor(SIDE_COLOURS[side])
    # the geometry is decided as mine or theirs, never typed in
    assert not dialog.decisions["@geometry"].edited.isVisible()
    assert dialog.decisions["wattage_w"].edited.isVisible()


def test_editors_fit_the_field_type(dialog):
    wattage = dialog.decisions["wattage_w"].editor
    inspected = dialog.decisions["last_inspection"].editor
    assert wattage.__class__.__name__ == "QSpinBox" and wattage.value() == 35
    assert inspected.__class__.__name__ == "QDateEdit" and inspected.date() == QDate(2026, 11, 20)


def test_the_map_preview_shows_three_geometries_in_the_legend_colours(dialog):
    layers = dialog.canvas.layers()
    sides = {layer.name(): layer for layer in layers if isinstance(layer, QgsVectorLayer)
             and layer.dataProvider().name() == "memory"}
    assert set(sides) == {"Base value", "My change", "Server"}
    for side, name in (("base", "Base value"), ("mine", "My change"), ("theirs", "Server")):
        symbol = sides[name].renderer().symbol()
        colour = symbol.color() if side != "base" else QColor(symbol.symbolLayer(0).strokeColor())
        assert colour.name() == SIDE_COLOURS[side]
        swatch, text = dialog.legend[side]
        assert text.text() == name
        assert swatch.pixmap().toImage().pixelColor(2, 2).name() == SIDE_COLOURS[side]
        geometry = next(sides[name].getFeatures()).geometry()
        assert dialog.canvas.extent().contains(geometry.boundingBox())
    # over the package's own layer and its basemap
    assert any(isinstance(layer, QgsRasterLayer) and layer.name() == "Grundkarte" for layer in layers)
    assert any(isinstance(layer, QgsVectorLayer) and layer.name() == "street_lights" for layer in layers)
    assert layers.index(sides["Server"]) < layers.index(sides["Base value"])  # the base drawn beneath


def test_apply_refuses_until_every_field_is_decided(dialog, messages):
    dialog.decisions["wattage_w"].mine.setChecked(True)
    assert dialog.apply() is False
    assert "last_inspection" in dialog.status.text() and "Geometry" in dialog.status.text()
    assert not [c for c in dialog.sync.calls if c[0] == "resolve_conflict"]
    assert dialog.conflict_list.topLevelItemCount() == 2
    assert messages[Qgis.Warning]


def test_decisions_by_radio_and_edited_value_reach_the_core_and_the_conflict_leaves(dialog, qtbot, messages):
    dialog.decisions["wattage_w"].theirs.setChecked(True)
    editor = dialog.decisions["last_inspection"].editor
    editor.setDate(QDate(2026, 11, 24))  # typing a value chooses it
    assert dialog.decisions["last_inspection"].edited.isChecked()
    dialog.decisions["@geometry"].mine.setChecked(True)
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    resolved = [c for c in dialog.sync.calls if c[0] == "resolve_conflict"]
    assert resolved == [("resolve_conflict", dialog.gpkg, "street_lights", "light-0002",
                         {"wattage_w": THEIRS, "last_inspection": EditedValue("2026-11-24"), "@geometry": MINE})]
    assert [dialog.conflict_list.topLevelItem(i).text(1)
            for i in range(dialog.conflict_list.topLevelItemCount())] == ["light-0004"]
    assert dialog.current.key == "light-0004"
    assert any("light-0002" in m for m in messages[Qgis.Success])


def test_all_mine_and_all_theirs_decide_every_field(dialog):
    dialog.choose_all(THEIRS)
    assert dialog.choices() == {"wattage_w": THEIRS, "last_inspection": THEIRS, "@geometry": THEIRS}
    dialog.choose_all(MINE)
    assert dialog.choices() == {"wattage_w": MINE, "last_inspection": MINE, "@geometry": MINE}


def test_delete_versus_edit_is_shown_as_such_and_decided_for_the_whole_feature(dialog):
    assert dialog.select("street_lights", "light-0004")
    assert dialog.kind_label.isVisible()
    assert dialog.kind_label.text() == "Deleted on the server, edited here"
    rows = table_rows(dialog)
    assert rows[0] == ("(whole feature)", "", "edited", "(deleted)")
    assert ("mast_height_m", "6.0", "8.5", "(deleted)") in rows
    assert ("Geometry", "369480.0, 5713500.0", "moved 1.0 m", "(deleted)") in rows
    decision = dialog.decisions[WHOLE_FEATURE]
    assert decision.mine.text() == "Keep my edit" and decision.theirs.text() == "Delete"
    assert not decision.edited.isVisible()
    decision.mine.setChecked(True)
    assert dialog.apply()
    assert dialog.sync.calls[-2][2:] == ("street_lights", "light-0004", {WHOLE_FEATURE: MINE})
    # the last conflict is gone: the dialog says so and offers nothing to decide
    dialog.select("street_lights", "light-0002")
    dialog.choose_all(MINE)
    assert dialog.apply()
    assert dialog.conflict_list.topLevelItemCount() == 0
    assert dialog.status.text().startswith("Decision saved") or "No open conflicts" in dialog.heading.text()
    assert not dialog.detail.isEnabled()


def test_a_refusal_of_the_core_keeps_the_conflict_open_with_its_reason(dialog, messages):
    def refuse(*_args):
        raise ValueError("the package is read-only")

    dialog.sync.resolve_conflict = refuse
    dialog.choose_all(MINE)
    assert dialog.apply() is False
    assert "the package is read-only" in dialog.status.text()
    assert dialog.conflict_list.topLevelItemCount() == 2
    assert any("read-only" in m for m in messages[Qgis.Critical])


def test_a_path_that_is_no_field_package_is_refused_clearly(tmp_path, qgis_iface):
    plain = tmp_path / "plain.gpkg"
    plain.write_bytes(b"")
    with pytest.raises(PackageChoiceError, match="no field package"):
        ConflictDialog(str(plain), sync_api=FakeSync())
    with pytest.raises(PackageChoiceError, match="does not exist"):
        ConflictDialog(str(tmp_path / "missing.gpkg"), sync_api=FakeSync())
    (tmp_path / "empty").mkdir()
    with pytest.raises(PackageChoiceError, match="holds no single field package"):
        ConflictDialog(str(tmp_path / "empty"), sync_api=FakeSync())


def test_the_package_folder_works_as_well_as_its_gpkg(package, qgis_iface):
    import os

    dialog = ConflictDialog(os.path.dirname(package), sync_api=FakeSync(conflicts=[edit_conflict()]))
    assert dialog.gpkg == package and dialog.conflict_list.topLevelItemCount() == 1
    dialog.close()
    dialog.deleteLater()


def test_an_inspection_rating_is_decided_from_the_form_s_list(package, qgis_iface):
    from field_gui_support import OpenConflict

    from herne_twin_plugin.core.field.merge import FieldConflict

    conflict = OpenConflict(table="inspections", key="3f2a", conflicts=[
        FieldConflict("condition", 3, 4, 2), FieldConflict("status", "open", "open", "done")],
        base={"condition": 3, "status": "open"}, mine={"condition": 4, "status": "open"},
        theirs={"condition": 2, "status": "done"})
    dialog = ConflictDialog(package, iface=qgis_iface, sync_api=FakeSync(conflicts=[conflict]))
    try:
        rows = table_rows(dialog)
        assert rows[0] == ("condition", "3 – fair", "4 – poor", "2 – good")
        editor = dialog.decisions["condition"].editor
        assert [editor.itemData(i) for i in range(editor.count())] == [1, 2, 3, 4, 5]
        assert editor.currentData() == 4  # starts at my rating
        editor.setCurrentIndex(editor.findData(3))
        editor.activated.emit(editor.currentIndex())  # what a click on an entry sends
        dialog.decisions["status"].theirs.setChecked(True)
        assert dialog.choices() == {"condition": EditedValue(3), "status": THEIRS}
    finally:
        dialog.close()
