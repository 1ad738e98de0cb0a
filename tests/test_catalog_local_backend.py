"""Done-when of the foundation: the catalog adds the local backend's WMS, WFS and OGC API
Features layers to a project, and an edit on the WFS layer lands in PostGIS."""

import os

import psycopg2
import pytest
from qgis.core import QgsFeatureRequest, QgsProject, QgsRectangle

from herne_twin_plugin.core.catalog import ServiceCatalog
from herne_twin_plugin.core.services.layer_factory import add_service_layers

pytestmark = pytest.mark.backend


def sql(backend, statement, *args):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def catalog(qgis_app, city_backend, qgis_new_project):
    return ServiceCatalog(backend_state_path=os.path.join(city_backend.backend_dir, "backend.json"))


def test_local_presets_come_from_the_running_backend(catalog, city_backend):
    ids = {service.service_id: service for service in catalog.local_services()}
    assert {"local-wms", "local-wfs", "local-oapif-qgis", "local-oapif-pygeoapi", "local-mqtt"} <= set(ids)
    assert ids["local-wms"].url.startswith(city_backend.wms_url.split("?")[0])


def test_catalog_adds_wms_wfs_and_ogc_api_layers_with_the_city_data(catalog, city_backend):
    project = QgsProject.instance()
    wms = add_service_layers(catalog.service("local-wms"), ["extremregen", "street_lights"], project=project)
    wfs = add_service_layers(catalog.service("local-wfs"), ["street_lights"], project=project)
    qgis_api = add_service_layers(catalog.service("local-oapif-qgis"), ["street_lights"], project=project)
    pygeoapi = add_service_layers(catalog.service("local-oapif-pygeoapi"), ["sensor_stations"], project=project)

    assert [layer.providerType() for layer in wms] == ["wms", "wms"]
    assert all(layer.isValid() for layer in wms + wfs + qgis_api + pygeoapi)
    lights_in_db = sql(city_backend, "SELECT count(*) FROM assets.street_lights")[0][0]
    assert lights_in_db > 100
    assert wfs[0].featureCount() == lights_in_db
    assert qgis_api[0].providerType() == "OAPIF"
    assert sum(1 for _ in qgis_api[0].getFeatures()) == lights_in_db
    stations = sql(city_backend, "SELECT count(*) FROM assets.sensor_stations")[0][0]
    assert sum(1 for _ in pygeoapi[0].getFeatures()) == stations
    # grouped under the service's name in the layer tree
    group_names = {group.name() for group in project.layerTreeRoot().findGroups()}
    assert catalog.service("local-wfs").name in group_names
    # the WFS layer lies where the lights are in Herne-Mitte (EPSG:25832)
    assert wfs[0].crs().authid() == "EPSG:25832"
    assert QgsRectangle(364000, 5711000, 375000, 5719000).contains(wfs[0].extent())


def test_an_edit_on_the_catalogs_wfs_layer_lands_in_postgis(catalog, city_backend):
    light_uuid, wattage = sql(city_backend, "SELECT light_uuid, wattage_w FROM assets.street_lights "
                                            "ORDER BY fid DESC LIMIT 1")[0]
    layer = add_service_layers(catalog.service("local-wfs"), ["street_lights"], project=QgsProject.instance())[0]
    request = QgsFeatureRequest().setFilterExpression("light_uuid = '{}'".format(light_uuid))
    feature = next(layer.getFeatures(request))
    try:
        assert layer.startEditing()
        assert layer.changeAttributeValue(feature.id(), layer.fields().indexOf("wattage_w"), 19)
        assert layer.commitChanges(), layer.commitErrors()
        assert sql(city_backend, "SELECT wattage_w FROM assets.street_lights WHERE light_uuid = %s",
                   light_uuid) == [(19,)]
    finally:
        sql(city_backend, "UPDATE assets.street_lights SET wattage_w = %s WHERE light_uuid = %s", wattage, light_uuid)
