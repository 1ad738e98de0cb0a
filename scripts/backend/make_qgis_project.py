"""Write the Herne QGIS project that the local QGIS Server publishes.

Run as its own process (PyQGIS, headless)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/backend/make_qgis_project.py spec.json

``spec.json`` (written by ``backend/qgis_server.py``) names the output file, the
PostGIS service, the spatial tables of schema ``assets``, the depth rasters and
the WMS extent. PostGIS layers connect by ``service=`` so the project file holds
no password; libpq finds it through PGSERVICEFILE/PGPASSFILE.

Published: WMS (layer names = table names, so the heavy-rain layers carry the
real names ``seltener_starkregen``, ``aussergewoehnlicher_starkregen``,
``extremregen``), WFS with transactions on the editable asset layers, and
OGC API Features under /wfs3 (QGIS Server publishes the WFS layers there).
"""

import json
import os
import re
import sys

from qgis.core import (
    NULL,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRectangle,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

HAZARD_LAYERS = ("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")
DEPTH_CLASS_FIELD = "depth_class"
# Light to dark blue: shallow to deep water.
SHALLOW_BLUE, DEEP_BLUE = QColor("#c6dbef"), QColor("#08306b")

# Drawing order, bottom first; tables not named here go above the known ones.
LAYER_ORDER = ("districts", "building_footprints") + HAZARD_LAYERS + ("streets", "street_lights", "sensor_stations",
                                                                     "inspections")

_PLAIN_STYLES = {
    "districts": lambda: QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#4d4d4d", "outline_width": "0.6"}),
    "building_footprints": lambda: QgsFillSymbol.createSimple(
        {"color": "#d9d9d9", "outline_color": "#969696", "outline_width": "0.1"}),
    "streets": lambda: QgsLineSymbol.createSimple({"color": "#737373", "width": "0.5"}),
    "street_lights": lambda: QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#fdb42f", "outline_color": "#7f4f00", "size": "2.4"}),
    "sensor_stations": lambda: QgsMarkerSymbol.createSimple(
        {"name": "triangle", "color": "#31a354", "outline_color": "#00441b", "size": "3.2"}),
    "inspections": lambda: QgsMarkerSymbol.createSimple(
        {"name": "square", "color": "#d7301f", "outline_color": "#67000d", "size": "2.2"}),
}


def _blend(fraction):
    """The colour ``fraction`` (0..1) of the way from shallow to deep blue."""
    channels = zip(SHALLOW_BLUE.getRgb(), DEEP_BLUE.getRgb())
    return QColor(*[round(a + (b - a) * fraction) for a, b in channels])


def depth_order(depth_class):
    """Sort key of a depth class: its first number ("10-30" -> 10, ">100" -> 100, 3 -> 3)."""
    number = re.search(r"\d+(?:\.\d+)?", str(depth_class))
    return (float(number.group()) if number else float("inf"), str(depth_class))


def style_by_depth_class(layer):
    """Categories for every depth class present, light (shallow) to dark (deep) blue."""
    index = layer.fields().indexOf(DEPTH_CLASS_FIELD)
    if index < 0:
        return
    values = sorted((value for value in layer.uniqueValues(index) if value not in (None, NULL)), key=depth_order)
    categories = []
    for position, value in enumerate(values):
        symbol = QgsFillSymbol.createSimple({"outline_style": "no"})
        symbol.setColor(_blend(position / max(len(values) - 1, 1)))
        categories.append(QgsRendererCategory(value, symbol, str(value)))
    layer.setRenderer(QgsCategorizedSymbolRenderer(DEPTH_CLASS_FIELD, categories))
    layer.setOpacity(0.8)


def style_depth_raster(layer):
    provider = layer.dataProvider()
    stats = provider.bandStatistics(1)
    ramp = QgsGradientColorRamp(SHALLOW_BLUE, DEEP_BLUE)
    shader_function = QgsColorRampShader(stats.minimumValue, stats.maximumValue, ramp)
    shader_function.classifyColorRamp(5, 1)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(shader_function)
    layer.setRenderer(QgsSingleBandPseudoColorRenderer(provider, 1, shader))


def postgis_layer(spec, table):
    uri = QgsDataSourceUri()
    uri.setConnection(spec["service"], "", "", "")  # service only: no password in the project
    uri.setDataSource(spec["schema"], table["name"], table["geometry_column"], "", "fid")
    uri.setSrid(str(table["srid"]))
    layer = QgsVectorLayer(uri.uri(False), table["name"], "postgres")
    if not layer.isValid():
        raise SystemExit("PostGIS layer {} is not valid: {}".format(table["name"], layer.error().summary()))
    return layer


def build_project(spec):
    project = QgsProject.instance()
    project.clear()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    project.setTitle(spec["title"])

    for raster in spec.get("rasters", []):
        layer = QgsRasterLayer(raster["path"], raster["name"], "gdal")
        if not layer.isValid():
            raise SystemExit("depth raster {} is not valid".format(raster["path"]))
        style_depth_raster(layer)
        layer.setShortName(raster["name"])
        project.addMapLayer(layer)

    # addMapLayer puts each new layer on top of the tree: add bottom first.
    ranked = sorted(spec["tables"], key=lambda t: (LAYER_ORDER.index(t["name"]) if t["name"] in LAYER_ORDER
                                                   else len(LAYER_ORDER), t["name"]))
    vector_ids, editable_ids = [], []
    for table in ranked:
        layer = postgis_layer(spec, table)
        if table["name"] in HAZARD_LAYERS:
            style_by_depth_class(layer)
        elif table["name"] in _PLAIN_STYLES:
            layer.setRenderer(QgsSingleSymbolRenderer(_PLAIN_STYLES[table["name"]]()))
        layer.setShortName(table["name"])
        if not table.get("extent"):
            # An empty table (inspections) has no extent; OGC API Features' collection list
            # fails on it (HTTP 500). Store the city's extent; the project trusts it (below).
            layer.setExtent(QgsRectangle(*spec["wms_extent"]))
        project.addMapLayer(layer)
        vector_ids.append(layer.id())
        if table["name"] in spec["editable"]:
            editable_ids.append(layer.id())

    project.setTrustLayerMetadata(True)  # read each layer's extent and key from the project
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSServiceTitle", "/", spec["title"])
    project.writeEntry("WMSServiceAbstract", "/", spec.get("abstract", ""))
    project.writeEntry("WMSKeywordList", "/", ["Herne", "Digitaler Zwilling", "Starkregen"])
    project.writeEntry("WMSContactOrganization", "/", "Stadt Herne (lokale Testumgebung)")
    project.writeEntry("WMSExtent", "/", ["{:.3f}".format(v) for v in spec["wms_extent"]])
    project.writeEntry("WMSCrsList", "/", spec["crs_list"])
    project.writeEntry("WMSUseLayerIDs", "/", False)
    project.writeEntry("WMSAddWktGeometry", "/", True)
    project.writeEntry("WMSFeatureInfoUseAttributeFormSettings", "/", False)
    # Capabilities advertise the front's URL, so clients POST transactions through it.
    for service in ("WMSUrl", "WFSUrl", "WCSUrl"):
        project.writeEntry(service, "/", spec["service_url"])
    project.writeEntry("WFSLayers", "/", vector_ids)
    for layer_id in vector_ids:
        project.writeEntry("WFSLayersPrecision", "/" + layer_id, 3)  # metres: millimetres are enough
    for operation in ("Update", "Insert", "Delete"):
        project.writeEntry("WFSTLayers", operation, editable_ids)
    raster_ids = [layer.id() for layer in project.mapLayers().values() if isinstance(layer, QgsRasterLayer)]
    project.writeEntry("WCSLayers", "/", raster_ids)

    if not project.write(spec["project_path"]):
        raise SystemExit("could not write {}: {}".format(spec["project_path"], project.error()))


def main(argv):
    if len(argv) != 2:
        raise SystemExit("usage: make_qgis_project.py SPEC.json")
    with open(argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    app = QgsApplication([], False, spec.get("profile_dir", ""))
    app.initQgis()
    try:
        build_project(spec)
    finally:
        app.exitQgis()
    print(spec["project_path"])


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main(sys.argv)
