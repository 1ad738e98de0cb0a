"""The rows of a field package as the sync reads and writes them (sqlite3, inside its transactions).

A synced layer is a GeoPackage table with the journal's triggers on it. The sync reads the
inspector's rows by their stable key and writes the server's state into them inside
``journal.unjournaled`` (so it is not taken for an edit), and keeps the journal's base
(``hernetwin_base``) at the server state it last confirmed. Values are compared in the
normalised form of transports/base.py: the package's SQLite values normalised by the
manifest's field types.
"""

import contextlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from osgeo import ogr
from qgis.PyQt.QtCore import QLockFile

from ..i18n import tr
from . import journal
from .journal import BASE_TABLE, JOURNAL_TABLE, _ident
from .merge import geometries_equal
from .transports.base import normalise_value

# Vertices closer than this (metres) are the same: a server that stores or serves its
# geometries in another CRS (OGC API Features in EPSG:4326) rounds them slightly.
GEOMETRY_TOLERANCE_M = 0.01


class SyncError(ValueError):
    """The sync cannot start or go on; the message says why, for the user."""


@contextlib.contextmanager
def sync_lock(gpkg):
    """One sync (or conflict decision) per package at a time, across threads and processes.
    QLockFile takes over a lock whose process has died (a killed sync blocks nothing)."""
    lock = QLockFile(gpkg + ".sync-lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long a sync takes
    if not lock.tryLock(200):
        raise SyncError(tr("Another sync of {path} is running; try again when it has finished.").format(path=gpkg))
    try:
        yield
    finally:
        lock.unlock()


def package_gpkg(package):
    """The GeoPackage of a package given as its folder (``<name>/<name>.gpkg``) or as the file."""
    path = os.path.abspath(str(package))
    if os.path.isdir(path):
        named = os.path.join(path, os.path.basename(path.rstrip(os.sep)) + ".gpkg")
        if os.path.isfile(named):
            return named
        found = sorted(name for name in os.listdir(path) if name.lower().endswith(".gpkg"))
        if len(found) == 1:
            return os.path.join(path, found[0])
        raise SyncError(tr("The folder {path} holds no single field package (.gpkg).").format(path=path))
    if not os.path.isfile(path):
        raise SyncError(tr("The field package {path} does not exist.").format(path=path))
    return path


def gpkg_blob(wkb_hex, srs_id):
    """A GeoPackage geometry blob (little-endian, with an XY envelope) from WKB as hex."""
    if wkb_hex is None:
        return None
    wkb = bytes.fromhex(wkb_hex)
    geometry = ogr.CreateGeometryFromWkb(wkb)
    if geometry is None:
        raise SyncError(tr("A geometry from the server could not be read."))
    if geometry.IsEmpty():
        return b"GP\x00\x11" + struct.pack("<i", int(srs_id)) + wkb
    min_x, max_x, min_y, max_y = geometry.GetEnvelope()
    return b"GP\x00\x03" + struct.pack("<i4d", int(srs_id), min_x, max_x, min_y, max_y) + wkb


def same_geometry(first, second):
    if first is None or second is None:
        return first is None and second is None
    if first.upper() == second.upper():
        return True
    return geometries_equal(first, second, GEOMETRY_TOLERANCE_M)


@dataclass
class LocalRow:
    fid: int
    values: Dict[str, object]  # every attribute column, as SQLite holds it
    geometry: Optional[str]  # WKB hex


class LayerTable:
    """One synced layer's table in the package: its columns, rows by key, and its base."""

    def __init__(self, connection, table_name, key_column, field_types):
        self.table = table_name
        self.key_column = key_column
        self.field_types = dict(field_types)  # synced fields: name -> manifest type
        self.fid_column, self.geometry_column, attributes = journal._layer_columns(connection, table_name)
        self.columns = [name for name, _ in attributes]
        missing = [name for name in self.field_types if name not in self.columns]
        if missing or key_column not in self.columns:
            raise SyncError(
                tr("Layer {table} of the package has lost the columns {fields}: it cannot be synced.").format(
                    table=table_name, fields=", ".join(missing or [key_column])
                )
            )
        row = connection.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table_name,)
        ).fetchone()
        self.srs_id = row[0] if row else 0

    @staticmethod
    def ensure_key_index(connection, table_name, key_column):
        """The sync finds rows by key: an index (made by journal.install; here for older packages)."""
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table_name,)).fetchone():
            connection.execute(
                "CREATE INDEX IF NOT EXISTS {} ON {} ({})".format(
                    _ident(journal.key_index_name(table_name)), _ident(table_name), _ident(key_column)
                )
            )

    # --- normalised views -------------------------------------------------------------

    def normalised(self, values, fields=None):
        """Synced fields of ``values`` (a dict as the package or journal holds it), normalised."""
        names = self.field_types if fields is None else fields
        return {name: safe_normalise(values.get(name), self.field_types[name]) for name in names if name in values}

    # --- rows ---------------------------------------------------------------------------

    def _select(self):
        geometry = journal._wkb_hex_sql(_ident(self.geometry_column)) if self.geometry_column else "NULL"
        return "SELECT {fid}, {columns}, {geometry} AS geometry_hex FROM {table}".format(
            fid=_ident(self.fid_column), columns=", ".join(_ident(name) for name in self.columns),
            geometry=geometry, table=_ident(self.table),
        )

    def _row(self, record):
        return LocalRow(record[0], {name: record[index + 1] for index, name in enumerate(self.columns)}, record[-1])

    def row(self, connection, key) -> Optional[LocalRow]:
        record = connection.execute(
            self._select() + " WHERE {} = ?".format(_ident(self.key_column)), (key,)
        ).fetchone()
        return None if record is None else self._row(record)

    def write_row(self, connection, key, values, geometry):
        """Set the row of ``key`` (created where missing) to ``values`` (synced fields) and the
        geometry; returns the row's full values. The caller decides whether this is journaled."""
        current = self.row(connection, key)
        full = dict(current.values) if current else {name: None for name in self.columns}
        full.update({name: _sqlite_value(value) for name, value in values.items() if name in self.columns})
        full[self.key_column] = key
        if current is None:
            assignments = dict(full)
        else:  # only what changes: an unchanged geometry would still cost a spatial index update
            assignments = {name: value for name, value in full.items() if value != current.values.get(name)}
        if self.geometry_column and (current is None or not same_geometry(geometry, current.geometry)):
            assignments[self.geometry_column] = gpkg_blob(geometry, self.srs_id)
        if not assignments:
            return full
        if current is None:
            names = list(assignments)
            connection.execute(
                "INSERT INTO {} ({}) VALUES ({})".format(
                    _ident(self.table), ", ".join(_ident(name) for name in names), ", ".join("?" * len(names))
                ),
                [assignments[name] for name in names],
            )
        else:
            connection.execute(
                "UPDATE {} SET {} WHERE {} = ?".format(
                    _ident(self.table), ", ".join("{} = ?".format(_ident(name)) for name in assignments),
                    _ident(self.fid_column),
                ),
                [*assignments.values(), current.fid],
            )
        return full

    def delete_row(self, connection, key):
        connection.execute("DELETE FROM {} WHERE {} = ?".format(_ident(self.table), _ident(self.key_column)), (key,))

    # --- the journal's base ---------------------------------------------------------------

    def bases(self, connection) -> Dict[str, Tuple[dict, Optional[str]]]:
        return {
            str(row[0]): (json.loads(row[1]), row[2])
            for row in connection.execute(
                "SELECT feature_key, base_values, base_geometry FROM {} WHERE table_name = ?".format(BASE_TABLE),
                (self.table,),
            )
        }

    def write_base(self, connection, key, full_values, geometry):
        connection.execute(
            "INSERT OR REPLACE INTO {} (table_name, feature_key, base_values, base_geometry) "
            "VALUES (?, ?, ?, ?)".format(BASE_TABLE),
            (self.table, key, json.dumps(full_values), geometry.upper() if geometry else None),
        )

    def delete_base(self, connection, key):
        connection.execute(
            "DELETE FROM {} WHERE table_name = ? AND feature_key = ?".format(BASE_TABLE), (self.table, key)
        )

    def pending_keys(self, connection):
        return {
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT feature_key FROM {} WHERE pushed = 0 AND table_name = ?".format(JOURNAL_TABLE),
                (self.table,),
            )
        }

    def pending_seqs(self, connection, key):
        return [
            row[0]
            for row in connection.execute(
                "SELECT seq FROM {} WHERE pushed = 0 AND table_name = ? AND feature_key = ? ORDER BY seq".format(
                    JOURNAL_TABLE
                ),
                (self.table, key),
            )
        ]


def safe_normalise(value, field_type):
    """normalise_value, keeping a value that does not fit its type (text typed into a number
    field) as it is: the server then refuses it with its reason instead of the sync failing."""
    try:
        return normalise_value(value, field_type)
    except (TypeError, ValueError, OverflowError):
        return value


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    return value


def set_journal_state(connection, seqs, state):
    """Mark journal rows: 1 confirmed by the server, 2 superseded by a conflict decision."""
    seqs = list(seqs)
    for start in range(0, len(seqs), 500):
        chunk = seqs[start:start + 500]
        connection.execute(
            "UPDATE {} SET pushed = ? WHERE seq IN ({})".format(JOURNAL_TABLE, ", ".join("?" * len(chunk))),
            [state, *chunk],
        )
