"""The features of a WFS GetFeature answer (GML) as ServerFeatures, without QGIS.

Used by wfst.WfsTransport. Nothing here imports QGIS, Qt or the plugin's translations: what
cannot be read raises a ReadProblem subclass carrying the facts, and the transport words it
for the user.
"""

import io
import xml.etree.ElementTree as ElementTree

try:
    from lxml import etree
except ImportError:  # pragma: no cover - QGIS's Python on Debian depends on python3-lxml (then nothing streams)
    etree = None

from . import base, gml

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
GML_31 = "http://www.opengis.net/gml"


class ReadProblem(ValueError):  # noqa: N818 (the transport words it as its TransportError)
    """An answer, a value or a geometry that cannot be read."""


class BadValue(ReadProblem):
    """``text`` of field ``name`` is no value of the package type ``field_type``."""

    def __init__(self, name, field_type, text):
        super().__init__(name, field_type, text)
        self.name, self.field_type, self.text = name, field_type, text


class BadGeometry(ReadProblem):
    """A GML geometry the reader does not know; ``details`` names it with the start of its XML."""

    def __init__(self, details):
        super().__init__(details)
        self.details = details


class NotXml(ReadProblem):
    """The answer is not well-formed XML; ``details`` is the parser's message."""

    def __init__(self, details):
        super().__init__(details)
        self.details = details


class NotACollection(ReadProblem):
    """The answer's root element ``element`` is no FeatureCollection."""

    def __init__(self, element):
        super().__init__(element)
        self.element = element


def _int_text(text):
    try:
        return int(text)
    except ValueError:
        return int(float(text))  # '12.0', '1e3': as normalise_value reads them


def _bool_text(text):
    return text.strip().lower() in ("1", "true", "t", "yes")


# What normalise_value does with a text, without its checks for other kinds of value.
_TEXT_CONVERTERS = {"str": str, "int": _int_text, "real": float, "bool": _bool_text, "date": lambda text: text[:10]}


def text_converter(field_type):
    """A function giving for a server's text what ``base.normalise_value(text, field_type)``
    gives (for reading thousands of features: no per-value dispatch on the type)."""
    converter = _TEXT_CONVERTERS.get(field_type)
    if converter is None:
        return lambda text: base.normalise_value(text, field_type)
    return converter


class Schema:
    """What reading a layer's answers needs (compared to build a reader once per schema): the
    server's fields [(name, type)], the package's fields [(name, type)], the key column, the
    geometry property, the feature type's namespace and local name, the GML namespace and the
    names of the member elements of the WFS version."""

    def __init__(self, server_fields, package_fields, key_column, geometry_property, namespace, type_name,
                 gml_namespace, members):
        self.server_fields, self.package_fields = tuple(server_fields), tuple(package_fields)
        self.key_column, self.geometry_property = key_column, geometry_property
        self.namespace, self.type_name = namespace, type_name
        self.gml_namespace, self.members = gml_namespace, tuple(members)

    def _identity(self):
        return (self.server_fields, self.package_fields, self.key_column, self.geometry_property, self.namespace,
                self.type_name, self.gml_namespace, self.members)

    def __eq__(self, other):
        return isinstance(other, Schema) and self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())


def feature_reader(schema):
    """A function reading one feature element into a ServerFeature (an empty optional element
    is omitted by servers: NULL), built once per schema: the per-field type dispatch is done
    here, not per value."""
    package_types = dict(schema.package_fields)
    package_names = list(package_types)
    converters = {name: text_converter(package_types[name]) for name, _ in schema.server_fields
                  if name in package_types}
    extra_names = [name for name, _ in schema.server_fields if name not in package_types]
    key_column, geometry_property, make_feature = schema.key_column, schema.geometry_property, base.ServerFeature
    id_attributes = ("{%s}id" % schema.gml_namespace, "{%s}id" % GML_31, "fid")
    local, names = gml._local, gml._LOCAL_NAMES

    def read(element):
        values = dict.fromkeys(package_names)
        extra = dict.fromkeys(extra_names)
        geometry = None
        for child in element:
            name = names.get(child.tag) or local(child)
            converter = converters.get(name)
            if converter is None:
                if name == geometry_property:
                    geometry = _geometry_of(child)
                elif name in extra:
                    extra[name] = None if child.get(XSI_NIL) in ("true", "1") else (child.text or "")
                continue
            text = child.text
            if text is None:
                if child.get(XSI_NIL) in ("true", "1"):
                    values[name] = None
                    continue
                text = ""
            try:
                values[name] = converter(text)
            except (TypeError, ValueError):
                raise BadValue(name, package_types[name], text) from None
        server_id = element.get(id_attributes[0]) or element.get(id_attributes[1]) or \
            element.get(id_attributes[2], "")
        key = values.get(key_column)
        return make_feature(key=str(key) if key is not None else "", values=values, geometry=geometry,
                            server_id=server_id, version="", extra=extra)

    return read


def _geometry_of(property_element):
    """WKB hex of the GML geometry inside a feature's geometry property (package CRS)."""
    for geometry_element in property_element:
        try:
            return gml.to_wkb_hex(geometry_element)
        except ValueError as error:
            raise BadGeometry("{}: {}".format(error, _xml_text(geometry_element)[:300])) from None
    return None


def _xml_text(element):
    if etree is not None and isinstance(element, etree._Element):
        return etree.tostring(element, encoding="unicode")
    return ElementTree.tostring(element, encoding="unicode")


def stream(body, schema, read=None):
    """The features of a GetFeature answer's bytes, read one by one with lxml, each element
    freed once read (an answer of 50,000 buildings never lives as a whole tree). The caller
    has checked that the answer has no DTD and is no exception report."""
    read = read or feature_reader(schema)
    local = schema.type_name
    wanted = "{{{}}}{}".format(schema.namespace, local) if schema.namespace else None
    members, names = schema.members, gml._LOCAL_NAMES
    # remove_blank_text: the indentation between elements is not kept (a quarter less parsing; a
    # field's own text, blank or not, stays as sent)
    parser = etree.iterparse(io.BytesIO(body), events=("end",), tag=wanted, resolve_entities=False, no_network=True,
                             huge_tree=True, remove_comments=True, remove_pis=True, remove_blank_text=True,
                             collect_ids=False)
    try:
        for _event, element in parser:
            parent = element.getparent()
            if parent is None or (wanted is None and gml._local(element) != local):
                continue
            if (names.get(parent.tag) or gml._local(parent)) not in members:
                continue
            yield read(element)
            element.clear()
            while parent.getprevious() is not None:  # members read before: gone
                del parent.getparent()[0]
        root = parser.root
    except etree.XMLSyntaxError as error:
        raise NotXml(str(error)) from None
    if root is None or gml._local(root) != "FeatureCollection":
        raise NotACollection(gml._local(root) if root is not None else "nothing")
