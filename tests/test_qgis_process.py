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
