"""The online write-back check in QGIS: every WFS / OGC API Features layer of the project gets a
core.field.online_edit.CommitGuard; a save that would overwrite a server edit is stopped with
the conflicts listed in the message bar (the edits stay pending).

The plugin calls ``install(iface)`` in initGui and ``uninstall()`` in unload.
"""

import logging

from qgis.core import Qgis, QgsProject, QgsVectorLayer

from ...core.field import online_edit
from ...core.i18n import tr

LOGGER = logging.getLogger(__name__)

MAX_LISTED = 5  # conflicts named in the message bar; all of them go to the log

_state = {"iface": None, "guards": {}, "project": None}


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
    _state.update(iface=None, project=None, guards={})


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
        _state["guards"][layer.id()] = guard


def _unguard_layers(layer_ids):
    for layer_id in layer_ids:
        guard = _state["guards"].pop(layer_id, None)
        if guard is not None:
            guard.detach()


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
