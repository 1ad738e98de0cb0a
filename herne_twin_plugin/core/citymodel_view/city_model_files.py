"""Is this file a city model? A cheap look at its first bytes, for drag and drop.

Only the start of a file is read (``SNIFF_BYTES``), never parsed as XML or JSON, so a
huge, truncated or hostile file costs nothing here. A CityGML file is XML whose root is a
CityModel in a CityGML 1.0, 2.0 or 3.0 namespace; a CityJSON file is a JSON object with
"type": "CityJSON". XML that declares entities (the "billion laughs" attack and external
entities start that way) is refused before any importer sees it.
"""

import codecs
import os
import re
from dataclasses import dataclass

from ..i18n import tr

CITYGML = "citygml"
CITYJSON = "cityjson"
SNIFF_BYTES = 64 * 1024
XML_SUFFIXES = (".gml", ".xml")
JSON_SUFFIXES = (".json", ".cityjson")

_CITYGML_NAMESPACE = re.compile(r"https?://www\.opengis\.net/citygml/(?:1\.0|2\.0|3\.0)\b")
_CITYMODEL_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?CityModel[\s>/]")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_CITYJSON_TYPE = re.compile(r'"type"\s*:\s*"CityJSON"')


@dataclass(frozen=True)
class CityModelFile:
    path: str
    kind: str = None  # CITYGML, CITYJSON or None
    refusal: str = None  # why a file that looks like a city model is not imported

    @property
    def accepted(self):
        return self.kind is not None and self.refusal is None


def inspect_file(path):
    """What ``path`` is: a CityModelFile with ``kind`` None for anything else."""
    path = os.fspath(path)
    name = os.path.basename(path).lower()
    if name.endswith(XML_SUFFIXES):
        expected = CITYGML
    elif name.endswith(JSON_SUFFIXES):
        expected = CITYJSON
    else:
        return CityModelFile(path)
    head = _read_head(path)
    if head is None:
        return CityModelFile(path)
    if expected == CITYGML:
        return _inspect_xml(path, head)
    return _inspect_json(path, head)


def city_model_files(paths):
    """The accepted city model files among ``paths`` (folders are searched, not recursively)."""
    found = []
    for path in paths:
        path = os.fspath(path)
        candidates = [path]
        if os.path.isdir(path):
            candidates = [os.path.join(path, name) for name in sorted(os.listdir(path))]
        for candidate in candidates:
            if os.path.isfile(candidate):
                inspected = inspect_file(candidate)
                if inspected.accepted:
                    found.append(inspected)
    return found


def _read_head(path):
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            raw = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    if not raw:
        return None
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    return raw.decode("utf-8", errors="replace")


def _inspect_xml(path, head):
    text = head.lstrip()
    if not text.startswith("<"):
        return CityModelFile(path)
    root = _CITYMODEL_ROOT.search(text)
    if root is None or not _CITYGML_NAMESPACE.search(text):
        return CityModelFile(path)
    prolog = text[:root.start()]
    if _DOCTYPE.search(prolog) and _ENTITY.search(prolog):
        return CityModelFile(path, CITYGML, tr(
            "The file declares XML entities, which can expand without limit or fetch other files; "
            "it is not imported."))
    return CityModelFile(path, CITYGML)


def _inspect_json(path, head):
    text = head.lstrip()
    if not text.startswith("{") or not _CITYJSON_TYPE.search(text):
        return CityModelFile(path)
    return CityModelFile(path, CITYJSON)
