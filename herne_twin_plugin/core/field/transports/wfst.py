"""WFS-T 1.1.0 and 2.0.0: the field sync's transport to the city's GeoServer (and QGIS Server).

Reads: DescribeFeatureType for the schema (field types, geometry property, namespace);
GetFeature as an XML POST with an Intersects (area) filter and the package filter as
OGC Filter 1.1 / FES 2.0; features in an area: the area's BBOX on the server, the exact
intersection tested here, one request where the server hands out every feature it counts
(resultType=hits), else paged with maxFeatures/count + startIndex in key order; features
by key as batches of PropertyIsEqualTo joined by Or.
Writes: Transaction Insert / Update / Delete, each with a filter on the key column. An Update
also carries the values it read of the fields it writes (compare-and-set in the server's own
filter): a feature changed since it was read is not touched, and the transport says so
(PRECONDITION_FAILED) after reading it back. WFS has no ETags; this is its read-compare-write.
A TransactionResponse that inserted/updated nothing or an ExceptionReport becomes REJECTED
with the server's message.

QGIS Server 3.22 speaks WFS 1.1.0 only; 2.0.0 follows the standard (GeoServer's answers).
"""

import collections
import logging
import threading
import time
import xml.etree.ElementTree as ElementTree
from xml.sax.saxutils import escape, quoteattr

try:
    from lxml import etree as _lxml
except ImportError:  # pragma: no cover - QGIS's Python on Debian depends on python3-lxml
    _lxml = None
from qgis.core import QgsGeometry, QgsOgcUtils, QgsRectangle
from qgis.PyQt.QtCore import QThread, QUrl
from qgis.PyQt.QtXml import QDomDocument

from ...i18n import tr
from ...services import capabilities as caps
from . import base, common, expression_filter, http, wfs_features

LOGGER = logging.getLogger(__name__)

PAGE_SIZE = 1000
# Largest GetFeature answer read (features in an area in one request); larger ones are paged.
ANSWER_MAX_BYTES = 512 * 1024 * 1024
# Above this many features an area is read as strips of its bounding box (at most MAX_STRIPS),
# asked for while the ones before are read. Small strips: the copy starts on the first answer
# sooner and waits less for the last one (4,000 against 10,000: the full city's package 1-1.5 s
# sooner, seen on a loaded machine).
STRIP_FEATURES = 4000
MAX_STRIPS = 16
# GetFeature requests of reads in an area in flight to one server at once (the others wait their
# turn): a server answering side by side writes the next answers while this one is parsed.
CONNECTIONS = 2
HITS_REUSE_S = 120.0  # how long the pre-check's count of a query stands for the copy's read
_RECENT_HITS = {}  # (url, type name, version, authcfg, filter XML) -> (count, time.monotonic())
KEY_BATCH = 100
MAX_PAGES = 10000  # a server that never stops paging
# Longest area polygon sent as an Intersects filter; larger ones go as BBOX and are cut here.
MAX_FILTER_VERTICES = 2000
COORDINATE_PRECISION = 6  # metres in EPSG:25832: far below a millimetre

_XSD_TYPES = {
    "string": "str", "anyURI": "str", "token": "str", "normalizedString": "str",
    "int": "int", "integer": "int", "long": "int", "short": "int", "byte": "int", "nonNegativeInteger": "int",
    "positiveInteger": "int", "unsignedInt": "int", "unsignedLong": "int", "unsignedShort": "int",
    "decimal": "real", "double": "real", "float": "real",
    "date": "date", "dateTime": "datetime", "boolean": "bool",
}


class _TooLarge(base.TransportError):
    """An answer larger than the transport reads at once."""


class _Gate:
    """At most ``slots`` requests to one server in flight, sent in the order they were asked for
    (a ticket is taken when the request is made, in the reading thread)."""

    def __init__(self, slots):
        self._changed = threading.Condition()
        self._free = slots
        self._waiting = collections.deque()

    def ticket(self):
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
        return ticket

    def enter(self, ticket, abandoned):
        """Wait for the ticket's turn and a free slot: True; False where ``abandoned`` (an
        Event) is set first (the ticket is given up)."""
        with self._changed:
            self._changed.wait_for(lambda: abandoned.is_set() or (self._free > 0 and self._waiting[0] is ticket))
            self._waiting.remove(ticket)
            self._changed.notify_all()
            if abandoned.is_set():
                return False
            self._free -= 1
            return True

    def leave(self):
        with self._changed:
            self._free += 1
            self._changed.notify_all()

    def wake(self):
        with self._changed:
            self._changed.notify_all()


_GATES = {}  # server (scheme, host, port) -> _Gate
_GATES_LOCK = threading.Lock()


def _gate(url):
    server = QUrl(url)
    key = (server.scheme(), server.host(), server.port())
    with _GATES_LOCK:
        if key not in _GATES:
            _GATES[key] = _Gate(CONNECTIONS)
        return _GATES[key]


class _Request(QThread):
    """One GetFeature POST sent in a thread of its own (QgsBlockingNetworkRequest works in any
    QThread) once the server's gate lets it through; ``result()`` waits for its HttpResponse.
    ``abandon()``: a request not sent yet is not sent at all."""

    def __init__(self, transport, body):
        super().__init__()
        self.transport, self.body, self.response = transport, body, None
        self.gate = _gate(transport.layer.source_url)
        self.ticket = self.gate.ticket()
        self.abandoned = threading.Event()
        self.start()

    def run(self):
        if not self.gate.enter(self.ticket, self.abandoned):
            return
        try:
            self.response = self.transport._send("POST", self.body, max_bytes=ANSWER_MAX_BYTES)
        finally:
            self.gate.leave()

    def abandon(self):
        self.abandoned.set()
        self.gate.wake()

    def result(self):
        self.wait()
        return self.response


class _Plan:
    """What a read of features in an area sends: the parsed filter, the area, the query, the
    server's count and the requests under way (None: read in pages)."""

    def __init__(self, tree, area, filter_xml, matched, requests):
        self.tree, self.area, self.filter_xml, self.matched, self.requests = tree, area, filter_xml, matched, requests

    def abandon(self):
        for request in self.requests or ():
            request.abandon()
        for request in self.requests or ():
            request.result()  # never leave a request running behind


class _Dialect:
    """What differs between WFS 1.1.0 and 2.0.0 on the wire."""

    def __init__(self, version):
        self.version = version
        if version.startswith("2."):
            self.wfs = "http://www.opengis.net/wfs/2.0"
            self.filter_ns = "http://www.opengis.net/fes/2.0"
            self.filter_prefix, self.property = "fes", "ValueReference"
            self.gml = "http://www.opengis.net/gml/3.2"
            self.gml_version = QgsOgcUtils.GML_3_2_1
            self.count_attribute, self.typename_attribute = "count", "typeNames"
            self.update_name = "ValueReference"
            self.members = ("member",)
        else:
            self.wfs = "http://www.opengis.net/wfs"
            self.filter_ns, self.filter_prefix, self.property = "http://www.opengis.net/ogc", "ogc", "PropertyName"
            self.gml = wfs_features.GML_31
            self.gml_version = QgsOgcUtils.GML_3_1_0
            self.count_attribute, self.typename_attribute = "maxFeatures", "typeName"
            self.update_name = "Name"
            self.members = ("featureMember", "featureMembers")

    def namespaces(self, prefix, uri):
        return 'xmlns:wfs="{}" xmlns:{}="{}" xmlns:gml="{}" xmlns:{}={}'.format(
            self.wfs, self.filter_prefix, self.filter_ns, self.gml, prefix, quoteattr(uri))


class WfsTransport(base.FieldTransport):
    """A layer on a WFS-T server: ``layer.source_url`` the endpoint, ``source_name`` the type name,
    ``source_version`` '1.1.0' (default) or '2.0.0'."""

    def __init__(self, layer, feedback=None, timeout_s=30.0):
        super().__init__(layer, feedback, timeout_s)
        self.dialect = _Dialect(layer.source_version or "1.1.0")
        self._schema = None  # (fields [(name, type)], geometry property, namespace uri, prefix)
        self._feature_reader = (None, None)  # (schema, function reading a feature element)
        self._prefetched = {}  # (area WKT, filter expression) -> _Plan of prefetch_in_area

    # -- HTTP ------------------------------------------------------------------------

    def _exchange(self, method, body=None, params=None, write=False, max_bytes=http.DEFAULT_MAX_BYTES,
                  stream=False):
        """The XML root of the answer; with ``stream`` the answer's bytes where they can be read
        feature by feature (lxml installed, no DTD, no exception report)."""
        return self._answer(self._send(method, body, params, max_bytes), write, max_bytes, stream)

    def _send(self, method, body=None, params=None, max_bytes=http.DEFAULT_MAX_BYTES):
        url = self.layer.source_url
        if params:
            url = "{}{}{}".format(url, "&" if "?" in url else "?", "&".join(
                "{}={}".format(name, value) for name, value in params.items()))
        return http.request(method, url, body=body, authcfg=self.layer.authcfg, timeout_s=self.timeout_s,
                            feedback=self.feedback, accept="text/xml, application/xml",
                            content_type="text/xml; charset=utf-8" if body is not None else "",
                            max_bytes=max_bytes)

    def _answer(self, response, write=False, max_bytes=http.DEFAULT_MAX_BYTES, stream=False):
        """What _exchange returns, of the HttpResponse ``response``."""
        error = http.transport_error(response, "POST" if write else "GET", self.layer.authcfg, self.timeout_s,
                                     max_bytes, server_message=_exception_message(response.body))
        if error is not None:
            if response.too_large:
                raise _TooLarge(error.kind, error.message, error.status, error.server_message)
            raise error
        if stream and _lxml is not None and not _has_dtd(response.body) and not _exception_message(response.body):
            return response.body
        try:
            root = parse_answer(response.body, max_bytes)
        except caps.CapabilitiesError as parse_error:
            raise base.TransportError(
                base.INVALID_ANSWER, tr("The WFS answer of {layer} is not XML.").format(layer=self.layer.source_name),
                server_message=str(parse_error)) from None
        if caps.local_name(root) in ("ExceptionReport", "ServiceExceptionReport"):
            message = _exception_message(response.body)
            raise base.TransportError(
                base.REJECTED if write else base.INVALID_ANSWER,
                tr("The WFS refused the request: {message}").format(message=message),
                status=response.status, server_message=message)
        return root

    # -- schema ----------------------------------------------------------------------

    def _describe(self):
        if self._schema is not None:
            return self._schema
        typename_param = "TYPENAMES" if self.dialect.version.startswith("2.") else "TYPENAME"
        root = self._exchange("GET", params={"SERVICE": "WFS", "VERSION": self.dialect.version,
                                             "REQUEST": "DescribeFeatureType",
                                             typename_param: self.layer.source_name})
        wanted = self.layer.source_name.rpartition(":")[2]
        type_name = None
        for element in root:
            if caps.local_name(element) == "element" and element.get("name") == wanted:
                type_name = element.get("type", "").rpartition(":")[2]
        complex_type = next((element for element in root if caps.local_name(element) == "complexType"
                             and element.get("name") == type_name), None)
        if complex_type is None:
            raise base.TransportError(base.SCHEMA_CHANGED, tr(
                "The WFS no longer offers the layer {layer}.").format(layer=self.layer.source_name))
        fields, geometry_property = [], ""
        for element in complex_type.iter():
            if caps.local_name(element) != "element" or not element.get("name"):
                continue
            xsd_type = element.get("type", "")
            prefix, _, local = xsd_type.rpartition(":")
            if prefix == "gml" or local.endswith("PropertyType"):
                geometry_property = geometry_property or element.get("name")
            else:
                fields.append((element.get("name"), _XSD_TYPES.get(local, "str")))
        namespace = root.get("targetNamespace", "")
        self._schema = (fields, geometry_property, namespace)
        return self._schema

    def server_fields(self):
        return list(self._describe()[0])

    def _checked_schema(self):
        fields, geometry_property, namespace = self._describe()
        problem = common.schema_problem(self.layer, fields)
        if problem is not None:
            raise problem
        return fields, geometry_property, namespace

    # -- filters ---------------------------------------------------------------------

    def _prop(self, name):
        tag = "{}:{}".format(self.dialect.filter_prefix, self.dialect.property)
        return "<{0}>{1}</{0}>".format(tag, escape(name))

    def _literal(self, value):
        if isinstance(value, bool):
            value = "true" if value else "false"
        return "<{0}:Literal>{1}</{0}:Literal>".format(self.dialect.filter_prefix, escape(str(value)))

    def _filter_xml(self, tree):
        p = self.dialect.filter_prefix
        if isinstance(tree, (expression_filter.And, expression_filter.Or)):
            name = "And" if isinstance(tree, expression_filter.And) else "Or"
            if len(tree.parts) == 1:
                return self._filter_xml(tree.parts[0])
            return "<{0}:{1}>{2}</{0}:{1}>".format(p, name, "".join(self._filter_xml(part) for part in tree.parts))
        if isinstance(tree, expression_filter.IsNull):
            inner = "<{0}:PropertyIsNull>{1}</{0}:PropertyIsNull>".format(p, self._prop(tree.field))
            return "<{0}:Not>{1}</{0}:Not>".format(p, inner) if tree.negated else inner
        if isinstance(tree, expression_filter.In):
            parts = tuple(expression_filter.Compare(tree.field, "=", value) for value in tree.values)
            inner = self._filter_xml(expression_filter.Or(parts)) if parts else self._nothing(tree.field)
            return "<{0}:Not>{1}</{0}:Not>".format(p, inner) if tree.negated else inner
        operator = {"=": "PropertyIsEqualTo", "<>": "PropertyIsNotEqualTo", "<": "PropertyIsLessThan",
                    "<=": "PropertyIsLessThanOrEqualTo", ">": "PropertyIsGreaterThan",
                    ">=": "PropertyIsGreaterThanOrEqualTo"}[tree.op]
        if tree.value is None:  # = NULL is never true in SQL
            return self._nothing(tree.field)
        return "<{0}:{1}>{2}{3}</{0}:{1}>".format(p, operator, self._prop(tree.field), self._literal(tree.value))

    def _nothing(self, field):
        """A filter no feature passes (IN () or a comparison with NULL)."""
        return "<{0}:And><{0}:PropertyIsNull>{1}</{0}:PropertyIsNull><{0}:Not><{0}:PropertyIsNull>{1}" \
               "</{0}:PropertyIsNull></{0}:Not></{0}:And>".format(self.dialect.filter_prefix, self._prop(field))

    def _area_xml(self, area, geometry_property):
        p = self.dialect.filter_prefix
        polygons = area.asMultiPolygon() if area.isMultipart() else [area.asPolygon()]
        vertices = sum(len(ring) for polygon in polygons for ring in polygon)
        if len(polygons) == 1 and vertices <= MAX_FILTER_VERTICES:
            return "<{0}:Intersects>{1}{2}</{0}:Intersects>".format(
                p, self._prop(geometry_property), self._gml(area))
        return self._bbox_xml(area, geometry_property)

    def _bbox_xml(self, area, geometry_property):
        box = area.boundingBox()
        return ("<{0}:BBOX>{1}<gml:Envelope srsName=\"EPSG:25832\"><gml:lowerCorner>{2!r} {3!r}</gml:lowerCorner>"
                "<gml:upperCorner>{4!r} {5!r}</gml:upperCorner></gml:Envelope></{0}:BBOX>").format(
            self.dialect.filter_prefix, self._prop(geometry_property), box.xMinimum(), box.yMinimum(),
            box.xMaximum(), box.yMaximum())

    def _gml(self, geometry):
        document = QDomDocument()
        element = QgsOgcUtils.geometryToGML(geometry, document, self.dialect.gml_version, "EPSG:25832", False, "",
                                            COORDINATE_PRECISION)
        if element.isNull():
            raise base.TransportError(base.REJECTED, tr("The geometry cannot be written as GML."))
        document.appendChild(element)
        return document.toString(-1)

    # -- reads -----------------------------------------------------------------------

    def _get_feature(self, filter_xml, start=0, count=None, sort=True, hits=False):
        """The features of one GetFeature (``hits``: only the number the server counts, None
        where it gives none)."""
        body = self._get_feature_xml(filter_xml, start, count, sort, hits)
        return self._features_of(self._exchange("POST", body=body, max_bytes=ANSWER_MAX_BYTES, stream=not hits),
                                 hits)

    def _get_feature_xml(self, filter_xml, start=0, count=None, sort=True, hits=False):
        _, _, namespace = self._checked_schema()
        d = self.dialect
        attributes = 'service="WFS" version="{}"'.format(d.version)
        if hits:
            attributes += ' resultType="hits"'
        if count is not None:
            attributes += ' {}="{}" startIndex="{}"'.format(d.count_attribute, count, start)
        sort_xml = ""
        if sort:
            sort_xml = "<{0}:SortBy><{0}:SortProperty>{1}</{0}:SortProperty></{0}:SortBy>".format(
                d.filter_prefix, self._prop(self.layer.key_column))
        body = ('<wfs:GetFeature {attributes} {ns}><wfs:Query {tn}={name} srsName="EPSG:25832">'
                '{filter}{sort}</wfs:Query></wfs:GetFeature>').format(
            attributes=attributes, ns=d.namespaces("feature", namespace or "urn:none"), tn=d.typename_attribute,
            name=quoteattr(self.layer.source_name),
            filter="<{0}:Filter>{1}</{0}:Filter>".format(d.filter_prefix, filter_xml) if filter_xml else "",
            sort=sort_xml)
        return body

    def _features_of(self, answer, hits=False):
        if isinstance(answer, bytes):
            schema = self._read_schema()
            return self._read_features(lambda: list(wfs_features.stream(answer, schema, self._reader(schema))))
        if caps.local_name(answer) != "FeatureCollection":
            raise self._not_a_collection(caps.local_name(answer))
        if hits:
            number = answer.get("numberMatched") or answer.get("numberOfFeatures") or ""
            return int(number) if number.strip().isdigit() else None
        read = self._reader()
        return self._read_features(lambda: [read(element) for element in self._members(answer)])

    def _not_a_collection(self, element_name):
        return base.TransportError(base.INVALID_ANSWER, tr(
            "The WFS answered GetFeature with {element} instead of a FeatureCollection.").format(
            element=element_name))

    def _read_features(self, read):
        """``read()``, with what wfs_features could not read said as the TransportError for the user."""
        try:
            return read()
        except wfs_features.BadValue as problem:
            raise common.value_error(problem.name, problem.field_type, problem.text) from None
        except wfs_features.BadGeometry as problem:
            raise base.TransportError(base.INVALID_ANSWER, tr("The WFS sent a geometry that cannot be read."),
                                      server_message=problem.details) from None
        except wfs_features.NotXml as problem:
            raise base.TransportError(
                base.INVALID_ANSWER, tr("The WFS answer of {layer} is not XML.").format(layer=self.layer.source_name),
                server_message=problem.details) from None
        except wfs_features.NotACollection as problem:
            raise self._not_a_collection(problem.element) from None

    def _members(self, root):
        wanted = self.layer.source_name.rpartition(":")[2]
        for member in root:
            if caps.local_name(member) not in self.dialect.members:
                continue
            for element in member:
                if caps.local_name(element) == wanted:
                    yield element

    def _read_schema(self):
        """The wfs_features.Schema of this layer's answers (the server's schema and the package's)."""
        fields, geometry_property, namespace = self._checked_schema()
        return wfs_features.Schema(fields, self.layer.fields, self.layer.key_column, geometry_property, namespace,
                                   self.layer.source_name.rpartition(":")[2], self.dialect.gml, self.dialect.members)

    def _reader(self, schema=None):
        """The function reading one feature element (wfs_features.feature_reader), built once per schema."""
        schema = schema or self._read_schema()
        if self._feature_reader[0] != schema:
            self._feature_reader = (schema, wfs_features.feature_reader(schema))
        return self._feature_reader[1]

    def _query(self, area, tree, exact_area):
        """(filter XML, whether the server's filter alone selects exactly the wanted features).
        ``exact_area``: the area as an Intersects filter where it is small enough, else its BBOX."""
        _, geometry_property, _ = self._checked_schema()
        parts, exact = [], True
        if area is not None:
            if exact_area:
                parts.append(self._area_xml(area, geometry_property))
                exact = parts[-1].startswith("<{}:Intersects>".format(self.dialect.filter_prefix))
            else:
                parts.append(self._bbox_xml(area, geometry_property))
                exact = False
        types = dict(self.layer.fields)
        if tree is not None:
            if any(types.get(name) in ("date", "datetime") for name in expression_filter.fields_of(tree)):
                exact = False  # QGIS Server compares no dates: those are filtered here
            else:
                parts.append(self._filter_xml(tree))
        return self._filter_xml_and(parts), exact

    @staticmethod
    def _area(area_wkt):
        area = QgsGeometry.fromWkt(area_wkt) if area_wkt else None
        return area if area is not None and not area.isNull() else None

    def count_in_area(self, area_wkt, filter_expression=""):
        """(features in the area passing the filter as the server counts them (resultType=hits),
        whether that count is exact); None where the server gives no count."""
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        area = self._area(area_wkt)
        if _is_rectangle(area):
            # a BBOX is a rectangle's exact Intersects (OGC BBOX: intersects the envelope), and
            # the very query features_in_area sends: its count is kept for it
            filter_xml, _ = self._query(area, tree, exact_area=False)
            _, exact = self._query(None, tree, exact_area=False)
        else:
            filter_xml, exact = self._query(area, tree, exact_area=True)
        count = self._hits(filter_xml)
        if count is not None:
            _RECENT_HITS[self._hits_key(filter_xml)] = (count, time.monotonic())
        return None if count is None else (count, exact)

    def _hits_key(self, filter_xml):
        return (self.layer.source_url, self.layer.source_name, self.dialect.version, self.layer.authcfg, filter_xml)

    def _hits(self, filter_xml, reuse=False):
        """The server's count of the query (resultType=hits), None where it gives none; with
        ``reuse`` the count the pre-check asked for a moment ago (one use: a count that is off
        by an edit since costs pages, never a feature)."""
        if reuse:
            recent = _RECENT_HITS.pop(self._hits_key(filter_xml), None)
            if recent is not None and time.monotonic() - recent[1] <= HITS_REUSE_S:
                return recent[0]
        return self._get_feature(filter_xml, sort=False, hits=True)

    def features_in_area(self, area_wkt, filter_expression=""):
        """The server selects by the area's bounding box (and the filter where it can compare it);
        the exact intersection is tested here on the prepared area. One GetFeature where the
        server hands out all it counts (resultType=hits), strips of the area's bounding box for
        a large count; pages sorted by the key only where it hands out fewer (a server-side
        limit) or gives no count. Requests made by prefetch_in_area (same arguments) are used."""
        plan = self._prefetched.pop((area_wkt, filter_expression), None)
        if plan is None:
            plan = self._plan(area_wkt, filter_expression)
        tree, area, matched = plan.tree, plan.area, plan.matched
        engine = None
        if area is not None:
            engine = QgsGeometry.createGeometryEngine(area.constGet())
            engine.prepareGeometry()
        features, page_size = None, PAGE_SIZE
        if plan.requests is not None and len(plan.requests) > 1:
            features = self._strips(plan)
        elif plan.requests is not None:
            try:
                features = self._features_of(self._answer(plan.requests[0].result(), max_bytes=ANSWER_MAX_BYTES,
                                                          stream=True))
            except _TooLarge:
                features = None  # paged, PAGE_SIZE each
            finally:
                plan.abandon()
            if features is not None and len(features) < matched:
                LOGGER.info("WFS %s: %d of %d features in one answer; reading pages of %d", self.layer.source_name,
                            len(features), matched, len(features))
                page_size, features = len(features) or PAGE_SIZE, None
        if features is None:
            features = self._paged(plan.filter_xml, page_size)
        for feature in features:
            if tree is not None and not expression_filter.matches(tree, feature.values):
                continue
            if engine is not None and feature.geometry:
                shape = common.geometry_from_hex(feature.geometry)  # kept alive while the engine reads it
                if not engine.intersects(shape.constGet()):
                    continue
            yield feature

    def prefetch_in_area(self, area_wkt, filter_expression="", ahead=None):
        """Send the requests of features_in_area(area_wkt, filter_expression) now (they wait
        for the server's gate: CONNECTIONS at once per server, in the order asked for). The
        requests ``ahead`` sent for the same query are taken over (their answers are read with
        this transport's schema); ``ahead`` is closed."""
        key = (area_wkt, filter_expression)
        try:
            if key not in self._prefetched:
                plan = ahead._prefetched.pop(key, None) if isinstance(ahead, WfsTransport) else None
                if plan is not None and self._schema is None and ahead.layer.source_name == self.layer.source_name:
                    self._schema = ahead._schema  # the same layer's DescribeFeatureType (a minute ago)
                if plan is not None and not self._same_query(plan, filter_expression):
                    plan.abandon()
                    plan = None
                self._prefetched[key] = plan or self._plan(area_wkt, filter_expression)
        finally:
            if ahead is not None:
                ahead.close()

    def _same_query(self, plan, filter_expression):
        """Whether this transport would send what ``plan`` sent (the filter read with this
        layer's field types); if so the plan filters the answers with this transport's reading."""
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        if self._query(plan.area, tree, exact_area=False)[0] != plan.filter_xml:
            return False
        plan.tree = tree
        return True

    def close(self):
        """Requests prefetched and not read: those not sent yet are dropped, the others awaited."""
        while self._prefetched:
            self._prefetched.popitem()[1].abandon()

    def _plan(self, area_wkt, filter_expression):
        self._checked_schema()
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        area = self._area(area_wkt)
        filter_xml, _ = self._query(area, tree, exact_area=False)
        matched = self._hits(filter_xml, reuse=True)
        requests = None
        if matched is not None:
            bodies = self._strip_bodies(area, tree, matched) if matched > STRIP_FEATURES and area is not None \
                else [self._get_feature_xml(filter_xml, sort=False)]
            requests = []
            try:
                for body in bodies:
                    requests.append(_Request(self, body))
            except BaseException:
                _Plan(tree, area, filter_xml, matched, requests).abandon()
                raise
        return _Plan(tree, area, filter_xml, matched, requests)

    def _strip_bodies(self, area, tree, matched):
        """GetFeature bodies of a large area as strips of its bounding box (at most MAX_STRIPS):
        the server writes the next strips while one is parsed."""
        box = area.boundingBox()
        count = min(MAX_STRIPS, -(-matched // STRIP_FEATURES))
        wide = box.width() >= box.height()
        step = (box.width() if wide else box.height()) / count
        bodies = []
        for index in range(count):
            low = (box.xMinimum() if wide else box.yMinimum()) + index * step
            high = (box.xMaximum() if wide else box.yMaximum()) if index == count - 1 else low + step
            strip = QgsRectangle(low, box.yMinimum(), high, box.yMaximum()) if wide else \
                QgsRectangle(box.xMinimum(), low, box.xMaximum(), high)
            filter_xml, _ = self._query(QgsGeometry.fromRect(strip), tree, exact_area=False)
            bodies.append(self._get_feature_xml(filter_xml, sort=False))
        return bodies

    def _strips(self, plan):
        """The features of the strips' answers, passed on strip by strip as each is read (the
        copy writes them while the next strips are written by the server). A feature across a
        strip's edge comes in both: passed on once (same server id). Where the strips hold fewer
        than the server counted (a server-side limit, an answer too large) the query is read again
        in pages sorted by the key, and what was passed on already is not passed on again."""
        seen_ids, passed, largest, anonymous = set(), 0, 0, False
        try:
            for request in plan.requests:
                answer = self._features_of(self._answer(request.result(), max_bytes=ANSWER_MAX_BYTES, stream=True))
                largest = max(largest, len(answer))
                for feature in answer:
                    if feature.server_id:
                        if feature.server_id in seen_ids:
                            continue
                        seen_ids.add(feature.server_id)
                    else:
                        anonymous = True
                    passed += 1
                    yield feature
        except _TooLarge:
            largest = 0  # paged, PAGE_SIZE each
        finally:
            plan.abandon()
        if passed >= plan.matched and largest:
            return
        LOGGER.info("WFS %s: %d of %d features in %d strips; reading pages", self.layer.source_name, passed,
                    plan.matched, len(plan.requests))
        if anonymous:  # what was passed on could not be told from the pages' features
            raise base.TransportError(base.INVALID_ANSWER, tr(
                "The WFS handed out fewer features of {layer} than it counted and gives them no ids: they cannot "
                "be read once each.").format(layer=self.layer.source_name))
        for feature in self._paged(plan.filter_xml, largest or PAGE_SIZE):
            if feature.server_id not in seen_ids:
                yield feature

    def _paged(self, filter_xml, page_size):
        """Every feature of the query in pages sorted by the key. A feature a later page repeats
        (same server id: the order shifted under an edit) is passed on once; two features with
        the same key are both passed on (the package's copy check names a repeated key)."""
        start, seen_ids = 0, set()
        for _page in range(MAX_PAGES):
            page = self._get_feature(filter_xml, start, page_size)
            for feature in page:
                if feature.server_id:
                    if feature.server_id in seen_ids:
                        continue
                    seen_ids.add(feature.server_id)
                yield feature
            if len(page) < page_size:
                return
            start += len(page)
            if self.feedback is not None and self.feedback.isCanceled():
                raise base.TransportError(base.CANCELLED, tr("The request to the server was cancelled."))
        raise base.TransportError(base.INVALID_ANSWER, tr("The WFS did not stop paging."))

    def _filter_xml_and(self, parts):
        if not parts:
            return ""
        if len(parts) == 1:
            return parts[0]
        return "<{0}:And>{1}</{0}:And>".format(self.dialect.filter_prefix, "".join(parts))

    def features_by_key(self, keys):
        keys = sorted({str(key) for key in keys})
        found = {}
        for offset in range(0, len(keys), KEY_BATCH):
            batch = keys[offset:offset + KEY_BATCH]
            tree = expression_filter.In(self.layer.key_column, tuple(batch))
            for feature in self._get_feature(self._filter_xml(tree), sort=False):
                if feature.key in batch:
                    found[feature.key] = feature
        return found

    # -- writes ----------------------------------------------------------------------

    def _transaction(self, operation_xml):
        _, _, namespace = self._checked_schema()
        d = self.dialect
        body = '<wfs:Transaction service="WFS" version="{}" {}>{}</wfs:Transaction>'.format(
            d.version, d.namespaces("feature", namespace or "urn:none"), operation_xml)
        root = self._exchange("POST", body=body, write=True)
        if caps.local_name(root) not in ("TransactionResponse", "WFS_TransactionResponse"):
            raise base.TransportError(base.INVALID_ANSWER, tr(
                "The WFS answered the transaction with {element} instead of a TransactionResponse.").format(
                element=caps.local_name(root)))
        totals = {caps.local_name(element): int((element.text or "0").strip() or 0)
                  for element in root.iter() if caps.local_name(element).startswith("total")}
        messages = [" ".join((element.text or "").split()) for element in root.iter()
                    if caps.local_name(element) == "Message" and (element.text or "").strip()]
        ids = [element.get("fid") or element.get("rid") for element in root.iter()
               if caps.local_name(element) in ("FeatureId", "ResourceId")]
        return totals, messages, ids

    def _rejected(self, what, messages):
        message = "; ".join(messages) or tr("the server applied nothing and gave no reason")
        return base.TransportError(base.REJECTED, tr("The WFS refused the {what}: {message}").format(
            what=what, message=message), server_message=message)

    def _property_xml(self, name, value_xml):
        tag = "wfs:{}".format(self.dialect.update_name)
        return "<wfs:Property><{0}>{1}</{0}>{2}</wfs:Property>".format(tag, escape(name), value_xml)

    @staticmethod
    def _value_text(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return escape(str(value))

    # Each write as its Transaction action (one feature each, so a batch's actions stay apart).

    def _insert_xml(self, values, geometry):
        _, geometry_property, _ = self._checked_schema()
        name = self.layer.source_name.rpartition(":")[2]
        children = []
        shape = common.geometry_from_hex(geometry)
        if shape is not None and geometry_property:
            children.append("<feature:{0}>{1}</feature:{0}>".format(geometry_property, self._gml(shape)))
        for field_name, _type in self.layer.fields:
            value = values.get(field_name)
            if value is not None and field_name != "fid":
                children.append("<feature:{0}>{1}</feature:{0}>".format(field_name, self._value_text(value)))
        return "<wfs:Insert><feature:{0}>{1}</feature:{0}></wfs:Insert>".format(name, "".join(children))

    def _update_xml(self, current, values, geometry, guarded=True):
        """The Update action, or '' when there is nothing to write. Guarded: compare-and-set, the
        feature is updated only where the written fields still hold the values read as
        ``current`` (dates and reals left out: QGIS Server compares no dates)."""
        _, geometry_property, _ = self._checked_schema()
        types = dict(self.layer.fields)
        properties = []
        for name, value in values.items():
            if name == self.layer.key_column:
                continue  # the key is what finds the feature: never rewritten
            properties.append(self._property_xml(name, "" if value is None else "<wfs:Value>{}</wfs:Value>".format(
                self._value_text(value))))
        shape = common.geometry_from_hex(geometry)
        if shape is not None:
            properties.append(self._property_xml(geometry_property, "<wfs:Value>{}</wfs:Value>".format(
                self._gml(shape))))
        if not properties:
            return ""
        guard = [expression_filter.Compare(self.layer.key_column, "=", current.key)]
        if guarded:
            guard += [expression_filter.Compare(name, "=", current.values.get(name)) if current.values.get(name)
                      is not None else expression_filter.IsNull(name)
                      for name in values if name in types and name != self.layer.key_column
                      and types[name] not in ("date", "datetime", "real")]
        return "<wfs:Update {}={}>{}<{p}:Filter>{}</{p}:Filter></wfs:Update>".format(
            self.dialect.typename_attribute, quoteattr(self.layer.source_name), "".join(properties),
            self._filter_xml(expression_filter.And(tuple(guard))), p=self.dialect.filter_prefix)

    def _delete_xml(self, current):
        # By the feature's server id where it is known: QGIS Server 3.22 deletes nothing for a
        # filter on an attribute ("No feature ids to do WFS deletes").
        target = self._id_filter(current.server_id) if current.server_id else self._filter_xml(
            expression_filter.Compare(self.layer.key_column, "=", current.key))
        return "<wfs:Delete {}={}><{p}:Filter>{}</{p}:Filter></wfs:Delete>".format(
            self.dialect.typename_attribute, quoteattr(self.layer.source_name), target,
            p=self.dialect.filter_prefix)

    def _id_filter(self, server_id):
        if self.dialect.version.startswith("2."):
            return '<fes:ResourceId rid={}/>'.format(quoteattr(server_id))
        return '<ogc:FeatureId fid={}/>'.format(quoteattr(server_id))

    def _inserted(self, values, geometry, server_id):
        written = {name: values.get(name) for name, _ in self.layer.fields}
        return common.make_feature(self.layer, written, geometry, server_id)

    def _updated(self, current, values, geometry):
        types = dict(self.layer.fields)
        merged = dict(current.values)
        merged.update({name: value for name, value in values.items() if name in types})
        return common.make_feature(self.layer, merged, geometry if geometry is not None else current.geometry,
                                   current.server_id)

    def insert(self, values, geometry):
        key = common.check_key(self.layer, values)
        totals, messages, ids = self._transaction(self._insert_xml(values, geometry))
        if totals.get("totalInserted", 0) < 1:
            raise self._rejected(tr("insert of {key}").format(key=key), messages)
        return self._inserted(values, geometry, ids[0] if ids else "")

    def update(self, current, values, geometry=None):
        types = dict(self.layer.fields)
        for guarded in (True, False):
            operation = self._update_xml(current, values, geometry, guarded)
            if not operation:
                return current
            totals, messages, _ = self._transaction(operation)
            if totals.get("totalUpdated", 0) > 0:
                return self._updated(current, values, geometry)
            if messages:
                raise self._rejected(tr("update of {key}").format(key=current.key), messages)
            now = self.features_by_key([current.key]).get(current.key)
            if now is None:
                raise base.TransportError(base.NOT_FOUND, tr(
                    "The feature {key} is no longer on the server.").format(key=current.key))
            if any(now.values.get(name) != current.values.get(name) for name in values if name in types):
                raise base.TransportError(base.PRECONDITION_FAILED, tr(
                    "The feature {key} was changed on the server since it was read.").format(key=current.key))
            # Unchanged, yet the guard matched nothing (a value the server compares differently):
            # the read just made is the comparison; write by key alone.
        raise self._rejected(tr("update of {key}").format(key=current.key), [])

    def delete(self, current):
        totals, messages, _ = self._transaction(self._delete_xml(current))
        if totals.get("totalDeleted", 0) < 1:
            # QGIS Server reports a delete that matched nothing with a message: read to tell.
            if messages and current.key in self.features_by_key([current.key]):
                raise self._rejected(tr("deletion of {key}").format(key=current.key), messages)
            raise base.TransportError(base.NOT_FOUND, tr(
                "The feature {key} is no longer on the server.").format(key=current.key))

    def write_batch(self, operations):
        """All ``operations`` in one Transaction (one action per feature). Where the server
        confirms every action, the results follow from what was sent; where it confirms fewer,
        each feature is read back: written ones are done, the others go the single way
        (update() / delete() / insert()) for their precise outcome. A failed exchange is every
        operation's error (with outcome_unknown where it may have been applied)."""
        if len(operations) <= 1:
            return super().write_batch(operations)
        actions, expected = [], {"insert": 0, "update": 0, "delete": 0}
        try:
            for operation in operations:
                if operation.op == "insert":
                    common.check_key(self.layer, operation.values)
                    actions.append(self._insert_xml(operation.values, operation.geometry))
                elif operation.op == "update":
                    actions.append(self._update_xml(operation.current, operation.values or {}, operation.geometry))
                else:
                    actions.append(self._delete_xml(operation.current))
                expected[operation.op] += 1 if actions[-1] else 0
            totals, messages, ids = self._transaction("".join(actions))
        except base.TransportError as error:
            if error.kind in (base.SCHEMA_CHANGED, base.AUTH, base.CANCELLED) or error.outcome_unknown \
                    or error.retryable:
                return [error] * len(operations)
            return super().write_batch(operations)  # one refused action (an ExceptionReport): find which
        if (totals.get("totalInserted", 0), totals.get("totalUpdated", 0), totals.get("totalDeleted", 0)) == (
                expected["insert"], expected["update"], expected["delete"]) and len(ids) >= expected["insert"]:
            results, new_ids = [], iter(ids)
            for operation in operations:
                if operation.op == "insert":
                    results.append(self._inserted(operation.values, operation.geometry, next(new_ids)))
                elif operation.op == "update":
                    results.append(self._updated(operation.current, operation.values or {}, operation.geometry))
                else:
                    results.append(None)
            return results
        LOGGER.info("WFS batch of %d: the server confirmed %s of %s (%s); reading back", len(operations), totals,
                    expected, "; ".join(messages))
        return self._settle_batch(operations)

    def _settle_batch(self, operations):
        now = self.features_by_key([operation.key for operation in operations])
        results = []
        for operation in operations:
            present = now.get(operation.key)
            try:
                if operation.op == "insert":
                    results.append(present if present is not None else self.insert(operation.values,
                                                                                  operation.geometry))
                elif operation.op == "update":
                    written = present is not None and all(
                        present.values.get(name) == value for name, value in (operation.values or {}).items()
                        if name in present.values) and (operation.geometry is None or common.same_geometry(
                            present.geometry, operation.geometry))
                    results.append(present if written else self.update(operation.current, operation.values or {},
                                                                       operation.geometry))
                else:
                    if present is not None:
                        self.delete(operation.current)
                    results.append(None)
            except base.TransportError as error:
                results.append(error)
                if error.retryable or error.outcome_unknown or error.kind in (base.AUTH, base.CANCELLED):
                    break
        return results


def parse_answer(body, max_bytes=caps.DEFAULT_MAX_BYTES):
    """The XML root of a WFS answer. Without a document type declaration no entity can be
    defined, so a fast parser reads it: lxml (libxml2, a dependency of QGIS's Python on Debian;
    an answer of 16,000 lights in 0.3 s instead of ElementTree's 1 s) where installed, else
    ElementTree's C parser; with one, the catalog's parser, which refuses entities, does."""
    if _has_dtd(body):
        return caps.parse_xml(body, max_bytes)
    if len(body) > max_bytes:
        raise caps.AnswerTooLargeError(len(body))
    if _lxml is not None:
        try:
            return _lxml.fromstring(body, _lxml.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                                                          remove_comments=True, remove_pis=True))
        except _lxml.XMLSyntaxError as error:
            raise caps.NotXmlError(str(error)) from error
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise caps.NotXmlError(str(error)) from error


def _is_rectangle(area):
    if area is None or area.isMultipart():
        return False
    box = area.boundingBox()
    return box.area() > 0 and abs(area.area() - box.area()) <= 1e-9 * box.area()


def _has_dtd(body):
    """Whether the answer may have a document type declaration (where entities are declared).
    XML allows one only in the prolog, before the root element: the prolog is read (an XML
    declaration, processing instructions, comments), not the whole answer (100 MB of a city's
    buildings scanned twice took 0.07 s). A prolog that is not plain ASCII-compatible XML (UTF-16,
    text before the root) counts as having one: the entity-refusing parser reads it."""
    position = 3 if body.startswith(b"\xef\xbb\xbf") else 0
    while True:
        start = body.find(b"<", position)
        if start < 0 or body[position:start].strip():
            return start >= 0
        if body.startswith(b"<?", start):
            end, length = body.find(b"?>", start + 2), 2
        elif body.startswith(b"<!--", start):
            end, length = body.find(b"-->", start + 4), 3
        else:  # <!DOCTYPE (or any other declaration), or the root element
            return body.startswith(b"<!", start)
        if end < 0:
            return True
        position = end + length


def _exception_message(body):
    """The text of an OGC exception report in ``body``, else ''."""
    if b"Exception" not in body[:2000]:
        return ""
    try:
        root = parse_answer(body)
    except caps.CapabilitiesError:
        return ""
    texts = [" ".join((element.text or "").split()) for element in root.iter()
             if caps.local_name(element) in ("ServiceException", "ExceptionText")]
    return " / ".join(text for text in texts if text)[:1000]
