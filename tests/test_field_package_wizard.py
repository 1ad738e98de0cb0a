"""The 'Create field package' wizard: pages, pre-check page, a package made and one cancelled."""

import os
import time

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt

from herne_twin_plugin.gui.field.package_wizard import AREA_DISTRICT, AREA_DRAWN, PackageWizard

SQUARE = "POLYGON((369300 5713300,369700 5713300,369700 5713700,369300 5713700,369300 5713300))"


def wait_for(condition, timeout_s=120):
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        QgsApplication.processEvents()
        time.sleep(0.02)
    return condition()


def make_project(backend):
    project = QgsProject()
    lights = QgsVectorLayer("url='{}' typename='street_lights' version='1.1.0' srsname='EPSG:25832'".format(
        backend.wfs_url), "Straßenbeleuchtung", "WFS")
    scratch = QgsVectorLayer("Point?crs=EPSG:25832&field=light_uuid:string", "Notizen", "memory")
    districts = QgsVectorLayer("{}|layername=districts".format(os.path.join(backend.data_dir, "herne_sample.gpkg")),
                               "Bezirke", "ogr")
    project.addMapLayers([lights, scratch, districts])
    return project, lights, scratch, districts


def test_the_pages_describe_the_algorithm_parameters(qgis_iface, city_backend):
    project, lights, scratch, districts = make_project(city_backend)
    wizard = PackageWizard(qgis_iface, project=project)
    try:
        wizard.layers_page.initializePage()
        labels = [wizard.layers_page.layers.item(row).text() for row in range(wizard.layers_page.layers.count())]
        assert "Straßenbeleuchtung (WFS)" in labels and "Notizen (temporary layer)" in labels
        assert not wizard.layers_page.isComplete()
        wizard.layers_page.check(lights.id())
        assert wizard.layers_page.isComplete()
        wizard.area_page.district_button.setChecked(True)
        wizard.area_page.districts.setLayer(districts)
        assert wizard.area_page.area_kind() == AREA_DISTRICT
        names = [wizard.area_page.district_name.itemText(i) for i in range(wizard.area_page.district_name.count())]
        assert "Herne-Mitte" in names
        wizard.area_page.district_name.setCurrentText("Herne-Mitte")
        wizard.output_page.folder.setFilePath("/tmp/out")
        wizard.output_page.name.setText("mitte")
        parameters = wizard.parameters()
        assert parameters["LAYERS"] == [lights]
        assert parameters["AREA"] is districts and parameters["DISTRICT"] == "Herne-Mitte"
        assert (parameters["OUTPUT"], parameters["NAME"]) == ("/tmp/out", "mitte")
        wizard.area_page.set_drawn(QgsGeometry.fromWkt(SQUARE), QgsCoordinateReferenceSystem("EPSG:25832"))
        assert wizard.area_page.area_kind() == AREA_DRAWN
        drawn = wizard.parameters()["AREA"]
        assert [feature.geometry().area() for feature in drawn.getFeatures()] == [160000.0]
    finally:
        wizard.deleteLater()
        project.clear()


def test_the_pre_check_page_lists_the_reasons_and_blocks(qgis_iface, city_backend):
    project, lights, scratch, _districts = make_project(city_backend)
    wizard = PackageWizard(qgis_iface, project=project)
    try:
        wizard.layers_page.initializePage()
        wizard.area_page.set_drawn(QgsGeometry.fromWkt(SQUARE), QgsCoordinateReferenceSystem("EPSG:25832"))
        wizard.layers_page.check(scratch.id())
        page = wizard.precheck_page
        page.initializePage()
        assert wait_for(lambda: page.task is None and page.result is not None)
        texts = [page.reasons.item(row).text() for row in range(page.reasons.count())]
        assert texts[0].startswith("Notizen: ") and all("Notizen: " in text for text in texts)
        assert not page.isComplete()
        wizard.layers_page.check(scratch.id(), False)
        wizard.layers_page.check(lights.id())
        page.initializePage()
        assert wait_for(lambda: page.task is None and page.result is not None)
        assert page.isComplete()
    finally:
        wizard.deleteLater()
        project.clear()


def test_the_wizard_makes_the_package_and_a_cancel_leaves_nothing(qgis_iface, hernetwin_provider, city_backend,
                                                                   tmp_path):
    project, lights, _scratch, _districts = make_project(city_backend)
    wizard = PackageWizard(qgis_iface, project=project)
    made = []
    wizard.finished_package.connect(made.append)
    try:
        wizard.layers_page.initializePage()
        wizard.layers_page.check(lights.id())
        wizard.area_page.set_drawn(QgsGeometry.fromWkt(SQUARE), QgsCoordinateReferenceSystem("EPSG:25832"))
        wizard.output_page.folder.setFilePath(str(tmp_path / "cancelled"))
        wizard.output_page.name.setText("abbruch")
        wizard.start()
        assert wizard.task is not None and wizard.output_page.cancel_button.isEnabled()
        wizard.cancel()
        assert wait_for(lambda: wizard.task is None)
        assert not os.path.exists(str(tmp_path / "cancelled" / "abbruch"))
        assert made == []

        wizard.output_page.folder.setFilePath(str(tmp_path))
        wizard.output_page.name.setText("quadrat")
        wizard.start()
        assert wait_for(lambda: wizard.task is None)
        assert made and made[0]["PACKAGE"] == str(tmp_path / "quadrat" / "quadrat.gpkg")
        assert os.path.isfile(made[0]["PROJECT"]) and made[0]["FEATURE_COUNT"] > 0
        assert wizard.output_page.progress.value() == 100
        assert wizard.result() == wizard.Accepted
        # shown again (the plugin keeps one wizard), it starts over at the first page
        assert wizard.currentPage() is wizard.layers_page and wizard.results is None
    finally:
        wizard.deleteLater()
        project.clear()


def test_a_failed_run_says_why_in_the_wizard(qgis_iface, hernetwin_provider, city_backend, tmp_path):
    project, lights, _scratch, _districts = make_project(city_backend)
    wizard = PackageWizard(qgis_iface, project=project)
    try:
        wizard.layers_page.initializePage()
        wizard.layers_page.check(lights.id())
        wizard.area_page.set_drawn(QgsGeometry.fromWkt(SQUARE), QgsCoordinateReferenceSystem("EPSG:25832"))
        (tmp_path / "schon_da").mkdir()
        wizard.output_page.folder.setFilePath(str(tmp_path))
        wizard.output_page.name.setText("schon_da")
        wizard.start()
        assert wait_for(lambda: wizard.task is None)
        assert "exists already" in wizard.output_page.status.text()
        assert wizard.results is None
    finally:
        wizard.deleteLater()
        project.clear()


def test_layer_items_are_checkable(qgis_iface, city_backend):
    project, _lights, _scratch, _districts = make_project(city_backend)
    wizard = PackageWizard(qgis_iface, project=project)
    try:
        wizard.layers_page.initializePage()
        item = wizard.layers_page.layers.item(0)
        assert item.flags() & Qt.ItemIsUserCheckable
    finally:
        wizard.deleteLater()
        project.clear()
