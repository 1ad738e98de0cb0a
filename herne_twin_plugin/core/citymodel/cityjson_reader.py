"""Reader of CityJSON 1.1 and 2.0 buildings (and CityJSON 1.0, and CityJSON Text Sequences).

A CityJSON file is one JSON document: it is parsed as a whole (files over
``MAX_DOCUMENT_BYTES`` are refused: convert them to CityJSONSeq, e.g. with
``cjio file.city.json export jsonl``), and buildings are built from it one at a
time, so nothing bigger than the parsed JSON is ever held. A CityJSONSeq file
(``.jsonl``: a CityJSON header line, then one CityJSONFeature per line) is read
truly streaming, feature by feature.

Vertices are integers scaled and moved by ``transform``; each face with a
semantic surface type (RoofSurface, WallSurface, ...) becomes a boundary surface
of its own; a Building's ``children`` of type BuildingPart become its parts.
"""

import json
import math

from ..i18n import tr
from . import srs
from .buildings import BoundarySurface, Building
from .errors import BuildingFailure, TileError
from .geometry import make_polygon

MAX_DOCUMENT_BYTES = 512 << 20
VERSIONS = ("1.0", "1.1", "2.0")
_CORE_ATTRIBUTES = {
    "function": "function_code", "roofType": "roof_type_code", "measuredHeight": "measured_height",
    "storeysAboveGround": "storeys_above_ground", "creationDate": "creation_date",
}
_SOLIDS = ("Solid",)
_MULTI_SOLIDS = ("MultiSolid", "CompositeSolid")
_SURFACES = ("MultiSurface", "CompositeSurface")


class CityJSONReader:
    """Reads one CityJSON or CityJSONSeq file building by building (like CityGMLReader)."""

    def __init__(self, stream, assume_srs=False, max_bytes=None, max_object_bytes=MAX_DOCUMENT_BYTES, hasher=None):
        self._stream = stream
        self._assume_srs = assume_srs
        self._max_bytes = min(max_bytes or MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES)
        self._max_line = max_object_bytes
        self._hasher = hasher
        self.bytes_read = 0
        self.version = None

    def _read(self, size=-1):
        data = self._stream.read(size)
        self.bytes_read += len(data)
        if self._hasher is not None:
            self._hasher.update(data)
        return data

    def _readline(self, limit):
        line = self._stream.readline(limit + 1)
        self.bytes_read += len(line)
        if self._hasher is not None:
            self._hasher.update(line)
        return line

    def buildings(self):
        first = self._readline(self._max_bytes)
        header = None
        if len(first) <= self._max_bytes:
            try:
                header = json.loads(first)
            except (ValueError, RecursionError):
                header = None  # a document over several lines (or broken: parsed again below)
        if isinstance(header, dict) and header.get("type") == "CityJSON" and not header.get("CityObjects"):
            yield from self._sequence(header)  # CityJSONSeq: the header line has no objects
            return
        if isinstance(header, dict):
            document = header
            self._drain()
        else:
            rest = self._read(max(0, self._max_bytes + 1 - len(first)))
            if len(first) + len(rest) > self._max_bytes:
                raise TileError(tr(
                    "The CityJSON file is larger than {limit} MB: convert it to CityJSONSeq (.jsonl) to import it."
                ).format(limit=self._max_bytes // (1 << 20)))
            try:
                document = json.loads(first + rest)
            except (ValueError, RecursionError) as error:
                raise TileError(tr("The file is not valid JSON: {error}").format(error=error)) from None
        transform = self._check_header(document)
        objects = document.get("CityObjects")
        vertices = document.get("vertices")
        if not isinstance(objects, dict) or not isinstance(vertices, list):
            raise TileError(tr("The CityJSON file has no CityObjects or no vertices."))
        yield from _buildings(objects, vertices, transform)

    def _drain(self):
        while self._read(1 << 16):
            pass

    def _sequence(self, header):
        transform = self._check_header(header)
        while True:
            line = self._readline(self._max_line)
            if len(line) > self._max_line:
                raise TileError(tr("A line of the CityJSONSeq file is longer than {limit} MB: refused.").format(
                    limit=self._max_line // (1 << 20)))
            if not line:
                return
            if not line.strip():
                continue
            try:
                feature = json.loads(line)
            except (ValueError, RecursionError) as error:
                raise TileError(tr("A line of the CityJSONSeq file is not valid JSON: {error}").format(
                    error=error)) from None
            if not isinstance(feature, dict) or feature.get("type") != "CityJSONFeature":
                raise TileError(tr("A line of the CityJSONSeq file is not a CityJSONFeature."))
            objects, vertices = feature.get("CityObjects"), feature.get("vertices")
            if not isinstance(objects, dict) or not isinstance(vertices, list):
                raise TileError(tr("A CityJSONFeature has no CityObjects or no vertices."))
            yield from _buildings(objects, vertices, transform)

    def _check_header(self, document):
        if not isinstance(document, dict) or document.get("type") != "CityJSON":
            raise TileError(tr("The file is JSON but not CityJSON (no \"type\": \"CityJSON\")."))
        self.version = str(document.get("version", ""))
        if self.version not in VERSIONS:
            raise TileError(tr("CityJSON version '{version}' is not supported: the importer reads 1.0, 1.1 and 2.0.")
                            .format(version=self.version[:20]))
        metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
        reference = metadata.get("referenceSystem")
        if reference is not None and not isinstance(reference, str):
            reference = str(reference)
        srs.check_srs_name(reference, self._assume_srs)
        transform = document.get("transform")
        if transform is None:
            if self.version != "1.0":
                raise TileError(tr("The CityJSON {version} file has no \"transform\".").format(version=self.version))
            return (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
        try:
            scale = tuple(float(v) for v in transform["scale"])
            translate = tuple(float(v) for v in transform["translate"])
        except (KeyError, TypeError, ValueError):
            raise TileError(tr("The CityJSON \"transform\" is broken.")) from None
        if len(scale) != 3 or len(translate) != 3 or not all(math.isfinite(v) for v in scale + translate):
            raise TileError(tr("The CityJSON \"transform\" is broken."))
        return scale, translate


def _buildings(objects, vertices, transform):
    for object_id, city_object in objects.items():
        if isinstance(city_object, dict) and city_object.get("type") == "Building":
            yield _building(object_id, city_object, objects, vertices, transform)


def _building(object_id, city_object, objects, vertices, transform):
    building = Building(object_id)
    try:
        _piece(building, city_object, objects, vertices, transform, depth=0)
        if not any(p.solid or p.surfaces or p.loose_polygons for p in building.pieces()):
            raise BuildingFailure(tr("The building has no LoD1 or LoD2 geometry."))
    except BuildingFailure as failure:
        building.failure = failure.reason
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        building.failure = tr("The building could not be read: {error}").format(error=error)
    return building


def _piece(piece, city_object, objects, vertices, transform, depth):
    attributes = city_object.get("attributes") or {}
    if not isinstance(attributes, dict):
        attributes = {}
    for key, value in attributes.items():
        target = _CORE_ATTRIBUTES.get(key)
        if target is None:
            piece.gen_attributes[key] = value
        elif target in ("measured_height",):
            piece.measured_height = _number(value, float)
        elif target == "storeys_above_ground":
            piece.storeys_above_ground = _number(value, int)
        else:
            setattr(piece, target, None if value is None else str(value))
    geometry = _chosen_geometry(city_object.get("geometry") or [])
    if geometry is not None:
        _read_geometry(piece, geometry, vertices, transform)
    if depth > 8:
        raise BuildingFailure(tr("The building's parts are nested too deeply."))
    for child_id in city_object.get("children") or []:
        child = objects.get(child_id)
        if isinstance(child, dict) and child.get("type") == "BuildingPart":
            part = Building(child_id)
            _piece(part, child, objects, vertices, transform, depth + 1)
            piece.parts.append(part)


def _lod(geometry):
    try:
        return float(geometry.get("lod"))
    except (TypeError, ValueError):
        return -1.0


def _chosen_geometry(geometries):
    """The most detailed LoD1/LoD2 geometry of an object (LoD 2.x before 1.x); templates are refused."""
    usable = []
    for geometry in geometries:
        if not isinstance(geometry, dict):
            continue
        if geometry.get("type") == "GeometryInstance":
            raise BuildingFailure(tr("The building uses a geometry template, which the importer does not read."))
        if geometry.get("type") in _SOLIDS + _MULTI_SOLIDS + _SURFACES and 1.0 <= _lod(geometry) < 3.0:
            usable.append(geometry)
    return max(usable, key=_lod) if usable else None


def _read_geometry(piece, geometry, vertices, transform):
    kind = geometry["type"]
    boundaries = geometry.get("boundaries") or []
    semantics = geometry.get("semantics") or {}
    surfaces = semantics.get("surfaces") or []
    values = semantics.get("values")
    # faces: [(face boundary, semantic index)] of the outer shells
    if kind in _SOLIDS:
        shells = boundaries[:1]
        shell_values = (values or [None])[:1]
        faces = _faces(shells, shell_values)
    elif kind in _MULTI_SOLIDS:
        faces = []
        for index, solid in enumerate(boundaries):
            solid_values = values[index] if values else None
            faces.extend(_faces(solid[:1], (solid_values or [None])[:1]))
    else:
        faces = [(face, values[i] if values else None) for i, face in enumerate(boundaries)]
    # one boundary surface per face: CityJSON files often share one semantic object ("WallSurface")
    # among all faces of a kind, which would sum opposite walls into one surface without orientation
    polygons, loose = [], []
    for number, (face, semantic) in enumerate(faces):
        face_id = "{}_{}".format(piece.object_id, number)
        polygon = _polygon(face, vertices, transform, face_id)
        polygons.append(polygon)
        if semantic is None:
            loose.append(polygon)
            continue
        surface = surfaces[semantic] if isinstance(semantic, int) and 0 <= semantic < len(surfaces) else None
        if not isinstance(surface, dict) or not surface.get("type"):
            raise BuildingFailure(tr("A semantic surface index points to no surface type."))
        piece.surfaces.append(BoundarySurface(face_id, str(surface["type"]), [polygon]))
    lod = int(_lod(geometry))
    if kind in _SOLIDS + _MULTI_SOLIDS:
        piece.solid = polygons
    else:
        piece.loose_polygons = loose
    piece.lod = lod


def _faces(shells, shell_values):
    faces = []
    for shell, shell_semantics in zip(shells, shell_values or [None] * len(shells)):
        for index, face in enumerate(shell):
            faces.append((face, shell_semantics[index] if shell_semantics else None))
    return faces


def _polygon(face, vertices, transform, label):
    (sx, sy, sz), (tx, ty, tz) = transform
    rings = []
    for ring in face:
        coordinates = []
        for index in ring:
            if not isinstance(index, int) or index < 0:
                raise BuildingFailure(tr("A face refers to the vertex {index}, which does not exist.").format(
                    index=index))
            try:
                x, y, z = vertices[index]
            except IndexError:
                raise BuildingFailure(tr("A face refers to the vertex {index}, which does not exist.").format(
                    index=index)) from None
            coordinates += (x * sx + tx, y * sy + ty, z * sz + tz)
        if coordinates:
            coordinates += coordinates[:3]
        rings.append(coordinates)
    if not rings or not rings[0]:
        raise BuildingFailure(tr("Polygon {polygon} has no exterior ring.").format(polygon=label))
    return make_polygon(rings, label)


def _number(value, kind):
    try:
        return kind(value) if value is not None else None
    except (TypeError, ValueError):
        return None
