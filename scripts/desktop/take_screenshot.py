"""Runs inside the real QGIS desktop (qgis --code): show the plugin with its catalog dock
over the sample city and save a picture of the main window.

Environment: HERNE_TWIN_SCREENSHOT (PNG path), HERNE_TWIN_SAMPLE_GPKG (optional: layers to show).
"""

import os
import traceback

from qgis.core import QgsApplication, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget
from qgis.utils import iface

OUT = os.environ["HERNE_TWIN_SCREENSHOT"]
GPKG = os.environ.get("HERNE_TWIN_SAMPLE_GPKG", "")
LAYERS = ("districts", "starkregen_depth_classes", "building_footprints", "streets", "street_lights", "sensor_stations")


def add_sample_layers():
    if not GPKG or not os.path.exists(GPKG):
        return
    for name in LAYERS:
        layer = QgsVectorLayer("{}|layername={}".format(GPKG, name), name, "ogr")
        if layer.isValid():
            QgsProject.instance().addMapLayer(layer)
    districts = QgsProject.instance().mapLayersByName("districts")
    if districts:
        extent = QgsRectangle(districts[0].extent())
        extent.scale(1.05)
        iface.mapCanvas().setExtent(extent)


def show_dock():
    for dock in iface.mainWindow().findChildren(QDockWidget):
        if dock.objectName() == "HerneTwinCatalogDock":
            dock.show()
            dock.raise_()


def grab():
    try:
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        iface.mainWindow().grab().save(OUT)
    except Exception:
        traceback.print_exc()
    QgsApplication.exit(0)


def start():
    iface.mainWindow().showMaximized()
    add_sample_layers()
    show_dock()
    iface.mapCanvas().refreshAllLayers()
    QTimer.singleShot(6000, grab)  # time for the canvas to render and the dock to fill


QTimer.singleShot(1000, start)
