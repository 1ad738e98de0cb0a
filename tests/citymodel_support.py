"""Helpers for the city-model importer's tests: fixtures, independent counts, reading the GeoPackage back."""

import http.server
import os
import sqlite3
import threading

from lxml import etree

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "citymodel")
BUILDING_LAYERS = ("buildings", "building_footprints", "building_surfaces")


def fixture(name):
    return os.path.join(FIXTURES, name)


def fixture_text(name):
    with open(fixture(name), encoding="utf-8") as handle:
        return handle.read()


def fixture_bytes(name):
    with open(fixture(name), "rb") as handle:
        return handle.read()


def count_building_elements(path):
    """bldg:Building elements (CityGML 1.0 or 2.0) in a file, counted with a plain lxml parse:
    the count a user gets from the source, independent of the importer's streaming reader."""
    tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    return sum(1 for element in tree.iter("{*}Building")
               if etree.QName(element).namespace.startswith("http://www.opengis.net/citygml/building/"))


def query(gpkg, sql, parameters=()):
    """Rows of a query on the GeoPackage (plain sqlite3: what any other tool sees)."""
    with sqlite3.connect(gpkg) as db:
        return db.execute(sql, parameters).fetchall()


def scalar(gpkg, sql, parameters=()):
    return query(gpkg, sql, parameters)[0][0]


def rows_as_dicts(gpkg, table, where="1=1", parameters=()):
    with sqlite3.connect(gpkg) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute('SELECT * FROM "{}" WHERE {}'.format(table, where), parameters)]


def tile_rows(gpkg, tile):
    """{layer: rows with source_tile = tile} for the building layers and import_failures."""
    return {layer: scalar(gpkg, 'SELECT COUNT(*) FROM "{}" WHERE source_tile = ?'.format(layer), (tile,))
            for layer in BUILDING_LAYERS + ("import_failures",)}


def spatial_index_matches(gpkg, layer):
    """The layer's R-tree holds exactly its features (a GeoPackage left consistent)."""
    table = scalar(gpkg, 'SELECT COUNT(*) FROM "{}"'.format(layer))
    indexed = scalar(gpkg, 'SELECT COUNT(*) FROM "rtree_{}_geom"'.format(layer))
    missing = scalar(gpkg, 'SELECT COUNT(*) FROM "{0}" WHERE fid NOT IN (SELECT id FROM "rtree_{0}_geom")'.format(
        layer))
    return table == indexed and missing == 0


class RecordingFeedback:
    """A feedback that records what the importer reports and can cancel on a condition."""

    def __init__(self, cancel_when=None):
        self.progress = []
        self.infos = []
        self.errors = []
        self._cancel_when = cancel_when
        self.checks = 0

    def isCanceled(self):  # noqa: N802 (QgsFeedback API)
        self.checks += 1
        return bool(self._cancel_when and self._cancel_when(self))

    def setProgress(self, value):  # noqa: N802
        self.progress.append(value)

    def pushInfo(self, message):  # noqa: N802
        self.infos.append(message)

    def reportError(self, message, fatal=False):  # noqa: N802
        self.errors.append(message)


class RecordingServer(http.server.ThreadingHTTPServer):
    """Serves files of a folder on 127.0.0.1 and records every requested path."""

    daemon_threads = True

    def __init__(self, folder):
        self.folder = folder
        self.requests = []

        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_GET(self):  # noqa: N802 (http.server API)
                server.requests.append(self.path)
                path = os.path.join(server.folder, os.path.basename(self.path.split("?")[0]))
                if not os.path.isfile(path):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with open(path, "rb") as handle:
                    body = handle.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, path):
        return "http://127.0.0.1:{}/{}".format(self.server_address[1], path.lstrip("/"))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.shutdown()
        self.server_close()
        self._thread.join(5)


def geopackage_content(gpkg):
    """Every table of the GeoPackage as sorted rows (fids kept, timestamps left out), the
    R*Trees by their entries (the tree's layout may differ; its entries may not)."""
    with sqlite3.connect(gpkg) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        content = {}
        for name in names:
            if name.startswith("rtree_") and name.endswith(("_node", "_rowid", "_parent")):
                continue
            columns = [row[1] for row in db.execute('PRAGMA table_info("{}")'.format(name))]
            keep = [i for i, column in enumerate(columns) if column not in ("imported_at", "last_change")]
            content[name] = sorted(tuple(row[i] for i in keep) for row in db.execute('SELECT * FROM "{}"'.format(name)))
        return content
