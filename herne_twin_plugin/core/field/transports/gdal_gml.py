"""Large WFS GetFeature answers read by GDAL's GML driver (C) instead of Python.

The answer's bytes and a schema written here go to /vsimem; every server field is declared a
string in that schema, so GDAL guesses no type ('0012' stays '0012') and the raw texts go
through the same common.make_feature as the Python reader's (same normalisation). gml:id comes
as GDAL's gml_id, geometries as 2D ISO WKB.

``read()`` returns None wherever GDAL's reading could differ from the Python reader's, and the
caller reads that answer in Python: GDAL (or its GML driver) missing, an answer that is not a
plain FeatureCollection, texts GDAL would read otherwise (it drops leading whitespace and
reads an empty element as NULL where the Python reader reads ''), a character reference
(could be such whitespace), a field called gml_id, another number of features than the
answer's members, a geometry that is no Point/LineString/Polygon or their Multi form.
"""

import logging
import re
import threading
import uuid
from xml.sax.saxutils import quoteattr

try:
    from osgeo import gdal, ogr
except ImportError:  # pragma: no cover - python3-gdal is a dependency of QGIS's Python on Debian
    gdal = ogr = None

from . import common

LOGGER = logging.getLogger(__name__)

# Smaller answers are read in Python: GDAL's opening costs more than it saves there.
MIN_BYTES = 256 * 1024

_SIMPLE_TYPES = frozenset((1, 2, 3, 4, 5, 6))  # Point ... MultiPolygon
_LOCK = threading.Lock()  # gdal.UseExceptions() state is process-wide: not toggled concurrently
_ROOT = re.compile(rb"<(?:[\w.-]+:)?FeatureCollection\s[^>]*>")
_DECLARATION = re.compile(rb'xmlns:([\w.-]+)\s*=\s*["\']([^"\']*)["\']')


def available():
    return gdal is not None and gdal.GetDriverByName("GML") is not None


def _schema_xsd(type_name, namespace, fields, geometry_property, gml_namespace):
    """The layer's schema with every field a string, in the form QGIS Server writes (GDAL 3.6
    ignores a schema that spells XML Schema with a prefix)."""
    elements = ['<element name={} type="gml:GeometryPropertyType" minOccurs="0"/>'.format(
        quoteattr(geometry_property))] if geometry_property else []
    elements += ['<element name={} type="string" minOccurs="0" nillable="true"/>'.format(quoteattr(name))
                 for name, _type in fields]
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:gml={gml} xmlns:f={ns} '
            'targetNamespace={ns} elementFormDefault="qualified">'
            '<element name={name} type={type} substitutionGroup="gml:_Feature"/>'
            '<complexType name={type_name}><complexContent><extension base="gml:AbstractFeatureType">'
            '<sequence>{elements}</sequence></extension></complexContent></complexType>'
            '</schema>').format(gml=quoteattr(gml_namespace), ns=quoteattr(namespace or "urn:none"),
                                name=quoteattr(type_name), type=quoteattr("f:" + type_name + "Type"),
                                type_name=quoteattr(type_name + "Type"), elements="".join(elements)).encode("utf-8")


def _expected_count(body, type_name, namespace, geometry_property, gml_namespace):
    """The number of features in ``body`` where GDAL reads each of its texts as the Python
    reader does, else None. Scans only the feature namespace's elements (prefix from the root
    element): a field's text with leading whitespace, an empty or blank field (GDAL: trimmed,
    NULL; Python: as sent), a self-closed field without xsi:nil, a character reference; and
    every feature the one child of a member element (the Python reader passes over others)."""
    if b"<!DOCTYPE" in body or b"&#" in body or b"featureMembers" in body:
        return None
    root = _ROOT.search(body, 0, 4000)
    if root is None:
        return None
    prefixes = {}
    for prefix, uri in _DECLARATION.findall(root.group(0)):
        prefixes.setdefault(uri.decode("utf-8", "replace"), []).append(prefix)
    feature_prefixes = prefixes.get(namespace or "", [])
    if len(feature_prefixes) != 1:
        return None  # unprefixed or twice declared: not scanned here
    feature = re.escape(feature_prefixes[0] + b":")
    skip = b"|".join(re.escape(name.encode("utf-8")) for name in (type_name, geometry_property) if name)
    odd_text = re.compile(rb"<" + feature + rb"(?!(?:" + skip + rb")[\s>/])[^\s>/]+(?:\s[^>]*)?"
                          rb"(?:/>|(?<!/)>(?:[ \t\r\n]|</))")
    for match in odd_text.finditer(body):
        if not (match.group(0).endswith(b"/>") and b"nil" in match.group(0)):
            return None
    tag = feature_prefixes[0] + b":" + type_name.encode("utf-8")
    features = body.count(b"<" + tag + b" ") + body.count(b"<" + tag + b">")
    member = b"member" if gml_namespace.endswith("/3.2") else b"featureMember"
    members = sum(body.count(b"<" + prefix + b":" + member + end) for names in prefixes.values() for prefix in names
                  for end in (b">", b" "))
    return features if members == features else None


def read(body, layer, fields, geometry_property, namespace, gml_namespace):
    """The ServerFeatures of the GetFeature answer ``body`` read by GDAL, or None where the
    Python reader must read it (see the module docstring)."""
    type_name = layer.source_name.rpartition(":")[2]
    if len(body) < MIN_BYTES or not available() or any(name == "gml_id" for name, _ in fields):
        return None
    expected = _expected_count(body, type_name, namespace, geometry_property, gml_namespace)
    if expected is None:
        return None
    stem = "/vsimem/hernetwin_wfs_{}".format(uuid.uuid4().hex)
    gml_path, xsd_path = stem + ".gml", stem + ".xsd"
    with _LOCK:
        used_exceptions = gdal.GetUseExceptions()
        gdal.UseExceptions()
        try:
            gdal.FileFromMemBuffer(xsd_path, _schema_xsd(type_name, namespace, fields, geometry_property,
                                                         gml_namespace))
            gdal.FileFromMemBuffer(gml_path, body)
            return _features(gml_path, xsd_path, layer, fields, expected)
        except RuntimeError as error:
            LOGGER.info("GDAL did not read the WFS answer of %s (%s): read in Python", layer.source_name, error)
            return None
        finally:
            for path in gdal.ReadDir("/vsimem/") or ():
                if ("/vsimem/" + path).startswith(stem):
                    gdal.Unlink("/vsimem/" + path)  # also a .gfs GDAL may have written
            if not used_exceptions:
                gdal.DontUseExceptions()


def _features(gml_path, xsd_path, layer, fields, expected):
    dataset = gdal.OpenEx(gml_path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GML"], open_options=[
        "XSD=" + xsd_path, "EXPOSE_GML_ID=YES", "SWAP_COORDINATES=NO", "GML_ATTRIBUTES_TO_OGR_FIELDS=NO",
        "DOWNLOAD_SCHEMA=NO"])
    if dataset is None or dataset.GetLayerCount() != 1:
        return None
    source = dataset.GetLayer(0)
    definition = source.GetLayerDefn()
    names = [name for name, _ in fields]
    if [definition.GetFieldDefn(index).GetName() for index in range(definition.GetFieldCount())] != \
            ["gml_id"] + names or any(definition.GetFieldDefn(index).GetType() != ogr.OFTString
                                      for index in range(definition.GetFieldCount())):
        return None  # GDAL did not take the schema: it would guess types
    rows = _rows_by_columns(source, names) if hasattr(source, "GetArrowStreamAsNumPy") else \
        _rows_by_features(source, names)
    if rows is None:
        return None
    features = [common.make_feature(layer, raw, geometry, server_id) for server_id, raw, geometry in rows]
    if len(features) != expected:
        LOGGER.info("GDAL read %d of %d features of %s: read in Python", len(features), expected, layer.source_name)
        return None
    return features


def _wkb_hex(wkb):
    """Hex of a 2D little-endian simple-feature WKB (gml.py's form), else None."""
    if wkb[:1] != b"\x01" or wkb[1] not in _SIMPLE_TYPES or wkb[2:5] != b"\x00\x00\x00":
        return None
    return wkb.hex()


def _rows_by_columns(source, names):
    """(server id, {name: text or None}, WKB hex) of every feature, read as columns (GDAL 3.6+:
    one call per thousands of features instead of one per value)."""
    geometry_column = source.GetGeometryColumn() or "geometry"
    rows = []
    for batch in source.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES"]):
        columns = [[None if value is None else value.decode("utf-8") for value in batch[name].tolist()]
                   for name in names]
        ids = batch["gml_id"].tolist()
        shapes = batch[geometry_column].tolist() if geometry_column in batch else [None] * len(ids)
        for server_id, shape, values in zip(ids, shapes, zip(*columns) if columns else [()] * len(ids)):
            geometry = None
            if shape is not None:
                geometry = _wkb_hex(bytes(shape))
                if geometry is None:
                    return None  # 3D, curved or another type: the Python reader decides
            rows.append(((server_id or b"").decode("utf-8"), dict(zip(names, values)), geometry))
    return rows


def _rows_by_features(source, names):
    """What _rows_by_columns returns, feature by feature (GDAL before 3.6)."""
    rows, indexes = [], list(enumerate(names, start=1))
    for feature in source:
        raw = {name: feature.GetFieldAsString(index) if feature.IsFieldSetAndNotNull(index) else None
               for index, name in indexes}
        shape, geometry = feature.GetGeometryRef(), None
        if shape is not None:
            geometry = _wkb_hex(bytes(shape.ExportToIsoWkb(ogr.wkbNDR)))
            if geometry is None:
                return None
        rows.append((feature.GetFieldAsString(0) or "", raw, geometry))
    return rows
