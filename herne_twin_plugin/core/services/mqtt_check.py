"""The MQTT side of the connection check: TCP connect, CONNECT, wait for CONNACK.

``check_mqtt`` blocks (up to the time-out) and is run on a worker thread by
ConnectionCheck. Credentials come from the entry's authcfg (a Basic configuration:
user name and password) and are read on the calling thread by ``mqtt_credentials``.
"""

import logging
import socket
import ssl
import struct
import time
import urllib.parse
import uuid

from qgis.core import QgsApplication, QgsAuthMethodConfig

from ..i18n import tr
from .connection_check import (
    Category,
    ConnectionResult,
    network_error_message,
    refused_message,
    timeout_message,
    tls_message,
    unresolved_message,
)

LOGGER = logging.getLogger(__name__)

# MQTT 3.1.1 CONNACK codes as paho 2 reports them (MQTT 5 reason codes).
_BAD_CREDENTIALS = 134
_NOT_AUTHORISED = 135


def mqtt_credentials(authcfg):
    """(user name, password) from the auth config, ("", "") without one, None if it
    cannot be read (unknown id, master password not entered)."""
    if not authcfg:
        return ("", "")
    config = QgsAuthMethodConfig()
    manager = QgsApplication.authManager()
    if manager.isDisabled() or not manager.loadAuthenticationConfig(authcfg, config, True) or not config.isValid(True):
        return None
    return (config.config("username", ""), config.config("password", ""))


def _not_mqtt(where):
    return tr("{host} did not answer like an MQTT broker: is it the right host and port?").format(host=where)


def _broker_address(url):
    parts = urllib.parse.urlsplit(url)
    use_tls = parts.scheme.lower() == "mqtts"
    return parts.hostname, parts.port or (8883 if use_tls else 1883), use_tls


def check_mqtt(url, credentials, timeout_s):
    """Connect to the broker at ``url`` (mqtt:// or mqtts://) and return a ConnectionResult."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    host, port, use_tls = _broker_address(url)
    where = "{}:{}".format(host, port)
    details = "mqtt{}://{}".format("s" if use_tls else "", where)

    def result(ok, category, message, extra=""):
        return ConnectionResult(ok, category, message, "\n".join(t for t in (details, extra) if t))

    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id="herne-twin-check-" + uuid.uuid4().hex[:8],
        reconnect_on_failure=False,
    )
    client.connect_timeout = timeout_s
    username, password = credentials
    if username:
        client.username_pw_set(username, password)
    if use_tls:
        client.tls_set()
    answers = []
    client.on_connect = lambda _client, _userdata, _flags, reason, _properties: answers.append(reason)
    try:
        client.connect(host, port, keepalive=max(10, int(timeout_s) + 5))
        deadline = time.monotonic() + timeout_s
        while not answers and time.monotonic() < deadline:
            if client.loop(timeout=0.1) != mqtt.MQTT_ERR_SUCCESS:
                break
    except ConnectionRefusedError as error:
        return result(False, Category.CONNECTION_REFUSED, refused_message(where), str(error))
    except socket.gaierror as error:
        return result(False, Category.NAME_NOT_RESOLVED, unresolved_message(host), str(error))
    except (ssl.SSLError, ssl.CertificateError) as error:
        return result(False, Category.TLS_ERROR, tls_message(where), str(error))
    except (socket.timeout, TimeoutError):
        return result(False, Category.TIMEOUT, timeout_message(where, timeout_s))
    except OSError as error:
        return result(False, Category.NETWORK_ERROR, network_error_message(error))
    except (ValueError, struct.error) as error:  # paho cannot parse what came back
        return result(False, Category.WRONG_SERVICE, _not_mqtt(where), str(error))
    finally:
        try:
            client.disconnect()
            client.loop(timeout=0.01)  # sends the DISCONNECT
        except Exception:  # noqa: BLE001 (closing a half-open socket must not hide the result)
            pass
    if not answers:
        if time.monotonic() >= deadline:
            return result(False, Category.TIMEOUT,
                          tr("{host} accepted the connection but sent no MQTT answer within {seconds} s.").format(
                              host=where, seconds="{:g}".format(timeout_s)))
        return result(False, Category.WRONG_SERVICE, _not_mqtt(where))
    reason = answers[0]
    if not reason.is_failure:
        return result(True, Category.OK, tr("Connected to the MQTT broker {host}.").format(host=where))
    if reason.value == _BAD_CREDENTIALS:
        return result(False, Category.UNAUTHORIZED,
                      tr("The broker rejected the user name or password ({reason}). Check the "
                         "authentication configuration.").format(reason=reason))
    if reason.value == _NOT_AUTHORISED:
        return result(False, Category.FORBIDDEN,
                      tr("The broker does not allow this client to connect ({reason}).").format(reason=reason))
    return result(False, Category.CONNECTION_REFUSED,
                  tr("The broker refused the connection: {reason}").format(reason=reason))
