"""Put an imported city model into a project, styled for the 2D map and the 3D view.

The importer (``hernetwin:importcitymodel``) writes ``buildings``, ``building_footprints``
and ``building_surfaces`` into a GeoPackage. In the project they form one group:

- the footprints draw the 2D map (by function or by height);
- the surfaces draw roofs and walls in 3D and nothing in 2D (the footprints already do);
- the buildings (one solid each) keep all attributes for queries; they are switched off,
  because in 3D they would cover the surfaces.
"""

import os

from qgis.core import QgsLayerTreeGroup, QgsVectorLayer

from .. import styles
from ..i18n import tr
from .assets_3d import set_sensor_stations_3d, set_street_lights_3d
from .buildings_3d import set_building_surfaces_3d, set_buildings_3d
from .hazard_3d import set_hazard_draped

BUILDINGS, FOOTPRINTS, SURFACES = "buildings", "building_footprints", "building_surfaces"
FOOTPRINT_STYLES = ("function", "height")


class CityModelLayerError(ValueError):
    """The GeoPackage cannot be shown as a city model; the message is for the user."""


def layer_title(name):
    titles = {
        BUILDINGS: tr("Buildings (LoD2 solids)"),
        FOOTPRINTS: tr("Building footprints"),
        SURFACES: tr("Roofs and walls (3D)"),
    }
    return titles[name]


def open_city_model_layers(gpkg_path):
    """{name: QgsVectorLayer} of the city model layers in ``gpkg_path``; CityModelLayerError
    naming what is missing."""
    gpkg_path = os.fspath(gpkg_path)
    if not os.path.isfile(gpkg_path):
        raise CityModelLayerError(tr("The city model {path} does not exist.").format(path=gpkg_path))
    layers = {}
    missing = []
    for name in (FOOTPRINTS, SURFACES, BUILDINGS):
        layer = QgsVectorLayer("{}|layername={}".format(gpkg_path, name), layer_title(name), "ogr")
        if layer.isValid():
            layers[name] = layer
        else:
            missing.append(name)
    if missing:
        raise CityModelLayerError(tr("{path} is not a city model: the layer(s) {names} are missing.").format(
            path=gpkg_path, names=", ".join(missing)))
    return layers


def style_city_model(layers, footprint_style="function"):
    """2D and 3D styles on the layers of ``open_city_model_layers``."""
    if footprint_style not in FOOTPRINT_STYLES:
        raise CityModelLayerError(tr("Unknown footprint style {style!r}: use 'function' or 'height'.").format(
            style=footprint_style))
    if footprint_style == "height":
        styles.style_footprints_by_height(layers[FOOTPRINTS])
    else:
        styles.style_footprints_by_function(layers[FOOTPRINTS])
    set_building_surfaces_3d(layers[SURFACES])
    set_buildings_3d(layers[BUILDINGS])


def add_city_model_layers(gpkg_path, project, footprint_style="function", group_name=None):
    """Open, style and add the city model in ``gpkg_path`` to ``project`` as one group at the top.

    Returns {name: layer}. A city model already in the project (same file) is restyled, not
    added a second time.
    """
    layers = open_city_model_layers(gpkg_path)
    for name, layer in list(layers.items()):
        existing = [known for known in project.mapLayers().values() if known.source() == layer.source()]
        if existing:
            layers[name] = existing[0]
    style_city_model(layers, footprint_style)
    root = project.layerTreeRoot()
    title = group_name or tr("City model (LoD2)")
    group = root.findGroup(title)
    if not isinstance(group, QgsLayerTreeGroup):
        group = root.insertGroup(0, title)
    for name in (FOOTPRINTS, SURFACES, BUILDINGS):
        layer = layers[name]
        if project.mapLayer(layer.id()) is None:
            project.addMapLayer(layer, False)
            group.addLayer(layer)
    node = root.findLayer(layers[BUILDINGS].id())
    if node is not None:
        node.setItemVisibilityChecked(False)
    return layers


def style_twin_layers_3d(layers):
    """3D symbols for the twin's other layers, recognised by their fields: street lights
    (mast_height_m), sensor stations (sensor_type), buildings' heavy-rain exposure
    (share_10_30), Starkregen depth classes (depth_class).
    Returns the layers that got a 3D renderer."""
    styled = []
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            continue
        fields = layer.fields()
        if fields.indexOf("mast_height_m") >= 0:
            set_street_lights_3d(layer)
        elif fields.indexOf("sensor_type") >= 0:
            set_sensor_stations_3d(layer)
        elif fields.indexOf("share_10_30") >= 0:  # buildings' heavy-rain exposure: blocks, not drapes
            from ..hazard.view_3d import set_footprints_3d_by_depth_class  # (hazard imports this package)

            set_footprints_3d_by_depth_class(layer)
        elif fields.indexOf("depth_class") >= 0:
            set_hazard_draped(layer)
        else:
            continue
        styled.append(layer)
    return styled
