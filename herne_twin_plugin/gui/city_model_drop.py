"""Drop CityGML or CityJSON files on QGIS: they open in the city model import dialog.

QGIS would open a CityGML tile with GDAL's GML driver (3D line strings, no solids) and
fail on CityJSON. The handler claims files that are city models (core/citymodel_view/
city_model_files: a look at their first bytes) and leaves every other file to QGIS.
Files dropped together open one dialog. A file that looks like CityGML but declares XML
entities is claimed and refused with a warning, so that no reader opens it.

plugin.py registers it with ``iface.registerCustomDropHandler`` and unregisters it on unload.
"""

import logging

from qgis.core import Qgis
from qgis.gui import QgsCustomDropHandler
from qgis.PyQt.QtCore import QTimer

from ..core.citymodel_view.city_model_files import inspect_file
from ..core.i18n import tr

LOG = logging.getLogger(__name__)


class CityModelDropHandler(QgsCustomDropHandler):
    """``open_import(paths)`` shows the import for the dropped city models (default: the dialog)."""

    def __init__(self, iface, open_import=None):
        super().__init__()
        self.iface = iface
        self.open_import = open_import or self._open_dialog
        self.pending = []
        self.dialog = None

    def handleFileDrop(self, path):  # noqa: N802 (QGIS API name)
        try:
            inspected = inspect_file(path)
        except Exception:  # a drop must never take QGIS down; QGIS then handles the file itself
            LOG.exception("Could not inspect the dropped file %s", path)
            return False
        if inspected.kind is None:
            return False
        if inspected.refusal:
            message = tr("{path} is not imported: {reason}").format(path=path, reason=inspected.refusal)
            LOG.warning(message)
            if self.iface is not None:
                self.iface.messageBar().pushMessage(tr("City model"), message, Qgis.Warning, 10)
            return True
        if not self.pending:  # the other files of the same drop arrive before the timer fires
            QTimer.singleShot(0, self.flush)
        self.pending.append(inspected.path)
        return True

    def flush(self):
        paths, self.pending = self.pending, []
        if paths:
            self.open_import(paths)

    def _open_dialog(self, paths):
        from .city_model_dialog import CityModelImportDialog

        if self.dialog is not None and self.dialog.isVisible() and self.dialog.task is None:
            self.dialog.add_inputs(paths)  # an open, idle dialog takes the new files
        else:
            if self.dialog is not None and not self.dialog.isVisible():
                self.dialog.deleteLater()
            parent = self.iface.mainWindow() if self.iface is not None else None
            self.dialog = CityModelImportDialog(self.iface, paths, parent)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
