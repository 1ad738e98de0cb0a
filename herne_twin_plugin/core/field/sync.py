"""The field sync: bring a package and the city's servers together without losing an edit.

Per synced layer of the package (assets first, then inspections):

1. pull: the server's features in the package's area (and filter), plus, by key, every
   feature the package knows that was not among them (moved out, deleted, or an insert of
   ours that already reached the server);
2. merge: per feature, three ways (base = the server state last confirmed, mine = the
   journal's pending edit, theirs = the server now), per attribute and the geometry;
3. apply the server's changes to features without pending edits, unjournaled, in one
   transaction, and keep overlapping edits as open conflicts (conflicts.py);
4. push the pending edits in batches (transport.write_batch): inserts carry their client
   UUID as key and were looked up in step 1, updates and deletes are checked against the
   state just read (If-Match or compare-and-set in the transport), a 412 or an unclear
   answer means: read that feature again and decide again;
5. per confirmed feature: the journal rows marked pushed, base and row := the server's
   state, a receipt (receipts.py), all in one SQLite transaction (with the other features
   confirmed in the same batch).

Photos are uploaded (attachments.upload_pending) once the inspections are on the server,
where the package has an ``attachment_target``. One sync per package at a time (a lock file).

An edit reaches the server once or stays pending, visible with its reason. A run stopped
anywhere (killed, cancelled, network gone) and run again ends where one uninterrupted run
would: what the server confirmed but the package did not record yet is found again as
already applied. ``plan_sync`` is the dry run: steps 1-2, nothing written anywhere.

``_checkpoint(name)`` marks every step boundary; with HERNETWIN_SYNC_CRASH_AT=n the n-th
checkpoint of a run ends the process at once (for the kill tests), and with
HERNETWIN_SYNC_CHECKPOINT_LOG=<file> each checkpoint is appended there as "n name". Names:
started, prepare_committing/_committed, per layer pulled, merged, pull_apply_committing/
_committed, per batch of writes push, pushed, per batch of confirmations confirm_committing/
_committed (the *_committing ones inside the open SQLite transaction), attachments, finished.
"""

import dataclasses
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ..i18n import tr
from . import conflicts as conflict_store
from . import journal
from . import manifest as manifest_module
from . import receipts as receipt_store
from .conflicts import OpenConflict, merge_sides, split_geometry, with_geometry
from .journal import Change
from .package_store import (
    LayerTable,
    SyncError,
    package_gpkg,
    safe_normalise,
    same_geometry,
    set_journal_state,
    sync_lock,
)
from .receipts import ALREADY_APPLIED, APPLIED, CONFLICT, ERROR, MERGED, PULLED, REJECTED, Receipt
from .transports import base as transport_base
from .transports.base import ServerFeature, TransportError, WriteOperation

LOG = logging.getLogger(__name__)

# What a sync does with a feature (SyncPlan.actions)
PUSH_INSERT, PUSH_UPDATE, PUSH_DELETE = "push_insert", "push_update", "push_delete"
PULL_INSERT, PULL_UPDATE, PULL_DELETE = "pull_insert", "pull_update", "pull_delete"
KEEP_CONFLICT, KEEP_ERROR, CONFIRM = "conflict", "kept", "already_applied"
PUSHES = (PUSH_INSERT, PUSH_UPDATE, PUSH_DELETE)
PULLS = (PULL_INSERT, PULL_UPDATE, PULL_DELETE)

CONFIRMED, SUPERSEDED = 1, conflict_store.SUPERSEDED  # journal states
CRASH_ENV = "HERNETWIN_SYNC_CRASH_AT"
CHECKPOINT_LOG_ENV = "HERNETWIN_SYNC_CHECKPOINT_LOG"
ATTACHMENT_TARGET = "attachment_target"  # package property: a folder or an http(s) URL
ATTACHMENT_AUTHCFG = "attachment_authcfg"  # package property: the authcfg id for an http(s) target
KEY_CHUNK = 200  # keys per features_by_key call

# --- crash checkpoints -----------------------------------------------------------------------

checkpoint_hook = None  # tests: callable(name, number), may raise to simulate a crash there
_checkpoints = {"crash_at": None, "log": None, "count": 0}


def _reset_checkpoints():
    crash_at = os.environ.get(CRASH_ENV, "").strip()
    _checkpoints.update(
        crash_at=int(crash_at) if crash_at.isdigit() else None,
        log=os.environ.get(CHECKPOINT_LOG_ENV) or None,
        count=0,
    )


def _checkpoint(name):
    """A step boundary of the sync; costs nothing unless a crash test asks for it."""
    if _checkpoints["crash_at"] is None and _checkpoints["log"] is None and checkpoint_hook is None:
        return
    _checkpoints["count"] += 1
    number = _checkpoints["count"]
    if _checkpoints["log"]:
        with open(_checkpoints["log"], "a", encoding="utf-8") as handle:
            handle.write("{} {}\n".format(number, name))
    if checkpoint_hook is not None:
        checkpoint_hook(name, number)
    if _checkpoints["crash_at"] == number:
        os._exit(137)


# --- what a sync would do and did ------------------------------------------------------------


@dataclass
class FeatureAction:
    """What the sync does with one feature. ``values``/``geometry``: the state it writes
    (normalised synced fields); ``push_values``: what goes to the server."""

    table: str
    key: str
    action: str
    op: str  # insert / update / delete: on the server for a push, in the package for a pull
    message: str = ""
    fields: tuple = ()
    change: Optional[Change] = None
    server: Optional[ServerFeature] = None
    values: Optional[dict] = None
    geometry: Optional[str] = None
    push_values: Optional[dict] = None
    push_geometry: Optional[str] = None
    merged: bool = False
    conflict: Optional[OpenConflict] = None

    @property
    def outcome(self):
        """The receipt this action gets when it goes through."""
        if self.action in PUSHES:
            return MERGED if self.merged else APPLIED
        return {KEEP_CONFLICT: CONFLICT, KEEP_ERROR: ERROR, CONFIRM: ALREADY_APPLIED}.get(self.action, PULLED)


@dataclass
class LayerPlan:
    """One layer's part of a dry run: what would be sent, taken and kept open, and notes."""

    table: str
    title: str
    pushes: List[FeatureAction] = field(default_factory=list)
    pulls: List[FeatureAction] = field(default_factory=list)
    conflicts: List[FeatureAction] = field(default_factory=list)
    errors: List[FeatureAction] = field(default_factory=list)
    confirms: List[FeatureAction] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


@dataclass
class SyncPlan:
    """The dry run's answer: per feature what a sync would do; nothing was written."""

    package: str
    actions: List[FeatureAction] = field(default_factory=list)
    messages: List[str] = field(default_factory=list)
    layer_errors: Dict[str, str] = field(default_factory=dict)
    layers: List[LayerPlan] = field(default_factory=list)

    def counts(self):
        """Expected receipts per outcome."""
        return dict(Counter(action.outcome for action in self.actions))

    def text(self):
        counts = self.counts()
        lines = [
            tr("A sync would send {push} changes to the server ({merged} merged with server edits), take {pull} "
               "changes from the server, keep {conflicts} conflicts and {errors} errors open, and confirm {already} "
               "changes the server already has.").format(
                push=counts.get(APPLIED, 0) + counts.get(MERGED, 0), merged=counts.get(MERGED, 0),
                pull=counts.get(PULLED, 0), conflicts=counts.get(CONFLICT, 0), errors=counts.get(ERROR, 0),
                already=counts.get(ALREADY_APPLIED, 0),
            )
        ]
        lines.extend(self.messages)
        return "\n".join(lines)


@dataclass
class SyncReport:
    sync_id: str
    package: str
    receipts: List[Receipt] = field(default_factory=list)
    messages: List[str] = field(default_factory=list)
    stopped: str = ""  # why the sync stopped before the end ('' where it ran through)
    pending: int = 0  # edits still pending in the package after the sync
    open_conflicts: int = 0

    @property
    def counts(self):
        counted = {outcome: 0 for outcome in receipt_store.OUTCOMES}
        counted.update(Counter(receipt.outcome for receipt in self.receipts))
        return counted

    @property
    def complete(self):
        return not self.stopped

    def text(self):
        counts = self.counts
        lines = [
            tr("Sync {sync_id}: {applied} applied, {merged} merged, {conflicts} conflicts, {rejected} rejected, "
               "{errors} errors, {already} already applied, {pulled} taken from the server.").format(
                sync_id=self.sync_id, applied=counts[APPLIED], merged=counts[MERGED], conflicts=counts[CONFLICT],
                rejected=counts[REJECTED], errors=counts[ERROR], already=counts[ALREADY_APPLIED],
                pulled=counts[PULLED],
            )
        ]
        if self.stopped:
            lines.append(tr("The sync stopped early: {reason}").format(reason=self.stopped))
        if self.pending:
            lines.append(tr("{count} edits are still in the package, kept for the next sync.").format(
                count=self.pending))
        if self.open_conflicts:
            lines.append(tr("{count} conflicts wait for a decision.").format(count=self.open_conflicts))
        lines.extend(self.messages)
        return "\n".join(lines)


class _StopSyncError(Exception):
    """Stop the sync cleanly: what is not confirmed stays pending."""


# --- one layer --------------------------------------------------------------------------------


class _LayerSync:
    """Pull, merge and push of one synced layer."""

    def __init__(self, gpkg, connection, package_manifest, layer, transport, feedback):
        self.gpkg = gpkg
        self.connection = connection
        self.manifest = package_manifest
        self.layer = layer
        self.transport = transport
        self.feedback = feedback
        self.table = LayerTable(connection, layer.table_name, layer.key_column, layer.fields)
        self.present = list(self.table.field_types)  # synced fields the server still has
        self.missing = []
        self.messages = []
        self.in_area = {}
        self.bases = {}
        self.changes = {}
        self.outside = {}

    def _canceled(self):
        return self.feedback is not None and self.feedback.isCanceled()

    def check_schema(self):
        names = [name for name, _ in self.transport.server_fields()]
        if self.layer.key_column not in names:
            raise SyncError(tr(
                "The server no longer has the key field {key} of layer {table}: no change of this layer can be "
                "matched, all of them are kept in the package.").format(key=self.layer.key_column,
                                                                         table=self.layer.table_name))
        self.missing = [name for name in self.table.field_types if name not in names]
        self.present = [name for name in self.table.field_types if name in names]
        if self.missing:
            self.messages.append(tr(
                "The server no longer has the fields {fields} of layer {table} (removed or renamed since the "
                "package was made): edits of these fields stay in the package; the other edits are synced.").format(
                    fields=", ".join(self.missing), table=self.layer.table_name))
        added = [name for name in names if name not in self.table.field_types and name != self.table.fid_column]
        if added:
            self.messages.append(tr(
                "The server has new fields in layer {table} ({fields}); the package leaves them as they are on the "
                "server.").format(table=self.layer.table_name, fields=", ".join(added)))

    def _info(self, text):
        LOG.info("%s", text)
        if self.feedback is not None and hasattr(self.feedback, "pushInfo"):
            self.feedback.pushInfo(text)

    def pull(self):
        self._info(tr("Reading layer {table} from the server…").format(table=self.layer.title or self.layer.table_name))
        self.check_schema()
        filter_expression = self.manifest.filter if self.layer.role == manifest_module.ROLE_ASSET else ""
        self.in_area, self.outside = {}, {}
        for feature in self.transport.features_in_area(self.manifest.area_wkt, filter_expression or ""):
            self.in_area[str(feature.key)] = feature
            if self._canceled():
                raise _StopSyncError(tr("Cancelled."))
        self.bases = self.table.bases(self.connection)
        self.changes = {
            change.feature_key: change
            for change in journal.pending_changes(self.gpkg)
            if change.table_name == self.layer.table_name
        }
        others = sorted(key for key in set(self.bases) | set(self.changes) if key not in self.in_area)
        for start in range(0, len(others), KEY_CHUNK):
            found = self.transport.features_by_key(others[start:start + KEY_CHUNK])
            self.outside.update((str(key), feature) for key, feature in found.items())
            if self._canceled():
                raise _StopSyncError(tr("Cancelled."))

    def plan(self):
        """Every feature's action (None where nothing is to be done)."""
        actions = []
        keys = list(self.changes) + sorted(
            key for key in set(self.bases) | set(self.in_area) if key not in self.changes
        )
        for key in keys:
            server = self.in_area.get(key) or self.outside.get(key)
            action = self.decide(key, self.changes.get(key), server, key in self.in_area)
            if action is not None:
                actions.append(action)
        return actions

    # --- the decision per feature ---

    def theirs(self, server):
        return {name: safe_normalise(server.values.get(name), self.table.field_types[name])
                for name in self.present if name in server.values}

    def decide(self, key, change, server, in_area):
        name = self.layer.table_name
        if change is None:
            return self._decide_pull(key, server, in_area)
        if not self.layer.writable:
            return FeatureAction(name, key, KEEP_ERROR, change.op, change=change, message=tr(
                "The service of layer {table} does not accept changes; the edit stays in the package.").format(
                    table=name))
        touched = set(change.changed) if change.op == "update" else set()
        if change.op == "insert":
            touched = {field_name for field_name, value in change.values.items() if value is not None}
        lost = sorted(touched & set(self.missing))
        if lost:
            return FeatureAction(name, key, KEEP_ERROR, change.op, change=change, fields=tuple(lost), message=tr(
                "The server no longer has the fields {fields}; this edit stays in the package until the field is "
                "back or the package is made again.").format(fields=", ".join(lost)))
        mine = self.table.normalised(change.values, self.present)
        if change.op == "insert":
            if server is not None:  # an insert of an earlier, interrupted sync: never twice
                return FeatureAction(name, key, CONFIRM, "insert", change=change, server=server)
            return FeatureAction(name, key, PUSH_INSERT, "insert", change=change, values=mine,
                                 geometry=change.geometry, push_values=mine, push_geometry=change.geometry,
                                 fields=tuple(mine))
        base = with_geometry(self.table.normalised(change.base, self.present), change.base_geometry)
        theirs = with_geometry(self.theirs(server), server.geometry) if server is not None else None
        if change.op == "delete":
            if server is None:
                return FeatureAction(name, key, CONFIRM, "delete", change=change)
            result = merge_sides(base, None, theirs)
        else:
            result = merge_sides(base, with_geometry(mine, change.geometry), theirs)
        if result.conflicts:
            base_values, base_geometry = split_geometry(base)
            mine_values, mine_geometry = split_geometry(result.mine)
            theirs_values, theirs_geometry = split_geometry(theirs)
            conflict = OpenConflict(
                table=name, key=key, conflicts=list(result.conflicts), base=base_values, mine=mine_values,
                theirs=theirs_values, base_geometry=base_geometry, mine_geometry=mine_geometry,
                theirs_geometry=theirs_geometry, server_version=server.version if server else "",
                detected_at=receipt_store.utc_now(), sync_id="",
            )
            fields = tuple(c.field for c in result.conflicts)
            return FeatureAction(name, key, KEEP_CONFLICT, change.op, change=change, server=server,
                                 conflict=conflict, fields=fields, message=_conflict_message(result.conflicts))
        if result.values is None:
            if server is None:  # deleted on the server, nothing left of the edit: confirmed as it is
                return FeatureAction(name, key, CONFIRM, change.op, change=change)
            return FeatureAction(name, key, PUSH_DELETE, "delete", change=change, server=server)
        values, geometry = split_geometry(result.values)
        theirs_values, theirs_geometry = split_geometry(theirs)
        push = {field_name: value for field_name, value in values.items() if theirs_values.get(field_name) != value}
        push_geometry = None if same_geometry(geometry, theirs_geometry) else geometry
        if not push and push_geometry is None:
            return FeatureAction(name, key, CONFIRM, change.op, change=change, server=server)
        base_values, base_geometry = split_geometry(base)
        merged = any(theirs_values.get(f) != base_values.get(f) for f in theirs_values) or not same_geometry(
            theirs_geometry, base_geometry)
        changed = tuple(push) + (("geometry",) if push_geometry is not None else ())
        return FeatureAction(name, key, PUSH_UPDATE, "update", change=change, server=server, values=values,
                             geometry=geometry, push_values=push, push_geometry=push_geometry, merged=merged,
                             fields=changed)

    def _decide_pull(self, key, server, in_area):
        name = self.layer.table_name
        base = self.bases.get(key)
        if base is None:
            if server is not None and in_area:
                return FeatureAction(name, key, PULL_INSERT, "insert", server=server, values=self.theirs(server),
                                     geometry=server.geometry, message=tr("new on the server"))
            return None
        if server is None:
            return FeatureAction(name, key, PULL_DELETE, "delete", message=tr("deleted on the server"))
        if not in_area:
            return FeatureAction(name, key, PULL_DELETE, "delete",
                                 message=tr("moved out of the package's area or filter on the server"))
        theirs = self.theirs(server)
        base_values = self.table.normalised(base[0], self.present)
        changed = tuple(f for f in theirs if theirs[f] != base_values.get(f))
        if not same_geometry(server.geometry, base[1]):
            changed += ("geometry",)
        if not changed:
            return None
        return FeatureAction(name, key, PULL_UPDATE, "update", server=server, values=theirs,
                             geometry=server.geometry, fields=changed,
                             message=tr("changed on the server: {fields}").format(fields=", ".join(changed)))


def _conflict_message(field_conflicts):
    if any(c.kind == conflict_store.DELETE_VS_EDIT for c in field_conflicts):
        return tr("deleted on one side and edited on the other")
    return tr("edited here and on the server: {fields}").format(
        fields=", ".join(tr("geometry") if c.field == conflict_store.GEOMETRY_FIELD else c.field
                         for c in field_conflicts))


# --- the package ------------------------------------------------------------------------------


def _default_factory():
    from .transports import transport_for

    return transport_for


def _open_package(package):
    gpkg = package_gpkg(package)
    connection = journal.connect(gpkg)
    connection.execute("PRAGMA busy_timeout = 30000")
    package_manifest = manifest_module.read(connection)
    if package_manifest is None:
        connection.close()
        raise SyncError(tr("{path} is no field package (it has no package manifest).").format(path=gpkg))
    return gpkg, connection, package_manifest


def _synced_layers(package_manifest):
    layers = package_manifest.synced_layers
    order = {manifest_module.ROLE_ASSET: 0, manifest_module.ROLE_INSPECTION: 1}
    return sorted(layers, key=lambda layer: order.get(layer.role, 2))


def _layer_failure(layer, error):
    return tr("Layer {table} was not synced: {reason}").format(table=layer.table_name, reason=str(error))


def _sort_into(layer_plan, action):
    if action.action in PUSHES:
        layer_plan.pushes.append(action)
    elif action.action in PULLS:
        layer_plan.pulls.append(action)
    elif action.action == KEEP_CONFLICT:
        layer_plan.conflicts.append(action)
    elif action.action == KEEP_ERROR:
        layer_plan.errors.append(action)
        layer_plan.notes.append("{}: {}".format(action.key, action.message))
    else:
        layer_plan.confirms.append(action)


def plan_sync(package, transport_factory=None, feedback=None):
    """The dry run: what a sync of ``package`` (folder or .gpkg) would do. Nothing is written."""
    factory = transport_factory or _default_factory()
    gpkg, connection, package_manifest = _open_package(package)
    plan = SyncPlan(package=gpkg)
    try:
        for layer in _synced_layers(package_manifest):
            layer_plan = LayerPlan(layer.table_name, layer.title or layer.table_name)
            plan.layers.append(layer_plan)
            try:
                layer_sync = _LayerSync(gpkg, connection, package_manifest, layer,
                                        factory(layer, feedback=feedback), feedback)
                layer_sync.pull()
                actions = layer_sync.plan()
                plan.actions.extend(actions)
                plan.messages.extend(layer_sync.messages)
                layer_plan.notes.extend(layer_sync.messages)
                for action in actions:
                    _sort_into(layer_plan, action)
            except (TransportError, SyncError, journal.FieldJournalError) as error:
                plan.layer_errors[layer.table_name] = str(error)
                plan.messages.append(_layer_failure(layer, error))
                layer_plan.notes.append(str(error))
            except _StopSyncError as stop:
                plan.messages.append(str(stop))
                break
    finally:
        connection.close()
    return plan


class _Run:
    """One sync run: applies the plan layer by layer, pushes, confirms in batches."""

    def __init__(self, gpkg, connection, package_manifest, factory, feedback, retries, retry_delay_s, batch_size,
                 write_batch_size):
        self.gpkg = gpkg
        self.connection = connection
        self.manifest = package_manifest
        self.factory = factory
        self.feedback = feedback
        self.retries = retries
        self.retry_delay_s = retry_delay_s
        self.batch_size = batch_size
        self.write_batch_size = write_batch_size
        self.report = SyncReport(sync_id=receipt_store.new_sync_id(), package=gpkg)
        self._batch = []

    # --- local writes ---

    def _receipt(self, action, outcome, message=""):
        receipt = Receipt(self.report.sync_id, action.table, action.key, action.op, outcome,
                          message or action.message, receipt_store.utc_now())
        receipt_store.add(self.connection, receipt)
        return receipt

    def _transaction(self, work, name):
        """Run ``work()`` in one write transaction; its receipts count once it is committed."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            written = work()
            _checkpoint(name + "_committing")
            self.connection.execute("COMMIT")
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        self.report.receipts.extend(written)
        _checkpoint(name + "_committed")

    def _prepare_tables(self):
        def work():
            receipt_store.create_table(self.connection)
            conflict_store.create_table(self.connection)
            journal._create_journal_tables(self.connection)
            journal.ensure_sync_guard(self.connection)
            for layer in _synced_layers(self.manifest):
                LayerTable.ensure_key_index(self.connection, layer.table_name, layer.key_column)
            return []

        self._transaction(work, "prepare")

    def _apply_pulls(self, layer_sync, actions):
        """Server changes into the package (features without pending edits), conflicts and
        errors kept, in one transaction."""
        table = layer_sync.table

        def work():
            written = []
            pending = table.pending_keys(self.connection)
            conflict_store.clear_layer(self.connection, table.table)
            with journal.unjournaled(self.connection):
                for action in actions:
                    if action.action in PULLS:
                        if action.key in pending:  # edited in the package meanwhile: the next sync merges it
                            continue
                        if action.action == PULL_DELETE:
                            table.delete_row(self.connection, action.key)
                            table.delete_base(self.connection, action.key)
                        else:
                            full = table.write_row(self.connection, action.key, action.values, action.geometry)
                            table.write_base(self.connection, action.key, full, action.geometry)
                        written.append(self._receipt(action, PULLED))
                    elif action.action == KEEP_CONFLICT:
                        self._keep_conflict(action)
                        written.append(self._receipt(action, CONFLICT))
                    elif action.action == KEEP_ERROR:
                        written.append(self._receipt(action, ERROR))
            return written

        self._transaction(work, "pull_apply")

    def _keep_conflict(self, action):
        conflict_store.store(self.connection, dataclasses.replace(action.conflict, sync_id=self.report.sync_id))

    def _confirm(self, layer_sync, action, server, outcome, message=""):
        """One confirmed feature: journal rows pushed, row and base := the server's state."""
        table = layer_sync.table
        seqs = list(action.change.seqs) if action.change else []
        with journal.unjournaled(self.connection):
            if server is None:
                table.delete_row(self.connection, action.key)
                table.delete_base(self.connection, action.key)
            else:
                newer = [seq for seq in table.pending_seqs(self.connection, action.key) if seq not in seqs]
                values = layer_sync.theirs(server)
                if newer:
                    self._rebase(layer_sync, action, server, values, newer)
                else:
                    full = table.write_row(self.connection, action.key, values, server.geometry)
                    table.write_base(self.connection, action.key, full, server.geometry)
        set_journal_state(self.connection, seqs, CONFIRMED)
        conflict_store.remove(self.connection, action.table, action.key)
        return self._receipt(action, outcome, message)

    def _rebase(self, layer_sync, action, server, values, newer):
        """The inspector edited the feature again while it was being pushed: keep that newer
        edit pending, on top of the server's state (server fields merged in are not reverted)."""
        table = layer_sync.table
        current = table.row(self.connection, action.key)
        full = dict(current.values) if current else {}
        full.update(values)
        table.write_base(self.connection, action.key, full, server.geometry)
        if current is None:
            return
        mine = table.normalised(action.change.values, layer_sync.present)
        now = table.normalised(current.values, layer_sync.present)
        patch = {name: value for name, value in values.items()
                 if value != mine.get(name) and now.get(name) == mine.get(name)}
        geometry = current.geometry
        if not same_geometry(server.geometry, action.change.geometry) and same_geometry(
                current.geometry, action.change.geometry):
            geometry = server.geometry
        if patch or geometry is not current.geometry:
            table.write_row(self.connection, action.key, patch, geometry)
        for name, value in patch.items():
            path = '$."{}"'.format(name.replace('"', '\\"'))
            self.connection.execute(
                "UPDATE {} SET new_values = json_set(new_values, ?, ?) WHERE seq IN ({})".format(
                    journal.JOURNAL_TABLE, ", ".join("?" * len(newer))),
                [path, int(value) if isinstance(value, bool) else value, *newer],
            )

    def _queue(self, entry):
        self._batch.append(entry)
        if len(self._batch) >= self.batch_size:
            self._flush()

    def _flush(self):
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self._transaction(lambda: [entry() for entry in batch], "confirm")

    # --- pushing ---

    def _sleep(self, attempt):
        deadline = time.monotonic() + self.retry_delay_s * (2 ** attempt)
        while time.monotonic() < deadline:
            if self.feedback is not None and self.feedback.isCanceled():
                raise _StopSyncError(tr("Cancelled."))
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _read_again(self, layer_sync, action, attempt):
        """The server's state of the feature now (None: not there), retrying a failing read."""
        while True:
            try:
                return layer_sync.transport.features_by_key([action.key]).get(action.key)
            except TransportError as error:
                if not error.retryable or attempt >= self.retries:
                    raise _StopSyncError(
                        tr("The server could not be read again: {reason}").format(reason=str(error))) from error
                self._sleep(attempt)
                attempt += 1

    def _operation(self, action):
        if action.action == PUSH_INSERT:
            return WriteOperation("insert", action.key, action.push_values, action.push_geometry)
        if action.action == PUSH_UPDATE:
            return WriteOperation("update", action.key, action.push_values, action.push_geometry, action.server)
        return WriteOperation("delete", action.key, current=action.server)

    def _push_batch(self, layer_sync, actions):
        """Send the pushes among ``actions`` in one batch (transport.write_batch); a feature
        whose write failed or was not attempted goes on alone (_push)."""
        pushes = [action for action in actions if action.action in PUSHES]
        for action in actions:
            if action.action not in PUSHES:
                self._settle(layer_sync, action)
        if not pushes:
            return
        _checkpoint("push")
        try:
            results = layer_sync.transport.write_batch([self._operation(action) for action in pushes])
        except TransportError as error:  # the batch failed as a whole: each feature is read again
            if error.retryable:
                self._sleep(0)
            results = [error] * len(pushes)
        _checkpoint("pushed")
        for action, result in zip(pushes, results):
            if isinstance(result, TransportError):
                self._push(layer_sync, action, result)
            else:
                self._queue(lambda a=action, s=result: self._confirm(layer_sync, a, s, a.outcome))
        for action in pushes[len(results):]:
            self._push(layer_sync, action)

    def _push(self, layer_sync, action, error=None):
        """One feature's write, read again and decided again after each failure."""
        attempt = 0
        while True:
            if error is not None:
                action = self._after_failure(layer_sync, action, error, attempt)
                attempt, error = attempt + 1, None
            if action.action not in PUSHES:
                return self._settle(layer_sync, action)
            _checkpoint("push")
            try:
                results = layer_sync.transport.write_batch([self._operation(action)])
            except TransportError as failure:
                results = [failure]
            result = results[0] if results else TransportError(transport_base.INVALID_ANSWER, tr(
                "The server's transport did not send the change of {key}.").format(key=action.key))
            if isinstance(result, TransportError):
                error = result
                continue
            _checkpoint("pushed")
            self._queue(lambda a=action, s=result: self._confirm(layer_sync, a, s, a.outcome))
            return

    def _after_failure(self, layer_sync, action, error, attempt):
        """The next action for a feature whose write failed, or _StopSyncError. Rejected edits stay pending."""
        reason = str(error)
        if error.server_message and error.server_message not in reason:
            reason = "{} ({})".format(reason, error.server_message)
        if error.kind in (transport_base.CANCELLED,):
            raise _StopSyncError(tr("Cancelled."))
        if error.kind == transport_base.AUTH:
            raise _StopSyncError(reason)
        if error.kind in (transport_base.REJECTED, transport_base.SCHEMA_CHANGED) and not error.outcome_unknown:
            outcome = REJECTED if error.kind == transport_base.REJECTED else ERROR
            self._queue(lambda: self._receipt(action, outcome, reason))
            return FeatureAction(action.table, action.key, "done", action.op)
        # 412, gone, an unclear or failed answer: read the feature again and decide again
        # (the server may have applied the write without saying so).
        if attempt >= self.retries:
            if error.retryable or error.outcome_unknown:
                self._queue(lambda: self._receipt(action, ERROR, reason))
                raise _StopSyncError(reason)
            self._queue(lambda: self._receipt(action, ERROR, reason))
            return FeatureAction(action.table, action.key, "done", action.op)
        if error.retryable:
            self._sleep(attempt)
        LOG.info("Sync: %s %s of %s failed (%s); reading it again", action.op, action.key, action.table, reason)
        server = self._read_again(layer_sync, action, attempt)
        return layer_sync.decide(action.key, action.change, server, True)

    def _settle(self, layer_sync, action):
        """A feature decided again after a failed write: confirmed, a conflict, or kept."""
        if action.action == CONFIRM:
            self._queue(lambda: self._confirm(layer_sync, action, action.server, ALREADY_APPLIED))
        elif action.action == KEEP_CONFLICT:
            def keep():
                self._keep_conflict(action)
                return self._receipt(action, CONFLICT)
            self._queue(keep)
        elif action.action == KEEP_ERROR:
            self._queue(lambda: self._receipt(action, ERROR))

    # --- the run ---

    def sync_layer(self, layer, index, total_layers):
        layer_sync = _LayerSync(self.gpkg, self.connection, self.manifest, layer,
                                self.factory(layer, feedback=self.feedback), self.feedback)
        attempt = 0
        while True:
            try:
                layer_sync.pull()
                break
            except TransportError as error:
                if not error.retryable or attempt >= self.retries:
                    raise
                self._sleep(attempt)
                attempt += 1
        _checkpoint("pulled")
        actions = layer_sync.plan()
        self.report.messages.extend(layer_sync.messages)
        _checkpoint("merged")
        self._apply_pulls(layer_sync, actions)
        to_confirm = [a for a in actions if a.action in PUSHES or a.action == CONFIRM]
        if to_confirm:
            layer_sync._info(tr("Sending {count} changes of layer {table}…").format(
                count=len(to_confirm), table=layer.title or layer.table_name))
        size = self.write_batch_size
        for start in range(0, len(to_confirm), size):
            if self.feedback is not None and self.feedback.isCanceled():
                raise _StopSyncError(tr("Cancelled."))
            self._push_batch(layer_sync, to_confirm[start:start + size])
            if self.feedback is not None:
                done = min(len(to_confirm), start + size)
                self.feedback.setProgress(100.0 * (index + done / len(to_confirm)) / total_layers)
        self._flush()

    def run(self):
        self._prepare_tables()
        layers = _synced_layers(self.manifest)
        for index, layer in enumerate(layers):
            try:
                self.sync_layer(layer, index, len(layers))
                if layer.role == manifest_module.ROLE_INSPECTION:
                    self._upload_attachments()
            except (TransportError, SyncError, journal.FieldJournalError) as error:
                self._flush()
                if isinstance(error, TransportError) and error.kind in (transport_base.AUTH,
                                                                        transport_base.CANCELLED):
                    self.report.stopped = str(error)
                    break
                if isinstance(error, TransportError) and error.retryable:  # the server is down: stop here
                    self.report.stopped = _layer_failure(layer, error)
                    break
                self.report.messages.append(_layer_failure(layer, error))
            except _StopSyncError as stop:
                self._flush()
                self.report.stopped = str(stop)
                break
        _checkpoint("finished")

    def _upload_attachments(self):
        """The inspections' photos, once the inspections are on the server (attachments.py keeps
        a receipt per photo; a photo not uploaded stays pending for the next sync)."""
        properties = dict(self.connection.execute(
            "SELECT name, value FROM {} WHERE name IN (?, ?)".format(manifest_module.PACKAGE_TABLE),
            (ATTACHMENT_TARGET, ATTACHMENT_AUTHCFG),
        ).fetchall())
        target = properties.get(ATTACHMENT_TARGET, "")
        if not target:
            return
        from .attachments import AttachmentError, upload_pending

        try:
            uploaded = upload_pending(os.path.dirname(self.gpkg), target, self.feedback,
                                      authcfg=properties.get(ATTACHMENT_AUTHCFG, ""))
        except (AttachmentError, TransportError, OSError) as error:
            self.report.messages.append(tr("Photos were not uploaded: {reason}").format(reason=str(error)))
            return
        _checkpoint("attachments")
        if uploaded.uploaded or uploaded.failed:
            self.report.messages.append(tr("Photos: {uploaded} uploaded, {failed} not uploaded (kept for the next "
                                           "sync).").format(uploaded=len(uploaded.uploaded),
                                                            failed=len(uploaded.failed)))
        for receipt in uploaded.failed:
            self.report.messages.append("{}: {}".format(receipt.path, receipt.message))
        if uploaded.stopped:
            self.report.messages.append(uploaded.stopped)


def run_sync(package, transport_factory=None, feedback=None, retries=2, retry_delay_s=0.5, batch_size=100,
             write_batch_size=100):
    """Sync ``package`` (folder or .gpkg) with its servers; returns a SyncReport.

    ``transport_factory(layer, feedback=...)`` gives each layer's transport (default:
    transports.transport_for). Retryable server failures are retried ``retries`` times,
    ``retry_delay_s`` apart (doubling); confirmed features are recorded ``batch_size`` at a
    time (each batch one transaction; a batch lost in a crash is found again as already applied).
    Pushes go to the transport ``write_batch_size`` at a time (FieldTransport.write_batch);
    cancel stops between such batches.
    """
    factory = transport_factory or _default_factory()
    _reset_checkpoints()
    with sync_lock(package_gpkg(package)):
        return _run_sync(package, factory, feedback, retries, retry_delay_s, batch_size, write_batch_size)


def _run_sync(package, factory, feedback, retries, retry_delay_s, batch_size, write_batch_size):
    gpkg, connection, package_manifest = _open_package(package)
    try:
        _checkpoint("started")
        run = _Run(gpkg, connection, package_manifest, factory, feedback, retries, retry_delay_s, max(1, batch_size),
                   max(1, write_batch_size))
        run.run()
        report = run.report
    finally:
        connection.close()
    receipt_store.prune_after_sync(gpkg)
    report.pending = len(journal.pending_changes(gpkg))
    report.open_conflicts = len(conflict_store.open_conflicts(gpkg))
    for line in report.text().splitlines():
        LOG.info("%s", line)
    return report


def open_conflicts(package):
    """Every open conflict of the package (see conflicts.OpenConflict)."""
    return conflict_store.open_conflicts(package)


def resolve_conflict(package, table, key, choices):
    """Decide one open conflict per field (see conflicts.resolve_conflict)."""
    return conflict_store.resolve_conflict(package, table, key, choices)


def receipts(package, sync_id=None):
    """The receipts kept in the package: of one sync, or of all syncs (oldest first)."""
    return receipt_store.read(package_gpkg(package), sync_id)
