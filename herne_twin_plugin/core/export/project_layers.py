"""Which layers and which extent a map of the project shows: the visible layers or a map
theme, a district by name, or the layers' own extent."""

from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsRectangle

from ..i18n import tr
from .errors import MapExportError
from .templates import district_layers

DISTRICT_NAME_FIELDS = ("name", "district", "bezirk")
DISTRICT_MARGIN = 0.05  # share of the district's size around it


def visible_layers(project):
    """The layers ticked in the project's layer tree, top of the map first (also those that failed to load)."""
    root = project.layerTreeRoot()
    result = []
    for layer in root.layerOrder():
        node = root.findLayer(layer.id())
        if node is not None and node.isVisible():
            result.append(layer)
    return result


def theme_layers(project, theme):
    """The layers a map theme shows, top first; MapExportError naming the themes where it does not exist."""
    themes = project.mapThemeCollection()
    if not themes.hasMapTheme(theme):
        known = ", ".join(themes.mapThemes()) or tr("none")
        raise MapExportError(tr("The project has no map theme {theme} (map themes: {known}).").format(
            theme=theme, known=known))
    shown = {layer.id() for layer in themes.mapThemeVisibleLayers(theme)}
    return [layer for layer in project.layerTreeRoot().layerOrder() if layer.id() in shown]


def district_extent(project, name, districts=None):
    """The extent (project CRS, with a margin) of the district called ``name``."""
    candidates = [districts] if districts is not None else district_layers(project)
    if not candidates:
        raise MapExportError(tr("The project has no districts layer to find the district {name} in.").format(
            name=name))
    known = []
    for layer in candidates:
        field = next((f for f in DISTRICT_NAME_FIELDS if layer.fields().indexOf(f) >= 0), None)
        if field is None:
            continue
        for feature in layer.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([field], layer.fields())):
            value = str(feature[field])
            known.append(value)
            if value.casefold() == name.strip().casefold() and feature.hasGeometry():
                box = QgsRectangle(feature.geometry().boundingBox())
                if layer.crs() != project.crs() and project.crs().isValid():
                    box = QgsCoordinateTransform(layer.crs(), project.crs(), project).transformBoundingBox(box)
                return box.buffered(max(box.width(), box.height()) * DISTRICT_MARGIN)
    raise MapExportError(tr("There is no district {name}; the districts are: {known}.").format(
        name=name, known=", ".join(sorted(known)) or tr("none")))
