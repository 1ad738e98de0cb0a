"""The city-model import as a user checks it: every building of a tile is in the GeoPackage or listed with
its reason, the values are those of the source, tiles are not imported twice, cancel leaves it consistent."""

import glob
import json
import math
import os
import shutil

import pytest
from citymodel_support import (
    RecordingFeedback,
    RecordingServer,
    count_building_elements,
    fixture,
    fixture_text,
    query,
    rows_as_dicts,
    scalar,
    spatial_index_matches,
    tile_rows,
)
from lxml import etree
from qgis.core import QgsGeometry, QgsVectorLayer, QgsWkbTypes

from herne_twin_plugin.core.citymodel import CityModelError, import_city_model, layers
from herne_twin_plugin.core.sample_city import generate

GML = "{http://www.opengis.net/gml}"
BLDG = "{http://www.opengis.net/citygml/building/1.0}"
THEMATIC_SURFACES = ("RoofSurface", "WallSurface", "GroundSurface", "ClosureSurface", "OuterCeilingSurface",
                     "OuterFloorSurface")


@pytest.fixture(scope="module")
def real_tiles(shared_citygml_dir, tmp_path_factory):
    """The real NRW tiles, imported once (with building parts kept)."""
    output = str(tmp_path_factory.mktemp("real") / "nrw.gpkg")
    summary = import_city_model([shared_citygml_dir], output, keep_parts=True)
    return shared_citygml_dir, output, summary


@pytest.fixture(scope="module")
def sample_tiles(tmp_path_factory):
    """The generated sample city (its CityGML tiles and its own building table), imported once."""
    folder = tmp_path_factory.mktemp("sample")
    city = generate(str(folder), scale="sample")
    output = str(folder / "city_model.gpkg")
    summary = import_city_model([city["citygml_dir"]], output)
    return city, output, summary


def test_every_real_building_is_imported_or_listed_with_its_reason(real_tiles):
    folder, gpkg, summary = real_tiles
    tiles = sorted(glob.glob(os.path.join(folder, "*.gml")))
    assert len(tiles) == 4 and sorted(summary.tiles_imported) == [os.path.basename(t) for t in tiles]
    total = 0
    for path in tiles:
        expected = count_building_elements(path)
        rows = tile_rows(gpkg, os.path.basename(path))
        assert rows["buildings"] + rows["import_failures"] == expected, path
        assert rows["building_footprints"] == rows["buildings"]
        total += expected
    assert total == 239  # 1 + 15 + 29 + 194, as the data's README says
    assert summary.buildings + summary.failures == total
    ids = [row[0] for row in query(gpkg, "SELECT building_id FROM buildings UNION ALL "
                                         "SELECT building_id FROM import_failures")]
    assert len(ids) == len(set(ids)) == total


def test_every_sample_city_building_is_imported_with_the_generators_values(sample_tiles):
    city, gpkg, summary = sample_tiles
    assert summary.tiles_imported and not summary.tiles_failed
    for path in city["citygml_tiles"]:
        rows = tile_rows(gpkg, os.path.basename(path))
        assert rows["buildings"] + rows["import_failures"] == count_building_elements(path)
    # the generator's own table of the same buildings (a different path from the same city)
    expected = {row["building_id"]: row for row in rows_as_dicts(city["geopackage"], "building_footprints")}
    imported = {row["building_id"]: row for row in rows_as_dicts(gpkg, "buildings")}
    assert scalar(gpkg, "SELECT COUNT(*) FROM import_failures") == 0
    assert set(imported) == set(expected)
    for building_id, source in expected.items():
        row = imported[building_id]
        assert row["function_code"] == source["function_code"]
        # the generator shortens one ALKIS label ("Lagerhalle" for "Lagerhalle, Lagerschuppen, Lagerhaus")
        assert row["function_label"].startswith(source["function_label"])
        assert row["roof_type_code"] == str(source["roof_type"])
        assert row["roof_type_label"] == source["roof_type_label"]
        assert row["measured_height"] == pytest.approx(source["measured_height"], abs=1e-3)
        assert row["ground_height"] == pytest.approx(source["ground_height"], abs=1e-3)
        assert row["ridge_height"] == pytest.approx(source["ground_height"] + source["measured_height"], abs=2e-3)
        assert row["part_count"] == (source["storey_parts"] if source["storey_parts"] > 1 else 0)
        assert row["is_closed"] == 1  # the generator writes closed solids
        assert row["source_tile"] == source["citygml_tile"] + ".gml"


def test_footprints_cover_the_generators_building_outlines(sample_tiles, qgis_app):
    city, gpkg, _summary = sample_tiles
    expected = QgsVectorLayer(city["geopackage"] + "|layername=building_footprints", "expected", "ogr")
    footprints = QgsVectorLayer(gpkg + "|layername=building_footprints", "footprints", "ogr")
    outlines = {f["building_id"]: f.geometry() for f in expected.getFeatures()}
    compared = 0
    for feature in footprints.getFeatures():
        outline = outlines[feature["building_id"]]
        geometry = feature.geometry()
        assert geometry.isGeosValid()
        difference = geometry.symDifference(outline).area()
        assert difference < 0.01 * outline.area() + 0.05, feature["building_id"]
        compared += 1
    assert compared == expected.featureCount()


def test_layers_keep_the_contract_in_epsg_25832(real_tiles, qgis_app):
    _folder, gpkg, _summary = real_tiles
    geometry_types = {
        "buildings": QgsWkbTypes.MultiPolygonZ, "building_parts": QgsWkbTypes.MultiPolygonZ,
        "building_surfaces": QgsWkbTypes.MultiPolygonZ, "building_footprints": QgsWkbTypes.MultiPolygon,
    }
    for spec in layers.LAYERS:
        layer = QgsVectorLayer("{}|layername={}".format(gpkg, spec.name), spec.name, "ogr")
        assert layer.isValid(), spec.name
        names = [field.name() for field in layer.fields()]
        assert names[1:] == spec.field_names if names[0] == "fid" else names == spec.field_names
        if spec.name in geometry_types:
            assert layer.wkbType() == geometry_types[spec.name], spec.name
            assert layer.crs().authid() == "EPSG:25832"
            assert layer.featureCount() > 0
            assert spatial_index_matches(gpkg, spec.name)
    descriptions = dict(query(gpkg, "SELECT table_name, description FROM gpkg_contents"))
    assert "DHHN2016" in descriptions["buildings"] and "EPSG:25832" in descriptions["buildings"]
    # QGIS reads true 3D solids, not GDAL's line strings
    buildings = QgsVectorLayer(gpkg + "|layername=buildings", "buildings", "ogr")
    feature = next(buildings.getFeatures())
    assert QgsWkbTypes.hasZ(feature.geometry().wkbType()) and feature.geometry().constGet().numGeometries() >= 5


def test_the_gable_house_gets_its_heights_surfaces_and_attributes(tmp_path):
    gpkg = str(tmp_path / "house.gpkg")
    summary = import_city_model([fixture("gable_house.gml"), fixture("gable_house_citygml2.gml")], gpkg)
    assert summary.buildings == 2 and summary.failures == 0
    for building_id in ("DENW36ALtest0001", "DENW36ALtest0002"):  # CityGML 1.0 and 2.0
        [row] = rows_as_dicts(gpkg, "buildings", "building_id = ?", (building_id,))
        assert (row["function_code"], row["function_label"]) == ("31001_1010", "Wohnhaus")
        assert (row["roof_type_code"], row["roof_type_label"]) == ("3100", "Satteldach")
        assert row["measured_height"] == 9.0 and row["storeys_above_ground"] == 2
        assert (row["ground_height"], row["eave_height"], row["ridge_height"]) == (60.0, 66.0, 69.0)
        assert row["gemeindeschluessel"] == "05916000"
        assert json.loads(row["gen_attributes"]) == {"Gemeindeschluessel": "05916000", "Testzahl": 7}
        assert row["creation_date"] == "2024-03-12"
        assert (row["lod"], row["is_closed"], row["part_count"]) == (2, 1, 0)
        surfaces = {r["surface_id"].split("_S_")[1]: r
                    for r in rows_as_dicts(gpkg, "building_surfaces", "building_id = ?", (building_id,))}
        assert len(surfaces) == 7
        expected = {  # name: (type, area, tilt, azimuth)
            "ground": ("GroundSurface", 80.0, 0.0, None),
            "roof_south": ("RoofSurface", 50.0, math.degrees(math.atan2(3, 4)), 180.0),
            "roof_north": ("RoofSurface", 50.0, math.degrees(math.atan2(3, 4)), 0.0),
            "wall_south": ("WallSurface", 60.0, 90.0, 180.0),
            "wall_north": ("WallSurface", 60.0, 90.0, 0.0),
            "wall_east": ("WallSurface", 60.0, 90.0, 90.0),
            "wall_west": ("WallSurface", 60.0, 90.0, 270.0),
        }
        for name, (kind, area, tilt, azimuth) in expected.items():
            surface = surfaces[name]
            assert surface["surface_type"] == kind
            assert surface["area_m2"] == pytest.approx(area)
            assert surface["tilt_deg"] == pytest.approx(tilt, abs=1e-6)
            if azimuth is None:
                assert surface["azimuth_deg"] is None
            else:
                assert min(abs(surface["azimuth_deg"] - azimuth), 360 - abs(surface["azimuth_deg"] - azimuth)) < 1e-6
    footprint = QgsGeometry()
    blob = scalar(gpkg, "SELECT geom FROM building_footprints WHERE building_id = 'DENW36ALtest0001'")
    footprint.fromWkb(blob[8 + 32:])  # GeoPackage header with an xy envelope
    assert footprint.area() == pytest.approx(80.0)


def test_real_buildings_carry_the_values_of_their_source(real_tiles):
    folder, gpkg, _summary = real_tiles
    path = os.path.join(folder, "LoD2_32_327_5725_1_NW.gml")
    tree = etree.parse(path)
    checked = 0
    for element in tree.iter(BLDG + "Building"):
        building_id = element.get(GML + "id")
        [row] = rows_as_dicts(gpkg, "buildings", "building_id = ?", (building_id,))
        assert row["function_code"] == element.findtext(BLDG + "function")
        heights = [float(h.text) for h in element.iter(BLDG + "measuredHeight")]
        assert row["measured_height"] == pytest.approx(max(heights))
        grounds = [float(z) for surface in element.iter(BLDG + "GroundSurface")
                   for pos in surface.iter(GML + "posList") for z in pos.text.split()[2::3]]
        roofs = [float(z) for surface in element.iter(BLDG + "RoofSurface")
                 for pos in surface.iter(GML + "posList") for z in pos.text.split()[2::3]]
        assert row["ground_height"] == pytest.approx(min(grounds))
        assert row["ridge_height"] == pytest.approx(max(roofs))
        assert row["eave_height"] == pytest.approx(min(roofs))
        attributes = json.loads(row["gen_attributes"])
        for attribute in element.findall("{http://www.opengis.net/citygml/generics/1.0}stringAttribute"):
            assert attributes[attribute.get("name")] == attribute.findtext("{*}value")
        surfaces = scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces WHERE building_id = ?", (building_id,))
        assert surfaces == sum(1 for _s in element.iter(*(BLDG + kind for kind in THEMATIC_SURFACES)))
        checked += 1
    assert checked == 29


def test_walls_face_outwards_and_roofs_face_the_sky(real_tiles, qgis_app):
    """A wall's azimuth points away from its building, as a solar or noise study needs."""
    _folder, gpkg, _summary = real_tiles
    centres = {}
    for feature in QgsVectorLayer(gpkg + "|layername=building_footprints", "f", "ogr").getFeatures():
        centres[feature["building_id"]] = feature.geometry().centroid().asPoint()
    walls = QgsVectorLayer(gpkg + "|layername=building_surfaces", "s", "ogr")
    outward = total = 0
    for feature in walls.getFeatures("surface_type = 'WallSurface' AND area_m2 > 2"):
        centre = centres[feature["building_id"]]
        middle = feature.geometry().centroid().asPoint()
        azimuth = math.radians(feature["azimuth_deg"])
        dot = math.sin(azimuth) * (middle.x() - centre.x()) + math.cos(azimuth) * (middle.y() - centre.y())
        outward += dot > 0
        total += 1
    assert total > 1000 and outward / total > 0.95
    upside_down = scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces WHERE surface_type = 'RoofSurface' "
                               "AND (tilt_deg < 0 OR tilt_deg > 90)")
    assert upside_down == 0


def test_building_parts_are_kept_as_their_own_layer(real_tiles):
    folder, gpkg, _summary = real_tiles
    expected = sum(1 for path in glob.glob(os.path.join(folder, "*.gml"))
                   for _p in etree.parse(path).iter(BLDG + "BuildingPart"))
    assert expected == 74
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_parts") == expected
    assert scalar(gpkg, "SELECT SUM(part_count) FROM buildings") == expected
    orphans = scalar(gpkg, "SELECT COUNT(*) FROM building_parts WHERE building_id NOT IN "
                           "(SELECT building_id FROM buildings WHERE part_count > 0)")
    assert orphans == 0
    assert scalar(gpkg, "SELECT COUNT(DISTINCT part_id) FROM building_parts") == expected


def test_without_keep_parts_there_is_no_parts_layer(tmp_path):
    gpkg = str(tmp_path / "house.gpkg")
    import_city_model([fixture("gable_house.gml")], gpkg)
    assert not query(gpkg, "SELECT 1 FROM gpkg_contents WHERE table_name = 'building_parts'")


def test_an_unchanged_tile_is_not_imported_twice(tmp_path):
    tiles = tmp_path / "tiles"
    tiles.mkdir()
    shutil.copy(fixture("gable_house.gml"), tiles)
    shutil.copy(fixture("broken_xlink.gml"), tiles)
    gpkg = str(tmp_path / "city.gpkg")
    first = import_city_model([str(tiles)], gpkg)
    before = {layer: scalar(gpkg, 'SELECT COUNT(*) FROM "{}"'.format(layer))
              for layer in ("buildings", "building_surfaces", "import_failures", "import_tiles")}
    feedback = RecordingFeedback()
    second = import_city_model([str(tiles)], gpkg, feedback=feedback)
    assert first.tiles_imported == ["broken_xlink.gml", "gable_house.gml"]
    assert second.tiles_skipped == ["broken_xlink.gml", "gable_house.gml"] and second.tiles_imported == []
    assert second.buildings == 0
    assert any("already imported" in message for message in feedback.infos)
    after = {layer: scalar(gpkg, 'SELECT COUNT(*) FROM "{}"'.format(layer)) for layer in before}
    assert after == before


def test_a_changed_tile_replaces_its_buildings_in_place(tmp_path):
    tile = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    shutil.copy(fixture("broken_xlink.gml"), tile)
    gpkg = str(tmp_path / "city.gpkg")
    import_city_model([str(tile)], gpkg)
    [(sha_before,)] = query(gpkg, "SELECT sha256 FROM import_tiles")
    assert scalar(gpkg, "SELECT COUNT(*) FROM import_failures WHERE building_id = 'DENW36ALtest0042'") == 1
    # the city updates the tile: the first house got higher, the broken second one is gone
    text = tile.read_text(encoding="utf-8")
    second = text.index('  <core:cityObjectMember>\n    <bldg:Building gml:id="DENW36ALtest0042"')
    text = text[:second] + text[text.index("</core:CityModel>"):]
    tile.write_text(text.replace(">9.0</bldg:measuredHeight>", ">12.5</bldg:measuredHeight>"), encoding="utf-8")
    summary = import_city_model([str(tile)], gpkg)
    assert summary.tiles_imported == [tile.name] and summary.buildings == 1 and summary.failures == 0
    [(sha_after, buildings, failures)] = query(gpkg, "SELECT sha256, buildings, failures FROM import_tiles")
    assert sha_after != sha_before and (buildings, failures) == (1, 0)
    assert query(gpkg, "SELECT building_id, measured_height FROM buildings") == [("DENW36ALtest0041", 12.5)]
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces") == 7
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_footprints") == 1
    assert scalar(gpkg, "SELECT COUNT(*) FROM import_failures") == 0
    for layer in ("buildings", "building_surfaces", "building_footprints"):
        assert spatial_index_matches(gpkg, layer)


def test_a_building_moved_to_another_file_is_updated_not_doubled(tmp_path):
    gpkg = str(tmp_path / "city.gpkg")
    import_city_model([fixture("gable_house.gml")], gpkg)
    moved = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    moved.write_text(fixture_text("gable_house.gml").replace(">31001_1010<", ">31001_2463<"), encoding="utf-8")
    import_city_model([str(moved)], gpkg)
    assert query(gpkg, "SELECT function_label, source_tile FROM buildings") == [("Garage", moved.name)]
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces") == 7


def test_an_extent_imports_only_the_tiles_it_touches(shared_citygml_dir, tmp_path):
    gpkg = str(tmp_path / "city.gpkg")
    # a map extent inside tile 330/5726, reaching 1 m into nothing else
    summary = import_city_model([shared_citygml_dir], gpkg, extent=(330100.0, 5726100.0, 330900.0, 5726999.0))
    assert summary.tiles_imported == ["LoD2_32_330_5726_1_NW.gml"]
    assert len(summary.files_outside) == 3
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings") == 15
    summary = import_city_model([shared_citygml_dir], gpkg, extent=(326999.0, 5725500.0, 327001.0, 5727500.0))
    assert sorted(summary.tiles_imported) == ["LoD2_32_326_5727_1_NW.gml", "LoD2_32_327_5725_1_NW.gml"]


def test_a_tile_url_template_fetches_only_the_tiles_of_the_extent(tmp_path, qgis_app):
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(fixture("gable_house.gml"), served / "LoD2_32_369_5713_1_NW.gml")
    gpkg = str(tmp_path / "city.gpkg")
    with RecordingServer(str(served)) as server:
        template = server.url("/tiles/LoD2_32_{E}_{N}_1_NW.gml")
        summary = import_city_model([], gpkg, url_template=template, extent=(369500.0, 5713500.0, 370500.0, 5713900.0))
        requested = sorted(server.requests)
        again = import_city_model([], gpkg, url_template=template, extent=(369500.0, 5713500.0, 370500.0, 5713900.0))
    assert requested == ["/tiles/LoD2_32_369_5713_1_NW.gml", "/tiles/LoD2_32_370_5713_1_NW.gml"]
    assert summary.tiles_imported == ["LoD2_32_369_5713_1_NW.gml"]
    assert summary.tiles_missing == ["LoD2_32_370_5713_1_NW.gml"]
    assert again.tiles_skipped == ["LoD2_32_369_5713_1_NW.gml"]
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings") == 1
    assert not glob.glob(os.path.join(str(tmp_path), "**", "herne_tile_*"), recursive=True)


@pytest.mark.parametrize("template, message", [
    ("ftp://example.org/LoD2_32_{E}_{N}_1_NW.gml", "http"),
    ("http://127.0.0.1:9/LoD2_32_1_NW.gml", "{E}"),
])
def test_a_bad_url_template_is_a_clear_error(tmp_path, template, message):
    with pytest.raises(CityModelError) as error:
        import_city_model([], str(tmp_path / "c.gpkg"), url_template=template, extent=(0, 0, 1, 1))
    assert message in error.value.reason


def test_cancel_keeps_the_finished_tiles_and_rolls_back_the_current_one(sample_tiles, tmp_path):
    city, _gpkg, _summary = sample_tiles
    tiles = city["citygml_tiles"][:3]
    first = os.path.basename(tiles[0])
    gpkg = str(tmp_path / "canceled.gpkg")

    committed = []

    def cancel_in_second_tile(feedback):
        # canceled once the first tile is committed and 20 buildings of the second are written
        if not committed and query(gpkg, "SELECT 1 FROM import_tiles"):
            committed.append(feedback.checks)
        return bool(committed) and feedback.checks > committed[0] + 20

    expected_first = count_building_elements(tiles[0])
    assert count_building_elements(tiles[1]) > 40
    feedback = RecordingFeedback(cancel_in_second_tile)
    summary = import_city_model(tiles, gpkg, feedback=feedback)
    assert summary.canceled and summary.tiles_imported == [first]
    assert [row[0] for row in query(gpkg, "SELECT tile FROM import_tiles")] == [first]
    for layer in ("buildings", "building_surfaces", "building_footprints"):
        assert query(gpkg, 'SELECT DISTINCT source_tile FROM "{}"'.format(layer)) == [(first,)]
        assert spatial_index_matches(gpkg, layer)
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings") == expected_first
    triggers = [row[0] for row in query(gpkg, "SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    assert "rtree_buildings_geom_insert" in triggers and "rtree_building_surfaces_geom_insert" in triggers
    # and the import goes on where it stopped
    rest = import_city_model(tiles, gpkg)
    assert rest.tiles_skipped == [first] and len(rest.tiles_imported) == 2
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings") == sum(count_building_elements(t) for t in tiles)


def test_a_new_geopackage_has_big_pages_and_an_existing_one_keeps_its_own(tmp_path):
    """A new GeoPackage gets pages of 16 KB (faster to write); GDAL and QGIS read it as any other. One that
    GDAL made with its defaults is written into as it is."""
    from osgeo import ogr

    new = str(tmp_path / "new.gpkg")
    summary = import_city_model([fixture("gable_house.gml")], new)
    assert summary.buildings == 1
    assert scalar(new, "PRAGMA page_size") == 16384 and scalar(new, "PRAGMA integrity_check") == "ok"
    layer = QgsVectorLayer(new + "|layername=buildings", "buildings", "ogr")
    assert layer.isValid() and layer.featureCount() == 1
    assert next(layer.getFeatures()).geometry().wkbType() == QgsWkbTypes.MultiPolygonZ
    existing = str(tmp_path / "existing.gpkg")
    ogr.GetDriverByName("GPKG").CreateDataSource(existing).CreateLayer("notes", None, ogr.wkbNone)
    before = scalar(existing, "PRAGMA page_size")
    assert import_city_model([fixture("gable_house.gml")], existing).buildings == 1
    assert scalar(existing, "PRAGMA page_size") == before != 16384
    assert scalar(existing, "SELECT COUNT(*) FROM buildings") == 1


def test_the_geopackage_is_synced_while_it_is_written_and_once_more_at_the_end(sample_tiles, tmp_path, monkeypatch):
    """The disk writes while the import computes (a sync in a thread each time the file has grown); the sync
    that makes the import durable is the last one, in the importing thread, after the file is closed."""
    import threading

    from herne_twin_plugin.core.citymodel import geopackage_writer

    city, _gpkg, _summary = sample_tiles
    calls = []
    original = geopackage_writer._sync_file

    def spy(path):
        calls.append((threading.current_thread().name, os.path.getsize(path)))
        original(path)

    monkeypatch.setattr(geopackage_writer, "EARLY_SYNC_BYTES", 64 << 10)
    monkeypatch.setattr(geopackage_writer, "_sync_file", spy)
    gpkg = str(tmp_path / "synced.gpkg")
    summary = import_city_model(city["citygml_tiles"][:3], gpkg)
    assert summary.buildings > 0 and len(summary.tiles_imported) == 3
    names = [name for name, _size in calls]
    assert names.count("GeoPackage sync") >= 2, calls
    assert names[-1] == threading.current_thread().name and calls[-1][1] == os.path.getsize(gpkg)
    assert scalar(gpkg, "PRAGMA integrity_check") == "ok"


def test_progress_is_reported_per_tile(sample_tiles, tmp_path):
    city, _gpkg, _summary = sample_tiles
    feedback = RecordingFeedback()
    summary = import_city_model(city["citygml_tiles"][:3], str(tmp_path / "p.gpkg"), feedback=feedback)
    assert len(summary.tiles_imported) == 3
    assert feedback.progress == sorted(feedback.progress) and feedback.progress[-1] == 100.0
    assert len(set(feedback.progress)) > 6
    assert sum(1 for message in feedback.infos if "buildings imported" in message) == 3


def test_an_output_that_is_no_geopackage_is_a_clear_error(tmp_path):
    output = tmp_path / "notes.gpkg"
    output.write_text("not a database")
    with pytest.raises(CityModelError) as error:
        import_city_model([fixture("gable_house.gml")], str(output))
    assert "GeoPackage" in error.value.reason


def test_a_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(CityModelError) as error:
        import_city_model([str(tmp_path / "nowhere")], str(tmp_path / "c.gpkg"))
    assert "nowhere" in error.value.reason


def _house_variant(tmp_path, name, old, new):
    text = fixture_text("gable_house.gml")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    summary = import_city_model([str(path)], str(tmp_path / (name + ".gpkg")))
    assert (summary.buildings, summary.failures) == (1, 0), query(summary.geopackage, "SELECT * FROM import_failures")
    return summary.geopackage


def test_an_orientable_surface_turned_round_keeps_the_roof_facing_south(tmp_path):
    south = "369100 5713100 66 369110 5713100 66 369110 5713104 69 369100 5713104 69 369100 5713100 66"
    reversed_south = "369100 5713100 66 369100 5713104 69 369110 5713104 69 369110 5713100 66 369100 5713100 66"
    text = fixture_text("gable_house.gml")
    start = text.index('<gml:Polygon gml:id="DENW36ALtest0001_roof_south">')
    end = text.index("</gml:Polygon>", start) + len("</gml:Polygon>")
    polygon = text[start:end].replace(south, reversed_south)
    oriented = '<gml:OrientableSurface orientation="-"><gml:baseSurface>{}</gml:baseSurface></gml:OrientableSurface>'
    gpkg = _house_variant(tmp_path, "oriented.gml", text[start:end], oriented.format(polygon))
    [(tilt, azimuth)] = query(gpkg, "SELECT tilt_deg, azimuth_deg FROM building_surfaces "
                                    "WHERE surface_id = 'DENW36ALtest0001_S_roof_south'")
    assert tilt == pytest.approx(math.degrees(math.atan2(3, 4))) and azimuth == pytest.approx(180.0)
    assert scalar(gpkg, "SELECT is_closed FROM buildings") == 1


def test_a_building_with_surfaces_but_no_solid_is_imported_as_not_closed(tmp_path):
    text = fixture_text("gable_house.gml")
    solid = text[text.index("      <bldg:lod2Solid>"):text.index("</bldg:lod2Solid>") + len("</bldg:lod2Solid>\n")]
    gpkg = _house_variant(tmp_path, "no_solid.gml", solid, "")
    assert query(gpkg, "SELECT lod, is_closed, ground_height, ridge_height FROM buildings") == [(2, 0, 60.0, 69.0)]
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces") == 7


def test_an_lod1_block_is_imported_as_lod_1(tmp_path):
    text = fixture_text("gable_house.gml")
    start = text.index("      <bldg:lod2Solid>")
    end = text.index("    </bldg:Building>")
    block = text[start:end].replace("bldg:lod2Solid", "bldg:lod1Solid")
    # LoD1: the solid alone, no boundary surfaces
    block = block[:block.index("      <bldg:boundedBy>")]
    solid = "".join('<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>{}</gml:posList>'
                    "</gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>".format(
                        " ".join(" ".join(str(c) for c in p) for p in face + face[:1])) for face in _box_faces())
    block = block[:block.index("<gml:CompositeSurface>") + len("<gml:CompositeSurface>")] + solid + \
        block[block.index("</gml:CompositeSurface>"):]
    gpkg = _house_variant(tmp_path, "lod1.gml", text[start:end], block)
    assert query(gpkg, "SELECT lod, is_closed, ground_height, ridge_height, eave_height FROM buildings") == [
        (1, 1, 60.0, 66.0, None)]
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces") == 0
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_footprints") == 1


def _box_faces(x0=369100, x1=369110, y0=5713100, y1=5713108, z0=60, z1=66):
    return [
        [(x0, y0, z0), (x0, y1, z0), (x1, y1, z0), (x1, y0, z0)],
        [(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)],
        [(x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)],
        [(x1, y0, z0), (x1, y1, z0), (x1, y1, z1), (x1, y0, z1)],
        [(x1, y1, z0), (x0, y1, z0), (x0, y1, z1), (x1, y1, z1)],
        [(x0, y1, z0), (x0, y0, z0), (x0, y0, z1), (x0, y1, z1)],
    ]


@pytest.mark.parametrize("count", [1, 49, 50, 51, 137])
def test_rows_written_many_to_a_statement_land_whole_and_in_order(count, tmp_path):
    """The writer inserts rows many to a statement, the rest one by one: every row lands, in its order, with
    the next fids, whether or not their number divides evenly."""
    from herne_twin_plugin.core.citymodel.geopackage_writer import CityModelGeoPackage

    path = str(tmp_path / "rows.gpkg")
    geopackage = CityModelGeoPackage(path)
    geopackage.begin_tile()
    failures = [("DENW{:06d}".format(index), "Gebäude {} ohne Geometrie".format(index)) for index in range(count)]
    for building_id, reason in failures:
        geopackage.add_failure(building_id, "tile.gml", reason)
    geopackage.commit_tile("tile.gml", "0" * 64, 0, count)
    geopackage.close()
    rows = query(path, "SELECT fid, building_id, source_tile, reason FROM import_failures ORDER BY fid")
    assert rows == [(number, building_id, "tile.gml", reason)
                    for number, (building_id, reason) in enumerate(failures, start=1)]
