"""Runs inside the real QGIS desktop (qgis --code): drop a CityGML tile on the map and import it.

Registers the plugin's drop handler (as plugin.py does), drags the tile named by
HERNE_TWIN_DROP_FILE onto the map canvas the way Qt delivers a drop (drag enter, then
drop), lets the import dialog that opens run ``hernetwin:importcitymodel`` into
HERNE_TWIN_DROP_GPKG, and writes what a user would see to the JSON file
HERNE_TWIN_CHECK_OUT. Then quits QGIS. tests/test_citymodel_view.py asserts on it.
"""

import json
import os
import traceback

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.utils import iface

OUT = os.environ["HERNE_TWIN_CHECK_OUT"]
TILE = os.environ["HERNE_TWIN_DROP_FILE"]
GPKG = os.environ["HERNE_TWIN_DROP_GPKG"]
result = {"steps": []}
state = {"waited": 0}


def finish():
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    QgsApplication.exit(0)


def guarded(step):
    def run():
        try:
            step()
        except Exception:
            result["error"] = traceback.format_exc()
            finish()
    return run


@guarded
def drop():
    import qgis.utils

    # The handler the plugin registered at start-up: the one a user's drop reaches.
    state["handler"] = qgis.utils.plugins["herne_twin_plugin"].city_model_drop
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(TILE)])
    viewport = iface.mapCanvas().viewport()
    QCoreApplication.sendEvent(viewport, QDragEnterEvent(QPoint(300, 300), Qt.CopyAction, mime, Qt.LeftButton,
                                                         Qt.NoModifier))
    event = QDropEvent(QPointF(300, 300), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QCoreApplication.sendEvent(viewport, event)
    result["drop_accepted"] = event.isAccepted()
    result["steps"].append("dropped")
    QTimer.singleShot(1500, start_import)


@guarded
def start_import():
    dialog = state["handler"].dialog
    result["dialog_open"] = dialog is not None and dialog.isVisible()
    result["dialog_inputs"] = dialog.inputs() if dialog is not None else None
    result["layers_opened_by_qgis"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
    if not result["dialog_open"]:
        finish()
        return
    dialog.output_widget.setFilePath(GPKG)
    dialog.start_import()
    result["steps"].append("import started")
    QTimer.singleShot(500, wait_for_import)


@guarded
def wait_for_import():
    dialog = state["handler"].dialog
    if dialog.task is not None and state["waited"] < 240:
        state["waited"] += 0.5
        QTimer.singleShot(500, wait_for_import)
        return
    result["status"] = dialog.status_label.text()
    project = QgsProject.instance()
    group = project.layerTreeRoot().findGroup("Stadtmodell (LoD2)") or project.layerTreeRoot().findGroup(
        "City model (LoD2)")
    result["group"] = group.name() if group else None
    result["layers"] = {
        layer.name(): {
            "features": layer.featureCount(),
            "renderer_3d": layer.renderer3D().type() if layer.renderer3D() is not None else None,
            "renderer_2d": layer.renderer().type() if layer.renderer() is not None else None,
        }
        for layer in project.mapLayers().values()
    }
    dialog.close()
    project.clear()
    finish()


QTimer.singleShot(1000, drop)
