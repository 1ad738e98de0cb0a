"""The coordinate system of a city model, read from its srsName (CityGML) or
referenceSystem (CityJSON).

Herne, like all of NRW, works in ETRS89 / UTM zone 32N (EPSG:25832) with
DHHN2016 heights (EPSG:7837). The importer stores EPSG:25832: QGIS 3.22 has
no single authid for the compound EPSG:25832+7837, so the height system is
named in the layer descriptions instead. Any other system is refused with a
clear error rather than written with wrong coordinates.
"""

import re

from ..i18n import tr
from .errors import TileError

AUTHID = "EPSG:25832"
HORIZONTAL_CODE = "25832"
HEIGHT_CODE = "7837"  # DHHN2016 height
HEIGHT_SYSTEM = "DHHN2016 (EPSG:7837)"

# urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016 (the NRW tiles), without the height part for 2D data
_ADV = re.compile(r"^urn:adv:crs:etrs89_utm32(\*de_dhhn2016_nh)?(\*gcg2016)?$", re.IGNORECASE)
# urn:ogc:def:crs:EPSG::25832, urn:ogc:def:crs:EPSG:6.12:25832, urn:x-ogc:def:crs:EPSG:25832
_URN_CODE = re.compile(r"crs:epsg:[0-9.]*:(\d+)", re.IGNORECASE)
# http(s)://www.opengis.net/def/crs/EPSG/0/25832 (alone or inside a crs-compound URL)
_URL_CODE = re.compile(r"https?://www\.opengis\.net/def/crs/epsg/[^/]+/(\d+)", re.IGNORECASE)
# EPSG:25832 or EPSG:25832+7837
_SHORT = re.compile(r"^epsg:(\d+)(?:\+(\d+))?$", re.IGNORECASE)


def epsg_codes(srs_name):
    """The EPSG codes an srsName names, horizontal first: ["25832", "7837"]; [] if it names none."""
    text = (srs_name or "").strip()
    if _ADV.match(text):
        return [HORIZONTAL_CODE, HEIGHT_CODE] if "dhhn2016" in text.lower() else [HORIZONTAL_CODE]
    short = _SHORT.match(text)
    if short:
        return [code for code in short.groups() if code]
    lowered = text.lower()
    if lowered.startswith("urn:"):
        return _URN_CODE.findall(text)
    if lowered.startswith(("http://", "https://")):
        return _URL_CODE.findall(text)
    return []


def is_supported(srs_name):
    codes = epsg_codes(srs_name)
    return bool(codes) and codes[0] == HORIZONTAL_CODE and all(code == HEIGHT_CODE for code in codes[1:])


def check_srs_name(srs_name, assume_default=False):
    """Return the authid to store ("EPSG:25832") for ``srs_name``, or raise TileError.

    A missing srsName is an error unless ``assume_default`` is set (the user says
    the data is in EPSG:25832); an srsName naming any other system is always an error.
    """
    if srs_name is None or not str(srs_name).strip():
        if assume_default:
            return AUTHID
        raise TileError(tr(
            "The file declares no coordinate system (srsName). If you know it is ETRS89 / UTM 32N, "
            "run the import with the option to assume EPSG:25832."
        ))
    if not is_supported(srs_name):
        raise TileError(tr(
            "The coordinate system '{srs}' is not supported: the importer reads ETRS89 / UTM 32N "
            "(EPSG:25832), optionally with DHHN2016 heights (EPSG:7837)."
        ).format(srs=str(srs_name)[:200]))
    return AUTHID
