"""The field sync under server faults: 500, 412, time-outs and connection resets, also after the
server has applied a write (applied but not confirmed), in the middle of a batch.

Every fault comes from the fault proxy (scripts/backend/fault_proxy.py) in front of the real
local servers (QGIS Server WFS-T, pygeoapi OGC API Features Part 4). What must hold: the sync
stops or retries cleanly, the journal keeps every edit the server has not confirmed, and a
second sync once the fault is gone completes with the server exactly as after an
uninterrupted sync (nothing lost, nothing applied twice).
"""

import json
import uuid

import pytest
from backend.fault_proxy import FaultProxy
from backend.processes import http_request
from field_support import INSPECTIONS, ServerTables, origin


@pytest.fixture(scope="module")
def server_tables(city_backend):
    tables = ServerTables(city_backend)
    tables.save_baseline()
    yield tables
    tables.reset()
    tables.drop_baseline()
    tables.close()


@pytest.fixture(scope="module")
def proxies(city_backend, tmp_path_factory):
    """A fault proxy in front of each server: {'wfs': ..., 'oapif': ...}."""
    log_dir = str(tmp_path_factory.mktemp("fault_proxy"))
    started = {}
    try:
        for kind, url in (("wfs", city_backend.wfs_url), ("oapif", city_backend.pygeoapi_url)):
            started[kind] = FaultProxy(origin(url), log_dir).start()
        yield started
    finally:
        for proxy in started.values():
            proxy.stop()


@pytest.fixture
def proxy_for(proxies):
    """The proxies with no rules and an empty log, for one test."""
    for proxy in proxies.values():
        proxy.clear()
    yield proxies
    for proxy in proxies.values():
        proxy.clear()


def _inspection_body(key):
    return json.dumps({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [369500.0, 5713500.0]},
        "properties": {"inspection_uuid": key, "asset_layer": "street_lights", "asset_key": "x",
                       "inspected_at": "2026-11-26T08:00:00Z", "inspector": "Jürgen Prüfer", "condition": 3,
                       "defects": "", "notes": "Proxy-Test", "photos": "", "status": "open"},
    }).encode("utf-8")


def _post_inspection(proxy, city_backend, key):
    url = proxy.url_for(city_backend.pygeoapi_url + "/collections/inspections/items")
    return http_request(url, method="POST", data=_inspection_body(key),
                        headers={"Content-Type": "application/geo+json"}, timeout=5)


# -- the fault proxy itself: the faults are real ---------------------------------------------------


def test_the_proxy_passes_requests_through_and_points_links_at_itself(proxy_for, city_backend):
    proxy = proxy_for["oapif"]
    url = proxy.url_for(city_backend.pygeoapi_url + "/collections/street_lights/items?limit=2&f=json")
    status, _, body = http_request(url)
    assert status == 200
    page = json.loads(body)
    assert len(page["features"]) == 2
    next_links = [link["href"] for link in page["links"] if link.get("rel") == "next"]
    assert next_links and all(link.startswith(proxy.origin) for link in next_links), next_links


def test_reset_after_forwarding_leaves_the_write_applied_but_unconfirmed(proxy_for, city_backend, server_tables):
    proxy = proxy_for["oapif"]
    key = str(uuid.uuid4())
    proxy.set_rules({"action": "reset_after", "method": "POST"})
    with pytest.raises(ConnectionResetError):
        _post_inspection(proxy, city_backend, key)
    assert server_tables.row(INSPECTIONS, key) is not None, "the server did not get the write the proxy forwarded"
    assert [entry["action"] for entry in proxy.fired()] == ["reset_after"]
    server_tables.reset()


@pytest.mark.parametrize("rule", [{"action": "status", "status": 500}, {"action": "reset_before"},
                                  {"action": "reset_mid_request"}])
def test_faults_before_forwarding_never_reach_the_server(proxy_for, city_backend, server_tables, rule):
    proxy = proxy_for["oapif"]
    key = str(uuid.uuid4())
    proxy.set_rules(dict(rule, method="POST"))
    try:
        status, _, _ = _post_inspection(proxy, city_backend, key)
    except ConnectionResetError:
        status = None
    assert status in (None, 500)
    assert server_tables.row(INSPECTIONS, key) is None
    status, _, _ = _post_inspection(proxy, city_backend, key)  # the rule fired once: now it goes through
    assert status in (200, 201)
    assert server_tables.row(INSPECTIONS, key) is not None
    server_tables.reset()
