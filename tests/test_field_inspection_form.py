"""The inspection form as an inspector sees it in QGIS: the widgets, and a save that is refused
until the required fields are filled in."""

import pytest
from osgeo import ogr
from qgis.core import QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer, QgsVectorLayerUtils
from qgis.PyQt.QtWidgets import QComboBox, QPlainTextEdit, QTableWidget, QWidget
from test_field_inspection import LIGHTS, TREES, _point_layer

from herne_twin_plugin.core.field import inspection

gui = pytest.importorskip("qgis.gui")


@pytest.fixture(scope="module")
def editors(qgis_app):
    registry = gui.QgsGui.editorWidgetRegistry()
    if "ValueRelation" not in registry.factories():
        registry.initEditors()
    return registry


def _package(tmp_path, with_trees):
    path = str(tmp_path / "bezirk.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    _point_layer(source, "street_lights", "light_uuid", LIGHTS)
    assets = [("street_lights", "light_uuid")]
    if with_trees:
        _point_layer(source, "street_trees", "tree_uuid", TREES)
        assets.append(("street_trees", "tree_uuid"))
    source = None
    inspection.add_inspection_layer(path, assets)
    project = QgsProject.instance()
    layers = [QgsVectorLayer("{}|layername={}".format(path, table), table, "ogr") for table, _ in assets]
    inspections = QgsVectorLayer(path + "|layername=inspections", "Kontrollen", "ogr")
    project.addMapLayers(layers)
    inspection.configure_inspection_form(inspections, layers, project)
    project.addMapLayer(inspections)
    return inspections


def _form(layer, x, y):
    feature = QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromPointXY(QgsPointXY(x, y)), {},
                                                layer.createExpressionContext())
    form = gui.QgsAttributeForm(layer, feature, gui.QgsAttributeEditorContext())
    form.setMode(gui.QgsAttributeEditorContext.AddFeatureMode)
    return form


def _widget(form, name, kind):
    return [w for w in form.findChildren(kind) if w.objectName() == name][0]


def _tick(table, label):
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item.text() == label:
            item.setCheckState(2)  # Qt.Checked: as a click on the box does
            return
    raise AssertionError("no defect {} in {}".format(label, [table.item(r, 0).text() for r in range(table.rowCount())]))


def test_inspector_sees_ratings_defects_notes_and_photo(editors, qgis_new_project, tmp_path):
    layer = _package(tmp_path, with_trees=False)
    form = _form(layer, *LIGHTS[0][1:])
    condition = _widget(form, "condition", QComboBox)
    labels = [condition.itemText(i) for i in range(condition.count())]
    assert labels[:5] == [label for _, label in inspection.condition_labels()]
    defects = _widget(form, "defects", QTableWidget)
    shown = {defects.item(row, 0).text() for row in range(defects.rowCount())}
    assert {"Mast leaning", "Cable exposed", "Dirty"} <= shown and "Deadwood in the crown" not in shown
    assert _widget(form, "notes", QPlainTextEdit) is not None
    assert _widget(form, "photos", gui.QgsExternalResourceWidget) is not None
    assert _widget(form, "asset_key", gui.QgsRelationReferenceWidget) is not None
    assert not _widget(form, "inspection_uuid", QWidget).isEnabled() or \
        _widget(form, "inspection_uuid", gui.QgsFilterLineEdit).isReadOnly()


def test_save_is_refused_until_the_required_fields_are_filled(editors, qgis_new_project, tmp_path):
    layer = _package(tmp_path, with_trees=False)
    assert layer.startEditing()
    form = _form(layer, *LIGHTS[0][1:])
    form.save()
    assert layer.featureCount() == 0  # no condition
    form.changeAttribute("condition", 4)
    form.save()
    assert layer.featureCount() == 0  # poor condition, but no defect named
    _tick(_widget(form, "defects", QTableWidget), "Mast leaning")
    _tick(_widget(form, "defects", QTableWidget), "Cable exposed")
    assert form.save()
    assert layer.featureCount() == 1
    assert layer.commitChanges(), layer.commitErrors()
    saved = next(layer.getFeatures())
    assert sorted(inspection.defect_codes(saved["defects"])) == ["cable_exposed", "mast_tilted"]
    assert saved["condition"] == 4 and saved["asset_key"] == LIGHTS[0][0] and saved["inspector"]


def test_tree_inspection_offers_tree_defects(editors, qgis_new_project, tmp_path):
    layer = _package(tmp_path, with_trees=True)
    form = _form(layer, *TREES[0][1:])
    defects = _widget(form, "defects", QTableWidget)
    shown = {defects.item(row, 0).text() for row in range(defects.rowCount())}
    assert "Oak processionary moth" in shown and "Mast leaning" not in shown
    assert _widget(form, "asset_key", QWidget) is not None


def test_photo_picker_opens_in_the_packages_dcim_folder(editors, qgis_new_project, tmp_path):
    layer = _package(tmp_path, with_trees=False)
    assert QgsProject.instance().write(str(tmp_path / "bezirk.qgz"))
    form = _form(layer, *LIGHTS[0][1:])  # kept: its widgets die with it
    photos = _widget(form, "photos", gui.QgsExternalResourceWidget)
    assert photos.defaultRoot() == str(tmp_path / "DCIM")
    assert photos.relativeStorage() == gui.QgsFileWidget.RelativeProject
