"""Map symbology of the twin's layers, in the city's terms (one place for every colour).

Used by the demo, the local backend's QGIS Server project and the plugin, so a street
light or a depth class looks the same wherever it is drawn.
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRendererRange,
    QgsSingleSymbolRenderer,
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
    layer.setRenderer(QgsSingleSymbolRenderer(
        QgsFillSymbol.createSimple({"color": "#d9d4cc", "outline_color": "#8a8478", "outline_width": "0.1"})
    ))
    layer.triggerRepaint()


def style_districts(layer, label_field="name"):
    """District outlines with their names."""
    layer.setRenderer(QgsSingleSymbolRenderer(
        QgsFillSymbol.createSimple(
            {"color": "255,255,255,0", "outline_color": "#4d4d4d", "outline_width": "0.6", "outline_style": "dash"}
        )
    ))
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


# -- the LoD2 city model ------------------------------------------------------------------

# Surfaces of the 3D city model (also used by the 3D renderers in core/citymodel_view).
ROOF_COLOUR = "#a5433a"  # brick red
WALL_COLOUR = "#e8e0d0"  # light sand

# Footprints by building function: (group, colour). The group of an ALKIS function code
# ("31001_1010" in NRW files, "1010" elsewhere) follows the code's thousands: 1xxx
# housing (also mixed use with housing), 2xxx trade and industry, 3xxx public; garages and
# car parks (246x) and everything else go to the last group.
FUNCTION_GROUP_COLOURS = (
    ("residential", "#e3b58f"),
    ("commercial", "#a99bc9"),
    ("public", "#e7cf5f"),
    ("garage_other", "#bdbdbd"),
)
FUNCTION_GROUP_EXPRESSION = (
    "with_variable('code', to_int(coalesce(nullif(regexp_substr(to_string(coalesce(\"{field}\", '')),"
    " '(\\\\d{{4}})$'), ''), '0')),"
    " CASE"
    " WHEN @code >= 2460 AND @code <= 2469 THEN 'garage_other'"
    " WHEN @code >= 1000 AND @code <= 1999 THEN 'residential'"
    " WHEN @code >= 2000 AND @code <= 2999 THEN 'commercial'"
    " WHEN @code >= 3000 AND @code <= 3999 THEN 'public'"
    " ELSE 'garage_other' END)"
)

# Footprints by measured height: (from m, to m, colour), light to dark; the last class is open-ended.
HEIGHT_CLASSES = (
    (0.0, 6.0, "#fff3c4"),
    (6.0, 10.0, "#fdd49e"),
    (10.0, 15.0, "#fc8d59"),
    (15.0, 25.0, "#d7301f"),
    (25.0, 40.0, "#990000"),
    (40.0, 1000.0, "#4d0000"),
)


def require_field(layer, field):
    """A ValueError naming the layer and the field where ``layer`` lacks ``field``."""
    if layer.fields().indexOf(field) < 0:
        raise ValueError(tr("The layer {layer} has no field {field}.").format(layer=layer.name(), field=field))


def function_group_label(group):
    labels = {
        "residential": tr("Residential"),
        "commercial": tr("Commercial and industry"),
        "public": tr("Public"),
        "garage_other": tr("Garages and other"),
    }
    return labels.get(group, group)


def _footprint_fill(colour):
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": "#6e675d", "outline_width": "0.1"})


def style_footprints_by_function(layer, field="function_code"):
    """Building footprints coloured by their function group (housing, trade, public, other)."""
    require_field(layer, field)
    categories = [
        QgsRendererCategory(group, _footprint_fill(colour), function_group_label(group))
        for group, colour in FUNCTION_GROUP_COLOURS
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer(FUNCTION_GROUP_EXPRESSION.format(field=field), categories))
    layer.triggerRepaint()


def style_footprints_by_height(layer, field="measured_height"):
    """Building footprints in graduated colours by height (fixed classes in metres, so maps compare)."""
    require_field(layer, field)
    ranges = []
    for lower, upper, colour in HEIGHT_CLASSES:
        if upper >= 1000.0:
            label = tr("over {lower:g} m").format(lower=lower)
        else:
            label = tr("{lower:g} to {upper:g} m").format(lower=lower, upper=upper)
        ranges.append(QgsRendererRange(lower, upper, _footprint_fill(colour), label))
    renderer = QgsGraduatedSymbolRenderer(field, ranges)
    renderer.setMode(QgsGraduatedSymbolRenderer.Custom)
    layer.setRenderer(renderer)
    layer.triggerRepaint()
