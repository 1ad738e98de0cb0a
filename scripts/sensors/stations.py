"""The sample city's sensor stations as plain records, for the fixture server and the simulator.

``load_stations(gpkg=None, scale="sample", count=None)``: from a GeoPackage's
``sensor_stations`` layer when given (or build/sample/herne_sample.gpkg for the
sample scale, generated there if missing), else generated in memory by
core/sample_city for the scale ("full": Herne's 2,000 stations, in about a second,
without writing the 650 MB full city). Each record holds the layer's fields, ``x``/``y``
(EPSG:25832), ``lon``/``lat`` (WGS 84) and ``properties``/``units`` as lists.
"""

import json
import os
import sys

SCRIPTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

SAMPLE_DIR = os.path.join(REPO_ROOT, "build", "sample")
LAYER = "sensor_stations"


def _finish(records):
    from osgeo import osr

    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.ImportFromEPSG(25832)
    target.ImportFromEPSG(4326)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    for record in records:
        lon, lat, _z = transform.TransformPoint(record["x"], record["y"])
        record["lon"], record["lat"] = round(lon, 7), round(lat, 7)
        record["property_list"] = [part for part in (record.get("observed_properties") or "").split(",") if part]
        record["unit_list"] = [part for part in (record.get("units") or "").split(",")]
        record["threshold_map"] = json.loads(record["thresholds"]) if record.get("thresholds") else {}
    return records


def read_geopackage(path):
    from osgeo import ogr

    source = ogr.Open(path)
    if source is None or source.GetLayerByName(LAYER) is None:
        raise ValueError("{} has no layer {}".format(path, LAYER))
    records = []
    for feature in source.GetLayerByName(LAYER):
        record = {key: (str(value).replace("/", "-") if key == "commissioned" and value is not None else value)
                  for key, value in feature.items().items()}
        point = feature.GetGeometryRef()
        record["x"], record["y"] = point.GetX(), point.GetY()
        records.append(record)
    return _finish(records)


def generate_records(scale="sample", seed=None):
    """The stations of ``scale`` straight from the sample city generator (nothing written)."""
    from herne_twin_plugin.core.sample_city import DEFAULT_SEED, starkregen
    from herne_twin_plugin.core.sample_city.districts import city_outline, herne_districts
    from herne_twin_plugin.core.sample_city.scales import scale_named
    from herne_twin_plugin.core.sample_city.sensor_stations import sensor_stations
    from herne_twin_plugin.core.sample_city.street_lights import city_street_lights
    from herne_twin_plugin.core.sample_city.streets import city_streets

    seed = DEFAULT_SEED if seed is None else seed
    districts = herne_districts()
    streets = city_streets(seed, districts)
    lights = city_street_lights(seed, streets, districts)
    hollows = starkregen.city_hollows(seed, city_outline())
    records = []
    for station in sensor_stations(seed, scale_named(scale), streets, lights, hollows, districts):
        record = dict(station.attributes)
        record["commissioned"] = record["commissioned"].isoformat()
        record["x"], record["y"] = station.x, station.y
        records.append(record)
    return _finish(records)


def load_stations(gpkg=None, scale="sample", count=None):
    """The station records (see the module doc), the first ``count`` of them if given."""
    if gpkg:
        records = read_geopackage(gpkg)
    elif scale == "sample":
        path = os.path.join(SAMPLE_DIR, "herne_sample.gpkg")
        if not os.path.exists(path):
            from herne_twin_plugin.core.sample_city import generate

            generate(SAMPLE_DIR, scale="sample")
        records = read_geopackage(path)
    else:
        records = generate_records(scale)
    if count is not None:
        if count > len(records):
            raise ValueError("only {} stations at scale {}, not {}".format(len(records), scale, count))
        records = records[:count]
    return records


def stations_for_count(count, gpkg=None):
    """``count`` stations: from the sample city when it has enough, else from the full city."""
    if gpkg:
        return load_stations(gpkg, count=count)
    if count <= 60:
        return load_stations(scale="sample", count=count)
    return load_stations(scale="full", count=count)
