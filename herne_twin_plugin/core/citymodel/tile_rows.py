"""Buildings as the GeoPackage's rows, ready to insert: what a parse worker hands to the writer.

``TileRows`` collects, for a run of buildings, one tuple per row of each geometry
layer (GeoPackage geometry blob first, then the values in the layer's field order;
the fid is the writer's) and the rows' 2D boxes. The import builds them the same
way in the QGIS process and in a parse worker (see ``parse_pool``), so both give
the same GeoPackage. This module only needs the standard library: a worker
starts fast.
"""

import struct
from array import array

from . import layers

# GeoPackage geometry header: "GP", version 0, flags (little endian, envelope xyz=2 / xy=1), srs_id, envelope
_HEADER_XYZ = struct.Struct("<2sBBi6d")
_HEADER_XY = struct.Struct("<2sBBi4d")


def geometry_blob(srs_id, wkb, envelope):
    """A GeoPackage geometry: header with the envelope (minx, maxx, miny, maxy[, minz, maxz]), then WKB."""
    if len(envelope) == 6:
        return _HEADER_XYZ.pack(b"GP", 0, 0x05, srs_id, *envelope) + wkb
    return _HEADER_XY.pack(b"GP", 0, 0x03, srs_id, *envelope) + wkb


def _booleans(name):
    return frozenset(i for i, (_n, kind) in enumerate(layers.LAYER_SPECS[name].fields) if kind == layers.BOOLEAN)


_FIELDS = {spec.name: spec.field_names for spec in layers.LAYERS}
_BOOLEANS = {spec.name: _booleans(spec.name) for spec in layers.LAYERS}


class TileRows:
    """Rows of a run of buildings: ``layers`` maps a layer name to ([row tuple], array of minx, maxx, miny,
    maxy per row); ``building_ids`` lists the buildings in order. ``srs_ids``: layer name -> srs_id of its
    geometry column. ``dissolve`` lists (row number, WKB) of footprints whose polygons ``finish`` dissolves
    (with GDAL, in the QGIS process: a parse worker leaves it)."""

    __slots__ = ("srs_ids", "building_ids", "layers", "dissolve")

    def __init__(self, srs_ids, keep_parts=False):
        self.srs_ids = srs_ids
        self.building_ids = []
        self.dissolve = []
        names = (layers.BUILDINGS, layers.FOOTPRINTS, layers.SURFACES) + (
            (layers.BUILDING_PARTS,) if keep_parts else ())
        self.layers = {name: ([], array("d")) for name in names}

    def __len__(self):
        return len(self.building_ids)

    def add_building(self, rows):
        """Add a building's BuildingRows (see building_features)."""
        self.building_ids.append(rows.building_id)
        geometry, values = rows.building
        self._add(layers.BUILDINGS, geometry, self._ordered(layers.BUILDINGS, values))
        if rows.footprint is not None:
            geometry, values = rows.footprint
            if rows.footprint_dissolve:
                self.dissolve.append((len(self.layers[layers.FOOTPRINTS][0]), geometry[0]))
            self._add(layers.FOOTPRINTS, geometry, self._ordered(layers.FOOTPRINTS, values))
        srs_id = self.srs_ids[layers.SURFACES]
        surface_rows, boxes = self.layers[layers.SURFACES]
        pack = _HEADER_XYZ.pack
        for (wkb, envelope), values in rows.surfaces:  # the most rows: geometry_blob inlined
            surface_rows.append((pack(b"GP", 0, 0x05, srs_id, *envelope) + wkb, *values))
            boxes.extend(envelope[:4])
        if layers.BUILDING_PARTS in self.layers:
            for geometry, values in rows.parts:
                self._add(layers.BUILDING_PARTS, geometry, self._ordered(layers.BUILDING_PARTS, values))

    def answer(self):
        """What a parse worker sends back: plain values that ``marshal`` takes (the boxes as bytes), see
        ``from_answer``."""
        return self.building_ids, {name: (rows, boxes.tobytes()) for name, (rows, boxes) in self.layers.items()}, \
            self.dissolve

    @classmethod
    def from_answer(cls, srs_ids, answer):
        rows = cls(srs_ids)
        rows.building_ids, layer_rows, rows.dissolve = answer
        rows.layers = {}
        for name, (values, boxes) in layer_rows.items():
            rows.layers[name] = (values, array("d"))
            rows.layers[name][1].frombytes(boxes)
        return rows

    def finish(self):
        """Dissolve the footprints that have several polygons (the envelope stays the same)."""
        if not self.dissolve:
            return
        from .geometry import dissolved

        footprints = self.layers[layers.FOOTPRINTS][0]
        srs_id = self.srs_ids[layers.FOOTPRINTS]
        for index, wkb in self.dissolve:
            row = footprints[index]
            outline = dissolved(wkb)
            if outline is not wkb:
                envelope = struct.unpack_from("<4d", row[0], 8)
                footprints[index] = (geometry_blob(srs_id, outline, envelope), *row[1:])
        self.dissolve = []

    def _add(self, name, geometry, values):
        wkb, envelope = geometry
        rows, boxes = self.layers[name]
        rows.append((geometry_blob(self.srs_ids[name], wkb, envelope), *values))
        boxes.extend(envelope[:4])

    @staticmethod
    def _ordered(name, values):
        row = [values.get(field) for field in _FIELDS[name]]
        for index in _BOOLEANS[name]:
            if row[index] is not None:
                row[index] = 1 if row[index] else 0
        return row
