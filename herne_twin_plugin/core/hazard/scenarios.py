"""Heavy rain (Starkregen) in Herne's terms, in one place: the city's three scenarios, the
BKG's nationwide hazard layers, and the water depth classes with their bounds.

Depth classes follow Herne's Starkregengefahrenkarte: 10-30, 30-50, 50-100 and over
100 cm. A depth d belongs to the class whose lower bound it reaches (d = 30 is "30-50").
Two more outcomes are kept apart from the classes on purpose:

- ``BELOW_10`` ("below 10 cm"): the hazard data covers the asset and shows no water of
  10 cm or more there;
- ``NO_DATA`` ("no data"): the hazard data does not cover the asset. That is never "safe".

The class names and these two are data values (written into layers as they are, in every
language); ``class_label`` gives the translated text for legends and messages.
"""

import re
from dataclasses import dataclass

import numpy

from ..i18n import tr

NO_DATA = "no data"
BELOW_10 = "below 10 cm"


@dataclass(frozen=True)
class DepthClass:
    name: str  # as on the map and in the depth-class layers: "10-30"
    min_cm: float
    max_cm: object  # None for the open top class
    share_field: str  # output field with the share of a footprint in this class
    count_field: str  # summary field with the number of assets in this class


DEPTH_CLASSES = (
    DepthClass("10-30", 10.0, 30.0, "share_10_30", "count_10_30"),
    DepthClass("30-50", 30.0, 50.0, "share_30_50", "count_30_50"),
    DepthClass("50-100", 50.0, 100.0, "share_50_100", "count_50_100"),
    DepthClass(">100", 100.0, None, "share_gt_100", "count_gt_100"),
)
LOWER_BOUNDS_CM = numpy.array([c.min_cm for c in DEPTH_CLASSES])

# Class codes used in the computations: -1 no data, 0 below 10 cm, 1..4 the classes above.
CODE_NO_DATA = -1
CODE_BELOW_10 = 0
CLASS_NAMES = {CODE_NO_DATA: NO_DATA, CODE_BELOW_10: BELOW_10}
CLASS_NAMES.update({index + 1: depth_class.name for index, depth_class in enumerate(DEPTH_CLASSES)})
CODES = {name: code for code, name in CLASS_NAMES.items()}


@dataclass(frozen=True)
class Scenario:
    key: str  # layer name on Herne's WMS and in the sample city
    official_name: str  # the German name on the map


# Herne's Starkregengefahrenkarte, mildest first. The Extremregen scenario is 90 mm in an hour.
HERNE_SCENARIOS = (
    Scenario("seltener_starkregen", "Seltener Starkregen"),
    Scenario("aussergewoehnlicher_starkregen", "Außergewöhnlicher Starkregen"),
    Scenario("extremregen", "Extremregen"),
)
SCENARIO_KEYS = tuple(scenario.key for scenario in HERNE_SCENARIOS)
# Rain intensity of a scenario in mm per hour, where the scenario fixes one: Herne's
# Extremregen (90 mm/h) and the BKG's extreme event (100 mm/h). The rare and exceptional
# scenarios depend on the duration (KOSTRA-DWD statistics), so they give none here.
RAIN_MM_PER_HOUR = {"extremregen": 90.0, "extreme": 100.0}


@dataclass(frozen=True)
class BkgLayer:
    name: str  # WMS layer name on sgx.geodatenzentrum.de/wms_starkregen (NRW sheet)
    quantity: str  # "depth" (cm) or "speed" (m/s)
    event: str  # "exceptional" (about once in 100 years) or "extreme" (about 100 mm in an hour)


BKG_WMS_URL = "https://sgx.geodatenzentrum.de/wms_starkregen"
BKG_LAYERS = (
    BkgLayer("nw_tiefe_agw", "depth", "exceptional"),
    BkgLayer("nw_tiefe_extrem", "depth", "extreme"),
    BkgLayer("nw_geschw_agw", "speed", "exceptional"),
    BkgLayer("nw_geschw_extrem", "speed", "extreme"),
)
# The BKG map's depth bounds (cm) and its value for "no value" in GetFeatureInfo answers.
BKG_DEPTH_BOUNDS_CM = (10, 30, 50, 100, 200, 400)
BKG_NO_VALUE = -9999.0


def scenario_label(key):
    """The translated name of a scenario (Herne's or the BKG's), or ``key`` itself."""
    labels = {
        "seltener_starkregen": tr("Rare heavy rain"),
        "aussergewoehnlicher_starkregen": tr("Exceptional heavy rain"),
        "extremregen": tr("Extreme rain (90 mm/h)"),
        "exceptional": tr("BKG: exceptional event (about once in 100 years)"),
        "extreme": tr("BKG: extreme event (about 100 mm/h)"),
    }
    return labels.get(key, key)


def class_label(name):
    """The translated legend text of a depth class name, BELOW_10 or NO_DATA."""
    if name == NO_DATA:
        return tr("No hazard data")
    if name == BELOW_10:
        return tr("Below 10 cm")
    if name == ">100":
        return tr("Over 100 cm")
    return tr("{range} cm").format(range=name)


def class_of_depth(depth_cm):
    """The class name of one depth in cm; None (no value) gives NO_DATA."""
    if depth_cm is None or depth_cm != depth_cm:
        return NO_DATA
    return CLASS_NAMES[int(numpy.searchsorted(LOWER_BOUNDS_CM, depth_cm, side="right"))]


def class_codes(depths_cm):
    """Class codes (0 below 10 cm, 1..4) of an array of depths in cm (NaN counts as dry)."""
    depths = numpy.nan_to_num(numpy.asarray(depths_cm, dtype=numpy.float64), nan=0.0)
    return numpy.searchsorted(LOWER_BOUNDS_CM, depths, side="right").astype(numpy.int8)


_CLASS_TEXT = re.compile(r"^\s*(>|über|ueber|over|gt)?\s*(\d+(?:[.,]\d+)?)\s*(?:cm)?\s*(?:[-–]\s*(\d+)\s*(?:cm)?)?\s*$",
                         re.IGNORECASE)


def code_of_class_value(value):
    """The class code of a depth-class attribute: a class name ("30-50", "> 100 cm",
    "über 100", "0-10" gives 0: below 10 cm) or a lower bound in cm (30, "50"). None
    where the value cannot be read as a class."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:
            return None
        return int(numpy.searchsorted(LOWER_BOUNDS_CM, float(value), side="right"))
    text = str(value).strip()
    if text in CODES:
        return CODES[text]
    match = _CLASS_TEXT.match(text)
    if not match or text.upper() == "NULL":
        return None
    lower = float(match.group(2).replace(",", "."))
    if match.group(1) and lower >= LOWER_BOUNDS_CM[-1]:
        return len(DEPTH_CLASSES)
    return int(numpy.searchsorted(LOWER_BOUNDS_CM, lower, side="right"))


def scenario_from_text(*texts):
    """Herne's scenario named in a layer name, file name or raster metadata, or None.

    "starkregen_extremregen_depth.tif" and "Extremregen" both give "extremregen";
    a text naming none or several scenarios gives None."""
    found = set()
    for text in texts:
        if not text:
            continue
        folded = str(text).lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
        folded = re.sub(r"[^a-z]+", "_", folded)
        for key in SCENARIO_KEYS:
            if key in folded:
                found.add(key)
    return found.pop() if len(found) == 1 else None
