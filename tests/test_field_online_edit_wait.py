"""Online write-back check against a slow server (issue 5, item 6): QGIS stays responsive while
a save waits for the server's current values, Cancel and a time-out stop the save with every
edit kept, and the message bar shows the wait with a Cancel button.

The server is the local QGIS Server behind the fault proxy (scripts/backend/fault_proxy.py),
which holds the check's answer back; QGIS's own requests (the layer's read, the WFS-T commit)
pass at once."""

import time

import pytest
from qgis.core import Qgis, QgsVectorLayer
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import QCoreApplication, QTimer
from qgis.PyQt.QtWidgets import QPushButton
from test_field_online_edit import column, light_at, sql

from herne_twin_plugin.core.field import online_edit
from herne_twin_plugin.gui.field import online_edit_guard

pytestmark = pytest.mark.backend

# Street lights of their own (the session's backend is shared; test_field_online_edit uses 700-760).
OFFSETS = {"slow": 770, "cancel": 780, "timeout": 790, "gui": 800, "again": 810}


def light(backend, name):
    return light_at(backend, OFFSETS[name])


@pytest.fixture
def proxy(proxies):
    proxy = proxies["wfs"]
    proxy.clear()
    yield proxy
    proxy.clear()


def slow_check(proxy, key, seconds):
    """The server answers the check's read of ``key`` only after ``seconds`` (GET or POST)."""
    proxy.set_rules({"action": "hold_after", "path": key, "seconds": seconds, "times": 0},
                    {"action": "hold_after", "body": key, "seconds": seconds, "times": 0})


def wfs_layer(backend, proxy):
    uri = "pagingEnabled='true' srsname='EPSG:25832' typename='street_lights' url='{}' version='auto'".format(
        proxy.url_for(backend.wfs_url))
    layer = QgsVectorLayer(uri, "Straßenbeleuchtung (langsamer WFS)", "WFS")
    assert layer.isValid(), layer.error().summary()
    return layer


def feature_of(layer, key):
    return next(feature for feature in layer.getFeatures() if feature["light_uuid"] == key)


def pending(layer):
    """The edit buffer's changes as a user sees them."""
    buffer = layer.editBuffer()
    return ({fid: dict(values) for fid, values in buffer.changedAttributeValues().items()},
            sorted(buffer.deletedFeatureIds()))


class Ticks:
    """Counts event loop turns: a frozen QGIS counts none."""

    def __init__(self):
        self.count = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(50)

    def _tick(self):
        self.count += 1

    def stop(self):
        self.timer.stop()


class Seen:
    def __init__(self, guard):
        self.conflicts, self.failures, self.cancelled, self.started, self.ended = [], [], [], [], []
        guard.conflictsFound.connect(lambda layer, conflicts: self.conflicts.extend(conflicts))
        guard.checkFailed.connect(lambda layer, message: self.failures.append(message))
        guard.checkCancelled.connect(lambda layer: self.cancelled.append(layer.name()))
        guard.checkStarted.connect(lambda layer: self.started.append(time.monotonic()))
        guard.checkEnded.connect(lambda layer: self.ended.append(time.monotonic()))


def edit(layer, key, field, value):
    layer.startEditing()
    assert layer.changeAttributeValue(feature_of(layer, key).id(), layer.fields().indexOf(field), value)


def save(layer):
    result = layer.commitChanges(False)
    QCoreApplication.processEvents()  # the turn that puts held edits back
    return result


def test_qgis_keeps_running_while_a_slow_server_is_asked_and_the_save_then_goes_through(city_backend, proxy):
    key = light(city_backend, "slow")
    layer = wfs_layer(city_backend, proxy)
    guard = online_edit.CommitGuard(layer)
    seen = Seen(guard)
    edit(layer, key, "wattage_w", 41)
    slow_check(proxy, key, 2)
    ticks = Ticks()
    started = time.monotonic()
    assert save(layer)
    waited = time.monotonic() - started
    ticks.stop()
    assert waited >= 2  # the save waited for the server's answer ...
    assert ticks.count >= 10  # ... and the event loop ran all the while (a tick every 50 ms)
    assert any(entry.get("rule") is not None for entry in proxy.log())  # the check's read was the slow one
    assert column(city_backend, key, "wattage_w") == 41  # same outcome as a quick server: saved
    assert not layer.isModified() and not seen.failures and not seen.conflicts
    assert len(seen.started) == len(seen.ended) == 1 and not guard.checking
    guard.detach()


def test_cancel_stops_the_save_and_leaves_the_edit_buffer_as_it_was(city_backend, proxy):
    key = light(city_backend, "cancel")
    before = column(city_backend, key, "lamp_type")
    layer = wfs_layer(city_backend, proxy)
    guard = online_edit.CommitGuard(layer)
    seen = Seen(guard)
    edit(layer, key, "lamp_type", "LED-abgebrochen")
    layer.deleteFeature(feature_of(layer, light(city_backend, "again")).id())
    edits = pending(layer)
    slow_check(proxy, key, 20)
    QTimer.singleShot(300, guard.cancel)  # the user presses Cancel
    started = time.monotonic()
    save(layer)
    assert time.monotonic() - started < 10  # back long before the server answers
    assert seen.cancelled == [layer.name()] and not seen.failures
    assert pending(layer) == edits and layer.isEditable()  # every edit still pending, none lost
    assert column(city_backend, key, "lamp_type") == before  # and nothing written
    assert sql(city_backend, "SELECT count(*) FROM assets.street_lights WHERE light_uuid = %s",
               light(city_backend, "again"))[0][0] == 1
    layer.rollBack()
    guard.detach()


def test_a_server_that_does_not_answer_in_time_stops_the_save_with_a_clear_reason(city_backend, proxy):
    key = light(city_backend, "timeout")
    before = column(city_backend, key, "operator")
    layer = wfs_layer(city_backend, proxy)
    guard = online_edit.CommitGuard(layer, wait_s=1)
    seen = Seen(guard)
    edit(layer, key, "operator", "Stadtwerke (Feld)")
    edits = pending(layer)
    slow_check(proxy, key, 15)
    started = time.monotonic()
    save(layer)
    assert time.monotonic() - started < 6
    assert seen.failures in (["the server did not answer within 1 s"],
                             ["der Server hat nicht innerhalb von 1 s geantwortet"])
    assert pending(layer) == edits and column(city_backend, key, "operator") == before
    # The server answers again: the next save checks and writes.
    proxy.clear()
    assert save(layer) and column(city_backend, key, "operator") == "Stadtwerke (Feld)"
    guard.detach()


def test_a_waiting_time_of_zero_is_refused():
    layer = QgsVectorLayer("Point?field=light_uuid:string", "Leuchten", "memory")
    with pytest.raises(ValueError, match="0 seconds|0 Sekunden"):
        online_edit.CommitGuard(layer, wait_s=0)


class _Iface:
    """Just what the guard uses of QGIS's iface, with a real message bar (widgets, Cancel)."""

    def __init__(self):
        self.bar = QgsMessageBar()

    def messageBar(self):  # noqa: N802 - QGIS's name
        return self.bar


def test_the_message_bar_shows_the_wait_with_cancel_and_then_says_nothing_was_saved(city_backend, proxy, qgis_app):
    key = light(city_backend, "gui")
    before = column(city_backend, key, "control_unit")
    iface = _Iface()
    layer = wfs_layer(city_backend, proxy)
    from qgis.core import QgsProject
    project = QgsProject.instance()
    online_edit_guard.install(iface, project)
    project.addMapLayer(layer)
    try:
        guard = online_edit_guard.guard_of(layer)
        edit(layer, key, "control_unit", "Feld-Steuerung (GUI)")
        edits = pending(layer)
        slow_check(proxy, key, 20)
        shown = []

        def press_cancel():
            buttons = iface.bar.findChildren(QPushButton, "hernetwin_write_back_cancel")
            shown.append(iface.bar.currentItem().text() if iface.bar.currentItem() else "")
            if buttons:
                buttons[0].click()
            else:
                QTimer.singleShot(100, press_cancel)
        QTimer.singleShot(online_edit_guard.SHOW_AFTER_MS + 100, press_cancel)
        save(layer)
        assert shown and layer.name() in shown[0]  # the wait was shown, with the layer's name
        assert not guard.checking and pending(layer) == edits
        assert column(city_backend, key, "control_unit") == before
        messages = [item.text() for item in iface.bar.items()]
        assert not iface.bar.findChildren(QPushButton, "hernetwin_write_back_cancel") or all(
            not button.isVisible() for button in iface.bar.findChildren(QPushButton, "hernetwin_write_back_cancel"))
        assert any(layer.name() in text and ("cancelled" in text or "abgebrochen" in text) for text in messages)
        assert iface.bar.currentItem().level() == Qgis.Info
        layer.rollBack()
    finally:
        online_edit_guard.uninstall()
        project.removeMapLayer(layer.id())


def test_an_edit_made_while_the_server_is_asked_stops_the_save_and_both_edits_stay(city_backend, proxy):
    key = light(city_backend, "slow")
    other = light(city_backend, "again")
    before = (column(city_backend, key, "install_year"), column(city_backend, other, "install_year"))
    layer = wfs_layer(city_backend, proxy)
    guard = online_edit.CommitGuard(layer)
    seen = Seen(guard)
    edit(layer, key, "install_year", 2001)
    index, other_fid = layer.fields().indexOf("install_year"), feature_of(layer, other).id()
    slow_check(proxy, key, 2)
    QTimer.singleShot(300, lambda: layer.changeAttributeValue(other_fid, index, 2002))  # not in the check
    save(layer)
    assert len(seen.failures) == 1 and not seen.conflicts
    assert (feature_of(layer, key)["install_year"], feature_of(layer, other)["install_year"]) == (2001, 2002)
    assert (column(city_backend, key, "install_year"), column(city_backend, other, "install_year")) == before
    proxy.clear()
    assert save(layer)  # saved again: both checked and written
    assert (column(city_backend, key, "install_year"), column(city_backend, other, "install_year")) == (2001, 2002)
    guard.detach()


def test_saving_again_while_the_server_is_asked_writes_nothing_twice(city_backend, proxy):
    key = light(city_backend, "timeout")
    layer = wfs_layer(city_backend, proxy)
    guard = online_edit.CommitGuard(layer)
    seen = Seen(guard)
    edit(layer, key, "wattage_w", 57)
    slow_check(proxy, key, 2)
    inner = []
    QTimer.singleShot(300, lambda: inner.append(layer.commitChanges(False)))  # the user presses Save again
    assert save(layer)
    assert inner and seen.failures in (["the check of the previous save is still waiting for the server"],
                                       ["die Prüfung des vorigen Speicherns wartet noch auf den Server"])
    assert column(city_backend, key, "wattage_w") == 57 and not layer.isModified()
    guard.detach()
