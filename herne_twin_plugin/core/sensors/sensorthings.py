"""OGC SensorThings API 1.0 / 1.1 as a sensor source.

- ``stations(extent)``: Things with their Locations.
- ``latest(extent, since)``: one request chain for the whole network:
  ``Datastreams?$expand=Observations($orderby=phenomenonTime desc;$top=1),Thing/Locations,ObservedProperty``
  with an optional ``$filter`` on the Thing's location (``st_intersects(...,
  geography'POLYGON(...)')``); the result is a Snapshot.
- ``history(stream, start, end)``: a Datastream's Observations in time order.

Collections are read page by page along ``@iot.nextLink``. A next link seen before
stops the reading with a PAGING_LOOP error, more than ``max_pages`` pages with
TOO_MANY_PAGES, and a next link to another server with FOREIGN_LINK (the authcfg
is only ever sent to the server the user entered). Observations whose result is
not a usable number are counted as rejected (``counters``) and left out.

``SensorThingsMqttDecoder`` reads the MQTT extension's live Observations
(``v1.1/Datastreams(7)/Observations``) for MqttIngest.
"""

import logging
import re
import time
import urllib.parse

from ..i18n import tr
from ..log import redact_url
from .fetch import DEFAULT_TIMEOUT_S, SourceCategory, SourceError, get_json, invalid_answer, same_origin
from .lorawan import MAX_MESSAGE_BYTES, MessageDecoder, Uplink, parse_json_object
from .model import LONLAT_CRS, Observation, Snapshot, Station, Stream, format_time, parse_time, stream_id, utc_now
from .observed_properties import property_key
from .quality import FUTURE_TOLERANCE, QualityCounters, Reason, RejectionError, RejectionLog, assess

LOGGER = logging.getLogger(__name__)

SOURCE = "sensorthings"
DEFAULT_MAX_PAGES = 500
_QUERY_SAFE = "$(),;/'=:@*"


def query_url(base, path, **options):
    """``base/path?$option=value&...`` with the values percent-encoded (keys ``top`` -> ``$top``)."""
    query = "&".join("${}={}".format(key, urllib.parse.quote(str(value), safe=_QUERY_SAFE))
                     for key, value in options.items() if value not in (None, ""))
    return "{}/{}{}".format(base.rstrip("/"), path, "?" + query if query else "")


def entity_path(entity_set, entity_id):
    """``Datastreams(7)`` or ``Datastreams('ab-1')`` (string ids quoted, quotes doubled)."""
    if isinstance(entity_id, int) and not isinstance(entity_id, bool):
        return "{}({})".format(entity_set, entity_id)
    return "{}('{}')".format(entity_set, str(entity_id).replace("'", "''"))


def polygon_wkt(extent):
    """WKT of a lon/lat extent (xmin, ymin, xmax, ymax) as SensorThings' geography literal wants it."""
    xmin, ymin, xmax, ymax = (float(value) for value in extent)
    ring = ((xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax), (xmin, ymin))
    return "POLYGON(({}))".format(",".join("{:.7f} {:.7f}".format(x, y) for x, y in ring))


def geojson_lonlat(geometry):
    """(lon, lat) of a GeoJSON Point or Feature (the mean vertex for other shapes); None if unreadable."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        return None
    coordinates = geometry.get("coordinates")
    points = []

    def collect(value):
        if (isinstance(value, list) and len(value) >= 2 and all(
                isinstance(item, (int, float)) and not isinstance(item, bool) for item in value[:2])):
            points.append((float(value[0]), float(value[1])))
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(coordinates)
    if not points:
        return None
    lon = sum(point[0] for point in points) / len(points)
    lat = sum(point[1] for point in points) / len(points)
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return None
    return lon, lat


def observation_from_entity(stream, item):
    """An Observation of ``stream`` from a SensorThings Observation entity (dict);
    RejectionError when its time or result cannot be used."""
    when = item.get("phenomenonTime")
    if isinstance(when, str) and "/" in when:  # an interval: its end
        when = when.split("/", 1)[1]
    if when is None:
        raise RejectionError(Reason.MISSING_FIELD, "phenomenonTime")
    if not isinstance(when, str):
        raise RejectionError(Reason.WRONG_TYPE, "phenomenonTime is {}".format(type(when).__name__))
    try:
        moment = parse_time(when)
    except (ValueError, OverflowError):
        raise RejectionError(Reason.BAD_TIME, when[:40]) from None
    if "result" not in item:
        raise RejectionError(Reason.MISSING_FIELD, "result")
    value, unit, quality = assess(stream.observed_property, item["result"], stream.unit or None)
    return Observation(stream.stream_id, stream.station_id, stream.observed_property, moment, value, unit, quality,
                       SOURCE)


def datastream_key(stream):
    """The key of a stream's Datastream as it appears in paths (``7`` or ``'ab'``), from its self link."""
    match = re.search(r"Datastreams\(([^()]*)\)$", stream.source_ref)
    return match.group(1) if match else None


class SensorThingsMqttDecoder(MessageDecoder):
    """Live Observations over the SensorThings MQTT extension: a server publishes each new
    Observation of Datastream 7 as its JSON entity on ``v1.1/Datastreams(7)/Observations``.

    Built from a Snapshot of ``SensorThingsSource.latest()`` (which knows every Datastream's
    station and property); ``topics()`` are the topics to subscribe to, and ``process(topic,
    payload)`` gives an Uplink (lorawan.py) or None, counting and logging rejections like the
    LoRaWAN decoder, so MqttIngest and the live layer take either.
    """

    def __init__(self, snapshot, version="v1.1", counters=None, clock=utc_now, max_bytes=MAX_MESSAGE_BYTES):
        super().__init__(counters, clock, max_bytes)
        self.version = version
        stations = {station.station_id: station for station in snapshot.stations}
        self._streams = {}
        for stream in snapshot.streams:
            key = datastream_key(stream)
            if key is not None and stream.station_id in stations:
                self._streams[key] = (stations[stream.station_id], stream)
        self._topic = re.compile(r"^{}/Datastreams\(([^()/]*)\)/Observations$".format(re.escape(version)))

    def topics(self):
        return ["{}/Datastreams({})/Observations".format(self.version, key) for key in self._streams]

    def decode(self, topic, payload):
        payload = self.checked_bytes(payload)
        match = self._topic.match(topic)
        if not match:
            raise RejectionError(Reason.UNKNOWN_FORMAT, "topic " + topic[:120])
        if match.group(1) not in self._streams:
            raise RejectionError(Reason.UNKNOWN_DEVICE, "Datastream {} is not known".format(match.group(1)[:40]))
        station, stream = self._streams[match.group(1)]
        observation = observation_from_entity(stream, parse_json_object(payload))
        if observation.time > self.clock() + FUTURE_TOLERANCE:
            raise RejectionError(Reason.FUTURE_TIME, format_time(observation.time))
        return Uplink(station, [observation], SOURCE, time.monotonic())


class SensorThingsSource:
    def __init__(self, url, authcfg="", timeout_s=DEFAULT_TIMEOUT_S, max_pages=DEFAULT_MAX_PAGES, page_size=None,
                 feedback=None, counters=None):
        self.base = url.rstrip("/")
        self.authcfg = authcfg
        self.timeout_s = timeout_s
        self.max_pages = max_pages
        self.page_size = page_size  # $top per page; None: the server's default
        self.feedback = feedback
        self.counters = counters if counters is not None else QualityCounters()
        self.pages_read = 0
        self._rejections = RejectionLog(LOGGER)

    @classmethod
    def from_service(cls, service, **options):
        return cls(service.url, service.authcfg, **options)

    # -- paging ----------------------------------------------------------------------------
    def collect(self, url):
        """Every entity of a collection, following @iot.nextLink (with the loop guard)."""
        entities = []
        seen = set()
        pages = 0
        while url:
            if url in seen:
                raise SourceError(SourceCategory.PAGING_LOOP, tr(
                    "The server's @iot.nextLink leads back to a page already read; reading stopped after "
                    "{pages} pages.").format(pages=pages), redact_url(url))
            if pages >= self.max_pages:
                raise SourceError(SourceCategory.TOO_MANY_PAGES, tr(
                    "The collection has more than {pages} pages; reading stopped. Narrow the extent or the "
                    "time range.").format(pages=self.max_pages), redact_url(url))
            if self.feedback is not None and self.feedback.isCanceled():
                raise SourceError(SourceCategory.CANCELLED, tr("Reading the sensor source was cancelled."))
            seen.add(url)
            document, _response = get_json(url, authcfg=self.authcfg, timeout_s=self.timeout_s,
                                           feedback=self.feedback)
            pages += 1
            self.pages_read += 1
            value = document.get("value") if isinstance(document, dict) else None
            if not isinstance(value, list):
                raise invalid_answer(url, tr("no entity list (value)"))
            entities.extend(item for item in value if isinstance(item, dict))
            next_link = document.get("@iot.nextLink")
            if next_link is not None and not isinstance(next_link, str):
                raise invalid_answer(url, tr("@iot.nextLink is not a link"))
            url = urllib.parse.urljoin(url, next_link) if next_link else None
            if url and not same_origin(url, self.base):
                raise SourceError(SourceCategory.FOREIGN_LINK, tr(
                    "The server's @iot.nextLink points to another server; it was not followed."), redact_url(url))
            count = document.get("@iot.count")
            if self.feedback is not None and isinstance(count, int) and count > 0:
                self.feedback.setProgress(min(100.0, 100.0 * len(entities) / count))
        return entities

    # -- reading -----------------------------------------------------------------------------
    def stations(self, extent=None):
        """The Things with a Location, as stations (lon/lat); ``extent`` in lon/lat."""
        url = query_url(self.base, "Things", expand="Locations", top=self.page_size,
                        filter=self._extent_filter("Locations/location", extent))
        stations = []
        for thing in self.collect(url):
            station = self._station(thing)
            if station is not None:
                stations.append(station)
        return stations

    def latest(self, extent=None, since=None):
        """A Snapshot of every Datastream (within ``extent``, lon/lat) with its newest Observation
        (not older than ``since``, an aware datetime)."""
        nested = "$orderby=phenomenonTime desc;$top=1"
        if since is not None:
            nested += ";$filter=phenomenonTime ge {}".format(format_time(since))
        url = query_url(self.base, "Datastreams", top=self.page_size,
                        expand="Observations({}),Thing/Locations,ObservedProperty".format(nested),
                        filter=self._extent_filter("Thing/Locations/location", extent))
        snapshot = Snapshot()
        stations = {}
        for datastream in self.collect(url):
            thing = datastream.get("Thing")
            station = self._station(thing) if isinstance(thing, dict) else None
            if station is None:
                continue
            if station.station_id not in stations:
                stations[station.station_id] = station
                snapshot.stations.append(station)
            stream = self._stream(station, datastream, {item.stream_id for item in snapshot.streams})
            if stream is None:
                continue
            snapshot.streams.append(stream)
            observations = datastream.get("Observations")
            if isinstance(observations, list) and observations and isinstance(observations[0], dict):
                observation = self._observation(stream, observations[0])
                if observation is not None:
                    snapshot.observations.append(observation)
        LOGGER.info("SensorThings %s: %d stations, %d streams, %d latest readings in %d pages",
                    redact_url(self.base), len(snapshot.stations), len(snapshot.streams),
                    len(snapshot.observations), self.pages_read)
        return snapshot

    def history(self, stream, start=None, end=None):
        """The Observations of ``stream`` (from ``latest()``) between two aware datetimes, oldest first."""
        conditions = []
        if start is not None:
            conditions.append("phenomenonTime ge {}".format(format_time(start)))
        if end is not None:
            conditions.append("phenomenonTime le {}".format(format_time(end)))
        url = query_url(stream.source_ref, "Observations", orderby="phenomenonTime asc", top=self.page_size,
                        filter=" and ".join(conditions), select="phenomenonTime,result")
        result = []
        for item in self.collect(url):
            observation = self._observation(stream, item)
            if observation is not None:
                result.append(observation)
        return result

    # -- mapping entities onto the model ---------------------------------------------------------
    def _extent_filter(self, path, extent):
        if extent is None:
            return None
        return "st_intersects({},geography'{}')".format(path, polygon_wkt(extent))

    def _station(self, thing):
        locations = thing.get("Locations")
        position = None
        for location in locations if isinstance(locations, list) else ():
            if isinstance(location, dict):
                position = geojson_lonlat(location.get("location"))
                if position is not None:
                    break
        thing_id = thing.get("@iot.id")
        properties = thing.get("properties") if isinstance(thing.get("properties"), dict) else {}
        station_id = str(properties.get("station_id") or "thing-{}".format(thing_id))
        if position is None:
            self._reject(Reason.BAD_LOCATION, "Thing {} has no usable Location".format(thing_id))
            return None
        properties = dict(properties, sensorthings_id=thing_id)
        return Station(station_id, str(thing.get("name") or station_id), position[0], position[1], LONLAT_CRS,
                       str(properties.get("sensor_type") or ""), properties)

    def _stream(self, station, datastream, taken):
        observed = datastream.get("ObservedProperty")
        name = observed.get("name") if isinstance(observed, dict) else None
        name = name or datastream.get("name")
        if not isinstance(name, str) or not name:
            self._reject(Reason.MISSING_FIELD,
                         "Datastream {} has no ObservedProperty".format(datastream.get("@iot.id")))
            return None
        key = property_key(name)
        unit_of_measurement = datastream.get("unitOfMeasurement")
        unit = unit_of_measurement.get("symbol") if isinstance(unit_of_measurement, dict) else None
        properties = datastream.get("properties") if isinstance(datastream.get("properties"), dict) else {}
        thresholds = properties.get("thresholds") if isinstance(properties.get("thresholds"), dict) else {}
        identifier = stream_id(station.station_id, key)
        if identifier in taken:  # a second Datastream of the same property
            identifier = "{}#{}".format(identifier, datastream.get("@iot.id"))
        self_link = datastream.get("@iot.selfLink")
        if not (isinstance(self_link, str) and same_origin(urllib.parse.urljoin(self.base, self_link), self.base)):
            self_link = "{}/{}".format(self.base, entity_path("Datastreams", datastream.get("@iot.id")))
        return Stream(identifier, station.station_id, key, unit if isinstance(unit, str) else "", dict(thresholds),
                      urllib.parse.urljoin(self.base + "/", self_link))

    def _observation(self, stream, item):
        try:
            observation = observation_from_entity(stream, item)
        except RejectionError as rejected:
            self._reject(rejected.reason, "Observation {}: {}".format(item.get("@iot.id"), rejected.detail))
            return None
        self.counters.count_received()
        self.counters.count_accepted([observation])
        return observation

    def _reject(self, reason, detail):
        self.counters.count_received()
        self.counters.count_rejected(reason)
        self._rejections.log("SensorThings", reason, detail)
