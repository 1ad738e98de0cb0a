"""Live MQTT ingest: LoRaWAN uplinks from the network server's broker into a queue.

``MqttIngest`` runs a paho-mqtt client on a thread of its own: QoS 1 subscriptions,
TLS for ``mqtts://`` URLs, user name and password (or a client certificate) from
an authcfg read through QgsAuthManager on the calling thread, reconnects with
exponential back-off, and on ``stop()`` unsubscribes, disconnects and joins the
thread. Each message is parsed on that thread (``UplinkDecoder``) and accepted
uplinks go into an ``UplinkQueue``; the UI thread drains the queue with a
``LiveLayerBatcher`` (live_layer.py). ``stateChanged(state, message)`` reports the
connection (states in ``ConnectionState``; Qt queues the signal to the UI thread).
"""

import logging
import ssl
import threading
import time
import urllib.parse
import uuid

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..i18n import tr
from ..log import redact_url
from .lorawan import DEFAULT_TOPICS

LOGGER = logging.getLogger(__name__)

CONNACK_TIMEOUT_S = 10.0
READ_BURST = 500  # messages read per select() at most
ACK_EVERY = 8  # acknowledgements sent after this many messages of a burst (the broker's window is 20)


class ConnectionState:
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    WAITING = "waiting"  # lost or refused; the next attempt follows after the back-off
    FAILED = "failed"  # cannot start at all (bad URL, unreadable authcfg)


class IngestError(RuntimeError):
    """The ingest cannot start; the message says why (translated)."""


class UplinkQueue:
    """A bounded hand-over from the MQTT thread to the UI thread. When full, new
    uplinks are dropped and counted (``counters.count_dropped``), never blocking
    the MQTT thread (the broker would stall)."""

    def __init__(self, capacity=200000, counters=None):
        self.capacity = capacity
        self.counters = counters
        self._items = []
        self._lock = threading.Lock()

    def put(self, item):
        with self._lock:
            if len(self._items) < self.capacity:
                self._items.append(item)
                return True
        if self.counters is not None:
            self.counters.count_dropped()
        return False

    def drain(self, limit=None):
        """Everything queued (at most ``limit``), oldest first."""
        with self._lock:
            if limit is None or len(self._items) <= limit:
                items, self._items = self._items, []
            else:
                items, self._items = self._items[:limit], self._items[limit:]
        return items

    def __len__(self):
        with self._lock:
            return len(self._items)


def broker_credentials(authcfg):
    """{"username", "password", "certfile", "keyfile", "keypass"} from an authcfg
    (methods Basic and PKI-Paths); empty without one; IngestError when it cannot be read.
    Call it on the UI thread: the auth database may ask for the master password."""
    if not authcfg:
        return {}
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    if manager.isDisabled() or not manager.loadAuthenticationConfig(authcfg, config, True) or not config.isValid(True):
        raise IngestError(tr("The authentication configuration {authcfg} could not be read. Does it exist, "
                             "and is the master password entered?").format(authcfg=authcfg))
    method = config.method()
    if method == "Basic":
        return {"username": config.config("username", ""), "password": config.config("password", "")}
    if method == "PKI-Paths":
        return {"certfile": config.config("certpath", ""), "keyfile": config.config("keypath", ""),
                "keypass": config.config("keypass", "")}
    raise IngestError(tr("The authentication configuration {authcfg} is of type {method}; the MQTT "
                         "ingest takes Basic (user name and password) or PKI-Paths (client "
                         "certificate).").format(authcfg=authcfg, method=method))


def broker_address(url):
    """(host, port, tls) of an mqtt:// or mqtts:// URL; IngestError for anything else."""
    parts = urllib.parse.urlsplit(url or "")
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if scheme not in ("mqtt", "mqtts") or not parts.hostname or port == -1:
        raise IngestError(tr("{url} is not an MQTT broker address (mqtt://host:port or mqtts://host:port).").format(
            url=redact_url(url or "")))
    tls = scheme == "mqtts"
    return parts.hostname, port or (8883 if tls else 1883), tls


class MqttIngest(QObject):
    """Subscribes to uplink topics and feeds parsed uplinks into a queue (see module doc)."""

    stateChanged = pyqtSignal(str, str)  # ConnectionState, message for the user

    def __init__(self, url, decoder, queue, topics=DEFAULT_TOPICS, authcfg="", keepalive_s=30,
                 min_backoff_s=1.0, max_backoff_s=60.0, ca_pem=None, parent=None):
        super().__init__(parent)
        self.url = url
        self.decoder = decoder
        self.queue = queue
        self.topics = tuple(topics)
        self.authcfg = authcfg
        self.keepalive_s = keepalive_s
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self.ca_pem = ca_pem  # extra trusted CA certificates (PEM text) for TLS
        self.client_id = "herne-twin-ingest-" + uuid.uuid4().hex[:10]
        self.connections = 0  # successful connections (reconnects included)
        self.messages = 0
        self._state = ConnectionState.STOPPED
        self._thread = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connack = None  # set by paho's on_connect on the client thread

    @classmethod
    def from_service(cls, service, decoder, queue, **options):
        """For a catalog entry of type MQTT: its URL, its ``topic`` option (else both
        network servers' uplink topics) and its authcfg."""
        topic = (service.options or {}).get("topic")
        topics = (topic,) if topic else DEFAULT_TOPICS
        return cls(service.url, decoder, queue, topics=topics, authcfg=service.authcfg, **options)

    @property
    def state(self):
        with self._lock:
            return self._state

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def start(self):
        """Start the client thread; IngestError (state FAILED) when URL or authcfg are unusable."""
        if self.running:
            return
        try:
            host, port, tls = broker_address(self.url)
            credentials = broker_credentials(self.authcfg)
            ca_pem = self.ca_pem
            if tls and ca_pem is None:
                ca_pem = bytes(QgsApplication.authManager().trustedCaCertsPemText()).decode("ascii", "ignore")
        except IngestError as error:
            self._set_state(ConnectionState.FAILED, str(error))
            raise
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, args=(host, port, tls, credentials, ca_pem),
                                        name="herne-twin-mqtt-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout_s=5.0):
        """Unsubscribe, disconnect and join the thread; True when it ended in time."""
        thread = self._thread
        self._stopping.set()
        if thread is None:
            return True
        thread.join(timeout_s)
        if thread.is_alive():
            LOGGER.warning("MQTT ingest thread did not end within %s s", timeout_s)
            return False
        self._thread = None
        return True

    # -- the client thread ---------------------------------------------------------------
    def _set_state(self, state, message):
        with self._lock:
            self._state = state
        level = logging.WARNING if state in (ConnectionState.WAITING, ConnectionState.FAILED) else logging.INFO
        LOGGER.log(level, "MQTT ingest %s: %s", state, message)
        try:
            self.stateChanged.emit(state, message)
        except RuntimeError:  # the QObject is gone (plugin unloaded while stopping)
            pass

    def _client(self, credentials, tls, ca_pem):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=self.client_id,
                             clean_session=True, reconnect_on_failure=False)
        client.connect_timeout = 10.0
        if credentials.get("username"):
            client.username_pw_set(credentials["username"], credentials.get("password") or None)
        if tls:
            context = ssl.create_default_context()
            if ca_pem and ca_pem.strip():
                context.load_verify_locations(cadata=ca_pem)
            if credentials.get("certfile"):
                context.load_cert_chain(credentials["certfile"], credentials.get("keyfile") or None,
                                        credentials.get("keypass") or None)
            client.tls_set_context(context)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        return client

    def _run(self, host, port, tls, credentials, ca_pem):
        import paho.mqtt.client as mqtt

        where = "{}:{}".format(host, port)
        backoff = self.min_backoff_s
        while not self._stopping.is_set():
            self._set_state(ConnectionState.CONNECTING, tr("Connecting to {host}…").format(host=where))
            self._connack = None
            try:
                client = self._client(credentials, tls, ca_pem)
                client.connect(host, port, keepalive=self.keepalive_s)
            except (OSError, ssl.SSLError, ValueError) as error:
                backoff = self._wait(backoff, tr("{host} cannot be reached: {error}").format(host=where, error=error))
                continue
            reason = tr("the connection was closed")
            connack_deadline = time.monotonic() + CONNACK_TIMEOUT_S
            while not self._stopping.is_set():
                result = client.loop(timeout=0.2)
                if result == mqtt.MQTT_ERR_SUCCESS and connack_deadline is None:
                    result = self._read_burst(client)
                if connack_deadline and self._connack is None and time.monotonic() > connack_deadline:
                    reason = tr("no MQTT answer (is it an MQTT broker?)")
                    break
                if self._connack is not None:
                    connack, self._connack = self._connack, None
                    if connack.is_failure:
                        reason = tr("the broker refused the connection: {reason}").format(reason=connack)
                        break
                    connack_deadline = None
                    client.subscribe([(topic, 1) for topic in self.topics])
                    self.connections += 1
                    backoff = self.min_backoff_s
                    self._set_state(ConnectionState.CONNECTED, tr("Connected to {host}; listening to {topics}.").format(
                        host=where, topics=", ".join(self.topics)))
                if result != mqtt.MQTT_ERR_SUCCESS:
                    reason = tr("the connection was lost ({error})").format(error=mqtt.error_string(result))
                    break
            if self._stopping.is_set():
                self._close(client)
                break
            try:
                client.disconnect()
            except Exception:  # noqa: BLE001 (the socket is gone already)
                pass
            backoff = self._wait(backoff, tr("{host}: {reason}").format(host=where, reason=reason))
        self._set_state(ConnectionState.STOPPED, tr("Stopped listening to {host}.").format(host=where))

    def _read_burst(self, client):
        """Read the messages already waiting without a select() per message (paho's loop()
        reads one packet per call) and send their QoS 1 acknowledgements every few messages,
        so the broker's in-flight window never runs dry. Ends when a read brings no message."""
        import paho.mqtt.client as mqtt

        for count in range(1, READ_BURST + 1):
            before = self.messages
            result = client.loop_read()
            if result != mqtt.MQTT_ERR_SUCCESS:
                return result
            if count % ACK_EVERY == 0 or self.messages == before:
                if client.want_write():
                    result = client.loop_write()
                    if result != mqtt.MQTT_ERR_SUCCESS:
                        return result
            if self.messages == before or self._stopping.is_set():
                break
        return mqtt.MQTT_ERR_SUCCESS

    def _close(self, client):
        """Unsubscribe and disconnect cleanly, giving the broker a moment to confirm."""
        try:
            if client.is_connected():
                client.unsubscribe(list(self.topics))
                client.loop(timeout=0.1)
            client.disconnect()
            client.loop(timeout=0.1)
        except Exception as error:  # noqa: BLE001 (closing must not fail the stop)
            LOGGER.info("MQTT ingest: closing the connection: %s", error)

    def _wait(self, backoff, message):
        """Report the failure, wait ``backoff`` seconds (or until stopped); the next back-off."""
        self._set_state(ConnectionState.WAITING, tr("{message}. Next attempt in {seconds} s.").format(
            message=message, seconds="{:g}".format(round(backoff, 1))))
        self._stopping.wait(backoff)
        return min(backoff * 2.0, self.max_backoff_s)

    def _on_connect(self, _client, _userdata, _flags, reason, _properties):
        self._connack = reason

    def _on_message(self, _client, _userdata, message):
        self.messages += 1
        try:
            topic = message.topic
        except UnicodeDecodeError:
            topic = ""
        uplink = self.decoder.process(topic, message.payload)
        if uplink is not None:
            self.queue.put(uplink)


def wait_for_state(ingest, state, timeout_s, poll=None):
    """Wait until ``ingest.state == state`` (``poll()`` called meanwhile, e.g. processEvents); True if reached."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ingest.state == state:
            return True
        if poll is not None:
            poll()
        time.sleep(0.02)
    return ingest.state == state
