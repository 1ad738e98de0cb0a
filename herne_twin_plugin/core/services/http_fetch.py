"""One HTTP GET through QGIS networking, with a time-out, a size limit and the
authcfg applied: the transport of the connection check."""

from dataclasses import dataclass, field

from qgis.core import QgsApplication, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QObject, QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtNetwork import QNetworkRequest

from .capabilities import DEFAULT_MAX_BYTES

DEFAULT_TIMEOUT_S = 15.0


@dataclass
class HttpRequest:
    url: str
    accept: str = ""
    headers: dict = field(default_factory=dict)


@dataclass
class HttpResponse:
    url: str
    status: int = 0  # HTTP status, 0 when no HTTP answer came
    error: int = 0  # QNetworkReply.NetworkError
    error_text: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # lower-case names
    timed_out: bool = False
    too_large: bool = False
    cancelled: bool = False
    auth_failed: bool = False


class HttpFetch(QObject):
    """One GET through QgsNetworkAccessManager with a time-out and a size limit."""

    finished = pyqtSignal(object)  # HttpResponse

    def __init__(self, request, authcfg="", timeout_s=DEFAULT_TIMEOUT_S, max_bytes=DEFAULT_MAX_BYTES, parent=None):
        super().__init__(parent)
        self._request = request
        self._authcfg = authcfg
        self._timeout_ms = max(1, int(timeout_s * 1000))
        self._max_bytes = max_bytes
        self._reply = None
        self._body = bytearray()
        self._response = HttpResponse(request.url)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def start(self):
        request = QNetworkRequest(QUrl(self._request.url))
        # Same-origin only: credentials must not follow a redirect to another host.
        request.setAttribute(QNetworkRequest.RedirectPolicyAttribute, QNetworkRequest.SameOriginRedirectPolicy)
        # A test must reach the server: an answer from QGIS's network cache would hide an outage.
        request.setAttribute(QNetworkRequest.CacheLoadControlAttribute, QNetworkRequest.AlwaysNetwork)
        if self._request.accept:
            request.setRawHeader(b"Accept", self._request.accept.encode())
        for name, value in self._request.headers.items():
            request.setRawHeader(name.encode(), value.encode())
        manager = QgsApplication.authManager()
        # updateNetworkRequest() accepts unknown ids silently: check the id first.
        if self._authcfg and (self._authcfg not in manager.configIds()
                              or not manager.updateNetworkRequest(request, self._authcfg)):
            self._response.auth_failed = True
            QTimer.singleShot(0, self._emit)
            return
        self._reply = QgsNetworkAccessManager.instance().get(request)
        if self._authcfg:
            manager.updateNetworkReply(self._reply, self._authcfg)
        self._reply.metaDataChanged.connect(self._on_metadata)
        self._reply.readyRead.connect(self._on_ready_read)
        self._reply.finished.connect(self._on_finished)
        self._timer.start(self._timeout_ms)

    def abort(self):
        """Cancel: ``finished`` is still emitted, with ``cancelled`` set."""
        self._response.cancelled = True
        self._stop()

    def _stop(self):
        if self._reply is not None and self._reply.isRunning():
            self._reply.abort()

    def _on_timeout(self):
        self._response.timed_out = True
        self._stop()

    def _on_metadata(self):
        length = self._reply.header(QNetworkRequest.ContentLengthHeader)
        if length is not None and int(length) > self._max_bytes:
            self._response.too_large = True
            self._stop()

    def _on_ready_read(self):
        self._body += bytes(self._reply.readAll())
        if len(self._body) > self._max_bytes:
            self._response.too_large = True
            self._stop()

    def _on_finished(self):
        reply, self._reply = self._reply, None
        self._timer.stop()
        reply.metaDataChanged.disconnect(self._on_metadata)
        reply.readyRead.disconnect(self._on_ready_read)
        reply.finished.disconnect(self._on_finished)
        response = self._response
        if not (response.too_large or response.timed_out or response.cancelled):
            self._body += bytes(reply.readAll())
        response.url = reply.url().toString() or response.url
        response.status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute) or 0
        response.error = reply.error()
        response.error_text = reply.errorString() if response.error else ""
        response.headers = {bytes(name).decode("latin-1").lower(): bytes(value).decode("latin-1")
                            for name, value in reply.rawHeaderPairs()}
        response.body = bytes(self._body)
        reply.deleteLater()
        self._emit()

    def _emit(self):
        self.finished.emit(self._response)
