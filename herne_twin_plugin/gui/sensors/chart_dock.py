"""The time-series chart dock: the streams of one station over hours, days or weeks from
the history API of a catalog entry (SensorThings Observations filtered by phenomenonTime,
or QuantumLeap fromDate/toDate), one panel per observed property with its thresholds
drawn; export as PNG and CSV.

Reading runs in a QgsTask (the station list first, then the history of the chosen
station). ``follow_layer(layer)`` shows the station selected in a live readings layer.
``close_connections()`` cancels a running task and disconnects the followed layer.
"""

import csv
import datetime
import logging

from qgis.core import Qgis, QgsApplication, QgsInterval, QgsProject, QgsTask
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import tr
from ...core.sensors.fetch import SourceError
from ...core.sensors.history_layer import history_layer, layer_time_range, read_history
from ...core.sensors.model import format_time, utc_now
from ...core.sensors.ngsi import NgsiSource
from ...core.sensors.observed_properties import PROPERTIES, property_label
from ...core.sensors.sensorthings import SensorThingsSource
from ...core.services.service_types import ServiceType
from .source_choice import choose_source, fill_sources

LOGGER = logging.getLogger(__name__)

HISTORY_TYPES = (ServiceType.SENSORTHINGS, ServiceType.NGSI)
HISTORY_STEP_S = 900  # the city's stations report every 15 minutes: one slider step shows one reading each
CSV_HEADER = ("station_id", "observed_property", "time", "value", "unit", "quality")


def time_ranges():
    """(label, hours) of the ranges offered."""
    return ((tr("Last 6 hours"), 6), (tr("Last 24 hours"), 24), (tr("Last 3 days"), 72), (tr("Last week"), 168),
            (tr("Last 4 weeks"), 672))


def source_for(service):
    if service.service_type == ServiceType.SENSORTHINGS:
        return SensorThingsSource.from_service(service)
    if service.service_type == ServiceType.NGSI:
        return NgsiSource.from_service(service)
    raise ValueError(tr("The catalog entry {name} has no history API (SensorThings API or FIWARE NGSI v2 with "
                        "QuantumLeap).").format(name=service.name))


class _ReadTask(QgsTask):
    """Runs ``work()`` (blocking network) off the UI thread; result or error afterwards."""

    def __init__(self, description, work):
        super().__init__(description, QgsTask.CanCancel)
        self.work = work
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.work()
        except (SourceError, ValueError) as error:
            self.error = str(error)
            return False
        return not self.isCanceled()


def history_of(source, streams, start, end):
    """{stream id: [Observation]} of ``streams`` between ``start`` and ``end``."""
    result = {}
    for stream in streams:
        if isinstance(source, NgsiSource):
            result[stream.stream_id] = source.history(stream, start=start, end=end)
        else:
            result[stream.stream_id] = source.history(stream, start, end)
    return result


class SensorChartDock(QgsDockWidget):
    loaded = pyqtSignal()  # after stations or a history were read (or failed: see status_label)

    def __init__(self, iface, catalog, parent=None):
        super().__init__(tr("Sensor time series"), parent)
        from matplotlib.backends.backend_qt5agg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.iface = iface
        self.catalog = catalog
        self.snapshot = None
        self.source = None
        self.history = {}  # stream id -> observations shown
        self.streams = []  # the streams shown
        self.range = None  # (start, end) shown
        self._task = None
        self._followed = None

        self.source_combo = QComboBox()
        self.source_combo.activated.connect(lambda _index: self.read_stations())
        self.station_combo = QComboBox()
        self.range_combo = QComboBox()
        for label, hours in time_ranges():
            self.range_combo.addItem(label, hours)
        self.range_combo.setCurrentIndex(1)
        self.show_button = QPushButton(tr("Show"))
        self.show_button.clicked.connect(self.read_history)
        self.png_button = QPushButton(tr("Export PNG…"))
        self.png_button.clicked.connect(lambda: self._export_dialog("png"))
        self.csv_button = QPushButton(tr("Export CSV…"))
        self.csv_button.clicked.connect(lambda: self._export_dialog("csv"))
        self.history_button = QPushButton(tr("History on the time slider"))
        self.history_button.setToolTip(tr("Add the readings of every station of the source over the time range as "
                                          "a temporal layer, to play with the time slider"))
        self.history_button.clicked.connect(self.add_history_layer)
        self.history_layer = None
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.figure = Figure(figsize=(6, 4), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)

        form = QFormLayout()
        form.addRow(tr("Source"), self.source_combo)
        form.addRow(tr("Station"), self.station_combo)
        form.addRow(tr("Time range"), self.range_combo)
        buttons = QHBoxLayout()
        for button in (self.show_button, self.png_button, self.csv_button, self.history_button):
            buttons.addWidget(button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status_label)
        self.setWidget(body)
        self.catalog.changed.connect(self.populate)
        self.populate()
        self._update_buttons()

    # -- sources and stations --------------------------------------------------------------
    def populate(self):
        fill_sources(self.source_combo,
                     [service for service in self.catalog.services() if service.service_type in HISTORY_TYPES])

    def select_source(self, service_id):
        choose_source(self.source_combo, service_id)
        self.read_stations()

    def read_stations(self):
        """Read the source's stations and streams (a background task)."""
        service = self.catalog.service(self.source_combo.currentData())
        if service is None:
            return
        try:
            source = source_for(service)
        except ValueError as error:
            self._status(str(error), error=True)
            return
        self._run(tr("Reading the sensor stations"), source.latest, lambda snapshot: self._stations_read(
            source, snapshot))

    def _stations_read(self, source, snapshot):
        self.source, self.snapshot = source, snapshot
        current = self.station_combo.currentData()
        self.station_combo.clear()
        for station in sorted(snapshot.stations, key=lambda item: item.name):
            self.station_combo.addItem("{} ({})".format(station.name, station.station_id), station.station_id)
        index = self.station_combo.findData(current)
        if index >= 0:
            self.station_combo.setCurrentIndex(index)
        self._status(tr("{count} stations.").format(count=len(snapshot.stations)))

    def show_station(self, station_id):
        """Choose a station (e.g. selected on the map) and read its history."""
        index = self.station_combo.findData(station_id)
        if index < 0:
            self._status(tr("The station {id} is not in this source.").format(id=station_id), error=True)
            return False
        self.station_combo.setCurrentIndex(index)
        self.read_history()
        return True

    def follow_layer(self, layer):
        """Show the station selected in ``layer`` (a live readings layer)."""
        self._unfollow()
        self._followed = layer
        layer.selectionChanged.connect(self._selection_changed)

    def follow_session(self, session):
        """Follow the live readings layer of a LiveSession that has just started."""
        self.follow_layer(session.layer)

    def _unfollow(self):
        if self._followed is not None:
            try:
                self._followed.selectionChanged.disconnect(self._selection_changed)
            except (TypeError, RuntimeError):
                pass
            self._followed = None

    def _selection_changed(self, selected, _deselected, _clear):
        if selected and self._followed is not None:
            feature = self._followed.getFeature(selected[0])
            if feature.isValid() and self.snapshot is not None:
                self.show_station(feature["station_id"])

    # -- history ---------------------------------------------------------------------------
    def read_history(self):
        station_id = self.station_combo.currentData()
        if self.snapshot is None or station_id is None:
            self._status(tr("Choose a source and a station first."), error=True)
            return
        streams = [stream for stream in self.snapshot.streams if stream.station_id == station_id]
        end = utc_now()
        start = end - datetime.timedelta(hours=self.range_combo.currentData())
        source = self.source
        self._run(tr("Reading the sensor history"), lambda: history_of(source, streams, start, end),
                  lambda history: self._history_read(station_id, streams, history, (start, end)))

    def _history_read(self, station_id, streams, history, time_range):
        self.history, self.streams, self.range = history, streams, time_range
        self.plot(station_id)
        count = sum(len(items) for items in history.values())
        self._status(tr("{count} readings of {streams} streams.").format(count=count, streams=len(streams)))

    def plot(self, station_id):
        self.figure.clear()
        shown = [stream for stream in self.streams if stream.observed_property in PROPERTIES]
        station = next((item for item in self.snapshot.stations if item.station_id == station_id), None)
        for index, stream in enumerate(shown):
            axes = self.figure.add_subplot(len(shown), 1, index + 1)
            readings = [item for item in self.history.get(stream.stream_id, []) if item.is_valid]
            axes.plot([item.time for item in readings], [item.value for item in readings], color="#2171b5",
                      linewidth=1.2)
            for key, colour in (("warn", "#fdae61"), ("warn_below", "#fdae61"), ("alarm", "#d73027")):
                limit = (stream.thresholds or {}).get(key)
                if isinstance(limit, (int, float)) and not isinstance(limit, bool):
                    axes.axhline(limit, color=colour, linestyle="--", linewidth=1.0,
                                 label=tr("Alarm level") if key == "alarm" else tr("Warning level"))
            unit = PROPERTIES[stream.observed_property].unit
            axes.set_ylabel("{} ({})".format(property_label(stream.observed_property), unit) if unit
                            else property_label(stream.observed_property), fontsize=8)
            axes.tick_params(labelsize=7)
            axes.grid(True, alpha=0.3)
            if self.range is not None:
                axes.set_xlim(self.range[0], self.range[1])
            if axes.get_legend_handles_labels()[0]:
                axes.legend(fontsize=7, loc="upper left")
        if shown:
            self.figure.axes[0].set_title(station.name if station else station_id, fontsize=9)
            self.figure.autofmt_xdate()
            self.figure.tight_layout()
        self.canvas.draw_idle()
        self._update_buttons()

    # -- history on the temporal controller -----------------------------------------------
    def add_history_layer(self):
        """Read every stream of the source over the chosen range (a task) and add it as a temporal layer."""
        if self.snapshot is None:
            self._status(tr("Choose a source and a station first."), error=True)
            return
        end = utc_now()
        start = end - datetime.timedelta(hours=self.range_combo.currentData())
        source, snapshot = self.source, self.snapshot
        step_s = HISTORY_STEP_S
        self._run(tr("Reading the sensor history"), lambda: read_history(source, snapshot.streams, start, end),
                  lambda observations: self._history_layer_read(snapshot, observations, step_s, (start, end)))

    def _history_layer_read(self, snapshot, observations, step_s, time_range):
        layer = history_layer(snapshot.stations, observations, step_s=step_s,
                              name=tr("Sensor history {start} – {end} UTC").format(
                                  start=time_range[0].strftime("%Y-%m-%d %H:%M"),
                                  end=time_range[1].strftime("%Y-%m-%d %H:%M")))
        QgsProject.instance().addMapLayer(layer)
        self.history_layer = layer
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        navigation = canvas.temporalController() if canvas is not None else None
        if navigation is not None and hasattr(navigation, "setTemporalExtents"):
            navigation.setTemporalExtents(layer_time_range(layer))
            if hasattr(navigation, "setFrameDuration"):
                navigation.setFrameDuration(QgsInterval(step_s))
        self._status(tr("{count} readings on the time slider.").format(count=layer.featureCount()))

    # -- export ----------------------------------------------------------------------------
    def rows(self):
        """The CSV rows of what the chart shows (header first), oldest first per stream."""
        rows = [CSV_HEADER]
        for stream in self.streams:
            for item in sorted(self.history.get(stream.stream_id, []), key=lambda observation: observation.time):
                rows.append((item.station_id, item.observed_property, format_time(item.time),
                             "" if not item.is_valid else repr(float(item.value)), item.unit, item.quality))
        return rows

    def export_csv(self, path):
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(self.rows())
        LOGGER.info("Sensor chart: %d rows written to %s", len(self.rows()) - 1, path)
        return path

    def export_png(self, path, dpi=150):
        self.figure.savefig(path, dpi=dpi, format="png")
        LOGGER.info("Sensor chart written to %s", path)
        return path

    def _export_dialog(self, kind):
        if kind == "png":
            path, _filter = QFileDialog.getSaveFileName(self, tr("Export the chart"), "", tr("PNG image (*.png)"))
        else:
            path, _filter = QFileDialog.getSaveFileName(self, tr("Export the readings"), "", tr("CSV table (*.csv)"))
        if not path:
            return
        try:
            (self.export_png if kind == "png" else self.export_csv)(path)
        except OSError as error:
            self._status(tr("Could not write {path}: {error}").format(path=path, error=error), error=True)
            return
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Sensor time series"), tr("Written to {path}").format(path=path),
                                                Qgis.Success, 5)

    # -- plumbing --------------------------------------------------------------------------
    def _run(self, description, work, on_result):
        if self._task is not None:
            self._task.cancel()
        task = _ReadTask(description, work)
        self._task = task
        self._status(description + "…")

        def done():
            if self._task is not task:
                return
            self._task = None
            if task.result is None:
                self._status(task.error or tr("Cancelled."), error=True)
            else:
                on_result(task.result)
            self.loaded.emit()

        task.taskCompleted.connect(done)
        task.taskTerminated.connect(done)
        QgsApplication.taskManager().addTask(task)

    def _status(self, text, error=False):
        self.status_label.setText(text)
        if error:
            LOGGER.warning("Sensor chart: %s", text)
            if self.iface is not None:
                self.iface.messageBar().pushMessage(tr("Sensor time series"), text, Qgis.Warning, 8)

    def _update_buttons(self):
        has_data = bool(self.streams)
        self.png_button.setEnabled(has_data)
        self.csv_button.setEnabled(has_data)

    def close_connections(self):
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._unfollow()
        try:
            self.catalog.changed.disconnect(self.populate)
        except TypeError:
            pass
