"""Herne's scenarios and depth classes in one place, and identify answers read as depth or speed."""

import pytest
from hazard_testdata import write_raster
from qgis.core import QgsPointXY, QgsRasterLayer

from herne_twin_plugin.core.hazard import scenarios
from herne_twin_plugin.core.hazard.identify import (
    DEPTH,
    DEPTH_CLASS,
    SPEED,
    depth_cm,
    identify_hazard,
    parse_feature_info,
    speed_ms,
)
from herne_twin_plugin.core.sample_city import starkregen


@pytest.mark.parametrize("depth, expected", [
    (0.0, "below 10 cm"), (9.99, "below 10 cm"), (10.0, "10-30"), (29.9, "10-30"), (30.0, "30-50"),
    (50.0, "50-100"), (99.99, "50-100"), (100.0, ">100"), (450.0, ">100"), (None, "no data"),
])
def test_a_depth_belongs_to_the_class_whose_lower_bound_it_reaches(depth, expected):
    assert scenarios.class_of_depth(depth) == expected


@pytest.mark.parametrize("value, expected", [
    ("30-50", "30-50"), ("10 - 30 cm", "10-30"), ("> 100 cm", ">100"), ("über 100", ">100"), (">100", ">100"),
    (50, "50-100"), ("100", ">100"), ("0-10", "below 10 cm"), ("below 10 cm", "below 10 cm"),
])
def test_depth_class_attributes_are_read_in_their_usual_spellings(value, expected):
    assert scenarios.CLASS_NAMES[scenarios.code_of_class_value(value)] == expected


@pytest.mark.parametrize("value", [None, "", "tief", "NULL", float("nan")])
def test_unreadable_depth_classes_give_none(value):
    assert scenarios.code_of_class_value(value) is None


def test_scenarios_are_found_in_names_and_metadata():
    assert scenarios.scenario_from_text("starkregen_extremregen_depth.tif") == "extremregen"
    assert scenarios.scenario_from_text("Außergewöhnlicher Starkregen") == "aussergewoehnlicher_starkregen"
    assert scenarios.scenario_from_text("seltener_starkregen") == "seltener_starkregen"
    assert scenarios.scenario_from_text("starkregen_depth_classes") is None
    assert scenarios.scenario_from_text("extremregen vs seltener starkregen") is None  # two: undecided


def test_the_sample_city_draws_the_same_scenarios_and_classes():
    """One place for the classes: the sample generator must not drift from it."""
    assert [name for name, _label, _fill in starkregen.SCENARIOS] == list(scenarios.SCENARIO_KEYS)
    assert [label for _name, label, _fill in starkregen.SCENARIOS] == \
        [s.official_name for s in scenarios.HERNE_SCENARIOS]
    assert [(name, lower, upper) for name, lower, upper in starkregen.DEPTH_CLASSES] == \
        [(c.name, c.min_cm, c.max_cm) for c in scenarios.DEPTH_CLASSES]


# -- identify answers --------------------------------------------------------------------------


def test_the_bkg_plain_text_answer_reads_as_depth_in_cm():
    answer = "GetFeatureInfo results:\n\nLayer 'nw_tiefe_agw'\n  Feature 0:\n    Tiefe = 31.0\n"
    values = parse_feature_info(answer, "text/plain")
    assert [(v.layer, v.quantity, v.value, v.unit) for v in values] == [("nw_tiefe_agw", DEPTH, 31.0, "cm")]
    assert depth_cm(values) == 31.0


def test_minus_9999_is_no_value_not_zero():
    values = parse_feature_info("Layer 'nw_tiefe_extrem'\nTiefe = -9999\n")
    assert [v.value for v in values] == [None]
    assert depth_cm(values) is None


def test_flow_speed_reads_in_metres_per_second():
    values = parse_feature_info("Layer 'nw_geschw_agw'\nGeschwindigkeit = '0,45'\n")
    assert [(v.quantity, v.value, v.unit) for v in values] == [(SPEED, 0.45, "m/s")]
    assert speed_ms(values) == 0.45


def test_a_raster_band_takes_its_quantity_from_the_layer_name():
    depth = parse_feature_info("Layer 'starkregen_extremregen_depth'\nBand 1 = 87.5\n")
    # QGIS Server names the band by its description
    described = parse_feature_info("GetFeatureInfo results\n\nLayer 'x'\nBand 1: Wassertiefe (cm) = '209.6'\n")
    in_metres = parse_feature_info("Layer 'x'\nBand 1: Wassertiefe (m) = '0.5'\n")
    assert [(v.quantity, v.value) for v in described] == [(DEPTH, 209.6)]
    assert [(v.quantity, v.value) for v in in_metres] == [(DEPTH, 50.0)]
    speed = parse_feature_info("<nw_geschw_extrem_layer><nw_geschw_extrem_feature><value_0>1.2</value_0>"
                               "</nw_geschw_extrem_feature></nw_geschw_extrem_layer>", "application/vnd.ogc.gml")
    assert [(v.quantity, v.value) for v in depth] == [(DEPTH, 87.5)]
    assert [(v.layer, v.quantity, v.value) for v in speed] == [("nw_geschw_extrem", SPEED, 1.2)]


def test_json_answers_read_per_feature():
    answer = ('{"type": "FeatureCollection", "features": ['
              '{"type": "Feature", "id": "nw_tiefe_agw.1", "properties": {"Tiefe": 12.0}},'
              '{"type": "Feature", "id": "nw_tiefe_agw.2", "properties": {"Tiefe": -9999}}]}')
    values = parse_feature_info(answer, "application/json")
    assert [(v.layer, v.value) for v in values] == [("nw_tiefe_agw", 12.0), ("nw_tiefe_agw", None)]
    assert depth_cm(values) == 12.0


def test_qgis_server_xml_and_depth_class_polygons():
    answer = ('<GetFeatureInfoResponse><Layer name="extremregen"><Feature id="7">'
              '<Attribute name="scenario" value="extremregen"/><Attribute name="depth_class" value="30-50"/>'
              '</Feature></Layer></GetFeatureInfoResponse>')
    values = parse_feature_info(answer, "text/xml")
    assert [(v.layer, v.quantity, v.value) for v in values] == [("extremregen", DEPTH_CLASS, "30-50")]


def test_html_tables_are_read():
    answer = ("<html><body><table><caption>nw_tiefe_agw</caption>"
              "<tr><th>Tiefe</th><td>64.0</td></tr></table></body></html>")
    assert [(v.layer, v.value) for v in parse_feature_info(answer, "text/html")] == [("nw_tiefe_agw", 64.0)]


@pytest.mark.parametrize("answer", ["", "no features", "<not xml", "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
                                    "{broken json", b"\xff\xfe"])
def test_answers_without_hazard_values_give_nothing(answer):
    assert parse_feature_info(answer) == []


def test_identify_on_a_local_raster_tells_dry_from_outside(qgis_app, tmp_path):
    path = write_raster(tmp_path / "starkregen_extremregen_depth.tif", [[42.0, -9999.0]], 0.0, 10.0, 10.0)
    layer = QgsRasterLayer(path, "starkregen_extremregen_depth", "gdal")
    assert [v.value for v in identify_hazard(layer, QgsPointXY(5, 5))] == [42.0]
    assert [v.value for v in identify_hazard(layer, QgsPointXY(15, 5))] == [0.0]  # inside, no water: dry
    assert [v.value for v in identify_hazard(layer, QgsPointXY(25, 5))] == [None]  # outside: no value
