"""Street lights and sensor stations as 3D symbols at their height above the terrain.

A point symbol lifts all of its shapes by one transform, so heights that differ per feature
become rules: one rule per mast height (rounded to half metres, which is how masts are
sold), each with a mast (cylinder) and a lamp head (sphere) lifted to that height. The
points are 2D; "relative" clamping puts them on the terrain first.

"Everything else" rules carry an explicit filter (NOT ... IN ...) rather than QGIS's ELSE:
QGIS 3.22's 3D renderer gave many lamps the ELSE head although a sibling rule matched them.
"""

from qgis._3d import Qgs3DTypes, QgsPoint3DSymbol, QgsRuleBased3DRenderer

from ..i18n import tr
from ..styles import LAMP_TYPE_COLOURS, SENSOR_TYPE_COLOURS, require_field, sensor_type_label
from .symbols_3d import not_one_of, phong, quoted, raised, rule_based

MAST_COLOUR = "#5a5f66"
OTHER_LAMP_COLOUR = "#f2f2f2"
OTHER_SENSOR_COLOUR = "#ffffff"
DEFAULT_MAST_HEIGHT = 6.0  # metres, where a light has no mast height
MAST_HEIGHT_RANGE = (2.0, 20.0)  # what a street light mast can be; values beyond are clipped
MAST_RADIUS = 0.2
LAMP_RADIUS = 0.8  # a lamp head, a little larger than life so it shows
SENSOR_RADIUS = 1.8  # larger than the device: the symbol must show from a district view

# Mounting heights (m above ground) of the sensor kinds: air quality and climate sensors sit
# on light poles below the lamp, water level gauges on a post, the rest near the ground.
SENSOR_HEIGHTS = {
    "air_quality": 3.5,
    "temperature": 3.5,
    "water_level": 1.0,
    "parking": 0.3,
    "soil_moisture": 0.3,
}
DEFAULT_SENSOR_HEIGHT = 2.0


def point_symbol(shape, properties, colour, height):
    symbol = QgsPoint3DSymbol()
    symbol.setAltitudeClamping(Qgs3DTypes.AltClampRelative)
    symbol.setShape(shape)
    symbol.setShapeProperties(properties)
    symbol.setMaterial(phong(colour, shininess=20.0))
    symbol.setTransform(raised(height))
    return symbol


def mast_height_expression(field):
    low, high = MAST_HEIGHT_RANGE
    return "round(min(max(coalesce(\"{f}\", {d}), {low}), {high}) * 2) / 2".format(
        f=field, d=DEFAULT_MAST_HEIGHT, low=low, high=high)


def mast_heights(layer, field):
    """The distinct mast heights of ``layer`` as the rules see them (rounded, clipped)."""
    low, high = MAST_HEIGHT_RANGE
    heights = set()
    for value in layer.uniqueValues(layer.fields().indexOf(field)):
        try:
            height = float(value)
        except (TypeError, ValueError):  # NULL
            height = DEFAULT_MAST_HEIGHT
        if height != height:  # NaN
            height = DEFAULT_MAST_HEIGHT
        heights.add(round(min(max(height, low), high) * 2) / 2)
    return sorted(heights)


def set_street_lights_3d(layer, field="mast_height_m", lamp_field="lamp_type"):
    """Masts of each light's height with a lamp head on top, coloured by lamp type.

    Heights that come into the layer after styling (a new light, a WFS layer that had not
    loaded yet) fall to a last rule that draws them at DEFAULT_MAST_HEIGHT."""
    require_field(layer, field)
    expression = mast_height_expression(field)
    lamp_colours = LAMP_TYPE_COLOURS if layer.fields().indexOf(lamp_field) >= 0 else ()
    root = QgsRuleBased3DRenderer.Rule(None)
    heights = mast_heights(layer, field)
    for height in heights:
        root.appendChild(_light_rule(
            "{} = {:g}".format(expression, height), height, lamp_field, lamp_colours,
            tr("Mast {height:g} m").format(height=height)))
    others = "NOT ({} IN ({}))".format(expression, ", ".join("{:g}".format(h) for h in heights)) if heights else ""
    root.appendChild(_light_rule(others, DEFAULT_MAST_HEIGHT, lamp_field, lamp_colours, tr("Other mast heights")))
    layer.setRenderer3D(QgsRuleBased3DRenderer(root))
    layer.triggerRepaint()


def _light_rule(expression, height, lamp_field, lamp_colours, description):
    """A rule for the lights of one mast height: the mast, and a lamp head per lamp type."""
    rule = QgsRuleBased3DRenderer.Rule(None, expression, description)
    mast = point_symbol(QgsPoint3DSymbol.Cylinder, {"radius": MAST_RADIUS, "length": height},
                        MAST_COLOUR, height / 2.0)
    rule.appendChild(QgsRuleBased3DRenderer.Rule(mast, "", tr("Mast")))
    for lamp_type, colour in lamp_colours:
        lamp = point_symbol(QgsPoint3DSymbol.Sphere, {"radius": LAMP_RADIUS}, colour, height)
        rule.appendChild(
            QgsRuleBased3DRenderer.Rule(lamp, '"{}" = {}'.format(lamp_field, quoted(lamp_type)), lamp_type))
    other = point_symbol(QgsPoint3DSymbol.Sphere, {"radius": LAMP_RADIUS}, OTHER_LAMP_COLOUR, height)
    rule.appendChild(QgsRuleBased3DRenderer.Rule(
        other, not_one_of(lamp_field, [lamp_type for lamp_type, _c in lamp_colours]), tr("Other lamps")))
    return rule


def set_sensor_stations_3d(layer, field="sensor_type"):
    """A sphere per station at its mounting height, in the colour of its sensor type."""
    require_field(layer, field)
    rules = []
    for sensor_type, colour in SENSOR_TYPE_COLOURS:
        height = SENSOR_HEIGHTS.get(sensor_type, DEFAULT_SENSOR_HEIGHT)
        # a station near the ground rests its sphere on the ground instead of sinking into it
        symbol = point_symbol(QgsPoint3DSymbol.Sphere, {"radius": SENSOR_RADIUS}, colour, max(height, SENSOR_RADIUS))
        rules.append((symbol, '"{}" = {}'.format(field, quoted(sensor_type)), sensor_type_label(sensor_type)))
    other = point_symbol(QgsPoint3DSymbol.Sphere, {"radius": SENSOR_RADIUS}, OTHER_SENSOR_COLOUR, DEFAULT_SENSOR_HEIGHT)
    rules.append((other, not_one_of(field, [t for t, _c in SENSOR_TYPE_COLOURS]), tr("Other sensors")))
    layer.setRenderer3D(rule_based(rules))
    layer.triggerRepaint()
