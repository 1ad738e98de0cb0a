"""The demo's live sensor layer: show_live_sensors() against a real Mosquitto fills the styled
live layer of the project while the simulator publishes, and says clearly what is missing."""

import os

import pytest
from demo_sensors import DemoError, show_live_sensors
from qgis.core import QgsCategorizedSymbolRenderer
from sensors.stations import SAMPLE_DIR
from sensors.testing import mosquitto_broker, sensor_stations  # noqa: F401 (fixtures)


def test_the_live_layer_fills_and_updates_during_the_demo(
        qgis_new_project, mosquitto_broker, sensor_stations):  # noqa: F811
    from qgis.core import QgsProject

    state = {"mqtt_host": "127.0.0.1", "mqtt_port": mosquitto_broker.port, "data_dir": SAMPLE_DIR}
    result = show_live_sensors(state, QgsProject.instance(), seconds=2, rate=100)
    layer = result["layer"]
    assert layer.id() in QgsProject.instance().mapLayers()
    assert isinstance(layer.renderer(), QgsCategorizedSymbolRenderer)
    counters = result["counters"]
    assert result["sent"] >= 150 and counters["received"] == counters["accepted"] == result["sent"]
    assert layer.featureCount() == result["stations"] == len(sensor_stations)
    assert len(result["updates"]) >= 2, "the layer was written several times while messages arrived"
    assert result["updates"][0][2] < result["updates"][-1][2]
    assert not result["session"].running


@pytest.mark.parametrize("state, message", [
    ({}, "no MQTT broker"),
    ({"mqtt_host": "127.0.0.1", "mqtt_port": 1, "data_dir": "/nonexistent"}, "no sample GeoPackage"),
])
def test_missing_backend_pieces_are_named(qgis_new_project, state, message):
    from qgis.core import QgsProject

    with pytest.raises(DemoError, match=message):
        show_live_sensors(state, QgsProject.instance())


def test_a_broker_that_does_not_answer_is_named(qgis_new_project):
    from backend.processes import free_port
    from qgis.core import QgsProject

    state = {"mqtt_host": "127.0.0.1", "mqtt_port": free_port(), "data_dir": SAMPLE_DIR}
    assert os.path.isfile(os.path.join(SAMPLE_DIR, "herne_sample.gpkg"))
    with pytest.raises(DemoError, match="did not connect"):
        show_live_sensors(state, QgsProject.instance(), seconds=1)
