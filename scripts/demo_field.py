#!/usr/bin/env python3
"""The demo's field step: an inspection package of one district's street lights, edited offline,
synced with one conflict against an office edit, the conflict decided, synced again.

    .venv/bin/python scripts/demo_field.py [--dir build/backend] [--out build/demo] [--district Herne-Mitte]

Needs a running local backend (``scripts/city_backend.py start``); from the demo::

    from demo_field import show_field_sync
    result = show_field_sync(backend.state, out_dir)
    result["receipts"], result["png"], result["server"], ...

Steps (everything through the plugin's core, as the wizard and the sync dialog do):

1. package (core.field.package.make_package): the street lights of the district from the WFS
   of the local QGIS Server, the inspection layer beside them, an offline basemap rendered from
   the WMS, a project that opens without a network;
2. offline, in the package's own project: the inspector changes three lights (one of them:
   lamp type, wattage and mast height) and records an inspection of it; inspector, time and
   UUID are filled in by the form's defaults;
3. meanwhile an office user changes the same light over WFS-T in QGIS (a work order: the
   same lamp type, another wattage and mast height);
4. sync (core.field.sync.run_sync): the other lights and the inspection go to the server, the
   light edited on both sides becomes one conflict with two fields; nothing is overwritten;
5. the conflict is decided per field: the mast height as measured in the field (mine), the
   wattage from the work order (theirs); the second sync pushes the decision;
6. the receipts of both syncs are printed and a small map of the inspected lights is
   exported to ``<out>/field_sync.png``.
"""

import argparse
import os
import shutil
import sys
import time

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
for _path in (SCRIPTS_DIR, REPO_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SAMPLE_GPKG = "herne_sample.gpkg"
PACKAGE_NAME = "begehung_strassenbeleuchtung"
INSPECTOR = "Demo-Prüferin (synthetisch)"
BASEMAP_LAYERS = ["streets"]  # the WMS layer rendered as the package's offline basemap
BASEMAP_RESOLUTION_M = 4.0  # coarse: the demo must stay quick
# The inspector's edits: light 0 is also changed in the office (-> one conflict).
FIELD_EDITS = (
    {"lamp_type": "LED", "wattage_w": 40, "mast_height_m": 8.5},
    {"last_inspection": "2026-11-20"},
    {"control_unit": "LoRaWAN-Knoten"},
)
OFFICE_EDIT = {"lamp_type": "LED", "wattage_w": 55, "mast_height_m": 9.0}  # a work order, same light
DECISIONS = {"mast_height_m": "mine", "wattage_w": "theirs"}


class DemoError(RuntimeError):
    """The field demo could not run; the message says why."""


def _step(text):
    print("demo field: " + text, flush=True)


def _service_layer(catalog, service_id, names, project):
    from herne_twin_plugin.core.services.layer_factory import LayerLoadError, add_service_layers

    service = catalog.service(service_id)
    if service is None:
        raise DemoError("the catalog has no entry {} (is the local backend running?)".format(service_id))
    try:
        layers = add_service_layers(service, names, project=project)
    except LayerLoadError as error:
        raise DemoError("{}: {}".format(service.name, error)) from error
    return layers[0]


def _package_layer(project, table):
    for layer in project.mapLayers().values():
        if layer.providerType() == "ogr" and "layername={}".format(table) in layer.source():
            return layer
    raise DemoError("the package project has no layer {}".format(table))


def _qvalue(field, value):
    from qgis.PyQt.QtCore import QDate, QVariant

    if field.type() == QVariant.Date:
        return QDate.fromString(value, "yyyy-MM-dd")
    return value


def _differs(feature, changes):
    """Whether every value of ``changes`` is a change for ``feature`` (else the story loses a conflict)."""
    def plain(value):
        return value.toString("yyyy-MM-dd") if hasattr(value, "toString") else value

    return all(plain(feature[name]) != value for name, value in changes.items())


def _lights_to_edit(lights):
    """One light per FIELD_EDITS, by light point number, each edit a real change; the first one's
    base differs from the office's values too."""
    chosen = []
    for feature in sorted(lights.getFeatures(), key=lambda f: f["light_point_no"]):
        wanted = FIELD_EDITS[len(chosen)]
        if _differs(feature, wanted) and (chosen or _differs(feature, OFFICE_EDIT)):
            chosen.append(feature)
            if len(chosen) == len(FIELD_EDITS):
                return chosen
    raise DemoError("the package holds too few street lights to edit")


def _edit_lights(lights, keys):
    """The inspector's edits of FIELD_EDITS on the lights ``keys`` (in QGIS's edit buffer)."""
    fields = lights.fields()
    by_key = {feature["light_uuid"]: feature.id() for feature in lights.getFeatures()}
    lights.startEditing()
    for key, changes in zip(keys, FIELD_EDITS):
        lights.changeAttributeValues(by_key[key], {
            fields.indexOf(name): _qvalue(fields.field(name), value) for name, value in changes.items()})
    if not lights.commitChanges():
        raise DemoError("the package's street lights could not be saved: {}".format(lights.commitErrors()))


def _add_inspection(project, inspections, light):
    """An inspection of ``light`` as the form makes it: the defaults fill UUID, inspector and time."""
    from qgis.core import QgsExpressionContextUtils, QgsVectorLayerUtils

    from herne_twin_plugin.core.field.inspection import INSPECTOR_VARIABLE, STATUS_OPEN

    # A project variable, not the profile's global one: the demo leaves the user's settings alone.
    QgsExpressionContextUtils.setProjectVariable(project, INSPECTOR_VARIABLE, INSPECTOR)
    context = inspections.createExpressionContext()
    context.appendScope(QgsExpressionContextUtils.projectScope(project))
    fields = inspections.fields()
    values = {"asset_layer": "street_lights", "asset_key": light["light_uuid"], "condition": 4,
              "defects": "{mast_tilted,cover_damaged}", "status": STATUS_OPEN,
              "notes": "Mast leicht geneigt, Abdeckung gerissen; Leuchte auf LED umgerüstet (synthetisch)"}
    inspections.startEditing()  # first, as in QGIS: the form's unique check reads the layer opened for editing
    feature = QgsVectorLayerUtils.createFeature(
        inspections, light.geometry(), {fields.indexOf(name): value for name, value in values.items()}, context)
    if not inspections.addFeature(feature) or not inspections.commitChanges():
        raise DemoError("the inspection could not be saved: {}".format(inspections.commitErrors()))
    return {name: feature[name] for name in ("inspection_uuid", "inspector", "inspected_at")}


def _office_edit(lights_wfs, key):
    """The office user's change of the same light, over WFS-T in QGIS."""
    fields = lights_wfs.fields()
    lights_wfs.setSubsetString("")
    target = next((f for f in lights_wfs.getFeatures() if f["light_uuid"] == key), None)
    if target is None:
        raise DemoError("light {} is not on the WFS".format(key))
    lights_wfs.startEditing()
    lights_wfs.changeAttributeValues(target.id(), {fields.indexOf(name): value for name, value in OFFICE_EDIT.items()})
    if not lights_wfs.commitChanges():
        raise DemoError("the office edit over WFS-T failed: {}".format(lights_wfs.commitErrors()))


def _server_state(gpkg, table, keys):
    """The server's current values of these features, read through the package's transport."""
    import sqlite3

    from herne_twin_plugin.core.field import manifest
    from herne_twin_plugin.core.field.transports import transport_for

    connection = sqlite3.connect(gpkg)
    try:
        layer = manifest.read(connection).layer(table)
    finally:
        connection.close()
    found = transport_for(layer).features_by_key(keys)
    return {key: dict(found[key].values) for key in keys if key in found}


def _export_map(project, lights, inspections, basemap, keys, png_path, districts=None):
    """A small map: the inspected lights labelled with their number, the inspection, the basemap;
    ``districts`` (not drawn on the map) give the overview frame Herne's outline."""
    from qgis.core import (
        QgsPalLayerSettings,
        QgsRectangle,
        QgsTextBufferSettings,
        QgsTextFormat,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor, QFont

    from herne_twin_plugin.core.export.map_export import build_layout, export_layout
    from herne_twin_plugin.core.styles import style_districts

    extent = QgsRectangle()
    for feature in lights.getFeatures():
        if feature["light_uuid"] in keys:
            extent.combineExtentWith(feature.geometry().boundingBox())
    extent.grow(120.0)
    inspected = lights.clone()  # the office's street-light style, only the lights edited in the field
    inspected.setSubsetString('"light_uuid" IN ({})'.format(", ".join("'{}'".format(key) for key in keys)))
    inspected.setName("Im Feld geprüfte Leuchten")
    label = QgsPalLayerSettings()
    label.fieldName = "light_point_no"
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans", 9, QFont.Bold))
    text.setSize(9)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    label.setFormat(text)
    label.dist = 1.5
    inspected.setLabeling(QgsVectorLayerSimpleLabeling(label))
    inspected.setLabelsEnabled(True)
    project.addMapLayer(inspected)
    if districts is not None:  # the overview map takes a project's district layer
        outline = districts.clone()
        style_districts(outline)
        project.addMapLayer(outline)
    lights.setName("Straßenleuchten (Feldpaket)")
    inspections.setName("Begehungen")
    layers = [inspections, inspected, lights] + ([basemap] if basemap is not None else [])
    layout = build_layout(
        project, layers, extent, "Begehung Straßenbeleuchtung – Abgleich",
        subtitle="Offline geprüfte Leuchten und Begehung nach dem Abgleich mit dem Server – "
                 "SYNTHETISCHE Beispieldaten, keine echten Anlagen",
        template="a4_landscape", author="Digitaler Zwilling Herne (Demo)")
    if basemap is not None:  # a rendered basemap has no legend worth showing (three colour bands)
        legend = layout.itemById("legend")
        node = legend.model().rootGroup().findLayer(basemap.id()) if legend is not None else None
        if node is not None:
            node.parent().removeChildNode(node)
    return export_layout(layout, png_path=png_path, dpi=110)["png"]


def show_field_sync(backend_state, out_dir, district="Herne-Mitte", with_basemap=True):
    """Run the field step (see the module docstring) on a running backend. Returns a dict with
    ``package_dir``, ``lights`` (the edited keys, the first one in conflict), ``first`` and
    ``second`` (SyncReports), ``conflict`` (the OpenConflict), ``decided``, ``server`` (the
    server's values of the edited lights after the second sync), ``inspection``, ``receipts``
    and ``png``. Raises DemoError when the backend or its data are missing."""
    from qgis.core import QgsProject, QgsVectorLayer

    from herne_twin_plugin.core.catalog import ServiceCatalog
    from herne_twin_plugin.core.field import sync
    from herne_twin_plugin.core.field.package import PackageError, district_area, make_package

    started = time.monotonic()
    state_path = os.path.join(backend_state.get("dir") or "", "backend.json")
    gpkg = os.path.join(backend_state.get("data_dir") or "", SAMPLE_GPKG)
    if not backend_state.get("wfs_url") or not os.path.isfile(state_path):
        raise DemoError("no running local backend (backend.json with a wfs_url); start scripts/city_backend.py")
    if not os.path.isfile(gpkg):
        raise DemoError("no sample GeoPackage at {} (the backend's data_dir)".format(gpkg))
    catalog = ServiceCatalog(backend_state_path=state_path)
    office = QgsProject()  # the office's QGIS, online
    lights_wfs = _service_layer(catalog, "local-wfs", ["street_lights"], office)
    basemap = _service_layer(catalog, "local-wms", BASEMAP_LAYERS, office) if with_basemap else None
    districts = QgsVectorLayer("{}|layername=districts".format(gpkg), "districts", "ogr")
    try:
        area = district_area(districts, district)
    except PackageError as error:
        raise DemoError(str(error)) from error

    folder = os.path.join(out_dir, "field")
    os.makedirs(folder, exist_ok=True)
    shutil.rmtree(os.path.join(folder, PACKAGE_NAME), ignore_errors=True)  # the previous demo run's package
    _step("packaging the street lights of {} (WFS), the inspection layer and an offline basemap (WMS)".format(
        district))
    try:
        made = make_package([lights_wfs], area, output_dir=folder, name=PACKAGE_NAME, basemap=basemap,
                            basemap_resolution=BASEMAP_RESOLUTION_M,
                            title="Begehung Straßenbeleuchtung {}".format(district))
    except PackageError as error:
        raise DemoError(str(error)) from error
    _step("package {}: {}".format(made.package_dir, ", ".join(
        "{} {}".format(count, table) for table, count in sorted(made.feature_counts.items()))))

    # Offline: the inspector opens the package's project (no network needed) and works in it.
    field = QgsProject()
    if not field.read(made.project_path):
        raise DemoError("the package project {} does not open: {}".format(made.project_path, field.error()))
    lights = _package_layer(field, "street_lights")
    inspections = _package_layer(field, "inspections")
    chosen = _lights_to_edit(lights)
    keys = [feature["light_uuid"] for feature in chosen]
    _edit_lights(lights, keys)
    inspection = _add_inspection(field, inspections, chosen[0])
    _step("offline: {} lights changed, inspection {} by {} at {}".format(
        len(keys), inspection["inspection_uuid"], inspection["inspector"], inspection["inspected_at"]))

    _office_edit(lights_wfs, keys[0])
    _step("office: light {} changed on the server meanwhile (WFS-T)".format(chosen[0]["light_point_no"]))

    first = sync.run_sync(made.package_dir)
    _step("sync 1: " + first.text().replace("\n", " "))
    conflicts = sync.open_conflicts(made.package_dir)
    if len(conflicts) != 1:
        raise DemoError("expected one conflict, the sync shows {}".format(len(conflicts)))
    conflict = conflicts[0]
    for item in conflict.conflicts:
        _step("conflict {} {}: base {!r}, mine {!r}, server {!r}".format(
            chosen[0]["light_point_no"], item.field, item.base, item.mine, item.theirs))
    choices = {item.field: DECISIONS.get(item.field, "mine") for item in conflict.conflicts}
    decided = sync.resolve_conflict(made.package_dir, conflict.table, conflict.key, choices)
    _step("decided: " + ", ".join("{} = {}".format(name, choice) for name, choice in sorted(choices.items())))
    second = sync.run_sync(made.package_dir)
    _step("sync 2: " + second.text().replace("\n", " "))

    receipts = sync.receipts(made.package_dir)
    for receipt in receipts:
        _step("receipt {} {} {} {}: {}{}".format(receipt.sync_id, receipt.table, receipt.op, receipt.key,
                                                  receipt.outcome, " ({})".format(receipt.message)
                                                  if receipt.message else ""))
    server = _server_state(made.gpkg_path, "street_lights", keys)
    lights.reload()
    png = _export_map(field, lights, inspections, _package_basemap(field), keys,
                      os.path.join(out_dir, "field_sync.png"), districts)
    _step("map of the inspected lights: {} ({:.1f} s in all)".format(png, time.monotonic() - started))
    return {"package_dir": made.package_dir, "gpkg": made.gpkg_path, "lights": keys, "first": first,
            "second": second, "conflict": conflict, "choices": choices, "decided": decided, "server": server,
            "inspection": inspection, "receipts": receipts, "png": png, "project": field}


def _package_basemap(project):
    from qgis.core import QgsRasterLayer

    return next((layer for layer in project.mapLayers().values() if isinstance(layer, QgsRasterLayer)), None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=os.path.join(REPO_ROOT, "build", "backend"), help="backend dir")
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "build", "demo"))
    parser.add_argument("--district", default="Herne-Mitte")
    parser.add_argument("--no-basemap", action="store_true", help="package without the offline basemap")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    from city_backend import BackendError, read_state
    from qgis.core import QgsApplication

    try:
        state = read_state(args.dir)
    except BackendError as error:
        print("demo field: {}".format(error), file=sys.stderr)
        return 2
    app = QgsApplication([], False)
    app.initQgis()
    try:
        show_field_sync(state, os.path.abspath(args.out), args.district, with_basemap=not args.no_basemap)
    except DemoError as error:
        print("demo field: {}".format(error), file=sys.stderr)
        return 1
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
