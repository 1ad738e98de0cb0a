"""House rules that keep the code carry-on-able: core/ has no widgets, every string is translated."""

import ast
import glob
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = os.path.join(REPO_ROOT, "herne_twin_plugin", "core")
FORBIDDEN = ("qgis.gui", "PyQt5.QtWidgets", "qgis.PyQt.QtWidgets", "PyQt5.QtWebKitWidgets", "qgis.utils")


def imported_modules(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, node.module + "." + alias.name


def test_core_imports_no_widgets():
    offenders = []
    files = glob.glob(os.path.join(CORE, "**", "*.py"), recursive=True)
    assert files, "no core modules found"
    for path in files:
        for line, module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN):
                offenders.append("{}:{} imports {}".format(os.path.relpath(path, REPO_ROOT), line, module))
    assert offenders == []


def test_rule_catches_a_widget_import(tmp_path):
    """The rule above must be able to fail."""
    bad = tmp_path / "bad.py"
    bad.write_text("from qgis.PyQt.QtWidgets import QDialog\nimport qgis.gui\n")
    assert [m for _l, m in imported_modules(str(bad))][:1] == ["qgis.PyQt.QtWidgets"]


def test_every_string_has_a_german_translation():
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import i18n

    assert i18n.problems("de") == []


def test_compiled_german_translation_is_used(qgis_app, tmp_path):
    """The .qm that ships translates through the plugin's tr() (what QGIS shows a German user)."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    import i18n
    from herne_twin_plugin.core.i18n import tr

    qm = tmp_path / "de.qm"
    subprocess.run(["lrelease", "-silent", i18n.ts_path("de"), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        assert tr("Service Catalog") == "Dienstkatalog"
        assert tr("Herne Digital Twin") == "Digitaler Zwilling Herne"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert tr("Service Catalog") == "Service Catalog"
