"""The small parts of the city-model importer: coordinate systems, ALKIS labels, tile names, geometry."""

import math

import pytest

from herne_twin_plugin.core.citymodel import BuildingFailure, CityModelError, TileError, codes, srs, tiles
from herne_twin_plugin.core.citymodel.geometry import (
    Polygon,
    closed_ring,
    footprint,
    is_closed,
    make_polygon,
    multipolygon_z_wkb,
    orientation,
)


@pytest.mark.parametrize("name", [
    "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016",
    "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH",
    "urn:adv:crs:ETRS89_UTM32",
    "urn:ogc:def:crs:EPSG::25832",
    "urn:ogc:def:crs:EPSG:6.12:25832",
    "urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837",
    "http://www.opengis.net/def/crs/EPSG/0/25832",
    "https://www.opengis.net/def/crs/EPSG/0/25832",
    "http://www.opengis.net/def/crs-compound?1=http://www.opengis.net/def/crs/EPSG/0/25832"
    "&2=http://www.opengis.net/def/crs/EPSG/0/7837",
    "EPSG:25832",
    " EPSG:25832+7837 ",
])
def test_the_nrw_coordinate_system_is_read_in_all_its_spellings(name):
    assert srs.check_srs_name(name) == "EPSG:25832"


@pytest.mark.parametrize("name", [
    "urn:ogc:def:crs:EPSG::4326", "EPSG:31467", "urn:adv:crs:ETRS89_UTM33*DE_DHHN2016_NH",
    "urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH", "urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783",
    "http://www.opengis.net/def/crs/EPSG/0/4258", "UTM32", "25832",
])
def test_other_coordinate_systems_are_refused_by_name(name):
    with pytest.raises(TileError) as error:
        srs.check_srs_name(name)
    assert name.strip() in error.value.reason


def test_a_missing_srs_name_is_refused_unless_assumed():
    for missing in (None, "", "  "):
        with pytest.raises(TileError):
            srs.check_srs_name(missing)
        assert srs.check_srs_name(missing, assume_default=True) == "EPSG:25832"


@pytest.mark.parametrize("code, label", [
    ("31001_1000", "Wohngebäude"), ("31001_1010", "Wohnhaus"), ("31001_2463", "Garage"),
    ("31001_2020", "Bürogebäude"), ("31001_3065", "Kinderkrippe, Kindergarten, Kindertagesstätte"),
    ("31001_2723", "Schuppen"), ("51009_1611", "Carport"), ("1010", "Wohnhaus"), ("31001_0000", None), (None, None),
])
def test_building_functions_have_their_alkis_labels(code, label):
    assert codes.function_label(code) == label


def test_roof_types_have_their_alkis_labels():
    assert {code: codes.roof_type_label(code) for code in ("1000", "2100", "2200", "3100", "3200", "3300", "3400",
                                                           "3500", "3600", "3700", "3800", "3900", "4000", "5000",
                                                           "9999")} == {
        "1000": "Flachdach", "2100": "Pultdach", "2200": "Versetztes Pultdach", "3100": "Satteldach",
        "3200": "Walmdach", "3300": "Krüppelwalmdach", "3400": "Mansardendach", "3500": "Zeltdach",
        "3600": "Kegeldach", "3700": "Kuppeldach", "3800": "Sheddach", "3900": "Bogendach", "4000": "Turmdach",
        "5000": "Mischform", "9999": "Sonstiges"}
    assert codes.roof_type_label(3100) == "Satteldach" and codes.roof_type_label("1234") is None


def test_every_function_code_in_the_real_tiles_has_a_label(shared_citygml_dir):
    import glob
    import re

    found = set()
    for path in glob.glob(shared_citygml_dir + "/*.gml"):
        with open(path, encoding="utf-8") as handle:
            found.update(re.findall(r"<bldg:function>([^<]+)<", handle.read()))
    assert found and [code for code in found if codes.function_label(code) is None] == []


def test_tile_names_and_the_tiles_an_extent_touches():
    assert tiles.tile_name(369, 5713) == "LoD2_32_369_5713_1_NW"
    assert tiles.parse_tile_name("/data/LoD2_32_369_5713_1_NW.gml") == (369, 5713)
    assert tiles.parse_tile_name("LoD2_32_369_5713_1_NW.city.json") == (369, 5713)
    assert tiles.parse_tile_name("herne.gml") is None
    assert tiles.tiles_touching((369100, 5713100, 369900, 5713900)) == [(369, 5713)]
    # an extent ending exactly on a tile border does not reach into the next tile
    assert tiles.tiles_touching((369000, 5713000, 370000, 5714000)) == [(369, 5713)]
    assert tiles.tiles_touching((369999, 5713999, 370001, 5714001)) == [
        (369, 5713), (369, 5714), (370, 5713), (370, 5714)]
    assert tiles.tiles_touching((369500, 5713500, 369500, 5713500)) == [(369, 5713)]  # a point


def test_an_extent_of_the_wrong_kind_is_a_clear_error():
    with pytest.raises(CityModelError) as error:
        tiles.tiles_touching((0, 0, 1e7, 1e7))  # not Herne, not NRW: most likely not EPSG:25832
    assert "EPSG:25832" in error.value.reason
    for broken in ((1, 1, 0, 0), (0, 0, float("nan"), 1)):
        with pytest.raises(CityModelError):
            tiles.tiles_touching(broken)


def ring(*points):
    return closed_ring([value for point in points for value in point])


def square(z=0.0, size=10.0, upward=True):
    points = [(0, 0, z), (size, 0, z), (size, size, z), (0, size, z)]
    return make_polygon([ring(*(points if upward else points[::-1]))], "square")


def test_area_tilt_and_azimuth_come_from_the_polygon_normal():
    flat = square()
    assert flat.area == pytest.approx(100.0)
    assert orientation(flat.normal) == (0.0, None)
    # a roof plane rising towards the north faces south: azimuth 180
    south = make_polygon([ring((0, 0, 0), (10, 0, 0), (10, 4, 3), (0, 4, 3))], "south")
    tilt, azimuth = orientation(south.normal)
    assert south.area == pytest.approx(50.0)
    assert tilt == pytest.approx(math.degrees(math.atan2(3, 4))) and azimuth == pytest.approx(180.0)
    # a wall drawn along its base, then up, faces to the right of that base
    for (dx, dy), expected in (((0, 1), 90.0), ((1, 0), 180.0), ((0, -1), 270.0), ((-1, 0), 0.0)):
        wall = make_polygon([ring((0, 0, 0), (dx, dy, 0), (dx, dy, 3), (0, 0, 3))], "wall")
        tilt, azimuth = orientation(wall.normal)
        assert tilt == pytest.approx(90.0) and azimuth == pytest.approx(expected), (dx, dy)


def test_a_hole_takes_its_area_off_whichever_way_it_runs():
    outer = [(0, 0, 0), (10, 0, 0), (10, 10, 0), (0, 10, 0)]
    hole = [(2, 2, 0), (4, 2, 0), (4, 4, 0), (2, 4, 0)]
    for inner in (hole, hole[::-1]):
        assert make_polygon([ring(*outer), ring(*inner)], "holed").area == pytest.approx(96.0)


def test_reversing_a_polygon_turns_its_normal():
    polygon = square()
    assert polygon.reversed().normal == tuple(-v for v in polygon.normal)
    assert polygon.reversed().reversed().rings == polygon.rings


@pytest.mark.parametrize("points, words", [
    ([(0, 0, 0), (1, 0, 0), (0, 0, 0)], "fewer than 3"),
    ([(0, 0, 0), (1, 1, 1), (2, 2, 2), (3, 3, 3)], "no area"),
    ([(0, 0, 0), (float("nan"), 0, 0), (1, 1, 0)], "NaN"),
    ([(0, 0, 0), (float("inf"), 0, 0), (1, 1, 0)], "NaN or infinite"),
])
def test_degenerate_polygons_are_refused_with_the_reason(points, words):
    with pytest.raises(BuildingFailure) as error:
        make_polygon([ring(*points)], "P7")
    assert words in error.value.reason and "P7" in error.value.reason


def box(x0=0.0, y0=0.0, z0=0.0, size=1.0, drop=None):
    """The six outward faces of a cube; ``drop`` leaves one out."""
    x1, y1, z1 = x0 + size, y0 + size, z0 + size
    faces = [
        [(x0, y0, z0), (x0, y1, z0), (x1, y1, z0), (x1, y0, z0)],
        [(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)],
        [(x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)],
        [(x1, y0, z0), (x1, y1, z0), (x1, y1, z1), (x1, y0, z1)],
        [(x1, y1, z0), (x0, y1, z0), (x0, y1, z1), (x1, y1, z1)],
        [(x0, y1, z0), (x0, y0, z0), (x0, y0, z1), (x0, y1, z1)],
    ]
    return [make_polygon([ring(*face)], "f%d" % i) for i, face in enumerate(faces) if i != drop]


def test_a_cube_is_closed_an_open_box_is_not():
    assert is_closed(box(369000.123, 5713000.456, 61.5))
    assert not is_closed(box(drop=1))
    assert not is_closed(box() + box(drop=None)[:1])  # one face twice: an edge used three times


def test_a_t_junction_still_counts_as_closed():
    """The top face's edge along the front is split in two where a neighbour part meets it."""
    cube = box()
    split_front = [(0, 0, 0), (0.5, 0, 0), (1, 0, 0), (1, 0, 1), (0, 0, 1)]
    cube[2] = make_polygon([ring(*split_front)], "front")
    assert is_closed(cube)


def test_coordinates_a_millimetre_apart_still_close_the_shell():
    cube = box()
    shifted = [value + (0.0002 if index % 3 == 0 else 0.0) for index, value in enumerate(cube[3].rings[0])]
    cube[3] = Polygon([shifted], cube[3].normal, cube[3].box)
    assert is_closed(cube)


def test_footprints_dissolve_parts_standing_side_by_side():
    left = square()
    right = make_polygon([ring((10, 0, 0), (20, 0, 0), (20, 10, 0), (10, 10, 0))], "right")
    wkb, envelope = footprint([left, right])
    from osgeo import ogr

    geometry = ogr.CreateGeometryFromWkb(wkb)
    assert geometry.GetGeometryCount() == 1 and geometry.Area() == pytest.approx(200.0)
    assert envelope == (0, 20, 0, 10)
    # without ground surfaces: the projection of the roof
    roof = make_polygon([ring((0, 0, 5), (10, 0, 5), (10, 4, 8), (0, 4, 8))], "roof")
    wall = make_polygon([ring((0, 0, 0), (10, 0, 0), (10, 0, 5), (0, 0, 5))], "wall")
    wkb, _envelope = footprint([], [roof, wall])
    assert ogr.CreateGeometryFromWkb(wkb).Area() == pytest.approx(40.0)


def test_wkb_is_read_back_by_gdal_as_the_same_solid():
    from osgeo import ogr

    geometry = ogr.CreateGeometryFromWkb(multipolygon_z_wkb(box(369000.0, 5713000.0, 60.0, 10.0)))
    assert geometry.GetGeometryName() == "MULTIPOLYGON" and geometry.Is3D()
    assert geometry.GetGeometryCount() == 6
    assert geometry.GetEnvelope3D() == (369000.0, 369010.0, 5713000.0, 5713010.0, 60.0, 70.0)
