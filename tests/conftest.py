"""Shared test set-up: headless Qt, PROJ data, paths to the repository and ../shared."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.path.isdir("/usr/share/proj"):
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    os.environ.setdefault("PROJ_LIB", "/usr/share/proj")

import pytest  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.path.join(os.path.dirname(REPO_ROOT), "shared", "data")
SCRIPTS_DIR = os.path.join(REPO_ROOT, "scripts")

for path in (REPO_ROOT, SCRIPTS_DIR):
    if path not in sys.path:
        sys.path.insert(0, path)


_PROVIDERS = []  # strong references: a Python provider whose wrapper is collected loses its algorithms


@pytest.fixture(scope="session")
def hernetwin_provider(qgis_processing):
    """The plugin's Processing provider `hernetwin`, registered once for the whole session."""
    from qgis.core import QgsApplication

    from herne_twin_plugin.processing.provider import HerneTwinProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("hernetwin") is None:
        _PROVIDERS.append(HerneTwinProvider())
        assert registry.addProvider(_PROVIDERS[-1])
    return registry.providerById("hernetwin")


@pytest.fixture(scope="session", autouse=True)
def _processing_first(hernetwin_provider):
    """Processing set up at session start: set up later, after a test that used
    qgis_new_project, pytest-qgis's teardown fails ("legendLayersAdded ... not connected")."""
    return hernetwin_provider


@pytest.fixture(scope="session")
def shared_citygml_dir():
    """The real NRW LoD2 tiles in ../shared/data/citygml-nrw (read-only)."""
    path = os.path.join(SHARED_DATA, "citygml-nrw")
    if not os.path.isdir(path):
        pytest.skip("real NRW LoD2 tiles not found at {} (../shared/data beside the checkout)".format(path))
    return path
from backend_fixtures import city_backend  # noqa: E402,F401  (session fixture: the local city backend)


@pytest.fixture(scope="module")
def server_tables(city_backend):  # noqa: F811 (the fixture imported above)
    """The backend's editable tables as they were before the module; put back after it
    (the field tests edit lights and add inspections on the servers)."""
    from field_support import ServerTables

    tables = ServerTables(city_backend)
    tables.save_baseline()
    yield tables
    tables.reset()
    tables.drop_baseline()
    tables.close()


@pytest.fixture(scope="module")
def proxies(city_backend, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """A fault proxy in front of each field server: {'wfs': ..., 'oapif': ...}."""
    from field_support import fault_proxies

    with fault_proxies(city_backend, str(tmp_path_factory.mktemp("fault_proxy"))) as started:
        yield started


@pytest.fixture
def messages(qgis_iface):
    """The test iface's message bar, emptied: {level: [messages pushed]}."""
    bar = qgis_iface.messageBar()
    for level in bar.messages:
        bar.messages[level].clear()
    return bar.messages
