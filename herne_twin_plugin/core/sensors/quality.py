"""Quality checks: what makes a reading unusable, what makes it suspect, and counters
of both per reason (for the UI, the log and the tests).

A message that cannot be trusted as a whole (malformed JSON, a wrong type, a missing
field, an unknown device, ...) is *rejected* with one ``Reason``; an accepted reading
carries a ``Quality`` flag. Per stream, ``StreamOrder`` tells new readings from
duplicates and late (out-of-order) ones.
"""

import collections
import datetime
import logging
import math
import threading

from ..i18n import tr
from .model import UTC, Quality, parse_time
from .observed_properties import PROPERTIES, convert

LOGGER = logging.getLogger(__name__)

#: Readings dated before this are clock errors (LoRaWAN did not exist yet).
EARLIEST_TIME = datetime.datetime(2000, 1, 1, tzinfo=UTC)
#: How far a reading may lie in the future (gateway and server clocks drift).
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


class Reason:
    """Why a message or reading was rejected (stable strings for code and tests)."""

    TOO_LARGE = "payload_too_large"
    MALFORMED_JSON = "malformed_json"
    TOO_DEEP = "too_deeply_nested"
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_FORMAT = "unknown_format"  # a topic or document of no known kind
    TOPIC_MISMATCH = "topic_mismatch"  # the topic names another device than the message
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    NOT_FINITE = "not_finite"  # NaN, Infinity, numbers beyond float
    BAD_TIME = "bad_time"
    FUTURE_TIME = "future_time"
    BAD_LOCATION = "bad_location"
    UNKNOWN_DEVICE = "unknown_device"  # not in the register and no position in the message
    UNDECODABLE_PAYLOAD = "undecodable_payload"  # the codec cannot read the raw bytes
    NO_READINGS = "no_readings"  # nothing the city measures in the message

    ALL = (TOO_LARGE, MALFORMED_JSON, TOO_DEEP, NOT_AN_OBJECT, UNKNOWN_FORMAT, TOPIC_MISMATCH, MISSING_FIELD,
           WRONG_TYPE, NOT_FINITE, BAD_TIME, FUTURE_TIME, BAD_LOCATION, UNKNOWN_DEVICE, UNDECODABLE_PAYLOAD,
           NO_READINGS)


def reason_label(reason):
    labels = {
        Reason.TOO_LARGE: tr("message too large"),
        Reason.MALFORMED_JSON: tr("malformed JSON"),
        Reason.TOO_DEEP: tr("too deeply nested"),
        Reason.NOT_AN_OBJECT: tr("not a JSON object"),
        Reason.UNKNOWN_FORMAT: tr("unknown message format"),
        Reason.TOPIC_MISMATCH: tr("topic and message name different devices"),
        Reason.MISSING_FIELD: tr("missing field"),
        Reason.WRONG_TYPE: tr("wrong type"),
        Reason.NOT_FINITE: tr("not a finite number"),
        Reason.BAD_TIME: tr("invalid time"),
        Reason.FUTURE_TIME: tr("time in the future"),
        Reason.BAD_LOCATION: tr("invalid position"),
        Reason.UNKNOWN_DEVICE: tr("unknown device"),
        Reason.UNDECODABLE_PAYLOAD: tr("payload cannot be decoded"),
        Reason.NO_READINGS: tr("no readings"),
    }
    return labels.get(reason, reason)


def quality_label(quality):
    labels = {
        Quality.VALID: tr("valid"),
        Quality.OUT_OF_RANGE: tr("outside the physical range"),
        Quality.SUSPECT: tr("suspect (unit not understood)"),
        Quality.UNCHECKED: tr("unchecked (no known range)"),
    }
    return labels.get(quality, quality)


class RejectionError(Exception):
    """A message or reading cannot be used; ``reason`` is a Reason, ``detail`` says where."""

    def __init__(self, reason, detail=""):
        super().__init__("{}: {}".format(reason, detail) if detail else reason)
        self.reason = reason
        self.detail = detail


def number(value, what, boolean=False):
    """``value`` as a finite float; booleans only where ``boolean``. RejectionError otherwise."""
    if isinstance(value, bool):
        if boolean:
            return 1.0 if value else 0.0
        raise RejectionError(Reason.WRONG_TYPE, "{} is a boolean".format(what))
    if not isinstance(value, (int, float)):
        raise RejectionError(Reason.WRONG_TYPE, "{} is {}".format(what, type(value).__name__))
    try:
        result = float(value)
    except OverflowError:
        raise RejectionError(Reason.NOT_FINITE, "{} is too large".format(what)) from None
    if not math.isfinite(result):
        raise RejectionError(Reason.NOT_FINITE, "{} is {}".format(what, value))
    return result


def assess(key, value, unit=None):
    """(value, unit, quality) of one reading of property ``key``; RejectionError for a value
    that is no number at all. Known properties are converted to their unit and
    checked against their physical range."""
    prop = PROPERTIES.get(key)
    value = number(value, key, boolean=prop is not None and prop.boolean)
    if prop is None:
        return value, "" if unit is None else str(unit), Quality.UNCHECKED
    converted = convert(key, value, unit)
    if converted is None:
        return value, str(unit), Quality.SUSPECT
    value, unit = converted
    if not prop.minimum <= value <= prop.maximum or (prop.boolean and value not in (0.0, 1.0)):
        return value, unit, Quality.OUT_OF_RANGE
    return value, unit, Quality.VALID


def reading_time(text, now, what="time"):
    """The UTC time of a reading; RejectionError when it is missing, unreadable, before
    2000 or more than FUTURE_TOLERANCE ahead of ``now``."""
    if text is None:
        raise RejectionError(Reason.MISSING_FIELD, what)
    if not isinstance(text, str):
        raise RejectionError(Reason.WRONG_TYPE, "{} is {}".format(what, type(text).__name__))
    try:
        moment = parse_time(text)
    except (ValueError, OverflowError):
        raise RejectionError(Reason.BAD_TIME, "{} {!r}".format(what, text[:40])) from None
    if moment < EARLIEST_TIME:
        raise RejectionError(Reason.BAD_TIME, "{} {} is before 2000".format(what, text[:40]))
    if moment > now + FUTURE_TOLERANCE:
        raise RejectionError(Reason.FUTURE_TIME, "{} {}".format(what, text[:40]))
    return moment


class QualityCounters:
    """Thread-safe counts: messages received, accepted and rejected per reason,
    observations per quality flag, duplicates and out-of-order readings, and
    accepted messages dropped because the ingest queue was full.
    ``received == accepted + sum(rejected.values())`` always holds."""

    DUPLICATE = "duplicate"
    OUT_OF_ORDER = "out_of_order"

    def __init__(self):
        self._lock = threading.Lock()
        self.received = 0
        self.accepted = 0
        self.rejected = collections.Counter()
        self.observations = collections.Counter()
        self.order = collections.Counter()
        self.dropped = 0

    def count_received(self):
        with self._lock:
            self.received += 1

    def count_accepted(self, observations):
        with self._lock:
            self.accepted += 1
            for observation in observations:
                self.observations[observation.quality] += 1

    def count_rejected(self, reason):
        with self._lock:
            self.rejected[reason] += 1

    def count_order(self, kind):
        with self._lock:
            self.order[kind] += 1

    def count_dropped(self):
        with self._lock:
            self.dropped += 1

    @property
    def rejected_total(self):
        with self._lock:
            return sum(self.rejected.values())

    def snapshot(self):
        """A plain dict copy, e.g. {"received": 10, "accepted": 8, "rejected": {...}, ...}."""
        with self._lock:
            return {
                "received": self.received,
                "accepted": self.accepted,
                "rejected": dict(self.rejected),
                "observations": dict(self.observations),
                "order": dict(self.order),
                "dropped": self.dropped,
            }


class RejectionLog:
    """Logs rejections without flooding the log: the first ``first`` of each reason
    one by one, after that every ``every``-th with the running count."""

    def __init__(self, logger=LOGGER, first=10, every=1000):
        self._logger = logger
        self._first = first
        self._every = every
        self._seen = collections.Counter()
        self._lock = threading.Lock()

    def log(self, source, reason, detail):
        with self._lock:
            self._seen[reason] += 1
            count = self._seen[reason]
        if count <= self._first:
            self._logger.warning("%s message rejected (%s): %s", source, reason, detail)
        elif count % self._every == 0:
            self._logger.warning("%s: %d messages rejected so far because: %s", source, count, reason)


class StreamOrder:
    """Per stream: is a reading new, a duplicate (same time seen before) or late
    (older than the newest)? Remembers the last ``memory`` times of each stream."""

    NEW = "new"
    DUPLICATE = QualityCounters.DUPLICATE
    OUT_OF_ORDER = QualityCounters.OUT_OF_ORDER

    def __init__(self, memory=64):
        self._memory = memory
        self._newest = {}
        self._recent = {}

    def classify(self, stream_id, moment):
        recent = self._recent.get(stream_id)
        if recent is None:
            recent = self._recent[stream_id] = (set(), collections.deque())
        seen, order = recent
        if moment in seen:
            return self.DUPLICATE
        seen.add(moment)
        order.append(moment)
        if len(order) > self._memory:
            seen.discard(order.popleft())
        newest = self._newest.get(stream_id)
        if newest is not None and moment < newest:
            return self.OUT_OF_ORDER
        self._newest[stream_id] = moment
        return self.NEW
