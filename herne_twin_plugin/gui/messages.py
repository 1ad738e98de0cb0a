"""One way for the plugin's dialogs and docks to tell the user something: the status line
in the widget, the QGIS message bar under a title, and the plugin's log."""

import logging

from qgis.core import Qgis

LOGGER = logging.getLogger(__name__)


def tell(iface, status_label, title, text, level, seconds=8):
    """Show ``text`` in ``status_label`` and the message bar; warnings and errors also in the log."""
    if status_label is not None:
        status_label.setText(text)
    (LOGGER.warning if level in (Qgis.Critical, Qgis.Warning) else LOGGER.info)(text)
    if iface is not None:
        iface.messageBar().pushMessage(title, text, level, seconds)
