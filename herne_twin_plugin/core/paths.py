"""Where the plugin finds its own files (icons, styles, presets, translations).

``resources`` and ``i18n`` are symbolic links to the repository's top-level folders
in a source checkout; ``make package`` copies them into the zip.
"""

import os

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resource_path(*parts):
    return os.path.join(PLUGIN_DIR, "resources", *parts)


def translation_path(locale):
    return os.path.join(PLUGIN_DIR, "i18n", "herne_twin_{}.qm".format(locale))
