"""Processing algorithm ``hernetwin:sensorsnapshot``: the latest sensor readings as a point layer."""

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core.catalog import ServiceCatalog
from ..core.i18n import tr
from ..core.sensors.fetch import SourceError
from ..core.sensors.live_layer import ReadingsSchema
from ..core.sensors.model import CITY_CRS, LONLAT_CRS, utc_now
from ..core.sensors.quality import QualityCounters, reason_label
from ..core.sensors.snapshot import SNAPSHOT_TYPES, read_snapshot, snapshot_properties


class SensorSnapshotAlgorithm(QgsProcessingAlgorithm):
    SOURCE = "SOURCE"
    EXTENT = "EXTENT"
    OUTPUT = "OUTPUT"
    STATION_COUNT = "STATION_COUNT"
    READING_COUNT = "READING_COUNT"

    def name(self):
        return "sensorsnapshot"

    def displayName(self):
        return tr("Sensor snapshot (latest readings)")

    def group(self):
        return tr("Sensors")

    def groupId(self):
        return "sensors"

    def shortHelpString(self):
        return tr(
            "Reads the latest reading of every sensor stream from a SensorThings API or FIWARE NGSI v2 "
            "service of the service catalog and writes one point per station (EPSG:25832). Per observed "
            "property p the layer has p (the value, empty unless the reading passed the quality checks), "
            "p_unit, p_time, p_age_s and p_quality (valid, out_of_range, suspect, unchecked). Source: the "
            "name of the catalog entry as the service catalog shows it (e.g. a service you added under My "
            "services), or its id. Extent: only stations inside it."
        )

    def createInstance(self):
        return SensorSnapshotAlgorithm()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.SOURCE, tr("Sensor source (catalog entry name or id)")))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Extent"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Latest readings"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber(self.STATION_COUNT, tr("Stations")))
        self.addOutput(QgsProcessingOutputNumber(self.READING_COUNT, tr("Readings")))

    def _service(self, parameters, context):
        wanted = (self.parameterAsString(parameters, self.SOURCE, context) or "").strip()
        catalog = ServiceCatalog()
        service = catalog.service(wanted)
        if service is None:  # a name, as the catalog shows it
            named = [entry for entry in catalog.services() if entry.name.casefold() == wanted.casefold()]
            service = named[0] if len(named) == 1 else None
        if service is None:
            raise QgsProcessingException(tr(
                "The service catalog has no entry named {name} (nor one with that id).").format(name=wanted or "''"))
        if service.service_type not in SNAPSHOT_TYPES:
            raise QgsProcessingException(tr(
                "The catalog entry {name} is not a sensor source (SensorThings API or FIWARE NGSI v2).").format(
                    name=service.name))
        return service, catalog.timeout_s()

    def _extent(self, parameters, context):
        if parameters.get(self.EXTENT) in (None, ""):
            return None
        wgs84 = QgsCoordinateReferenceSystem(LONLAT_CRS)
        rectangle = self.parameterAsExtent(parameters, self.EXTENT, context, wgs84)
        if rectangle.isNull() or rectangle.isEmpty():
            return None
        return (rectangle.xMinimum(), rectangle.yMinimum(), rectangle.xMaximum(), rectangle.yMaximum())

    def processAlgorithm(self, parameters, context, feedback):
        service, timeout_s = self._service(parameters, context)
        extent = self._extent(parameters, context)
        feedback.pushInfo(tr("Reading the latest readings of {name} ({url})").format(
            name=service.name, url=service.display_url))
        counters = QualityCounters()
        try:
            snapshot = read_snapshot(service, extent, feedback, timeout_s, counters)
        except SourceError as error:
            raise QgsProcessingException("{}\n{}".format(error.message, error.details).strip()) from error
        if feedback.isCanceled():
            return {}
        schema = ReadingsSchema(snapshot_properties(snapshot), CITY_CRS, context.transformContext())
        sink, destination = self.parameterAsSink(parameters, self.OUTPUT, context, schema.fields,
                                                 QgsWkbTypes.Point, QgsCoordinateReferenceSystem(CITY_CRS))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        now = utc_now()
        latest = snapshot.latest_by_station()
        for index, station in enumerate(snapshot.stations):
            if feedback.isCanceled():
                break
            sink.addFeature(schema.feature(station, latest.get(station.station_id, {}), now),
                            QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * (index + 1) / max(1, len(snapshot.stations)))
        rejected = counters.snapshot()["rejected"]
        for reason, count in sorted(rejected.items()):
            feedback.reportError(tr("{count} readings or stations left out: {reason}").format(
                count=count, reason=reason_label(reason)))
        feedback.pushInfo(tr("{stations} stations with {readings} latest readings written.").format(
            stations=len(snapshot.stations), readings=len(snapshot.observations)))
        return {self.OUTPUT: destination, self.STATION_COUNT: len(snapshot.stations),
                self.READING_COUNT: len(snapshot.observations)}
