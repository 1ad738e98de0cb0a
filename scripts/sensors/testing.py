"""pytest fixtures for the sensor tests: the fixture server, the stations and a real Mosquitto.

Import them by name in a test module::

    from sensors.testing import mosquitto_broker, sensor_server, sensor_stations  # noqa: F401

``mosquitto_broker`` starts Mosquitto through the local backend's own code
(scripts/backend/mosquitto.py: an anonymous and a password listener on free
127.0.0.1 ports) and can kill it by its pid and start it again on the same ports.
"""

import os
import secrets
import shutil
import signal
import tempfile

import pytest
from backend import mosquitto, processes

from .stations import load_stations


@pytest.fixture(scope="session")
def sensor_stations():
    """The sample city's 60 stations as records (stations.py)."""
    return load_stations(scale="sample")


@pytest.fixture(scope="session")
def sensor_server(sensor_stations):
    """A SensorFixtureServer over the sample stations for the whole session."""
    from sensor_fixture_server import SensorFixtureServer

    with SensorFixtureServer(stations=sensor_stations, page_size=25) as server:
        yield server


class Broker:
    """A Mosquitto started for a test; ``kill()`` ends it by its pid with SIGKILL (a broker
    that drops every connection at once), ``start()`` runs it again on the same ports."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = processes.free_port()
        self.auth_port = processes.free_port()
        self.username = mosquitto.USERNAME
        self.password = secrets.token_urlsafe(12)
        self.config = mosquitto.write_config(workdir, self.port, self.auth_port, self.password)
        with open(self.config, "a", encoding="utf-8") as config:
            # A busy test machine may starve the subscriber for a moment; the broker must then
            # queue (its default drops beyond 1000 messages), so a test can count every message.
            config.write("max_queued_messages 0\n")
        self.log = os.path.join(workdir, "mosquitto.log")
        self.process = None

    @property
    def url(self):
        return "mqtt://127.0.0.1:{}".format(self.port)

    def start(self):
        self.process = mosquitto.start(self.config, self.port, self.auth_port, self.log)
        return self

    def log_text(self):
        with open(self.log, encoding="utf-8", errors="replace") as log:
            return log.read()

    def kill(self):
        pid = self.process.pid
        os.kill(pid, signal.SIGKILL)
        processes.stop_process(pid)  # reaps it and forgets the pid
        self.process = None

    def stop(self):
        if self.process is not None:
            processes.stop_process(self.process.pid)
            self.process = None


@pytest.fixture
def mosquitto_broker():
    if not shutil.which("mosquitto") and not os.path.exists("/usr/sbin/mosquitto"):
        pytest.skip("mosquitto is not installed")
    workdir = tempfile.mkdtemp(prefix="herne-sensors-mqtt-")
    os.chmod(workdir, 0o755)  # the broker drops root privileges and must still read its password file
    broker = Broker(workdir)
    try:
        yield broker.start()
    finally:
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
