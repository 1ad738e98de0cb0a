"""Alerts on incoming readings: a rule fires after its duration and not before, once per
episode, only on valid readings; acknowledgements survive a new session (settings)."""

import datetime

import pytest
from qgis.PyQt.QtCore import QSettings

from herne_twin_plugin.core.sensors.alerts import ABOVE, BELOW, AlertEngine, AlertRule, AlertRuleError
from herne_twin_plugin.core.sensors.model import UTC, Observation, Quality, Station
from herne_twin_plugin.core.settings import PluginSettings

START = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
STATION = Station("herne-aq-0007", "Bahnhofstraße", 372000.0, 5713000.0, sensor_type="air_quality")


def reading(minute, value, key="pm10", quality=Quality.VALID):
    return Observation("{}/{}".format(STATION.station_id, key), STATION.station_id, key,
                       START + datetime.timedelta(minutes=minute), value, "µg/m³", quality, "tts")


@pytest.fixture
def settings(tmp_path):
    return PluginSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


def feed(engine, readings):
    fired = []
    for item in readings:
        fired.extend(engine.evaluate(STATION, [item]))
    return fired


def test_an_alert_fires_once_the_value_stayed_above_for_the_duration(settings):
    engine = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 600)], settings)
    assert feed(engine, [reading(0, 40), reading(5, 55), reading(10, 60)]) == [], "5 min above is not 10 min"
    fired = feed(engine, [reading(15, 58)])
    assert len(fired) == 1
    alert = fired[0]
    assert alert.since == START + datetime.timedelta(minutes=5)
    assert alert.value == 58 and alert.station_id == STATION.station_id
    assert "Bahnhofstraße" in alert.message() and "PM10" in alert.message()
    assert feed(engine, [reading(20, 70), reading(25, 65)]) == [], "one alert per episode"
    assert list(engine.active.values()) == [alert]


def test_a_reading_back_within_the_limit_ends_the_episode(settings):
    engine = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 600)], settings)
    assert feed(engine, [reading(0, 55), reading(5, 56), reading(8, 45), reading(12, 60)]) == []
    assert engine.active == {}
    fired = feed(engine, [reading(22, 61)])
    assert [alert.since for alert in fired] == [START + datetime.timedelta(minutes=12)]
    feed(engine, [reading(30, 10)])
    assert engine.active == {}, "back within the limit: no active alert"
    assert len(engine.history) == 1


def test_below_rules_and_zero_duration(settings):
    engine = AlertEngine([AlertRule("soil_moisture", BELOW, 15.0, 0)], settings)
    assert feed(engine, [reading(0, 20, "soil_moisture")]) == []
    assert len(feed(engine, [reading(5, 12, "soil_moisture")])) == 1


def test_readings_that_failed_a_check_never_alarm(settings):
    engine = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 0)], settings)
    assert feed(engine, [reading(0, 5000, quality=Quality.OUT_OF_RANGE),
                         reading(1, 80, quality=Quality.SUSPECT)]) == []
    assert feed(engine, [reading(2, 80, key="pm25")]) == [], "no rule for PM2.5 here"


def test_acknowledgements_are_remembered_across_sessions(settings):
    engine = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 0)], settings)
    alert = feed(engine, [reading(0, 80)])[0]
    assert engine.unacknowledged() == [alert]
    engine.acknowledge(alert)
    assert engine.unacknowledged() == []
    later = AlertEngine([AlertRule("pm10", ABOVE, 50.0, 0)], settings)  # QGIS restarted
    again = feed(later, [reading(0, 80)])[0]
    assert again.key == alert.key and later.is_acknowledged(again)
    other = feed(later, [reading(5, 10), reading(9, 90)])[0]
    assert not later.is_acknowledged(other), "a new episode is a new alert"


@pytest.mark.parametrize("arguments", [
    ("pm1000", ABOVE, 50.0, 0), ("pm10", "beside", 50.0, 0), ("pm10", ABOVE, "fifty", 0),
    ("pm10", ABOVE, float("nan"), 0), ("pm10", ABOVE, 50.0, -1), ("pm10", ABOVE, 50.0, 10 ** 9),
])
def test_bad_rules_are_refused_with_a_reason(arguments):
    with pytest.raises(AlertRuleError) as raised:
        AlertRule(*arguments)
    assert str(raised.value)
