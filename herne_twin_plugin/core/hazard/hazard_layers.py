"""Hazard layers one step away: the map services through the catalog, local depth data styled.

``HAZARD_SERVICES`` names, per catalog preset, the layers that make up the heavy-rain and
flood hazard: Herne's Starkregengefahrenkarte (its three scenarios), the BKG's
Hinweiskarte Starkregengefahren (depth and flow speed of the exceptional and the extreme
event), the NRW Hochwassergefahrenkarte (the layers its capabilities list). Added
through the catalog, they come as WMS layers whose legend QGIS fetches with
GetLegendGraphic (``legend_image`` fetches it for a check or an export).

Local depth data (a raster or depth-class polygons the user has) is added styled in the
depth classes' colours, one layer per scenario.
"""

import logging
import os
from dataclasses import dataclass

from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QEventLoop, QTimer

from ..i18n import tr
from ..services.layer_factory import add_service_layers
from ..styles import style_depth_classes, style_depth_raster, style_exposure, style_sensor_states
from . import output, sensors, view_3d
from .exposure import ExposureError
from .scenarios import BKG_LAYERS, SCENARIO_KEYS, scenario_from_text, scenario_label

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class HazardService:
    service_id: str  # the catalog entry (resources/presets/services.json)
    layers: tuple  # WMS layer names; empty: the top-level layers of the capabilities


HAZARD_SERVICES = (
    HazardService("herne-starkregen-wms", SCENARIO_KEYS),
    HazardService("bkg-starkregen-wms", tuple(layer.name for layer in BKG_LAYERS)),
    HazardService("nrw-hochwasser-wms", ()),
)


def hazard_service(service_id):
    for service in HAZARD_SERVICES:
        if service.service_id == service_id:
            return service
    return None


def add_hazard_wms(catalog, service_id, layer_names=None, project=None):
    """Add the hazard layers of a catalog service (default: all of ``HAZARD_SERVICES``'s
    for it) to ``project``; returns the layers. Raises the catalog's LayerLoadError when
    the service or a layer fails, ExposureError for an unknown service id."""
    service = catalog.service(service_id)
    if service is None:
        raise ExposureError(tr("The service catalog has no entry {service}.").format(service=service_id))
    known = hazard_service(service_id)
    names = list(layer_names or (known.layers if known else ()) or ()) or None
    layers = add_service_layers(service, names, project=project)
    for layer in layers:
        LOG.info("Hazard layer %s of %s added (legend from GetLegendGraphic)", layer.name(), service.name)
    return layers


def legend_image(layer, timeout_s=15):
    """The legend graphic a WMS layer shows in the layer tree (GetLegendGraphic, through
    QGIS's networking): a QImage, or None where the service gives none in ``timeout_s``.
    Waits in a local event loop; for checks and exports, not for the UI thread."""
    provider = layer.dataProvider()
    if provider is None or not provider.supportsLegendGraphic():
        return None
    fetcher = provider.getLegendGraphicFetcher(None)
    if fetcher is None:
        return None
    answer = {}
    loop = QEventLoop()

    def finished(image):
        answer["image"] = image
        loop.quit()

    def failed(message):
        answer["error"] = message
        loop.quit()

    fetcher.finish.connect(finished)
    fetcher.error.connect(failed)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    fetcher.start()
    if not answer:
        loop.exec_()
    if "error" in answer:
        LOG.warning("No legend for %s: %s", layer.name(), answer["error"])
    image = answer.get("image")
    return image if image is not None and not image.isNull() else None


def add_depth_raster(path, project=None, name=None):
    """A local depth raster (cm), styled by depth class; its name says its scenario."""
    layer = QgsRasterLayer(os.fspath(path), name or _scenario_name(path), "gdal")
    if not layer.isValid():
        raise ExposureError(tr("The depth raster {path} cannot be opened.").format(path=path))
    style_depth_raster(layer)
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def add_depth_class_layer(geopackage, layer_name, scenario=None, project=None):
    """Depth-class polygons from a GeoPackage (optionally one scenario of a layer holding
    several), styled by class."""
    layer = QgsVectorLayer("{}|layername={}".format(os.fspath(geopackage), layer_name),
                           scenario_label(scenario) if scenario else layer_name, "ogr")
    if not layer.isValid():
        raise ExposureError(tr("The layer {layer} of {path} cannot be opened.").format(
            layer=layer_name, path=geopackage))
    if scenario and layer.fields().indexOf("scenario") >= 0:
        layer.setSubsetString("\"scenario\" = '{}'".format(scenario.replace("'", "''")))
    style_depth_classes(layer)
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def _scenario_name(path):
    scenario = scenario_from_text(os.path.basename(os.fspath(path)))
    return tr("Water depth: {scenario}").format(scenario=scenario_label(scenario)) if scenario \
        else os.path.splitext(os.path.basename(os.fspath(path)))[0]


def place_above(project, layer, below):
    """Move ``layer`` right above ``below`` in the layer tree (e.g. sensors over the hazard map)."""
    root = project.layerTreeRoot()
    node, anchor = root.findLayer(layer.id()), root.findLayer(below.id())
    if node is None or anchor is None:
        return
    parent = anchor.parent()
    clone = node.clone()
    index = parent.children().index(anchor)
    parent.insertChildNode(index, clone)
    node.parent().removeChildNode(node)


def add_exposure_layers(project, asset_layers, hazard, scenario=None, buffer_m=0.0):
    """The exposure of each asset layer to ``hazard`` as a styled memory layer in
    ``project`` (named after the asset layer): footprints by depth class in 2D and 3D,
    lights by depth class, sensors by the state their thresholds give. Returns
    [(layer, ExposureRun)]; the notes of each run are in the log."""
    added = []
    for assets in asset_layers:
        name = tr("{layer}: heavy rain exposure").format(layer=assets.name())
        layer, run = output.exposure_layer(assets, hazard, name, buffer_m=buffer_m, scenario=scenario,
                                           context=project.transformContext())
        if output.asset_view(assets.fields()) is sensors:
            style_sensor_states(layer)
        else:
            style_exposure(layer)
            if run.assets.areal:
                view_3d.set_footprints_3d_by_depth_class(layer)
        project.addMapLayer(layer)
        added.append((layer, run))
    return added
