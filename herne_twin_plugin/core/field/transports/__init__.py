"""Transports: the single path by which field edits reach the city's servers (base.py has the interface).

``transport_for(layer)`` picks the one for a manifest.PackageLayer by its source kind:
wfst.WfsTransport (WFS-T 1.1.0 / 2.0.0), oapif.OapifTransport (OGC API Features Part 4),
postgis.PostgisTransport (a PostGIS table, compare-and-set in SQL).
"""

from ...i18n import tr
from .base import FieldTransport, ServerFeature, TransportError, normalise_value  # noqa: F401


def transport_for(layer, feedback=None, timeout_s=30.0):
    """The transport of ``layer`` (manifest.PackageLayer); TransportError(REJECTED) for a layer
    that has no server to sync with."""
    from .. import manifest
    from . import base

    if layer.source_kind == manifest.SOURCE_WFS:
        from .wfst import WfsTransport
        return WfsTransport(layer, feedback, timeout_s)
    if layer.source_kind == manifest.SOURCE_OAPIF:
        from .oapif import OapifTransport
        return OapifTransport(layer, feedback, timeout_s)
    if layer.source_kind == manifest.SOURCE_POSTGIS:
        from .postgis import PostgisTransport
        return PostgisTransport(layer, feedback, timeout_s)
    raise base.TransportError(base.REJECTED, tr(
        "The layer {layer} has no server it could be synchronised with.").format(
        layer=layer.title or layer.table_name))
