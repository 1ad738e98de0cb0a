"""The wizard that makes a field package: layers -> area -> filter -> basemap, sensors, hazard
-> pre-check -> output. It runs ``hernetwin:packagefield`` in QGIS's task manager (progress,
cancel) and opens the package's project on request. The pre-check runs in a QgsTask too:
it reads the layers from their servers."""

import logging
import os

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsMapLayerType,
    QgsPointXY,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProject,
    QgsTask,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsFieldExpressionWidget, QgsFileWidget, QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ...core.feedback import ErrorKeepingFeedback
from ...core.field import package as package_module
from ...core.field.basemap import DEFAULT_RESOLUTION_M
from ...core.field.manifest import PACKAGE_CRS
from ...core.field.precheck import precheck
from ...core.i18n import tr
from ..messages import tell

LOGGER = logging.getLogger(__name__)
ALGORITHM_ID = "hernetwin:packagefield"
AREA_EXTENT, AREA_DISTRICT, AREA_DRAWN = "extent", "district", "drawn"


class PolygonMapTool(QgsMapTool):
    """Draw the package area: left click adds a corner, right click closes the polygon."""

    drawn = pyqtSignal(object)  # QgsGeometry in the canvas CRS

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points = []
        self.band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
        self.band.setColor(QColor(200, 30, 30, 60))
        self.band.setStrokeColor(QColor(200, 30, 30))

    def canvasReleaseEvent(self, event):  # noqa: N802 (Qt API name)
        if event.button() == Qt.RightButton:
            if len(self.points) >= 3:
                self.drawn.emit(QgsGeometry.fromPolygonXY([self.points + [self.points[0]]]))
            self.reset()
            return
        self.points.append(QgsPointXY(event.mapPoint()))
        self.band.setToGeometry(QgsGeometry.fromPolygonXY([self.points]), None)

    def reset(self):
        self.points = []
        self.band.reset(QgsWkbTypes.PolygonGeometry)

    def deactivate(self):
        self.reset()
        super().deactivate()


def _checked_layers(widget, project):
    layers = []
    for row in range(widget.count()):
        item = widget.item(row)
        layer = project.mapLayer(item.data(Qt.UserRole))
        if item.checkState() == Qt.Checked and layer is not None:
            layers.append(layer)
    return layers


def _fill_layer_list(widget, layers, describe):
    widget.clear()
    for layer in layers:
        item = QListWidgetItem("{} ({})".format(layer.name(), describe(layer)))
        item.setData(Qt.UserRole, layer.id())
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Unchecked)
        widget.addItem(item)


def source_label(layer):
    """How a layer is served, in words: WFS, OGC API Features, PostGIS, a file, a map picture."""
    provider = layer.providerType()
    return {"WFS": tr("WFS"), "OAPIF": tr("OGC API Features"), "postgres": tr("PostGIS"), "wms": tr("map service"),
            "ogr": tr("file"), "memory": tr("temporary layer"), "gdal": tr("raster file")}.get(provider, provider)


class LayerChoice(QComboBox):
    """A layer of ``project`` that passes ``accept`` (QgsMapLayerComboBox has setProject only
    from QGIS 3.24 on; the wizard works on any project)."""

    layerChanged = pyqtSignal(object)  # noqa: N815 (QgsMapLayerComboBox's name)

    def __init__(self, project, accept, empty=False, parent=None):
        super().__init__(parent)
        self.project, self.accept, self.empty = project, accept, empty
        self.currentIndexChanged.connect(lambda _index: self.layerChanged.emit(self.currentLayer()))
        self.refresh()

    def refresh(self):
        current = self.currentLayer()
        self.blockSignals(True)
        self.clear()
        if self.empty:
            self.addItem(tr("(none)"), "")
        for layer in sorted(self.project.mapLayers().values(), key=lambda item: item.name().casefold()):
            if self.accept(layer):
                self.addItem(layer.name(), layer.id())
        self.blockSignals(False)
        self.setLayer(current)
        self.layerChanged.emit(self.currentLayer())

    def currentLayer(self):  # noqa: N802 (QgsMapLayerComboBox's name)
        layer_id = self.currentData()
        return self.project.mapLayer(layer_id) if layer_id else None

    def setLayer(self, layer):  # noqa: N802 (QgsMapLayerComboBox's name)
        index = self.findData(layer.id()) if layer is not None else (0 if self.empty else -1)
        if index >= 0:
            self.setCurrentIndex(index)


class LayersPage(QWizardPage):
    def __init__(self, project, parent=None):
        super().__init__(parent)
        self.project = project
        self.setTitle(tr("Which layers go into the field?"))
        self.setSubTitle(tr("Choose the assets to inspect: layers from WFS, OGC API Features or PostGIS."))
        self.layers = QListWidget()
        self.layers.itemChanged.connect(lambda _item: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.layers)

    def initializePage(self):  # noqa: N802 (Qt API name)
        if self.layers.count() == 0:
            _fill_layer_list(self.layers, [layer for layer in self.project.mapLayers().values()
                                           if layer.type() == QgsMapLayerType.VectorLayer
                                           or layer.providerType() == "wms"], source_label)

    def chosen(self):
        return _checked_layers(self.layers, self.project)

    def check(self, layer_id, checked=True):
        for row in range(self.layers.count()):
            if self.layers.item(row).data(Qt.UserRole) == layer_id:
                self.layers.item(row).setCheckState(Qt.Checked if checked else Qt.Unchecked)

    def isComplete(self):  # noqa: N802 (Qt API name)
        return bool(self.chosen())


class AreaPage(QWizardPage):
    def __init__(self, iface, project, parent=None):
        super().__init__(parent)
        self.iface, self.project = iface, project
        self.drawn_geometry = None  # QgsGeometry in EPSG:25832
        self.drawn_layer = None
        self.tool = None
        self.setTitle(tr("Which area?"))
        self.setSubTitle(tr("The package holds the features of this area only."))
        self.extent_button = QRadioButton(tr("The current map extent"))
        self.district_button = QRadioButton(tr("A district"))
        self.drawn_button = QRadioButton(tr("A polygon drawn on the map"))
        self.kind = QButtonGroup(self)
        for button in (self.extent_button, self.district_button, self.drawn_button):
            self.kind.addButton(button)
            button.toggled.connect(lambda _on: self.completeChanged.emit())
        self.extent_button.setChecked(True)
        self.districts = LayerChoice(project, lambda layer: isinstance(layer, QgsVectorLayer)
                                     and layer.geometryType() == QgsWkbTypes.PolygonGeometry)
        self.district_name = QComboBox()
        self.districts.layerChanged.connect(self._fill_district_names)
        self.draw = QPushButton(tr("Draw on the map (right click closes the polygon)"))
        self.draw.clicked.connect(self.start_drawing)
        self.drawn_state = QLabel(tr("No polygon drawn yet."))
        layout = QFormLayout(self)
        layout.addRow(self.extent_button)
        layout.addRow(self.district_button)
        layout.addRow(tr("Districts layer"), self.districts)
        layout.addRow(tr("District"), self.district_name)
        layout.addRow(self.drawn_button)
        layout.addRow(self.draw)
        layout.addRow(self.drawn_state)
        self._fill_district_names(self.districts.currentLayer())

    def _fill_district_names(self, layer):
        self.district_name.clear()
        if isinstance(layer, QgsVectorLayer) and layer.fields().indexOf("name") >= 0:
            names = sorted({str(feature["name"]) for feature in layer.getFeatures() if feature["name"]})
            self.district_name.addItems(names)
        self.completeChanged.emit()

    def start_drawing(self):
        if self.iface is None:
            return
        canvas = self.iface.mapCanvas()
        self.tool = PolygonMapTool(canvas)
        self.tool.drawn.connect(self.set_drawn)
        canvas.setMapTool(self.tool)
        self.drawn_button.setChecked(True)
        if self.wizard() is not None:
            self.wizard().showMinimized()

    def set_drawn(self, geometry, crs=None):
        """The drawn polygon (in the canvas CRS, or ``crs``) as the package area."""
        source = crs or (self.iface.mapCanvas().mapSettings().destinationCrs() if self.iface else
                         QgsCoordinateReferenceSystem(PACKAGE_CRS))
        geometry = QgsGeometry(geometry)
        geometry.transform(QgsCoordinateTransform(source, QgsCoordinateReferenceSystem(PACKAGE_CRS),
                                                  self.project.transformContext()))
        self.drawn_geometry = geometry
        self.drawn_state.setText(tr("Polygon drawn: {area} ha.").format(area=round(geometry.area() / 10000, 1)))
        self.drawn_button.setChecked(True)
        if self.iface is not None and self.tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.tool)
        if self.wizard() is not None:
            self.wizard().showNormal()
        self.completeChanged.emit()

    def area_kind(self):
        if self.district_button.isChecked():
            return AREA_DISTRICT
        return AREA_DRAWN if self.drawn_button.isChecked() else AREA_EXTENT

    def area(self):
        """The area as a QgsGeometry in EPSG:25832 (PackageError where it cannot be made)."""
        kind = self.area_kind()
        if kind == AREA_DISTRICT:
            return package_module.district_area(self.districts.currentLayer(), self.district_name.currentText())
        if kind == AREA_DRAWN:
            return package_module.checked_area(self.drawn_geometry)
        if self.iface is None:
            raise package_module.PackageError(tr("There is no map whose extent could be taken."))
        settings = self.iface.mapCanvas().mapSettings()
        return package_module.area_from_extent(settings.visibleExtent(), settings.destinationCrs(),
                                               self.project.transformContext())

    def area_parameters(self):
        """The algorithm's area parameters: AREA (+ DISTRICT), or EXTENT."""
        kind = self.area_kind()
        if kind == AREA_DISTRICT:
            return {"AREA": self.districts.currentLayer(), "DISTRICT": self.district_name.currentText()}
        area = self.area()
        if kind == AREA_DRAWN:
            layer = QgsVectorLayer("Polygon?crs={}".format(PACKAGE_CRS), tr("Drawn package area"), "memory")
            feature = QgsFeature()
            feature.setGeometry(area)
            layer.dataProvider().addFeatures([feature])
            self.drawn_layer = layer  # the run's parameters point to it: it must live as long as the run
            return {"AREA": layer}
        box = area.boundingBox()
        return {"EXTENT": "{},{},{},{} [{}]".format(box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum(),
                                                    PACKAGE_CRS)}

    def isComplete(self):  # noqa: N802 (Qt API name)
        kind = self.area_kind()
        if kind == AREA_DISTRICT:
            return self.districts.currentLayer() is not None and bool(self.district_name.currentText())
        if kind == AREA_DRAWN:
            return self.drawn_geometry is not None
        return True

    def cleanupPage(self):  # noqa: N802 (Qt API name)
        if self.tool is not None and self.iface is not None:
            self.iface.mapCanvas().unsetMapTool(self.tool)


class FilterPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(tr("Only some of the features?"))
        self.setSubTitle(tr("Optional: an expression that picks the features to take (e.g. \"lamp_type\" = 'LED'). "
                            "Empty: every feature in the area."))
        self.expression = QgsFieldExpressionWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.expression)

    def set_layer(self, layer):
        if isinstance(layer, QgsVectorLayer):
            self.expression.setLayer(layer)

    def filter_text(self):
        return self.expression.currentText().strip()

    def validatePage(self):  # noqa: N802 (Qt API name)
        text = self.filter_text()
        return not text or self.expression.isValidExpression()


class ContextPage(QWizardPage):
    def __init__(self, project, parent=None):
        super().__init__(parent)
        self.project = project
        self.setTitle(tr("What else goes along?"))
        self.setSubTitle(tr("An offline basemap, the latest sensor readings and the heavy-rain hazard layers."))
        self.basemap = LayerChoice(project, lambda layer: layer.type() == QgsMapLayerType.RasterLayer, empty=True)
        self.resolution = QDoubleSpinBox()
        self.resolution.setRange(0.1, 100.0)
        self.resolution.setDecimals(1)
        self.resolution.setValue(DEFAULT_RESOLUTION_M)
        self.resolution.setSuffix(" m")
        self.sensors = QComboBox()
        self.hazard = QListWidget()
        layout = QFormLayout(self)
        layout.addRow(tr("Basemap"), self.basemap)
        layout.addRow(tr("Basemap resolution (per pixel)"), self.resolution)
        layout.addRow(tr("Sensor readings"), self.sensors)
        layout.addRow(tr("Hazard layers"), self.hazard)

    def initializePage(self):  # noqa: N802 (Qt API name)
        if self.sensors.count() == 0:
            self.sensors.addItem(tr("(none)"), "")
            try:
                from ...core.catalog import ServiceCatalog
                from ...core.sensors.snapshot import SNAPSHOT_TYPES

                for service in ServiceCatalog().services():
                    if service.service_type in SNAPSHOT_TYPES:
                        self.sensors.addItem(service.name, service.service_id or service.name)
            except Exception as error:  # noqa: BLE001 (the catalog is optional here)
                LOGGER.warning("sensor sources not listed: %s", error)
        if self.hazard.count() == 0:
            _fill_layer_list(self.hazard, [layer for layer in self.project.mapLayers().values()
                                           if layer.type() == QgsMapLayerType.RasterLayer
                                           or (isinstance(layer, QgsVectorLayer)
                                               and layer.geometryType() == QgsWkbTypes.PolygonGeometry)],
                             source_label)

    def parameters(self):
        parameters = {"BASEMAP_RESOLUTION": self.resolution.value(),
                      "HAZARD": _checked_layers(self.hazard, self.project)}
        if self.basemap.currentLayer() is not None:
            parameters["BASEMAP"] = self.basemap.currentLayer()
        if self.sensors.currentData():
            parameters["SENSORS"] = self.sensors.currentData()
        return parameters


class PrecheckPage(QWizardPage):
    """Lists every reason the chosen layers would not sync safely; blocks on any that blocks."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(tr("Pre-check"))
        self.setSubTitle(tr("Before anything is copied: would every edit find its way back to the server?"))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.reasons = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.reasons)
        self.result = None
        self.task = None

    def initializePage(self):  # noqa: N802 (Qt API name)
        wizard = self.wizard()
        self.result = None
        self.reasons.clear()
        try:
            area = wizard.area_page.area()
        except package_module.PackageError as error:
            self.state.setText(str(error))
            self.completeChanged.emit()
            return
        layers, expression = wizard.layers_page.chosen(), wizard.filter_page.filter_text()
        self.state.setText(tr("Checking {count} layers …").format(count=len(layers)))
        outcome = {}

        def work(task):
            outcome["result"] = precheck(layers, area, expression)
            return True

        self.task = QgsTask.fromFunction(tr("Field package pre-check"), work,
                                         on_finished=lambda exception, _value=None: self.show_result(
                                             outcome.get("result"), exception))
        QgsApplication.taskManager().addTask(self.task)

    def show_result(self, result, exception=None):
        self.task = None
        self.result = result
        self.reasons.clear()
        if result is None:
            self.state.setText(tr("The pre-check failed: {error}").format(error=exception or tr("unknown error")))
        elif result.ok:
            self.state.setText(tr("Every layer can go offline and sync back safely.") if not result.warnings else
                               tr("The package can be made; please note:"))
        else:
            self.state.setText(tr("The package cannot be made safely. Resolve these reasons first:"))
        for reason in (result.reasons if result is not None else []):
            item = QListWidgetItem(str(reason) if reason.blocking else tr("Note: {reason}").format(reason=reason))
            item.setForeground(QColor("#b00020") if reason.blocking else QColor("#6b5800"))
            self.reasons.addItem(item)
        self.completeChanged.emit()

    def isComplete(self):  # noqa: N802 (Qt API name)
        return self.result is not None and self.result.ok


class OutputPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(tr("Where to?"))
        self.setSubTitle(tr("The package is a folder with the GeoPackage, the project and the photos (DCIM)."))
        self.folder = QgsFileWidget()
        self.folder.setStorageMode(QgsFileWidget.GetDirectory)
        self.folder.fileChanged.connect(lambda _path: self.completeChanged.emit())
        self.name = QLineEdit("feldpaket")
        self.name.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.open_project = QCheckBox(tr("Open the package's project when it is ready"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(tr("Cancel packaging"))
        self.cancel_button.setEnabled(False)
        layout = QFormLayout(self)
        layout.addRow(tr("Folder"), self.folder)
        layout.addRow(tr("Package name"), self.name)
        layout.addRow(self.open_project)
        layout.addRow(self.progress)
        layout.addRow(self.cancel_button)
        layout.addRow(self.status)

    def isComplete(self):  # noqa: N802 (Qt API name)
        return bool(self.folder.filePath().strip() and self.name.text().strip()) and \
            (self.wizard() is None or self.wizard().task is None)

    def validatePage(self):  # noqa: N802 (Qt API name)
        wizard = self.wizard()
        if wizard.results is not None:
            return True
        wizard.start()
        return False  # the wizard closes itself when the package is made


class PackageWizard(QWizard):
    """Create field package: the GUI over ``hernetwin:packagefield``."""

    finished_package = pyqtSignal(dict)  # the algorithm's results

    def __init__(self, iface=None, parent=None, project=None):
        super().__init__(parent)
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.task = None
        self.feedback = None
        self.context = None
        self.results = None
        self.setWindowTitle(tr("Create field package"))
        self.layers_page = LayersPage(self.project)
        self.area_page = AreaPage(iface, self.project)
        self.filter_page = FilterPage()
        self.context_page = ContextPage(self.project)
        self.precheck_page = PrecheckPage()
        self.output_page = OutputPage()
        for page in (self.layers_page, self.area_page, self.filter_page, self.context_page, self.precheck_page,
                     self.output_page):
            self.addPage(page)
        self.currentIdChanged.connect(self._page_changed)
        self.output_page.cancel_button.clicked.connect(self.cancel)

    def _page_changed(self, _page_id):
        if self.currentPage() is self.filter_page:
            chosen = [layer for layer in self.layers_page.chosen() if isinstance(layer, QgsVectorLayer)]
            self.filter_page.set_layer(chosen[0] if chosen else None)

    def parameters(self):
        """The parameters of ``hernetwin:packagefield`` the pages describe."""
        parameters = {"LAYERS": self.layers_page.chosen(), "FILTER": self.filter_page.filter_text(),
                      "OUTPUT": self.output_page.folder.filePath().strip(),
                      "NAME": self.output_page.name.text().strip()}
        parameters.update(self.area_page.area_parameters())
        parameters.update(self.context_page.parameters())
        return parameters

    def start(self):
        """Run the algorithm in the task manager; progress and cancel on the output page."""
        if self.task is not None:
            return
        try:
            parameters = self.parameters()
        except package_module.PackageError as error:
            self._message(str(error), Qgis.Warning)
            return
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM_ID)
        if algorithm is None:
            self._message(tr("The algorithm {id} is not available: is the plugin's Processing provider loaded?")
                          .format(id=ALGORITHM_ID), Qgis.Critical)
            return
        self.context = QgsProcessingContext()
        self.context.setProject(self.project)
        self.feedback = ErrorKeepingFeedback()
        self.feedback.progressChanged.connect(lambda value: self.output_page.progress.setValue(int(value)))
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(self._finished)
        self.output_page.cancel_button.setEnabled(True)
        self.output_page.status.setText(tr("Making the package {name} …").format(name=parameters["NAME"]))
        self.output_page.completeChanged.emit()
        LOGGER.info("field package started: %s in %s", parameters["NAME"], parameters["OUTPUT"])
        QgsApplication.taskManager().addTask(self.task)

    def cancel(self):
        if self.feedback is not None and self.task is not None:
            self.feedback.cancel()
            self.output_page.status.setText(tr("Cancelling …"))

    def _finished(self, ok, results):
        cancelled = self.feedback is not None and self.feedback.isCanceled()
        errors = self.feedback.errors if self.feedback is not None else []
        self.task = None
        self.output_page.cancel_button.setEnabled(False)
        self.output_page.completeChanged.emit()
        if cancelled:
            self._message(tr("Packaging cancelled: nothing was left behind."), Qgis.Info)
            return
        if not ok or not results:
            reason = errors[-1] if errors else tr("unknown error")
            self._message(tr("The field package could not be made: {reason}").format(reason=reason), Qgis.Critical)
            return
        self.results = results
        self.output_page.progress.setValue(100)
        self._message(tr("Field package made: {path}").format(path=results["FOLDER"]), Qgis.Success)
        self.finished_package.emit(results)
        if self.output_page.open_project.isChecked():
            self.open_package_project(results["PROJECT"])
        self.accept()

    def open_package_project(self, path):
        """Open the package's project (asking first to save the current one)."""
        if self.iface is None or not os.path.isfile(path):
            return False
        if not self.iface.newProject(True):
            return False
        return bool(self.iface.addProject(path))

    def _message(self, text, level):
        tell(self.iface, self.output_page.status, tr("Field package"), text, level)

    def reject(self):
        self.cancel()
        self.area_page.cleanupPage()
        super().reject()

    def done(self, result):
        super().done(result)
        # The plugin keeps one wizard: shown again, it starts at the first page (choices kept).
        if self.task is None:
            self.results = None
            self.restart()
