"""The receipts of a field sync as a table: one row per feature (layer, feature, operation,
outcome, the server's message, time), filtered by outcome, exported as CSV.

The receipts come from core/field/sync.receipts(); this widget only shows them, and how many
older ones the package's clean-up removed (core/field/receipts.prune).
"""

import csv
import logging
from collections import Counter

from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.field.receipts import (
    ALREADY_APPLIED,
    APPLIED,
    CONFLICT,
    ERROR,
    MERGED,
    PULLED,
    REJECTED,
    outcome_label,
)
from ...core.i18n import tr

LOGGER = logging.getLogger(__name__)

# The outcomes in the order a user reads them: what went through first, what needs a person last.
OUTCOMES = (APPLIED, MERGED, ALREADY_APPLIED, PULLED, CONFLICT, REJECTED, ERROR)
OUTCOME_COLOURS = {
    APPLIED: "#d9f2d9",
    MERGED: "#d9ecf7",
    ALREADY_APPLIED: "#eeeeee",
    PULLED: "#eeeeee",
    CONFLICT: "#ffe0b3",
    REJECTED: "#f7c6c6",
    ERROR: "#f7c6c6",
}
COLUMNS = ("layer", "feature", "description", "operation", "outcome", "message", "at")
OUTCOME_ROLE = Qt.UserRole + 1


def operation_label(op):
    labels = {"insert": tr("new"), "update": tr("changed"), "delete": tr("deleted")}
    return labels.get(op, op or "")


def column_titles():
    return (tr("Layer"), tr("Feature"), tr("Description"), tr("Operation"), tr("Outcome"), tr("Server message"),
            tr("Time"))


def summary_text(counts):
    """'12 applied, 2 merged, 1 conflict' from {outcome: count}, outcomes with 0 left out."""
    parts = []
    for outcome in OUTCOMES:
        count = counts.get(outcome, 0)
        if not count:
            continue
        if outcome == APPLIED:
            parts.append(tr("{count} applied").format(count=count))
        elif outcome == MERGED:
            parts.append(tr("{count} merged").format(count=count))
        elif outcome == ALREADY_APPLIED:
            parts.append(tr("{count} already applied").format(count=count))
        elif outcome == PULLED:
            parts.append(tr("{count} taken from the server").format(count=count))
        elif outcome == CONFLICT:
            parts.append(tr("1 conflict") if count == 1 else tr("{count} conflicts").format(count=count))
        elif outcome == REJECTED:
            parts.append(tr("{count} rejected").format(count=count))
        else:
            parts.append(tr("1 error") if count == 1 else tr("{count} errors").format(count=count))
    return ", ".join(parts) if parts else tr("nothing to synchronise")


def _field(receipt, *names):
    for name in names:
        if hasattr(receipt, name):
            return getattr(receipt, name)
    return ""


class _OutcomeFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.outcome = ""

    def set_outcome(self, outcome):
        self.outcome = outcome or ""
        self.invalidateFilter()

    def filterAcceptsRow(self, row, parent):  # noqa: N802 (Qt API name)
        if not self.outcome:
            return True
        index = self.sourceModel().index(row, COLUMNS.index("outcome"), parent)
        return self.sourceModel().data(index, OUTCOME_ROLE) == self.outcome


class ReceiptsView(QWidget):
    """A table of receipts with an outcome filter and a CSV export."""

    def __init__(self, parent=None, layer_titles=None):
        super().__init__(parent)
        self.layer_titles = dict(layer_titles or {})
        self.receipts = []
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(column_titles()))
        self.proxy = _OutcomeFilter(self)
        self.proxy.setSourceModel(self.model)

        self.outcome_filter = QComboBox()
        self.outcome_filter.addItem(tr("All outcomes"), "")
        for outcome in OUTCOMES:
            self.outcome_filter.addItem(outcome_label(outcome), outcome)
        self.outcome_filter.currentIndexChanged.connect(
            lambda _index: self.proxy.set_outcome(self.outcome_filter.currentData()))
        self.export_button = QPushButton(tr("Export CSV …"))
        self.export_button.clicked.connect(self._ask_export)
        self.counts_label = QLabel()
        self.removed_label = QLabel()
        self.removed_label.setWordWrap(True)
        self.removed_label.setVisible(False)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("message"), QHeaderView.Stretch)
        header.setSortIndicator(-1, Qt.AscendingOrder)  # the order of the sync until a header is clicked
        self.proxy.sort(-1)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Show")))
        top.addWidget(self.outcome_filter)
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.export_button)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.table)
        column.addWidget(self.removed_label)
        self.setLayout(column)
        self.set_receipts([])

    def set_receipts(self, receipts, descriptions=None):
        """Show these receipts (Receipt objects of core/field/sync), replacing the rows;
        ``descriptions``: {(table, key): how a person names the feature}."""
        descriptions = descriptions or {}
        self.receipts = list(receipts)
        self.model.removeRows(0, self.model.rowCount())
        for receipt in self.receipts:
            table = _field(receipt, "table", "table_name")
            outcome = _field(receipt, "outcome")
            cells = (
                self.layer_titles.get(table, table),
                str(_field(receipt, "key", "feature_key")),
                descriptions.get((table, str(_field(receipt, "key", "feature_key"))), ""),
                operation_label(_field(receipt, "op")),
                outcome_label(outcome),
                _field(receipt, "message") or "",
                _field(receipt, "at") or "",
            )
            items = []
            for text in cells:
                item = QStandardItem(str(text))
                item.setToolTip(str(text))
                item.setBackground(QBrush(QColor(OUTCOME_COLOURS.get(outcome, "#ffffff"))))
                items.append(item)
            items[COLUMNS.index("outcome")].setData(outcome, OUTCOME_ROLE)
            self.model.appendRow(items)
        self.counts_label.setText(summary_text(self.counts()))
        self.export_button.setEnabled(bool(self.receipts))

    def set_removed(self, pruned, keep):
        """Say how many older receipts the package's clean-up removed (``pruned``: receipts.Pruned
        of all clean-ups); nothing shown where none was removed."""
        if not pruned.receipts:
            self.removed_label.clear()
            self.removed_label.setVisible(False)
            return
        text = tr("{count} older receipt(s) of {syncs} sync(s) removed: the package keeps the receipts of the "
                  "last {keep} syncs.").format(count=pruned.receipts, syncs=pruned.syncs, keep=keep)
        if pruned.protected:
            text += " " + tr("{count} older receipt(s) stay while their conflict is open or their edit is not "
                             "confirmed by the server.").format(count=pruned.protected)
        self.removed_label.setText(text)
        self.removed_label.setVisible(True)

    def counts(self):
        return Counter(_field(receipt, "outcome") for receipt in self.receipts)

    def visible_rows(self):
        """The rows as shown (filtered and sorted): tuples of the cell texts."""
        rows = []
        for row in range(self.proxy.rowCount()):
            rows.append(tuple(self.proxy.index(row, column).data() for column in range(len(COLUMNS))))
        return rows

    def set_outcome_filter(self, outcome):
        self.outcome_filter.setCurrentIndex(max(self.outcome_filter.findData(outcome or ""), 0))

    def export_csv(self, path):
        """Write the rows as shown (the filter applies) to ``path`` (UTF-8 with BOM, for spreadsheets)."""
        rows = self.visible_rows()
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(column_titles())
            writer.writerows(rows)
        LOGGER.info("%d sync receipts exported to %s", len(rows), path)
        return len(rows)

    def _ask_export(self):
        path, _filter = QFileDialog.getSaveFileName(self, tr("Export the receipts"), "", tr("CSV table (*.csv)"))
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            self.export_csv(path)
        except OSError as error:
            LOGGER.warning("receipts export to %s failed: %s", path, error)
            self.counts_label.setText(tr("The receipts could not be written: {reason}").format(reason=error))
