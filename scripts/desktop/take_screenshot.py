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
    """The sample city, styled as the plugin styles it, zoomed to Herne-Mitte."""
    from herne_twin_plugin.core import styles

    if not GPKG or not os.path.exists(GPKG):
        return
    styling = {
        "districts": styles.style_districts,
        "starkregen_depth_classes": styles.style_depth_classes,
        "building_footprints": styles.style_building_footprints,
        "street_lights": styles.style_street_lights,
        "sensor_stations": styles.style_sensor_stations,
    }
    for name in LAYERS:
        layer = QgsVectorLayer("{}|layername={}".format(GPKG, name), name, "ogr")
        if layer.isValid():
            if name in styling:
                styling[name](layer)
            QgsProject.instance().addMapLayer(layer)


def zoom_to_herne_mitte():
    """After the window has its final size, so the extent is not fitted to a smaller canvas."""
    iface.mapCanvas().setExtent(QgsRectangle(368850, 5712850, 370550, 5714550))
    iface.mapCanvas().refresh()


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
    try:
        iface.mainWindow().showMaximized()
        add_sample_layers()
        show_dock()
        QTimer.singleShot(1500, zoom_to_herne_mitte)
    finally:  # a picture (and an exit) even when something above failed
        QTimer.singleShot(6000, grab)  # time for the canvas to render and the dock to fill


QTimer.singleShot(1000, start)
