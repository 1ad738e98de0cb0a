"""Bad input for the city-model importer: a clear error or a per-building failure with its reason; no crash,
no partial tile, nothing fetched or read that the file points at."""

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc

import pytest
from citymodel_support import RecordingServer, fixture, fixture_bytes, fixture_text, query, scalar, tile_rows
from lxml import etree

from herne_twin_plugin.core.citymodel import TileError, import_city_model, xml_safety
from herne_twin_plugin.core.citymodel.citygml_reader import CityGMLReader

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "Kanalkataster-Geheimnis-0815"


def import_one(tmp_path, path, **options):
    """Import one file next to the good gable house; return (summary, gpkg)."""
    gpkg = str(tmp_path / "city.gpkg")
    summary = import_city_model([fixture("gable_house.gml"), path], gpkg, **options)
    return summary, gpkg


def assert_tile_refused(summary, gpkg, name, *words):
    """The tile failed as a whole with a reason naming ``words``; nothing of it is in the GeoPackage,
    the good house beside it is, and the failure is listed."""
    assert [tile for tile, _reason in summary.tiles_failed] == [name]
    reason = summary.tiles_failed[0][1]
    for word in words:
        assert word in reason, reason
    assert summary.tiles_imported == ["gable_house.gml"]
    rows = tile_rows(gpkg, name)
    assert rows["buildings"] == rows["building_surfaces"] == rows["building_footprints"] == 0
    assert query(gpkg, "SELECT building_id, reason FROM import_failures WHERE source_tile = ?", (name,)) == [
        (None, reason)]
    assert [row[0] for row in query(gpkg, "SELECT tile FROM import_tiles")] == ["gable_house.gml"]
    return reason


def test_a_truncated_file_is_refused_whole(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("truncated.gml"))
    assert_tile_refused(summary, gpkg, "truncated.gml", "truncated", "line 279")
    # its first building was complete, yet nothing of the tile is kept
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings WHERE building_id = 'DENW36ALtest0011'") == 0


def test_a_file_cut_anywhere_never_leaves_a_partial_tile(tmp_path):
    text = fixture_bytes("broken_xlink.gml")
    gpkg = str(tmp_path / "cut.gpkg")
    for cut in range(200, len(text) - 20, len(text) // 23):
        path = tmp_path / "cut_{}.gml".format(cut)
        path.write_bytes(text[:cut])
        summary = import_city_model([str(path)], gpkg)
        assert summary.tiles_failed and not summary.tiles_imported, cut
        assert "truncated" in summary.tiles_failed[0][1]
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings") == 0
    assert scalar(gpkg, "SELECT COUNT(*) FROM import_tiles") == 0


def test_buildings_in_a_wrong_namespace_are_not_dropped_silently(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("wrong_namespace_building.gml"))
    assert_tile_refused(summary, gpkg, "wrong_namespace_building.gml", "building/9.9", "CityGML 1.0")


def test_a_city_model_in_a_foreign_namespace_is_refused(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("wrong_namespace_model.gml"))
    assert_tile_refused(summary, gpkg, "wrong_namespace_model.gml", "http://example.com/not-citygml")


@pytest.mark.parametrize("document, words", [
    (b"", ("empty",)),
    (b"   \n  ", ("empty",)),
    (b"GIF89a not xml", ("not XML",)),
    (b'<?xml version="1.0"?><FeatureCollection xmlns="urn:x"/>', ("not a CityGML", "FeatureCollection")),
    (b'<CityModel xmlns="http://www.opengis.net/citygml/3.0"/>', ("3.0",)),
    (b'<c:CityModel xmlns:c="http://www.opengis.net/citygml/1.0">' + b"<a>" * 300, ("nested too deeply",)),
])
def test_files_that_are_not_citygml_get_a_clear_error(tmp_path, document, words):
    path = tmp_path / "odd.gml"
    path.write_bytes(document)
    summary, gpkg = import_one(tmp_path, str(path))
    assert_tile_refused(summary, gpkg, "odd.gml", *words)


def test_a_missing_srs_name_is_an_error_unless_the_user_assumes_epsg_25832(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("missing_srs.gml"))
    assert_tile_refused(summary, gpkg, "missing_srs.gml", "srsName", "EPSG:25832")
    assumed = import_city_model([fixture("missing_srs.gml")], gpkg, assume_srs=True)
    assert assumed.tiles_imported == ["missing_srs.gml"] and assumed.buildings == 1


def test_an_unknown_srs_name_is_an_error_even_when_assuming(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("unknown_srs.gml"), assume_srs=True)
    assert_tile_refused(summary, gpkg, "unknown_srs.gml", "urn:ogc:def:crs:EPSG::4326", "not supported")


def test_a_geometry_in_another_crs_fails_its_building(tmp_path):
    text = fixture_text("gable_house.gml").replace(
        "<gml:Solid>", '<gml:Solid srsName="EPSG:31467">')
    path = tmp_path / "gauss_krueger.gml"
    path.write_text(text, encoding="utf-8")
    summary = import_city_model([str(path)], str(tmp_path / "c.gpkg"))
    [(building_id, reason)] = query(summary.geopackage, "SELECT building_id, reason FROM import_failures")
    assert building_id == "DENW36ALtest0001" and "EPSG:31467" in reason


def test_billion_laughs_is_refused_fast_and_small(tmp_path):
    tracemalloc.start()
    started = time.perf_counter()
    summary, gpkg = import_one(tmp_path, fixture("billion_laughs.gml"))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert_tile_refused(summary, gpkg, "billion_laughs.gml", "entities")
    assert elapsed < 2.0 and peak < 20 * 2**20
    assert scalar(gpkg, "SELECT COUNT(*) FROM buildings WHERE function_code LIKE '%lol%'") == 0


def test_the_parser_itself_never_expands_entities(tmp_path):
    """Defence in depth: even past the DOCTYPE check, lxml is set up not to expand entities."""
    data = fixture_bytes("billion_laughs.gml")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    texts = []
    try:
        for _event, element in xml_safety.iterparse(io.BytesIO(data), ("end",), ["{*}function"]):
            texts.append(element.text or "")
    except etree.XMLSyntaxError:
        pass  # libxml2 may also refuse the document: fine
    assert all("lol" not in text for text in texts)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # kB


@pytest.fixture
def secret_server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "secret.txt").write_text(SECRET)
    with RecordingServer(str(served)) as server:
        yield server


def test_an_external_entity_over_http_is_never_fetched(tmp_path, secret_server):
    path = tmp_path / "xxe_http.gml"
    path.write_text(fixture_text("external_entity_http.gml").replace(
        "{PORT}", str(secret_server.server_address[1])), encoding="utf-8")
    summary, gpkg = import_one(tmp_path, str(path))
    assert_tile_refused(summary, gpkg, "xxe_http.gml", "entities")
    # past the DOCTYPE check too: the parser does not fetch it
    with open(path, "rb") as handle:
        texts = _parse_function_texts(handle)
    assert secret_server.requests == []
    assert all(SECRET not in text for text in texts)
    with open(gpkg, "rb") as handle:
        assert SECRET.encode() not in handle.read()


def test_a_file_entity_is_never_read(tmp_path):
    """The entity points at a named pipe: whoever opens it for reading would be seen (and block)."""
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    path = tmp_path / "xxe_file.gml"
    path.write_text(fixture_text("external_entity_file.gml").replace(
        "{PATH}", str(fifo)), encoding="utf-8")
    opened, finished = [], threading.Event()

    def watch():
        descriptor = os.open(fifo, os.O_WRONLY)  # returns once someone opens the pipe for reading
        if not finished.is_set():
            opened.append(True)
            os.write(descriptor, SECRET.encode())
        os.close(descriptor)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        summary, gpkg = import_one(tmp_path, str(path))
        assert_tile_refused(summary, gpkg, "xxe_file.gml", "entities")
        with open(path, "rb") as handle:
            texts = _parse_function_texts(handle)
    finally:
        finished.set()
        release = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the watcher's open return
        watcher.join(5)
        os.close(release)
    assert opened == []
    assert all(SECRET not in text for text in texts)


def _parse_function_texts(handle):
    texts = []
    try:
        for _event, element in xml_safety.iterparse(handle, ("end",), ["{*}function"]):
            texts.append(element.text or "")
    except etree.XMLSyntaxError:
        pass
    return texts


def test_a_broken_xlink_fails_only_its_building(tmp_path):
    summary = import_city_model([fixture("broken_xlink.gml")], str(tmp_path / "c.gpkg"))
    gpkg = summary.geopackage
    assert summary.tiles_imported == ["broken_xlink.gml"] and (summary.buildings, summary.failures) == (1, 1)
    [(building_id, reason)] = query(gpkg, "SELECT building_id, reason FROM import_failures")
    assert building_id == "DENW36ALtest0042"
    assert "#GUID_missing_polygon" in reason and "xlink:href" in reason and "line" in reason
    assert query(gpkg, "SELECT building_id FROM buildings") == [("DENW36ALtest0041",)]
    assert scalar(gpkg, "SELECT COUNT(*) FROM building_surfaces WHERE building_id = 'DENW36ALtest0042'") == 0
    assert query(gpkg, "SELECT buildings, failures FROM import_tiles") == [(1, 1)]


def test_degenerate_polygons_fail_their_buildings_with_the_reason(tmp_path):
    summary = import_city_model([fixture("degenerate_polygons.gml")], str(tmp_path / "c.gpkg"))
    failures = dict(query(summary.geopackage, "SELECT building_id, reason FROM import_failures"))
    assert summary.buildings == 1 and summary.failures == 3
    assert "fewer than 3 distinct points" in failures["DENW36ALtest0052"]
    assert "no area" in failures["DENW36ALtest0053"]
    assert "not numbers (NaN" in failures["DENW36ALtest0054"]
    for building_id, reason in failures.items():
        assert building_id + "_roof_south" in reason  # names the polygon
    assert query(summary.geopackage, "SELECT building_id FROM buildings") == [("DENW36ALtest0051",)]


@pytest.mark.parametrize("old, new, words", [
    ('<gml:posList srsDimension="3">369100 5713100 60 369100', '<gml:posList srsDimension="2">369100 5713100 60 369100',
     ("2D",)),
    ("369110 5713108 66 369100 5713108 66 369100 5713104 69 369110 5713104 69 369110 5713108 66",
     "369110 5713108 66 369100 5713108 zwei 369100 5713104 69 369110 5713104 69 369110 5713108 66",
     ("not numbers",)),
    ("369110 5713108 66 369100 5713108 66 369100 5713104 69 369110 5713104 69 369110 5713108 66",
     "369110 5713108 66 369100 5713108 66 369100 5713104 69 369110 5713104 69 369110 5713108",
     ("x y z",)),
])
def test_broken_coordinates_fail_their_building(tmp_path, old, new, words):
    text = fixture_text("gable_house.gml")
    assert old in text
    path = tmp_path / "broken.gml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    summary = import_city_model([str(path)], str(tmp_path / "c.gpkg"))
    assert summary.failures == 1 and summary.buildings == 0
    reason = scalar(summary.geopackage, "SELECT reason FROM import_failures")
    for word in words:
        assert word in reason, reason


def test_a_building_without_geometry_is_listed(tmp_path):
    text = fixture_text("gable_house.gml")
    start = text.index("      <bldg:lod2Solid>")
    path = tmp_path / "empty.gml"
    path.write_text(text[:start] + text[text.index("    </bldg:Building>"):], encoding="utf-8")
    summary = import_city_model([str(path)], str(tmp_path / "c.gpkg"))
    assert "no LoD1 or LoD2 geometry" in scalar(summary.geopackage, "SELECT reason FROM import_failures")


def test_a_duplicate_building_id_in_a_tile_is_listed(tmp_path):
    text = fixture_text("broken_xlink.gml").replace("DENW36ALtest0042", "DENW36ALtest0041")
    text = text.replace('xlink:href="#GUID_missing_polygon"', 'xlink:href="#DENW36ALtest0041_ground"')
    path = tmp_path / "twice.gml"
    path.write_text(text, encoding="utf-8")
    summary = import_city_model([str(path)], str(tmp_path / "c.gpkg"))
    assert (summary.buildings, summary.failures) == (1, 1)
    assert "twice" in scalar(summary.geopackage, "SELECT reason FROM import_failures")


# --- size: files far bigger than memory ---------------------------------------------------------

STREAM_SCRIPT = textwrap.dedent('''
    import os, sys, threading
    sys.path.insert(0, {root!r})
    from herne_twin_plugin.core.citymodel import import_city_model
    fifo, gpkg, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    template = open({house!r}, encoding="utf-8").read()
    head = template[:template.index("  <core:cityObjectMember>")]
    member = template[len(head):template.index("</core:CityModel>")]
    def feed():
        # a CityGML file of `megabytes` MB, written building by building into a pipe: never on disk
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(head)
            written, number = 0, 0
            while written < megabytes << 20:
                number += 1
                chunk = member.replace("DENW36ALtest0001", "DENW36ALbig%08d" % number)
                out.write(chunk)
                written += len(chunk)
            out.write("</core:CityModel>\\n")
        print("buildings", number)
    os.mkfifo(fifo)
    writer = threading.Thread(target=feed)
    writer.start()
    summary = import_city_model([fifo], gpkg)
    writer.join()
    print("imported", summary.buildings, summary.failures, len(summary.tiles_failed))
    # VmHWM: the peak of this process image (ru_maxrss would carry over the parent's peak)
    with open("/proc/self/status") as status:
        print("maxrss_kb", next(line.split()[1] for line in status if line.startswith("VmHWM:")))
''')


def _stream_import(tmp_path, megabytes):
    script = tmp_path / "stream.py"
    script.write_text(STREAM_SCRIPT.format(root=REPO_ROOT, house=fixture("gable_house.gml")))
    run = tmp_path / "run_{}".format(megabytes)
    run.mkdir()
    result = subprocess.run([sys.executable, str(script), str(run / "LoD2_32_369_5713_1_NW.gml"),
                             str(run / "city.gpkg"), str(megabytes)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    values = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    shutil.rmtree(run)
    return values


def test_a_file_of_hundreds_of_megabytes_streams_in_flat_memory(tmp_path):
    """20 MB and 200 MB of buildings through a pipe: the peak memory hardly grows (the reader frees
    every building; the writer flushes in batches)."""
    small = _stream_import(tmp_path, 20)
    large = _stream_import(tmp_path, 200)
    assert small["imported"].split()[0] == small["buildings"] and small["imported"].endswith(" 0 0")
    assert large["imported"].split()[0] == large["buildings"] and large["imported"].endswith(" 0 0")
    assert int(large["buildings"]) > 9 * int(small["buildings"])
    small_kb, large_kb = int(small["maxrss_kb"]), int(large["maxrss_kb"])
    assert large_kb < small_kb * 1.2 and large_kb < 400 * 1024, (small_kb, large_kb)


def test_a_file_over_the_size_limit_stops_with_a_clear_error(tmp_path):
    summary, gpkg = import_one(tmp_path, fixture("broken_xlink.gml"), max_bytes=8 * 1024)
    assert_tile_refused(summary, gpkg, "broken_xlink.gml", "larger than the limit")


def test_one_giant_building_is_refused_before_it_fills_memory(tmp_path):
    text = fixture_text("gable_house.gml")
    padding = "<!-- padding -->" * 200000  # 3 MB inside one building
    filler = "      <bldg:lod2TerrainIntersection>" + padding + "</bldg:lod2TerrainIntersection>\n"
    path = tmp_path / "giant.gml"
    path.write_text(text.replace("      <bldg:lod2Solid>", filler + "      <bldg:lod2Solid>"), encoding="utf-8")
    summary, gpkg = import_one(tmp_path, str(path), max_object_bytes=1 << 20)
    assert_tile_refused(summary, gpkg, "giant.gml", "single object", "1 MB")


def test_a_sparse_multi_gigabyte_file_fails_fast(tmp_path):
    """A 6 GB file that is only holes after its first building: refused at the first bad byte, not read."""
    path = tmp_path / "LoD2_32_369_5713_1_NW.gml"
    text = fixture_bytes("gable_house.gml")
    with open(path, "wb") as handle:
        handle.write(text[:text.index(b"</core:CityModel>")])
        handle.truncate(6 * 2**30)
    started = time.perf_counter()
    summary, gpkg = import_one(tmp_path, str(path))
    assert time.perf_counter() - started < 10
    assert_tile_refused(summary, gpkg, path.name, "not well-formed")


# --- CityJSON ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("document, words", [
    ("{", ("not valid JSON",)),
    ("[" * 100000 + "]" * 100000, ("not valid JSON",)),
    (json.dumps({"type": "FeatureCollection", "features": []}), ("not CityJSON",)),
    (json.dumps({"type": "CityJSON", "version": "0.9", "CityObjects": {}, "vertices": []}), ("0.9",)),
    (json.dumps({"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": [],
                 "transform": {"scale": [1, 1, 1], "translate": [0, 0, 0]}}), ("coordinate system",)),
    (json.dumps({"type": "CityJSON", "version": "2.0", "metadata": {"referenceSystem": "EPSG:25832"},
                 "CityObjects": {"a": {"type": "Building"}}, "vertices": []}), ("transform",)),
])
def test_broken_cityjson_gets_a_clear_error(tmp_path, document, words):
    path = tmp_path / "odd.city.json"
    path.write_text(document)
    summary, gpkg = import_one(tmp_path, str(path))
    assert_tile_refused(summary, gpkg, "odd.city.json", *words)


def test_a_cityjson_face_pointing_at_a_missing_vertex_fails_its_building(tmp_path):
    document = json.loads(fixture_text("house_cityjson_2_0.city.json"))
    document["vertices"] = document["vertices"][:5]
    path = tmp_path / "short.city.json"
    path.write_text(json.dumps(document))
    summary = import_city_model([str(path)], str(tmp_path / "c.gpkg"))
    assert (summary.buildings, summary.failures) == (0, 1)
    assert "vertex" in scalar(summary.geopackage, "SELECT reason FROM import_failures")


def test_reader_errors_name_the_problem_not_a_traceback():
    with pytest.raises(TileError) as error:
        list(CityGMLReader(io.BytesIO(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>")).buildings())
    assert "entities" in error.value.reason
