"""The offline basemap of a field package: a map layer (usually a WMS) rendered for the
package's area into a GeoTIFF beside the GeoPackage.

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


class BasemapError(ValueError):
    """The basemap cannot be made; the message says why, for the user."""


class BasemapCancelled(Exception):  # noqa: N818 (like the other 'cancelled' signals)
    pass


def raster_size(extent, resolution_m):
    """(width, height) in pixels of ``extent`` (QgsRectangle, metres) at ``resolution_m``."""
    if not resolution_m or resolution_m <= 0 or not math.isfinite(resolution_m):
        raise BasemapError(tr("The basemap resolution must be a positive number of metres per pixel."))
    return max(1, math.ceil(extent.width() / resolution_m)), max(1, math.ceil(extent.height() / resolution_m))


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
    """Render ``layer`` over ``extent`` (QgsRectangle in the package CRS) into the GeoTIFF
    ``path``; returns (width, height). ``progress(fraction)`` is called per tile.
    Raises BasemapError (layer invalid, service errors, too large) or BasemapCancelled."""
    if layer is None or not layer.isValid():
        raise BasemapError(tr("The basemap layer cannot be read (is the service reachable?)."))
    if extent.isEmpty():
        raise BasemapError(tr("The package area is empty: there is nothing to render for the basemap."))
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
