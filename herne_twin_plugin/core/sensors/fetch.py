"""Blocking JSON GETs for the sensor sources, through QGIS networking.

``get_json`` uses QgsBlockingNetworkRequest with the entry's authcfg, so the user's
proxy, SSL and authentication settings apply. It blocks: call it from a QgsTask or a
Processing algorithm (QThreads), never from a widget's slot; tests call it directly.
A failed exchange raises ``SourceError`` with a category of the catalog's connection
check (services/connection_check.py: time-out, 401, 5xx, ...) or one of the
sensor-specific categories below, and a message for the user.
"""

import logging
import urllib.parse
from dataclasses import dataclass

from ..field.transports import http
from ..i18n import tr
from ..log import redact_url
from ..services import capabilities as caps
from ..services.connection_check import Category, auth_config_message, classify_failure
from ..services.http_fetch import DEFAULT_TIMEOUT_S

LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = caps.DEFAULT_MAX_BYTES


class SourceCategory(Category):
    """The connection check's categories plus what only sensor sources run into."""

    PAGING_LOOP = "paging_loop"  # a next link seen before
    TOO_MANY_PAGES = "too_many_pages"
    INVALID_ANSWER = "invalid_answer"  # JSON, but not the document the API defines
    FOREIGN_LINK = "foreign_link"  # a next link to another server (credentials stay home)


class SourceError(Exception):
    """A sensor source could not be read; ``str()`` is the message for the user."""

    def __init__(self, category, message, details=""):
        super().__init__(message)
        self.category = category
        self.message = message
        self.details = details


@dataclass
class _Auth:
    authcfg: str  # what classify_failure() reads of a catalog entry


def same_origin(url, base):
    first, second = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return (first.scheme.lower(), first.netloc.lower()) == (second.scheme.lower(), second.netloc.lower())


def get(url, headers=None, authcfg="", timeout_s=DEFAULT_TIMEOUT_S, max_bytes=DEFAULT_MAX_BYTES, feedback=None):
    """One GET; an HttpResponse (see services/http_fetch.py) whatever the outcome. The
    request goes through the plugin's one blocking request path (field/transports/http.py)."""
    return http.request("GET", url, headers=headers, authcfg=authcfg, timeout_s=timeout_s, max_bytes=max_bytes,
                        feedback=feedback)


def get_json(url, headers=None, authcfg="", timeout_s=DEFAULT_TIMEOUT_S, max_bytes=DEFAULT_MAX_BYTES,
             feedback=None):
    """(parsed JSON document, HttpResponse) of a successful GET; SourceError otherwise."""
    response = get(url, headers, authcfg, timeout_s, max_bytes, feedback)
    if response.cancelled:
        raise SourceError(Category.CANCELLED, tr("Reading the sensor source was cancelled."), redact_url(url))
    if response.auth_failed:
        raise SourceError(Category.AUTH_CONFIG, auth_config_message(authcfg), redact_url(url))
    failure = classify_failure(response, _Auth(authcfg), timeout_s, max_bytes)
    if failure is not None:
        raise SourceError(failure.category, failure.message, failure.details)
    try:
        return caps.parse_json(response.body, max_bytes), response
    except caps.NotJsonError as error:
        raise SourceError(
            Category.NOT_JSON,
            tr("The answer of {host} is not valid JSON.").format(host=urllib.parse.urlsplit(url).hostname or url),
            "{}\n{}".format(redact_url(url), error),
        ) from None


def invalid_answer(url, what):
    """A SourceError saying the JSON of ``url`` lacks what the API defines."""
    return SourceError(SourceCategory.INVALID_ANSWER,
                       tr("The server's answer is not what the API defines: {what}.").format(what=what),
                       redact_url(url))
