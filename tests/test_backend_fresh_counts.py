"""The local QGIS Server's recount (scripts/backend/server_plugins/herne_fresh_counts) is made for
the requests whose answer reports a count, and only for them (a plain GetFeature strip of the
full city would take the footprints' extent again, which no real server does)."""

import importlib.util
import os

import pytest

PLUGIN = os.path.join(os.path.dirname(__file__), os.pardir, "scripts", "backend", "server_plugins",
                      "herne_fresh_counts", "__init__.py")


@pytest.fixture(scope="module")
def fresh_counts():
    spec = importlib.util.spec_from_file_location("herne_fresh_counts", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HITS_POST = (b'<wfs:GetFeature service="WFS" version="1.1.0" resultType = "hits" '
             b'xmlns:wfs="http://www.opengis.net/wfs"><wfs:Query typeName="street_lights"/></wfs:GetFeature>')
RESULTS_POST = HITS_POST.replace(b'resultType = "hits" ', b"")


@pytest.mark.parametrize("path, parameters, body, counted", [
    ("/wfs3/collections/street_lights/items", {"limit": "10"}, b"", True),
    ("/wfs3/collections/street_lights", {}, b"", True),
    ("/ows", {"SERVICE": "WFS", "REQUEST": "GetFeature", "RESULTTYPE": "hits"}, b"", True),
    ("/ows", {"service": "WFS", "request": "GetFeature", "resultType": "HITS"}, b"", True),
    ("/ows", {}, HITS_POST, True),
    ("/ows", {}, RESULTS_POST, False),
    ("/ows", {"SERVICE": "WFS", "REQUEST": "GetFeature", "TYPENAME": "street_lights"}, b"", False),
    ("/ows", {"SERVICE": "WMS", "REQUEST": "GetMap"}, b"", False),
])
def test_only_answers_that_report_a_count_are_counted_afresh(fresh_counts, path, parameters, body, counted):
    assert fresh_counts.reports_a_count(path, parameters, body) is counted
