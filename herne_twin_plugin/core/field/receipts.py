"""Sync receipts: what happened to each feature in each sync, kept in the package.

One row per feature and sync in ``hernetwin_receipts``, written in the same SQLite
transaction as the change it reports (a receipt never claims what the package does not
hold). Outcomes: ``applied`` (the server took the edit), ``merged`` (taken together with
other, non-overlapping server edits), ``conflict`` (kept open with both sides),
``rejected`` (the server refused it; its reason kept), ``error`` (not sent or not
confirmed; kept pending), ``already_applied`` (the server had it already, e.g. a retried
insert), ``pulled`` (a server change written into the package).
"""

import csv
import datetime
import uuid
from dataclasses import dataclass

from ..i18n import tr
from . import journal

RECEIPTS_TABLE = "hernetwin_receipts"

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
        known = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RECEIPTS_TABLE,)
        ).fetchone()
        if not known:
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
