"""Map symbology of the twin's layers, in the city's terms (one place for every colour).

Used by the demo, the local backend's QGIS Server project and the plugin, so a street
light or a depth class looks the same wherever it is drawn.
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterShader,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsTextFormat,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor, QFont

from .hazard import sensors as gauges
from .hazard.scenarios import BELOW_10, NO_DATA, class_label
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


# Condition rating 1 (very good) to 5 (unusable) of an inspection, green to red.
CONDITION_COLOURS = ((1, "#1a9641"), (2, "#a6d96a"), (3, "#ffd92f"), (4, "#fd8d3c"), (5, "#d7191c"))


def style_inspections(layer, condition_labels, field="condition"):
    """Inspections as squares coloured by their condition rating (``condition_labels``:
    [(rating, label)]); an inspection not rated yet grey."""
    labels = dict(condition_labels)
    entries = [(rating, colour, labels.get(rating, str(rating))) for rating, colour in CONDITION_COLOURS]
    entries.append((None, "#9e9e9e", tr("not rated yet")))
    _categorized(layer, field, entries, _marker("square", 3.0, outline="#ffffff"))


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


# -- heavy rain exposure (core/hazard) ---------------------------------------------------------
# Assets by depth class ("below 10 cm" grey, "no data" hollow and dashed, so nobody reads it
# as safe), depth rasters in the class colours, street lights by lamp type and age, sensors
# by the state their thresholds give in a scenario.

BELOW_10_COLOUR = "#d9d9d9"
NO_DATA_COLOUR = "#7f7f7f"
# lamp age in years: (lower, upper or None, marker shape)
LAMP_AGE_CLASSES = ((0, 15, "circle"), (15, 30, "square"), (30, None, "triangle"))
LAMP_AGE_EXPRESSION = 'year(now()) - "{field}"'
SENSOR_STATE_COLOURS = (
    (gauges.ALARM, "#b2182b"),
    (gauges.WARNING, "#f4a582"),
    (gauges.BELOW_WARNING, "#4393c3"),
    (gauges.NO_DATA, "#bababa"),
)


def _point_symbol(colour, size="2.4", outline="#303030", style="solid", shape="circle"):
    return QgsMarkerSymbol.createSimple({
        "name": shape, "color": colour, "outline_color": outline, "outline_width": "0.3",
        "outline_style": style, "size": size,
    })


def _fill_symbol(colour, outline="#5b5b5b", style="solid", outline_width="0.15"):
    return QgsFillSymbol.createSimple({
        "color": colour, "outline_color": outline, "outline_width": outline_width, "outline_style": style,
    })


def exposure_categories(geometry_type):
    """(value, symbol, label) of the depth classes, "below 10 cm" and "no data"."""
    points = geometry_type == QgsWkbTypes.PointGeometry
    entries = []
    for value, colour in DEPTH_CLASS_COLOURS:
        symbol = _point_symbol(colour) if points else _fill_symbol(colour)
        entries.append((value, symbol, class_label(value)))
    if points:
        entries.append((BELOW_10, _point_symbol(BELOW_10_COLOUR, size="1.6", outline="#8c8c8c"), class_label(BELOW_10)))
        entries.append((NO_DATA, _point_symbol("255,255,255,0", outline=NO_DATA_COLOUR, style="dot"),
                        class_label(NO_DATA)))
    else:
        entries.append((BELOW_10, _fill_symbol(BELOW_10_COLOUR, outline="#a6a6a6"), class_label(BELOW_10)))
        entries.append((NO_DATA, _fill_symbol("255,255,255,0", outline=NO_DATA_COLOUR, style="dash",
                                              outline_width="0.4"), class_label(NO_DATA)))
    return entries


def style_exposure(layer, field="depth_class"):
    """Assets by depth class, deepest drawn last (on top)."""
    categories = [QgsRendererCategory(value, symbol, label)
                  for value, symbol, label in exposure_categories(layer.geometryType())]
    renderer = QgsCategorizedSymbolRenderer(field, categories)
    rank = "CASE \"{f}\" WHEN '>100' THEN 5 WHEN '50-100' THEN 4 WHEN '30-50' THEN 3 WHEN '10-30' THEN 2 " \
           "WHEN '{below}' THEN 1 ELSE 0 END".format(f=field, below=BELOW_10)
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause(rank, True)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_depth_raster(layer):
    """A water depth raster (cm) in the depth classes' colours; below 10 cm stays clear."""
    items = [QgsColorRampShader.ColorRampItem(10.0, QColor(0, 0, 0, 0), class_label(BELOW_10))]
    bounds = (30.0, 50.0, 100.0, float("inf"))
    for (value, colour), upper in zip(DEPTH_CLASS_COLOURS, bounds):
        items.append(QgsColorRampShader.ColorRampItem(upper, QColor(colour), class_label(value)))
    ramp = QgsColorRampShader(0.0, 1000.0)
    ramp.setColorRampType(QgsColorRampShader.Discrete)
    ramp.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(1000.0)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def lamp_age_label(lower, upper):
    if upper is None:
        return tr("{lower} years and older").format(lower=lower)
    return tr("under {upper} years").format(upper=upper) if lower == 0 else \
        tr("{lower} to {upper} years").format(lower=lower, upper=upper)


def style_street_light_assets(layer, lamp_field="lamp_type", year_field="install_year"):
    """Street lights coloured by lamp type and shaped by age (circle new, square middle,
    triangle old: due for replacement)."""
    root = QgsRuleBasedRenderer.Rule(None)
    age = LAMP_AGE_EXPRESSION.format(field=year_field)
    for lamp_type, colour in LAMP_TYPE_COLOURS:
        for lower, upper, shape in LAMP_AGE_CLASSES:
            condition = "{age} >= {lower}".format(age=age, lower=lower)
            if upper is not None:
                condition += " AND {age} < {upper}".format(age=age, upper=upper)
            expression = "\"{field}\" = '{value}' AND {condition}".format(
                field=lamp_field, value=lamp_type, condition=condition)
            symbol = _point_symbol(colour, size="2.2", shape=shape)
            label = "{}: {}".format(lamp_type, lamp_age_label(lower, upper))
            root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    root.appendChild(QgsRuleBasedRenderer.Rule(_point_symbol("#9e9e9e", size="1.8"), 0, 0, "ELSE",
                                               tr("Other lamp or unknown age")))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    layer.triggerRepaint()


def sensor_state_label(state):
    labels = {
        gauges.ALARM: tr("Alarm level reached"),
        gauges.WARNING: tr("Warning level reached"),
        gauges.BELOW_WARNING: tr("Below the warning level"),
        gauges.NO_DATA: tr("No hazard data at the sensor"),
    }
    return labels.get(state, state)


def style_sensor_states(layer, field="expected_state"):
    """Water-level and rain sensors by the state their thresholds give in the scenario."""
    categories = [
        QgsRendererCategory(state, _point_symbol(colour, size="3.6", outline="#ffffff", shape="triangle"),
                            sensor_state_label(state))
        for state, colour in SENSOR_STATE_COLOURS
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.triggerRepaint()
