"""All of the plugin's settings in one place, under the ``herne_twin/`` prefix.

Only plain values and authcfg ids are stored here; secrets live in QgsAuthManager.
"""

import json

from qgis.core import QgsSettings

PREFIX = "herne_twin/"


class PluginSettings:
    """Typed access to the plugin's QgsSettings keys (global, per user profile)."""

    def __init__(self, settings=None):
        self._settings = settings or QgsSettings()

    def value(self, key, default=None):
        return self._settings.value(PREFIX + key, default)

    def set_value(self, key, value):
        self._settings.setValue(PREFIX + key, value)

    def remove(self, key):
        self._settings.remove(PREFIX + key)

    def json_value(self, key, default):
        raw = self.value(key, None)
        if raw in (None, ""):
            return default
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            return default

    def set_json_value(self, key, value):
        self.set_value(key, json.dumps(value, ensure_ascii=False, sort_keys=True))
        self._settings.sync()
