"""The one interface through which the field sync reads from and writes to a city server.

A transport speaks to the service behind one PackageLayer (manifest.py): WFS-T, OGC API
Features Part 4 or PostGIS. The sync engine never sees a protocol; it sees ServerFeatures
keyed by the layer's stable key column (for an insert made offline the key is its client
UUID, so a retried insert is found by key and never created twice).

Values are normalised to the package's field types (normalise_value): str, int, float,
None, 'YYYY-MM-DD' for dates, ISO 8601 UTC 'YYYY-MM-DDTHH:MM:SS[.fff]Z' for date-times,
bool for booleans, so that a value read from the server compares equal to the same value
read from the package. Geometries are WKB as hex in the package CRS (EPSG:25832), the form
the change journal records.

All HTTP goes through QGIS networking (QgsBlockingNetworkRequest) with the layer's authcfg.
Transports block: call them from a Processing algorithm or a QgsTask, never from a widget.
"""

import abc
import datetime
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional

# TransportError kinds
PRECONDITION_FAILED = "precondition_failed"  # 412: the feature changed on the server since it was read
NOT_FOUND = "not_found"  # the feature is gone on the server
REJECTED = "rejected"  # the server refused the change (4xx, a WFS exception); `server_message` says why
SERVER_ERROR = "server_error"  # 5xx
TIMEOUT = "timeout"
NETWORK = "network"  # refused, reset, not resolved, TLS
AUTH = "auth"  # 401/403 or a missing authcfg
SCHEMA_CHANGED = "schema_changed"  # the server's fields are not the package's any more
INVALID_ANSWER = "invalid_answer"  # an answer that is not what the protocol defines
CANCELLED = "cancelled"
UNSUPPORTED_FILTER = "unsupported_filter"  # the package filter uses more than a server can be sent

RETRYABLE_KINDS = frozenset((SERVER_ERROR, TIMEOUT, NETWORK))


class TransportError(Exception):
    """A read or write that did not succeed; ``str()`` is the message for the user.

    ``outcome_unknown`` is True where the server may have applied a write although no answer
    confirmed it (time-out or reset after the request was sent): the sync must read the
    feature back before trying again.
    """

    def __init__(self, kind, message, status=0, server_message="", outcome_unknown=False):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.server_message = server_message
        self.outcome_unknown = outcome_unknown

    @property
    def retryable(self):
        return self.kind in RETRYABLE_KINDS


@dataclass(frozen=True)
class ServerFeature:
    key: str
    values: Dict[str, object]  # every attribute of the package schema, normalised
    geometry: Optional[str] = None  # WKB hex, package CRS
    server_id: str = ""  # the server's own id (WFS gml:id, OGC API item id, primary key)
    version: str = ""  # ETag or Last-Modified where the server gives one, else ''
    extra: Dict[str, object] = field(default_factory=dict)  # server fields the package does not have


class FieldTransport(abc.ABC):
    """Reads and writes one layer's features on its server. Subclasses: wfst, oapif, postgis."""

    def __init__(self, layer, feedback=None, timeout_s=30.0):
        self.layer = layer  # manifest.PackageLayer
        self.feedback = feedback  # QgsFeedback or None: cancel and progress
        self.timeout_s = timeout_s

    @abc.abstractmethod
    def server_fields(self):
        """[(name, type)] the server offers now, types as in PackageLayer.fields."""

    @abc.abstractmethod
    def features_in_area(self, area_wkt, filter_expression="") -> Iterator[ServerFeature]:
        """Every feature intersecting ``area_wkt`` (package CRS) that passes the filter (a QGIS
        expression; empty: all), paging as the server requires."""

    def prefetch_in_area(self, area_wkt, filter_expression="", ahead=None):
        """Start reading, in the background, what ``features_in_area`` with the same arguments
        will give (a copy of several layers asks for the next layer while it reads this one).
        ``ahead``: a transport of the same layer that started that read already (the pre-check's,
        see precheck.ReadsAhead): its read is taken over where it asks the same of the server.
        Default: nothing; the read starts when features_in_area is iterated (``ahead`` is closed)."""
        if ahead is not None:
            ahead.close()
        return None

    def close(self):
        """End what the transport holds or started in the background (connections, prefetched
        requests). Default: nothing to end."""
        return None

    def count_in_area(self, area_wkt, filter_expression=""):
        """(number of features ``features_in_area`` would give as the server counts them, whether
        that number is exact (else an upper bound: the server selected by a bounding box or
        could not be sent the whole filter)); None where the server cannot count without
        sending the features. The pre-check asks it instead of reading every feature."""
        return None

    @abc.abstractmethod
    def features_by_key(self, keys: Iterable[str]) -> Dict[str, ServerFeature]:
        """The server's current state of these features; a key missing from the result is
        not on the server (deleted, or an insert not yet made)."""

    @abc.abstractmethod
    def insert(self, values, geometry) -> ServerFeature:
        """Create a feature; ``values`` carries the key (the client UUID for an offline insert)."""

    @abc.abstractmethod
    def update(self, current: ServerFeature, values, geometry=None) -> ServerFeature:
        """Write ``values`` (changed fields only) and the geometry (None: unchanged) to the
        feature read as ``current``; with If-Match on ``current.version`` where the server
        offers ETags. Raises TransportError(PRECONDITION_FAILED) when the server says the
        feature changed. The caller has compared ``current`` with its base before."""

    @abc.abstractmethod
    def delete(self, current: ServerFeature) -> None:
        """Delete the feature read as ``current`` (If-Match where offered)."""

    def write_batch(self, operations: List["WriteOperation"]) -> list:
        """Several writes at once (the sync sends its pushes in batches).

        Returns one result per operation for a prefix of ``operations``, in order: the
        ServerFeature written (insert, update), None (delete), or the TransportError of that
        operation. Operations after the end of the result were not attempted (the caller sends
        them again). A transport that can send many writes in one request (a WFS Transaction,
        one database transaction) overrides this; the default writes one by one and stops after
        an error that may concern more than its own operation (retryable or outcome unknown).
        """
        results = []
        for operation in operations:
            try:
                if operation.op == "insert":
                    results.append(self.insert(operation.values, operation.geometry))
                elif operation.op == "update":
                    results.append(self.update(operation.current, operation.values, operation.geometry))
                else:
                    self.delete(operation.current)
                    results.append(None)
            except TransportError as error:
                results.append(error)
                if error.retryable or error.outcome_unknown or error.kind in (AUTH, CANCELLED):
                    break
        return results


@dataclass(frozen=True)
class WriteOperation:
    """One write of a batch: ``op`` 'insert' (values with the key, geometry), 'update'
    (current as read, changed values, geometry or None) or 'delete' (current)."""

    op: str
    key: str
    values: Optional[dict] = None
    geometry: Optional[str] = None
    current: Optional[ServerFeature] = None


def normalise_value(value, field_type):
    """A value as the package stores it (see the module docstring); None stays None."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():  # QVariant NULL, QDate(), QDateTime()
        return None
    if field_type == "int":
        return int(value) if not isinstance(value, str) else int(float(value))
    if field_type == "real":
        return float(value)
    if field_type == "bool":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "t", "yes")
        return bool(value)
    if field_type == "date":
        if hasattr(value, "toString") and not isinstance(value, str):  # QDate / QDateTime
            value = value.toString("yyyy-MM-dd")
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()[:10]
        return str(value)[:10]
    if field_type == "datetime":
        return _iso_utc(value)
    return str(value)


def _iso_utc(value):
    if hasattr(value, "toUTC") and not isinstance(value, str):  # QDateTime
        value = value.toUTC().toString("yyyy-MM-ddTHH:mm:ss.zzz") + "Z"
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        text = str(value).strip().replace(" ", "T")
        try:
            parsed = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            return text
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    text = parsed.isoformat(timespec="milliseconds" if parsed.microsecond else "seconds")
    return text + "Z"
