"""The dialog to add or edit a user service of the catalog.

It only collects input; the catalog validates it (core/services/service_types.py).
An invalid entry keeps the dialog open with the reason shown above the buttons.
"""

from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from ..core.catalog import ServiceEntry, ServiceType, ServiceValidationError
from ..core.i18n import tr
from ..core.services.service_types import OPTION_KEYS, USER_TYPES, VERSIONS, type_label


def _url_hint(service_type):
    hints = {
        ServiceType.WMS: "https://geodaten.herne.de/geoserver/ows?",
        ServiceType.WFS: "https://geodaten.herne.de/geoserver/ows?",
        ServiceType.OAPIF: "https://example.org/ogcapi",
        ServiceType.SENSORTHINGS: "https://example.org/FROST-Server/v1.1",
        ServiceType.NGSI: "https://example.org:1026",
        ServiceType.MQTT: "mqtt://broker.example.org:1883",
    }
    return hints[service_type]


class ServiceDialog(QDialog):
    """Add (``service=None``) or edit a user service; ``service()`` is the validated
    entry after the dialog was accepted."""

    def __init__(self, catalog, service=None, parent=None):
        super().__init__(parent)
        self.catalog = catalog
        self._original = service
        self._validated = None
        self.setWindowTitle(tr("Edit service") if service else tr("Add service"))
        self.setMinimumWidth(480)

        self.name_edit = QLineEdit()
        self.type_combo = QComboBox()
        for service_type in USER_TYPES:
            self.type_combo.addItem(type_label(service_type), service_type.value)
        self.url_edit = QLineEdit()
        self.version_combo = QComboBox()
        self.auth_select = QgsAuthConfigSelect(self)
        self.option_edits = {
            "fiware_service": QLineEdit(),
            "fiware_servicepath": QLineEdit(),
            "topic": QLineEdit(),
        }
        self.option_edits["fiware_service"].setPlaceholderText("herne")
        self.option_edits["fiware_servicepath"].setPlaceholderText("/sensors")
        self.option_edits["topic"].setPlaceholderText("v3/+/devices/+/up")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Type"), self.type_combo)
        form.addRow(tr("URL"), self.url_edit)
        self._version_label = QLabel(tr("Version"))
        form.addRow(self._version_label, self.version_combo)
        form.addRow(tr("Authentication"), self.auth_select)
        option_labels = {
            "fiware_service": tr("FIWARE service"),
            "fiware_servicepath": tr("FIWARE service path"),
            "topic": tr("MQTT topic"),
        }
        self._option_labels = {}
        for key, edit in self.option_edits.items():
            self._option_labels[key] = QLabel(option_labels[key])
            form.addRow(self._option_labels[key], edit)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.button_box = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.type_combo.currentIndexChanged.connect(self._type_changed)
        if service is not None:
            self._fill(service)
        self._type_changed()

    def _fill(self, service):
        self.name_edit.setText(service.name)
        self.type_combo.setCurrentIndex(self.type_combo.findData(service.service_type.value))
        self.url_edit.setText(service.url)
        self._type_changed()
        self.version_combo.setCurrentIndex(max(0, self.version_combo.findText(service.version)))
        self.auth_select.setConfigId(service.authcfg)
        for key, value in service.options.items():
            if key in self.option_edits:
                self.option_edits[key].setText(value)

    def selected_type(self):
        return ServiceType(self.type_combo.currentData())

    def _type_changed(self):
        service_type = self.selected_type()
        current = self.version_combo.currentText()
        self.version_combo.clear()
        versions = VERSIONS.get(service_type, ())
        self.version_combo.addItems(versions)
        if current in versions:
            self.version_combo.setCurrentText(current)
        self.version_combo.setVisible(bool(versions))
        self._version_label.setVisible(bool(versions))
        allowed = OPTION_KEYS.get(service_type, ())
        for key, edit in self.option_edits.items():
            edit.setVisible(key in allowed)
            self._option_labels[key].setVisible(key in allowed)
        self.url_edit.setPlaceholderText(_url_hint(service_type))

    def entry(self):
        """The entry as typed (not yet validated)."""
        service_type = self.selected_type()
        allowed = OPTION_KEYS.get(service_type, ())
        return ServiceEntry(
            name=self.name_edit.text(),
            service_type=service_type,
            url=self.url_edit.text(),
            version=self.version_combo.currentText() if VERSIONS.get(service_type) else "",
            authcfg=self.auth_select.configId() or "",
            options={key: edit.text() for key, edit in self.option_edits.items() if key in allowed},
            service_id=self._original.service_id if self._original else "",
        )

    def show_error(self, message):
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self):
        replacing = self._original.service_id if self._original else ""
        try:
            self._validated = self.catalog.validate(self.entry(), replacing)
        except ServiceValidationError as error:
            self.show_error(str(error))
            return
        super().accept()

    def service(self):
        return self._validated
