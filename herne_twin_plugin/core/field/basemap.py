"""The offline basemap of a field package: a map layer (usually a WMS) rendered for the
package's area into a GeoTIFF beside the GeoPackage.

The raster reaches beyond the area: the package project opens on the area plus VIEW_MARGIN
(``initial_view``), and a map window fits that view into its own shape, so it shows more
to the sides (a laptop, a landscape page) or above and below (a tablet held upright). The
basemap covers the initial view as any window from 9:16 to 16:9 shows it
(``covered_extent``), so an inspector zoomed to the area sees no white corner. Where those
margins would pass the size limit they shrink; the area itself is never cut.

QGIS renders the layer (its provider fetches the map images through QGIS networking,
with the layer's authcfg) in tiles of at most 2048 pixels, so memory stays small; the
tiles go into one tiled, compressed GeoTIFF in EPSG:25832 with overviews, which QGIS and
QField open without a network. A size limit stops a resolution that would make a huge
file before anything is fetched; progress and cancel are per tile.
"""

import logging
import math
import os

import numpy
from osgeo import gdal, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QImage

from ..i18n import tr
from .manifest import PACKAGE_CRS

LOG = logging.getLogger(__name__)

DEFAULT_RESOLUTION_M = 1.0
DEFAULT_MAX_PIXELS = 100_000_000  # 10,000 x 10,000: about 100-300 MB as a compressed GeoTIFF
TILE_PX = 2048
VIEW_MARGIN = 0.05  # the package project opens on the area plus 5 % of its larger side all round
WIDEST_WINDOW = 16 / 9  # map windows from 9:16 (upright tablet) to 16:9 (laptop, landscape page)


class BasemapError(ValueError):
    """The basemap cannot be made; the message says why, for the user."""


class BasemapCancelled(Exception):  # noqa: N818 (like the other 'cancelled' signals)
    pass


def raster_size(extent, resolution_m):
    """(width, height) in pixels of ``extent`` (QgsRectangle, metres) at ``resolution_m``."""
    if not resolution_m or resolution_m <= 0 or not math.isfinite(resolution_m):
        raise BasemapError(tr("The basemap resolution must be a positive number of metres per pixel."))
    return max(1, math.ceil(extent.width() / resolution_m)), max(1, math.ceil(extent.height() / resolution_m))


def initial_view(area_extent):
    """The extent the package project opens on: ``area_extent`` (QgsRectangle) plus VIEW_MARGIN."""
    margin = VIEW_MARGIN * max(area_extent.width(), area_extent.height())
    return QgsRectangle(area_extent.xMinimum() - margin, area_extent.yMinimum() - margin,
                        area_extent.xMaximum() + margin, area_extent.yMaximum() + margin)


def _around(center, width, height):
    return QgsRectangle(center.x() - width / 2, center.y() - height / 2, center.x() + width / 2,
                        center.y() + height / 2)


def covered_extent(area_extent, resolution_m=DEFAULT_RESOLUTION_M, max_pixels=DEFAULT_MAX_PIXELS):
    """The extent the basemap is rendered for: what a map window of 9:16 to 16:9 shows of the
    project's initial view (see the module docstring), its margins shrunk where the raster would
    pass ``max_pixels``; never less than ``area_extent``. BasemapError where the area alone is too large."""
    check_size(area_extent, resolution_m, max_pixels)
    view = initial_view(area_extent)
    center = view.center()
    wanted_width = max(view.width(), view.height() * WIDEST_WINDOW)
    wanted_height = max(view.height(), view.width() * WIDEST_WINDOW)
    for share in (1.0, 0.75, 0.5, 0.25, 0.0):  # of the margins beyond the area
        width = area_extent.width() + share * (wanted_width - area_extent.width())
        height = area_extent.height() + share * (wanted_height - area_extent.height())
        extent = _around(center, width, height)
        columns, rows = raster_size(extent, resolution_m)
        if columns * rows <= max_pixels:
            return extent
    return QgsRectangle(area_extent)


def check_size(extent, resolution_m, max_pixels=DEFAULT_MAX_PIXELS):
    """(width, height); BasemapError where the image would exceed ``max_pixels``."""
    width, height = raster_size(extent, resolution_m)
    if width * height > max_pixels:
        coarsest = math.sqrt(extent.width() * extent.height() / max_pixels)
        raise BasemapError(tr(
            "The basemap would be {width} x {height} pixels, more than the limit of {limit} million: choose a "
            "coarser resolution (at least {resolution} m per pixel) or a smaller area.").format(
                width=width, height=height, limit=round(max_pixels / 1e6, 1), resolution=math.ceil(coarsest * 10) / 10))
    return width, height


def render_geotiff(layer, extent, path, resolution_m=DEFAULT_RESOLUTION_M, max_pixels=DEFAULT_MAX_PIXELS,
                   feedback=None, progress=None):
    """Render ``layer`` over the package area ``extent`` (QgsRectangle in the package CRS) and
    its margins (``covered_extent``) into the GeoTIFF ``path``; returns (width, height).
    ``progress(fraction)`` is called per tile. Raises BasemapError (layer invalid, service
    errors, too large) or BasemapCancelled."""
    if layer is None or not layer.isValid():
        raise BasemapError(tr("The basemap layer cannot be read (is the service reachable?)."))
    if extent.isEmpty():
        raise BasemapError(tr("The package area is empty: there is nothing to render for the basemap."))
    extent = covered_extent(extent, resolution_m, max_pixels)
    width, height = check_size(extent, resolution_m, max_pixels)
    xmin, ymax = extent.xMinimum(), extent.yMaximum()
    crs = QgsCoordinateReferenceSystem(PACKAGE_CRS)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(PACKAGE_CRS.split(":")[1]))
    dataset = gdal.GetDriverByName("GTiff").Create(
        path, width, height, 4, gdal.GDT_Byte,
        ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "PHOTOMETRIC=RGB", "ALPHA=YES", "BIGTIFF=IF_SAFER"])
    if dataset is None:
        raise BasemapError(tr("The basemap file {path} cannot be written.").format(path=path))
    try:
        dataset.SetGeoTransform((xmin, resolution_m, 0.0, ymax, 0.0, -resolution_m))
        dataset.SetProjection(srs.ExportToWkt())
        tiles = [(column, row) for row in range(0, height, TILE_PX) for column in range(0, width, TILE_PX)]
        errors = []
        for index, (column, row) in enumerate(tiles):
            if feedback is not None and feedback.isCanceled():
                raise BasemapCancelled()
            tile_width, tile_height = min(TILE_PX, width - column), min(TILE_PX, height - row)
            tile_extent = QgsRectangle(xmin + column * resolution_m, ymax - (row + tile_height) * resolution_m,
                                       xmin + (column + tile_width) * resolution_m, ymax - row * resolution_m)
            pixels, tile_errors = _render_tile(layer, crs, tile_extent, tile_width, tile_height)
            errors.extend(tile_errors)
            for band in range(4):
                dataset.GetRasterBand(band + 1).WriteArray(pixels[:, :, band], column, row)
            if progress is not None:
                progress((index + 1) / len(tiles))
        if errors:
            raise BasemapError(tr("The basemap service failed while rendering: {errors}").format(
                errors="; ".join(sorted(set(errors))[:3])))
        if max(width, height) > 512:
            dataset.BuildOverviews("AVERAGE", [factor for factor in (2, 4, 8, 16, 32) if max(width, height) / factor
                                               >= 256])
    except BaseException:
        dataset = None
        _remove(path)
        raise
    dataset = None
    LOG.info("Basemap %s rendered: %d x %d pixels at %.2f m", layer.name(), width, height, resolution_m)
    return width, height


def _render_tile(layer, crs, extent, width, height):
    """(RGBA pixels as a numpy array height x width x 4, render errors) of one tile."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(extent)
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(Qt.transparent))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage().convertToFormat(QImage.Format_RGBA8888)
    errors = ["{}: {}".format(error.layerID and layer.name(), error.message) for error in job.errors()]
    data = image.constBits()
    data.setsize(image.bytesPerLine() * image.height())
    pixels = numpy.frombuffer(data, dtype=numpy.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return pixels[:height, :width].copy(), errors


def _remove(path):
    for candidate in (path, path + ".aux.xml", path + ".ovr"):
        if os.path.exists(candidate):
            os.remove(candidate)
