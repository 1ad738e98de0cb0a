"""The exposure computation: water depth and depth class at or around each asset.

Everything here works on asset geometries already in the hazard data's CRS
(``sources.py`` reads QGIS layers into that form), on GDAL rasters and on numpy arrays
(``geometry.py``; QGIS's Python has no vectorised geometry library):

- ``expose_to_raster``: a water depth raster (cm). A point reads the cell it lies in; a
  footprint (or a buffered point) reads every cell whose centre lies inside it, the
  same rule as QGIS's zonal statistics. The raster is read in regions of whole blocks,
  a few features at a time, and each region is reduced with numpy; features in
  regions that are dry throughout are settled without a point-in-polygon test.
- ``expose_to_polygons``: depth-class polygons. Points take the highest class of the
  polygons they lie in; footprints get the area they share with each class, from
  prepared GEOS geometries (QgsGeometryEngine) on the pairs whose bounding boxes meet.
  A footprint whose box no class polygon's edge comes near (``EdgeGrid``) lies wholly
  inside or outside each polygon: the centre of its box tells which, without an overlay
  (on the full sample city about half of the footprints near water). The overlays left
  run in threads (GEOS works without the GIL), each prepared polygon in one thread.

Coverage: inside the hazard data's coverage (the raster's extent, the polygons' extent,
or an explicit coverage polygon) a cell without water (nodata, NaN, <= 0) is dry; an
asset outside the coverage is "no data" (code -1), never "below 10 cm". Footprints
partly outside get ``covered_share`` < 1 and their class from the covered part.
"""

import collections
import itertools
import logging
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy
from osgeo import gdal
from qgis.core import QgsGeometry, QgsRectangle, QgsWkbTypes

from ..i18n import tr
from .geometry import WkbTable, cells_inside, points_in_rings, ring_edges, wkb_points, wkb_rings
from .scenarios import CODE_BELOW_10, CODE_NO_DATA, DEPTH_CLASSES, class_codes

LOG = logging.getLogger(__name__)

N_CLASSES = len(DEPTH_CLASSES)
# Regions of the raster read at once: features are grouped by the region of their window's
# corner. Bigger regions mean fewer reads, smaller ones less waste around sparse assets.
# Footprints take bigger ones: fewer tiles read twice at region borders, fewer numpy
# rounds (51,000 buildings on the 1 m raster: 0.92 s CPU with 512 cells, 0.75 s with 1024).
REGION_CELLS = 512
FOOTPRINT_REGION_CELLS = 1024
READER_THREADS = max(1, min(4, os.cpu_count() or 1))
# GEOS overlays of footprints with class polygons: threads (GEOS works without the GIL),
# in chunks (progress and cancelation between them)
OVERLAY_THREADS = max(1, min(4, os.cpu_count() or 1))
OVERLAY_CHUNKS = 8


def threads_beside(busy):
    """Threads for the computation where ``busy`` other threads work beside it (the
    assets' features read ahead): the cores left, at least one. A third thread on two
    cores made the overlays cost twice their CPU time (51,000 buildings on class polygons:
    0.30 -> 0.60 s; raster reads alike) and the run slower, not faster."""
    return max(1, min(OVERLAY_THREADS, (os.cpu_count() or 1) - busy))


class ExposureError(ValueError):
    """Bad input for an exposure run; the message is for users."""


class ExposureCanceled(Exception):  # noqa: N818 (like GenerationCanceled)
    """The user canceled the run."""


@dataclass
class Exposure:
    """Per asset, aligned with the input geometries. NaN means "no value"."""

    max_depth_cm: numpy.ndarray
    mean_depth_cm: numpy.ndarray
    codes: numpy.ndarray  # int8: -1 no data, 0 below 10 cm, 1..4 the depth classes
    covered_share: numpy.ndarray  # share of the asset inside the hazard data's coverage
    shares: object = None  # (n, 4) shares of the footprint per class, or None for points
    repaired: list = None  # indices of invalid footprints that were repaired for the overlay
    overlapped: int = 0  # footprints on which depth-class polygons overlap one another

    @classmethod
    def empty(cls, count, areal):
        nan = numpy.full(count, numpy.nan)
        return cls(
            max_depth_cm=nan.copy(), mean_depth_cm=nan.copy(),
            codes=numpy.full(count, CODE_NO_DATA, dtype=numpy.int8),
            covered_share=numpy.zeros(count),
            shares=numpy.full((count, N_CLASSES), numpy.nan) if areal else None,
            repaired=[],
        )

    def __len__(self):
        return len(self.codes)


class _Progress:
    """Reports progress to a QgsFeedback-like object and raises ExposureCanceled."""

    def __init__(self, feedback, start=0.0, end=100.0):
        self.feedback, self.start, self.end = feedback, start, end

    def __call__(self, fraction):
        if self.feedback is None:
            return
        if self.feedback.isCanceled():
            raise ExposureCanceled(tr("The exposure run was canceled."))
        self.feedback.setProgress(self.start + (self.end - self.start) * min(1.0, fraction))


# -- rasters ----------------------------------------------------------------------------


class DepthRaster:
    """A water depth raster opened with GDAL: band 1, depths in cm (or m, then scaled)."""

    def __init__(self, path, band=1):
        # GDAL stays without exceptions: that switch is global to the process (other plugins)
        gdal.ErrorReset()
        with _quiet_gdal():
            self.dataset = gdal.Open(str(path), gdal.GA_ReadOnly)
        if self.dataset is None:
            raise ExposureError(tr("The hazard raster {path} cannot be read: {reason}").format(
                path=path, reason=gdal.GetLastErrorMsg().strip() or tr("not a raster GDAL knows")))
        self.path = path
        transform = self.dataset.GetGeoTransform()
        if transform[2] != 0.0 or transform[4] != 0.0:
            raise ExposureError(tr(
                "The hazard raster {path} is rotated; warp it to a north-up grid first (gdalwarp).").format(path=path))
        if band < 1 or band > self.dataset.RasterCount:
            raise ExposureError(tr("The hazard raster {path} has no band {band}.").format(path=path, band=band))
        self.band = self.dataset.GetRasterBand(band)
        self.x0, self.dx, _r1, self.y0, _r2, dy = transform
        self.dy = abs(dy)
        self.flipped = dy > 0  # a bottom-up raster: row 0 is the southern edge
        self.width, self.height = self.dataset.RasterXSize, self.dataset.RasterYSize
        self.nodata = self.band.GetNoDataValue()
        unit = (self.band.GetUnitType() or "").strip().lower()
        self.scale_to_cm = 100.0 if unit in ("m", "metre", "meter", "metres", "meters") else 1.0
        self.unit = unit or "cm"
        self.metadata = self.dataset.GetMetadata() or {}
        self.block_width, self.block_height = self.band.GetBlockSize()
        self._dry_blocks = None

    @property
    def wkt(self):
        return self.dataset.GetProjection()

    @property
    def bounds(self):
        """(xmin, ymin, xmax, ymax) of the raster."""
        if self.flipped:
            return (self.x0, self.y0, self.x0 + self.width * self.dx, self.y0 + self.height * self.dy)
        return (self.x0, self.y0 - self.height * self.dy, self.x0 + self.width * self.dx, self.y0)

    def columns(self, x):
        return numpy.floor((numpy.asarray(x) - self.x0) / self.dx).astype(numpy.int64)

    def rows(self, y):
        y = numpy.asarray(y)
        offset = (y - self.y0) if self.flipped else (self.y0 - y)
        return numpy.floor(offset / self.dy).astype(numpy.int64)

    def clone(self):
        """Another handle on the same file, for a reader thread (GDAL handles are not
        shared between threads); it knows the dry tiles already."""
        twin = DepthRaster(self.path, self.band.GetBand())
        twin._dry_blocks = self.dry_blocks()
        return twin

    def _depths(self, values):
        # ReadAsArray gives a new array: changed in place (copied only to become float32)
        values = values.astype(numpy.float32, copy=False)
        dry = ~(values > 0)  # NaN too, and a nodata value <= 0
        if self.nodata is not None and not math.isnan(self.nodata) and self.nodata > 0:
            dry |= values == numpy.float32(self.nodata)
        numpy.copyto(values, 0.0, where=dry)
        if self.scale_to_cm != 1.0:
            values *= self.scale_to_cm
        return values

    def _read(self, col0, row0, width, height):
        values = self.band.ReadAsArray(int(col0), int(row0), int(width), int(height))
        if values is None:
            raise ExposureError(tr("The hazard raster {path} cannot be read: {reason}").format(
                path=self.path, reason=gdal.GetLastErrorMsg().strip()))
        return self._depths(values)

    def dry_blocks(self):
        """A (block rows, block columns) boolean grid: True where a tile is known to be dry.

        Large parts of a depth raster are dry (nodata), and their tiles compress to the
        same bytes. A tile whose compressed bytes equal those of a tile decoded as dry is
        dry too, so it need not be decoded. Only for tiled GeoTIFFs; else all False."""
        if self._dry_blocks is not None:
            return self._dry_blocks
        columns = -(-self.width // self.block_width)
        rows = -(-self.height // self.block_height)
        dry = numpy.zeros((rows, columns), dtype=bool)
        self._dry_blocks = dry
        tiled = self.block_width < self.width and self.block_height > 1
        if not tiled or self.dataset.GetDriver().ShortName != "GTiff":
            return dry
        by_size = {}
        for row in range(rows):
            for column in range(columns):
                offset = self.band.GetMetadataItem("BLOCK_OFFSET_{}_{}".format(column, row), "TIFF")
                size = self.band.GetMetadataItem("BLOCK_SIZE_{}_{}".format(column, row), "TIFF")
                if not offset or not size:
                    return dry  # sparse or unknown layout: decode everything
                by_size.setdefault(int(size), []).append((row, column, int(offset)))
        handle = gdal.VSIFOpenL(self.path, "rb")
        if handle is None:
            return dry
        try:
            for size, blocks in by_size.items():
                if len(blocks) < 2:
                    continue
                by_bytes = {}
                for row, column, offset in blocks:
                    gdal.VSIFSeekL(handle, offset, 0)
                    by_bytes.setdefault(bytes(gdal.VSIFReadL(1, size, handle)), []).append((row, column))
                for same in by_bytes.values():
                    if len(same) < 2:
                        continue
                    row, column = same[0]
                    if not self._read(*self._block_window(row, column)).any():
                        for row, column in same:
                            dry[row, column] = True
        finally:
            gdal.VSIFCloseL(handle)
        return dry

    def _block_window(self, row, column):
        col0, row0 = column * self.block_width, row * self.block_height
        return col0, row0, min(self.block_width, self.width - col0), min(self.block_height, self.height - row0)

    def read_depths(self, col0, row0, width, height):
        """Water depth in cm of a window inside the raster; dry cells (nodata, NaN, <= 0)
        are 0. Tiles known to be dry are not read."""
        dry = self.dry_blocks()
        b_col0, b_col1 = col0 // self.block_width, (col0 + width - 1) // self.block_width + 1
        b_row0, b_row1 = row0 // self.block_height, (row0 + height - 1) // self.block_height + 1
        known_dry = dry[b_row0:b_row1, b_col0:b_col1]
        if not known_dry.any():
            return self._read(col0, row0, width, height)
        depths = numpy.zeros((height, width), dtype=numpy.float32)
        if known_dry.all():
            return depths
        for row, column in zip(*numpy.nonzero(~known_dry)):
            c0, r0, w, h = self._block_window(b_row0 + row, b_col0 + column)
            x0, y0 = max(c0, col0), max(r0, row0)
            x1, y1 = min(c0 + w, col0 + width), min(r0 + h, row0 + height)
            depths[y0 - row0:y1 - row0, x0 - col0:x1 - col0] = self._read(x0, y0, x1 - x0, y1 - y0)
        return depths


def _prefetched(raster, windows, workers=READER_THREADS, ahead=4):
    """The depths of each window of ``raster``, in order, read ``ahead`` windows in
    advance by ``workers`` threads with a handle each (GDAL decompresses without
    holding the GIL, so reading overlaps the numpy work and uses every core)."""
    if len(windows) <= 1:
        yield from (raster.read_depths(*window) for window in windows)
        return
    raster.dry_blocks()  # once, before the clones copy it
    local = threading.local()

    def read(window):
        reader = getattr(local, "reader", None)
        if reader is None:
            reader = local.reader = raster.clone()
        return reader.read_depths(*window)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hazard-raster")
    pending = collections.deque()
    remaining = iter(windows)
    try:
        for window in itertools.islice(remaining, ahead):
            pending.append(pool.submit(read, window))
        while pending:
            value = pending.popleft().result()
            window = next(remaining, None)
            if window is not None:
                pending.append(pool.submit(read, window))
            yield value
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


class _quiet_gdal:  # noqa: N801 (used as a context manager)
    """GDAL's error messages go to GetLastErrorMsg only, not to stderr."""

    def __enter__(self):
        gdal.PushErrorHandler("CPLQuietErrorHandler")

    def __exit__(self, *exc):
        gdal.PopErrorHandler()


# -- assets and coverage ------------------------------------------------------------------


class LazyGeometries:
    """QgsGeometry objects of a WkbTable, made on first use (most assets never need one)."""

    def __init__(self, table):
        self.table = table
        self._made = {}

    def __len__(self):
        return self.table.count

    def __getitem__(self, index):
        index = int(index)
        geometry = self._made.get(index)
        if geometry is None and index not in self._made:
            if not numpy.isfinite(self.table.bounds[index, 0]):
                return None
            geometry = QgsGeometry()
            geometry.fromWkb(self.table.wkb(index))
            self._made[index] = geometry
        return geometry

    def __setitem__(self, index, geometry):
        self._made[int(index)] = geometry

    def __iter__(self):
        return (self[index] for index in range(len(self)))


@dataclass
class AssetGeometries:
    """The assets' geometries in the hazard CRS and their bounding boxes."""

    geometries: list  # QgsGeometry, or None where an asset has no geometry (or a LazyGeometries)
    bounds: numpy.ndarray  # (n, 4): xmin, ymin, xmax, ymax; NaN where there is no geometry
    areal: bool  # footprints (or buffered assets) rather than points
    table: object = None  # the geometries as a geometry.WkbTable: rings and points without QgsGeometry

    @classmethod
    def from_geometries(cls, geometries, areal):
        geometries = [g if g is not None and not g.isNull() and not g.isEmpty() else None for g in geometries]
        bounds = numpy.full((len(geometries), 4), numpy.nan)
        for index, geometry in enumerate(geometries):
            if geometry is not None:
                bounds[index] = geometry.boundingBox().toRectF().getCoords()
        return cls(geometries, bounds, areal)

    @classmethod
    def from_table(cls, table, areal):
        """From a WkbTable (geometries read in bulk, already in the hazard CRS)."""
        return cls(LazyGeometries(table), table.bounds, areal, table)

    def __len__(self):
        return len(self.geometries)

    def present(self):
        return numpy.flatnonzero(numpy.isfinite(self.bounds[:, 0]))

    def valid(self, index, repaired):
        """The geometry of asset ``index``, repaired (and remembered) where it is invalid."""
        geometry = self.geometries[index]
        checked = self.__dict__.setdefault("_checked", set())
        if index in checked:
            return geometry
        checked.add(index)
        if geometry.isGeosValid():
            return geometry
        fixed = geometry.makeValid()
        if fixed.type() != QgsWkbTypes.PolygonGeometry:
            fixed.convertGeometryCollectionToSubclass(QgsWkbTypes.PolygonGeometry)
        self.geometries[index] = fixed
        self.__dict__.setdefault("_fixed", set()).add(index)
        repaired.append(index)
        return fixed

    def check(self, indices, repaired):
        """Checks (and repairs, see ``valid``) the footprints ``indices`` at once: those the
        table finds certainly simple need no GEOS check."""
        checked = self.__dict__.setdefault("_checked", set())
        todo = numpy.array([index for index in numpy.asarray(indices).tolist() if index not in checked],
                           dtype=numpy.int64)
        if self.table is not None and len(todo):
            sure = self.table.certainly_valid(todo)
            checked.update(todo[sure].tolist())
            todo = todo[~sure]
        for index in todo.tolist():
            self.valid(index, repaired)

    def rings(self, index, repaired):
        geometry = self.valid(index, repaired)
        if self.table is not None and index not in self.__dict__.get("_fixed", ()):
            return self.table.rings(index)
        return wkb_rings(geometry.asWkb())

    def edges(self, indices, repaired):
        """(edges as ring_edges gives them, position in ``indices`` of each edge) of the
        rings of the footprints ``indices``, each valid or repaired. Read in bulk from the
        table where there is one: a footprint that is certainly simple needs no GEOS check."""
        indices = numpy.asarray(indices, dtype=numpy.int64)
        if self.table is None:
            rings, ring_owner = [], []
            for position, index in enumerate(indices.tolist()):
                found = self.rings(index, repaired)
                rings += found
                ring_owner += [position] * len(found)
            edges, edge_ring = ring_edges(rings, with_ring=True)
            return edges, numpy.asarray(ring_owner, dtype=numpy.int64)[edge_ring] if len(edge_ring) else edge_ring
        self.check(indices, repaired)
        edges, owner = self.table.edges(indices)
        fixed = self.__dict__.get("_fixed")
        mine = numpy.isin(indices, list(fixed)) if fixed else None
        if mine is None or not mine.any():
            return edges, owner
        keep = ~mine[owner]
        rings, ring_owner = [], []
        for position in numpy.flatnonzero(mine).tolist():
            found = wkb_rings(self.geometries[int(indices[position])].asWkb())
            rings += found
            ring_owner += [position] * len(found)
        extra, extra_ring = ring_edges(rings, with_ring=True)
        extra_owner = numpy.asarray(ring_owner, dtype=numpy.int64)[extra_ring] if len(extra_ring) else extra_ring
        owner = numpy.concatenate([owner[keep], extra_owner])
        order = numpy.argsort(owner, kind="stable")
        edges = tuple(numpy.concatenate([part[keep], more])[order] for part, more in zip(edges, extra))
        return edges, owner[order]

    def points(self, index):
        """The vertices of a (multi)point or line asset."""
        if self.table is not None:
            return self.table.points(index)
        return wkb_points(self.geometries[index].asWkb())


class Coverage:
    """Where the hazard data holds (a polygon in the hazard CRS); a plain rectangle is
    handled with arithmetic alone."""

    def __init__(self, geometry):
        self.geometry = geometry
        self.rectangle = geometry.boundingBox()
        box_area = self.rectangle.width() * self.rectangle.height()
        self.is_box = box_area > 0 and abs(geometry.area() - box_area) <= 1e-9 * box_area
        self._edges = self._engine = None

    @classmethod
    def box(cls, xmin, ymin, xmax, ymax):
        return cls(QgsGeometry.fromRect(QgsRectangle(xmin, ymin, xmax, ymax)))

    @property
    def edges(self):
        if self._edges is None:
            self._edges = ring_edges(wkb_rings(self.geometry.asWkb()))
        return self._edges

    @property
    def engine(self):
        if self._engine is None:
            self._engine = QgsGeometry.createGeometryEngine(self.geometry.constGet())
            self._engine.prepareGeometry()
        return self._engine

    def points_inside(self, xs, ys):
        xs, ys = numpy.asarray(xs, dtype=float), numpy.asarray(ys, dtype=float)
        r = self.rectangle
        inside = (xs >= r.xMinimum()) & (xs <= r.xMaximum()) & (ys >= r.yMinimum()) & (ys <= r.yMaximum())
        if not self.is_box and inside.any():
            inside[inside] = points_in_rings(xs[inside], ys[inside], self.edges)
        return inside

    def contains_boxes(self, bounds):
        """Which bounding boxes lie wholly inside."""
        r = self.rectangle
        inside = (bounds[:, 0] >= r.xMinimum()) & (bounds[:, 2] <= r.xMaximum()) & \
            (bounds[:, 1] >= r.yMinimum()) & (bounds[:, 3] <= r.yMaximum())
        if not self.is_box:
            for index in numpy.flatnonzero(inside):
                box = QgsGeometry.fromRect(QgsRectangle(*bounds[index]))
                inside[index] = self.engine.contains(box.constGet())
        return inside

    def covered_share(self, geometry, area):
        """Share of a footprint (of ``area``) inside."""
        if area <= 0:
            return 1.0 if self.engine.intersects(geometry.constGet()) else 0.0
        if self.is_box:
            part = geometry.clipped(self.rectangle)
            return min(1.0, part.area() / area) if not part.isNull() else 0.0
        part = self.engine.intersection(geometry.constGet())
        return min(1.0, part.area() / area) if part is not None else 0.0


# -- rasters: points --------------------------------------------------------------------


def expose_to_raster(raster, assets, coverage=None, feedback=None, threads=None):
    """Exposure of ``assets`` (AssetGeometries in the raster's CRS) to ``raster`` (a
    DepthRaster). ``coverage``: an optional Coverage outside which there is no data.
    ``threads``: raster reader threads (default READER_THREADS)."""
    result = Exposure.empty(len(assets), assets.areal)
    present = assets.present()
    if len(present) == 0:
        return result
    progress = _Progress(feedback)
    if assets.areal:
        _raster_footprints(raster, assets, present, coverage, result, progress, threads or READER_THREADS)
    else:
        _raster_points(raster, assets, present, coverage, result, progress, threads or READER_THREADS)
    return result


def point_coordinates(assets, present):
    """(x, y, owner) of every point of the point assets (a multi-point gives several)."""
    bounds = assets.bounds[present]
    single = (bounds[:, 0] == bounds[:, 2]) & (bounds[:, 1] == bounds[:, 3])
    xs, ys, owners = [bounds[single, 0]], [bounds[single, 1]], [present[single]]
    for index in present[~single]:
        points = assets.points(index)
        xs.append(points[:, 0])
        ys.append(points[:, 1])
        owners.append(numpy.full(len(points), index))
    return numpy.concatenate(xs), numpy.concatenate(ys), numpy.concatenate(owners).astype(numpy.int64)


def _groups(keys):
    """(order, starts, ends) that sort ``keys`` and cut them into runs of equal keys."""
    order = numpy.argsort(keys, kind="stable")
    if len(keys) == 0:
        return order, numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
    sorted_keys = keys[order]
    starts = numpy.flatnonzero(numpy.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    return order, starts, numpy.r_[starts[1:], len(keys)]


def _region_keys(raster, cols, rows, cells=None):
    cells = cells or REGION_CELLS
    return (rows // cells) * (raster.width // cells + 1) + cols // cells


def _raster_points(raster, assets, present, coverage, result, progress, threads=READER_THREADS):
    xs, ys, owners = point_coordinates(assets, present)
    cols, rows = raster.columns(xs), raster.rows(ys)
    inside = (cols >= 0) & (cols < raster.width) & (rows >= 0) & (rows < raster.height)
    if coverage is not None:
        inside &= coverage.points_inside(xs, ys)
    depth = numpy.full(len(xs), numpy.nan)
    wanted = numpy.flatnonzero(inside)
    order, starts, ends = _groups(_region_keys(raster, cols[wanted], rows[wanted]))
    wanted = wanted[order]
    windows = []
    for start, end in zip(starts, ends):
        members = wanted[start:end]
        c0, r0 = cols[members].min(), rows[members].min()
        windows.append((c0, r0, cols[members].max() - c0 + 1, rows[members].max() - r0 + 1))
    for number, values in enumerate(_prefetched(raster, windows, threads)):
        members = wanted[starts[number]:ends[number]]
        c0, r0 = windows[number][0], windows[number][1]
        depth[members] = values[rows[members] - r0, cols[members] - c0]
        progress((number + 1) / len(windows))
    # per asset: the deepest of its points, the mean over them; no data only where none is covered
    covered = ~numpy.isnan(depth)
    size = len(result)
    counts = numpy.bincount(owners, minlength=size).astype(float)
    covered_counts = numpy.bincount(owners, weights=covered, minlength=size)
    maxima = numpy.full(size, -numpy.inf)
    numpy.maximum.at(maxima, owners[covered], depth[covered])
    sums = numpy.bincount(owners[covered], weights=depth[covered], minlength=size)
    has = covered_counts > 0
    result.max_depth_cm[has] = maxima[has]
    result.mean_depth_cm[has] = sums[has] / covered_counts[has]
    result.codes[has] = class_codes(maxima[has])
    result.covered_share[:] = numpy.where(counts > 0, covered_counts / numpy.maximum(counts, 1), 0.0)


# -- rasters: footprints ------------------------------------------------------------------


def _windows(raster, bounds):
    """Cell windows [c0, c1) x [r0, r1) around bounding boxes."""
    c0 = raster.columns(bounds[:, 0])
    c1 = raster.columns(bounds[:, 2]) + 1
    if raster.flipped:
        r0, r1 = raster.rows(bounds[:, 1]), raster.rows(bounds[:, 3]) + 1
    else:
        r0, r1 = raster.rows(bounds[:, 3]), raster.rows(bounds[:, 1]) + 1
    return c0, c1, r0, r1


def _raster_footprints(raster, assets, present, coverage, result, progress, threads=READER_THREADS):
    bounds = assets.bounds[present]
    c0, c1, r0, r1 = _windows(raster, bounds)
    # clipped to the raster; an empty clipped window is wholly outside: no data
    cc0, cc1 = numpy.clip(c0, 0, raster.width), numpy.clip(c1, 0, raster.width)
    cr0, cr1 = numpy.clip(r0, 0, raster.height), numpy.clip(r1, 0, raster.height)
    touching = (cc1 > cc0) & (cr1 > cr0)
    whole = touching & (cc0 == c0) & (cc1 == c1) & (cr0 == r0) & (cr1 == r1)
    if coverage is not None:
        whole[whole] = coverage.contains_boxes(bounds[whole])
    candidates = numpy.flatnonzero(touching)
    order, starts, ends = _groups(_region_keys(raster, cc0[candidates], cr0[candidates], FOOTPRINT_REGION_CELLS))
    candidates = candidates[order]
    regions = []
    for start, end in zip(starts, ends):
        members = candidates[start:end]
        rc0, rr0 = cc0[members].min(), cr0[members].min()
        regions.append((rc0, rr0, cc1[members].max() - rc0, cr1[members].max() - rr0))
    for number, depths in enumerate(_prefetched(raster, regions, threads)):
        members = candidates[starts[number]:ends[number]]
        rc0, rr0 = regions[number][0], regions[number][1]
        a0, a1 = cc0[members] - rc0, cc1[members] - rc0
        b0, b1 = cr0[members] - rr0, cr1[members] - rr0
        dry = whole[members] & (_wet_cells(depths, a0, a1, b0, b1) == 0)
        for position in numpy.flatnonzero(~dry & whole[members]):
            # near water, but maybe still dry throughout: one look at the window settles it
            dry[position] = not depths[b0[position]:b1[position], a0[position]:a1[position]].any()
        settled = present[members[dry]]
        result.max_depth_cm[settled] = 0.0
        result.mean_depth_cm[settled] = 0.0
        result.codes[settled] = CODE_BELOW_10
        result.covered_share[settled] = 1.0
        result.shares[settled] = 0.0
        exact = members[~dry]
        if len(exact):
            windows = (c0[exact], c1[exact], r0[exact], r1[exact])
            tiny = _exact_footprints(raster, assets, present[exact], windows, depths, (rc0, rr0), coverage, result)
            for index in present[exact][tiny]:
                _tiny_footprint(raster, assets, index, coverage, result)
        progress((number + 1) / len(regions))


def _wet_cells(depths, a0, a1, b0, b1):
    """For windows [a0, a1) x [b0, b1) of ``depths``: > 0 where a window may hold water.

    A summed-area table of the region's 8 x 8 cell squares holding any water: cheap, and
    exact about the windows it calls dry (a window with a wet cell always meets a wet
    square). The squares come from one comparison into a buffer of whole squares, read
    as 64-bit words (8 cells of a row in one word) and reduced over 8 rows."""
    height, width = depths.shape
    rows, columns = -(-height // 8), -(-width // 8)
    wet = numpy.zeros((rows * 8, columns * 8), dtype=bool)
    numpy.greater(depths, 0, out=wet[:height, :width])
    squares = wet.view(numpy.uint64).reshape(rows, 8, columns).max(axis=1) != 0
    table = numpy.zeros((rows + 1, columns + 1), dtype=numpy.int32)
    numpy.cumsum(numpy.cumsum(squares, axis=0, dtype=numpy.int32), axis=1, out=table[1:, 1:])
    x0, x1 = a0 // 8, (a1 + 7) // 8
    y0, y1 = b0 // 8, (b1 + 7) // 8
    return table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]


def _exact_footprints(raster, assets, indices, windows, depths, origin, coverage, result):
    """Footprints against the cells whose centres lie inside them, all of a region at
    once: the cells of every window in one array, scan conversion of all rings, and
    per-footprint reductions. Returns a mask of the footprints that hold no cell centre
    (smaller than a cell), which ``_tiny_footprint`` settles."""
    col0, col1, row0, row1 = windows
    widths, heights = col1 - col0, row1 - row0
    sizes = widths * heights
    starts = numpy.concatenate(([0], numpy.cumsum(sizes)[:-1]))
    owner = numpy.repeat(numpy.arange(len(indices)), sizes)
    local = numpy.arange(owner.size) - starts[owner]
    cols = col0[owner] + local % widths[owner]
    rows = row0[owner] + local // widths[owner]
    edges, edge_owner = assets.edges(indices, result.repaired)
    grid = (raster.x0, raster.dx, raster.y0, raster.dy if raster.flipped else -raster.dy)
    inside = cells_inside(grid, windows, edges, edge_owner)
    covered = inside & (cols >= 0) & (cols < raster.width) & (rows >= 0) & (rows < raster.height)
    if coverage is not None and covered.any():
        xs = raster.x0 + (cols[covered] + 0.5) * raster.dx
        ys = raster.y0 + (rows[covered] + 0.5) * (raster.dy if raster.flipped else -raster.dy)
        covered[covered] = coverage.points_inside(xs, ys)
    values = numpy.zeros(owner.size, dtype=numpy.float64)
    values[covered] = depths[rows[covered] - origin[1], cols[covered] - origin[0]]
    count = len(indices)
    n_inside = numpy.bincount(owner, weights=inside, minlength=count)
    n_covered = numpy.bincount(owner, weights=covered, minlength=count)
    sums = numpy.bincount(owner, weights=values, minlength=count)
    deepest = numpy.maximum.reduceat(numpy.where(covered, values, -numpy.inf), starts)
    per_class = numpy.bincount(owner[covered] * (N_CLASSES + 1) + class_codes(values[covered]),
                               minlength=count * (N_CLASSES + 1)).reshape(count, N_CLASSES + 1)
    tiny = n_inside == 0
    settled = ~tiny
    with numpy.errstate(invalid="ignore", divide="ignore"):
        result.covered_share[indices[settled]] = n_covered[settled] / n_inside[settled]
        wet = settled & (n_covered > 0)
        result.max_depth_cm[indices[wet]] = deepest[wet]
        result.mean_depth_cm[indices[wet]] = sums[wet] / n_covered[wet]
        result.codes[indices[wet]] = class_codes(deepest[wet])
        result.shares[indices[wet]] = per_class[wet, 1:] / n_inside[wet, numpy.newaxis]
    return tiny


def _tiny_footprint(raster, assets, index, coverage, result):
    """A footprint smaller than a cell: the cell under a point inside it."""
    point = assets.valid(index, result.repaired).pointOnSurface().asPoint()
    x, y = point.x(), point.y()
    col, row = int(raster.columns(x)), int(raster.rows(y))
    inside = 0 <= col < raster.width and 0 <= row < raster.height
    if inside and coverage is not None:
        inside = bool(coverage.points_inside([x], [y])[0])
    result.covered_share[index] = 1.0 if inside else 0.0
    if not inside:
        return
    depth = float(raster.read_depths(col, row, 1, 1)[0, 0])
    code = int(class_codes([depth])[0])
    result.max_depth_cm[index] = depth
    result.mean_depth_cm[index] = depth
    result.codes[index] = code
    result.shares[index] = 0.0
    if code > 0:
        result.shares[index, code - 1] = 1.0


# -- depth-class polygons ---------------------------------------------------------------


class EdgeGrid:
    """Where polygon edges run, on a coarse grid: a cell is busy where the bounding box of
    an edge meets it. A box that meets no busy cell meets no edge (an edge's box holds the
    edge), so it lies wholly inside or wholly outside each polygon of those edges."""

    MAX_CELLS = 1 << 20

    def __init__(self, edges):
        x1, y1, x2, y2 = (numpy.asarray(part, dtype=float) for part in edges)
        self.table = None
        if len(x1) == 0:
            return
        self.x0, self.y0 = float(min(x1.min(), x2.min())), float(min(y1.min(), y2.min()))
        width = float(max(x1.max(), x2.max())) - self.x0
        height = float(max(y1.max(), y2.max())) - self.y0
        self.size = max(math.sqrt(width * height / self.MAX_CELLS), 2.0 * (width + height) / self.MAX_CELLS, 1e-9)
        self.columns = int(width // self.size) + 1
        self.rows = int(height // self.size) + 1
        c0, c1 = self._cells(numpy.minimum(x1, x2), self.x0, self.columns), self._cells(
            numpy.maximum(x1, x2), self.x0, self.columns)
        r0, r1 = self._cells(numpy.minimum(y1, y2), self.y0, self.rows), self._cells(
            numpy.maximum(y1, y2), self.y0, self.rows)
        # every edge's box added to a difference grid, summed up: the number of boxes on each cell
        stride, size = self.columns + 1, (self.rows + 1) * (self.columns + 1)
        corners = sum(sign * numpy.bincount(rows * stride + columns, minlength=size) for sign, rows, columns in (
            (1, r0, c0), (-1, r0, c1 + 1), (-1, r1 + 1, c0), (1, r1 + 1, c1 + 1)))
        boxes = corners.reshape(self.rows + 1, stride).cumsum(axis=0).cumsum(axis=1)[:self.rows, :self.columns]
        self.table = numpy.zeros((self.rows + 1, self.columns + 1), dtype=numpy.int32)
        numpy.cumsum(numpy.cumsum(boxes > 0, axis=0, dtype=numpy.int32), axis=1, out=self.table[1:, 1:])

    def _cells(self, values, origin, count):
        return numpy.clip(numpy.floor((values - origin) / self.size), 0, count - 1).astype(numpy.int64)

    def quiet(self, bounds):
        """Which boxes (n, 4: xmin, ymin, xmax, ymax) meet no edge's box."""
        bounds = numpy.asarray(bounds, dtype=float).reshape(-1, 4)
        if self.table is None:
            return numpy.ones(len(bounds), dtype=bool)
        outside = (bounds[:, 2] < self.x0) | (bounds[:, 0] > self.x0 + self.columns * self.size) | \
            (bounds[:, 3] < self.y0) | (bounds[:, 1] > self.y0 + self.rows * self.size)
        c0, c1 = self._cells(bounds[:, 0], self.x0, self.columns), self._cells(bounds[:, 2], self.x0, self.columns)
        r0, r1 = self._cells(bounds[:, 1], self.y0, self.rows), self._cells(bounds[:, 3], self.y0, self.rows)
        table = self.table
        busy = table[r1 + 1, c1 + 1] - table[r0, c1 + 1] - table[r1 + 1, c0] + table[r0, c0]
        return outside | (busy == 0)


class ClassPolygons:
    """Depth-class polygons of one scenario: valid QgsGeometry polygons and their class
    codes (1..4), with prepared GEOS engines made on first use."""

    def __init__(self, geometries, codes):
        self.geometries = list(geometries)
        self.codes = numpy.asarray(codes, dtype=numpy.int8)
        self.bounds = numpy.array([g.boundingBox().toRectF().getCoords() for g in self.geometries]).reshape(-1, 4)
        self._engines = {}
        self._edges = None
        self._grid = None

    def __len__(self):
        return len(self.geometries)

    def engine(self, index):
        engine = self._engines.get(index)
        if engine is None:
            engine = QgsGeometry.createGeometryEngine(self.geometries[index].constGet())
            engine.prepareGeometry()
            self._engines[index] = engine
        return engine

    def _all_edges(self):
        """The edges of all polygons (read at once from their WKB), grouped by polygon, and
        where each polygon's edges start."""
        if self._edges is None:
            table = WkbTable([geometry.asWkb() for geometry in self.geometries])
            edges, owner = table.edges(numpy.arange(len(self)))
            self._edges = edges, numpy.searchsorted(owner, numpy.arange(len(self) + 1))
        return self._edges

    def edges(self, index):
        edges, starts = self._all_edges()
        return tuple(part[starts[index]:starts[index + 1]] for part in edges)

    def edge_grid(self):
        """An EdgeGrid of all the polygons' edges (made once)."""
        if self._grid is None:
            self._grid = EdgeGrid(self._all_edges()[0])
        return self._grid

    def candidates(self, bounds):
        """(asset, polygon) index pairs whose bounding boxes meet."""
        assets, polygons = [], []
        finite = numpy.flatnonzero(numpy.isfinite(bounds[:, 0]))
        if len(finite) == 0 or len(self) == 0:
            return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
        order = finite[numpy.argsort(bounds[finite, 0], kind="stable")]
        xmin = bounds[order, 0]
        widest = float(numpy.max(bounds[finite, 2] - bounds[finite, 0]))
        for polygon, (pxmin, pymin, pxmax, pymax) in enumerate(self.bounds):
            low = numpy.searchsorted(xmin, pxmin - widest, side="left")
            high = numpy.searchsorted(xmin, pxmax, side="right")
            near = order[low:high]
            near = near[(bounds[near, 2] >= pxmin) & (bounds[near, 1] <= pymax) & (bounds[near, 3] >= pymin)]
            assets.append(near)
            polygons.append(numpy.full(len(near), polygon))
        return numpy.concatenate(assets).astype(numpy.int64), numpy.concatenate(polygons).astype(numpy.int64)


def expose_to_polygons(polygons, assets, coverage, feedback=None, threads=None):
    """Exposure of ``assets`` (AssetGeometries in the polygons' CRS) to depth-class
    ``polygons`` (ClassPolygons). ``coverage`` (a Coverage) is where the polygons tell
    something: outside it assets are "no data". Depth values stay NaN: class polygons
    give classes, not depths. ``threads``: overlay threads (default OVERLAY_THREADS)."""
    result = Exposure.empty(len(assets), assets.areal)
    progress = _Progress(feedback)
    present = assets.present()
    if len(present) == 0:
        return result
    if not assets.areal:
        _polygon_points(polygons, assets, present, coverage, result, progress)
    else:
        _polygon_footprints(polygons, assets, present, coverage, result, progress, threads)
    progress(1.0)
    return result


def _polygon_points(polygons, assets, present, coverage, result, progress):
    xs, ys, owners = point_coordinates(assets, present)
    size = len(result)
    covered = numpy.bincount(owners, weights=coverage.points_inside(xs, ys), minlength=size)
    counts = numpy.bincount(owners, minlength=size)
    codes = numpy.zeros(size, dtype=numpy.int8)
    point_bounds = numpy.column_stack([xs, ys, xs, ys])
    near, polygon = polygons.candidates(point_bounds)
    progress(0.3)
    for index in numpy.unique(polygon):
        these = near[polygon == index]
        hit = these[points_in_rings(xs[these], ys[these], polygons.edges(index))]
        numpy.maximum.at(codes, owners[hit], polygons.codes[index])
    with numpy.errstate(invalid="ignore", divide="ignore"):
        result.covered_share[present] = covered[present] / counts[present]
    result.codes[present] = numpy.where(covered[present] > 0, codes[present], CODE_NO_DATA)


def _polygon_footprints(polygons, assets, present, coverage, result, progress, threads=None):
    size = len(result)
    areas = numpy.zeros(size)
    covered_share = numpy.ones(size)
    partly = numpy.zeros(size, dtype=bool)
    partly[present] = ~coverage.contains_boxes(assets.bounds[present])
    for index in numpy.flatnonzero(partly):
        geometry = assets.valid(index, result.repaired)
        areas[index] = geometry.area()
        covered_share[index] = coverage.covered_share(geometry, areas[index])
    progress(0.2)
    asset, polygon = polygons.candidates(assets.bounds)
    progress(0.3)
    class_area = numpy.zeros((size, N_CLASSES))
    touched = numpy.zeros(size, dtype=bool)
    whole = _whole_footprints(polygons, assets, asset, polygon, partly, result)
    if whole is not None:
        quick, holding, deepest = whole
        held = quick & (holding > 0)
        touched[held] = True
        result.codes[held] = deepest[held]
        class_area[held, deepest[held] - 1] = 1.0
        areas[held] = 1.0
        result.overlapped += int((holding[quick] > 1).sum())
        rest = ~quick[asset]
        asset, polygon = asset[rest], polygon[rest]
    progress(0.4)
    # the footprints checked (and repaired) and the polygons prepared here, before the
    # threads share them: each prepared polygon is then used by one thread only
    overlaid = numpy.unique(asset)
    assets.check(overlaid, result.repaired)
    geometries = {index: assets.valid(index, result.repaired) for index in overlaid.tolist()}
    for geometry in geometries.values():
        geometry.boundingBox()  # a footprint's rings cache their box on first use: filled before threads read them
    for hazard in numpy.unique(polygon).tolist():
        polygons.engine(hazard)
    overlays = _threaded(_overlay_pairs, _chunks_by(polygon, OVERLAY_CHUNKS),
                         (asset, polygon, geometries, polygons, assets.bounds), progress, 0.4, 0.75, threads)
    pieces = {}  # asset -> [(class code, area, QgsGeometry)] of the polygons it meets
    for positions, found in overlays:
        for position, overlay in zip(positions.tolist(), found):
            if overlay is None:
                continue
            index, (area, shared, piece) = int(asset[position]), overlay
            if areas[index] == 0:
                areas[index] = area
            code = polygons.codes[polygon[position]]
            if areas[index] == 0 or shared > 0:
                touched[index] = True
                result.codes[index] = max(result.codes[index], code)
            pieces.setdefault(index, []).append((position, code, shared, piece))
    # in the order of the pairs, as one loop over them would have found them
    several = {index: [part[1:] for part in sorted(parts, key=lambda part: part[0])] for index, parts in pieces.items()}
    for index, parts in several.items():
        if len(parts) == 1:
            class_area[index, parts[0][0] - 1] += parts[0][1]
    several = {index: parts for index, parts in several.items() if len(parts) > 1}
    keys = numpy.array(sorted(several), dtype=numpy.int64)
    for chunk, found in _threaded(_class_areas, numpy.array_split(keys, OVERLAY_CHUNKS) if len(keys) else [],
                                  (several,), progress, 0.75, 0.9, threads):
        for index, (overlapped, areas_of_classes) in zip(chunk.tolist(), found):
            result.overlapped += overlapped
            class_area[index] += areas_of_classes
    with numpy.errstate(invalid="ignore", divide="ignore"):
        shares = numpy.where(areas[:, numpy.newaxis] > 0, class_area / areas[:, numpy.newaxis], 0.0)
    codes = numpy.where(touched, result.codes, CODE_BELOW_10).astype(numpy.int8)
    no_data = covered_share <= 0
    codes[no_data] = CODE_NO_DATA
    shares = numpy.clip(shares, 0.0, 1.0)
    shares[no_data] = numpy.nan
    result.codes[present] = codes[present]
    result.covered_share[present] = covered_share[present]
    result.shares[present] = shares[present]


def _whole_footprints(polygons, assets, asset, polygon, partly, result):
    """The footprints (of the candidate pairs ``asset``, ``polygon``) that no class
    polygon's edge comes near: each lies wholly inside or wholly outside each of its
    candidate polygons, and the centre of its box tells which, with no GEOS overlay.
    Only valid footprints (certainly simple, or valid for GEOS) with an area, wholly
    inside the coverage. (mask per asset, number of polygons holding it, deepest class
    code holding it), or None where no footprint is such."""
    size = len(result)
    bounds = assets.bounds
    quick = numpy.zeros(size, dtype=bool)
    quick[asset] = True
    with numpy.errstate(invalid="ignore"):
        quick &= ~partly & (bounds[:, 2] > bounds[:, 0]) & (bounds[:, 3] > bounds[:, 1])
    chosen = numpy.flatnonzero(quick)
    chosen = chosen[polygons.edge_grid().quiet(bounds[chosen])]
    if len(chosen) == 0:
        return None
    # the exact path checks (and repairs) every footprint it overlays: so does this one
    sure = assets.table.certainly_valid(chosen) if assets.table is not None else numpy.zeros(len(chosen), bool)
    for position in numpy.flatnonzero(~sure).tolist():
        index = int(chosen[position])
        assets.valid(index, result.repaired)
        sure[position] = index not in assets.__dict__.get("_fixed", ())
    quick[:] = False
    quick[chosen[sure]] = True
    pairs = numpy.flatnonzero(quick[asset])
    holding = numpy.zeros(size, dtype=numpy.int64)
    deepest = numpy.zeros(size, dtype=numpy.int8)
    centre_x = (bounds[:, 0] + bounds[:, 2]) / 2.0
    centre_y = (bounds[:, 1] + bounds[:, 3]) / 2.0
    order = pairs[numpy.argsort(polygon[pairs], kind="stable")]
    cuts = numpy.flatnonzero(numpy.diff(polygon[order])) + 1
    for group in numpy.split(order, cuts):
        if len(group) == 0:
            continue
        hazard = int(polygon[group[0]])
        these = asset[group]
        hit = these[points_in_rings(centre_x[these], centre_y[these], polygons.edges(hazard))]
        numpy.add.at(holding, hit, 1)
        numpy.maximum.at(deepest, hit, polygons.codes[hazard])
    return quick, holding, deepest


def _chunks_by(keys, count):
    """Positions of ``keys`` cut into about ``count`` chunks of similar size, each key in one chunk."""
    order = numpy.argsort(keys, kind="stable")
    if len(order) == 0:
        return []
    cuts = numpy.flatnonzero(numpy.diff(keys[order])) + 1
    groups = numpy.split(order, cuts)
    chunks, bounds = [], numpy.linspace(0, len(order), count + 1)[1:]
    current, taken = [], 0
    for group in groups:
        current.append(group)
        taken += len(group)
        if taken >= bounds[len(chunks)] and len(chunks) < count - 1:
            chunks.append(numpy.sort(numpy.concatenate(current)))
            current = []
    if current:
        chunks.append(numpy.sort(numpy.concatenate(current)))
    return chunks


def _threaded(work, chunks, arguments, progress, start, end, threads=None):
    """(chunk, work(chunk, *arguments)) for each chunk, worked by ``threads`` (default OVERLAY_THREADS) threads
    (GEOS works without the GIL), in order, with progress and cancelation between chunks."""
    if not chunks:
        return []
    results = []
    threads = OVERLAY_THREADS if threads is None else threads
    if threads <= 1 or len(chunks) == 1:
        for number, chunk in enumerate(chunks):
            results.append((chunk, work(chunk, *arguments)))
            progress(start + (end - start) * (number + 1) / len(chunks))
        return results
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hazard-overlay")
    futures = [pool.submit(work, chunk, *arguments) for chunk in chunks]
    try:
        for number, (chunk, future) in enumerate(zip(chunks, futures)):
            results.append((chunk, future.result()))
            progress(start + (end - start) * (number + 1) / len(chunks))
    finally:
        for future in futures:
            future.cancel()
        pool.shutdown(wait=True)
    return results


def _overlay_pairs(positions, asset, polygon, geometries, polygons, bounds):
    """For the (footprint, class polygon) pairs at ``positions``: None where they do not
    meet, else (footprint area, area shared, the shared piece as a QgsGeometry)."""
    found = []
    for position in positions.tolist():
        index, hazard = int(asset[position]), int(polygon[position])
        geometry = geometries[index]
        engine = polygons.engine(hazard)
        if not engine.intersects(geometry.constGet()):
            found.append(None)
            continue
        area = geometry.area()
        if engine.contains(geometry.constGet()):
            found.append((area, area, geometry))
            continue
        # the class polygon cut to the footprint's box first: a small overlay instead of a big one
        near = polygons.geometries[hazard].clipped(QgsRectangle(*bounds[index]))
        part = None
        if not near.isNull() and not near.isEmpty():
            part = QgsGeometry.createGeometryEngine(near.constGet()).intersection(geometry.constGet())
        found.append((area, part.area() if part is not None else 0.0, QgsGeometry(part) if part is not None else None))
    return found


OVERLAP_TOLERANCE = 1e-4  # share of a footprint that may be counted twice where class polygons touch


def _class_areas(indices, several):
    """For footprints meeting several class polygons: (1 where the polygons overlap on it
    else 0, area per class), each part counted once, in the deepest class over it."""
    found = []
    for index in indices.tolist():
        parts = [(code, shared, piece) for code, shared, piece in several[index]]
        class_area = numpy.zeros(N_CLASSES)
        total = sum(shared for _code, shared, _piece in parts)
        if total > 0 and _overlapping(parts, total):
            _deepest_first(parts, class_area)
            found.append((1, class_area))
            continue
        for code, shared, _piece in parts:
            class_area[code - 1] += shared
        found.append((0, class_area))
    return found


def _overlapping(parts, total):
    """Do the pieces of one footprint overlap (class polygons laid over one another)?
    Class polygons that only touch lose up to about 2e-5 of the area in GEOS's union (snapping
    at shared edges), so less than 1e-4 of the footprint missing counts as touching, not overlap."""
    shapes = [piece for _code, shared, piece in parts if piece is not None and shared > 0]
    return QgsGeometry.unaryUnion(shapes).area() < total * (1.0 - OVERLAP_TOLERANCE)


def _deepest_first(parts, class_area):
    """Class areas of one footprint where class polygons overlap: each part of it counts
    once, in the deepest class that covers it."""
    deeper = None
    for code in sorted({code for code, _shared, _piece in parts}, reverse=True):
        mine = [piece for c, _shared, piece in parts if c == code and piece is not None and not piece.isEmpty()]
        if not mine:
            continue
        area = QgsGeometry.unaryUnion(mine)
        exclusive = area.difference(deeper) if deeper is not None else area
        deeper = QgsGeometry.unaryUnion([deeper, area]) if deeper is not None else area
        class_area[code - 1] += exclusive.area()
