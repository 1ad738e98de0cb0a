"""FIWARE NGSI v2 as a sensor source: Orion for the current state, QuantumLeap for history.

- ``entities()``: Orion ``GET /v2/entities`` page by page (``limit``/``offset``,
  ``options=count`` for the ``Fiware-Total-Count`` header), normalized or keyValues.
- ``latest()``: a Snapshot: one station per entity with a ``geo:json`` location, one
  stream per attribute that holds a property the city measures (Number attributes;
  a ParkingSpot's ``status`` as occupied 1/0), its time from the attribute's
  ``TimeInstant`` metadata or the entity's ``dateObserved``, its unit from ``unitCode``.
- ``history(stream, last_n, start, end)``: QuantumLeap
  ``GET /v2/entities/{id}/attrs/{attr}?type=&lastN=&fromDate=&toDate=`` (``index`` and
  ``values``); QuantumLeap answers 404 when it holds no records: an empty history.

Every request carries ``Fiware-Service`` / ``Fiware-ServicePath`` from the catalog
entry's options. Orion answers a tenant it does not know with an empty list, so a
wrong service gives an empty snapshot, not an error.
"""

import logging
import urllib.parse

from ..i18n import tr
from ..log import redact_url
from .fetch import DEFAULT_TIMEOUT_S, SourceCategory, SourceError, get_json, invalid_answer
from .model import LONLAT_CRS, Observation, Snapshot, Station, Stream, format_time, parse_time, stream_id
from .observed_properties import PROPERTIES, convert, property_key
from .quality import QualityCounters, Reason, RejectionError, RejectionLog, assess
from .sensorthings import geojson_lonlat

LOGGER = logging.getLogger(__name__)

SOURCE_ORION = "ngsi"
SOURCE_QUANTUMLEAP = "quantumleap"
ORION_MAX_LIMIT = 1000
DEFAULT_MAX_PAGES = 500
_NUMBER_TYPES = ("Number", "Integer", "Float", "Boolean")
_PARKING_STATUS = {"occupied": 1.0, "free": 0.0}


def api_base(url):
    """The URL without a trailing ``/v2`` (the API version is added per request)."""
    base = url.rstrip("/")
    return base[: -len("/v2")] if base.endswith("/v2") else base


def _quote(text):
    return urllib.parse.quote(str(text), safe="")


class NgsiSource:
    def __init__(self, url, service="", servicepath="", authcfg="", quantumleap_url="", timeout_s=DEFAULT_TIMEOUT_S,
                 page_size=100, max_pages=DEFAULT_MAX_PAGES, feedback=None, counters=None):
        self.base = api_base(url)
        self.quantumleap_base = api_base(quantumleap_url) if quantumleap_url else ""
        self.service = service
        self.servicepath = servicepath
        self.authcfg = authcfg
        self.timeout_s = timeout_s
        self.page_size = max(1, min(int(page_size), ORION_MAX_LIMIT))
        self.max_pages = max_pages
        self.feedback = feedback
        self.counters = counters if counters is not None else QualityCounters()
        self.pages_read = 0
        self.total_count = None  # Fiware-Total-Count of the last entity listing
        self._rejections = RejectionLog(LOGGER)

    @classmethod
    def from_service(cls, service, quantumleap_url="", **options):
        """For a catalog entry of type NGSI (its options ``fiware_service``, ``fiware_servicepath``
        and ``quantumleap_url``, the latter unless given here)."""
        entry_options = service.options or {}
        return cls(service.url, entry_options.get("fiware_service", ""), entry_options.get("fiware_servicepath", ""),
                   service.authcfg, quantumleap_url or entry_options.get("quantumleap_url", ""), **options)

    def headers(self):
        headers = {}
        if self.service:
            headers["Fiware-Service"] = self.service
        if self.servicepath:
            headers["Fiware-ServicePath"] = self.servicepath
        return headers

    def _get(self, url):
        document, response = get_json(url, self.headers(), self.authcfg, self.timeout_s, feedback=self.feedback)
        self.pages_read += 1
        return document, response

    # -- Orion ---------------------------------------------------------------------------
    def entities(self, entity_type=None, key_values=False):
        """Every entity (of ``entity_type``), following limit/offset paging."""
        options = "count,keyValues" if key_values else "count"
        entities = []
        offset = 0
        pages = 0
        self.total_count = None
        while True:
            if pages >= self.max_pages:
                raise SourceError(SourceCategory.TOO_MANY_PAGES, tr(
                    "The collection has more than {pages} pages; reading stopped. Narrow the extent or the "
                    "time range.").format(pages=self.max_pages), redact_url(self.base))
            if self.feedback is not None and self.feedback.isCanceled():
                raise SourceError(SourceCategory.CANCELLED, tr("Reading the sensor source was cancelled."))
            query = "limit={}&offset={}&options={}".format(self.page_size, offset, options)
            if entity_type:
                query += "&type=" + _quote(entity_type)
            url = "{}/v2/entities?{}".format(self.base, query)
            document, response = self._get(url)
            pages += 1
            if not isinstance(document, list):
                raise invalid_answer(url, tr("no entity list"))
            entities.extend(item for item in document if isinstance(item, dict))
            total = response.headers.get("fiware-total-count")
            if total is not None and total.strip().isdigit():
                self.total_count = int(total)
            offset += len(document)
            if self.feedback is not None and self.total_count:
                self.feedback.setProgress(min(100.0, 100.0 * offset / self.total_count))
            if not document or len(document) < self.page_size:
                break
            if self.total_count is not None and offset >= self.total_count:
                break
        if self.total_count is not None and len(entities) != self.total_count:
            LOGGER.warning("NGSI %s: %d entities read, the broker counted %d (entities changed while paging?)",
                           redact_url(self.base), len(entities), self.total_count)
        return entities

    def latest(self, entity_type=None):
        """A Snapshot of every entity with a location and at least one known property."""
        snapshot = Snapshot()
        for entity in self.entities(entity_type):
            station = self._station(entity)
            if station is None:
                continue
            streams = []
            for attr, (key, value, unit, moment) in self._readings(entity).items():
                converted = convert(key, 0.0, unit)  # the stream keeps our unit where the broker's converts
                stream = Stream(stream_id(station.station_id, key), station.station_id, key,
                                converted[1] if converted else str(unit), {}, self._history_ref(entity, attr))
                streams.append(stream)
                observation = self._observation(stream, moment, value, unit, SOURCE_ORION)
                if observation is not None:
                    snapshot.observations.append(observation)
            if streams:
                snapshot.stations.append(station)
                snapshot.streams.extend(streams)
        LOGGER.info("NGSI %s (service %s%s): %d stations, %d streams, %d latest readings",
                    redact_url(self.base), self.service or "-", self.servicepath, len(snapshot.stations),
                    len(snapshot.streams), len(snapshot.observations))
        return snapshot

    # -- QuantumLeap -------------------------------------------------------------------------
    def history(self, stream, last_n=None, start=None, end=None):
        """A stream's readings from QuantumLeap, oldest first (``last_n`` newest, or a time range)."""
        if not stream.source_ref:
            raise SourceError(SourceCategory.INVALID_URL, tr(
                "No QuantumLeap address is set for this NGSI source, so it has no history."))
        parameters = []
        if last_n is not None:
            parameters.append("lastN={}".format(int(last_n)))
        if start is not None:
            parameters.append("fromDate=" + _quote(format_time(start)))
        if end is not None:
            parameters.append("toDate=" + _quote(format_time(end)))
        separator = "&" if "?" in stream.source_ref else "?"
        url = stream.source_ref + (separator + "&".join(parameters) if parameters else "")
        try:
            document, _response = self._get(url)
        except SourceError as error:
            if error.category == SourceCategory.NOT_FOUND:  # QuantumLeap: "No records were found for such query."
                LOGGER.info("QuantumLeap has no records for %s", redact_url(url))
                return []
            raise
        index = document.get("index") if isinstance(document, dict) else None
        values = document.get("values") if isinstance(document, dict) else None
        if not isinstance(index, list) or not isinstance(values, list) or len(index) != len(values):
            raise invalid_answer(url, tr("index and values of the same length"))
        observations = []
        for when, raw in zip(index, values):
            if stream.observed_property == "occupied" and isinstance(raw, str):
                raw = _PARKING_STATUS.get(raw, raw)
            try:
                moment = self._time(when)
            except RejectionError as rejected:
                self._reject(rejected.reason, rejected.detail)
                continue
            observation = self._observation(stream, moment, raw, stream.unit or None, SOURCE_QUANTUMLEAP)
            if observation is not None:
                observations.append(observation)
        observations.sort(key=lambda item: item.time)
        return observations

    # -- mapping entities onto the model -----------------------------------------------------
    def _history_ref(self, entity, attr):
        if not self.quantumleap_base:
            return ""
        return "{}/v2/entities/{}/attrs/{}?type={}".format(
            self.quantumleap_base, _quote(entity.get("id")), _quote(attr), _quote(entity.get("type", "")))

    def _station(self, entity):
        entity_id = entity.get("id")
        if not isinstance(entity_id, str) or not entity_id:
            self._reject(Reason.MISSING_FIELD, "entity without id")
            return None
        location = entity.get("location")
        if isinstance(location, dict) and location.get("type") == "geo:json":
            location = location.get("value")
        position = geojson_lonlat(location)
        if position is None:
            self._reject(Reason.BAD_LOCATION, "entity {} has no geo:json location".format(entity_id[:60]))
            return None
        name = entity.get("name")
        if isinstance(name, dict):
            name = name.get("value")
        return Station(entity_id, str(name or entity_id), position[0], position[1], LONLAT_CRS,
                       str(entity.get("type") or ""), {"ngsi_type": entity.get("type")})

    def _readings(self, entity):
        """{attribute name: (property, value, unit, time or None)} of the city's properties."""
        observed = entity.get("dateObserved")
        if isinstance(observed, dict):
            observed = observed.get("value")
        readings = {}
        for attr, content in entity.items():
            if attr in ("id", "type"):
                continue
            metadata = {}
            if isinstance(content, dict) and "value" in content:  # normalized
                kind, value = content.get("type"), content.get("value")
                metadata = content.get("metadata") if isinstance(content.get("metadata"), dict) else {}
            else:  # keyValues
                kind, value = None, content
            key = property_key(attr)
            if attr == "status" and entity.get("type") == "ParkingSpot":
                key, value, kind = "occupied", _PARKING_STATUS.get(value), "Number"
                if value is None:
                    continue  # closed / unknown: no reading
            if key not in PROPERTIES or (kind is not None and kind not in _NUMBER_TYPES):
                continue
            unit = (metadata.get("unitCode") or {}).get("value") if isinstance(metadata.get("unitCode"), dict) else None
            instant = metadata.get("TimeInstant") or metadata.get("dateObserved")
            when = instant.get("value") if isinstance(instant, dict) else observed
            readings[attr] = (key, value, unit, when)
        return readings

    @staticmethod
    def _time(when):
        if when is None:
            raise RejectionError(Reason.MISSING_FIELD, "time (TimeInstant or dateObserved)")
        try:
            return parse_time(when)
        except ValueError:
            raise RejectionError(Reason.BAD_TIME, str(when)[:40]) from None

    def _observation(self, stream, when, raw, unit, source):
        try:
            moment = when if hasattr(when, "tzinfo") else self._time(when)
            value, unit, quality = assess(stream.observed_property, raw, unit)
        except RejectionError as rejected:
            self._reject(rejected.reason, "{}: {}".format(stream.stream_id, rejected.detail))
            return None
        self.counters.count_received()
        observation = Observation(stream.stream_id, stream.station_id, stream.observed_property, moment, value, unit,
                                  quality, source)
        self.counters.count_accepted([observation])
        return observation

    def _reject(self, reason, detail):
        self.counters.count_received()
        self.counters.count_rejected(reason)
        self._rejections.log("NGSI", reason, detail)
