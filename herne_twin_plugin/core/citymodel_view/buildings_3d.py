"""The LoD2 buildings in 3D: roofs brick red, walls light sand, at their true heights.

``building_surfaces`` (one feature per Roof/Wall/Ground/ClosureSurface) is drawn rule-based
by ``surface_type``, so roofs and walls get their own colours; ground and closure surfaces
are not drawn (they are inside or under the building). ``buildings`` (one solid per
building) can be drawn instead where the surfaces are missing, in the wall colour.
Heights are absolute (DHHN2016 in the data), so the renderers clamp nothing.
"""

from qgis._3d import Qgs3DTypes, QgsPolygon3DSymbol, QgsVectorLayer3DRenderer
from qgis.core import QgsNullSymbolRenderer

from ..i18n import tr
from ..styles import ROOF_COLOUR, WALL_COLOUR, require_field
from .symbols_3d import phong, quoted, rule_based

ROOF, WALL = "RoofSurface", "WallSurface"


def surface_symbol(colour):
    """A polygon symbol for true 3D surfaces: absolute heights, no extrusion.

    Whether a face is lit depends on its normal, i.e. on the order of its ring, and sources
    are not always oriented outwards. So every face gets its back face (the same triangle,
    reversed, with the normal flipped) and only the one turned to the camera is drawn: the
    lit side shows whichever way the ring runs, and the two never fight for a pixel."""
    symbol = QgsPolygon3DSymbol()
    symbol.setAltitudeClamping(Qgs3DTypes.AltClampAbsolute)
    symbol.setAltitudeBinding(Qgs3DTypes.AltBindVertex)
    symbol.setExtrusionHeight(0.0)
    symbol.setHeight(0.0)
    symbol.setAddBackFaces(True)
    symbol.setCullingMode(Qgs3DTypes.Back)
    symbol.setMaterial(phong(colour))
    return symbol


def building_surfaces_renderer(field="surface_type"):
    """Roofs in ROOF_COLOUR, walls in WALL_COLOUR; other surface types are not drawn."""
    return rule_based([
        (surface_symbol(ROOF_COLOUR), '"{}" = {}'.format(field, quoted(ROOF)), tr("Roofs")),
        (surface_symbol(WALL_COLOUR), '"{}" = {}'.format(field, quoted(WALL)), tr("Walls")),
    ])


def set_building_surfaces_3d(layer, field="surface_type"):
    """Give ``building_surfaces`` its 3D renderer; in 2D it draws nothing (the footprints do)."""
    require_field(layer, field)
    layer.setRenderer3D(building_surfaces_renderer(field))
    layer.setRenderer(QgsNullSymbolRenderer())
    layer.triggerRepaint()


def set_buildings_3d(layer):
    """Whole buildings (solids) in the wall colour, for where no surfaces layer is at hand."""
    renderer = QgsVectorLayer3DRenderer(surface_symbol(WALL_COLOUR))
    layer.setRenderer3D(renderer)
    layer.setRenderer(QgsNullSymbolRenderer())
    layer.triggerRepaint()
