"""The About box: version, licence notes, and that the sample data is synthetic."""

import configparser

from qgis.PyQt.QtWidgets import QMessageBox

from ..core.i18n import tr
from ..core.paths import PLUGIN_DIR


def plugin_version():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PLUGIN_DIR + "/metadata.txt", encoding="utf-8")
    return parser.get("general", "version", fallback="?")


def show_about(parent):
    QMessageBox.about(
        parent,
        tr("About Herne Digital Twin"),
        tr(
            "<b>Herne Digital Twin</b> {version}<br>"
            "The digital twin of the city of Herne in QGIS.<br><br>"
            "Sample data shipped with the plugin is synthetic: it is placed at real "
            "Herne coordinates but shows no real assets."
        ).format(version=plugin_version()),
    )
