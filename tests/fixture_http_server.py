"""A small HTTP server on 127.0.0.1 with canned answers for the catalog's tests.

It plays well-behaved services (WMS 1.3.0 and 1.1.1, WFS 1.1.0, OGC API Features,
SensorThings, NGSI v2) and every way a service goes wrong (401/403/404/500, an
exception report, not XML, a huge answer, entities, silence, redirects). Start it
with ``with FixtureServer() as server:`` and build URLs with ``server.url("/wms")``.
Every request is recorded in ``server.requests`` as (path with query, headers).

The pytest fixtures at the end (``fixture_server``, ``catalog_settings``,
``basic_authcfg``) are imported by name into the catalog's test modules.
"""

import base64
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

BASIC_USER = "inspektor"
BASIC_PASSWORD = "Kanal-Geheim-4711"  # only in the test's auth database and this server

WMS_130 = """<?xml version="1.0" encoding="UTF-8"?>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"
    xmlns:xlink="http://www.w3.org/1999/xlink">
  <Service><Name>WMS</Name><Title>Herne Testdienst WMS</Title></Service>
  <Capability>
    <Request>
      <GetCapabilities><Format>text/xml</Format><DCPType><HTTP><Get>
        <OnlineResource xlink:href="{base}/wms?"/></Get></HTTP></DCPType></GetCapabilities>
      <GetMap><Format>image/png</Format><DCPType><HTTP><Get>
        <OnlineResource xlink:href="{base}/wms?"/></Get></HTTP></DCPType></GetMap>
    </Request>
    <Exception><Format>XML</Format></Exception>
    <Layer>
      <Title>Herne</Title>
      <CRS>EPSG:25832</CRS><CRS>EPSG:4326</CRS>
      <EX_GeographicBoundingBox><westBoundLongitude>7.13</westBoundLongitude>
        <eastBoundLongitude>7.27</eastBoundLongitude><southBoundLatitude>51.50</southBoundLatitude>
        <northBoundLatitude>51.57</northBoundLatitude></EX_GeographicBoundingBox>
      <BoundingBox CRS="EPSG:25832" minx="381000" miny="5706000" maxx="391000" maxy="5713000"/>
      <Layer queryable="1">
        <Name>street_lights</Name><Title>Strassenbeleuchtung</Title>
        <BoundingBox CRS="EPSG:25832" minx="381000" miny="5706000" maxx="391000" maxy="5713000"/>
      </Layer>
      <Layer>
        <Name>starkregen</Name><Title>Starkregen</Title>
        <Layer queryable="1"><Name>seltener_starkregen</Name><Title>Seltener Starkregen</Title>
          <BoundingBox CRS="EPSG:25832" minx="381000" miny="5706000" maxx="391000" maxy="5713000"/></Layer>
        <Layer queryable="1"><Name>extremregen</Name><Title>Extremregen</Title>
          <BoundingBox CRS="EPSG:25832" minx="381000" miny="5706000" maxx="391000" maxy="5713000"/></Layer>
      </Layer>
    </Layer>
  </Capability>
</WMS_Capabilities>
"""

WMS_111 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE WMT_MS_Capabilities SYSTEM "{base}/dtd/WMS_MS_Capabilities.dtd"
 [
 <!ELEMENT VendorSpecificCapabilities EMPTY>
 ]>
<WMT_MS_Capabilities version="1.1.1">
  <Service><Name>OGC:WMS</Name><Title>Hochwasser Test 1.1.1</Title></Service>
  <Capability>
    <Layer>
      <Name>hw_gefahren</Name><Title>Hochwassergefahren</Title>
      <SRS>EPSG:4326</SRS><SRS>EPSG:3857</SRS>
      <Layer><Name>hw_tiefe_hq100</Name><Title>Tiefe HQ100</Title></Layer>
    </Layer>
  </Capability>
</WMT_MS_Capabilities>
"""

WFS_110 = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"
    xmlns:ows="http://www.opengis.net/ows" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:herne="https://herne.de/twin">
  <ows:ServiceIdentification><ows:Title>Herne Testdienst WFS</ows:Title>
    <ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>
  </ows:ServiceIdentification>
  <ows:OperationsMetadata>
    <ows:Operation name="GetCapabilities"><ows:DCP><ows:HTTP>
      <ows:Get xlink:href="{base}/wfs?"/></ows:HTTP></ows:DCP></ows:Operation>
    <ows:Operation name="DescribeFeatureType"><ows:DCP><ows:HTTP>
      <ows:Get xlink:href="{base}/wfs?"/></ows:HTTP></ows:DCP></ows:Operation>
    <ows:Operation name="GetFeature"><ows:DCP><ows:HTTP>
      <ows:Get xlink:href="{base}/wfs?"/></ows:HTTP></ows:DCP></ows:Operation>
  </ows:OperationsMetadata>
  <wfs:FeatureTypeList>
    <wfs:FeatureType>
      <wfs:Name>herne:street_lights</wfs:Name><wfs:Title>Leuchtpunkte</wfs:Title>
      <wfs:DefaultSRS>urn:ogc:def:crs:EPSG::25832</wfs:DefaultSRS>
      <wfs:OtherSRS>urn:ogc:def:crs:EPSG::4326</wfs:OtherSRS>
      <ows:WGS84BoundingBox><ows:LowerCorner>7.13 51.50</ows:LowerCorner>
        <ows:UpperCorner>7.27 51.57</ows:UpperCorner></ows:WGS84BoundingBox>
    </wfs:FeatureType>
    <wfs:FeatureType>
      <wfs:Name>herne:drain_inlets</wfs:Name><wfs:Title>Strassenablaeufe</wfs:Title>
      <wfs:DefaultSRS>urn:ogc:def:crs:EPSG::25832</wfs:DefaultSRS>
      <ows:WGS84BoundingBox><ows:LowerCorner>7.13 51.50</ows:LowerCorner>
        <ows:UpperCorner>7.27 51.57</ows:UpperCorner></ows:WGS84BoundingBox>
    </wfs:FeatureType>
  </wfs:FeatureTypeList>
</wfs:WFS_Capabilities>
"""

WFS_DESCRIBE = """<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml"
    xmlns:herne="https://herne.de/twin" targetNamespace="https://herne.de/twin"
    elementFormDefault="qualified">
  <xsd:import namespace="http://www.opengis.net/gml"
      schemaLocation="http://schemas.opengis.net/gml/3.1.1/base/gml.xsd"/>
  <xsd:complexType name="street_lightsType">
    <xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
      <xsd:element name="light_id" type="xsd:string"/>
      <xsd:element name="street" type="xsd:string"/>
      <xsd:element name="geometry" type="gml:PointPropertyType"/>
    </xsd:sequence></xsd:extension></xsd:complexContent>
  </xsd:complexType>
  <xsd:element name="street_lights" type="herne:street_lightsType" substitutionGroup="gml:_Feature"/>
  <xsd:complexType name="drain_inletsType">
    <xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
      <xsd:element name="inlet_id" type="xsd:string"/>
      <xsd:element name="geometry" type="gml:PointPropertyType"/>
    </xsd:sequence></xsd:extension></xsd:complexContent>
  </xsd:complexType>
  <xsd:element name="drain_inlets" type="herne:drain_inletsType" substitutionGroup="gml:_Feature"/>
</xsd:schema>
"""

WMS_EXCEPTION = """<?xml version="1.0" encoding="UTF-8"?>
<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">
  <ExceptionReportError code="InvalidParameterValue">Workspace geoportal ist voruebergehend
    deaktiviert</ExceptionReportError>
</ServiceExceptionReport>
"""

ENTITY_XML = """<?xml version="1.0"?>
<!DOCTYPE WMS_Capabilities [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<WMS_Capabilities version="1.3.0"><Service><Title>&lol2;</Title></Service></WMS_Capabilities>
"""

EXTERNAL_ENTITY_XML = """<?xml version="1.0"?>
<!DOCTYPE WMS_Capabilities [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<WMS_Capabilities version="1.3.0"><Service><Title>&secret;</Title></Service></WMS_Capabilities>
"""

OAPIF_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"

#: A small PNG (1x1 transparent pixel) for GetMap.
PNG_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _oapif_landing(base, prefix):
    root = base + prefix
    return {
        "title": "Herne Testdienst OGC API",
        "links": [
            {"rel": "self", "type": "application/json", "href": root},
            {"rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "href": root + "/api"},
            {"rel": "conformance", "type": "application/json", "href": root + "/conformance"},
            {"rel": "data", "type": "application/json", "href": root + "/collections"},
        ],
    }


def _oapif_collection(base, prefix, collection_id, title):
    root = base + prefix + "/collections/" + collection_id
    return {
        "id": collection_id,
        "title": title,
        "extent": {"spatial": {"bbox": [[7.13, 51.50, 7.27, 51.57]]}},
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/EPSG/0/25832"],
        "links": [
            {"rel": "self", "type": "application/json", "href": root},
            {"rel": "items", "type": "application/geo+json", "href": root + "/items"},
        ],
    }


OAPIF_COLLECTIONS = (("sensors", "Sensoren"), ("trees", "Strassenbaeume"))

OAPIF_ITEMS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "s1", "geometry": {"type": "Point", "coordinates": [7.2207, 51.5386]},
         "properties": {"name": "Pegel Rathaus", "kind": "water_level"}},
        {"type": "Feature", "id": "s2", "geometry": {"type": "Point", "coordinates": [7.1999, 51.5440]},
         "properties": {"name": "Luft Cranger Str.", "kind": "air_quality"}},
    ],
    "links": [],
    "numberReturned": 2,
}

STA_ROOT = {
    "value": [
        {"name": name, "url": "{base}/sta/v1.1/" + name}
        for name in ("Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors",
                     "ObservedProperties", "Observations", "FeaturesOfInterest")
    ],
    "serverSettings": {"conformance": ["http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel"]},
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "HerneFixture/1.0"

    def log_message(self, *_args):  # keep pytest output clean
        pass

    # -- helpers ---------------------------------------------------------------------
    def _send(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _xml(self, text, status=200, content_type="text/xml; charset=utf-8"):
        self._send(status, text.replace("{base}", self.server.base_url), content_type)

    def _json(self, document, status=200, headers=(), content_type="application/json"):
        text = json.dumps(document).replace("{base}", self.server.base_url)
        self._send(status, text, content_type, headers)

    # -- routing -----------------------------------------------------------------------
    def do_GET(self):  # noqa: N802 (http.server API)
        parts = urllib.parse.urlsplit(self.path)
        query = {key.lower(): value for key, value in urllib.parse.parse_qsl(parts.query)}
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = parts.path.rstrip("/") or "/"
        for prefix, route in _ROUTES:
            if path == prefix or path.startswith(prefix + "/"):
                return route(self, path[len(prefix):], query)
        return self._send(404, "no such fixture: " + path)

    def wms(self, _rest, query):
        request = query.get("request", "").lower()
        if request == "getmap":
            return self._send(200, PNG_PIXEL, "image/png")
        if query.get("version") == "1.1.1":
            return self._xml(WMS_111, content_type="application/vnd.ogc.wms_xml")
        return self._xml(WMS_130)

    def wfs(self, _rest, query):
        request = query.get("request", "").lower()
        if request == "describefeaturetype":
            return self._xml(WFS_DESCRIBE, content_type="text/xml; subtype=gml/3.1.1")
        if request == "getfeature":
            return self._xml(
                '<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" '
                'numberOfFeatures="0"/>'
            )
        return self._xml(WFS_110)

    def oapif(self, rest, _query, prefix="/oapif", conformance=(OAPIF_CORE,)):
        base = self.server.base_url
        if rest == "":
            return self._json(_oapif_landing(base, prefix))
        if rest == "/api":
            return self._json({"openapi": "3.0.2", "info": {"title": "Herne", "version": "1"}, "paths": {}},
                              content_type="application/vnd.oai.openapi+json;version=3.0")
        if rest == "/conformance":
            return self._json({"conformsTo": list(conformance)})
        if rest == "/collections":
            return self._json({
                "collections": [_oapif_collection(base, prefix, cid, title) for cid, title in OAPIF_COLLECTIONS],
                "links": [],
            })
        for collection_id, title in OAPIF_COLLECTIONS:
            if rest == "/collections/" + collection_id:
                return self._json(_oapif_collection(base, prefix, collection_id, title))
            if rest == "/collections/" + collection_id + "/items":
                return self._json(OAPIF_ITEMS, content_type="application/geo+json")
        return self._json({"code": "NotFound", "description": "no such resource"}, status=404)

    def tiles_only_api(self, rest, query):
        """An OGC API landing page without Features conformance (OGC API Tiles only)."""
        return self.oapif(rest, query, "/tiles-api", ("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",))

    def not_xml(self, _rest, _query):
        return self._send(200, "Wartungsarbeiten bis 14 Uhr. Bitte spaeter erneut versuchen.")

    def html(self, _rest, _query):
        return self._send(200, "<!DOCTYPE html><html><head><title>Geoportal</title></head>"
                               "<body><p>Willkommen<br></body></html>", "text/html")

    def status(self, rest, _query):
        code = int(rest.strip("/") or 500)
        headers = [("WWW-Authenticate", 'Basic realm="herne"')] if code == 401 else []
        body = "<html><body><h1>{}</h1></body></html>".format(code)
        return self._send(code, body, "text/html", headers)

    def server_exception(self, _rest, _query):
        return self._xml(WMS_EXCEPTION)

    def bad_request_exception(self, _rest, _query):
        return self._xml(
            '<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" '
            'version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue">'
            "<ows:ExceptionText>Unknown service: WFX</ows:ExceptionText></ows:Exception></ows:ExceptionReport>",
            status=400,
        )

    def hang(self, _rest, _query):
        """Accept the request and never answer (until the server stops)."""
        self.server.stopping.wait(60)

    def huge(self, _rest, query):
        """About ``mb`` MB of XML; with ?length=1 it announces its size up front."""
        size = int(float(query.get("mb", "3")) * 1024 * 1024)
        chunk = b"<Layer><Name>x</Name></Layer>" * 2048
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        if query.get("length") == "1":
            self.send_header("Content-Length", str(size))
        self.end_headers()
        sent = 0
        try:
            while sent < size and not self.server.stopping.is_set():
                piece = chunk[: size - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: that is the point

    def entity(self, _rest, _query):
        return self._xml(ENTITY_XML)

    def external_entity(self, _rest, _query):
        return self._xml(EXTERNAL_ENTITY_XML)

    def dtd(self, _rest, _query):
        self.server.dtd_fetches += 1
        return self._send(200, "<!ENTITY boom 'boom'>", "application/xml-dtd")

    def sensorthings(self, rest, _query):
        if rest in ("/v1.1", ""):
            return self._json(STA_ROOT)
        return self._json({"value": []})

    def ngsi(self, rest, query):
        if rest == "/v2":
            return self._json({"entities_url": "/v2/entities", "types_url": "/v2/types",
                               "subscriptions_url": "/v2/subscriptions", "registrations_url": "/v2/registrations"})
        if rest == "/v2/entities":
            if self.headers.get("Fiware-Service") != "herne" or self.headers.get("Fiware-ServicePath") != "/sensors":
                return self._json({"error": "BadRequest", "description": "unknown service"}, status=400)
            count = [("Fiware-Total-Count", "3")] if query.get("options") == "count" else []
            return self._json([{"id": "urn:ngsi-ld:WaterLevel:1", "type": "WaterLevel"}], headers=count)
        return self._json({"error": "NotFound", "description": "no such resource"}, status=404)

    def basic(self, rest, query):
        """/basic/wms: the WMS behind HTTP Basic authentication."""
        expected = "Basic " + base64.b64encode("{}:{}".format(BASIC_USER, BASIC_PASSWORD).encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._send(401, "credentials needed", headers=[("WWW-Authenticate", 'Basic realm="herne"')])
        return self.wms(rest, query)

    def redirect_same(self, _rest, _query):
        location = self.server.base_url + "/wms?SERVICE=WMS&REQUEST=GetCapabilities"
        return self._send(302, "", headers=[("Location", location)])

    def redirect_away(self, _rest, _query):
        # localhost is another origin than 127.0.0.1: the redirect must not be followed.
        away = self.server.base_url.replace("127.0.0.1", "localhost")
        return self._send(302, "", headers=[("Location", away + "/wms?token=abc")])


_ROUTES = (
    ("/wms", _Handler.wms),
    ("/wfs", _Handler.wfs),
    ("/oapif", _Handler.oapif),
    ("/tiles-api", _Handler.tiles_only_api),
    ("/not-xml", _Handler.not_xml),
    ("/html", _Handler.html),
    ("/status", _Handler.status),
    ("/exception", _Handler.server_exception),
    ("/ows-exception", _Handler.bad_request_exception),
    ("/hang", _Handler.hang),
    ("/huge", _Handler.huge),
    ("/entity", _Handler.entity),
    ("/external-entity", _Handler.external_entity),
    ("/dtd", _Handler.dtd),
    ("/sta", _Handler.sensorthings),
    ("/ngsi", _Handler.ngsi),
    ("/basic", _Handler.basic),
    ("/redirect-same", _Handler.redirect_same),
    ("/redirect-away", _Handler.redirect_away),
)


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base_url = "http://127.0.0.1:{}".format(self.server_address[1])
        self.requests = []
        self.dtd_fetches = 0
        self.stopping = threading.Event()
        self._thread = None

    @property
    def port(self):
        return self.server_address[1]

    def url(self, path):
        return self.base_url + path

    def paths(self):
        return [path for path, _headers in self.requests]

    def __enter__(self):
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), name="fixture-http", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


def unused_port():
    """A 127.0.0.1 port nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentTcpServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte (a hung service)."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self.port = self._socket.getsockname()[1]
        self._accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        try:
            while True:
                connection, _address = self._socket.accept()
                self._accepted.append(connection)
        except OSError:  # closed
            pass

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._socket.close()
        for connection in self._accepted:
            connection.close()


# -- pytest fixtures (import them into a test module by name) --------------------------

@pytest.fixture
def fixture_server():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def catalog_settings(tmp_path):
    """PluginSettings on an ini file of its own; ``.ini_path`` is that file."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from herne_twin_plugin.core.settings import PluginSettings

    ini_path = tmp_path / "catalog-settings.ini"
    settings = PluginSettings(QgsSettings(str(ini_path), QSettings.IniFormat))
    settings.ini_path = ini_path
    return settings


@pytest.fixture(scope="session")
def basic_authcfg(qgis_app):
    """The id of a Basic auth config holding BASIC_USER/BASIC_PASSWORD, in the test
    profile's auth database (pytest-qgis uses a temporary QGIS profile)."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if manager.isDisabled():
        pytest.skip("the QGIS authentication system is disabled")
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("pytest-master-password", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("Herne fixture (Basic)")
    config.setConfig("username", BASIC_USER)
    config.setConfig("password", BASIC_PASSWORD)
    assert manager.storeAuthenticationConfig(config)[0]
    return config.id()
