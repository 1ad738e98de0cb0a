"""Sensor history on the temporal controller: observations read from the fixture server
become a temporal point layer whose range is the readings' range and whose every time
step shows one reading per stream."""

import datetime

import pytest
from qgis.core import (
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
)
from sensors.testing import sensor_server, sensor_stations  # noqa: F401 (fixtures)

from herne_twin_plugin.core.sensors.history_layer import history_layer, layer_time_range, read_history
from herne_twin_plugin.core.sensors.live_layer import qdatetime
from herne_twin_plugin.core.sensors.model import Quality
from herne_twin_plugin.core.sensors.ngsi import NgsiSource
from herne_twin_plugin.core.sensors.sensorthings import SensorThingsSource


def features_at(layer, start, end):
    properties = layer.temporalProperties()
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    expression = properties.createFilterString(context, QgsDateTimeRange(qdatetime(start), qdatetime(end),
                                                                         True, False))
    return list(layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))


@pytest.fixture
def three_hours(qgis_app, sensor_server):  # noqa: F811
    source = SensorThingsSource(sensor_server.url("sta"), page_size=100)
    snapshot = source.latest()
    stations = snapshot.stations[:6]
    streams = [stream for stream in snapshot.streams if stream.station_id in {item.station_id for item in stations}]
    end = sensor_server.data.times[-1]
    start = end - datetime.timedelta(hours=3)
    return source, snapshot, stations, streams, start, end


def test_history_layer_spans_the_readings_and_plays_step_by_step(three_hours, sensor_server):  # noqa: F811
    source, _snapshot, stations, streams, start, end = three_hours
    observations = read_history(source, streams, start, end)
    step = datetime.timedelta(minutes=sensor_server.data.step_minutes)
    steps = int((end - start) / step) + 1  # both ends included ("ge" and "le")
    assert len(observations) == len(streams) * steps
    layer = history_layer(stations, observations, step_s=step.total_seconds())
    assert layer.isValid() and layer.featureCount() == len(observations)
    properties = layer.temporalProperties()
    assert properties.isActive()
    assert properties.mode() == QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField
    assert properties.startField() == "time"
    time_range = layer_time_range(layer)
    assert time_range.begin() == qdatetime(start) and time_range.end() == qdatetime(end)
    for index in range(steps):
        moment = start + index * step
        shown = features_at(layer, moment, moment + step)
        assert len(shown) == len(streams), moment
        assert {(feature["station_id"], feature["observed_property"]) for feature in shown} == {
            (stream.station_id, stream.observed_property) for stream in streams}
        expected = {item.stream_id: item.value for item in observations if item.time == moment}
        assert {"{}/{}".format(f["station_id"], f["observed_property"]): f["value"] for f in shown} == expected
    assert features_at(layer, end + step, end + 2 * step) == []


def test_history_over_quantumleap_and_unknown_stations(qgis_app, sensor_server):  # noqa: F811
    source = NgsiSource(sensor_server.url("orion"), service="herne",
                        quantumleap_url=sensor_server.url("quantumleap"))
    snapshot = source.latest()
    station = snapshot.stations[0]
    streams = [stream for stream in snapshot.streams if stream.station_id == station.station_id]
    end = sensor_server.data.times[-1]
    observations = read_history(source, streams, end - datetime.timedelta(hours=1), end)
    assert observations and all(item.station_id == station.station_id for item in observations)
    layer = history_layer([], observations)  # no station known: nothing placed anywhere
    assert layer.featureCount() == 0
    layer = history_layer([station], observations)
    assert layer.featureCount() == len(observations)
    assert {feature["quality"] for feature in layer.getFeatures()} <= set(Quality.ALL)
