"""The city model: NRW LoD2 CityGML 1.0/2.0 and CityJSON tiles into one GeoPackage, streaming.

``import_city_model(inputs, output, ...)`` is the one entry point (see ``importer``);
``layers`` names the layers and fields it writes.
"""

from .errors import BuildingFailure, CityModelError, ImportCanceled, TileError
from .importer import ImportSummary, import_city_model

__all__ = ["import_city_model", "ImportSummary", "CityModelError", "TileError", "BuildingFailure", "ImportCanceled"]
