"""Processing algorithm ``hernetwin:packagefield``: a field package of an area, for offline inspections."""

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ..core.field import package
from ..core.field.basemap import DEFAULT_MAX_PIXELS, DEFAULT_RESOLUTION_M
from ..core.field.precheck import DEFAULT_MAX_FEATURES
from ..core.i18n import tr


def parse_key_columns(text):
    """{layer name: key column} of 'layer=column; layer2=column2'; ValueError for a bad entry."""
    chosen = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(part.strip())
        layer, column = (item.strip() for item in part.split("=", 1))
        if not layer or not column:
            raise ValueError(part.strip())
        chosen[layer] = column
    return chosen


class PackageFieldAlgorithm(QgsProcessingAlgorithm):
    LAYERS = "LAYERS"
    EXTENT = "EXTENT"
    AREA = "AREA"
    DISTRICT = "DISTRICT"
    FILTER = "FILTER"
    BASEMAP = "BASEMAP"
    BASEMAP_RESOLUTION = "BASEMAP_RESOLUTION"
    SENSORS = "SENSORS"
    HAZARD = "HAZARD"
    INSPECTIONS = "INSPECTIONS"
    KEY_COLUMNS = "KEY_COLUMNS"
    MAX_FEATURES = "MAX_FEATURES"
    OUTPUT = "OUTPUT"
    NAME = "NAME"
    PACKAGE = "PACKAGE"
    PROJECT = "PROJECT"
    FOLDER = "FOLDER"
    FEATURE_COUNT = "FEATURE_COUNT"

    def name(self):
        return "packagefield"

    def displayName(self):
        return tr("Create field package")

    def group(self):
        return tr("Field inspections")

    def groupId(self):
        return "field"

    def shortHelpString(self):
        return tr(
            "Takes the chosen asset layers (WFS, OGC API Features or PostGIS) of an area offline for field "
            "inspections: one GeoPackage with the assets, an inspection layer linked to them, the change journal, "
            "and a QGIS project that opens without a network (also in QField). Optionally an offline basemap "
            "rendered from a map service, the latest sensor readings and the heavy-rain hazard layers. Area: a "
            "polygon layer (with District: the feature of that name), or else the extent. A pre-check runs "
            "first and lists every reason a layer would not sync safely; the package is only made when none "
            "blocks. Key columns: 'layer=column; ...' where a layer's stable key is not found by itself. "
            "Inspections: the server's inspection layer (empty: the 'inspections' layer of the first layer's "
            "service). The package folder is Output folder/Name; an existing one is never overwritten."
        )

    def createInstance(self):
        return PackageFieldAlgorithm()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, tr("Asset layers to inspect"), QgsProcessing.TypeMapLayer))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Area: extent"), optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.AREA, tr("Area: polygon layer (districts or a drawn polygon)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DISTRICT, tr("District (name of a feature of the area layer)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.FILTER, tr("Filter expression (e.g. \"lamp_type\" = 'LED')"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.BASEMAP, tr("Basemap (a map service layer rendered for offline use)"), optional=True))
        resolution = QgsProcessingParameterNumber(
            self.BASEMAP_RESOLUTION, tr("Basemap resolution (metres per pixel)"), QgsProcessingParameterNumber.Double,
            DEFAULT_RESOLUTION_M, minValue=0.05)
        self.addParameter(resolution)
        self.addParameter(QgsProcessingParameterString(
            self.SENSORS, tr("Sensor readings: catalog entry name or id (SensorThings or NGSI)"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.HAZARD, tr("Hazard layers (depth classes, depth rasters, hazard maps)"), QgsProcessing.TypeMapLayer,
            optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.INSPECTIONS, tr("Server inspection layer"), [QgsProcessing.TypeVectorPoint], optional=True))
        keys = QgsProcessingParameterString(self.KEY_COLUMNS, tr("Key columns (layer=column; ...)"), optional=True)
        limit = QgsProcessingParameterNumber(
            self.MAX_FEATURES, tr("Most features per layer"), QgsProcessingParameterNumber.Integer,
            DEFAULT_MAX_FEATURES, minValue=1)
        for advanced in (keys, limit):
            advanced.setFlags(advanced.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(advanced)
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT, tr("Output folder")))
        self.addParameter(QgsProcessingParameterString(self.NAME, tr("Package name"), "feldpaket"))
        self.addOutput(QgsProcessingOutputFile(self.PACKAGE, tr("Package GeoPackage")))
        self.addOutput(QgsProcessingOutputFile(self.PROJECT, tr("Package project")))
        self.addOutput(QgsProcessingOutputFolder(self.FOLDER, tr("Package folder")))
        self.addOutput(QgsProcessingOutputNumber(self.FEATURE_COUNT, tr("Features taken offline")))

    def _area(self, parameters, context):
        area_layer = self.parameterAsVectorLayer(parameters, self.AREA, context)
        district = (self.parameterAsString(parameters, self.DISTRICT, context) or "").strip()
        try:
            if area_layer is not None:
                if district:
                    if area_layer.fields().indexOf("name") < 0:
                        raise QgsProcessingException(tr(
                            "The area layer {layer} has no field 'name' to find the district {district} by.").format(
                                layer=area_layer.name(), district=district))
                    return package.district_area(area_layer, district)
                return package.area_from_layer(area_layer, transform_context=context.transformContext())
            if district:
                raise QgsProcessingException(tr("A district needs the area layer (the districts) to be found in."))
            if parameters.get(self.EXTENT) not in (None, ""):
                crs = self.parameterAsExtentCrs(parameters, self.EXTENT, context)
                rectangle = self.parameterAsExtent(parameters, self.EXTENT, context)
                if not rectangle.isEmpty():
                    return package.area_from_extent(rectangle, crs, context.transformContext())
        except package.PackageError as error:
            raise QgsProcessingException(str(error)) from error
        raise QgsProcessingException(tr("Choose an area for the package (a map extent, a district or a drawn "
                                        "polygon)."))

    def _sensor_source(self, parameters, context):
        wanted = (self.parameterAsString(parameters, self.SENSORS, context) or "").strip()
        if not wanted:
            return None
        from .sensor_snapshot_algorithm import SensorSnapshotAlgorithm

        # The snapshot algorithm's catalog lookup (entry name or id, sensor sources only).
        service, _timeout = SensorSnapshotAlgorithm()._service({SensorSnapshotAlgorithm.SOURCE: wanted}, context)
        return service

    def processAlgorithm(self, parameters, context, feedback):
        layers = self.parameterAsLayerList(parameters, self.LAYERS, context)
        area = self._area(parameters, context)
        try:
            key_columns = parse_key_columns(self.parameterAsString(parameters, self.KEY_COLUMNS, context))
        except ValueError as error:
            raise QgsProcessingException(tr(
                "Key columns are written as layer=column, separated by ';': {entry} is not.").format(
                    entry=error)) from error
        output = self.parameterAsString(parameters, self.OUTPUT, context)
        if output and not os.path.exists(output):
            try:
                os.makedirs(output)
            except OSError as error:
                raise QgsProcessingException(tr("The folder {folder} cannot be created: {error}").format(
                    folder=output, error=error.strerror)) from error
        inspections = self.parameterAsVectorLayer(parameters, self.INSPECTIONS, context)
        try:
            result = package.make_package(
                layers, area,
                filter_expression=(self.parameterAsString(parameters, self.FILTER, context) or "").strip(),
                output_dir=output, name=self.parameterAsString(parameters, self.NAME, context),
                basemap=self.parameterAsRasterLayer(parameters, self.BASEMAP, context),
                basemap_resolution=self.parameterAsDouble(parameters, self.BASEMAP_RESOLUTION, context),
                basemap_max_pixels=DEFAULT_MAX_PIXELS,
                sensor_snapshot=self._sensor_source(parameters, context),
                hazard_layers=self.parameterAsLayerList(parameters, self.HAZARD, context),
                inspection_target=inspections if inspections is not None else package.AUTO,
                key_columns=key_columns,
                max_features=self.parameterAsInt(parameters, self.MAX_FEATURES, context),
                feedback=feedback)
        except package.PackageCancelled:
            feedback.reportError(tr("Packaging cancelled: nothing was left behind."))
            return {}
        except package.PackageError as error:
            raise QgsProcessingException(str(error)) from error
        for table, count in sorted(result.feature_counts.items()):
            feedback.pushInfo(tr("{table}: {count} features").format(table=table, count=count))
        return {self.PACKAGE: result.gpkg_path, self.PROJECT: result.project_path, self.FOLDER: result.package_dir,
                self.FEATURE_COUNT: sum(result.feature_counts.values())}
