"""LoD2 solids of the generated buildings: closed, outward-facing boundary surfaces.

A building (or building part) stands on a rectangle c0..c3 (counter-clockwise,
c0->c1 along the ridge). Roof forms use the ALKIS codes of the NRW model:
1000 Flachdach, 2100 Pultdach, 3100 Satteldach, 3200 Walmdach, 3500 Zeltdach.
As in the NRW tiles, gable triangles are WallSurfaces, and where a part leans
against another part the shared face is a ClosureSurface in both.

Every solid here is convex, so a face faces outwards exactly when its normal
points away from the middle of the solid; ``part_surfaces`` turns each ring
that way, and every edge ends up shared by exactly two faces in opposite
directions (a closed, consistently oriented shell).
"""

from dataclasses import dataclass, field

FLAT, SHED, GABLE, HIP, PYRAMID = 1000, 2100, 3100, 3200, 3500
ROOF_LABELS = {FLAT: "Flachdach", SHED: "Pultdach", GABLE: "Satteldach", HIP: "Walmdach", PYRAMID: "Zeltdach"}

GROUND, WALL, ROOF, CLOSURE = "GroundSurface", "WallSurface", "RoofSurface", "ClosureSurface"


@dataclass
class Part:
    corners: list  # 4 x (x, y), counter-clockwise; c0->c1 runs along the ridge
    roof_type: int
    eave_height: float  # metres above ground
    height: float  # metres above ground of the highest point (bldg:measuredHeight)
    closures: dict = field(default_factory=dict)  # footprint edge index -> height of the face shared with a neighbour


def part_surfaces(part, ground_z):
    """[(surface kind, ring of (x, y, z) without the closing point)] of one closed solid."""
    c = part.corners
    zg = ground_z
    ze = ground_z + part.eave_height
    zr = ground_z + part.height
    tops = [zr] * 4 if part.roof_type == FLAT else [ze] * 4
    if part.roof_type == SHED:
        tops = [ze, ze, zr, zr]  # low along c0->c1, high along c2->c3

    def at(xy, z):
        return (xy[0], xy[1], z)

    # extra vertices on the vertical corner edges, where a closure face ends
    splits = {k: [] for k in range(4)}
    for edge, height in part.closures.items():
        for corner in (edge, (edge + 1) % 4):
            splits[corner].append(zg + height)

    surfaces = [(GROUND, [at(c[k], zg) for k in range(4)])]
    for i in range(4):
        j = (i + 1) % 4
        low = zg
        if i in part.closures:
            low = zg + part.closures[i]
            surfaces.append((CLOSURE, [at(c[i], zg), at(c[j], zg), at(c[j], low), at(c[i], low)]))
            if low >= tops[i] and low >= tops[j]:
                continue  # the closure face is the whole side
        ring = [at(c[i], low), at(c[j], low)]
        ring += [at(c[j], z) for z in sorted(splits[j]) if low < z < tops[j]]
        ring += [at(c[j], tops[j]), at(c[i], tops[i])]
        ring += [at(c[i], z) for z in sorted(splits[i], reverse=True) if low < z < tops[i]]
        surfaces.append((WALL, ring))
    surfaces += _roof(part, c, ze, zr)
    return _facing_outwards(surfaces)


def _roof(part, c, ze, zr):
    def mix(p, q, t):
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)

    eaves = [(x, y, ze) for x, y in c]
    if part.roof_type == FLAT:
        return [(ROOF, [(x, y, zr) for x, y in c])]
    if part.roof_type == SHED:
        return [(ROOF, [eaves[0], eaves[1], (c[2][0], c[2][1], zr), (c[3][0], c[3][1], zr)])]
    if part.roof_type == PYRAMID:
        middle = mix(c[0], c[2], 0.5)
        apex = (middle[0], middle[1], zr)
        return [(ROOF, [eaves[k], eaves[(k + 1) % 4], apex]) for k in range(4)]
    if part.roof_type == GABLE:
        r0 = mix(c[3], c[0], 0.5) + (zr,)
        r1 = mix(c[1], c[2], 0.5) + (zr,)
        return [
            (ROOF, [eaves[0], eaves[1], r1, r0]),
            (ROOF, [eaves[2], eaves[3], r0, r1]),
            (WALL, [eaves[1], eaves[2], r1]),
            (WALL, [eaves[3], eaves[0], r0]),
        ]
    if part.roof_type == HIP:
        length = _distance(c[0], c[1])
        width = _distance(c[1], c[2])
        inset = min(0.5 * width / length, 0.45)
        r0 = mix(mix(c[0], c[1], inset), mix(c[3], c[2], inset), 0.5) + (zr,)
        r1 = mix(mix(c[0], c[1], 1 - inset), mix(c[3], c[2], 1 - inset), 0.5) + (zr,)
        return [
            (ROOF, [eaves[0], eaves[1], r1, r0]),
            (ROOF, [eaves[2], eaves[3], r0, r1]),
            (ROOF, [eaves[1], eaves[2], r1]),
            (ROOF, [eaves[3], eaves[0], r0]),
        ]
    raise ValueError("unsupported roof type {}".format(part.roof_type))


def _distance(p, q):
    return ((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2) ** 0.5


def _facing_outwards(surfaces):
    points = [p for _kind, ring in surfaces for p in ring]
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    mz = sum(p[2] for p in points) / len(points)
    result = []
    for kind, ring in surfaces:
        nx, ny, nz = newell_normal(ring)
        fx = sum(p[0] for p in ring) / len(ring) - mx
        fy = sum(p[1] for p in ring) / len(ring) - my
        fz = sum(p[2] for p in ring) / len(ring) - mz
        if nx * fx + ny * fy + nz * fz < 0:
            ring = ring[::-1]
        result.append((kind, ring))
    return result


def newell_normal(ring):
    """The (unnormalised) normal of a planar ring; counter-clockwise seen from its tip."""
    nx = ny = nz = 0.0
    for index, (x1, y1, z1) in enumerate(ring):
        x2, y2, z2 = ring[(index + 1) % len(ring)]
        nx += (y1 - y2) * (z1 + z2)
        ny += (z1 - z2) * (x1 + x2)
        nz += (x1 - x2) * (y1 + y2)
    return nx, ny, nz
