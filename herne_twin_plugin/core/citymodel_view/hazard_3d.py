"""Starkregen depth classes draped on the terrain, in the colours of the 2D map."""

from qgis._3d import Qgs3DTypes, QgsPolygon3DSymbol

from ..styles import DEPTH_CLASS_COLOURS, require_field
from .symbols_3d import phong, quoted, rule_based

# Lifted a little off the terrain, so the water does not flicker through the ground.
DRAPE_OFFSET = 0.3


def draped_symbol(colour):
    symbol = QgsPolygon3DSymbol()
    symbol.setAltitudeClamping(Qgs3DTypes.AltClampTerrain)
    symbol.setAltitudeBinding(Qgs3DTypes.AltBindVertex)
    symbol.setExtrusionHeight(0.0)
    symbol.setHeight(DRAPE_OFFSET)
    # Lit from above whichever way the source's rings run (see buildings_3d.surface_symbol).
    symbol.setAddBackFaces(True)
    symbol.setCullingMode(Qgs3DTypes.Back)
    symbol.setMaterial(phong(colour))
    return symbol


def set_hazard_draped(layer, field="depth_class"):
    """Each depth class (10-30 cm ... > 100 cm) as a flat sheet on the terrain."""
    require_field(layer, field)
    rules = [
        (draped_symbol(colour), '"{}" = {}'.format(field, quoted(value)), "{} cm".format(value))
        for value, colour in DEPTH_CLASS_COLOURS
    ]
    layer.setRenderer3D(rule_based(rules))
    layer.triggerRepaint()
