"""Processing algorithm ``hernetwin:syncfield``: sync a field package with the city's servers."""

import os

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
)

from ..core.field import receipts as receipt_store
from ..core.field import sync
from ..core.field.journal import FieldJournalError
from ..core.field.package_store import SyncError, package_gpkg
from ..core.i18n import tr

# Output name per receipt outcome (counts)
OUTCOME_OUTPUTS = (
    ("APPLIED", receipt_store.APPLIED), ("MERGED", receipt_store.MERGED), ("CONFLICTS", receipt_store.CONFLICT),
    ("REJECTED", receipt_store.REJECTED), ("ERRORS", receipt_store.ERROR),
    ("ALREADY_APPLIED", receipt_store.ALREADY_APPLIED), ("PULLED", receipt_store.PULLED),
)


def _outcome_title(name):
    return {
        "APPLIED": tr("Applied on the server"), "MERGED": tr("Merged with server edits"),
        "CONFLICTS": tr("Conflicts"), "REJECTED": tr("Rejected by the server"), "ERRORS": tr("Errors"),
        "ALREADY_APPLIED": tr("Already applied"), "PULLED": tr("Taken from the server"),
    }[name]


class SyncFieldAlgorithm(QgsProcessingAlgorithm):
    PACKAGE = "PACKAGE"
    DRY_RUN = "DRY_RUN"
    RECEIPTS = "RECEIPTS"
    REPORT = "REPORT"
    SYNC_ID = "SYNC_ID"
    PENDING = "PENDING"
    OPEN_CONFLICTS = "OPEN_CONFLICTS"

    def name(self):
        return "syncfield"

    def displayName(self):  # noqa: N802
        return tr("Synchronise field package")

    def group(self):
        return tr("Field inspections")

    def groupId(self):  # noqa: N802
        return "field"

    def shortHelpString(self):  # noqa: N802
        return tr(
            "Brings a field package (its .gpkg) and the city's servers together. The server's changes "
            "in the package's area are taken into the package; the inspector's edits are merged with them per "
            "field and sent (WFS-T or OGC API Features). An edit that overlaps a server edit becomes a conflict and "
            "is never overwritten: decide it in the conflict dialog and sync again. Every feature gets a receipt "
            "(applied, merged, conflict, rejected with the server's reason, error, already applied, taken from the "
            "server), kept in the package and written as CSV next to it. Dry run: says what a sync would do, "
            "without changing the package or the server. Cancel stops after the current batch of changes: what "
            "the server has not confirmed stays in the package and is sent next time."
        )

    def createInstance(self):  # noqa: N802
        return SyncFieldAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.PACKAGE, tr("Field package (.gpkg)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DRY_RUN, tr("Dry run (only say what a sync would do)"), defaultValue=False))
        for name, _ in OUTCOME_OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(name, _outcome_title(name)))
        self.addOutput(QgsProcessingOutputNumber(self.PENDING, tr("Edits still pending")))
        self.addOutput(QgsProcessingOutputNumber(self.OPEN_CONFLICTS, tr("Open conflicts")))
        self.addOutput(QgsProcessingOutputFile(self.RECEIPTS, tr("Receipts (CSV)")))
        self.addOutput(QgsProcessingOutputString(self.REPORT, tr("Report")))
        self.addOutput(QgsProcessingOutputString(self.SYNC_ID, tr("Sync id")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = self.parameterAsFile(parameters, self.PACKAGE, context)
        dry_run = self.parameterAsBoolean(parameters, self.DRY_RUN, context)
        try:
            gpkg = package_gpkg(path)
            if dry_run:
                feedback.pushInfo(tr("Dry run of {path}: nothing is changed.").format(path=gpkg))
                return self._dry_run(gpkg, feedback)
            feedback.pushInfo(tr("Synchronising {path}").format(path=gpkg))
            report = sync.run_sync(gpkg, feedback=feedback)
        except (SyncError, FieldJournalError) as error:
            raise QgsProcessingException(str(error)) from error
        csv_path = self._csv_path(gpkg, report.sync_id)
        receipt_store.write_csv(report.receipts, csv_path)
        for line in report.text().splitlines():
            feedback.pushInfo(line)
        for receipt in report.receipts:
            if receipt.outcome in (receipt_store.REJECTED, receipt_store.ERROR):
                feedback.reportError("{} {}: {}".format(receipt.table, receipt.key, receipt.message))
        if report.stopped:
            feedback.reportError(tr("The sync stopped early: {reason}").format(reason=report.stopped))
        counts = report.counts
        results = {name: counts.get(outcome, 0) for name, outcome in OUTCOME_OUTPUTS}
        results.update({
            self.RECEIPTS: csv_path, self.REPORT: report.text(), self.SYNC_ID: report.sync_id,
            self.PENDING: report.pending, self.OPEN_CONFLICTS: report.open_conflicts,
        })
        return results

    def _dry_run(self, gpkg, feedback):
        plan = sync.plan_sync(gpkg, feedback=feedback)
        csv_path = self._csv_path(gpkg, "dry_run")
        now = receipt_store.utc_now()
        planned = [receipt_store.Receipt("dry_run", action.table, action.key, action.op, action.outcome,
                                         action.message or ", ".join(action.fields), now)
                   for action in plan.actions]
        receipt_store.write_csv(planned, csv_path)
        for line in plan.text().splitlines():
            feedback.pushInfo(line)
        counts = plan.counts()
        results = {name: counts.get(outcome, 0) for name, outcome in OUTCOME_OUTPUTS}
        pending = sum(1 for action in plan.actions if action.change is not None)
        results.update({
            self.RECEIPTS: csv_path, self.REPORT: plan.text(), self.SYNC_ID: "",
            self.PENDING: pending, self.OPEN_CONFLICTS: counts.get(receipt_store.CONFLICT, 0),
        })
        return results

    @staticmethod
    def _csv_path(gpkg, suffix):
        base = os.path.splitext(gpkg)[0]
        return "{}_receipts_{}.csv".format(base, suffix)
