"""The layers of a city-model GeoPackage: names, fields and descriptions.

This is the contract the 3D view, the styles and the hazard analysis rely on;
keep names and fields stable. Coordinates are EPSG:25832, heights DHHN2016
(EPSG:7837) metres above sea level.
"""

BUILDINGS = "buildings"
BUILDING_PARTS = "building_parts"
FOOTPRINTS = "building_footprints"
SURFACES = "building_surfaces"
FAILURES = "import_failures"
TILES = "import_tiles"

# field types
STRING, REAL, INTEGER, BOOLEAN, DATE, DATETIME = "string", "real", "integer", "boolean", "date", "datetime"

BUILDING_FIELDS = (
    ("building_id", STRING),  # gml:id, the ALKIS building id
    ("function_code", STRING),  # bldg:function, e.g. 31001_1010
    ("function_label", STRING),  # its German ALKIS label, e.g. Wohnhaus
    ("roof_type_code", STRING),  # bldg:roofType (ALKIS Dachform), e.g. 3100
    ("roof_type_label", STRING),  # e.g. Satteldach
    ("measured_height", REAL),  # bldg:measuredHeight, metres
    ("ground_height", REAL),  # lowest ground point, m above sea level
    ("eave_height", REAL),  # lowest roof edge, m above sea level; NULL without roof surfaces
    ("ridge_height", REAL),  # highest roof point, m above sea level
    ("storeys_above_ground", INTEGER),
    ("gemeindeschluessel", STRING),  # municipality key, 05916000 for Herne
    ("gen_attributes", STRING),  # JSON: every gen:*Attribute name -> value
    ("creation_date", DATE),
    ("source_tile", STRING),  # file name of the tile
    ("lod", INTEGER),
    ("is_closed", BOOLEAN),  # every solid of the building is a watertight shell
    ("part_count", INTEGER),  # bldg:BuildingParts (0: one solid)
)
PART_FIELDS = (("part_id", STRING),) + BUILDING_FIELDS
FOOTPRINT_FIELDS = tuple((name, kind) for name, kind in BUILDING_FIELDS if name in (
    "building_id", "function_code", "function_label", "roof_type_code", "roof_type_label",
    "measured_height", "ground_height", "ridge_height", "source_tile"))
SURFACE_FIELDS = (
    ("surface_id", STRING),
    ("building_id", STRING),
    ("part_id", STRING),  # the BuildingPart the surface bounds; NULL for the building itself
    ("surface_type", STRING),  # RoofSurface, WallSurface, GroundSurface, ClosureSurface, ...
    ("area_m2", REAL),
    ("tilt_deg", REAL),  # 0 flat, 90 vertical
    ("azimuth_deg", REAL),  # direction faced: 0 north, clockwise; NULL for flat surfaces
    ("source_tile", STRING),
)
FAILURE_FIELDS = (
    ("building_id", STRING),  # NULL where the whole tile failed
    ("source_tile", STRING),
    ("reason", STRING),
)
TILE_FIELDS = (
    ("tile", STRING),
    ("sha256", STRING),
    ("buildings", INTEGER),
    ("failures", INTEGER),
    ("imported_at", DATETIME),
)

_HEIGHTS = "Koordinaten ETRS89 / UTM 32N (EPSG:25832), Höhen DHHN2016 (EPSG:7837) in m über NHN."


class LayerSpec:
    def __init__(self, name, geometry, fields, description):
        self.name = name
        self.geometry = geometry  # "MultiPolygonZ", "MultiPolygon" or None (a table)
        self.fields = fields
        self.description = description

    @property
    def field_names(self):
        return [name for name, _kind in self.fields]


LAYERS = (
    LayerSpec(BUILDINGS, "MultiPolygonZ", BUILDING_FIELDS,
              "LoD2-Gebäude, ein Objekt je bldg:Building (Gebäudeteile zusammengefasst). " + _HEIGHTS),
    LayerSpec(BUILDING_PARTS, "MultiPolygonZ", PART_FIELDS,
              "LoD2-Gebäudeteile (bldg:BuildingPart), building_id ist das Gebäude. " + _HEIGHTS),
    LayerSpec(FOOTPRINTS, "MultiPolygon", FOOTPRINT_FIELDS,
              "Gebäudegrundrisse (2D) aus den Bodenflächen der LoD2-Gebäude. " + _HEIGHTS),
    LayerSpec(SURFACES, "MultiPolygonZ", SURFACE_FIELDS,
              "Dach-, Wand- und Bodenflächen der LoD2-Gebäude mit Fläche, Neigung und Ausrichtung. " + _HEIGHTS),
    LayerSpec(FAILURES, None, FAILURE_FIELDS,
              "Gebäude und Kacheln, die nicht importiert werden konnten, mit dem Grund."),
    LayerSpec(TILES, None, TILE_FIELDS,
              "Vollständig importierte Kacheln mit SHA-256 (eine unveränderte Kachel wird nicht erneut importiert)."),
)
LAYER_SPECS = {spec.name: spec for spec in LAYERS}
BUILDING_ID_LAYERS = (BUILDINGS, BUILDING_PARTS, FOOTPRINTS, SURFACES, FAILURES)
