"""The WFS transport's GML geometry reader (transports/gml.py): every simple-feature geometry a
WFS sends, in GML 2, 3.1 and 3.2 spellings, read as the geometry QGIS reads from the same WKT;
what it cannot read is a ValueError naming why."""

import pytest
from lxml import etree
from qgis.core import QgsGeometry

from herne_twin_plugin.core.field.transports import gml

GML31 = 'xmlns:gml="http://www.opengis.net/gml"'
GML32 = 'xmlns:gml="http://www.opengis.net/gml/3.2"'
SQUARE = "369000 5713000 369010 5713000 369010 5713010 369000 5713010 369000 5713000"
HOLE = "369002 5713002 369004 5713002 369004 5713004 369002 5713002"


def _ring(pos_list, boundary="exterior"):
    return "<gml:{0}><gml:LinearRing><gml:posList>{1}</gml:posList></gml:LinearRing></gml:{0}>".format(
        boundary, pos_list)


CASES = [
    ("<gml:Point {ns}><gml:pos>369000.5 5713000.25</gml:pos></gml:Point>", "Point (369000.5 5713000.25)"),
    ("<gml:Point {ns}><gml:coordinates>369000.5,5713000.25</gml:coordinates></gml:Point>",
     "Point (369000.5 5713000.25)"),
    ('<gml:Point {ns} srsDimension="3"><gml:pos>369000 5713000 60</gml:pos></gml:Point>', "Point (369000 5713000)"),
    ("<gml:LineString {ns}><gml:posList>369000 5713000 369010 5713005</gml:posList></gml:LineString>",
     "LineString (369000 5713000, 369010 5713005)"),
    ('<gml:LineString {ns}><gml:posList srsDimension="3">369000 5713000 1 369010 5713005 2</gml:posList>'
     "</gml:LineString>", "LineString (369000 5713000, 369010 5713005)"),
    ("<gml:Polygon {ns}>" + _ring(SQUARE) + _ring(HOLE, "interior") + "</gml:Polygon>",
     "Polygon ((369000 5713000, 369010 5713000, 369010 5713010, 369000 5713010, 369000 5713000),"
     "(369002 5713002, 369004 5713002, 369004 5713004, 369002 5713002))"),
    ("<gml:Polygon {ns}><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>369000,5713000 369010,5713000 "
     "369010,5713010 369000,5713000</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>",
     "Polygon ((369000 5713000, 369010 5713000, 369010 5713010, 369000 5713000))"),
    ("<gml:MultiSurface {ns}><gml:surfaceMember><gml:Polygon>" + _ring(SQUARE) + "</gml:Polygon></gml:surfaceMember>"
     "<gml:surfaceMember><gml:Polygon>" + _ring(HOLE) + "</gml:Polygon></gml:surfaceMember></gml:MultiSurface>",
     "MultiPolygon (((369000 5713000, 369010 5713000, 369010 5713010, 369000 5713010, 369000 5713000)),"
     "((369002 5713002, 369004 5713002, 369004 5713004, 369002 5713002)))"),
    ("<gml:MultiPolygon {ns}><gml:polygonMember><gml:Polygon>" + _ring(SQUARE) + "</gml:Polygon>"
     "</gml:polygonMember></gml:MultiPolygon>",
     "MultiPolygon (((369000 5713000, 369010 5713000, 369010 5713010, 369000 5713010, 369000 5713000)))"),
    ("<gml:MultiSurface {ns}><gml:surfaceMembers><gml:Polygon>" + _ring(SQUARE) + "</gml:Polygon>"
     "</gml:surfaceMembers></gml:MultiSurface>",
     "MultiPolygon (((369000 5713000, 369010 5713000, 369010 5713010, 369000 5713010, 369000 5713000)))"),
    ("<gml:MultiPoint {ns}><gml:pointMember><gml:Point><gml:pos>1 2</gml:pos></gml:Point></gml:pointMember>"
     "<gml:pointMember><gml:Point><gml:pos>3 4</gml:pos></gml:Point></gml:pointMember></gml:MultiPoint>",
     "MultiPoint ((1 2),(3 4))"),
    ("<gml:MultiCurve {ns}><gml:curveMember><gml:LineString><gml:posList>1 2 3 4</gml:posList></gml:LineString>"
     "</gml:curveMember></gml:MultiCurve>", "MultiLineString ((1 2, 3 4))"),
    ("<gml:MultiLineString {ns}><gml:lineStringMember><gml:LineString><gml:coordinates>1,2 3,4</gml:coordinates>"
     "</gml:LineString></gml:lineStringMember></gml:MultiLineString>", "MultiLineString ((1 2, 3 4))"),
]


@pytest.mark.parametrize("namespace", [GML31, GML32])
@pytest.mark.parametrize("text,wkt", CASES)
def test_a_gml_geometry_reads_as_qgis_reads_its_wkt(text, wkt, namespace):
    geometry = QgsGeometry()
    geometry.fromWkb(gml.to_wkb(etree.fromstring(text.format(ns=namespace))))
    expected = QgsGeometry.fromWkt(wkt)
    assert geometry.asWkt(3) == expected.asWkt(3)
    assert bytes(geometry.asWkb()) == bytes(expected.asWkb())


@pytest.mark.parametrize("text,why", [
    ("<gml:Point {ns}><gml:pos>369000</gml:pos></gml:Point>", "fewer than two numbers"),
    ("<gml:LineString {ns}><gml:posList>1 2 3</gml:posList></gml:LineString>", "not in steps of 2"),
    ("<gml:LineString {ns}><gml:posList>1 2</gml:posList></gml:LineString>", "fewer than two points"),
    ("<gml:Polygon {ns}>" + _ring("1 2 3 4 1 2") + "</gml:Polygon>", "fewer than four points"),
    ("<gml:Polygon {ns}>" + _ring(HOLE, "interior") + "</gml:Polygon>", "without one exterior"),
    ("<gml:Polygon {ns}><gml:exterior></gml:exterior></gml:Polygon>", "without one LinearRing"),
    ("<gml:Curve {ns}><gml:segments/></gml:Curve>", "Curve is not supported"),
    ("<gml:Point {ns}><gml:pos>east north</gml:pos></gml:Point>", "could not convert"),
])
def test_what_the_reader_cannot_read_is_a_value_error_saying_why(text, why):
    with pytest.raises(ValueError, match=why):
        gml.to_wkb(etree.fromstring(text.format(ns=GML31)))
