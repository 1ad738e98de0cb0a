"""The connection check: can QGIS talk to a catalog service, and if not, why not?

All HTTP goes through QgsNetworkAccessManager (http_fetch.py) with the entry's
authcfg applied, so the user's proxy, SSL and authentication settings take part. A
check never blocks the UI thread: ``ConnectionCheck`` is asynchronous (signal ``finished``) and
``check_connection()`` waits for it in a local event loop (for tests, Processing
algorithms and QgsTasks).

What to ask a service is written once per service type as a generator of requests
(``_Probe``): it yields an ``HttpRequest``, receives the ``HttpResponse`` and finally
returns a ``ConnectionResult``. Failures on the way raise ``_ProbeError``.
"""

import logging
import threading
import urllib.parse
from dataclasses import dataclass

from qgis.PyQt.QtCore import QEventLoop, QObject, Qt, pyqtSignal
from qgis.PyQt.QtNetwork import QNetworkReply

from ..i18n import tr
from ..log import redact_url
from . import capabilities as caps
from .http_fetch import DEFAULT_TIMEOUT_S, HttpFetch, HttpRequest
from .service_types import VERSIONS, ServiceType, ServiceValidationError, check_url, type_label

LOGGER = logging.getLogger(__name__)

JSON_ACCEPT = "application/json"


class Category:
    """What a check found; stable strings for code and tests (messages are translated)."""

    OK = "ok"
    NAME_NOT_RESOLVED = "name_not_resolved"
    CONNECTION_REFUSED = "connection_refused"
    TLS_ERROR = "tls_error"
    UNAUTHORIZED = "unauthorized"  # HTTP 401, MQTT bad user name or password
    FORBIDDEN = "forbidden"  # HTTP 403, MQTT not authorised
    NOT_FOUND = "not_found"
    SERVER_ERROR = "server_error"  # HTTP 5xx
    HTTP_ERROR = "http_error"  # other HTTP 4xx
    REDIRECT = "redirect"  # to another host or scheme, not followed
    TIMEOUT = "timeout"
    NOT_XML = "not_xml"
    NOT_JSON = "not_json"
    EXCEPTION_REPORT = "exception_report"
    WRONG_SERVICE = "wrong_service"
    TOO_LARGE = "too_large"
    UNSAFE_XML = "unsafe_xml"
    AUTH_CONFIG = "auth_config"  # the authcfg could not be applied
    NETWORK_ERROR = "network_error"
    NOT_TESTABLE = "not_testable"
    CANCELLED = "cancelled"
    INVALID_URL = "invalid_url"  # the entry itself is broken (e.g. edited by hand)
    INTERNAL_ERROR = "internal_error"


@dataclass
class ConnectionResult:
    ok: bool
    category: str
    message: str  # plain words, translated
    details: str = ""  # technical details (status, redacted URL, server message)
    capabilities: object = None  # capabilities.Capabilities when ok (HTTP services)


class _ProbeError(Exception):
    def __init__(self, result):
        super().__init__(result.category)
        self.result = result


def _host(url):
    return urllib.parse.urlsplit(url).hostname or url


# -- messages shared by the HTTP and the MQTT checks ------------------------------------

def refused_message(host):
    return tr("{host} refused the connection. Is the service running and the port right?").format(host=host)


def unresolved_message(host):
    return tr("The host name {host} could not be resolved. Check the address, the network "
              "connection and the proxy settings.").format(host=host)


def tls_message(host):
    return tr("The secure connection (TLS/SSL) to {host} failed. Check the certificate "
              "and whether the server speaks https.").format(host=host)


def timeout_message(host, timeout_s):
    return tr("No answer from {host} within {seconds} s.").format(host=host, seconds="{:g}".format(timeout_s))


def auth_config_message(authcfg):
    return tr("The authentication configuration {authcfg} could not be applied. Does it exist, "
              "and is the master password entered?").format(authcfg=authcfg)


def network_error_message(error):
    return tr("Network error: {error}").format(error=error)


def _megabytes(count):
    return "{:g}".format(round(count / (1024 * 1024), 1))


def ogc_request_url(base, service, request, version=""):
    """``base`` with SERVICE/REQUEST/VERSION set, other parameters (e.g. MAP=) kept as written."""
    parts = urllib.parse.urlsplit(base)
    kept = [
        pair for pair in parts.query.split("&")
        if pair and pair.split("=", 1)[0].lower() not in ("service", "request", "version")
    ]
    kept += ["SERVICE=" + service, "REQUEST=" + request]
    if version:
        kept.append("VERSION=" + version)
    return urllib.parse.urlunsplit(parts._replace(query="&".join(kept)))


def join_url(base, path):
    """``base`` (query and fragment dropped) with ``path`` appended after one slash."""
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + path, query="", fragment=""))


def _same_origin(url, base):
    first, second = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)


def _server_message(body):
    """The text of an OGC exception report or a JSON error in ``body``, else ''."""
    stripped = body.lstrip()[:1]
    try:
        if stripped == b"<":
            caps.read_capabilities(body, "")
        elif stripped == b"{":
            document = caps.parse_json(body)
            return str(document.get("description") or document.get("message") or "")[:500]
    except caps.ExceptionReportError as report:
        return str(report)[:500]
    except (caps.CapabilitiesError, AttributeError):
        pass
    return ""


def classify_failure(response, service, timeout_s, max_bytes=caps.DEFAULT_MAX_BYTES):
    """A ConnectionResult for a failed HTTP exchange, or None when it succeeded (2xx)."""
    url = redact_url(response.url)
    host = _host(response.url)
    details = url

    def failed(category, message, extra=""):
        return ConnectionResult(False, category, message, "\n".join(text for text in (details, extra) if text))

    if response.auth_failed:
        return failed(Category.AUTH_CONFIG, auth_config_message(service.authcfg))
    if response.too_large:
        return failed(
            Category.TOO_LARGE,
            tr("The answer is larger than {limit} MB and was not read.").format(
                limit=_megabytes(max_bytes)
            ),
        )
    if response.cancelled:
        return failed(Category.CANCELLED, tr("The test was cancelled."))
    if response.timed_out or response.error in (QNetworkReply.TimeoutError, QNetworkReply.OperationCanceledError):
        return failed(Category.TIMEOUT, timeout_message(host, timeout_s))
    status = response.status
    if not status:
        return _network_failure(response, host, failed)
    if 200 <= status < 300:
        return None
    details = "HTTP {} {}".format(status, url)
    server_message = _server_message(response.body)
    if 300 <= status < 400:
        location = redact_url(response.headers.get("location", ""))
        return failed(
            Category.REDIRECT,
            tr("The server redirects to another address: {location}. Enter that address "
               "in the catalog instead.").format(location=location or "?"),
        )
    if status == 401:
        if service.authcfg:
            message = tr("The server rejected the credentials (HTTP 401). Check the "
                         "authentication configuration {authcfg}.").format(authcfg=service.authcfg)
        else:
            message = tr("The server needs credentials (HTTP 401). Choose an "
                         "authentication configuration for this service.")
        return failed(Category.UNAUTHORIZED, message, server_message)
    if status == 403:
        return failed(
            Category.FORBIDDEN,
            tr("Access denied (HTTP 403): the server knows the request but does not allow it "
               "for these credentials."),
            server_message,
        )
    if status == 404:
        return failed(Category.NOT_FOUND, tr("Not found (HTTP 404): check the path of the URL."), server_message)
    if status >= 500:
        return failed(
            Category.SERVER_ERROR,
            tr("The server failed with HTTP {status}. Try again later or tell the service's "
               "operator.").format(status=status),
            server_message,
        )
    if server_message:
        return failed(
            Category.EXCEPTION_REPORT,
            tr("The server reported an error: {message}").format(message=server_message),
        )
    return failed(Category.HTTP_ERROR, tr("The server answered with HTTP {status}.").format(status=status))


def _network_failure(response, host, failed):
    error = response.error
    text = redact_url(response.error_text)  # Qt's text may quote the URL
    if error == QNetworkReply.HostNotFoundError:
        return failed(Category.NAME_NOT_RESOLVED, unresolved_message(host), text)
    if error == QNetworkReply.ConnectionRefusedError:
        return failed(Category.CONNECTION_REFUSED, refused_message(host), text)
    if error == QNetworkReply.SslHandshakeFailedError or "ssl" in text.lower() or "tls" in text.lower():
        return failed(Category.TLS_ERROR, tls_message(host), text)
    if error == QNetworkReply.RemoteHostClosedError:
        return failed(
            Category.NETWORK_ERROR,
            tr("{host} closed the connection before answering.").format(host=host),
            text,
        )
    return failed(Category.NETWORK_ERROR, network_error_message(text or error))


# -- what to ask each kind of service -------------------------------------------------

class _Probe:
    """The requests a check makes for one service, as a generator (see module doc)."""

    def __init__(self, service, timeout_s, max_bytes):
        self.service = service
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes

    def steps(self):
        kind = self.service.service_type
        if kind == ServiceType.WMS:
            return self._ogc("WMS")
        if kind == ServiceType.WFS:
            return self._ogc("WFS")
        if kind == ServiceType.OAPIF:
            return self._oapif()
        if kind == ServiceType.SENSORTHINGS:
            return self._sensorthings()
        if kind == ServiceType.NGSI:
            return self._ngsi()
        raise ValueError(kind)

    def _expect_ok(self, response):
        failure = classify_failure(response, self.service, self.timeout_s, self.max_bytes)
        if failure is not None:
            raise _ProbeError(failure)

    def _read(self, response, reader, expected):
        """``reader(body)`` of a successful response (see ``_interpret``)."""
        self._expect_ok(response)
        return self._interpret(response, lambda: reader(response.body), expected)

    def _interpret(self, response, reader, expected):
        """Call ``reader()``; turn an unusable answer into a failed result."""
        details = redact_url(response.url)

        def failed(category, message, extra=""):
            return _ProbeError(ConnectionResult(False, category, message, "\n".join(t for t in (details, extra) if t)))

        try:
            return reader()
        except caps.AnswerTooLargeError:
            raise failed(Category.TOO_LARGE, tr("The answer is larger than {limit} MB and was not read.").format(
                limit=_megabytes(self.max_bytes))) from None
        except caps.UnsafeXmlError as error:
            raise failed(
                Category.UNSAFE_XML,
                tr("The answer declares XML entities and was refused for safety."),
                str(error),
            ) from None
        except caps.NotXmlError as error:
            raise failed(
                Category.NOT_XML,
                tr("The answer is not XML, so it is not {expected} capabilities.").format(expected=expected),
                str(error),
            ) from None
        except caps.NotJsonError as error:
            raise failed(
                Category.NOT_JSON,
                tr("The answer is not JSON, but {expected} endpoints answer in JSON.").format(expected=expected),
                str(error),
            ) from None
        except caps.ExceptionReportError as report:
            raise failed(
                Category.EXCEPTION_REPORT,
                tr("The server reported an error: {message}").format(message=report),
            ) from None
        except caps.WrongServiceError as wrong:
            raise failed(
                Category.WRONG_SERVICE,
                tr("Wrong service type: expected {expected}, but the answer is a {found} document.").format(
                    expected=expected, found=wrong.found),
            ) from None

    def _json(self, data):
        return caps.parse_json(data, self.max_bytes)

    def _ogc(self, expected):
        version = self.service.version or VERSIONS[self.service.service_type][0]
        url = ogc_request_url(self.service.url, expected, "GetCapabilities", version)
        response = yield HttpRequest(url)
        found = self._read(response, lambda data: caps.read_capabilities(data, expected, self.max_bytes), expected)
        return self._success(found)

    def _link(self, document, relation, fallback):
        href = caps.link_href(document, relation)
        if href:
            href = urllib.parse.urljoin(self.service.url, href)
            # Credentials go only to the origin the user entered.
            if _same_origin(href, self.service.url):
                return href
        return join_url(self.service.url, fallback)

    def _oapif(self):
        label = type_label(ServiceType.OAPIF)
        response = yield HttpRequest(self.service.url, JSON_ACCEPT)
        landing = self._read(response, self._json, label)
        title = self._interpret(response, lambda: caps.read_oapif_landing(landing), label)
        response = yield HttpRequest(self._link(landing, "conformance", "conformance"), JSON_ACCEPT)
        if response.status == 404:
            raise _ProbeError(self._no_conformance(response))
        conformance = self._read(response, self._json, label)
        try:
            caps.check_oapif_conformance(conformance)
        except caps.WrongServiceError:
            raise _ProbeError(self._no_conformance(response)) from None
        response = yield HttpRequest(self._link(landing, "data", "collections"), JSON_ACCEPT)
        collections = self._read(response, self._json, label)
        found = self._interpret(response, lambda: caps.read_oapif_collections(collections, title), label)
        return self._success(found)

    def _no_conformance(self, response):
        return ConnectionResult(
            False,
            Category.WRONG_SERVICE,
            tr("The JSON landing page does not declare OGC API Features conformance "
               "(conformance class core), so this is not an OGC API Features service."),
            redact_url(response.url),
        )

    def _sensorthings(self):
        label = type_label(ServiceType.SENSORTHINGS)
        response = yield HttpRequest(self.service.url, JSON_ACCEPT)
        root = self._read(response, self._json, label)
        found = self._interpret(response, lambda: caps.read_sensorthings_root(root), label)
        return self._success(found)

    def _ngsi(self):
        label = type_label(ServiceType.NGSI)
        base = self.service.url.rstrip("/")
        if base.endswith("/v2"):
            base = base[: -len("/v2")]
        headers = {}
        if self.service.options.get("fiware_service"):
            headers["Fiware-Service"] = self.service.options["fiware_service"]
        if self.service.options.get("fiware_servicepath"):
            headers["Fiware-ServicePath"] = self.service.options["fiware_servicepath"]
        response = yield HttpRequest(base + "/v2", JSON_ACCEPT, headers)
        entry_point = self._read(response, self._json, label)
        found = self._interpret(response, lambda: caps.read_ngsi_entry_point(entry_point), label)
        response = yield HttpRequest(base + "/v2/entities?limit=1&options=count", JSON_ACCEPT, headers)
        self._read(response, self._json, label)
        return self._success(found, count=response.headers.get("fiware-total-count", "?"))

    def _success(self, found, count=None):
        title = found.title or self.service.name
        count = len(found.named_layers()) if count is None else count
        messages = {
            "WMS": tr("Connected to {title}: {count} layers."),
            "WFS": tr("Connected to {title}: {count} feature types."),
            "OAPIF": tr("Connected to {title}: {count} collections."),
            "SensorThings": tr("Connected to the SensorThings API {version}: {count} entity sets."),
            "NGSI": tr("Connected to the NGSI v2 broker: {count} entities."),
        }
        message = messages[found.service].format(title=title, count=count, version=found.version)
        return ConnectionResult(True, Category.OK, message, redact_url(self.service.url), found)


# -- running a check --------------------------------------------------------------------

class ConnectionCheck(QObject):
    """Checks one service asynchronously; emits ``finished(ConnectionResult)`` once."""

    finished = pyqtSignal(object)
    _worker_done = pyqtSignal(object)

    def __init__(self, service, timeout_s=DEFAULT_TIMEOUT_S, max_bytes=caps.DEFAULT_MAX_BYTES, parent=None):
        super().__init__(parent)
        self.service = service
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self._steps = None
        self._fetch = None  # the running HttpFetch, or the MQTT worker thread
        self._started = False
        self._done = False
        self._worker_done.connect(self._finish, Qt.QueuedConnection)

    @property
    def running(self):
        return self._started and not self._done

    def start(self):
        self._started = True
        LOGGER.info("Testing %s (%s)", self.service.name, redact_url(self.service.url))
        kind = self.service.service_type
        if not self.service.is_testable:
            self._finish_soon(ConnectionResult(
                False,
                Category.NOT_TESTABLE,
                tr("Entries of type {type} cannot be tested; open them in the browser instead.").format(
                    type=type_label(kind)),
                redact_url(self.service.url),
            ))
            return
        try:
            check_url(self.service.url, kind)
        except ServiceValidationError as error:
            self._finish_soon(ConnectionResult(False, Category.INVALID_URL, str(error)))
            return
        if kind == ServiceType.MQTT:
            self._start_mqtt()
        else:
            self._steps = _Probe(self.service, self.timeout_s, self.max_bytes).steps()
            self._advance(None)

    def cancel(self):
        """Stop the check; ``finished`` is emitted with category CANCELLED."""
        if self._done:
            return
        if isinstance(self._fetch, HttpFetch):
            self._fetch.abort()  # comes back through _advance as a cancelled response
        else:  # a late MQTT worker result is ignored once the check is done
            self._finish(ConnectionResult(False, Category.CANCELLED, tr("The test was cancelled.")))

    def _advance(self, response):
        if self._fetch is not None:
            self._fetch.finished.disconnect(self._advance)
            self._fetch.deleteLater()
            self._fetch = None
        try:
            request = next(self._steps) if response is None else self._steps.send(response)
        except StopIteration as stop:
            self._finish(stop.value)
        except _ProbeError as failure:
            self._finish(failure.result)
        except Exception as error:  # a bug must end the check, not leave it hanging
            LOGGER.exception("Connection test of %s failed unexpectedly", self.service.name)
            self._finish(ConnectionResult(
                False, Category.INTERNAL_ERROR, tr("The test failed unexpectedly: {error}").format(error=error)))
        else:
            self._fetch = HttpFetch(request, self.service.authcfg, self.timeout_s, self.max_bytes, self)
            self._fetch.finished.connect(self._advance)
            self._fetch.start()

    def _start_mqtt(self):
        from .mqtt_check import check_mqtt, mqtt_credentials

        credentials = mqtt_credentials(self.service.authcfg)  # read on this thread, not the worker
        if credentials is None:
            self._finish_soon(ConnectionResult(False, Category.AUTH_CONFIG, auth_config_message(self.service.authcfg)))
            return

        def work():
            try:
                result = check_mqtt(self.service.url, credentials, self.timeout_s)
            except Exception as error:  # noqa: BLE001 (the check must always report back)
                LOGGER.exception("MQTT test of %s failed unexpectedly", self.service.name)
                result = ConnectionResult(
                    False, Category.INTERNAL_ERROR, tr("The test failed unexpectedly: {error}").format(error=error))
            try:
                self._worker_done.emit(result)
            except RuntimeError:  # the check object was deleted meanwhile (plugin unloaded)
                pass

        self._fetch = threading.Thread(target=work, name="herne-twin-mqtt-check", daemon=True)
        self._fetch.start()

    def _finish_soon(self, result):
        """Finish from the event loop, so ``finished`` always comes after ``start()``."""
        self._worker_done.emit(result)  # queued connection

    def _finish(self, result):
        if self._done:
            return
        self._done = True
        self._steps = None
        if isinstance(self._fetch, threading.Thread):
            self._fetch = None
        self._worker_done.disconnect(self._finish)
        level = logging.INFO if result.ok else logging.WARNING
        LOGGER.log(level, "Test of %s (%s): %s: %s", self.service.name, redact_url(self.service.url),
                   result.category, result.message)
        self.finished.emit(result)


def check_connection(service, timeout_s=DEFAULT_TIMEOUT_S, max_bytes=caps.DEFAULT_MAX_BYTES):
    """Run a ConnectionCheck and wait for its result in a local event loop.

    Meant for tests, QgsTasks and Processing algorithms; widgets use ConnectionCheck.
    """
    check = ConnectionCheck(service, timeout_s, max_bytes)
    loop = QEventLoop()
    results = []

    def done(result):
        results.append(result)
        loop.quit()

    check.finished.connect(done)
    check.start()
    if not results:
        loop.exec_()
    check.finished.disconnect(done)
    check.deleteLater()
    return results[0]
