"""The change journal of a field package: SQLite triggers record every edit with its base.

``install(gpkg_path, table, key_column)`` snapshots the table's current rows into
``hernetwin_base`` (the values the inspector starts from) and creates AFTER INSERT /
UPDATE / DELETE triggers that append to ``hernetwin_journal``. The triggers live in the
GeoPackage, so they fire whoever edits the file (QGIS, OGR, QField, the sqlite3 module),
and a journal row is written in the same transaction as its edit: committed together,
rolled back together, never one without the other after a crash.

The triggers use plain SQLite only (json_object, randomblob, strftime), no GDAL or
SpatiaLite functions, so any SQLite 3.38+ client can edit the package.
"""

import contextlib
import json
import logging
import sqlite3
import struct
from dataclasses import dataclass, field
from typing import Optional, Tuple

from osgeo import ogr

from ..i18n import tr

LOG = logging.getLogger(__name__)

JOURNAL_TABLE = "hernetwin_journal"
BASE_TABLE = "hernetwin_base"
TABLES_TABLE = "hernetwin_journal_tables"
# While the sync writes the server's state into the package it holds a row here, inside its own
# transaction (so no other connection ever sees it, and a crash never leaves it behind): the
# triggers skip, and a change that came from the server is never taken for an inspector's edit.
GUARD_TABLE = "hernetwin_sync_guard"
_UNGUARDED = "NOT EXISTS (SELECT 1 FROM {})".format(GUARD_TABLE)

# A random version-4 UUID in plain SQL: the client UUID of an insert, so a retried push of
# the same insert can be recognised by the server and never creates a second feature.
_UUID_SQL = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
    " || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2)"
    " || '-' || hex(randomblob(6)))"
)
_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


class FieldJournalError(ValueError):
    """A layer cannot get a journal (or has none); the message says why, for the user."""


@dataclass(frozen=True)
class Change:
    """One feature's pending (not yet pushed) changes, collapsed into a single operation.

    ``op`` is 'insert', 'update' or 'delete'. ``base`` holds the values at packaging time
    (empty for an insert), ``values`` the final values (empty for a delete), ``changed``
    the fields whose final value differs from the base. Geometries are WKB as hex.
    """

    table_name: str
    feature_key: str
    op: str
    base: dict
    values: dict
    changed: Tuple[str, ...]
    base_geometry: Optional[str]
    geometry: Optional[str]
    geometry_changed: bool
    client_uuid: Optional[str]
    changed_at: str
    seqs: Tuple[int, ...] = field(default=())


def _ident(name):
    return '"' + name.replace('"', '""') + '"'


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


# Bytes of a GeoPackage geometry blob's envelope by its flags' bits 1-3 (none otherwise).
ENVELOPE_BYTES = {1: 32, 2: 48, 3: 48, 4: 64}


def gpkg_header_size(blob):
    """Bytes before the WKB in a GeoPackage geometry blob (8 + the envelope its flags name)."""
    return 8 + ENVELOPE_BYTES.get((blob[3] >> 1) & 0x07, 0)


def _wkb_hex_sql(expr):
    """SQL for the WKB (hex) inside a GeoPackage geometry blob: skip the header (``gpkg_header_size``
    in SQL)."""
    flags = (
        "((instr('0123456789ABCDEF', substr(hex(substr({e}, 4, 1)), 1, 1)) - 1) * 16"
        " + instr('0123456789ABCDEF', substr(hex(substr({e}, 4, 1)), 2, 1)) - 1)"
    ).format(e=expr)
    envelope = "(CASE (({f} >> 1) & 7) {whens} ELSE 0 END)".format(
        f=flags, whens=" ".join("WHEN {} THEN {}".format(code, size) for code, size in ENVELOPE_BYTES.items()))
    # The flags of the blobs the package copy, QGIS and GDAL write (little endian, no envelope or an
    # xy one) are matched as they are; only other flags are decoded (a hex round trip per row: a
    # third of the journal base of a city's buildings).
    return ("(CASE WHEN {e} IS NULL THEN NULL ELSE hex(substr({e}, CASE substr({e}, 4, 1) WHEN x'01' THEN 9 "
            "WHEN x'03' THEN 41 ELSE 9 + {env} END)) END)").format(e=expr, env=envelope)


def _gpkg_envelope(blob):
    """(min x, max x, min y, max y) of a GeoPackage geometry blob, None where empty."""
    if blob is None or len(blob) < 8 or blob[0:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:  # the empty-geometry flag
        return None
    order = "<" if flags & 1 else ">"
    if (flags >> 1) & 7:
        min_x, max_x, min_y, max_y = struct.unpack(order + "4d", blob[8:40])
        return min_x, max_x, min_y, max_y
    geometry = ogr.CreateGeometryFromWkb(bytes(blob[8:]))
    if geometry is None or geometry.IsEmpty():
        return None
    return geometry.GetEnvelope()


def _envelope_part(index):
    def function(blob):
        envelope = _gpkg_envelope(blob)
        return None if envelope is None else envelope[index]

    return function


def connect(gpkg_path):
    """An sqlite3 connection (autocommit; use BEGIN/COMMIT) to a GeoPackage that can edit its
    layers: it provides the ST_* functions the GeoPackage's spatial index triggers call."""
    connection = sqlite3.connect(str(gpkg_path), isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.create_function("ST_IsEmpty", 1, lambda blob: int(_gpkg_envelope(blob) is None), deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _envelope_part(index), deterministic=True)
    return connection


_connect = connect


def _layer_columns(connection, table):
    """(fid column, geometry column or None, attribute columns as [(name, declared type)])."""
    known = connection.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (table,)).fetchone()
    if known is None:
        raise FieldJournalError(tr("The package has no layer named {table}.").format(table=table))
    geometry = connection.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    geometry_column = geometry[0] if geometry else None
    fid_column = None
    attributes = []
    for row in connection.execute("PRAGMA table_info({})".format(_ident(table))):
        if row["pk"]:
            fid_column = row["name"]
        elif row["name"] != geometry_column:
            attributes.append((row["name"], (row["type"] or "").upper()))
    return fid_column, geometry_column, attributes


def _values_json_sql(prefix, attributes):
    """json_object over all attribute columns of OLD or NEW; blobs (JSON cannot hold them) as hex."""
    parts = []
    for name, declared in attributes:
        value = "{}.{}".format(prefix, _ident(name))
        if declared == "BLOB":
            value = "hex({})".format(value)
        parts.append("{}, {}".format(_literal(name), value))
    return "json_object({})".format(", ".join(parts))


def _changed_columns_sql(attributes, geometry_column):
    columns = [name for name, _ in attributes] + ([geometry_column] if geometry_column else [])
    selects = " UNION ALL ".join(
        "SELECT {lit} AS name WHERE OLD.{c} IS NOT NEW.{c}".format(lit=_literal(name), c=_ident(name))
        for name in columns
    )
    return "(SELECT json_group_array(name) FROM ({}))".format(selects), columns


def _check_stable_key(connection, table, key_column, attributes):
    if key_column not in [name for name, _ in attributes]:
        raise FieldJournalError(
            tr("Layer {table} has no column {column}: its changes could not be matched with the server.").format(
                table=table, column=key_column
            )
        )
    quoted = _ident(key_column)
    empty = connection.execute(
        "SELECT count(*) FROM {} WHERE {} IS NULL OR {} = ''".format(_ident(table), quoted, quoted)
    ).fetchone()[0]
    if empty:
        raise FieldJournalError(
            tr("{count} features of layer {table} have no {column}: they could not be matched with the server.").format(
                count=empty, table=table, column=key_column
            )
        )
    duplicates = connection.execute(
        "SELECT count(*) FROM (SELECT 1 FROM {} GROUP BY {} HAVING count(*) > 1)".format(_ident(table), quoted)
    ).fetchone()[0]
    if duplicates:
        raise FieldJournalError(
            tr("{count} values of {column} occur more than once in layer {table}: it is not a stable key.").format(
                count=duplicates, table=table, column=key_column
            )
        )


def _create_journal_tables(connection):
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (table_name TEXT PRIMARY KEY, key_column TEXT NOT NULL, "
        "geometry_column TEXT)".format(TABLES_TABLE)
    )
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (table_name TEXT NOT NULL, feature_key TEXT NOT NULL, "
        "base_values TEXT NOT NULL, base_geometry TEXT, PRIMARY KEY (table_name, feature_key))".format(BASE_TABLE)
    )
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, "
        "feature_key TEXT NOT NULL, op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')), "
        "changed_columns TEXT NOT NULL, base_values TEXT, new_values TEXT, base_geometry TEXT, "
        "new_geometry TEXT, geometry_changed INTEGER NOT NULL DEFAULT 0, client_uuid TEXT, "
        "changed_at TEXT NOT NULL, pushed INTEGER NOT NULL DEFAULT 0)".format(JOURNAL_TABLE)
    )
    connection.execute(
        "CREATE INDEX IF NOT EXISTS hernetwin_journal_pending ON {} (pushed, table_name, feature_key)".format(
            JOURNAL_TABLE
        )
    )
    connection.execute("CREATE TABLE IF NOT EXISTS {} (holder TEXT)".format(GUARD_TABLE))


@contextlib.contextmanager
def unjournaled(connection):
    """Inside the caller's transaction: edits in this block are not recorded (server state)."""
    connection.execute("INSERT INTO {} (holder) VALUES ('sync')".format(GUARD_TABLE))
    try:
        yield connection
    finally:
        connection.execute("DELETE FROM {}".format(GUARD_TABLE))


def key_index_name(table):
    return "hernetwin_key_{}".format(table)


def _trigger_names(table):
    return ["hernetwin_journal_{}_{}".format(op, table) for op in ("insert", "update", "delete")]


def _create_triggers(connection, table, fid_column, key_column, geometry_column, attributes):
    t, key, lit_table = _ident(table), _ident(key_column), _literal(table)
    insert_name, update_name, delete_name = (_ident(name) for name in _trigger_names(table))
    geometry_new = _wkb_hex_sql("NEW.{}".format(_ident(geometry_column))) if geometry_column else "NULL"
    all_columns = json.dumps([name for name, _ in attributes] + ([geometry_column] if geometry_column else []))
    base_values = "(SELECT base_values FROM {} WHERE table_name = {} AND feature_key = OLD.{})".format(
        BASE_TABLE, lit_table, key
    )
    base_geometry = "(SELECT base_geometry FROM {} WHERE table_name = {} AND feature_key = OLD.{})".format(
        BASE_TABLE, lit_table, key
    )
    # An inserted feature without a key gets its client UUID as key, so it stays matchable.
    connection.execute(
        "CREATE TRIGGER {name} AFTER INSERT ON {t} WHEN {unguarded} BEGIN "
        "INSERT INTO {journal} (table_name, feature_key, op, changed_columns, new_values, new_geometry, "
        "geometry_changed, client_uuid, changed_at) "
        "SELECT {lt}, coalesce(NEW.{key}, uuid), 'insert', {cols}, {values}, {geom}, {has_geom}, uuid, {now} "
        "FROM (SELECT {uuid_sql} AS uuid); "
        "UPDATE {t} SET {key} = (SELECT client_uuid FROM {journal} WHERE seq = last_insert_rowid()) "
        "WHERE {fid} = NEW.{fid} AND NEW.{key} IS NULL; "
        "END".format(
            name=insert_name, t=t, unguarded=_UNGUARDED, journal=JOURNAL_TABLE, lt=lit_table, key=key,
            cols=_literal(all_columns),
            values=_values_json_sql("NEW", attributes), geom=geometry_new,
            has_geom=1 if geometry_column else 0, uuid_sql=_UUID_SQL, now=_NOW_SQL, fid=_ident(fid_column),
        )
    )
    changed_sql, columns = _changed_columns_sql(attributes, geometry_column)
    any_change = " OR ".join("OLD.{c} IS NOT NEW.{c}".format(c=_ident(name)) for name in columns)
    geometry_changed = (
        "OLD.{g} IS NOT NEW.{g}".format(g=_ident(geometry_column)) if geometry_column else "0"
    )
    # A feature whose key was filled by the insert trigger above keeps its journal identity.
    connection.execute(
        "CREATE TRIGGER {name} AFTER UPDATE ON {t} WHEN ({any_change}) AND {unguarded} BEGIN "
        "INSERT INTO {journal} (table_name, feature_key, op, changed_columns, base_values, new_values, "
        "base_geometry, new_geometry, geometry_changed, changed_at) "
        "VALUES ({lt}, coalesce(OLD.{key}, NEW.{key}), 'update', {changed}, "
        "coalesce({base_values}, {old_values}), {new_values}, {base_geometry}, "
        "CASE WHEN {geometry_changed} THEN {geom} END, {geometry_changed}, {now}); "
        "END".format(
            name=update_name, t=t, any_change=any_change, unguarded=_UNGUARDED, journal=JOURNAL_TABLE,
            lt=lit_table, key=key,
            changed=changed_sql, base_values=base_values, old_values=_values_json_sql("OLD", attributes),
            new_values=_values_json_sql("NEW", attributes), base_geometry=base_geometry,
            geometry_changed=geometry_changed, geom=geometry_new, now=_NOW_SQL,
        )
    )
    connection.execute(
        "CREATE TRIGGER {name} AFTER DELETE ON {t} WHEN {unguarded} BEGIN "
        "INSERT INTO {journal} (table_name, feature_key, op, changed_columns, base_values, base_geometry, "
        "changed_at) VALUES ({lt}, OLD.{key}, 'delete', '[]', coalesce({base_values}, {old_values}), "
        "{base_geometry}, {now}); "
        "END".format(
            name=delete_name, t=t, unguarded=_UNGUARDED, journal=JOURNAL_TABLE, lt=lit_table, key=key,
            base_values=base_values,
            old_values=_values_json_sql("OLD", attributes), base_geometry=base_geometry, now=_NOW_SQL,
        )
    )


@contextlib.contextmanager
def write_transaction(gpkg_path):
    """A connection inside BEGIN IMMEDIATE: committed when the block ends, rolled back on
    any error (also KeyboardInterrupt), closed in every case."""
    connection = _connect(gpkg_path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


def install(gpkg_path, table, key_column, keys_checked=False):
    """Give layer ``table`` of the GeoPackage a change journal keyed by ``key_column``.

    Snapshots the current rows as the base and creates the triggers, in one transaction.
    Raises FieldJournalError where the layer does not exist, has no such column, where the
    key is empty or not unique (``keys_checked``: the caller has just checked that itself, as
    the field package does on its copy), or where the layer already has a journal.
    """
    with write_transaction(gpkg_path) as connection:
        fid_column, geometry_column, attributes = _layer_columns(connection, table)
        if not keys_checked or key_column not in [name for name, _ in attributes]:
            _check_stable_key(connection, table, key_column, attributes)
        _create_journal_tables(connection)
        if connection.execute("SELECT 1 FROM {} WHERE table_name = ?".format(TABLES_TABLE), (table,)).fetchone():
            raise FieldJournalError(tr("Layer {table} already has a change journal.").format(table=table))
        connection.execute(
            "INSERT INTO {} (table_name, key_column, geometry_column) VALUES (?, ?, ?)".format(TABLES_TABLE),
            (table, key_column, geometry_column),
        )
        geometry_sql = _wkb_hex_sql(_ident(geometry_column)) if geometry_column else "NULL"
        try:
            connection.execute(
                "INSERT INTO {} (table_name, feature_key, base_values, base_geometry) "
                "SELECT ?, {}, {}, {} FROM {}".format(
                    BASE_TABLE, _ident(key_column), _values_json_sql(_ident(table), attributes), geometry_sql,
                    _ident(table),
                ),
                (table,),
            )
        except sqlite3.IntegrityError:  # an empty or repeated key the caller's check let through: say which
            _check_stable_key(connection, table, key_column, attributes)
            raise
        _create_triggers(connection, table, fid_column, key_column, geometry_column, attributes)
        # The sync finds features by key: without an index every lookup would scan the layer.
        connection.execute(
            "CREATE INDEX IF NOT EXISTS {} ON {} ({})".format(
                _ident(key_index_name(table)), _ident(table), _ident(key_column)
            )
        )
    LOG.info("Change journal installed on %s (key %s) in %s", table, key_column, gpkg_path)


def ensure_sync_guard(connection):
    """Inside the caller's transaction: give journals installed before the sync guard existed
    triggers that respect it (otherwise the server's changes the sync applies would be
    journaled as edits). Returns the tables whose triggers were renewed."""
    if not has_table(connection, TABLES_TABLE):
        return []
    connection.execute("CREATE TABLE IF NOT EXISTS {} (holder TEXT)".format(GUARD_TABLE))
    renewed = []
    journaled = connection.execute("SELECT table_name, key_column FROM {}".format(TABLES_TABLE)).fetchall()
    for table, key_column in journaled:
        names = _trigger_names(table)
        sqls = [row[0] or "" for row in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)", names)]
        if len(sqls) == 3 and all(GUARD_TABLE in sql for sql in sqls):
            continue
        for name in names:
            connection.execute("DROP TRIGGER IF EXISTS {}".format(_ident(name)))
        fid_column, geometry_column, attributes = _layer_columns(connection, table)
        _create_triggers(connection, table, fid_column, key_column, geometry_column, attributes)
        renewed.append(table)
    return renewed


def uninstall(gpkg_path, table):
    """Remove the triggers and the base of ``table``; its journal rows are kept (nothing lost)."""
    with write_transaction(gpkg_path) as connection:
        if not has_table(connection, TABLES_TABLE) or not connection.execute(
            "SELECT 1 FROM {} WHERE table_name = ?".format(TABLES_TABLE), (table,)
        ).fetchone():
            raise FieldJournalError(tr("Layer {table} has no change journal.").format(table=table))
        for name in _trigger_names(table):
            connection.execute("DROP TRIGGER IF EXISTS {}".format(_ident(name)))
        connection.execute("DELETE FROM {} WHERE table_name = ?".format(BASE_TABLE), (table,))
        connection.execute("DELETE FROM {} WHERE table_name = ?".format(TABLES_TABLE), (table,))


def has_table(connection, name):
    """Whether the GeoPackage on ``connection`` has a table ``name``."""
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone() is not None


def _has_journal(connection):
    return has_table(connection, JOURNAL_TABLE)


def _collapse(rows, current_base):
    """One feature's journal rows (in seq order) as one Change, or None where they cancel out.

    ``current_base`` is the feature's row of the base table (its state at packaging time or at
    its last confirmed push), or None.
    """
    first, last = rows[0], rows[-1]
    existed_before = first["op"] != "insert"
    exists_after = last["op"] != "delete"
    base, base_geometry = {}, None
    if existed_before:
        source = current_base if current_base is not None else first
        base, base_geometry = json.loads(source["base_values"]), source["base_geometry"]
    values = json.loads(last["new_values"]) if exists_after else {}
    geometry = None
    geometry_changed = False
    for row in rows:
        if row["geometry_changed"]:
            geometry, geometry_changed = row["new_geometry"], True
    if exists_after and not geometry_changed:
        geometry = base_geometry
    if not existed_before and not exists_after:
        return None
    if existed_before and exists_after:
        op = "update"
        changed = tuple(name for name in values if values.get(name) != base.get(name))
        geometry_changed = geometry_changed and geometry != base_geometry
        if not changed and not geometry_changed:
            return None  # edited back to where the inspector started
    elif exists_after:
        op, changed = "insert", tuple(values)
    else:
        op, changed, geometry, geometry_changed = "delete", (), None, False
    client_uuid = next((row["client_uuid"] for row in rows if row["op"] == "insert"), None)
    return Change(
        table_name=first["table_name"], feature_key=last["feature_key"], op=op, base=base, values=values,
        changed=changed, base_geometry=base_geometry, geometry=geometry, geometry_changed=geometry_changed,
        client_uuid=client_uuid if op == "insert" else None, changed_at=last["changed_at"],
        seqs=tuple(row["seq"] for row in rows),
    )


def pending_changes(gpkg_path):
    """The changes not yet pushed, one Change per feature (in the order of their first edit)."""
    connection = _connect(gpkg_path)
    try:
        if not _has_journal(connection):
            return []
        rows = connection.execute(
            "SELECT * FROM {} WHERE pushed = 0 ORDER BY seq".format(JOURNAL_TABLE)
        ).fetchall()
        bases = {
            (row["table_name"], row["feature_key"]): row
            for row in connection.execute("SELECT * FROM {}".format(BASE_TABLE))
        }
    finally:
        connection.close()
    per_feature = {}
    for row in rows:
        per_feature.setdefault((row["table_name"], row["feature_key"]), []).append(row)
    changes = (_collapse(feature_rows, bases.get(key)) for key, feature_rows in per_feature.items())
    return [change for change in changes if change is not None]


def mark_pushed(gpkg_path, seqs):
    """Mark journal rows as confirmed by the server; their final state becomes the new base."""
    seqs = sorted(set(int(seq) for seq in seqs))
    if not seqs:
        return
    with write_transaction(gpkg_path) as connection:
        placeholders = ", ".join("?" for _ in seqs)
        rows = connection.execute(
            "SELECT * FROM {} WHERE seq IN ({}) ORDER BY seq".format(JOURNAL_TABLE, placeholders), seqs
        ).fetchall()
        if len(rows) != len(seqs):
            missing = sorted(set(seqs) - {row["seq"] for row in rows})
            raise FieldJournalError(
                tr("The change journal has no entries {numbers}.").format(numbers=", ".join(map(str, missing)))
            )
        for row in rows:
            if row["op"] == "delete":
                connection.execute(
                    "DELETE FROM {} WHERE table_name = ? AND feature_key = ?".format(BASE_TABLE),
                    (row["table_name"], row["feature_key"]),
                )
                continue
            previous = connection.execute(
                "SELECT base_geometry FROM {} WHERE table_name = ? AND feature_key = ?".format(BASE_TABLE),
                (row["table_name"], row["feature_key"]),
            ).fetchone()
            geometry = row["new_geometry"] if row["geometry_changed"] or previous is None else previous[0]
            connection.execute(
                "INSERT OR REPLACE INTO {} (table_name, feature_key, base_values, base_geometry) "
                "VALUES (?, ?, ?, ?)".format(BASE_TABLE),
                (row["table_name"], row["feature_key"], row["new_values"], geometry),
            )
        connection.execute(
            "UPDATE {} SET pushed = 1 WHERE seq IN ({})".format(JOURNAL_TABLE, placeholders), seqs
        )
