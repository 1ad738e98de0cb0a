"""Runs inside the real QGIS desktop (qgis --code): open a synced field package with open
conflicts, show the sync dialog (receipts of the last sync) and the conflict dialog, and
save a picture of each.

Environment: HERNE_TWIN_FIELD_PACKAGE (the package's .gpkg), HERNE_TWIN_SCREENSHOT_DIR
(where the PNGs go), HERNE_TWIN_CONFLICT_KEY (optional: the conflict to show first).
"""

import os
import traceback

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface

GPKG = os.environ["HERNE_TWIN_FIELD_PACKAGE"]
OUT_DIR = os.environ["HERNE_TWIN_SCREENSHOT_DIR"]
FIRST_KEY = os.environ.get("HERNE_TWIN_CONFLICT_KEY", "")
dialogs = {}


def open_package():
    """The package's offline project where it has one, else its synced layers."""
    project_file = os.path.splitext(GPKG)[0] + ".qgz"
    if os.path.isfile(project_file) and QgsProject.instance().read(project_file):
        return
    for name in ("street_lights", "inspections"):
        layer = QgsVectorLayer("{}|layername={}".format(GPKG, name), name, "ogr")
        if layer.isValid():
            QgsProject.instance().addMapLayer(layer)


def show_dialogs():
    from herne_twin_plugin.gui.field.conflict_dialog import ConflictDialog
    from herne_twin_plugin.gui.field.sync_dialog import SyncDialog

    sync = SyncDialog(iface, iface.mainWindow(), package=GPKG)
    sync.chosen_package()
    sync.show_receipts()
    sync.refresh_conflicts()
    sync.status.setText(sync.receipts.counts_label.text())
    sync.progress.setValue(100)
    sync.resize(1200, 560)
    sync.move(10, 10)
    sync.show()
    conflicts = ConflictDialog(GPKG, iface.mainWindow(), iface=iface)
    if FIRST_KEY:
        conflicts.select("street_lights", FIRST_KEY)
    conflicts.resize(1260, 780)
    conflicts.move(300, 180)
    conflicts.show()
    dialogs.update(sync=sync, conflicts=conflicts)


def grab():
    try:
        os.makedirs(OUT_DIR, exist_ok=True)
        dialogs["sync"].grab().save(os.path.join(OUT_DIR, "screenshot_field_sync.png"))
        dialogs["conflicts"].grab().save(os.path.join(OUT_DIR, "screenshot_conflict.png"))
    except Exception:
        traceback.print_exc()
    QgsApplication.exit(0)


def start():
    try:
        iface.mainWindow().showMaximized()
        open_package()
        show_dialogs()
    except Exception:
        traceback.print_exc()
    finally:  # a picture (and an exit) even when something above failed
        QTimer.singleShot(5000, grab)  # time for the preview canvas to render


QTimer.singleShot(1000, start)
