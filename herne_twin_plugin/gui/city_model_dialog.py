"""The dialog that imports LoD2 city model files into a GeoPackage and shows the result.

It collects the input (files or folders, the GeoPackage, options), runs the Processing
algorithm ``hernetwin:importcitymodel`` as a background task (progress bar, cancel) and
adds the imported layers, styled for 2D and 3D (core/citymodel_view). The import itself
lives in the algorithm; this dialog holds no import logic.
"""

import logging
import os

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProject,
    QgsReferencedRectangle,
)
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ..core.citymodel_view.city_model_layers import CityModelLayerError, add_city_model_layers
from ..core.feedback import ErrorKeepingFeedback
from ..core.i18n import tr
from ..core.settings import PluginSettings

LOG = logging.getLogger(__name__)

ALGORITHM_ID = "hernetwin:importcitymodel"
LAST_OUTPUT_KEY = "citymodel/last_output"
DEFAULT_OUTPUT_NAME = "herne_citymodel.gpkg"


def default_output(files, settings=None):
    """Where the GeoPackage goes unless the user says otherwise: the last one used, else beside
    the first input where that folder is writable, else in the home folder."""
    last = (settings or PluginSettings()).value(LAST_OUTPUT_KEY, "")
    if last and os.path.isdir(os.path.dirname(last)):
        return last
    for path in files:
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        if folder and os.access(folder, os.W_OK):
            return os.path.join(folder, DEFAULT_OUTPUT_NAME)
    return os.path.join(os.path.expanduser("~"), DEFAULT_OUTPUT_NAME)


class CityModelImportDialog(QDialog):
    """Import CityGML/CityJSON files; ``finished_import(dict)`` carries the added layers."""

    finished_import = pyqtSignal(dict)

    def __init__(self, iface, files=(), parent=None, project=None):
        super().__init__(parent)
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.settings = PluginSettings()
        self.task = None
        self.feedback = None
        self.context = None
        self._output = None
        self.setWindowTitle(tr("Import city model (LoD2)"))
        self.setMinimumWidth(560)

        self.file_list = QListWidget()
        self.file_list.setSelectionMode(QListWidget.ExtendedSelection)
        self.add_files_button = QPushButton(tr("Add files…"))
        self.add_folder_button = QPushButton(tr("Add folder…"))
        self.remove_button = QPushButton(tr("Remove"))
        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.output_widget = QgsFileWidget()
        self.output_widget.setStorageMode(QgsFileWidget.SaveFile)
        self.output_widget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.output_widget.setDialogTitle(tr("Save the city model as"))
        self.keep_parts_check = QCheckBox(tr("Keep building parts as features of their own"))
        self.extent_check = QCheckBox(tr("Only tiles that touch the current map extent"))
        self.extent_check.setToolTip(tr("Files named like NRW tiles (LoD2_32_E_N_1_NW) outside the map are left out."))
        self.style_combo = QComboBox()
        self.style_combo.addItem(tr("By building function"), "function")
        self.style_combo.addItem(tr("By height"), "height")

        form = QFormLayout()
        form.addRow(tr("GeoPackage"), self.output_widget)
        form.addRow(tr("Footprints"), self.style_combo)
        form.addRow("", self.keep_parts_check)
        form.addRow("", self.extent_check)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.hide()

        self.button_box = QDialogButtonBox()
        self.import_button = self.button_box.addButton(tr("Import"), QDialogButtonBox.AcceptRole)
        self.close_button = self.button_box.addButton(QDialogButtonBox.Close)
        self.cancel_button = self.button_box.addButton(QDialogButtonBox.Cancel)
        self.cancel_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("CityGML (1.0, 2.0) and CityJSON files, or folders of NRW LoD2 tiles:")))
        layout.addWidget(self.file_list)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button_box)

        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self.cancel_import)

        self.add_inputs(files)
        self.output_widget.setFilePath(default_output(self.inputs(), self.settings))
        self.extent_check.setEnabled(self._map_extent() is not None)

    # -- input -----------------------------------------------------------------------
    def inputs(self):
        return [self.file_list.item(row).text() for row in range(self.file_list.count())]

    def add_inputs(self, paths):
        known = set(self.inputs())
        for path in paths:
            path = os.path.abspath(os.fspath(path))
            if path not in known:
                self.file_list.addItem(path)
                known.add(path)

    def choose_files(self):
        files, _filter = QFileDialog.getOpenFileNames(
            self, tr("City model files"), "", tr("City models (*.gml *.xml *.json *.jsonl);;All files (*)"))
        self.add_inputs(files)

    def choose_folder(self):
        folder = QFileDialog.getExistingDirectory(self, tr("Folder of city model tiles"))
        if folder:
            self.add_inputs([folder])

    def remove_selected(self):
        for item in self.file_list.selectedItems():
            self.file_list.takeItem(self.file_list.row(item))

    def _map_extent(self):
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is None or canvas.extent().isEmpty():
            return None
        return QgsReferencedRectangle(canvas.extent(), canvas.mapSettings().destinationCrs())

    def parameters(self):
        """The algorithm's parameters; ValueError with the user's reason for missing input."""
        inputs = self.inputs()
        if not inputs:
            raise ValueError(tr("Add at least one city model file or folder."))
        output = self.output_widget.filePath().strip()
        if not output:
            raise ValueError(tr("Choose the GeoPackage to write."))
        if not output.lower().endswith(".gpkg"):
            output += ".gpkg"
        if not os.path.isdir(os.path.dirname(os.path.abspath(output))):
            raise ValueError(tr("The folder of {path} does not exist.").format(path=output))
        parameters = {"OUTPUT": output, "KEEP_PARTS": self.keep_parts_check.isChecked()}
        # The algorithm takes one folder (INPUT) and any files and further folders as a list (FILES).
        folders = [path for path in inputs if os.path.isdir(path)]
        if folders:
            parameters["INPUT"] = folders[0]
        others = [path for path in inputs if path != parameters.get("INPUT")]
        if others:
            parameters["FILES"] = "\n".join(others)
        extent = self._map_extent() if self.extent_check.isChecked() else None
        if extent is not None:
            parameters["EXTENT"] = extent
        return parameters

    # -- running ---------------------------------------------------------------------
    def start_import(self):
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM_ID)
        try:
            if algorithm is None:
                raise ValueError(tr("The city model importer ({id}) is not available.").format(id=ALGORITHM_ID))
            parameters = self.parameters()
        except ValueError as error:
            self._show_error(str(error))
            return
        self.settings.set_value(LAST_OUTPUT_KEY, parameters["OUTPUT"])
        self.context = QgsProcessingContext()
        self.context.setProject(self.project)
        self.feedback = ErrorKeepingFeedback()
        self.feedback.progressChanged.connect(self._progress)
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(self._finished)
        self._running(True)
        self.status_label.setText(tr("Importing {count} input(s)…").format(count=len(self.inputs())))
        LOG.info("City model import into %s started", parameters["OUTPUT"])
        self._output = parameters["OUTPUT"]
        QgsApplication.taskManager().addTask(self.task)

    def cancel_import(self):
        if self.feedback is not None:
            self.feedback.cancel()
            self.status_label.setText(tr("Canceling… the tile being read is rolled back."))

    def _progress(self, value):
        self.progress_bar.setValue(int(value))

    def _running(self, running):
        self.progress_bar.setVisible(running)
        self.progress_bar.setValue(0)
        self.cancel_button.setVisible(running)
        for widget in (self.import_button, self.close_button, self.add_files_button, self.add_folder_button,
                       self.remove_button, self.output_widget, self.keep_parts_check, self.extent_check,
                       self.style_combo, self.file_list):
            widget.setEnabled(not running)

    def _finished(self, ok, results):
        canceled = self.feedback is not None and self.feedback.isCanceled()
        self.task = None
        self._running(False)
        output = (results or {}).get("OUTPUT") or self._output
        if not ok and not canceled:
            reason = self.feedback.errors[-1] if self.feedback.errors else tr("see the Processing log")
            self._show_error(tr("The import failed: {reason}").format(reason=reason))
            return
        if canceled and not os.path.isfile(output):
            self._show_error(tr("The import was canceled before a tile was written."))
            return
        try:  # after a cancel the tiles imported so far are complete: show them
            layers = add_city_model_layers(output, self.project, footprint_style=self.style_combo.currentData())
        except CityModelLayerError as error:
            self._show_error(str(error))
            return
        count = layers["buildings"].featureCount()
        if canceled:
            self._show_error(tr("The import was canceled; the {count} buildings of the tiles imported "
                                "before are kept in {path}.").format(count=count, path=output))
        else:
            message = tr("{imported} buildings imported, {failed} failed (listed in import_failures); "
                         "{count} buildings in {path}.").format(
                imported=results.get("BUILDINGS", 0), failed=results.get("FAILED", 0), count=count, path=output)
            self.status_label.setStyleSheet("")
            self.status_label.setText(message)
            LOG.info("City model import finished: %s", message)
            if self.iface is not None:
                self.iface.messageBar().pushMessage(tr("City model"), message, Qgis.Success, 8)
        self.finished_import.emit(layers)

    def _show_error(self, message):
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)
        LOG.warning("City model import: %s", message)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("City model"), message, Qgis.Warning, 10)

    def reject(self):
        if self.task is not None:  # closing while it runs means cancel
            self.cancel_import()
            return
        super().reject()
