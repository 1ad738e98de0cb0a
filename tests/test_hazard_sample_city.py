"""hernetwin:hazardexposure over the sample city, checked the way a user would: against QGIS's
own tools on the same data, across the three scenarios, and in the views built on it."""

import json
import os
import shutil
import subprocess

import pytest
from qgis.core import (
    NULL,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingException,
    QgsRasterLayer,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QVariant

from herne_twin_plugin.core.hazard import scenarios
from herne_twin_plugin.core.sample_city import generate

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASS_ORDER = ["no data", "below 10 cm", "10-30", "30-50", "50-100", ">100"]


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("hazard_city")), scale="sample")


@pytest.fixture(scope="module")
def processing_ready(hernetwin_provider):
    return hernetwin_provider


def gpkg(city, name):
    return "{}|layername={}".format(city["geopackage"], name)


def layer(city, name):
    result = QgsVectorLayer(gpkg(city, name), name, "ogr")
    assert result.isValid()
    return result


def raster(city, scenario="extremregen"):
    return city["depth_rasters"][scenario]


class Feedback:
    """Collects what the algorithm tells the user."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.messages = []

            def pushInfo(self, text):  # noqa: N802
                self.messages.append(text)

            def pushWarning(self, text):  # noqa: N802
                self.messages.append(text)

            def reportError(self, text, fatal=False):  # noqa: N802
                self.messages.append(text)

        return _Feedback()


def run(processing_ready, feedback=None, **parameters):
    import processing

    parameters.setdefault("OUTPUT", "memory:")
    parameters.setdefault("SUMMARY", "memory:")
    return processing.run("hernetwin:hazardexposure", parameters, feedback=feedback)


def by_key(output, key):
    return {feature[key]: feature for feature in output.getFeatures()}


def rank(name):
    return CLASS_ORDER.index(name)


def test_buildings_against_the_depth_raster(city, processing_ready):
    feedback = Feedback()
    result = run(processing_ready, feedback, INPUT=gpkg(city, "building_footprints"), HAZARD=raster(city),
                 DISTRICTS=gpkg(city, "districts"))
    output = result["OUTPUT"]
    assert output.featureCount() == city["counts"]["building_footprints"]
    exposed = 0
    for feature in output.getFeatures():
        shares = [feature[c.share_field] for c in scenarios.DEPTH_CLASSES]
        assert feature["scenario"] == "extremregen"
        # buildings at the sample's edge reach beyond the raster: partly covered, never "safe" outside
        assert 0.0 < feature["covered_share"] <= 1.0
        assert feature["max_depth_cm"] >= feature["mean_depth_cm"] >= 0
        assert feature["depth_class"] == scenarios.class_of_depth(feature["max_depth_cm"])
        assert sum(shares) <= 1.0 + 1e-3
        wet = [c.name for c, share in zip(scenarios.DEPTH_CLASSES, shares) if share > 0]
        assert feature["depth_class"] == (wet[-1] if wet else "below 10 cm")
        exposed += feature["depth_class"] not in ("below 10 cm", "no data")
    assert result["EXPOSED_COUNT"] == exposed > 0
    assert any("in a depth class of 10 cm or more" in message for message in feedback.messages)
    summary = list(result["SUMMARY"].getFeatures())
    total = summary[-1]
    assert total["assets"] == output.featureCount() and total["exposed"] == exposed
    assert sum(row["assets"] for row in summary[:-1]) == total["assets"]
    for depth_class in scenarios.DEPTH_CLASSES:
        in_class = sum(1 for f in output.getFeatures() if f["depth_class"] == depth_class.name)
        assert total[depth_class.count_field] == in_class


def test_building_classes_agree_with_qgis_zonal_statistics(city, processing_ready):
    """QGIS's zonal statistics on the same cells give the same class, wherever it uses the
    same cell-centre rule (it switches to partly covered cells when at most one valid
    cell centre lies inside: those buildings are counted, not compared)."""
    import processing

    mine = by_key(run(processing_ready, INPUT=gpkg(city, "building_footprints"), HAZARD=raster(city))["OUTPUT"],
                  "building_id")
    zonal = processing.run("native:zonalstatisticsfb", {
        "INPUT": gpkg(city, "building_footprints"), "INPUT_RASTER": raster(city), "RASTER_BAND": 1,
        "COLUMN_PREFIX": "z_", "STATISTICS": [0, 6], "OUTPUT": "memory:"})["OUTPUT"]
    compared = 0
    for feature in zonal.getFeatures():
        count = feature["z_count"]
        # after its switch QGIS reports a weighted count (a fraction): not the same rule, skip
        if count not in (None, NULL) and count > 0 and (count <= 1 or abs(count - round(count)) > 1e-9):
            continue
        deepest = feature["z_max"]
        expected = scenarios.class_of_depth(deepest if deepest not in (None, NULL) else 0.0)
        assert mine[feature["building_id"]]["depth_class"] == expected, feature["building_id"]
        compared += 1
    assert compared > 0.95 * zonal.featureCount()


def test_light_classes_agree_with_qgis_join_by_location(city, processing_ready):
    import processing

    mine = by_key(run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=gpkg(city, "extremregen"))["OUTPUT"],
                  "light_uuid")
    joined = processing.run("native:joinattributesbylocation", {
        "INPUT": gpkg(city, "street_lights"), "JOIN": gpkg(city, "extremregen"), "PREDICATE": [0],
        "JOIN_FIELDS": ["depth_class"], "METHOD": 0, "DISCARD_NONMATCHING": False, "PREFIX": "j_",
        "OUTPUT": "memory:"})["OUTPUT"]
    expected = {}
    for feature in joined.getFeatures():
        value = feature["j_depth_class"]
        name = value if value not in (None, NULL) else "below 10 cm"
        expected[feature["light_uuid"]] = max(expected.get(feature["light_uuid"], name), name, key=rank)
    assert {key: f["depth_class"] for key, f in mine.items()} == expected


def test_the_raster_and_the_polygons_tell_the_same_story(city, processing_ready):
    """The sample's polygons are the raster's classes up to one cell at the class borders."""
    from_raster = by_key(run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=raster(city))["OUTPUT"],
                         "light_uuid")
    from_polygons = by_key(run(processing_ready, INPUT=gpkg(city, "street_lights"),
                               HAZARD=gpkg(city, "starkregen_depth_classes"), SCENARIO="extremregen")["OUTPUT"],
                           "light_uuid")
    differ = [key for key in from_raster if from_raster[key]["depth_class"] != from_polygons[key]["depth_class"]]
    assert len(differ) <= 0.02 * len(from_raster)
    for key in differ:
        assert abs(rank(from_raster[key]["depth_class"]) - rank(from_polygons[key]["depth_class"])) == 1


def test_class_polygons_that_only_touch_are_not_reported_as_overlapping(city, processing_ready):
    """The sample's depth-class polygons tile the area (they touch, never overlap); GEOS's union of
    a footprint's pieces loses a few millionths of its area at the shared edges, which once gave a
    false "polygons overlap" note on about a hundred buildings."""
    polygons = layer(city, "extremregen")
    area = sum(f.geometry().area() for f in polygons.getFeatures())
    union = QgsGeometry.unaryUnion([f.geometry() for f in polygons.getFeatures()]).area()
    assert union == pytest.approx(area, rel=1e-6)  # the premise: no overlap between class polygons
    feedback = Feedback()
    output = run(processing_ready, feedback, INPUT=gpkg(city, "building_footprints"),
                 HAZARD=gpkg(city, "extremregen"))["OUTPUT"]
    assert not [m for m in feedback.messages if "overlap" in m]
    for feature in output.getFeatures():
        shares = sum(feature[c.share_field] for c in scenarios.DEPTH_CLASSES)
        assert shares <= feature["covered_share"] + 1e-3


def test_a_rarer_scenario_never_floods_a_building_deeper(city, processing_ready):
    classes = {}
    for scenario in scenarios.SCENARIO_KEYS:
        output = run(processing_ready, INPUT=gpkg(city, "building_footprints"), HAZARD=raster(city, scenario))["OUTPUT"]
        assert {f["scenario"] for f in output.getFeatures()} == {scenario}  # from the raster's metadata
        classes[scenario] = {f["building_id"]: rank(f["depth_class"]) for f in output.getFeatures()}
    rare, exceptional, extreme = (classes[s] for s in scenarios.SCENARIO_KEYS)
    assert all(rare[b] <= exceptional[b] <= extreme[b] for b in rare)
    exposed = [sum(1 for r in c.values() if r >= 2) for c in (rare, exceptional, extreme)]
    assert exposed[0] < exposed[1] < exposed[2]


def test_assets_in_another_crs_get_the_same_classes(city, processing_ready):
    import processing

    reprojected = processing.run("native:reprojectlayer", {
        "INPUT": gpkg(city, "street_lights"), "TARGET_CRS": "EPSG:3035", "OUTPUT": "memory:"})["OUTPUT"]
    feedback = Feedback()
    moved = by_key(run(processing_ready, feedback, INPUT=reprojected, HAZARD=raster(city))["OUTPUT"], "light_uuid")
    original = by_key(run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=raster(city))["OUTPUT"],
                      "light_uuid")
    same = sum(moved[key]["depth_class"] == original[key]["depth_class"] for key in original)
    assert same >= 0.999 * len(original)  # a light within millimetres of a cell edge may move across it
    assert any("EPSG:3035" in m and "EPSG:25832" in m and "on the fly" in m for m in feedback.messages)


def test_an_empty_asset_layer_gives_empty_results_and_a_message(city, processing_ready):
    empty = layer(city, "street_lights")
    empty.setSubsetString("1 = 0")
    feedback = Feedback()
    result = run(processing_ready, feedback, INPUT=empty, HAZARD=raster(city))
    assert result["OUTPUT"].featureCount() == 0
    assert [f["assets"] for f in result["SUMMARY"].getFeatures()] == [0]
    assert result["EXPOSED_COUNT"] == 0
    assert any("empty" in m for m in feedback.messages)


def deepest_cell(city):
    """(x, y) of the centre of the deepest cell of the Extremregen raster."""
    from osgeo import gdal

    dataset = gdal.Open(raster(city))
    values = dataset.GetRasterBand(1).ReadAsArray()
    row, col = divmod(int(values.argmax()), values.shape[1])
    x0, dx, _a, y0, _b, dy = dataset.GetGeoTransform()
    return x0 + (col + 0.5) * dx, y0 + (row + 0.5) * dy


def test_an_invalid_footprint_is_repaired_not_a_reason_to_stop(city, processing_ready):
    x, y = deepest_cell(city)
    houses = QgsVectorLayer("Polygon?crs=EPSG:25832&field=name:string", "houses", "memory")
    bow_tie = QgsFeature(houses.fields())
    bow_tie.setGeometry(QgsGeometry.fromWkt(  # two triangles crossing at a point, in deep water: invalid
        "POLYGON(({a} {b}, {c} {d}, {c} {b}, {a} {d}, {a} {b}))".format(a=x - 10, b=y - 10, c=x + 10, d=y + 10)))
    bow_tie["name"] = "bow tie"
    houses.dataProvider().addFeatures([bow_tie])
    feedback = Feedback()
    output = run(processing_ready, feedback, INPUT=houses, HAZARD=raster(city))["OUTPUT"]
    assert output.featureCount() == 1
    assert next(output.getFeatures())["depth_class"] == ">100"
    assert any("repaired" in m for m in feedback.messages)


def test_bad_hazard_input_stops_with_a_clear_message(city, processing_ready, tmp_path):
    broken = tmp_path / "broken.tif"
    broken.write_text("no raster")
    with pytest.raises(QgsProcessingException, match="HAZARD|cannot be read"):
        run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=str(broken))
    with pytest.raises(QgsProcessingException, match="several scenarios"):
        run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=gpkg(city, "starkregen_depth_classes"))


# -- the street-light view ---------------------------------------------------------------------


def inspections_table(rows):
    table = QgsVectorLayer("None", "inspections", "memory")
    table.dataProvider().addAttributes([
        QgsField("light_uuid", QVariant.String), QgsField("inspected_at", QVariant.Date),
        QgsField("condition", QVariant.String), QgsField("open_defects", QVariant.Int)])
    table.updateFields()
    features = []
    for uuid, when, condition, defects in rows:
        feature = QgsFeature(table.fields())
        feature.setAttributes([uuid, QDate.fromString(when, "yyyy-MM-dd"), condition, defects])
        features.append(feature)
    table.dataProvider().addFeatures(features)
    return table


def test_the_priority_list_puts_the_deepest_lights_with_open_defects_first(city, processing_ready):
    first = by_key(run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=raster(city))["OUTPUT"],
                   "light_uuid")
    by_class = {}
    for key, feature in sorted(first.items()):
        by_class.setdefault(feature["depth_class"], []).append(key)
    deepest = max((c for c in by_class if rank(c) >= 2), key=rank)
    shallower = max((c for c in by_class if 2 <= rank(c) < rank(deepest)), key=rank)
    deep_a, deep_b, deep_c = by_class[deepest][:3]
    shallow = by_class[shallower][0]
    # newer than the register's own last_inspection dates (which end in 2025)
    table = inspections_table([
        (deep_a, "2026-03-01", "defect", 1),
        (deep_b, "2026-02-01", "damaged", 3),
        (deep_c, "2026-01-01", "defect", 4), (deep_c, "2026-04-01", "ok", 0),  # repaired since: the latest counts
        (shallow, "2026-01-01", "damaged", 5),
    ])
    output = run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=raster(city), INSPECTIONS=table)["OUTPUT"]
    lights = by_key(output, "light_uuid")
    assert [lights[k]["priority"] for k in (deep_b, deep_a)] == [1, 2]
    assert lights[deep_c]["open_defects"] == 0 and lights[deep_c]["condition"] == "ok"
    assert lights[deep_c]["last_inspected"] == QDate(2026, 4, 1)
    assert lights[shallow]["priority"] > len(by_class[deepest])  # after every light of the deepest class
    ranked = sorted((f for f in lights.values() if f["priority"] not in (None, NULL)), key=lambda f: f["priority"])
    assert [f["priority"] for f in ranked] == list(range(1, len(ranked) + 1))
    assert all(rank(a["depth_class"]) >= rank(b["depth_class"]) for a, b in zip(ranked, ranked[1:]))
    unranked = [f for f in lights.values() if f["priority"] in (None, NULL)]
    assert all(f["depth_class"] in ("below 10 cm", "no data") for f in unranked)


def test_an_inspections_table_without_the_contract_fields_is_refused(city, processing_ready):
    table = QgsVectorLayer("None?field=light_uuid:string&field=datum:date", "inspections", "memory")
    with pytest.raises(QgsProcessingException):
        run(processing_ready, INPUT=gpkg(city, "street_lights"), HAZARD=raster(city), INSPECTIONS=table)


def test_street_lights_are_styled_by_lamp_type_and_age(city):
    from herne_twin_plugin.core.styles import style_street_light_assets

    lights = layer(city, "street_lights")
    style_street_light_assets(lights)
    renderer = lights.renderer()
    assert len(renderer.rootRule().children()) == 3 * 3 + 1
    context = QgsRenderContext()
    renderer.startRender(context, lights.fields())
    seen = set()
    for feature in lights.getFeatures():
        rules = [r.label() for r in renderer.rootRule().children()
                 if not r.isElse() and r.isFilterOK(feature, context)]
        age = QDate.currentDate().year() - feature["install_year"]
        expected = "under 15 years" if age < 15 else "15 to 30 years" if age < 30 else "30 years and older"
        assert rules == ["{}: {}".format(feature["lamp_type"], expected)]
        seen.add(rules[0])
    renderer.stopRender(context)
    assert "HQL: 30 years and older" in seen and len(seen) >= 3


# -- sensors over the hazard ---------------------------------------------------------------


def test_water_level_gauges_report_the_state_their_thresholds_give(city, processing_ready):
    states = {}
    for scenario in scenarios.SCENARIO_KEYS:
        output = run(processing_ready, INPUT=gpkg(city, "sensor_stations"), HAZARD=raster(city, scenario))["OUTPUT"]
        for feature in output.getFeatures():
            if feature["sensor_type"] != "water_level":
                assert feature["expected_state"] in (None, NULL)
                continue
            limits = json.loads(feature["thresholds"])["water_level"]
            depth = feature["max_depth_cm"]
            expected = "alarm" if depth >= limits["alarm"] else "warning" if depth >= limits["warn"] \
                else "below warning"
            assert feature["expected_state"] == expected
            assert (feature["threshold_warn"], feature["threshold_alarm"]) == (limits["warn"], limits["alarm"])
            states.setdefault(feature["station_id"], []).append(
                ["below warning", "warning", "alarm"].index(expected))
    assert states and all(s == sorted(s) for s in states.values())  # a heavier rain never calms a gauge
    assert any(s[-1] == 2 for s in states.values())


def test_sensor_output_is_styled_by_expected_state(city, processing_ready):
    from herne_twin_plugin.processing.hazard_exposure_algorithm import ExposureStyler

    output = run(processing_ready, INPUT=gpkg(city, "sensor_stations"), HAZARD=raster(city))["OUTPUT"]
    ExposureStyler(sensor_states=True).postProcessLayer(output, None, None)
    assert output.renderer().classAttribute() == "expected_state"
    assert {c.value() for c in output.renderer().categories()} == {"alarm", "warning", "below warning", "no data"}


# -- styles, 2D and 3D -----------------------------------------------------------------------


def test_exposure_outputs_are_styled_by_class_in_2d_and_3d(city, processing_ready):
    from qgis._3d import QgsRuleBased3DRenderer

    from herne_twin_plugin.processing.hazard_exposure_algorithm import ExposureStyler

    output = run(processing_ready, INPUT=gpkg(city, "building_footprints"), HAZARD=raster(city))["OUTPUT"]
    ExposureStyler().postProcessLayer(output, None, None)
    categories = {c.value(): c for c in output.renderer().categories()}
    assert set(categories) == set(CLASS_ORDER)
    present = {f["depth_class"] for f in output.getFeatures()}
    assert present <= set(categories)
    renderer_3d = output.renderer3D()
    assert isinstance(renderer_3d, QgsRuleBased3DRenderer)
    rules = renderer_3d.rootRule().children()
    assert sorted(r.filterExpression().split("= ")[1].strip("'") for r in rules) == sorted(CLASS_ORDER)


def test_lod2_surfaces_take_the_depth_class_of_their_building(city, processing_ready):
    from herne_twin_plugin.core.hazard.view_3d import set_lod2_by_depth_class

    output = run(processing_ready, INPUT=gpkg(city, "building_footprints"), HAZARD=raster(city))["OUTPUT"]
    classes = {f["building_id"]: f["depth_class"] for f in output.getFeatures()}
    surfaces = QgsVectorLayer("PolygonZ?crs=EPSG:25832&field=building_id:string&field=surface_type:string",
                              "building_surfaces", "memory")
    rows = []
    for building_id in sorted(classes)[:50]:
        feature = QgsFeature(surfaces.fields())
        feature.setAttributes([building_id, "RoofSurface"])
        rows.append(feature)
    surfaces.dataProvider().addFeatures(rows)
    from qgis.core import QgsProject

    QgsProject.instance().addMapLayers([output, surfaces], False)
    try:
        joined = set_lod2_by_depth_class(surfaces, output)
        for feature in surfaces.getFeatures():
            assert feature[joined] == classes[feature["building_id"]]
        assert surfaces.renderer3D() is not None
    finally:
        QgsProject.instance().removeMapLayers([surfaces.id(), output.id()])


def test_a_local_depth_raster_is_drawn_in_the_class_colours(city):
    from qgis.PyQt.QtGui import QColor

    from herne_twin_plugin.core.styles import DEPTH_CLASS_COLOURS, style_depth_raster

    depth = QgsRasterLayer(raster(city), "depth", "gdal")
    style_depth_raster(depth)
    items = depth.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert [i.color for i in items[1:]] == [QColor(colour) for _value, colour in DEPTH_CLASS_COLOURS]
    assert items[0].color.alpha() == 0  # below 10 cm stays clear


# -- from the command line ---------------------------------------------------------------------


@pytest.mark.skipif(not (shutil.which("qgis_process.bin") or shutil.which("qgis_process")),
                    reason="qgis_process is not installed")
def test_the_readme_qgis_process_command_writes_the_exposure(city, tmp_path):
    out, summary = tmp_path / "exposure.gpkg", tmp_path / "summary.csv"
    env = dict(os.environ, HERNE_TWIN_PROFILES=str(tmp_path / "profiles"))
    result = subprocess.run(
        [os.path.join(REPO_ROOT, "scripts", "qgis_process.sh"), "run", "hernetwin:hazardexposure", "--",
         "INPUT={}".format(gpkg(city, "building_footprints")), "HAZARD={}".format(raster(city)),
         "DISTRICTS={}".format(gpkg(city, "districts")), "OUTPUT={}".format(out), "SUMMARY={}".format(summary)],
        env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    written = QgsVectorLayer(str(out), "exposure", "ogr")
    assert written.featureCount() == city["counts"]["building_footprints"]
    assert "EXPOSED_COUNT" in result.stdout
    assert summary.read_text(encoding="utf-8").splitlines()[0].startswith("district,scenario,assets")


def test_the_demo_shows_the_exposure_of_buildings_lights_and_sensors(city):
    from qgis._3d import QgsRuleBased3DRenderer
    from qgis.core import QgsProject

    from herne_twin_plugin.core.hazard.hazard_layers import add_exposure_layers

    project = QgsProject()
    assets = [layer(city, name) for name in ("building_footprints", "street_lights", "sensor_stations")]
    added = add_exposure_layers(project, assets, raster(city))
    assert [shown.name() for shown, _run in added] == ["{}: heavy rain exposure".format(n) for n in
                                               ("building_footprints", "street_lights", "sensor_stations")]
    assert all(project.mapLayer(shown.id()) is shown for shown, _run in added)
    buildings, lights, sensors = (shown for shown, _run in added)
    assert buildings.featureCount() == city["counts"]["building_footprints"]
    assert buildings.renderer().classAttribute() == "depth_class"
    assert isinstance(buildings.renderer3D(), QgsRuleBased3DRenderer)
    assert lights.renderer().classAttribute() == "depth_class"
    assert sensors.renderer().classAttribute() == "expected_state"
