"""Herne Digital Twin: a QGIS plugin for the digital twin of the city of Herne."""


def classFactory(iface):  # noqa: N802 (QGIS entry point name)
    # Imported lazily so that QGIS can read the plugin list without loading Qt widgets.
    from .plugin import HerneTwinPlugin

    return HerneTwinPlugin(iface)
