"""Translation helpers usable from core/ (no widgets involved)."""

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .paths import translation_path

CONTEXT = "HerneTwin"


def tr(text, context=CONTEXT):
    """Translate ``text`` with the plugin's translator (German by default)."""
    return QCoreApplication.translate(context, text)


def install_translator(locale):
    """Install the plugin's compiled translation for ``locale`` ('de', 'de_DE', ...).

    Returns the QTranslator (keep it, and remove it with QCoreApplication.removeTranslator
    on unload), or None where there is no translation for that language (English).
    """
    translator = QTranslator()
    if not translator.load(translation_path((locale or "en")[0:2])):
        return None
    QCoreApplication.installTranslator(translator)
    return translator
