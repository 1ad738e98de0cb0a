"""Streaming reader of CityGML 1.0 and 2.0 buildings (the NRW LoD2 tiles and their kind).

``CityGMLReader(stream).buildings()`` yields one ``Building`` at a time, with its
BuildingParts, boundary surfaces and solid, and frees each city object as soon
as it is read: memory depends on the biggest building, not on the tile. The
``xlink:href``s of a ``bldg:lod2Solid`` are resolved against the polygons of the
same building. What makes a building unusable (a broken reference, a degenerate
polygon, no geometry) becomes its ``failure``; what makes the whole file
unusable (not well-formed, wrong namespace, no or an unknown coordinate system,
hostile content) raises TileError.
"""

from lxml import etree

from ..i18n import tr
from . import srs, xml_safety
from .buildings import BoundarySurface, Building
from .errors import BuildingFailure, TileError
from .geometry import closed_ring, make_polygon

GML = "{http://www.opengis.net/gml}"
GML_ID = GML + "id"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
GML_32 = "http://www.opengis.net/gml/3.2"

CITYGML_VERSIONS = {
    "http://www.opengis.net/citygml/1.0": "1.0",
    "http://www.opengis.net/citygml/2.0": "2.0",
}
CITYGML_3 = "http://www.opengis.net/citygml/3.0"

T_POLYGON = GML + "Polygon"
_PLANAR = (T_POLYGON, GML + "Triangle", GML + "Rectangle", GML + "PolygonPatch")
_MEMBER = GML + "surfaceMember"
_SOLID, _EXTERIOR = GML + "Solid", GML + "exterior"
_MULTI_SURFACE = GML + "MultiSurface"
_COLLECTIONS = (_MULTI_SURFACE, GML + "CompositeSurface")
_ORIENTABLE = GML + "OrientableSurface"
_BASE_SURFACE = GML + "baseSurface"
_WALK = _PLANAR + (_MEMBER, _ORIENTABLE, _BASE_SURFACE)
_SURFACE_GEOMETRIES = {GML + name for name in (
    "Polygon", "Triangle", "Rectangle", "MultiSurface", "CompositeSurface", "Solid", "CompositeSolid", "MultiSolid",
    "OrientableSurface", "TriangulatedSurface", "PolyhedralSurface", "Tin", "Surface")}
_BOUNDARIES = {GML + "exterior": True, GML + "outerBoundaryIs": True, GML + "interior": False,
               GML + "innerBoundaryIs": False}
_POSLIST, _POS, _COORDINATES = GML + "posList", GML + "pos", GML + "coordinates"
_ENVELOPE_PATH = GML + "boundedBy/" + GML + "Envelope"

_INT_TYPES = ("intAttribute",)
_FLOAT_TYPES = ("doubleAttribute", "measureAttribute")


class _Tags:
    """The element names of one CityGML version."""

    def __init__(self, version):
        core = "{http://www.opengis.net/citygml/%s}" % version
        bldg = "{http://www.opengis.net/citygml/building/%s}" % version
        gen = "{http://www.opengis.net/citygml/generics/%s}" % version
        self.version = version
        self.bldg_ns = bldg[1:-1]
        self.member = core + "cityObjectMember"
        self.building = bldg + "Building"
        self.part = bldg + "BuildingPart"
        self.consists_of_part = bldg + "consistsOfBuildingPart"
        self.bounded_by = bldg + "boundedBy"
        self.function = bldg + "function"
        self.roof_type = bldg + "roofType"
        self.measured_height = bldg + "measuredHeight"
        self.storeys = bldg + "storeysAboveGround"
        self.creation_date = core + "creationDate"
        self.solids = {bldg + "lod2Solid": 2, bldg + "lod1Solid": 1}
        self.multi_surfaces = {bldg + "lod2MultiSurface": 2, bldg + "lod1MultiSurface": 1}
        self.surface_lod2 = bldg + "lod2MultiSurface"
        self.gen_ns = gen
        self.gen_value = gen + "value"
        self.gen_set = gen + "genericAttributeSet"


def _local(tag):
    return tag[tag.rfind("}") + 1:]


def _namespace(tag):
    return tag[1:tag.find("}")] if tag.startswith("{") else ""


class CityGMLReader:
    """Reads one CityGML file building by building (see the module's description).

    ``stream`` is a binary file object; ``assume_srs`` takes EPSG:25832 where the
    file names no coordinate system; ``hasher`` (e.g. hashlib.sha256()) sees every
    byte of the file; ``line_offset`` is added to the line numbers of buildings
    (a slice of a tile, see tile_slices, names the lines of the whole file);
    ``in_one_piece`` parses the whole stream at once and walks the tree (faster
    for a small slice; the reader's checks are the same, the messages of a
    broken file are less precise: a parse worker hands those back anyway).
    """

    def __init__(self, stream, assume_srs=False, max_bytes=None,
                 max_object_bytes=xml_safety.DEFAULT_MAX_OBJECT_BYTES, hasher=None, line_offset=0,
                 in_one_piece=False):
        self._stream = xml_safety.GuardedStream(stream, max_bytes, max_object_bytes, hasher, count=not in_one_piece)
        self._line_offset = line_offset
        self._in_one_piece = in_one_piece
        self._assume_srs = assume_srs
        self._tags = None
        self._root = None
        self._tile_srs = None  # srsName of the CityModel's envelope
        self._srs_checked = False
        self._geometry_srs = set()  # srsNames found on the current building's geometries
        self._root_closed = False
        self.version = None

    @property
    def bytes_read(self):
        return self._stream.position

    def buildings(self):
        """Yield each top-level bldg:Building as a ``Building`` (its ``failure`` set where unusable)."""
        xml_safety.check_prolog(self._stream)
        if self._in_one_piece:
            yield from self._buildings_of_tree()
            return
        tags = ["{*}CityModel", "{*}cityObjectMember", "{*}Building", "{*}appearanceMember", GML + "featureMember"]
        try:
            parser = xml_safety.iterparse(self._stream, ("start", "end"), tags)
            for event, elem in parser:
                if self._root is None:
                    self._check_root(elem.getroottree().getroot())
                if event == "start":
                    if not self._srs_checked and elem.tag == self._tags.building:
                        self._read_tile_srs()
                    continue
                tag = elem.tag
                if tag == self._tags.building:
                    if next(elem.iterancestors(self._tags.building), None) is None:
                        yield self._building(elem)
                        if elem.getparent() is self._root:
                            self._free(elem)
                        else:
                            elem.clear()
                elif tag == self._tags.member or tag == GML + "featureMember" or _local(tag) == "appearanceMember":
                    self._free(elem)
                elif elem is self._root:
                    self._root_closed = True
                elif _local(tag) in ("Building", "cityObjectMember"):
                    raise self._foreign(elem)
            if self._root is None:
                self._check_root(parser.root)
            self._stream.drain()
        except etree.XMLSyntaxError as error:
            raise xml_safety.syntax_error(error, self._stream, self._root_closed) from None

    def _buildings_of_tree(self):
        """``buildings`` of a stream parsed in one go: the tree's Buildings in document order, found by lxml
        itself (no walk through every element in Python, nothing freed: the tree goes as a whole). The same
        checks; a file that fails them fails here too, only at another moment (a parse worker then hands
        the slice back, see parse_worker)."""
        try:
            root = xml_safety.parse_whole(self._stream)
        except etree.XMLSyntaxError as error:
            raise xml_safety.syntax_error(error, self._stream, False) from None
        self._check_root(root)
        tags = self._tags
        for elem in root.iter("{*}Building", "{*}cityObjectMember"):
            tag = elem.tag
            if tag == tags.building:
                if not self._srs_checked:
                    self._read_tile_srs()
                if next(elem.iterancestors(tags.building), None) is None:
                    yield self._building(elem)
            elif tag != tags.member:
                raise self._foreign(elem)
        self._root_closed = True

    def _foreign(self, elem):
        """The error for a Building or cityObjectMember of another namespace than the city model's."""
        return TileError(tr("The file mixes namespaces: {element} at line {line} is not CityGML {version}.").format(
            element=elem.tag, line=elem.sourceline, version=self.version))

    def _check_root(self, root):
        tag = root.tag if root is not None else ""
        namespace = _namespace(tag)
        if _local(tag) != "CityModel":
            raise TileError(tr("The file is not a CityGML city model (its root element is {element}).").format(
                element=tag or "-"))
        if namespace == CITYGML_3:
            raise TileError(tr("CityGML 3.0 is not supported yet: the importer reads CityGML 1.0 and 2.0."))
        if namespace not in CITYGML_VERSIONS:
            raise TileError(tr(
                "The file's CityModel is in the namespace '{namespace}', which is neither CityGML 1.0 nor 2.0."
            ).format(namespace=namespace))
        self._root = root
        self.version = CITYGML_VERSIONS[namespace]
        self._tags = _Tags(self.version)

    def _read_tile_srs(self):
        self._srs_checked = True
        envelope = self._root.find(_ENVELOPE_PATH)
        name = envelope.get("srsName") if envelope is not None else None
        if name:
            srs.check_srs_name(name)  # raises TileError for anything but EPSG:25832 (+ DHHN2016)
            self._tile_srs = name

    def _free(self, elem):
        """Forget a finished top-level member and everything before it."""
        elem.clear()
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]
        self._stream.object_done()

    # -- one building ---------------------------------------------------------------------------

    def _building(self, elem):
        building = Building(elem.get(GML_ID), self._line(elem))
        self._geometry_srs = set()
        by_id = {}  # gml:id -> Polygon, or [Polygon] of a surface collection, of the building
        pending = []  # (target list, href, reversed) of xlink:hrefs, resolved once the building is read
        try:
            self._piece(elem, building, by_id, pending)
            self._resolve(pending, by_id)
            self._check_building_srs()
            if not any(p.solid or p.surfaces or p.loose_polygons for p in building.pieces()):
                raise BuildingFailure(self._no_geometry_reason(elem))
        except BuildingFailure as failure:
            building.failure = failure.reason
        except (ValueError, TypeError, IndexError, AttributeError) as error:  # unforeseen shapes of data
            import logging  # here: a parse worker starts 10 ms sooner without it (and hands such a slice back)

            logging.getLogger(__name__).warning("Building %s (line %s) could not be read: %r", building.object_id,
                                                building.line, error)
            building.failure = tr("The building could not be read: {error}").format(error=error)
        return building

    def _line(self, elem):
        line = elem.sourceline
        return line + self._line_offset if line else line

    def _piece(self, elem, piece, by_id, pending):
        tags = self._tags
        solid_lod = 0
        for child in elem:
            tag = child.tag
            if tag == tags.bounded_by:
                for surface in child:
                    self._surface(surface, piece, by_id, pending)
            elif tag.startswith(tags.gen_ns):
                self._gen_attribute(child, piece.gen_attributes, "")
            elif tag == tags.function:
                if piece.function_code is None:
                    piece.function_code = (child.text or "").strip() or None
            elif tag == tags.roof_type:
                piece.roof_type_code = (child.text or "").strip() or None
            elif tag == tags.measured_height:
                piece.measured_height = _number(child.text, float)
            elif tag == tags.storeys:
                piece.storeys_above_ground = _number(child.text, int)
            elif tag == tags.creation_date:
                piece.creation_date = (child.text or "").strip() or None
            elif tag in tags.solids:
                lod = tags.solids[tag]
                polygons = []
                self._geometry(child, polygons, by_id, pending)
                if lod > solid_lod:  # the most detailed solid is the building's shell
                    piece.solid, solid_lod = polygons, lod
                    piece.lod = max(piece.lod or 0, lod)
            elif tag in tags.multi_surfaces:
                lod = tags.multi_surfaces[tag]
                self._geometry(child, piece.loose_polygons, by_id, pending)
                piece.lod = max(piece.lod or 0, lod)
            elif tag == tags.consists_of_part:
                for part_elem in child:
                    if part_elem.tag == tags.part:
                        part = Building(part_elem.get(GML_ID), self._line(part_elem))
                        self._piece(part_elem, part, by_id, pending)
                        piece.parts.append(part)

    def _surface(self, surface, piece, by_id, pending):
        polygons = []
        references = len(pending)
        for geometry in surface:
            if geometry.tag == self._tags.surface_lod2 and not _usual_multi_surface(geometry, polygons, by_id):
                self._geometry(geometry, polygons, by_id, pending)
        if polygons or len(pending) > references:
            surface_id = surface.get(GML_ID)
            if surface_id is None:  # NRW closure surfaces: only their polygon has an id
                first = next(surface.iter(T_POLYGON), None)
                surface_id = first.get(GML_ID) if first is not None else None
            piece.surfaces.append(BoundarySurface(surface_id, _local(surface.tag), polygons))
            if not piece.lod or piece.lod < 2:
                piece.lod = 2

    def _geometry(self, prop, out, by_id, pending):
        """Collect the polygons of a geometry property (bldg:lod2Solid, bldg:lod2MultiSurface ...) into ``out``.

        Polygons with a gml:id, and the property's geometry itself, go into ``by_id``;
        ``xlink:href``s go to ``pending`` (with whether an OrientableSurface turns them).
        """
        if prop.values():
            href = prop.get(XLINK_HREF)
            if href is not None:
                pending.append((out, href, False))
                return
        for root in prop:
            tag = root.tag
            if tag not in _SURFACE_GEOMETRIES:
                if tag.startswith(GML):
                    raise BuildingFailure(tr(
                        "The building uses the geometry type {type}, which the importer does not read.").format(
                            type=_local(tag)))
                continue
            root_id = None
            for name, value in root.items():  # one call for both (the usual root has only its gml:id)
                if name == GML_ID:
                    root_id = value
                elif name == "srsName" and value:
                    self._geometry_srs.add(value)
            start = len(out)
            if tag in _COLLECTIONS:  # the usual shapes, walked directly (faster than a general search)
                self._members(root, out, by_id, pending)
            elif tag == _SOLID:
                for boundary in root:
                    if boundary.tag == _EXTERIOR:
                        for shell in boundary:
                            if shell.tag in _COLLECTIONS:
                                self._members(shell, out, by_id, pending)
                            else:
                                self._walk(shell, out, by_id, pending)
            elif tag == T_POLYGON:
                self._add_polygon(root, out, by_id)
            else:
                self._walk(root, out, by_id, pending)
            if root_id is not None and len(out) > start:
                by_id.setdefault(root_id, out[start:])

    def _members(self, collection, out, by_id, pending):
        """The surfaceMembers of a MultiSurface or CompositeSurface."""
        for member in collection:
            if member.tag != _MEMBER:
                self._walk(member, out, by_id, pending)
                continue
            if member.values():  # an attribute at all (cheaper to ask than for a namespaced name)
                href = member.get(XLINK_HREF)
                if href is not None:
                    pending.append((out, href, False))
                    continue
            for geometry in member:
                if geometry.tag == T_POLYGON:  # _add_polygon inlined: this runs for nearly every polygon
                    polygon_id = geometry.get(GML_ID)
                    polygon = self._polygon(geometry, polygon_id)
                    out.append(polygon)
                    if polygon_id is not None:
                        by_id[polygon_id] = polygon
                else:
                    self._walk(geometry, out, by_id, pending)

    def _walk(self, root, out, by_id, pending):
        """Any other arrangement of surfaces (OrientableSurfaces, triangles, nested collections)."""
        oriented = False  # only then is it worth looking for a reversing OrientableSurface
        for elem in root.iter(_WALK):
            tag = elem.tag
            if tag == _MEMBER or tag == _BASE_SURFACE:
                href = elem.get(XLINK_HREF)
                if href is not None:
                    pending.append((out, href, oriented and _flipped(elem)))
            elif tag == _ORIENTABLE:
                oriented = True
            else:
                self._add_polygon(elem, out, by_id, oriented and _flipped(elem))

    def _add_polygon(self, elem, out, by_id, reverse=False):
        polygon_id = elem.get(GML_ID)
        polygon = self._polygon(elem, polygon_id)
        if reverse:
            polygon = polygon.reversed()
        out.append(polygon)
        if polygon_id is not None:
            by_id[polygon_id] = polygon

    def _polygon(self, elem, polygon_id):
        if len(elem) == 1:  # the usual polygon, read directly: an exterior whose LinearRing starts with a posList
            boundary = elem[0]
            if boundary.tag == _EXTERIOR and len(boundary):
                ring = boundary[0]
                first = ring[0] if len(ring) else None
                if first is not None and first.tag == _POSLIST and first.get("srsDimension") in (None, "3"):
                    try:
                        values = list(map(float, (first.text or "").split()))
                    except ValueError:
                        values = None  # the general path below names the polygon
                    if values is not None:
                        return make_polygon([closed_ring(values)], polygon_id)
        rings = []
        exterior = None
        for boundary in elem:
            is_exterior = _BOUNDARIES.get(boundary.tag)
            if is_exterior is None:
                continue
            ring = self._ring(boundary, polygon_id)
            if is_exterior:
                exterior = ring
            else:
                rings.append(ring)
        if exterior is None:
            raise BuildingFailure(tr("Polygon {polygon} has no exterior ring.").format(polygon=polygon_id or "-"))
        if rings:
            rings.insert(0, exterior)
            return make_polygon(rings, polygon_id)
        return make_polygon([exterior], polygon_id)

    def _ring(self, boundary, polygon_id):
        for ring in boundary:  # the LinearRing (or Ring): only its first child counts
            for first in ring:
                tag = first.tag
                try:
                    if tag == _POSLIST:
                        values = list(map(float, (first.text or "").split()))
                    elif tag == _POS:
                        values = [float(v) for pos in ring.iterchildren(_POS) for v in (pos.text or "").split()]
                    elif tag == _COORDINATES:
                        values = [float(v) for point in (first.text or "").split() for v in point.split(",")]
                    else:
                        raise BuildingFailure(tr("Polygon {polygon} has a ring without coordinates.").format(
                            polygon=polygon_id or "-"))
                    return closed_ring(values, int(first.get("srsDimension") or 3))
                except ValueError:
                    raise BuildingFailure(tr("Polygon {polygon} has coordinates that are not numbers.").format(
                        polygon=polygon_id or "-")) from None
            break
        raise BuildingFailure(tr("Polygon {polygon} has an empty ring.").format(polygon=polygon_id or "-"))

    def _resolve(self, pending, by_id):
        for out, href, reverse in pending:
            target = by_id.get(href[1:]) if href.startswith("#") else None
            if target is None:
                raise BuildingFailure(tr(
                    "The geometry refers to '{href}', which is not a polygon of this building (broken xlink:href)."
                ).format(href=href[:120]))
            if type(target) is not list:
                target = (target,)
            out.extend([polygon.reversed() for polygon in target] if reverse else target)

    def _check_building_srs(self):
        for name in self._geometry_srs:
            if not srs.is_supported(name):
                raise BuildingFailure(tr("The geometry is in the coordinate system '{srs}', not EPSG:25832.").format(
                    srs=name[:120]))
        if not self._geometry_srs and self._tile_srs is None:
            srs.check_srs_name(None, self._assume_srs)  # TileError unless the user assumes EPSG:25832

    def _gen_attribute(self, elem, out, prefix):
        kind = _local(elem.tag)
        name = elem.get("name")
        if not name:
            return
        if elem.tag == self._tags.gen_set:
            for member in elem:
                if member.tag.startswith(self._tags.gen_ns):
                    self._gen_attribute(member, out, prefix + name + ".")
            return
        value_tag = self._tags.gen_value
        text = ""
        for child in elem:
            if child.tag == value_tag:
                text = (child.text or "").strip()
                break
        value = text
        if kind in _INT_TYPES:
            value = _number(text, int, text)
        elif kind in _FLOAT_TYPES:
            value = _number(text, float, text)
        out[prefix + name] = value

    def _no_geometry_reason(self, elem):
        stray = next((e for e in elem.iter("{*}Polygon") if _namespace(e.tag) != GML[1:-1]), None)
        if stray is not None:
            return tr(
                "The building has polygons in the namespace '{namespace}', not GML 3.1 as CityGML {version} needs."
            ).format(namespace=_namespace(stray.tag), version=self.version)
        return tr("The building has no LoD1 or LoD2 geometry.")


def _usual_multi_surface(prop, out, by_id):
    """``CityGMLReader._geometry`` of the usual NRW surface geometry, read straight through: a property
    without attributes holding one gml:MultiSurface (no srsName) of surfaceMembers without attributes, each
    with one usual polygon (see ``CityGMLReader._polygon``). Anything else: False, nothing read (the general
    path then reads it, with the same result where this would have read it too). These are nearly all the
    geometries of a tile: reading them without the general path's layers of calls takes about 5 % off
    parsing and reading a dense tile."""
    if len(prop) != 1 or prop.values():
        return False
    root = prop[0]
    if root.tag != _MULTI_SURFACE:
        return False
    root_id = None
    for name, value in root.items():
        if name == GML_ID:
            root_id = value
        elif name == "srsName" and value:
            return False
    read = []
    for member in root:
        if len(member) != 1 or member.tag != _MEMBER or member.values():
            return False
        polygon = member[0]
        if len(polygon) != 1 or polygon.tag != T_POLYGON:
            return False
        boundary = polygon[0]
        if boundary.tag != _EXTERIOR or not len(boundary):
            return False
        ring = boundary[0]
        if not len(ring):
            return False
        positions = ring[0]
        if positions.tag != _POSLIST or positions.get("srsDimension") not in (None, "3"):
            return False
        try:
            read.append((polygon.get(GML_ID), list(map(float, (positions.text or "").split()))))
        except ValueError:
            return False
    start = len(out)
    for polygon_id, values in read:  # (a degenerate polygon raises here as in the general path)
        polygon = make_polygon([closed_ring(values)], polygon_id)
        out.append(polygon)
        if polygon_id is not None:
            by_id[polygon_id] = polygon
    if root_id is not None and len(out) > start:
        by_id.setdefault(root_id, out[start:])
    return True


def _flipped(elem):
    """True where an odd number of OrientableSurfaces with orientation "-" turn ``elem``."""
    flips = sum(1 for surface in elem.iterancestors(_ORIENTABLE) if surface.get("orientation") == "-")
    return flips % 2 == 1


def _number(text, kind, default=None):
    try:
        return kind((text or "").strip())
    except ValueError:
        return default
