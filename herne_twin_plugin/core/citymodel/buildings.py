"""A building as a reader hands it over: the same shape for CityGML and CityJSON.

A ``Building`` is a bldg:Building or a bldg:BuildingPart (then it sits in its
parent's ``parts``). Polygons are ``geometry.Polygon``s:
``solid`` holds the shell of the LoD2 (or LoD1) solid, ``surfaces`` the
thematic boundary surfaces (roof, wall, ground, closure ...). A building that
could not be read carries its ``failure`` reason instead.
"""


class BoundarySurface:
    __slots__ = ("surface_id", "surface_type", "polygons")

    def __init__(self, surface_id, surface_type, polygons):
        self.surface_id = surface_id  # gml:id of the surface, else of its first polygon, else None
        self.surface_type = surface_type  # "RoofSurface", "WallSurface", "GroundSurface", ...
        self.polygons = polygons  # [Polygon]


class Building:
    __slots__ = (
        "object_id", "line", "function_code", "roof_type_code", "measured_height", "storeys_above_ground",
        "creation_date", "gen_attributes", "surfaces", "solid", "lod", "loose_polygons", "parts", "failure",
    )

    def __init__(self, object_id, line=None):
        self.object_id = object_id  # gml:id (ALKIS building id) or CityJSON object id
        self.line = line  # where it starts in the file, for messages
        self.function_code = None
        self.roof_type_code = None
        self.measured_height = None
        self.storeys_above_ground = None
        self.creation_date = None
        self.gen_attributes = {}  # gen:*Attribute name -> value (str, int or float)
        self.surfaces = []  # [BoundarySurface]
        self.solid = None  # [Polygon] of the solid's shell, or None
        self.lod = None  # level of detail of ``solid`` (or of the surfaces where there is no solid)
        self.loose_polygons = []  # polygons of lodXMultiSurface / lodXSolid that no boundary surface names
        self.parts = []  # [Building] (bldg:BuildingPart)
        self.failure = None  # translated reason, where the building cannot be imported

    def pieces(self):
        """The building itself and all its parts, parts of parts included."""
        yield self
        for part in self.parts:
            yield from part.pieces()
