"""The "as of" times a printed map states: when the sensor readings were taken, which
heavy-rain scenario is shown and of when, and when the city model was created.

Each is read from the layers on the map: an explicit ``hernetwin/as_of`` custom property
first (see layer_facts), then the layer's fields (a readings layer's newest ``last_time``,
a city model's newest ``creation_date``), then its GeoPackage's ``last_change``.
"""

import datetime
from dataclasses import dataclass

from qgis.core import QgsVectorLayer

from ..hazard.scenarios import HERNE_SCENARIOS
from .language import tr_noop
from .layer_facts import (
    AS_OF_PROPERTY,
    field_names,
    geopackage_contents,
    is_vector,
    newest_in_table,
    parse_time,
    wms_layer_names,
)

SENSORS, HAZARD, CITY_MODEL, DATA = "sensors", "hazard", "city_model", "data"
# fields with the time of a reading: the live/snapshot readings layer's newest reading first
READING_TIME_FIELDS = ("last_time", "result_time", "phenomenon_time", "received_at", "observed_at", "time")
HAZARD_FIELDS = ("depth_class", "max_depth_cm")
SCENARIO_NAMES = {scenario.key: scenario.official_name for scenario in HERNE_SCENARIOS}


@dataclass(frozen=True)
class AsOf:
    kind: str  # SENSORS, HAZARD, CITY_MODEL or DATA
    layer_name: str
    when: object = None  # datetime.date or datetime.datetime; None where the data does not say
    detail: str = ""  # the heavy-rain scenario's name


def _newest(layer, field):
    index = layer.fields().indexOf(field)
    if index < 0:
        return None
    return parse_time(layer.maximumValue(index))


def _scenarios(layer):
    """Names of the Herne scenarios a layer shows (from its fields, WMS layer names or its own name)."""
    names = []
    fields = field_names(layer)
    for field in ("scenario_label", "scenario"):
        if field in fields:
            index = layer.fields().indexOf(field)
            values = sorted(str(v) for v in layer.uniqueValues(index, 10) if v not in (None, ""))
            names = [SCENARIO_NAMES.get(value, value) for value in values]
            if names:
                return names
    keys = wms_layer_names(layer)
    if not keys and layer.providerType() == "ogr":
        keys = [layer.source().rsplit("layername=", 1)[-1].split("|")[0]]
    keys.append(layer.name())
    for key in keys:
        for scenario_key, official in SCENARIO_NAMES.items():
            if scenario_key in key.lower() and official not in names:
                names.append(official)
    return names


def as_of_for_layer(layer):
    """The AsOf entries of one layer (often none: a street network has no "as of" to print)."""
    explicit = parse_time(layer.customProperty(AS_OF_PROPERTY))
    fields = field_names(layer)
    scenarios = _scenarios(layer) if (fields & set(HAZARD_FIELDS) or not is_vector(layer)) else []
    if scenarios:
        when = explicit or geopackage_contents(layer)[1]
        return [AsOf(HAZARD, layer.name(), when, name) for name in scenarios]
    if isinstance(layer, QgsVectorLayer):
        for field in READING_TIME_FIELDS:
            if field in fields:
                return [AsOf(SENSORS, layer.name(), explicit or _newest(layer, field))]
        if "building_id" in fields:
            # footprints of an imported city model: the CityGML creation date sits in its buildings table
            when = (explicit or _newest(layer, "creation_date") or newest_in_table(layer, "buildings", "creation_date")
                    or geopackage_contents(layer)[1])
            return [AsOf(CITY_MODEL, layer.name(), when)]
    if explicit:
        return [AsOf(DATA, layer.name(), explicit)]
    return []


def _key(when):
    """Sortable form of a date or datetime (aware and naive alike)."""
    if isinstance(when, datetime.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return when
    return datetime.datetime.combine(when, datetime.time())


def collect_as_of(layers):
    """One AsOf per kind (per scenario for hazards, per layer for DATA): the newest time of each."""
    merged = {}
    for layer in layers:
        for entry in as_of_for_layer(layer):
            key = (entry.kind, entry.detail or (entry.layer_name if entry.kind == DATA else ""))
            known = merged.get(key)
            newer = entry.when is not None and (known is None or known.when is None
                                                or _key(entry.when) > _key(known.when))
            if known is None or newer:
                merged[key] = entry
    order = (SENSORS, HAZARD, CITY_MODEL, DATA)
    return sorted(merged.values(), key=lambda e: (order.index(e.kind), e.detail, e.layer_name))


def as_of_lines(entries, language):
    """The lines of the map's as-of block in ``language`` (a MapLanguage)."""
    lines = []
    for entry in entries:
        when = language.moment(entry.when) if entry.when is not None else language(tr_noop("date not stated"))
        if entry.kind == SENSORS:
            lines.append(language(tr_noop("Sensor readings: {when}")).format(when=when))
        elif entry.kind == HAZARD:
            lines.append(language(tr_noop("Heavy-rain scenario {scenario}: {when}")).format(
                scenario=entry.detail, when=when))
        elif entry.kind == CITY_MODEL:
            lines.append(language(tr_noop("City model (LoD2): {when}")).format(when=when))
        else:
            lines.append("{}: {}".format(entry.layer_name, when))
    return lines
