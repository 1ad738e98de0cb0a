"""Translation helpers usable from core/ (no widgets involved)."""

from qgis.PyQt.QtCore import QCoreApplication

CONTEXT = "HerneTwin"


def tr(text, context=CONTEXT):
    """Translate ``text`` with the plugin's translator (German by default)."""
    return QCoreApplication.translate(context, text)
