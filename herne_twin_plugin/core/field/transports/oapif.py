"""OGC API Features Part 1 (reads) and Part 4 (writes): the field sync's transport to pygeoapi,
ldproxy and QGIS Server's /wfs3.

Reads ``/collections/{id}/items`` with ``bbox`` (+ ``bbox-crs``) and ``crs`` in EPSG:25832 where
the collection lists that CRS, else in CRS84 reprojected here; follows ``next`` links (same
server only, each link once); the package filter goes as ``key=value`` query parameters where
it is only equalities, the rest is filtered here. Features by key: a CQL2 ``filter=key IN (...)``
where the server takes it, else ``?key=value`` per key.
Writes POST / PUT / DELETE; with ``If-Match`` on the ETag (or ``If-Unmodified-Since`` on the
Last-Modified) the item was read with, where the server sends one; without either, a read of the
item right before the write is compared with what the caller read (read-compare-write).
A PUT carries the whole feature (the values read, with the changes) and its ``id``.
"""

import dataclasses
import json
import logging
import urllib.parse

from osgeo import ogr
from qgis.core import QgsGeometry

from ...i18n import tr
from ...log import redact_url
from ...services import capabilities as caps
from . import base, common, expression_filter, http

LOGGER = logging.getLogger(__name__)

PAGE_SIZE = 1000
KEY_BATCH = 50
MAX_PAGES = 10000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_JSON_TYPES = {"string": "str", "integer": "int", "number": "real", "boolean": "bool"}
_JSON_FORMATS = {"date": "date", "date-time": "datetime"}
GEOJSON = "application/geo+json"


def _epsg_code(uri):
    """'25832' of 'http://www.opengis.net/def/crs/EPSG/0/25832' (any version), '' otherwise."""
    parts = uri.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 3 and parts[-3] == "EPSG" else ""


class OapifTransport(base.FieldTransport):
    """A collection on an OGC API Features server: ``layer.source_url`` the landing page,
    ``source_name`` the collection id."""

    def __init__(self, layer, feedback=None, timeout_s=30.0):
        super().__init__(layer, feedback, timeout_s)
        landing = layer.source_url.split("?")[0].rstrip("/")
        self.collection_url = "{}/collections/{}".format(landing, urllib.parse.quote(layer.source_name, safe=""))
        self.items_url = self.collection_url + "/items"
        self._collection = None
        self._fields = None
        self._id_field = ""
        self._cql = None  # whether the server takes a CQL2 filter (found out on first use)

    # -- HTTP ------------------------------------------------------------------------

    def _call(self, method, url, body=None, headers=None, accept="application/geo+json, application/json"):
        response = http.request(method, url, body=body, headers=headers, authcfg=self.layer.authcfg,
                                timeout_s=self.timeout_s, feedback=self.feedback, accept=accept,
                                content_type=GEOJSON if body is not None else "")
        error = http.transport_error(response, method, self.layer.authcfg, self.timeout_s,
                                     server_message=_error_message(response.body))
        if error is not None:
            raise error
        return response

    def _json(self, url, accept="application/geo+json, application/json"):
        response = self._call("GET", url, accept=accept)
        try:
            return caps.parse_json(response.body), response
        except caps.CapabilitiesError as error:
            raise base.TransportError(base.INVALID_ANSWER, tr(
                "The OGC API answer of {layer} is not JSON.").format(layer=self.layer.source_name),
                server_message=str(error)) from None

    @staticmethod
    def _with(url, params):
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        query = [(name, value) for name, value in query if name not in params] + list(params.items())
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    # -- collection and schema -------------------------------------------------------

    def _collection_doc(self):
        if self._collection is None:
            # No f=json: QGIS Server refuses it; both servers honour Accept.
            document, _ = self._json(self.collection_url, accept="application/json")
            if not isinstance(document, dict) or document.get("id") is None and not document.get("links"):
                raise base.TransportError(base.INVALID_ANSWER, tr(
                    "The server's answer is not an OGC API collection: {url}").format(url=self.collection_url))
            self._collection = document
        return self._collection

    def _crs_uri(self):
        """The collection's URI for EPSG:25832, '' where it does not offer it."""
        for uri in self._collection_doc().get("crs") or ():
            if isinstance(uri, str) and _epsg_code(uri) == "25832":
                return uri
        return ""

    def _write_crs(self):
        """The CRS a written geometry is sent in: the collection's storage CRS where it says
        (Part 2 ``storageCrs``; pygeoapi 0.20 spells it ``storageCRS`` and reads every written
        geometry in it, whatever Content-Crs says), else CRS84, the default of Part 4 (QGIS
        Server 3.22 reads nothing else)."""
        document = self._collection_doc()
        storage = document.get("storageCrs") or document.get("storageCRS") or ""
        return storage if isinstance(storage, str) and storage else CRS84

    @property
    def _write_reprojector(self):
        if not hasattr(self, "_write_reprojector_value"):
            code = _epsg_code(self._write_crs())
            self._write_reprojector_value = None if code == "25832" else common.Reprojector(
                "EPSG:" + code if code else "OGC:CRS84")
        return self._write_reprojector_value

    def server_fields(self):
        if self._fields is None:
            self._fields = self._queryables()
        return list(self._fields)

    def _queryables(self):
        response = http.request("GET", self.collection_url + "/queryables",
                                authcfg=self.layer.authcfg, timeout_s=self.timeout_s, feedback=self.feedback,
                                accept="application/schema+json, application/json")
        document = None
        if 200 <= response.status < 300:
            try:
                document = caps.parse_json(response.body)
            except caps.CapabilitiesError:
                document = None
        properties = document.get("properties") if isinstance(document, dict) else None
        if isinstance(properties, dict) and properties:
            fields = []
            for name, schema in properties.items():
                schema = schema if isinstance(schema, dict) else {}
                if schema.get("x-ogc-role") == "primary-geometry" or str(schema.get("format", "")).startswith(
                        "geometry") or name == "geometry":
                    continue
                if schema.get("x-ogc-role") == "id":
                    self._id_field = name
                field_type = _JSON_FORMATS.get(schema.get("format")) or _JSON_TYPES.get(schema.get("type"), "str")
                fields.append((name, field_type))
            return fields
        # No queryables (QGIS Server 3.22): the properties of one item.
        try:
            document, _ = self._json(self._with(self.items_url, {"limit": "1"}))
        except base.TransportError as error:
            if not _empty_collection_bug(error):
                raise
            document = {}
        features = document.get("features") if isinstance(document, dict) else None
        if not features:
            return [(name, field_type) for name, field_type in self.layer.fields]  # nothing to compare with
        fields = []
        for name, value in (features[0].get("properties") or {}).items():
            declared = dict(self.layer.fields).get(name)
            fields.append((name, declared or ("bool" if isinstance(value, bool) else "int" if isinstance(value, int)
                                              else "real" if isinstance(value, float) else "str")))
        return fields

    def _checked(self):
        problem = common.schema_problem(self.layer, self.server_fields())
        if problem is not None:
            raise problem

    # -- reading features ------------------------------------------------------------

    def _feature(self, item, version="", in_crs84=None):
        """A ServerFeature of a GeoJSON item; ``in_crs84``: the answer's coordinates are CRS84
        (None: as asked for)."""
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise base.TransportError(base.INVALID_ANSWER, tr("The server sent something that is not a GeoJSON "
                                                               "feature."), server_message=str(item)[:300])
        raw = dict(item.get("properties") or {})
        if self._id_field and raw.get(self._id_field) is None:
            raw[self._id_field] = item.get("id")  # pygeoapi moves its id column out of the properties
        geometry = None
        if item.get("geometry"):
            shape = _geometry_from_geojson(item["geometry"])
            if shape is None or shape.isNull():
                raise base.TransportError(base.INVALID_ANSWER, tr("The server sent a geometry that cannot be read."),
                                          server_message=json.dumps(item["geometry"])[:300])
            if in_crs84 is None:
                in_crs84 = self._reprojector is not None
            if in_crs84:
                shape = self._crs84.package(shape)
            geometry = common.geometry_to_hex(shape)
        return common.make_feature(self.layer, raw, geometry, item.get("id", ""), version)

    @property
    def _crs84(self):
        if not hasattr(self, "_crs84_value"):
            self._crs84_value = common.Reprojector("OGC:CRS84")
        return self._crs84_value

    def _answer_in_crs84(self, response, document):
        """Whether an answer's coordinates are CRS84 although EPSG:25832 was asked for: its
        Content-Crs says so, or (no Content-Crs: QGIS Server 3.22 ignores ``crs`` for a single
        item) they are degrees, which no place in EPSG:25832's zone has."""
        if self._reprojector is not None:
            return True
        content_crs = response.headers.get("content-crs", "").strip("<> ")
        if content_crs:
            return _epsg_code(content_crs) != "25832"
        box = _coordinate_box(document)
        return box is not None and all(abs(value) <= 180 for value in box)

    @property
    def _reprojector(self):
        if not hasattr(self, "_reprojector_value"):
            self._reprojector_value = None if self._crs_uri() else common.Reprojector("OGC:CRS84")
        return self._reprojector_value

    def _crs_params(self):
        uri = self._crs_uri()
        return {"crs": uri} if uri else {}

    def _pages(self, params):
        """Every feature of the items query with ``params`` once, following next links.

        Offset paging without a sort order is not stable on every server (QGIS Server 3.22
        once sent 272 features twice and left as many out): a feature is passed on once (by
        its server id), and where fewer arrive than the server counted (numberMatched) the
        query is read again as one page; still fewer is an error, never a silent gap."""
        delivered, matched = set(), []
        for limit in (PAGE_SIZE, None):
            if limit is None:
                if not matched or matched[0] is None or len(delivered) >= matched[0]:
                    return
                LOGGER.warning("%s: %d of %d features arrived over the pages; reading them as one page",
                               redact_url(self.items_url), len(delivered), matched[0])
                limit = max(matched[0], PAGE_SIZE)
            for feature in self._paged(params, limit, matched):
                identity = feature.server_id or feature.key
                if identity not in delivered:
                    delivered.add(identity)
                    yield feature
        if matched and matched[0] is not None and len(delivered) < matched[0]:
            raise base.TransportError(base.INVALID_ANSWER, tr(
                "The server counted {matched} features but handed out only {read}: its pages are not stable. "
                "Nothing was taken from this read.").format(matched=matched[0], read=len(delivered)))

    def _paged(self, params, limit, matched):
        """The features of the items query page by page; ``matched`` gets the first page's numberMatched."""
        own = dict(params, **self._crs_params())
        url = self._with(self.items_url, dict(own, limit=str(limit)))
        seen, read, passed = set(), 0, set()
        for _page in range(MAX_PAGES):
            if self.feedback is not None and self.feedback.isCanceled():
                raise base.TransportError(base.CANCELLED, tr("The request to the server was cancelled."))
            seen.add(url)
            try:
                document, response = self._json(url)
            except base.TransportError as error:
                if len(seen) == 1 and _empty_collection_bug(error):
                    return
                raise
            if not isinstance(document, dict) or not isinstance(document.get("features"), list):
                raise base.TransportError(base.INVALID_ANSWER, tr(
                    "The server's answer is not a GeoJSON feature collection: {url}").format(url=url))
            if len(seen) == 1:
                number = document.get("numberMatched")
                matched[:] = [number if isinstance(number, int) and not isinstance(number, bool) else None]
            in_crs84 = self._answer_in_crs84(response, document)
            fresh = False
            for item in document["features"]:
                feature = self._feature(item, in_crs84=in_crs84)
                identity = feature.server_id or feature.key
                fresh = fresh or identity not in passed
                passed.add(identity)
                yield feature
            read += len(document["features"])
            following = caps.link_href(document, "next")
            if not document["features"]:
                return
            if not following:
                if len(document["features"]) < limit or not fresh:
                    return  # the last page, or a server that ignores offset (the count check decides)
                # A full page without a next link may not be the last: QGIS Server 3.22 builds its
                # next links from a feature count that other writers leave stale (1,000 of 1,531
                # street lights seen). Ask on by offset until a page comes back short or empty.
                following = self._with(url, {"offset": str(read), "limit": str(limit)})
                if following in seen:
                    return
                LOGGER.info("%s: a full page without a next link; asking from offset %d on",
                            redact_url(self.items_url), read)
                url = following
                continue
            # Our parameters again: QGIS Server 3.22 mangles percent-escapes in its next links
            # ("%3A" of the crs URI comes back as "1000A"); the paging parameters stay the server's.
            following = self._with(urllib.parse.urljoin(url, following), own)
            if following in seen:
                raise base.TransportError(base.INVALID_ANSWER, tr(
                    "The server's next link leads back to a page already read."))
            if not http_same_origin(following, self.items_url):
                raise base.TransportError(base.INVALID_ANSWER, tr(
                    "The server's next link leads to another server; it was not followed."))
            url = following
        raise base.TransportError(base.INVALID_ANSWER, tr("The server did not stop paging."))

    def _query_params(self, area, tree):
        """(items query parameters for the area's bbox and the filter's equalities, whether the
        server's selection is exactly the area and the filter)."""
        params, exact = {}, True
        if area is not None:
            box_geometry = area if self._crs_uri() else self._reprojector.server(area)
            box = box_geometry.boundingBox()
            params["bbox"] = ",".join(repr(v) for v in (box.xMinimum(), box.yMinimum(), box.xMaximum(),
                                                        box.yMaximum()))
            if self._crs_uri():
                params["bbox-crs"] = self._crs_uri()
            # the bbox is the area only for a rectangle in the server's own CRS
            exact = abs(box_geometry.area() - box.area()) <= 1e-9 * max(1.0, box.area())
        equal = expression_filter.equalities(tree)
        if equal:
            params.update({name: _query_value(value) for name, value in equal.items()})
        elif tree is not None:
            exact = False
        return params, exact

    def count_in_area(self, area_wkt, filter_expression=""):
        """(numberMatched of the items query, whether it counts exactly the area and filter);
        None where the server gives no numberMatched."""
        self._checked()
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        area = QgsGeometry.fromWkt(area_wkt) if area_wkt else None
        params, exact = self._query_params(area if area is not None and not area.isNull() else None, tree)
        params.update(self._crs_params())
        try:
            document, _ = self._json(self._with(self.items_url, dict(params, limit="1")))
        except base.TransportError as error:
            if _empty_collection_bug(error):
                return 0, True
            raise
        number = document.get("numberMatched") if isinstance(document, dict) else None
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            return None
        return number, exact

    def features_in_area(self, area_wkt, filter_expression=""):
        self._checked()
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        area = QgsGeometry.fromWkt(area_wkt) if area_wkt else None
        engine = None
        if area is not None and not area.isNull():
            engine = QgsGeometry.createGeometryEngine(area.constGet())
            engine.prepareGeometry()
        else:
            area = None
        params, _ = self._query_params(area, tree)
        for feature in self._pages(params):
            if not expression_filter.matches(tree, feature.values):
                continue
            if engine is not None and feature.geometry:
                shape = common.geometry_from_hex(feature.geometry)  # kept alive while the engine reads it
                if not engine.intersects(shape.constGet()):
                    continue
            yield feature

    def features_by_key(self, keys):
        self._checked()
        keys = sorted({str(key) for key in keys})
        found = {}
        key = self.layer.key_column
        offset = 0
        while offset < len(keys):
            batch = keys[offset:offset + KEY_BATCH] if self._cql is not False else keys[offset:offset + 1]
            if self._cql is not False and len(batch) > 1:
                cql = "{} IN ({})".format(key, ", ".join("'{}'".format(k.replace("'", "''")) for k in batch))
                try:
                    # No filter-lang: the text form is the default (pygeoapi 0.20 knows it as cql-text).
                    features = list(self._pages({"filter": cql}))
                    if any(feature.key not in batch for feature in features):
                        self._cql = False  # the server ignored the filter (QGIS Server): ask per key
                        continue
                    self._cql = True
                except base.TransportError as error:
                    if self._cql or error.kind not in (base.REJECTED, base.SERVER_ERROR, base.INVALID_ANSWER):
                        raise
                    self._cql = False  # the server takes no CQL2 filter: ask per key
                    continue
            else:
                features = list(self._pages({key: batch[0]}))
            for feature in features:
                if feature.key in batch:
                    found[feature.key] = self._with_version(feature)
            offset += len(batch)
        return found

    def _with_version(self, feature):
        """The feature with the ETag / Last-Modified of its item, where the server sends one.
        Values and geometry stay those of the collection query (QGIS Server 3.22 answers a
        single item in CRS84 at 6 decimals, a few centimetres off)."""
        if getattr(self, "_offers_versions", None) is False:
            return feature
        version = self._item_version(feature.server_id)
        self._offers_versions = bool(version)
        return dataclasses.replace(feature, version=version) if version else feature

    def _item_url(self, server_id):
        return "{}/{}".format(self.items_url, urllib.parse.quote(str(server_id), safe=""))

    def _item_version(self, server_id):
        """The version (ETag, 'lm:' + Last-Modified or '') the server gives the item now."""
        try:
            response = self._call("GET", self._with(self._item_url(server_id), self._crs_params()))
        except base.TransportError as error:
            if error.kind in (base.NOT_FOUND, base.SERVER_ERROR, base.INVALID_ANSWER):
                return ""
            raise
        return _version_of(response)

    def _lookup(self, key):
        """The feature with ``key`` as the server has it now, None when it is gone."""
        return next((feature for feature in self._pages({self.layer.key_column: key}) if feature.key == key), None)

    # -- writing ---------------------------------------------------------------------

    def _body(self, values, geometry, server_id=None):
        properties = {name: value for name, value in values.items() if name != self._id_field}
        shape = common.geometry_from_hex(geometry)
        if shape is not None and self._write_reprojector is not None:
            shape = self._write_reprojector.server(shape)
        document = {"type": "Feature", "properties": properties,
                    "geometry": json.loads(shape.asJson(9)) if shape is not None else None}
        if server_id not in (None, ""):
            document["id"] = _json_id(server_id)  # pygeoapi wants it in a PUT's body
        return json.dumps(document, ensure_ascii=False)

    def _write_headers(self, current=None):
        headers = {}
        if self._write_crs() != CRS84:
            headers["Content-Crs"] = "<{}>".format(self._write_crs())
        if current is not None and current.version:
            if current.version.startswith("lm:"):
                headers["If-Unmodified-Since"] = current.version[3:]
            else:
                headers["If-Match"] = current.version
        return headers

    def insert(self, values, geometry):
        key = common.check_key(self.layer, values)
        self._checked()
        package_values = {name: values[name] for name, _ in self.layer.fields if name in values}
        response = self._call("POST", self.items_url, body=self._body(package_values, geometry),
                              headers=self._write_headers())
        location = response.headers.get("location", "")
        server_id = urllib.parse.unquote(location.rstrip("/").rsplit("/", 1)[-1].split("?")[0]) if location else ""
        if not server_id:
            now = self.features_by_key([key]).get(key)
            server_id = now.server_id if now else ""
        written = {name: values.get(name) for name, _ in self.layer.fields}
        if self._id_field and server_id:
            written[self._id_field] = server_id
        return common.make_feature(self.layer, written, geometry, server_id, _version_of(response))

    def _recheck(self, current, names):
        """Read-compare-write where the server gives no version: the item must still hold what
        ``current`` says for the fields about to be written."""
        now = self._lookup(current.key)
        if now is None:
            raise base.TransportError(base.NOT_FOUND, tr(
                "The feature {key} is no longer on the server.").format(key=current.key))
        if any(now.values.get(name) != current.values.get(name) for name in names):
            raise base.TransportError(base.PRECONDITION_FAILED, tr(
                "The feature {key} was changed on the server since it was read.").format(key=current.key))
        return now

    def update(self, current, values, geometry=None):
        self._checked()
        types = dict(self.layer.fields)
        changes = {name: value for name, value in values.items() if name in types and name != self._id_field}
        if not changes and geometry is None:
            return current
        latest = current
        if not current.version:
            # The PUT carries the whole feature: built on the state just read, so a field somebody
            # else changed (and this edit did not touch) is not set back.
            latest = self._recheck(current, changes)
        # A PUT replaces the feature: the server's fields the package does not hold go along.
        merged = {name: value for name, value in latest.extra.items() if name != self._id_field}
        merged.update(latest.values)
        merged.update(changes)
        new_geometry = geometry if geometry is not None else latest.geometry
        response = self._call("PUT", self._item_url(current.server_id),
                              body=self._body(merged, new_geometry, current.server_id),
                              headers=self._write_headers(current))
        return common.make_feature(self.layer, merged, new_geometry, current.server_id, _version_of(response))

    def delete(self, current):
        if not current.version:
            self._recheck(current, ())
        try:
            self._call("DELETE", self._item_url(current.server_id), headers=self._write_headers(current))
        except base.TransportError as error:
            if error.kind in (base.SERVER_ERROR, base.REJECTED) and self._lookup(current.key) is None:
                raise base.TransportError(base.NOT_FOUND, tr(
                    "The feature {key} is no longer on the server.").format(key=current.key)) from None
            raise


def http_same_origin(url, base_url):
    first, second = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base_url)
    return (first.scheme.lower(), first.netloc.lower()) == (second.scheme.lower(), second.netloc.lower())


def _coordinate_box(document):
    """(min x, min y, max x, max y) of every coordinate in a GeoJSON document, None without any."""
    xs, ys = [], []

    def walk(value):
        if isinstance(value, list):
            if len(value) >= 2 and all(isinstance(number, (int, float)) for number in value[:2]):
                xs.append(value[0])
                ys.append(value[1])
            else:
                for item in value:
                    walk(item)

    items = document.get("features") if isinstance(document, dict) and "features" in document else [document]
    for item in items or ():
        if isinstance(item, dict) and isinstance(item.get("geometry"), dict):
            walk(item["geometry"].get("coordinates"))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _empty_collection_bug(error):
    """QGIS Server 3.22 answers every items request on an empty collection with HTTP 400
    "Argument 'offset' is not valid ... [0--1]": that collection is empty."""
    return error.status == 400 and "[0--1]" in (error.server_message or "")


def _version_of(response):
    """The item's version: its ETag, else 'lm:' + its Last-Modified, else ''."""
    etag = response.headers.get("etag", "")
    if etag:
        return etag
    modified = response.headers.get("last-modified", "")
    return "lm:" + modified if modified else ""


def _geometry_from_geojson(geometry):
    """QgsGeometry of a GeoJSON geometry object (QGIS 3.22 has no GeoJSON geometry reader), None if unreadable."""
    try:
        shape = ogr.CreateGeometryFromJson(json.dumps(geometry))
    except (RuntimeError, TypeError, ValueError):
        return None
    if shape is None:
        return None
    result = QgsGeometry()
    result.fromWkb(bytes(shape.ExportToIsoWkb()))
    return result


def _query_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_id(server_id):
    text = str(server_id)
    return int(text) if text.isdigit() else text


def _error_message(body):
    """The description of an OGC API error document (RFC 7807 or pygeoapi's), else ''."""
    try:
        document = json.loads(body.decode("utf-8", "replace")) if body.lstrip()[:1] in (b"{", b"[") else None
    except ValueError:
        return ""
    if isinstance(document, list) and document:  # QGIS Server: [{"code": ..., "description": ...}]
        document = document[0]
    if not isinstance(document, dict):
        return ""
    return str(document.get("description") or document.get("detail") or document.get("title")
               or document.get("message") or "")[:1000]
