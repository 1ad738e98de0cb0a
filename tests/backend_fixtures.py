"""The local city backend as a pytest fixture.

``city_backend`` (session scope) starts PostGIS, QGIS Server, pygeoapi and
Mosquitto once per test session in a temporary dir and stops every process by
its pid at the end: also when tests fail, when the run is interrupted (Ctrl-C),
or when pytest gets SIGTERM (atexit plus a SIGTERM handler as a second line;
both also stop backends that single tests started and could not stop).

Data: the sample city from ``herne_twin_plugin.core.sample_city``, generated
into the session's temp dir; ``HERNE_BACKEND_DATA=<dir with herne_sample.gpkg>``
uses a prepared data dir instead.

conftest.py imports it: ``from backend_fixtures import city_backend  # noqa``.
"""

import atexit
import os
import shutil
import signal
import sys
import tempfile

import pytest

_SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts")
if _SCRIPTS not in sys.path:  # conftest.py adds it too; this also works with `-p backend_fixtures`
    sys.path.insert(0, _SCRIPTS)

from city_backend import CityBackend, ensure_sample_data, stop_started_backends  # noqa: E402


def _session_data(root):
    """The data dir the session's backend serves (see the module docstring)."""
    prepared = os.environ.get("HERNE_BACKEND_DATA")
    if prepared:
        return prepared
    return ensure_sample_data(os.path.join(root, "sample"))


def backend_root():
    """A fresh temp dir the postgres system user can enter (mkdtemp makes 0700 dirs)."""
    root = tempfile.mkdtemp(prefix="herne-backend-")
    os.chmod(root, 0o755)
    return root


class _StopOnce:
    """Stops every backend this test process started and removes the session's
    temp dir; later calls do nothing."""

    def __init__(self, root):
        self.root, self.backend, self.done = root, None, False

    def __call__(self):
        if self.done:
            return
        self.done = True
        try:
            if self.backend is not None:
                self.backend.stop()
            stop_started_backends()  # also those of tests cut short by a signal
        finally:
            if not os.environ.get("HERNE_BACKEND_KEEP"):
                shutil.rmtree(self.root, ignore_errors=True)


def _stop_on_sigterm(stop):
    """On SIGTERM stop the backend, then die of SIGTERM as before. Returns the old handler."""
    previous = signal.getsignal(signal.SIGTERM)

    def handler(signum, frame):
        stop()
        signal.signal(signum, previous if callable(previous) else signal.SIG_DFL)
        if callable(previous):
            previous(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, handler)
    return previous


@pytest.fixture(scope="session")
def city_backend():
    """A running CityBackend (URLs, ports, ``pg``, ``pg_dsn()``, ``pids``) for the whole session."""
    root = backend_root()
    stop = _StopOnce(root)
    atexit.register(stop)
    previous = _stop_on_sigterm(stop)
    try:
        stop.backend = CityBackend(_session_data(root), os.path.join(root, "backend"))
        yield stop.backend.start()
    finally:
        try:
            stop()
        finally:
            signal.signal(signal.SIGTERM, previous)
            atexit.unregister(stop)
