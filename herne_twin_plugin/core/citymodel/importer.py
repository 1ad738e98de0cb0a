"""City model import: files, a folder or a tile URL template -> tiles -> buildings -> GeoPackage.

``import_city_model(inputs, output)`` reads CityGML 1.0/2.0 and CityJSON tiles one
at a time, building by building, and writes each tile in one transaction (see
``geopackage_writer``). A tile already imported with the same content (sha256)
is skipped; with changed content its buildings are replaced in place. Progress
goes to ``feedback`` per tile (by bytes read), cancel is checked per building
and rolls back the current tile only.

Big CityGML tiles are cut into slices (``tile_slices``) that worker processes
read (``parse_pool``) while this process writes, and reads slices too while a
worker's answer is not there yet; the rows are the same and land in the same
order as when this process reads the tile itself, which it does for small
tiles, CityJSON, where no worker can run, and for any slice in which a building
fails (so failures are reported here, translated).
"""

import collections
import hashlib
import io
import logging
import os
from dataclasses import dataclass, field

from ..i18n import tr
from . import cityjson_reader, parse_pool, tile_slices, tiles, xml_safety
from .building_features import building_rows
from .citygml_reader import CityGMLReader
from .errors import BuildingFailure, CityModelError, ImportCanceled, TileError
from .geopackage_writer import CityModelGeoPackage, new_srs_ids
from .tile_rows import TileRows

LOG = logging.getLogger(__name__)

_PROGRESS_EVERY = 32  # buildings between progress reports
_BATCH = 256  # buildings whose rows go to the writer together
_PACK_EARLY_AT = 0.75  # share of a big tile written when its rows so far go into the spatial indexes


@dataclass
class ImportSummary:
    geopackage: str
    buildings: int = 0  # buildings written in this run
    failures: int = 0  # buildings listed in import_failures in this run
    tiles_imported: list = field(default_factory=list)
    tiles_skipped: list = field(default_factory=list)  # already imported with the same content
    tiles_missing: list = field(default_factory=list)  # not on the server (URL template)
    tiles_failed: list = field(default_factory=list)  # [(tile, reason)]
    files_outside: list = field(default_factory=list)  # left out by the extent
    canceled: bool = False
    parse_workers: int = 0  # worker processes that read tiles in this run
    slices_read_meanwhile: int = 0  # slices this process read while waiting for the workers' answers
    workers_peak_kb: int = 0  # their peak resident sizes, summed (Linux; 0 elsewhere)


class _Feedback:
    """Feedback calls that tolerate ``feedback=None`` (scripts, tests)."""

    def __init__(self, feedback):
        self.feedback = feedback

    def canceled(self):
        return self.feedback is not None and self.feedback.isCanceled()

    def progress(self, percent):
        if self.feedback is not None:
            self.feedback.setProgress(percent)

    def info(self, message):
        LOG.info(message)
        if self.feedback is not None:
            self.feedback.pushInfo(message)

    def error(self, message):
        LOG.warning(message)
        if self.feedback is not None:
            self.feedback.reportError(message, False)


def collect_tiles(inputs=(), extent=None, url_template=None, summary=None):
    """The tiles to import: LocalTile for each file (folders: their city model files), RemoteTile for
    each tile of a URL template that ``extent`` touches; files outside ``extent`` go to ``summary``."""
    paths = []
    for item in inputs or ():
        item = os.fspath(item)
        if os.path.isdir(item):
            paths.extend(tiles.city_model_files(item))
        elif os.path.isfile(item) or os.path.exists(item):
            paths.append(item)
        else:
            raise CityModelError(tr("{path} does not exist.").format(path=item))
    inside, outside = tiles.split_by_extent(paths, extent)
    if summary is not None:
        summary.files_outside.extend(outside)
    found = [tiles.LocalTile(path) for path in inside]
    if url_template:
        found.extend(tiles.remote_tiles(url_template, extent))
    return found


def import_city_model(inputs, output, keep_parts=False, extent=None, url_template=None, assume_srs=False,
                      feedback=None, max_bytes=None, max_object_bytes=xml_safety.DEFAULT_MAX_OBJECT_BYTES):
    """Import city model files into the GeoPackage ``output``; return an ImportSummary.

    ``inputs``: files and folders; ``extent``: (xmin, ymin, xmax, ymax) in EPSG:25832,
    only tiles touching it; ``url_template``: NRW tiles by URL ({E}, {N} in km), needs
    ``extent``; ``assume_srs``: take EPSG:25832 where a file names no coordinate
    system. Raises CityModelError for unusable arguments or an unwritable output;
    a tile that fails is reported in the summary and in ``import_failures``.
    """
    report = _Feedback(feedback)
    summary = ImportSummary(geopackage=os.fspath(output))
    sources = collect_tiles(inputs, extent, url_template, summary)
    for path in summary.files_outside:
        LOG.info("Left out (not in the extent): %s", path)
    if not sources:
        report.info(tr("No city model tiles to import."))
    pool = None
    if any(_worth_slicing(getattr(source, "path", None)) for source in sources):
        pool = parse_pool.ParsePool.start()  # the workers load while GDAL creates the layers
    options = {"assume_srs": assume_srs, "max_bytes": max_bytes, "max_object_bytes": max_object_bytes,
               "pool": pool}
    if pool is not None:
        _ask_first(pool, sources, summary.geopackage, options, keep_parts)
    try:
        geopackage = CityModelGeoPackage(summary.geopackage, keep_parts=keep_parts)
    except BaseException:
        _drop_ahead(options)
        if pool is not None:
            pool.stop(kill=True)
        raise
    ahead = options.get("ahead")
    if ahead is not None and ahead.srs_ids != geopackage.srs_ids:  # (not expected: see _ask_first)
        _drop_answers(options, pool)
    try:
        for index, source in enumerate(sources):
            if report.canceled():
                summary.canceled = True
                break
            report.progress(100.0 * index / len(sources))
            options["upcoming"] = sources[index + 1] if index + 1 < len(sources) else None
            try:
                _import_source(geopackage, source, summary, report, options, keep_parts,
                               lambda fraction, index=index: report.progress(
                                   100.0 * (index + min(fraction, 1.0)) / len(sources)))
            except ImportCanceled:
                geopackage.rollback_tile()
                summary.canceled = True
                report.info(tr("Import canceled: tile {tile} was rolled back, the tiles before it are complete.")
                            .format(tile=source.name))
                break
            finally:
                source.release()
        if not summary.canceled:
            report.progress(100.0)
    finally:
        _drop_ahead(options)
        if pool is not None:  # (stopped already where it failed)
            pool.stop(kill=summary.canceled)
            summary.parse_workers, summary.workers_peak_kb = pool.size, pool.peak_kb
            summary.slices_read_meanwhile = pool.read_meanwhile_count
        geopackage.close()
    return summary


def _worth_slicing(path, least=None):
    """Whether the file at ``path`` has ``least`` bytes (default: enough to start parse workers for it)."""
    try:
        return path is not None and os.path.getsize(path) >= (parse_pool.MIN_TILE_BYTES if least is None else least)
    except OSError:
        return False


def _import_source(geopackage, source, summary, report, options, keep_parts, progress):
    try:
        path = source.fetch(report.feedback)
    except TileError as error:
        _tile_failed(geopackage, source.name, error, summary, report)
        return
    if path is None:
        summary.tiles_missing.append(source.name)
        report.info(tr("Tile {tile}: not on the server (no buildings there?).").format(tile=source.name))
        return
    name = source.name
    known_sha = geopackage.imported_sha256(name)
    if known_sha is not None:
        try:
            sha = _file_sha256(path)
        except OSError as error:
            _tile_failed(geopackage, name, TileError(_unreadable(path, error)), summary, report)
            return
        if sha == known_sha:
            summary.tiles_skipped.append(name)
            report.info(tr("Tile {tile}: already imported with the same content, skipped.").format(tile=name))
            return
    try:
        counts = _import_tile(geopackage, path, name, options, keep_parts, report, progress)
    except TileError as error:
        geopackage.rollback_tile()
        _tile_failed(geopackage, name, error, summary, report)
        return
    except ImportCanceled:
        raise
    except BaseException:
        geopackage.rollback_tile()
        raise
    buildings, failures = counts
    summary.buildings += buildings
    summary.failures += failures
    summary.tiles_imported.append(name)
    message = tr("Tile {tile}: {buildings} buildings imported, {failures} failed.").format(
        tile=name, buildings=buildings, failures=failures)
    if known_sha is not None:
        message += " " + tr("(It had been imported before; its buildings were replaced.)")
    report.info(message)


def _import_tile(geopackage, path, name, options, keep_parts, report, progress):
    """Write one tile in one transaction; return (buildings, failures)."""
    pool = options["pool"]
    if pool is not None and _worth_slicing(path, parse_pool.MIN_SLICED_BYTES):  # the workers run already
        try:
            return _import_tile_sliced(geopackage, pool, path, name, options, keep_parts, report, progress)
        except (tile_slices.SliceUnsuitable, _SliceFailed) as why:
            LOG.info("Tile %s is read as a whole: %s", name, why)
            _drop_answers(options, pool)
        except parse_pool.PoolBroken as why:
            LOG.warning("Parse workers failed (%s): reading in-process from now on.", why)
            _drop_ahead(options)
            pool.stop(kill=True)
            options["pool"] = None
        except BaseException:
            _drop_ahead(options)
            pool.stop(kill=True)  # a cancel or an error: the workers' answers are not wanted any more
            options["pool"] = None
            raise
        geopackage.rollback_tile()
    hasher = hashlib.sha256()
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise TileError(_unreadable(path, error)) from None
    with handle:
        size = _size(handle)
        reader = _reader(handle, options, hasher)
        geopackage.begin_tile()
        tile = _TileImport(geopackage, name, keep_parts)
        try:
            for count, building in enumerate(reader.buildings(), 1):
                if report.canceled():
                    raise ImportCanceled()
                tile.add(building)
                if size and count % _PROGRESS_EVERY == 0:
                    progress(reader.bytes_read / size)
        except OSError as error:  # reading the file (the writer raises CityModelError)
            raise TileError(_unreadable(path, error)) from None
        tile.flush()
        geopackage.commit_tile(name, hasher.hexdigest(), tile.buildings, tile.failures)
    return tile.buildings, tile.failures


class _SliceFailed(Exception):  # noqa: N818 (the tile is then read as a whole)
    """A slice could not be read on its own (an unusual or a broken file)."""


class _TileImport:
    """The buildings of the tile being written: counts, gml:ids seen, rows gathered for the writer."""

    def __init__(self, geopackage, name, keep_parts):
        self.geopackage = geopackage
        self.name = name
        self.keep_parts = keep_parts
        self.buildings = self.failures = 0
        self.seen = set()
        self.srs_ids = geopackage.srs_ids
        self.rows = TileRows(self.srs_ids, keep_parts)

    def add(self, building):
        """A building as a reader hands it over: its rows, or its failure with the reason."""
        reason = building.failure
        if reason is None and building.object_id in self.seen:
            reason = tr("The gml:id appears twice in the tile.")
        if reason is None:
            try:
                self.rows.add_building(building_rows(building, self.name, self.keep_parts))
                self.buildings += 1
            except BuildingFailure as failure:
                reason = failure.reason
        if reason is not None:
            self.geopackage.add_failure(building.object_id, self.name, _building_reason(building, reason))
            self.failures += 1
        self.seen.add(building.object_id)
        if len(self.rows) >= _BATCH:
            self.flush()

    def add_read(self, answer):
        """The rows of a slice a worker read (none failed, see TileRows.answer); False where a gml:id was
        seen before."""
        rows = TileRows.from_answer(self.srs_ids, answer)
        if not self.seen.isdisjoint(rows.building_ids):
            return False
        self.flush()
        self.geopackage.add_tile_rows(rows)
        self.seen.update(rows.building_ids)
        self.buildings += len(rows.building_ids)
        return True

    def flush(self):
        if len(self.rows):
            self.geopackage.add_tile_rows(self.rows)
            self.rows = TileRows(self.srs_ids, self.keep_parts)


class _SlicedTile:
    """A tile the parse workers read: its open file, the plan of its slices, its hash and the slices asked
    for (oldest first). Made when the tile's turn comes, or while the tile before it is finishing, so that
    the workers go on reading across tiles (``_ask_ahead``)."""

    def __init__(self, path, name, options, keep_parts, srs_ids):
        self.path = path
        self.handle = open(path, "rb")
        self.before = os.fstat(self.handle.fileno())
        self.hasher = hashlib.sha256()
        self.plan = tile_slices.SlicePlan(self.handle, parse_pool.SLICE_BYTES, self.hasher, options["max_bytes"],
                                          options["max_object_bytes"])
        self._pieces = self.plan.slices()
        self.srs_ids = srs_ids
        self._request = {"path": path, "tile": name, "keep_parts": keep_parts, "assume_srs": options["assume_srs"],
                         "max_object_bytes": options["max_object_bytes"], "srs_ids": srs_ids}
        self.asked = collections.deque()
        self.all_asked = False
        self.error = None  # why the slices could not be planned, when that showed while asking ahead

    def ask(self, pool):
        """Ask the workers for the next slices while they have room (raises SliceUnsuitable, OSError)."""
        while not self.all_asked and not pool.full:
            self._next(pool.submit)

    def read_one_meanwhile(self, pool):
        """Read the next slice in this process (see ParsePool.read_meanwhile), if there is one."""
        if not self.all_asked:
            self._next(pool.read_meanwhile)

    def _next(self, ask):
        piece = next(self._pieces, None)
        if piece is None:
            self.all_asked = True
            return
        ask(dict(self._request, head_end=self.plan.head_end, tail=self.plan.tail, start=piece.start, end=piece.end))
        self.asked.append(piece)

    def close(self):
        self.handle.close()


def _import_tile_sliced(geopackage, pool, path, name, options, keep_parts, report, progress):
    """``_import_tile`` with the tile's slices read by the parse workers."""
    sliced = options.pop("ahead", None)
    if sliced is None:
        try:
            sliced = _SlicedTile(path, name, options, keep_parts, geopackage.srs_ids)
        except OSError as error:
            raise TileError(_unreadable(path, error)) from None
    try:
        if sliced.path != path:  # (asked ahead for another file: not expected)
            sliced.error = _SliceFailed("the slices asked ahead are of another file")
        if sliced.error is not None:
            raise sliced.error
        geopackage.begin_tile()
        tile = _TileImport(geopackage, name, keep_parts)
        packed = False  # the spatial indexes of the rows so far (see _PACK_EARLY_AT)
        try:
            while True:
                sliced.ask(pool)
                if sliced.all_asked:
                    _ask_ahead(geopackage, pool, name, options, keep_parts)
                if not sliced.asked:
                    break
                if not sliced.all_asked and pool.would_wait():
                    sliced.read_one_meanwhile(pool)  # instead of waiting for the oldest answer
                    continue
                answer = pool.result()
                piece = sliced.asked.popleft()
                if report.canceled():
                    raise ImportCanceled()
                if answer[0] != "ok" or not tile.add_read(answer[1]):
                    _read_here(sliced.path, sliced.plan, piece, tile, options)  # failures reported here, translated
                done = (piece.end or sliced.before.st_size) / (sliced.before.st_size or 1)
                progress(done)
                if not packed and done >= _PACK_EARLY_AT:
                    tile.flush()
                    geopackage.pack_spatial_indexes()
                    packed = True
            after = os.fstat(sliced.handle.fileno())
        except OSError as error:
            raise TileError(_unreadable(path, error)) from None
        if (after.st_size, after.st_mtime_ns) != (sliced.before.st_size, sliced.before.st_mtime_ns):
            raise _SliceFailed("the file changed while it was read")
        if options.get("upcoming") is None:
            pool.let_go()  # the last tile: the workers end while this process commits
        tile.flush()
        geopackage.commit_tile(name, sliced.hasher.hexdigest(), tile.buildings, tile.failures)
    finally:
        sliced.close()
    return tile.buildings, tile.failures


def _ask_ahead(geopackage, pool, name, options, keep_parts):
    """While the current tile finishes, have the workers start on the next one (a local file that the
    workers would read and that is not in the GeoPackage yet), so they do not wait for the commit."""
    ahead = options.get("ahead")
    if ahead is None:
        upcoming = options.get("upcoming")
        path = getattr(upcoming, "path", None)
        if (upcoming is None or upcoming.name == name or options.get("ahead_tried") == path
                or not _worth_slicing(path, parse_pool.MIN_SLICED_BYTES)
                or geopackage.imported_sha256(upcoming.name) is not None):
            return
        _open_ahead(pool, path, upcoming.name, options, keep_parts, geopackage.srs_ids)
    elif ahead.error is None:
        _ask_on(ahead, pool)


def _ask_first(pool, sources, output, options, keep_parts):
    """Have the workers start on the first tile while GDAL creates the layers of a new GeoPackage (about
    50 ms, as long as the workers take to start). The rows they make carry the srs_id of each layer, known
    here before the layers exist (see geopackage_writer.new_srs_ids) and checked once they do."""
    path = getattr(sources[0], "path", None) if sources else None
    srs_ids = new_srs_ids(output, keep_parts)
    if srs_ids is None or not _worth_slicing(path, parse_pool.MIN_SLICED_BYTES):
        return
    _open_ahead(pool, path, sources[0].name, options, keep_parts, srs_ids)


def _open_ahead(pool, path, name, options, keep_parts, srs_ids):
    """Tile ``path`` read ahead of its turn (options["ahead"]), its first slices asked for; nothing
    where the file cannot be opened (its turn will say why). Each tile is tried once."""
    options["ahead_tried"] = path
    try:
        ahead = _SlicedTile(path, name, options, keep_parts, srs_ids)
    except OSError:
        return
    options["ahead"] = ahead
    _ask_on(ahead, pool)


def _ask_on(ahead, pool):
    try:
        ahead.ask(pool)
    except (tile_slices.SliceUnsuitable, OSError) as error:
        ahead.error = _SliceFailed(str(error))  # raised at its turn: it is then read as a whole


def _drop_answers(options, pool):
    """Forget every answer asked for and still coming (the slices read ahead and the pool's);
    a pool that breaks meanwhile is stopped and not used again."""
    _drop_ahead(options)
    try:
        pool.drain()
    except parse_pool.PoolBroken:
        pool.stop(kill=True)
        options["pool"] = None


def _drop_ahead(options):
    """Forget the tile asked ahead (after the workers' answers were dropped or the workers stopped)."""
    ahead = options.pop("ahead", None)
    if ahead is not None:
        ahead.close()


def _read_here(path, plan, piece, tile, options):
    """Read one slice in this process (a building in it failed, or the worker could not read it). The file
    is opened again: the plan goes on reading the first handle."""
    with open(path, "rb") as handle:
        document = tile_slices.read_slice(handle, plan.head_end, plan.tail, piece)
        line_offset = plan.line_offset(piece, handle)
    reader = CityGMLReader(io.BytesIO(document), options["assume_srs"], None, options["max_object_bytes"],
                           line_offset=line_offset)
    try:
        for building in reader.buildings():
            tile.add(building)
    except TileError as error:
        raise _SliceFailed(error.reason) from None


def _reader(handle, options, hasher):
    """A CityGML or CityJSON reader, by the file's first significant byte."""
    head = handle.peek(64)[:64] if hasattr(handle, "peek") else b""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first in (b"{", b"["):
        return cityjson_reader.CityJSONReader(handle, options["assume_srs"], options["max_bytes"],
                                              options["max_object_bytes"], hasher)
    return CityGMLReader(handle, options["assume_srs"], options["max_bytes"], options["max_object_bytes"], hasher)


def _building_reason(building, reason):
    if not building.line:
        return reason
    return tr("{reason} (line {line})").format(reason=reason, line=building.line)


def _tile_failed(geopackage, name, error, summary, report):
    summary.tiles_failed.append((name, error.reason))
    if error.detail:
        LOG.warning("Tile %s: %s", name, error.detail)
    report.error(tr("Tile {tile} was not imported: {reason}").format(tile=name, reason=error.reason))
    geopackage.record_tile_failure(name, error.reason)


def _unreadable(path, error):
    return tr("Cannot read {path}: {error}").format(path=path, error=getattr(error, "strerror", None) or error)


def _file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _size(handle):
    try:
        return os.fstat(handle.fileno()).st_size
    except OSError:
        return 0
