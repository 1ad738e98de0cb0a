"""A QGIS Server plugin of the local backend (not of the QGIS plugin): a PostGIS layer's
feature count is taken again for every request.

Why: ``qgis_mapserver`` 3.22 counts a PostGIS layer once (QgsPostgresProvider keeps the
count) and afterwards only adds or subtracts the edits it commits itself. Rows written by
anybody else (the other ``qgis_mapserver`` behind the front, pygeoapi, psql) leave the count
wrong for the life of the process. OGC API Features builds ``numberMatched``, the ``next``
link and the ``offset`` check from that count, WFS its hits: one process that had committed
530 deletions whose rows were put back by SQL ended the paging of 1,528 street lights after
1,000 (no next link), and the other refused ``offset=1000``. The city's GeoServer counts for
each request; with this plugin the stand-in does too.

``reloadData()`` only forgets the count and the extent (QgsPostgresProvider
reloadProviderData); both are taken again when a request needs them. It is done only for
the requests whose answer reports a count (OGC API Features under /wfs3, WFS GetFeature with
resultType=hits): forgetting for every request made each plain GetFeature strip of the full
city take the footprints' extent again (ours 5.9 s instead of 5.1 s to package it), which no
real server does.
"""

import re

from qgis.core import QgsProject, QgsVectorLayer
from qgis.server import QgsServerFilter

POSTGIS = "postgres"


def forget_counts(project):
    """Make every PostGIS layer of ``project`` count its features again when asked; the
    number of layers."""
    forgotten = 0
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.providerType() == POSTGIS and layer.isValid():
            layer.dataProvider().reloadData()
            forgotten += 1
    return forgotten


OGCAPI_PATH = "/wfs3"
_HITS = re.compile(rb"""resultType\s*=\s*["']hits["']""", re.IGNORECASE)


def reports_a_count(path, parameters, body):
    """Whether a request's answer says how many features match: OGC API Features (numberMatched,
    next links) or a WFS GetFeature with resultType=hits (GET parameter or POST body)."""
    if path.startswith(OGCAPI_PATH):
        return True
    upper = {key.upper(): value for key, value in parameters.items()}
    if upper.get("RESULTTYPE", "").lower() == "hits":
        return True
    return bool(body) and _HITS.search(body) is not None


class FreshCounts(QgsServerFilter):
    def requestReady(self):
        handler = self.serverInterface().requestHandler()
        if not reports_a_count(handler.path(), handler.parameterMap(), bytes(handler.data())):
            return
        # The project of the last request (QGIS Server makes the one it loads the instance):
        # the same cached project object this request will use. Before the first request it
        # is empty, and the layers loaded for that request count afresh anyway.
        forget_counts(QgsProject.instance())


class HerneFreshCounts:
    """The plugin object QGIS Server keeps; it holds the filter so that it stays alive."""

    def __init__(self, server_iface):
        self.filter = FreshCounts(server_iface)
        server_iface.registerFilter(self.filter, 100)


def serverClassFactory(server_iface):  # noqa: N802 - the name QGIS Server calls
    return HerneFreshCounts(server_iface)
