"""Reading what a service offers: OGC capabilities (XML) and OGC API / SensorThings /
NGSI entry points (JSON).

XML from a server is parsed with expat directly, hardened the way defusedxml does it:
entity declarations, external entities and skipped (undeclared) entities are refused,
nothing is fetched, and the size is limited before parsing. A bare DOCTYPE without
entity declarations is allowed because WMS 1.1.1 capabilities (GeoServer, MapServer)
always start with one; its DTD is never read.
"""

import json
import xml.parsers.expat
from dataclasses import dataclass, field
from xml.etree.ElementTree import TreeBuilder

#: Capabilities of large GeoServers reach a few MB; 20 MB leaves room and stops abuse.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

OAPIF_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
PREFERRED_CRS = ("EPSG:25832", "EPSG:3857", "EPSG:4326")


class CapabilitiesError(ValueError):
    """An answer that cannot be used; subclasses say why."""


class AnswerTooLargeError(CapabilitiesError):
    pass


class UnsafeXmlError(CapabilitiesError):
    pass


class NotXmlError(CapabilitiesError):
    pass


class NotJsonError(CapabilitiesError):
    pass


class ExceptionReportError(CapabilitiesError):
    """The server answered with an OGC (Service)ExceptionReport; ``str()`` is its text."""


class WrongServiceError(CapabilitiesError):
    """The answer is a valid document of another kind; ``found`` names it."""

    def __init__(self, found):
        super().__init__(found)
        self.found = found


@dataclass
class LayerInfo:
    """A layer (WMS), feature type (WFS), collection (OAPIF) or entity set (STA)."""

    name: str  # empty for WMS group layers that cannot be requested themselves
    title: str = ""
    crs: tuple = ()
    children: list = field(default_factory=list)

    @property
    def label(self):
        return self.title or self.name

    def preferred_crs(self, fallback=PREFERRED_CRS[0]):
        """EPSG:25832 when offered, else a common CRS, else the first offered;
        ``fallback`` (the city's EPSG:25832) when the layer does not say."""
        offered = [code.upper() for code in self.crs]
        for code in PREFERRED_CRS:
            if code in offered:
                return code
        if "CRS:84" in offered:
            return "EPSG:4326"
        return offered[0] if offered else fallback


@dataclass
class Capabilities:
    service: str  # "WMS", "WFS", "OAPIF", "SensorThings", "NGSI"
    version: str = ""
    title: str = ""
    layers: list = field(default_factory=list)  # top of the layer tree

    def named_layers(self):
        """All requestable layers, depth first."""
        found = []

        def walk(layers):
            for layer in layers:
                if layer.name:
                    found.append(layer)
                walk(layer.children)

        walk(self.layers)
        return found

    def top_level_layers(self):
        """What "add all" adds: for WMS the named children of the root layer (the
        root itself when it has none); for the other services every layer."""
        if self.service != "WMS":
            return self.named_layers()
        found = []
        for root in self.layers:
            children = [layer for layer in root.children if layer.name]
            if children:
                found.extend(children)
            elif root.name:
                found.append(root)
        return found

    def find(self, name):
        for layer in self.named_layers():
            if layer.name == name:
                return layer
        return None


# -- safe XML ------------------------------------------------------------------------

def _refuse(what):
    def handler(*_args):
        raise UnsafeXmlError(what)

    return handler


def parse_xml(data, max_bytes=DEFAULT_MAX_BYTES):
    """Parse ``data`` (bytes) into an ElementTree element, refusing entities.

    Element names come back in ElementTree's ``{namespace}local`` form.
    """
    if len(data) > max_bytes:
        raise AnswerTooLargeError(len(data))
    builder = TreeBuilder()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse("entity declaration")
    parser.UnparsedEntityDeclHandler = _refuse("unparsed entity declaration")
    parser.ExternalEntityRefHandler = _refuse("external entity")
    parser.SkippedEntityHandler = _refuse("undeclared entity")
    parser.buffer_text = True

    def qualified(name):
        namespace, _sep, local = name.rpartition(" ")
        return "{%s}%s" % (namespace, local) if namespace else local

    parser.StartElementHandler = lambda name, attrs: builder.start(
        qualified(name), {qualified(key): value for key, value in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except xml.parsers.expat.ExpatError as error:
        raise NotXmlError(str(error)) from error
    except AssertionError as error:  # TreeBuilder.close() on an empty document
        raise NotXmlError(str(error)) from error


def local_name(element):
    return element.tag.rpartition("}")[2]


def _children(element, name):
    return [child for child in element if local_name(child) == name]


def _child(element, name):
    for child in element:
        if local_name(child) == name:
            return child
    return None


def _text(element, name):
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _exception_text(root):
    texts = []
    for element in root.iter():
        if local_name(element) in ("ExceptionReportError", "ExceptionText"):
            text = " ".join((element.text or "").split())
            if text:
                texts.append(text)
    return " / ".join(texts) or local_name(root)


_ROOTS = {
    "WMS_Capabilities": "WMS",
    "WMT_MS_Capabilities": "WMS",
    "WFS_Capabilities": "WFS",
    "Capabilities": "WMTS",
    "WCS_Capabilities": "WCS",
    "html": "HTML",
}


def read_capabilities(data, expected, max_bytes=DEFAULT_MAX_BYTES):
    """Parse WMS or WFS GetCapabilities ``data``; ``expected`` is "WMS" or "WFS".

    Raises ExceptionReportError for an exception report, WrongServiceError for another kind of
    document, NotXmlError/UnsafeXmlError/AnswerTooLargeError for unusable bytes.
    """
    root = parse_xml(data, max_bytes)
    kind = local_name(root)
    if kind in ("ServiceExceptionReport", "ExceptionReport"):
        raise ExceptionReportError(_exception_text(root))
    found = _ROOTS.get(kind, kind)
    if kind == "WCS_Capabilities" or (kind == "Capabilities" and "wcs" in root.tag.lower()):
        found = "WCS"
    if found != expected:
        raise WrongServiceError(found)
    version = root.get("version", "")
    if expected == "WMS":
        return _read_wms(root, version)
    return _read_wfs(root, version)


def _read_wms(root, version):
    service = _child(root, "Service")
    capability = _child(root, "Capability")
    layers = [_read_wms_layer(layer, ()) for layer in _children(capability, "Layer")] if capability is not None else []
    return Capabilities("WMS", version, _text(service, "Title"), layers)


def _read_wms_layer(element, inherited_crs):
    # CRS (1.3.0) and SRS (1.1.1) are inherited by child layers.
    own = []
    for tag in ("CRS", "SRS"):
        for child in _children(element, tag):
            own.extend((child.text or "").split())
    crs = tuple(dict.fromkeys(list(inherited_crs) + own))
    return LayerInfo(
        name=_text(element, "Name"),
        title=_text(element, "Title"),
        crs=crs,
        children=[_read_wms_layer(child, crs) for child in _children(element, "Layer")],
    )


def crs_code(srs):
    """'EPSG:25832' from 'urn:ogc:def:crs:EPSG::25832', '.../epsg.xml#25832',
    'http://www.opengis.net/def/crs/EPSG/0/25832' or 'EPSG:25832'; 'CRS:84' from
    the OGC URIs of CRS84; anything else unchanged."""
    srs = srs.strip()
    if srs.upper().endswith("CRS84"):
        return "CRS:84"
    for separator in ("::", "#", "/", ":"):
        if separator in srs:
            code = srs.rsplit(separator, 1)[1]
            if code.isdigit():
                return "EPSG:" + code
    return srs


def _read_wfs(root, version):
    identification = _child(root, "ServiceIdentification")  # WFS 1.1 / 2.0 (OWS)
    title = _text(identification, "Title") if identification is not None else _text(_child(root, "Service"), "Title")
    layers = []
    type_list = _child(root, "FeatureTypeList")
    for feature_type in _children(type_list, "FeatureType") if type_list is not None else []:
        crs = []
        for tag in ("DefaultSRS", "DefaultCRS", "SRS", "OtherSRS", "OtherCRS"):
            crs.extend(crs_code(child.text or "") for child in _children(feature_type, tag))
        layers.append(
            LayerInfo(
                name=_text(feature_type, "Name"),
                title=_text(feature_type, "Title"),
                crs=tuple(dict.fromkeys(code for code in crs if code)),
            )
        )
    return Capabilities("WFS", version, title, layers)


# -- JSON entry points -----------------------------------------------------------------

def parse_json(data, max_bytes=DEFAULT_MAX_BYTES):
    if len(data) > max_bytes:
        raise AnswerTooLargeError(len(data))
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise NotJsonError(str(error)) from error


def link_href(document, relation):
    """The href of the first link with rel ``relation`` in an OGC API document."""
    for link in document.get("links") or () if isinstance(document, dict) else ():
        if isinstance(link, dict) and link.get("rel") == relation and link.get("href"):
            return link["href"]
    return ""


def read_oapif_landing(document):
    """Title of an OGC API landing page; WrongServiceError if it is not one."""
    if not isinstance(document, dict) or not isinstance(document.get("links"), list):
        raise WrongServiceError("JSON")
    return str(document.get("title") or "")


def check_oapif_conformance(document):
    classes = document.get("conformsTo") if isinstance(document, dict) else None
    if not isinstance(classes, list) or OAPIF_CORE not in classes:
        raise WrongServiceError("OGC API")


def read_oapif_collections(document, title=""):
    collections = document.get("collections") if isinstance(document, dict) else None
    if not isinstance(collections, list):
        raise WrongServiceError("JSON")
    layers = []
    for collection in collections:
        if isinstance(collection, dict) and collection.get("id"):
            crs = tuple(crs_code(uri) for uri in collection.get("crs") or () if isinstance(uri, str))
            layers.append(LayerInfo(str(collection["id"]), str(collection.get("title") or ""), crs))
    return Capabilities("OAPIF", "1.0", title, layers)


def read_sensorthings_root(document):
    """The entity sets of a SensorThings service root (``{"value": [{name, url}]}``)."""
    entries = document.get("value") if isinstance(document, dict) else None
    names = [entry.get("name") for entry in entries or () if isinstance(entry, dict)]
    if not isinstance(entries, list) or "Datastreams" not in names:
        raise WrongServiceError("JSON")
    settings = document.get("serverSettings") or {}
    version = "1.1" if settings else "1.0"
    return Capabilities("SensorThings", version, "", [LayerInfo(str(name)) for name in names if name])


def read_ngsi_entry_point(document):
    """The NGSI v2 API entry point (``GET /v2``) lists ``entities_url``."""
    if not isinstance(document, dict) or "entities_url" not in document:
        raise WrongServiceError("JSON")
    return Capabilities("NGSI", "v2")
