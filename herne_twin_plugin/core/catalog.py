"""The city's service catalog: presets for Herne's real services, the local backend
(read from its state file) and services the user adds.

User services are stored as JSON under one settings key (``herne_twin/catalog/
user_services``) and hold no secret: validation (services/service_types.py) refuses
URLs with credentials before anything is written; credentials live in QgsAuthManager
and an entry keeps only the authcfg id.

The rest of the catalog's machinery is re-exported here, so callers import one module:
``ServiceCatalog``, ``ServiceEntry``, ``check_connection``, ``ConnectionCheck``,
``add_service_layers``.
"""

import json
import logging
import os
import uuid

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, pyqtSignal

from .i18n import tr
from .log import redact_url
from .paths import PLUGIN_DIR, resource_path
from .services.capabilities import Capabilities, LayerInfo  # noqa: F401 (re-export)
from .services.connection_check import (  # noqa: F401 (re-export)
    DEFAULT_TIMEOUT_S,
    Category,
    ConnectionCheck,
    ConnectionResult,
    check_connection,
)
from .services.layer_factory import LayerLoadError, add_service_layers  # noqa: F401 (re-export)
from .services.service_types import (  # noqa: F401 (re-export)
    GROUP_LOCAL,
    GROUP_ORDER,
    GROUP_USER,
    ServiceEntry,
    ServiceType,
    ServiceValidationError,
    check_url,
    group_label,
    validate_service,
)
from .settings import PluginSettings

LOGGER = logging.getLogger(__name__)

USER_SERVICES_KEY = "catalog/user_services"
TIMEOUT_KEY = "catalog/timeout_s"
BACKEND_STATE_KEY = "local_backend_state"
BACKEND_STATE_ENV = "HERNE_TWIN_BACKEND_STATE"
PRESETS_FILE = resource_path("presets", "services.json")


def default_backend_state_path():
    """build/backend/backend.json in the source checkout the plugin runs from (the
    plugin folder may be a symbolic link into the QGIS profile)."""
    checkout = os.path.dirname(os.path.realpath(PLUGIN_DIR))
    return os.path.join(checkout, "build", "backend", "backend.json")


def load_presets(path=PRESETS_FILE):
    """The read-only preset entries from the presets file (a JSON list of services)."""
    with open(path, encoding="utf-8") as stream:
        document = json.load(stream)
    return [
        ServiceEntry.from_settings(item, group=item["group"], read_only=True)
        for item in document["services"]
    ]


def _local_definitions():
    """(state key, entry id, type, version, name) of the local backend's services."""
    return (
        ("wms_url", "local-wms", ServiceType.WMS, "1.3.0", tr("Local WMS (QGIS Server)")),
        ("wfs_url", "local-wfs", ServiceType.WFS, "1.1.0", tr("Local WFS (QGIS Server)")),
        ("ogcapi_qgis_url", "local-oapif-qgis", ServiceType.OAPIF, "",
         tr("Local OGC API Features (QGIS Server)")),
        ("pygeoapi_url", "local-oapif-pygeoapi", ServiceType.OAPIF, "",
         tr("Local OGC API Features (pygeoapi)")),
        ("sensorthings_url", "local-sensorthings", ServiceType.SENSORTHINGS, "1.1",
         tr("Local SensorThings API (sensor fixture server)")),
        ("ngsi_url", "local-ngsi", ServiceType.NGSI, "", tr("Local FIWARE Orion (sensor fixture server)")),
    )


def _local_options(state, service_type):
    """Options of a local entry: NGSI's FIWARE service and its QuantumLeap address."""
    if service_type != ServiceType.NGSI:
        return {}
    options = {"fiware_service": str(state.get("fiware_service") or "herne")}
    if state.get("quantumleap_url"):
        try:
            options["quantumleap_url"] = check_url(str(state["quantumleap_url"]), ServiceType.NGSI)
        except ServiceValidationError as error:
            LOGGER.warning("Local backend: quantumleap_url is not usable: %s", error)
    return options


def local_services_from_state(state):
    """Catalog entries for the backend described by ``state`` (the parsed backend.json).

    Keys that are missing or hold an unusable URL are skipped with a log warning.
    """
    entries = []

    def add(service_id, service_type, version, name, url):
        try:
            url = check_url(url, service_type)
        except ServiceValidationError as error:
            LOGGER.warning("Local backend: %s is not usable: %s", service_id, error)
            return
        entries.append(ServiceEntry(name, service_type, url, version, options=_local_options(state, service_type),
                                    group=GROUP_LOCAL, service_id=service_id, read_only=True))

    for key, service_id, service_type, version, name in _local_definitions():
        if state.get(key):
            add(service_id, service_type, version, name, str(state[key]))
    if state.get("mqtt_host"):
        url = "mqtt://{}:{}".format(state["mqtt_host"], state.get("mqtt_port") or 1883)
        add("local-mqtt", ServiceType.MQTT, "", tr("Local MQTT broker (Mosquitto)"), url)
    return entries


class ServiceCatalog(QObject):
    """Presets, local backend and user services; emits ``changed`` after every edit."""

    changed = pyqtSignal()

    def __init__(self, settings=None, presets_path=None, backend_state_path=None, parent=None):
        super().__init__(parent)
        if settings is None or not isinstance(settings, PluginSettings):
            settings = PluginSettings(settings)
        self._settings = settings
        self._backend_state_path = backend_state_path
        try:
            self._presets = load_presets(presets_path or PRESETS_FILE)
        except (OSError, ValueError, KeyError, TypeError) as error:
            LOGGER.error("The service presets could not be read: %s", error)
            self._presets = []

    # -- reading -------------------------------------------------------------------
    def presets(self):
        return list(self._presets)

    def backend_state_path(self):
        """Where the local backend's state file is: the path given to the catalog,
        else $HERNE_TWIN_BACKEND_STATE, else the setting, else the checkout's build/."""
        return (
            self._backend_state_path
            or os.environ.get(BACKEND_STATE_ENV)
            or self._settings.value(BACKEND_STATE_KEY, "")
            or default_backend_state_path()
        )

    def local_services(self):
        """Entries of the local backend; none when its state file does not exist."""
        path = self.backend_state_path()
        if not os.path.isfile(path):
            return []
        try:
            with open(path, encoding="utf-8") as stream:
                state = json.load(stream)
            if not isinstance(state, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as error:
            LOGGER.warning("The local backend state %s could not be read: %s", path, error)
            return []
        return local_services_from_state(state)

    def user_services(self):
        entries = []
        for item in self._settings.json_value(USER_SERVICES_KEY, []):
            try:
                entries.append(ServiceEntry.from_settings(item))
            except ServiceValidationError as error:
                LOGGER.warning("A stored user service was skipped: %s", error)
        return entries

    def services(self):
        return self.presets() + self.local_services() + self.user_services()

    def groups(self):
        """[(group id, label, entries)] in display order; groups without entries are
        left out, except the user's own group (it is where services get added)."""
        by_group = {}
        for entry in self.services():
            by_group.setdefault(entry.group, []).append(entry)
        order = list(GROUP_ORDER) + sorted(set(by_group) - set(GROUP_ORDER))
        return [
            (group, group_label(group), by_group.get(group, []))
            for group in order
            if by_group.get(group) or group == GROUP_USER
        ]

    def service(self, service_id):
        for entry in self.services():
            if entry.service_id == service_id:
                return entry
        return None

    def timeout_s(self):
        try:
            return float(self._settings.value(TIMEOUT_KEY, DEFAULT_TIMEOUT_S))
        except (TypeError, ValueError):
            return DEFAULT_TIMEOUT_S

    # -- editing user services --------------------------------------------------------
    def validate(self, entry, replacing_id=""):
        """A cleaned copy of ``entry`` as it would be stored, or ServiceValidationError."""
        others = [other.name for other in self.user_services() if other.service_id != replacing_id]
        manager = QgsApplication.authManager()
        known = None if manager is None or manager.isDisabled() else set(manager.configIds())
        return validate_service(entry, others, known)

    def add_user_service(self, entry):
        cleaned = self.validate(entry).with_changes(
            service_id="user-" + uuid.uuid4().hex[:12], group=GROUP_USER, read_only=False, layers=()
        )
        self._store(self.user_services() + [cleaned])
        LOGGER.info("Added service %s (%s)", cleaned.name, redact_url(cleaned.url))
        return cleaned

    def update_user_service(self, entry):
        current = self._user_service(entry.service_id)
        cleaned = self.validate(entry, current.service_id).with_changes(
            service_id=current.service_id, group=GROUP_USER, read_only=False, layers=()
        )
        self._store([cleaned if other.service_id == current.service_id else other
                     for other in self.user_services()])
        LOGGER.info("Changed service %s (%s)", cleaned.name, redact_url(cleaned.url))
        return cleaned

    def remove_user_service(self, service_id):
        current = self._user_service(service_id)
        self._store([other for other in self.user_services() if other.service_id != service_id])
        LOGGER.info("Removed service %s", current.name)

    def _user_service(self, service_id):
        for entry in self.user_services():
            if entry.service_id == service_id:
                return entry
        raise ServiceValidationError(
            tr("Only your own services can be changed; {id} is not one of them.").format(id=service_id)
        )

    def _store(self, entries):
        self._settings.set_json_value(USER_SERVICES_KEY, [entry.to_settings() for entry in entries])
        self.changed.emit()
