"""Small building blocks of the twin's 3D symbols: materials, rules, "up" in the 3D world.

QGIS's 3D classes live in ``qgis._3d`` (a core-side library, no widgets).
"""

from qgis._3d import QgsPhongMaterialSettings, QgsRuleBased3DRenderer
from qgis.core import Qgis
from qgis.PyQt.QtGui import QColor, QMatrix4x4

# Until QGIS 3.42 the 3D world is "Y up" and so is a point symbol's transform; from 3.42
# (qgis/QGIS#59373) the transform is "Z up" like the map.
_Z_UP = Qgis.QGIS_VERSION_INT >= 34100


def phong(colour, shininess=0.0, ambient=0.45):
    """A matt Phong material of ``colour``. The ambient share keeps shaded sides readable;
    with the scene's sun (scene.py) a surface facing it shows about ``colour`` itself."""
    colour = QColor(colour)
    material = QgsPhongMaterialSettings()
    material.setDiffuse(colour)
    material.setAmbient(QColor.fromRgbF(colour.redF() * ambient, colour.greenF() * ambient, colour.blueF() * ambient))
    material.setSpecular(QColor(24, 24, 24))
    material.setShininess(shininess)
    return material


def world_axes(east, north, up):
    """A direction given in the map's terms as (x, y, z) of the 3D world."""
    if _Z_UP:
        return (east, north, up)
    return (east, up, -north)


def raised(metres):
    """A point symbol transform that lifts the shape ``metres`` above its point."""
    matrix = QMatrix4x4()
    matrix.translate(*world_axes(0.0, 0.0, metres))
    return matrix


def rule_based(rules):
    """A QgsRuleBased3DRenderer from [(symbol, filter expression, description)]."""
    root = QgsRuleBased3DRenderer.Rule(None)
    for symbol, expression, description in rules:
        root.appendChild(QgsRuleBased3DRenderer.Rule(symbol, expression, description))
    return QgsRuleBased3DRenderer(root)


def quoted(value):
    """``value`` as a literal of a QGIS expression."""
    return "'{}'".format(str(value).replace("'", "''"))


def not_one_of(field, values):
    """A filter for the features whose ``field`` is none of ``values`` (NULL included)."""
    if not values:
        return ""
    return '"{}" IS NULL OR "{}" NOT IN ({})'.format(field, field, ", ".join(quoted(v) for v in values))

