"""How much of Herne the generator writes: the city centre ("sample") or all of it ("full").

Both scales generate the same city from the same seed. "sample" keeps what lies in
a 1.6 x 1.6 km window around the centre of Herne-Mitte (streets, street lights,
buildings, Starkregen areas): its street lights are exactly the full city's lights
there, with the same numbers and UUIDs. Districts are always the whole city.
"""

from dataclasses import dataclass

from ..i18n import tr

# Herne's bounding box in EPSG:25832, whole kilometres (the extent of the full rasters).
CITY_BOUNDS = (364000.0, 5711000.0, 375000.0, 5719000.0)
# The centre of Herne-Mitte: Bahnhofstraße, town hall, the densest LoD2 tile 369/5713.
CENTRE_BOUNDS = (368900.0, 5712900.0, 370500.0, 5714500.0)


@dataclass(frozen=True)
class Scale:
    name: str
    bounds: tuple  # (xmin, ymin, xmax, ymax): what is kept
    sensor_stations: int  # how many sensor stations
    raster_resolution: float  # metres per cell of the depth rasters

    def contains(self, x, y):
        xmin, ymin, xmax, ymax = self.bounds
        return xmin <= x < xmax and ymin <= y < ymax


SCALES = {
    "sample": Scale("sample", CENTRE_BOUNDS, 60, 2.0),
    "full": Scale("full", CITY_BOUNDS, 2000, 1.0),
}


def scale_named(name):
    """The Scale called ``name``; a clear ValueError for anything else."""
    try:
        return SCALES[name]
    except (KeyError, TypeError):
        raise ValueError(
            tr("Unknown scale '{}': use one of {}.").format(name, ", ".join(sorted(SCALES)))
        ) from None
