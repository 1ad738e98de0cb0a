"""What a layer tells about itself that a printed map must state: where its data comes from
(GeoPackage contents, WMS layer names, service hosts) and whether it is synthetic.

Other parts of the plugin can say it explicitly with layer custom properties, which win
over anything guessed here:

- ``hernetwin/as_of``: ISO 8601 date or date-time of the data (e.g. a sensor snapshot's time);
- ``hernetwin/source``: the source and licence to print, e.g. "Stadt Herne (dl-de/zero-2.0)";
- ``hernetwin/synthetic``: "true" for sample data.
"""

import datetime
import functools
import logging
import os
import sqlite3
import urllib.parse

from qgis.core import QgsMapLayerType, QgsProviderRegistry

LOG = logging.getLogger(__name__)

AS_OF_PROPERTY = "hernetwin/as_of"
SOURCE_PROPERTY = "hernetwin/source"
SYNTHETIC_PROPERTY = "hernetwin/synthetic"
SYNTHETIC_MARK = "SYNTHETISCH"  # how the sample city's GeoPackage describes its tables


def is_vector(layer):
    return layer.type() == QgsMapLayerType.VectorLayer


def field_names(layer):
    return {field.name() for field in layer.fields()} if is_vector(layer) else set()


def geopackage_table(layer):
    """(path, table) of a layer read from a GeoPackage, else None."""
    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    return path, parts.get("layerName") or os.path.splitext(os.path.basename(path))[0]


@functools.lru_cache(maxsize=64)
def _gpkg_contents(path, mtime):
    """{table: (description, last_change)} of a GeoPackage (cached per file version)."""
    try:
        uri = "file:{}?mode=ro".format(urllib.parse.quote(path))
        with sqlite3.connect(uri, uri=True) as db:
            rows = db.execute("SELECT table_name, description, last_change FROM gpkg_contents").fetchall()
    except sqlite3.Error as error:
        LOG.warning("cannot read gpkg_contents of %s: %s", path, error)
        return {}
    return {table: (description or "", last_change or "") for table, description, last_change in rows}


def geopackage_contents(layer):
    """(description, last change as a datetime or None) of the layer's GeoPackage table."""
    table = geopackage_table(layer)
    if table is None:
        return "", None
    path, name = table
    description, last_change = _gpkg_contents(path, os.path.getmtime(path)).get(name, ("", ""))
    return description, parse_time(last_change)


def newest_in_table(layer, table, column):
    """The newest ``column`` value of another ``table`` in the layer's GeoPackage (None if there is none)."""
    found = geopackage_table(layer)
    if found is None:
        return None
    try:
        uri = "file:{}?mode=ro".format(urllib.parse.quote(found[0]))
        with sqlite3.connect(uri, uri=True) as db:
            row = db.execute('SELECT max("{}") FROM "{}"'.format(column.replace('"', ''), table.replace('"', '')))
            value = row.fetchone()[0]
    except sqlite3.Error:
        return None
    return parse_time(value)


def parse_time(value):
    """A date or (aware where the text says so) datetime from ISO 8601 / QDate / QDateTime; None otherwise."""
    if value is None:
        return None
    if hasattr(value, "toPyDateTime"):  # QDateTime
        if not value.isValid():
            return None
        moment = value.toPyDateTime()
        if value.timeSpec() == 1:  # Qt.UTC
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment
    if hasattr(value, "toPyDate"):  # QDate
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value
    text = str(value).strip().replace("/", "-")
    if not text or text == "NULL":
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) > 10 and text[-3:] == "+00" and text[-6] != "+":
        text += ":00"
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


def wms_layer_names(layer):
    """The WMS layer names a raster layer requests (empty for anything else)."""
    if layer.providerType() != "wms":
        return []
    query = urllib.parse.parse_qs(layer.source(), keep_blank_values=True)
    names = []
    for key, values in query.items():
        if key.split("&")[-1].lower() == "layers":
            names.extend(value for value in values if value)
    return names


def service_host(layer):
    """The host of a layer's web service (WMS, WFS, OGC API), else ""."""
    url = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("url") or ""
    return urllib.parse.urlparse(url).hostname or ""


def is_synthetic(layer):
    flag = layer.customProperty(SYNTHETIC_PROPERTY)
    if flag is not None:
        return str(flag).lower() in ("1", "true", "yes")
    description, _ = geopackage_contents(layer)
    if description.startswith(SYNTHETIC_MARK):
        return True
    table = geopackage_table(layer)
    return bool(table) and os.path.isfile(os.path.join(os.path.dirname(table[0]), "SYNTHETIC.txt"))
