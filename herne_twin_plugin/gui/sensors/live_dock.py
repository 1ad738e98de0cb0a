"""The "Live sensors" dock: choose a sensor source from the catalog, connect, watch.

Sources: an MQTT broker entry (LoRaWAN uplinks of The Things Stack / ChirpStack, its
``topic`` option; stations from the device register layer chosen below), a SensorThings
entry with the ``mqtt_url`` option (its MQTT extension; the Datastreams are read first in
a background task) and an NGSI v2 entry (Orion polled every 30 s). The dock shows the
connection state (connected, reconnecting in N s, the error), the counters (received,
accepted, rejected per reason) and the alerts; the live layer is added to the project,
styled by state (core/sensors/live_style.py). The dock holds no domain logic: it drives a
core LiveSession. ``close_connections()`` stops the session and disconnects every signal.
"""

import logging

from qgis.core import Qgis, QgsApplication, QgsMapLayerProxyModel, QgsProject, QgsTask
from qgis.gui import QgsDockWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import tr
from ...core.sensors.alerts import default_rules
from ...core.sensors.fetch import SourceError
from ...core.sensors.ingest import ConnectionState, IngestError
from ...core.sensors.live_session import LiveSession
from ...core.sensors.live_style import STALE_AFTER_S, STALE_KEY, apply_live_style
from ...core.sensors.lorawan import DEFAULT_TOPICS
from ...core.sensors.ngsi import NgsiSource
from ...core.sensors.quality import reason_label
from ...core.sensors.register import DeviceRegister
from ...core.sensors.sensorthings import SensorThingsSource
from ...core.services.service_types import ServiceType
from ...core.settings import PluginSettings
from .alerts import AlertList
from .source_choice import choose_source, fill_sources

LOGGER = logging.getLogger(__name__)

LIVE_TYPES = (ServiceType.MQTT, ServiceType.SENSORTHINGS, ServiceType.NGSI)
NGSI_POLL_S = 30.0


def state_text(state, message):
    labels = {
        ConnectionState.STOPPED: tr("Not connected"),
        ConnectionState.CONNECTING: tr("Connecting"),
        ConnectionState.CONNECTED: tr("Connected"),
        ConnectionState.WAITING: tr("Reconnecting"),
        ConnectionState.FAILED: tr("Error"),
    }
    label = labels.get(state, state)
    return "{}: {}".format(label, message) if message else label


class _SnapshotTask(QgsTask):
    """Reads the Datastreams of a SensorThings server (blocking network) off the UI thread."""

    def __init__(self, service):
        super().__init__(tr("Reading the SensorThings Datastreams"), QgsTask.CanCancel)
        self.service = service
        self.snapshot = None
        self.error = None

    def run(self):
        try:
            self.snapshot = SensorThingsSource.from_service(self.service).latest()
        except SourceError as error:
            self.error = str(error)
            return False
        return True



def _has_live_feed(service):
    if service.service_type not in LIVE_TYPES:
        return False
    # without its MQTT extension a SensorThings server has no live feed
    return service.service_type != ServiceType.SENSORTHINGS or bool(service.options.get("mqtt_url"))

class LiveSensorsDock(QgsDockWidget):
    sessionStarted = pyqtSignal(object)  # the LiveSession, once it runs

    def __init__(self, iface, catalog, settings=None, parent=None):
        super().__init__(tr("Live sensors"), parent)
        self.iface = iface
        self.catalog = catalog
        self.settings = settings if isinstance(settings, PluginSettings) else PluginSettings(settings)
        self.session = None
        self._task = None

        self.source_combo = QComboBox()
        self.register_combo = QgsMapLayerComboBox()
        self.register_combo.setFilters(QgsMapLayerProxyModel.PointLayer)
        self.register_combo.setToolTip(tr("The sensor stations layer that tells which LoRaWAN device is which "
                                          "station (fields station_id, device_eui, observed_properties)"))
        self.stale_spin = QSpinBox()
        self.stale_spin.setRange(1, 24 * 60)
        self.stale_spin.setSuffix(tr(" min"))
        self.stale_spin.setValue(int(self.stale_after_s() // 60))
        self.stale_spin.valueChanged.connect(self._stale_changed)
        self.connect_button = QPushButton(tr("Connect"))
        self.connect_button.clicked.connect(self.connect_source)
        self.disconnect_button = QPushButton(tr("Disconnect"))
        self.disconnect_button.clicked.connect(self.disconnect_source)
        self.disconnect_button.setEnabled(False)
        self.state_label = QLabel(state_text(ConnectionState.STOPPED, ""))
        self.state_label.setWordWrap(True)
        self.counters_label = QLabel()
        self.counters_label.setWordWrap(True)
        self.alert_list = AlertList(iface.messageBar() if iface is not None else None)

        form = QFormLayout()
        form.addRow(tr("Source"), self.source_combo)
        form.addRow(tr("Device register"), self.register_combo)
        form.addRow(tr("Grey out after"), self.stale_spin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.disconnect_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.state_label)
        layout.addWidget(self.counters_label)
        layout.addWidget(QLabel(tr("Alerts")))
        layout.addWidget(self.alert_list, 1)
        self.setWidget(body)

        self._counter_timer = QTimer(self)
        self._counter_timer.setInterval(1000)
        self._counter_timer.timeout.connect(self.update_counters)
        self.catalog.changed.connect(self.populate)
        self.populate()
        self.update_counters()

    # -- settings and sources --------------------------------------------------------------
    def stale_after_s(self):
        try:
            return max(60.0, float(self.settings.value(STALE_KEY, STALE_AFTER_S)))
        except (TypeError, ValueError):
            return float(STALE_AFTER_S)

    def _stale_changed(self, minutes):
        self.settings.set_value(STALE_KEY, minutes * 60)
        if self.session is not None:
            self.session.stale_after_s = minutes * 60
            apply_live_style(self.session.layer, self.session.streams, minutes * 60)

    def populate(self):
        fill_sources(self.source_combo, [service for service in self.catalog.services() if _has_live_feed(service)])

    def select_source(self, service_id):
        choose_source(self.source_combo, service_id)

    # -- connecting ------------------------------------------------------------------------
    def connect_source(self):
        if self.session is not None or self._task is not None:
            return
        service = self.catalog.service(self.source_combo.currentData())
        if service is None:
            self._show_error(tr("Choose a sensor source from the catalog first."))
            return
        options = dict(stale_after_s=self.stale_after_s(), alert_rules=default_rules(), settings=self.settings,
                       layer_name=tr("Live sensor readings ({source})").format(source=service.name))
        try:
            if service.service_type == ServiceType.MQTT:
                layer = self.register_combo.currentLayer()
                if layer is None:
                    self._show_error(tr("Choose the sensor stations layer as device register: without it the "
                                        "LoRaWAN devices cannot be placed."))
                    return
                register = DeviceRegister.from_layer(layer)
                topic = service.options.get("topic")
                self._start(LiveSession.lorawan(service.url, register, topics=(topic,) if topic else DEFAULT_TOPICS,
                                                authcfg=service.authcfg, **options))
            elif service.service_type == ServiceType.NGSI:
                self._start(LiveSession.ngsi_polling(NgsiSource.from_service(service), interval_s=NGSI_POLL_S,
                                                     **options))
            else:
                self._read_datastreams(service, options)
        except (ValueError, IngestError) as error:
            self._show_error(str(error))

    def _read_datastreams(self, service, options):
        task = _SnapshotTask(service)
        self._task = task
        self.connect_button.setEnabled(False)
        self.state_label.setText(state_text(ConnectionState.CONNECTING, tr("Reading the Datastreams…")))

        def done():
            if self._task is not task:
                return
            self._task = None
            if task.snapshot is None:
                self.connect_button.setEnabled(True)
                self._show_error(task.error or tr("Reading the Datastreams was cancelled."))
                return
            try:
                self._start(LiveSession.sensorthings(task.snapshot, service.options["mqtt_url"],
                                                     authcfg=service.authcfg, **options))
            except IngestError as error:
                self.connect_button.setEnabled(True)
                self._show_error(str(error))

        task.taskCompleted.connect(done)
        task.taskTerminated.connect(done)
        QgsApplication.taskManager().addTask(task)

    def _start(self, session):
        session.stateChanged.connect(self._state_changed)
        session.alertsFired.connect(self.alert_list.add_alerts)
        self.alert_list.set_engine(session.alerts)
        try:
            session.start()
        except IngestError as error:
            session.close_connections()
            self._show_error(str(error))
            return
        self.session = session
        QgsProject.instance().addMapLayer(session.layer)
        self.connect_button.setEnabled(False)
        self.disconnect_button.setEnabled(True)
        self.source_combo.setEnabled(False)
        self._counter_timer.start()
        LOGGER.info("Live sensors: %s started", session.layer.name())
        self.sessionStarted.emit(session)

    def disconnect_source(self):
        """Stop the session (its thread joined); the layer stays with the last readings."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self.session is not None:
            self.session.close_connections()
            self.session = None
        self._counter_timer.stop()
        self.update_counters()
        self.connect_button.setEnabled(True)
        self.disconnect_button.setEnabled(False)
        self.source_combo.setEnabled(True)
        self.state_label.setText(state_text(ConnectionState.STOPPED, ""))

    def close_connections(self):
        """For the plugin's unload: stop everything and disconnect outside signals."""
        self.disconnect_source()
        try:
            self.catalog.changed.disconnect(self.populate)
        except TypeError:
            pass

    # -- showing ---------------------------------------------------------------------------
    def _state_changed(self, state, message):
        self.state_label.setText(state_text(state, message))
        if state == ConnectionState.FAILED:
            self._show_error(message)

    def _show_error(self, message):
        self.state_label.setText(state_text(ConnectionState.FAILED, message))
        LOGGER.warning("Live sensors: %s", message)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Live sensors"), message, Qgis.Warning, 10)

    def update_counters(self):
        if self.session is None:
            if not self.counters_label.text():
                self.counters_label.setText(tr("No readings yet."))
            return
        counts = self.session.counters.snapshot()
        lines = [tr("Received {received}, accepted {accepted}, rejected {rejected}; {stations} stations on the map.")
                 .format(received=counts["received"], accepted=counts["accepted"],
                         rejected=sum(counts["rejected"].values()), stations=len(self.session.live.store))]
        for reason, count in sorted(counts["rejected"].items(), key=lambda item: -item[1]):
            lines.append(tr("  {reason}: {count}").format(reason=reason_label(reason), count=count))
        order = counts["order"]
        if order or counts["dropped"]:
            lines.append(tr("Duplicates {duplicates}, late {late}, dropped (queue full) {dropped}.").format(
                duplicates=order.get("duplicate", 0), late=order.get("out_of_order", 0), dropped=counts["dropped"]))
        self.counters_label.setText("\n".join(lines))
