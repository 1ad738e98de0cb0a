"""Online write-back with the same check as the field sync (issue 5, item 6).

A WFS layer edited directly in QGIS writes its edits back when the user saves. QGIS would
write the user's value over whatever the server holds now. Before the commit, this module
compares, for every feature the user changed or deleted, three states per field:

- base: the value the user started from (the provider's value, read when the layer loaded),
- mine: the value in the edit buffer,
- theirs: the server's value now, read through the field transport (transports/).

Where the server changed a field since the user started (theirs != base) that the user also
changed to something else (mine != theirs), or changed / deleted a feature the user deletes /
edits, that is a conflict. With any conflict nothing of the layer is written: the edits are
taken out of the edit buffer for this commit and put back right after it, so they stay
pending (unsaved, visible) and the user decides: undo the edit (keep the server's value) or
save again, which writes the user's value over exactly the server value that was shown
(an acknowledged conflict); a server value changed once more is a new conflict.

Edits without a conflict commit as QGIS does: QGIS's WFS-T Update carries only the changed
fields, so a server change to another field is kept.

``CommitGuard`` (a QObject, no widgets) hooks one layer's ``beforeCommitChanges``; the GUI
(gui/field/online_edit_guard.py) attaches it to every WFS / OGC API Features layer and shows
``conflictsFound`` in the message bar.
"""

import logging
from dataclasses import dataclass

from qgis.core import (
    QgsApplication,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsFeedback,
    QgsGeometry,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QEventLoop, QObject, QTimer, pyqtSignal

from ..i18n import tr
from . import manifest
from .transports import base, transport_for

LOGGER = logging.getLogger(__name__)

KEY_PROPERTY = "hernetwin/key_column"  # layer custom property naming the stable key
# Stable keys of the city's layers, tried in this order where the layer names none.
KNOWN_KEYS = ("light_uuid", "building_id", "station_id", "inspection_uuid", "fid")
GEOMETRY_TOLERANCE_M = 0.001
# How long a save waits for the server's current values (QGIS stays responsive meanwhile; the
# message bar offers Cancel); then the save stops with the edits kept.
DEFAULT_WAIT_S = 30.0
CHECKED_PROVIDERS = {"WFS": manifest.SOURCE_WFS, "OAPIF": manifest.SOURCE_OAPIF}
_QGIS_TYPES = {
    "int": "int", "integer": "int", "int4": "int", "int8": "int", "long": "int", "integer64": "int",
    "double": "real", "real": "real", "decimal": "real", "float": "real", "numeric": "real",
    "date": "date", "datetime": "datetime", "boolean": "bool", "bool": "bool",
}

GEOMETRY = "geometry"  # OnlineConflict.field of a geometry conflict
DELETED_ON_SERVER, CHANGED_ON_SERVER, BOTH_CHANGED = "deleted_on_server", "changed_on_server", "both_changed"


@dataclass(frozen=True)
class OnlineConflict:
    fid: int
    key: str
    field: str  # field name, GEOMETRY, or '' for the whole feature
    kind: str  # BOTH_CHANGED (a field), DELETED_ON_SERVER (edited here), CHANGED_ON_SERVER (deleted here)
    base: object = None
    mine: object = None
    theirs: object = None

    def describe(self):
        if self.kind == DELETED_ON_SERVER:
            return tr("{key}: deleted on the server since you started").format(key=self.key)
        if self.kind == CHANGED_ON_SERVER:
            return tr("{key}: you delete it, but the server changed it since you started").format(key=self.key)
        if self.field == GEOMETRY:
            return tr("{key}: the server moved it too").format(key=self.key)
        return tr("{key}, {field}: yours {mine}, server {theirs} (was {base})").format(
            key=self.key, field=self.field, mine=_shown(self.mine), theirs=_shown(self.theirs),
            base=_shown(self.base))


def _shown(value):
    return "NULL" if value is None else repr(value) if isinstance(value, str) else str(value)


def field_type(field):
    return _QGIS_TYPES.get(field.typeName().lower(), "str")


def key_column(layer):
    """The layer's stable key: its custom property, else the first of KNOWN_KEYS it has, else ''."""
    names = layer.fields().names()
    chosen = layer.customProperty(KEY_PROPERTY, "")
    if chosen:
        return chosen if chosen in names else ""
    return next((name for name in KNOWN_KEYS if name in names), "")


def package_layer(layer):
    """A manifest.PackageLayer describing the server behind a WFS / OGC API Features layer, for
    a transport; None for other layers or one without a stable key."""
    kind = CHECKED_PROVIDERS.get(layer.providerType())
    key = key_column(layer) if isinstance(layer, QgsVectorLayer) else ""
    if kind is None or not key:
        return None
    uri = QgsDataSourceUri(layer.source())
    version = uri.param("version")
    return manifest.PackageLayer(
        table_name=layer.name(), role=manifest.ROLE_ASSET, source_kind=kind, source_url=uri.param("url"),
        source_name=uri.param("typename"),
        source_version=version if version in ("1.1.0", "2.0.0") else ("1.1.0" if kind == manifest.SOURCE_WFS else ""),
        authcfg=uri.authConfigId() or uri.param("authcfg"), key_column=key,
        fields=tuple((field.name(), field_type(field)) for field in layer.fields()), writable=True,
        title=layer.name())


@dataclass
class _PendingCheck:
    """What the check read in QGIS before asking the server."""
    description: object  # manifest.PackageLayer
    fids: list
    changed: dict  # fid -> {field index: value} of the edit buffer
    moved: dict  # fid -> QgsGeometry
    deleted: set
    started: dict  # fid -> QgsFeature as the provider has it (the base)
    keys: dict  # fid -> stable key value


class WriteBackCheck:
    """The three-way check of one layer's pending edits (see the module docstring)."""

    def __init__(self, layer, transport_factory=transport_for):
        self.layer = layer
        self.transport_factory = transport_factory
        self.acknowledged = set()  # (key, field, theirs) shown to the user once

    def prepare(self):
        """The part of the check that reads this QGIS (no network): a _PendingCheck of the edited
        features' base values and keys, or None where nothing needs the server."""
        layer = self.layer
        description = package_layer(layer)
        buffer = layer.editBuffer()
        if description is None or buffer is None:
            return None
        changed = dict(buffer.changedAttributeValues())
        moved = dict(buffer.changedGeometries())
        deleted = set(buffer.deletedFeatureIds())
        fids = [fid for fid in set(changed) | set(moved) | deleted if fid >= 0]  # < 0: added in this session
        if not fids:
            return None
        types = dict(description.fields)
        request = QgsFeatureRequest().setFilterFids(fids)
        started = {feature.id(): feature for feature in layer.dataProvider().getFeatures(request)}
        keys = {fid: base.normalise_value(feature[description.key_column], types[description.key_column])
                for fid, feature in started.items()}
        return _PendingCheck(description, fids, changed, moved, deleted, started, keys)

    def read_server(self, pending, feedback=None, timeout_s=DEFAULT_WAIT_S):
        """The server's current features of ``pending`` by key (blocks: the network part, run in a
        task by CommitGuard); raises base.TransportError where the server cannot be asked."""
        transport = self.transport_factory(pending.description, feedback=feedback, timeout_s=timeout_s)
        try:
            return transport.features_by_key([str(key) for key in pending.keys.values() if key is not None])
        finally:
            close = getattr(transport, "close", None)
            if close is not None:
                close()

    def compare(self, pending, server):
        """[OnlineConflict] of ``pending`` against the server's features (``read_server``)."""
        types = dict(pending.description.fields)
        names = self.layer.fields().names()
        found = []
        for fid in sorted(pending.fids):
            feature = pending.started.get(fid)
            if feature is None or pending.keys.get(fid) is None:
                continue
            key = str(pending.keys[fid])
            theirs = server.get(key)
            base_values = {name: base.normalise_value(feature[name], types[name]) for name in names}
            if theirs is None:
                if fid not in pending.deleted:
                    found.append(OnlineConflict(fid, key, "", DELETED_ON_SERVER))
                continue
            server_changes = {name for name in names if name in theirs.values
                              and theirs.values[name] != base_values[name]}
            server_moved = _moved(feature.geometry(), theirs.geometry)
            if fid in pending.deleted:
                if server_changes or server_moved:
                    found.append(OnlineConflict(fid, key, "", CHANGED_ON_SERVER))
                continue
            for index, value in pending.changed.get(fid, {}).items():
                name = names[index]
                mine = base.normalise_value(value, types[name])
                if name in server_changes and mine != theirs.values[name]:
                    found.append(OnlineConflict(fid, key, name, BOTH_CHANGED, base_values[name], mine,
                                                theirs.values[name]))
            if fid in pending.moved and server_moved and _moved(pending.moved[fid], theirs.geometry):
                found.append(OnlineConflict(fid, key, GEOMETRY, BOTH_CHANGED))
        return [conflict for conflict in found if self._signature(conflict) not in self.acknowledged]

    def conflicts(self):
        """[OnlineConflict] of the pending edits, all in one call (blocks on the network: for
        scripts and tests; CommitGuard reads the server in a task); raises base.TransportError
        where the server cannot be asked (the caller then stops the commit: nothing can be compared)."""
        pending = self.prepare()
        return [] if pending is None else self.compare(pending, self.read_server(pending))

    def _signature(self, conflict):
        return (conflict.key, conflict.field, conflict.kind, repr(conflict.theirs))

    def acknowledge(self, conflicts):
        """The user has seen these: saving again writes over exactly these server states."""
        self.acknowledged.update(self._signature(conflict) for conflict in conflicts)


def _moved(geometry, server_wkb_hex):
    if server_wkb_hex is None:
        return False
    server = QgsGeometry()
    server.fromWkb(bytes.fromhex(server_wkb_hex))
    if geometry is None or geometry.isNull():
        return not server.isNull()
    return geometry.distance(server) > GEOMETRY_TOLERANCE_M or abs(geometry.area() - server.area()) > 0.01


class _HeldEdits:
    """A layer's pending edits taken out of its edit buffer and put back later."""

    def __init__(self, layer):
        buffer = layer.editBuffer()
        self.attributes = {fid: dict(values) for fid, values in buffer.changedAttributeValues().items()}
        self.geometries = {fid: QgsGeometry(geometry) for fid, geometry in buffer.changedGeometries().items()}
        self.deleted = list(buffer.deletedFeatureIds())
        self.added = [feature for feature in buffer.addedFeatures().values()]

    def put_back(self, layer):
        """Each edit back as its own undo step, so the user can undo exactly one of them."""
        if not layer.isEditable():
            layer.startEditing()
        for fid, values in self.attributes.items():
            for index, value in values.items():
                layer.changeAttributeValue(fid, index, value)
        for fid, geometry in self.geometries.items():
            layer.changeGeometry(fid, geometry)
        for fid in self.deleted:
            layer.deleteFeature(fid)
        for feature in self.added:
            layer.addFeature(feature)


class _ServerRead(QgsTask):
    """The network part of the check (WriteBackCheck.read_server) in the task manager's thread
    pool; ``features`` or ``error`` once it has ended. Cancel also aborts the request."""

    def __init__(self, check, pending, timeout_s):
        super().__init__(tr("Write-back check: reading the server's current values"), QgsTask.CanCancel)
        self.check, self.pending, self.timeout_s = check, pending, timeout_s
        self.feedback = QgsFeedback()
        self.features, self.error = None, None

    def run(self):
        try:
            self.features = self.check.read_server(self.pending, self.feedback, self.timeout_s)
            return True
        except base.TransportError as error:
            self.error = error
        except Exception as error:  # noqa: BLE001 - a task must not raise; the save is stopped with the reason
            LOGGER.exception("write-back check: reading the server failed")
            self.error = base.TransportError(base.INVALID_ANSWER, str(error))
        return False

    def cancel(self):
        self.feedback.cancel()
        super().cancel()


# Checks still running (cancelled or timed out, their request being aborted): a task's Python
# object must live until the task manager is done with it.
_RUNNING_READS = set()


def _keep_until_done(task):
    _RUNNING_READS.add(task)

    def done():
        _RUNNING_READS.discard(task)
    task.taskCompleted.connect(done)
    task.taskTerminated.connect(done)


def _edit_state(layer):
    """The pending edits of ``layer`` as comparable values (what a check was made for)."""
    buffer = layer.editBuffer()
    if buffer is None:
        return None
    return (
        sorted((fid, sorted((index, repr(value)) for index, value in values.items()))
               for fid, values in buffer.changedAttributeValues().items()),
        sorted((fid, geometry.asWkt()) for fid, geometry in buffer.changedGeometries().items()),
        sorted(buffer.deletedFeatureIds()),
        sorted((fid, repr(feature.attributes()), feature.geometry().asWkt())
               for fid, feature in buffer.addedFeatures().items()),
    )


class CommitGuard(QObject):
    """Checks a layer's edits before each commit; with a conflict nothing is written and the
    edits stay pending. ``conflictsFound(layer, [OnlineConflict])``; ``checkFailed(layer, message)``
    where the server could not be asked or did not answer in time, ``checkCancelled(layer)`` when
    the user cancelled the check (the commit is stopped the same way in both cases).

    The server is read in a QgsTask while a local event loop keeps QGIS responsive (the save
    itself waits, as QGIS's commit does, at most ``wait_s`` seconds); ``checkStarted(layer)``
    and ``checkEnded(layer)`` frame that wait, ``cancel()`` ends it."""

    conflictsFound = pyqtSignal(object, list)
    checkFailed = pyqtSignal(object, str)
    checkCancelled = pyqtSignal(object)
    checkStarted = pyqtSignal(object)
    checkEnded = pyqtSignal(object)

    def __init__(self, layer, transport_factory=transport_for, parent=None, wait_s=DEFAULT_WAIT_S):
        super().__init__(parent)
        if not wait_s or wait_s <= 0:
            raise ValueError(tr("The write-back check needs a waiting time above 0 seconds."))
        self.layer = layer
        self.wait_s = float(wait_s)
        self.check = WriteBackCheck(layer, transport_factory)
        self._held = None
        self._waiting = None  # the running check's {"loop", "task", "cancelled"}
        layer.beforeCommitChanges.connect(self._before_commit)

    def detach(self):
        self.cancel()
        try:
            self.layer.beforeCommitChanges.disconnect(self._before_commit)
        except (TypeError, RuntimeError):
            pass  # the layer is gone already

    @property
    def checking(self):
        """True while a save waits for the server."""
        return self._waiting is not None

    def cancel(self):
        """Stop waiting for the server: the save writes nothing, the edits stay pending."""
        waiting = self._waiting
        if waiting is None:
            return
        waiting["cancelled"] = True
        waiting["task"].cancel()
        waiting["loop"].quit()

    def _before_commit(self, *_stop_editing):
        if self._waiting is not None:  # saved again while the server is asked: wait for that answer
            self._hold()
            self.checkFailed.emit(self.layer, tr("the check of the previous save is still waiting for the server"))
            return
        pending = self.check.prepare()
        if pending is None:
            return
        state = _edit_state(self.layer)
        outcome, result = self._read_server(pending)
        if sip.isdeleted(self.layer) or sip.isdeleted(self):
            return  # the layer went while QGIS waited (project closed): nothing to save
        if outcome == "cancelled":
            LOGGER.info("write-back check of %s cancelled; nothing saved", self.layer.name())
            self._hold()
            self.checkCancelled.emit(self.layer)
            return
        if outcome == "failed":
            LOGGER.warning("write-back check of %s failed: %s", self.layer.name(), result)
            self._hold()
            self.checkFailed.emit(self.layer, result)
            return
        if _edit_state(self.layer) != state:  # edited while the server was asked: those edits are unchecked
            self._hold()
            self.checkFailed.emit(self.layer, tr("you changed the edits while the server was asked; save again "
                                                 "to check them too"))
            return
        conflicts = self.check.compare(pending, result)
        if not conflicts:
            return
        for conflict in conflicts:
            LOGGER.warning("not saved, %s: %s", self.layer.name(), conflict.describe())
        self.check.acknowledge(conflicts)
        self._hold()
        self.conflictsFound.emit(self.layer, conflicts)

    def _read_server(self, pending):
        """("ok", features) | ("failed", message) | ("cancelled", None): the server's features read
        in a task while a local event loop runs, for at most ``wait_s`` seconds."""
        task = _ServerRead(self.check, pending, self.wait_s)
        loop = QEventLoop()
        waiting = {"loop": loop, "task": task, "cancelled": False, "timed_out": False}
        task.taskCompleted.connect(loop.quit)
        task.taskTerminated.connect(loop.quit)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: (waiting.update(timed_out=True), task.cancel(), loop.quit()))
        self._waiting = waiting
        self.checkStarted.emit(self.layer)
        try:
            _keep_until_done(task)
            QgsApplication.taskManager().addTask(task)
            timer.start(int(self.wait_s * 1000))
            if task.status() not in (QgsTask.Complete, QgsTask.Terminated):
                loop.exec_()
        finally:
            timer.stop()
            self._waiting = None
            if not sip.isdeleted(self):
                self.checkEnded.emit(self.layer)
        if waiting["cancelled"]:
            return "cancelled", None
        if waiting["timed_out"]:
            return "failed", tr("the server did not answer within {seconds} s").format(seconds=_seconds(self.wait_s))
        if task.error is not None:
            return "failed", str(task.error)
        if task.features is None:
            return "failed", tr("the check stopped before the server answered")
        return "ok", task.features

    def _hold(self):
        """Empty the edit buffer for this commit (nothing is written) and put every edit back
        once the commit has returned."""
        self._held = _HeldEdits(self.layer)
        self.layer.editBuffer().rollBack()
        QTimer.singleShot(0, self._put_back)

    def _put_back(self):
        held, self._held = self._held, None
        if held is not None and not sip.isdeleted(self.layer):
            held.put_back(self.layer)

    def put_back_now(self):
        """For callers without an event loop between commit and the next step (tests, scripts)."""
        self._put_back()


def _seconds(value):
    return "{:g}".format(value)
