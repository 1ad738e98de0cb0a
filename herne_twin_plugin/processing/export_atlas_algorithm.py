"""Processing algorithm ``hernetwin:exportatlas``: one page per feature of a coverage layer
(districts, the buildings a heavy-rain scenario reaches, any layer), to one PDF or one per page."""

import datetime
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ..core.export.atlas import ExportCanceledError, export_atlas, prepare_atlas
from ..core.export.chart import SensorChart, observation_provider
from ..core.export.errors import MapExportError
from ..core.export.language import MapLanguage
from ..core.export.map_export import MAX_DPI, MIN_DPI
from ..core.export.project_layers import visible_layers
from ..core.export.templates import MapTexts
from ..core.i18n import tr
from .export_map_algorithm import DEFAULT_DPI, add_template_parameters, project_of, template_and_language


class ExportAtlasAlgorithm(QgsProcessingAlgorithm):
    COVERAGE = "COVERAGE"
    SORT = "SORT"
    FILTER = "FILTER"
    PAGE_NAME = "PAGE_NAME"
    LAYERS = "LAYERS"
    TITLE = "TITLE"
    AUTHOR = "AUTHOR"
    SENSORS = "SENSORS"
    DPI = "DPI"
    SINGLE_FILE = "SINGLE_FILE"
    OUTPUT = "OUTPUT"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OUTPUT_FILES = "OUTPUT_FILES"
    PAGE_COUNT = "PAGE_COUNT"

    def name(self):
        return "exportatlas"

    def displayName(self):
        return tr("Export atlas (one page per feature)")

    def group(self):
        return tr("Maps and atlases")

    def groupId(self):
        return "maps"

    def shortHelpString(self):
        return tr(
            "Makes an atlas on one of the twin's layout templates: one page per feature of the coverage "
            "layer (a district, a building the heavy-rain exposure found affected, any feature), sorted "
            "by the sort expression and limited by the filter expression, e.g. \"depth_class\" IN "
            "('50-100', '>100'). The map on each page follows its feature; the title names it (page "
            "name expression, else the layer's display expression). Writes one PDF, or one PDF per page "
            "beside the output file. With a sensor stations layer and a readings provider registered "
            "(core/export/chart.py), each page shows a chart of the nearest sensor."
        )

    def createInstance(self):
        return ExportAtlasAlgorithm()

    def flags(self):
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.COVERAGE, tr("Coverage layer (one page per feature)")))
        self.addParameter(QgsProcessingParameterExpression(
            self.SORT, tr("Sort by"), parentLayerParameterName=self.COVERAGE, optional=True))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, tr("Filter"), parentLayerParameterName=self.COVERAGE, optional=True))
        self.addParameter(QgsProcessingParameterExpression(
            self.PAGE_NAME, tr("Page name"), parentLayerParameterName=self.COVERAGE, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, tr("Layers on the map (top first; empty: the visible layers)"), QgsProcessing.TypeMapLayer,
            optional=True))
        add_template_parameters(self)
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), defaultValue=tr("Herne Digital Twin")))
        self.addParameter(QgsProcessingParameterString(self.AUTHOR, tr("Author"), optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SENSORS, tr("Sensor stations for a chart per page"), [QgsProcessing.TypeVectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.DPI, tr("Resolution (dpi)"), type=QgsProcessingParameterNumber.Integer, defaultValue=DEFAULT_DPI,
            minValue=MIN_DPI, maxValue=MAX_DPI))
        self.addParameter(QgsProcessingParameterBoolean(self.SINGLE_FILE, tr("All pages in one PDF"),
                                                        defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Output PDF (one per page: named after it)"), fileFilter=tr("PDF files (*.pdf)")))
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT_FOLDER, tr("Output folder")))
        self.addOutput(QgsProcessingOutputString(self.OUTPUT_FILES, tr("Written files")))
        self.addOutput(QgsProcessingOutputNumber(self.PAGE_COUNT, tr("Pages")))

    def chart(self, parameters, context, feedback, language):
        stations = self.parameterAsVectorLayer(parameters, self.SENSORS, context)
        if stations is None:
            return None
        provider = observation_provider()
        if provider is None:
            feedback.reportError(tr("No provider of sensor readings is registered: the atlas has no charts."))
            return None
        return SensorChart(stations, provider, language=language)

    def processAlgorithm(self, parameters, context, feedback):
        project = project_of(context)
        try:
            template, language = template_and_language(self, parameters, context)
            coverage = self.parameterAsVectorLayer(parameters, self.COVERAGE, context)
            layers = self.parameterAsLayerList(parameters, self.LAYERS, context) or visible_layers(project)
            texts = MapTexts(title=self.parameterAsString(parameters, self.TITLE, context),
                             author=self.parameterAsString(parameters, self.AUTHOR, context),
                             date=datetime.date.today())
            layout, pages = prepare_atlas(
                project, coverage, texts, layers=layers, template=template,
                sort_expression=self.parameterAsString(parameters, self.SORT, context),
                filter_expression=self.parameterAsString(parameters, self.FILTER, context),
                page_name_expression=self.parameterAsString(parameters, self.PAGE_NAME, context),
                language=language, chart=self.chart(parameters, context, feedback, MapLanguage(language)))
            feedback.pushInfo(tr("{pages} page(s) from {layer}").format(pages=pages, layer=coverage.name()))
            output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
            written = export_atlas(layout, output, single_file=self.parameterAsBool(parameters, self.SINGLE_FILE,
                                                                                     context),
                                   dpi=self.parameterAsInt(parameters, self.DPI, context), feedback=feedback)
        except ExportCanceledError as canceled:
            feedback.reportError(str(canceled))
            return {}
        except MapExportError as error:
            raise QgsProcessingException(str(error)) from error
        feedback.pushInfo(tr("{count} file(s) written to {folder}").format(
            count=len(written), folder=os.path.dirname(output)))
        return {self.OUTPUT: written[0] if len(written) == 1 else os.path.dirname(output),
                self.OUTPUT_FOLDER: os.path.dirname(output), self.OUTPUT_FILES: ";".join(written),
                self.PAGE_COUNT: pages}
