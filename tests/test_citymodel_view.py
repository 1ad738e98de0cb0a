"""The city model in 2D and 3D, the import dialog, drop-on-map and the 3D picture, as a user checks them.

The city model here is a small GeoPackage in exactly the importer's layer contract
(``buildings``, ``building_footprints``, ``building_surfaces``, ``import_failures``,
``import_tiles``), built from the sample city's LoD2 solids, so these tests do not depend
on the importer. Where ``hernetwin:importcitymodel`` is available, the dialog is also run
end to end on a real sample tile.
"""

import json
import math
import os
import random
import shutil
import subprocess
import sys

import pytest
from osgeo import gdal, ogr, osr
from qgis._3d import Qgs3D, Qgs3DTypes, QgsPoint3DSymbol, QgsPolygon3DSymbol, QgsRuleBased3DRenderer
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsGeometry,
    QgsNullSymbolRenderer,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor, QImage
from qgis.PyQt.QtXml import QDomDocument

from herne_twin_plugin.core import styles
from herne_twin_plugin.core.citymodel_view import (
    assets_3d,
    buildings_3d,
    city_model_files,
    city_model_layers,
    hazard_3d,
    scene,
)
from herne_twin_plugin.core.sample_city.building_solids import FLAT, GABLE, HIP, SHED, Part, part_surfaces
from herne_twin_plugin.core.sample_city.terrain import ground_height

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VIEW3D = os.path.join(REPO_ROOT, "scripts", "view3d.py")
CENTRE = (369700.0, 5713700.0)

BUILDING_FIELDS = (
    ("building_id", ogr.OFTString), ("function_code", ogr.OFTString), ("function_label", ogr.OFTString),
    ("roof_type_code", ogr.OFTString), ("roof_type_label", ogr.OFTString), ("measured_height", ogr.OFTReal),
    ("ground_height", ogr.OFTReal), ("eave_height", ogr.OFTReal), ("ridge_height", ogr.OFTReal),
    ("storeys_above_ground", ogr.OFTInteger), ("gemeindeschluessel", ogr.OFTString),
    ("gen_attributes", ogr.OFTString), ("creation_date", ogr.OFTString), ("source_tile", ogr.OFTString),
    ("lod", ogr.OFTInteger), ("is_closed", ogr.OFTInteger), ("part_count", ogr.OFTInteger),
)
FOOTPRINT_FIELDS = (
    "building_id", "function_code", "function_label", "roof_type_code", "roof_type_label", "measured_height",
    "ground_height", "ridge_height", "source_tile",
)
SURFACE_FIELDS = (
    ("surface_id", ogr.OFTString), ("building_id", ogr.OFTString), ("surface_type", ogr.OFTString),
    ("area_m2", ogr.OFTReal), ("tilt_deg", ogr.OFTReal), ("azimuth_deg", ogr.OFTReal),
    ("source_tile", ogr.OFTString),
)
# (function code, label, roof type, roof label) of the test buildings, in turn
KINDS = (
    ("31001_1010", "Wohnhaus", GABLE, "Satteldach"),
    ("31001_2050", "Geschäftsgebäude", FLAT, "Flachdach"),
    ("31001_3021", "Allgemein bildende Schule", HIP, "Walmdach"),
    ("31001_2463", "Garage", SHED, "Pultdach"),
)


# --- a city model in the importer's contract ---------------------------------------------------


def _multipolygon(rings, dimension=3):
    geometry = ogr.Geometry(ogr.wkbMultiPolygon25D if dimension == 3 else ogr.wkbMultiPolygon)
    for ring in rings:
        polygon = ogr.Geometry(ogr.wkbPolygon25D if dimension == 3 else ogr.wkbPolygon)
        linear = ogr.Geometry(ogr.wkbLinearRing)
        for point in list(ring) + [ring[0]]:
            if dimension == 3:
                linear.AddPoint(*point)
            else:
                linear.AddPoint_2D(point[0], point[1])
        polygon.AddGeometry(linear)
        geometry.AddGeometry(polygon)
    return geometry


def _tilt_and_azimuth(ring):
    from herne_twin_plugin.core.sample_city.building_solids import newell_normal

    nx, ny, nz = newell_normal(ring)
    length = math.sqrt(nx * nx + ny * ny + nz * nz) or 1.0
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, nz / length))))
    return tilt, math.degrees(math.atan2(nx, ny)) % 360.0, length / 2.0


def write_city_model(path, rows=4, columns=5, spacing=34.0):
    """A grid of LoD2 buildings around Herne-Mitte's centre, in the importer's layer contract."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    buildings = dataset.CreateLayer("buildings", srs, ogr.wkbMultiPolygon25D)
    footprints = dataset.CreateLayer("building_footprints", srs, ogr.wkbMultiPolygon)
    surfaces = dataset.CreateLayer("building_surfaces", srs, ogr.wkbMultiPolygon25D)
    for name, kind in BUILDING_FIELDS:
        buildings.CreateField(ogr.FieldDefn(name, kind))
        if name in FOOTPRINT_FIELDS:
            footprints.CreateField(ogr.FieldDefn(name, kind))
    for name, kind in SURFACE_FIELDS:
        surfaces.CreateField(ogr.FieldDefn(name, kind))
    failures = dataset.CreateLayer("import_failures", None, ogr.wkbNone)
    for name in ("object_id", "source_tile", "reason"):
        failures.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    tiles = dataset.CreateLayer("import_tiles", None, ogr.wkbNone)
    for name in ("source_tile", "sha256", "imported_at"):
        tiles.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    dataset.StartTransaction()
    number = 0
    x0 = CENTRE[0] - (columns - 1) * spacing / 2
    y0 = CENTRE[1] - (rows - 1) * spacing / 2
    for row in range(rows):
        for column in range(columns):
            function_code, function_label, roof_type, roof_label = KINDS[number % len(KINDS)]
            number += 1
            x, y = x0 + column * spacing, y0 + row * spacing
            corners = [(x - 10, y - 7), (x + 10, y - 7), (x + 10, y + 7), (x - 10, y + 7)]
            eave = 6.0 + (number % 3) * 3.0
            height = eave + (0.0 if roof_type == FLAT else 4.5)
            ground = ground_height(x, y)
            building_id = "DENW39TEST{:06d}".format(number)
            rings = []
            for index, (kind, ring) in enumerate(part_surfaces(Part(corners, roof_type, eave, height), ground)):
                tilt, azimuth, area = _tilt_and_azimuth(ring)
                feature = ogr.Feature(surfaces.GetLayerDefn())
                for name, value in (("surface_id", "{}_{}".format(building_id, index)), ("building_id", building_id),
                                    ("surface_type", kind), ("area_m2", area), ("tilt_deg", tilt),
                                    ("azimuth_deg", azimuth), ("source_tile", "LoD2_32_369_5713_1_NW")):
                    feature.SetField(name, value)
                feature.SetGeometry(_multipolygon([ring]))
                surfaces.CreateFeature(feature)
                rings.append(ring)
            values = {
                "building_id": building_id, "function_code": function_code, "function_label": function_label,
                "roof_type_code": str(roof_type), "roof_type_label": roof_label, "measured_height": height,
                "ground_height": ground, "eave_height": ground + eave, "ridge_height": ground + height,
                "storeys_above_ground": int(eave // 3), "gemeindeschluessel": "05916000",
                "gen_attributes": json.dumps({"DatenquelleDachhoehe": "1000"}), "creation_date": "2024-06-01",
                "source_tile": "LoD2_32_369_5713_1_NW", "lod": 2, "is_closed": 1, "part_count": 1,
            }
            for layer, geometry in ((buildings, _multipolygon(rings)),
                                    (footprints, _multipolygon([[(px, py, 0) for px, py in corners]], 2))):
                feature = ogr.Feature(layer.GetLayerDefn())
                for name, value in values.items():
                    if feature.GetFieldIndex(name) >= 0:
                        feature.SetField(name, value)
                feature.SetGeometry(geometry)
                layer.CreateFeature(feature)
    dataset.CommitTransaction()
    dataset = None
    return str(path)


@pytest.fixture(scope="module")
def city_model(tmp_path_factory):
    return write_city_model(tmp_path_factory.mktemp("citymodel") / "city.gpkg")


@pytest.fixture(scope="module")
def registry_3d(qgis_app):
    Qgs3D.initialize()  # what QGIS desktop does at start: 3D renderers can be read from projects


def layer_of(gpkg, name):
    layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
    assert layer.isValid(), name
    return layer


def memory_points(fields, rows):
    """A memory point layer in EPSG:25832 with ``fields`` "name:type" and one feature per row."""
    uri = "Point?crs=EPSG:25832&" + "&".join("field=" + field for field in fields)
    layer = QgsVectorLayer(uri, "points", "memory")
    features = []
    for index, values in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(values))
        feature.setGeometry(QgsGeometry.fromWkt("POINT({} {})".format(CENTRE[0] + index, CENTRE[1])))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def matching_symbols(rule, feature, context):
    """The 3D symbols the rule tree draws ``feature`` with (the renderer's rule semantics)."""
    symbols = []
    matched_sibling = False
    children = rule.children()
    for child in [c for c in children if not c.isElse()] + [c for c in children if c.isElse()]:
        if child.isElse():
            applies = not matched_sibling
        else:
            expression = child.filterExpression()
            context.setFeature(feature)
            applies = not expression or bool(_evaluate(expression, context))
            matched_sibling = matched_sibling or applies
        if applies:
            if child.symbol() is not None:
                symbols.append(child.symbol())
            symbols.extend(matching_symbols(child, feature, context))
    return symbols


def _evaluate(text, context):
    from qgis.core import QgsExpression

    expression = QgsExpression(text)
    assert not expression.hasParserError(), (text, expression.parserErrorString())
    value = expression.evaluate(context)
    assert not expression.hasEvalError(), (text, expression.evalErrorString())
    return value


def symbols_for(layer, feature):
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    return matching_symbols(layer.renderer3D().rootRule(), feature, context)


def lift(symbol):
    """How far a point symbol's transform lifts its shape: "up" is y before QGIS 3.42 and z from
    then on; the other of the two stays 0."""
    column = symbol.transform().column(3)
    assert column.x() == 0
    return column.y() + column.z()


# --- 2D styles of the footprints --------------------------------------------------------------


def fill_colour_for(layer, feature):
    """The fill colour the layer's 2D renderer draws ``feature`` with, as in a map render."""
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)  # as the map renderer does for each feature
        symbol = renderer.symbolForFeature(feature, context)
        return symbol.color().name() if symbol is not None else None
    finally:
        renderer.stopRender(context)


def test_footprints_by_function_colour_each_function_group(qgis_app, city_model):
    layer = layer_of(city_model, "building_footprints")
    styles.style_footprints_by_function(layer)
    expected = dict(styles.FUNCTION_GROUP_COLOURS)
    seen = set()
    for feature in layer.getFeatures():
        code = feature["function_code"]
        group = {"31001_1010": "residential", "31001_2050": "commercial", "31001_3021": "public",
                 "31001_2463": "garage_other"}[code]
        assert fill_colour_for(layer, feature) == expected[group], code
        seen.add(group)
    assert seen == set(expected)
    labels = [category.label() for category in layer.renderer().categories()]
    assert labels == ["Residential", "Commercial and industry", "Public", "Garages and other"]


@pytest.mark.parametrize("code, group", [
    ("1123", "residential"),  # a plain code, as CityJSON and other sources write it
    ("31001_2461", "garage_other"),  # Parkhaus
    ("31001_9998", "garage_other"),
    (None, "garage_other"),
    ("kein Code", "garage_other"),
])
def test_footprints_by_function_place_odd_codes(qgis_app, code, group):
    layer = QgsVectorLayer("Polygon?crs=EPSG:25832&field=function_code:string", "f", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes([code])
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(0, 0, 10, 10)))
    styles.style_footprints_by_function(layer)
    assert fill_colour_for(layer, feature) == dict(styles.FUNCTION_GROUP_COLOURS)[group]


def test_footprints_by_height_use_fixed_classes(qgis_app, city_model):
    layer = layer_of(city_model, "building_footprints")
    styles.style_footprints_by_height(layer)
    for feature in layer.getFeatures():
        height = feature["measured_height"]
        colour = [c for low, high, c in styles.HEIGHT_CLASSES if low <= height <= high][0]
        assert fill_colour_for(layer, feature) == colour, height
    assert layer.renderer().ranges()[0].label() == "0 to 6 m"


def test_footprint_styles_name_a_missing_field(qgis_app):
    layer = QgsVectorLayer("Polygon?crs=EPSG:25832&field=name:string", "Grundrisse", "memory")
    with pytest.raises(ValueError, match="Grundrisse has no field function_code"):
        styles.style_footprints_by_function(layer)
    with pytest.raises(ValueError, match="no field measured_height"):
        styles.style_footprints_by_height(layer)


# --- 3D renderers --------------------------------------------------------------------------------


def test_surfaces_draw_roofs_red_and_walls_sand_at_true_height(qgis_app, city_model):
    layer = layer_of(city_model, "building_surfaces")
    buildings_3d.set_building_surfaces_3d(layer)
    assert isinstance(layer.renderer3D(), QgsRuleBased3DRenderer)
    assert isinstance(layer.renderer(), QgsNullSymbolRenderer)  # 2D: the footprints draw the map
    drawn = {}
    for feature in layer.getFeatures():
        symbols = symbols_for(layer, feature)
        kind = feature["surface_type"]
        if kind in ("GroundSurface", "ClosureSurface"):
            assert symbols == [], kind
            continue
        assert len(symbols) == 1, kind
        symbol = symbols[0]
        assert isinstance(symbol, QgsPolygon3DSymbol)
        assert symbol.altitudeClamping() == Qgs3DTypes.AltClampAbsolute
        assert symbol.extrusionHeight() == 0 and symbol.height() == 0
        drawn.setdefault(kind, set()).add(symbol.material().diffuse().name())
    assert drawn == {"RoofSurface": {"#a5433a"}, "WallSurface": {"#e8e0d0"}}


def test_buildings_layer_draws_solids_in_the_wall_colour(qgis_app, city_model):
    layer = layer_of(city_model, "buildings")
    buildings_3d.set_buildings_3d(layer)
    symbol = layer.renderer3D().symbol()
    assert symbol.altitudeClamping() == Qgs3DTypes.AltClampAbsolute
    assert symbol.material().diffuse().name() == styles.WALL_COLOUR


def test_street_lights_stand_at_their_mast_height(qgis_app):
    layer = memory_points(["mast_height_m:double", "lamp_type:string"], [
        (4.5, "LED"), (8.0, "NAV"), (None, "HQL"), (30.0, "LED"), (6.0, "Gas"),
    ])
    assets_3d.set_street_lights_3d(layer)
    features = list(layer.getFeatures())
    expected = [(4.5, "#2e9e44"), (8.0, "#f08c00"), (6.0, "#7a3e9d"), (20.0, "#2e9e44"), (6.0, "#f2f2f2")]
    for feature, (height, lamp_colour) in zip(features, expected):
        symbols = symbols_for(layer, feature)
        assert len(symbols) == 2, feature.attributes()
        mast, lamp = symbols
        for symbol in symbols:
            assert isinstance(symbol, QgsPoint3DSymbol)
            assert symbol.altitudeClamping() == Qgs3DTypes.AltClampRelative
        assert mast.shape() == QgsPoint3DSymbol.Cylinder
        assert mast.shapeProperties()["length"] == pytest.approx(height)
        assert lift(mast) == pytest.approx(height / 2)  # a cylinder is centred on its point
        assert lamp.shape() == QgsPoint3DSymbol.Sphere
        assert lift(lamp) == pytest.approx(height)
        assert lamp.material().diffuse().name() == lamp_colour


def test_a_light_added_after_styling_still_stands(qgis_app):
    layer = memory_points(["mast_height_m:double", "lamp_type:string"], [(5.0, "LED")])
    assets_3d.set_street_lights_3d(layer)
    later = memory_points(["mast_height_m:double", "lamp_type:string"], [(11.0, "LED")])
    feature = next(later.getFeatures())
    mast, lamp = symbols_for(layer, feature)
    assert lift(lamp) == pytest.approx(assets_3d.DEFAULT_MAST_HEIGHT)


def test_sensor_stations_at_their_mounting_height_in_their_colour(qgis_app):
    rows = [(sensor_type,) for sensor_type, _colour in styles.SENSOR_TYPE_COLOURS] + [("noise",)]
    layer = memory_points(["sensor_type:string"], rows)
    assets_3d.set_sensor_stations_3d(layer)
    colours = dict(styles.SENSOR_TYPE_COLOURS)
    for feature in layer.getFeatures():
        symbols = symbols_for(layer, feature)
        assert len(symbols) == 1
        sensor_type = feature["sensor_type"]
        symbol = symbols[0]
        assert symbol.altitudeClamping() == Qgs3DTypes.AltClampRelative
        assert symbol.shape() == QgsPoint3DSymbol.Sphere
        assert symbol.material().diffuse().name() == colours.get(sensor_type, "#ffffff")
        height = assets_3d.SENSOR_HEIGHTS.get(sensor_type, assets_3d.DEFAULT_SENSOR_HEIGHT)
        assert lift(symbol) == pytest.approx(max(height, assets_3d.SENSOR_RADIUS))  # never below ground


def test_hazard_depth_classes_are_draped_on_the_terrain(qgis_app):
    uri = "Polygon?crs=EPSG:25832&field=depth_class:string"
    layer = QgsVectorLayer(uri, "extremregen", "memory")
    features = []
    for value, _colour in styles.DEPTH_CLASS_COLOURS:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([value])
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(0, 0, 10, 10)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    hazard_3d.set_hazard_draped(layer)
    colours = dict(styles.DEPTH_CLASS_COLOURS)
    for feature in layer.getFeatures():
        (symbol,) = symbols_for(layer, feature)
        assert symbol.altitudeClamping() == Qgs3DTypes.AltClampTerrain
        assert symbol.extrusionHeight() == 0
        assert 0 < symbol.height() < 1  # just above the ground
        assert symbol.material().diffuse().name() == colours[feature["depth_class"]]


def test_3d_styles_name_a_missing_field(qgis_app):
    layer = QgsVectorLayer("Point?crs=EPSG:25832&field=name:string", "Leuchten", "memory")
    with pytest.raises(ValueError, match="Leuchten has no field mast_height_m"):
        assets_3d.set_street_lights_3d(layer)
    with pytest.raises(ValueError, match="no field sensor_type"):
        assets_3d.set_sensor_stations_3d(layer)
    with pytest.raises(ValueError, match="no field depth_class"):
        hazard_3d.set_hazard_draped(layer)
    with pytest.raises(ValueError, match="no field surface_type"):
        buildings_3d.set_building_surfaces_3d(layer)


def test_twin_layers_are_recognised_by_their_fields(qgis_app):
    lights = memory_points(["mast_height_m:double"], [(6.0,)])
    sensors = memory_points(["sensor_type:string"], [("parking",)])
    other = memory_points(["name:string"], [("x",)])
    styled = city_model_layers.style_twin_layers_3d([lights, sensors, other])
    assert styled == [lights, sensors]
    assert other.renderer3D() is None


# --- the city model in a project ------------------------------------------------------------------


def test_city_model_is_added_as_one_styled_group(qgis_app, registry_3d, city_model, tmp_path):
    project = QgsProject()
    layers = city_model_layers.add_city_model_layers(city_model, project, footprint_style="height")
    group = project.layerTreeRoot().findGroup("City model (LoD2)")
    assert group is not None and project.layerTreeRoot().children()[0] is group
    assert [node.layerId() for node in group.findLayers()] == [
        layers[name].id() for name in ("building_footprints", "building_surfaces", "buildings")]
    assert group.findLayer(layers["buildings"].id()).isVisible() is False  # it would cover the surfaces in 3D
    assert group.findLayer(layers["building_surfaces"].id()).isVisible()
    assert layers["building_footprints"].renderer().type() == "graduatedSymbol"
    assert layers["buildings"].featureCount() == 20

    again = city_model_layers.add_city_model_layers(city_model, project)  # no second copy
    assert len(project.mapLayers()) == 3
    assert again["building_footprints"].renderer().type() == "categorizedSymbol"

    # the 3D styles survive saving and opening the project
    path = str(tmp_path / "twin.qgs")
    assert project.write(path)
    reopened = QgsProject()
    assert reopened.read(path)
    surfaces = reopened.mapLayersByName("Roofs and walls (3D)")[0]
    renderer = surfaces.renderer3D()
    assert renderer is not None and renderer.type() == "rulebased"
    document = QDomDocument()
    element = document.createElement("renderer-3d")
    renderer.writeXml(element, QgsReadWriteContext())
    document.appendChild(element)
    text = document.toString()
    for colour in (styles.ROOF_COLOUR, styles.WALL_COLOUR):
        rgb = QColor(colour)
        assert 'diffuse="{},{},{},255"'.format(rgb.red(), rgb.green(), rgb.blue()) in text, colour


def test_a_geopackage_without_the_city_model_is_refused(qgis_app, tmp_path):
    with pytest.raises(city_model_layers.CityModelLayerError, match="does not exist"):
        city_model_layers.open_city_model_layers(tmp_path / "missing.gpkg")
    other = tmp_path / "other.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(other))
    dataset.CreateLayer("streets", None, ogr.wkbLineString)
    dataset = None
    with pytest.raises(city_model_layers.CityModelLayerError,
                       match="building_footprints, building_surfaces, buildings are missing"):
        city_model_layers.open_city_model_layers(other)


# --- the 3D map settings --------------------------------------------------------------------------


def settings_element(settings):
    document = QDomDocument()
    element = settings.writeXml(document, QgsReadWriteContext())
    return element


def test_3d_map_of_herne_with_flat_terrain_at_ground_height(qgis_app, registry_3d, city_model):
    project = QgsProject()
    surfaces = layer_of(city_model, "building_surfaces")
    project.addMapLayer(surfaces)
    extent = QgsRectangle(369000, 5713000, 370400, 5714400)
    settings = scene.city_map_settings(project, extent, [surfaces], ground_height=72.5)
    assert settings.crs().authid() == "EPSG:25832"
    assert [layer.id() for layer in settings.layers()] == [surfaces.id()]
    assert (settings.origin().x(), settings.origin().y()) == (369700, 5713700)
    assert settings.backgroundColor().name() == scene.SKY_COLOUR
    assert len(settings.directionalLights()) == 2
    terrain = settings_element(settings).firstChildElement("terrain")
    generator = terrain.firstChildElement("generator")
    assert generator.attribute("type") == "dem"
    flat = project.mapLayer(generator.attribute("layer"))
    assert flat is not None and flat.extent() == extent
    dataset = gdal.Open(flat.source())
    values = dataset.GetRasterBand(1).ReadAsArray()
    assert values.min() == values.max() == pytest.approx(72.5)


def test_3d_map_uses_a_given_dem(qgis_app, registry_3d, tmp_path):
    from qgis.core import QgsRasterLayer

    path = str(tmp_path / "dem.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((369000, 100, 0, 5714000, 0, -100))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).Fill(80.0)
    dataset = None
    dem = QgsRasterLayer(path, "dem", "gdal")
    project = QgsProject()
    settings = scene.city_map_settings(project, dem.extent(), [], terrain=dem)
    generator = settings_element(settings).firstChildElement("terrain").firstChildElement("generator")
    assert generator.attribute("layer") == dem.id()
    assert project.mapLayer(dem.id()) is dem
    pose = scene.camera_pose(settings, 369200, 5713800, 80, 300, pitch=50, heading=30)
    world = settings.worldToMapCoordinates(pose.centerPoint())
    assert (round(world.x()), round(world.y()), round(world.z())) == (369200, 5713800, 80)
    assert (pose.distanceFromCenterPoint(), pose.pitchAngle(), pose.headingAngle()) == (300, 50, 30)


@pytest.mark.parametrize("extent, height, message", [
    (QgsRectangle(), 60.0, "extent with an area"),
    (QgsRectangle(369000, 5713000, 369000, 5714000), 60.0, "extent with an area"),
    (QgsRectangle(369000, 5713000, 370000, 5714000), float("nan"), "ground height must be a number"),
    (QgsRectangle(369000, 5713000, 370000, 5714000), "60", "ground height must be a number"),
])
def test_3d_map_refuses_bad_input(qgis_app, extent, height, message):
    with pytest.raises(scene.SceneError, match=message):
        scene.city_map_settings(QgsProject(), extent, [], ground_height=height)


def test_3d_map_refuses_a_terrain_that_is_not_a_raster(qgis_app):
    points = memory_points(["name:string"], [("x",)])
    with pytest.raises(scene.SceneError, match="valid raster layer"):
        scene.city_map_settings(QgsProject(), QgsRectangle(0, 0, 10, 10), [], terrain=points)


# --- which files are city models (drag and drop) ------------------------------------------------


CITYGML_1 = """<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/1.0"
  xmlns:bldg="http://www.opengis.net/citygml/building/1.0" xmlns:gml="http://www.opengis.net/gml">
  <core:cityObjectMember><bldg:Building gml:id="DENW39AL0000aaaa"/></core:cityObjectMember>
</core:CityModel>
"""
CITYGML_2 = CITYGML_1.replace("/1.0", "/2.0").replace("core:", "").replace("xmlns:core", "xmlns")
CITYJSON_11 = '{"type": "CityJSON", "version": "1.1", "transform": {"scale": [0.001, 0.001, 0.001], ' \
              '"translate": [0, 0, 0]}, "CityObjects": {}, "vertices": []}'
CITYJSON_20 = CITYJSON_11.replace('"1.1"', '"2.0"')
GEOJSON = '{"type": "FeatureCollection", "features": []}'
PLAIN_GML = """<?xml version="1.0"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml">
</wfs:FeatureCollection>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE core:CityModel [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/1.0"><gml:name>&lol3;</gml:name></core:CityModel>
"""
GARBAGE = bytes(random.Random(2601).randrange(256) for _ in range(4096))
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE CityModel [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CityModel xmlns="http://www.opengis.net/citygml/2.0"><name>&secret;</name></CityModel>
"""


def write(path, content):
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize("name, content, kind", [
    ("LoD2_32_369_5713_1_NW.gml", CITYGML_1, "citygml"),
    ("tile.xml", CITYGML_2, "citygml"),
    ("truncated.gml", CITYGML_1[:300], "citygml"),  # the importer reports the truncation
    ("utf16.gml", b"\xff\xfe" + CITYGML_1.encode("utf-16-le"), "citygml"),
    ("herne.city.json", CITYJSON_11, "cityjson"),
    ("herne.json", CITYJSON_20, "cityjson"),
    ("model.cityjson", "\n  " + CITYJSON_20, "cityjson"),
])
def test_city_model_files_are_recognised(tmp_path, name, content, kind):
    inspected = city_model_files.inspect_file(write(tmp_path / name, content))
    assert (inspected.kind, inspected.refusal, inspected.accepted) == (kind, None, True)


@pytest.mark.parametrize("name, content", [
    ("roads.json", GEOJSON),
    ("wfs.gml", PLAIN_GML),
    ("garbage.gml", GARBAGE),
    ("garbage.json", GARBAGE),
    ("empty.gml", b""),
    ("text.gml", "CityModel http://www.opengis.net/citygml/1.0 but no XML at all"),
    ("tile.shp", CITYGML_1),  # a city model under a name no reader takes
    ("utf16-without-bom.gml", CITYGML_1.encode("utf-16-le")),
], ids=["geojson", "plain-gml", "garbage-gml", "garbage-json", "empty", "text", "shapefile-name", "utf16-no-bom"])
def test_other_files_are_not_city_models(tmp_path, name, content):
    inspected = city_model_files.inspect_file(write(tmp_path / name, content))
    assert inspected.kind is None and not inspected.accepted


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_city_models_declaring_entities_are_refused(tmp_path, content):
    inspected = city_model_files.inspect_file(write(tmp_path / "hostile.gml", content))
    assert inspected.kind == "citygml" and not inspected.accepted
    assert "declares XML entities" in inspected.refusal


def test_inspection_reads_only_the_start_of_a_huge_file(tmp_path):
    path = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    with open(path, "wb") as handle:
        handle.write(CITYGML_1[:-18].encode())
        handle.truncate(3 * 1024 ** 3)  # a sparse 3 GB file
    import time

    started = time.monotonic()
    inspected = city_model_files.inspect_file(str(path))
    assert inspected.accepted
    assert time.monotonic() - started < 1.0


def test_inspection_of_missing_paths_and_folders(tmp_path):
    assert city_model_files.inspect_file(str(tmp_path / "missing.gml")).kind is None
    folder = tmp_path / "tiles.gml"
    folder.mkdir()
    assert city_model_files.inspect_file(str(folder)).kind is None


def test_real_nrw_tiles_are_recognised(shared_citygml_dir):
    names = sorted(name for name in os.listdir(shared_citygml_dir) if name.endswith(".gml"))
    assert names
    for name in names:  # read in place: only the first bytes are read, nothing is written
        assert city_model_files.inspect_file(os.path.join(shared_citygml_dir, name)).accepted, name


# --- the drop handler and the dialog -------------------------------------------------------------


@pytest.fixture
def drop_handler(qgis_iface):
    from herne_twin_plugin.gui.city_model_drop import CityModelDropHandler

    opened = []
    handler = CityModelDropHandler(qgis_iface, open_import=opened.append)
    handler.opened = opened
    return handler


def test_dropped_city_models_open_one_import(drop_handler, tmp_path):
    first = write(tmp_path / "LoD2_32_369_5713_1_NW.gml", CITYGML_1)
    second = write(tmp_path / "herne.city.json", CITYJSON_20)
    assert drop_handler.handleFileDrop(first) is True
    assert drop_handler.handleFileDrop(second) is True
    assert drop_handler.opened == []  # the files of one drop are collected first
    QCoreApplication.processEvents()
    assert drop_handler.opened == [[first, second]]


@pytest.mark.parametrize("name, content", [
    ("roads.json", GEOJSON),
    ("wfs.gml", PLAIN_GML),
    ("garbage.gml", GARBAGE),
    ("empty.json", b""),
], ids=["geojson", "plain-gml", "garbage", "empty"])
def test_other_dropped_files_are_left_to_qgis(drop_handler, tmp_path, name, content):
    assert drop_handler.handleFileDrop(write(tmp_path / name, content)) is False
    QCoreApplication.processEvents()
    assert drop_handler.opened == []


def test_a_hostile_city_model_is_refused_with_a_warning(drop_handler, qgis_iface, tmp_path):
    warnings = qgis_iface.messageBar().get_messages(Qgis.Warning)
    path = write(tmp_path / "laughs.gml", BILLION_LAUGHS)
    assert drop_handler.handleFileDrop(path) is True  # claimed, so that no reader opens it
    QCoreApplication.processEvents()
    assert drop_handler.opened == []
    assert any("laughs.gml is not imported" in text for text in warnings), warnings


def test_drop_of_a_missing_file_does_not_crash(drop_handler, tmp_path):
    assert drop_handler.handleFileDrop(str(tmp_path / "gone.gml")) is False
    assert drop_handler.handleFileDrop("") is False


def test_the_drop_opens_the_dialog_with_the_files(qgis_iface, tmp_path):
    from herne_twin_plugin.gui.city_model_drop import CityModelDropHandler

    handler = CityModelDropHandler(qgis_iface)
    path = write(tmp_path / "LoD2_32_369_5713_1_NW.gml", CITYGML_1)
    assert handler.handleFileDrop(path)
    QCoreApplication.processEvents()
    assert handler.dialog is not None and handler.dialog.isVisible()
    assert handler.dialog.inputs() == [path]
    second = write(tmp_path / "LoD2_32_369_5714_1_NW.gml", CITYGML_1)
    assert handler.handleFileDrop(second)
    QCoreApplication.processEvents()
    assert handler.dialog.inputs() == [path, second]  # the open dialog takes the next drop
    handler.dialog.close()


@pytest.fixture
def dialog(qgis_iface, tmp_path):
    from herne_twin_plugin.core.settings import PluginSettings
    from herne_twin_plugin.gui.city_model_dialog import LAST_OUTPUT_KEY, CityModelImportDialog

    PluginSettings().remove(LAST_OUTPUT_KEY)
    project = QgsProject()
    widget = CityModelImportDialog(qgis_iface, [], project=project)
    widget.test_project = project
    yield widget
    widget.close()
    PluginSettings().remove(LAST_OUTPUT_KEY)


def test_dialog_builds_with_the_dropped_files(dialog, tmp_path):
    tile = write(tmp_path / "LoD2_32_369_5713_1_NW.gml", CITYGML_1)
    dialog.add_inputs([tile, tile])
    assert dialog.inputs() == [tile]
    dialog.output_widget.setFilePath(str(tmp_path / "herne"))
    dialog.keep_parts_check.setChecked(True)
    parameters = dialog.parameters()
    assert parameters == {"FILES": tile, "OUTPUT": str(tmp_path / "herne.gpkg"), "KEEP_PARTS": True}
    folder = tmp_path / "tiles"
    folder.mkdir()
    other = write(tmp_path / "herne.city.json", CITYJSON_20)
    dialog.add_inputs([str(folder), other])
    parameters = dialog.parameters()
    assert parameters["INPUT"] == str(folder)
    assert parameters["FILES"].split("\n") == [tile, other]
    assert dialog.style_combo.itemData(1) == "height"


def test_dialog_suggests_a_geopackage_beside_the_files(qgis_iface, tmp_path):
    from herne_twin_plugin.gui.city_model_dialog import default_output

    tile = write(tmp_path / "LoD2_32_369_5713_1_NW.gml", CITYGML_1)

    class NoSettings:
        def value(self, key, default=None):
            return default

    assert default_output([tile], NoSettings()) == str(tmp_path / "herne_citymodel.gpkg")


def test_dialog_explains_missing_input(dialog, tmp_path):
    dialog.output_widget.setFilePath(str(tmp_path / "out.gpkg"))
    with pytest.raises(ValueError, match="Add at least one"):
        dialog.parameters()
    dialog.add_inputs([write(tmp_path / "a.gml", CITYGML_1)])
    dialog.output_widget.setFilePath(str(tmp_path / "no" / "such" / "folder" / "out.gpkg"))
    with pytest.raises(ValueError, match="does not exist"):
        dialog.parameters()
    dialog.output_widget.setFilePath("")
    with pytest.raises(ValueError, match="Choose the GeoPackage"):
        dialog.parameters()


def test_dialog_with_the_map_extent(dialog, qgis_iface, tmp_path):
    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(369000, 5713000, 370000, 5714000))
    dialog.extent_check.setEnabled(True)
    dialog.extent_check.setChecked(True)
    dialog.add_inputs([write(tmp_path / "a.gml", CITYGML_1)])
    dialog.output_widget.setFilePath(str(tmp_path / "out.gpkg"))
    extent = dialog.parameters()["EXTENT"]
    assert extent.width() > 0 and extent.height() > 0


@pytest.fixture
def importer(hernetwin_provider):
    algorithm = hernetwin_provider.algorithm("importcitymodel")
    assert algorithm is not None, "the provider hernetwin has no importcitymodel algorithm"
    return algorithm


def run_import(dialog, timeout=300):
    """Start the dialog's import and wait for the background task; the layers it emitted, or None."""
    import time

    finished = []
    dialog.finished_import.connect(finished.append)
    dialog.start_import()
    deadline = time.monotonic() + timeout
    while dialog.task is not None and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert dialog.task is None, "the import did not finish in time"
    return finished[0] if finished else None


def sample_tiles(sample_dir):
    folder = os.path.join(sample_dir, "citygml")
    return sorted((os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".gml")),
                  key=os.path.getsize)


def test_dialog_says_when_the_importer_is_missing(dialog, importer, tmp_path, monkeypatch):
    registry = QgsApplication.processingRegistry()
    monkeypatch.setattr(registry, "createAlgorithmById", lambda *args: None)
    dialog.add_inputs([write(tmp_path / "a.gml", CITYGML_1)])
    dialog.start_import()
    assert "importer (hernetwin:importcitymodel) is not available" in dialog.status_label.text()
    assert dialog.task is None


def test_dialog_imports_a_tile_and_adds_it_styled(dialog, importer, sample_dir, tmp_path):
    dialog.add_inputs([sample_tiles(sample_dir)[0]])
    dialog.output_widget.setFilePath(str(tmp_path / "imported.gpkg"))
    layers = run_import(dialog)
    assert layers is not None, dialog.status_label.text()
    count = layers["buildings"].featureCount()
    assert count > 0
    assert "{} buildings imported, 0 failed".format(count) in dialog.status_label.text()
    assert layers["building_surfaces"].renderer3D() is not None
    assert layers["building_footprints"].renderer().type() == "categorizedSymbol"
    assert dialog.test_project.layerTreeRoot().findGroup("City model (LoD2)") is not None


def test_dialog_shows_why_an_import_failed(dialog, importer, tmp_path):
    dialog.add_inputs([write(tmp_path / "LoD2_32_369_5713_1_NW.gml", BILLION_LAUGHS)])
    dialog.output_widget.setFilePath(str(tmp_path / "hostile.gpkg"))
    assert run_import(dialog) is None
    text = dialog.status_label.text()
    assert text.startswith("The import failed: ") and "LoD2_32_369_5713_1_NW" in text, text
    assert dialog.import_button.isEnabled()  # ready for the next try


def test_dialog_cancel_keeps_a_consistent_geopackage(dialog, importer, sample_dir, tmp_path):
    dialog.add_inputs(sample_tiles(sample_dir))
    output = tmp_path / "canceled.gpkg"
    dialog.output_widget.setFilePath(str(output))
    original = dialog.start_import

    def start_and_cancel():
        original()
        dialog.cancel_import()

    dialog.start_import = start_and_cancel
    layers = run_import(dialog)
    assert "canceled" in dialog.status_label.text(), dialog.status_label.text()
    if layers is not None:  # tiles finished before the cancel are kept, complete
        surfaces_ids = {f["building_id"] for f in layers["building_surfaces"].getFeatures()}
        building_ids = {f["building_id"] for f in layers["buildings"].getFeatures()}
        assert surfaces_ids <= building_ids


# --- the 3D picture under Xvfb --------------------------------------------------------------------


ROOF_HUE = (0, 15)
WALL_HUE = (25, 55)


def colour_shares(image):
    """Shares of roof-red, wall-sand and other pixels, and the number of distinct colours."""
    roof = wall = total = 0
    colours = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            colour = QColor(image.pixel(x, y))
            colours.add(colour.rgb())
            hue, saturation, value = colour.hsvHue(), colour.hsvSaturationF(), colour.valueF()
            total += 1
            if (hue <= ROOF_HUE[1] or hue >= 350) and saturation > 0.45 and 0.25 < value < 0.95:
                roof += 1
            elif WALL_HUE[0] <= hue <= WALL_HUE[1] and 0.06 < saturation < 0.35 and value > 0.45:
                wall += 1
    return roof / total, wall / total, len(colours)


def test_colour_classes_tell_roof_and_wall_from_ground_and_sky():
    """The check below must be able to fail: the scene's own ground, sky and water are neither."""
    image = QImage(30, 10, QImage.Format_RGB32)
    import view3d

    others = [scene.GROUND_COLOUR, scene.SKY_COLOUR, view3d.STREET_COLOUR] + [c for _v, c in styles.DEPTH_CLASS_COLOURS]
    for colour in others:
        image.fill(QColor(colour))
        assert colour_shares(image)[:2] == (0, 0), colour
    image.fill(QColor(styles.ROOF_COLOUR))
    assert colour_shares(image)[0] == 1
    image.fill(QColor(styles.WALL_COLOUR).darker(130))  # a wall in the shade
    assert colour_shares(image)[1] == 1


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    from herne_twin_plugin.core.sample_city import generate

    return generate(str(tmp_path_factory.mktemp("sample")), scale="sample")["output_dir"]


def run_view3d(*arguments, timeout=400):
    env = dict(os.environ, PYTHONPATH=REPO_ROOT)
    return subprocess.run([sys.executable, VIEW3D, *arguments], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=REPO_ROOT)


def test_3d_view_under_xvfb_shows_roofs_and_walls(sample_dir, city_model, tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian package xvfb): no 3D rendering without a screen")
    png = tmp_path / "herne_3d.png"
    run = run_view3d("--sample", sample_dir, "--city-model", city_model, "--out", str(png), "--size", "800x500")
    if run.returncode == 4:
        pytest.skip("no OpenGL context under Xvfb (Mesa's libGL/llvmpipe missing?): " + run.stderr[-300:])
    assert run.returncode == 0, run.stdout + run.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 500)
    roof, wall, colours = colour_shares(image)
    assert colours > 200, "a flat picture: {} colours".format(colours)
    assert roof > 0.01, "roof red covers {:.2%}".format(roof)
    assert wall > 0.005, "wall sand covers {:.2%}".format(wall)
    assert not os.path.exists(str(png) + ".partial.png")


def test_3d_view_reports_a_missing_xvfb(monkeypatch, tmp_path):
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import view3d

    monkeypatch.setattr(view3d.shutil, "which", lambda name: None)
    with pytest.raises(view3d.View3DError, match="xvfb-run is not installed") as raised:
        view3d.render_png(str(tmp_path), str(tmp_path / "city.gpkg"), str(tmp_path / "x.png"))
    assert raised.value.exit_code == 3


def test_3d_view_is_bounded_in_time(sample_dir, city_model, tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import view3d

    with pytest.raises(view3d.View3DError, match="not ready within 1 s"):
        view3d.render_png(sample_dir, city_model, str(tmp_path / "slow.png"), timeout=1)
    assert not os.path.exists(tmp_path / "slow.png")


def test_3d_view_refuses_a_city_model_that_is_not_one(sample_dir, tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    bogus = tmp_path / "bogus.gpkg"
    bogus.write_bytes(b"not a geopackage")
    run = run_view3d("--sample", sample_dir, "--city-model", str(bogus), "--out", str(tmp_path / "x.png"))
    assert run.returncode == 1
    assert "rendering failed" in run.stderr
    log = (tmp_path / "view3d_files" / "view3d.log").read_text()
    # the log names the file and the layers it lacks (in the user's language)
    assert "bogus.gpkg" in log and "building_surfaces" in log


# --- the demo's city model ------------------------------------------------------------------------


def test_demo_shows_the_city_model_in_2d_and_3d(importer, sample_dir, tmp_path):
    """What the demo does with the sample city's tiles (needs the importer; the picture needs Xvfb)."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import demo_citymodel

    project = QgsProject()
    result = demo_citymodel.show_city_model(sample_dir, str(tmp_path), project, render=shutil.which("xvfb-run"))
    footprints = result["layers"]["building_footprints"]
    sample_footprints = QgsVectorLayer(os.path.join(sample_dir, "herne_sample.gpkg") + "|layername=building_footprints")
    assert result["buildings"] == footprints.featureCount() == sample_footprints.featureCount()
    assert footprints.renderer().type() == "categorizedSymbol"
    assert project.layerTreeRoot().findGroup("City model (LoD2)") is not None
    if not shutil.which("xvfb-run"):
        pytest.skip("xvfb-run is not installed: no 3D picture")
    if result["png"] is None and "OpenGL" in (result["png_problem"] or ""):
        pytest.skip(result["png_problem"])
    assert result["png"] == str(tmp_path / "herne_3d.png")
    roof, wall, _colours = colour_shares(QImage(result["png"]))
    assert roof > 0.05 and wall > 0.02, (roof, wall)

    again = demo_citymodel.show_city_model(sample_dir, str(tmp_path), project, render=False)
    assert os.path.getmtime(again["geopackage"]) == os.path.getmtime(result["geopackage"])  # not imported twice
    assert len(project.mapLayers()) == 3


# --- in the real QGIS desktop -----------------------------------------------------------------------


@pytest.mark.gui
def test_dropping_a_tile_on_the_map_of_qgis_imports_it(sample_dir, tmp_path):
    """QGIS desktop under Xvfb: drag a sample tile onto the map; the dialog opens with it (QGIS does not
    open it as GML itself) and imports it into a styled city model group."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian package xvfb)")
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import qgis_desktop

    tile = tmp_path / "LoD2_32_368_5714_1_NW.gml"
    shutil.copy(sample_tiles(sample_dir)[0], tile)
    profiles = str(tmp_path / "profiles")
    qgis_desktop.make_profile(profiles, locale="en")
    out, log = str(tmp_path / "result.json"), str(tmp_path / "qgis.log")
    script = os.path.join(REPO_ROOT, "tests", "desktop", "check_city_model_drop.py")
    env = {"HERNE_TWIN_CHECK_OUT": out, "HERNE_TWIN_DROP_FILE": str(tile),
           "HERNE_TWIN_DROP_GPKG": str(tmp_path / "dropped.gpkg")}
    process = qgis_desktop.run_qgis(profiles, script, timeout=300, env=env, log_path=log)
    assert os.path.exists(out), "QGIS wrote no result (exit {}); log:\n{}".format(
        process.returncode, open(log, encoding="utf-8", errors="replace").read()[-4000:])
    with open(out, encoding="utf-8") as handle:
        result = json.load(handle)
    assert "error" not in result, result["error"]
    assert result["drop_accepted"] and result["dialog_open"], result
    assert result["dialog_inputs"] == [str(tile)]
    assert result["layers_opened_by_qgis"] == []  # not opened a second time as plain GML
    assert result["group"] == "City model (LoD2)", result.get("status")
    layers = result["layers"]
    assert layers["Roofs and walls (3D)"]["renderer_3d"] == "rulebased"
    assert layers["Roofs and walls (3D)"]["renderer_2d"] == "nullSymbol"
    assert layers["Building footprints"]["renderer_2d"] == "categorizedSymbol"
    assert layers["Buildings (LoD2 solids)"]["features"] > 0
    assert "{} buildings imported".format(layers["Buildings (LoD2 solids)"]["features"]) in result["status"]
