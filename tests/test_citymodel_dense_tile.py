"""The densest generated tile (Herne-Mitte, about 2,900 buildings): what the fast paths write is what the
plain paths write, and its values hold up against an independent computation from the written geometry."""

import math
import sqlite3

import numpy
import pytest
from citymodel_support import geopackage_content
from osgeo import ogr

from herne_twin_plugin.core.citymodel import import_city_model, spatial_index
from herne_twin_plugin.core.sample_city import DEFAULT_SEED, citygml_writer
from herne_twin_plugin.core.sample_city.buildings import city_buildings
from herne_twin_plugin.core.sample_city.districts import herne_districts
from herne_twin_plugin.core.sample_city.scales import Scale
from herne_twin_plugin.core.sample_city.streets import city_streets

TILE = (369000.0, 5713000.0, 370000.0, 5714000.0)  # LoD2_32_369_5713_1_NW


@pytest.fixture(scope="module")
def dense_tile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dense")
    districts = herne_districts()
    buildings = city_buildings(DEFAULT_SEED, city_streets(DEFAULT_SEED, districts), districts,
                               Scale("dense", TILE, 0, 1.0))
    citygml_writer.write_tiles(str(folder), buildings, DEFAULT_SEED, "SYNTHETISCH - dense tile test")
    path = folder / "LoD2_32_369_5713_1_NW.gml"
    assert path.exists() and len(buildings) > 2000
    output = str(folder / "packed.gpkg")
    summary = import_city_model([str(path)], output)
    assert summary.buildings == len(buildings) and summary.failures == 0
    return path, output


def test_the_packed_spatial_index_gives_the_geopackage_a_row_by_row_fill_gives(dense_tile, tmp_path, monkeypatch):
    path, packed = dense_tile
    monkeypatch.setattr(spatial_index, "pack", lambda *args: False)  # every box inserted row by row
    row_by_row = str(tmp_path / "row_by_row.gpkg")
    import_city_model([str(path)], row_by_row)
    expected, actual = geopackage_content(row_by_row), geopackage_content(packed)
    assert list(actual) == list(expected)
    for table in expected:
        assert actual[table] == expected[table], table
    with sqlite3.connect(packed) as db:
        for layer in ("buildings", "building_footprints", "building_surfaces"):
            assert db.execute("SELECT rtreecheck('rtree_{}_geom')".format(layer)).fetchone()[0] == "ok"
            depth = db.execute('SELECT rtreedepth(data) FROM "rtree_{}_geom_node" WHERE nodeno = 1'.format(
                layer)).fetchone()[0]
            assert depth >= 1  # thousands of rows: a tree, not one node


def test_most_of_a_big_tile_goes_into_the_spatial_index_before_the_commit(dense_tile, tmp_path, monkeypatch):
    """Once three quarters of the tile are written, their rows are packed into the spatial indexes; the rest
    is packed at the commit, hung into the same trees: each index holds every row once and checks out."""
    from herne_twin_plugin.core.citymodel import geopackage_writer

    path, _packed = dense_tile
    rows_then = []
    original = geopackage_writer.CityModelGeoPackage.pack_spatial_indexes

    def spy(self):
        original(self)
        rows_then.append(self._db.execute("SELECT COUNT(*) FROM rtree_building_surfaces_geom").fetchone()[0])

    monkeypatch.setattr(geopackage_writer.CityModelGeoPackage, "pack_spatial_indexes", spy)
    output = str(tmp_path / "early.gpkg")
    summary = import_city_model([str(path)], output)
    assert summary.parse_workers >= 1 and len(rows_then) == 1
    with sqlite3.connect(output) as db:
        surfaces = db.execute("SELECT COUNT(*) FROM building_surfaces").fetchone()[0]
        assert 0.6 * surfaces < rows_then[0] < surfaces
        for layer in ("buildings", "building_footprints", "building_surfaces"):
            assert db.execute("SELECT rtreecheck('rtree_{}_geom')".format(layer)).fetchone()[0] == "ok"
            assert db.execute('SELECT COUNT(*) FROM "{0}" WHERE fid NOT IN (SELECT id FROM "rtree_{0}_geom")'
                              .format(layer)).fetchone()[0] == 0
            assert db.execute('SELECT COUNT(*) FROM "rtree_{0}_geom"'.format(layer)).fetchone()[0] == \
                db.execute('SELECT COUNT(*) FROM "{0}"'.format(layer)).fetchone()[0]


def _newell(points):
    """Normal (length = twice the area) of a closed ring of 3D points, computed here with numpy."""
    p = numpy.asarray(points, dtype=float)
    p = p - p[0]
    q = numpy.roll(p, -1, axis=0)[:-1]
    p = p[:-1]
    return numpy.array([((p[:, 1] - q[:, 1]) * (p[:, 2] + q[:, 2])).sum(),
                        ((p[:, 2] - q[:, 2]) * (p[:, 0] + q[:, 0])).sum(),
                        ((p[:, 0] - q[:, 0]) * (p[:, 1] + q[:, 1])).sum()])


def test_every_surface_has_the_area_and_orientation_of_its_written_geometry(dense_tile):
    _path, gpkg = dense_tile
    dataset = ogr.Open(gpkg)
    layer = dataset.GetLayerByName("building_surfaces")
    checked = 0
    for feature in layer:
        geometry = feature.GetGeometryRef()
        normal = numpy.zeros(3)
        area = 0.0
        for index in range(geometry.GetGeometryCount()):
            polygon = geometry.GetGeometryRef(index)
            rings = [_newell(polygon.GetGeometryRef(r).GetPoints()) for r in range(polygon.GetGeometryCount())]
            outer = rings[0]
            for hole in rings[1:]:
                outer = outer - hole if numpy.dot(outer, hole) > 0 else outer + hole
            if feature.GetField("surface_type") == "RoofSurface" and outer[2] < 0:
                outer = -outer
            normal += outer
            area += 0.5 * numpy.linalg.norm(outer)
        assert feature.GetField("area_m2") == pytest.approx(area, rel=1e-9, abs=1e-9)
        tilt = math.degrees(math.atan2(math.hypot(normal[0], normal[1]), abs(normal[2])))
        assert feature.GetField("tilt_deg") == pytest.approx(tilt, abs=1e-6)
        if tilt >= 1.0:
            azimuth = math.degrees(math.atan2(normal[0], normal[1])) % 360.0
            assert min(abs(feature.GetField("azimuth_deg") - azimuth),
                       360 - abs(feature.GetField("azimuth_deg") - azimuth)) < 1e-6
        else:
            assert feature.GetField("azimuth_deg") is None
        checked += 1
    assert checked > 15000


def test_every_building_is_a_closed_solid_made_of_its_surfaces(dense_tile):
    _path, gpkg = dense_tile
    with sqlite3.connect(gpkg) as db:
        assert db.execute("SELECT COUNT(*) FROM buildings WHERE NOT is_closed").fetchone()[0] == 0
        mismatched = db.execute(
            "SELECT COUNT(*) FROM buildings b WHERE b.ridge_height < b.ground_height OR b.ground_height != "
            "(SELECT MIN(f.ground_height) FROM building_footprints f WHERE f.building_id = b.building_id)"
        ).fetchone()[0]
        assert mismatched == 0
        surfaces_per_building = db.execute(
            "SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM building_surfaces GROUP BY building_id)").fetchone()[0]
        assert surfaces_per_building >= 4  # ground, walls and roof of even the smallest shell
