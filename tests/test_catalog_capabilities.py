"""Reading capabilities safely: WMS/WFS layer lists, exception reports, wrong
documents, and XML that tries entity tricks or is too large."""

import pytest
from fixture_http_server import (
    ENTITY_XML,
    EXTERNAL_ENTITY_XML,
    WFS_110,
    WMS_111,
    WMS_130,
    WMS_EXCEPTION,
)

from herne_twin_plugin.core.services import capabilities as caps


def as_bytes(template):
    return template.replace("{base}", "http://127.0.0.1:9").encode("utf-8")


def test_wms_130_layers_titles_and_crs():
    found = caps.read_capabilities(as_bytes(WMS_130), "WMS")
    assert (found.service, found.version, found.title) == ("WMS", "1.3.0", "Herne Testdienst WMS")
    assert [layer.name for layer in found.named_layers()] == [
        "street_lights", "starkregen", "seltener_starkregen", "extremregen"]
    # "add all" takes the named children of the unnamed root layer
    assert [layer.name for layer in found.top_level_layers()] == ["street_lights", "starkregen"]
    lights = found.find("street_lights")
    assert lights.title == "Strassenbeleuchtung"
    assert lights.crs == ("EPSG:25832", "EPSG:4326")  # inherited from the root layer
    assert lights.preferred_crs() == "EPSG:25832"


def test_wms_111_with_doctype_is_read_without_fetching_its_dtd():
    found = caps.read_capabilities(as_bytes(WMS_111), "WMS")
    assert found.version == "1.1.1"
    # the named root layer has a named child: "add all" adds the child
    assert [layer.name for layer in found.top_level_layers()] == ["hw_tiefe_hq100"]
    # EPSG:25832 is not offered: EPSG:3857 is preferred over EPSG:4326
    assert found.find("hw_tiefe_hq100").preferred_crs() == "EPSG:3857"


def test_wfs_110_feature_types_with_urn_crs():
    found = caps.read_capabilities(as_bytes(WFS_110), "WFS")
    assert (found.service, found.title) == ("WFS", "Herne Testdienst WFS")
    assert [(layer.name, layer.title) for layer in found.top_level_layers()] == [
        ("herne:street_lights", "Leuchtpunkte"), ("herne:drain_inlets", "Strassenablaeufe")]
    assert found.find("herne:street_lights").crs == ("EPSG:25832", "EPSG:4326")


def test_exception_report_carries_the_server_message():
    with pytest.raises(caps.ExceptionReportError, match="Workspace geoportal ist voruebergehend deaktiviert"):
        caps.read_capabilities(WMS_EXCEPTION.encode(), "WMS")


def test_wfs_capabilities_are_the_wrong_service_for_wms():
    with pytest.raises(caps.WrongServiceError) as wrong:
        caps.read_capabilities(as_bytes(WFS_110), "WMS")
    assert wrong.value.found == "WFS"


@pytest.mark.parametrize("data", [b"", b"Wartungsarbeiten", b"<html><body><p>kaputt</body></html>", b"\xff\xfe<a"])
def test_not_xml(data):
    with pytest.raises(caps.NotXmlError):
        caps.read_capabilities(data, "WMS")


@pytest.mark.parametrize("document", [ENTITY_XML, EXTERNAL_ENTITY_XML])
def test_entities_are_refused_not_expanded(document):
    with pytest.raises(caps.UnsafeXmlError):
        caps.parse_xml(document.encode())


def test_billion_laughs_is_refused_quickly():
    levels = "".join(
        '<!ENTITY l{0} "{1}">'.format(level, "&l{};".format(level - 1) * 10) for level in range(1, 10))
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{}]><r>&l9;</r>'.format(levels)
    with pytest.raises(caps.UnsafeXmlError):
        caps.parse_xml(bomb.encode())


def test_undeclared_entity_behind_an_external_dtd_is_refused():
    document = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd"><r>&secret;</r>'
    with pytest.raises(caps.UnsafeXmlError):
        caps.parse_xml(document)


def test_size_limit_applies_before_parsing():
    data = as_bytes(WMS_130)
    assert caps.read_capabilities(data, "WMS", max_bytes=len(data)).title
    with pytest.raises(caps.AnswerTooLargeError):
        caps.read_capabilities(data, "WMS", max_bytes=len(data) - 1)
    with pytest.raises(caps.AnswerTooLargeError):
        caps.parse_json(b"[" + b"1," * 1000 + b"1]", max_bytes=100)


@pytest.mark.parametrize("given, expected", [
    ("urn:ogc:def:crs:EPSG::25832", "EPSG:25832"),
    ("http://www.opengis.net/def/crs/EPSG/0/25832", "EPSG:25832"),
    ("http://www.opengis.net/gml/srs/epsg.xml#25832", "EPSG:25832"),
    ("EPSG:25832", "EPSG:25832"),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "CRS:84"),
])
def test_crs_codes(given, expected):
    assert caps.crs_code(given) == expected


def test_oapif_documents():
    assert caps.read_oapif_landing({"title": "Herne", "links": []}) == "Herne"
    with pytest.raises(caps.WrongServiceError):
        caps.read_oapif_landing({"title": "kein OGC API"})
    with pytest.raises(caps.WrongServiceError):
        caps.check_oapif_conformance({"conformsTo": ["http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"]})
    found = caps.read_oapif_collections({"collections": [
        {"id": "trees", "title": "Strassenbaeume", "crs": ["http://www.opengis.net/def/crs/EPSG/0/25832"]},
        {"title": "no id, skipped"}]})
    assert [(layer.name, layer.title, layer.crs) for layer in found.layers] == [
        ("trees", "Strassenbaeume", ("EPSG:25832",))]
