"""The demo's map export, checked as a person would: open the PDF's text, look at the PNG."""

import os
import shutil
import subprocess

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtGui import QImage

from herne_twin_plugin.core.export.map_export import MapExportError, build_layout, export_layout


@pytest.fixture
def lights_project(qgis_app):
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    layer = QgsVectorLayer("Point?crs=EPSG:25832&field=light_point_no:string", "Straßenbeleuchtung", "memory")
    features = []
    for index in range(20):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["HER-{:05d}".format(index)])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(369000 + index * 50, 5713500 + (index % 5) * 80)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    project.addMapLayer(layer)
    return project, layer


def test_export_pdf_and_png_show_title_legend_and_as_of(lights_project, tmp_path):
    project, layer = lights_project
    extent = layer.extent().buffered(200)
    layout = build_layout(project, [layer], extent, "Herne – Testkarte", subtitle="synthetisch", as_of="2026-11-26")
    result = export_layout(layout, str(tmp_path / "map.pdf"), str(tmp_path / "map.png"), dpi=72)
    assert set(result) == {"pdf", "png"}
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", result["pdf"], "-"], capture_output=True, text=True).stdout
        assert "Herne – Testkarte" in text
        assert "Straßenbeleuchtung" in text  # legend entry
        assert "2026-11-26" in text
    image = QImage(result["png"])
    assert image.width() > 500 and image.height() > 300
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3, "the exported PNG is blank"
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".partial-")]


def test_unwritable_folder_gives_a_clear_error_and_no_file(lights_project, tmp_path):
    project, layer = lights_project
    layout = build_layout(project, [layer], layer.extent(), "Herne")
    with pytest.raises(MapExportError, match="Cannot write"):
        export_layout(layout, pdf_path=str(tmp_path / "missing-folder" / "map.pdf"))
    assert not (tmp_path / "missing-folder").exists()
