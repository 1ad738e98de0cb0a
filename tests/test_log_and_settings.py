"""The plugin's logger reaches QGIS's message log without secrets; settings round-trip."""

import logging

import pytest
from qgis.core import Qgis, QgsApplication, QgsSettings

from herne_twin_plugin.core import log
from herne_twin_plugin.core.settings import PREFIX, PluginSettings


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://user:geheim@geodaten.herne.de/wms", "https://***@geodaten.herne.de/wms"),
        ("https://x.de/wms?SERVICE=WMS&token=abc123&x=1", "https://x.de/wms?SERVICE=WMS&token=***&x=1"),
        ("https://x.de/a?password=p&apikey=k", "https://x.de/a?password=***&apikey=***"),
        ("https://geodaten.herne.de/geoserver/ows?SERVICE=WMS", "https://geodaten.herne.de/geoserver/ows?SERVICE=WMS"),
    ],
)
def test_redact_url_hides_credentials(url, expected):
    assert log.redact_url(url) == expected


def test_log_records_reach_the_qgis_message_log(qgis_app):
    received = []

    def collect(message, tag, level):
        received.append((message, tag, level))

    QgsApplication.messageLog().messageReceived.connect(collect)
    handler = log.install()
    try:
        assert log.install() is handler, "installing twice must not double the output"
        logging.getLogger("herne_twin_plugin.core.catalog").warning("Dienst %s antwortet nicht", "WMS")
        QgsApplication.processEvents()
    finally:
        log.uninstall(handler)
        QgsApplication.messageLog().messageReceived.disconnect(collect)
    assert ("Dienst WMS antwortet nicht", log.LOG_TAG, Qgis.Warning) in received


def test_settings_round_trip_under_the_plugin_prefix(qgis_app):
    settings = PluginSettings()
    settings.set_json_value("test/entries", [{"name": "Straßenbeleuchtung", "url": "https://x.de"}])
    assert PluginSettings().json_value("test/entries", []) == [{"name": "Straßenbeleuchtung", "url": "https://x.de"}]
    assert QgsSettings().contains(PREFIX + "test/entries")
    settings.remove("test/entries")
    assert PluginSettings().json_value("test/entries", "missing") == "missing"


def test_broken_settings_value_falls_back_to_default(qgis_app):
    settings = PluginSettings()
    settings.set_value("test/broken", "{not json")
    try:
        assert settings.json_value("test/broken", []) == []
    finally:
        settings.remove("test/broken")
