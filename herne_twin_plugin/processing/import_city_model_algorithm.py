"""Processing algorithm ``hernetwin:importcitymodel``: CityGML / CityJSON tiles into a GeoPackage."""

import os
import re

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..core.citymodel import CityModelError, import_city_model
from ..core.citymodel.srs import AUTHID
from ..core.i18n import tr

_PATH_SEPARATORS = re.compile(r"[;\n]")


def file_list(value):
    """The paths in the FILES parameter: a list, or one string with paths separated by ';' or new lines."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [os.fspath(item) for item in value]
    else:
        items = _PATH_SEPARATORS.split(str(value))
    return [item.strip().strip('"') for item in items if item and item.strip()]


class ImportCityModelAlgorithm(QgsProcessingAlgorithm):
    INPUT = "INPUT"
    FILES = "FILES"
    OUTPUT = "OUTPUT"
    KEEP_PARTS = "KEEP_PARTS"
    EXTENT = "EXTENT"
    URL_TEMPLATE = "URL_TEMPLATE"
    ASSUME_SRS = "ASSUME_SRS"
    BUILDINGS = "BUILDINGS"
    FAILED = "FAILED"
    TILES_IMPORTED = "TILES_IMPORTED"
    TILES_SKIPPED = "TILES_SKIPPED"
    TILES_FAILED = "TILES_FAILED"

    def name(self):
        return "importcitymodel"

    def displayName(self):
        return tr("Import city model (CityGML / CityJSON)")

    def group(self):
        return tr("City model")

    def groupId(self):
        return "citymodel"

    def shortHelpString(self):
        return tr(
            "Imports 3D buildings from CityGML 1.0/2.0 (the NRW LoD2 tiles LoD2_32_E_N_1_NW.gml) and "
            "CityJSON 1.1/2.0 files into one GeoPackage: 'buildings' (true 3D LoD2 solids as MultiPolygonZ, "
            "one per building, with function, roof type, heights and all generic attributes), "
            "'building_footprints' (2D), 'building_surfaces' (each roof, wall and ground surface with area, "
            "tilt and azimuth, for solar planning) and, with 'Keep building parts', 'building_parts'. "
            "Coordinates EPSG:25832, heights DHHN2016.\n\n"
            "Input: a folder of tiles and/or a list of files (paths separated by ';' or new lines; from Python "
            "also a list). Only tiles whose NRW tile name touches the extent are imported where an extent is "
            "given; with a tile URL template (http or https, {E} and {N} for the tile corner in km) the tiles "
            "of the extent are downloaded through QGIS's network settings.\n\n"
            "An existing GeoPackage is updated: a tile already imported with the same content is skipped, a "
            "changed tile replaces its buildings (by building id). Each tile is written completely or not at "
            "all; a canceled import keeps the tiles finished before. Buildings that cannot be imported are "
            "listed with their reason in 'import_failures', tiles in 'import_tiles'."
        )

    def createInstance(self):
        return ImportCityModelAlgorithm()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, tr("Folder with city model tiles (or one file)"),
            behavior=QgsProcessingParameterFile.Folder, optional=True,
        ))
        self.addParameter(QgsProcessingParameterString(
            self.FILES, tr("City model files (paths separated by ; or new lines)"), multiLine=True, optional=True,
        ))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("City model GeoPackage"), fileFilter=tr("GeoPackage (*.gpkg)"),
        ))
        self.addParameter(QgsProcessingParameterBoolean(
            self.KEEP_PARTS, tr("Keep building parts as a layer of their own"), defaultValue=False,
        ))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, tr("Only tiles touching this extent"), optional=True,
        ))
        url = QgsProcessingParameterString(
            self.URL_TEMPLATE, tr("Tile URL template (with {E} and {N}; needs an extent)"), optional=True,
        )
        assume = QgsProcessingParameterBoolean(
            self.ASSUME_SRS, tr("Assume EPSG:25832 where a file names no coordinate system"), defaultValue=False,
        )
        for advanced in (url, assume):
            advanced.setFlags(advanced.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(advanced)
        self.addOutput(QgsProcessingOutputNumber(self.BUILDINGS, tr("Buildings imported")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Buildings that failed")))
        self.addOutput(QgsProcessingOutputNumber(self.TILES_IMPORTED, tr("Tiles imported")))
        self.addOutput(QgsProcessingOutputNumber(self.TILES_SKIPPED, tr("Tiles skipped (already imported)")))
        self.addOutput(QgsProcessingOutputNumber(self.TILES_FAILED, tr("Tiles that failed")))

    def processAlgorithm(self, parameters, context, feedback):
        inputs = []
        folder = self.parameterAsString(parameters, self.INPUT, context)
        if folder:
            inputs.append(folder)
        inputs.extend(file_list(parameters.get(self.FILES)))
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        url_template = self.parameterAsString(parameters, self.URL_TEMPLATE, context) or None
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            rectangle = self.parameterAsExtent(parameters, self.EXTENT, context, QgsCoordinateReferenceSystem(AUTHID))
            if not rectangle.isNull():
                extent = (rectangle.xMinimum(), rectangle.yMinimum(), rectangle.xMaximum(), rectangle.yMaximum())
        if not inputs and not url_template:
            raise QgsProcessingException(tr("Give a folder, files or a tile URL template to import."))
        try:
            summary = import_city_model(
                inputs, output,
                keep_parts=self.parameterAsBoolean(parameters, self.KEEP_PARTS, context),
                extent=extent, url_template=url_template,
                assume_srs=self.parameterAsBoolean(parameters, self.ASSUME_SRS, context),
                feedback=feedback,
            )
        except CityModelError as error:
            raise QgsProcessingException(error.reason) from error
        attempted = len(summary.tiles_imported) + len(summary.tiles_failed)
        if summary.tiles_failed and not summary.tiles_imported and not summary.tiles_skipped:
            raise QgsProcessingException(tr("No tile could be imported: {reasons}").format(
                reasons="; ".join("{}: {}".format(tile, reason) for tile, reason in summary.tiles_failed)))
        if summary.files_outside:
            feedback.pushInfo(tr("{count} files lie outside the extent and were left out.").format(
                count=len(summary.files_outside)))
        feedback.pushInfo(tr(
            "{buildings} buildings imported, {failed} failed; {tiles} of {attempted} tiles imported, "
            "{skipped} already imported, {tiles_failed} failed."
        ).format(buildings=summary.buildings, failed=summary.failures, tiles=len(summary.tiles_imported),
                 attempted=attempted, skipped=len(summary.tiles_skipped), tiles_failed=len(summary.tiles_failed)))
        return {
            self.OUTPUT: output,
            self.BUILDINGS: summary.buildings,
            self.FAILED: summary.failures,
            self.TILES_IMPORTED: len(summary.tiles_imported),
            self.TILES_SKIPPED: len(summary.tiles_skipped),
            self.TILES_FAILED: len(summary.tiles_failed),
        }

