"""The Service Catalog dock: the city's services as a tree (group -> service -> layers)
with buttons to test a connection, add layers to the map and manage own services.

The dock holds no domain logic: it shows what core.catalog knows, starts asynchronous
ConnectionChecks and calls add_service_layers(). ``close_connections()`` (called by
the plugin on unload) disconnects everything the dock connected outside itself and
cancels running checks.
"""

import logging

from qgis.core import Qgis, QgsApplication
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import ConnectionCheck, LayerLoadError, ServiceType, ServiceValidationError, add_service_layers
from ..core.i18n import tr
from ..core.services.layer_factory import layers_to_add
from ..core.services.service_types import type_label
from .service_dialog import ServiceDialog

LOGGER = logging.getLogger(__name__)

SERVICE_ROLE = Qt.UserRole  # service id on service and layer items
LAYER_ROLE = Qt.UserRole + 1  # layer name on layer items

_TYPE_ICONS = {
    ServiceType.WMS: "/mIconWms.svg",
    ServiceType.WFS: "/mIconWfs.svg",
    ServiceType.OAPIF: "/mIconWfs.svg",
    ServiceType.DOWNLOAD: "/mActionFileOpen.svg",
    ServiceType.PORTAL: "/mActionHelpContents.svg",
}


def _icon(name):
    return QgsApplication.getThemeIcon(name)


class CatalogDock(QgsDockWidget):
    def __init__(self, iface, catalog, parent=None):
        super().__init__(tr("Service Catalog"), parent)
        self.iface = iface
        self.catalog = catalog
        self._checks = {}  # service id -> running ConnectionCheck
        self._results = {}  # service id -> last ConnectionResult
        self._add_when_read = set()  # service ids whose layers are added once the check is done
        self._entries = {}  # service id -> ServiceEntry, as shown in the tree

        self.toolbar = QToolBar()
        self.add_service_action = self._action("/symbologyAdd.svg", tr("Add a service…"), self.add_service)
        self.edit_service_action = self._action("/symbologyEdit.svg", tr("Edit the service…"), self.edit_service)
        self.remove_service_action = self._action("/symbologyRemove.svg", tr("Remove the service"),
                                                  self.remove_service)
        self.toolbar.addSeparator()
        self.test_action = self._action("/mIconConnect.svg", tr("Test the connection"), self.test_selected)
        self.add_layers_action = self._action("/mActionAddLayer.svg", tr("Add the layers to the map"),
                                              self.add_selected_layers)
        self.open_action = self._action("/mActionHelpContents.svg", tr("Open in the browser"), self.open_selected)
        self.toolbar.addSeparator()
        self.reload_action = self._action("/mActionRefresh.svg", tr("Reload the catalog"), self.populate)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([tr("Service"), tr("Status")])
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        # Names get the room; the status column is as wide as its longest word.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._update_actions)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tree)
        layout.addWidget(self.status_label)
        self.setWidget(body)

        self.catalog.changed.connect(self.populate)
        self.populate()

    def _action(self, icon, text, slot):
        action = QAction(_icon(icon), text, self)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def button_for(self, action):
        """The tool button showing ``action`` (for clicking it in tests)."""
        return self.toolbar.widgetForAction(action)

    # -- the tree ------------------------------------------------------------------------
    def populate(self):
        """Rebuild the tree from the catalog, keeping selection and expanded services."""
        selected = {(item.data(0, SERVICE_ROLE), item.data(0, LAYER_ROLE)) for item in self.tree.selectedItems()}
        expanded = {item.data(0, SERVICE_ROLE) for item in self._service_items() if item.isExpanded()}
        self.tree.clear()
        self._entries = {}
        bold = QFont()
        bold.setBold(True)
        for _group, label, entries in self.catalog.groups():
            group_item = QTreeWidgetItem(self.tree, [label, ""])
            group_item.setFont(0, bold)
            group_item.setFlags(Qt.ItemIsEnabled)
            group_item.setExpanded(True)
            for service in entries:
                self._entries[service.service_id] = service
                item = QTreeWidgetItem(group_item, [service.name, ""])
                item.setData(0, SERVICE_ROLE, service.service_id)
                item.setIcon(0, _icon(_TYPE_ICONS.get(service.service_type, "/mIconConnect.svg")))
                item.setToolTip(0, "{}\n{}".format(type_label(service.service_type), service.display_url))
                self._show_status(item, service)
                self._add_layer_items(item, service)
                item.setExpanded(service.service_id in expanded)
        for item in self._all_items():
            key = (item.data(0, SERVICE_ROLE), item.data(0, LAYER_ROLE))
            if key in selected and item.flags() & Qt.ItemIsSelectable:
                item.setSelected(True)
        self._update_actions()

    def _add_layer_items(self, service_item, service):
        result = self._results.get(service.service_id)
        capabilities = result.capabilities if result is not None and result.ok else None
        if capabilities is not None:
            layers = capabilities.layers
            if len(layers) == 1 and not layers[0].name:  # an unnamed WMS root only groups the rest
                layers = layers[0].children
            self._add_layer_tree(service_item, service, layers)
        elif service.layers:
            self._add_layer_tree(service_item, service, layers_to_add(service))

    def _add_layer_tree(self, parent, service, layers):
        for layer in layers:
            item = QTreeWidgetItem(parent, [layer.label, ""])
            item.setData(0, SERVICE_ROLE, service.service_id)
            item.setToolTip(0, layer.name or tr("Group layer (cannot be requested itself)"))
            if layer.name and service.can_add_layers:
                item.setData(0, LAYER_ROLE, layer.name)
            else:
                item.setFlags(Qt.ItemIsEnabled)
            self._add_layer_tree(item, service, layer.children)

    def _show_status(self, item, service):
        service_id = service.service_id
        if service_id in self._checks:
            item.setText(1, tr("testing…"))
            item.setIcon(1, _icon("/mTaskRunning.svg"))
            return
        result = self._results.get(service_id)
        if result is None:
            return
        item.setText(1, tr("OK") if result.ok else tr("failed"))
        item.setIcon(1, _icon("/mIconSuccess.svg" if result.ok else "/mIconWarning.svg"))
        item.setToolTip(1, "\n".join(text for text in (result.message, result.details) if text))

    def _all_items(self):
        items = []

        def walk(item):
            for index in range(item.childCount()):
                child = item.child(index)
                items.append(child)
                walk(child)

        walk(self.tree.invisibleRootItem())
        return items

    def _service_items(self):
        """The items of services: the children of the group items."""
        groups = [self.tree.topLevelItem(index) for index in range(self.tree.topLevelItemCount())]
        return [group.child(index) for group in groups for index in range(group.childCount())]

    def service_item(self, service_id):
        for item in self._service_items():
            if item.data(0, SERVICE_ROLE) == service_id:
                return item
        return None

    def select_service(self, service_id, layer_name=None):
        """Select a service (or one of its layers) in the tree."""
        self.tree.clearSelection()
        if layer_name is None:
            found = self.service_item(service_id)
        else:
            found = next((item for item in self._all_items()
                          if (item.data(0, SERVICE_ROLE), item.data(0, LAYER_ROLE)) == (service_id, layer_name)), None)
        if found is not None:
            found.setSelected(True)
            self.tree.scrollToItem(found)
        return found

    # -- selection -----------------------------------------------------------------------
    def _selected(self):
        """[(service, layer name or None)] of the selected items."""
        chosen = []
        for item in self.tree.selectedItems():
            service = self._entries.get(item.data(0, SERVICE_ROLE))
            if service is not None:
                chosen.append((service, item.data(0, LAYER_ROLE)))
        return chosen

    def _selected_services(self):
        services = {}
        for service, _layer in self._selected():
            services.setdefault(service.service_id, service)
        return list(services.values())

    def _update_actions(self):
        services = self._selected_services()
        single = services[0] if len(services) == 1 else None
        own = single is not None and not single.read_only
        self.edit_service_action.setEnabled(own)
        self.remove_service_action.setEnabled(own)
        self.test_action.setEnabled(any(service.is_testable for service in services))
        self.add_layers_action.setEnabled(any(service.can_add_layers for service in services))
        self.open_action.setEnabled(
            single is not None and single.service_type in (ServiceType.PORTAL, ServiceType.DOWNLOAD)
        )

    def _double_clicked(self, item, _column):
        service = self._entries.get(item.data(0, SERVICE_ROLE))
        if service is None:
            return
        if item.data(0, LAYER_ROLE):
            self._add_layers(service, [item.data(0, LAYER_ROLE)])
        elif service.service_type in (ServiceType.PORTAL, ServiceType.DOWNLOAD):
            self.open_selected()

    # -- connection tests -----------------------------------------------------------------
    def test_selected(self):
        for service in self._selected_services():
            if service.is_testable:
                self.start_check(service)

    def start_check(self, service):
        if service.service_id in self._checks:
            return
        check = ConnectionCheck(service, self.catalog.timeout_s(), parent=self)
        self._checks[service.service_id] = check
        check.finished.connect(self._check_finished)
        self._set_status(tr("Testing {service}…").format(service=service.name))
        item = self.service_item(service.service_id)
        if item is not None:
            self._show_status(item, service)
        check.start()

    def running_checks(self):
        return len(self._checks)

    def _cancel_check(self, service_id):
        check = self._checks.pop(service_id, None)
        if check is not None:
            check.finished.disconnect(self._check_finished)
            check.cancel()
            check.deleteLater()
        self._add_when_read.discard(service_id)

    def _check_finished(self, result):
        check = self.sender()
        service = check.service
        self._checks.pop(service.service_id, None)
        check.finished.disconnect(self._check_finished)
        check.deleteLater()
        self._results[service.service_id] = result
        text = "{}: {}".format(service.name, result.message)
        self._set_status(text)
        self._push(text, Qgis.Success if result.ok else Qgis.Warning)
        item = self.service_item(service.service_id)
        if item is not None:
            was_expanded = item.isExpanded()
            item.takeChildren()
            self._show_status(item, service)
            self._add_layer_items(item, service)
            item.setExpanded(was_expanded or result.ok)
        if service.service_id in self._add_when_read:
            self._add_when_read.discard(service.service_id)
            if result.ok:
                self._add_layers(service, None)

    # -- adding layers --------------------------------------------------------------------
    def add_selected_layers(self):
        by_service = {}
        for service, layer_name in self._selected():
            if service.can_add_layers:
                names = by_service.setdefault(service.service_id, (service, []))[1]
                if layer_name:
                    names.append(layer_name)
        for service, names in by_service.values():
            self._add_layers(service, names or None)

    def _capabilities(self, service):
        result = self._results.get(service.service_id)
        return result.capabilities if result is not None and result.ok else None

    def _add_layers(self, service, layer_names):
        capabilities = self._capabilities(service)
        if not layer_names and capabilities is None and not service.layers:
            # Which layers "all" means is only known from the capabilities: read them first.
            self._add_when_read.add(service.service_id)
            self.start_check(service)
            return
        try:
            layers = add_service_layers(service, layer_names, capabilities=capabilities)
        except LayerLoadError as error:
            self._set_status(str(error))
            self._push(str(error), Qgis.Warning if error.added else Qgis.Critical)
            return
        text = tr("Added {count} layer(s) of {service} to the map.").format(count=len(layers), service=service.name)
        self._set_status(text)
        self._push(text, Qgis.Success)

    # -- own services ----------------------------------------------------------------------
    def _run_dialog(self, service=None):
        dialog = ServiceDialog(self.catalog, service, self)
        if dialog.exec_() != QDialog.Accepted:
            return None
        return dialog.service()

    def add_service(self):
        entry = self._run_dialog()
        if entry is None:
            return
        try:
            stored = self.catalog.add_user_service(entry)
        except ServiceValidationError as error:
            self._push(str(error), Qgis.Critical)
            return
        self.select_service(stored.service_id)
        self._set_status(tr("Added the service {service}.").format(service=stored.name))

    def edit_service(self):
        services = self._selected_services()
        if len(services) != 1 or services[0].read_only:
            return
        entry = self._run_dialog(services[0])
        if entry is None:
            return
        try:
            stored = self.catalog.update_user_service(entry)
        except ServiceValidationError as error:
            self._push(str(error), Qgis.Critical)
            return
        self._cancel_check(stored.service_id)
        self._results.pop(stored.service_id, None)  # an old test result says nothing about the new URL
        self.populate()
        self.select_service(stored.service_id)

    def confirm(self, question):
        answer = QMessageBox.question(self, tr("Service Catalog"), question, QMessageBox.Yes | QMessageBox.No)
        return answer == QMessageBox.Yes

    def remove_service(self):
        services = self._selected_services()
        if len(services) != 1 or services[0].read_only:
            return
        service = services[0]
        if not self.confirm(tr("Remove the service {service} from the catalog?").format(service=service.name)):
            return
        self._cancel_check(service.service_id)
        self._results.pop(service.service_id, None)
        self.catalog.remove_user_service(service.service_id)
        self._set_status(tr("Removed the service {service}.").format(service=service.name))

    def open_selected(self):
        services = self._selected_services()
        if len(services) != 1:
            return
        url = services[0].url
        if services[0].service_type == ServiceType.DOWNLOAD:
            url = url.rsplit("/", 1)[0] + "/"  # the folder listing instead of a tile template
        QDesktopServices.openUrl(QUrl(url))

    # -- messages --------------------------------------------------------------------------
    def _set_status(self, text):
        self.status_label.setText(text)

    def _push(self, text, level):
        duration = 5 if level == Qgis.Success else 10
        self.iface.messageBar().pushMessage(tr("Service Catalog"), text, level, duration)

    # -- unload ------------------------------------------------------------------------------
    def close_connections(self):
        """Disconnect from the catalog and cancel running checks (plugin unload)."""
        try:
            self.catalog.changed.disconnect(self.populate)
        except TypeError:  # already disconnected
            pass
        for service_id in list(self._checks):
            self._cancel_check(service_id)
