"""Map symbology of the twin's layers, in the city's terms (one place for every colour).

Used by the demo, the local backend's QGIS Server project and the plugin, so a street
light or a depth class looks the same wherever it is drawn.
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsTextFormat,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from .i18n import tr

# Starkregen water depth classes (cm), light to dark blue as on Herne's Starkregengefahrenkarte.
DEPTH_CLASS_COLOURS = (
    ("10-30", "#bfe0f5"),
    ("30-50", "#6baed6"),
    ("50-100", "#2171b5"),
    (">100", "#08306b"),
)

LAMP_TYPE_COLOURS = (
    ("LED", "#2e9e44"),   # modern, efficient
    ("NAV", "#f08c00"),   # sodium vapour, orange light
    ("HQL", "#7a3e9d"),   # mercury vapour, to be replaced
)

SENSOR_TYPE_COLOURS = (
    ("air_quality", "#d7301f"),
    ("water_level", "#0570b0"),
    ("parking", "#737373"),
    ("soil_moisture", "#8c6d31"),
    ("temperature", "#fd8d3c"),
)


def sensor_type_label(sensor_type):
    labels = {
        "air_quality": tr("Air quality"),
        "water_level": tr("Water level"),
        "parking": tr("Parking"),
        "soil_moisture": tr("Soil moisture"),
        "temperature": tr("Temperature"),
    }
    return labels.get(sensor_type, sensor_type)


def _categorized(layer, field, entries, make_symbol):
    categories = [QgsRendererCategory(value, make_symbol(colour), label) for value, colour, label in entries]
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.triggerRepaint()


def _marker(shape, size, outline="#202020"):
    return lambda colour: QgsMarkerSymbol.createSimple(
        {"name": shape, "color": colour, "outline_color": outline, "size": str(size), "outline_width": "0.2"}
    )


def style_depth_classes(layer, field="depth_class"):
    """Depth-class polygons: light (10-30 cm) to dark blue (> 100 cm), no outline."""
    entries = [(value, colour, "{} cm".format(value)) for value, colour in DEPTH_CLASS_COLOURS]
    _categorized(
        layer, field, entries,
        lambda colour: QgsFillSymbol.createSimple({"color": colour, "outline_style": "no"}),
    )


def style_street_lights(layer, field="lamp_type"):
    _categorized(layer, field, [(v, c, v) for v, c in LAMP_TYPE_COLOURS], _marker("circle", 1.8))


def style_sensor_stations(layer, field="sensor_type"):
    entries = [(v, c, sensor_type_label(v)) for v, c in SENSOR_TYPE_COLOURS]
    _categorized(layer, field, entries, _marker("triangle", 3.6, outline="#ffffff"))


def style_building_footprints(layer):
    layer.renderer().setSymbol(
        QgsFillSymbol.createSimple({"color": "#d9d4cc", "outline_color": "#8a8478", "outline_width": "0.1"})
    )
    layer.triggerRepaint()


def style_districts(layer, label_field="name"):
    """District outlines with their names."""
    layer.renderer().setSymbol(
        QgsFillSymbol.createSimple(
            {"color": "255,255,255,0", "outline_color": "#4d4d4d", "outline_width": "0.6", "outline_style": "dash"}
        )
    )
    settings = QgsPalLayerSettings()
    settings.fieldName = label_field
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans", 10, QFont.Bold))
    text.setSize(10)
    text.setColor(QColor("#4d4d4d"))
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
