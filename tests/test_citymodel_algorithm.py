"""hernetwin:importcitymodel as a user runs it: from Python (processing.run) and from the command line."""

import json
import os
import shutil
import subprocess

import pytest
from citymodel_support import fixture, query, scalar
from qgis.core import QgsProcessingException, QgsProcessingFeedback

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO_ROOT, "scripts", "qgis_process.sh")


@pytest.fixture(scope="module")
def provider(hernetwin_provider):
    return hernetwin_provider


def test_processing_run_imports_a_folder_and_files(provider, shared_citygml_dir, tmp_path):
    import processing

    output = str(tmp_path / "city.gpkg")
    feedback = QgsProcessingFeedback()
    result = processing.run("hernetwin:importcitymodel", {
        "INPUT": shared_citygml_dir,
        "FILES": [fixture("gable_house.gml"), fixture("broken_xlink.gml")],
        "OUTPUT": output, "KEEP_PARTS": True,
    }, feedback=feedback)
    assert result["OUTPUT"] == output
    assert (result["BUILDINGS"], result["FAILED"]) == (239 + 1 + 1, 1)
    assert (result["TILES_IMPORTED"], result["TILES_SKIPPED"], result["TILES_FAILED"]) == (6, 0, 0)
    assert scalar(output, "SELECT COUNT(*) FROM buildings") == 241
    assert scalar(output, "SELECT COUNT(*) FROM building_parts") == 74
    again = processing.run("hernetwin:importcitymodel", {"INPUT": shared_citygml_dir, "OUTPUT": output})
    assert (again["BUILDINGS"], again["TILES_SKIPPED"]) == (0, 4)


def test_processing_run_with_an_extent_in_another_crs(provider, shared_citygml_dir, tmp_path):
    import processing

    output = str(tmp_path / "city.gpkg")
    # the middle of tile 330/5726 (E 330.4-330.6 km, N 5726.4-5726.6 km), given in WGS 84 degrees
    result = processing.run("hernetwin:importcitymodel", {
        "INPUT": shared_citygml_dir, "OUTPUT": output, "EXTENT": "6.5478,6.5505,51.6630,51.6648 [EPSG:4326]",
    })
    assert result["TILES_IMPORTED"] == 1
    assert query(output, "SELECT DISTINCT source_tile FROM buildings") == [("LoD2_32_330_5726_1_NW.gml",)]


def test_files_as_one_string_separated_by_semicolons(provider, tmp_path):
    import processing

    output = str(tmp_path / "city.gpkg")
    result = processing.run("hernetwin:importcitymodel", {
        "FILES": "{};\n{}".format(fixture("gable_house.gml"), fixture("house_cityjson_2_0.city.json")),
        "OUTPUT": output,
    })
    assert (result["BUILDINGS"], result["TILES_IMPORTED"]) == (2, 2)


def test_nothing_to_import_or_only_broken_tiles_is_an_error(provider, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException) as error:
        processing.run("hernetwin:importcitymodel", {"OUTPUT": str(tmp_path / "a.gpkg")})
    assert "folder" in str(error.value)
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hernetwin:importcitymodel", {"FILES": fixture("truncated.gml"),
                                                     "OUTPUT": str(tmp_path / "b.gpkg")})
    assert "truncated" in str(error.value)


def test_the_algorithm_explains_its_inputs(provider):
    algorithm = provider.algorithm("importcitymodel")
    names = [parameter.name() for parameter in algorithm.parameterDefinitions()]
    assert names[:5] == ["INPUT", "FILES", "OUTPUT", "KEEP_PARTS", "EXTENT"]
    assert {"BUILDINGS", "FAILED"} <= {output.name() for output in algorithm.outputDefinitions()}
    help_text = algorithm.shortHelpString()
    assert "';'" in help_text and "{E}" in help_text and "EPSG:25832" in help_text


@pytest.mark.skipif(not (shutil.which("qgis_process.bin") or shutil.which("qgis_process")),
                    reason="qgis_process is not installed")
def test_qgis_process_imports_the_tiles(shared_citygml_dir, tmp_path):
    output = tmp_path / "city.gpkg"
    env = dict(os.environ, HERNE_TWIN_PROFILES=str(tmp_path / "profiles"))
    result = subprocess.run(
        [SCRIPT, "run", "hernetwin:importcitymodel", "--json", "--", "INPUT={}".format(shared_citygml_dir),
         "FILES={}".format(fixture("gable_house_citygml2.gml")), "OUTPUT={}".format(output), "KEEP_PARTS=true"],
        env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    outputs = json.loads(result.stdout[result.stdout.index("{"):])["results"]
    assert (outputs["BUILDINGS"], outputs["FAILED"], outputs["TILES_IMPORTED"]) == (240, 0, 5)
    assert scalar(str(output), "SELECT COUNT(*) FROM buildings") == 240
    assert scalar(str(output), "SELECT COUNT(*) FROM building_parts") == 74
