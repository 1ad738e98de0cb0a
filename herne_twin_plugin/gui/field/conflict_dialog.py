"""The conflict dialog: every open conflict of a field package, decided per field.

Left the list of open conflicts (layer, feature). Right, for the chosen one, a table
field | base value | my change | server | decision (mine, the server's, or an edited value
in an editor fitting the field's type) and a map preview of the base, my and the server's
geometry in three colours over the package's basemap. "Apply" hands the decisions to
core/field/sync.resolve_conflict(); the next sync pushes them.

The dialog reads and writes only the package (no network), so it works offline.
"""

import logging
import os

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsRasterLayer,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from qgis.PyQt.QtGui import QColor, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.field.conflicts import GEOMETRY_FIELD
from ...core.field.inspection import INSPECTION_TABLE, condition_labels, status_labels
from ...core.field.manifest import PACKAGE_CRS, ROLE_BASEMAP
from ...core.field.merge import DELETE_VS_EDIT, MINE, THEIRS, WHOLE_FEATURE, EditedValue
from ...core.i18n import tr
from ..messages import tell
from .field_package import describe, layer_titles, package_gpkg, read_manifest

LOGGER = logging.getLogger(__name__)

# The three sides of a conflict on the map and in the legend.
BASE, SERVER = "base", "theirs"
SIDE_COLOURS = {BASE: "#6e6e6e", MINE: "#1f6fd1", SERVER: "#e2620b"}
CONTEXT_COLOUR = "#b8b8b8"
GEOMETRY_FIELDS = (GEOMETRY_FIELD, "geometry")  # the sync engine's name, merge()'s default
MIN_PREVIEW_SIZE_M = 30.0  # the preview shows at least this much around the feature (a street light and its kerb)


def side_labels():
    return {BASE: tr("Base value"), MINE: tr("My change"), SERVER: tr("Server")}


def _attr(obj, names, default=None):
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def conflict_table(conflict):
    return _attr(conflict, ("table", "table_name"), "")


def conflict_key(conflict):
    return str(_attr(conflict, ("key", "feature_key"), ""))


def conflict_fields(conflict):
    return list(_attr(conflict, ("conflicts",), []) or [])


def feature_description(conflict):
    """How a person names the conflict's feature (see field_package.describe), as the package has it."""
    values = {}
    for side in ("base", "theirs", "mine"):
        values.update({k: v for k, v in (_attr(conflict, (side,)) or {}).items() if v not in (None, "")})
    return describe(values)


def is_delete_vs_edit(conflict):
    return any(c.kind == DELETE_VS_EDIT or c.field == WHOLE_FEATURE for c in conflict_fields(conflict))


def delete_vs_edit_text(conflict):
    """In words: which side deleted the feature and which edited it."""
    mine = _attr(conflict, ("mine", "mine_values"))
    if mine is None:
        return tr("Deleted here, edited on the server")
    return tr("Deleted on the server, edited here")


def display_value(value):
    if value is None:
        return tr("(empty)")
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    return str(value)


def geometry_text(wkb_hex, base_wkb=None):
    """A geometry (WKB hex) in words for the table: the base as coordinates, a side against
    the base as how far it moved ("moved 4.2 m")."""
    if not wkb_hex:
        return tr("(none)")
    geometry = _geometry(wkb_hex)
    if geometry is None:
        return str(wkb_hex)[:24] + "…"
    base = _geometry(base_wkb) if base_wkb else None
    if base is not None:
        if geometry.isGeosEqual(base):
            return tr("unchanged")
        if QgsWkbTypes.geometryType(geometry.wkbType()) == QgsWkbTypes.PointGeometry:
            return tr("moved {distance} m").format(distance="{:.1f}".format(geometry.distance(base)))
        return tr("changed (up to {distance} m)").format(distance="{:.1f}".format(geometry.hausdorffDistance(base)))
    if QgsWkbTypes.geometryType(geometry.wkbType()) == QgsWkbTypes.PointGeometry and not geometry.isMultipart():
        point = geometry.asPoint()
        return "{:.1f}, {:.1f}".format(point.x(), point.y())
    text = geometry.asWkt(1)
    return text if len(text) <= 40 else text[:37] + "…"


def _geometry(wkb):
    if wkb is None or wkb == "":
        return None
    if isinstance(wkb, QgsGeometry):
        return wkb
    geometry = QgsGeometry()
    try:
        geometry.fromWkb(bytes.fromhex(wkb) if isinstance(wkb, str) else bytes(wkb))
    except ValueError:
        geometry = QgsGeometry.fromWkt(str(wkb))
    return None if geometry.isNull() else geometry


def _swatch(colour, size=14):
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return pixmap


# -- editors fitting the field type -------------------------------------------------------------

def value_choices(table, field):
    """[(value, label)] where a field takes one of a list (the inspection form's value maps), else None."""
    if table != INSPECTION_TABLE:
        return None
    if field == "condition":
        return condition_labels()
    if field == "status":
        return status_labels()
    return None


def make_editor(field_type, value, choices=None):
    """A widget to type a value of ``field_type`` (manifest types), set to ``value``; a list to
    choose from where ``choices`` [(value, label)] are given."""
    if choices:
        editor = QComboBox()
        for choice, label in choices:
            editor.addItem(label, choice)
        editor.setCurrentIndex(max(editor.findData(value), 0))
        editor.setProperty("field_type", "choice")
        return editor
    if field_type == "int":
        editor = QSpinBox()
        editor.setRange(-2147483647, 2147483647)
        if value is not None:
            editor.setValue(int(value))
    elif field_type == "real":
        editor = QDoubleSpinBox()
        editor.setRange(-1e12, 1e12)
        editor.setDecimals(3)
        if value is not None:
            editor.setValue(float(value))
    elif field_type == "date":
        editor = QDateEdit()
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        date = QDate.fromString(str(value or "")[:10], "yyyy-MM-dd")
        editor.setDate(date if date.isValid() else QDate.currentDate())
    elif field_type == "datetime":
        editor = QDateTimeEdit()
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        editor.setTimeSpec(Qt.UTC)
        moment = QDateTime.fromString(str(value or "").rstrip("Z")[:19], "yyyy-MM-ddTHH:mm:ss")
        moment.setTimeZone(QTimeZone.utc())
        editor.setDateTime(moment if moment.isValid() else QDateTime(QDate.currentDate(), QTime(0, 0), Qt.UTC))
    elif field_type == "bool":
        editor = QCheckBox()
        editor.setChecked(bool(value))
    else:
        editor = QLineEdit("" if value is None else str(value))
    editor.setProperty("field_type", field_type)
    return editor


def editor_value(editor):
    """The editor's value in the package's form (see transports/base.normalise_value)."""
    field_type = editor.property("field_type")
    if field_type == "choice":
        return editor.currentData()
    if field_type == "int":
        return editor.value()
    if field_type == "real":
        return editor.value()
    if field_type == "date":
        return editor.date().toString("yyyy-MM-dd")
    if field_type == "datetime":
        return editor.dateTime().toString("yyyy-MM-ddTHH:mm:ss") + "Z"
    if field_type == "bool":
        return editor.isChecked()
    return editor.text()


def _editor_changed_signal(editor):
    for name in ("valueChanged", "dateChanged", "dateTimeChanged", "toggled", "textEdited", "activated"):
        if hasattr(editor, name):
            return getattr(editor, name)
    return None


class FieldDecision(QWidget):
    """The decision for one conflicting field: mine, the server's, or an edited value."""

    def __init__(self, field_type=None, value=None, allow_edit=True, mine_text=None, theirs_text=None, parent=None,
                 choices=None):
        super().__init__(parent)
        self.mine = QRadioButton(mine_text or tr("Mine"))
        self.theirs = QRadioButton(theirs_text or tr("Server"))
        self.edited = QRadioButton(tr("Value:"))
        self.group = QButtonGroup(self)
        for button in (self.mine, self.theirs, self.edited):
            self.group.addButton(button)
        row = QHBoxLayout()
        row.setContentsMargins(2, 0, 2, 0)
        row.addWidget(self.mine)
        row.addWidget(self.theirs)
        self.editor = None
        if allow_edit:
            self.editor = make_editor(field_type, value, choices)
            self.editor.setMinimumWidth(130)
            row.addWidget(self.edited)
            row.addWidget(self.editor, 1)
            signal = _editor_changed_signal(self.editor)
            if signal is not None:  # typing a value chooses it
                signal.connect(lambda *_args: self.edited.setChecked(True))
        else:
            self.edited.hide()
        row.addStretch(0)
        self.setLayout(row)

    def choice(self):
        """'mine', 'theirs', EditedValue(...) or None while undecided."""
        if self.mine.isChecked():
            return MINE
        if self.theirs.isChecked():
            return THEIRS
        if self.edited.isChecked() and self.editor is not None:
            return EditedValue(editor_value(self.editor))
        return None


class ConflictDialog(QDialog):
    """Open conflicts of one field package, decided per field, written back to the package."""

    def __init__(self, package, parent=None, iface=None, sync_api=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Resolve sync conflicts"))
        self.setObjectName("HerneTwinConflictDialog")
        self.iface = iface
        self.gpkg = package_gpkg(package)
        self.package_dir = os.path.dirname(self.gpkg)
        self.manifest = read_manifest(self.gpkg)
        self.titles = layer_titles(self.manifest)
        if sync_api is None:
            from ...core.field import sync as sync_api
        self.sync = sync_api
        self.conflicts = []
        self.current = None
        self.decisions = {}  # field -> FieldDecision
        self.preview_layers = {}  # side -> QgsVectorLayer (kept alive while shown)
        self.context_layers = []
        self.resolved_count = 0
        self._build()
        self.reload()

    # -- widgets ----------------------------------------------------------------------------

    def _build(self):
        self.conflict_list = QTreeWidget()
        self.conflict_list.setHeaderLabels([tr("Layer"), tr("Feature"), tr("Description"), tr("Conflict")])
        self.conflict_list.setRootIsDecorated(False)
        self.conflict_list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.conflict_list.currentItemChanged.connect(lambda item, _previous: self._show_item(item))

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.kind_label = QLabel()
        self.kind_label.setWordWrap(True)
        self.kind_label.setStyleSheet("color: #a03c00; font-weight: bold;")
        self.table = QTableWidget(0, 5)
        labels = side_labels()
        self.table.setHorizontalHeaderLabels([tr("Field"), labels[BASE], labels[MINE], labels[SERVER], tr("Decision")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)  # the decision column fits its radios and editor
        header.setStretchLastSection(True)

        self.all_mine = QPushButton(tr("All: my change"))
        self.all_theirs = QPushButton(tr("All: server"))
        self.apply_button = QPushButton(tr("Apply"))
        self.apply_button.setDefault(True)
        self.all_mine.clicked.connect(lambda: self.choose_all(MINE))
        self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
        self.apply_button.clicked.connect(self.apply)
        decide = QHBoxLayout()
        decide.addWidget(self.all_mine)
        decide.addWidget(self.all_theirs)
        decide.addStretch(1)
        decide.addWidget(self.apply_button)

        self.canvas = QgsMapCanvas()
        self.canvas.setObjectName("HerneTwinConflictPreview")
        self.canvas.setDestinationCrs(QgsCoordinateReferenceSystem(PACKAGE_CRS))
        self.canvas.setCanvasColor(QColor("#ffffff"))
        self.canvas.setMinimumSize(280, 220)
        self.legend = {}
        legend = QHBoxLayout()
        for side in (BASE, MINE, SERVER):
            swatch = QLabel()
            swatch.setPixmap(_swatch(SIDE_COLOURS[side]))
            text = QLabel(side_labels()[side])
            legend.addWidget(swatch)
            legend.addWidget(text)
            self.legend[side] = (swatch, text)
        legend.addStretch(1)
        self.no_geometry = QLabel(tr("The geometry is the same on both sides."))
        map_column = QVBoxLayout()
        map_column.addWidget(self.canvas, 1)
        map_column.addLayout(legend)
        map_column.addWidget(self.no_geometry)
        map_box = QWidget()
        map_box.setLayout(map_column)

        detail_column = QVBoxLayout()
        detail_column.addWidget(self.heading)
        detail_column.addWidget(self.kind_label)
        detail_column.addWidget(self.table, 1)
        detail_column.addLayout(decide)
        self.detail = QWidget()
        self.detail.setLayout(detail_column)

        # the list on top, the fields over the full width, the map beneath
        self.conflict_list.setMaximumHeight(150)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(self.detail)
        splitter.addWidget(map_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([110, 260, 300])
        self.splitter = splitter

        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout()
        column.addWidget(splitter, 1)
        column.addWidget(self.status)
        column.addWidget(buttons)
        self.setLayout(column)
        self.resize(1100, 820)

    # -- content ----------------------------------------------------------------------------

    def reload(self):
        """Read the open conflicts from the package again and show the first."""
        self.conflicts = list(self.sync.open_conflicts(self.gpkg))
        self.conflict_list.clear()
        for conflict in self.conflicts:
            table = conflict_table(conflict)
            if is_delete_vs_edit(conflict):
                kind = delete_vs_edit_text(conflict)
            else:
                count = len(conflict_fields(conflict))
                kind = tr("1 field") if count == 1 else tr("{count} fields").format(count=count)
            item = QTreeWidgetItem([self.titles.get(table, table), conflict_key(conflict),
                                    feature_description(conflict), kind])
            self.conflict_list.addTopLevelItem(item)
        for column in range(4):
            self.conflict_list.resizeColumnToContents(column)
        if self.conflicts:
            self.conflict_list.setCurrentItem(self.conflict_list.topLevelItem(0))
            self.status.setText(tr("{count} open conflict(s). Decide each field and apply; the next sync pushes "
                                   "the decision.").format(count=len(self.conflicts)))
        else:
            self._show_conflict(None)
            self.status.setText(tr("No open conflicts."))
        return self.conflicts

    def _show_item(self, item):
        index = self.conflict_list.indexOfTopLevelItem(item) if item is not None else -1
        self._show_conflict(self.conflicts[index] if 0 <= index < len(self.conflicts) else None)

    def select(self, table, key):
        """Show the conflict of feature ``key`` in ``table``; False where it is not open."""
        for index, conflict in enumerate(self.conflicts):
            if conflict_table(conflict) == table and conflict_key(conflict) == str(key):
                self.conflict_list.setCurrentItem(self.conflict_list.topLevelItem(index))
                return True
        return False

    def _field_types(self, table):
        layer = self.manifest.layer(table) if self.manifest is not None else None
        return dict(layer.fields) if layer is not None else {}

    def _show_conflict(self, conflict):
        self.current = conflict
        self.decisions = {}
        self.table.setRowCount(0)
        self.detail.setEnabled(conflict is not None)
        if conflict is None:
            self.heading.setText(tr("No open conflicts."))
            self.kind_label.hide()
            self._show_preview(None)
            return
        table = conflict_table(conflict)
        description = feature_description(conflict)
        self.heading.setText(tr("<b>{layer}</b>, feature {key}").format(
            layer=self.titles.get(table, table), key=conflict_key(conflict))
            + (" ({})".format(description) if description else ""))
        if is_delete_vs_edit(conflict):
            self.kind_label.setText(delete_vs_edit_text(conflict))
            self.kind_label.show()
            self._fill_delete_vs_edit(conflict)
        else:
            self.kind_label.hide()
            self._fill_fields(conflict)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self._show_preview(conflict)

    def _set_row(self, row, name, base, mine, theirs, decision=None, geometry=False, labels=None):
        self.table.setItem(row, 0, QTableWidgetItem(name))
        for column, value, side in ((1, base, BASE), (2, mine, MINE), (3, theirs, SERVER)):
            if geometry:
                text = geometry_text(value, None if side == BASE else base)
                item = QTableWidgetItem(text)
                item.setToolTip(geometry_text(value))
            else:
                item = QTableWidgetItem((labels or {}).get(value) or display_value(value))
            item.setForeground(QColor(SIDE_COLOURS[side]))
            self.table.setItem(row, column, item)
        if decision is not None:
            self.table.setCellWidget(row, 4, decision)

    def _fill_fields(self, conflict):
        types = self._field_types(conflict_table(conflict))
        fields = conflict_fields(conflict)
        self.table.setRowCount(len(fields))
        for row, field_conflict in enumerate(fields):
            geometry = field_conflict.field in GEOMETRY_FIELDS and field_conflict.field not in types
            name = tr("Geometry") if geometry else field_conflict.field
            field_type = types.get(field_conflict.field) or _guess_type(field_conflict.mine, field_conflict.theirs)
            start = field_conflict.mine if field_conflict.mine is not None else field_conflict.theirs
            choices = value_choices(conflict_table(conflict), field_conflict.field)
            decision = FieldDecision(field_type, start, allow_edit=not geometry, choices=choices)
            self.decisions[field_conflict.field] = decision
            self._set_row(row, name, field_conflict.base, field_conflict.mine, field_conflict.theirs, decision,
                          geometry=geometry, labels=dict(choices or ()))

    def _fill_delete_vs_edit(self, conflict):
        whole = next(c for c in conflict_fields(conflict) if c.field == WHOLE_FEATURE or c.kind == DELETE_VS_EDIT)
        base = whole.base or _attr(conflict, ("base", "base_values")) or {}
        mine, theirs = whole.mine, whole.theirs
        deleted = tr("(deleted)")
        here_deleted = mine is None
        decision = FieldDecision(
            allow_edit=False,
            mine_text=tr("Delete") if here_deleted else tr("Keep my edit"),
            theirs_text=tr("Keep the server's feature") if here_deleted else tr("Delete"),
        )
        self.decisions[whole.field] = decision
        names = list(dict.fromkeys([*base, *(mine or {}), *(theirs or {})]))
        changed = [n for n in names if (mine or {}).get(n, base.get(n)) != base.get(n)
                   or (theirs or {}).get(n, base.get(n)) != base.get(n)]
        self.table.setRowCount(1 + len(changed))
        self.table.setItem(0, 0, QTableWidgetItem(tr("(whole feature)")))
        self.table.setItem(0, 1, QTableWidgetItem(""))
        for column, side_values, side in ((2, mine, MINE), (3, theirs, SERVER)):
            item = QTableWidgetItem(deleted if side_values is None else tr("edited"))
            item.setForeground(QColor(SIDE_COLOURS[side]))
            self.table.setItem(0, column, item)
        self.table.setCellWidget(0, 4, decision)
        for row, name in enumerate(changed, start=1):
            geometry = name in GEOMETRY_FIELDS
            self.table.setItem(row, 0, QTableWidgetItem(tr("Geometry") if geometry else name))
            values = (base.get(name), None if mine is None else mine.get(name, base.get(name)),
                      None if theirs is None else theirs.get(name, base.get(name)))
            for column, (value, side_values, side) in enumerate(
                    zip(values, (base, mine, theirs), (BASE, MINE, SERVER)), start=1):
                if side_values is None:
                    text = deleted
                elif geometry:
                    text = geometry_text(value, None if side == BASE else base.get(name))
                else:
                    text = display_value(value)
                item = QTableWidgetItem(text)
                item.setForeground(QColor(SIDE_COLOURS[side]))
                self.table.setItem(row, column, item)

    # -- map preview -----------------------------------------------------------------------

    def _geometries(self, conflict):
        return {
            BASE: _geometry(_attr(conflict, ("base_geometry",))),
            MINE: _geometry(_attr(conflict, ("mine_geometry",))),
            SERVER: _geometry(_attr(conflict, ("theirs_geometry", "server_geometry"))),
        }

    def _show_preview(self, conflict):
        # a running render job still reads the layers replaced here: let it end first (a
        # raster deleted under a running job crashed QGIS 3.22)
        self.canvas.waitWhileRendering()
        self.preview_layers = {}
        geometries = self._geometries(conflict) if conflict is not None else {}
        shown = {side: geometry for side, geometry in geometries.items() if geometry is not None}
        if not shown:
            self.canvas.setLayers([])
            self.canvas.refresh()
            return
        for side, geometry in shown.items():
            self.preview_layers[side] = side_layer(side, geometry)
        moved = len({geometry.asWkb().data() for geometry in shown.values()}) > 1
        self.no_geometry.setVisible(not moved)
        context = self._context_layers(conflict_table(conflict))
        # the server on top, then mine, then the base beneath, over the package's own layers
        order = [self.preview_layers[side] for side in (SERVER, MINE, BASE) if side in self.preview_layers]
        self.canvas.setLayers(order + context)
        self.canvas.setExtent(preview_extent(shown.values()))
        self.canvas.refresh()

    def _context_layers(self, table):
        """The feature's own layer (light grey) and the package's basemap, opened once."""
        if not self.context_layers:
            layers = []
            asset = QgsVectorLayer("{}|layername={}".format(self.gpkg, table), table, "ogr")
            if asset.isValid():
                asset.setRenderer(QgsSingleSymbolRenderer(_context_symbol(asset.geometryType())))
                layers.append(asset)
            layers.extend(self._basemaps())
            self.context_layers = layers
        return self.context_layers

    def _basemaps(self):
        layers = []
        for layer in (self.manifest.layers if self.manifest is not None else []):
            if layer.role != ROLE_BASEMAP:
                continue
            path = os.path.join(self.package_dir, layer.table_name)
            source = path if os.path.isfile(path) else "GPKG:{}:{}".format(self.gpkg, layer.table_name)
            raster = QgsRasterLayer(source, layer.title or layer.table_name, "gdal")
            if raster.isValid():
                layers.append(raster)
            else:
                LOGGER.info("basemap %s of %s could not be opened for the preview", layer.table_name, self.gpkg)
        return layers

    # -- deciding ----------------------------------------------------------------------------

    def choose_all(self, side):
        for decision in self.decisions.values():
            (decision.mine if side == MINE else decision.theirs).setChecked(True)

    def choices(self):
        """{field: 'mine' | 'theirs' | EditedValue} of the shown conflict; ValueError names the open fields."""
        choices, open_fields = {}, []
        for name, decision in self.decisions.items():
            choice = decision.choice()
            if choice is None:
                open_fields.append(tr("Geometry") if name in GEOMETRY_FIELDS else
                                   tr("(whole feature)") if name == WHOLE_FEATURE else name)
            else:
                choices[name] = choice
        if open_fields:
            raise ValueError(tr("Decide every field first; still open: {fields}.").format(
                fields=", ".join(open_fields)))
        return choices

    def apply(self):
        """Hand the shown conflict's decisions to the sync engine; the conflict leaves the list."""
        if self.current is None:
            return False
        try:
            choices = self.choices()
        except ValueError as error:
            self._message(str(error), Qgis.Warning)
            return False
        table, key = conflict_table(self.current), conflict_key(self.current)
        try:
            self.sync.resolve_conflict(self.gpkg, table, key, choices)
        except Exception as error:  # the engine's reason, shown as is; the conflict stays open
            LOGGER.exception("resolving the conflict of %s %s failed", table, key)
            self._message(tr("The decision could not be saved: {reason}").format(reason=error), Qgis.Critical)
            return False
        self.resolved_count += 1
        LOGGER.info("conflict of %s %s resolved: %s", table, key, choices)
        self.reload()
        self._message(tr("Decision saved for {layer} {key}; the next sync sends it to the server.").format(
            layer=self.titles.get(table, table), key=key), Qgis.Success)
        return True

    def _message(self, text, level):
        tell(self.iface, self.status, tr("Field sync"), text, level, seconds=6)

    def release_layers(self):
        """Stop the preview's rendering and let go of its layers (the dialog calls it when it closes)."""
        self.canvas.stopRendering()
        self.canvas.waitWhileRendering()
        self.canvas.setLayers([])
        self.preview_layers = {}
        self.context_layers = []

    def done(self, result):
        self.release_layers()
        super().done(result)

    def closeEvent(self, event):  # noqa: N802 (Qt API name): also when closed while hidden
        self.release_layers()
        super().closeEvent(event)


def _guess_type(*values):
    for value in values:
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int"
        if isinstance(value, float):
            return "real"
    return "str"


def side_symbol(side, geometry_type):
    """The symbol of one side of a conflict: the base grey and hollow beneath, mine blue, the server orange."""
    colour = SIDE_COLOURS[side]
    if geometry_type == QgsWkbTypes.PointGeometry:
        shape, size = {BASE: ("circle", "6.0"), MINE: ("square", "3.6"), SERVER: ("diamond", "3.6")}[side]
        fill = "0,0,0,0" if side == BASE else colour
        return QgsMarkerSymbol.createSimple({"name": shape, "size": size, "color": fill, "outline_color": colour,
                                             "outline_width": "0.6" if side == BASE else "0.2"})
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "1.4" if side == BASE else "0.8",
                                           "line_style": "dash" if side == BASE else "solid"})
    fill = QColor(colour)
    fill.setAlpha(0 if side == BASE else 60)
    return QgsFillSymbol.createSimple({
        "color": "{},{},{},{}".format(fill.red(), fill.green(), fill.blue(), fill.alpha()),
        "outline_color": colour, "outline_width": "0.8" if side == BASE else "0.5",
        "outline_style": "dash" if side == BASE else "solid"})


def _context_symbol(geometry_type):
    if geometry_type == QgsWkbTypes.PointGeometry:
        return QgsMarkerSymbol.createSimple({"name": "circle", "size": "1.6", "color": CONTEXT_COLOUR,
                                             "outline_style": "no"})
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsLineSymbol.createSimple({"line_color": CONTEXT_COLOUR, "line_width": "0.3"})
    return QgsFillSymbol.createSimple({"color": "235,235,235,255", "outline_color": CONTEXT_COLOUR,
                                       "outline_width": "0.2"})


def side_layer(side, geometry):
    """A memory layer holding one side's geometry, styled in the side's colour."""
    geometry_type = QgsWkbTypes.geometryType(geometry.wkbType())
    layer = QgsVectorLayer("{}?crs={}".format(QgsWkbTypes.displayString(geometry.wkbType()), PACKAGE_CRS),
                           side_labels()[side], "memory")
    feature = QgsFeature()
    feature.setGeometry(geometry)
    layer.dataProvider().addFeatures([feature])
    layer.updateExtents()
    layer.setRenderer(QgsSingleSymbolRenderer(side_symbol(side, geometry_type)))
    return layer


def preview_extent(geometries):
    extent = QgsRectangle()
    extent.setMinimal()
    for geometry in geometries:
        extent.combineExtentWith(geometry.boundingBox())
    centre = extent.center()
    half_width = max(extent.width() * 1.5, MIN_PREVIEW_SIZE_M / 2)
    half_height = max(extent.height() * 1.5, MIN_PREVIEW_SIZE_M / 2)
    return QgsRectangle(centre.x() - half_width, centre.y() - half_height,
                        centre.x() + half_width, centre.y() + half_height)
