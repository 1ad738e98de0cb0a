"""The service catalog's entries: presets, the local backend, user services in
QgsSettings (validated, without secrets)."""

import json
import logging

import pytest
from fixture_http_server import BASIC_PASSWORD, basic_authcfg, catalog_settings  # noqa: F401 (fixtures)

from herne_twin_plugin.core.catalog import (
    BACKEND_STATE_ENV,
    BACKEND_STATE_KEY,
    USER_SERVICES_KEY,
    ServiceCatalog,
    ServiceEntry,
    ServiceType,
    ServiceValidationError,
)

BACKEND_STATE = {
    "wms_url": "http://127.0.0.1:8091/ows/?MAP=/srv/herne/city.qgs",
    "wfs_url": "http://127.0.0.1:8091/ows/?MAP=/srv/herne/city.qgs",
    "ogcapi_qgis_url": "http://127.0.0.1:8091/wfs3",
    "pygeoapi_url": "http://127.0.0.1:5000",
    "mqtt_host": "127.0.0.1",
    "mqtt_port": 1884,
}


@pytest.fixture
def no_backend(tmp_path, monkeypatch):
    """A catalog environment where no local backend state file exists."""
    monkeypatch.delenv(BACKEND_STATE_ENV, raising=False)
    return str(tmp_path / "absent" / "backend.json")


@pytest.fixture
def catalog(catalog_settings, no_backend):  # noqa: F811 (fixture)
    return ServiceCatalog(catalog_settings, backend_state_path=no_backend)


def write_state(tmp_path, state):
    path = tmp_path / "backend.json"
    path.write_text(json.dumps(state) if not isinstance(state, str) else state, encoding="utf-8")
    return str(path)


# -- presets ------------------------------------------------------------------------------

def test_presets_hold_herne_real_services(catalog):
    by_id = {entry.service_id: entry for entry in catalog.presets()}
    wms = by_id["herne-geoserver-wms"]
    assert (wms.service_type, wms.url, wms.version) == (
        ServiceType.WMS, "https://geodaten.herne.de/geoserver/ows?", "1.3.0")
    wfs = by_id["herne-geoserver-wfs"]
    assert (wfs.service_type, wfs.url, wfs.version) == (
        ServiceType.WFS, "https://geodaten.herne.de/geoserver/ows?", "1.1.0")
    rain = by_id["herne-starkregen-wms"]
    assert rain.url == "https://geodaten.herne.de/geoserver/geoportal/starkregen/wms"
    assert rain.layers == ("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")
    assert by_id["bkg-starkregen-wms"].url == "https://sgx.geodatenzentrum.de/wms_starkregen"
    assert "nw_tiefe_agw" in by_id["bkg-starkregen-wms"].layers
    assert by_id["nrw-hochwasser-wms"].url == "https://www.wms.nrw.de/umwelt/HW_Gefahrenkarte"
    lod2 = by_id["nrw-lod2-tiles"]
    assert lod2.service_type == ServiceType.DOWNLOAD
    assert lod2.url.format(E=385, N=5711) == (
        "https://www.opengeodata.nrw.de/produkte/geobasis/3dg/lod2_gml/lod2_gml/LoD2_32_385_5711_1_NW.gml")
    assert by_id["herne-open-data"].service_type == ServiceType.PORTAL
    assert by_id["herne-open-data"].url == "https://open.herne.de"
    assert all(entry.read_only for entry in by_id.values())


def test_groups_show_herne_first_and_no_local_group_without_backend(catalog):
    groups = catalog.groups()
    labels = [label for _group, label, _entries in groups]
    assert labels[0] == "City of Herne"
    assert "Local backend" not in labels
    assert labels[-1] == "My services"  # shown empty: it is where own services go
    assert catalog.local_services() == []


def test_presets_are_read_only(catalog):
    preset = catalog.presets()[0]
    with pytest.raises(ServiceValidationError, match="Only your own services"):
        catalog.update_user_service(preset.with_changes(name="Mein Geoserver"))
    with pytest.raises(ServiceValidationError):
        catalog.remove_user_service(preset.service_id)
    assert catalog.presets()[0] == preset


# -- local backend -------------------------------------------------------------------------

def test_local_services_from_backend_state(catalog_settings, tmp_path):  # noqa: F811
    catalog = ServiceCatalog(catalog_settings, backend_state_path=write_state(tmp_path, BACKEND_STATE))
    local = {entry.service_id: entry for entry in catalog.local_services()}
    assert set(local) == {"local-wms", "local-wfs", "local-oapif-qgis", "local-oapif-pygeoapi", "local-mqtt"}
    assert local["local-wms"].service_type == ServiceType.WMS
    assert local["local-wms"].url == BACKEND_STATE["wms_url"]
    assert local["local-wfs"].service_type == ServiceType.WFS
    assert local["local-oapif-qgis"].service_type == ServiceType.OAPIF
    assert local["local-oapif-pygeoapi"].url == "http://127.0.0.1:5000"
    assert local["local-mqtt"].url == "mqtt://127.0.0.1:1884"
    assert [label for _g, label, _e in catalog.groups()].count("Local backend") == 1
    assert catalog.service("local-wfs") == local["local-wfs"]


def test_backend_state_path_from_env_and_setting(catalog_settings, tmp_path, monkeypatch):  # noqa: F811
    from_setting = write_state(tmp_path, {"wms_url": "http://127.0.0.1:1/setting"})
    catalog_settings.set_value(BACKEND_STATE_KEY, from_setting)
    monkeypatch.delenv(BACKEND_STATE_ENV, raising=False)
    catalog = ServiceCatalog(catalog_settings)
    assert [entry.url for entry in catalog.local_services()] == ["http://127.0.0.1:1/setting"]

    env_dir = tmp_path / "env"
    env_dir.mkdir()
    monkeypatch.setenv(BACKEND_STATE_ENV, write_state(env_dir, {"wfs_url": "http://127.0.0.1:2/env"}))
    assert [entry.url for entry in catalog.local_services()] == ["http://127.0.0.1:2/env"]


def test_broken_backend_state_shows_nothing_and_says_why(catalog_settings, tmp_path, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING, logger="herne_twin_plugin")
    catalog = ServiceCatalog(catalog_settings, backend_state_path=write_state(tmp_path, "{not json"))
    assert catalog.local_services() == []
    assert "could not be read" in caplog.text
    caplog.clear()
    catalog = ServiceCatalog(catalog_settings, backend_state_path=write_state(
        tmp_path, {"wms_url": "127.0.0.1:8091/ows", "wfs_url": "http://127.0.0.1:8091/ows"}))
    assert [entry.service_id for entry in catalog.local_services()] == ["local-wfs"]
    assert "local-wms is not usable" in caplog.text


# -- user services --------------------------------------------------------------------------

def test_user_service_round_trip_through_settings(catalog, catalog_settings, no_backend):  # noqa: F811
    changes = []
    catalog.changed.connect(lambda: changes.append(True))
    stored = catalog.add_user_service(ServiceEntry(
        "  Orion Herne ", ServiceType.NGSI, " http://127.0.0.1:1026 ",
        options={"fiware_service": "herne", "fiware_servicepath": "/sensors"}))
    assert stored.service_id.startswith("user-")
    assert (stored.name, stored.url) == ("Orion Herne", "http://127.0.0.1:1026")
    mqtt = catalog.add_user_service(ServiceEntry("TTN Herne", ServiceType.MQTT, "mqtts://eu1.cloud.thethings.network",
                                                 options={"topic": "v3/+/devices/+/up"}))
    wms = catalog.add_user_service(ServiceEntry("Kanalkataster", ServiceType.WMS, "https://example.org/wms"))
    assert wms.version == "1.3.0"  # the default version is filled in

    reloaded = ServiceCatalog(catalog_settings, backend_state_path=no_backend)
    assert reloaded.user_services() == [stored, mqtt, wms]

    catalog.update_user_service(wms.with_changes(url="https://example.org/wms2", version="1.1.1"))
    catalog.remove_user_service(stored.service_id)
    reloaded = ServiceCatalog(catalog_settings, backend_state_path=no_backend)
    assert [(entry.name, entry.url, entry.version) for entry in reloaded.user_services()] == [
        ("TTN Herne", "mqtts://eu1.cloud.thethings.network", ""),
        ("Kanalkataster", "https://example.org/wms2", "1.1.1"),
    ]
    assert len(changes) == 5
    assert reloaded.groups()[-1][2] == reloaded.user_services()


BAD_ENTRIES = [
    (ServiceEntry("A", ServiceType.WMS, "geodaten.herne.de/geoserver/ows"), "no scheme"),
    (ServiceEntry("A", ServiceType.WMS, "127.0.0.1:8080/ows"), "no scheme"),
    (ServiceEntry("A", ServiceType.WMS, "http://127.0.0.1:99999/ows"), "port"),
    (ServiceEntry("A", ServiceType.WMS, "http://127.0.0.1:80a/ows"), "port"),
    (ServiceEntry("A", ServiceType.WMS, "http://geodaten herne.de/ows"), "spaces"),
    (ServiceEntry("A", ServiceType.WMS, "ftp://geodaten.herne.de/ows"), "not supported"),
    (ServiceEntry("A", ServiceType.WMS, "mqtt://geodaten.herne.de"), "not supported"),
    (ServiceEntry("A", ServiceType.MQTT, "http://broker.herne.de"), "not supported"),
    (ServiceEntry("A", ServiceType.WFS, "https:///ows"), "no host"),
    (ServiceEntry("A", ServiceType.WFS, ""), "Enter the service URL"),
    (ServiceEntry(" ", ServiceType.WFS, "https://example.org/ows"), "Enter a name"),
    (ServiceEntry("A", ServiceType.WFS, "https://example.org/ows", version="3.0"), "Version 3.0"),
    (ServiceEntry("A", ServiceType.WMS, "https://example.org/ows", authcfg="no such id"), "authentication"),
    (ServiceEntry("A", ServiceType.WMS, "https://example.org/ows", authcfg="zz99zz9"), "does not exist"),
    (ServiceEntry("A", ServiceType.NGSI, "http://127.0.0.1:1026", options={"fiware_servicepath": "sensors"}),
     "service path"),
    (ServiceEntry("A", ServiceType.NGSI, "http://127.0.0.1:1026", options={"fiware_service": "Herne Nord"}),
     "FIWARE service"),
    (ServiceEntry("A", ServiceType.MQTT, "mqtt://127.0.0.1", options={"topic": "v3/#/up"}), "MQTT topic"),
    (ServiceEntry("A", ServiceType.WMS, "https://example.org/ows", options={"topic": "x"}), "Unknown option"),
    (ServiceEntry("A", ServiceType.PORTAL, "https://example.org"), "cannot be added"),
]


@pytest.mark.parametrize("entry, reason", BAD_ENTRIES, ids=[reason for _entry, reason in BAD_ENTRIES])
def test_bad_entries_are_refused_with_a_reason_and_nothing_is_saved(catalog, catalog_settings, entry, reason):  # noqa: F811
    before = catalog_settings.value(USER_SERVICES_KEY)
    with pytest.raises(ServiceValidationError, match=reason):
        catalog.add_user_service(entry)
    assert catalog_settings.value(USER_SERVICES_KEY) == before
    assert catalog.user_services() == []


def test_duplicate_names_are_refused(catalog):
    catalog.add_user_service(ServiceEntry("Kanalkataster", ServiceType.WMS, "https://example.org/wms"))
    with pytest.raises(ServiceValidationError, match="already exists"):
        catalog.add_user_service(ServiceEntry("kanalkataster", ServiceType.WFS, "https://example.org/wfs"))
    assert len(catalog.user_services()) == 1


SECRET_URLS = [
    "https://inspektor:{}@geodaten.herne.de/geoserver/ows".format(BASIC_PASSWORD),
    "https://geodaten.herne.de/geoserver/ows?SERVICE=WMS&password={}".format(BASIC_PASSWORD),
    "https://geodaten.herne.de/geoserver/ows?TOKEN={}".format(BASIC_PASSWORD),
    "https://geodaten.herne.de/geoserver/ows?apikey={}".format(BASIC_PASSWORD),
    "mqtts://ttn:{}@eu1.cloud.thethings.network:8883".format(BASIC_PASSWORD),
]


@pytest.mark.parametrize("url", SECRET_URLS)
def test_secrets_in_urls_are_refused_and_never_stored_or_logged(catalog, catalog_settings, url, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG, logger="herne_twin_plugin")
    service_type = ServiceType.MQTT if url.startswith("mqtt") else ServiceType.WMS
    with pytest.raises(ServiceValidationError, match="authentication configuration") as refused:
        catalog.add_user_service(ServiceEntry("Geheim", service_type, url))
    assert BASIC_PASSWORD not in str(refused.value)  # the message shows the URL redacted
    assert catalog.user_services() == []
    catalog_settings._settings.sync()
    ini_text = catalog_settings.ini_path.read_text(encoding="utf-8") if catalog_settings.ini_path.exists() else ""
    assert BASIC_PASSWORD not in ini_text
    assert BASIC_PASSWORD not in caplog.text


def test_authcfg_is_stored_by_id_and_the_password_stays_in_the_auth_database(
        catalog, catalog_settings, basic_authcfg, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG, logger="herne_twin_plugin")
    stored = catalog.add_user_service(ServiceEntry(
        "Kanalkataster (intern)", ServiceType.WFS, "https://geodaten.herne.de/intern/ows", authcfg=basic_authcfg))
    catalog_settings._settings.sync()
    ini_text = catalog_settings.ini_path.read_text(encoding="utf-8")
    assert basic_authcfg in ini_text
    assert "Kanalkataster" in ini_text
    assert BASIC_PASSWORD not in ini_text
    assert "inspektor" not in ini_text
    assert BASIC_PASSWORD not in caplog.text
    assert catalog.user_services() == [stored]


def test_broken_stored_entries_are_skipped(catalog, catalog_settings, caplog):  # noqa: F811
    catalog_settings.set_json_value(USER_SERVICES_KEY, [
        {"id": "user-1", "name": "Gut", "type": "wms", "url": "https://example.org/wms"},
        {"id": "user-2", "name": "Kaputt", "type": "gopher", "url": "gopher://example.org"},
        {"id": "user-3", "type": "wfs"},
    ])
    assert [entry.name for entry in catalog.user_services()] == ["Gut"]
    assert "skipped" in caplog.text
