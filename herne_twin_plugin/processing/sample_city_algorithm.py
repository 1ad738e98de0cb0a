"""Processing algorithm ``hernetwin:samplecity``: write the synthetic Herne sample city."""

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..core.i18n import tr
from ..core.sample_city import DEFAULT_SEED, GenerationCanceled, generate
from ..core.sample_city.starkregen import SCENARIOS

SCALES = ("sample", "full")


def raster_output_name(scenario):
    """Output name of a scenario's depth raster, e.g. DEPTH_EXTREMREGEN."""
    return "DEPTH_" + scenario.upper()


class SampleCityAlgorithm(QgsProcessingAlgorithm):
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    SCALE = "SCALE"
    SEED = "SEED"
    GEOPACKAGE = "GEOPACKAGE"
    CITYGML_FOLDER = "CITYGML_FOLDER"
    STREET_LIGHT_COUNT = "STREET_LIGHT_COUNT"
    BUILDING_COUNT = "BUILDING_COUNT"

    def name(self):
        return "samplecity"

    def displayName(self):
        return tr("Generate Herne sample city")

    def group(self):
        return tr("Sample data")

    def groupId(self):
        return "sampledata"

    def shortHelpString(self):
        return tr(
            "Writes a synthetic Herne at real coordinates (EPSG:25832) into the output folder: "
            "herne_sample.gpkg with districts, streets, street lights, sensor stations, building "
            "footprints and Starkregen depth classes; depth rasters per Starkregen scenario; LoD2 "
            "buildings as NRW CityGML tiles; and SYNTHETIC.txt. None of it describes real assets. "
            "'Sample' covers the centre of Herne-Mitte in seconds, 'Full city' all of Herne "
            "(about 16,500 street lights and 50,000 buildings; about a minute and 650 MB). "
            "The same seed always gives identical files."
        )

    def createInstance(self):
        return SampleCityAlgorithm()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder")))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, tr("Scale"),
            options=[tr("Sample (centre of Herne-Mitte)"), tr("Full city")], defaultValue=0,
        ))
        seed = QgsProcessingParameterNumber(
            self.SEED, tr("Seed"), type=QgsProcessingParameterNumber.Integer, defaultValue=DEFAULT_SEED,
            minValue=0,
        )
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)
        self.addOutput(QgsProcessingOutputFile(self.GEOPACKAGE, tr("Sample city GeoPackage")))
        self.addOutput(QgsProcessingOutputFolder(self.CITYGML_FOLDER, tr("CityGML tiles folder")))
        for scenario, label, _fill in SCENARIOS:
            self.addOutput(QgsProcessingOutputRasterLayer(
                raster_output_name(scenario), tr("Water depth: {}").format(label)))
        self.addOutput(QgsProcessingOutputNumber(self.STREET_LIGHT_COUNT, tr("Street lights")))
        self.addOutput(QgsProcessingOutputNumber(self.BUILDING_COUNT, tr("Buildings")))

    def processAlgorithm(self, parameters, context, feedback):
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        scale = SCALES[self.parameterAsEnum(parameters, self.SCALE, context)]
        seed = self.parameterAsInt(parameters, self.SEED, context)
        try:
            result = generate(folder, scale=scale, seed=seed, feedback=feedback)
        except GenerationCanceled as canceled:
            feedback.reportError(str(canceled))
            return {}
        except (ValueError, OSError) as error:
            raise QgsProcessingException(str(error)) from error
        outputs = {
            self.OUTPUT_FOLDER: result["output_dir"],
            self.GEOPACKAGE: result["geopackage"],
            self.CITYGML_FOLDER: result["citygml_dir"],
            self.STREET_LIGHT_COUNT: result["counts"]["street_lights"],
            self.BUILDING_COUNT: result["counts"]["building_footprints"],
        }
        for scenario, path in result["depth_rasters"].items():
            outputs[raster_output_name(scenario)] = path
        feedback.pushInfo(tr("{} street lights and {} buildings written to {}").format(
            outputs[self.STREET_LIGHT_COUNT], outputs[self.BUILDING_COUNT], folder))
        return outputs
