"""The inspection layer and the form an inspector fills in (as QGIS and QField read it)."""

import datetime
import os
import re
import subprocess
import sys
import textwrap

import pytest
from osgeo import ogr, osr
from qgis.core import (
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFieldConstraints,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerUtils,
)

from herne_twin_plugin.core.field import inspection, journal
from herne_twin_plugin.core.field.inspection import InspectionError

LIGHTS = [  # (light_uuid, x, y)
    ("a0000000-0000-4000-8000-000000000001", 387000.0, 5711000.0),
    ("a0000000-0000-4000-8000-000000000002", 387100.0, 5711000.0),
]
TREES = [("b0000000-0000-4000-8000-000000000001", 387300.0, 5711000.0)]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _point_layer(source, name, key, rows):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    layer = source.CreateLayer(name, srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn(key, ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("street", ogr.OFTString))
    for value, x, y in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField(key, value)
        feature.SetField("street", "Bahnhofstraße")
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT ({} {})".format(x, y)))
        layer.CreateFeature(feature)


@pytest.fixture
def package(tmp_path):
    """A package GeoPackage with street lights and trees and the inspection layer."""
    path = str(tmp_path / "bezirk_mitte.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    _point_layer(source, "street_lights", "light_uuid", LIGHTS)
    _point_layer(source, "street_trees", "tree_uuid", TREES)
    source = None
    layer = inspection.add_inspection_layer(
        path, [("street_lights", "light_uuid", "Straßenbeleuchtung"), ("street_trees", "tree_uuid", "Straßenbäume")])
    assert layer.table_name == "inspections"
    return path


@pytest.fixture
def form(package, qgis_new_project):
    """The package's layers in a project with the inspection form configured."""
    project = QgsProject.instance()
    lights = QgsVectorLayer(package + "|layername=street_lights", "Straßenbeleuchtung", "ogr")
    trees = QgsVectorLayer(package + "|layername=street_trees", "Straßenbäume", "ogr")
    inspections = QgsVectorLayer(package + "|layername=inspections", "Inspektionen", "ogr")
    assert lights.isValid() and trees.isValid() and inspections.isValid()
    project.addMapLayers([lights, trees])
    relations = inspection.configure_inspection_form(inspections, [lights, (trees, "tree_uuid")], project)
    yield project, inspections, lights, trees, relations
    QgsExpressionContextUtils.removeGlobalVariable(inspection.INSPECTOR_VARIABLE)


def _new_inspection(layer, x, y):
    """A feature as QGIS's digitising tools make it: defaults evaluated by createFeature."""
    context = layer.createExpressionContext()
    return QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromPointXY(QgsPointXY(x, y)), {}, context)


def _check(layer, feature, name):
    return QgsVectorLayerUtils.validateAttribute(
        layer, feature, layer.fields().indexOf(name), QgsFieldConstraints.ConstraintStrengthHard)


def test_inspection_layer_has_the_servers_schema(package):
    source = ogr.Open(package)
    layer = source.GetLayerByName("inspections")
    definition = layer.GetLayerDefn()
    fields = {definition.GetFieldDefn(i).GetName(): definition.GetFieldDefn(i).GetType()
              for i in range(definition.GetFieldCount())}
    assert list(fields) == [name for name, _ in inspection.FIELDS]
    assert fields["condition"] == ogr.OFTInteger
    assert all(kind == ogr.OFTString for name, kind in fields.items() if name != "condition")
    assert layer.GetGeomType() == ogr.wkbPoint
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "25832"
    assert layer.GetGeometryColumn() == "geom"


def test_defect_types_are_listed_per_asset_layer(package):
    source = ogr.Open(package)  # kept: its layers die with it
    rows = [(f["asset_layer"], f["code"]) for f in source.GetLayerByName("inspection_defect_types")]
    lights = {code for layer, code in rows if layer == "street_lights"}
    trees = {code for layer, code in rows if layer == "street_trees"}
    general = {code for layer, code in rows if layer == ""}
    assert {"lamp_defect", "mast_tilted", "stability_doubtful", "door_open", "cable_exposed"} <= lights
    assert {"deadwood", "oak_processionary"} <= trees and "mast_tilted" not in trees
    assert general == {"dirt", "graffiti", "other"} and general <= lights


def test_drains_get_their_defects():
    assert inspection.asset_kind("kanal_schaechte") == inspection.KIND_DRAIN
    assert {"grate_missing", "blocked"} <= {code for code, _ in inspection.defect_types(inspection.KIND_DRAIN)}
    assert inspection.asset_kind("street_lights") == inspection.KIND_STREET_LIGHT
    assert inspection.asset_kind("building_footprints", ["building_id"]) == inspection.KIND_OTHER


def test_inspection_layer_is_refused_twice_or_outside_a_geopackage(package, tmp_path):
    with pytest.raises(InspectionError, match="already has a layer inspections"):
        inspection.add_inspection_layer(package, [("street_lights", "light_uuid")])
    with pytest.raises(InspectionError, match="does not exist"):
        inspection.add_inspection_layer(str(tmp_path / "missing.gpkg"), [])
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database")
    with pytest.raises(InspectionError, match="not a GeoPackage"):
        inspection.add_inspection_layer(str(text), [])
    with pytest.raises(InspectionError, match="key column"):
        inspection.add_inspection_layer(package, [("street_lights", "")])


def test_form_has_the_widgets_an_inspector_needs(form):
    project, layer, lights, trees, relations = form

    def widget(name):
        setup = layer.editorWidgetSetup(layer.fields().indexOf(name))
        return setup.type(), setup.config()

    kind, config = widget("condition")
    assert kind == "ValueMap"
    entries = [(value, label) for entry in config["map"] for label, value in entry.items()]
    assert [value for value, _ in entries] == [1, 2, 3, 4, 5]
    assert entries[0][1].endswith("very good") and entries[-1][1].endswith("unusable")
    kind, config = widget("defects")
    assert kind == "ValueRelation" and config["AllowMulti"] is True
    defects_layer = project.mapLayer(config["Layer"])
    assert defects_layer is not None and defects_layer.featureCount() > 20
    assert widget("notes") == ("TextEdit", {"IsMultiline": True, "UseHtml": False})
    kind, config = widget("photos")
    assert kind == "ExternalResource" and config["RelativeStorage"] == 1 and config["DocumentViewer"] == 1
    kind, config = widget("asset_layer")
    assert kind == "ValueMap"
    assert {value for entry in config["map"] for value in entry.values()} == {"street_lights", "street_trees"}
    form_config = layer.editFormConfig()
    for name in ("inspection_uuid", "inspected_at", "asset_layer"):
        assert form_config.readOnly(layer.fields().indexOf(name)), name
    for name in ("condition", "defects", "notes", "photos", "inspector", "status"):
        assert not form_config.readOnly(layer.fields().indexOf(name)), name
    assert layer.attributeDisplayName(layer.fields().indexOf("condition")) == "Condition"


def test_photos_taken_in_qfield_get_safe_names_in_dcim(form):
    import json

    from qgis.core import QgsExpression

    _, layer, *_ = form
    naming = json.loads(layer.customProperty("QFieldSync/attachment_naming"))
    assert json.loads(layer.customProperty("QFieldSync/photo_naming")) == naming
    feature = _new_inspection(layer, *LIGHTS[0][1:])
    feature["asset_key"] = "../x/HER-03412"
    context = layer.createExpressionContext()
    context.setFeature(feature)
    name = QgsExpression(naming["photos"]).evaluate(context)
    assert re.match(r"^DCIM/___x_HER-03412_\d{8}_\d{9}\.jpg$", name), name


def test_defect_list_follows_the_inspected_asset(form):
    from qgis.core import QgsValueRelationFieldFormatter

    _, layer, *_ = form
    config = layer.editorWidgetSetup(layer.fields().indexOf("defects")).config()
    feature = QgsFeature(layer.fields())
    feature["asset_layer"] = "street_trees"
    codes = {item.key for item in QgsValueRelationFieldFormatter.createCache(config, feature)}
    assert "deadwood" in codes and "mast_tilted" not in codes
    feature["asset_layer"] = "street_lights"
    codes = {item.key for item in QgsValueRelationFieldFormatter.createCache(config, feature)}
    assert "mast_tilted" in codes and "deadwood" not in codes


def test_new_inspection_is_filled_in_automatically(form):
    _, layer, *_ = form
    inspection.set_inspector_name("  Erika Mustermann ")
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    light_key, x, y = LIGHTS[1]
    feature = _new_inspection(layer, x + 3.0, y - 2.0)
    after = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert UUID.match(feature["inspection_uuid"])
    assert feature["inspector"] == "Erika Mustermann"
    stamped = datetime.datetime.strptime(feature["inspected_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert before <= stamped <= after
    assert feature["asset_key"] == light_key and feature["asset_layer"] == "street_lights"
    assert feature["status"] == inspection.STATUS_DONE
    tree_key, x, y = TREES[0]
    near_tree = _new_inspection(layer, x + 1.0, y)
    assert (near_tree["asset_layer"], near_tree["asset_key"]) == ("street_trees", tree_key)
    assert near_tree["inspection_uuid"] != feature["inspection_uuid"]
    nowhere = _new_inspection(layer, 390000.0, 5700000.0)
    assert nowhere["asset_key"] is None or nowhere["asset_key"] == "" or nowhere["asset_key"].isNull()


def test_inspector_defaults_to_the_account_name(form):
    _, layer, *_ = form
    QgsExpressionContextUtils.removeGlobalVariable(inspection.INSPECTOR_VARIABLE)
    feature = _new_inspection(layer, *LIGHTS[0][1:])
    scope = QgsExpressionContextUtils.globalScope()
    expected = scope.variable("user_full_name") or scope.variable("user_account_name")
    assert feature["inspector"] == expected and feature["inspector"]


@pytest.mark.parametrize("variables, expected", [
    ({"hernetwin_inspector": "Erika Mustermann", "user_full_name": "Max Muster"}, "Erika Mustermann"),
    ({"cloud_username": "emustermann", "user_full_name": "Not available"}, "emustermann"),
    ({"user_full_name": "Not available", "user_account_name": "u0_a77"}, "u0_a77"),  # QField on Android
    ({"user_full_name": " ", "user_account_name": ""}, None),  # the inspector has to type the name
])
def test_inspector_on_desktop_and_tablet(qgis_app, variables, expected):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextScope

    scope = QgsExpressionContextScope()
    for name in ("hernetwin_inspector", "cloud_username", "user_full_name", "user_account_name"):
        scope.setVariable(name, variables.get(name))
    context = QgsExpressionContext()
    context.appendScope(scope)
    assert QgsExpression(inspection.INSPECTOR_EXPRESSION).evaluate(context) == expected


def test_time_is_utc_in_another_time_zone():
    """A tablet set to German time still stamps UTC (the expression has no UTC function to lean on)."""
    script = textwrap.dedent("""
        import datetime
        from qgis.core import QgsApplication, QgsExpression, QgsExpressionContext
        app = QgsApplication([], False)
        app.initQgis()
        from herne_twin_plugin.core.field import inspection
        value = QgsExpression(inspection.UTC_NOW_EXPRESSION).evaluate(QgsExpressionContext())
        local = QgsExpression("format_date(now(), 'HH')").evaluate(QgsExpressionContext())
        utc = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        stamped = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        print(abs((utc - stamped).total_seconds()) < 5, int(local) != utc.hour)
    """)
    environment = dict(os.environ, TZ="Europe/Berlin", PYTHONPATH=os.path.dirname(os.path.dirname(__file__)))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment,
                            timeout=120)
    assert result.stdout.split()[-2:] == ["True", "True"], result.stdout + result.stderr


@pytest.mark.parametrize("values, field, message", [
    ({"condition": None}, "condition", "rate the condition"),
    ({"condition": 6}, "condition", "rate the condition"),
    ({"condition": 4, "defects": None}, "defects", "name at least one defect"),
    ({"condition": 5, "defects": "{}"}, "defects", "name at least one defect"),
    ({"condition": 2, "inspector": "  "}, "inspector", "who inspected"),
    ({"condition": 2, "status": "maybe"}, "status", "follow-up"),
])
def test_required_fields_are_enforced_with_a_clear_message(form, values, field, message):
    _, layer, *_ = form
    feature = _new_inspection(layer, *LIGHTS[0][1:])
    for name, value in values.items():
        feature[name] = value
    ok, errors = _check(layer, feature, field)
    assert not ok
    assert message in " ".join(errors)


def test_complete_inspection_passes_every_constraint(form):
    _, layer, *_ = form
    feature = _new_inspection(layer, *LIGHTS[0][1:])
    feature["condition"] = 4
    feature["defects"] = "{mast_tilted,cable_exposed}"
    for name in layer.fields().names():
        assert _check(layer, feature, name)[0], name
    assert inspection.defect_codes(feature["defects"]) == ["mast_tilted", "cable_exposed"]


def test_assets_form_lists_its_inspections(form):
    project, layer, lights, trees, relations = form
    assert {relation.referencedLayerId() for relation in relations} == {lights.id(), trees.id()}
    assert [r.id() for r in project.relationManager().referencedRelations(lights)] == [
        "hernetwin_inspections_street_lights"]
    light = next(lights.getFeatures())
    feature = _new_inspection(layer, light.geometry().asPoint().x(), light.geometry().asPoint().y())
    feature["condition"] = 1
    assert layer.startEditing() and layer.addFeature(feature) and layer.commitChanges(), layer.commitErrors()
    relation = project.relationManager().relation("hernetwin_inspections_street_lights")
    related = [f["inspection_uuid"] for f in relation.getRelatedFeatures(light)]
    assert related == [feature["inspection_uuid"]]
    tree = next(trees.getFeatures())
    assert list(project.relationManager().relation("hernetwin_inspections_street_trees").getRelatedFeatures(tree)) == []


def test_inspection_added_in_qgis_is_journaled_with_its_uuid(form, package):
    _, layer, *_ = form
    journal.install(package, "inspections", "inspection_uuid")
    feature = _new_inspection(layer, *LIGHTS[0][1:])
    feature["condition"] = 2
    assert layer.startEditing() and layer.addFeature(feature) and layer.commitChanges(), layer.commitErrors()
    changes = journal.pending_changes(package)
    assert [(c.op, c.feature_key) for c in changes] == [("insert", feature["inspection_uuid"])]
    assert changes[0].values["condition"] == 2 and changes[0].values["inspector"]


def test_form_survives_saving_and_opening_the_project(form, tmp_path):
    project, layer, lights, *_ = form
    path = str(tmp_path / "bezirk_mitte.qgz")
    assert project.write(path)
    project.clear()
    assert project.read(path)
    reopened = project.mapLayersByName("Inspektionen")[0]
    index = reopened.fields().indexOf("defects")
    assert reopened.editorWidgetSetup(index).type() == "ValueRelation"
    assert reopened.defaultValueDefinition(reopened.fields().indexOf("inspection_uuid")).expression() == \
        inspection.UUID_EXPRESSION
    assert project.relationManager().relation("hernetwin_inspections_street_lights").isValid()
    assert project.mapLayer(reopened.editorWidgetSetup(index).config()["Layer"]) is not None


def test_form_refuses_layers_it_cannot_link(form, package, tmp_path):
    project, layer, lights, *_ = form
    keyless_path = str(tmp_path / "other.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(keyless_path)
    _point_layer(source, "benches", "colour", [("green", 1.0, 2.0)])
    source = None
    keyless = QgsVectorLayer(keyless_path + "|layername=benches", "Bänke", "ogr")
    with pytest.raises(InspectionError, match="no stable key"):
        inspection.configure_inspection_form(layer, [keyless], project)
    with pytest.raises(InspectionError, match="lacks the fields"):
        inspection.configure_inspection_form(lights, [], project)
    with pytest.raises(InspectionError, match="not a valid vector layer"):
        inspection.configure_inspection_form(QgsVectorLayer("/nonexistent.gpkg", "x", "ogr"), [], project)


def test_defect_codes_reads_every_stored_form():
    assert inspection.defect_codes("{mast_tilted,dirt}") == ["mast_tilted", "dirt"]
    assert inspection.defect_codes("mast_tilted;dirt") == ["mast_tilted", "dirt"]
    assert inspection.defect_codes('{"door_open"}') == ["door_open"]
    assert inspection.defect_codes(None) == [] and inspection.defect_codes("{}") == []


def test_form_in_a_project_that_is_not_the_current_one(package, qgis_new_project):
    """The packager writes the offline project as a QgsProject of its own."""
    project = QgsProject()
    lights = QgsVectorLayer(package + "|layername=street_lights", "Straßenbeleuchtung", "ogr")
    inspections = QgsVectorLayer(package + "|layername=inspections", "Inspektionen", "ogr")
    project.addMapLayers([lights, inspections])
    relations = inspection.configure_inspection_form(inspections, [lights], project)
    assert [relation.isValid() for relation in relations] == [True]
    assert project.relationManager().relation("hernetwin_inspections_street_lights").isValid()
    assert QgsProject.instance().relationManager().relations() == {}
    defects = inspections.editorWidgetSetup(inspections.fields().indexOf("defects")).config()["Layer"]
    assert project.mapLayer(defects) is not None and QgsProject.instance().mapLayer(defects) is None


def test_inspections_on_the_map_are_coloured_by_condition(package, qgis_new_project):
    from herne_twin_plugin.core.field import manifest
    from herne_twin_plugin.core.field.offline_project import style_layer

    layer = QgsVectorLayer(package + "|layername=inspections", "Inspektionen", "ogr")
    style_layer(layer, manifest.PackageLayer("inspections", manifest.ROLE_INSPECTION))
    renderer = layer.renderer()
    assert renderer.classAttribute() == "condition"
    categories = {category.value(): category for category in renderer.categories()}
    assert sorted(value for value in categories if value is not None) == [1, 2, 3, 4, 5]
    assert categories[5].label() == "5 – unusable" and categories[1].label() == "1 – very good"
    assert None in categories or "" in categories  # not rated yet: its own grey square, not hidden
    best, worst = categories[1].symbol().color(), categories[5].symbol().color()
    assert best.green() > best.red() and worst.red() > worst.green()  # green for good, red for unusable
