"""The live layer's style: each station by its latest values against its own thresholds,
stations without a recent reading greyed out (the stale age is a setting)."""

import datetime

from qgis.core import QgsCategorizedSymbolRenderer, QgsExpressionContext, QgsExpressionContextUtils, QgsRenderContext

from herne_twin_plugin.core.sensors.latest_values import LatestValueStore
from herne_twin_plugin.core.sensors.live_layer import LiveReadingsLayer
from herne_twin_plugin.core.sensors.live_style import (
    ALARM,
    OK,
    STALE,
    WARNING,
    apply_live_style,
    station_states,
)
from herne_twin_plugin.core.sensors.model import UTC, Observation, Quality, Station, Stream

NOW = datetime.datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


def station(station_id):
    return Station(station_id, station_id, 372000.0 + len(station_id), 5713000.0)


def observation(station_id, key, value, minutes_ago, unit="cm", quality=Quality.VALID):
    return Observation("{}/{}".format(station_id, key), station_id, key, NOW - datetime.timedelta(minutes=minutes_ago),
                       value, unit, quality, "tts")


def test_states_follow_each_stations_thresholds_and_age(qgis_app):
    streams = [
        Stream("gauge-a/water_level", "gauge-a", "water_level", "cm", {"warn": 10, "alarm": 20}),
        Stream("gauge-b/water_level", "gauge-b", "water_level", "cm", {"warn": 30, "alarm": 60}),
        Stream("aq/pm10", "aq", "pm10", "µg/m³", {"warn": 50}),
        Stream("soil/soil_moisture", "soil", "soil_moisture", "%", {"warn_below": 15}),
        Stream("old/pm10", "old", "pm10", "µg/m³", {"warn": 50}),
        Stream("bad/pm10", "bad", "pm10", "µg/m³", {"warn": 50}),
    ]
    readings = {
        "gauge-a": observation("gauge-a", "water_level", 25, 1),  # alarm at 20
        "gauge-b": observation("gauge-b", "water_level", 25, 1),  # same value, below this gauge's warning
        "aq": observation("aq", "pm10", 55, 2, "µg/m³"),
        "soil": observation("soil", "soil_moisture", 9, 3, "%"),
        "old": observation("old", "pm10", 80, 16, "µg/m³"),  # 16 min: older than the 15 min default
        "bad": observation("bad", "pm10", None, 1, "µg/m³", Quality.OUT_OF_RANGE),
    }
    live = LiveReadingsLayer(LatestValueStore(), clock=lambda: NOW)
    for station_id, item in readings.items():
        live.store.apply(station(station_id), [item])
    live.write(list(readings))
    apply_live_style(live.layer, streams)
    assert isinstance(live.layer.renderer(), QgsCategorizedSymbolRenderer)
    assert station_states(live.layer) == {"gauge-a": ALARM, "gauge-b": OK, "aq": WARNING, "soil": WARNING,
                                          "old": STALE, "bad": OK}
    apply_live_style(live.layer, streams, stale_after_s=30 * 60)
    assert station_states(live.layer)["old"] == WARNING, "a longer stale age keeps it coloured"


def test_stale_stations_are_drawn_grey(qgis_app):
    streams = [Stream("aq/pm10", "aq", "pm10", "µg/m³", {"warn": 50})]
    live = LiveReadingsLayer(LatestValueStore(), clock=lambda: NOW)
    live.store.apply(station("aq"), [observation("aq", "pm10", 20, 60, "µg/m³")])
    live.write(["aq"])
    apply_live_style(live.layer, streams)
    renderer = live.layer.renderer()
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(live.layer)))
    renderer.startRender(context, live.layer.fields())
    feature = next(live.layer.getFeatures())
    context.expressionContext().setFeature(feature)  # as the map renderer does before drawing a feature
    symbol = renderer.symbolForFeature(feature, context)
    renderer.stopRender(context)
    assert symbol.color().name() == "#bdbdbd"
