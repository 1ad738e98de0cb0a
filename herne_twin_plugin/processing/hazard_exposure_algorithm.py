"""Processing algorithm ``hernetwin:hazardexposure``: heavy-rain exposure of city assets."""

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core.hazard import sensors, street_lights
from ..core.hazard.exposure import ExposureCanceled, ExposureError, threads_beside
from ..core.hazard.output import asset_view, geopackage_table, output_features, output_fields, write_geopackage
from ..core.hazard.prefetch import FeaturePrefetch
from ..core.hazard.scenarios import CODE_BELOW_10, CODE_NO_DATA, SCENARIO_KEYS
from ..core.hazard.sources import note, run_exposure
from ..core.hazard.summary import (
    district_names_from_layer,
    district_names_of_assets,
    district_rows,
    row_values,
    summary_fields,
)
from ..core.hazard.view_3d import set_footprints_3d_by_depth_class
from ..core.i18n import tr
from ..core.styles import style_exposure, style_sensor_states


class ExposureStyler(QgsProcessingLayerPostProcessorInterface):
    """Styles the output layer by depth class (sensors: by expected state) once loaded."""

    def __init__(self, sensor_states=False):
        super().__init__()
        self.sensor_states = sensor_states

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if self.sensor_states:
            style_sensor_states(layer)
            return
        style_exposure(layer)
        if layer.geometryType() == QgsWkbTypes.PolygonGeometry:
            set_footprints_3d_by_depth_class(layer)


class HazardExposureAlgorithm(QgsProcessingAlgorithm):
    INPUT = "INPUT"
    HAZARD = "HAZARD"
    SCENARIO = "SCENARIO"
    BUFFER = "BUFFER"
    DISTRICTS = "DISTRICTS"
    COVERAGE = "COVERAGE"
    CLASS_FIELD = "CLASS_FIELD"
    INSPECTIONS = "INSPECTIONS"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"
    EXPOSED_COUNT = "EXPOSED_COUNT"
    NO_DATA_COUNT = "NO_DATA_COUNT"

    def __init__(self):
        super().__init__()
        self._stylers = []  # post-processors must live until QGIS has called them

    def name(self):
        return "hazardexposure"

    def displayName(self):
        return tr("Heavy rain exposure of assets")

    def group(self):
        return tr("Heavy rain")

    def groupId(self):
        return "heavyrain"

    def shortHelpString(self):
        return tr(
            "Which buildings, street lights and sensors are at risk in a Starkregen scenario. For each asset: "
            "the maximum and mean water depth at or around it (from a depth raster in cm), its depth class "
            "(10-30, 30-50, 50-100, >100 cm, 'below 10 cm' or 'no data'), the share of the asset inside the "
            "hazard data and, for footprints, the share of the area in each class. Assets outside the hazard "
            "data are 'no data', never safe. The hazard is a depth raster (cells without water inside the "
            "raster count as dry) or a layer of depth-class polygons (e.g. the sample city's extremregen "
            "layer; a layer with several scenarios needs the scenario). Street lights get their inspection "
            "state (from an inspections table with light_uuid, inspected_at, condition, open_defects) and a "
            "priority: the deepest class with open defects first. Water-level and rain sensors get the "
            "state their thresholds give in the scenario. The summary counts the assets per district and "
            "class. Hazard data in another coordinate system is handled on the fly; invalid polygons are "
            "repaired and named in the log."
        )

    def createInstance(self):
        return HazardExposureAlgorithm()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, tr("Assets (buildings, street lights, sensors)"),
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine, QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterMapLayer(
            self.HAZARD, tr("Heavy rain hazard (depth raster in cm or depth-class polygons)"),
            types=[QgsProcessing.TypeRaster, QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            self.SCENARIO, tr("Scenario (for layers with several: {names})").format(names=", ".join(SCENARIO_KEYS)),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.BUFFER, tr("Buffer around the assets (m)"), type=QgsProcessingParameterNumber.Double,
            defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.DISTRICTS, tr("Districts for the summary"), [QgsProcessing.TypeVectorPolygon], optional=True))
        coverage = QgsProcessingParameterFeatureSource(
            self.COVERAGE, tr("Area the hazard data covers (default: its extent)"),
            [QgsProcessing.TypeVectorPolygon], optional=True)
        class_field = QgsProcessingParameterString(
            self.CLASS_FIELD, tr("Depth class field of the polygons (default: depth_class)"), optional=True)
        inspections = QgsProcessingParameterFeatureSource(
            self.INSPECTIONS, tr("Street-light inspections (light_uuid, inspected_at, condition, open_defects)"),
            [QgsProcessing.TypeVector], optional=True)
        for advanced in (coverage, class_field, inspections):
            advanced.setFlags(advanced.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(advanced)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Exposure")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.SUMMARY, tr("Exposure per district"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber(self.EXPOSED_COUNT, tr("Assets in a depth class")))
        self.addOutput(QgsProcessingOutputNumber(self.NO_DATA_COUNT, tr("Assets without hazard data")))

    def processAlgorithm(self, parameters, context, feedback):
        # Invalid polygons are repaired and named by the exposure itself: Processing's own
        # check would stop the run (or drop the features) before that.
        check = context.invalidGeometryCheck()
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
        try:
            source = self.parameterAsSource(parameters, self.INPUT, context)
            coverage = self.parameterAsSource(parameters, self.COVERAGE, context)
            districts = self.parameterAsSource(parameters, self.DISTRICTS, context)
        finally:
            context.setInvalidGeometryCheck(check)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        hazard = self.parameterAsLayer(parameters, self.HAZARD, context)
        if hazard is None:
            raise QgsProcessingException(tr("The hazard layer cannot be opened."))
        buffer_m = self.parameterAsDouble(parameters, self.BUFFER, context)
        scenario = self.parameterAsString(parameters, self.SCENARIO, context).strip() or None
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context).strip() or None
        inspections_source = self.parameterAsSource(parameters, self.INSPECTIONS, context)
        # a layer read whole (no selection, no limit) may be read in bulk from its file
        whole = self._whole_layer(parameters, context)
        prefetch = self._prefetch(parameters, context, whole, hazard, buffer_m)
        try:
            # where a thread reads the features ahead, the computation leaves it a core
            run = run_exposure(whole if whole is not None else source, hazard, buffer_m, scenario, coverage,
                               class_field, context.transformContext(), feedback,
                               threads_beside(1) if prefetch is not None else None)
            view = asset_view(source.fields())
            inspections = self._inspections(inspections_source, view, run.notes, feedback)
            fields = output_fields(source.fields(), run.assets.areal, view)
            dest = self._write(parameters, context, run, source, fields, view, inspections, prefetch)
            feedback.setProgress(97)
            summary_dest = self._write_summary(parameters, context, run, districts, feedback)
        except ExposureError as error:
            raise QgsProcessingException(str(error)) from error
        except ExposureCanceled as canceled:
            feedback.reportError(str(canceled))
            return {}
        finally:
            if prefetch is not None:
                prefetch.stop()
        self._report(run, feedback)
        if context.willLoadLayerOnCompletion(dest):
            styler = ExposureStyler(sensor_states=view is sensors)
            self._stylers.append(styler)
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(styler)
        codes = run.exposure.codes
        return {
            self.OUTPUT: dest,
            self.SUMMARY: summary_dest,
            self.EXPOSED_COUNT: int((codes > CODE_BELOW_10).sum()),
            self.NO_DATA_COUNT: int((codes == CODE_NO_DATA).sum()),
        }

    def _prefetch(self, parameters, context, whole, hazard, buffer_m):
        """A FeaturePrefetch of the input where the output will need its features (not a
        GeoPackage written directly) and the run will not read them itself; else None."""
        destination = self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or ""
        if destination.split("|")[0].lower().endswith(".gpkg"):
            return None
        if not FeaturePrefetch.worthwhile(whole, hazard, buffer_m):
            return None
        return FeaturePrefetch(whole)

    def _write(self, parameters, context, run, source, fields, view, inspections, prefetch=None):
        """The exposure into the output: a GeoPackage from assets in a GeoPackage is written
        directly (the new, empty table closed first), anything else feature by feature
        (read ahead by ``prefetch`` where the run read the assets in bulk)."""
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, source.wkbType(),
                                          source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        asset_field_count = source.fields().count()
        if run.assets.table is not None and geopackage_table(dest) is not None:
            del sink  # the only reference: the file is closed
            if write_geopackage(run, dest, asset_field_count, view, inspections):
                return dest
            layer = QgsVectorLayer(dest, "exposure", "ogr")
            sink = layer.dataProvider()
        # read ahead only where the run did not read the features itself (in bulk)
        ahead = prefetch.aligned(run.assets.ids) if prefetch is not None and run.assets.table is not None else None
        features = output_features(run, asset_field_count, view, inspections, ahead)
        if not sink.addFeatures(features, QgsFeatureSink.FastInsert):
            raise QgsProcessingException(tr("The exposure could not be written: {reason}").format(
                reason=sink.lastError() if hasattr(sink, "lastError") else ""))
        return dest

    def _whole_layer(self, parameters, context):
        """The input layer where Processing reads all its features as they are, else None."""
        value = parameters.get(self.INPUT)
        if isinstance(value, QgsProcessingFeatureSourceDefinition) and (
                value.selectedFeaturesOnly or getattr(value, "featureLimit", -1) != -1
                or getattr(value, "filterExpression", "")):
            return None
        return self.parameterAsVectorLayer(parameters, self.INPUT, context)

    def _inspections(self, source, view, notes, feedback):
        if source is None:
            return None
        if view is not street_lights:
            note(notes, tr("Inspections are only joined to street lights (a layer with light_uuid); "
                           "they are left out here."), feedback, warning=True)
            return None
        inspections, unreadable = street_lights.read_inspections(source)
        if unreadable:
            note(notes, tr("{count} inspections have no light_uuid or no readable inspected_at and are left out.")
                 .format(count=unreadable), feedback, warning=True)
        note(notes, tr("Inspections of {count} street lights joined.").format(count=len(inspections)), feedback)
        return inspections

    def _write_summary(self, parameters, context, run, districts, feedback):
        sink, dest = self.parameterAsSink(parameters, self.SUMMARY, context, summary_fields(),
                                          QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        if districts is not None:
            names = district_names_from_layer(districts, run.assets.geometries, run.hazard_crs,
                                              context.transformContext(), run.notes, feedback)
        else:
            names = district_names_of_assets(run.assets)
        rows = []
        for row in district_rows(run.exposure.codes, names):
            feature = QgsFeature(summary_fields())
            feature.setAttributes(row_values(row, run.scenario or None))
            rows.append(feature)
        sink.addFeatures(rows, QgsFeatureSink.FastInsert)
        return dest

    @staticmethod
    def _report(run, feedback):
        codes = run.exposure.codes
        feedback.pushInfo(tr("{total} assets, scenario {scenario}: {exposed} in a depth class of 10 cm or more, "
                             "{dry} below 10 cm, {no_data} without hazard data.").format(
            total=len(codes), scenario=run.scenario or "-", exposed=int((codes > CODE_BELOW_10).sum()),
            dry=int((codes == CODE_BELOW_10).sum()), no_data=int((codes == CODE_NO_DATA).sum())))
