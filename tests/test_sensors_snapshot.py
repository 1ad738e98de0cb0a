"""``hernetwin:sensorsnapshot`` over the fixture server, as a user runs it from the
toolbox: a catalog entry id in, a GeoPackage of the latest readings per station out."""

import pytest
from fixture_http_server import BASIC_PASSWORD, BASIC_USER  # noqa: F401
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from sensors.testing import sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.catalog import ServiceCatalog, ServiceEntry, ServiceType


@pytest.fixture(scope="module")
def hernetwin(hernetwin_provider):
    assert hernetwin_provider.algorithm("sensorsnapshot") is not None
    return hernetwin_provider


@pytest.fixture
def catalog_entry(qgis_app, sensor_server):  # noqa: F811
    """Adds user services to the catalog (the test profile's settings) and removes them after."""
    catalog = ServiceCatalog()
    added = []

    def add(name, service_type, url, **options):
        entry = catalog.add_user_service(ServiceEntry(name, service_type, url, options=options))
        added.append(entry.service_id)
        return entry.service_id

    yield add
    for service_id in added:
        catalog.remove_user_service(service_id)


def run_snapshot(parameters):
    import processing

    return processing.run("hernetwin:sensorsnapshot", parameters)


def features_by_station(path):
    layer = QgsVectorLayer(path, "snapshot", "ogr")
    assert layer.isValid()
    return layer, {feature["station_id"]: feature for feature in layer.getFeatures()}


def test_sensorthings_snapshot_writes_the_latest_reading_of_every_station(
        hernetwin, catalog_entry, sensor_server, sensor_stations, tmp_path):  # noqa: F811
    source = catalog_entry("Fixture SensorThings", ServiceType.SENSORTHINGS, sensor_server.url("sta"))
    output = str(tmp_path / "latest.gpkg")
    result = run_snapshot({"SOURCE": source, "OUTPUT": output})
    data = sensor_server.data
    assert (result["STATION_COUNT"], result["READING_COUNT"]) == (len(data.stations), len(data.streams))
    layer, features = features_by_station(result["OUTPUT"])
    assert layer.crs().authid() == "EPSG:25832"
    assert sorted(features) == sorted(record["station_id"] for record in sensor_stations)
    for record in sensor_stations:
        feature = features[record["station_id"]]
        point = feature.geometry().asPoint()
        assert (point.x(), point.y()) == (pytest.approx(record["x"], abs=0.05), pytest.approx(record["y"], abs=0.05))
        for key in record["property_list"]:
            assert feature[key] == pytest.approx(data.latest(record, key))
            assert feature[key + "_quality"] == "valid"
        assert feature["sensor_type"] == record["sensor_type"]


def test_ngsi_snapshot_with_the_fiware_service_of_the_entry(
        hernetwin, catalog_entry, sensor_server, tmp_path):  # noqa: F811
    source = catalog_entry("Fixture Orion", ServiceType.NGSI, sensor_server.url("orion"), fiware_service="herne",
                           fiware_servicepath="/sensors/air_quality")
    result = run_snapshot({"SOURCE": source, "OUTPUT": str(tmp_path / "orion.gpkg")})
    source = "Fixture Orion"  # the name as the catalog shows it works as well as the id
    air = [record for record in sensor_server.data.stations if record["sensor_type"] == "air_quality"]
    assert result["STATION_COUNT"] == len(air)
    _layer, features = features_by_station(result["OUTPUT"])
    for record in air:
        feature = features["urn:ngsi-ld:AirQualityObserved:" + record["station_id"]]
        assert feature["no2"] == pytest.approx(sensor_server.data.latest(record, "no2"))
        assert feature["no2_unit"] == "µg/m³"  # the broker's unit code GQ, in the city's spelling


def test_extent_keeps_the_stations_inside(
        hernetwin, catalog_entry, sensor_server, sensor_stations, tmp_path):  # noqa: F811
    source = catalog_entry("Fixture SensorThings", ServiceType.SENSORTHINGS, sensor_server.url("sta"))
    middle = sorted(record["x"] for record in sensor_stations)[len(sensor_stations) // 2]
    extent = QgsRectangle(368000, 5712000, middle, 5715000)
    # the algorithm filters in WGS 84; a station within a metre of the edge may fall either way
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:25832"),
                                       QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    west = transform.transformBoundingBox(extent).xMaximum()
    inside = {record["station_id"] for record in sensor_stations if record["lon"] <= west}
    result = run_snapshot({"SOURCE": source, "EXTENT": "368000,{},5712000,5715000 [EPSG:25832]".format(middle),
                           "OUTPUT": str(tmp_path / "west.gpkg")})
    _layer, features = features_by_station(result["OUTPUT"])
    assert set(features) == inside and 0 < len(inside) < len(sensor_stations)


def test_unknown_entry_is_refused(hernetwin, qgis_app, tmp_path):
    with pytest.raises(QgsProcessingException, match="no entry named nicht-da"):
        run_snapshot({"SOURCE": "nicht-da", "OUTPUT": str(tmp_path / "x.gpkg")})


def test_an_entry_of_another_type_is_refused(hernetwin, qgis_app, tmp_path):
    with pytest.raises(QgsProcessingException, match="is not a sensor source"):
        run_snapshot({"SOURCE": "herne-geoserver-wms", "OUTPUT": str(tmp_path / "x.gpkg")})


def test_a_failing_server_is_reported_with_its_reason(hernetwin, catalog_entry, sensor_server, tmp_path):  # noqa: F811
    source = catalog_entry("Broken SensorThings", ServiceType.SENSORTHINGS, sensor_server.url("sta",
                                                                                               fault="status/500"))
    with pytest.raises(QgsProcessingException, match="HTTP 500"):
        run_snapshot({"SOURCE": source, "OUTPUT": str(tmp_path / "x.gpkg")})
