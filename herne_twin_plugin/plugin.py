"""The plugin shell: menu, toolbar, docks and the Processing provider.

``unload()`` undoes everything ``initGui()`` and ``initProcessing()`` did, in reverse
order, so that reloading the plugin leaves no trace of the previous instance.
"""

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core import log
from .core.i18n import install_translator, tr
from .core.paths import resource_path


def user_locale():
    """The two-letter locale QGIS runs in (``locale/userLocale``, e.g. 'de_DE' -> 'de')."""
    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "") or ""
    else:
        locale = QgsApplication.locale() or ""
    return (locale or "en")[0:2]


class HerneTwinPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = None
        self.log_handler = None
        self.actions = []
        self.toolbar = None
        self.catalog = None
        self.catalog_dock = None
        self.city_model_drop = None
        self.city_model_dialog = None
        self.export_dock = None
        self.live_sensors_dock = None
        self.sensor_chart_dock = None
        self.field_package_wizard = None
        self.field_sync_dialog = None
        self.online_edit_guard = None
        self._install_translator()

    def _install_translator(self):
        self.translator = install_translator(user_locale())

    # -- Processing ------------------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS API name)
        from .processing.provider import HerneTwinProvider

        if self.provider is None:
            self.provider = HerneTwinProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # -- GUI -------------------------------------------------------------------------
    def initGui(self):  # noqa: N802 (QGIS API name)
        from .core.catalog import ServiceCatalog
        from .gui.catalog_dock import CatalogDock
        from .gui.city_model_drop import CityModelDropHandler
        from .gui.export_dock import ExportDock
        from .gui.sensors.chart_dock import SensorChartDock
        from .gui.sensors.live_dock import LiveSensorsDock

        self.log_handler = log.install()
        self.initProcessing()

        self.menu_title = tr("&Herne Digital Twin")
        self.toolbar = self.iface.addToolBar(tr("Herne Digital Twin"))
        self.toolbar.setObjectName("HerneTwinToolbar")

        self.catalog = ServiceCatalog()
        self.catalog_dock = CatalogDock(self.iface, self.catalog, self.iface.mainWindow())
        self.catalog_dock.setObjectName("HerneTwinCatalogDock")
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.catalog_dock)
        self.catalog_dock.hide()

        catalog_action = self.catalog_dock.toggleViewAction()
        catalog_action.setIcon(QIcon(resource_path("icons", "catalog.svg")))
        catalog_action.setText(tr("Service Catalog"))
        catalog_action.setToolTip(tr("Show the catalog of the city's services"))
        self._add_action(catalog_action)

        self.live_sensors_dock = LiveSensorsDock(self.iface, self.catalog, parent=self.iface.mainWindow())
        self.live_sensors_dock.setObjectName("HerneTwinLiveSensorsDock")
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.live_sensors_dock)
        self.live_sensors_dock.hide()
        self.sensor_chart_dock = SensorChartDock(self.iface, self.catalog, self.iface.mainWindow())
        self.sensor_chart_dock.setObjectName("HerneTwinSensorChartDock")
        self.iface.addDockWidget(Qt.BottomDockWidgetArea, self.sensor_chart_dock)
        self.sensor_chart_dock.hide()
        # the chart follows the station selected on the live layer
        self.live_sensors_dock.sessionStarted.connect(self.sensor_chart_dock.follow_session)
        for dock, text in ((self.live_sensors_dock, tr("Live sensors")),
                           (self.sensor_chart_dock, tr("Sensor time series"))):
            action = dock.toggleViewAction()
            action.setIcon(QgsApplication.getThemeIcon("/mIconConnect.svg"))
            action.setText(text)
            self._add_action(action)

        self.export_dock = ExportDock(self.iface, self.iface.mainWindow())
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.export_dock)
        self.export_dock.hide()
        export_action = self.export_dock.toggleViewAction()
        export_action.setIcon(QgsApplication.getThemeIcon("/mActionNewLayout.svg"))
        export_action.setText(tr("Maps and atlases"))
        self._add_action(export_action)

        import_action = QAction(
            QIcon(resource_path("icons", "city_model.svg")), tr("Import city model (LoD2)"), self.iface.mainWindow()
        )
        import_action.setToolTip(
            tr("Import NRW LoD2 CityGML or CityJSON tiles into a GeoPackage and show them in 2D and 3D")
        )
        import_action.triggered.connect(self.show_city_model_import)
        self._add_action(import_action)

        hazard_action = QAction(
            QIcon(resource_path("icons", "heavy_rain.svg")), tr("Heavy rain exposure…"), self.iface.mainWindow()
        )
        hazard_action.setToolTip(tr("Which buildings, street lights and sensors are at risk in a Starkregen scenario"))
        hazard_action.triggered.connect(self.show_hazard_exposure)
        self._add_action(hazard_action)

        package_action = QAction(
            QgsApplication.getThemeIcon("/mActionNewGeoPackageLayer.svg"), tr("Create field package…"),
            self.iface.mainWindow(),
        )
        package_action.setToolTip(tr("Take an area offline for field inspections: assets, inspection form, basemap"))
        package_action.triggered.connect(self.show_field_package_wizard)
        self._add_action(package_action)

        from .gui.field.sync_dialog import action_text, action_tooltip

        sync_action = QAction(
            QgsApplication.getThemeIcon("/mActionRefresh.svg"), action_text(), self.iface.mainWindow()
        )
        sync_action.setToolTip(action_tooltip())
        sync_action.triggered.connect(self.show_field_sync)
        self._add_action(sync_action)

        # Edits of WFS / OGC API layers are compared with the server before they are saved.
        from .gui.field import online_edit_guard

        online_edit_guard.install(self.iface)
        self.online_edit_guard = online_edit_guard

        # CityGML/CityJSON files dropped on the map go to the importer instead of QGIS's GML reader.
        self.city_model_drop = CityModelDropHandler(self.iface)
        self.iface.registerCustomDropHandler(self.city_model_drop)

        about_action = QAction(
            QIcon(resource_path("icons", "herne_twin.svg")), tr("About Herne Digital Twin"), self.iface.mainWindow()
        )
        about_action.triggered.connect(self.show_about)
        self._add_action(about_action, toolbar=False)

    def _add_action(self, action, toolbar=True):
        self.iface.addPluginToWebMenu(self.menu_title, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)

    def show_city_model_import(self):
        from .gui.city_model_dialog import CityModelImportDialog

        if self.city_model_dialog is None:
            self.city_model_dialog = CityModelImportDialog(self.iface, parent=self.iface.mainWindow())
        self.city_model_dialog.show()
        self.city_model_dialog.raise_()

    def show_hazard_exposure(self):
        import processing

        processing.execAlgorithmDialog("hernetwin:hazardexposure", {})

    def show_field_package_wizard(self):
        from .gui.field.package_wizard import PackageWizard

        if self.field_package_wizard is None:
            self.field_package_wizard = PackageWizard(self.iface, self.iface.mainWindow())
        self.field_package_wizard.show()
        self.field_package_wizard.raise_()

    def show_field_sync(self):
        from .gui.field.sync_dialog import SyncDialog

        if self.field_sync_dialog is None:
            self.field_sync_dialog = SyncDialog(self.iface, self.iface.mainWindow())
        self.field_sync_dialog.show()
        self.field_sync_dialog.raise_()

    def show_about(self):
        from .gui.about import show_about

        show_about(self.iface.mainWindow())

    def unload(self):
        for action in self.actions:
            self.iface.removePluginWebMenu(self.menu_title, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
        self.actions = []
        if self.city_model_drop is not None:
            self.iface.unregisterCustomDropHandler(self.city_model_drop)
            self.city_model_drop = None
        if self.city_model_dialog is not None:
            self.city_model_dialog.reject()  # cancels an import still running
            self.city_model_dialog.deleteLater()
            self.city_model_dialog = None
        if self.online_edit_guard is not None:
            self.online_edit_guard.uninstall()
            self.online_edit_guard = None
        if self.field_package_wizard is not None:
            self.field_package_wizard.cancel()  # cancels a package still being made
            self.field_package_wizard.close()
            self.field_package_wizard.deleteLater()
            self.field_package_wizard = None
        if self.field_sync_dialog is not None:
            self.field_sync_dialog.close_connections()
            self.field_sync_dialog.close()
            self.field_sync_dialog.deleteLater()
            self.field_sync_dialog = None
        for name in ("live_sensors_dock", "sensor_chart_dock"):
            dock = getattr(self, name)
            if dock is not None:
                self.iface.removeDockWidget(dock)
                dock.close_connections()  # stops the MQTT thread, the batcher, poll and read tasks
                dock.deleteLater()
                setattr(self, name, None)
        if self.export_dock is not None:
            self.iface.removeDockWidget(self.export_dock)
            self.export_dock.close_connections()
            self.export_dock.deleteLater()
            self.export_dock = None
        if self.catalog_dock is not None:
            self.iface.removeDockWidget(self.catalog_dock)
            self.catalog_dock.close_connections()
            self.catalog_dock.deleteLater()
            self.catalog_dock = None
        self.catalog = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.log_handler is not None:
            log.uninstall(self.log_handler)
            self.log_handler = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
