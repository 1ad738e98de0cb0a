"""What a catalog entry is (a city service of a given type) and when it is valid.

Entries are validated completely before anything is stored: a malformed URL or a URL
that carries a secret is refused with a message the user can act on. Secrets belong
in QgsAuthManager; an entry only holds the id of an authentication configuration.
"""

import re
import urllib.parse
from dataclasses import dataclass, field, replace
from enum import Enum

from ..i18n import tr
from ..log import redact_url


class ServiceType(str, Enum):
    WMS = "wms"
    WFS = "wfs"
    OAPIF = "oapif"
    SENSORTHINGS = "sensorthings"
    NGSI = "ngsi"
    MQTT = "mqtt"
    DOWNLOAD = "download"  # a URL template for file downloads (NRW LoD2 tiles)
    PORTAL = "portal"  # a web page that opens in the browser


#: Types a user can add; DOWNLOAD and PORTAL exist only as presets.
USER_TYPES = (
    ServiceType.WMS,
    ServiceType.WFS,
    ServiceType.OAPIF,
    ServiceType.SENSORTHINGS,
    ServiceType.NGSI,
    ServiceType.MQTT,
)
#: Types whose layers can be added to a project.
LAYER_TYPES = (ServiceType.WMS, ServiceType.WFS, ServiceType.OAPIF)
#: Types the connection check knows how to talk to.
TESTABLE_TYPES = USER_TYPES
#: Protocol versions offered per type; the first one is the default.
VERSIONS = {
    ServiceType.WMS: ("1.3.0", "1.1.1"),
    ServiceType.WFS: ("1.1.0", "2.0.0", "1.0.0"),
    ServiceType.SENSORTHINGS: ("1.1", "1.0"),
}
#: Type-specific options an entry may carry (never secrets).
OPTION_KEYS = {
    ServiceType.NGSI: ("fiware_service", "fiware_servicepath", "quantumleap_url"),
    ServiceType.MQTT: ("topic",),
    # the broker of the SensorThings MQTT extension (live Observations)
    ServiceType.SENSORTHINGS: ("mqtt_url",),
}

GROUP_HERNE = "herne"
GROUP_NRW = "nrw"
GROUP_BKG = "bkg"
GROUP_LOCAL = "local"
GROUP_USER = "user"
GROUP_ORDER = (GROUP_HERNE, GROUP_NRW, GROUP_BKG, GROUP_LOCAL, GROUP_USER)

#: Query parameters that carry secrets (compared in lower case).
SECRET_PARAMETERS = frozenset(
    (
        "password", "passwd", "pwd", "pass", "token", "access_token", "auth_token",
        "apikey", "api_key", "key", "secret", "client_secret",
    )
)
_AUTHCFG_ID = re.compile(r"^[A-Za-z0-9]{7}$")
_FIWARE_SERVICE = re.compile(r"^[a-z0-9_]{1,50}$")
_FIWARE_PATH_LEVEL = re.compile(r"^[A-Za-z0-9_]{1,50}$")
MAX_NAME_LENGTH = 100


def type_label(service_type):
    labels = {
        ServiceType.WMS: tr("WMS"),
        ServiceType.WFS: tr("WFS"),
        ServiceType.OAPIF: tr("OGC API Features"),
        ServiceType.SENSORTHINGS: tr("SensorThings API"),
        ServiceType.NGSI: tr("FIWARE NGSI v2"),
        ServiceType.MQTT: tr("MQTT broker"),
        ServiceType.DOWNLOAD: tr("Tile download"),
        ServiceType.PORTAL: tr("Web portal"),
    }
    return labels[ServiceType(service_type)]


def group_label(group):
    labels = {
        GROUP_HERNE: tr("City of Herne"),
        GROUP_NRW: tr("State of NRW"),
        GROUP_BKG: tr("Federal Agency for Cartography (BKG)"),
        GROUP_LOCAL: tr("Local backend"),
        GROUP_USER: tr("My services"),
    }
    return labels.get(group, group)


class ServiceValidationError(ValueError):
    """An entry cannot be stored; ``str(error)`` tells the user why (translated)."""


@dataclass
class ServiceEntry:
    """One service in the catalog."""

    name: str
    service_type: ServiceType
    url: str
    version: str = ""
    authcfg: str = ""
    options: dict = field(default_factory=dict)
    layers: tuple = ()  # layer names known without asking the server (presets)
    group: str = GROUP_USER
    service_id: str = ""
    read_only: bool = False

    def __post_init__(self):
        self.service_type = ServiceType(self.service_type)
        self.layers = tuple(self.layers)
        self.options = dict(self.options or {})

    @property
    def display_url(self):
        """The URL with any credentials masked, for labels, tooltips and logs."""
        return redact_url(self.url)

    @property
    def can_add_layers(self):
        return self.service_type in LAYER_TYPES

    @property
    def is_testable(self):
        return self.service_type in TESTABLE_TYPES

    def with_changes(self, **changes):
        return replace(self, **changes)

    def to_settings(self):
        """The stored form of a user entry (plain values and an authcfg id only)."""
        return {
            "id": self.service_id,
            "name": self.name,
            "type": self.service_type.value,
            "url": self.url,
            "version": self.version,
            "authcfg": self.authcfg,
            "options": dict(self.options),
        }

    @classmethod
    def from_settings(cls, data, group=GROUP_USER, read_only=False):
        """Build an entry from stored or preset data; raises ServiceValidationError
        when required keys are missing or the type is unknown."""
        try:
            return cls(
                name=str(data["name"]),
                service_type=ServiceType(data["type"]),
                url=str(data["url"]),
                version=str(data.get("version") or ""),
                authcfg=str(data.get("authcfg") or ""),
                options=dict(data.get("options") or {}),
                layers=tuple(data.get("layers") or ()),
                group=group,
                service_id=str(data.get("id") or ""),
                read_only=read_only,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServiceValidationError(
                tr("The catalog entry is incomplete or has an unknown type: {error}").format(error=error)
            ) from error


def _schemes(service_type):
    if service_type == ServiceType.MQTT:
        return ("mqtt", "mqtts")
    return ("http", "https")


def check_url(url, service_type):
    """Return ``url`` without surrounding blanks, or raise ServiceValidationError
    saying what is wrong with it."""
    service_type = ServiceType(service_type)
    url = (url or "").strip()
    if not url:
        raise ServiceValidationError(tr("Enter the service URL."))
    if any(char.isspace() for char in url):
        raise ServiceValidationError(
            tr("The URL contains spaces. Remove them or write them as %20.")
        )
    schemes = _schemes(service_type)
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or not url.lower().startswith(parts.scheme.lower() + "://"):
        raise ServiceValidationError(
            tr("The URL has no scheme. It must start with {schemes}.").format(
                schemes=" / ".join(scheme + "://" for scheme in schemes)
            )
        )
    if parts.scheme.lower() not in schemes:
        raise ServiceValidationError(
            tr("The scheme {scheme}:// is not supported for a {type}. Use {schemes}.").format(
                scheme=parts.scheme,
                type=type_label(service_type),
                schemes=" / ".join(scheme + "://" for scheme in schemes),
            )
        )
    if "@" in parts.netloc:
        raise ServiceValidationError(
            tr(
                "The URL contains a user name or password ({url}). Remove it and choose "
                "an authentication configuration (authcfg) instead, so the secret is "
                "kept in the QGIS password store."
            ).format(url=redact_url(url))
        )
    if not parts.hostname:
        raise ServiceValidationError(tr("The URL has no host name."))
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise ServiceValidationError(
            tr("The port in the URL is not a number between 1 and 65535.")
        )
    secret_names = sorted(
        {name for name, _value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
         if name.lower() in SECRET_PARAMETERS}
    )
    if secret_names:
        raise ServiceValidationError(
            tr(
                "The URL carries a secret in the parameter {names} ({url}). Remove it and "
                "choose an authentication configuration (authcfg) instead, so the secret "
                "is kept in the QGIS password store."
            ).format(names=", ".join(secret_names), url=redact_url(url))
        )
    return url


def _check_options(service_type, options):
    allowed = OPTION_KEYS.get(service_type, ())
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ServiceValidationError(
            tr("Unknown option {names} for a {type}.").format(
                names=", ".join(unknown), type=type_label(service_type)
            )
        )
    service = options.get("fiware_service", "")
    if service and not _FIWARE_SERVICE.match(service):
        raise ServiceValidationError(
            tr("The FIWARE service may only hold lower-case letters, digits and "
               "underscores (at most 50).")
        )
    path = options.get("fiware_servicepath", "")
    if path:
        levels = path.split("/")
        if levels[0] != "" or len(levels) > 11 or not all(
            _FIWARE_PATH_LEVEL.match(level) for level in levels[1:]
        ):
            raise ServiceValidationError(
                tr("The FIWARE service path must look like /district/sensors: it starts "
                   "with / and has up to 10 levels of letters, digits and underscores.")
            )
    # Linked addresses follow the same rules as the entry's own (no secrets in them).
    if options.get("quantumleap_url"):
        check_url(options["quantumleap_url"], ServiceType.NGSI)
    if options.get("mqtt_url"):
        check_url(options["mqtt_url"], ServiceType.MQTT)
    topic = options.get("topic", "")
    if topic:
        levels = topic.split("/")
        bad_hash = "#" in topic and (levels[-1] != "#" or topic.count("#") > 1)
        bad_plus = any("+" in level and level != "+" for level in levels)
        if bad_hash or bad_plus or "\x00" in topic:
            raise ServiceValidationError(
                tr("The MQTT topic is not valid: + must stand alone in a level and # "
                   "only as the last level.")
            )


def validate_service(entry, taken_names=(), known_authcfgs=None):
    """Return a cleaned copy of ``entry`` or raise ServiceValidationError.

    ``taken_names`` are names of other user entries (a name must be unique);
    ``known_authcfgs`` are the ids the QGIS auth manager knows, or None to skip
    that check (no auth database available).
    """
    name = (entry.name or "").strip()
    if not name:
        raise ServiceValidationError(tr("Enter a name for the service."))
    if len(name) > MAX_NAME_LENGTH:
        raise ServiceValidationError(
            tr("The name is longer than {count} characters.").format(count=MAX_NAME_LENGTH)
        )
    if name.casefold() in {taken.casefold() for taken in taken_names}:
        raise ServiceValidationError(
            tr("A service named {name} already exists.").format(name=name)
        )
    if entry.service_type not in USER_TYPES:
        raise ServiceValidationError(
            tr("A {type} cannot be added as a user service.").format(
                type=type_label(entry.service_type)
            )
        )
    url = check_url(entry.url, entry.service_type)
    versions = VERSIONS.get(entry.service_type, ())
    version = (entry.version or "").strip()
    if versions and not version:
        version = versions[0]
    if version and version not in versions:
        raise ServiceValidationError(
            tr("Version {version} is not supported for a {type}.").format(
                version=version, type=type_label(entry.service_type)
            )
        )
    authcfg = (entry.authcfg or "").strip()
    if authcfg:
        if not _AUTHCFG_ID.match(authcfg):
            raise ServiceValidationError(
                tr("{authcfg} is not an authentication configuration id (7 letters or digits).").format(
                    authcfg=authcfg
                )
            )
        if known_authcfgs is not None and authcfg not in known_authcfgs:
            raise ServiceValidationError(
                tr("The authentication configuration {authcfg} does not exist.").format(authcfg=authcfg)
            )
    options = {key: str(value).strip() for key, value in entry.options.items() if str(value).strip()}
    _check_options(entry.service_type, options)
    return entry.with_changes(name=name, url=url, version=version, authcfg=authcfg, options=options)
