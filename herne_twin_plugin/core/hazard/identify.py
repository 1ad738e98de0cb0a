"""Identify answers of the hazard map services, read as water depth (cm) or flow speed (m/s).

WMS GetFeatureInfo answers come in many dresses; this reads the ones the hazard services
give:

- plain text: the BKG's ``Tiefe = 31.0`` and ``Geschwindigkeit = 0.4``, QGIS Server's
  ``Layer 'extremregen'`` / ``depth_class = '30-50'`` / ``Band 1 = 31.0``;
- JSON (a GeoJSON FeatureCollection: ``properties.Tiefe``);
- XML (QGIS Server's ``<Attribute name=... value=...>``, GML with the values as elements);
- HTML tables (``<th>Tiefe</th><td>31.0</td>``).

The BKG gives depths in cm and speeds in m/s. ``-9999`` (and anything below it) is the
services' "no value": it becomes None, never 0. A raster band's value, or a value of a
layer named like the BKG's ``*_tiefe_*``/``*_geschw_*``, takes its quantity from the
layer's name (depth where the name tells nothing else).
"""

import json
import re
from dataclasses import dataclass

from qgis.core import QgsRaster, QgsRasterDataProvider

from ..services.capabilities import CapabilitiesError, local_name, parse_xml
from .scenarios import BKG_NO_VALUE, CLASS_NAMES, code_of_class_value

DEPTH = "depth"
SPEED = "speed"
DEPTH_CLASS = "depth_class"
UNITS = {DEPTH: "cm", SPEED: "m/s", DEPTH_CLASS: ""}

_DEPTH_KEYS = ("tiefe", "wassertiefe", "ueberflutungstiefe", "überflutungstiefe", "depth", "depth_cm",
               "water_depth", "max_depth_cm")
_DEPTH_M_KEYS = ("depth_m", "tiefe_m", "wassertiefe_m")
_SPEED_KEYS = ("geschwindigkeit", "fliessgeschwindigkeit", "fließgeschwindigkeit", "speed", "velocity",
               "flow_speed", "speed_ms")
_CLASS_KEYS = ("depth_class", "tiefenklasse", "klasse")
_BAND_KEYS = ("band 1", "band_1", "band1", "gray_index", "value", "value_0", "wert", "pixel")
_LAYER_LINE = re.compile(r"^\s*Layer\s+['\"]?(?P<name>[^'\"]+?)['\"]?\s*:?\s*$", re.IGNORECASE)
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^=]+?)\s*=\s*(?P<value>.*?)\s*$")
_KEY_COLON = re.compile(r"^\s*(?P<key>[^:]+?)\s*:\s*(?P<value>.*?)\s*$")
_UNIT = re.compile(r"\((?P<unit>[^)]*)\)")
_HTML_PAIR = re.compile(r"<t[hd][^>]*>\s*(?P<key>[^<]+?)\s*</t[hd]>\s*<td[^>]*>\s*(?P<value>[^<]*?)\s*</td>",
                        re.IGNORECASE | re.DOTALL)
_HTML_LAYER = re.compile(r"<(?:caption|h\d)[^>]*>\s*(?P<name>[^<]+?)\s*</(?:caption|h\d)>", re.IGNORECASE)


@dataclass(frozen=True)
class IdentifyValue:
    layer: str
    quantity: str  # DEPTH (cm), SPEED (m/s) or DEPTH_CLASS
    value: object  # float, None for "no value" (-9999); for DEPTH_CLASS the class name
    unit: str


def quantity_of_layer(layer_name):
    name = (layer_name or "").lower()
    if "geschw" in name or "speed" in name or "velocity" in name:
        return SPEED
    return DEPTH


def _number(text):
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        number = float(text)
    else:
        cleaned = str(text).strip().strip("'\"").replace(",", ".")
        cleaned = re.sub(r"\s*(cm|m/s|m)$", "", cleaned)
        try:
            number = float(cleaned)
        except ValueError:
            return None
    if number != number or number <= BKG_NO_VALUE:
        return None
    return number


def _key_kind(key):
    """(kind, factor to cm or m/s) of an answer's key: "Tiefe", "Band 1: Wassertiefe (cm)",
    "depth_m"; kind None where the key is no hazard value."""
    folded = key.strip().strip("'\"").lower()
    unit = _UNIT.search(folded)
    metres = unit is not None and unit.group("unit").strip() == "m"
    parts = [folded] + [part.strip() for part in folded.split(":")]
    parts = [_UNIT.sub("", part).strip() for part in parts]
    for kind, names, factor in ((DEPTH_CLASS, _CLASS_KEYS, 1.0), (DEPTH, _DEPTH_M_KEYS, 100.0),
                                (DEPTH, _DEPTH_KEYS, 100.0 if metres else 1.0), (SPEED, _SPEED_KEYS, 1.0)):
        if any(part in names for part in parts):
            return kind, factor
    if any(part in _BAND_KEYS for part in parts):
        return "band", 100.0 if metres else 1.0
    return None, 1.0


def _value(layer, key, raw):
    """The IdentifyValue of one key/value pair, or None where the key is not a hazard value."""
    kind, factor = _key_kind(key)
    if kind is None:
        return None
    if kind == DEPTH_CLASS:
        code = code_of_class_value(str(raw).strip().strip("'\"")) if raw is not None else None
        return IdentifyValue(layer, DEPTH_CLASS, CLASS_NAMES.get(code), "")
    if kind == "band":
        kind = quantity_of_layer(layer)
    number = _number(raw)
    return IdentifyValue(layer, kind, None if number is None else number * factor, UNITS[kind])


def _pairs(pairs, default_layer):
    values = []
    for layer, key, raw in pairs:
        value = _value(layer or default_layer, key, raw)
        if value is not None:
            values.append(value)
    return values


def _text_pairs(text):
    layer = ""
    for line in text.splitlines():
        match = _LAYER_LINE.match(line)
        if match:
            layer = match.group("name")
            continue
        match = _KEY_VALUE.match(line) or _KEY_COLON.match(line)
        if match:
            yield layer, match.group("key"), match.group("value")


def _json_pairs(document):
    features = document.get("features", []) if isinstance(document, dict) else []
    if isinstance(document, dict) and "properties" in document and not features:
        features = [document]
    for feature in features:
        if not isinstance(feature, dict):
            continue
        layer = str(feature.get("layerName") or feature.get("layer") or feature.get("id") or "").split(".")[0]
        for key, raw in (feature.get("properties") or {}).items():
            yield layer, str(key), raw


def _xml_pairs(root):
    def walk(element, layer):
        name = local_name(element)
        if name.lower() == "layer" and element.get("name"):
            layer = element.get("name")
        elif name.lower().endswith("_layer"):  # GML: <nw_tiefe_agw_layer>
            layer = name[: -len("_layer")]
        if name.lower() == "attribute" and element.get("name") is not None:
            yield layer, element.get("name"), element.get("value")
        elif len(element) == 0 and element.text and element.text.strip():
            yield layer, name, element.text.strip()
        for child in element:
            yield from walk(child, layer)

    yield from walk(root, "")


def _html_pairs(text):
    layer_match = _HTML_LAYER.search(text)
    layer = layer_match.group("name") if layer_match else ""
    for match in _HTML_PAIR.finditer(text):
        yield layer, match.group("key"), match.group("value")


def parse_feature_info(answer, content_type="", layer=""):
    """[IdentifyValue] in a GetFeatureInfo answer (bytes or text). ``layer`` names the
    queried layer where the answer does not."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, (bytes, bytearray)) else str(answer or "")
    kind = (content_type or "").lower()
    stripped = text.lstrip()
    if "json" in kind or stripped.startswith("{"):
        try:
            return _pairs(_json_pairs(json.loads(text)), layer)
        except ValueError:
            pass
    if "html" in kind or stripped.lower().startswith(("<html", "<!doctype html", "<table")):
        return _pairs(_html_pairs(text), layer)
    if "xml" in kind or "gml" in kind or stripped.startswith("<"):
        try:
            return _pairs(_xml_pairs(parse_xml(text.encode("utf-8"))), layer)
        except CapabilitiesError:
            return []
    return _pairs(_text_pairs(text), layer)


def depth_cm(values):
    """The deepest water depth (cm) among ``values``; None where none has a value."""
    depths = [v.value for v in values if v.quantity == DEPTH and v.value is not None]
    return max(depths) if depths else None


def speed_ms(values):
    speeds = [v.value for v in values if v.quantity == SPEED and v.value is not None]
    return max(speeds) if speeds else None


def identify_hazard(layer, point, extent=None, width=0, height=0):
    """Ask a hazard layer (a WMS or a local raster) at ``point`` (in the layer's CRS) and
    read the answer as [IdentifyValue]. A WMS is asked through QGIS's networking (proxy and
    authcfg apply); this call blocks until it answers."""
    provider = layer.dataProvider()
    capabilities = provider.capabilities()
    if capabilities & QgsRasterDataProvider.IdentifyValue and layer.providerType() == "gdal":
        # a local depth raster: inside it a cell without water is dry (0 cm), outside it there is no value
        inside = layer.extent().contains(point)
        result = provider.identify(point, QgsRaster.IdentifyFormatValue)
        quantity = quantity_of_layer(layer.name())
        values = []
        for _band, raw in sorted((result.results() or {}).items())[:1]:
            number = _number(raw) if inside else None
            if inside and (number is None or number < 0):
                number = 0.0
            values.append(IdentifyValue(layer.name(), quantity, number, UNITS[quantity]))
        return values
    for identify_format, flag in ((QgsRaster.IdentifyFormatText, QgsRasterDataProvider.IdentifyText),
                                  (QgsRaster.IdentifyFormatHtml, QgsRasterDataProvider.IdentifyHtml)):
        if capabilities & flag:
            args = (point, identify_format) + ((extent, width, height) if extent is not None else ())
            result = provider.identify(*args)
            answers = [raw for raw in (result.results() or {}).values() if isinstance(raw, str)]
            values = []
            for answer in answers:
                values += parse_feature_info(answer, "text/html" if flag == QgsRasterDataProvider.IdentifyHtml
                                             else "", layer.name())
            return values
    return []
