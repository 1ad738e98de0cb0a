"""The Processing provider ``hernetwin``: every heavy operation of the twin."""

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.i18n import tr
from ..core.paths import resource_path

PROVIDER_ID = "hernetwin"
ICON_PATH = resource_path("icons", "herne_twin.svg")


def algorithm_classes():
    """The algorithm classes the provider offers (imported lazily)."""
    from .export_atlas_algorithm import ExportAtlasAlgorithm
    from .export_map_algorithm import ExportMapAlgorithm
    from .hazard_exposure_algorithm import HazardExposureAlgorithm
    from .import_city_model_algorithm import ImportCityModelAlgorithm
    from .package_field_algorithm import PackageFieldAlgorithm
    from .sample_city_algorithm import SampleCityAlgorithm
    from .sensor_snapshot_algorithm import SensorSnapshotAlgorithm
    from .sync_field_algorithm import SyncFieldAlgorithm

    return [SampleCityAlgorithm, ImportCityModelAlgorithm, SensorSnapshotAlgorithm, HazardExposureAlgorithm,
            ExportMapAlgorithm, ExportAtlasAlgorithm, PackageFieldAlgorithm, SyncFieldAlgorithm]


class HerneTwinProvider(QgsProcessingProvider):
    def id(self):
        return PROVIDER_ID

    def name(self):
        return tr("Herne Digital Twin")

    def longName(self):  # noqa: N802
        return self.name()

    def icon(self):
        return QIcon(ICON_PATH)

    def svgIconPath(self):  # noqa: N802
        return ICON_PATH

    def loadAlgorithms(self):  # noqa: N802
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())
