"""One named logger for the plugin, forwarded to QGIS's message log.

Core modules log with ``logging.getLogger(__name__)``; ``install()`` attaches a
handler to the ``herne_twin_plugin`` logger that writes to QgsMessageLog under
the tab "Herne Digital Twin". Secrets never reach a log record: callers pass
URLs through ``redact_url`` first.
"""

import logging
import re

from qgis.core import Qgis, QgsMessageLog

LOG_TAG = "Herne Digital Twin"
LOGGER_NAME = "herne_twin_plugin"

_LEVELS = (
    (logging.ERROR, Qgis.Critical),
    (logging.WARNING, Qgis.Warning),
    (logging.INFO, Qgis.Info),
)

_SECRET_QUERY = re.compile(
    r"(?i)([?&](?:password|passwd|pwd|token|access_token|apikey|api_key|key|secret)=)[^&#]*"
)
_USERINFO = re.compile(r"(?i)^([a-z][a-z0-9+.-]*://)[^/@]*@")


def redact_url(url):
    """Return ``url`` with credentials in the user-info part and secret query
    parameters replaced by ``***``, so it can be shown or logged."""
    text = _USERINFO.sub(r"\1***@", str(url))
    return _SECRET_QUERY.sub(r"\1***", text)


class QgsMessageLogHandler(logging.Handler):
    """Forwards log records to QgsMessageLog (thread-safe: QgsMessageLog queues)."""

    def emit(self, record):
        try:
            message = self.format(record)
        except Exception:  # a broken format string must not break the caller
            message = str(record.msg)
        level = Qgis.Info
        for threshold, qgis_level in _LEVELS:
            if record.levelno >= threshold:
                level = qgis_level
                break
        QgsMessageLog.logMessage(message, LOG_TAG, level)


def install():
    """Attach the QgsMessageLog handler once; return it so unload can remove it."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in logger.handlers:
        if isinstance(handler, QgsMessageLogHandler):
            return handler
    handler = QgsMessageLogHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def uninstall(handler):
    logging.getLogger(LOGGER_NAME).removeHandler(handler)
