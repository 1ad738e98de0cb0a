"""Before a field package is made: every reason a chosen layer would not sync safely.

``precheck(layers, area, filter_expression, key_columns)`` looks at each layer the user
wants to take into the field and lists, in words an inspector understands, what would
stop its edits from reaching the server safely: no stable key to match features with
the server, a map picture (WMS, XYZ) instead of features, a layer from a file or memory
(no server to sync with), a geometry the services cannot carry, a service that takes
no edits for that layer, too many features in the area. Nothing is copied: a WFS or
OGC API server counts the features in the area itself (resultType=hits, numberMatched;
empty and repeated keys are then checked on the package's copy); other layers are read
(the key column only) to count them and check the key.

Blocking reasons stop the packaging; warnings are shown and the package can be made.
"""

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerType,
    QgsNetworkAccessManager,
    QgsProject,
    QgsVectorDataProvider,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QEventLoop, QThread, QTimer, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..i18n import tr
from ..log import redact_url
from ..sensors.fetch import SourceError, get_json
from ..services.connection_check import join_url
from .manifest import PACKAGE_CRS, SOURCE_OAPIF, SOURCE_POSTGIS, SOURCE_WFS, PackageLayer

LOG = logging.getLogger(__name__)

DEFAULT_MAX_FEATURES = 100000
OAPIF_PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"

# Reason codes
LAYER_INVALID = "layer_invalid"
ONLINE_ONLY = "online_only"
LOCAL_LAYER = "local_layer"
UNSUPPORTED_SERVICE = "unsupported_service"
NO_GEOMETRY = "no_geometry"
UNSUPPORTED_GEOMETRY = "unsupported_geometry"
READ_ONLY = "read_only"
NO_INSERT = "no_insert"
NO_DELETE = "no_delete"
NO_STABLE_KEY = "no_stable_key"
TOO_MANY_FEATURES = "too_many_features"
NO_FEATURES = "no_features"
PASSWORD_IN_SOURCE = "password_in_source"
SERVER_UNREACHABLE = "server_unreachable"

_LOCAL_PROVIDERS = ("ogr", "spatialite", "memory", "delimitedtext", "virtual", "gpx", "mdal", "gdal")
_SERVER_KINDS = {"WFS": SOURCE_WFS, "OAPIF": SOURCE_OAPIF, "postgres": SOURCE_POSTGIS}
# Columns a server numbers itself: never a key that survives an export and a re-import.
SERVER_ID_COLUMNS = ("fid", "id", "ogc_fid", "gml_id", "objectid")
_KEY_NAME = re.compile(r"(_uuid|uuid|_id)$", re.IGNORECASE)


@dataclass(frozen=True)
class Reason:
    """One reason a layer would not sync safely; ``message`` is for the inspector."""

    layer_name: str
    code: str
    message: str
    blocking: bool = True

    def __str__(self):
        return "{}: {}".format(self.layer_name, self.message)


@dataclass(frozen=True)
class LayerSource:
    """Where a layer's features live: the service kind and how to address them (no password)."""

    kind: str  # manifest SOURCE_WFS / SOURCE_OAPIF / SOURCE_POSTGIS
    url: str
    name: str  # WFS type name, OGC API collection id, schema.table
    version: str = ""
    authcfg: str = ""


@dataclass
class LayerCheck:
    layer: object  # QgsMapLayer
    source: Optional[LayerSource] = None
    key_column: str = ""
    feature_count: int = 0
    reasons: List[Reason] = field(default_factory=list)
    count_exact: bool = True  # False: feature_count is the server's upper bound (a bounding box)
    keys_checked: bool = True  # False: empty and repeated keys are left to the package's copy

    @property
    def blocking(self):
        return [reason for reason in self.reasons if reason.blocking]


@dataclass
class PrecheckResult:
    layers: List[LayerCheck] = field(default_factory=list)

    @property
    def reasons(self):
        return [reason for check in self.layers for reason in check.reasons]

    @property
    def blocking(self):
        return [reason for reason in self.reasons if reason.blocking]

    @property
    def warnings(self):
        return [reason for reason in self.reasons if not reason.blocking]

    @property
    def ok(self):
        return not self.blocking

    def check(self, layer):
        return next((check for check in self.layers if check.layer is layer), None)

    def text(self):
        """The reasons as lines for a message: blocking ones first."""
        lines = ["- " + str(reason) for reason in self.blocking]
        lines += ["- " + tr("Note: {reason}").format(reason=reason) for reason in self.warnings]
        return "\n".join(lines)


def layer_source(layer):
    """The LayerSource of a WFS, OGC API Features or PostGIS layer; None for any other."""
    kind = _SERVER_KINDS.get(layer.providerType()) if layer.type() == QgsMapLayerType.VectorLayer else None
    if kind is None:
        return None
    uri = QgsDataSourceUri(layer.source())
    if kind == SOURCE_POSTGIS:
        return LayerSource(kind, postgis_connection(uri), "{}.{}".format(uri.schema() or "public", uri.table()),
                           authcfg=uri.authConfigId())
    version = uri.param("version") if uri.hasParam("version") else ""
    if kind == SOURCE_WFS and version.lower() == "auto":
        version = ""  # negotiated by the transport
    return LayerSource(kind, uri.param("url"), uri.param("typename"), version, uri.authConfigId())


def postgis_connection(uri):
    """A libpq connection string for a PostGIS layer's QgsDataSourceUri, without its password."""
    parts = []
    for name, value in (("service", uri.service()), ("host", uri.host()), ("port", uri.port()),
                        ("dbname", uri.database()), ("user", uri.username())):
        if value:
            parts.append("{}={}".format(name, _libpq_quote(value)))
    if uri.sslMode() not in (QgsDataSourceUri.SslPrefer,):
        mode = QgsDataSourceUri.encodeSslMode(uri.sslMode())
        if mode:
            parts.append("sslmode={}".format(mode))
    return " ".join(parts)


def _libpq_quote(value):
    value = str(value)
    if value and not re.search(r"[\s'\\]", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def key_candidates(field_names):
    """Columns that look like a stable key, best first: *_uuid, the city's ids, other *_id."""
    names = [name for name in field_names if name.lower() not in SERVER_ID_COLUMNS]
    uuids = [name for name in names if name.lower().endswith("uuid")]
    known = [name for name in names if name.lower() in ("building_id", "station_id", "inspection_uuid")]
    ids = [name for name in names if _KEY_NAME.search(name) and name not in uuids and name not in known]
    return list(dict.fromkeys(uuids + known + ids))


def area_in_layer_crs(area, layer, transform_context=None):
    """``area`` (QgsGeometry in the package CRS) in the CRS of ``layer``."""
    geometry = QgsGeometry(area)
    target = layer.crs()
    source = QgsCoordinateReferenceSystem(PACKAGE_CRS)
    if target.isValid() and target != source:
        context = transform_context or QgsProject.instance().transformContext()
        geometry.transform(QgsCoordinateTransform(source, target, context))
    return geometry


def precheck(layers, area, filter_expression="", key_columns=None, max_features=DEFAULT_MAX_FEATURES,
             feedback=None, timeout_s=15.0, progress=None, count_features=True, reads_ahead=None):
    """A PrecheckResult for ``layers`` (QgsMapLayers to take into the field) over ``area``
    (QgsGeometry, package CRS). ``key_columns``: {layer id or name: column} the user chose;
    ``feedback`` cancels, ``progress(fraction)`` hears of each layer checked.
    ``count_features=False`` skips reading the features (count, empty or repeated keys):
    the packaging checks those on its own copy instead of reading every feature twice.
    ``reads_ahead``: a ReadsAhead (the packaging's): each server that has counted a layer is
    asked for that layer's features at once (the answers wait, nothing is written before the
    packaging has this result), so the copy need not wait for the slowest count."""
    result = PrecheckResult()
    key_columns = key_columns or {}

    def chosen_key(layer):
        return key_columns.get(layer.id()) or key_columns.get(layer.name()) or ""

    # The servers count every layer at once (each count is the server reading the area: ~0.5 s
    # for 50,000 footprints); the checks below then take the counts in the layers' order.
    ahead = _counts_ahead(layers, area, filter_expression, chosen_key, feedback, timeout_s, reads_ahead) \
        if count_features else {}
    # ... once every count is in: a check's own request made here meanwhile could hang QGIS. A
    # PyQt call such as a signal connect holds Python's lock while it waits for a Qt lock, and a
    # counting thread's QgsBlockingNetworkRequest, ending its request, holds that Qt lock while it
    # waits for Python's (seen twice in the test suite: an OPTIONS request of an OGC API layer).
    for counting in ahead.values():
        counting.wait()
    for index, layer in enumerate(layers):
        if feedback is not None and feedback.isCanceled():
            break
        result.layers.append(check_layer(layer, area, filter_expression, chosen_key(layer), max_features,
                                         feedback, timeout_s, count_features, ahead.get(layer.id())))
        if progress is not None:
            progress((index + 1) / max(1, len(layers)))
    return result


class ReadsAhead:
    """The reads of features a packaging asked for while its pre-check counted (see precheck):
    {source: the transport holding the read}; ``take(entry)`` hands one to the copy, ``close()``
    ends those nobody took (requests not sent yet are dropped)."""

    def __init__(self, timeout_s=30.0):
        self.timeout_s = timeout_s  # the copy's time-out, for the requests sent ahead
        self._transports = {}
        self._lock = threading.Lock()

    @staticmethod
    def _source(entry):
        return (entry.source_kind, entry.source_url, entry.source_name, entry.source_version, entry.authcfg)

    def add(self, entry, transport):
        with self._lock:
            earlier = self._transports.pop(self._source(entry), None)
            self._transports[self._source(entry)] = transport
        if earlier is not None:
            earlier.close()

    def take(self, entry):
        with self._lock:
            return self._transports.pop(self._source(entry), None)

    def peek(self, entry):
        """The transport reading ``entry``'s layer ahead (kept), or None."""
        with self._lock:
            return self._transports.get(self._source(entry))

    def close(self):
        with self._lock:
            transports, self._transports = list(self._transports.values()), {}
        for transport in transports:
            transport.close()


class _CountAhead(QThread):
    """The server's count of one layer in the area, asked in a thread of its own
    (QgsBlockingNetworkRequest works in any QThread); ``count()`` waits for it. With
    ``reads_ahead`` the layer's features are asked for as soon as it is counted."""

    _slots = threading.Semaphore(2)  # at most two counts at once: a small server is not flooded

    def __init__(self, entry, area_wkt, filter_expression, feedback, timeout_s, reads_ahead=None):
        super().__init__()
        self._args = (entry, area_wkt, filter_expression, feedback, timeout_s)
        self.entry_key = _entry_key(entry)
        self._counted = None
        self._reads_ahead = reads_ahead
        self.start()

    def run(self):
        entry, area_wkt, filter_expression, feedback, timeout_s = self._args
        with self._slots:
            self._counted = _count_of(entry, area_wkt, filter_expression, feedback, timeout_s, self._reads_ahead)

    def count(self):
        self.wait()
        return self._counted


def _counts_ahead(layers, area, filter_expression, chosen_key, feedback, timeout_s, reads_ahead=None):
    """{layer id: _CountAhead} for the WFS and OGC API layers with a key column to count by."""
    ahead = {}
    for layer in layers:
        if not layer.isValid() or layer.type() != QgsMapLayerType.VectorLayer \
                or layer.wkbType() == QgsWkbTypes.NoGeometry:
            continue
        source = layer_source(layer)
        names = layer.fields().names()
        key_column = chosen_key(layer) or next(iter(key_candidates(names)), "")
        if source is None or source.kind not in (SOURCE_WFS, SOURCE_OAPIF) or key_column not in names:
            continue
        if filter_expression and QgsExpression(filter_expression).hasParserError():
            continue
        entry = _count_entry(layer, source, key_column)
        ahead[layer.id()] = _CountAhead(entry, area.asWkt(), filter_expression, feedback, timeout_s, reads_ahead)
    return ahead


def check_layer(layer, area, filter_expression="", key_column="", max_features=DEFAULT_MAX_FEATURES,
                feedback=None, timeout_s=15.0, count_features=True, counted_ahead=None):
    """The LayerCheck of one layer (see ``precheck``); ``counted_ahead``: the server's count
    asked for already (a _CountAhead), used where it counted the same key column."""
    check = LayerCheck(layer)
    name = layer.name()

    def reason(code, message, blocking=True):
        check.reasons.append(Reason(name, code, message, blocking))

    if not layer.isValid():
        reason(LAYER_INVALID, tr("the layer cannot be read (is the service reachable?)."))
        return check
    if layer.type() != QgsMapLayerType.VectorLayer:
        if layer.providerType() in ("wms", "wcs", "arcgismapserver", "xyzvectortiles", "mbtilesvectortiles") \
                or layer.type() == QgsMapLayerType.VectorTileLayer:
            reason(ONLINE_ONLY, tr("this is a map picture from a server (WMS, XYZ tiles), not features: it cannot be "
                                   "inspected or edited offline. Choose it as the basemap instead."))
        else:
            reason(LOCAL_LAYER, tr("this is a raster, not features: it cannot be inspected. Take it as a hazard or "
                                   "basemap layer instead."))
        return check
    check.source = layer_source(layer)
    if check.source is None:
        if layer.providerType() in _LOCAL_PROVIDERS:
            reason(LOCAL_LAYER, tr("the layer comes from a file or from memory on this computer: there is no server "
                                   "to send the field edits to."))
        else:
            reason(UNSUPPORTED_SERVICE, tr("the plugin cannot write edits back to this kind of service ({provider}): "
                                           "only WFS, OGC API Features and PostGIS.").format(
                                               provider=layer.providerType()))
    _check_geometry(layer, check, reason)
    _check_writable(layer, check, reason, feedback, timeout_s)
    _check_features(layer, check, reason, area, filter_expression, key_column, max_features, feedback,
                    count_features, timeout_s, counted_ahead)
    return check


def _check_geometry(layer, check, reason):
    wkb_type = layer.wkbType()
    if wkb_type == QgsWkbTypes.NoGeometry:
        reason(NO_GEOMETRY, tr("the layer has no geometry: it cannot be cut to the area nor shown on the map."))
        return
    flat = QgsWkbTypes.flatType(wkb_type)
    if QgsWkbTypes.isCurvedType(wkb_type):
        reason(UNSUPPORTED_GEOMETRY, tr("the layer has curved geometries (arcs): they would come back from the field "
                                        "as straight segments. Convert them on the server first."))
    elif flat in (QgsWkbTypes.Unknown, QgsWkbTypes.GeometryCollection):
        reason(UNSUPPORTED_GEOMETRY, tr("the layer mixes geometry types: edits could not be written back "
                                        "reliably. Use a layer of one geometry type."))
    if QgsWkbTypes.hasM(wkb_type) and check.source is not None and check.source.kind != SOURCE_POSTGIS:
        reason(UNSUPPORTED_GEOMETRY, tr("the geometries carry measure values (M), which WFS and OGC API Features "
                                        "cannot send back: they would be lost."))


def _check_writable(layer, check, reason, feedback, timeout_s):
    source = check.source
    if source is None:
        return
    if source.kind == SOURCE_POSTGIS and QgsDataSourceUri(layer.source()).password() \
            and not source.authcfg:
        reason(PASSWORD_IN_SOURCE, tr("the database password is stored in the layer, not in an authentication "
                                      "configuration: the package will not hold it, so the sync asks the "
                                      "database's service file or password file."), blocking=False)
    if source.kind in (SOURCE_WFS, SOURCE_POSTGIS):
        capabilities = layer.dataProvider().capabilities()
        can_update = bool(capabilities & QgsVectorDataProvider.ChangeAttributeValues)
        can_insert = bool(capabilities & QgsVectorDataProvider.AddFeatures)
        can_delete = bool(capabilities & QgsVectorDataProvider.DeleteFeatures)
    else:
        allowed = _oapif_write_methods(source, feedback, timeout_s, reason)
        if allowed is None:
            return
        can_update = bool(allowed & {"PUT", "PATCH"})
        can_insert = "POST" in allowed
        can_delete = "DELETE" in allowed
    if not can_update:
        reason(READ_ONLY, _read_only_message(source.kind))
        return
    if not can_insert:
        reason(NO_INSERT, tr("the service takes no new features for this layer: features added in the field "
                             "would stay in the package."), blocking=False)
    if not can_delete:
        reason(NO_DELETE, tr("the service deletes no features of this layer: deletions made in the field would "
                             "stay in the package."), blocking=False)


def _read_only_message(kind):
    if kind == SOURCE_WFS:
        return tr("the WFS offers no transactions (WFS-T) for this layer: edits made in the field could not be "
                  "written back.")
    if kind == SOURCE_POSTGIS:
        return tr("your database account may not change this table (no UPDATE privilege): edits made in the "
                  "field could not be written back.")
    return tr("the OGC API Features service takes no edits for this collection (no Part 4 'create, replace, "
              "delete'): edits made in the field could not be written back.")


def _oapif_write_methods(source, feedback, timeout_s, reason):
    """The write methods an OGC API collection takes: Part 4 in the conformance classes,
    narrowed by the Allow header of OPTIONS on its items and on one item where the server
    answers OPTIONS. None (and a reason) where the service cannot be asked."""
    try:
        document, _response = get_json(join_url(source.url, "conformance"), authcfg=source.authcfg,
                                       timeout_s=timeout_s, feedback=feedback)
    except SourceError as error:
        reason(SERVER_UNREACHABLE, tr("the service could not be asked whether it takes edits: {error}").format(
            error=error.message))
        return None
    classes = document.get("conformsTo") if isinstance(document, dict) else None
    if not isinstance(classes, list) or OAPIF_PART4 not in classes:
        return set()
    items = join_url(source.url, "collections/{}/items".format(source.name))
    collection_methods = allowed_methods(items, source.authcfg, timeout_s)
    if collection_methods is None:  # no answer to OPTIONS: the conformance classes are all we know
        return {"POST", "PUT", "PATCH", "DELETE"}
    item_methods = allowed_methods(items + "/0", source.authcfg, timeout_s) or {"PUT", "PATCH", "DELETE"}
    return (collection_methods & {"POST"}) | (item_methods & {"PUT", "PATCH", "DELETE"})


def allowed_methods(url, authcfg="", timeout_s=15.0):
    """The methods the Allow header of an OPTIONS answer lists (upper case); None where the
    server gives no Allow header (OPTIONS not supported, no answer in time)."""
    request = QNetworkRequest(QUrl(url))
    request.setAttribute(QNetworkRequest.RedirectPolicyAttribute, QNetworkRequest.SameOriginRedirectPolicy)
    manager = QgsNetworkAccessManager.instance()
    if authcfg:
        from qgis.core import QgsApplication

        QgsApplication.authManager().updateNetworkRequest(request, authcfg)
    reply = manager.sendCustomRequest(request, b"OPTIONS")
    loop = QEventLoop()
    reply.finished.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if not reply.isFinished():
        loop.exec_()
    if not reply.isFinished():
        reply.abort()
    header = bytes(reply.rawHeader(b"Allow")).decode("latin-1")
    reply.deleteLater()
    LOG.debug("OPTIONS %s: Allow %r", redact_url(url), header)
    if not header.strip():
        return None
    return {method.strip().upper() for method in header.split(",") if method.strip()}


def inspection_source_beside(asset_layer, asset_source, feedback=None, timeout_s=15.0, table="inspections",
                             key_column="inspection_uuid"):
    """The LayerSource of the inspection layer on the service of an asset layer (the WFS type,
    OGC API collection or table ``table`` beside it) where it exists, has ``key_column`` and
    takes new features; None otherwise."""
    if asset_source is None:
        return None
    if asset_source.kind == SOURCE_OAPIF:
        try:
            get_json(join_url(asset_source.url, "collections/{}".format(table)), authcfg=asset_source.authcfg,
                     timeout_s=timeout_s, feedback=feedback)
        except SourceError:
            return None
        source = LayerSource(SOURCE_OAPIF, asset_source.url, table, authcfg=asset_source.authcfg)
        allowed = _oapif_write_methods(source, feedback, timeout_s, lambda *args, **kwargs: None)
        return source if allowed and "POST" in allowed else None
    from qgis.core import QgsVectorLayer

    uri = QgsDataSourceUri(asset_layer.source())
    if asset_source.kind == SOURCE_WFS:
        uri.removeParam("typename")
        uri.setParam("typename", table)
    else:
        uri.setDataSource(uri.schema(), table, uri.geometryColumn() or "geom", "", uri.keyColumn())
    layer = QgsVectorLayer(uri.uri(False), table, asset_layer.providerType())
    if not layer.isValid() or key_column not in layer.fields().names():
        return None
    if not layer.dataProvider().capabilities() & QgsVectorDataProvider.AddFeatures:
        return None
    return layer_source(layer)


def _server_count(layer, check, area, filter_expression, key_column, feedback, timeout_s, counted_ahead=None):
    """(count, exact) of the features in the area as the layer's server counts them without
    sending them (WFS resultType=hits, OGC API numberMatched); None where it cannot (PostGIS:
    read through QGIS, which also checks the keys; a filter the server is not sent; an error)."""
    source = check.source
    if source is None or source.kind not in (SOURCE_WFS, SOURCE_OAPIF):
        return None
    entry = _count_entry(layer, source, key_column)
    if counted_ahead is not None and counted_ahead.entry_key == _entry_key(entry):
        return counted_ahead.count()
    return _count_of(entry, area.asWkt(), filter_expression, feedback, timeout_s)


def _count_entry(layer, source, key_column):
    """The PackageLayer a transport counts ``layer`` with."""
    from .package import field_type

    fields = tuple((qgs_field.name(), field_type(qgs_field)) for qgs_field in layer.fields()
                   if qgs_field.name().lower() not in SERVER_ID_COLUMNS or qgs_field.name() == key_column)
    return PackageLayer(table_name=layer.name(), role="asset", source_kind=source.kind, source_url=source.url,
                        source_name=source.name, source_version=source.version, authcfg=source.authcfg,
                        key_column=key_column, fields=fields, title=layer.name())


def _entry_key(entry):
    return (entry.source_kind, entry.source_url, entry.source_name, entry.key_column, entry.fields)


def _count_of(entry, area_wkt, filter_expression, feedback, timeout_s, reads_ahead=None):
    from .transports import TransportError, transport_for

    try:
        transport = transport_for(entry, feedback, timeout_s)
        counted = transport.count_in_area(area_wkt, filter_expression)
    except TransportError as error:
        LOG.info("%s: the server gives no count (%s); reading the features", entry.table_name, error)
        return None
    if reads_ahead is not None and counted is not None and hasattr(transport, "prefetch_in_area"):
        transport.timeout_s = reads_ahead.timeout_s
        try:
            transport.prefetch_in_area(area_wkt, filter_expression)
        except TransportError as error:  # the copy reads it in its turn and says what fails
            LOG.info("%s: reading ahead failed (%s)", entry.table_name, error)
            transport.close()
        else:
            reads_ahead.add(entry, transport)
    return counted


def _check_features(layer, check, reason, area, filter_expression, key_column, max_features, feedback,
                    count_features=True, timeout_s=15.0, counted_ahead=None):
    names = layer.fields().names()
    if key_column:
        if key_column not in names:
            reason(NO_STABLE_KEY, tr("the chosen key column {column} is not in the layer.").format(column=key_column))
            return
        if key_column.lower() in SERVER_ID_COLUMNS:
            reason(NO_STABLE_KEY, tr("{column} is numbered by the server itself and may change: choose a column "
                                     "that identifies each feature for good (e.g. an ID or UUID).").format(
                                         column=key_column))
            return
    else:
        candidates = key_candidates(names)
        if not candidates:
            reason(NO_STABLE_KEY, tr("no column identifies each feature for good (an ID or UUID column): field "
                                     "edits could not be matched with the server's features. Choose a key column "
                                     "or ask for one on the server."))
            key_column = ""
        else:
            key_column = candidates[0]
    check.key_column = key_column
    if layer.wkbType() == QgsWkbTypes.NoGeometry or not count_features:
        if filter_expression:
            expression = QgsExpression(filter_expression)
            if expression.hasParserError():
                reason(LAYER_INVALID, filter_error(expression.parserErrorString()))
        return
    if filter_expression:
        expression = QgsExpression(filter_expression)
        if expression.hasParserError():
            reason(LAYER_INVALID, filter_error(expression.parserErrorString()))
            return
    counted = _server_count(layer, check, area, filter_expression, key_column, feedback, timeout_s, counted_ahead)
    if counted is not None and (counted[1] or counted[0] <= max_features):
        # The server's count (an upper bound where not exact: it blocks nothing here, the copy
        # is counted again); empty and repeated keys are checked on the package's copy.
        check.feature_count, check.count_exact = counted
        check.keys_checked = False
        for found in feature_reasons(layer.name(), key_column, counted[0], 0, 0, max_features):
            if found.code != NO_FEATURES or counted[0] == 0:
                check.reasons.append(found)
        return
    count, empty, duplicates = _count_in_area(layer, area, filter_expression, key_column, feedback)
    check.feature_count = count
    if count is None:
        reason(LAYER_INVALID, filter_error(empty))
        return
    for found in feature_reasons(layer.name(), key_column, count, empty, duplicates, max_features):
        check.reasons.append(found)


def filter_error(error):
    return tr("the filter expression is not valid for this layer: {error}").format(error=error)


def feature_reasons(layer_name, key_column, count, empty, duplicates, max_features):
    """The reasons the features in the area give: empty or repeated keys, too many, none.
    Shared by the pre-check (reading the server) and the packaging (checking its copy)."""
    reasons = []
    if key_column and empty:
        reasons.append(Reason(layer_name, NO_STABLE_KEY, tr(
            "{count} features in the area have no {column}: they could not be matched with the server.").format(
                count=empty, column=key_column)))
    if key_column and duplicates:
        reasons.append(Reason(layer_name, NO_STABLE_KEY, tr(
            "{count} values of {column} occur more than once in the area: it does not identify each feature.").format(
                count=duplicates, column=key_column)))
    if count > max_features:
        reasons.append(Reason(layer_name, TOO_MANY_FEATURES, tr(
            "{count} features in the area, more than {limit}: choose a smaller area or a filter.").format(
                count=count, limit=max_features)))
    elif count == 0:
        reasons.append(Reason(layer_name, NO_FEATURES, tr("no features in the area (and filter)."), blocking=False))
    return reasons


def _count_in_area(layer, area, filter_expression, key_column, feedback):
    """(features in the area, of them with an empty key, key values seen twice); (None, error, 0)
    for a filter that does not parse."""
    local_area = area_in_layer_crs(area, layer)
    engine = QgsGeometry.createGeometryEngine(local_area.constGet())
    engine.prepareGeometry()
    request = QgsFeatureRequest().setFilterRect(local_area.boundingBox())
    if filter_expression:
        expression = QgsExpression(filter_expression)
        if expression.hasParserError():
            return None, expression.parserErrorString(), 0
        request.setFilterExpression(filter_expression)
    if key_column:
        request.setSubsetOfAttributes([key_column], layer.fields())
    else:
        request.setSubsetOfAttributes([])
    if feedback is not None:
        request.setFeedback(feedback)
    count = empty = 0
    seen, duplicated = set(), set()
    for feature in layer.getFeatures(request):
        geometry = feature.geometry()
        if geometry.isNull() or not engine.intersects(geometry.constGet()):
            continue
        count += 1
        if not key_column:
            continue
        value = feature[key_column]
        if value is None or (hasattr(value, "isNull") and value.isNull()) or str(value).strip() == "":
            empty += 1
        elif value in seen:
            duplicated.add(value)
        else:
            seen.add(value)
    return count, empty, len(duplicated)
