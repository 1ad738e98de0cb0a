"""NRW's 1 km tiles: their names, which tiles an extent touches, and where tiles come from.

A tile is named ``LoD2_32_{E}_{N}_1_NW`` after its lower-left corner in km of
ETRS89 / UTM 32N (zone 32, 1 km, NRW). Tiles come from files, a folder, or a
URL template in that naming (``https://.../LoD2_32_{E}_{N}_1_NW.gml``); a
template is fetched through QGIS networking (QgsBlockingNetworkRequest), so the
user's proxy, SSL and authentication settings apply.
"""

import math
import os
import re
import shutil
import tempfile

from ..i18n import tr
from .errors import CityModelError, TileError

TILE_SIZE_M = 1000.0
MAX_TILES = 5000  # an extent touching more tiles than this is almost surely a mistake (all of NRW: ~34,000)
EXTENSIONS = (".gml", ".xml", ".json", ".jsonl")
_TILE = re.compile(r"^LoD2_32_(\d{3})_(\d{4})_1_NW(?:\.[A-Za-z.]+)?$")


def tile_name(east_km, north_km):
    return "LoD2_32_{}_{}_1_NW".format(east_km, north_km)


def parse_tile_name(file_name):
    """(E, N) in km of an NRW tile file name, or None for other names."""
    match = _TILE.match(os.path.basename(file_name))
    return (int(match.group(1)), int(match.group(2))) if match else None


def tiles_touching(extent):
    """[(E, N)] of the tiles an extent (xmin, ymin, xmax, ymax in EPSG:25832) touches.

    A tile touches the extent where they share more than their border; an extent
    of zero size (a point) touches the tile it lies in.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmin > xmax or ymin > ymax:
        raise CityModelError(tr("The extent is empty or not a number."))
    first_e, first_n = math.floor(xmin / TILE_SIZE_M), math.floor(ymin / TILE_SIZE_M)
    last_e = max(first_e, math.ceil(xmax / TILE_SIZE_M) - 1)
    last_n = max(first_n, math.ceil(ymax / TILE_SIZE_M) - 1)
    count = (last_e - first_e + 1) * (last_n - first_n + 1)
    if count > MAX_TILES:
        raise CityModelError(tr(
            "The extent touches {count} tiles, more than {limit}: choose a smaller extent "
            "(is it in EPSG:25832?)."
        ).format(count=count, limit=MAX_TILES))
    return [(e, n) for e in range(first_e, last_e + 1) for n in range(first_n, last_n + 1)]


def city_model_files(folder):
    """The CityGML and CityJSON files directly in ``folder``, sorted by name."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise CityModelError(tr("Cannot read the folder {folder}: {error}").format(
            folder=folder, error=error.strerror or error)) from None
    return [os.path.join(folder, name) for name in names
            if name.lower().endswith(EXTENSIONS) and os.path.isfile(os.path.join(folder, name))]


def split_by_extent(paths, extent):
    """(files whose tile touches ``extent``, files left out): with no extent, all files are in.

    Files not named like an NRW tile cannot be placed without reading them, so an
    extent leaves them out too (the import reports them).
    """
    if extent is None:
        return list(paths), []
    wanted = set(tiles_touching(extent))
    inside, outside = [], []
    for path in paths:
        (inside if parse_tile_name(path) in wanted else outside).append(path)
    return inside, outside


class LocalTile:
    """A tile file on disk."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)

    def fetch(self, feedback=None):
        return self.path

    def release(self):
        pass


class RemoteTile:
    """A tile behind a URL, fetched on demand into a temporary folder and deleted after its import."""

    def __init__(self, url, name):
        self.url = url
        self.name = name
        self.path = None
        self._folder = None

    def fetch(self, feedback=None):
        """Download the tile (QgsBlockingNetworkRequest); return its path, or None where the server has no
        such tile (HTTP 404: outside the covered area). Raises TileError for other failures."""
        from qgis.core import QgsBlockingNetworkRequest
        from qgis.PyQt.QtCore import QUrl
        from qgis.PyQt.QtNetwork import QNetworkRequest

        from ..log import redact_url

        request = QgsBlockingNetworkRequest()
        error = request.get(QNetworkRequest(QUrl(self.url)), True, feedback)
        reply = request.reply()
        status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
        if status == 404:
            return None
        if error != QgsBlockingNetworkRequest.NoError:
            raise TileError(tr("Download of {url} failed: {error}").format(
                url=redact_url(self.url), error=request.errorMessage()))
        self._folder = tempfile.mkdtemp(prefix="herne_tile_")
        self.path = os.path.join(self._folder, self.name)
        with open(self.path, "wb") as handle:
            handle.write(bytes(reply.content()))
        return self.path

    def release(self):
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def remote_tiles(url_template, extent):
    """RemoteTile for each tile an extent touches, from a template with {E} and {N} (km)."""
    template = (url_template or "").strip()
    if not template.lower().startswith(("http://", "https://")):
        raise CityModelError(tr("The tile URL template must be an http:// or https:// address."))
    if "{E}" not in template or "{N}" not in template:
        raise CityModelError(tr("The tile URL template needs the placeholders {E} and {N} (tile corner in km)."))
    if extent is None:
        raise CityModelError(tr("Loading tiles from a URL template needs an extent."))
    tiles = []
    for east, north in tiles_touching(extent):
        url = template.replace("{E}", str(east)).replace("{N}", str(north))
        name = os.path.basename(url.split("?", 1)[0].rstrip("/")) or tile_name(east, north) + ".gml"
        tiles.append(RemoteTile(url, name))
    return tiles
