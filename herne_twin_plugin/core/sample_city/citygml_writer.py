"""Writes buildings as NRW LoD2 tiles (CityGML 1.0), in the form of the state's real tiles.

One file per 1 km tile, ``LoD2_32_{E}_{N}_1_NW.gml`` (E, N: the tile's lower-left
corner in km), with the namespaces, srsName, element order, id styles and
generic attributes of Geobasis NRW's "3D-Gebäudemodell LoD2". Tiles are written
building by building as text (no XML tree in memory); a comment at the top says
the content is synthetic.
"""

import os
import uuid

from . import rng as rngs
from .building_solids import CLOSURE, part_surfaces

GEMEINDESCHLUESSEL_HERNE = "05916000"
SRS_NAME = "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016"
CREATION_DATE = "2024-03-12"
INFORMATION_SYSTEM = "http://repository.gdi-de.org/schemas/adv/citygml/fdv/art.htm#_9100"

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    "<!-- {notice} -->\n"
    '<core:CityModel xmlns="http://www.opengis.net/citygml/1.0" xmlns:core="http://www.opengis.net/citygml/1.0"'
    ' xmlns:gen="http://www.opengis.net/citygml/generics/1.0"'
    ' xmlns:grp="http://www.opengis.net/citygml/cityobjectgroup/1.0"'
    ' xmlns:app="http://www.opengis.net/citygml/appearance/1.0"'
    ' xmlns:bldg="http://www.opengis.net/citygml/building/1.0" xmlns:gml="http://www.opengis.net/gml"'
    ' xmlns:xAL="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.opengis.net/citygml/1.0'
    " http://repository.gdi-de.org/schemas/adv/citygml/1.0/cityGMLBaseLoD2.xsd"
    " http://www.opengis.net/citygml/building/1.0"
    " http://repository.gdi-de.org/schemas/adv/citygml/building/1.0/buildingLoD2.xsd"
    " http://www.opengis.net/citygml/appearance/1.0"
    " http://repository.gdi-de.org/schemas/adv/citygml/appearance/1.0/appearanceLoD2.xsd"
    " http://www.opengis.net/citygml/generics/1.0"
    " http://repository.gdi-de.org/schemas/adv/citygml/generics/1.0/genericsLoD2.xsd"
    " http://www.opengis.net/citygml/cityobjectgroup/1.0"
    ' http://repository.gdi-de.org/schemas/adv/citygml/cityobjectgroup/1.0/cityObjectGroupLoD2.xsd">\n'
    "  <gml:name>{name}</gml:name>\n"
    "  <gml:boundedBy>\n"
    '    <gml:Envelope srsName="{srs}">\n'
    '      <gml:lowerCorner srsDimension="3">{xmin} {ymin} {zmin}</gml:lowerCorner>\n'
    '      <gml:upperCorner srsDimension="3">{xmax} {ymax} {zmax}</gml:upperCorner>\n'
    "    </gml:Envelope>\n"
    "  </gml:boundedBy>\n"
)
_FOOTER = "</core:CityModel>\n"


def tile_name(tile_e_km, tile_n_km):
    return "LoD2_32_{}_{}_1_NW".format(tile_e_km, tile_n_km)


def write_tiles(folder, buildings, seed, notice, progress=None):
    """Write one tile per 1 km square that holds buildings; returns {tile name: path}."""
    by_tile = {}
    for building in buildings:
        by_tile.setdefault(building.tile, []).append(building)
    paths = {}
    for index, name in enumerate(sorted(by_tile)):
        path = os.path.join(folder, name + ".gml")
        write_tile(path, name, by_tile[name], seed, notice)
        paths[name] = path
        if progress is not None:
            progress.fraction((index + 1) / len(by_tile))
    return paths


def write_tile(path, name, buildings, seed, notice):
    _lod, _zone, east, north, _size, _state = name.split("_")
    xmin, ymin = int(east) * 1000, int(north) * 1000
    zmin = min(b.ground_z for b in buildings)
    zmax = max(b.ground_z + b.measured_height for b in buildings)
    ids = _TileIds(rngs.stream(seed, "citygml:" + name))
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(_HEADER.format(
            notice=notice.replace("--", "-"), name=name, srs=SRS_NAME,
            xmin=_num(xmin), ymin=_num(ymin), zmin=_num(zmin),
            xmax=_num(xmin + 1000), ymax=_num(ymin + 1000), zmax=_num(zmax),
        ))
        for building in buildings:
            out.write(_building_xml(building, ids))
        out.write(_FOOTER)


class _TileIds:
    """gml:ids in the styles of the NRW tiles: UUID_<uuid> and GUID_<number>_<solid>_2_<polygon>."""

    def __init__(self, rng):
        self._rng = rng
        self._number = str(rng.getrandbits(63) + 10**18)
        self._solids = 0

    def uuid(self):
        return "UUID_" + str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def next_solid(self):
        self._solids += 1
        return "GUID_{}_{}_2_".format(self._number, self._solids)


def _num(value):
    return repr(round(float(value), 3))


def _poslist(points):
    return " ".join("{} {} {}".format(_num(x), _num(y), _num(z)) for x, y, z in points)


def _attribute(indent, name, value):
    pad = " " * indent
    return (
        '{pad}<gen:stringAttribute name="{name}">\n{pad}  <gen:value>{value}</gen:value>\n'
        "{pad}</gen:stringAttribute>\n"
    ).format(pad=pad, name=name, value=value)


def _building_xml(building, ids):
    out = ["  <core:cityObjectMember>\n", '    <bldg:Building gml:id="{}">\n'.format(building.building_id)]
    out.append("      <core:creationDate>{}</core:creationDate>\n".format(CREATION_DATE))
    out.append(
        "      <core:externalReference>\n"
        "        <core:informationSystem>{}</core:informationSystem>\n"
        "        <core:externalObject>\n"
        "          <core:name>{}</core:name>\n"
        "        </core:externalObject>\n"
        "      </core:externalReference>\n".format(INFORMATION_SYSTEM, building.building_id)
    )
    if len(building.parts) == 1:
        for name, value in (
            ("DatenquelleDachhoehe", "1000"), ("Geometrietyp2DReferenz", "3000"),
            ("Gemeindeschluessel", GEMEINDESCHLUESSEL_HERNE), ("DatenquelleBodenhoehe", "1100"),
            ("DatenquelleLage", "1000"), ("Grundrissaktualitaet", building.ground_plan_date),
        ):
            out.append(_attribute(6, name, value))
        out.append("      <bldg:function>{}</bldg:function>\n".format(building.function_code))
        out.append(_solid_xml(6, building.parts[0], building.ground_z, ids))
    else:
        for name, value in (
            ("Gemeindeschluessel", GEMEINDESCHLUESSEL_HERNE), ("Geometrietyp2DReferenz", "3000"),
            ("Grundrissaktualitaet", building.ground_plan_date),
        ):
            out.append(_attribute(6, name, value))
        out.append("      <bldg:function>{}</bldg:function>\n".format(building.function_code))
        for part in building.parts:
            out.append("      <bldg:consistsOfBuildingPart>\n")
            out.append('        <bldg:BuildingPart gml:id="{}">\n'.format(ids.uuid()))
            out.append("          <core:creationDate>{}</core:creationDate>\n".format(CREATION_DATE))
            for name, value in (
                ("DatenquelleDachhoehe", "1000"), ("DatenquelleBodenhoehe", "1100"),
                ("DatenquelleLage", "1000"), ("Grundrissaktualitaet", building.ground_plan_date),
            ):
                out.append(_attribute(10, name, value))
            out.append(_solid_xml(10, part, building.ground_z, ids))
            out.append("        </bldg:BuildingPart>\n")
            out.append("      </bldg:consistsOfBuildingPart>\n")
    if building.house_number:
        out.append(_address_xml(building, ids))
    out.append("    </bldg:Building>\n")
    out.append("  </core:cityObjectMember>\n")
    return "".join(out)


def _solid_xml(indent, part, ground_z, ids):
    """roofType, measuredHeight, lod2Solid, lod2TerrainIntersection and boundedBy of one solid."""
    pad = " " * indent
    prefix = ids.next_solid()
    surfaces = part_surfaces(part, ground_z)
    # the NRW tiles give closure surfaces a UUID polygon id, the others GUID_..._<n>
    polygon_ids = [
        ids.uuid() if kind == CLOSURE else prefix + str(index) for index, (kind, _ring) in enumerate(surfaces)
    ]
    out = [
        "{}<bldg:roofType>{}</bldg:roofType>\n".format(pad, part.roof_type),
        '{}<bldg:measuredHeight uom="urn:adv:uom:m">{}</bldg:measuredHeight>\n'.format(pad, _num(part.height)),
        "{}<bldg:lod2Solid>\n{}  <gml:Solid>\n{}    <gml:exterior>\n{}      <gml:CompositeSurface>\n".format(
            pad, pad, pad, pad),
    ]
    for polygon_id in polygon_ids:
        out.append('{}        <gml:surfaceMember xlink:href="#{}"/>\n'.format(pad, polygon_id))
    out.append("{}      </gml:CompositeSurface>\n{}    </gml:exterior>\n{}  </gml:Solid>\n{}</bldg:lod2Solid>\n".format(
        pad, pad, pad, pad))
    out.append("{}<bldg:lod2TerrainIntersection>\n{}  <gml:MultiCurve>\n".format(pad, pad))
    corners = part.corners
    for index in range(4):
        (x1, y1), (x2, y2) = corners[index], corners[(index + 1) % 4]
        out.append(
            "{p}    <gml:curveMember>\n{p}      <gml:LineString>\n"
            '{p}        <gml:posList srsDimension="3">{pos}</gml:posList>\n'
            "{p}      </gml:LineString>\n{p}    </gml:curveMember>\n".format(
                p=pad, pos=_poslist([(x1, y1, ground_z), (x2, y2, ground_z)]))
        )
    out.append("{}  </gml:MultiCurve>\n{}</bldg:lod2TerrainIntersection>\n".format(pad, pad))
    for (kind, ring), polygon_id in zip(surfaces, polygon_ids):
        out.append(_surface_xml(pad, kind, ring, polygon_id, ids))
    return "".join(out)


def _surface_xml(pad, kind, ring, polygon_id, ids):
    closed = ring + ring[:1]
    if kind == CLOSURE:  # as in the NRW tiles: only the polygon has an id
        opening, multi, ring_id = "<bldg:{}>".format(kind), "<gml:MultiSurface>", ""
    else:
        opening = '<bldg:{} gml:id="{}">'.format(kind, ids.uuid())
        multi = '<gml:MultiSurface gml:id="{}">'.format(ids.uuid())
        ring_id = ' gml:id="{}_0_"'.format(polygon_id)
    return (
        "{p}<bldg:boundedBy>\n"
        "{p}  {opening}\n"
        "{p}    <core:creationDate>{date}</core:creationDate>\n"
        "{p}    <bldg:lod2MultiSurface>\n"
        "{p}      {multi}\n"
        "{p}        <gml:surfaceMember>\n"
        '{p}          <gml:Polygon gml:id="{pid}">\n'
        "{p}            <gml:exterior>\n"
        "{p}              <gml:LinearRing{rid}>\n"
        '{p}                <gml:posList srsDimension="3">{pos}</gml:posList>\n'
        "{p}              </gml:LinearRing>\n"
        "{p}            </gml:exterior>\n"
        "{p}          </gml:Polygon>\n"
        "{p}        </gml:surfaceMember>\n"
        "{p}      </gml:MultiSurface>\n"
        "{p}    </bldg:lod2MultiSurface>\n"
        "{p}  </bldg:{kind}>\n"
        "{p}</bldg:boundedBy>\n"
    ).format(p=pad, opening=opening, date=CREATION_DATE, multi=multi, pid=polygon_id, rid=ring_id,
             pos=_poslist(closed), kind=kind)


def _address_xml(building, ids):
    return (
        "      <bldg:address>\n"
        '        <core:Address gml:id="{aid}">\n'
        "          <core:xalAddress>\n"
        "            <xAL:AddressDetails>\n"
        "              <xAL:Country>\n"
        "                <xAL:CountryName>Germany</xAL:CountryName>\n"
        '                <xAL:Locality Type="Town">\n'
        "                  <xAL:LocalityName>Herne</xAL:LocalityName>\n"
        '                  <xAL:Thoroughfare Type="Street">\n'
        "                    <xAL:ThoroughfareNumber>{number}</xAL:ThoroughfareNumber>\n"
        "                    <xAL:ThoroughfareName>{street}</xAL:ThoroughfareName>\n"
        "                  </xAL:Thoroughfare>\n"
        "                </xAL:Locality>\n"
        "              </xAL:Country>\n"
        "            </xAL:AddressDetails>\n"
        "          </core:xalAddress>\n"
        "        </core:Address>\n"
        "      </bldg:address>\n"
    ).format(aid=ids.uuid(), number=building.house_number, street=_xml_text(building.street))


def _xml_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
