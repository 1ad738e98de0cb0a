"""The one HTTP request path of the plugin's blocking clients: GET, HEAD, POST, PUT, PATCH, DELETE
through QGIS networking (the user's proxy, SSL and authcfg settings apply).

``request()`` returns an HttpResponse (services/http_fetch.py) whatever the outcome: the
sensor sources (sensors/fetch.py) read JSON with it, the field transports write with it.
``transport_error()`` turns a failed response into a base.TransportError with the catalog's
connection-check message (services/connection_check.classify_failure) for the user.

It blocks: call it from a QgsTask or a Processing algorithm, never from a widget's slot.
"""

import logging
import time
from dataclasses import dataclass

from qgis.core import QgsApplication, QgsBlockingNetworkRequest, QgsFeedback, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QEventLoop, Qt, QTimer, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from ...i18n import tr
from ...log import redact_url
from ...services import capabilities as caps
from ...services.connection_check import Category, classify_failure
from ...services.http_fetch import DEFAULT_TIMEOUT_S, HttpResponse
from . import base

LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = caps.DEFAULT_MAX_BYTES
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
_METHODS = WRITE_METHODS | {"GET", "HEAD"}


@dataclass
class _Auth:
    authcfg: str  # what classify_failure() reads of a catalog entry


def request(method, url, body=None, headers=None, authcfg="", timeout_s=DEFAULT_TIMEOUT_S,
            max_bytes=DEFAULT_MAX_BYTES, feedback=None, accept="application/json", content_type=""):
    """One HTTP exchange; an HttpResponse whatever the outcome (never raises for HTTP or network
    failures). ``body``: bytes or str (sent as UTF-8). ``feedback`` cancels it."""
    method = method.upper()
    if method not in _METHODS:
        raise ValueError("unsupported HTTP method {}".format(method))
    if isinstance(body, str):
        body = body.encode("utf-8")
    qrequest = QNetworkRequest(QUrl(url))
    # Same-origin only: credentials must not follow a redirect to another host.
    qrequest.setAttribute(QNetworkRequest.RedirectPolicyAttribute, QNetworkRequest.SameOriginRedirectPolicy)
    # Always ask the server: a cached answer would hide a change made since. AlwaysNetwork is
    # not enough on QGIS 3.22: QgsBlockingNetworkRequest answered a GET that got HTTP 500 with
    # an older cached 200 (a sync then took unsent edits for applied). So nothing is stored in
    # the cache and the URL's entry is dropped before asking.
    qrequest.setAttribute(QNetworkRequest.CacheLoadControlAttribute, QNetworkRequest.AlwaysNetwork)
    qrequest.setAttribute(QNetworkRequest.CacheSaveControlAttribute, False)
    cache = QgsNetworkAccessManager.instance().cache()
    if cache is not None:
        cache.remove(QUrl(url))
    if accept:
        qrequest.setRawHeader(b"Accept", accept.encode("latin-1"))
    if content_type:
        qrequest.setHeader(QNetworkRequest.ContentTypeHeader, content_type)
    for name, value in (headers or {}).items():
        qrequest.setRawHeader(name.encode("latin-1"), value.encode("latin-1"))
    if hasattr(qrequest, "setTransferTimeout"):  # Qt 5.15
        qrequest.setTransferTimeout(max(1, int(timeout_s * 1000)))
    response = HttpResponse(url)
    if authcfg and authcfg not in QgsApplication.authManager().configIds():
        response.auth_failed = True
        return response
    if feedback is not None and feedback.isCanceled():
        response.cancelled = True
        return response
    own = QgsFeedback()  # cancels this request only: on the user's cancel or when the answer grows too large
    if feedback is not None:
        feedback.canceled.connect(own.cancel)
    settle_notify(own)

    def progress(received, total):
        if received > max_bytes or total > max_bytes:
            response.too_large = True
            own.cancel()

    started = time.monotonic()
    try:
        if method == "PATCH":
            reply_state = _custom_request(qrequest, method, body or b"", authcfg, timeout_s, own, progress)
        else:
            reply_state = _blocking_request(qrequest, method, body, authcfg, own, progress)
    finally:
        if feedback is not None:
            feedback.canceled.disconnect(own.cancel)
    outcome_timed_out, status, error, error_text, reply_headers, content = reply_state
    response.status = status or 0
    if error != QNetworkReply.NoError and 200 <= response.status < 300:
        response.status = 0  # a failed exchange is never a success, whatever status Qt kept
    response.error = error
    response.error_text = error_text if error else ""
    response.headers = reply_headers
    response.cancelled = feedback is not None and feedback.isCanceled()
    aborted = error == QNetworkReply.OperationCanceledError
    response.timed_out = outcome_timed_out or (aborted and not response.cancelled and not response.too_large)
    if not (response.too_large or response.timed_out or response.cancelled):
        response.body = content
        if len(response.body) > max_bytes:
            response.too_large = True
    LOGGER.debug("%s %s: HTTP %s in %.2f s", method, redact_url(url), response.status, time.monotonic() - started)
    return response


def _reply_headers(reply):
    return {bytes(name).decode("latin-1").lower(): bytes(reply.rawHeader(name)).decode("latin-1")
            for name in reply.rawHeaderList()}


def _noop(*_args):
    pass


def settle_notify(qobject):
    """Let sip learn now, on this thread and with Python's lock held, that ``qobject`` (made
    in Python) does not reimplement connectNotify/disconnectNotify.

    Qt calls disconnectNotify with one of its internal mutexes locked, e.g. when a request
    finishing in one thread drops its connections. For an object made in Python, sip takes
    Python's lock there to look for a Python reimplementation, until it has once found none.
    Meanwhile another thread holding Python's lock may wait for that mutex in a PyQt connect:
    both wait for ever (seen twice in the field package's parallel reads). Once sip has looked,
    it remembers per object and never takes the lock for it again."""
    signal = qobject.destroyed
    signal.connect(_noop)
    signal.disconnect(_noop)


def _blocking_request(qrequest, method, body, authcfg, feedback, progress):
    blocking = QgsBlockingNetworkRequest()
    settle_notify(blocking)
    if authcfg:
        blocking.setAuthCfg(authcfg)
    blocking.downloadProgress.connect(progress, Qt.DirectConnection)
    if method == "GET":
        outcome = blocking.get(qrequest, True, feedback)
    elif method == "HEAD":
        outcome = blocking.head(qrequest, True, feedback)
    elif method == "POST":
        outcome = blocking.post(qrequest, QByteArray(body or b""), True, feedback)
    elif method == "PUT":
        outcome = blocking.put(qrequest, QByteArray(body or b""), feedback)
    else:
        outcome = blocking.deleteResource(qrequest, feedback)
    reply = blocking.reply()
    return (outcome == QgsBlockingNetworkRequest.TimeoutError,
            reply.attribute(QNetworkRequest.HttpStatusCodeAttribute), reply.error(), reply.errorString(),
            _reply_headers(reply), bytes(reply.content()))


def _custom_request(qrequest, method, body, authcfg, timeout_s, feedback, progress):
    """A verb QgsBlockingNetworkRequest lacks in QGIS 3.22 (PATCH): sendCustomRequest on this
    thread's QgsNetworkAccessManager, waited for in a local event loop."""
    manager = QgsApplication.authManager()
    if authcfg and not manager.updateNetworkRequest(qrequest, authcfg):
        return False, 0, QNetworkReply.AuthenticationRequiredError, "authcfg", {}, b""
    reply = QgsNetworkAccessManager.instance().sendCustomRequest(qrequest, method.encode("ascii"), QByteArray(body))
    if authcfg:
        manager.updateNetworkReply(reply, authcfg)
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timed_out = []

    def on_timeout():
        timed_out.append(True)
        reply.abort()

    timer.timeout.connect(on_timeout)
    reply.finished.connect(loop.quit)
    reply.downloadProgress.connect(progress)
    feedback.canceled.connect(reply.abort)
    timer.start(max(1, int(timeout_s * 1000)))
    if not reply.isFinished():
        loop.exec_()
    timer.stop()
    feedback.canceled.disconnect(reply.abort)
    state = (bool(timed_out), reply.attribute(QNetworkRequest.HttpStatusCodeAttribute), reply.error(),
             reply.errorString(), _reply_headers(reply), bytes(reply.readAll()))
    reply.deleteLater()
    return state


# -- failures as TransportErrors ------------------------------------------------------------

_KIND_OF_CATEGORY = {
    Category.AUTH_CONFIG: base.AUTH,
    Category.UNAUTHORIZED: base.AUTH,
    Category.FORBIDDEN: base.AUTH,
    Category.TIMEOUT: base.TIMEOUT,
    Category.CANCELLED: base.CANCELLED,
    Category.TOO_LARGE: base.INVALID_ANSWER,
    Category.SERVER_ERROR: base.SERVER_ERROR,
    Category.NOT_FOUND: base.NOT_FOUND,
    Category.NAME_NOT_RESOLVED: base.NETWORK,
    Category.CONNECTION_REFUSED: base.NETWORK,
    Category.TLS_ERROR: base.NETWORK,
    Category.NETWORK_ERROR: base.NETWORK,
}
# Failures where the request cannot have reached the server.
_NOT_SENT = (QNetworkReply.ConnectionRefusedError, QNetworkReply.HostNotFoundError)


def transport_error(response, method="GET", authcfg="", timeout_s=DEFAULT_TIMEOUT_S,
                    max_bytes=DEFAULT_MAX_BYTES, server_message=""):
    """A base.TransportError for a failed exchange, None for a 2xx answer.

    ``server_message``: what the protocol layer read from the body (a WFS exception, an OGC API
    error document); it is kept on the error and shown to the user for a refused write.
    A write that failed after it may have reached the server (time-out, reset, 5xx) has
    ``outcome_unknown`` set: the caller must read the feature back before trying again.
    """
    if response.cancelled:
        return base.TransportError(base.CANCELLED, tr("The request to the server was cancelled."))
    failure = classify_failure(response, _Auth(authcfg), timeout_s, max_bytes)
    if failure is None:
        return None
    status = response.status
    kind = _KIND_OF_CATEGORY.get(failure.category, base.REJECTED)
    message = failure.message
    if status == 412:
        kind = base.PRECONDITION_FAILED
        message = tr("The feature was changed on the server since it was read (HTTP 412).")
    elif status == 409:
        kind = base.PRECONDITION_FAILED  # OGC API: the write conflicts with the feature's current state
    if server_message and kind == base.REJECTED:
        message = tr("The server refused the change: {message}").format(message=server_message)
    write = method.upper() in WRITE_METHODS
    outcome_unknown = write and (
        kind in (base.TIMEOUT, base.SERVER_ERROR)
        or (kind == base.NETWORK and response.error not in _NOT_SENT)
    )
    LOGGER.info("%s %s failed: %s (%s)", method, redact_url(response.url), failure.category,
                failure.details.replace("\n", " | "))
    return base.TransportError(kind, message, status=status,
                               server_message=server_message or failure.details, outcome_unknown=outcome_unknown)
