"""The reader's direct route through the usual NRW surface geometry (citygml_reader._usual_multi_surface) gives
what its general path gives, building by building, for the usual shape and for every shape it hands over."""

import io
import os

import pytest
from citymodel_support import fixture_bytes, fixture_text

from herne_twin_plugin.core.citymodel import citygml_reader
from herne_twin_plugin.core.citymodel.citygml_reader import CityGMLReader

SHARED_TILES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared",
                            "data", "citygml-nrw")
GROUND = '<gml:Polygon gml:id="DENW36ALtest0001_ground">'
GROUND_RING = "369100 5713100 60 369100 5713108 60 369110 5713108 60 369110 5713100 60 369100 5713100 60"
HOLE = ('<gml:interior><gml:LinearRing><gml:posList srsDimension="3">369102 5713102 60 369104 5713102 60 '
        "369104 5713104 60 369102 5713104 60 369102 5713102 60</gml:posList></gml:LinearRing></gml:interior>")
OTHER_POLYGON = ('<gml:Polygon gml:id="extra"><gml:exterior><gml:LinearRing><gml:posList>369100 5713100 60 '
                 "369101 5713100 60 369101 5713101 60 369100 5713100 60</gml:posList></gml:LinearRing>"
                 "</gml:exterior></gml:Polygon>")

# (name, [(text in gable_house.gml, its replacement)]): each changes the ground surface's geometry
VARIANTS = [
    ("usual", []),
    ("multi surface with a supported srsName",
     [("<gml:MultiSurface>", '<gml:MultiSurface srsName="urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH">')]),
    ("multi surface in another coordinate system", [("<gml:MultiSurface>", '<gml:MultiSurface srsName="EPSG:4326">')]),
    ("multi surface with an id referred to by the solid",
     [("<gml:MultiSurface>", '<gml:MultiSurface gml:id="ground_ms">'),
      ('xlink:href="#DENW36ALtest0001_ground"', 'xlink:href="#ground_ms"')]),
    ("property by reference", [(
        fixture_text("gable_house.gml").split("<bldg:GroundSurface", 1)[1].split("<bldg:lod2MultiSurface>", 1)[1]
        .split("</bldg:lod2MultiSurface>", 1)[0], ""),
        ("<bldg:lod2MultiSurface></bldg:lod2MultiSurface>",
         '<bldg:lod2MultiSurface xlink:href="#DENW36ALtest0001_roof_south"/>'),
        ('xlink:href="#DENW36ALtest0001_ground"', 'xlink:href="#DENW36ALtest0001_roof_north"')]),
    ("polygon with a hole", [("</gml:exterior>\n                </gml:Polygon>",
                              "</gml:exterior>" + HOLE + "\n                </gml:Polygon>")]),
    ("2D positions", [('<gml:posList srsDimension="3">' + GROUND_RING,
                       '<gml:posList srsDimension="2">' + GROUND_RING)]),
    ("positions that are not numbers", [(GROUND_RING, GROUND_RING.replace("5713108", "57l3108", 1))]),
    ("degenerate polygon", [(GROUND_RING, "369100 5713100 60 369100 5713108 60 369100 5713100 60")]),
    ("ring of gml:pos", [('<gml:posList srsDimension="3">' + GROUND_RING + "</gml:posList>", "".join(
        "<gml:pos>{}</gml:pos>".format(" ".join(GROUND_RING.split()[i:i + 3])) for i in range(0, 15, 3)))]),
    ("two polygons in one member", [("</gml:Polygon>\n              </gml:surfaceMember>",
                                     "</gml:Polygon>" + OTHER_POLYGON + "</gml:surfaceMember>")]),
    ("two members", [("</gml:surfaceMember>\n            </gml:MultiSurface>",
                      "</gml:surfaceMember><gml:surfaceMember>" + OTHER_POLYGON
                      + "</gml:surfaceMember></gml:MultiSurface>")]),
    ("member by reference", [("<gml:surfaceMember>\n                " + GROUND, '<gml:surfaceMember xlink:href='
                              '"#DENW36ALtest0001_roof_south"/><gml:surfaceMember>' + GROUND)]),
    ("composite surface", [("<gml:MultiSurface>", "<gml:CompositeSurface>"),
                           ("</gml:MultiSurface>", "</gml:CompositeSurface>")]),
    ("member of another namespace", [("<gml:surfaceMember>\n                " + GROUND,
                                      '<foo:surfaceMember xmlns:foo="urn:foo">' + GROUND),
                                     ("</gml:Polygon>\n              </gml:surfaceMember>",
                                      "</gml:Polygon></foo:surfaceMember>")]),
]
DIRECT = {"usual", "multi surface with an id referred to by the solid", "two members"}
FAILING = {"multi surface in another coordinate system", "positions that are not numbers", "degenerate polygon",
           "2D positions"}


def _buildings(data, direct=True, monkeypatch=None):
    """What the reader gives of ``data``: per building its id, failure and each piece's solid, surfaces and
    loose polygons (rings and normals); ``direct`` False: with the general path only."""
    with monkeypatch.context() as patch:
        if not direct:
            patch.setattr(citygml_reader, "_usual_multi_surface", lambda *args: False)
        buildings = list(CityGMLReader(io.BytesIO(data), in_one_piece=True).buildings())

    def polygons(items):
        return [(p.rings, p.normal, p.box) for p in items or ()]

    return [(b.object_id, b.line, b.failure, b.lod,
             [(piece.object_id, piece.lod, polygons(piece.solid), polygons(piece.loose_polygons),
               [(s.surface_id, s.surface_type, polygons(s.polygons)) for s in piece.surfaces])
              for piece in b.pieces()]) for b in buildings]


def _variant(changes):
    text = fixture_text("gable_house.gml")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


@pytest.mark.parametrize("name,changes", VARIANTS, ids=[name for name, _changes in VARIANTS])
def test_the_direct_route_gives_what_the_general_path_gives(name, changes, monkeypatch):
    data = _variant(changes)
    taken = []
    original = citygml_reader._usual_multi_surface
    monkeypatch.setattr(citygml_reader, "_usual_multi_surface",
                        lambda *args: taken.append(original(*args)) or taken[-1])
    direct = _buildings(data, True, monkeypatch)
    monkeypatch.setattr(citygml_reader, "_usual_multi_surface", original)
    assert direct == _buildings(data, False, monkeypatch)
    if name in FAILING:
        assert direct[0][2]  # the building failed, with the general path's reason
        return
    assert len(taken) == 7 and direct[0][2] is None  # every surface was offered to the direct route
    if name in DIRECT:
        assert all(taken)
    else:
        assert not taken[0] and all(taken[1:])  # the changed ground surface went the general way


@pytest.mark.parametrize("name", ["degenerate_polygons.gml", "broken_xlink.gml", "gable_house_citygml2.gml"])
def test_fixtures_read_the_same_either_way(name, monkeypatch):
    data = fixture_bytes(name)
    assert _buildings(data, True, monkeypatch) == _buildings(data, False, monkeypatch)


def test_real_nrw_tiles_read_the_same_either_way(monkeypatch):
    if not os.path.isdir(SHARED_TILES):
        pytest.skip("the real NRW tiles are not in {}".format(SHARED_TILES))
    for name in sorted(os.listdir(SHARED_TILES)):
        if name.endswith(".gml"):
            with open(os.path.join(SHARED_TILES, name), "rb") as handle:
                data = handle.read()
            direct = _buildings(data, True, monkeypatch)
            assert direct and direct == _buildings(data, False, monkeypatch), name
