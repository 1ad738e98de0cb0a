"""Photos of field inspections: stored in the package under safe names, uploaded once.

``store_photo(package_dir, source_path, asset_key, resize_to=None)`` copies a photo into the
package's ``DCIM/`` folder and returns the path to store in ``inspections.photos``
('DCIM/<asset>_<name>_<hash>.jpg', relative to the package). The name is made safe whatever
the source's name was (``../``, absolute paths, control characters, names that are not
UTF-8, Windows device names, very long names) and ends with the first 8 hex digits of the
content's SHA-256, so two inspectors' 'IMG_0001.jpg' of the same asset never share a name
on the office's side, and the same name means the same photo.

``upload_pending(package_dir, target, feedback)`` uploads the photos of the package's
inspections that the target does not have yet: to a shared folder (copied to a temporary
name and linked into place, never overwriting a different file of the same name) or to an
http(s) endpoint (PUT through QGIS networking with ``If-None-Match: *``; an answer 412 means
the name exists and is checked to hold the same bytes). Each photo gets a receipt in the
package (table ``hernetwin_attachments``: uploaded, or failed with the reason) written right
after its outcome, so an upload interrupted anywhere and run again uploads nothing twice and
leaves nothing out.
"""

import datetime
import errno
import hashlib
import logging
import os
import re
import stat
import unicodedata
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import List, Tuple

from qgis.core import QgsFeedback
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, Qt
from qgis.PyQt.QtGui import QImage, QImageReader, QPainter

from ..i18n import tr
from ..log import redact_url
from . import journal
from .inspection import INSPECTION_TABLE, PHOTO_FOLDER
from .transports import base as transport_base
from .transports import http

LOG = logging.getLogger(__name__)

ATTACHMENTS_TABLE = "hernetwin_attachments"
UPLOADED, FAILED = "uploaded", "failed"

MAX_NAME_CHARS = 120  # of a stored photo's file name, extension included
MAX_KEY_CHARS = 40  # of the asset key's part of it
MAX_PHOTO_BYTES = 64 * 1024 * 1024
JPEG_QUALITY = 85
_CHUNK = 1024 * 1024

# Names Windows reserves for devices, with any extension ('CON.jpg' cannot be created there).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CLOCK$"} | {"COM{}".format(n) for n in range(10)} | {
    "LPT{}".format(n) for n in range(10)}
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".heic": "image/heic",
                  ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp"}
# Failures after which the next photo would fail the same way: stop and keep the rest pending.
_STOP_KINDS = (transport_base.TIMEOUT, transport_base.NETWORK, transport_base.AUTH, transport_base.CANCELLED)


class AttachmentError(ValueError):
    """A photo cannot be stored or a package has no photos to upload; the message says why."""


@dataclass(frozen=True)
class PendingUpload:
    """A photo of the package's inspections that the target does not have yet.

    ``problem`` is set where it cannot be uploaded as it is (missing file, a path outside the
    package): the upload records that reason as a failed receipt and the photo stays pending.
    """

    path: str  # as stored in inspections.photos, e.g. 'DCIM/abc_IMG_0001_1a2b3c4d.jpg'
    inspection_uuids: Tuple[str, ...]
    problem: str = ""


@dataclass(frozen=True)
class AttachmentReceipt:
    path: str
    target: str
    status: str  # 'uploaded' or 'failed'
    message: str
    remote: str  # where it is now (file path or URL), '' when failed
    sha256: str
    size: int
    attempts: int
    at: str


@dataclass
class UploadReport:
    uploaded: List[AttachmentReceipt] = field(default_factory=list)
    failed: List[AttachmentReceipt] = field(default_factory=list)
    stopped: str = ""  # why the run ended before the last photo ('' when it did not)


# -- names -----------------------------------------------------------------------------------


def _text(name):
    """``name`` (str, possibly with surrogate escapes, or bytes) as readable text: UTF-8 where
    it is, else Windows-1252 (names from Windows cameras and card readers), else Latin-1."""
    if isinstance(name, str):
        try:
            name.encode("utf-8")
            return name
        except UnicodeEncodeError:
            name = name.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return bytes(name).decode(encoding)
        except UnicodeDecodeError:
            continue
    return bytes(name).decode("latin-1")  # never reached: Latin-1 decodes every byte


def _ascii_part(text, keep_dots=False):
    for umlaut, spelled in _GERMAN.items():
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    allowed = r"[^A-Za-z0-9_.-]" if keep_dots else r"[^A-Za-z0-9_-]"
    text = re.sub(allowed, "_", text)
    text = re.sub(r"_+", "_", text)
    return text.strip("_-.")


def _split_extension(name):
    match = re.search(r"\.([A-Za-z0-9]{1,8})$", name)
    if not match:
        return name, ""
    return name[: match.start()], "." + match.group(1).lower()


def safe_file_name(name, max_chars=MAX_NAME_CHARS, fallback="photo"):
    """A file name that is safe on Linux, Windows, Android and in a URL: ASCII letters, digits,
    '_' and '-', one extension; no path, no leading dot, no device name; at most ``max_chars``
    characters with the extension kept."""
    text = _text(name)
    text = re.split(r"[\\/]", text)[-1]  # the last part of a path, whatever its separator
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text)
    stem, extension = _split_extension(text.strip())
    stem = _ascii_part(stem) or fallback
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "_"
    return stem[: max(1, max_chars - len(extension))] + extension


# -- the package -----------------------------------------------------------------------------


def package_paths(package):
    """(package folder, GeoPackage path) of a package given as its folder or its .gpkg."""
    package = os.fspath(package)
    if os.path.isfile(package):
        return os.path.dirname(os.path.abspath(package)), os.path.abspath(package)
    if not os.path.isdir(package):
        raise AttachmentError(tr("The field package {path} does not exist.").format(path=package))
    folder = os.path.abspath(package)
    named = os.path.join(folder, os.path.basename(folder) + ".gpkg")
    if os.path.isfile(named):
        return folder, named
    found = sorted(name for name in os.listdir(folder) if name.lower().endswith(".gpkg"))
    if len(found) != 1:
        raise AttachmentError(tr("The folder {path} holds no single field package (.gpkg).").format(path=folder))
    return folder, os.path.join(folder, found[0])


def _inside(folder, path):
    folder, path = os.path.realpath(folder), os.path.realpath(path)
    return os.path.commonpath([folder, path]) == folder and path != folder


# -- storing a photo -------------------------------------------------------------------------


def _read_source(source_path):
    """The bytes of a photo file, with a clear error for every way it cannot be read."""
    shown = _text(os.fspath(source_path)) if isinstance(source_path, (str, bytes, os.PathLike)) else str(source_path)
    try:
        info = os.stat(source_path)
    except ValueError:  # a NUL character in the name
        raise AttachmentError(tr("The photo's file name contains characters no file can have: {path}").format(
            path=shown.replace("\0", "\\0"))) from None
    except OSError:
        raise AttachmentError(tr("The photo {path} does not exist or cannot be read.").format(path=shown)) from None
    if not stat.S_ISREG(info.st_mode):
        raise AttachmentError(tr("{path} is not a photo file.").format(path=shown))
    if info.st_size > MAX_PHOTO_BYTES:
        raise AttachmentError(tr("The photo {path} is larger than {size} MB.").format(
            path=shown, size=MAX_PHOTO_BYTES // (1024 * 1024)))
    try:
        with open(source_path, "rb") as handle:
            return handle.read(MAX_PHOTO_BYTES + 1)
    except OSError as error:
        raise AttachmentError(tr("The photo {path} cannot be read: {reason}").format(
            path=shown, reason=error.strerror or error)) from None


def _resized_jpeg(data, max_edge, shown):
    """``data`` as a JPEG whose longer edge is at most ``max_edge`` pixels (upright by its EXIF
    orientation; never enlarged)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise AttachmentError(tr("{path} is not an image that can be resized ({reason}).").format(
            path=shown, reason=reader.errorString()))
    if max(image.width(), image.height()) > max_edge:
        image = image.scaled(max_edge, max_edge, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    if image.hasAlphaChannel():  # JPEG has none: put transparent parts on white
        flat = QImage(image.size(), QImage.Format_RGB32)
        flat.fill(Qt.white)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    out = QBuffer()
    out.open(QIODevice.WriteOnly)
    if not image.save(out, "JPG", JPEG_QUALITY):
        raise AttachmentError(tr("The resized copy of {path} could not be written.").format(path=shown))
    return bytes(out.data())


def _file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_temp(folder, data, name_hint):
    """``data`` written and flushed to disk under a temporary name in ``folder``."""
    temp = os.path.join(folder, ".{}.{}.part".format(name_hint[:40], uuid.uuid4().hex))
    with open(temp, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def _place(temp, final):
    """Move ``temp`` to ``final`` unless ``final`` exists; True when placed. A hard link does it
    atomically; where the file system has none (FAT cards, some shares) the check and the
    rename are two steps."""
    try:
        os.link(temp, final)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                               errno.ENOSYS, errno.EACCES):
            raise
        if os.path.lexists(final):
            return False
        os.replace(temp, final)
        return True
    os.unlink(temp)
    return True


def _place_unique(temp, folder, stem, extension, sha256):
    """Place ``temp`` as ``stem + extension`` in ``folder``, or as ``stem_2``... where a
    different file has the name; where the same bytes are there already, keep those.
    Returns the file name used."""
    for number in range(1, 10000):
        suffix = "" if number == 1 else "_{}".format(number)
        name = stem[: MAX_NAME_CHARS - len(extension) - len(suffix)] + suffix + extension
        final = os.path.join(folder, name)
        if _place(temp, final):
            return name
        if os.path.isfile(final) and _file_sha256(final) == sha256:
            os.unlink(temp)
            return name
    raise AttachmentError(tr("No free file name for the photo in {folder}.").format(folder=folder))


def store_photo(package_dir, source_path, asset_key, resize_to=None):
    """Copy the photo ``source_path`` into the package's DCIM folder under a safe name; with
    ``resize_to`` (pixels of the longer edge) store a resized JPEG copy instead.

    Returns the path to store in ``inspections.photos``, relative to the package folder, with
    '/' separators ('DCIM/...'). Storing the same photo twice gives the same path, one file.
    """
    folder = os.fspath(package_dir)
    folder = os.path.abspath(folder if os.path.isdir(folder) else package_paths(folder)[0])
    if resize_to is not None and (not isinstance(resize_to, int) or resize_to < 16):
        raise AttachmentError(tr("A resized photo needs a size of at least 16 pixels, not {size}.").format(
            size=resize_to))
    data = _read_source(source_path)
    original = os.path.basename(os.fspath(source_path))
    stem, extension = _split_extension(safe_file_name(original))
    if resize_to is not None:
        data = _resized_jpeg(data, resize_to, _text(original))
        extension = ".jpg"
    sha256 = hashlib.sha256(data).hexdigest()
    key = safe_file_name(str(asset_key or ""), max_chars=MAX_KEY_CHARS, fallback="")
    stem = "_".join(part for part in (key, stem) if part)
    tail = "_" + sha256[:8]
    stem = stem[: MAX_NAME_CHARS - len(extension) - len(tail) - 6] + tail  # room for '_9999'
    photos = os.path.join(folder, PHOTO_FOLDER)
    os.makedirs(photos, exist_ok=True)
    temp = _write_temp(photos, data, "photo")
    try:
        name = _place_unique(temp, photos, stem, extension, sha256)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    LOG.info("Photo stored as %s/%s", PHOTO_FOLDER, name)
    return "{}/{}".format(PHOTO_FOLDER, name)


# -- receipts --------------------------------------------------------------------------------


def _create_receipts_table(connection):
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (path TEXT NOT NULL, target TEXT NOT NULL, inspection_uuids TEXT, "
        "status TEXT NOT NULL CHECK (status IN ('uploaded', 'failed')), message TEXT, remote TEXT, sha256 TEXT, "
        "size INTEGER, attempts INTEGER NOT NULL DEFAULT 1, at TEXT NOT NULL, "
        "PRIMARY KEY (path, target))".format(ATTACHMENTS_TABLE)
    )


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _record(gpkg, pending, target, status, message, remote="", sha256="", size=0):
    """Write one photo's receipt at once, in its own transaction (a later crash keeps it)."""
    connection = journal.connect(gpkg)
    try:
        connection.execute("BEGIN IMMEDIATE")
        _create_receipts_table(connection)
        connection.execute(
            "INSERT INTO {t} (path, target, inspection_uuids, status, message, remote, sha256, size, attempts, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (path, target) DO UPDATE SET "
            "inspection_uuids = excluded.inspection_uuids, status = excluded.status, message = excluded.message, "
            "remote = excluded.remote, sha256 = excluded.sha256, size = excluded.size, "
            "attempts = {t}.attempts + 1, at = excluded.at".format(t=ATTACHMENTS_TABLE),
            (pending.path, target, ";".join(pending.inspection_uuids), status, message, remote, sha256, size,
             _now()),
        )
        connection.execute("COMMIT")
        row = connection.execute(
            "SELECT * FROM {} WHERE path = ? AND target = ?".format(ATTACHMENTS_TABLE), (pending.path, target)
        ).fetchone()
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return _receipt(row)


def _receipt(row):
    return AttachmentReceipt(
        path=row["path"], target=row["target"], status=row["status"], message=row["message"] or "",
        remote=row["remote"] or "", sha256=row["sha256"] or "", size=row["size"] or 0, attempts=row["attempts"],
        at=row["at"],
    )


def attachment_receipts(package_dir):
    """Every photo's latest receipt per target, in the order they were written."""
    _, gpkg = package_paths(package_dir)
    connection = journal.connect(gpkg)
    try:
        if not journal.has_table(connection, ATTACHMENTS_TABLE):
            return []
        return [_receipt(row) for row in connection.execute(
            "SELECT * FROM {} ORDER BY at, rowid".format(ATTACHMENTS_TABLE))]
    finally:
        connection.close()


def _target_label(target):
    """How a target is named in receipts: a URL without credentials, or the folder's absolute path."""
    text = os.fspath(target)
    if _is_url(text):
        return redact_url(text.rstrip("/"))
    return os.path.abspath(text)


def _is_url(text):
    return bool(re.match(r"(?i)^https?://", str(text)))


# -- what is to upload -----------------------------------------------------------------------


def photo_paths(value):
    """The photo paths of an ``inspections.photos`` value ('a;b'), '/' as separator."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return []
    return [part.strip().replace("\\", "/") for part in str(value).split(";") if part.strip()]


def _path_problem(folder, path):
    """Why the stored photo path cannot be uploaded ('' where it can)."""
    parts = path.split("/")
    if os.path.isabs(path) or re.match(r"^[A-Za-z]:", path) or ".." in parts or "\0" in path:
        return tr("The photo path {path} points outside the package; it was not uploaded.").format(path=path)
    full = os.path.join(folder, *parts)
    if not _inside(folder, full):
        return tr("The photo path {path} points outside the package; it was not uploaded.").format(path=path)
    if not os.path.isfile(full):
        return tr("The photo {path} is missing from the package folder.").format(path=path)
    return ""


def pending_uploads(package_dir, target=None):
    """The photos of the package's inspections not yet uploaded (to ``target``; None: anywhere),
    one entry per photo with the inspections that show it."""
    folder, gpkg = package_paths(package_dir)
    connection = journal.connect(gpkg)
    try:
        if not journal.has_table(connection, INSPECTION_TABLE):
            return []
        per_photo = {}
        for row in connection.execute("SELECT inspection_uuid, photos FROM {} ORDER BY fid".format(INSPECTION_TABLE)):
            for path in photo_paths(row["photos"]):
                per_photo.setdefault(path, []).append(row["inspection_uuid"] or "")
        uploaded = set()
        if journal.has_table(connection, ATTACHMENTS_TABLE):
            sql = "SELECT path, size FROM {} WHERE status = 'uploaded'".format(ATTACHMENTS_TABLE)
            arguments = ()
            if target is not None:
                sql += " AND target = ?"
                arguments = (_target_label(target),)
            uploaded = {(row["path"], row["size"]) for row in connection.execute(sql, arguments)}
    finally:
        connection.close()
    pending = []
    for path, inspections in per_photo.items():
        problem = _path_problem(folder, path)
        if not problem and (path, os.path.getsize(os.path.join(folder, *path.split("/")))) in uploaded:
            continue
        pending.append(PendingUpload(path, tuple(inspections), problem))
    return pending


# -- photos picked from outside the package --------------------------------------------------

_IMAGE_EXTENSIONS = frozenset(_CONTENT_TYPES)


def adopt_external_photos(package_dir, resize_to=None):
    """Copy photos that inspectors linked from outside the package (QGIS's file widget stores
    '../Bilder/IMG_0001.jpg' or an absolute path) into DCIM/ with store_photo and point the
    inspection at the copy. Only for the package's own unsynced edits (the change journal lists
    them) and only image files: a path that came from the server is never followed.

    Returns [(inspection_uuid, old path, new path)]. Call it before the inspections are pushed.
    """
    folder, gpkg = package_paths(package_dir)
    edited = {change.feature_key for change in journal.pending_changes(gpkg)
              if change.table_name == INSPECTION_TABLE and change.op != "delete"
              and (change.op == "insert" or "photos" in change.changed)}
    if not edited:
        return []
    connection = journal.connect(gpkg)
    try:
        rows = [tuple(row) for row in connection.execute(
            "SELECT fid, inspection_uuid, asset_key, photos FROM {} WHERE photos IS NOT NULL".format(INSPECTION_TABLE))
            if row["inspection_uuid"] in edited]
    finally:
        connection.close()
    adopted, updates = [], []
    for fid, inspection_uuid, asset_key, photos in rows:
        paths, changed = [], False
        for path in photo_paths(photos):
            source = _external_photo(folder, path)
            if source is None:
                paths.append(path)
                continue
            try:
                stored = store_photo(folder, source, asset_key or "", resize_to)
            except AttachmentError as error:
                LOG.warning("Photo %s of inspection %s not taken into the package: %s", path, inspection_uuid, error)
                paths.append(path)
                continue
            adopted.append((inspection_uuid, path, stored))
            paths.append(stored)
            changed = True
        if changed:
            updates.append((";".join(paths), fid))
    if updates:
        with journal.write_transaction(gpkg) as connection:
            connection.executemany("UPDATE {} SET photos = ? WHERE fid = ?".format(INSPECTION_TABLE), updates)
    return adopted


def _external_photo(folder, path):
    """The file an edited photo path names where it lies outside DCIM/ and is an image, else None."""
    if not _path_problem(folder, path) and path.split("/")[0] == PHOTO_FOLDER:
        return None  # already in the package
    if os.path.splitext(path)[1].lower() not in _IMAGE_EXTENSIONS or "\0" in path:
        return None
    candidate = path if os.path.isabs(path) else os.path.normpath(os.path.join(folder, *path.split("/")))
    return candidate if os.path.isfile(candidate) else None


# -- uploading -------------------------------------------------------------------------------


class _UploadError(Exception):
    def __init__(self, message, stop=False):
        super().__init__(message)
        self.message = message
        self.stop = stop


def _upload_to_folder(root, path, data, sha256):
    """Copy to ``root``/``path``; never overwrite a different file. Returns the file's path."""
    if not os.path.isdir(root):
        raise _UploadError(tr("The shared folder {folder} is not reachable.").format(folder=root), stop=True)
    final = os.path.join(root, *path.split("/"))
    if not _inside(root, final):
        raise _UploadError(tr("The photo path {path} points outside the package; it was not uploaded.").format(
            path=path))
    try:
        os.makedirs(os.path.dirname(final), exist_ok=True)
        if not os.path.exists(final):
            temp = _write_temp(os.path.dirname(final), data, os.path.basename(final))
            try:
                _place(temp, final)
            finally:
                if os.path.exists(temp):
                    os.unlink(temp)
        if _file_sha256(final) != sha256:
            raise _UploadError(tr(
                "A different file named {name} is already in the shared folder; it was not overwritten.").format(
                name=path))
    except OSError as error:
        raise _UploadError(tr("The photo could not be copied to {folder}: {reason}").format(
            folder=root, reason=error.strerror or error)) from None
    return final


def _upload_to_url(base_url, path, data, sha256, authcfg, timeout_s, feedback):
    """PUT to ``base_url``/``path`` unless the server has that name; same bytes there is fine."""
    url = base_url.rstrip("/") + "/" + "/".join(urllib.parse.quote(part) for part in path.split("/"))
    content_type = _CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
    response = http.request("PUT", url, body=data, headers={"If-None-Match": "*"}, authcfg=authcfg,
                            timeout_s=timeout_s, feedback=feedback, accept="", content_type=content_type)
    if response.status == 412:  # the name exists there: ours only when the bytes are the same
        existing = http.request("GET", url, authcfg=authcfg, timeout_s=timeout_s, feedback=feedback, accept="",
                                max_bytes=MAX_PHOTO_BYTES + 1)
        if 200 <= existing.status < 300 and hashlib.sha256(existing.body).hexdigest() == sha256:
            return redact_url(url)
        if 200 <= existing.status < 300:
            raise _UploadError(tr(
                "A different file named {name} is already on the server; it was not overwritten.").format(name=path))
        response = existing
    error = http.transport_error(response, "PUT", authcfg=authcfg, timeout_s=timeout_s)
    if error is not None:
        raise _UploadError(error.message, stop=error.kind in _STOP_KINDS)
    return redact_url(url)


def upload_pending(package_dir, target, feedback=None, authcfg="", timeout_s=60.0):
    """Upload the package's pending photos to ``target`` (a folder or an http(s) URL) and keep a
    receipt per photo. Returns an UploadReport; a failure never loses a photo: it stays pending
    with its reason and the next run tries again."""
    if target is None or not str(os.fspath(target)).strip():
        raise AttachmentError(tr("No place to upload the photos to was given."))
    folder, gpkg = package_paths(package_dir)
    label = _target_label(target)
    pending = pending_uploads(package_dir, target)
    report = UploadReport()
    feedback = feedback or QgsFeedback()
    for number, item in enumerate(pending):
        if feedback.isCanceled():
            report.stopped = tr("The upload of the photos was cancelled.")
            break
        feedback.setProgress(100.0 * number / max(1, len(pending)))
        if item.problem:
            report.failed.append(_record(gpkg, item, label, FAILED, item.problem))
            continue
        full = os.path.join(folder, *item.path.split("/"))
        try:
            with open(full, "rb") as handle:
                data = handle.read(MAX_PHOTO_BYTES + 1)
            if len(data) > MAX_PHOTO_BYTES:
                raise _UploadError(tr("The photo {path} is larger than {size} MB.").format(
                    path=item.path, size=MAX_PHOTO_BYTES // (1024 * 1024)))
            sha256 = hashlib.sha256(data).hexdigest()
            if _is_url(target):
                remote = _upload_to_url(str(target), item.path, data, sha256, authcfg, timeout_s, feedback)
            else:
                remote = _upload_to_folder(os.path.abspath(os.fspath(target)), item.path, data, sha256)
        except OSError as error:  # the package's own file
            failure = _UploadError(tr("The photo {path} cannot be read: {reason}").format(
                path=item.path, reason=error.strerror or error))
            report.failed.append(_record(gpkg, item, label, FAILED, failure.message))
            continue
        except _UploadError as failure:
            report.failed.append(_record(gpkg, item, label, FAILED, failure.message))
            LOG.warning("Photo %s not uploaded to %s: %s", item.path, label, failure.message)
            if failure.stop:
                report.stopped = failure.message
                break
            continue
        report.uploaded.append(_record(gpkg, item, label, UPLOADED, "", remote, sha256, len(data)))
    feedback.setProgress(100.0)
    LOG.info("Photos to %s: %d uploaded, %d failed", label, len(report.uploaded), len(report.failed))
    return report
