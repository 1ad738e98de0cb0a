"""Buildings in 3D coloured by their Starkregen depth class (the colours of the 2D map).

Two ways, depending on what the project holds:

- ``set_footprints_3d_by_depth_class``: the exposure output of building footprints,
  extruded by ``measured_height`` (LoD2 attribute) and standing on the terrain;
- ``set_lod2_by_depth_class``: the true LoD2 surfaces of an imported city model
  (``building_surfaces``, one feature per roof or wall with its ``building_id``): the
  exposure's depth class is joined onto them by building id, heights stay absolute.

The symbols are the city model view's (core/citymodel_view): its materials, its surface
symbol and its rule-based renderer; the depth-class polygons themselves are draped on
the terrain by ``citymodel_view.hazard_3d``.
"""

from qgis._3d import Qgs3DTypes, QgsPolygon3DSymbol
from qgis.core import QgsAbstract3DSymbol, QgsProperty, QgsVectorLayerJoinInfo

from ..citymodel_view.buildings_3d import surface_symbol
from ..citymodel_view.symbols_3d import phong, quoted, rule_based
from ..i18n import tr
from ..styles import BELOW_10_COLOUR, DEPTH_CLASS_COLOURS, NO_DATA_COLOUR, require_field
from .exposure import ExposureError
from .scenarios import BELOW_10, NO_DATA, class_label

DEFAULT_HEIGHT_M = 8.0  # footprints without a measured height
JOIN_PREFIX = "exposure_"


def _class_colours():
    return list(DEPTH_CLASS_COLOURS) + [(BELOW_10, BELOW_10_COLOUR), (NO_DATA, NO_DATA_COLOUR)]


def _by_class(symbol_for, field):
    return rule_based([(symbol_for(colour), '"{}" = {}'.format(field, quoted(value)), class_label(value))
                       for value, colour in _class_colours()])


def extruded_symbol(colour, height_field="measured_height"):
    """A footprint standing on the terrain, as high as ``height_field`` says."""
    symbol = QgsPolygon3DSymbol()
    symbol.setAltitudeClamping(Qgs3DTypes.AltClampTerrain)
    symbol.setAltitudeBinding(Qgs3DTypes.AltBindCentroid)
    symbol.setExtrusionHeight(DEFAULT_HEIGHT_M)
    if height_field:
        properties = symbol.dataDefinedProperties()
        properties.setProperty(QgsAbstract3DSymbol.PropertyExtrusionHeight, QgsProperty.fromExpression(
            'coalesce("{}", {})'.format(height_field, DEFAULT_HEIGHT_M)))
        symbol.setDataDefinedProperties(properties)
    symbol.setMaterial(phong(colour))
    return symbol


def set_footprints_3d_by_depth_class(layer, field="depth_class", height_field="measured_height"):
    """Exposed footprints as blocks of their measured height, coloured by depth class."""
    require_field(layer, field)
    if height_field and layer.fields().indexOf(height_field) < 0:
        height_field = None
    layer.setRenderer3D(_by_class(lambda colour: extruded_symbol(colour, height_field), field))
    layer.triggerRepaint()


def set_lod2_by_depth_class(surfaces, exposure, key="building_id", field="depth_class"):
    """Join the exposure's depth class onto LoD2 surfaces by ``key`` and colour them by it.
    Returns the joined field's name on ``surfaces``."""
    for layer, name in ((surfaces, key), (exposure, key), (exposure, field)):
        require_field(layer, name)
    if any(join.joinLayerId() == exposure.id() for join in surfaces.vectorJoins()):
        surfaces.removeJoin(exposure.id())
    join = QgsVectorLayerJoinInfo()
    join.setJoinLayer(exposure)
    join.setJoinFieldName(key)
    join.setTargetFieldName(key)
    join.setJoinFieldNamesSubset([field])
    join.setPrefix(JOIN_PREFIX)
    join.setUsingMemoryCache(True)
    if not surfaces.addJoin(join):
        raise ExposureError(tr("The depth classes could not be joined onto {layer}.").format(layer=surfaces.name()))
    joined = JOIN_PREFIX + field
    surfaces.setRenderer3D(_by_class(surface_symbol, joined))
    surfaces.triggerRepaint()
    return joined
