"""The alert list: alerts of the live session, newest first, with an acknowledge button.
New alerts also go to the message bar. Acknowledgements are kept by the AlertEngine in
the plugin settings, so an acknowledged alert stays acknowledged after a restart."""

from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ...core.i18n import tr

ALERT_ROLE = Qt.UserRole


class AlertList(QWidget):
    def __init__(self, message_bar=None, parent=None):
        super().__init__(parent)
        self.message_bar = message_bar
        self.engine = None
        self.list = QListWidget()
        self.acknowledge_button = QPushButton(tr("Acknowledge"))
        self.acknowledge_button.setEnabled(False)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.list.itemSelectionChanged.connect(self._update_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def set_engine(self, engine):
        self.engine = engine
        self.list.clear()

    def add_alerts(self, alerts):
        """Show newly fired alerts (at the top) and tell the message bar about them."""
        known = self.engine.acknowledged_keys() if self.engine is not None else set()
        for alert in alerts:
            item = QListWidgetItem(alert.message())
            item.setData(ALERT_ROLE, alert.key)
            self._mark(item, alert.key in known)
            self.list.insertItem(0, item)
        fresh = [alert for alert in alerts if alert.key not in known]
        if fresh and self.message_bar is not None:
            text = fresh[0].message()
            if len(fresh) > 1:
                text = tr("{count} new sensor alerts; the first: {first}").format(count=len(fresh), first=text)
            self.message_bar.pushMessage(tr("Sensor alert"), text, Qgis.Warning, 10)

    def items(self):
        return [self.list.item(row) for row in range(self.list.count())]

    def acknowledge_selected(self):
        if self.engine is None:
            return
        alerts = {alert.key: alert for alert in self.engine.history}
        for item in self.list.selectedItems():
            alert = alerts.get(item.data(ALERT_ROLE))
            if alert is not None:
                self.engine.acknowledge(alert)
                self._mark(item, True)
        self._update_button()

    def _mark(self, item, acknowledged):
        font = item.font()
        font.setBold(not acknowledged)
        item.setFont(font)
        item.setToolTip(tr("Acknowledged") if acknowledged else tr("Not acknowledged yet"))

    def is_acknowledged(self, item):
        return not item.font().bold()

    def _update_button(self):
        self.acknowledge_button.setEnabled(bool(self.list.selectedItems()) and self.engine is not None)
