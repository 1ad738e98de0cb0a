"""A parse worker: run as ``python3 parse_worker.py <folder holding herne_twin_plugin>`` by ``parse_pool``.

It reads slices of CityGML tiles (see tile_slices) and answers with their rows
(see tile_rows), so that the QGIS process only writes. It loads the reader
without QGIS, Qt, GDAL or numpy (they would cost more to load than a slice
takes to read); its ``tr`` therefore leaves texts untranslated, and any building
that fails, like any error, is answered with "redo": the QGIS process then
reads that slice itself and reports it in the user's language. The XML is read
with the same safety as in the QGIS process (xml_safety).

Protocol on stdin/stdout: frames of an 8-byte little-endian length and a pickle.
Request: a dict (see ``importer._SlicedTile.ask``); answer: ("ok", ``TileRows.answer()``) or
("redo", why). A closed stdin ends the worker.
"""

import io
import sys

import parse_pool  # by its file (this script's folder is on sys.path): the package's __init__s load QGIS


def _load_reader(root):
    """The citymodel modules without the package's __init__s (which load the importer, GDAL and Qt)."""
    parse_pool.bare_packages(root, ("herne_twin_plugin", "herne_twin_plugin.core", "herne_twin_plugin.core.citymodel"))
    from herne_twin_plugin.core.citymodel import building_features, citygml_reader, tile_rows, tile_slices

    return building_features, citygml_reader, tile_rows, tile_slices


def read_slice(request, modules):
    building_features, citygml_reader, tile_rows, tile_slices = modules
    piece = tile_slices.Slice(request["start"], request["end"])
    with open(request["path"], "rb") as handle:
        document = tile_slices.read_slice(handle, request["head_end"], request["tail"], piece)
    # (line numbers only name failures, and a slice with a failure is read again by the QGIS process)
    reader = citygml_reader.CityGMLReader(io.BytesIO(document), request["assume_srs"], None,
                                          request["max_object_bytes"], in_one_piece=True)
    rows = tile_rows.TileRows(request["srs_ids"], request["keep_parts"])
    seen = set()
    for building in reader.buildings():
        if building.failure is not None:
            return ("redo", "a building failed")
        if building.object_id in seen:
            return ("redo", "a gml:id twice")
        seen.add(building.object_id)
        rows.add_building(building_features.building_rows(building, request["tile"], request["keep_parts"]))
    return ("ok", rows.answer())


def main():
    return parse_pool.serve(lambda: _load_reader(sys.argv[1]), read_slice)


if __name__ == "__main__":
    sys.exit(main())
