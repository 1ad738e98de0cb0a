"""The plugin in the real QGIS desktop: installed from the zip into a clean profile,
loaded, shown, unloaded and reloaded (QGIS under Xvfb, German locale)."""

import json
import os
import shutil
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))

import package  # noqa: E402
import qgis_desktop  # noqa: E402

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (Debian package xvfb)"),
]


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    return package.build(str(tmp_path_factory.mktemp("dist") / "herne_twin.zip"))


@pytest.fixture(scope="module")
def desktop_run(plugin_zip, tmp_path_factory):
    work = tmp_path_factory.mktemp("qgis-desktop")
    profiles = str(work / "profiles")
    qgis_desktop.make_profile(profiles, zip_path=plugin_zip, locale="de")
    out = str(work / "result.json")
    log = str(work / "qgis.log")
    script = os.path.join(REPO_ROOT, "tests", "desktop", "check_load_unload.py")
    process = qgis_desktop.run_qgis(profiles, script, timeout=240, env={"HERNE_TWIN_CHECK_OUT": out}, log_path=log)
    assert os.path.exists(out), "QGIS wrote no result (exit {}); log:\n{}".format(
        process.returncode, open(log, encoding="utf-8", errors="replace").read()[-4000:]
    )
    with open(out, encoding="utf-8") as handle:
        return json.load(handle)


def test_zip_holds_runtime_files_only(plugin_zip):
    import zipfile

    names = zipfile.ZipFile(plugin_zip).namelist()
    assert "herne_twin_plugin/metadata.txt" in names
    assert "herne_twin_plugin/__init__.py" in names
    assert "herne_twin_plugin/i18n/herne_twin_de.qm" in names
    assert "herne_twin_plugin/resources/icons/herne_twin.svg" in names
    assert all(n.startswith("herne_twin_plugin/") for n in names)
    unwanted = [
        n for n in names if "/tests/" in n or "/scripts/" in n or "__pycache__" in n or n.endswith((".pyc", ".ts"))
    ]
    assert unwanted == []


def test_metadata_complete():
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(REPO_ROOT, "metadata.txt"), encoding="utf-8")
    general = parser["general"]
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                "repository", "tracker", "homepage", "tags", "category", "icon", "hasProcessingProvider",
                "experimental", "changelog"):
        assert general.get(key, "").strip(), "metadata.txt lacks " + key
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    assert os.path.exists(os.path.join(REPO_ROOT, "herne_twin_plugin", general["icon"]))


def test_loads_in_german_with_menu_toolbar_dock_and_provider(desktop_run):
    assert "exception" not in desktop_run, desktop_run.get("exception")
    startup = desktop_run["startup"]
    assert startup["loaded"] and startup["active"]
    assert "Digitaler &Zwilling Herne" in startup["web_menu"]
    assert [t["title"] for t in startup["toolbars"]] == ["Digitaler Zwilling Herne"]
    assert {"Dienstkatalog", "Karten und Atlanten", "Stadtmodell importieren (LoD2)", "Feldpaket erstellen…",
            "Feldpaket synchronisieren…"} <= set(startup["toolbars"][0]["actions"])
    assert desktop_run["field_dialog_titles"] == ["Feldpaket erstellen", "Feldpaket synchronisieren"]
    titles = sorted(d["title"] for d in startup["docks"])
    assert titles == ["Dienstkatalog", "Karten und Atlanten", "Live-Sensoren", "Sensor-Zeitreihe"], titles
    assert desktop_run["dock_shown"] is True
    assert startup["provider"]["name"] == "Digitaler Zwilling Herne"
    assert {"hernetwin:samplecity", "hernetwin:packagefield", "hernetwin:syncfield"} <= set(
        startup["provider"]["algorithms"])
    assert desktop_run["errors"] == []


def test_unload_leaves_nothing_behind(desktop_run):
    after = desktop_run["after_unload"]
    assert desktop_run["unload_ok"] is True
    assert after["loaded"] is False
    assert "Digitaler &Zwilling Herne" not in after["web_menu"]
    assert after["toolbars"] == [] and after["docks"] == []
    assert after["provider"] is None
    assert desktop_run["dock_deleted"] is True
    assert desktop_run["field_dialogs_deleted"] is True
    assert desktop_run["plugin_object_freed"] is True, "something still holds the plugin (a signal connection?)"
    assert after["python_threads"] <= desktop_run["startup"]["python_threads"]
    assert after["thread_pool_active"] == 0


def test_reload_gives_exactly_one_of_everything(desktop_run):
    again = desktop_run["after_reload"]
    assert desktop_run["reload_ok"] is True
    assert len(again["toolbars"]) == 1 and len(again["docks"]) == 4
    assert again["web_menu"].count("Digitaler &Zwilling Herne") == 1
    assert again["provider"]["algorithms"] == desktop_run["startup"]["provider"]["algorithms"]
    gone = desktop_run["after_second_unload"]
    assert gone["toolbars"] == [] and gone["docks"] == [] and gone["provider"] is None
    assert desktop_run["errors"] == []
