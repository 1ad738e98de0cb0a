"""Mosquitto (Debian): the MQTT broker the LoRaWAN simulator and live ingest talk to.

Two listeners on 127.0.0.1: one anonymous (as a test network server would be
reached), one that requires a username and password (as The Things Stack and
ChirpStack do); the password file is made with ``mosquitto_passwd``.
"""

import os
import shutil

from . import processes

USERNAME = "herne_twin"
_BROKER_USER = "mosquitto"  # mosquitto drops root privileges to this user

_CONFIG = """# Herne Digital Twin local backend (generated)
per_listener_settings true
persistence false
log_dest stderr
log_type error
log_type warning
log_type notice
{user_line}
listener {port} 127.0.0.1
allow_anonymous true

listener {auth_port} 127.0.0.1
allow_anonymous false
password_file {password_file}
"""


def _running_as_root():
    return os.geteuid() == 0


def write_config(workdir, port, auth_port, password):
    """Config and password file in ``workdir``; returns the config path."""
    os.makedirs(workdir, exist_ok=True)
    password_file = os.path.join(workdir, "passwd")
    # -b takes the password as an argument: the broker is local and lives only
    # as long as this backend, and the file is the only copy besides the state file.
    processes.run(["mosquitto_passwd", "-c", "-b", password_file, USERNAME, password],
                  "mosquitto_passwd")
    os.chmod(password_file, 0o600)
    user_line = ""
    if _running_as_root():
        # The broker reads the password file after dropping privileges.
        shutil.chown(password_file, _BROKER_USER, _BROKER_USER)
        user_line = "user {}".format(_BROKER_USER)
    config_path = os.path.join(workdir, "mosquitto.conf")
    with open(config_path, "w", encoding="utf-8") as handle:
        handle.write(_CONFIG.format(user_line=user_line, port=port, auth_port=auth_port,
                                    password_file=password_file))
    return config_path


def start(config_path, port, auth_port, log_path):
    """Run the broker in the foreground of its own session; return its Popen once both ports accept."""
    return processes.start_service(
        ["mosquitto", "-c", config_path], "Mosquitto", log_path,
        lambda: processes.port_accepts(port) and processes.port_accepts(auth_port), timeout=20)
