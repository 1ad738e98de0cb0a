"""The language of a printed map: German by default, English as an option.

A map's language is chosen per export, not by the QGIS interface (a German planner may
need an English map), so the texts on the map are looked up in the plugin's translation
for that language directly instead of through the translator QGIS installed. The texts are
marked with ``tr_noop`` so scripts/i18n.py collects them like every ``tr()`` string.
"""

import datetime

from qgis.PyQt.QtCore import QTranslator

from ..i18n import CONTEXT, tr
from ..paths import translation_path
from .errors import MapExportError

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


def tr_noop(text):
    """Mark ``text`` for translation; MapLanguage translates it when the map is made."""
    return text


class MapLanguage:
    """Translate map texts into ``code`` ("de" or "en") and format dates the way its readers do."""

    def __init__(self, code=DEFAULT_LANGUAGE):
        if code not in LANGUAGES:
            raise MapExportError(tr("Unknown map language {code}: use one of {choices}.").format(
                code=code, choices=", ".join(LANGUAGES)))
        self.code = code
        self._translator = None
        if code != "en":
            translator = QTranslator()
            if translator.load(translation_path(code)):
                self._translator = translator

    def __call__(self, text):
        if self._translator is None:
            return text
        return self._translator.translate(CONTEXT, text) or text

    def date(self, value):
        """A date (or datetime: its date) as "26.11.2026" in German, "2026-11-26" in English."""
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.strftime("%d.%m.%Y" if self.code == "de" else "%Y-%m-%d")

    def moment(self, value):
        """A datetime to the minute; an aware one in UTC ("26.11.2026 07:15 UTC"); midnight as a date."""
        if not isinstance(value, datetime.datetime) or value.time() == datetime.time(0, 0):
            return self.date(value)
        suffix = ""
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
            suffix = " UTC"
        return "{} {}{}".format(self.date(value), value.strftime("%H:%M"), suffix)
