"""The project of a field package: ``<name>.qgz`` beside ``<name>.gpkg``, opening offline in
QGIS and QField.

Built from the package manifest alone: every layer comes from the package's GeoPackage
or its raster files (never from a server), paths are stored relative to the project, the
layers are styled as in the office (core/styles.py), the inspection form is configured
(inspection.py) and linked to the assets, the assets' stable key is read-only in their
form (the journal follows a feature by it), and the context layers (basemap, sensors,
hazard) are read-only.
"""

import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProject,
    QgsRasterLayer,
    QgsReferencedRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..i18n import tr
from ..styles import (
    style_building_footprints,
    style_depth_classes,
    style_depth_raster,
    style_inspections,
    style_sensor_stations,
    style_street_light_assets,
)
from . import basemap, manifest
from .inspection import condition_labels, configure_inspection_form

OFFLINE_PROVIDERS = ("ogr", "gdal")
# Drawing order, bottom first.
_ROLE_ORDER = (manifest.ROLE_BASEMAP, manifest.ROLE_HAZARD, manifest.ROLE_ASSET, manifest.ROLE_SENSORS,
               manifest.ROLE_INSPECTION)


class OfflineProjectError(ValueError):
    """The package project cannot be written; the message says why."""


def _is_file(entry):
    return os.path.splitext(entry.table_name)[1].lower() in (".tif", ".tiff")


def package_layer(folder, name, entry):
    """The QGIS layer of one manifest entry, read from the package folder."""
    title = entry.title or entry.table_name
    if _is_file(entry):
        layer = QgsRasterLayer(os.path.join(folder, entry.table_name), title, "gdal")
    else:
        layer = QgsVectorLayer("{}|layername={}".format(os.path.join(folder, name + ".gpkg"), entry.table_name),
                               title, "ogr")
    if not layer.isValid():
        raise OfflineProjectError(tr("The package layer {layer} cannot be opened.").format(layer=entry.table_name))
    return layer


def style_layer(layer, entry):
    """The office's style for a package layer (by its role and fields)."""
    if isinstance(layer, QgsRasterLayer):
        if entry.role == manifest.ROLE_HAZARD and layer.bandCount() == 1:
            style_depth_raster(layer)
        return
    names = layer.fields().names()
    if entry.role == manifest.ROLE_INSPECTION and "condition" in names:
        style_inspections(layer, condition_labels())
    elif entry.role == manifest.ROLE_HAZARD and "depth_class" in names:
        style_depth_classes(layer)
    elif "lamp_type" in names and "install_year" in names:
        style_street_light_assets(layer)
    elif "sensor_type" in names:
        style_sensor_stations(layer)
    elif layer.geometryType() == QgsWkbTypes.PolygonGeometry and entry.role == manifest.ROLE_ASSET:
        style_building_footprints(layer)


def protect_key(layer, key_column):
    """The stable key (and the package's fid) read-only in the layer's form."""
    form = layer.editFormConfig()
    for name in (key_column, "fid"):
        index = layer.fields().indexOf(name)
        if index >= 0:
            form.setReadOnly(index, True)
    layer.setEditFormConfig(form)


def write_project(folder, name, package_manifest):
    """Write ``<folder>/<name>.qgz`` for the package's manifest; returns its path."""
    project = QgsProject()
    project.setTitle(package_manifest.title or name)
    crs = QgsCoordinateReferenceSystem(package_manifest.crs or manifest.PACKAGE_CRS)
    project.setCrs(crs)
    project.writeEntry("Paths", "/Absolute", False)  # relative paths: the folder can move
    by_role = {role: [entry for entry in package_manifest.layers if entry.role == role] for role in _ROLE_ORDER}
    added = {}
    root = project.layerTreeRoot()
    for role in _ROLE_ORDER:
        for entry in by_role[role]:
            layer = package_layer(folder, name, entry)
            style_layer(layer, entry)
            if role == manifest.ROLE_ASSET:
                protect_key(layer, entry.key_column)
            elif role != manifest.ROLE_INSPECTION and hasattr(layer, "setReadOnly"):
                layer.setReadOnly(True)
            project.addMapLayer(layer, False)
            root.insertLayer(0, layer)  # bottom first: each new one goes on top
            added[entry.table_name] = (layer, entry)
    inspections = [layer for layer, entry in added.values() if entry.role == manifest.ROLE_INSPECTION]
    assets = [(layer, entry.key_column) for layer, entry in added.values() if entry.role == manifest.ROLE_ASSET]
    for layer in inspections:
        configure_inspection_form(layer, assets, project)
    if package_manifest.area_wkt:
        area = QgsGeometry.fromWkt(package_manifest.area_wkt)
        if not area.isNull():
            # the view the basemap is rendered for (basemap.covered_extent reaches beyond it)
            view = basemap.initial_view(area.boundingBox())
            project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(view, crs))
    online = [layer.name() for layer in project.mapLayers().values() if layer.providerType() not in OFFLINE_PROVIDERS]
    if online:
        raise OfflineProjectError(tr("The package project would need a network for {layers}.").format(
            layers=", ".join(online)))
    path = os.path.join(folder, name + ".qgz")
    if not project.write(path):
        raise OfflineProjectError(tr("The project {path} cannot be written: {error}").format(
            path=path, error=project.error()))
    project.clear()
    return path

