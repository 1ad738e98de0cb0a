"""If-Match against a real server's data: pygeoapi behind the ETag front (scripts/backend/
etag_front.py), as an ldproxy-like OGC API server that sends ETags and answers 412."""

import psycopg2
import pytest
from backend.etag_front import EtagFront
from test_field_transport_backend import STREET_LIGHT_FIELDS

from herne_twin_plugin.core.field.manifest import PackageLayer
from herne_twin_plugin.core.field.transports import base, transport_for

pytestmark = pytest.mark.backend


def sql(backend, statement, *args):
    with psycopg2.connect(backend.pg_dsn()) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def front(city_backend):
    with EtagFront(city_backend.pygeoapi_url) as running:
        yield running


def layer(front):
    return PackageLayer("street_lights", "asset", "oapif", front.url, "street_lights", "", "", "light_uuid", "Point",
                        fields=STREET_LIGHT_FIELDS, writable=True)


def test_update_with_the_current_etag_is_written(city_backend, front):
    key = sql(city_backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid OFFSET 400 LIMIT 1")[0][0]
    transport = transport_for(layer(front))
    current = transport.features_by_key([key])[key]
    assert current.version.startswith('"')
    transport.update(current, {"lamp_type": "LED-ETag"})
    written = sql(city_backend, "SELECT lamp_type FROM assets.street_lights WHERE light_uuid = %s", key)[0][0]
    assert written == "LED-ETag"
    assert front.refused == 0


def test_stale_etag_is_refused_by_the_server_and_nothing_is_written(city_backend, front):
    key = sql(city_backend, "SELECT light_uuid FROM assets.street_lights ORDER BY fid OFFSET 401 LIMIT 1")[0][0]
    transport = transport_for(layer(front))
    current = transport.features_by_key([key])[key]
    sql(city_backend, "UPDATE assets.street_lights SET wattage_w = 999 WHERE light_uuid = %s", key)  # the office
    with pytest.raises(base.TransportError) as refused:
        transport.update(current, {"lamp_type": "LED-stale"})
    assert refused.value.kind == base.PRECONDITION_FAILED and refused.value.status == 412
    with pytest.raises(base.TransportError) as refused_delete:
        transport.delete(current)
    assert refused_delete.value.kind == base.PRECONDITION_FAILED
    assert front.refused == 2
    assert sql(city_backend, "SELECT lamp_type, wattage_w FROM assets.street_lights WHERE light_uuid = %s",
               key)[0] == (current.values["lamp_type"], 999)
