"""Photos of inspections: safe names in the package, uploads that never duplicate or lose a photo."""

import hashlib
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from osgeo import ogr
from qgis.core import QgsFeedback
from qgis.PyQt.QtGui import QColor, QImage

from herne_twin_plugin.core.field import attachments, inspection, journal
from herne_twin_plugin.core.field.attachments import AttachmentError, safe_file_name, store_photo

ASSET = "a0000000-0000-4000-8000-000000000001"


@pytest.fixture
def package(tmp_path):
    """A package folder 'bezirk_mitte' with its GeoPackage holding the inspection layer."""
    folder = tmp_path / "bezirk_mitte"
    folder.mkdir()
    gpkg = str(folder / "bezirk_mitte.gpkg")
    ogr.GetDriverByName("GPKG").CreateDataSource(gpkg)
    inspection.add_inspection_layer(gpkg, [("street_lights", "light_uuid")])
    return str(folder)


def _photo(path, content=b"", size=(64, 48), colour="#2a6f97"):
    """A file at ``path`` (str or bytes): raw ``content`` where given, else a PNG image."""
    if content:
        with open(path, "wb") as handle:
            handle.write(content)
        return path
    image = QImage(size[0], size[1], QImage.Format_RGB32)
    image.fill(QColor(colour))
    target = path if isinstance(path, str) else os.fsdecode(path)
    assert image.save(target, "PNG")
    return path


def _add_inspection(package, uuid, photos):
    connection = journal.connect(os.path.join(package, "bezirk_mitte.gpkg"))
    try:
        connection.execute(
            "INSERT INTO inspections (inspection_uuid, asset_layer, asset_key, condition, inspector, photos, status) "
            "VALUES (?, 'street_lights', ?, 3, 'Erika Mustermann', ?, 'done')", (uuid, ASSET, photos))
    finally:
        connection.close()


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _files(folder):
    return sorted(os.path.relpath(os.path.join(root, name), folder)
                  for root, _, names in os.walk(folder) for name in names)


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"),
    ("/home/inspektor/IMG_0001.JPG", "IMG_0001.jpg"),
    ("C:\\Users\\Inspektor\\DCIM\\IMG_0002.jpeg", "IMG_0002.jpeg"),
    ("..", "photo"),
    ("", "photo"),
    ("Größe Übersicht.png", "Groesse_Uebersicht.png"),
    ("a\0b\nc\x7f.jpg", "a_b_c.jpg"),
    ("CON.jpg", "CON_.jpg"),
    ("lpt1", "lpt1_"),
    ("nul.tar.gz", "nul_tar.gz"),
    (b"Stra\xdfe Mast.jpg", "Strasse_Mast.jpg"),  # Windows-1252 bytes, not UTF-8
    ("Mast\udcdf.jpg", "Mastss.jpg"),  # os.fsdecode of the same kind of byte
    ("Ŝtraße?*<>|:\".jpg", "Strasse.jpg"),
])
def test_hostile_names_become_safe(name, expected):
    assert safe_file_name(name) == expected


def test_very_long_names_are_shortened_keeping_the_extension():
    name = safe_file_name("Mast" * 250 + ".JPEG")
    assert len(name) == attachments.MAX_NAME_CHARS and name.endswith(".jpeg")


def test_stored_photo_has_a_safe_unique_name_inside_dcim(package, tmp_path):
    source = _photo(str(tmp_path / "IMG_0001.JPG"), b"\xff\xd8 photo one")
    path = store_photo(package, source, "../../" + ASSET)
    assert path.startswith("DCIM/") and "/" not in path[5:] and ".." not in path
    assert path.endswith("_{}.jpg".format(_sha(b"\xff\xd8 photo one")[:8]))
    assert ASSET in path
    with open(os.path.join(package, path), "rb") as handle:
        assert handle.read() == b"\xff\xd8 photo one"
    assert store_photo(package, source, ASSET) == path  # the same photo again: the same file
    (tmp_path / "other").mkdir()
    other = _photo(str(tmp_path / "other" / "IMG_0001.JPG"), b"\xff\xd8 photo two")
    second = store_photo(package, other, ASSET)
    assert second != path
    assert sorted(_files(os.path.join(package, "DCIM"))) == sorted([path[5:], second[5:]])


def test_a_foreign_file_with_the_same_name_is_not_overwritten(package, tmp_path):
    source = _photo(str(tmp_path / "IMG_0001.JPG"), b"first")
    path = store_photo(package, source, ASSET)
    with open(os.path.join(package, path), "wb") as handle:  # someone put other bytes there
        handle.write(b"someone else's")
    again = store_photo(package, source, ASSET)
    assert again == path[:-4] + "_2.jpg"
    with open(os.path.join(package, path), "rb") as handle:
        assert handle.read() == b"someone else's"


def test_hostile_source_files(package, tmp_path):
    folder = os.fsencode(str(tmp_path))
    latin = _photo(os.path.join(folder, b"Stra\xdfe_\xe4.jpg"), b"latin-1 name")
    assert store_photo(package, latin, ASSET).startswith("DCIM/{}_Strasse_ae_".format(ASSET))
    long_name = _photo(str(tmp_path / ("L" * 240 + ".jpg")), b"long")
    stored = store_photo(package, long_name, ASSET)
    assert len(os.path.basename(stored)) <= attachments.MAX_NAME_CHARS and stored.endswith(".jpg")
    reserved = _photo(str(tmp_path / "aux.jpg"), b"aux")
    assert os.path.basename(store_photo(package, reserved, "")).startswith("aux_")
    with pytest.raises(AttachmentError, match="characters no file can have"):
        store_photo(package, str(tmp_path / "a\0b.jpg"), ASSET)
    with pytest.raises(AttachmentError, match="does not exist"):
        store_photo(package, str(tmp_path / "missing.jpg"), ASSET)
    with pytest.raises(AttachmentError, match="is not a photo file"):
        store_photo(package, str(tmp_path), ASSET)
    huge = tmp_path / "huge.jpg"
    with open(str(huge), "wb") as handle:  # sparse: costs no disk
        handle.truncate(attachments.MAX_PHOTO_BYTES + 1)
    with pytest.raises(AttachmentError, match="larger than 64 MB"):
        store_photo(package, str(huge), ASSET)
    assert not [name for name in os.listdir(os.path.join(package, "DCIM")) if name.endswith(".part")]


def test_resized_copy_is_a_smaller_jpeg(package, tmp_path):
    source = _photo(str(tmp_path / "gross.png"), size=(1600, 1200))
    path = store_photo(package, source, ASSET, resize_to=400)
    assert path.endswith(".jpg")
    image = QImage(os.path.join(package, path))
    assert (image.width(), image.height()) == (400, 300)
    pixel, wanted = QColor(image.pixel(200, 150)), QColor("#2a6f97")
    assert max(abs(pixel.red() - wanted.red()), abs(pixel.green() - wanted.green()),
               abs(pixel.blue() - wanted.blue())) <= 3  # JPEG rounding
    small = _photo(str(tmp_path / "klein.png"), size=(100, 80))
    kept = QImage(os.path.join(package, store_photo(package, small, ASSET, resize_to=400)))
    assert (kept.width(), kept.height()) == (100, 80)  # never enlarged
    with pytest.raises(AttachmentError, match="not an image"):
        store_photo(package, _photo(str(tmp_path / "kaputt.jpg"), b"not a picture"), ASSET, resize_to=400)
    with pytest.raises(AttachmentError, match="at least 16 pixels"):
        store_photo(package, source, ASSET, resize_to=0)


# -- uploads to a shared folder --------------------------------------------------------------


@pytest.fixture
def photographed(package, tmp_path):
    """Three inspections with three photos (one shown by two inspections)."""
    paths = [store_photo(package, _photo(str(tmp_path / "p{}.jpg".format(n)), "photo {}".format(n).encode()), ASSET)
             for n in range(3)]
    _add_inspection(package, "i-1", paths[0])
    _add_inspection(package, "i-2", "{};{}".format(paths[1], paths[2]))
    _add_inspection(package, "i-3", paths[2])
    return package, paths


def test_upload_to_a_shared_folder_and_again(photographed, tmp_path):
    package, paths = photographed
    share = tmp_path / "share"
    share.mkdir()
    pending = attachments.pending_uploads(package, str(share))
    assert [p.path for p in pending] == paths and pending[2].inspection_uuids == ("i-2", "i-3")
    report = attachments.upload_pending(package, str(share))
    assert [r.path for r in report.uploaded] == paths and report.failed == [] and report.stopped == ""
    assert _files(str(share)) == sorted(p.replace("/", os.sep) for p in paths)
    for path in paths:
        with open(os.path.join(package, path), "rb") as mine, open(os.path.join(str(share), path), "rb") as theirs:
            assert mine.read() == theirs.read()
    assert attachments.pending_uploads(package, str(share)) == []
    assert attachments.upload_pending(package, str(share)).uploaded == []
    receipts = attachments.attachment_receipts(package)
    assert {(r.path, r.status, r.attempts) for r in receipts} == {(p, "uploaded", 1) for p in paths}


def test_folder_upload_never_overwrites_and_keeps_bad_paths_pending(photographed, tmp_path):
    package, paths = photographed
    share = tmp_path / "share"
    (share / "DCIM").mkdir(parents=True)
    (share / paths[0]).write_bytes(b"a different photo")
    _add_inspection(package, "i-4", "../../etc/passwd;DCIM/gone.jpg;/etc/hosts")
    report = attachments.upload_pending(package, str(share))
    reasons = {r.path: r.message for r in report.failed}
    assert "not overwritten" in reasons[paths[0]]
    assert "outside the package" in reasons["../../etc/passwd"] and "outside the package" in reasons["/etc/hosts"]
    assert "missing" in reasons["DCIM/gone.jpg"]
    assert (share / paths[0]).read_bytes() == b"a different photo"
    assert {p.path for p in attachments.pending_uploads(package, str(share))} == set(reasons)
    assert not (tmp_path / "etc").exists()


def test_unreachable_share_stops_and_keeps_everything_pending(photographed, tmp_path):
    package, paths = photographed
    report = attachments.upload_pending(package, str(tmp_path / "unmounted"))
    assert "not reachable" in report.stopped and report.uploaded == []
    assert not (tmp_path / "unmounted").exists()  # never created on the laptop instead of the share
    assert [p.path for p in attachments.pending_uploads(package)] == paths


def test_upload_interrupted_after_a_copy_and_retried_copies_nothing_twice(photographed, tmp_path, monkeypatch):
    package, paths = photographed
    share = tmp_path / "share"
    share.mkdir()
    real_record = attachments._record
    calls = []

    def crash_on_second(*args, **kwargs):  # the process dies after the 2nd copy, before its receipt
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_record(*args, **kwargs)

    monkeypatch.setattr(attachments, "_record", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        attachments.upload_pending(package, str(share))
    monkeypatch.setattr(attachments, "_record", real_record)
    assert [p.path for p in attachments.pending_uploads(package, str(share))] == paths[1:]
    report = attachments.upload_pending(package, str(share))
    assert [r.path for r in report.uploaded] == paths[1:]
    assert _files(str(share)) == sorted(p.replace("/", os.sep) for p in paths)


def test_cancel_keeps_the_rest_pending(photographed, tmp_path):
    package, paths = photographed
    (tmp_path / "share").mkdir()
    feedback = QgsFeedback()
    feedback.cancel()
    report = attachments.upload_pending(package, str(tmp_path / "share"), feedback)
    assert "cancelled" in report.stopped and report.uploaded == []
    assert len(attachments.pending_uploads(package)) == 3


def test_bad_targets_and_packages(package, tmp_path):
    with pytest.raises(AttachmentError, match="No place"):
        attachments.upload_pending(package, "  ")
    with pytest.raises(AttachmentError, match="does not exist"):
        attachments.pending_uploads(str(tmp_path / "nowhere"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(AttachmentError, match="no single field package"):
        attachments.pending_uploads(str(empty))


# -- uploads to an HTTP endpoint -------------------------------------------------------------


class _PhotoStore(BaseHTTPRequestHandler):
    """PUT stores (If-None-Match: * honoured with 412), GET returns; faults from server.faults."""

    def log_message(self, *args):
        pass

    def _fault(self):
        faults = self.server.faults
        return faults.pop(0) if faults else None

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.puts.append(self.path)
        fault = self._fault()
        if fault == 500:
            return self._answer(500, b"Speicher voll")
        if fault == "slow":
            time.sleep(3)
        exists = self.path in self.server.objects
        if exists and self.headers.get("If-None-Match") == "*":
            return self._answer(412, b"")
        self.server.objects[self.path] = body
        if fault == "reset":  # stored, but the answer never arrives
            self.connection.shutdown(2)
            return None
        return self._answer(201, b"")

    def do_GET(self):
        if self.path not in self.server.objects:
            return self._answer(404, b"")
        return self._answer(200, self.server.objects[self.path])

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (time-out test)
            pass
        return None


@pytest.fixture
def photo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PhotoStore)
    server.objects, server.puts, server.faults = {}, [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = "http://127.0.0.1:{}/fotos".format(server.server_address[1])
    yield server
    server.shutdown()
    server.server_close()


def _stored(server, path):
    return server.objects.get("/fotos/" + path)


def test_upload_to_an_http_endpoint(qgis_app, photographed, photo_server):
    package, paths = photographed
    report = attachments.upload_pending(package, photo_server.url)
    assert [r.path for r in report.uploaded] == paths and report.failed == []
    for path in paths:
        with open(os.path.join(package, path), "rb") as handle:
            assert _stored(photo_server, path) == handle.read()
    assert report.uploaded[0].remote == photo_server.url + "/" + paths[0]
    assert attachments.upload_pending(package, photo_server.url).uploaded == []
    assert len(photo_server.puts) == 3


def test_http_error_keeps_the_photo_pending_and_a_retry_completes(qgis_app, photographed, photo_server):
    package, paths = photographed
    photo_server.faults[:] = [None, 500]
    report = attachments.upload_pending(package, photo_server.url)
    assert [r.path for r in report.uploaded] == [paths[0], paths[2]]
    assert [r.path for r in report.failed] == [paths[1]] and "500" in report.failed[0].message
    assert [p.path for p in attachments.pending_uploads(package, photo_server.url)] == [paths[1]]
    retry = attachments.upload_pending(package, photo_server.url)
    assert [r.path for r in retry.uploaded] == [paths[1]]
    assert sorted(photo_server.objects) == sorted("/fotos/" + p for p in paths)
    receipt = [r for r in attachments.attachment_receipts(package) if r.path == paths[1]][0]
    assert (receipt.status, receipt.attempts) == ("uploaded", 2)


def test_answer_lost_after_the_server_stored_the_photo(qgis_app, photographed, photo_server):
    """The connection breaks after the server stored the photo (Qt may send the PUT again by
    itself): however often it is sent, the server ends with one copy per photo."""
    package, paths = photographed
    photo_server.faults[:] = ["reset"]
    attachments.upload_pending(package, photo_server.url)
    attachments.upload_pending(package, photo_server.url)  # the retry of whatever is still pending
    assert attachments.pending_uploads(package, photo_server.url) == []
    assert sorted(photo_server.objects) == sorted("/fotos/" + p for p in paths)
    assert photo_server.puts.count("/fotos/" + paths[0]) >= 2
    for path in paths:
        with open(os.path.join(package, path), "rb") as handle:
            assert _stored(photo_server, path) == handle.read()


def test_crash_between_upload_and_receipt_is_recognised_on_retry(qgis_app, photographed, photo_server, monkeypatch):
    package, paths = photographed
    real_record = attachments._record

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after the server stored the first photo

    monkeypatch.setattr(attachments, "_record", crash)
    with pytest.raises(KeyboardInterrupt):
        attachments.upload_pending(package, photo_server.url)
    monkeypatch.setattr(attachments, "_record", real_record)
    assert list(photo_server.objects) == ["/fotos/" + paths[0]]
    retry = attachments.upload_pending(package, photo_server.url)
    assert [r.path for r in retry.uploaded] == paths and retry.failed == []
    assert sorted(photo_server.objects) == sorted("/fotos/" + p for p in paths)
    assert photo_server.puts.count("/fotos/" + paths[0]) == 2  # the second answered 412: same bytes there


def test_time_out_stops_and_keeps_the_rest(qgis_app, photographed, photo_server):
    package, paths = photographed
    photo_server.faults[:] = ["slow"]
    report = attachments.upload_pending(package, photo_server.url, timeout_s=1.0)
    assert report.stopped and [r.path for r in report.failed] == [paths[0]] and report.uploaded == []
    assert len(attachments.pending_uploads(package, photo_server.url)) == 3


def test_different_photo_with_the_same_name_on_the_server_is_not_overwritten(qgis_app, photographed, photo_server):
    package, paths = photographed
    photo_server.objects["/fotos/" + paths[0]] = b"another inspector's photo"
    report = attachments.upload_pending(package, photo_server.url)
    assert [r.path for r in report.failed] == [paths[0]] and "not overwritten" in report.failed[0].message
    assert _stored(photo_server, paths[0]) == b"another inspector's photo"
    assert [r.path for r in report.uploaded] == paths[1:]


def test_refused_connection_is_a_clear_failure(qgis_app, photographed):
    package, paths = photographed
    report = attachments.upload_pending(package, "http://127.0.0.1:9/fotos", timeout_s=5.0)
    assert report.stopped and report.failed[0].message
    assert len(attachments.pending_uploads(package)) == 3


def test_photos_picked_from_outside_the_package_are_taken_in(package, tmp_path):
    """QGIS's file widget stores a photo from ~/Bilder as '../Bilder/...': the package's own
    edits get a copy in DCIM/, a path that came with the server's data is never followed."""
    pictures = tmp_path / "Bilder"
    pictures.mkdir()
    _photo(str(pictures / "IMG_0007.JPG"), b"from the camera roll")
    _photo(str(pictures / "secret.jpg"), b"not for the server")
    _add_inspection(package, "from-server", "../Bilder/secret.jpg")  # packaged: not an edit
    journal.install(os.path.join(package, "bezirk_mitte.gpkg"), "inspections", "inspection_uuid")
    inside = store_photo(package, _photo(str(tmp_path / "x.jpg"), b"inside already"), ASSET)
    _add_inspection(package, "mine", "../Bilder/IMG_0007.JPG;{};{}".format(inside, str(pictures / "secret.jpg")))
    adopted = attachments.adopt_external_photos(package)
    assert [(uuid, old) for uuid, old, _ in adopted] == [
        ("mine", "../Bilder/IMG_0007.JPG"), ("mine", str(pictures / "secret.jpg"))]
    connection = journal.connect(os.path.join(package, "bezirk_mitte.gpkg"))
    photos = dict(connection.execute("SELECT inspection_uuid, photos FROM inspections").fetchall())
    connection.close()
    mine = photos["mine"].split(";")
    assert mine[1] == inside and all(path.startswith("DCIM/") for path in mine)
    with open(os.path.join(package, mine[0]), "rb") as handle:
        assert handle.read() == b"from the camera roll"
    assert photos["from-server"] == "../Bilder/secret.jpg"
    change = [c for c in journal.pending_changes(os.path.join(package, "bezirk_mitte.gpkg"))
              if c.feature_key == "mine"][0]
    assert change.op == "insert" and change.values["photos"] == photos["mine"]
    assert attachments.adopt_external_photos(package) == []  # nothing left outside


def test_a_photo_linked_out_of_the_package_is_not_uploaded(package, tmp_path):
    """A symbolic link in DCIM/ to a file elsewhere (the passwords, say) is refused by its target."""
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    os.makedirs(os.path.join(package, "DCIM"), exist_ok=True)
    os.symlink(str(secret), os.path.join(package, "DCIM", "innocent.jpg"))
    _add_inspection(package, "i-1", "DCIM/innocent.jpg")
    share = tmp_path / "share"
    share.mkdir()
    report = attachments.upload_pending(package, str(share))
    assert [r.path for r in report.failed] == ["DCIM/innocent.jpg"] and "outside" in report.failed[0].message
    assert _files(str(share)) == []
