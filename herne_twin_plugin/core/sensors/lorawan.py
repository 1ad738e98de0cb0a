"""LoRaWAN uplinks from the network servers' MQTT integrations -> observations.

Two formats, told apart by the topic:

- The Things Stack v3: topic ``v3/{application}@{tenant}/devices/{device}/up``; JSON with
  ``end_device_ids.device_id`` / ``dev_eui``, ``received_at`` and ``uplink_message``
  (``decoded_payload``, ``frm_payload`` base64, ``f_port``, ``rx_metadata``, ``locations``,
  ``version_ids.model_id``).
- ChirpStack v4: topic ``application/{application id}/device/{devEui}/event/up``; JSON with
  ``deviceInfo`` (``devEui``, ``deviceName``, ``deviceProfileName``), ``time``, ``object``
  (decoded), ``data`` (base64), ``fPort``, ``rxInfo``.

The decoded payload is used where the network server decoded it; otherwise the raw
payload is decoded by the codec of the station's sensor type (codecs.py), or of the
device model / profile named in the message. The station comes from the device
register (by DevEUI, then by device id), else from the position in the message
(The Things Stack ``locations``); a device with neither is rejected.

``UplinkDecoder.process(topic, payload)`` never raises: it returns an ``Uplink`` or
None, and counts (``QualityCounters``) and logs every rejection with its reason.
"""

import base64
import binascii
import json
import logging
import re
import time
from dataclasses import dataclass

from .codecs import CodecError, codec_for
from .model import LONLAT_CRS, Observation, Station, stream_id, utc_now
from .observed_properties import PROPERTIES, property_key
from .quality import QualityCounters, Reason, RejectionError, RejectionLog, assess, number, reading_time

LOGGER = logging.getLogger(__name__)

TTS = "tts"
CHIRPSTACK = "chirpstack"
#: What the live ingest subscribes to by default: uplinks of both network servers.
DEFAULT_TOPICS = ("v3/+/devices/+/up", "application/+/device/+/event/up")
#: Uplink messages are a few kB; anything beyond this is refused unread.
MAX_MESSAGE_BYTES = 256 * 1024

_TTS_TOPIC = re.compile(r"^v3/([^/]+)/devices/([^/]+)/up$")
_CHIRPSTACK_TOPIC = re.compile(r"^application/([^/]+)/device/([^/]+)/event/up$")


@dataclass
class Uplink:
    """The readings of one accepted uplink."""

    station: Station
    observations: list
    network: str  # TTS or CHIRPSTACK
    parsed_at: float  # time.monotonic() when it was parsed (for latency figures)


def message_format(topic):
    """TTS, CHIRPSTACK or None for a topic of another kind."""
    if _TTS_TOPIC.match(topic):
        return TTS
    if _CHIRPSTACK_TOPIC.match(topic):
        return CHIRPSTACK
    return None


def _get(document, key, kind, where, required=True):
    """``document[key]`` checked to be of ``kind``; RejectionError when missing (if required) or wrong."""
    value = document.get(key)
    if value is None:
        if required:
            raise RejectionError(Reason.MISSING_FIELD, where + key)
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RejectionError(Reason.WRONG_TYPE, "{}{} is {}".format(where, key, type(value).__name__))
    return value


def _base64(text, where):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise RejectionError(Reason.UNDECODABLE_PAYLOAD, where + " is not base64") from None


class MessageDecoder:
    """What every live decoder shares: counting, the size cap, and rejections that cost only
    their message. Subclasses implement ``decode(topic, payload) -> Uplink``, raising
    RejectionError with the reason when the message cannot be used."""

    def __init__(self, counters=None, clock=utc_now, max_bytes=MAX_MESSAGE_BYTES, rejection_log=None):
        self.counters = counters if counters is not None else QualityCounters()
        self.clock = clock
        self.max_bytes = max_bytes
        self._rejections = rejection_log or RejectionLog(LOGGER)

    def process(self, topic, payload):
        """An Uplink, or None when the message was rejected (counted and logged)."""
        self.counters.count_received()
        try:
            uplink = self.decode(topic, payload)
        except RejectionError as rejected:
            self.counters.count_rejected(rejected.reason)
            self._rejections.log(topic[:120], rejected.reason, rejected.detail)
            return None
        except Exception as error:  # noqa: BLE001 (a message must never stop the ingest)
            # A decoder bug still only costs this message, and it shows in the counters.
            LOGGER.exception("Uplink on %s could not be read", topic[:120])
            self.counters.count_rejected(Reason.MALFORMED_JSON)
            self._rejections.log(topic[:120], Reason.MALFORMED_JSON, repr(error)[:200])
            return None
        self.counters.count_accepted(uplink.observations)
        return uplink

    def checked_bytes(self, payload):
        """The payload as bytes, refused when it is over the size cap."""
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        if len(payload) > self.max_bytes:
            raise RejectionError(Reason.TOO_LARGE, "{} bytes".format(len(payload)))
        return payload


class UplinkDecoder(MessageDecoder):
    """Turns uplink messages into observations (see the module doc)."""

    def __init__(self, register=None, counters=None, clock=utc_now, max_bytes=MAX_MESSAGE_BYTES, rejection_log=None):
        super().__init__(counters, clock, max_bytes, rejection_log)
        self.register = register

    def decode(self, topic, payload):
        """An Uplink; RejectionError with the reason when the message cannot be used."""
        payload = self.checked_bytes(payload)
        network = message_format(topic)
        if network is None:
            raise RejectionError(Reason.UNKNOWN_FORMAT, "topic " + topic[:120])
        document = parse_json_object(payload)
        if network == TTS:
            return self._tts(topic, document)
        return self._chirpstack(topic, document)

    # -- The Things Stack v3 ------------------------------------------------------------
    def _tts(self, topic, document):
        topic_device = _TTS_TOPIC.match(topic).group(2)
        ids = _get(document, "end_device_ids", dict, "")
        device_id = _get(ids, "device_id", str, "end_device_ids.")
        dev_eui = _get(ids, "dev_eui", str, "end_device_ids.", required=False)
        if device_id != topic_device:
            raise RejectionError(Reason.TOPIC_MISMATCH,
                                 "topic {} but device_id {}".format(topic_device, device_id[:40]))
        uplink = _get(document, "uplink_message", dict, "")
        when = document.get("received_at") or uplink.get("received_at")
        moment = reading_time(when, self.clock(), "received_at")
        station = self._registered(dev_eui, device_id) or self._tts_located(device_id, uplink)
        version_ids = _get(uplink, "version_ids", dict, "uplink_message.", required=False) or {}
        model = version_ids.get("model_id") or ""
        decoded = _get(uplink, "decoded_payload", dict, "uplink_message.", required=False)
        if not decoded:
            raw = _base64(_get(uplink, "frm_payload", str, "uplink_message."), "uplink_message.frm_payload")
            f_port = _get(uplink, "f_port", int, "uplink_message.")
            decoded = self._decode_raw(station, model, raw, f_port)
        return Uplink(station, self._observations(station, decoded, moment, TTS), TTS, time.monotonic())

    def _tts_located(self, device_id, uplink):
        """A station at the position the message gives (``uplink_message.locations``)."""
        locations = _get(uplink, "locations", dict, "uplink_message.", required=False)
        if not locations:
            raise RejectionError(Reason.UNKNOWN_DEVICE,
                                 "{} is not in the register and has no position".format(device_id[:40]))
        for source in sorted(locations, key=lambda name: name != "user"):  # the user-set position first
            where = locations[source]
            if isinstance(where, dict) and "latitude" in where and "longitude" in where:
                latitude = number(where["latitude"], "latitude")
                longitude = number(where["longitude"], "longitude")
                if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
                    raise RejectionError(Reason.BAD_LOCATION, "{} {}".format(latitude, longitude))
                codec = codec_for("", (uplink.get("version_ids") or {}).get("model_id", ""))
                return Station(device_id, device_id, longitude, latitude, LONLAT_CRS,
                               codec.sensor_type if codec else "", {"located_by": "message"})
        raise RejectionError(Reason.BAD_LOCATION, "no latitude/longitude in locations")

    # -- ChirpStack v4 --------------------------------------------------------------------
    def _chirpstack(self, topic, document):
        topic_eui = _CHIRPSTACK_TOPIC.match(topic).group(2)
        info = _get(document, "deviceInfo", dict, "")
        dev_eui = _get(info, "devEui", str, "deviceInfo.")
        if dev_eui.lower() != topic_eui.lower():
            raise RejectionError(Reason.TOPIC_MISMATCH, "topic {} but devEui {}".format(topic_eui[:40], dev_eui[:40]))
        device_name = _get(info, "deviceName", str, "deviceInfo.", required=False) or ""
        when = document.get("time")
        if when is None:  # no gateway time: the network server's receive time
            rx_info = document.get("rxInfo")
            if isinstance(rx_info, list) and rx_info and isinstance(rx_info[0], dict):
                when = rx_info[0].get("nsTime") or rx_info[0].get("gwTime")
        moment = reading_time(when, self.clock(), "time")
        station = self._registered(dev_eui, device_name)
        if station is None:
            raise RejectionError(Reason.UNKNOWN_DEVICE, "devEui {} is not in the register".format(dev_eui[:40]))
        decoded = _get(document, "object", dict, "", required=False)
        if not decoded:
            raw = _base64(_get(document, "data", str, ""), "data")
            f_port = _get(document, "fPort", int, "")
            profile = _get(info, "deviceProfileName", str, "deviceInfo.", required=False) or ""
            decoded = self._decode_raw(station, profile, raw, f_port)
        return Uplink(station, self._observations(station, decoded, moment, CHIRPSTACK), CHIRPSTACK,
                      time.monotonic())

    # -- shared ------------------------------------------------------------------------------
    def _registered(self, eui, device_id):
        if self.register is None:
            return None
        station = self.register.by_eui(eui) if eui else None
        return station or (self.register.by_id(device_id) if device_id else None)

    @staticmethod
    def _decode_raw(station, model, raw, f_port):
        codec = codec_for(station.sensor_type, model)
        if codec is None:
            raise RejectionError(Reason.UNDECODABLE_PAYLOAD, "no codec for {} ({})".format(
                station.station_id[:40], station.sensor_type or model[:40] or "unknown type"))
        try:
            return codec.decode(raw, f_port)
        except CodecError as error:
            raise RejectionError(Reason.UNDECODABLE_PAYLOAD, str(error)) from None

    def _observations(self, station, readings, moment, network):
        streams = self.register.streams(station.station_id) if self.register is not None else {}
        observations = []
        for name, raw in readings.items():
            key = property_key(name)
            stream = streams.get(key)
            if stream is None and (streams or key not in PROPERTIES):
                continue  # battery, counters, ...: not a stream of this station
            unit = None
            if isinstance(raw, dict):  # {"value": 12.5, "unit": "µg/m³"}
                if "value" not in raw:
                    raise RejectionError(Reason.WRONG_TYPE, "{} is an object without value".format(key))
                unit = raw.get("unit")
                if unit is not None and not isinstance(unit, str):
                    raise RejectionError(Reason.WRONG_TYPE, "{}.unit is {}".format(key, type(unit).__name__))
                raw = raw["value"]
            value, unit, quality = assess(key, raw, unit)
            observations.append(Observation(stream_id(station.station_id, key), station.station_id, key, moment,
                                            value, unit, quality, network))
        if not observations:
            raise RejectionError(Reason.NO_READINGS,
                                 "nothing measured by {} in the message".format(station.station_id[:40]))
        return observations


def parse_json_object(payload):
    """The JSON object in ``payload`` (bytes); RejectionError for anything else."""
    try:
        document = json.loads(payload.decode("utf-8"))
    except RecursionError:
        raise RejectionError(Reason.TOO_DEEP, "JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise RejectionError(Reason.MALFORMED_JSON, str(error)[:120]) from None
    if not isinstance(document, dict):
        raise RejectionError(Reason.NOT_AN_OBJECT, type(document).__name__)
    return document
