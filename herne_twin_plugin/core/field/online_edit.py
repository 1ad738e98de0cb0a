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

from qgis.core import QgsDataSourceUri, QgsFeatureRequest, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..i18n import tr
from . import manifest
from .transports import base, transport_for

LOGGER = logging.getLogger(__name__)

KEY_PROPERTY = "hernetwin/key_column"  # layer custom property naming the stable key
# Stable keys of the city's layers, tried in this order where the layer names none.
KNOWN_KEYS = ("light_uuid", "building_id", "station_id", "inspection_uuid", "fid")
GEOMETRY_TOLERANCE_M = 0.001
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


class WriteBackCheck:
    """The three-way check of one layer's pending edits (see the module docstring)."""

    def __init__(self, layer, transport_factory=transport_for):
        self.layer = layer
        self.transport_factory = transport_factory
        self.acknowledged = set()  # (key, field, theirs) shown to the user once

    def conflicts(self):
        """[OnlineConflict] of the pending edits; raises base.TransportError where the server
        cannot be asked (the caller then stops the commit: nothing can be compared)."""
        layer = self.layer
        description = package_layer(layer)
        buffer = layer.editBuffer()
        if description is None or buffer is None:
            return []
        changed = dict(buffer.changedAttributeValues())
        moved = dict(buffer.changedGeometries())
        deleted = set(buffer.deletedFeatureIds())
        fids = [fid for fid in set(changed) | set(moved) | deleted if fid >= 0]  # < 0: added in this session
        if not fids:
            return []
        types = dict(description.fields)
        names = layer.fields().names()
        request = QgsFeatureRequest().setFilterFids(fids)
        started = {feature.id(): feature for feature in layer.dataProvider().getFeatures(request)}
        keys = {fid: base.normalise_value(feature[description.key_column], types[description.key_column])
                for fid, feature in started.items()}
        server = self.transport_factory(description).features_by_key(
            [str(key) for key in keys.values() if key is not None])
        found = []
        for fid in sorted(fids):
            feature = started.get(fid)
            if feature is None or keys.get(fid) is None:
                continue
            key = str(keys[fid])
            theirs = server.get(key)
            base_values = {name: base.normalise_value(feature[name], types[name]) for name in names}
            if theirs is None:
                if fid not in deleted:
                    found.append(OnlineConflict(fid, key, "", DELETED_ON_SERVER))
                continue
            server_changes = {name for name in names if name in theirs.values
                              and theirs.values[name] != base_values[name]}
            server_moved = _moved(feature.geometry(), theirs.geometry)
            if fid in deleted:
                if server_changes or server_moved:
                    found.append(OnlineConflict(fid, key, "", CHANGED_ON_SERVER))
                continue
            for index, value in changed.get(fid, {}).items():
                name = names[index]
                mine = base.normalise_value(value, types[name])
                if name in server_changes and mine != theirs.values[name]:
                    found.append(OnlineConflict(fid, key, name, BOTH_CHANGED, base_values[name], mine,
                                                theirs.values[name]))
            if fid in moved and server_moved and _moved(moved[fid], theirs.geometry):
                found.append(OnlineConflict(fid, key, GEOMETRY, BOTH_CHANGED))
        return [conflict for conflict in found if self._signature(conflict) not in self.acknowledged]

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


class CommitGuard(QObject):
    """Checks a layer's edits before each commit; with a conflict nothing is written and the
    edits stay pending. ``conflictsFound(layer, [OnlineConflict])``; ``checkFailed(layer, message)``
    where the server could not be asked (the commit is stopped the same way)."""

    conflictsFound = pyqtSignal(object, list)
    checkFailed = pyqtSignal(object, str)

    def __init__(self, layer, transport_factory=transport_for, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.check = WriteBackCheck(layer, transport_factory)
        self._held = None
        layer.beforeCommitChanges.connect(self._before_commit)

    def detach(self):
        try:
            self.layer.beforeCommitChanges.disconnect(self._before_commit)
        except (TypeError, RuntimeError):
            pass  # the layer is gone already

    def _before_commit(self, *_stop_editing):
        try:
            conflicts = self.check.conflicts()
        except base.TransportError as error:
            LOGGER.warning("write-back check of %s failed: %s", self.layer.name(), error)
            self._hold()
            self.checkFailed.emit(self.layer, str(error))
            return
        if not conflicts:
            return
        for conflict in conflicts:
            LOGGER.warning("not saved, %s: %s", self.layer.name(), conflict.describe())
        self.check.acknowledge(conflicts)
        self._hold()
        self.conflictsFound.emit(self.layer, conflicts)

    def _hold(self):
        """Empty the edit buffer for this commit (nothing is written) and put every edit back
        once the commit has returned."""
        self._held = _HeldEdits(self.layer)
        self.layer.editBuffer().rollBack()
        QTimer.singleShot(0, self._put_back)

    def _put_back(self):
        held, self._held = self._held, None
        if held is not None:
            held.put_back(self.layer)

    def put_back_now(self):
        """For callers without an event loop between commit and the next step (tests, scripts)."""
        self._put_back()
