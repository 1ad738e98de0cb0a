"""A parse worker: run as ``python3 -S parse_worker.py <folder holding herne_twin_plugin> <folder holding lxml>``
by ``parse_pool``.

It reads slices of CityGML tiles (see tile_slices) and answers with their rows
(see tile_rows), so that the QGIS process only writes. It loads the reader
without QGIS, Qt, GDAL or numpy (they would cost more to load than a slice
takes to read); its ``tr`` therefore leaves texts untranslated, and any building
that fails, like any error, is answered with "redo": the QGIS process then
reads that slice itself and reports it in the user's language. The XML is read
with the same safety as in the QGIS process (xml_safety).

Protocol on stdin/stdout: frames of an 8-byte little-endian length and a ``marshal`` of plain values (it
needs no import and handles these rows faster than pickle; both sides run the same Python version).
Request: a dict (see ``importer._SlicedTile.ask``); answer: ("ok", ``TileRows.answer()``) or
("redo", why). A closed stdin ends the worker.
"""

import io
import marshal
import os
import struct
import sys
import types

_LENGTH = struct.Struct("<Q")


def _load_reader(root, library_root=None):
    """The citymodel modules without the package's __init__s (which load the importer, GDAL and Qt).
    ``library_root``: the folder holding lxml, for a worker started without the site module (where lxml is
    not there, the site module is loaded after all)."""
    sys.path.insert(0, root)
    if library_root is not None:
        sys.path.append(library_root)
        try:
            import lxml.etree  # noqa: F401 (only: is it there)
        except ImportError:
            import site

            site.main()
    package = os.path.join(root, "herne_twin_plugin")
    for name, folder in (("herne_twin_plugin", package), ("herne_twin_plugin.core", os.path.join(package, "core")),
                         ("herne_twin_plugin.core.citymodel", os.path.join(package, "core", "citymodel"))):
        module = types.ModuleType(name)
        module.__path__ = [folder]
        sys.modules[name] = module
    i18n = types.ModuleType("herne_twin_plugin.core.i18n")
    i18n.tr = lambda text, context=None: text  # a failure goes back to the QGIS process, which translates
    sys.modules[i18n.__name__] = i18n
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
    source = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    try:
        modules = _load_reader(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
        answer = ("ready", os.getpid())
    except Exception as error:  # noqa: BLE001 (reported to the QGIS process, which then reads in-process)
        modules, answer = None, ("broken", repr(error))
    while True:
        try:
            payload = marshal.dumps(answer)
        except ValueError as error:  # a value marshal does not take: the QGIS process reads that slice itself
            payload = marshal.dumps(("redo", repr(error)))
        answers.write(_LENGTH.pack(len(payload)) + payload)
        answers.flush()
        header = source.read(_LENGTH.size)
        if len(header) < _LENGTH.size:
            os._exit(0)  # nothing to flush or close: no interpreter teardown, the import waits for this exit
        request = marshal.loads(source.read(_LENGTH.unpack(header)[0]))
        if modules is None:
            answer = ("redo", "worker could not load the reader")
            continue
        try:
            answer = read_slice(request, modules)
        except Exception as error:  # noqa: BLE001 (any error: the QGIS process reads the slice and reports it)
            answer = ("redo", repr(error))


if __name__ == "__main__":
    sys.exit(main())
