"""The sync dialog "Synchronise field package": dry run, sync, receipts, way to the conflicts.

- The package: a .gpkg or its folder; by default the package the open project shows.
- "Dry run" asks core/field/sync.plan_sync() in a QgsTask what a sync would do per layer
  (pushes, pulls, conflicts) and writes nothing.
- "Synchronise" runs ``hernetwin:syncfield`` as a QgsProcessingAlgRunnerTask (progress,
  cancel), then shows the receipts of that sync and a summary in the message bar
  ("12 pushed, 2 merged, 1 conflict"), and reloads the package's layers in the project.
- With open conflicts, "Resolve conflicts" opens the conflict dialog.

Widgets are touched only on the UI thread: progress arrives through a slot of the dialog
(queued from the worker), results in the tasks' finished handlers.
"""

import logging

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeedback,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProject,
    QgsTask,
)
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import pyqtSlot
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.feedback import ErrorKeepingFeedback
from ...core.field import receipts as receipt_store
from ...core.field.receipts import CONFLICT, ERROR, REJECTED, Receipt
from ...core.i18n import tr
from ..messages import tell
from .field_package import (
    PackageChoiceError,
    feature_descriptions,
    layer_titles,
    package_gpkg,
    package_layers_in_project,
    project_package,
    read_manifest,
)
from .receipts_view import ReceiptsView, summary_text

LOGGER = logging.getLogger(__name__)

SYNC_ALGORITHM = "hernetwin:syncfield"
PLAN_COLUMNS = ("layer", "push", "pull", "conflicts", "notes")


def action_text():
    """The menu and toolbar entry that opens the dialog."""
    return tr("Synchronise field package…")


def action_tooltip():
    return tr("Dry run, sync and open conflicts of an offline field package")


def plan_column_titles():
    return (tr("Layer"), tr("To send"), tr("From the server"), tr("Conflicts"), tr("Notes"))


def _count(value):
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    return len(value)


def _first(obj, names, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def plan_rows(plan, titles=None):
    """[(layer title, pushes, pulls, conflicts, notes)] of a SyncPlan of core/field/sync."""
    titles = titles or {}
    rows = []
    for layer_plan in _first(plan, ("layers",), None) or []:
        table = _first(layer_plan, ("table", "table_name"), "")
        notes = _first(layer_plan, ("notes", "messages", "warnings", "problems"), None) or []
        if isinstance(notes, str):
            notes = [notes]
        rows.append((
            titles.get(table) or _first(layer_plan, ("title",), "") or table,
            _count(_first(layer_plan, ("pushes", "push", "to_push"), 0)),
            _count(_first(layer_plan, ("pulls", "pull", "to_pull"), 0)),
            _count(_first(layer_plan, ("conflicts",), 0)),
            "; ".join(str(note) for note in notes),
        ))
    return rows


def planned_receipts(plan):
    """The receipts a sync of ``plan`` would give, one per feature (sync id and time empty)."""
    return [Receipt("", action.table, action.key, action.op, action.outcome,
                    action.message or ", ".join(getattr(action, "fields", ()) or ()), "")
            for action in getattr(plan, "actions", [])]


class _PlanTask(QgsTask):
    """The dry run off the UI thread; the plan or the error afterwards."""

    def __init__(self, gpkg, sync_api):
        super().__init__(tr("Field sync: dry run"), QgsTask.CanCancel)
        self.gpkg = gpkg
        self.sync = sync_api
        self.feedback = QgsFeedback()
        self.plan = None
        self.error = None

    def run(self):
        try:
            self.plan = self.sync.plan_sync(self.gpkg, feedback=self.feedback)
        except Exception as error:  # shown to the user with the engine's reason
            LOGGER.exception("dry run of %s failed", self.gpkg)
            self.error = str(error) or error.__class__.__name__
            return False
        return not self.feedback.isCanceled()

    def cancel(self):
        self.feedback.cancel()
        super().cancel()


class SyncDialog(QDialog):
    def __init__(self, iface=None, parent=None, project=None, package=None, sync_api=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Synchronise field package"))
        self.setObjectName("HerneTwinSyncDialog")
        self.iface = iface
        self.project = project or QgsProject.instance()
        if sync_api is None:
            from ...core.field import sync as sync_api
        self.sync = sync_api
        self.task = None
        self.feedback = None
        self.plan = None
        self.results = None
        self.sync_receipts = []
        self.gpkg = None
        self.conflict_dialog = None
        self._build()
        self.package.setFilePath(package or project_package(self.project))
        self.package.fileChanged.connect(lambda _path: self.load_package_state())
        self.load_package_state()

    # -- widgets ----------------------------------------------------------------------------

    def _build(self):
        form = QFormLayout()
        self.package = QgsFileWidget()
        self.package.setStorageMode(QgsFileWidget.GetFile)
        self.package.setFilter(tr("Field packages (*.gpkg)"))
        self.package.setToolTip(tr("The package's .gpkg file or its folder"))
        form.addRow(tr("Field package"), self.package)

        self.dry_run_button = QPushButton(tr("Dry run"))
        self.dry_run_button.setToolTip(tr("Show what a sync would do, without changing anything"))
        self.sync_button = QPushButton(tr("Synchronise"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel)
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run_button)
        run_row.addWidget(self.sync_button)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.plan_table = QTableWidget(0, len(PLAN_COLUMNS))
        self.plan_table.setHorizontalHeaderLabels(list(plan_column_titles()))
        self.plan_table.verticalHeader().setVisible(False)
        self.plan_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.plan_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(PLAN_COLUMNS.index("notes"), QHeaderView.Stretch)
        self.plan_table.setMaximumHeight(130)
        self.planned = ReceiptsView()  # per feature what the sync would do, as the receipts would say
        self.plan_box = QWidget()
        plan_column = QVBoxLayout()
        plan_column.addWidget(self.plan_table)
        plan_column.addWidget(self.planned, 1)
        self.plan_box.setLayout(plan_column)

        self.receipts = ReceiptsView()
        self.receipts_box = QWidget()
        receipts_column = QVBoxLayout()
        receipts_column.addWidget(self.receipts)
        self.receipts_box.setLayout(receipts_column)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.plan_box, tr("Dry run: what a sync would do"))
        self.tabs.addTab(self.receipts_box, tr("Receipts of the last sync"))
        self.tabs.setTabEnabled(0, False)  # until a dry run was made
        self.tabs.setCurrentIndex(1)

        self.conflicts_button = QPushButton(tr("Resolve conflicts …"))
        self.conflicts_button.setEnabled(False)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.conflicts_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)

        column = QVBoxLayout()
        column.addLayout(form)
        column.addLayout(run_row)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addWidget(self.tabs, 1)
        column.addWidget(buttons)
        self.setLayout(column)
        self.resize(900, 640)

    # -- package ------------------------------------------------------------------------------

    def chosen_package(self):
        """The chosen package's .gpkg; shows why and returns None where it is not usable."""
        try:
            gpkg = package_gpkg(self.package.filePath())
        except PackageChoiceError as error:
            self._message(str(error), Qgis.Warning)
            return None
        if gpkg != self.gpkg:
            self.gpkg = gpkg
            self.receipts.layer_titles = layer_titles(read_manifest(gpkg))
        return gpkg

    def load_package_state(self):
        """Show the chosen package's last receipts and open conflicts (quietly: no message
        where the path is no package yet)."""
        if self.task is not None:
            return False
        try:
            gpkg = package_gpkg(self.package.filePath())
        except PackageChoiceError:
            self.gpkg = None
            self.receipts.set_receipts([])
            self.refresh_conflicts()
            return False
        self.gpkg = gpkg
        self.receipts.layer_titles = layer_titles(read_manifest(gpkg))
        self.show_receipts()
        self.refresh_conflicts()
        return True

    def showEvent(self, event):  # noqa: N802 (Qt API name): opened again, maybe on another project
        if not self.package.filePath():
            self.package.setFilePath(project_package(self.project))
        if self.task is None:
            self.load_package_state()
        super().showEvent(event)

    def _unsaved_layers(self, gpkg):
        return [layer.name() for layer in package_layers_in_project(self.project, gpkg)
                if layer.isEditable() and layer.isModified()]

    def refresh_conflicts(self):
        """Enable the conflicts button where the package has open conflicts; their number."""
        count = len(self.sync.open_conflicts(self.gpkg)) if self.gpkg else 0
        self.conflicts_button.setEnabled(count > 0)
        self.conflicts_button.setText(
            tr("Resolve conflicts ({count}) …").format(count=count) if count else tr("Resolve conflicts …"))
        return count

    # -- dry run ---------------------------------------------------------------------------

    def start_dry_run(self):
        if self.task is not None:
            return False
        gpkg = self.chosen_package()
        if gpkg is None:
            return False
        self.plan = None
        self.task = _PlanTask(gpkg, self.sync)
        self.feedback = self.task.feedback
        self.feedback.progressChanged.connect(self._progress)
        self.task.taskCompleted.connect(self._dry_run_finished)
        self.task.taskTerminated.connect(self._dry_run_finished)
        self._running(True)
        self.status.setText(tr("Dry run: asking the servers what changed …"))
        LOGGER.info("field sync dry run started: %s", gpkg)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def _dry_run_finished(self):
        task, self.task = self.task, None
        self._running(False)
        if task is None:
            return
        if task.feedback.isCanceled():
            self._message(tr("The dry run was cancelled."), Qgis.Info)
            return
        if task.error is not None or task.plan is None:
            self._message(tr("The dry run failed: {reason}").format(reason=task.error or tr("unknown error")),
                          Qgis.Critical)
            return
        self.plan = task.plan
        self.show_plan(task.plan)
        self.progress.setValue(100)
        rows = plan_rows(task.plan)
        self._message(tr("Dry run: {push} to send, {pull} from the server, {conflicts} conflict(s); nothing was "
                         "changed.").format(push=sum(r[1] for r in rows), pull=sum(r[2] for r in rows),
                                            conflicts=sum(r[3] for r in rows)), Qgis.Info)

    def show_plan(self, plan):
        rows = plan_rows(plan, self.receipts.layer_titles)
        self.plan_table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.plan_table.setItem(row, column, QTableWidgetItem(str(value)))
        self.planned.layer_titles = self.receipts.layer_titles
        self.planned.set_receipts(planned_receipts(plan), feature_descriptions(
            self.gpkg, [(action.table, action.key) for action in getattr(plan, "actions", [])]))
        self.tabs.setTabEnabled(0, True)
        self.tabs.setCurrentIndex(0)

    # -- sync -------------------------------------------------------------------------------

    def start_sync(self):
        if self.task is not None:
            return False
        gpkg = self.chosen_package()
        if gpkg is None:
            return False
        unsaved = self._unsaved_layers(gpkg)
        if unsaved:
            self._message(tr("Save or discard the edits in {layers} first: edits not saved are not in the package "
                             "yet.").format(layers=", ".join(unsaved)), Qgis.Warning)
            return False
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(SYNC_ALGORITHM)
        if algorithm is None:
            self._message(tr("The algorithm {id} is not available: is the plugin's Processing provider loaded?")
                          .format(id=SYNC_ALGORITHM), Qgis.Critical)
            return False
        self.context = QgsProcessingContext()
        self.context.setProject(self.project)
        self.feedback = ErrorKeepingFeedback()
        self.feedback.progressChanged.connect(self._progress)
        self.results = None
        self.task = QgsProcessingAlgRunnerTask(
            algorithm, {"PACKAGE": gpkg, "DRY_RUN": False}, self.context, self.feedback)
        self.task.executed.connect(self._sync_finished)
        self._running(True)
        self.status.setText(tr("Synchronising {path} …").format(path=gpkg))
        LOGGER.info("field sync started: %s", gpkg)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def _sync_finished(self, ok, results):
        canceled = self.feedback is not None and self.feedback.isCanceled()
        errors = list(getattr(self.feedback, "errors", []))
        self.task = None
        self._running(False)
        self._reload_package_layers()
        self.results = results if ok else None
        sync_id = (results or {}).get("SYNC_ID") if ok else None
        self.show_receipts(sync_id)
        self.tabs.setCurrentIndex(1)
        self.refresh_conflicts()
        if canceled:
            self._message(tr("The sync was cancelled; what was not confirmed by the server stays in the package "
                             "and is sent next time."), Qgis.Info)
        elif not ok:
            reason = errors[-1] if errors else tr("unknown error")
            self._message(tr("The sync failed: {reason}. Nothing is lost: unconfirmed edits stay in the package.")
                          .format(reason=reason), Qgis.Critical)
        else:
            self.progress.setValue(100)
            counts = self.receipts.counts()
            pending = int(results.get("PENDING") or 0)
            text = summary_text(counts)
            if pending:
                text = tr("{summary}; {count} edit(s) kept in the package for the next sync").format(
                    summary=text, count=pending)
            level = Qgis.Success
            if counts.get(CONFLICT) or counts.get(REJECTED) or counts.get(ERROR) or pending or errors:
                level = Qgis.Warning
            if errors and not (counts.get(REJECTED) or counts.get(ERROR)):
                text = "{} ({})".format(text, errors[-1])  # why the sync stopped early: the server's answer
            self._message(text, level)
            if results.get("REPORT"):
                self.status.setText(results["REPORT"])

    def show_receipts(self, sync_id=None):
        """The receipts of sync ``sync_id`` (None: the package's latest sync)."""
        if not self.gpkg:
            return []
        everything = list(self.sync.receipts(self.gpkg, sync_id) if sync_id else self.sync.receipts(self.gpkg))
        if not sync_id and everything:
            latest = max(everything, key=lambda receipt: receipt.at or "").sync_id
            everything = [receipt for receipt in everything if receipt.sync_id == latest]
        self.sync_receipts = everything
        self.receipts.set_receipts(everything, feature_descriptions(
            self.gpkg, [(receipt.table, receipt.key) for receipt in everything]))
        self.receipts.set_removed(receipt_store.removed_so_far(self.gpkg), receipt_store.keep_syncs())
        return everything

    def _reload_package_layers(self):
        """The sync changed the GeoPackage under QGIS: show the new state."""
        if not self.gpkg:
            return
        for layer in package_layers_in_project(self.project, self.gpkg):
            layer.dataProvider().reloadData()
            layer.triggerRepaint()

    # -- common ------------------------------------------------------------------------------

    @pyqtSlot(float)
    def _progress(self, value):
        self.progress.setValue(int(value))

    def cancel(self):
        if self.task is not None:
            if self.feedback is not None:
                self.feedback.cancel()
            self.status.setText(tr("Cancelling …"))

    def _running(self, running):
        self.dry_run_button.setEnabled(not running)
        self.sync_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.package.setEnabled(not running)
        self.progress.setValue(0)

    def open_conflicts(self):
        from .conflict_dialog import ConflictDialog

        if not self.gpkg:
            return None
        self.conflict_dialog = ConflictDialog(self.gpkg, self, iface=self.iface, sync_api=self.sync)
        self.conflict_dialog.finished.connect(lambda _result: self.refresh_conflicts())
        self.conflict_dialog.show()
        return self.conflict_dialog

    def _message(self, text, level):
        tell(self.iface, self.status, tr("Field sync"), text, level)

    def close_connections(self, timeout_ms=30000):
        """Cancel a running dry run or sync and wait for it to stop, without touching the dialog
        afterwards (the plugin calls it on unload, before the dialog is deleted)."""
        task, self.task = self.task, None
        if task is None:
            return True
        if self.feedback is not None:
            self.feedback.cancel()
        for signal, slot in ((getattr(task, "executed", None), self._sync_finished),
                             (getattr(task, "taskCompleted", None), self._dry_run_finished),
                             (getattr(task, "taskTerminated", None), self._dry_run_finished)):
            try:
                signal.disconnect(slot)
            except (TypeError, AttributeError):
                pass
        return task.waitForFinished(timeout_ms)

    def closeEvent(self, event):  # noqa: N802 (Qt API name)
        self.cancel()
        super().closeEvent(event)
