"""Turning catalog services into QGIS layers: WMS (provider 'wms'), WFS ('WFS') and
OGC API Features ('OAPIF'), added under a layer tree group named after the service."""

import logging

from qgis.core import QgsDataSourceUri, QgsProject, QgsRasterLayer, QgsVectorLayer

from ..i18n import tr
from ..log import redact_url
from .capabilities import DEFAULT_MAX_BYTES, LayerInfo
from .connection_check import DEFAULT_TIMEOUT_S, check_connection
from .service_types import ServiceType, type_label

LOGGER = logging.getLogger(__name__)


class LayerLoadError(RuntimeError):
    """Some or all layers could not be loaded. ``added`` holds the layers that were
    added anyway, ``failed`` (name, reason) pairs; ``str()`` is a message for users."""

    def __init__(self, message, added=(), failed=()):
        super().__init__(message)
        self.added = list(added)
        self.failed = list(failed)


def wms_uri(service, layer):
    uri = QgsDataSourceUri()
    uri.setParam("url", service.url)
    uri.setParam("layers", layer.name)
    uri.setParam("styles", "")
    uri.setParam("format", "image/png")
    uri.setParam("crs", layer.preferred_crs())
    uri.setParam("dpiMode", "7")
    uri.setParam("contextualWMSLegend", "0")
    if service.authcfg:
        uri.setAuthConfigId(service.authcfg)
    return bytes(uri.encodedUri()).decode("utf-8")


def _feature_uri(service, layer, srsname, version=None):
    uri = QgsDataSourceUri()
    uri.setParam("url", service.url)
    uri.setParam("typename", layer.name)
    if version:
        uri.setParam("version", version)
    if srsname:
        uri.setParam("srsname", srsname)
    if service.authcfg:
        uri.setAuthConfigId(service.authcfg)
    return uri.uri(False)


def wfs_uri(service, layer):
    return _feature_uri(service, layer, layer.preferred_crs(), service.version or "auto")


def oapif_uri(service, layer):
    # Only a CRS the collection lists (OGC API Features Part 2); by default the
    # provider works in CRS84, and QGIS before 3.28 ignores srsname anyway.
    srsname = "EPSG:25832" if "EPSG:25832" in layer.crs else ""
    return _feature_uri(service, layer, srsname)


def _error_text(layer):
    # QgsError.summary() crashes on an empty error in QGIS 3.22: ask isEmpty() first.
    for error in (layer.error(), layer.dataProvider().error() if layer.dataProvider() else None):
        if error is not None and not error.isEmpty():
            return error.summary()
    return ""


def create_layer(service, layer):
    """A QgsMapLayer for ``layer`` (a LayerInfo) of ``service``; may be invalid."""
    kind = service.service_type
    if kind == ServiceType.WMS:
        return QgsRasterLayer(wms_uri(service, layer), layer.label, "wms")
    if kind == ServiceType.WFS:
        return QgsVectorLayer(wfs_uri(service, layer), layer.label, "WFS")
    if kind == ServiceType.OAPIF:
        return QgsVectorLayer(oapif_uri(service, layer), layer.label, "OAPIF")
    raise ValueError(
        tr("Layers of a {type} cannot be added to the map.").format(type=type_label(kind))
    )


def layers_to_add(service, layer_names=None, capabilities=None):
    """The LayerInfos to add: the named ones, or by default the preset's layers or the
    top-level layers of the capabilities. Names not in the capabilities are kept
    (the provider will tell whether they exist)."""
    if layer_names:
        known = capabilities.find if capabilities is not None else (lambda _name: None)
        return [known(name) or LayerInfo(name) for name in layer_names]
    if capabilities is not None:
        return capabilities.top_level_layers()
    return [LayerInfo(name) for name in service.layers]


def add_service_layers(service, layer_names=None, project=None, capabilities=None,
                       timeout_s=DEFAULT_TIMEOUT_S, max_bytes=DEFAULT_MAX_BYTES):
    """Add layers of ``service`` to ``project`` (default: the current project) in a
    layer tree group named after the service, and return them.

    Without ``layer_names`` the preset's layers are added, or else the top-level
    layers the service lists, which are fetched (blocking) when ``capabilities`` is
    not given. Raises LayerLoadError when the service cannot be read or a layer is
    invalid (valid ones are added all the same).
    """
    if not service.can_add_layers:
        raise LayerLoadError(
            tr("Layers of a {type} cannot be added to the map.").format(type=type_label(service.service_type))
        )
    project = project or QgsProject.instance()
    if capabilities is None and not layer_names and not service.layers:
        result = check_connection(service, timeout_s, max_bytes)
        if not result.ok:
            raise LayerLoadError(result.message)
        capabilities = result.capabilities
    wanted = layers_to_add(service, layer_names, capabilities)
    if not wanted:
        raise LayerLoadError(tr("{service} offers no layers to add.").format(service=service.name))

    added, failed = [], []
    for info in wanted:
        layer = create_layer(service, info)
        if layer.isValid():
            added.append(layer)
        else:
            reason = _error_text(layer) or tr("the provider could not open it")
            failed.append((info.name, reason))
            LOGGER.warning("Layer %s of %s (%s) is not valid: %s", info.name, service.name,
                           redact_url(service.url), reason)
    if added:
        root = project.layerTreeRoot()
        group = root.findGroup(service.name) or root.insertGroup(0, service.name)
        for layer in added:
            project.addMapLayer(layer, False)
            group.addLayer(layer)
        LOGGER.info("Added %d layer(s) of %s", len(added), service.name)
    if failed:
        names = ", ".join(name for name, _reason in failed)
        raise LayerLoadError(
            tr("{count} layer(s) of {service} could not be loaded: {names}").format(
                count=len(failed), service=service.name, names=names),
            added,
            failed,
        )
    return added
