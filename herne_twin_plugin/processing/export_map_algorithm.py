"""Processing algorithm ``hernetwin:exportmap``: a map of the project on one of the twin's
layout templates, as PDF (vector, georeferenced), PNG and/or SVG."""

import datetime

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapTheme,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProject,
)

from ..core.export.errors import MapExportError
from ..core.export.language import LANGUAGES
from ..core.export.map_export import FORMATS, MAX_DPI, MIN_DPI, export_map
from ..core.export.project_layers import district_extent, theme_layers, visible_layers
from ..core.export.templates import TEMPLATE_KEYS, MapTexts, template_labels
from ..core.i18n import tr

DEFAULT_DPI = 300


def add_template_parameters(algorithm):
    """TEMPLATE (the three templates or a file), TEMPLATE_FILE, LANGUAGE: shared with exportatlas."""
    algorithm.addParameter(QgsProcessingParameterEnum(
        "TEMPLATE", tr("Layout template"), options=template_labels() + [tr("Template file (.qpt) below")],
        defaultValue=TEMPLATE_KEYS.index("a4_landscape")))
    algorithm.addParameter(QgsProcessingParameterFile(
        "TEMPLATE_FILE", tr("Template file (.qpt)"), extension="qpt", optional=True))
    algorithm.addParameter(QgsProcessingParameterEnum(
        "LANGUAGE", tr("Language of the map"), options=[tr("German"), tr("English")], defaultValue=0))


def template_and_language(algorithm, parameters, context):
    """(template key or .qpt path, language code) from the shared parameters."""
    path = algorithm.parameterAsFile(parameters, "TEMPLATE_FILE", context)
    choice = algorithm.parameterAsEnum(parameters, "TEMPLATE", context)
    if not path and choice >= len(TEMPLATE_KEYS):
        raise QgsProcessingException(tr("Choose a template file (.qpt) or one of the three templates."))
    template = path or TEMPLATE_KEYS[choice]
    return template, LANGUAGES[algorithm.parameterAsEnum(parameters, "LANGUAGE", context)]


def project_of(context):
    return context.project() or QgsProject.instance()


class ExportMapAlgorithm(QgsProcessingAlgorithm):
    THEME = "THEME"
    LAYERS = "LAYERS"
    EXTENT = "EXTENT"
    DISTRICT = "DISTRICT"
    TITLE = "TITLE"
    SUBTITLE = "SUBTITLE"
    AUTHOR = "AUTHOR"
    FORMATS = "FORMATS"
    DPI = "DPI"
    VIEW_3D = "VIEW_3D"
    OUTPUT = "OUTPUT"

    def name(self):
        return "exportmap"

    def displayName(self):
        return tr("Export map (PDF, PNG, SVG)")

    def group(self):
        return tr("Maps and atlases")

    def groupId(self):
        return "maps"

    def shortHelpString(self):
        return tr(
            "Puts the project's visible layers, a map theme or chosen layers on one of the twin's layout "
            "templates (A4 portrait, A4 landscape, A3 landscape, or your own .qpt with an item 'map') and "
            "exports it. The map shows a legend of its layers, scale bar, north arrow, an overview of "
            "Herne, the data's 'as of' times (sensor readings, heavy-rain scenario, city model), sources "
            "and licences, author and date; German by default. The extent is the one given, else the "
            "district named, else that of the layers. PDF is vector and georeferenced; PNG has the chosen "
            "dpi and a world file. A 3D view image (rendered offscreen, e.g. by scripts/view3d.py) can be "
            "shown as an inset. Files appear only when complete."
        )

    def createInstance(self):
        return ExportMapAlgorithm()

    def flags(self):
        # layouts render the project's layers: run on the main thread, as QGIS's own layout exports do
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMapTheme(self.THEME, tr("Map theme"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, tr("Layers (top first; empty: the visible layers)"), QgsProcessing.TypeMapLayer,
            optional=True))
        add_template_parameters(self)
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Extent"), optional=True))
        self.addParameter(QgsProcessingParameterString(self.DISTRICT, tr("District (instead of an extent)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), defaultValue=tr("Herne Digital Twin")))
        self.addParameter(QgsProcessingParameterString(self.SUBTITLE, tr("Subtitle"), optional=True))
        self.addParameter(QgsProcessingParameterString(self.AUTHOR, tr("Author"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.FORMATS, tr("Formats"), options=["PDF", "PNG", "SVG"], allowMultiple=True, defaultValue=[0, 1]))
        self.addParameter(QgsProcessingParameterNumber(
            self.DPI, tr("Resolution (dpi)"), type=QgsProcessingParameterNumber.Integer, defaultValue=DEFAULT_DPI,
            minValue=MIN_DPI, maxValue=MAX_DPI))
        self.addParameter(QgsProcessingParameterFile(
            self.VIEW_3D, tr("3D view image for the inset (e.g. from scripts/view3d.py)"),
            fileFilter=tr("Images (*.png *.jpg *.jpeg)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Output file (other formats beside it)"), fileFilter=tr("PDF files (*.pdf)")))
        for kind in FORMATS:
            self.addOutput(QgsProcessingOutputFile("OUTPUT_" + kind.upper(), kind.upper()))

    def map_layers(self, parameters, context, project):
        theme = self.parameterAsString(parameters, self.THEME, context)
        layers = self.parameterAsLayerList(parameters, self.LAYERS, context)
        if layers:
            return layers, None
        if theme:
            return theme_layers(project, theme), theme
        return visible_layers(project), None

    def map_extent(self, parameters, context, project, layers):
        crs = project.crs() if project.crs().isValid() else QgsCoordinateReferenceSystem("EPSG:25832")
        if parameters.get(self.EXTENT):
            return self.parameterAsExtent(parameters, self.EXTENT, context, crs)
        district = self.parameterAsString(parameters, self.DISTRICT, context)
        if district:
            return district_extent(project, district)
        return QgsProcessingUtils.combineLayerExtents(layers, crs, context)

    def processAlgorithm(self, parameters, context, feedback):
        project = project_of(context)
        try:
            template, language = template_and_language(self, parameters, context)
            layers, theme = self.map_layers(parameters, context, project)
            extent = self.map_extent(parameters, context, project, layers)
            texts = MapTexts(
                title=self.parameterAsString(parameters, self.TITLE, context),
                subtitle=self.parameterAsString(parameters, self.SUBTITLE, context),
                author=self.parameterAsString(parameters, self.AUTHOR, context),
                date=datetime.date.today(),
            )
            formats = [FORMATS[i] for i in self.parameterAsEnums(parameters, self.FORMATS, context)]
            output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
            dpi = self.parameterAsInt(parameters, self.DPI, context)
            feedback.pushInfo(tr("{count} layer(s) on the {template} template").format(
                count=len(layers), template=template))
            written = export_map(project, layers, extent, output, texts, template=template, formats=formats,
                                 dpi=dpi, language=language, map_theme=theme, feedback=feedback,
                                 inset_image=self.parameterAsFile(parameters, self.VIEW_3D, context) or None)
        except MapExportError as error:
            raise QgsProcessingException(str(error)) from error
        for path in written.values():
            feedback.pushInfo(tr("Written: {path}").format(path=path))
        result = {self.OUTPUT: written.get("pdf") or next(iter(written.values()))}
        result.update({"OUTPUT_" + kind.upper(): path for kind, path in written.items()})
        return result
