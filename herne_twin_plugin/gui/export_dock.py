"""The map export dock: a map or an atlas of the project on one of the twin's templates in
one click, with progress and cancel.

The dock only collects choices: the work is ``hernetwin:exportmap`` or
``hernetwin:exportatlas``, run as a QgsProcessingAlgRunnerTask in QGIS's task manager so
QGIS stays usable meanwhile. Results and failures go to the message bar and the log.
"""

import logging
import os

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProject,
)
from qgis.gui import QgsDockWidget, QgsExtentGroupBox, QgsFieldExpressionWidget, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.export.map_export import MAX_DPI, MIN_DPI
from ..core.export.project_layers import DISTRICT_NAME_FIELDS
from ..core.export.templates import TEMPLATE_KEYS, district_layers, template_labels
from ..core.feedback import ErrorKeepingFeedback
from ..core.i18n import tr
from .messages import tell

LOGGER = logging.getLogger(__name__)

MAP, ATLAS = 0, 1
ALGORITHMS = {MAP: "hernetwin:exportmap", ATLAS: "hernetwin:exportatlas"}
OWN_TEMPLATE = len(TEMPLATE_KEYS)  # index of "own template file" in the template chooser


class ExportDock(QgsDockWidget):
    def __init__(self, iface, parent=None, project=None):
        super().__init__(tr("Maps and atlases"), parent)
        self.setObjectName("HerneTwinExportDock")
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.task = None
        self.feedback = None
        self.results = None
        self._build()
        self.project.mapThemeCollection().mapThemesChanged.connect(self.refresh_project_choices)
        self.project.layersAdded.connect(self.refresh_project_choices)
        self.project.layersRemoved.connect(self.refresh_project_choices)
        self.refresh_project_choices()

    # -- widgets ----------------------------------------------------------------------------

    def _build(self):
        body = QWidget()
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItems([tr("Map"), tr("Atlas (one page per feature)")])
        form.addRow(tr("Export"), self.kind)

        self.template = QComboBox()
        self.template.addItems(template_labels() + [tr("Own template file (.qpt)")])
        self.template.setCurrentIndex(TEMPLATE_KEYS.index("a4_landscape"))
        form.addRow(tr("Template"), self.template)
        self.template_file = QgsFileWidget()
        self.template_file.setFilter(tr("QGIS layout templates (*.qpt)"))
        form.addRow("", self.template_file)

        self.theme = QComboBox()
        form.addRow(tr("Layers"), self.theme)

        # map: a district or an extent
        self.district = QComboBox()
        form.addRow(tr("District"), self.district)
        self.extent = QgsExtentGroupBox()
        self.extent.setTitle(tr("Extent"))
        self.extent.setCheckable(False)
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is not None:
            self.extent.setOutputCrs(self.project.crs())
            self.extent.setCurrentExtent(canvas.extent(), canvas.mapSettings().destinationCrs())
            self.extent.setOriginalExtent(canvas.extent(), canvas.mapSettings().destinationCrs())
            self.extent.setOutputExtentFromCurrent()
        form.addRow(self.extent)

        # atlas: coverage, sort, filter, one file or many
        self.coverage = QgsMapLayerComboBox()
        self.coverage.setFilters(QgsMapLayerProxyModel.VectorLayer)
        form.addRow(tr("One page per feature of"), self.coverage)
        self.sort = QgsFieldExpressionWidget()
        form.addRow(tr("Sort by"), self.sort)
        self.filter = QgsFieldExpressionWidget()
        form.addRow(tr("Filter"), self.filter)
        self.single_file = QCheckBox(tr("All pages in one PDF"))
        self.single_file.setChecked(True)
        form.addRow("", self.single_file)
        self.coverage.layerChanged.connect(self.sort.setLayer)
        self.coverage.layerChanged.connect(self.filter.setLayer)

        self.title = QLineEdit(tr("Herne Digital Twin"))
        form.addRow(tr("Title"), self.title)
        self.author = QLineEdit()
        form.addRow(tr("Author"), self.author)
        self.language = QComboBox()
        self.language.addItems([tr("German"), tr("English")])
        form.addRow(tr("Language of the map"), self.language)
        formats = QHBoxLayout()
        self.formats = {}
        for index, name in enumerate(("PDF", "PNG", "SVG")):
            box = QCheckBox(name)
            box.setChecked(index < 2)
            formats.addWidget(box)
            self.formats[index] = box
        self.formats_row = QWidget()
        self.formats_row.setLayout(formats)
        form.addRow(tr("Formats"), self.formats_row)
        self.dpi = QSpinBox()
        self.dpi.setRange(MIN_DPI, MAX_DPI)
        self.dpi.setValue(300)
        self.dpi.setSuffix(" dpi")
        form.addRow(tr("Resolution"), self.dpi)
        self.output = QgsFileWidget()
        self.output.setStorageMode(QgsFileWidget.SaveFile)
        self.output.setFilter(tr("PDF files (*.pdf)"))
        form.addRow(tr("Save as"), self.output)

        self.export_button = QPushButton(tr("Export"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)

        column = QVBoxLayout()
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addStretch(1)
        body.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self.form = form

        self.kind.currentIndexChanged.connect(self._show_kind)
        self.template.currentIndexChanged.connect(
            lambda index: self.template_file.setVisible(index == OWN_TEMPLATE))
        self.district.currentIndexChanged.connect(lambda index: self.extent.setEnabled(index == 0))
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.template_file.setVisible(False)
        self._show_kind(MAP)

    def _show_kind(self, kind):
        for widget in (self.district, self.extent, self.formats_row):
            self._set_row_visible(widget, kind == MAP)
        for widget in (self.coverage, self.sort, self.filter, self.single_file):
            self._set_row_visible(widget, kind == ATLAS)

    def _set_row_visible(self, widget, visible):
        widget.setVisible(visible)
        label = self.form.labelForField(widget)
        if label is not None:
            label.setVisible(visible)

    def refresh_project_choices(self, *_args):
        """Map themes and districts of the project (after themes or layers changed)."""
        current_theme = self.theme.currentData()
        self.theme.clear()
        self.theme.addItem(tr("Visible layers"), "")
        for name in self.project.mapThemeCollection().mapThemes():
            self.theme.addItem(tr("Map theme: {name}").format(name=name), name)
        index = self.theme.findData(current_theme)
        self.theme.setCurrentIndex(max(index, 0))

        current_district = self.district.currentText()
        self.district.clear()
        self.district.addItem(tr("(the extent below)"))
        names = set()
        for layer in district_layers(self.project):
            field = next((f for f in DISTRICT_NAME_FIELDS if layer.fields().indexOf(f) >= 0), None)
            if field:
                names.update(str(feature[field]) for feature in layer.getFeatures())
        self.district.addItems(sorted(names))
        index = self.district.findText(current_district)
        self.district.setCurrentIndex(max(index, 0))

    # -- running ------------------------------------------------------------------------------

    def parameters(self):
        """The algorithm's id and parameters from the dock's choices; ValueError says what is missing."""
        output = self.output.filePath().strip()
        if not output:
            raise ValueError(tr("Choose where to save the export."))
        if not output.lower().endswith(".pdf"):
            output = os.path.splitext(output)[0] + ".pdf"
        parameters = {"TEMPLATE": self.template.currentIndex(), "TITLE": self.title.text(),
                      "AUTHOR": self.author.text(), "LANGUAGE": self.language.currentIndex(),
                      "DPI": self.dpi.value(), "OUTPUT": output}
        if self.template.currentIndex() == OWN_TEMPLATE:
            if not self.template_file.filePath():
                raise ValueError(tr("Choose a template file (.qpt) or one of the three templates."))
            parameters["TEMPLATE_FILE"] = self.template_file.filePath()
        kind = self.kind.currentIndex()
        theme = self.theme.currentData()
        if kind == MAP:
            if theme:
                parameters["THEME"] = theme
            formats = [index for index, box in self.formats.items() if box.isChecked()]
            if not formats:
                raise ValueError(tr("Choose at least one format."))
            parameters["FORMATS"] = formats
            if self.district.currentIndex() > 0:
                parameters["DISTRICT"] = self.district.currentText()
            elif not self.extent.outputExtent().isEmpty():  # else: the extent of the map's layers
                extent = self.extent.outputExtent()
                parameters["EXTENT"] = "{},{},{},{} [{}]".format(
                    extent.xMinimum(), extent.xMaximum(), extent.yMinimum(), extent.yMaximum(),
                    self.extent.outputCrs().authid())
        else:
            coverage = self.coverage.currentLayer()
            if coverage is None:
                raise ValueError(tr("Choose the layer whose features make the pages."))
            parameters.update({"COVERAGE": coverage.id(), "SORT": self.sort.expression(),
                               "FILTER": self.filter.expression(), "SINGLE_FILE": self.single_file.isChecked()})
            if theme:
                shown = self.project.mapThemeCollection().mapThemeVisibleLayerIds(theme)
                parameters["LAYERS"] = [layer.id() for layer in self.project.layerTreeRoot().layerOrder()
                                        if layer.id() in shown]
        return ALGORITHMS[kind], parameters

    def start_export(self):
        if self.task is not None:
            return
        try:
            algorithm_id, parameters = self.parameters()
        except ValueError as error:
            self._message(str(error), Qgis.Warning)
            return
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
        if algorithm is None:
            self._message(tr("The algorithm {id} is not available: is the plugin's Processing provider loaded?")
                          .format(id=algorithm_id), Qgis.Critical)
            return
        self.context = QgsProcessingContext()
        self.context.setProject(self.project)
        self.feedback = ErrorKeepingFeedback()
        self.feedback.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self.results = None
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(self._finished)
        self._running(True)
        self.status.setText(tr("Exporting to {path} …").format(path=parameters["OUTPUT"]))
        LOGGER.info("export started: %s -> %s", algorithm_id, parameters["OUTPUT"])
        QgsApplication.taskManager().addTask(self.task)

    def cancel_export(self):
        if self.feedback is not None:
            self.feedback.cancel()
            self.status.setText(tr("Cancelling …"))

    def _running(self, running):
        self.export_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setValue(0)

    def _finished(self, ok, results):
        canceled = self.feedback is not None and self.feedback.isCanceled()
        errors = self.feedback.errors if self.feedback is not None else []
        self.task = None
        self._running(False)
        if canceled:
            self._message(tr("The export was cancelled; no file was written."), Qgis.Info)
        elif not ok or not results:
            reason = errors[-1] if errors else tr("unknown error")
            self._message(tr("The export failed: {reason}").format(reason=reason), Qgis.Critical)
        else:
            self.results = results
            self.progress.setValue(100)
            written = results.get("OUTPUT_FILES") or ";".join(
                results[key] for key in ("OUTPUT_PDF", "OUTPUT_PNG", "OUTPUT_SVG") if results.get(key))
            files = [path for path in written.split(";") if path]
            self._message(tr("Exported {count} file(s): {first}").format(count=len(files), first=files[0]),
                          Qgis.Success)

    def _message(self, text, level):
        tell(self.iface, self.status, tr("Maps and atlases"), text, level)

    def close_connections(self):
        """Disconnect from the project and cancel a running export (the plugin calls it on unload)."""
        self.cancel_export()
        themes = self.project.mapThemeCollection()
        for signal in (themes.mapThemesChanged, self.project.layersAdded, self.project.layersRemoved):
            try:
                signal.disconnect(self.refresh_project_choices)
            except TypeError:
                pass
