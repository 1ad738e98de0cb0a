"""Runs inside the real QGIS desktop (qgis --code): load, inspect, unload, reload the plugin.

Writes what a user (or a plugin reviewer) would look at to the JSON file named by
HERNE_TWIN_CHECK_OUT, then quits QGIS. tests/test_plugin_desktop.py asserts on it.
"""

import gc
import json
import os
import threading
import traceback
import weakref

import qgis.utils
from qgis.core import Qgis, QgsApplication
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QThreadPool, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar
from qgis.utils import iface

NAME = "herne_twin_plugin"
PLUGIN_DOCKS = ("HerneTwinCatalogDock", "HerneTwinExportDock", "HerneTwinLiveSensorsDock", "HerneTwinSensorChartDock")
OUT = os.environ["HERNE_TWIN_CHECK_OUT"]
errors = []


def on_message(message, tag, level):
    if level == Qgis.Critical and tag in ("Python error", "Plugins", "Herne Digital Twin"):
        errors.append("{}: {}".format(tag, message))


QgsApplication.messageLog().messageReceived.connect(on_message)


def web_menu_entries():
    """Titles of the Web menu's submenus/actions."""
    return [action.text() for action in iface.webMenu().actions()]


def snapshot():
    window = iface.mainWindow()
    toolbars = [t for t in window.findChildren(QToolBar) if t.objectName() == "HerneTwinToolbar"]
    docks = [d for d in window.findChildren(QDockWidget) if d.objectName() in PLUGIN_DOCKS]
    provider = QgsApplication.processingRegistry().providerById("hernetwin")
    return {
        "loaded": NAME in qgis.utils.plugins,
        "active": NAME in qgis.utils.active_plugins,
        "web_menu": web_menu_entries(),
        "toolbars": [{"title": t.windowTitle(), "actions": [a.text() for a in t.actions()]} for t in toolbars],
        "docks": [{"title": d.windowTitle(), "visible": d.isVisible()} for d in docks],
        "provider": None if provider is None else {
            "name": provider.name(),
            "algorithms": sorted(a.id() for a in provider.algorithms()),
        },
        "python_threads": threading.active_count(),
        "thread_pool_active": QThreadPool.globalInstance().activeThreadCount(),
    }


def settle():
    """Run pending events, deleteLater() included (processEvents alone skips those)."""
    for _ in range(3):
        QgsApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()


def run():
    result = {}
    try:
        result["startup"] = snapshot()
        plugin_ref = weakref.ref(qgis.utils.plugins[NAME])
        dock = next(d for d in iface.mainWindow().findChildren(QDockWidget) if d.objectName() == "HerneTwinCatalogDock")
        dock.show()
        QgsApplication.processEvents()
        result["dock_shown"] = dock.isVisible()
        # the field dialogs open from their actions and must be gone after unload
        plugin = qgis.utils.plugins[NAME]
        plugin.show_field_package_wizard()
        plugin.show_field_sync()
        QgsApplication.processEvents()
        field_dialogs = [plugin.field_package_wizard, plugin.field_sync_dialog]
        result["field_dialog_titles"] = [d.windowTitle() for d in field_dialogs if d.isVisible()]
        del plugin

        result["unload_ok"] = qgis.utils.unloadPlugin(NAME)
        settle()
        result["after_unload"] = snapshot()
        result["plugin_object_freed"] = plugin_ref() is None
        result["dock_deleted"] = sip.isdeleted(dock)
        result["field_dialogs_deleted"] = all(sip.isdeleted(d) for d in field_dialogs)
        del field_dialogs

        result["reload_ok"] = qgis.utils.loadPlugin(NAME) and qgis.utils.startPlugin(NAME)
        result["after_reload"] = snapshot()
        qgis.utils.unloadPlugin(NAME)
        settle()
        result["after_second_unload"] = snapshot()
    except Exception:
        result["exception"] = traceback.format_exc()
    result["errors"] = errors
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    QgsApplication.exit(0)


QTimer.singleShot(1000, run)
