"""Adding a service's layers to a project: the URIs QGIS gets, the layer tree group,
and what happens with layers that cannot be opened."""

import json

import pytest
from fixture_http_server import catalog_settings, fixture_server  # noqa: F401 (fixtures)
from qgis.core import QgsDataSourceUri, QgsProject

from herne_twin_plugin.core.catalog import (
    LayerInfo,
    LayerLoadError,
    ServiceCatalog,
    ServiceEntry,
    ServiceType,
    add_service_layers,
)
from herne_twin_plugin.core.services.layer_factory import oapif_uri, wfs_uri, wms_uri


@pytest.fixture
def project():
    project = QgsProject()
    yield project
    project.clear()


def group_layers(project, group_name):
    group = project.layerTreeRoot().findGroup(group_name)
    assert group is not None, "no layer tree group " + group_name
    return [node.layer().name() for node in group.findLayers()]


def test_wms_uri_has_layer_crs_format_and_authcfg():
    entry = ServiceEntry("Starkregen", ServiceType.WMS, "https://geodaten.herne.de/geoserver/ows?MAP=a&x=1",
                         authcfg="abc1234")
    uri = QgsDataSourceUri()
    uri.setEncodedUri(wms_uri(entry, LayerInfo("extremregen", crs=("EPSG:4326", "EPSG:25832"))))
    assert uri.param("layers") == "extremregen"
    assert uri.param("crs") == "EPSG:25832"
    assert uri.param("format") == "image/png"
    assert uri.param("url") == "https://geodaten.herne.de/geoserver/ows?MAP=a&x=1"  # & survives encoding
    assert uri.authConfigId() == "abc1234"


def test_wfs_and_oapif_uris():
    wfs = ServiceEntry("Kataster", ServiceType.WFS, "https://geodaten.herne.de/geoserver/ows?", version="1.1.0",
                       authcfg="abc1234")
    uri = QgsDataSourceUri(wfs_uri(wfs, LayerInfo("herne:street_lights", crs=("EPSG:4326",))))
    assert (uri.param("typename"), uri.param("version"), uri.param("srsname"), uri.authConfigId()) == (
        "herne:street_lights", "1.1.0", "EPSG:4326", "abc1234")
    assert uri.param("url") == "https://geodaten.herne.de/geoserver/ows?"
    oapif = ServiceEntry("pygeoapi", ServiceType.OAPIF, "http://127.0.0.1:5000")
    uri = QgsDataSourceUri(oapif_uri(oapif, LayerInfo("trees")))
    assert (uri.param("typename"), uri.param("url")) == ("trees", "http://127.0.0.1:5000")
    assert not uri.hasParam("srsname")  # the collection lists no EPSG:25832


def test_add_wms_top_level_layers_in_a_group(fixture_server, project):  # noqa: F811
    entry = ServiceEntry("Herne WMS", ServiceType.WMS, fixture_server.url("/wms"), "1.3.0")
    layers = add_service_layers(entry, project=project, timeout_s=5)
    assert [layer.name() for layer in layers] == ["Strassenbeleuchtung", "Starkregen"]
    assert all(layer.isValid() and layer.providerType() == "wms" for layer in layers)
    assert group_layers(project, "Herne WMS") == ["Strassenbeleuchtung", "Starkregen"]
    assert "crs=EPSG:25832" in layers[0].source()


def test_add_chosen_wfs_layer(fixture_server, project):  # noqa: F811
    entry = ServiceEntry("Herne WFS", ServiceType.WFS, fixture_server.url("/wfs"), "1.1.0")
    layers = add_service_layers(entry, ["herne:street_lights"], project=project)
    assert [(layer.name(), layer.providerType(), layer.isValid()) for layer in layers] == [
        ("herne:street_lights", "WFS", True)]
    assert [field.name() for field in layers[0].fields()][-2:] == ["light_id", "street"]
    assert project.mapLayers() == {layers[0].id(): layers[0]}


def test_add_oapif_collections(fixture_server, project):  # noqa: F811
    entry = ServiceEntry("pygeoapi", ServiceType.OAPIF, fixture_server.url("/oapif"))
    layers = add_service_layers(entry, project=project, timeout_s=5)
    assert [(layer.name(), layer.providerType()) for layer in layers] == [
        ("Sensoren", "OAPIF"), ("Strassenbaeume", "OAPIF")]
    names = sorted(feature["name"] for feature in layers[0].getFeatures())
    assert names == ["Luft Cranger Str.", "Pegel Rathaus"]


def test_second_add_reuses_the_group(fixture_server, project):  # noqa: F811
    entry = ServiceEntry("Herne WMS", ServiceType.WMS, fixture_server.url("/wms"), "1.3.0")
    add_service_layers(entry, ["street_lights"], project=project)
    add_service_layers(entry, ["extremregen"], project=project)
    assert group_layers(project, "Herne WMS") == ["street_lights", "extremregen"]
    assert len(project.layerTreeRoot().findGroups()) == 1


def test_unknown_layer_is_reported_and_valid_ones_still_added(fixture_server, project):  # noqa: F811
    entry = ServiceEntry("Herne WFS", ServiceType.WFS, fixture_server.url("/wfs"), "1.1.0")
    with pytest.raises(LayerLoadError, match="1 layer.*could not be loaded: herne:no_such_layer") as error:
        add_service_layers(entry, ["herne:drain_inlets", "herne:no_such_layer"], project=project)
    assert [layer.name() for layer in error.value.added] == ["herne:drain_inlets"]
    assert [name for name, _reason in error.value.failed] == ["herne:no_such_layer"]
    assert group_layers(project, "Herne WFS") == ["herne:drain_inlets"]


def test_unreachable_service_adds_nothing(project):
    from fixture_http_server import unused_port

    entry = ServiceEntry("Weg", ServiceType.WMS, "http://127.0.0.1:{}/wms".format(unused_port()))
    with pytest.raises(LayerLoadError, match="refused the connection"):
        add_service_layers(entry, project=project, timeout_s=5)
    assert project.mapLayers() == {}
    assert project.layerTreeRoot().findGroups() == []


def test_sensor_services_have_no_layers_to_add(project):
    entry = ServiceEntry("Orion", ServiceType.NGSI, "http://127.0.0.1:1026")
    with pytest.raises(LayerLoadError, match="cannot be added to the map"):
        add_service_layers(entry, project=project)


def test_local_preset_layers_can_be_added(fixture_server, catalog_settings, tmp_path, project):  # noqa: F811
    """The shape of the lead's backend integration test, against the fixture server."""
    state = tmp_path / "backend.json"
    state.write_text(json.dumps({
        "wms_url": fixture_server.url("/wms"),
        "wfs_url": fixture_server.url("/wfs"),
        "ogcapi_qgis_url": fixture_server.url("/oapif"),
    }))
    catalog = ServiceCatalog(catalog_settings, backend_state_path=str(state))
    added = {}
    for entry in catalog.local_services():
        added[entry.service_id] = [layer.providerType() for layer in add_service_layers(entry, project=project)]
    assert added == {"local-wms": ["wms", "wms"], "local-wfs": ["WFS", "WFS"], "local-oapif-qgis": ["OAPIF", "OAPIF"]}
    assert len(project.mapLayers()) == 6
