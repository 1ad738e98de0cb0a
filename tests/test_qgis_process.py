"""The provider `hernetwin` from the command line: qgis_process lists the plugin's algorithms."""

import os
import shutil
import subprocess

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO_ROOT, "scripts", "qgis_process.sh")

pytestmark = pytest.mark.skipif(
    not (shutil.which("qgis_process.bin") or shutil.which("qgis_process")), reason="qgis_process is not installed"
)


def run_qgis_process(tmp_path, *args, timeout=300):
    env = dict(os.environ, HERNE_TWIN_PROFILES=str(tmp_path / "profiles"))
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_qgis_process_lists_the_hernetwin_algorithms(tmp_path):
    result = run_qgis_process(tmp_path, "list")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "hernetwin:samplecity" in result.stdout


def test_readme_samplecity_command_writes_the_sample_city(tmp_path):
    """The README's `scripts/qgis_process.sh run hernetwin:samplecity ...` line, as a user runs it."""
    out = tmp_path / "sample"
    result = run_qgis_process(tmp_path, "run", "hernetwin:samplecity", "--", "OUTPUT_FOLDER={}".format(out), "SCALE=0")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (out / "herne_sample.gpkg").is_file()
    assert len(list((out / "citygml").glob("LoD2_32_*_*_1_NW.gml"))) > 0
    assert (out / "SYNTHETIC.txt").is_file()


def test_install_dev_links_the_checkout_into_a_profile_and_enables_it(tmp_path):
    profile = tmp_path / "profiles" / "default"
    result = subprocess.run(["make", "-s", "install-dev", "QGIS_PROFILE_DIR={}".format(profile)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    link = profile / "python" / "plugins" / "herne_twin_plugin"
    assert link.is_symlink() and os.path.realpath(link) == os.path.join(REPO_ROOT, "herne_twin_plugin")
    assert (link / "metadata.txt").is_file()
    ini = (profile / "QGIS" / "QGIS3.ini").read_text()
    assert "[PythonPlugins]" in ini and "herne_twin_plugin=true" in ini
