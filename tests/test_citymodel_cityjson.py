"""CityJSON 1.1 and 2.0 (and CityJSONSeq) into the same layers as CityGML, with the same values."""

import json

import pytest
from citymodel_support import fixture, fixture_text, query, rows_as_dicts

from herne_twin_plugin.core.citymodel import import_city_model

COMPARED = ("function_code", "function_label", "roof_type_code", "roof_type_label", "measured_height",
            "ground_height", "ridge_height", "storeys_above_ground", "gemeindeschluessel", "lod")


@pytest.fixture(scope="module")
def gml_house(tmp_path_factory):
    gpkg = str(tmp_path_factory.mktemp("gml") / "house.gpkg")
    import_city_model([fixture("gable_house.gml")], gpkg)
    [row] = rows_as_dicts(gpkg, "buildings")
    surfaces = sorted((r["surface_type"], round(r["area_m2"], 6), round(r["tilt_deg"], 6),
                       None if r["azimuth_deg"] is None else round(r["azimuth_deg"], 6) % 360)
                      for r in rows_as_dicts(gpkg, "building_surfaces"))
    return row, surfaces


@pytest.mark.parametrize("name, version", [("house_cityjson_1_1.city.json", "11"),
                                           ("house_cityjson_2_0.city.json", "20")])
def test_a_cityjson_house_gives_what_its_citygml_twin_gives(tmp_path, gml_house, name, version):
    gml_row, gml_surfaces = gml_house
    gpkg = str(tmp_path / "house.gpkg")
    summary = import_city_model([fixture(name)], gpkg, keep_parts=True)
    assert summary.tiles_imported == [name] and (summary.buildings, summary.failures) == (1, 0)
    [row] = rows_as_dicts(gpkg, "buildings")
    assert row["building_id"] == "DENW36ALjson" + version
    assert {k: row[k] for k in COMPARED} == {k: gml_row[k] for k in COMPARED}
    assert gml_row["eave_height"] == 66.0 and row["eave_height"] == 63.0  # the annex's flat roof is lower
    assert row["part_count"] == 1 and row["is_closed"] == 1
    # the annex (a BuildingPart child) is part of the building and of its own layer
    [part] = rows_as_dicts(gpkg, "building_parts")
    assert (part["part_id"], part["building_id"]) == (row["building_id"] + "-annex", row["building_id"])
    assert (part["roof_type_label"], part["ridge_height"], part["ground_height"]) == ("Flachdach", 63.0, 60.0)
    assert part["function_code"] == "31001_1010"  # inherited from its building
    house_surfaces = sorted(
        (r["surface_type"], round(r["area_m2"], 6), round(r["tilt_deg"], 6),
         None if r["azimuth_deg"] is None else round(r["azimuth_deg"], 6) % 360)
        for r in rows_as_dicts(gpkg, "building_surfaces", "part_id IS NULL"))
    assert house_surfaces == gml_surfaces
    assert len(rows_as_dicts(gpkg, "building_surfaces", "part_id IS NOT NULL")) == 6
    assert json.loads(row["gen_attributes"]) == {"Gemeindeschluessel": "05916000"}


def test_cityjson_seq_streams_feature_by_feature(tmp_path, gml_house):
    document = json.loads(fixture_text("house_cityjson_2_0.city.json"))
    header = {key: value for key, value in document.items() if key not in ("CityObjects", "vertices")}
    header.update({"CityObjects": {}, "vertices": []})
    lines = [json.dumps(header)]
    for number in range(3):
        objects = {key.replace("json20", "seq%d" % number): dict(value)
                   for key, value in document["CityObjects"].items()}
        for value in objects.values():
            value["children"] = [c.replace("json20", "seq%d" % number) for c in value.get("children", [])]
            value["parents"] = [p.replace("json20", "seq%d" % number) for p in value.get("parents", [])]
        lines.append(json.dumps({"type": "CityJSONFeature", "id": "DENW36ALseq%d" % number,
                                 "CityObjects": objects, "vertices": document["vertices"]}))
    path = tmp_path / "houses.city.jsonl"
    path.write_text("\n".join(lines) + "\n")
    summary = import_city_model([str(path)], str(tmp_path / "seq.gpkg"))
    assert (summary.buildings, summary.failures) == (3, 0)
    rows = rows_as_dicts(summary.geopackage, "buildings")
    assert sorted(r["building_id"] for r in rows) == ["DENW36ALseq0", "DENW36ALseq1", "DENW36ALseq2"]
    assert all(r["ridge_height"] == gml_house[0]["ridge_height"] for r in rows)


def test_cityjson_without_reference_system_needs_the_assumption(tmp_path):
    document = json.loads(fixture_text("house_cityjson_1_1.city.json"))
    del document["metadata"]
    path = tmp_path / "no_crs.city.json"
    path.write_text(json.dumps(document))
    refused = import_city_model([str(path)], str(tmp_path / "a.gpkg"))
    assert refused.tiles_failed and "coordinate system" in refused.tiles_failed[0][1]
    assumed = import_city_model([str(path)], str(tmp_path / "b.gpkg"), assume_srs=True)
    assert assumed.buildings == 1


def test_only_buildings_count_not_other_city_objects(tmp_path):
    gpkg = str(tmp_path / "house.gpkg")
    summary = import_city_model([fixture("house_cityjson_2_0.city.json")], gpkg)
    assert summary.buildings + summary.failures == 1  # the tree beside the house is no building
    assert query(gpkg, "SELECT COUNT(*) FROM import_failures") == [(0,)]


def test_a_geometry_template_is_listed_not_guessed(tmp_path):
    document = json.loads(fixture_text("house_cityjson_2_0.city.json"))
    document["CityObjects"]["DENW36ALjson20"]["geometry"] = [
        {"type": "GeometryInstance", "template": 0, "boundaries": [0], "transformationMatrix": [1] * 16}]
    path = tmp_path / "template.city.json"
    path.write_text(json.dumps(document))
    summary = import_city_model([str(path)], str(tmp_path / "t.gpkg"))
    assert summary.failures == 1
    assert "template" in query(summary.geopackage, "SELECT reason FROM import_failures")[0][0]
