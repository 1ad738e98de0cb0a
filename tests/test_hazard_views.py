"""The views on an exposure, with small hand-made inputs: sensor thresholds per scenario,
the street-light priority rules, the district summary, local hazard layers."""

import datetime

import pytest
from hazard_testdata import box, class_layer, memory_layer, write_raster
from qgis.core import QgsProject, QgsVectorFileWriter
from qgis.PyQt.QtCore import QDate, QVariant

from herne_twin_plugin.core.hazard import sensors, street_lights
from herne_twin_plugin.core.hazard.exposure import ExposureError
from herne_twin_plugin.core.hazard.hazard_layers import add_depth_class_layer, add_depth_raster
from herne_twin_plugin.core.hazard.output import exposure_layer
from herne_twin_plugin.core.hazard.summary import district_rows

STATION_FIELDS = [("station_id", QVariant.String), ("sensor_type", QVariant.String),
                  ("observed_properties", QVariant.String), ("units", QVariant.String),
                  ("thresholds", QVariant.String)]


def stations(rows):
    return memory_layer("Point", [("POINT({} {})".format(x, y), dict(zip(
        ("station_id", "sensor_type", "observed_properties", "units", "thresholds"), values)))
        for (x, y), values in rows], STATION_FIELDS)


@pytest.fixture
def pond(tmp_path):
    # one 10 m cell of 45 cm water beside a dry one
    return write_raster(tmp_path / "starkregen_extremregen_depth.tif", [[45.0, -9999.0]], 0.0, 10.0, 10.0)


def by_id(layer):
    return {f["station_id"]: f for f in layer.getFeatures()}


def test_gauges_compare_the_depth_at_their_place_with_their_thresholds(qgis_app, pond):
    layer = stations([
        ((5, 5), ("gauge-alarm", "water_level", "water_level", "cm", '{"water_level": {"warn": 20, "alarm": 40}}')),
        ((5, 5), ("gauge-warn", "water_level", "water_level", "cm", '{"water_level": {"warn": 30, "alarm": 60}}')),
        ((5, 5), ("gauge-metres", "water_level", "water_level", "m", '{"water_level": {"warn": 0.5, "alarm": 1}}')),
        ((15, 5), ("gauge-dry", "water_level", "water_level", "cm", '{"water_level": {"warn": 10, "alarm": 20}}')),
        ((25, 5), ("gauge-outside", "water_level", "water_level", "cm", '{"water_level": {"warn": 10}}')),
        ((5, 5), ("gauge-broken", "water_level", "water_level", "cm", "{not json")),
        ((5, 5), ("air", "air_quality", "pm10", "µg/m³", '{"pm10": {"warn": 50}}')),
    ])
    output, _run = exposure_layer(layer, pond, "sensors")
    found = by_id(output)
    assert [found[k]["expected_state"] for k in ("gauge-alarm", "gauge-warn", "gauge-metres", "gauge-dry",
                                                 "gauge-outside")] == \
        ["alarm", "warning", "below warning", "below warning", "no data"]
    # the thresholds in cm, whatever unit the register keeps them in
    assert (found["gauge-metres"]["threshold_warn"], found["gauge-metres"]["threshold_alarm"]) == (50.0, 100.0)
    assert found["gauge-broken"]["hazard_sensor"] == "water_level"
    assert found["gauge-broken"]["expected_state"] is None  # no thresholds that can be read: no state
    assert found["air"]["hazard_sensor"] is None and found["air"]["expected_state"] is None


def test_rain_sensors_compare_the_scenarios_rain_with_their_thresholds(qgis_app, pond, tmp_path):
    rain = '{"precipitation": {"warn": 50, "alarm": 80}}'
    layer = stations([((5, 5), ("rain-1", "rain", "precipitation", "mm/h", rain)),
                      ((5, 5), ("rain-2", "rain_gauge", "precipitation", "mm/min", '{"precipitation": {"warn": 2}}'))])
    extreme = by_id(exposure_layer(layer, pond, "sensors")[0])  # Extremregen: 90 mm/h
    assert extreme["rain-1"]["expected_state"] == "alarm"
    assert extreme["rain-2"]["threshold_warn"] == 120.0 and extreme["rain-2"]["expected_state"] == "below warning"
    rare = write_raster(tmp_path / "starkregen_seltener_starkregen_depth.tif", [[45.0]], 0.0, 10.0, 10.0)
    # the rare scenario fixes no rain intensity (it depends on the duration): no state
    assert by_id(exposure_layer(layer, rare, "sensors")[0])["rain-1"]["expected_state"] == "no data"


@pytest.mark.parametrize("text, kind", [
    ('{"water_level": {"warn": 10}}', sensors.WATER_LEVEL), ('{"Pegel": {"warn": 10}}', sensors.WATER_LEVEL),
    ('{"precipitation": {"alarm": 10}}', sensors.RAIN),
])
def test_threshold_keys_in_the_usual_spellings(text, kind):
    warn, alarm = sensors.thresholds_of(text, "", "", kind)
    assert (warn, alarm) != (None, None)


def test_the_priority_order_of_street_lights():
    day = datetime.datetime
    rows = [
        [day(2025, 1, 1), "ok", 0, None, 4],  # deepest, no defects
        [day(2025, 1, 1), "defect", 1, None, 4],  # deepest, one defect
        [day(2024, 1, 1), "defect", 1, None, 4],  # deepest, one defect, inspected longer ago
        [None, None, None, None, 4],  # deepest, never inspected, defects unknown
        [day(2025, 1, 1), "damaged", 9, None, 2],  # shallower, many defects
        [day(2020, 1, 1), "damaged", 9, None, 0],  # below 10 cm: no rank
        [day(2020, 1, 1), "damaged", 9, None, -1],  # no data: no rank
    ]
    assert street_lights.priority_order(rows) == [2, 1, 3, 0, 4]


def test_inspections_keep_the_latest_per_light_and_count_the_unreadable(qgis_app):
    table = memory_layer("None", [
        (None, {"light_uuid": "a", "inspected_at": "2025-01-02", "condition": "defect", "open_defects": 2}),
        (None, {"light_uuid": "a", "inspected_at": "2025-03-04T10:00:00Z", "condition": "ok", "open_defects": 0}),
        (None, {"light_uuid": "b", "inspected_at": "gestern", "condition": "ok", "open_defects": 0}),
        (None, {"light_uuid": None, "inspected_at": "2025-01-01", "condition": "ok", "open_defects": 0}),
    ], [("light_uuid", QVariant.String), ("inspected_at", QVariant.String), ("condition", QVariant.String),
        ("open_defects", QVariant.Int)])
    latest, unreadable = street_lights.read_inspections(table)
    assert list(latest) == ["a"] and latest["a"].condition == "ok" and latest["a"].open_defects == 0
    assert unreadable == 2
    wrong = memory_layer("None", [], [("light_uuid", QVariant.String), ("date", QVariant.Date)])
    with pytest.raises(ExposureError, match="inspected_at, condition, open_defects"):
        street_lights.read_inspections(wrong)


def test_lights_without_an_inspection_keep_the_registers_date(qgis_app, pond):
    lights = memory_layer("Point", [("POINT(5 5)", {"light_uuid": "x", "last_inspection": QDate(2024, 5, 6)})],
                          [("light_uuid", QVariant.String), ("last_inspection", QVariant.Date)])
    feature = next(exposure_layer(lights, pond, "lights")[0].getFeatures())
    assert feature["last_inspected"] == QDate(2024, 5, 6)
    assert feature["condition"] is None and feature["open_defects"] is None
    assert feature["priority"] == 1  # the only light in a class


def test_district_rows_add_up():
    rows = district_rows([2, 0, -1, 4, 0], ["Wanne", "Wanne", None, "Eickel", "Eickel"])
    assert [row.district for row in rows] == ["Eickel", "Wanne", "Outside the districts", "All districts"]
    assert [row.assets for row in rows] == [2, 2, 1, 5]
    assert [row.exposed for row in rows] == [1, 1, 0, 2]
    assert rows[-1].counts == {-1: 1, 0: 2, 1: 0, 2: 1, 3: 0, 4: 1}


def test_local_depth_data_is_added_styled_and_named_by_scenario(qgis_app, pond, tmp_path):
    project = QgsProject()
    raster = add_depth_raster(pond, project)
    assert raster.name() == "Water depth: Extreme rain (90 mm/h)"
    assert raster.renderer().type() == "singlebandpseudocolor"
    classes = class_layer([(box(0, 0, 1, 1), "10-30", "extremregen"),
                           (box(0, 0, 1, 1), "30-50", "seltener_starkregen")], scenario="x")
    path = str(tmp_path / "classes.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "starkregen_depth_classes"
    QgsVectorFileWriter.writeAsVectorFormatV2(classes, path, QgsProject.instance().transformContext(), options)
    layer = add_depth_class_layer(path, "starkregen_depth_classes", scenario="extremregen", project=project)
    assert layer.featureCount() == 1 and layer.name() == "Extreme rain (90 mm/h)"
    assert layer.renderer().classAttribute() == "depth_class"
    with pytest.raises(ExposureError):
        add_depth_raster(tmp_path / "missing.tif", project)


def test_the_twins_3d_styling_raises_exposed_buildings_instead_of_draping_them(qgis_app):
    """An exposure layer of buildings (it has share_10_30 and depth_class) stands as blocks in 3D;
    a plain depth-class layer is draped flat on the terrain."""
    from qgis.core import QgsVectorLayer

    from herne_twin_plugin.core.citymodel_view.city_model_layers import style_twin_layers_3d

    def extrusions(layer):
        heights = []
        for rule in layer.renderer3D().rootRule().children():
            symbol = rule.symbol()
            if symbol is not None:
                heights.append(symbol.extrusionHeight())
        return heights

    fields = "field=depth_class:string&field=measured_height:double"
    exposed = QgsVectorLayer("Polygon?crs=EPSG:25832&field=share_10_30:double&" + fields, "exposed", "memory")
    hazard = QgsVectorLayer("Polygon?crs=EPSG:25832&" + fields, "hazard", "memory")
    assert style_twin_layers_3d([exposed, hazard]) == [exposed, hazard]
    assert extrusions(exposed) and all(height > 0 for height in extrusions(exposed))
    assert extrusions(hazard) and all(height == 0 for height in extrusions(hazard))
