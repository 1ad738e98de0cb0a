"""hernetwin:packagefield through Processing, against the local backend."""

import os
import sqlite3

import psycopg2
import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from herne_twin_plugin.processing.package_field_algorithm import parse_key_columns

SQUARE = "369300,369700,5713300,5713700 [EPSG:25832]"


def run(parameters):
    import processing

    return processing.run("hernetwin:packagefield", parameters)


def wfs(backend, typename):
    return QgsVectorLayer("url='{}' typename='{}' version='1.1.0' srsname='EPSG:25832'".format(
        backend.wfs_url, typename), typename, "WFS")


def server_count(backend, wkt):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assets.street_lights WHERE ST_Intersects(geom, ST_GeomFromText(%s, "
                       "25832))", (wkt,))
        return cursor.fetchone()[0]


def test_a_district_package_through_processing(hernetwin_provider, city_backend, tmp_path):
    districts = QgsVectorLayer("{}|layername=districts".format(
        os.path.join(city_backend.data_dir, "herne_sample.gpkg")), "districts", "ogr")
    lights = wfs(city_backend, "street_lights")
    result = run({"LAYERS": [lights], "AREA": districts, "DISTRICT": "Herne-Mitte", "OUTPUT": str(tmp_path / "out"),
                  "NAME": "mitte"})
    assert result["PACKAGE"] == str(tmp_path / "out" / "mitte" / "mitte.gpkg")
    assert os.path.isfile(result["PACKAGE"]) and os.path.isfile(result["PROJECT"])
    district = next(feature for feature in districts.getFeatures() if feature["name"] == "Herne-Mitte")
    assert result["FEATURE_COUNT"] == server_count(city_backend, district.geometry().asWkt())
    connection = sqlite3.connect(result["PACKAGE"])
    try:
        area = connection.execute("SELECT value FROM hernetwin_package WHERE name = 'area_wkt'").fetchone()[0]
    finally:
        connection.close()
    assert area.startswith("Polygon")
    project = QgsProject()
    assert project.read(result["PROJECT"])
    assert all(layer.isValid() for layer in project.mapLayers().values())
    project.clear()


def test_an_extent_with_a_filter(hernetwin_provider, city_backend, tmp_path):
    result = run({"LAYERS": [wfs(city_backend, "street_lights")], "EXTENT": SQUARE, "FILTER": "\"lamp_type\" = 'LED'",
                  "OUTPUT": str(tmp_path), "NAME": "led"})
    connection = sqlite3.connect(result["PACKAGE"])
    try:
        lamp_types = {row[0] for row in connection.execute("SELECT lamp_type FROM street_lights")}
        filter_text = connection.execute("SELECT value FROM hernetwin_package WHERE name = 'filter'").fetchone()[0]
    finally:
        connection.close()
    assert lamp_types == {"LED"} and result["FEATURE_COUNT"] > 0
    assert filter_text == "\"lamp_type\" = 'LED'"


def test_the_pre_check_reasons_fail_the_algorithm(hernetwin_provider, city_backend, tmp_path):
    with pytest.raises(QgsProcessingException) as raised:
        run({"LAYERS": [wfs(city_backend, "street_lights"), wfs(city_backend, "districts")], "EXTENT": SQUARE,
             "OUTPUT": str(tmp_path), "NAME": "nein"})
    assert "districts: " in str(raised.value) and "WFS-T" in str(raised.value)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("parameters, message", [
    ({}, "Choose an area"),
    ({"DISTRICT": "Wanne"}, "needs the area layer"),
    ({"EXTENT": SQUARE, "KEY_COLUMNS": "street_lights"}, "layer=column"),
    ({"EXTENT": SQUARE, "NAME": "../oben"}, "cannot be used"),
])
def test_bad_parameters_are_named(hernetwin_provider, city_backend, tmp_path, parameters, message):
    full = {"LAYERS": [wfs(city_backend, "street_lights")], "OUTPUT": str(tmp_path), "NAME": "p"}
    full.update(parameters)
    with pytest.raises(QgsProcessingException, match=message):
        run(full)


def test_key_columns_text():
    assert parse_key_columns("lights = light_point_no; trees=tree_id;") == {"lights": "light_point_no",
                                                                           "trees": "tree_id"}
    with pytest.raises(ValueError):
        parse_key_columns("lights")
