"""Which field package the field dialogs work on: a chosen .gpkg or package folder, or the
package whose layers the open project shows."""

import json
import os
import sqlite3

from qgis.core import QgsProviderRegistry, QgsVectorLayer

from ...core.field import manifest, package_store
from ...core.i18n import tr


class PackageChoiceError(ValueError):
    """The chosen path is no field package; the message says why, for the user."""


def package_gpkg(path):
    """The GeoPackage of a field package given as its .gpkg or its folder (``<name>/<name>.gpkg``);
    PackageChoiceError says why a path is none."""
    path = (path or "").strip()
    if not path:
        raise PackageChoiceError(tr("Choose a field package (its .gpkg file or its folder)."))
    try:
        gpkg = package_store.package_gpkg(os.path.expanduser(path))
    except package_store.SyncError as error:
        raise PackageChoiceError(str(error)) from None
    if read_manifest(gpkg) is None:
        raise PackageChoiceError(
            tr("{path} is no field package of the Herne Digital Twin (made with 'Create field package').").format(
                path=gpkg))
    return gpkg


def read_manifest(gpkg_path):
    """The package manifest, or None where the file is no field package (or no SQLite file)."""
    try:
        connection = sqlite3.connect("file:{}?mode=ro".format(gpkg_path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return manifest.read(connection)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def layer_gpkg(layer):
    """The GeoPackage path behind a project layer, or None."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    return os.path.abspath(path) if path.lower().endswith(".gpkg") else None


def project_package(project):
    """The .gpkg of the field package the project shows, or '' where it shows none."""
    seen = set()
    for layer in project.mapLayers().values():
        path = layer_gpkg(layer)
        if path and path not in seen:
            seen.add(path)
            if os.path.isfile(path) and read_manifest(path) is not None:
                return path
    return ""


def package_layers_in_project(project, gpkg_path):
    """The project's vector layers that read the package's GeoPackage."""
    target = os.path.abspath(gpkg_path)
    return [layer for layer in project.mapLayers().values() if layer_gpkg(layer) == target]


def layer_titles(package_manifest):
    """{table: title} for the package's layers (the table name where no title was stored)."""
    if package_manifest is None:
        return {}
    return {layer.table_name: layer.title or layer.table_name for layer in package_manifest.layers}


def describe(values):
    """How a person names a feature: its number and street (``light_point_no``, ``street``), or
    its name; '' where it has neither. ``values``: the feature's attributes."""
    values = {name: value for name, value in (values or {}).items() if value not in (None, "")}
    names = [name for name in values if name.endswith(("_no", "_number")) or name in ("name", "title")]
    names += [name for name in ("street",) if name in values]
    return ", ".join(str(values[name]) for name in names)


def feature_descriptions(gpkg_path, features):
    """{(table, key): description} of ``features`` [(table, key)] as the package holds them
    (a feature deleted in the package: as it was before). Read-only; '' where unknown."""
    package_manifest = read_manifest(gpkg_path)
    wanted = {}
    for table, key in features:
        wanted.setdefault(table, set()).add(str(key))
    found = {}
    try:
        connection = sqlite3.connect("file:{}?mode=ro".format(gpkg_path), uri=True)
    except sqlite3.Error:
        return found
    connection.row_factory = sqlite3.Row
    try:
        for table, keys in wanted.items():
            layer = package_manifest.layer(table) if package_manifest is not None else None
            if layer is None or not layer.key_column:
                continue
            keys = sorted(keys)
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ", ".join("?" * len(chunk))
                try:
                    rows = connection.execute('SELECT * FROM "{}" WHERE "{}" IN ({})'.format(
                        table.replace('"', '""'), layer.key_column.replace('"', '""'), marks), chunk).fetchall()
                    found.update({(table, str(row[layer.key_column])): describe(dict(row)) for row in rows})
                    bases = connection.execute(
                        "SELECT feature_key, base_values FROM hernetwin_base WHERE table_name = ? AND feature_key "
                        "IN ({})".format(marks), [table, *chunk]).fetchall()
                except sqlite3.Error:  # a layer or journal table that is not there: no description
                    continue
                for row in bases:
                    found.setdefault((table, row["feature_key"]), describe(json.loads(row["base_values"])))
    finally:
        connection.close()
    return found
