#!/usr/bin/env python3
"""Translation workflow of the plugin (German first).

    python scripts/i18n.py update            # collect tr("...") strings into i18n/*.ts
    python scripts/i18n.py merge FILE.tsv    # take translations "source<TAB>translation"
    python scripts/i18n.py check             # fail if a string is untranslated or broken
    python scripts/i18n.py compile           # i18n/*.ts -> i18n/*.qm with lrelease

All strings live in one context ("HerneTwin"): code calls the module-level
``herne_twin_plugin.core.i18n.tr`` everywhere, so the extractor only has to find
``tr("literal")`` calls, which it does with Python's ast (pylupdate5 would file
them under class names).
"""

import ast
import glob
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "herne_twin_plugin")
I18N = os.path.join(ROOT, "i18n")
CONTEXT = "HerneTwin"
LANGUAGES = {"de": "de_DE"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def ts_path(lang):
    return os.path.join(I18N, "herne_twin_{}.ts".format(lang))


def source_strings(dynamic=None):
    """{source text: [(relative file, line), ...]} for every tr("...") in the package.

    Calls whose text is not a literal cannot be translated; they are appended to
    ``dynamic`` as "file:line" when a list is given.
    """
    found = {}
    for path in sorted(glob.glob(os.path.join(PACKAGE, "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in ("tr", "tr_noop"):
                continue
            text = _literal(node.args[0])
            if text is not None:
                found.setdefault(text, []).append((os.path.relpath(path, I18N), node.lineno))
            elif dynamic is not None:
                dynamic.append("{}:{}".format(os.path.relpath(path, ROOT), node.lineno))
    return found


def _literal(node):
    """The string of a literal, also of implicitly joined literals; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def read_translations(lang):
    """{source: (translation, finished)} from the .ts file (empty if there is none)."""
    path = ts_path(lang)
    if not os.path.exists(path):
        return {}
    result = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = translation.text or "" if translation is not None else ""
        finished = translation is not None and translation.get("type") is None and text != ""
        result[source] = (text, finished)
    return result


def write_ts(lang, sources, translations):
    root = ET.Element("TS", version="2.1", language=LANGUAGES[lang])
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source in sorted(sources):
        message = ET.SubElement(context, "message")
        # File names only: line numbers would churn the file with every edit.
        for filename in sorted({filename for filename, _line in sources[source]}):
            ET.SubElement(message, "location", filename=filename)
        ET.SubElement(message, "source").text = source
        text, finished = translations.get(source, ("", False))
        element = ET.SubElement(message, "translation")
        element.text = text
        if not finished:
            element.set("type", "unfinished")
    ET.indent(root)
    os.makedirs(I18N, exist_ok=True)
    with open(ts_path(lang), "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        handle.write(ET.tostring(root, encoding="unicode"))
        handle.write("\n")


def update():
    sources = source_strings()
    for lang in LANGUAGES:
        translations = read_translations(lang)
        write_ts(lang, sources, translations)
        missing = [s for s in sources if not translations.get(s, ("", False))[1]]
        print("{}: {} strings, {} untranslated".format(ts_path(lang), len(sources), len(missing)))
        for text in missing:
            print("  untranslated: {!r}".format(text))


def merge(tsv_path, lang="de"):
    """Take "source<TAB>translation" lines (\\n and \\t escaped) into the .ts file."""
    sources = source_strings()
    translations = read_translations(lang)
    taken = 0
    with open(tsv_path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            source, text = (part.replace("\\n", "\n").replace("\\t", "\t") for part in line.split("\t", 1))
            if source in sources:
                translations[source] = (text, True)
                taken += 1
            else:
                print("not in code (skipped): {!r}".format(source))
    write_ts(lang, sources, translations)
    print("merged {} translations".format(taken))


def problems(lang="de"):
    """Untranslated strings and translations whose {placeholders} differ from the source."""
    dynamic = []
    sources = source_strings(dynamic)
    translations = read_translations(lang)
    found = ["tr() of a non-literal (not translatable): " + where for where in dynamic]
    for source in sorted(sources):
        text, finished = translations.get(source, ("", False))
        if not finished:
            found.append("untranslated: {!r}".format(source))
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            found.append("placeholders differ: {!r} -> {!r}".format(source, text))
    return found


def compile_all():
    lrelease = shutil.which("lrelease") or "/usr/lib/qt5/bin/lrelease"
    for lang in LANGUAGES:
        qm = ts_path(lang)[:-3] + ".qm"
        subprocess.run([lrelease, "-silent", ts_path(lang), "-qm", qm], check=True)
        print("compiled", os.path.relpath(qm, ROOT))


def main(argv):
    command = argv[1] if len(argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "merge":
        merge(argv[2])
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    elif command == "compile":
        compile_all()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
