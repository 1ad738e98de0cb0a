#!/usr/bin/env python3
"""Benchmark: hernetwin:exportatlas against QGIS's own native:atlaslayouttopdf.

    python scripts/bench/bench_atlas_export.py [--sample build/sample] [--rounds 2] [--buildings 200]
                                               [--dpi 300] [--out build/bench/atlas_export.json]

Two atlases of the sample city at 300 dpi: the 4 districts, and 200 affected buildings (the
buildings the Extremregen depth classes reach, tallest first). Each is exported both ways in
the same run, on the same layout and data: ``hernetwin:exportatlas`` (which also loads the
template, fills legend, as-of and sources, and writes through a temporary file) and
``native:atlaslayouttopdf`` over that very layout, stored in the project, with the same PDF
settings (vector, georeferenced, text as text). The two run alternately, ``--rounds`` times;
the median of each is compared as a ratio (target: at most 1.10). Results go to the JSON file.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for _path in (ROOT, os.path.join(ROOT, "scripts")):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

TARGET_RATIO = 1.10
MAP_LAYERS = ("sensor_stations", "street_lights", "building_footprints", "extremregen", "districts")


def step(text):
    print("bench: " + text, flush=True)


def start_qgis():
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    plugins = os.path.join(QgsApplication.pkgDataPath(), "python", "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    Processing.initialize()
    from herne_twin_plugin.processing.provider import HerneTwinProvider

    provider = HerneTwinProvider()  # kept: the registry does not keep the Python object alive
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def load_city(sample_dir):
    """The sample city's layers in QgsProject.instance(), styled as in the demo."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer

    from herne_twin_plugin.core import styles
    from herne_twin_plugin.core.sample_city import GEOPACKAGE_NAME, generate

    gpkg = os.path.join(sample_dir, GEOPACKAGE_NAME)
    if not os.path.isfile(gpkg):
        step("writing the sample city into " + sample_dir)
        generate(sample_dir, scale="sample")
    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    layers = {}
    for name in reversed(MAP_LAYERS):
        layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
        if not layer.isValid():
            raise SystemExit("bench: cannot open {} in {}".format(name, gpkg))
        project.addMapLayer(layer)
        layers[name] = layer
    styles.style_districts(layers["districts"])
    styles.style_depth_classes(layers["extremregen"])
    styles.style_building_footprints(layers["building_footprints"])
    styles.style_street_lights(layers["street_lights"])
    styles.style_sensor_stations(layers["sensor_stations"])
    return project, layers


def affected_buildings(project, layers, count):
    """A layer of ``count`` buildings the Extremregen depth classes reach (tallest first)."""
    import processing
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    reached = processing.run("native:extractbylocation", {
        "INPUT": layers["building_footprints"], "PREDICATE": [0], "INTERSECT": layers["extremregen"],
        "OUTPUT": "memory:"})["OUTPUT"]
    request = QgsFeatureRequest().addOrderBy('"measured_height"', False).setLimit(count)
    chosen = [feature for feature in reached.getFeatures(request)]
    if len(chosen) < count:  # fewer reached than asked: fill up with the tallest others
        taken = {feature["building_id"] for feature in chosen}
        for feature in layers["building_footprints"].getFeatures(
                QgsFeatureRequest().addOrderBy('"measured_height"', False)):
            if len(chosen) >= count:
                break
            if feature["building_id"] not in taken:
                chosen.append(feature)
    affected = QgsVectorLayer("MultiPolygon?crs=EPSG:25832", "betroffene_gebaeude", "memory")
    affected.dataProvider().addAttributes(reached.fields().toList())
    affected.updateFields()
    affected.dataProvider().addFeatures(chosen)
    affected.updateExtents()
    affected.renderer().symbol().setColor(layers["building_footprints"].renderer().symbol().color())
    project.addMapLayer(affected)
    return affected


def time_ours(coverage, layers, sort, dpi, output):
    import processing

    started = time.perf_counter()
    result = processing.run("hernetwin:exportatlas", {
        "COVERAGE": coverage.id(), "SORT": sort, "LAYERS": [layer.id() for layer in layers], "TEMPLATE": 1,
        "TITLE": "Herne", "DPI": dpi, "SINGLE_FILE": True, "OUTPUT": output})
    return time.perf_counter() - started, result["PAGE_COUNT"]


def time_native(project, coverage, layers, sort, dpi, output):
    """native:atlaslayouttopdf over the layout our algorithm builds, stored in the project."""
    import processing

    from herne_twin_plugin.core.export.atlas import prepare_atlas
    from herne_twin_plugin.core.export.templates import MapTexts

    layout, pages = prepare_atlas(project, coverage, MapTexts(title="Herne"), layers=layers,
                                  template="a4_landscape", sort_expression=sort)
    layout.setName("bench_atlas")
    manager = project.layoutManager()
    old = manager.layoutByName("bench_atlas")
    if old is not None:
        manager.removeLayout(old)
    manager.addLayout(layout)
    started = time.perf_counter()
    processing.run("native:atlaslayouttopdf", {
        "LAYOUT": "bench_atlas", "DPI": dpi, "FORCE_VECTOR": True, "GEOREFERENCE": True, "INCLUDE_METADATA": True,
        "TEXT_FORMAT": 1, "OUTPUT": output})
    return time.perf_counter() - started, pages


def bench(project, name, coverage, layers, sort, dpi, rounds, folder):
    ours, native, pages = [], [], None
    for round_number in range(rounds):
        # alternate which goes first, so caches and warm-up favour neither
        order = ("ours", "native") if round_number % 2 == 0 else ("native", "ours")
        for which in order:
            output = os.path.join(folder, "{}_{}_{}.pdf".format(name, which, round_number))
            if which == "ours":
                seconds, pages = time_ours(coverage, layers, sort, dpi, output)
                ours.append(seconds)
            else:
                seconds, _ = time_native(project, coverage, layers, sort, dpi, output)
                native.append(seconds)
            step("{} {} round {}: {:.1f} s ({:.0f} kB)".format(
                name, which, round_number + 1, seconds, os.path.getsize(output) / 1024))
    result = {"pages": pages, "dpi": dpi, "rounds": rounds,
              "hernetwin_exportatlas_s": ours, "native_atlaslayouttopdf_s": native,
              "median_hernetwin_s": statistics.median(ours), "median_native_s": statistics.median(native)}
    result["overhead_ratio"] = result["median_hernetwin_s"] / result["median_native_s"]
    result["within_target"] = result["overhead_ratio"] <= TARGET_RATIO
    step("{}: {} pages, ours {:.1f} s, native {:.1f} s, ratio {:.3f} (target <= {:.2f})".format(
        name, pages, result["median_hernetwin_s"], result["median_native_s"], result["overhead_ratio"],
        TARGET_RATIO))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=os.path.join(ROOT, "build", "sample"))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "atlas_export.json"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--buildings", type=int, default=200)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()

    app, _provider = start_qgis()
    from qgis.core import Qgis

    try:
        project, layers = load_city(args.sample)
        map_layers = [layers[name] for name in MAP_LAYERS]
        affected = affected_buildings(project, layers, args.buildings)
        results = {}
        with tempfile.TemporaryDirectory(prefix="bench-atlas-") as folder:
            results["districts"] = bench(project, "districts", layers["districts"], map_layers, '"name"', args.dpi,
                                         args.rounds, folder)
            results["affected_buildings"] = bench(project, "affected_buildings", affected, [affected] + map_layers,
                                                  '-"measured_height"', args.dpi, args.rounds, folder)
        report = {
            "benchmark": "hernetwin:exportatlas vs native:atlaslayouttopdf, same layout and data, same run",
            "target_overhead_ratio": TARGET_RATIO,
            "qgis": Qgis.QGIS_VERSION, "python": platform.python_version(), "cores": os.cpu_count(),
            "results": results,
            "within_target": all(r["within_target"] for r in results.values()),
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
        step("written " + args.out)
    finally:
        from qgis.core import QgsProject

        QgsProject.instance().clear()
        app.exitQgis()


if __name__ == "__main__":
    main()
