"""A smooth stand-in for Herne's terrain (DHHN2016 heights in metres).

Herne falls from about 100 m in the south (towards Bochum) to about 40 m in the
Emscher valley in the north. No randomness: the terrain belongs to the city,
not to the seed.
"""

import math


def ground_height(x, y):
    """Terrain height at (x, y) in EPSG:25832, rounded to millimetres."""
    north = min(max((y - 5711000.0) / 7000.0, 0.0), 1.0)
    slope = 98.0 - 56.0 * (3 * north**2 - 2 * north**3)  # smoothstep from the south to the Emscher
    hills = 4.0 * math.sin(x / 870.0) * math.cos(y / 1230.0) + 1.5 * math.sin((x + y) / 410.0)
    return round(slope + hills, 3)
