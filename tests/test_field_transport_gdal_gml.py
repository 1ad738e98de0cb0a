"""Large WFS answers read by GDAL's GML driver give exactly the ServerFeatures the Python reader
gives (values, NULLs, strings that look like numbers, dates, umlauts, positions, multipolygons,
gml ids), and every answer GDAL could read otherwise is read in Python instead."""

import pytest

from herne_twin_plugin.core.field.manifest import PackageLayer
from herne_twin_plugin.core.field.transports import base, gdal_gml, transport_for

pytestmark = pytest.mark.skipif(not gdal_gml.available(), reason="GDAL's GML driver is not installed")

FIELDS = (("bld_uuid", "str"), ("house_no", "str"), ("storeys", "int"), ("height_m", "real"),
          ("built", "date"), ("surveyed", "datetime"), ("listed", "bool"), ("street", "str"))
SERVER_FIELDS = list(FIELDS) + [("remark", "str")]  # a server field the package does not have
GML31 = "http://www.opengis.net/gml"
GML32 = "http://www.opengis.net/gml/3.2"
NS = "http://www.qgis.org/gml"


def building_layer(version="1.1.0"):
    return PackageLayer("buildings", "asset", "wfs", "http://127.0.0.1:9/ows", "buildings", version, "",
                        "bld_uuid", "MultiPolygon", fields=FIELDS, writable=True)


def square(x, y, size=7.25):
    return "{0!r} {1!r} {2!r} {1!r} {2!r} {3!r} {0!r} {3!r} {0!r} {1!r}".format(x, y, x + size, y + size)


def member(n, version="1.1.0", geometry=None, values=None):
    """One building: a MultiSurface of two polygons (the second with a hole) unless ``geometry``."""
    x, y = 369000.123456 + n * 0.5, 5712000.987654 + n * 0.25
    if geometry is None:
        geometry = (
            '<gml:MultiSurface srsName="EPSG:25832"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>'
            '<gml:posList srsDimension="2">{}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>'
            '</gml:surfaceMember><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>'
            '<gml:posList srsDimension="2">{}</gml:posList></gml:LinearRing></gml:exterior><gml:interior>'
            '<gml:LinearRing><gml:posList srsDimension="2">{}</gml:posList></gml:LinearRing></gml:interior>'
            '</gml:Polygon></gml:surfaceMember></gml:MultiSurface>').format(
            square(x, y), square(x + 20, y), square(x + 21, y + 1, 2.5))
    if values is None:
        values = {
            "bld_uuid": "B-{:06d}".format(n), "house_no": "00{}".format(n % 13) if n % 3 else "12a",
            "storeys": str(n % 7), "height_m": "{}.{}".format(n % 40, n % 10), "built": "19{:02d}-0{}-1{}".format(
                n % 100, n % 9 + 1, n % 10), "surveyed": "2024-03-0{}T1{}:30:00{}".format(
                n % 9 + 1, n % 10, "Z" if n % 2 else "+01:00"), "listed": "true" if n % 4 else "false",
            "street": ["Bahnhofstraße", "Am Grünen Weg", "1e5", "Düngelstraße  7 "][n % 4],
            "remark": "keine" if n % 5 else None}
    children = ['<qgs:geometry>{}</qgs:geometry>'.format(geometry)]
    for name, value in values.items():
        if value is None:
            if n % 2:
                children.append('<qgs:{} xsi:nil="true"/>'.format(name))  # else omitted: both NULL
        else:
            children.append("<qgs:{0}>{1}</qgs:{0}>".format(name, value.replace("&", "&amp;").replace("<", "&lt;")))
    member_tag = "wfs:member" if version.startswith("2.") else "gml:featureMember"
    return '<{0}><qgs:buildings gml:id="buildings.{1}">{2}</qgs:buildings></{0}>'.format(
        member_tag, n, "".join(children))


def answer(members, version="1.1.0"):
    wfs = "http://www.opengis.net/wfs/2.0" if version.startswith("2.") else "http://www.opengis.net/wfs"
    gml = GML32 if version.startswith("2.") else GML31
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection xmlns:wfs="{}" xmlns:gml="{}" '
            'xmlns:qgs="{}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n{}\n'
            '</wfs:FeatureCollection>'.format(wfs, gml, NS, "\n".join(members))).encode("utf-8")


def python_read(transport, body):
    return list(transport._streamed_features(body, SERVER_FIELDS, "geometry", NS))


def gdal_read(transport, body):
    return gdal_gml.read(body, transport.layer, SERVER_FIELDS, "geometry", NS, transport.dialect.gml)


@pytest.mark.parametrize("version", ["1.1.0", "2.0.0"])
def test_gdal_reads_a_large_answer_exactly_as_the_python_reader(qgis_app, version):
    transport = transport_for(building_layer(version))
    body = answer([member(n, version) for n in range(1, 1201)], version)
    assert len(body) > gdal_gml.MIN_BYTES
    by_python, by_gdal = python_read(transport, body), gdal_read(transport, body)
    assert by_gdal is not None, "GDAL did not read the answer"
    assert len(by_gdal) == 1200
    assert by_gdal == by_python
    first = by_gdal[0]
    assert first.server_id == "buildings.1" and first.key == "B-000001"
    assert first.values["house_no"] == "001" and first.values["storeys"] == 1 and first.values["listed"] is True
    assert first.values["built"] == "1901-02-11" and first.values["surveyed"] == "2024-03-02T11:30:00Z"
    assert by_gdal[1].values["street"] == "1e5" and first.values["street"] == "Am Grünen Weg"
    assert by_gdal[2].values["street"] == "Düngelstraße  7 "  # inner and trailing spaces kept
    assert by_gdal[4].extra == {"remark": None} and by_gdal[3].extra == {"remark": "keine"}
    assert first.geometry.startswith("0106000000")  # little-endian MultiPolygon as gml.py writes it


def test_a_small_answer_is_read_in_python(qgis_app):
    transport = transport_for(building_layer())
    assert gdal_read(transport, answer([member(1)])) is None


def big(transport, odd_member, version="1.1.0"):
    """A large answer with one member that GDAL might read otherwise in its middle."""
    members = [member(n, version) for n in range(1, 1201)]
    members[600] = odd_member
    return answer(members, version)


@pytest.mark.parametrize("odd_text", ["  0012", "", "   ", "&#32;12a"], ids=["leading", "empty", "blank", "ref"])
def test_texts_gdal_reads_otherwise_are_read_in_python(qgis_app, odd_text):
    transport = transport_for(building_layer())
    values = {"bld_uuid": "B-odd", "house_no": "{}"}
    body = big(transport, member(601, values=values).replace(">{}<", ">" + odd_text + "<"))
    assert gdal_read(transport, body) is None
    odd = next(feature for feature in python_read(transport, body) if feature.key == "B-odd")
    assert odd.values["house_no"] == {"  0012": "  0012", "": "", "   ": "   ", "&#32;12a": " 12a"}[odd_text]
    empty_tag = big(transport, member(601, values={"bld_uuid": "B-odd"}).replace(
        "</qgs:buildings>", "<qgs:street/></qgs:buildings>"))
    assert gdal_read(transport, empty_tag) is None


def test_a_curved_geometry_is_not_read_by_gdal_and_the_python_reader_refuses_it(qgis_app):
    transport = transport_for(building_layer())
    arc = ('<gml:Curve srsName="EPSG:25832"><gml:segments><gml:Arc><gml:posList srsDimension="2">'
           '369000 5712000 369001 5712001 369002 5712000</gml:posList></gml:Arc></gml:segments></gml:Curve>')
    body = big(transport, member(601, geometry=arc))
    assert gdal_read(transport, body) is None
    with pytest.raises(base.TransportError) as error:
        python_read(transport, body)
    assert error.value.kind == base.INVALID_ANSWER


def test_a_third_dimension_is_left_to_the_python_reader_which_drops_it(qgis_app):
    transport = transport_for(building_layer())
    point = '<gml:Point srsName="EPSG:25832"><gml:pos srsDimension="3">369000.5 5712000.25 71.5</gml:pos></gml:Point>'
    body = big(transport, member(601, geometry=point))
    assert gdal_read(transport, body) is None
    flat = point.replace(" 71.5", "").replace('"3"', '"2"')
    assert python_read(transport, body)[600].geometry == python_read(transport, answer([member(601, geometry=flat)]))[
        0].geometry


def test_a_broken_answer_is_left_to_the_python_reader_and_its_error(qgis_app):
    transport = transport_for(building_layer())
    body = answer([member(n) for n in range(1, 1201)])
    cut = body[:len(body) // 2]
    assert gdal_read(transport, cut) is None
    with pytest.raises(base.TransportError) as error:
        python_read(transport, cut)
    assert error.value.kind == base.INVALID_ANSWER


def test_a_feature_outside_a_member_or_a_members_list_sends_the_answer_to_the_python_reader(qgis_app):
    transport = transport_for(building_layer())
    loose = big(transport, member(601).replace("gml:featureMember", "gml:annotation"))
    assert gdal_read(transport, loose) is None
    assert len(python_read(transport, loose)) == 1199  # the Python reader reads members only
    listed = big(transport, member(601)).replace(b"<gml:featureMember>", b"<gml:featureMembers>", 1).replace(
        b"</gml:featureMember>", b"</gml:featureMembers>", 1)
    assert gdal_read(transport, listed) is None
    assert python_read(transport, listed)[0].key == "B-000001"
    other_type = big(transport, member(601).replace("<qgs:buildings ", "<qgs:buildings_old ").replace(
        "</qgs:buildings>", "</qgs:buildings_old>"))
    assert gdal_read(transport, other_type) is None
    assert len(python_read(transport, other_type)) == 1199


def test_no_memory_file_is_left_behind(qgis_app):
    from osgeo import gdal
    transport = transport_for(building_layer())
    gdal_read(transport, answer([member(n) for n in range(1, 1201)]))
    gdal_read(transport, answer([member(n) for n in range(1, 1201)])[:300000])
    assert not [name for name in gdal.ReadDir("/vsimem/") or [] if name.startswith("hernetwin_wfs_")]
