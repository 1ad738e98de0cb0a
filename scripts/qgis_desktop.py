#!/usr/bin/env python3
"""Run the real QGIS desktop with the plugin, headless under Xvfb, in a profile of our own.

Used by the desktop tests (install from the zip, load, unload, reload), the screenshot
script and ``make install-dev``. Nothing here touches the user's own profile unless
asked to (``enable --profile-dir``).

    python scripts/qgis_desktop.py enable --profile-dir ~/.local/share/QGIS/QGIS3/profiles/default
    python scripts/qgis_desktop.py run --code my_script.py [--zip dist/herne_twin.zip]
"""

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN_NAME = "herne_twin_plugin"
QGIS_BIN = shutil.which("qgis.bin") or shutil.which("qgis") or "qgis"


def enable_plugin(profile_dir, locale=None):
    """Mark the plugin enabled in the profile's QGIS3.ini (what the Plugin Manager does).

    QGIS 3.22's qgis_process has no `plugins enable`; it, too, loads the plugins this
    file enables, so one mechanism serves the desktop and qgis_process on every version.
    """
    ini_path = os.path.join(profile_dir, "QGIS", "QGIS3.ini")
    os.makedirs(os.path.dirname(ini_path), exist_ok=True)
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # QGIS keys are case-sensitive
    if os.path.exists(ini_path):
        parser.read(ini_path, encoding="utf-8")
    values = {
        "PythonPlugins": {PLUGIN_NAME: "true"},
        "qgis": {"checkVersion": "false", "showTips": "false", "allowVersionCheck": "false"},
        "core": {"NewsFeed\\httpsfeedqgisorg\\disabled": "true"},
    }
    if locale:
        values["locale"] = {"overrideFlag": "true", "userLocale": locale, "globalLocale": locale}
    for section, entries in values.items():
        if not parser.has_section(section):
            parser.add_section(section)
        for key, value in entries.items():
            parser.set(section, key, value)
    with open(ini_path, "w", encoding="utf-8") as handle:
        parser.write(handle, space_around_delimiters=False)
    return ini_path


def make_profile(profiles_path, zip_path=None, locale="de"):
    """A fresh profile "default" under ``profiles_path`` with the plugin installed and enabled.

    With ``zip_path`` the plugin is extracted from the zip, as QGIS's "Install from ZIP"
    does; without, the source checkout is linked (as ``make install-dev`` does).
    """
    profile_dir = os.path.join(profiles_path, "profiles", "default")
    plugins_dir = os.path.join(profile_dir, "python", "plugins")
    os.makedirs(plugins_dir, exist_ok=True)
    target = os.path.join(plugins_dir, PLUGIN_NAME)
    if os.path.islink(target) or os.path.isfile(target):
        os.remove(target)
    elif os.path.isdir(target):
        shutil.rmtree(target)
    if zip_path:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(plugins_dir)
    else:
        os.symlink(os.path.join(ROOT, PLUGIN_NAME), target)
    enable_plugin(profile_dir, locale=locale)
    return profile_dir


def qgis_environment(extra=None):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the desktop runs on the Xvfb screen
    env.setdefault("PROJ_DATA", "/usr/share/proj")
    env.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-{}".format(os.getuid()))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    env.update(extra or {})
    return env


def run_qgis(profiles_path, code_path, timeout=180, screen="1600x1000x24", env=None, log_path=None):
    """Start QGIS under Xvfb with ``--code code_path``; the script must exit QGIS itself.

    Returns the CompletedProcess; QGIS is killed (with Xvfb) after ``timeout`` seconds.
    """
    command = [
        "xvfb-run", "-a", "-s", "-screen 0 {} -nolisten tcp".format(screen),
        QGIS_BIN, "--nologo", "--noversioncheck",
        "--profiles-path", profiles_path, "--code", code_path,
    ]
    with open(log_path or os.devnull, "w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=qgis_environment(env), start_new_session=True
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)  # QGIS and the Xvfb that xvfb-run started for it
            process.wait()
            raise
    return process


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    enable = sub.add_parser("enable", help="enable the plugin in an existing QGIS profile")
    enable.add_argument("--profile-dir", required=True)
    run = sub.add_parser("run", help="run QGIS headless with a Python script in a fresh profile")
    run.add_argument("--code", required=True)
    run.add_argument("--profiles-path", default=os.path.join(ROOT, "build", "qgis-profiles"))
    run.add_argument("--zip", help="install the plugin from this zip instead of linking the checkout")
    run.add_argument("--locale", default="de")
    run.add_argument("--timeout", type=int, default=180)
    args = parser.parse_args(argv)
    if args.command == "enable":
        print("enabled in", enable_plugin(args.profile_dir))
        return 0
    make_profile(args.profiles_path, zip_path=args.zip, locale=args.locale)
    return run_qgis(args.profiles_path, os.path.abspath(args.code), timeout=args.timeout).returncode


if __name__ == "__main__":
    sys.exit(main())
