"""The online write-back check in QGIS: every WFS / OGC API Features layer of the project gets a
core.field.online_edit.CommitGuard; a save that would overwrite a server edit is stopped with
the conflicts listed in the message bar (the edits stay pending).

While a save waits for the server (QGIS stays responsive), the message bar shows a busy bar
with Cancel after SHOW_AFTER_MS; a cancelled, failed or timed-out check says so and keeps
the edits.

The plugin calls ``install(iface)`` in initGui and ``uninstall()`` in unload.
"""

import logging

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QProgressBar, QPushButton

from ...core.field import online_edit
from ...core.i18n import tr

LOGGER = logging.getLogger(__name__)

MAX_LISTED = 5  # conflicts named in the message bar; all of them go to the log
SHOW_AFTER_MS = 400  # a check that answers sooner shows no progress (no flicker on every save)

_state = {"iface": None, "guards": {}, "project": None, "waits": {}}


def install(iface, project=None):
    """Guard every checked layer of ``project`` (default: the current project), now and when added."""
    uninstall()
    project = project or QgsProject.instance()
    _state.update(iface=iface, project=project, guards={})
    project.layersAdded.connect(_guard_layers)
    project.layersWillBeRemoved.connect(_unguard_layers)
    _guard_layers(list(project.mapLayers().values()))


def uninstall():
    project = _state.get("project")
    if project is not None:
        for signal, slot in ((project.layersAdded, _guard_layers), (project.layersWillBeRemoved, _unguard_layers)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
    for guard in _state["guards"].values():
        guard.detach()
    for layer_id in list(_state["waits"]):
        _end_wait(layer_id)
    _state.update(iface=None, project=None, guards={}, waits={})


def guard_of(layer):
    """The CommitGuard of ``layer`` (a layer or its id), None where it has none (tests, the desktop check)."""
    return _state["guards"].get(layer if isinstance(layer, str) else layer.id())


def _guard_layers(layers):
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or layer.id() in _state["guards"]:
            continue
        if layer.providerType() not in online_edit.CHECKED_PROVIDERS:
            continue
        if online_edit.package_layer(layer) is None:
            LOGGER.info("%s is edited without the write-back check: it has no stable key (set the layer "
                        "property %s)", layer.name(), online_edit.KEY_PROPERTY)
            continue
        guard = online_edit.CommitGuard(layer)
        guard.conflictsFound.connect(_report_conflicts)
        guard.checkFailed.connect(_report_failure)
        guard.checkCancelled.connect(_report_cancelled)
        guard.checkStarted.connect(_start_wait)
        guard.checkEnded.connect(lambda _layer, layer_id=layer.id(): _end_wait(layer_id))
        _state["guards"][layer.id()] = guard


def _unguard_layers(layer_ids):
    for layer_id in layer_ids:
        guard = _state["guards"].pop(layer_id, None)
        if guard is not None:
            guard.detach()
        _end_wait(layer_id)


def _start_wait(layer):
    """Show the waiting save in the message bar (busy bar and Cancel) unless it ends sooner."""
    timer = QTimer()
    timer.setSingleShot(True)
    wait = {"timer": timer, "item": None}
    timer.timeout.connect(lambda: _show_wait(layer, wait))
    _state["waits"][layer.id()] = wait
    timer.start(SHOW_AFTER_MS)


def _show_wait(layer, wait):
    iface, guard = _state.get("iface"), guard_of(layer)
    if iface is None or guard is None or not guard.checking:
        return
    bar = iface.messageBar()
    text = tr("Saving {layer}: waiting for the server's current values to check for changes made since you "
              "started…").format(layer=layer.name())
    if not hasattr(bar, "pushWidget"):  # a message bar without widgets (a test double)
        bar.pushMessage(tr("Write-back check"), text, Qgis.Info, 0)
        return
    item = bar.createMessage(tr("Write-back check"), text)
    progress = QProgressBar(item)
    progress.setRange(0, 0)  # busy: the server gives no progress
    progress.setMaximumWidth(120)
    cancel = QPushButton(tr("Cancel"), item)
    cancel.setObjectName("hernetwin_write_back_cancel")
    cancel.clicked.connect(guard.cancel)
    item.layout().addWidget(progress)
    item.layout().addWidget(cancel)
    bar.pushWidget(item, Qgis.Info)
    wait["item"] = item


def _end_wait(layer_id):
    wait = _state["waits"].pop(layer_id, None)
    if wait is None:
        return
    wait["timer"].stop()
    iface = _state.get("iface")
    if wait["item"] is not None and iface is not None:
        iface.messageBar().popWidget(wait["item"])


def _push(text, level):
    iface = _state.get("iface")
    if iface is not None:
        iface.messageBar().pushMessage(tr("Write-back check"), text, level, 0)


def _report_conflicts(layer, conflicts):
    listed = "; ".join(conflict.describe() for conflict in conflicts[:MAX_LISTED])
    if len(conflicts) > MAX_LISTED:
        listed += tr("; and {count} more (see the log)").format(count=len(conflicts) - MAX_LISTED)
    _push(tr("{layer} was not saved: the server changed what you changed since you started. {conflicts}. "
             "Your edits are still there, unsaved: undo an edit to keep the server's value, or save again "
             "to write yours over it.").format(layer=layer.name(), conflicts=listed), Qgis.Warning)


def _report_failure(layer, message):
    _push(tr("{layer} was not saved: the server's current values could not be read to check for "
             "changes ({reason}). Your edits are still there, unsaved; save again when the server "
             "answers.").format(layer=layer.name(), reason=message), Qgis.Critical)


def _report_cancelled(layer):
    _push(tr("{layer} was not saved: you cancelled the check against the server. Your edits are still there, "
             "unsaved; save again to check and write them.").format(layer=layer.name()), Qgis.Info)
