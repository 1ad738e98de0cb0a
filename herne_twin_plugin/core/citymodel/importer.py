"""City model import: files, a folder or a tile URL template -> tiles -> buildings -> GeoPackage.

``import_city_model(inputs, output)`` reads CityGML 1.0/2.0 and CityJSON tiles one
at a time, building by building, and writes each tile in one transaction (see
``geopackage_writer``). A tile already imported with the same content (sha256)
is skipped; with changed content its buildings are replaced in place. Progress
goes to ``feedback`` per tile (by bytes read), cancel is checked per building
and rolls back the current tile only.
"""

import hashlib
import logging
import os
from dataclasses import dataclass, field

from ..i18n import tr
from . import cityjson_reader, tiles, xml_safety
from .building_features import building_rows
from .citygml_reader import CityGMLReader
from .errors import BuildingFailure, CityModelError, ImportCanceled, TileError
from .geopackage_writer import CityModelGeoPackage

LOG = logging.getLogger(__name__)

_PROGRESS_EVERY = 32  # buildings between progress reports


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
    geopackage = CityModelGeoPackage(summary.geopackage, keep_parts=keep_parts)
    options = {"assume_srs": assume_srs, "max_bytes": max_bytes, "max_object_bytes": max_object_bytes}
    try:
        for index, source in enumerate(sources):
            if report.canceled():
                summary.canceled = True
                break
            report.progress(100.0 * index / len(sources))
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
        geopackage.close()
    return summary


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
    hasher = hashlib.sha256()
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise TileError(_unreadable(path, error)) from None
    with handle:
        size = _size(handle)
        reader = _reader(handle, options, hasher)
        geopackage.begin_tile()
        buildings = failures = 0
        seen = set()
        try:
            for count, building in enumerate(reader.buildings(), 1):
                if report.canceled():
                    raise ImportCanceled()
                reason = building.failure
                if reason is None and building.object_id in seen:
                    reason = tr("The gml:id appears twice in the tile.")
                if reason is None:
                    try:
                        geopackage.add_building(building_rows(building, name, keep_parts))
                        buildings += 1
                    except BuildingFailure as failure:
                        reason = failure.reason
                if reason is not None:
                    geopackage.add_failure(building.object_id, name, _building_reason(building, reason))
                    failures += 1
                seen.add(building.object_id)
                if size and count % _PROGRESS_EVERY == 0:
                    progress(reader.bytes_read / size)
        except OSError as error:  # reading the file (the writer raises CityModelError)
            raise TileError(_unreadable(path, error)) from None
        geopackage.commit_tile(name, hasher.hexdigest(), buildings, failures)
    return buildings, failures


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
