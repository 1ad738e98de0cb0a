"""The synthetic Herne sample city, checked the way a user of the data would check it.

One sample city is generated per test session (``sample_city``); the Processing
algorithm writes a second one with the same seed, which must be byte-identical.
"""

import collections
import glob
import hashlib
import json
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid

import pytest
from lxml import etree
from osgeo import gdal, ogr
from qgis.core import (
    NULL,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRectangle,
    QgsSpatialIndex,
    QgsVectorLayer,
)

from herne_twin_plugin.core.sample_city import GenerationCanceled, generate

SEED = 2601
LAYERS = (
    "districts", "streets", "street_lights", "sensor_stations", "building_footprints",
    "starkregen_depth_classes", "seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen",
)
SCENARIOS = ("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")
CLASS_BOUNDS = {"10-30": (10, 30), "30-50": (30, 50), "50-100": (50, 100), ">100": (100, None)}
NS = {
    "core": "http://www.opengis.net/citygml/1.0",
    "bldg": "http://www.opengis.net/citygml/building/1.0",
    "gen": "http://www.opengis.net/citygml/generics/1.0",
    "gml": "http://www.opengis.net/gml",
    "xlink": "http://www.w3.org/1999/xlink",
}
GML_ID = "{http://www.opengis.net/gml}id"
HREF = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="session")
def sample_city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("sample_city")), scale="sample", seed=SEED)


@pytest.fixture(scope="session")
def sample_tiles(sample_city):
    """{tile file name: parsed lxml tree} of the sample's CityGML tiles."""
    return {os.path.basename(path): etree.parse(path) for path in sample_city["citygml_tiles"]}


def open_layer(city, name):
    layer = QgsVectorLayer("{}|layername={}".format(city["geopackage"], name), name, "ogr")
    assert layer.isValid(), name
    return layer


def features(city, name):
    return list(open_layer(city, name).getFeatures())


def file_hashes(folder):
    hashes = {}
    for path in sorted(glob.glob(os.path.join(folder, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                hashes[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


# --- the GeoPackage ----------------------------------------------------------------------------


def test_geopackage_opens_in_qgis_with_the_named_layers_in_epsg_25832(sample_city):
    for name in LAYERS:
        layer = open_layer(sample_city, name)
        assert layer.crs().authid() == "EPSG:25832", name
        assert layer.featureCount() > 0, name


def test_every_layer_and_the_folder_say_the_data_is_synthetic(sample_city):
    with sqlite3.connect(sample_city["geopackage"]) as db:
        descriptions = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
    assert set(LAYERS) <= set(descriptions)
    for name in LAYERS:
        assert descriptions[name].startswith("SYNTHETISCH – Beispieldaten, keine echten Anlagen"), name
    with open(os.path.join(sample_city["output_dir"], "SYNTHETIC.txt"), encoding="utf-8") as handle:
        notice = handle.read()
    assert "SYNTHETISCH" in notice and "no real assets" in notice
    assert "seed: {}".format(SEED) in notice
    for path in sample_city["depth_rasters"].values():
        assert "SYNTHETISCH" in gdal.Info(path)
    with open(sample_city["citygml_tiles"][0], encoding="utf-8") as handle:
        assert "SYNTHETISCH" in handle.read(2000)


def test_counts_are_in_the_expected_range(sample_city):
    counts = {name: open_layer(sample_city, name).featureCount() for name in LAYERS}
    assert counts["districts"] == 4
    assert 1200 <= counts["street_lights"] <= 1800
    assert counts["sensor_stations"] == 60
    assert 3000 <= counts["building_footprints"] <= 8000
    assert 30 <= counts["streets"] <= 300
    assert counts["starkregen_depth_classes"] == sum(counts[name] for name in SCENARIOS)
    assert sample_city["counts"] == {**counts, "citygml_tiles": len(sample_city["citygml_tiles"])}


def test_districts_tile_herne_at_its_real_location(sample_city):
    districts = {f["name"]: f for f in features(sample_city, "districts")}
    assert set(districts) == {"Herne-Mitte", "Wanne", "Eickel", "Sodingen"}
    geometries = [f.geometry() for f in districts.values()]
    union = QgsGeometry.unaryUnion(geometries)
    total = sum(g.area() for g in geometries)
    assert 49e6 <= union.area() <= 54e6  # Herne: about 51 km²
    assert abs(total - union.area()) < 1.0  # no overlaps
    assert len(union.asGeometryCollection()) == 1 and len(union.asPolygon()) == 1  # one piece, no gaps
    box = union.boundingBox()
    assert box.xMinimum() >= 364000 and box.xMaximum() <= 375000
    assert box.yMinimum() >= 5711000 and box.yMaximum() <= 5719000
    centre = {name: f.geometry().centroid().asPoint() for name, f in districts.items()}
    assert centre["Wanne"].x() < centre["Herne-Mitte"].x() and centre["Wanne"].y() > centre["Eickel"].y()
    assert centre["Eickel"].x() < centre["Herne-Mitte"].x()
    assert centre["Sodingen"].x() > centre["Herne-Mitte"].x()
    assert districts["Herne-Mitte"].geometry().contains(QgsGeometry.fromPointXY(QgsPointXY(369700, 5713800)))
    assert 140000 <= sum(f["population"] for f in districts.values()) <= 170000
    assert sorted(f["district_id"] for f in districts.values()) == [1, 2, 3, 4]


def test_street_lights_stand_in_their_district_beside_a_street(sample_city):
    districts = {f["name"]: f.geometry() for f in features(sample_city, "districts")}
    streets = open_layer(sample_city, "streets")
    index = QgsSpatialIndex(streets.getFeatures())
    street_geometries = {f.id(): f.geometry() for f in streets.getFeatures()}
    lights = features(sample_city, "street_lights")
    for light in lights:
        point = light.geometry()
        assert districts[light["district"]].contains(point), light["light_point_no"]
        near = index.intersects(point.boundingBox().buffered(10.0))
        assert any(street_geometries[fid].distance(point) <= 10.0 for fid in near), light["light_point_no"]
    # the street named in the record is the one the light stands at
    by_name = collections.defaultdict(list)
    for street in streets.getFeatures():
        by_name[street["name"]].append(street.geometry())
    for light in lights[::25]:
        assert min(g.distance(light.geometry()) for g in by_name[light["street"]]) <= 10.0


def test_street_light_attributes_are_plausible(sample_city):
    lights = features(sample_city, "street_lights")
    watts = {"LED": (10, 150), "NAV": (35, 150), "HQL": (50, 125)}
    numbers, uuids = set(), set()
    for light in lights:
        assert re.fullmatch(r"HER-\d{5}", light["light_point_no"])
        numbers.add(light["light_point_no"])
        uuids.add(str(uuid.UUID(light["light_uuid"])))
        lamp = light["lamp_type"]
        low, high = watts[lamp]
        assert low <= light["wattage_w"] <= high, (lamp, light["wattage_w"])
        assert 1950 <= light["install_year"] <= 2025
        if lamp == "LED":
            assert light["install_year"] >= 2008
        if lamp == "HQL":
            assert light["install_year"] <= 1995
        assert light["mast_type"] in {"Stahlrohrmast", "Betonmast", "Holzmast", "Wandausleger", "Seilüberspannung"}
        assert 3.0 <= light["mast_height_m"] <= 15.0
        assert light["control_unit"] in {NULL, "Rundsteuerempfänger", "Dämmerungsschalter", "LoRaWAN-Knoten"}
        if light["control_unit"] == "LoRaWAN-Knoten":
            assert lamp == "LED"
        assert light["operator"] in {"Stadt Herne", "Stadtwerke Herne AG"}
        inspected = light["last_inspection"]
        assert 2020 <= inspected.year() <= 2025
        assert light["street"]
    assert len(numbers) == len(uuids) == len(lights)
    assert {light["lamp_type"] for light in lights} == set(watts)


def test_sensor_stations_carry_a_lorawan_identity_and_sensible_thresholds(sample_city):
    lights = {f["light_point_no"] for f in features(sample_city, "street_lights")}
    stations = features(sample_city, "sensor_stations")
    kinds = collections.Counter(s["sensor_type"] for s in stations)
    assert set(kinds) == {"air_quality", "water_level", "parking", "soil_moisture", "temperature"}
    assert len({s["station_id"] for s in stations}) == len({s["device_eui"] for s in stations}) == len(stations)
    for station in stations:
        assert re.fullmatch(r"[0-9A-F]{16}", station["device_eui"])
        assert station["network"] == "LoRaWAN"
        assert station["operator"]
        assert station["district"] == "Herne-Mitte"
        properties, units = station["observed_properties"].split(","), station["units"].split(",")
        assert len(properties) == len(units)
        thresholds = None if station["thresholds"] == NULL else json.loads(station["thresholds"])
        if station["sensor_type"] == "air_quality":
            assert properties == ["pm10", "pm25", "no2"] and units[0] == "µg/m³"
            assert thresholds["pm10"]["warn"] == 50
        if station["sensor_type"] == "water_level":
            assert units == ["cm"] and 0 < thresholds["water_level"]["warn"] < thresholds["water_level"]["alarm"]
        if station["sensor_type"] == "parking":
            assert thresholds is None
        if station["sensor_type"] in ("air_quality", "temperature"):
            assert station["mounted_on"] in lights  # on a light pole of the register


# --- Starkregen ---------------------------------------------------------------------------------


def test_depth_rasters_are_compressed_float32_in_epsg_25832(sample_city):
    assert set(sample_city["depth_rasters"]) == set(SCENARIOS)
    for scenario, path in sample_city["depth_rasters"].items():
        assert os.path.basename(path) == "starkregen_{}_depth.tif".format(scenario)
        dataset = gdal.Open(path)
        band = dataset.GetRasterBand(1)
        assert band.DataType == gdal.GDT_Float32
        assert band.GetNoDataValue() == -9999
        assert dataset.GetSpatialRef().GetAuthorityCode(None) == "25832"
        assert dataset.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
        values = band.ReadAsArray()
        wet = values[values != -9999]
        assert wet.size > 0 and wet.min() > 0 and wet.max() < 400  # cm


def _raster_sampler(path):
    dataset = gdal.Open(path)
    x0, dx, _r1, y0, _r2, dy = dataset.GetGeoTransform()
    values = dataset.GetRasterBand(1).ReadAsArray()

    def value_at(x, y):
        return float(values[int((y - y0) / dy), int((x - x0) / dx)])

    return value_at, abs(dx), (x0, y0 + dy * values.shape[0], x0 + dx * values.shape[1], y0)


def test_depth_rasters_agree_with_the_depth_class_polygons(sample_city):
    rng = random.Random(7)
    for scenario in SCENARIOS:
        value_at, cell, _bounds = _raster_sampler(sample_city["depth_rasters"][scenario])
        checked = 0
        for area in features(sample_city, scenario):
            low, high = CLASS_BOUNDS[area["depth_class"]]
            assert (area["depth_min_cm"], area["depth_max_cm"]) == (low, high if high is not None else None)
            geometry = area.geometry()
            boundary = QgsGeometry(geometry.constGet().boundary())
            box = geometry.boundingBox()
            for _ in range(60):
                point = QgsGeometry.fromPointXY(QgsPointXY(rng.uniform(box.xMinimum(), box.xMaximum()),
                                                           rng.uniform(box.yMinimum(), box.yMaximum())))
                if not geometry.contains(point) or boundary.distance(point) < 1.5 * cell:
                    continue  # the class boundary runs through this cell
                depth = value_at(point.asPoint().x(), point.asPoint().y())
                assert depth >= low and (high is None or depth < high), (scenario, area["depth_class"], depth)
                checked += 1
        assert checked > 100, scenario


def test_wet_raster_cells_lie_in_the_polygon_of_their_class(sample_city):
    rng = random.Random(11)
    for scenario in SCENARIOS:
        value_at, cell, (xmin, ymin, xmax, ymax) = _raster_sampler(sample_city["depth_rasters"][scenario])
        areas = [(f["depth_class"], f.geometry()) for f in features(sample_city, scenario)]
        checked = 0
        for _ in range(20000):
            x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
            depth = value_at(x, y)
            if depth < 10.0:
                continue
            point = QgsGeometry.fromPointXY(QgsPointXY(x, y))
            holding = [name for name, geometry in areas if geometry.contains(point)]
            near_edge = any(QgsGeometry(g.constGet().boundary()).distance(point) < 1.5 * cell for _n, g in areas
                            if g.boundingBox().buffered(2 * cell).contains(point.asPoint()))
            if near_edge:
                continue
            expected = [name for name, (low, high) in CLASS_BOUNDS.items()
                        if depth >= low and (high is None or depth < high)]
            assert holding == expected, (scenario, x, y, depth)
            checked += 1
        assert checked > 200, scenario


def test_deeper_classes_lie_inside_shallower_ones_and_rarer_rain_floods_more(sample_city):
    by_scenario = collections.defaultdict(list)
    for area in features(sample_city, "starkregen_depth_classes"):
        by_scenario[area["scenario"]].append(area)
    labels = {area["scenario"]: area["scenario_label"] for areas in by_scenario.values() for area in areas}
    assert labels == {"seltener_starkregen": "Seltener Starkregen",
                      "aussergewoehnlicher_starkregen": "Außergewöhnlicher Starkregen",
                      "extremregen": "Extremregen"}
    _value_at, _cell, bounds = _raster_sampler(sample_city["depth_rasters"]["extremregen"])
    window = QgsGeometry.fromRect(QgsRectangle(*bounds))  # the polygons are cut at the sample's edge
    flooded = {}
    for scenario, areas in by_scenario.items():
        geometries = [a.geometry() for a in areas]
        union = QgsGeometry.unaryUnion(geometries)
        assert abs(sum(g.area() for g in geometries) - union.area()) < 1.0, scenario  # classes do not overlap
        flooded[scenario] = union
        outer = union
        for low in (30, 50, 100):
            deeper = [a.geometry() for a in areas if a["depth_min_cm"] >= low]
            if not deeper:
                continue
            deeper_union = QgsGeometry.unaryUnion(deeper)
            assert outer.buffer(0.5, 8).contains(deeper_union), (scenario, low)
            # ... and a deeper class is surrounded by shallower water, not by dry land
            surrounding = deeper_union.buffer(1.0, 8).intersection(window)
            assert surrounding.difference(union).area() < 1.0, (scenario, low)
            outer = deeper_union
    assert flooded["seltener_starkregen"].area() < flooded["aussergewoehnlicher_starkregen"].area()
    assert flooded["aussergewoehnlicher_starkregen"].area() < flooded["extremregen"].area()
    assert flooded["aussergewoehnlicher_starkregen"].buffer(0.5, 8).contains(flooded["seltener_starkregen"])
    assert flooded["extremregen"].buffer(0.5, 8).contains(flooded["aussergewoehnlicher_starkregen"])


def test_scenario_layers_hold_the_depth_classes_of_their_scenario(sample_city):
    every = features(sample_city, "starkregen_depth_classes")
    for scenario in SCENARIOS:
        expected = [(f.attributes()[1:], f.geometry().asWkb()) for f in every if f["scenario"] == scenario]
        actual = [(f.attributes()[1:], f.geometry().asWkb()) for f in features(sample_city, scenario)]
        assert actual == expected and actual, scenario


# --- CityGML --------------------------------------------------------------------------------------


def _element_paths(tree):
    """Every element path as 'ns:name/ns:name/...' with namespace URIs, e.g. '{core}CityModel/...'."""
    paths = set()

    def walk(element, prefix):
        if not isinstance(element.tag, str):
            return  # comments
        path = prefix + "/" + element.tag
        paths.add(path)
        for child in element:
            walk(child, path)

    walk(tree.getroot(), "")
    return paths


def _child_order(tree, parent_tag):
    """The distinct sequences of child element names under every ``parent_tag``."""
    orders = set()
    for parent in tree.iter(parent_tag):
        names = []
        for child in parent:
            if isinstance(child.tag, str) and (not names or names[-1] != child.tag):
                names.append(child.tag)
        orders.add(tuple(names))
    return orders


def _follows(order, reference_orders):
    """True if each neighbouring pair of element names in ``order`` comes in that order in a real tile."""
    return all(
        any(first in ref and second in ref and ref.index(first) < ref.index(second) for ref in reference_orders)
        for first, second in zip(order, order[1:])
    )


def test_citygml_tiles_follow_the_form_of_the_real_nrw_tiles(sample_tiles, shared_citygml_dir):
    real = {os.path.basename(p): etree.parse(p) for p in sorted(glob.glob(os.path.join(shared_citygml_dir, "*.gml")))}
    reference = next(iter(real.values())).getroot()
    real_paths = set().union(*(_element_paths(tree) for tree in real.values()))
    srs = reference.find("gml:boundedBy/gml:Envelope", NS).get("srsName")
    assert srs == "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016"
    real_ids = [b.get(GML_ID) for tree in real.values() for b in tree.iter("{%s}Building" % NS["bldg"])]
    id_form = re.compile(r"DENW\d\dAL[0-9A-Za-z]{8}")
    assert all(id_form.fullmatch(i) for i in real_ids)
    real_attributes = {a.get("name") for tree in real.values() for a in tree.iter("{%s}stringAttribute" % NS["gen"])}
    building_orders = set().union(*(_child_order(t, "{%s}Building" % NS["bldg"]) for t in real.values()))
    part_orders = set().union(*(_child_order(t, "{%s}BuildingPart" % NS["bldg"]) for t in real.values()))
    assert sample_tiles
    for name, tree in sample_tiles.items():
        match = re.fullmatch(r"LoD2_32_(\d{3})_(\d{4})_1_NW\.gml", name)
        assert match, name
        root = tree.getroot()
        assert root.tag == reference.tag
        assert root.nsmap == reference.nsmap
        assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == reference.get(
            "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
        assert root.findtext("gml:name", namespaces=NS) == name[:-4]
        envelope = root.find("gml:boundedBy/gml:Envelope", NS)
        assert envelope.get("srsName") == srs
        lower = [float(v) for v in envelope.findtext("gml:lowerCorner", namespaces=NS).split()]
        assert lower[:2] == [int(match.group(1)) * 1000.0, int(match.group(2)) * 1000.0]
        ours = _element_paths(tree)
        assert ours - real_paths == set(), name  # no element (or nesting) the real tiles do not have
        assert "/".join(["", "{%s}CityModel" % NS["core"], "{%s}cityObjectMember" % NS["core"],
                         "{%s}Building" % NS["bldg"], "{%s}lod2Solid" % NS["bldg"]]) in ours
        for building in tree.iter("{%s}Building" % NS["bldg"]):
            assert id_form.fullmatch(building.get(GML_ID))
            attributes = {a.get("name"): a.findtext("gen:value", namespaces=NS)
                          for a in building.findall("gen:stringAttribute", NS)}
            assert attributes["Gemeindeschluessel"] == "05916000"
            assert re.fullmatch(r"31001_\d{4}", building.findtext("bldg:function", namespaces=NS))
        for tree_attributes in tree.iter("{%s}stringAttribute" % NS["gen"]):
            assert tree_attributes.get("name") in real_attributes
        for order in _child_order(tree, "{%s}Building" % NS["bldg"]):
            assert _follows(order, building_orders), order
        for order in _child_order(tree, "{%s}BuildingPart" % NS["bldg"]):
            assert _follows(order, part_orders), order


def test_citygml_buildings_are_closed_solids_with_flat_and_gable_roofs(sample_tiles):
    roof_types = collections.Counter()
    parts = 0
    for name, tree in sample_tiles.items():
        polygons = {}
        for polygon in tree.iter("{%s}Polygon" % NS["gml"]):
            values = [float(v) for v in polygon.findtext(".//gml:posList", namespaces=NS).split()]
            polygons[polygon.get(GML_ID)] = [tuple(values[i:i + 3]) for i in range(0, len(values), 3)]
        assert len(polygons) == len(set(polygons)), name
        for solid in tree.iter("{%s}Solid" % NS["gml"]):
            edges = collections.Counter()
            volume = 0.0
            for member in solid.iterfind(".//gml:surfaceMember", NS):
                ring = polygons[member.get(HREF)[1:]]
                assert ring[0] == ring[-1]
                edges.update(zip(ring, ring[1:]))
                ox, oy, oz = ring[0]
                for (ax, ay, az), (bx, by, bz) in zip(ring[1:], ring[2:]):
                    ax, ay, az, bx, by, bz = ax - ox, ay - oy, az - oz, bx - ox, by - oy, bz - oz
                    volume += (ox * (ay * bz - az * by) + oy * (az * bx - ax * bz) + oz * (ax * by - ay * bx)) / 6
            # closed and consistently oriented: every edge is used once each way
            assert all(count == 1 and edges.get((b, a)) == 1 for (a, b), count in edges.items()), name
            assert volume > 10.0, name  # outward normals give a positive volume
        for owner in list(tree.iter("{%s}Building" % NS["bldg"])) + list(tree.iter("{%s}BuildingPart" % NS["bldg"])):
            roof = owner.findtext("bldg:roofType", namespaces=NS)
            if roof:
                roof_types[roof] += 1
                assert 2.0 <= float(owner.findtext("bldg:measuredHeight", namespaces=NS)) <= 40.0
        parts += sum(1 for _ in tree.iter("{%s}BuildingPart" % NS["bldg"]))
    assert roof_types["1000"] > 0 and roof_types["3100"] > 0
    assert parts > 0


def test_every_footprint_is_a_building_in_its_tile(sample_city, sample_tiles):
    ids_in_tiles = {}
    for name, tree in sample_tiles.items():
        for building in tree.iter("{%s}Building" % NS["bldg"]):
            assert building.get(GML_ID) not in ids_in_tiles
            ids_in_tiles[building.get(GML_ID)] = name[:-4]
    footprints = features(sample_city, "building_footprints")
    assert {f["building_id"]: f["citygml_tile"] for f in footprints} == ids_in_tiles
    for footprint in footprints[::50]:
        centre = footprint.geometry().centroid().asPoint()
        _lod, _zone, east, north, _one, _nw = footprint["citygml_tile"].split("_")
        assert int(east) * 1000 <= centre.x() < int(east) * 1000 + 1000
        assert int(north) * 1000 <= centre.y() < int(north) * 1000 + 1000
        assert footprint["roof_type"] in (1000, 2100, 3100, 3200, 3500)
        assert re.fullmatch(r"31001_\d{4}", footprint["function_code"]) and footprint["function_label"]
    # buildings stand on land, not on the street
    streets = open_layer(sample_city, "streets")
    index = QgsSpatialIndex(streets.getFeatures())
    street_geometries = {f.id(): f.geometry() for f in streets.getFeatures()}
    for footprint in footprints[::10]:
        near = index.intersects(footprint.geometry().boundingBox().buffered(3.0))
        assert all(street_geometries[fid].distance(footprint.geometry()) >= 3.0 for fid in near)


def test_gdal_reads_a_tile_with_all_its_buildings(sample_city, sample_tiles, tmp_path):
    smallest = min(sample_city["citygml_tiles"], key=os.path.getsize)
    copy = tmp_path / os.path.basename(smallest)  # GDAL writes a .gfs beside the file it reads
    shutil.copy(smallest, copy)
    result = subprocess.run(["ogrinfo", "-ro", "-so", str(copy), "Building"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    buildings = sum(1 for _ in sample_tiles[copy.name].iter("{%s}Building" % NS["bldg"]))
    assert "Feature Count: {}".format(buildings) in result.stdout
    dataset = ogr.Open(str(copy))
    ids = {feature.GetField("gml_id") for feature in dataset.GetLayerByName("Building")}
    assert len(ids) == buildings


# --- determinism, the Processing algorithm, the command line, bad input ----------------------------


def test_processing_algorithm_writes_the_same_city_for_the_same_seed(sample_city, hernetwin_provider, tmp_path):
    import processing

    feedback = QgsProcessingFeedback()
    result = processing.run("hernetwin:samplecity", {"OUTPUT_FOLDER": str(tmp_path), "SCALE": 0}, feedback=feedback)
    assert os.path.samefile(result["GEOPACKAGE"], tmp_path / "herne_sample.gpkg")
    assert os.path.samefile(result["DEPTH_EXTREMREGEN"], tmp_path / "starkregen_extremregen_depth.tif")
    assert os.path.samefile(result["CITYGML_FOLDER"], tmp_path / "citygml")
    assert result["STREET_LIGHT_COUNT"] == sample_city["counts"]["street_lights"]
    assert result["BUILDING_COUNT"] == sample_city["counts"]["building_footprints"]
    first, second = file_hashes(sample_city["output_dir"]), file_hashes(str(tmp_path))
    assert first == second and len(first) >= 12


def test_processing_algorithm_reports_a_bad_output_folder(hernetwin_provider, tmp_path):
    import processing

    not_a_folder = tmp_path / "plan.txt"
    not_a_folder.write_text("x")
    with pytest.raises(QgsProcessingException, match="is a file"):
        processing.run("hernetwin:samplecity", {"OUTPUT_FOLDER": str(not_a_folder), "SCALE": 0})


def test_command_line_with_another_seed_writes_another_city(sample_city, tmp_path):
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts",
                          "make_sample_data.py")
    run = subprocess.run([sys.executable, script, "--out", str(tmp_path), "--seed", "7", "--quiet"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "seed 7" in run.stdout
    other = {"geopackage": str(tmp_path / "herne_sample.gpkg")}
    ours = {f["light_point_no"]: f.geometry().asWkt() for f in features(sample_city, "street_lights")}
    theirs = {f["light_point_no"]: f.geometry().asWkt() for f in features(other, "street_lights")}
    assert len(theirs) > 1000 and ours != theirs
    assert open_layer(other, "districts").featureCount() == 4  # the districts are Herne's, whatever the seed


def test_command_line_rejects_an_unknown_scale(tmp_path):
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts",
                          "make_sample_data.py")
    run = subprocess.run([sys.executable, script, "--out", str(tmp_path), "--scale", "huge"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "invalid choice: 'huge'" in run.stderr
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("arguments, message", [
    ({"scale": "huge"}, "Unknown scale 'huge'"),
    ({"seed": "2601"}, "The seed must be a whole number"),
    ({"seed": 1.5}, "The seed must be a whole number"),
])
def test_generate_rejects_bad_arguments_with_a_clear_error(tmp_path, arguments, message):
    with pytest.raises(ValueError, match=message):
        generate(str(tmp_path / "out"), **arguments)
    assert not (tmp_path / "out").exists()


def test_generate_rejects_a_file_as_output_folder(tmp_path):
    target = tmp_path / "herne.gpkg"
    target.write_bytes(b"")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        generate(str(target))


def test_cancel_stops_before_anything_is_written(tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(GenerationCanceled):
        generate(str(tmp_path), feedback=feedback)
    assert not (tmp_path / "herne_sample.gpkg").exists()


def test_cancel_during_the_buildings_step(tmp_path):
    class CancelAfterTheStreets(QgsProcessingFeedback):
        def setProgress(self, progress):  # noqa: N802
            if progress > 4:  # the street network is done, the buildings are under way
                self.cancel()
            super().setProgress(progress)

    feedback = CancelAfterTheStreets()
    with pytest.raises(GenerationCanceled):
        generate(str(tmp_path), feedback=feedback)
    assert 4 < feedback.progress() < 20
    assert not glob.glob(str(tmp_path / "*.gpkg")) and not glob.glob(str(tmp_path / "*.tif"))


def test_light_keys_are_stable_between_sample_and_full(sample_city):
    """The sample is a cut-out of the full city: same numbers, same UUIDs, same places."""
    from herne_twin_plugin.core.sample_city.districts import herne_districts
    from herne_twin_plugin.core.sample_city.street_lights import city_street_lights
    from herne_twin_plugin.core.sample_city.streets import city_streets

    districts = herne_districts()
    full = {light.attributes["light_point_no"]: (light.attributes["light_uuid"], light.x, light.y)
            for light in city_street_lights(SEED, city_streets(SEED, districts), districts)}
    assert 15500 <= len(full) <= 17500  # Herne has about 16,500 light points
    for light in features(sample_city, "street_lights"):
        uuid_, x, y = full[light["light_point_no"]]
        point = light.geometry().asPoint()
        assert light["light_uuid"] == uuid_ and math.isclose(point.x(), x) and math.isclose(point.y(), y)
