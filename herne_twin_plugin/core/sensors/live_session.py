"""One live sensor session: the pieces the package doc wires by hand, put together once for
the dock, the demo and the benchmark.

``LiveSession`` owns the counters, the ingest queue (whose drained uplinks also feed the
alert engine), the live readings layer, its batcher and the source's feed:

- ``LiveSession.lorawan(url, register, topics, authcfg)``: LoRaWAN uplinks over MQTT;
- ``LiveSession.sensorthings(snapshot, mqtt_url, authcfg)``: the SensorThings MQTT
  extension (``snapshot`` from ``SensorThingsSource.latest()``, read in a QgsTask first);
- ``LiveSession.ngsi_polling(source, interval_s)``: Orion polled in a QgsTask every
  ``interval_s`` (NGSI v2 has no push without subscriptions to a public endpoint).

``start()`` / ``stop()`` start and end everything (threads joined, timers stopped);
``start()`` also freezes the objects alive at that moment out of Python's cycle collector
(``freeze_gc``, see ``settle_garbage_collector``);
``stateChanged(state, message)`` reports the connection, ``alertsFired(list)`` new alerts.
Everything here runs on the UI thread except the MQTT client (ingest.py) and the poll task.
"""

import gc
import logging
import time

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..i18n import tr
from .alerts import AlertEngine
from .ingest import ConnectionState, MqttIngest, UplinkQueue
from .latest_values import LatestValueStore
from .live_layer import LiveLayerBatcher, LiveReadingsLayer
from .live_style import STALE_AFTER_S, apply_live_style
from .lorawan import DEFAULT_TOPICS, Uplink, UplinkDecoder
from .quality import QualityCounters
from .sensorthings import SensorThingsMqttDecoder

LOGGER = logging.getLogger(__name__)


def settle_garbage_collector():
    """Collect once, then move every object alive now out of the cycle collector's reach (gc.freeze).

    Why: thousands of messages a second keep Python's full collections coming every few
    seconds, and each one walks every object of the QGIS process (tens of thousands) while
    all threads wait: measured 70-180 ms stalls of the UI thread at 5,000 messages/s, over
    the 50 ms target; with the objects of QGIS and the plugin frozen, 35 ms
    (scripts/bench/bench_sensor_ingest.py). Reference counting still frees frozen objects;
    only cyclic garbage among them would stay, so the one collection beforehand clears what
    is garbage now. Process-wide, so it is done once per session start, not per message."""
    started = time.monotonic()
    gc.collect()
    gc.freeze()
    LOGGER.info("Live sensors: %d objects frozen out of the cycle collector (%.0f ms)", gc.get_freeze_count(),
                1000 * (time.monotonic() - started))


class ObservedQueue(UplinkQueue):
    """An UplinkQueue that shows every drained uplink to ``observers`` (on the draining thread)."""

    def __init__(self, capacity=200000, counters=None):
        super().__init__(capacity, counters)
        self.observers = []

    def drain(self, limit=None):
        items = super().drain(limit)
        for observer in self.observers:
            observer(items)
        return items


class LiveSession(QObject):
    stateChanged = pyqtSignal(str, str)
    alertsFired = pyqtSignal(list)

    def __init__(self, streams=(), alert_rules=(), settings=None, stale_after_s=STALE_AFTER_S,
                 max_repaints_per_s=4.0, layer_name=None, freeze_gc=True, parent=None):
        super().__init__(parent)
        self.freeze_gc = freeze_gc
        self.counters = QualityCounters()
        self.queue = ObservedQueue(counters=self.counters)
        self.live = LiveReadingsLayer(LatestValueStore(self.counters))
        if layer_name:
            self.live.layer.setName(layer_name)
        self.streams = list(streams)
        self.stale_after_s = stale_after_s
        apply_live_style(self.live.layer, self.streams, stale_after_s)
        self.batcher = LiveLayerBatcher(self.queue, self.live, max_repaints_per_s=max_repaints_per_s)
        self.alerts = AlertEngine(alert_rules, settings)
        self.queue.observers.append(self._evaluate_alerts)
        self.ingest = None
        self.poller = None
        self.state = ConnectionState.STOPPED
        self.message = ""

    # -- sources -------------------------------------------------------------------------
    @classmethod
    def lorawan(cls, url, register, topics=DEFAULT_TOPICS, authcfg="", ingest_options=None, **options):
        session = cls(streams=[stream for station in register.stations() for stream in
                               register.streams(station.station_id).values()], **options)
        decoder = UplinkDecoder(register, session.counters)
        session.ingest = MqttIngest(url, decoder, session.queue, topics=topics, authcfg=authcfg,
                                    **(ingest_options or {}))
        session.ingest.stateChanged.connect(session._ingest_state)
        return session

    @classmethod
    def sensorthings(cls, snapshot, mqtt_url, authcfg="", ingest_options=None, **options):
        session = cls(streams=snapshot.streams, **options)
        decoder = SensorThingsMqttDecoder(snapshot, counters=session.counters)
        session.ingest = MqttIngest(mqtt_url, decoder, session.queue, topics=decoder.topics(), authcfg=authcfg,
                                    **(ingest_options or {}))
        session.ingest.stateChanged.connect(session._ingest_state)
        # the snapshot's latest readings fill the layer at once
        for station_id, latest in snapshot.latest_by_station().items():
            station = next(item for item in snapshot.stations if item.station_id == station_id)
            session.queue.put(Uplink(station, list(latest.values()), "sensorthings", time.monotonic()))
        return session

    @classmethod
    def ngsi_polling(cls, source, streams=(), interval_s=30.0, **options):
        session = cls(streams=streams, **options)
        session.poller = NgsiPoller(source, session.queue, session.counters, interval_s, parent=session)
        session.poller.stateChanged.connect(session._ingest_state)
        return session

    # -- life cycle ----------------------------------------------------------------------
    @property
    def layer(self):
        return self.live.layer

    @property
    def running(self):
        return bool((self.ingest is not None and self.ingest.running) or (self.poller is not None
                                                                          and self.poller.running))

    def start(self):
        """Start the batcher and the feed (IngestError when the broker address or authcfg is unusable)."""
        if self.freeze_gc:
            settle_garbage_collector()
        self.batcher.start()
        try:
            if self.ingest is not None:
                self.ingest.start()
            if self.poller is not None:
                self.poller.start()
        except Exception:
            self.batcher.stop()
            raise

    def stop(self):
        """End the feed (thread joined, poll task cancelled), then write what is still queued."""
        stopped = True
        if self.ingest is not None:
            stopped = self.ingest.stop()
        if self.poller is not None:
            self.poller.stop()
        self.batcher.stop()
        return stopped

    def close_connections(self):
        """Stop and disconnect every signal this session connected (plugin unload)."""
        self.stop()
        for signal in (self.stateChanged, self.alertsFired):
            try:
                signal.disconnect()
            except TypeError:  # nothing connected
                pass
        if self.ingest is not None:
            try:
                self.ingest.stateChanged.disconnect(self._ingest_state)
            except TypeError:
                pass

    def _ingest_state(self, state, message):
        self.state, self.message = state, message
        self.stateChanged.emit(state, message)

    def _evaluate_alerts(self, uplinks):
        fired = []
        for uplink in uplinks:
            fired.extend(self.alerts.evaluate(uplink.station, uplink.observations))
        if fired:
            self.alertsFired.emit(fired)


class _PollTask(QgsTask):
    def __init__(self, source):
        super().__init__(tr("Reading the latest sensor readings"), QgsTask.CanCancel)
        self.source = source
        self.snapshot = None
        self.error = None

    def run(self):
        from .fetch import SourceError

        try:
            self.snapshot = self.source.latest()
        except SourceError as error:
            self.error = str(error)
            return False
        return not self.isCanceled()


class NgsiPoller(QObject):
    """Polls an NgsiSource's latest readings every ``interval_s`` in a QgsTask; the readings
    go into the queue like uplinks (the store drops the ones seen before)."""

    stateChanged = pyqtSignal(str, str)

    def __init__(self, source, queue, counters, interval_s=30.0, parent=None):
        super().__init__(parent)
        self.source = source
        self.queue = queue
        self.counters = counters
        self.source.counters = counters
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval_s * 1000))
        self._timer.timeout.connect(self.poll)
        self._task = None
        self.polls = 0

    @property
    def running(self):
        return self._timer.isActive()

    def start(self):
        self._timer.start()
        self.stateChanged.emit(ConnectionState.CONNECTING, tr("Reading {url}…").format(url=self.source.base))
        self.poll()

    def stop(self):
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.stateChanged.emit(ConnectionState.STOPPED, tr("Stopped polling."))

    def poll(self):
        if self._task is not None:
            return  # the previous poll is still running
        task = _PollTask(self.source)
        task.taskCompleted.connect(lambda: self._done(task))
        task.taskTerminated.connect(lambda: self._done(task))
        self._task = task
        QgsApplication.taskManager().addTask(task)

    def _done(self, task):
        if task is not self._task:
            return
        self._task = None
        if task.snapshot is None:
            seconds = "{:g}".format(self._timer.interval() / 1000.0)
            self.stateChanged.emit(ConnectionState.WAITING, tr("{error}. Next attempt in {seconds} s.").format(
                error=task.error or tr("cancelled"), seconds=seconds))
            return
        self.polls += 1
        stations = {station.station_id: station for station in task.snapshot.stations}
        for station_id, latest in task.snapshot.latest_by_station().items():
            if station_id in stations:
                self.queue.put(Uplink(stations[station_id], list(latest.values()), "ngsi", time.monotonic()))
        message = tr("Polled {count} stations; next poll in {seconds} s.").format(
            count=len(stations), seconds="{:g}".format(self._timer.interval() / 1000.0))
        self.stateChanged.emit(ConnectionState.CONNECTED, message)
