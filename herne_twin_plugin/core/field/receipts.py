"""Sync receipts: what happened to each feature in each sync, kept in the package.

One row per feature and sync in ``hernetwin_receipts``, written in the same SQLite
transaction as the change it reports (a receipt never claims what the package does not
hold). Outcomes: ``applied`` (the server took the edit), ``merged`` (taken together with
other, non-overlapping server edits), ``conflict`` (kept open with both sides),
``rejected`` (the server refused it; its reason kept), ``error`` (not sent or not
confirmed; kept pending), ``already_applied`` (the server had it already, e.g. a retried
insert), ``pulled`` (a server change written into the package).

Clean-up: ``prune()`` keeps the receipts of the last ``keep_syncs()`` syncs (setting
KEEP_SYNCS_KEY, default DEFAULT_KEEP_SYNCS) and removes older ones, except a receipt that
reports something unsettled: the conflict of a feature whose conflict is still open, the
conflict, error or rejection of a feature whose edit the server has not confirmed yet
(pending in the journal). Those stay whatever their age. Each clean-up is counted in
``hernetwin_receipts_pruned``, so the receipts view can say how many were removed.
"""

import csv
import datetime
import logging
import os
import uuid
from dataclasses import dataclass

from ..i18n import tr
from ..settings import PluginSettings
from . import journal

LOGGER = logging.getLogger(__name__)

RECEIPTS_TABLE = "hernetwin_receipts"
PRUNED_TABLE = "hernetwin_receipts_pruned"
KEEP_SYNCS_KEY = "field/receipts_keep_syncs"
DEFAULT_KEEP_SYNCS = 20

APPLIED, MERGED, CONFLICT, REJECTED = "applied", "merged", "conflict", "rejected"
ERROR, ALREADY_APPLIED, PULLED = "error", "already_applied", "pulled"
OUTCOMES = (APPLIED, MERGED, CONFLICT, REJECTED, ERROR, ALREADY_APPLIED, PULLED)


def outcome_label(outcome):
    """The outcome in words for the receipt list."""
    return {
        APPLIED: tr("applied"),
        MERGED: tr("merged"),
        CONFLICT: tr("conflict"),
        REJECTED: tr("rejected"),
        ERROR: tr("error"),
        ALREADY_APPLIED: tr("already applied"),
        PULLED: tr("from the server"),
    }.get(outcome, outcome)


@dataclass(frozen=True)
class Receipt:
    sync_id: str
    table: str
    key: str
    op: str  # insert / update / delete
    outcome: str
    message: str
    at: str  # ISO 8601 UTC


def new_sync_id():
    return "{}-{}".format(datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ"), uuid.uuid4().hex[:8])


def utc_now():
    return datetime.datetime.utcnow().isoformat(timespec="milliseconds") + "Z"


def create_table(connection):
    connection.execute(
        "CREATE TABLE IF NOT EXISTS {} (id INTEGER PRIMARY KEY AUTOINCREMENT, sync_id TEXT NOT NULL, "
        "table_name TEXT NOT NULL, feature_key TEXT NOT NULL, op TEXT NOT NULL, outcome TEXT NOT NULL, "
        "message TEXT NOT NULL, at TEXT NOT NULL)".format(RECEIPTS_TABLE)
    )
    connection.execute("CREATE INDEX IF NOT EXISTS hernetwin_receipts_sync ON {} (sync_id)".format(RECEIPTS_TABLE))


def add(connection, receipt):
    """Store a receipt, inside the caller's transaction."""
    connection.execute(
        "INSERT INTO {} (sync_id, table_name, feature_key, op, outcome, message, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)".format(RECEIPTS_TABLE),
        (receipt.sync_id, receipt.table, receipt.key, receipt.op, receipt.outcome, receipt.message, receipt.at),
    )


def read(gpkg_path, sync_id=None):
    """The receipts kept in the package (of one sync, or all), oldest first."""
    connection = journal.connect(gpkg_path)
    try:
        if not journal.has_table(connection, RECEIPTS_TABLE):
            return []
        sql = "SELECT sync_id, table_name, feature_key, op, outcome, message, at FROM {}".format(RECEIPTS_TABLE)
        rows = connection.execute(
            sql + (" WHERE sync_id = ? ORDER BY id" if sync_id else " ORDER BY id"), (sync_id,) if sync_id else ()
        ).fetchall()
    finally:
        connection.close()
    return [Receipt(*tuple(row)) for row in rows]


def last_sync_id(gpkg_path):
    """The id of the package's latest sync with receipts, or None."""
    receipts = read(gpkg_path)
    return receipts[-1].sync_id if receipts else None


def write_csv(receipts, path):
    """Write receipts as CSV (UTF-8, header in English column names, outcome also in words)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sync_id", "layer", "key", "operation", "outcome", "outcome_text", "message", "at"])
        for receipt in receipts:
            writer.writerow([
                receipt.sync_id, receipt.table, receipt.key, receipt.op, receipt.outcome,
                outcome_label(receipt.outcome), receipt.message, receipt.at,
            ])
    return path


# -- clean-up -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pruned:
    """What a clean-up did (or all clean-ups of a package did, see ``removed_so_far``)."""
    receipts: int = 0  # receipts removed
    syncs: int = 0  # syncs of which no receipt is left
    protected: int = 0  # old receipts kept for an open conflict or an unconfirmed edit


def keep_syncs(settings=None):
    """How many syncs' receipts a package keeps (the setting, DEFAULT_KEEP_SYNCS where unset or not
    a whole number of at least 1)."""
    raw = (settings or PluginSettings()).value(KEEP_SYNCS_KEY, DEFAULT_KEEP_SYNCS)
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return DEFAULT_KEEP_SYNCS
    return number if number >= 1 else DEFAULT_KEEP_SYNCS


def _check_keep(keep):
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise ValueError(tr("The receipts of at least the last sync are kept: {value} is not a number of syncs "
                            "of 1 or more.").format(value=keep))
    return keep


# Receipts that report something still unsettled: a conflict, an edit the server did not confirm.
_UNSETTLED = (CONFLICT, ERROR, REJECTED)


def _unsettled_features(connection):
    """({(table, key)} with a conflict still open, {(table, key)} with an edit not yet confirmed)."""
    from .conflicts import CONFLICTS_TABLE  # conflicts imports more of the package than receipts may

    open_conflicts, pending = set(), set()
    if journal.has_table(connection, CONFLICTS_TABLE):
        open_conflicts = {(str(row[0]), str(row[1])) for row in connection.execute(
            "SELECT table_name, feature_key FROM {}".format(CONFLICTS_TABLE))}
    if journal.has_table(connection, journal.JOURNAL_TABLE):
        pending = {(str(row[0]), str(row[1])) for row in connection.execute(
            "SELECT DISTINCT table_name, feature_key FROM {} WHERE pushed = 0".format(journal.JOURNAL_TABLE))}
    return open_conflicts, pending


def _needed(row, open_conflicts, pending):
    """Whether a receipt row (id, sync_id, table, key, outcome) still tells a person something
    unsettled: the conflict of a feature whose conflict is open, or the conflict, error or
    rejection of a feature whose edit is still pending."""
    feature = (str(row[2]), str(row[3]))
    if row[4] == CONFLICT and feature in open_conflicts:
        return True
    return row[4] in _UNSETTLED and feature in pending


def prune_in(connection, keep):
    """``prune`` inside the caller's write transaction on ``connection``; returns Pruned."""
    keep = _check_keep(keep)
    if not journal.has_table(connection, RECEIPTS_TABLE):
        return Pruned()
    newest_first = [row[0] for row in connection.execute(
        "SELECT sync_id FROM {} GROUP BY sync_id ORDER BY MAX(id) DESC".format(RECEIPTS_TABLE))]
    old = newest_first[keep:]
    if not old:
        return Pruned()
    open_conflicts, pending = _unsettled_features(connection)
    marks = ",".join("?" * len(old))
    rows = connection.execute(
        "SELECT id, sync_id, table_name, feature_key, outcome FROM {} WHERE sync_id IN ({})".format(
            RECEIPTS_TABLE, marks), old).fetchall()
    needed = [_needed(row, open_conflicts, pending) for row in rows]
    removed = [row[0] for row, keep_it in zip(rows, needed) if not keep_it]
    kept_syncs = {row[1] for row, keep_it in zip(rows, needed) if keep_it}
    for start in range(0, len(removed), 500):  # SQLite's limit of parameters per statement
        chunk = removed[start:start + 500]
        connection.execute("DELETE FROM {} WHERE id IN ({})".format(RECEIPTS_TABLE, ",".join("?" * len(chunk))),
                           chunk)
    result = Pruned(len(removed), len(set(old) - kept_syncs), len(rows) - len(removed))
    if result.receipts:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS {} (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
            "receipts INTEGER NOT NULL, syncs INTEGER NOT NULL, protected INTEGER NOT NULL, "
            "kept_syncs INTEGER NOT NULL)".format(PRUNED_TABLE))
        connection.execute("INSERT INTO {} (at, receipts, syncs, protected, kept_syncs) VALUES (?, ?, ?, ?, ?)".format(
            PRUNED_TABLE), (utc_now(), result.receipts, result.syncs, result.protected, keep))
    return result


def prune(gpkg_path, keep=None):
    """Remove the receipts of all but the last ``keep`` syncs (default: the setting, see
    ``keep_syncs``), never one of an open conflict or an unconfirmed edit (module docstring);
    one transaction. Returns Pruned."""
    keep = keep_syncs() if keep is None else _check_keep(keep)
    with journal.write_transaction(gpkg_path) as connection:
        return prune_in(connection, keep)


def prune_after_sync(gpkg_path):
    """``prune`` with the setting after a sync (from the dialog, the toolbox or qgis_process alike).
    A clean-up that fails costs nothing but space: it is logged; returns Pruned or None."""
    try:
        pruned = prune(gpkg_path)
    except Exception as error:  # noqa: BLE001 - the sync itself is done; its receipts stay
        LOGGER.warning("old receipts of %s not removed: %s", gpkg_path, error)
        return None
    if pruned.receipts:
        LOGGER.info("%d receipts of %d older syncs removed from %s (%d kept for open conflicts or unconfirmed "
                    "edits)", pruned.receipts, pruned.syncs, gpkg_path, pruned.protected)
    return pruned


def removed_so_far(gpkg_path):
    """Pruned: all receipts and syncs the package's clean-ups removed (protected: of the latest)."""
    if not os.path.isfile(str(gpkg_path)):
        return Pruned()
    connection = journal.connect(gpkg_path)
    try:
        if not journal.has_table(connection, PRUNED_TABLE):
            return Pruned()
        receipts, syncs = connection.execute(
            "SELECT COALESCE(SUM(receipts), 0), COALESCE(SUM(syncs), 0) FROM {}".format(PRUNED_TABLE)).fetchone()
        latest = connection.execute("SELECT protected FROM {} ORDER BY id DESC LIMIT 1".format(
            PRUNED_TABLE)).fetchone()
    finally:
        connection.close()
    return Pruned(int(receipts), int(syncs), int(latest[0]) if latest else 0)
