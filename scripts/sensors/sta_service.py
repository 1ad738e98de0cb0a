"""SensorThings API v1.1 over the fixture data, as the specification (OGC 18-088) reads.

Entity sets: Things, Locations, HistoricalLocations, Datastreams, Sensors,
ObservedProperties, Observations, FeaturesOfInterest, each entity with ``@iot.id``,
``@iot.selfLink`` and ``<Nav>@iot.navigationLink``. Resource paths: the service root,
collections, ``Set(id)``, navigation (``Things(1)/Datastreams``, ``Datastreams(3)/Thing``,
``Things(1)/Datastreams(3)``), properties (``Things(1)/name``, ``.../name/$value``) and
``$ref``. Query options: see odata.py. Server-driven paging: ``$top`` is the page size
(at most ``max_top``; ``page_size`` without it) and ``@iot.nextLink`` follows whenever
more entities match, also inside ``$expand`` (``Observations@iot.nextLink``), the way
FROST-Server does it. Errors answer ``{"code", "type": "error", "message"}``.

One Thing per station (``properties``: station_id, sensor_type, device_eui, district),
its Location and FeatureOfInterest (GeoJSON, WGS 84), one HistoricalLocation, one
Datastream per observed property (``properties.thresholds``), one Sensor per device
type, one ObservedProperty per property. Observations are made on demand: id
``datastream id * 100000 + index`` (index 0 is the oldest).
"""

import json
import re
import urllib.parse
from collections.abc import Sequence

from .odata import Options, QueryError, evaluate, matches, parse_options
from .readings import UNITS, iso

VERSION = "v1.1"
CONTENT_TYPE = "application/json; charset=UTF-8"
OBSERVATION_ID_FACTOR = 100000
OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
GEOJSON = "application/geo+json"
CONFORMANCE = (
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
)

# entity set -> {navigation property: (target entity set, is a collection)}
NAVIGATION = {
    "Things": {"Locations": ("Locations", True), "HistoricalLocations": ("HistoricalLocations", True),
               "Datastreams": ("Datastreams", True)},
    "Locations": {"Things": ("Things", True), "HistoricalLocations": ("HistoricalLocations", True)},
    "HistoricalLocations": {"Thing": ("Things", False), "Locations": ("Locations", True)},
    "Datastreams": {"Thing": ("Things", False), "Sensor": ("Sensors", False),
                    "ObservedProperty": ("ObservedProperties", False), "Observations": ("Observations", True)},
    "Sensors": {"Datastreams": ("Datastreams", True)},
    "ObservedProperties": {"Datastreams": ("Datastreams", True)},
    "Observations": {"Datastream": ("Datastreams", False), "FeatureOfInterest": ("FeaturesOfInterest", False)},
    "FeaturesOfInterest": {"Observations": ("Observations", True)},
}
PROPERTIES = {
    "Things": ("name", "description", "properties"),
    "Locations": ("name", "description", "encodingType", "location", "properties"),
    "HistoricalLocations": ("time",),
    "Datastreams": ("name", "description", "observationType", "unitOfMeasurement", "observedArea",
                    "phenomenonTime", "resultTime", "properties"),
    "Sensors": ("name", "description", "encodingType", "metadata", "properties"),
    "ObservedProperties": ("name", "definition", "description", "properties"),
    "Observations": ("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"),
    "FeaturesOfInterest": ("name", "description", "encodingType", "feature", "properties"),
}
_SENSOR_NAMES = {
    "air_quality": "herne-air-quality-v1", "water_level": "herne-water-level-v1", "parking": "herne-parking-v1",
    "soil_moisture": "herne-soil-moisture-v1", "temperature": "herne-climate-v1",
}
_PROPERTY_NAMES = {
    "pm10": "PM10 mass concentration", "pm25": "PM2.5 mass concentration", "no2": "NO2 concentration",
    "water_level": "water level above the gauge zero", "occupied": "parking space occupied",
    "soil_moisture": "volumetric soil water content", "soil_temperature": "soil temperature",
    "temperature": "air temperature", "humidity": "relative air humidity",
}


class HttpAnswer:
    def __init__(self, status, body, content_type=CONTENT_TYPE, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})


def error(status, message):
    return HttpAnswer(status, {"code": status, "type": "error", "message": message})


class _Ordered(list):
    """A list that knows which $orderby it already satisfies (ascending)."""

    def __init__(self, items, natural=("@iot.id", "id")):
        super().__init__(items)
        self.natural = natural


class ObservationSeries(Sequence):
    """A Datastream's Observations, oldest first, made when read."""

    natural = ("phenomenonTime", "resultTime", "@iot.id", "id")

    def __init__(self, model, datastream_id):
        self.model, self.datastream_id = model, datastream_id

    def __len__(self):
        return len(self.model.data.times)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.model.observation(self.datastream_id, index)


class _Reversed(Sequence):
    def __init__(self, items):
        self.items = items
        self.natural = ()

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.items[len(self.items) - 1 - index]


class _Chain(Sequence):
    """Several series one after the other (ascending ids)."""

    natural = ("@iot.id", "id")

    def __init__(self, parts):
        self.parts = parts
        self.starts, total = [], 0
        for part in parts:
            self.starts.append(total)
            total += len(part)
        self.total = total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += self.total
        for start, part in zip(reversed(self.starts), reversed(self.parts)):
            if index >= start:
                return part[index - start]
        raise IndexError(index)


class SensorThingsModel:
    def __init__(self, data, page_size=100, max_top=1000):
        self.data = data
        self.page_size = page_size
        self.max_top = max_top
        self.sets = {name: {} for name in NAVIGATION if name != "Observations"}
        self.links = {}  # (set, id, navigation) -> [ids] or id
        self.datastream_stream = {}  # datastream id -> (station record, property)
        self._build()

    # -- the entities --------------------------------------------------------------------------
    def _link(self, set_name, entity_id, navigation, target):
        key = (set_name, entity_id, navigation)
        if NAVIGATION[set_name][navigation][1]:
            self.links.setdefault(key, []).append(target)
        else:
            self.links[key] = target

    def _build(self):
        data = self.data
        sensors, observed = {}, {}
        datastream_id = 0
        for number, station in enumerate(data.stations, start=1):
            point = {"type": "Point", "coordinates": [station["lon"], station["lat"]]}
            self.sets["Things"][number] = {
                "@iot.id": number, "name": station["name"],
                "description": "LoRaWAN sensor station {} ({})".format(station["station_id"], station["sensor_type"]),
                "properties": {key: station.get(key) for key in (
                    "station_id", "sensor_type", "device_eui", "district", "operator", "mounted_on", "commissioned")},
            }
            self.sets["Locations"][number] = {
                "@iot.id": number, "name": station["name"], "description": "Standort " + station["station_id"],
                "encodingType": GEOJSON, "location": point,
            }
            self.sets["FeaturesOfInterest"][number] = {
                "@iot.id": number, "name": station["name"], "description": "Standort " + station["station_id"],
                "encodingType": GEOJSON, "feature": point,
            }
            self.sets["HistoricalLocations"][number] = {
                "@iot.id": number, "time": "{}T00:00:00.000Z".format(str(station.get("commissioned"))[:10])}
            self._link("Things", number, "Locations", number)
            self._link("Locations", number, "Things", number)
            self._link("Things", number, "HistoricalLocations", number)
            self._link("Locations", number, "HistoricalLocations", number)
            self._link("HistoricalLocations", number, "Thing", number)
            self._link("HistoricalLocations", number, "Locations", number)
            sensor_type = station["sensor_type"]
            if sensor_type not in sensors:
                sensor_id = sensors[sensor_type] = len(sensors) + 1
                self.sets["Sensors"][sensor_id] = {
                    "@iot.id": sensor_id, "name": _SENSOR_NAMES.get(sensor_type, sensor_type),
                    "description": "LoRaWAN {} device (payload layout in codecs.py)".format(sensor_type),
                    "encodingType": "text/html",
                    "metadata": "https://github.com/herne-twin/herne-twin-qgis#" + _SENSOR_NAMES.get(sensor_type, ""),
                }
            thresholds = station["threshold_map"]
            for key in station["property_list"]:
                if key not in observed:
                    property_id = observed[key] = len(observed) + 1
                    self.sets["ObservedProperties"][property_id] = {
                        "@iot.id": property_id, "name": key, "description": _PROPERTY_NAMES.get(key, key),
                        "definition": "https://herne.de/digitaler-zwilling/properties/" + key,
                    }
                datastream_id += 1
                symbol = data.unit(station, key)
                self.sets["Datastreams"][datastream_id] = {
                    "@iot.id": datastream_id, "name": "{} {}".format(station["station_id"], key),
                    "description": "{} at {}".format(_PROPERTY_NAMES.get(key, key), station["name"]),
                    "observationType": OM_MEASUREMENT,
                    "unitOfMeasurement": {"name": UNITS.get(key, ("", "", key))[2], "symbol": symbol,
                                          "definition": "http://unitsofmeasure.org/ucum.html"},
                    "observedArea": point,
                    "phenomenonTime": "{}/{}".format(iso(data.times[0]), iso(data.times[-1])),
                    "resultTime": "{}/{}".format(iso(data.times[0]), iso(data.times[-1])),
                    "properties": {"thresholds": thresholds.get(key) or {}},
                }
                self.datastream_stream[datastream_id] = (station, key)
                self._link("Things", number, "Datastreams", datastream_id)
                self._link("Datastreams", datastream_id, "Thing", number)
                self._link("Datastreams", datastream_id, "Sensor", sensors[sensor_type])
                self._link("Sensors", sensors[sensor_type], "Datastreams", datastream_id)
                self._link("Datastreams", datastream_id, "ObservedProperty", observed[key])
                self._link("ObservedProperties", observed[key], "Datastreams", datastream_id)

    def observation(self, datastream_id, index):
        station, key = self.datastream_stream[datastream_id]
        moment = iso(self.data.times[index])
        return {"@iot.id": datastream_id * OBSERVATION_ID_FACTOR + index, "phenomenonTime": moment,
                "resultTime": moment, "result": self.data.value(station, key, index)}

    def entity(self, set_name, entity_id):
        if set_name == "Observations":
            if not isinstance(entity_id, int):
                return None
            datastream_id, index = divmod(entity_id, OBSERVATION_ID_FACTOR)
            if datastream_id not in self.datastream_stream or index >= len(self.data.times):
                return None
            return self.observation(datastream_id, index)
        return self.sets[set_name].get(entity_id)

    def collection(self, set_name):
        if set_name == "Observations":
            return _Chain([ObservationSeries(self, item) for item in sorted(self.datastream_stream)])
        return _Ordered(self.sets[set_name][key] for key in sorted(self.sets[set_name]))

    def navigate(self, set_name, entity, navigation):
        """The entity (or collection) ``navigation`` leads to from ``entity``."""
        target, many = NAVIGATION[set_name][navigation]
        entity_id = entity["@iot.id"]
        if set_name == "Datastreams" and navigation == "Observations":
            return ObservationSeries(self, entity_id)
        if set_name == "Observations":
            datastream_id = entity_id // OBSERVATION_ID_FACTOR
            if navigation == "Datastream":
                return self.sets["Datastreams"][datastream_id]
            return self.sets["FeaturesOfInterest"][self.links[("Datastreams", datastream_id, "Thing")]]
        if set_name == "FeaturesOfInterest":  # every Observation of the Thing at this feature
            return _Chain([ObservationSeries(self, item)
                           for item in self.links.get(("Things", entity_id, "Datastreams"), [])])
        linked = self.links.get((set_name, entity_id, navigation))
        if many:
            return _Ordered(self.sets[target][item] for item in sorted(linked or []))
        return self.sets[target].get(linked)

    # -- reading paths in $filter / $orderby ----------------------------------------------------
    def resolver(self, set_name):
        def resolve(entity, segments):
            items = [(set_name, entity)]
            for segment in segments:
                following = []
                for current_set, current in items:
                    if current_set is None:  # inside a JSON property
                        following.append((None, current.get(segment) if isinstance(current, dict) else None))
                    elif segment in NAVIGATION[current_set]:
                        target, many = NAVIGATION[current_set][segment]
                        value = self.navigate(current_set, current, segment)
                        following.extend((target, item) for item in (value if many else [value]) if item)
                    elif segment in ("@iot.id", "id"):
                        following.append((None, current["@iot.id"]))
                    elif segment in PROPERTIES[current_set]:
                        following.append((None, current.get(segment)))
                    else:
                        raise QueryError("{} has no property or navigation {}".format(current_set, segment))
                items = following
            return [value for _set, value in items]
        return resolve

    # -- queries ---------------------------------------------------------------------------------
    def query(self, set_name, items, options, link, root):
        """(rendered page, count, next link) of a collection under the query options;
        ``link`` is the collection's URL with the query (for the next link)."""
        if options.filter is not None:
            resolve = self.resolver(set_name)
            natural = getattr(items, "natural", ())
            items = _Ordered((item for item in items if matches(options.filter, item, resolve)), natural)
        count = len(items)
        items = self._ordered(set_name, items, options.orderby)
        size = min(options.top if options.top is not None else self.page_size, self.max_top)
        page = items[options.skip:options.skip + size]
        next_link = None
        if options.skip + size < count and size > 0:
            next_link = _with_skip(link, options, options.skip + size)
        return [self.render(set_name, item, options, root) for item in page], count, next_link

    def _ordered(self, set_name, items, orderby):
        natural = getattr(items, "natural", ())
        if not orderby:
            return items
        if len(orderby) == 1 and len(orderby[0][0]) == 1 and orderby[0][0][0] in natural:
            return _Reversed(items) if orderby[0][1] else items
        resolve = self.resolver(set_name)
        result = list(items)
        for path, descending in reversed(orderby):
            result.sort(key=lambda entity, path=path: _sort_key(evaluate(("path", path), entity, resolve)),
                        reverse=descending)
        return result

    def render(self, set_name, entity, options, root):
        """An entity as JSON: properties, links and its $expand-ed navigation."""
        self_link = "{}/{}({})".format(root, set_name, entity["@iot.id"])
        selected = options.select
        out = {}
        if selected is None or "@iot.id" in selected or "id" in selected:
            out["@iot.id"] = entity["@iot.id"]
        if selected is None or "@iot.selfLink" in selected:
            out["@iot.selfLink"] = self_link
        for name in PROPERTIES[set_name]:
            if name in entity and (selected is None or name in selected):
                out[name] = entity[name]
        expanded = {item.name: item for item in options.expand}
        for unknown in set(expanded) - set(NAVIGATION[set_name]):
            raise QueryError("{} has no navigation property {}".format(set_name, unknown))
        for navigation, (target, many) in NAVIGATION[set_name].items():
            if selected is None or navigation in selected:
                out[navigation + "@iot.navigationLink"] = "{}/{}".format(self_link, navigation)
            if navigation not in expanded:
                continue
            nested = expanded[navigation].options
            value = self.navigate(set_name, entity, navigation)
            if many:
                page, count, next_link = self.query(
                    target, value, nested, "{}/{}{}".format(self_link, navigation, _query_string(nested.raw)), root)
                out[navigation] = page
                if nested.count:
                    out[navigation + "@iot.count"] = count
                if next_link:
                    out[navigation + "@iot.nextLink"] = next_link
            elif value is not None:
                out[navigation] = self.render(target, value, nested, root)
        return out

    # -- requests ---------------------------------------------------------------------------------
    def handle(self, path, query_pairs, root, loop_link=False):
        """The answer to GET ``path`` (below /v1.1) with the query's (name, value) pairs;
        ``root`` is the absolute URL of /v1.1 as the client reached it."""
        raw = {}
        for name, value in query_pairs:
            if name in raw:
                return error(400, "the query option {} is given twice".format(name))
            raw[name] = value
        try:
            options = parse_options(raw)
            options.raw = raw
            _attach_raw(options.expand)
            return self._answer(path, options, root, loop_link)
        except QueryError as problem:
            return error(400, str(problem))

    def _answer(self, path, options, root, loop_link):
        segments = [segment for segment in path.strip("/").split("/") if segment]
        if not segments:
            return HttpAnswer(200, {"value": [{"name": name, "url": "{}/{}".format(root, name)} for name in NAVIGATION],
                                    "serverSettings": {"conformance": list(CONFORMANCE)}})
        set_name, current, many, link = None, None, False, root
        for position, segment in enumerate(segments):
            match = re.match(r"^([A-Za-z]+)(?:\((\d+|'(?:[^']|'')*')\))?$", segment)
            name = match.group(1) if match else segment
            key = _key(match.group(2)) if match and match.group(2) is not None else None
            if position == 0:
                if name not in NAVIGATION:
                    return error(404, "no entity set {}".format(name))
                set_name, link = name, "{}/{}".format(root, segment)
                if key is None:
                    current, many = self.collection(name), True
                else:
                    current, many = self.entity(name, key), False
                    if current is None:
                        return error(404, "Nothing found: {}".format(segment))
                continue
            if segment == "$ref" and position == len(segments) - 1:
                return self._reference(set_name, current, many, options, link, root)
            if many:
                return error(400, "{} cannot follow a collection".format(segment))
            if name in NAVIGATION[set_name]:
                target, target_many = NAVIGATION[set_name][name]
                value = self.navigate(set_name, current, name)
                link = "{}/{}".format(link, segment)
                if key is not None:
                    if not target_many:
                        return error(400, "{} is a single entity and takes no id".format(name))
                    value = next((item for item in value if item["@iot.id"] == key), None)
                    target_many = False
                if value is None:
                    return error(404, "Nothing found: {}".format(segment))
                set_name, current, many = target, value, target_many
                continue
            if name in PROPERTIES[set_name] or name in ("@iot.id", "id"):
                value = current["@iot.id"] if name in ("@iot.id", "id") else current.get(name)
                rest = segments[position + 1:]
                if rest == ["$value"]:
                    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    return HttpAnswer(200, text.encode("utf-8"), "text/plain; charset=UTF-8")
                if rest:
                    return error(400, "nothing can follow the property {} but $value".format(name))
                if value is None:
                    return HttpAnswer(204, b"")
                return HttpAnswer(200, {name: value})
            return error(404, "{} has no property or navigation {}".format(set_name, name))
        if not many:
            return HttpAnswer(200, self.render(set_name, current, options, root))
        request_link = link + _query_string(options.raw)
        page, count, next_link = self.query(set_name, current, options, request_link, root)
        body = {}
        if options.count:
            body["@iot.count"] = count
        if loop_link:  # fault injection: the next link leads back to this very page
            next_link = request_link
        if next_link:
            body["@iot.nextLink"] = next_link
        body["value"] = page
        return HttpAnswer(200, body)

    def _reference(self, set_name, current, many, options, link, root):
        if not many:
            return HttpAnswer(200, {"@iot.selfLink": "{}/{}({})".format(root, set_name, current["@iot.id"])})
        refs = Options(top=options.top, skip=options.skip, count=options.count, orderby=options.orderby,
                       filter=options.filter, select=["@iot.selfLink"])
        page, count, next_link = self.query(set_name, current, refs, link + _query_string(options.raw), root)
        body = {"@iot.count": count} if options.count else {}
        if next_link:
            body["@iot.nextLink"] = next_link
        body["value"] = page
        return HttpAnswer(200, body)


def _key(text):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return int(text)


def _attach_raw(expands):
    """Nested options keep their raw text for their own next links."""
    for item in expands:
        if not hasattr(item.options, "raw"):
            item.options.raw = {}
        _attach_raw(item.options.expand)


def _query_string(raw):
    if not raw:
        return ""
    return "?" + "&".join("{}={}".format(name, urllib.parse.quote(value, safe="$(),;/'=:@*"))
                          for name, value in raw.items())


def _with_skip(link, options, skip):
    base = link.split("?", 1)[0]
    raw = dict(getattr(options, "raw", {}) or {})
    raw["$skip"] = str(skip)
    if options.top is not None:
        raw["$top"] = str(options.top)
    return base + _query_string(raw)


def _sort_key(values):
    value = values[0] if values else None
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True) if not isinstance(value, str) else value)
