"""Alerts on incoming readings: a rule per observed property, "above" or "below" a value
for at least a duration, evaluated on the observations as they arrive.

A station's stream starts an alert when its readings have stayed beyond the rule's
value (continuously, by the readings' own times) for ``duration_s``; one alert per
episode: it ends with the first reading back within the limit. Only valid readings
count (a reading that failed a check is never a reason to alarm). Acknowledged alerts
are remembered in the plugin settings (``sensors/acknowledged_alerts``), so an alert a
user has seen stays acknowledged after QGIS restarts.
"""

import datetime
import logging
from dataclasses import dataclass

from ..i18n import tr
from ..settings import PluginSettings
from .model import Quality, format_time
from .observed_properties import PROPERTIES, property_label

LOGGER = logging.getLogger(__name__)

ABOVE = "above"
BELOW = "below"
ACKNOWLEDGED_KEY = "sensors/acknowledged_alerts"
MAX_REMEMBERED = 5000  # acknowledgements kept in the settings (the newest)


class AlertRuleError(ValueError):
    """A rule cannot be used; the message says why (translated)."""


@dataclass(frozen=True)
class AlertRule:
    observed_property: str
    direction: str  # ABOVE or BELOW
    value: float
    duration_s: float = 0.0

    def __post_init__(self):
        if self.observed_property not in PROPERTIES:
            raise AlertRuleError(tr("{name} is not an observed property the city measures.").format(
                name=self.observed_property))
        if self.direction not in (ABOVE, BELOW):
            raise AlertRuleError(tr("An alert rule is either above or below a value."))
        if not isinstance(self.value, (int, float)) or self.value != self.value:
            raise AlertRuleError(tr("The alert value must be a number."))
        if not isinstance(self.duration_s, (int, float)) or not 0 <= self.duration_s <= 30 * 86400:
            raise AlertRuleError(tr("The alert duration must be between 0 s and 30 days."))

    def violated_by(self, value):
        return value > self.value if self.direction == ABOVE else value < self.value

    def describe(self):
        text = (tr("{property} above {value} {unit} for {minutes} min") if self.direction == ABOVE
                else tr("{property} below {value} {unit} for {minutes} min"))
        return text.format(property=property_label(self.observed_property), value="{:g}".format(self.value),
                           unit=PROPERTIES[self.observed_property].unit,
                           minutes="{:g}".format(round(self.duration_s / 60.0, 1))).replace("  ", " ")


def default_rules(duration_s=600):
    """The city's usual limits: PM10 daily limit 50 µg/m³, PM2.5 25, NO2 200, hot air 35 °C,
    dry soil below 15 %."""
    return [
        AlertRule("pm10", ABOVE, 50.0, duration_s),
        AlertRule("pm25", ABOVE, 25.0, duration_s),
        AlertRule("no2", ABOVE, 200.0, duration_s),
        AlertRule("temperature", ABOVE, 35.0, duration_s),
        AlertRule("soil_moisture", BELOW, 15.0, duration_s),
    ]


@dataclass(frozen=True)
class Alert:
    station_id: str
    station_name: str
    rule: AlertRule
    since: datetime.datetime  # the first reading beyond the limit
    fired_at: datetime.datetime  # the reading that completed the duration
    value: float  # that reading's value

    @property
    def key(self):
        """Stable id of the episode (what an acknowledgement remembers)."""
        return "{}|{}|{}|{:g}|{}".format(self.station_id, self.rule.observed_property, self.rule.direction,
                                         self.rule.value, format_time(self.since))

    def message(self):
        return tr("{station}: {rule} (since {since} UTC, now {value})").format(
            station=self.station_name or self.station_id, rule=self.rule.describe(),
            since=self.since.strftime("%Y-%m-%d %H:%M"), value="{:g}".format(self.value))


class AlertEngine:
    """Evaluates rules on observations (call on one thread, e.g. the UI thread's batch)."""

    def __init__(self, rules=(), settings=None):
        self._rules = {}
        for rule in rules:
            self._rules.setdefault(rule.observed_property, []).append(rule)
        self._settings = settings if isinstance(settings, PluginSettings) else PluginSettings(settings)
        self._episodes = {}  # (stream id, rule) -> first violating time
        self._fired = set()  # (stream id, rule) already alerted in this episode
        self.active = {}  # alert key -> Alert (fired, not yet back within the limit)
        self.history = []  # every alert fired, oldest first

    @property
    def rules(self):
        return [rule for rules in self._rules.values() for rule in rules]

    def evaluate(self, station, observations):
        """Feed the observations of one station (oldest first); the alerts that fire now."""
        fired = []
        for observation in observations:
            rules = self._rules.get(observation.observed_property)
            if not rules or observation.quality != Quality.VALID:
                continue
            for rule in rules:
                episode = (observation.stream_id, rule)
                if not rule.violated_by(observation.value):
                    if episode in self._episodes:
                        del self._episodes[episode]
                        self._fired.discard(episode)
                        for key in [key for key, alert in self.active.items()
                                    if alert.station_id == station.station_id and alert.rule == rule]:
                            del self.active[key]
                    continue
                since = self._episodes.setdefault(episode, observation.time)
                if observation.time < since:  # a late reading: the episode starts earlier
                    since = self._episodes[episode] = observation.time
                if episode in self._fired or (observation.time - since).total_seconds() < rule.duration_s:
                    continue
                self._fired.add(episode)
                alert = Alert(station.station_id, station.name, rule, since, observation.time, observation.value)
                self.active[alert.key] = alert
                self.history.append(alert)
                fired.append(alert)
                LOGGER.warning("Alert: %s", alert.message())
        return fired

    # -- acknowledgements ------------------------------------------------------------------
    def acknowledged_keys(self):
        keys = self._settings.json_value(ACKNOWLEDGED_KEY, [])
        return set(keys) if isinstance(keys, list) else set()

    def is_acknowledged(self, alert):
        return alert.key in self.acknowledged_keys()

    def acknowledge(self, alert):
        keys = self._settings.json_value(ACKNOWLEDGED_KEY, [])
        keys = keys if isinstance(keys, list) else []
        if alert.key not in keys:
            keys.append(alert.key)
        self._settings.set_json_value(ACKNOWLEDGED_KEY, keys[-MAX_REMEMBERED:])

    def unacknowledged(self):
        known = self.acknowledged_keys()
        return [alert for alert in self.active.values() if alert.key not in known]
