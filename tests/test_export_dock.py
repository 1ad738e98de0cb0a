"""The export dock, used as a planner uses it: choose, click Export, wait, find the files;
cancel; and a clear message when something is missing or fails."""

# ruff: noqa: F811 (the fixtures come from export_support and are named as arguments)

import os

import pytest
from export_support import city_project, flat, hernetwin, need_tools, pdf_pages, pdf_text, sample_city  # noqa: F401
from qgis.core import Qgis, QgsLayerTreeModel, QgsMapThemeCollection, QgsProject
from qgis.PyQt.QtCore import Qt

from herne_twin_plugin.gui.export_dock import ATLAS, MAP, ExportDock

pytestmark = pytest.mark.gui


@pytest.fixture
def dock(qgis_iface, hernetwin, city_project, messages):
    dock = ExportDock(qgis_iface, qgis_iface.mainWindow())
    dock.show()
    yield dock
    if dock.task is not None:
        dock.cancel_export()
        dock.task.waitForFinished(60000)
    dock.close_connections()
    dock.deleteLater()


def finish(qtbot, dock, timeout_ms=120000):
    qtbot.waitUntil(lambda: dock.task is None, timeout=timeout_ms)


def test_the_dock_offers_the_project_s_districts_and_themes(dock, city_project):
    names = sorted(f["name"] for f in city_project["districts"].getFeatures())
    assert [dock.district.itemText(i) for i in range(1, dock.district.count())] == names
    assert dock.theme.count() == 1
    root = QgsProject.instance().layerTreeRoot()
    QgsProject.instance().mapThemeCollection().insert(
        "Gefahr", QgsMapThemeCollection.createThemeFromCurrentState(root, QgsLayerTreeModel(root)))
    assert [dock.theme.itemData(i) for i in range(dock.theme.count())] == ["", "Gefahr"]


def test_one_click_exports_a_district_map(dock, qtbot, messages, tmp_path):
    need_tools()
    dock.kind.setCurrentIndex(MAP)
    dock.template.setCurrentIndex(0)  # A4 portrait
    dock.district.setCurrentIndex(dock.district.findText("Sodingen"))
    dock.title.setText("Sodingen im Starkregen")
    dock.dpi.setValue(72)
    dock.output.setFilePath(str(tmp_path / "sodingen.pdf"))
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    assert not dock.export_button.isEnabled() and dock.cancel_button.isEnabled()
    finish(qtbot, dock)
    assert dock.progress.value() == 100
    written = set(os.listdir(tmp_path))
    assert {"sodingen.pdf", "sodingen.png"} <= written and not [n for n in written if n.startswith(".partial")]
    sizes, _ = pdf_pages(str(tmp_path / "sodingen.pdf"), tmp_path)
    assert len(sizes) == 1 and sizes[0] == pytest.approx((210, 297), abs=2)
    assert "Sodingen im Starkregen" in flat(pdf_text(str(tmp_path / "sodingen.pdf")))
    assert any("sodingen.pdf" in m for m in messages[Qgis.Success])
    assert dock.export_button.isEnabled() and not dock.cancel_button.isEnabled()


def test_an_atlas_from_the_dock(dock, qtbot, city_project, tmp_path):
    need_tools()
    dock.kind.setCurrentIndex(ATLAS)
    assert dock.coverage.isVisibleTo(dock) and not dock.district.isVisibleTo(dock)
    dock.coverage.setLayer(city_project["districts"])
    dock.sort.setExpression('"name"')
    dock.dpi.setValue(72)
    dock.output.setFilePath(str(tmp_path / "bezirke.pdf"))
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    finish(qtbot, dock)
    sizes, _ = pdf_pages(str(tmp_path / "bezirke.pdf"), tmp_path)
    assert len(sizes) == city_project["districts"].featureCount()


def test_cancel_stops_and_leaves_no_file(dock, qtbot, messages, city_project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dock.kind.setCurrentIndex(ATLAS)
    dock.coverage.setLayer(city_project["building_footprints"])
    dock.dpi.setValue(72)
    dock.output.setFilePath(str(out / "alle.pdf"))
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dock.progress.value() > 0, timeout=60000)
    qtbot.mouseClick(dock.cancel_button, Qt.LeftButton)
    finish(qtbot, dock)
    assert os.listdir(out) == []
    assert any("cancelled" in m for m in messages[Qgis.Info])


def test_missing_choices_and_failures_are_said_in_the_message_bar(dock, qtbot, messages, tmp_path):
    dock.output.setFilePath("")
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    assert dock.task is None and any("save" in m for m in messages[Qgis.Warning])
    dock.template.setCurrentIndex(dock.template.count() - 1)  # own template, not chosen
    dock.output.setFilePath(str(tmp_path / "x.pdf"))
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    assert dock.task is None and any(".qpt" in m for m in messages[Qgis.Warning])
    dock.template_file.setFilePath(str(tmp_path / "fehlt.qpt"))
    qtbot.mouseClick(dock.export_button, Qt.LeftButton)
    finish(qtbot, dock)
    assert any("does not exist" in m for m in messages[Qgis.Critical])
    assert os.listdir(tmp_path) == []
