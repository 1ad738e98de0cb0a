"""What the GeoPackage gets of one building: its rows in the layers of ``layers``.

BuildingParts are merged into the building (geometry: the shells of all parts;
attributes: the building's own, else those of its main part, the one with the
largest ground area); with ``keep_parts`` each part also gets a row of its own.
Heights are metres above sea level (DHHN2016): ground = lowest point of the
ground surfaces, eave = lowest point of the roof surfaces, ridge = highest.
"""

import json
import re

from ..i18n import tr
from . import codes
from .errors import BuildingFailure
from .geometry import envelope, footprint_outline, is_closed, multipolygon_z_wkb, orientation, z_range
from .layers import SURFACE_FIELDS

ROOF, GROUND = "RoofSurface", "GroundSurface"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GEN_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # json.dumps would build one per building


class BuildingRows:
    """Rows of one building: (geometry, {field: value}) for ``building``, ``footprint`` and each part, and
    (geometry, [value in field order]) for each surface; a geometry is (wkb, envelope). The footprint's
    polygons are still to be dissolved where ``footprint_dissolve`` (see geometry.dissolved, tile_rows)."""

    __slots__ = ("building_id", "building", "footprint", "parts", "surfaces", "footprint_dissolve")

    def __init__(self, building_id, building, footprint, parts, surfaces, footprint_dissolve=False):
        self.building_id = building_id
        self.building = building
        self.footprint = footprint
        self.parts = parts
        self.surfaces = surfaces
        self.footprint_dissolve = footprint_dissolve


def building_rows(building, source_tile, keep_parts=False):
    """The rows of ``building`` (a reader's Building without failure); raises BuildingFailure."""
    if not building.object_id:
        raise BuildingFailure(tr("The building has no gml:id."))
    pieces = list(building.pieces())
    shell = [polygon for piece in pieces for polygon in _shell(piece)]
    if not shell:
        raise BuildingFailure(tr("The building has no LoD1 or LoD2 geometry."))
    roofs, grounds = _roofs_and_grounds(pieces)
    attributes = _attributes(building, pieces, shell, source_tile, roofs=roofs, grounds=grounds)
    surfaces = [_surface_row(surface, building.object_id, piece, source_tile, index)
                for piece in pieces for index, surface in enumerate(piece.surfaces) if surface.polygons]
    outline = footprint_outline(grounds, shell)
    footprint_row, dissolve = None, False
    if outline is not None:
        wkb, box, dissolve = outline
        footprint_row = ((wkb, box), {name: attributes[name] for name in (
            "building_id", "function_code", "function_label", "roof_type_code", "roof_type_label",
            "measured_height", "ground_height", "ridge_height", "source_tile")})
    parts = []
    if keep_parts:
        for part in pieces[1:]:
            part_shell = _shell(part)
            if not part_shell:
                continue
            values = _attributes(part, [part], part_shell, source_tile, parent=building)
            values["part_id"] = part.object_id
            values["building_id"] = building.object_id
            parts.append((_geometry(part_shell), values))
    return BuildingRows(building.object_id, (_geometry(shell), attributes), footprint_row, parts, surfaces, dissolve)


def _geometry(polygons):
    return multipolygon_z_wkb(polygons), envelope(polygons)


def _shell(piece):
    """The piece's own polygons: its solid, else its boundary surfaces and loose polygons."""
    if piece.solid:
        return piece.solid
    return [p for surface in piece.surfaces for p in surface.polygons] + piece.loose_polygons


def _roofs_and_grounds(pieces):
    """The polygons of the pieces' roof surfaces and of their ground surfaces."""
    roofs, grounds = [], []
    for piece in pieces:
        for surface in piece.surfaces:
            kind = surface.surface_type
            if kind == ROOF:
                roofs += surface.polygons
            elif kind == GROUND:
                grounds += surface.polygons
    return roofs, grounds


def _attributes(building, pieces, shell, source_tile, parent=None, roofs=None, grounds=None):
    """The attribute values of a building (or part); ``roofs`` and ``grounds`` as _roofs_and_grounds gives them
    (computed here where not given)."""
    main = _main_piece(pieces)
    inherited = [building, main] + ([parent] if parent is not None else [])

    def first(name):
        return next((getattr(p, name) for p in inherited if getattr(p, name) is not None), None)

    function_code = first("function_code")
    roof_type_code = first("roof_type_code")
    measured = [p.measured_height for p in pieces if p.measured_height is not None]
    storeys = [p.storeys_above_ground for p in pieces if p.storeys_above_ground is not None]
    gen = _merged_gen_attributes(pieces)
    if parent is not None:
        gen = dict(parent.gen_attributes, **gen)
    if roofs is None:
        roofs, grounds = _roofs_and_grounds(pieces)
    lowest, highest = z_range(shell)
    roof_range = z_range(roofs) if roofs else None
    creation_date = first("creation_date")
    return {
        "building_id": building.object_id,
        "function_code": function_code,
        "function_label": codes.function_label(function_code),
        "roof_type_code": roof_type_code,
        "roof_type_label": codes.roof_type_label(roof_type_code),
        "measured_height": building.measured_height if building.measured_height is not None else (
            max(measured) if measured else None),
        "ground_height": z_range(grounds)[0] if grounds else lowest,
        "eave_height": roof_range[0] if roofs else None,
        "ridge_height": roof_range[1] if roofs else highest,
        "storeys_above_ground": building.storeys_above_ground if building.storeys_above_ground is not None else (
            max(storeys) if storeys else None),
        "gemeindeschluessel": _text(gen.get("Gemeindeschluessel")),
        "gen_attributes": _GEN_JSON.encode(gen),
        "creation_date": creation_date if creation_date and _DATE.match(creation_date) else None,
        "source_tile": source_tile,
        "lod": max((p.lod for p in pieces if p.lod), default=None),
        "is_closed": all(p.solid and is_closed(p.solid) for p in pieces if _shell(p)),
        "part_count": len(pieces) - 1,
    }


def _main_piece(pieces):
    """The part with the largest ground area (the building itself where it has no parts)."""
    if len(pieces) == 1:
        return pieces[0]

    def ground_area(piece):
        return sum(abs(p.normal[2]) for s in piece.surfaces if s.surface_type == GROUND for p in s.polygons)

    return max(pieces[1:], key=ground_area)


def _merged_gen_attributes(pieces):
    """The building's gen attributes; a name only its parts have gets their value (a list where they differ)."""
    merged = dict(pieces[0].gen_attributes)
    values = {}
    for part in pieces[1:]:
        for name, value in part.gen_attributes.items():
            if name not in merged:
                seen = values.setdefault(name, [])
                if value not in seen:
                    seen.append(value)
    for name, seen in values.items():
        merged[name] = seen[0] if len(seen) == 1 else seen
    return merged


def _text(value):
    if value is None or isinstance(value, list):
        return None
    return str(value)


def _surface_row(surface, building_id, piece, source_tile, index):
    """(geometry, [values in the order of layers.SURFACE_FIELDS]) of one boundary surface."""
    roof = surface.surface_type == ROOF
    polygons = surface.polygons
    if len(polygons) == 1:  # the usual surface
        polygon = polygons[0]
        area = polygon.area
        tilt, azimuth = orientation(polygon.normal, roof)
    else:
        nx = ny = nz = area = 0.0
        for polygon in polygons:
            x, y, z = polygon.normal
            if roof and z < 0:  # roofs face the sky, whichever way a ring runs
                x, y, z = -x, -y, -z
            nx, ny, nz = nx + x, ny + y, nz + z
            area += polygon.area
        tilt, azimuth = orientation((nx, ny, nz))
    part_id = piece.object_id if piece.object_id != building_id else None
    surface_id = surface.surface_id or "{}_{}_{}".format(piece.object_id, surface.surface_type, index)
    return _geometry(surface.polygons), [
        surface_id, building_id, part_id, surface.surface_type, area, tilt, azimuth, source_tile]


assert [name for name, _kind in SURFACE_FIELDS] == [
    "surface_id", "building_id", "part_id", "surface_type", "area_m2", "tilt_deg", "azimuth_deg", "source_tile"]
