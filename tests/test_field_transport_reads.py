"""How the WFS transport reads the features of an area: one GetFeature where the server hands
out everything it counts, pages sorted by the key only where it hands out fewer, the area's
bounding box on the server and the exact intersection here, repeated keys passed on (the
package's copy check names them) and only a page's repeat of the same feature dropped.
A scripted WFS on 127.0.0.1 (tests/test_field_transport_faults.py) plays the server."""

import re

import pytest
from test_field_transport_faults import DESCRIBE, ScriptedServer, wfs_layer

from herne_twin_plugin.core.field.transports import transport_for

XML = {"Content-Type": "text/xml"}


def collection(features, number=None, version="1.1.0"):
    """A GetFeature answer of (gml id, light_uuid, x, y) rows; ``number``: numberOfFeatures."""
    wfs = "http://www.opengis.net/wfs/2.0" if version.startswith("2.") else "http://www.opengis.net/wfs"
    members = "".join(
        '<gml:featureMember><qgs:street_lights gml:id="{}"><qgs:geometry><gml:Point srsName="EPSG:25832">'
        '<gml:pos srsDimension="2">{} {}</gml:pos></gml:Point></qgs:geometry><qgs:light_uuid>{}</qgs:light_uuid>'
        '<qgs:lamp_type>LED</qgs:lamp_type><qgs:wattage_w>40</qgs:wattage_w></qgs:street_lights>'
        '</gml:featureMember>'.format(gml_id, x, y, key) for gml_id, key, x, y in features)
    attribute = ' numberOfFeatures="{}"'.format(number) if number is not None else ""
    return ('<wfs:FeatureCollection xmlns:wfs="{}" xmlns:gml="http://www.opengis.net/gml" '
            'xmlns:qgs="http://www.qgis.org/gml"{}>{}</wfs:FeatureCollection>'.format(
                wfs, attribute, members)).encode()


LIGHTS = [("street_lights.{}".format(n), "L-{:02d}".format(n), 369500.0 + n, 5713000.0) for n in range(1, 6)]


def serve(server, answer):
    """The scripted WFS: DescribeFeatureType, and ``answer(request body) -> bytes`` for GetFeature."""
    def script(request):
        if request["query"].get("REQUEST") == "DescribeFeatureType":
            return 200, XML, DESCRIBE
        if b"GetFeature" in request["body"]:
            return 200, XML, answer(request["body"])
        return 400, {}, b"unexpected"
    server.script = script


def get_features(server):
    return [request["body"] for request in server.requests if b"GetFeature" in request["body"]]


@pytest.fixture
def server():
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


def test_one_request_when_the_server_hands_out_all_it_counts(qgis_app, server):
    serve(server, lambda body: collection([], len(LIGHTS)) if b'resultType="hits"' in body
          else collection(LIGHTS, len(LIGHTS)))
    keys = [feature.key for feature in transport_for(wfs_layer(server.url)).features_in_area("")]
    assert keys == [key for _, key, _, _ in LIGHTS]
    hits, results = get_features(server)
    assert b'resultType="hits"' in hits
    # neither a page size nor a sort: the server reads its table once, in its own order
    assert b"maxFeatures" not in results and b"SortBy" not in results and b"resultType" not in results


def test_a_server_that_hands_out_fewer_than_it_counts_is_read_in_pages_sorted_by_the_key(qgis_app, server):
    cap = 2

    def answer(body):
        if b'resultType="hits"' in body:
            return collection([], len(LIGHTS))
        start = int(re.search(rb'startIndex="(\d+)"', body).group(1)) if b"startIndex" in body else 0
        return collection(LIGHTS[start:start + cap])  # a server-side limit of two features per answer

    serve(server, answer)
    keys = [feature.key for feature in transport_for(wfs_layer(server.url)).features_in_area("")]
    assert keys == [key for _, key, _, _ in LIGHTS]
    pages = get_features(server)[2:]
    assert len(pages) == 3 and all(b'maxFeatures="2"' in page and b"SortBy" in page for page in pages)
    assert [re.search(rb'startIndex="(\d+)"', page).group(1) for page in pages] == [b"0", b"2", b"4"]


def test_a_server_without_a_count_is_read_in_pages(qgis_app, server):
    serve(server, lambda body: collection(LIGHTS))  # no numberOfFeatures, also not for hits
    keys = [feature.key for feature in transport_for(wfs_layer(server.url)).features_in_area("")]
    assert keys == [key for _, key, _, _ in LIGHTS]
    assert b'maxFeatures="1000"' in get_features(server)[-1]


def test_a_repeated_key_is_passed_on_and_a_page_repeat_is_dropped(qgis_app, server):
    twin = ("street_lights.9", "L-01", 369600.0, 5713000.0)  # another feature with the key of street_lights.1
    pages = {0: [LIGHTS[0], twin, LIGHTS[1]],
             # the order shifted under an edit: the second page starts with the first page's last feature
             3: [LIGHTS[1], LIGHTS[2], LIGHTS[3]],
             6: [LIGHTS[4]]}

    def answer(body):
        if b'resultType="hits"' in body:
            return collection([], 6)
        if b"startIndex" not in body:
            return collection(pages[0])  # a server-side limit of three
        return collection(pages[int(re.search(rb'startIndex="(\d+)"', body).group(1))])

    serve(server, answer)
    features = list(transport_for(wfs_layer(server.url)).features_in_area(""))
    assert [feature.server_id for feature in features] == [
        "street_lights.1", "street_lights.9", "street_lights.2", "street_lights.3", "street_lights.4",
        "street_lights.5"]
    assert [feature.key for feature in features].count("L-01") == 2


def test_the_area_goes_as_a_bounding_box_and_is_cut_exactly_here(qgis_app, server):
    # a triangle whose bounding box holds every light, but only the lights left of its diagonal are in it
    triangle = "POLYGON((369500 5712990, 369506 5712990, 369500 5713010, 369500 5712990))"
    serve(server, lambda body: collection([], len(LIGHTS)) if b'resultType="hits"' in body
          else collection(LIGHTS, len(LIGHTS)))
    keys = [feature.key for feature in transport_for(wfs_layer(server.url)).features_in_area(triangle)]
    # at y = 5713000 the triangle reaches x = 369503: L-01 .. L-03
    assert keys == ["L-01", "L-02", "L-03"]
    results = get_features(server)[-1]
    assert b"<ogc:BBOX>" in results and b"Intersects" not in results


def test_the_count_for_the_pre_check_is_the_servers_hits_of_the_exact_area(qgis_app, server):
    serve(server, lambda body: collection([], 3))
    area = "POLYGON((369500 5712990, 369506 5712990, 369500 5713010, 369500 5712990))"
    assert transport_for(wfs_layer(server.url)).count_in_area(area) == (3, True)
    hits = get_features(server)[-1]
    assert b'resultType="hits"' in hits and b"<ogc:Intersects>" in hits


def test_a_large_area_is_read_as_strips_and_a_feature_on_a_strip_edge_comes_once(qgis_app, server, monkeypatch):
    from herne_twin_plugin.core.field.transports import wfst

    monkeypatch.setattr(wfst, "STRIP_FEATURES", 2)  # five lights: three strips across the wider side

    def answer(body):
        if b'resultType="hits"' in body:
            return collection([], len(LIGHTS))
        low = float(re.search(rb"<gml:lowerCorner>([\d.]+) ", body).group(1))
        high = float(re.search(rb"<gml:upperCorner>([\d.]+) ", body).group(1))
        return collection([light for light in LIGHTS if low <= light[2] <= high])  # edges count, as in BBOX

    serve(server, answer)
    area = "POLYGON((369500 5712999, 369506 5712999, 369506 5713001, 369500 5713001, 369500 5712999))"
    features = list(transport_for(wfs_layer(server.url)).features_in_area(area))
    assert sorted(feature.key for feature in features) == [key for _, key, _, _ in LIGHTS]
    strips = get_features(server)[1:]
    assert len(strips) == 3 and all(b"<ogc:BBOX>" in strip for strip in strips)
    # the lights at x = 369502 and 369504 lie on strip edges: sent twice by the server, passed on once
    assert sum(len(answer(strip).split(b"<gml:featureMember>")) - 1 for strip in strips) == len(LIGHTS) + 2


def test_the_pre_checks_count_of_a_rectangle_stands_for_the_read_that_follows(qgis_app, server):
    serve(server, lambda body: collection([], len(LIGHTS)) if b'resultType="hits"' in body
          else collection(LIGHTS, len(LIGHTS)))
    rectangle = "POLYGON((369500 5712999, 369506 5712999, 369506 5713001, 369500 5713001, 369500 5712999))"
    assert transport_for(wfs_layer(server.url)).count_in_area(rectangle) == (len(LIGHTS), True)
    assert len(list(transport_for(wfs_layer(server.url)).features_in_area(rectangle))) == len(LIGHTS)
    requests = get_features(server)
    assert [b'resultType="hits"' in body for body in requests] == [True, False]
    assert all(b"<ogc:BBOX>" in body for body in requests)
    # used once: a second read asks the server again
    list(transport_for(wfs_layer(server.url)).features_in_area(rectangle))
    assert [b'resultType="hits"' in body for body in get_features(server)[2:]] == [True, False]


def test_a_fields_text_is_read_as_sent_blank_nil_and_absent_ones_too(qgis_app, server):
    answer = ('<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml" '
              'xmlns:qgs="http://www.qgis.org/gml" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
              ' <gml:featureMember>\n  <qgs:street_lights gml:id="street_lights.1">\n'
              '   <qgs:light_uuid>L-01</qgs:light_uuid>\n   <qgs:lamp_type>  </qgs:lamp_type>\n'
              '   <qgs:wattage_w xsi:nil="true"/>\n  </qgs:street_lights>\n </gml:featureMember>\n'
              ' <gml:featureMember>\n  <qgs:street_lights gml:id="street_lights.2">\n'
              '   <qgs:light_uuid>L-02</qgs:light_uuid>\n   <qgs:lamp_type>LED &amp; Co</qgs:lamp_type>\n'
              '   <qgs:wattage_w> 40 </qgs:wattage_w>\n  </qgs:street_lights>\n </gml:featureMember>\n'
              '</wfs:FeatureCollection>').encode()
    serve(server, lambda body: collection([], 2) if b'resultType="hits"' in body else answer)
    first, second = transport_for(wfs_layer(server.url)).features_in_area("")
    assert first.values == {"light_uuid": "L-01", "lamp_type": "  ", "wattage_w": None}
    assert first.geometry is None and first.server_id == "street_lights.1"
    assert second.values == {"light_uuid": "L-02", "lamp_type": "LED & Co", "wattage_w": 40}
