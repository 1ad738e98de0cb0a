#!/usr/bin/env python3
"""The demo: the Herne twin on the embedded sample data and locally started services.

    python scripts/demo.py --out build/demo [--open | --no-open]

1. writes the synthetic sample city (build/sample) if it is missing;
2. starts the local city backend (PostGIS, QGIS Server, pygeoapi, Mosquitto);
3. builds a QGIS project the way a user does with the plugin's service catalog: the
   Starkregen hazard as WMS from QGIS Server, street lights as WFS (QGIS Server, WFS-T),
   sensor stations as OGC API Features (pygeoapi), districts and buildings from the
   GeoPackage;
4. computes which buildings and street lights stand in water in the Extremregen scenario
   (a second map, build/demo/herne_twin_exposure.pdf/.png);
5. imports the sample's LoD2 CityGML tiles into a GeoPackage and renders the city model in
   3D (build/demo/herne_3d.png, under Xvfb);
6. takes Herne-Mitte's street lights offline in a field package, edits them and adds an
   inspection offline while an office user edits one of the same lights on the server, syncs:
   one conflict, decided per field, synced again (build/demo/field_sync.png);
7. exports the map as PDF and PNG (the visible result without a screen) and saves the
   project; with a screen (``--open``) QGIS opens on it with the plugin loaded;
8. stops every service it started.
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "scripts")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

import city_backend  # noqa: E402
import demo_citymodel  # noqa: E402
from demo_field import show_field_sync  # noqa: E402
from demo_sensors import show_live_sensors  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from herne_twin_plugin.core import styles  # noqa: E402
from herne_twin_plugin.core.catalog import ServiceCatalog  # noqa: E402
from herne_twin_plugin.core.export.map_export import build_layout, export_layout  # noqa: E402
from herne_twin_plugin.core.hazard.hazard_layers import add_exposure_layers  # noqa: E402
from herne_twin_plugin.core.i18n import install_translator  # noqa: E402
from herne_twin_plugin.core.services.layer_factory import add_service_layers  # noqa: E402

# The sample city covers the centre of Herne-Mitte (see core/sample_city/scales.py).
DEMO_EXTENT = QgsRectangle(368850, 5712850, 370550, 5714550)


def step(text):
    print("demo: " + text, flush=True)


def service_layers(catalog, service_id, names, project):
    service = catalog.service(service_id)
    if service is None:
        raise SystemExit("demo: the catalog has no entry {} (is the backend running?)".format(service_id))
    layers = add_service_layers(service, names, project=project)
    step("{}: {} layer(s) from {}".format(service.name, len(layers), service.url))
    return layers


def build_project(sample_dir, catalog, project, footprints):
    """The services' layers and the districts around the city model's ``footprints``."""
    gpkg = os.path.join(sample_dir, "herne_sample.gpkg")
    local = {"building_footprints": footprints}
    districts = QgsVectorLayer("{}|layername=districts".format(gpkg), "districts", "ogr")
    if not districts.isValid():
        raise SystemExit("demo: cannot open the districts in {}".format(gpkg))
    project.addMapLayer(districts)
    local["districts"] = districts
    hazard = service_layers(catalog, "local-wms", ["extremregen"], project)[0]
    lights = service_layers(catalog, "local-wfs", ["street_lights"], project)[0]
    sensors = service_layers(catalog, "local-oapif-pygeoapi", ["sensor_stations"], project)[0]

    styles.style_districts(local["districts"])
    styles.style_building_footprints(local["building_footprints"])
    styles.style_street_lights(lights)
    styles.style_sensor_stations(sensors)
    hazard.setName("Starkregen: Extremregen (WMS)")
    lights.setName("Straßenbeleuchtung (WFS)")
    sensors.setName("LoRaWAN-Sensoren (OGC API)")
    local["districts"].setName("Stadtbezirke")
    local["building_footprints"].setName("Gebäude (LoD2-Grundrisse)")
    # top of the map first
    return [sensors, lights, local["building_footprints"], hazard, local["districts"]], lights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "demo"))
    parser.add_argument("--sample", default=os.path.join(ROOT, "build", "sample"))
    parser.add_argument("--backend-dir", default=os.path.join(ROOT, "build", "backend"))
    parser.add_argument("--open", dest="open_qgis", action="store_true", default=None,
                        help="open QGIS on the demo project (default: when there is a screen)")
    parser.add_argument("--no-open", dest="open_qgis", action="store_false")
    parser.add_argument("--locale", default="de", help="language of the map (default: de)")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    open_qgis = args.open_qgis
    if open_qgis is None:  # a person at a screen gets QGIS; CI and headless runs get the exported map
        open_qgis = bool(os.environ.get("DISPLAY")) and not os.environ.get("CI")

    started = time.monotonic()
    step("sample city in " + args.sample)
    city_backend.ensure_sample_data(args.sample)

    app = QgsApplication([], False)
    app.initQgis()
    translator = install_translator(args.locale)
    try:
        run_demo(args, out, open_qgis)  # its layers and layouts are gone before QGIS exits
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
        del translator
    step("done in {:.0f} s; every service stopped".format(time.monotonic() - started))


def run_demo(args, out, open_qgis):
    """The demo's steps, with the local backend running; every QGIS object it makes is
    released when it returns (before QGIS exits, which otherwise warns at interpreter exit)."""
    step("starting the local city backend (PostGIS, QGIS Server, pygeoapi, Mosquitto)")
    with city_backend.CityBackend(data_dir=args.sample, backend_dir=args.backend_dir) as backend:
        catalog = ServiceCatalog(backend_state_path=os.path.join(backend.backend_dir, "backend.json"))
        project = QgsProject.instance()
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
        project.setTitle("Digitaler Zwilling Herne – Demo (synthetische Daten)")
        step("LoD2 city model: import of the sample CityGML tiles, 2D footprints, 3D view")
        city = demo_citymodel.show_city_model(args.sample, out, project)
        footprints = city["layers"]["building_footprints"]
        layers, lights = build_project(args.sample, catalog, project, footprints)
        step("{} street lights over WFS".format(lights.featureCount()))
        step("live LoRaWAN readings: simulated uplinks over MQTT for a few seconds")
        live = show_live_sensors(backend.state, project, seconds=5)
        counters = live["counters"]
        step("live layer: {} stations updated {} times; {} readings accepted, {} rejected".format(
            live["stations"], len(live["updates"]), counters["accepted"], sum(counters["rejected"].values())))
        layers[0] = live["layer"]  # the map shows the latest readings, not just the stations
        files = export_demo_map(project, layers, "Digitaler Zwilling Herne – Herne-Mitte",
                                "Straßenbeleuchtung, aktuelle Sensorwerte und Starkregengefahr (Extremregen)",
                                os.path.join(out, "herne_twin_demo"))
        exposure = export_exposure_map(project, args.sample, footprints, lights, layers[-1], out)
        files.update(exposure)
        step("field inspection: package, offline edits, office edit, one conflict decided, sync")
        files["field_png"] = show_field_sync(backend.state, out)["png"]
        project_path = os.path.join(out, "herne_twin_demo.qgs")
        project.write(project_path)
        for kind, path in sorted(files.items()):
            step("exported {}: {}".format(kind.upper(), path))
        step("project: {}".format(project_path))
        if open_qgis:
            open_in_qgis(project_path, out)


def export_exposure_map(project, sample_dir, footprints, lights, districts, out):
    """Which buildings and street lights stand in water in the Extremregen scenario: the
    exposure layers (hernetwin:hazardexposure's core) on a second map."""
    raster = os.path.join(sample_dir, "starkregen_extremregen_depth.tif")
    runs = add_exposure_layers(project, [footprints, lights], raster, scenario="extremregen")
    for layer, _run in runs:
        classes = {}
        for feature in layer.getFeatures():
            classes[feature["depth_class"]] = classes.get(feature["depth_class"], 0) + 1
        step("exposure of {}: {}".format(layer.name(), ", ".join(
            "{} {}".format(count, name) for name, count in sorted(classes.items(), key=str))))
    exposed = [layer for layer, _run in reversed(runs)]  # lights over buildings
    files = export_demo_map(project, exposed + [districts], "Starkregen-Betroffenheit – Herne-Mitte",
                            "Gebäude und Straßenleuchten nach Wassertiefe im Szenario Extremregen",
                            os.path.join(out, "herne_twin_exposure"))
    return {"exposure_" + kind: path for kind, path in files.items()}


def export_demo_map(project, layers, title, subject, base_path):
    """One of the demo's A4 maps of Herne-Mitte as <base_path>.pdf and .png: {"pdf": .., "png": ..}."""
    layout = build_layout(project, layers, DEMO_EXTENT, title,
                          subtitle=subject + " – SYNTHETISCHE Beispieldaten, keine echten Anlagen",
                          template="a4_landscape", author="Digitaler Zwilling Herne (Demo)")
    return export_layout(layout, base_path + ".pdf", base_path + ".png", dpi=150)


def open_in_qgis(project_path, out):
    """Open QGIS (real screen) on the demo project with the plugin; returns when QGIS closes."""
    import subprocess

    import qgis_desktop

    profiles = os.path.join(out, "profiles")
    qgis_desktop.make_profile(profiles, locale="de")
    step("opening QGIS; close it to stop the demo services")
    env = qgis_desktop.qgis_environment({"QT_QPA_PLATFORM": "xcb"})
    subprocess.run([qgis_desktop.QGIS_BIN, "--profiles-path", profiles, "--project", project_path], env=env)


if __name__ == "__main__":
    main()
