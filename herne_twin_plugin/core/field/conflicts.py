"""Open conflicts of a field package: kept with both sides until a person decides.

The sync stores each feature whose offline edit overlaps a server edit in
``hernetwin_conflicts`` with the base, the inspector's version (mine) and the server's
(theirs), geometries included, and leaves the edit pending. ``resolve_conflict`` writes the
decision into the package: the server's state becomes the base and the decision is journaled
as an edit against it, so the next sync pushes exactly the decision, and a server edit made
after the conflict was shown surfaces as a new conflict instead of being overwritten.
"""

import json
from dataclasses import dataclass
from typing import List, Optional

from ..i18n import tr
from . import journal
from . import manifest as manifest_module
from .merge import DELETE_VS_EDIT, FieldConflict, merge, resolve
from .package_store import (
    GEOMETRY_TOLERANCE_M,
    LayerTable,
    SyncError,
    package_gpkg,
    same_geometry,
    set_journal_state,
    sync_lock,
)

CONFLICTS_TABLE = "hernetwin_conflicts"
# The name under which a geometry conflict is listed and decided (never an attribute name).
GEOMETRY_FIELD = "@geometry"
SUPERSEDED = 2  # journal state of edits replaced by a conflict decision


@dataclass(frozen=True)
class OpenConflict:
    """``mine`` None: deleted in the package; ``theirs`` None: deleted on the server.
    Attribute dicts hold the synced fields (normalised); geometries are WKB hex."""

    table: str
    key: str
    conflicts: List[FieldConflict]
    base: dict
    mine: Optional[dict]
    theirs: Optional[dict]
    base_geometry: Optional[str]
    mine_geometry: Optional[str]
    theirs_geometry: Optional[str]
    server_version: str
    detected_at: str
    sync_id: str

    @property
    def kind(self):
        return DELETE_VS_EDIT if any(c.kind == DELETE_VS_EDIT for c in self.conflicts) else "edit_vs_edit"


def with_geometry(values, geometry):
    """The dict the merge sees: attributes plus the geometry under GEOMETRY_FIELD."""
    if values is None:
        return None
    merged = dict(values)
    merged[GEOMETRY_FIELD] = geometry
    return merged


def split_geometry(values):
    if values is None:
        return None, None
    attributes = dict(values)
    return attributes, attributes.pop(GEOMETRY_FIELD, None)


def merge_sides(base, mine, theirs):
    """merge() over dicts that carry their geometry under GEOMETRY_FIELD."""
    return merge(base, mine, theirs, geometry_fields=(GEOMETRY_FIELD,), tolerance=GEOMETRY_TOLERANCE_M)


def create_table(connection):
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (table_name TEXT NOT NULL, feature_key TEXT NOT NULL, conflicts TEXT NOT NULL, "
        "base TEXT, mine TEXT, theirs TEXT, server_version TEXT NOT NULL, detected_at TEXT NOT NULL, "
        "sync_id TEXT NOT NULL, PRIMARY KEY (table_name, feature_key))".format(CONFLICTS_TABLE)
    )


def store(connection, conflict):
    """Keep (or replace) a feature's open conflict, inside the caller's transaction."""
    connection.execute(
        "INSERT OR REPLACE INTO {} (table_name, feature_key, conflicts, base, mine, theirs, server_version, "
        "detected_at, sync_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)".format(CONFLICTS_TABLE),
        (
            conflict.table, conflict.key,
            json.dumps([[c.field, c.base, c.mine, c.theirs, c.kind] for c in conflict.conflicts]),
            json.dumps(with_geometry(conflict.base, conflict.base_geometry)),
            json.dumps(with_geometry(conflict.mine, conflict.mine_geometry)),
            json.dumps(with_geometry(conflict.theirs, conflict.theirs_geometry)),
            conflict.server_version or "", conflict.detected_at, conflict.sync_id,
        ),
    )


def remove(connection, table, key):
    connection.execute("DELETE FROM {} WHERE table_name = ? AND feature_key = ?".format(CONFLICTS_TABLE), (table, key))


def clear_layer(connection, table):
    connection.execute("DELETE FROM {} WHERE table_name = ?".format(CONFLICTS_TABLE), (table,))


def _from_row(row):
    base, base_geometry = split_geometry(json.loads(row["base"]))
    mine, mine_geometry = split_geometry(json.loads(row["mine"]))
    theirs, theirs_geometry = split_geometry(json.loads(row["theirs"]))
    return OpenConflict(
        table=row["table_name"], key=row["feature_key"],
        conflicts=[FieldConflict(*item) for item in json.loads(row["conflicts"])],
        base=base or {}, mine=mine, theirs=theirs, base_geometry=base_geometry, mine_geometry=mine_geometry,
        theirs_geometry=theirs_geometry, server_version=row["server_version"], detected_at=row["detected_at"],
        sync_id=row["sync_id"],
    )


def _read(connection, table=None, key=None):
    if not journal.has_table(connection, CONFLICTS_TABLE):
        return []
    sql, params = "SELECT * FROM {}".format(CONFLICTS_TABLE), ()
    if table is not None:
        sql, params = sql + " WHERE table_name = ? AND feature_key = ?", (table, key)
    return [_from_row(row) for row in connection.execute(sql + " ORDER BY table_name, feature_key", params)]


def open_conflicts(package):
    """Every open conflict of the package (folder or .gpkg), by layer and key."""
    connection = journal.connect(package_gpkg(package))
    try:
        return _read(connection)
    finally:
        connection.close()


def _check_still_mine(gpkg, store_table, conflict):
    """A decision is about the edit the conflict showed: refuse it where the inspector has
    edited the feature again since (the next sync shows the conflict with the newer edit)."""
    change = next((c for c in journal.pending_changes(gpkg)
                   if c.table_name == conflict.table and c.feature_key == conflict.key), None)
    if change is None or change.op == "delete":
        now, geometry = None, None
    else:
        now, geometry = store_table.normalised(change.values, conflict.mine or None), change.geometry
    stale = (now is None) != (conflict.mine is None)
    if not stale and now is not None:
        stale = now != {name: conflict.mine[name] for name in now} or not same_geometry(
            geometry, conflict.mine_geometry)
    if stale:
        raise SyncError(tr(
            "Feature {key} of layer {table} was edited again after the conflict was found: sync again to see the "
            "conflict with the latest edit.").format(key=conflict.key, table=conflict.table))


def resolve_conflict(package, table, key, choices):
    """Decide the open conflict of feature ``key`` in layer ``table``.

    ``choices`` as merge.resolve: per conflicting field (GEOMETRY_FIELD for the geometry,
    merge.WHOLE_FEATURE for delete-vs-edit) 'mine', 'theirs' or an EditedValue. Raises
    SyncError where there is no such conflict, MergeError where a choice is missing or wrong.
    Returns the decided feature (attributes with the geometry under GEOMETRY_FIELD; None: deleted).
    """
    gpkg = package_gpkg(package)
    with sync_lock(gpkg), journal.write_transaction(gpkg) as connection:
        found = _read(connection, table, key)
        if not found:
            raise SyncError(tr("Layer {table} has no open conflict for feature {key}.").format(table=table, key=key))
        conflict = found[0]
        package_manifest = manifest_module.read(connection)
        layer = package_manifest.layer(table) if package_manifest else None
        if layer is None:
            raise SyncError(tr("The package has no synced layer {table}.").format(table=table))
        result = merge_sides(
            with_geometry(conflict.base, conflict.base_geometry),
            with_geometry(conflict.mine, conflict.mine_geometry),
            with_geometry(conflict.theirs, conflict.theirs_geometry),
        )
        decided = resolve(result, choices)
        store_table = LayerTable(connection, table, layer.key_column, layer.fields)
        _check_still_mine(gpkg, store_table, conflict)
        # The edits the decision replaces; the server's state becomes the base, unjournaled ...
        set_journal_state(connection, store_table.pending_seqs(connection, key), SUPERSEDED)
        with journal.unjournaled(connection):
            if conflict.theirs is None:
                store_table.delete_row(connection, key)
                store_table.delete_base(connection, key)
            else:
                full = store_table.write_row(connection, key, conflict.theirs, conflict.theirs_geometry)
                store_table.write_base(connection, key, full, conflict.theirs_geometry)
        # ... and the decision is journaled as an edit against it: the next sync pushes exactly that.
        if decided is None:
            if conflict.theirs is not None:
                store_table.delete_row(connection, key)
        else:
            attributes, geometry = split_geometry(decided)
            store_table.write_row(connection, key, attributes, geometry)
        remove(connection, table, key)
    return decided
