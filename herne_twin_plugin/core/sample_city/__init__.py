"""A deterministic, plainly synthetic Herne: the sample city for the demo, the local backend,
the tests and the benchmarks.

``generate(output_dir, scale="sample", seed=2601)`` writes into ``output_dir``:

- ``herne_sample.gpkg`` (EPSG:25832): ``districts``, ``streets``, ``street_lights``,
  ``sensor_stations``, ``building_footprints``, ``starkregen_depth_classes`` and one
  layer per Starkregen scenario (``seltener_starkregen``, ``aussergewoehnlicher_starkregen``,
  ``extremregen``: the WMS layer names of Herne's Starkregengefahrenkarte);
- ``starkregen_<scenario>_depth.tif``: water depth in cm (Float32, nodata -9999);
- ``citygml/LoD2_32_{E}_{N}_1_NW.gml``: the buildings as NRW LoD2 CityGML 1.0 tiles;
- ``SYNTHETIC.txt``: what the folder holds, and that none of it is real.

The same seed gives byte-identical files. See ``scales`` for what "sample" and
"full" cover. Nothing written into the files is translated, so the output does
not depend on the user's language either.
"""

import glob
import logging
import os

from ..i18n import tr
from . import citygml_writer, starkregen
from .building_solids import ROOF_LABELS
from .buildings import FUNCTIONS, city_buildings
from .districts import city_outline, herne_districts
from .geometry import as_multipolygon, line_parts, ogr_box, ogr_linestring, ogr_point, ogr_polygon
from .geopackage import LayerData, write_geopackage
from .progress import GenerationCanceled, Progress
from .scales import SCALES, scale_named
from .sensor_stations import FIELDS as SENSOR_FIELDS
from .sensor_stations import sensor_stations
from .street_lights import FIELDS as LIGHT_FIELDS
from .street_lights import city_street_lights
from .streets import city_streets

__all__ = ["generate", "GenerationCanceled", "SCALES", "DEFAULT_SEED", "GEOPACKAGE_NAME", "LAYER_NAMES"]

LOG = logging.getLogger(__name__)

DEFAULT_SEED = 2601
GEOPACKAGE_NAME = "herne_sample.gpkg"
NOTICE_NAME = "SYNTHETIC.txt"
CITYGML_FOLDER = "citygml"
SYNTHETIC = "SYNTHETISCH – Beispieldaten, keine echten Anlagen"
SCENARIO_NAMES = tuple(name for name, _label, _fill in starkregen.SCENARIOS)
LAYER_NAMES = (
    "districts", "streets", "street_lights", "sensor_stations", "building_footprints",
    "starkregen_depth_classes",
) + SCENARIO_NAMES

_STEPS = (
    ("network", 3), ("buildings", 12), ("hazard", 3), ("geopackage", 12), ("rasters", 25), ("citygml", 45),
)
_DESCRIPTIONS = {
    "districts": "Die vier Stadtbezirke Herne-Mitte, Wanne, Eickel und Sodingen (vereinfacht).",
    "streets": "Straßennetz: Hauptverkehrsstraßen mit ihren Namen, Wohnstraßen generiert.",
    "street_lights": "Straßenbeleuchtung: Lichtpunkte mit Mast, Leuchtmittel, Steuerung und Prüfdatum.",
    "sensor_stations": "LoRaWAN-Sensorstationen: Luftqualität, Pegel, Parken, Bodenfeuchte, Stadtklima.",
    "building_footprints": "Gebäudegrundrisse; building_id ist die gml:id im CityGML (LoD2).",
    "starkregen_depth_classes": "Starkregen: Wassertiefenklassen (cm) der drei Szenarien.",
}


def generate(output_dir, scale="sample", seed=DEFAULT_SEED, feedback=None):
    """Write the sample city into ``output_dir``; return its paths and feature counts.

    ``scale`` is "sample" (the centre of Herne-Mitte: seconds, 70 MB) or "full" (all
    of Herne: about a minute, 650 MB); ``feedback`` is anything with ``setProgress``, ``pushInfo``
    and ``isCanceled`` (a QgsProcessingFeedback) or None. Raises ValueError for
    bad arguments and GenerationCanceled when the feedback is canceled.
    """
    city_scale = scale_named(scale)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(tr("The seed must be a whole number, not {!r}.").format(seed))
    output_dir = os.fspath(output_dir)
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise ValueError(tr("The output folder {} is a file, not a folder.").format(output_dir))
    os.makedirs(output_dir, exist_ok=True)
    progress = Progress(feedback, _STEPS)
    result = _generate(output_dir, city_scale, seed, progress)
    progress.finish()
    LOG.info("Sample city (%s, seed %s) written to %s", city_scale.name, seed, output_dir)
    return result


def _generate(output_dir, scale, seed, progress):
    progress.begin("network", tr("Districts, streets and street lights"))
    districts = herne_districts()
    streets = city_streets(seed, districts)
    all_lights = city_street_lights(seed, streets, districts)
    lights = [light for light in all_lights if scale.contains(light.x, light.y)]
    hollows = starkregen.city_hollows(seed, city_outline())
    stations = sensor_stations(seed, scale, streets, all_lights, hollows, districts)

    progress.begin("buildings", tr("Buildings"))
    buildings = city_buildings(seed, streets, districts, scale, progress)

    progress.begin("hazard", tr("Starkregen depth classes"))
    depth_areas = starkregen.depth_class_areas(hollows, scale.bounds)

    progress.begin("geopackage", tr("Writing the GeoPackage"))
    layers = _layers(districts, _streets_within(streets, scale), lights, stations, buildings, depth_areas)
    gpkg_path = os.path.join(output_dir, GEOPACKAGE_NAME)
    partial = os.path.join(output_dir, ".partial_" + GEOPACKAGE_NAME)
    _remove(partial)
    write_geopackage(partial, layers, progress.fraction)
    os.replace(partial, gpkg_path)

    progress.begin("rasters", tr("Writing the Starkregen depth rasters"))
    rasters = {}
    for index, (scenario, label, fill) in enumerate(starkregen.SCENARIOS):
        path = os.path.join(output_dir, starkregen.raster_file_name(scenario))
        partial = os.path.join(output_dir, ".partial_" + os.path.basename(path))
        _remove(partial)
        metadata = {
            "TIFFTAG_IMAGEDESCRIPTION": "{}. Starkregen {}: Wassertiefe in cm".format(SYNTHETIC, label),
            "SCENARIO": scenario, "SCENARIO_LABEL": label, "SEED": str(seed),
        }

        def report(value, index=index):
            progress.fraction((index + value) / len(starkregen.SCENARIOS))

        starkregen.write_depth_raster(partial, hollows, fill, scale.bounds, scale.raster_resolution, metadata,
                                      report)
        os.replace(partial, path)
        rasters[scenario] = path

    progress.begin("citygml", tr("Writing the CityGML tiles"))
    citygml_dir = os.path.join(output_dir, CITYGML_FOLDER)
    os.makedirs(citygml_dir, exist_ok=True)
    for stale in glob.glob(os.path.join(citygml_dir, "LoD2_32_*_1_NW.*")):
        os.remove(stale)  # tiles (and GDAL's .gfs) of an earlier run
    notice = "{} (Herne sample city, seed {}, scale {})".format(SYNTHETIC, seed, scale.name)
    tiles = citygml_writer.write_tiles(citygml_dir, buildings, seed, notice, progress)

    counts = {layer.name: len(layer.rows) for layer in layers}
    counts["citygml_tiles"] = len(tiles)
    notice_path = os.path.join(output_dir, NOTICE_NAME)
    _write_notice(notice_path, scale, seed, counts)
    return {
        "output_dir": output_dir,
        "geopackage": gpkg_path,
        "depth_rasters": rasters,
        "citygml_dir": citygml_dir,
        "citygml_tiles": [tiles[name] for name in sorted(tiles)],
        "synthetic_notice": notice_path,
        "counts": counts,
        "scale": scale.name,
        "seed": seed,
    }


def _streets_within(streets, scale, margin=50.0):
    """(street, coords) of the streets' pieces inside the scale's bounds and a margin
    (so that a light or house at the edge still has its street)."""
    xmin, ymin, xmax, ymax = scale.bounds
    xmin, ymin, xmax, ymax = xmin - margin, ymin - margin, xmax + margin, ymax + margin
    box = ogr_box(xmin, ymin, xmax, ymax)
    result = []
    for street in streets:
        if all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in street.coords):
            result.append((street, street.coords))
            continue
        for piece in line_parts(ogr_linestring(street.coords).Intersection(box)):
            if len(piece) >= 2:
                result.append((street, piece))
    return result


def _layers(districts, street_pieces, lights, stations, buildings, depth_areas):
    def described(name):
        return "{}. {}".format(SYNTHETIC, _DESCRIPTIONS.get(name, "Starkregen: Wassertiefenklassen (cm)."))

    layers = [
        LayerData("districts", "MultiPolygon",
                  (("district_id", "int"), ("name", "str"), ("population", "int")), described("districts"),
                  [(as_multipolygon(d.geometry),
                    {"district_id": d.district_id, "name": d.name, "population": d.population})
                   for d in districts]),
        LayerData("streets", "LineString",
                  (("name", "str"), ("district", "str"), ("street_class", "str")), described("streets"),
                  [(ogr_linestring(coords),
                    {"name": s.name, "district": s.district, "street_class": s.street_class})
                   for s, coords in street_pieces]),
        LayerData("street_lights", "Point", LIGHT_FIELDS, described("street_lights"),
                  [(ogr_point(light.x, light.y), light.attributes) for light in lights]),
        LayerData("sensor_stations", "Point", SENSOR_FIELDS, described("sensor_stations"),
                  [(ogr_point(station.x, station.y), station.attributes) for station in stations]),
        LayerData("building_footprints", "MultiPolygon",
                  (("building_id", "str"), ("function_code", "str"), ("function_label", "str"),
                   ("measured_height", "real"), ("roof_type", "int"), ("roof_type_label", "str"),
                   ("ground_height", "real"), ("storey_parts", "int"), ("district", "str"), ("street", "str"),
                   ("house_number", "str"), ("citygml_tile", "str")),
                  described("building_footprints"),
                  [(as_multipolygon(ogr_polygon(b.footprint)), {
                      "building_id": b.building_id, "function_code": b.function_code,
                      "function_label": FUNCTIONS[b.function_code], "measured_height": b.measured_height,
                      "roof_type": b.roof_type, "roof_type_label": ROOF_LABELS[b.roof_type],
                      "ground_height": b.ground_z, "storey_parts": len(b.parts), "district": b.district,
                      "street": b.street, "house_number": b.house_number or None, "citygml_tile": b.tile,
                  }) for b in buildings]),
    ]
    depth_rows = [
        (as_multipolygon(polygon), {
            "scenario": scenario, "scenario_label": label, "depth_class": name,
            "depth_min_cm": lower, "depth_max_cm": upper,
        })
        for scenario, label, name, lower, upper, polygon in depth_areas
    ]
    layers.append(LayerData("starkregen_depth_classes", "MultiPolygon", starkregen.FIELDS,
                            described("starkregen_depth_classes"), depth_rows))
    for scenario, label, _fill in starkregen.SCENARIOS:
        layers.append(LayerData(scenario, "MultiPolygon", starkregen.FIELDS,
                                "{}. Starkregen, Szenario {}: Wassertiefenklassen (cm).".format(SYNTHETIC, label),
                                [row for row in depth_rows if row[1]["scenario"] == scenario]))
    return layers


def _write_notice(path, scale, seed, counts):
    lines = [
        SYNTHETIC,
        "SYNTHETIC - sample data, no real assets",
        "",
        "Diese Daten sind erfunden: ein generiertes Herne an echten Koordinaten (EPSG:25832,",
        "Höhen DHHN2016), für Demo, Tests und Benchmarks des QGIS-Plugins \"Digitaler Zwilling Herne\".",
        "Keine Straßenleuchte, kein Sensor, kein Gebäude und keine Überflutungsfläche hier ist echt.",
        "",
        "This folder was generated by herne_twin_plugin.core.sample_city. Nothing in it describes",
        "real assets, buildings or flood hazards of the city of Herne.",
        "",
        "scale: {} (bounds E {:.0f}-{:.0f}, N {:.0f}-{:.0f})".format(scale.name, *_bounds_order(scale.bounds)),
        "seed: {}".format(seed),
        "",
        "{}:".format(GEOPACKAGE_NAME),
    ]
    lines += ["  {}: {} features".format(name, counts[name]) for name in LAYER_NAMES]
    lines += [
        "starkregen_<scenario>_depth.tif: water depth in cm, Float32, nodata -9999, {} m cells".format(
            _metres(scale.raster_resolution)),
        "{}/LoD2_32_<E>_<N>_1_NW.gml: {} tiles, NRW LoD2 CityGML 1.0".format(CITYGML_FOLDER, counts["citygml_tiles"]),
        "",
    ]
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines))


def _bounds_order(bounds):
    xmin, ymin, xmax, ymax = bounds
    return xmin, xmax, ymin, ymax


def _metres(value):
    return "{:g}".format(value)


def _remove(path):
    if os.path.exists(path):
        os.remove(path)
