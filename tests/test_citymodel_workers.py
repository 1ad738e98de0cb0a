"""Parse workers: tiles read in worker processes give the GeoPackage an in-process import gives, failures
are listed the same way, a cancel stops the workers, and without a python3 the import runs in-process."""

import io
import marshal
import os
import re
import subprocess
import sys

import pytest
from citymodel_support import (
    RecordingFeedback,
    fixture,
    fixture_bytes,
    fixture_text,
    geopackage_content,
    query,
    scalar,
    spatial_index_matches,
)

from herne_twin_plugin.core.citymodel import import_city_model, importer, parse_pool, tile_slices
from herne_twin_plugin.core.citymodel.building_features import building_rows
from herne_twin_plugin.core.citymodel.citygml_reader import CityGMLReader
from herne_twin_plugin.core.citymodel.errors import TileError
from herne_twin_plugin.core.citymodel.tile_rows import TileRows
from herne_twin_plugin.core.sample_city import generate

BAD_FIXTURES = ("billion_laughs.gml", "broken_xlink.gml", "degenerate_polygons.gml", "external_entity_file.gml",
                "external_entity_http.gml", "missing_srs.gml", "truncated.gml", "unknown_srs.gml",
                "wrong_namespace_building.gml", "wrong_namespace_model.gml")


@pytest.fixture(scope="module")
def sample_city(tmp_path_factory):
    return generate(str(tmp_path_factory.mktemp("workers_sample")), scale="sample")


@pytest.fixture
def small_slices(monkeypatch):
    """Every tile goes to the workers, cut into slices of 64 KB (several per tile)."""
    monkeypatch.setattr(parse_pool, "MIN_TILE_BYTES", 0)
    monkeypatch.setattr(parse_pool, "MIN_SLICED_BYTES", 0)
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", 1 << 16)


@pytest.fixture
def read_here(monkeypatch):
    """Slices this process had to read itself (a building failed in them, or a worker could not read them)."""
    calls = []
    original = importer._read_here

    def spy(path, plan, piece, tile, options):
        calls.append(piece.start)
        return original(path, plan, piece, tile, options)

    monkeypatch.setattr(importer, "_read_here", spy)
    return calls


def _in_process(monkeypatch, *args, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(parse_pool, "python_executable", lambda: None)
        summary = import_city_model(*args, **kwargs)
    assert summary.parse_workers == 0
    return summary


def _assert_same_geopackage(actual, expected):
    expected_content, actual_content = geopackage_content(expected), geopackage_content(actual)
    assert list(actual_content) == list(expected_content)
    for table, rows in expected_content.items():
        assert actual_content[table] == rows, table


def test_workers_write_the_geopackage_an_in_process_import_writes(sample_city, tmp_path, small_slices, read_here,
                                                                   monkeypatch):
    tiles = sample_city["citygml_tiles"]
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.parse_workers == parse_pool.worker_count() >= 1
    assert summary.buildings > 0 and summary.failures == 0 and not summary.tiles_failed
    assert read_here == []  # every slice was read by a worker
    expected = str(tmp_path / "in_process.gpkg")
    reference = _in_process(monkeypatch, tiles, expected)
    assert (summary.buildings, summary.tiles_imported) == (reference.buildings, reference.tiles_imported)
    _assert_same_geopackage(ours, expected)
    for layer in ("buildings", "building_footprints", "building_surfaces"):
        assert spatial_index_matches(ours, layer)


@pytest.fixture
def submitted(monkeypatch):
    """The slices sent to the workers (this process reads the others meanwhile)."""
    calls = []
    original = parse_pool.ParsePool.submit
    monkeypatch.setattr(parse_pool.ParsePool, "submit", lambda self, request: calls.append(request) or original(
        self, request))
    return calls


@pytest.mark.parametrize("answered", [False, True], ids=["workers-slow", "workers-ahead"])
def test_slices_this_process_reads_meanwhile_give_the_same_geopackage(answered, sample_city, tmp_path, small_slices,
                                                                      read_here, submitted, monkeypatch):
    """Waiting for a worker's answer that is not there, this process reads the next slice itself: the rows
    land in the same order, the GeoPackage is the one an in-process import writes."""
    monkeypatch.setattr(parse_pool._Worker, "answered", lambda self: answered)
    tiles = sample_city["citygml_tiles"][:3]
    ours = str(tmp_path / "meanwhile.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.parse_workers >= 1 and submitted  # the workers read slices too
    if answered:
        assert summary.slices_read_meanwhile == 0
    else:
        assert summary.slices_read_meanwhile >= len(tiles)  # (the workers' first slices are asked ahead)
    assert read_here == [] and summary.failures == 0
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, tiles, expected)
    _assert_same_geopackage(ours, expected)


@pytest.mark.parametrize("name", ["broken_xlink.gml", "degenerate_polygons.gml", "truncated.gml",
                                  "wrong_namespace_building.gml", "missing_srs.gml"])
def test_bad_input_in_slices_read_meanwhile_is_reported_as_an_in_process_import_reports_it(
        name, sample_city, tmp_path, small_slices, monkeypatch):
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", 2048)
    monkeypatch.setattr(parse_pool._Worker, "answered", lambda self: False)
    good = sample_city["citygml_tiles"][0]
    tiles = [good, fixture(name)]
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.slices_read_meanwhile > 0
    expected = str(tmp_path / "in_process.gpkg")
    reference = _in_process(monkeypatch, tiles, expected)
    assert summary.tiles_failed == reference.tiles_failed
    assert (summary.buildings, summary.failures) == (reference.buildings, reference.failures)
    assert summary.tiles_failed or summary.failures
    _assert_same_geopackage(ours, expected)


def test_one_worker_fewer_than_cores_where_this_process_reads_too(monkeypatch):
    monkeypatch.setattr(parse_pool.os, "sched_getaffinity", lambda pid: set(range(4)), raising=False)
    assert parse_pool.worker_count() == 3
    monkeypatch.setattr(parse_pool, "reads_meanwhile", lambda: False)  # (Windows: no asking a pipe)
    assert parse_pool.worker_count() == 4
    monkeypatch.setattr(parse_pool.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert parse_pool.worker_count() == 0


def test_the_workers_start_on_the_next_tile_before_the_current_one_is_committed(sample_city, tmp_path,
                                                                                small_slices, monkeypatch):
    events = []
    original_init, original_commit = importer._SlicedTile.__init__, importer.CityModelGeoPackage.commit_tile

    def init(self, path, name, *args):
        events.append(("asked", name))
        original_init(self, path, name, *args)

    def commit(self, tile, *args):
        events.append(("committed", tile))
        return original_commit(self, tile, *args)

    monkeypatch.setattr(importer._SlicedTile, "__init__", init)
    monkeypatch.setattr(importer.CityModelGeoPackage, "commit_tile", commit)
    tiles = sample_city["citygml_tiles"][:3]
    names = [os.path.basename(t) for t in tiles]
    summary = import_city_model(tiles, str(tmp_path / "ahead.gpkg"))
    assert summary.tiles_imported == names
    assert events == [("asked", names[0]), ("asked", names[1]), ("committed", names[0]), ("asked", names[2]),
                      ("committed", names[1]), ("committed", names[2])]


def test_a_workers_answer_crosses_the_pipe_unchanged(sample_city):
    """The rows of a run of buildings, as a worker hands them over (marshal), are the rows made here."""
    rows = TileRows({"buildings": 7, "building_footprints": 7, "building_surfaces": 7}, keep_parts=False)
    with open(sample_city["citygml_tiles"][0], "rb") as handle:
        for building in CityGMLReader(handle).buildings():
            if building.failure is None:
                rows.add_building(building_rows(building, "tile.gml"))
    assert len(rows) > 0
    received = TileRows.from_answer(rows.srs_ids, marshal.loads(marshal.dumps(rows.answer())))
    assert received.building_ids == rows.building_ids and received.dissolve == rows.dissolve
    assert list(received.layers) == list(rows.layers)
    for name, (values, boxes) in rows.layers.items():
        assert received.layers[name][0] == values, name
        assert received.layers[name][1] == boxes and received.layers[name][1].typecode == "d", name


def _slices_asked_when_the_layers_are_made(monkeypatch):
    """The number of slices the workers had been asked for when GDAL started creating the layers, per import."""
    asked = []
    original_init, original_submit = importer.CityModelGeoPackage.__init__, parse_pool.ParsePool.submit
    submitted = [0]

    def submit(self, request):
        submitted[0] += 1
        return original_submit(self, request)

    def init(self, *args, **kwargs):
        asked.append(submitted[0])
        submitted[0] = 0
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(parse_pool.ParsePool, "submit", submit)
    monkeypatch.setattr(importer.CityModelGeoPackage, "__init__", init)
    return asked


def test_the_workers_start_on_the_first_tile_while_a_new_geopackage_is_made(sample_city, tmp_path, small_slices,
                                                                           monkeypatch):
    """Into a new GeoPackage the first slices are asked for before its layers exist (their srs_ids are known
    beforehand); into an existing one only once it is open (its srs_ids are read from it)."""
    asked = _slices_asked_when_the_layers_are_made(monkeypatch)
    tiles = sample_city["citygml_tiles"][:2]
    ours = str(tmp_path / "early.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.parse_workers >= 1 and len(summary.tiles_imported) == 2
    assert asked[0] >= 1
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, tiles, expected)
    _assert_same_geopackage(ours, expected)
    again = import_city_model(sample_city["citygml_tiles"][2:3], ours)
    assert again.tiles_imported and asked[-1] == 0


def test_slices_asked_with_srs_ids_the_new_geopackage_does_not_have_are_read_again(sample_city, tmp_path,
                                                                                   small_slices, read_here,
                                                                                   monkeypatch):
    """Where GDAL numbered a coordinate system otherwise than foreseen, the answers made with the foreseen
    numbers are dropped and the tile is read with the GeoPackage's own: the same GeoPackage."""
    asked = _slices_asked_when_the_layers_are_made(monkeypatch)
    monkeypatch.setattr(importer, "new_srs_ids", lambda path, keep_parts: {
        name: 4647 for name in ("buildings", "building_footprints", "building_surfaces")})
    tiles = sample_city["citygml_tiles"][:2]
    ours = str(tmp_path / "guessed_wrong.gpkg")
    summary = import_city_model(tiles, ours)
    assert asked[0] >= 1 and summary.parse_workers >= 1 and len(summary.tiles_imported) == 2
    assert scalar(ours, "SELECT COUNT(*) FROM building_surfaces WHERE substr(geom, 5, 4) = X'27120000'") == 0
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, tiles, expected)
    _assert_same_geopackage(ours, expected)


def test_real_tiles_with_building_parts_are_the_same_from_workers(shared_citygml_dir, tmp_path, small_slices,
                                                                  monkeypatch):
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model([shared_citygml_dir], ours, keep_parts=True)
    assert summary.parse_workers >= 1 and summary.buildings == 239
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, [shared_citygml_dir], expected, keep_parts=True)
    _assert_same_geopackage(ours, expected)
    assert scalar(ours, "SELECT COUNT(*) FROM building_parts") > 0


@pytest.mark.parametrize("slice_bytes", [1 << 16, 2048])
@pytest.mark.parametrize("name", BAD_FIXTURES)
def test_bad_input_is_reported_as_an_in_process_import_reports_it(name, slice_bytes, sample_city, tmp_path,
                                                                   small_slices, monkeypatch):
    """Per tile (a broken tile: its reason, the good tile beside it imported) and per building (reason and
    line, also in later slices), in the user's language: the slice is then read in this process."""
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", slice_bytes)
    good, other = sample_city["citygml_tiles"][:2]
    tiles = [good, fixture(name), other]  # the bad tile asked ahead while the good one finishes, and before one
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.parse_workers >= 1
    expected = str(tmp_path / "in_process.gpkg")
    reference = _in_process(monkeypatch, tiles, expected)
    assert summary.tiles_failed == reference.tiles_failed
    assert (summary.buildings, summary.failures) == (reference.buildings, reference.failures)
    assert {os.path.basename(good), os.path.basename(other)} <= set(summary.tiles_imported)
    assert summary.tiles_failed or summary.failures  # each fixture is bad in one way or the other
    _assert_same_geopackage(ours, expected)


def test_a_failing_building_is_listed_with_the_line_of_the_whole_file(tmp_path, small_slices, read_here):
    gpkg = str(tmp_path / "broken.gpkg")
    summary = import_city_model([fixture("degenerate_polygons.gml")], gpkg)
    assert summary.failures >= 1 and read_here  # the slice came back to be read here
    with open(fixture("degenerate_polygons.gml"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    for building_id, reason in query(gpkg, "SELECT building_id, reason FROM import_failures"):
        line = int(reason.rsplit("(line ", 1)[1].rstrip(")"))
        assert 'gml:id="{}"'.format(building_id) in lines[line - 1]


def test_a_failing_building_early_in_a_big_tile_leaves_the_rest_to_the_workers(tmp_path, small_slices, read_here,
                                                                               monkeypatch):
    """The slice with the failing building is read here; the tile is not read again as a whole, and its
    other slices are planned on (reading the failing slice here must not move the plan's place in the file)."""
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", 2048)
    text = fixture_text("degenerate_polygons.gml")
    end = text.index("</core:CityModel>")
    good = fixture_text("gable_house.gml")
    good_member = good[good.index("  <core:cityObjectMember>"):good.index("</core:CityModel>")]
    members = [good_member.replace("DENW36ALtest0001", "DENW36ALgood{:04d}".format(n)) for n in range(40)]
    path = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    path.write_text(text[:end] + "".join(members) + text[end:], encoding="utf-8")
    whole = []
    original_reader = importer._reader
    monkeypatch.setattr(importer, "_reader", lambda *args: whole.append(args) or original_reader(*args))
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model([str(path)], ours)
    assert read_here and not whole  # the failing slices read here, the tile not again as a whole
    assert summary.buildings >= 40 and summary.failures >= 1
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, [str(path)], expected)
    _assert_same_geopackage(ours, expected)


def test_a_member_end_tag_in_a_comment_does_not_cut_a_building(tmp_path, monkeypatch, small_slices, read_here):
    """A cut inside a comment leaves slices that do not parse: the tile is read here as a whole, the same."""
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", 1024)
    with open(fixture("gable_house.gml"), encoding="utf-8") as handle:
        text = handle.read()
    start, end = text.index("  <core:cityObjectMember>"), text.index("</core:CityModel>")
    member = text[start:end]
    members = [member.replace("DENW36ALtest0001", "DENW36ALtest000{}".format(n)) for n in range(1, 5)]
    members.insert(2, "  <!-- a note: </core:cityObjectMember> -->\n")
    path = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    path.write_text(text[:start] + "".join(members) + text[end:], encoding="utf-8")
    ours = str(tmp_path / "workers.gpkg")
    summary = import_city_model([str(path)], ours)
    assert summary.buildings == 4 and summary.failures == 0 and not summary.tiles_failed
    assert read_here  # the slice cut in the comment came back from its worker
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, [str(path)], expected)
    _assert_same_geopackage(ours, expected)


def test_cancel_stops_the_workers_and_leaves_the_geopackage_consistent(sample_city, tmp_path, small_slices,
                                                                       monkeypatch):
    tiles = sample_city["citygml_tiles"][:3]
    gpkg = str(tmp_path / "canceled.gpkg")
    pools = []
    start = parse_pool.ParsePool.start.__func__

    def recording_start(cls, workers=None):
        pool = start(cls, workers)
        pools.append((pool, list(pool.pids)))
        return pool

    monkeypatch.setattr(parse_pool.ParsePool, "start", classmethod(recording_start))
    committed = []

    def cancel_in_second_tile(feedback):
        if not committed and query(gpkg, "SELECT 1 FROM import_tiles"):
            committed.append(feedback.checks)
        return bool(committed) and feedback.checks > committed[0] + 2

    summary = import_city_model(tiles, gpkg, feedback=RecordingFeedback(cancel_in_second_tile))
    assert summary.canceled and summary.tiles_imported == [os.path.basename(tiles[0])]
    (pool, pids), = pools
    assert pids
    for pid in pids:
        with pytest.raises(ProcessLookupError):  # ended and reaped
            os.kill(pid, 0)
    for layer in ("buildings", "building_surfaces", "building_footprints"):
        assert query(gpkg, 'SELECT DISTINCT source_tile FROM "{}"'.format(layer)) == [(os.path.basename(tiles[0]),)]
        assert spatial_index_matches(gpkg, layer)
    rest = import_city_model(tiles, gpkg)
    assert len(rest.tiles_imported) == 2 and rest.tiles_skipped == [os.path.basename(tiles[0])]


def test_workers_start_for_a_big_tile_and_then_read_the_smaller_ones_too(sample_city, tmp_path, monkeypatch):
    tiles = sorted(sample_city["citygml_tiles"], key=os.path.getsize)
    big, small = tiles[-1], tiles[:-1]
    monkeypatch.setattr(parse_pool, "MIN_TILE_BYTES", os.path.getsize(big))
    monkeypatch.setattr(parse_pool, "MIN_SLICED_BYTES", 1)
    monkeypatch.setattr(parse_pool, "SLICE_BYTES", 1 << 16)
    sliced = []
    original = importer._import_tile_sliced

    def spy(geopackage, pool, path, *args):
        sliced.append(path)
        return original(geopackage, pool, path, *args)

    monkeypatch.setattr(importer, "_import_tile_sliced", spy)
    only_small = import_city_model(small, str(tmp_path / "small.gpkg"))
    assert only_small.parse_workers == 0 and sliced == []  # not worth starting workers
    everything = import_city_model(small + [big], str(tmp_path / "all.gpkg"))
    assert everything.parse_workers >= 1 and sliced == small + [big]


def test_without_python3_the_import_runs_in_process(sample_city, tmp_path, small_slices, monkeypatch):
    monkeypatch.setattr(parse_pool, "python_executable", lambda: None)
    summary = import_city_model(sample_city["citygml_tiles"][:2], str(tmp_path / "plain.gpkg"))
    assert summary.parse_workers == 0 and summary.buildings > 0 and not summary.tiles_failed


def test_a_worker_that_dies_leaves_the_tile_to_this_process(sample_city, tmp_path, small_slices, monkeypatch):
    script = tmp_path / "dies.py"
    script.write_text("import sys\nsys.exit(3)\n")
    monkeypatch.setattr(parse_pool, "_WORKER_SCRIPT", str(script))
    tiles = sample_city["citygml_tiles"][:2]
    ours = str(tmp_path / "died.gpkg")
    summary = import_city_model(tiles, ours)
    assert summary.tiles_imported == [os.path.basename(t) for t in tiles] and not summary.tiles_failed
    expected = str(tmp_path / "in_process.gpkg")
    _in_process(monkeypatch, tiles, expected)
    _assert_same_geopackage(ours, expected)


@pytest.mark.parametrize("embedded", ["qgis", "python3"])
def test_inside_qgis_a_python3_of_the_same_version_is_found(embedded, tmp_path, monkeypatch):
    """Inside QGIS sys.executable is the QGIS program, or whatever python3 comes first on the PATH (seen in
    qgis_process: a pyenv shim without lxml); the workers' interpreter is QGIS's own Python's."""
    elsewhere = tmp_path / embedded
    elsewhere.write_text("#!/bin/sh\nexit 1\n")
    elsewhere.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(elsewhere))
    python = parse_pool.python_executable()
    assert python is not None and os.path.basename(python).startswith("python") and python != str(elsewhere)
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert version == str(tuple(sys.version_info[:2]))


def test_a_worker_reads_without_qgis_gdal_or_numpy(shared_citygml_dir, tmp_path):
    """What makes a worker cheap to start and small: it loads the reader and lxml only, also for buildings
    whose footprint has several polygons to dissolve (the real tiles' buildings with parts)."""
    tile = os.path.join(shared_citygml_dir, "LoD2_32_326_5727_1_NW.gml")
    code = """
import marshal, sys
sys.path.insert(0, sys.argv[1])
import parse_worker
modules = parse_worker._load_reader(sys.argv[2])
tile_slices = modules[3]
dissolved = 0
with open(sys.argv[3], "rb") as handle:
    plan = tile_slices.SlicePlan(handle, 1 << 16)
    for piece in plan.slices():
        answer = parse_worker.read_slice({
            "path": sys.argv[3], "head_end": plan.head_end, "tail": plan.tail, "start": piece.start,
            "end": piece.end, "tile": "t", "keep_parts": True,
            "assume_srs": False, "max_object_bytes": 1 << 26,
            "srs_ids": {"buildings": 1, "building_footprints": 1, "building_surfaces": 1, "building_parts": 1}},
            modules)
        if answer[0] == "ok":
            dissolved += len(answer[1][2])
print(dissolved, sorted(m for m in sys.modules if m.split(".")[0] in ("qgis", "osgeo", "numpy", "PyQt5")))
"""
    folder = os.path.dirname(parse_pool._WORKER_SCRIPT)
    result = subprocess.run([sys.executable, "-c", code, folder, parse_pool._PACKAGE_ROOT, tile],
                            capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert int(result[0]) > 0  # footprints left to dissolve in the QGIS process
    assert result[1].strip() == "[]"


def _read_all(data, in_one_piece):
    """(gml:id, line, failure, polygons of each piece's solid and surfaces) of every building of ``data``."""
    reader = CityGMLReader(io.BytesIO(data), in_one_piece=in_one_piece)
    return [(building.object_id, building.line, building.failure,
             [(piece.object_id, [p.rings for p in piece.solid or ()],
               [(s.surface_type, [p.rings for p in s.polygons]) for s in piece.surfaces])
              for piece in building.pieces()])
            for building in reader.buildings()]


def test_a_slice_read_in_one_piece_gives_the_buildings_the_streaming_reader_gives(sample_city):
    """A worker's reader finds the buildings through lxml (not a walk over every element): the same
    buildings, also one inside a gml:featureMember, and not the Building nested in another one."""
    with open(sample_city["citygml_tiles"][0], "rb") as handle:
        tile = handle.read()
    assert _read_all(tile, True) == _read_all(tile, False)
    house = fixture_text("gable_house.gml")
    member_end = house.rindex("</core:cityObjectMember>") + len("</core:cityObjectMember>")
    member_start = house.index("<core:cityObjectMember>")
    member = house[member_start:member_end]
    building = member[member.index("<bldg:Building"):member.rindex("</bldg:Building>") + len("</bldg:Building>")]
    nested = building.replace('gml:id="', 'gml:id="inner_', 1)
    assert building.count("</bldg:Building>") == 1
    outer = building.replace("</bldg:Building>", "<gen:nested>{}</gen:nested></bldg:Building>".format(nested))
    featured = building.replace('gml:id="', 'gml:id="featured_', 1)
    document = (house[:member_end] + "<core:cityObjectMember>" + outer + "</core:cityObjectMember>"
                + "<gml:featureMember>" + featured + "</gml:featureMember>" + house[member_end:]).encode("utf-8")
    streamed = _read_all(document, False)
    assert _read_all(document, True) == streamed
    ids = [row[0] for row in streamed]
    assert b'gml:id="inner_' in document
    assert len(ids) == 3 and ids[2].startswith("featured_") and not any(i.startswith("inner_") for i in ids)


@pytest.mark.parametrize("name", ["wrong_namespace_building.gml", "wrong_namespace_model.gml", "truncated.gml",
                                  "missing_srs.gml", "unknown_srs.gml"])
def test_a_slice_read_in_one_piece_refuses_what_the_streaming_reader_refuses(name):
    data = fixture_bytes(name)
    with pytest.raises(TileError):
        _read_all(data, False)
    with pytest.raises(TileError):
        _read_all(data, True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are set on Linux only")
def test_a_worker_can_hand_over_its_answers_without_waiting_for_this_process():
    """The pipe of a worker's answers holds the answers it may have in flight (a dense tile's slice gives
    about 350 KB), so that the worker reads on while this process writes the other worker's rows."""
    import fcntl

    pool = parse_pool.ParsePool.start(1)
    assert pool is not None
    try:
        capacity = fcntl.fcntl(pool._workers[0].process.stdout.fileno(), getattr(fcntl, "F_GETPIPE_SZ", 1032))
    finally:
        pool.stop()
    with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
        if int(limit.read()) < parse_pool.PIPE_BYTES and os.geteuid() != 0:
            pytest.skip("this system allows no pipe of {} bytes".format(parse_pool.PIPE_BYTES))
    assert capacity == parse_pool.PIPE_BYTES >= parse_pool.IN_FLIGHT * 400_000


@pytest.mark.skipif(not parse_pool.reads_meanwhile(), reason="this process cannot ask a pipe for an answer here")
def test_a_worker_that_is_only_ready_has_not_answered_yet(sample_city):
    """The worker's first message (that it is ready) is no answer: this process reads a slice meanwhile
    instead of waiting for the worker's first slice."""
    import time

    pool = parse_pool.ParsePool.start(1)
    assert pool is not None
    worker = pool._workers[0]
    try:
        deadline = time.monotonic() + 10
        while not worker.ready and time.monotonic() < deadline:
            assert not worker.answered()  # (takes the ready message once it is there)
            time.sleep(0.01)
        assert worker.ready and not worker.answered()
        pool.submit(_first_slice_request(sample_city["citygml_tiles"][0]))
        while not worker.answered() and time.monotonic() < deadline:
            time.sleep(0.01)
        answer = pool.result()
        assert answer[0] == "ok" and answer[1][0]  # the slice's buildings
    finally:
        pool.stop()


def test_a_worker_started_without_the_site_module_finds_lxml_where_it_is_not_told(sample_city, monkeypatch,
                                                                                  tmp_path):
    """A worker starts without the site module and looks for lxml where this process found it; where lxml is
    not there (another installation), it loads the site module after all and reads as before."""
    monkeypatch.setattr(parse_pool, "_library_root", lambda: str(tmp_path))  # an empty folder: no lxml there
    pool = parse_pool.ParsePool.start(1)
    assert pool is not None
    try:
        arguments = pool._workers[0].process.args
        pool.submit(_first_slice_request(sample_city["citygml_tiles"][0]))
        answer = pool.result()
    finally:
        pool.stop()
    assert "-S" in arguments and str(tmp_path) in arguments
    assert answer[0] == "ok" and answer[1][0]  # the slice's buildings


def _first_slice_request(path):
    """A worker's request for the first slice (of 64 KB) of the tile at ``path``."""
    with open(path, "rb") as handle:
        plan = tile_slices.SlicePlan(handle, 1 << 16)
        piece = next(plan.slices())
    return {"path": path, "tile": os.path.basename(path), "keep_parts": False, "assume_srs": False,
            "max_object_bytes": 64 << 20, "srs_ids": {"buildings": 25832, "building_footprints": 25832,
                                                      "building_surfaces": 25832},
            "head_end": plan.head_end, "tail": plan.tail, "start": piece.start, "end": piece.end}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak memory is read from /proc (Linux)")
def test_the_workers_end_while_the_last_tile_commits_and_their_peak_memory_is_kept(sample_city, tmp_path,
                                                                                    small_slices, monkeypatch):
    events = []
    let_go, commit = parse_pool.ParsePool.let_go, importer.CityModelGeoPackage.commit_tile
    monkeypatch.setattr(parse_pool.ParsePool, "let_go", lambda self: events.append("let go") or let_go(self))
    monkeypatch.setattr(importer.CityModelGeoPackage, "commit_tile",
                        lambda self, *args: events.append("commit") or commit(self, *args))
    tiles = sample_city["citygml_tiles"][:2]
    summary = import_city_model(tiles, str(tmp_path / "out.gpkg"))
    assert summary.parse_workers >= 1 and len(summary.tiles_imported) == 2
    assert events == ["commit", "let go", "commit"]  # only before the last tile's commit
    assert summary.workers_peak_kb > 1000  # (read before they ended)


def test_a_pool_whose_workers_were_let_go_refuses_more_requests(sample_city):
    pool = parse_pool.ParsePool.start(1)
    assert pool is not None
    try:
        pool.let_go()
        with pytest.raises(parse_pool.PoolBroken):  # the importer then reads in-process
            pool.submit(_first_slice_request(sample_city["citygml_tiles"][0]))
    finally:
        pool.stop()


@pytest.mark.parametrize("own", [None, "1048576"], ids=["default", "the user's own"])
def test_a_worker_keeps_heap_for_its_next_slice_unless_told_otherwise(own, sample_city, monkeypatch):
    """glibc's malloc in a worker keeps WORKER_HEAP_PAD bytes when its heap shrinks (each slice's tree then
    reuses the pages of the one before); a value the user set stays."""
    if own is None:
        monkeypatch.delenv("MALLOC_TOP_PAD_", raising=False)
    else:
        monkeypatch.setenv("MALLOC_TOP_PAD_", own)
    pool = parse_pool.ParsePool.start(1)
    assert pool is not None
    try:
        pid = pool.pids[0]
        pool.submit(_first_slice_request(sample_city["citygml_tiles"][0]))
        assert pool.result()[0] == "ok"  # (the worker runs: its environment is its own now)
        if sys.platform.startswith("linux"):
            with open("/proc/{}/environ".format(pid), "rb") as environ:
                variables = dict(item.split(b"=", 1) for item in environ.read().split(b"\0") if b"=" in item)
            value = variables.get(b"MALLOC_TOP_PAD_", b"").decode()
        else:
            value = parse_pool._worker_environment()["MALLOC_TOP_PAD_"]
    finally:
        pool.stop()
    assert value == (own or str(parse_pool.WORKER_HEAP_PAD))


@pytest.mark.parametrize("past_head", [24, 31, 45, None], ids=["head+24", "head+31", "head+45", "64 KB"])
def test_slices_end_after_whole_members_however_the_reads_cut_the_file(past_head, sample_city):
    """The plan reads the file in pieces: of 64 KB, or only a little longer than the head, so that many reads
    end inside a member's end tag. The slices follow each other without gap from the head on, each but the
    last ends right after the last member end read (a tag cut in two by a read counts) once half a slice is
    read, and read as documents of their own they give the file's buildings in the file's order."""
    with open(sample_city["citygml_tiles"][0], "rb") as handle:
        document = handle.read()
    close = b"</core:cityObjectMember>"
    ends = [match.end() for match in re.finditer(re.escape(close), document)]
    read_bytes = 1 << 16 if past_head is None else document.index(b"<core:cityObjectMember>") + past_head
    if past_head is not None:  # (reads that end inside an end tag: the case this is about)
        assert any((end - len(close)) // read_bytes != (end - 1) // read_bytes for end in ends)
    expected = [building.object_id for building in CityGMLReader(io.BytesIO(document)).buildings()]
    plan = tile_slices.SlicePlan(io.BytesIO(document), read_bytes)
    pieces = list(plan.slices())
    assert pieces[0].start == plan.head_end and pieces[-1].end is None and len(pieces) > 2
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    assert all(document[:piece.end].endswith(close) for piece in pieces[:-1])
    start = plan.head_end
    for piece in pieces[:-1]:  # each cut: after the last member end read once half a slice or more is read
        read_end = read_bytes
        while not ((read_end - start >= read_bytes // 2 or read_end >= len(document))
                   and any(start < end <= read_end for end in ends)):
            read_end += read_bytes
        assert piece.end == max(end for end in ends if end <= read_end)
        start = piece.end
    read = []
    for piece in pieces:
        text = tile_slices.read_slice(io.BytesIO(document), plan.head_end, plan.tail, piece)
        read += [building.object_id for building in CityGMLReader(io.BytesIO(text)).buildings()]
    assert read == expected and len(expected) > 3
