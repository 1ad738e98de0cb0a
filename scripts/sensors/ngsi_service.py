"""FIWARE NGSI v2 over the fixture data: Orion (current state) and QuantumLeap (history).

Orion, below ``/orion``: ``GET /v2`` (entry point), ``/version``, ``/v2/entities``
(``id``, ``type``, ``idPattern``, ``q`` with ``==``, ``!=``, ``>``, ``>=``, ``<``,
``<=``, ``..`` ranges and ``;`` for and, ``attrs``, ``orderBy``, ``limit`` 1-1000
(default 20), ``offset``, ``options=count,keyValues,values``: ``Fiware-Total-Count``
with ``count``), ``/v2/entities/{id}`` (``type``, ``attrs``, ``options``),
``/v2/entities/{id}/attrs``, ``/v2/entities/{id}/attrs/{name}`` and ``.../value``,
``/v2/types``.

QuantumLeap, below ``/quantumleap``: ``GET /version``,
``/v2/entities/{id}/attrs/{attr}`` and ``/v2/entities/{id}`` with ``type``, ``lastN``,
``fromDate``, ``toDate``, ``limit`` (default and maximum 10000) and ``offset``;
404 ``No records were found for such query.`` when nothing matches.

Tenants: every entity lives in the service ``herne`` (``Fiware-Service``, case-folded,
letters, digits and underscores, at most 50) under the service path
``/sensors/<sensor type>``. A query without ``Fiware-ServicePath`` means ``/#`` (all);
``/sensors/#`` a subtree; up to 10 comma-separated paths. Another tenant holds no
entities (Orion: an empty list, QuantumLeap: 404). Errors answer ``{"error", "description"}``.
"""

import datetime
import json
import re
import uuid

from .readings import UNITS, iso

SERVICE = "herne"
CONTENT_TYPE = "application/json"
ORION_VERSION = "3.10.1"
QUANTUMLEAP_VERSION = "0.8.3"
ORION_DEFAULT_LIMIT = 20
ORION_MAX_LIMIT = 1000
QUANTUMLEAP_MAX_LIMIT = 10000
# sensor type -> (entity type, {our property: attribute name})
ENTITY_TYPES = {
    "air_quality": ("AirQualityObserved", {"pm10": "pm10", "pm25": "pm25", "no2": "no2"}),
    "water_level": ("WaterLevelObserved", {"water_level": "waterLevel"}),
    "parking": ("ParkingSpot", {"occupied": "status"}),
    "soil_moisture": ("SoilMoistureObserved", {"soil_moisture": "soilMoisture", "soil_temperature": "soilTemperature"}),
    "temperature": ("WeatherObserved", {"temperature": "temperature", "humidity": "humidity"}),
}
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


class NgsiAnswer:
    def __init__(self, status, body, headers=None, content_type=CONTENT_TYPE):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})


def ngsi_error(status, error, description):
    return NgsiAnswer(status, {"error": error, "description": description})


class _BadRequestError(Exception):
    def __init__(self, description, status=400, error="BadRequest"):
        super().__init__(description)
        self.answer = ngsi_error(status, error, description)


def entity_id(station):
    return "urn:ngsi-ld:{}:{}".format(ENTITY_TYPES[station["sensor_type"]][0], station["station_id"])


class NgsiModel:
    def __init__(self, data):
        self.data = data
        self.stations = {entity_id(station): station for station in data.stations}

    # -- tenants ----------------------------------------------------------------------------------
    @staticmethod
    def tenant(headers):
        service = headers.get("fiware-service")
        if service is None or service == "":
            return ""
        if len(service) > 50 or not _NAME.match(service):
            raise _BadRequestError("bad character in tenant name")
        return service.lower()

    @staticmethod
    def service_paths(headers):
        text = headers.get("fiware-servicepath")
        if text is None or text.strip() == "":
            return ["/#"]
        paths = [part.strip() for part in text.split(",")]
        if len(paths) > 10:
            raise _BadRequestError("too many service paths - a maximum of ten service paths is allowed")
        for path in paths:
            if not path.startswith("/"):
                raise _BadRequestError("Only /absolute/ Service Paths allowed [a service path must begin with /]")
            levels = path[1:].split("/") if path != "/" else []
            if levels and levels[-1] == "#":
                levels = levels[:-1]
            if len(levels) > 10:
                raise _BadRequestError("too many components in ServicePath")
            for level in levels:
                if len(level) > 50:
                    raise _BadRequestError("component-name too long in ServicePath")
                if not _NAME.match(level):
                    raise _BadRequestError("a component of ServicePath contains an illegal character")
        return paths

    @staticmethod
    def path_of(station):
        return "/sensors/" + station["sensor_type"]

    @staticmethod
    def _path_matches(path, patterns):
        for pattern in patterns:
            if pattern.endswith("/#"):
                base = pattern[:-2]
                if base == "" or path == base or path.startswith(base + "/"):
                    return True
            elif path == pattern:
                return True
        return False

    def visible(self, headers):
        """The stations the request's tenant and service paths see."""
        tenant, paths = self.tenant(headers), self.service_paths(headers)
        if tenant != SERVICE:
            return []
        return [(key, station) for key, station in self.stations.items()
                if self._path_matches(self.path_of(station), paths)]

    # -- entities (Orion) ----------------------------------------------------------------------------
    def entity(self, station):
        """The entity in normalized representation, readings as of the newest time."""
        entity_type, attributes = ENTITY_TYPES[station["sensor_type"]]
        moment = iso(self.data.end)
        entity = {
            "id": entity_id(station), "type": entity_type,
            "name": {"type": "Text", "value": station["name"], "metadata": {}},
            "location": {"type": "geo:json", "metadata": {},
                         "value": {"type": "Point", "coordinates": [station["lon"], station["lat"]]}},
            "dateObserved": {"type": "DateTime", "value": moment, "metadata": {}},
            "refDevice": {"type": "Text", "value": "urn:ngsi-ld:Device:" + str(station.get("device_eui")),
                          "metadata": {}},
        }
        for key in station["property_list"]:
            name = attributes.get(key)
            if name is None:
                continue
            value = self.data.latest(station, key)
            metadata = {"TimeInstant": {"type": "DateTime", "value": moment}}
            if key == "occupied":
                entity[name] = {"type": "Text", "value": "occupied" if value else "free", "metadata": metadata}
            else:
                metadata["unitCode"] = {"type": "Text", "value": UNITS[key][1]}
                entity[name] = {"type": "Number", "value": value, "metadata": metadata}
        return entity

    @staticmethod
    def _render(entity, options, attrs):
        if attrs:
            entity = {key: value for key, value in entity.items() if key in ("id", "type") or key in attrs}
        if "values" in options:
            return [value["value"] for key, value in entity.items() if key not in ("id", "type")]
        if "keyValues" in options:
            return {key: (value["value"] if isinstance(value, dict) and key not in ("id", "type") else value)
                    for key, value in entity.items()}
        return entity

    @staticmethod
    def _options(params):
        options = [item for item in params.get("options", "").split(",") if item]
        for option in options:
            if option not in ("count", "keyValues", "values", "unique", "append", "upsert"):
                raise _BadRequestError("Invalid value for URI param /options/")
        if "keyValues" in options and "values" in options:
            raise _BadRequestError("Invalid value for URI param /options/")
        return options

    def list_entities(self, params, headers):
        options = self._options(params)
        limit_text, offset_text = params.get("limit", str(ORION_DEFAULT_LIMIT)), params.get("offset", "0")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= ORION_MAX_LIMIT:
            raise _BadRequestError("Bad pagination limit: /{}/ [a value between 1 and {} is expected]".format(
                limit_text, ORION_MAX_LIMIT))
        if not offset_text.isdigit():
            raise _BadRequestError("Bad pagination offset: /{}/ [must be a decimal number]".format(offset_text))
        entities = [self.entity(station) for _key, station in self.visible(headers)]
        if params.get("id"):
            wanted = set(params["id"].split(","))
            entities = [entity for entity in entities if entity["id"] in wanted]
        if params.get("idPattern"):
            try:
                pattern = re.compile(params["idPattern"])
            except re.error:
                raise _BadRequestError("invalid regex for idPattern") from None
            entities = [entity for entity in entities if pattern.search(entity["id"])]
        if params.get("type"):
            wanted = set(params["type"].split(","))
            entities = [entity for entity in entities if entity["type"] in wanted]
        if params.get("q"):
            entities = [entity for entity in entities if _simple_query(params["q"], entity)]
        if params.get("orderBy"):
            entities = _order(entities, params["orderBy"])
        total = len(entities)
        offset, limit = int(offset_text), int(limit_text)
        attrs = [item for item in params.get("attrs", "").split(",") if item]
        page = [self._render(entity, options, attrs) for entity in entities[offset:offset + limit]]
        headers_out = {"Fiware-Total-Count": str(total)} if "count" in options else {}
        return NgsiAnswer(200, page, headers_out)

    def one_entity(self, key, rest, params, headers):
        options = self._options(params)
        station = dict(self.visible(headers)).get(key)
        entity = self.entity(station) if station else None
        if entity is not None and params.get("type") and entity["type"] != params["type"]:
            entity = None
        if entity is None:
            raise _BadRequestError("The requested entity has not been found. Check type and id", 404, "NotFound")
        attrs = [item for item in params.get("attrs", "").split(",") if item]
        if not rest:
            return NgsiAnswer(200, self._render(entity, options, attrs))
        if rest == ["attrs"]:
            rendered = self._render(entity, options, attrs)
            if isinstance(rendered, dict):
                rendered = {name: value for name, value in rendered.items() if name not in ("id", "type")}
            return NgsiAnswer(200, rendered)
        if len(rest) in (2, 3) and rest[0] == "attrs":
            attribute = entity.get(rest[1]) if rest[1] not in ("id", "type") else None
            if attribute is None:
                raise _BadRequestError("The entity does not have such an attribute", 404, "NotFound")
            if len(rest) == 2:
                return NgsiAnswer(200, attribute)
            if rest[2] != "value":
                raise _BadRequestError("Service not found. Check your URL as probably it is wrong.", 400, "BadRequest")
            value = attribute["value"]
            if isinstance(value, (dict, list)):
                return NgsiAnswer(200, value)
            return NgsiAnswer(200, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                              content_type="text/plain")
        raise _BadRequestError("Service not found. Check your URL as probably it is wrong.", 400, "BadRequest")

    def types(self, headers):
        counts = {}
        for _key, station in self.visible(headers):
            entity_type, attributes = ENTITY_TYPES[station["sensor_type"]]
            counts.setdefault(entity_type, [0, attributes])[0] += 1
        return NgsiAnswer(200, [{"type": name, "count": count,
                                 "attrs": {attribute: {"types": ["Number"]} for attribute in attributes.values()}}
                                for name, (count, attributes) in sorted(counts.items())])

    def orion(self, path, params, headers):
        """The answer of Orion to GET ``path`` (below /orion)."""
        correlator = headers.get("fiware-correlator") or str(uuid.uuid4())
        try:
            answer = self._orion(path, params, headers)
        except _BadRequestError as bad:
            answer = bad.answer
        answer.headers.setdefault("Fiware-Correlator", correlator)
        return answer

    def _orion(self, path, params, headers):
        segments = [segment for segment in path.strip("/").split("/") if segment]
        if segments == ["version"]:
            return NgsiAnswer(200, {"orion": {"version": ORION_VERSION, "uptime": "0 d, 0 h, 1 m, 0 s",
                                              "git_hash": "fixture", "compile_time": "fixture", "compiled_by": "herne",
                                              "compiled_in": "fixture", "release_date": "fixture"}})
        if segments == ["v2"]:
            return NgsiAnswer(200, {"entities_url": "/v2/entities", "types_url": "/v2/types",
                                    "subscriptions_url": "/v2/subscriptions",
                                    "registrations_url": "/v2/registrations"})
        if segments == ["v2", "entities"]:
            return self.list_entities(params, headers)
        if segments[:2] == ["v2", "entities"] and len(segments) >= 3:
            return self.one_entity(segments[2], segments[3:], params, headers)
        if segments == ["v2", "types"]:
            return self.types(headers)
        raise _BadRequestError("Service not found. Check your URL as probably it is wrong.", 400, "BadRequest")

    # -- history (QuantumLeap) ------------------------------------------------------------------------
    def quantumleap(self, path, params, headers):
        """The answer of QuantumLeap to GET ``path`` (below /quantumleap)."""
        try:
            return self._quantumleap(path, params, headers)
        except _BadRequestError as bad:
            return bad.answer

    def _quantumleap(self, path, params, headers):
        segments = [segment for segment in path.strip("/").split("/") if segment]
        if segments == ["version"]:
            return NgsiAnswer(200, {"version": QUANTUMLEAP_VERSION})
        if len(segments) not in (3, 5) or segments[:2] != ["v2", "entities"] or (
                len(segments) == 5 and segments[3] != "attrs"):
            raise _BadRequestError("Not Found", 404, "Not Found")
        key = segments[2]
        station = dict(self.visible(headers)).get(key)
        entity_type, attributes = ENTITY_TYPES[station["sensor_type"]] if station else (None, {})
        if params.get("type") and params["type"] != entity_type:
            station = None
        indices = self._history_indices(params)
        no_records = _BadRequestError("No records were found for such query.", 404, "Not Found")
        if station is None or not indices:
            raise no_records
        by_attribute = {name: key for key, name in attributes.items() if key in station["property_list"]}
        wanted = [segments[4]] if len(segments) == 5 else sorted(by_attribute)
        if any(name not in by_attribute for name in wanted):
            raise no_records
        index = [iso(self.data.times[position]).replace("Z", "+00:00") for position in indices]

        def values(name):
            key_ = by_attribute[name]
            raw = [self.data.value(station, key_, position) for position in indices]
            return [("occupied" if value else "free") for value in raw] if key_ == "occupied" else raw

        if len(segments) == 5:
            return NgsiAnswer(200, {"entityId": key, "entityType": entity_type, "attrName": wanted[0],
                                    "index": index, "values": values(wanted[0])})
        return NgsiAnswer(200, {"entityId": key, "entityType": entity_type, "index": index,
                                "attributes": [{"attrName": name, "values": values(name)} for name in wanted]})

    def _history_indices(self, params):
        times = self.data.times
        positions = list(range(len(times)))
        for name, keep in (("fromDate", lambda moment, bound: moment >= bound),
                           ("toDate", lambda moment, bound: moment <= bound)):
            if params.get(name):
                bound = _parse_date(params[name], name)
                positions = [position for position in positions if keep(times[position], bound)]
        for name in ("lastN", "limit", "offset"):
            if name in params and not params[name].isdigit():
                raise _BadRequestError("{} must be a non-negative integer".format(name), 400, "Bad Request")
        limit = min(int(params.get("limit", QUANTUMLEAP_MAX_LIMIT)), QUANTUMLEAP_MAX_LIMIT)
        offset = int(params.get("offset", 0))
        positions = positions[offset:offset + limit]
        if params.get("lastN"):
            positions = positions[-int(params["lastN"]):] if int(params["lastN"]) else []
        return positions


def _parse_date(text, name):
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _BadRequestError("{} is not an ISO 8601 date: {}".format(name, text[:40]), 400, "Bad Request") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _attribute_value(entity, name):
    value = entity.get(name)
    return value.get("value") if isinstance(value, dict) else value


def _simple_query(text, entity):
    """Orion's simple query language: statements joined by ';' (and)."""
    for statement in text.split(";"):
        statement = statement.strip()
        if not statement:
            continue
        if statement.startswith("!"):
            if statement[1:] in entity:
                return False
            continue
        match = re.match(r"^([A-Za-z0-9_.]+)\s*(==|!=|>=|<=|>|<|:)\s*(.*)$", statement)
        if not match:
            if statement in entity:
                continue
            if re.match(r"^[A-Za-z0-9_.]+$", statement):
                return False
            raise _BadRequestError("invalid query expression: /{}/".format(statement))
        name, operator, wanted = match.groups()
        operator = "==" if operator == ":" else operator
        value = _attribute_value(entity, name)
        if value is None:
            return False
        if not _compare(value, operator, wanted):
            return False
    return True


def _literal(text):
    text = text.strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1]
    try:
        return float(text)
    except ValueError:
        return text


def _compare(value, operator, wanted):
    if operator in ("==", "!=") and ".." in wanted:
        low, high = (_literal(part) for part in wanted.split("..", 1))
        try:
            inside = low <= value <= high
        except TypeError:
            inside = False
        return inside if operator == "==" else not inside
    if operator in ("==", "!="):
        found = any(_literal(part) == value for part in wanted.split(","))
        return found if operator == "==" else not found
    wanted = _literal(wanted)
    try:
        return {">": value > wanted, ">=": value >= wanted, "<": value < wanted, "<=": value <= wanted}[operator]
    except TypeError:
        return False


def _order(entities, text):
    for part in reversed([item.strip() for item in text.split(",") if item.strip()]):
        descending = part.startswith("!")
        name = part.lstrip("!")

        def key(entity, name=name):
            value = entity.get(name) if name in ("id", "type") else _attribute_value(entity, name)
            return (value is None, str(type(value)), value if value is not None else 0)

        entities = sorted(entities, key=key, reverse=descending)
    return entities
