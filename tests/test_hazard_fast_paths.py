"""The short cuts of the exposure give what the long way gives: footprints no class-polygon
edge comes near (settled by one point test instead of a GEOS overlay), the overlays shared
by threads, and the raster read in blocks."""

import numpy
import pytest
from hazard_testdata import box, city_layer, class_layer, memory_layer
from qgis.core import QgsProcessingFeedback
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard import exposure
from herne_twin_plugin.core.hazard.exposure import EdgeGrid
from herne_twin_plugin.core.hazard.sources import run_exposure
from herne_twin_plugin.core.sample_city import generate

X0, Y0 = 370000.0, 5714000.0


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    return generate(str(tmp_path_factory.mktemp("hazard_fast_city")), scale="sample")


def values(run):
    """Everything a run gives per asset, shares rounded as the output writes them."""
    result = run.exposure
    shares = numpy.round(result.shares, 4) if result.shares is not None else None
    return (result.codes.tolist(), numpy.round(result.covered_share, 4).tolist(),
            None if shares is None else numpy.nan_to_num(shares, nan=-1.0).tolist(),
            numpy.nan_to_num(numpy.round(result.max_depth_cm, 1), nan=-1.0).tolist(),
            numpy.nan_to_num(numpy.round(result.mean_depth_cm, 1), nan=-1.0).tolist(),
            sorted(set(result.repaired)), result.overlapped)


def the_long_way(monkeypatch):
    """No footprint settled without an overlay, one thread."""
    monkeypatch.setattr(exposure, "_whole_footprints", lambda *_args: None)
    monkeypatch.setattr(exposure, "OVERLAY_THREADS", 1)


def test_sample_city_footprints_against_class_polygons_as_the_long_way(city, monkeypatch):
    buildings, hazard = city_layer(city, "building_footprints"), city_layer(city, "extremregen")
    fast = run_exposure(buildings, hazard)
    the_long_way(monkeypatch)
    slow = run_exposure(buildings, hazard)
    assert values(fast) == values(slow)
    # the sample holds footprints of every kind: dry, wholly in a class, across class edges
    assert {0, 1, 2, 3, 4} <= set(fast.exposure.codes.tolist())


def hand_made_case():
    nested = [
        (box(X0, Y0, X0 + 400, Y0 + 400), "10-30"),
        # a deeper polygon inside the shallow one, itself with a hole
        ("POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}), ({e} {f}, {g} {f}, {g} {h}, {e} {h}, {e} {f}))".format(
            a=X0 + 100, b=Y0 + 100, c=X0 + 300, d=Y0 + 300, e=X0 + 150, f=Y0 + 150, g=X0 + 250, h=Y0 + 250),
         ">100"),
        (box(X0 + 600, Y0, X0 + 800, Y0 + 200), "30-50"),
    ]
    houses = [
        ("in the shallow one only", box(X0 + 20, Y0 + 20, X0 + 40, Y0 + 40)),
        ("in both, far from edges", box(X0 + 110, Y0 + 110, X0 + 130, Y0 + 130)),
        ("in the hole", box(X0 + 190, Y0 + 190, X0 + 210, Y0 + 210)),
        ("across the hole's edge", box(X0 + 140, Y0 + 190, X0 + 160, Y0 + 210)),
        ("across the deep edge", box(X0 + 90, Y0 + 20 + 100, X0 + 110, Y0 + 140)),
        ("on the deep edge from outside", box(X0 + 80, Y0 + 120, X0 + 100, Y0 + 140)),
        ("between polygons", box(X0 + 450, Y0 + 20, X0 + 470, Y0 + 40)),
        ("in the third", box(X0 + 650, Y0 + 50, X0 + 670, Y0 + 70)),
        ("bow-tie in the third", "POLYGON(({a} {b}, {c} {d}, {c} {b}, {a} {d}, {a} {b}))".format(
            a=X0 + 700, b=Y0 + 50, c=X0 + 720, d=Y0 + 70)),
        ("partly outside", box(X0 + 790, Y0 + 190, X0 + 810, Y0 + 210)),
        ("two parts", "MULTIPOLYGON((({a} {b}, {c} {b}, {c} {d}, {a} {b})), (({e} {b}, {f} {b}, {f} {d}, {e} {b})))"
         .format(a=X0 + 20, b=Y0 + 300, c=X0 + 30, d=Y0 + 310, e=X0 + 200, f=X0 + 210)),
    ]
    assets = memory_layer("MultiPolygon", [(wkt, {"name": name}) for name, wkt in houses], [("name", QVariant.String)])
    return assets, class_layer(nested), [name for name, _wkt in houses]


def test_hand_made_footprints_as_the_long_way(qgis_app, monkeypatch):
    assets, hazard, names = hand_made_case()
    settled = []
    whole_footprints = exposure._whole_footprints

    def spy(*args):
        found = whole_footprints(*args)
        settled.append(0 if found is None else int(found[0].sum()))
        return found

    monkeypatch.setattr(exposure, "_whole_footprints", spy)
    fast = run_exposure(assets, hazard)
    assert settled and settled[0] >= 3  # far from edges: the shallow one, both, the third
    codes = dict(zip(names, fast.exposure.codes.tolist()))
    # worked out by hand: the deepest class holding a footprint; the hole is the shallow class
    assert codes["in both, far from edges"] == 4 and codes["in the hole"] == 1
    assert codes["in the shallow one only"] == 1 and codes["between polygons"] == 0
    assert codes["in the third"] == 2 and codes["across the deep edge"] == 4
    shares = dict(zip(names, fast.exposure.shares.tolist()))
    assert shares["in both, far from edges"] == [0.0, 0.0, 0.0, 1.0]
    assert shares["across the deep edge"] == pytest.approx([0.5, 0.0, 0.0, 0.5])
    assert shares["across the hole's edge"] == pytest.approx([0.5, 0.0, 0.0, 0.5])
    the_long_way(monkeypatch)
    slow = run_exposure(assets, hazard)
    assert values(fast) == values(slow)
    # both name the repaired bow-tie and count the footprints in the overlapping polygons alike
    assert fast.exposure.repaired and fast.exposure.overlapped == slow.exposure.overlapped > 0


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_threads_change_nothing_but_speed(city, monkeypatch, threads):
    buildings, hazard = city_layer(city, "building_footprints"), city_layer(city, "extremregen")
    monkeypatch.setattr(exposure, "OVERLAY_THREADS", 1)
    one = values(run_exposure(buildings, hazard))
    monkeypatch.setattr(exposure, "OVERLAY_THREADS", threads)
    monkeypatch.setattr(exposure, "OVERLAY_CHUNKS", 5)
    assert values(run_exposure(buildings, hazard)) == one


def test_the_edge_grid_never_calls_a_box_an_edge_meets_quiet():
    rng = numpy.random.default_rng(7)
    starts = rng.uniform(0, 1000, (400, 2))
    ends = starts + rng.normal(0, 20, (400, 2))
    grid = EdgeGrid((starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]))
    corner = rng.uniform(-50, 1050, (5000, 2))
    boxes = numpy.column_stack([corner, corner + rng.uniform(0, 30, (5000, 2))])
    quiet = grid.quiet(boxes)
    # a segment meets a box where its clipped parameter interval is not empty (Liang-Barsky)
    for number in numpy.flatnonzero(quiet)[:2000]:
        xmin, ymin, xmax, ymax = boxes[number]
        for (ax, ay), (bx, by) in zip(starts, ends):
            low, high = 0.0, 1.0
            for p, q in ((-(bx - ax), ax - xmin), (bx - ax, xmax - ax), (-(by - ay), ay - ymin), (by - ay, ymax - ay)):
                if p == 0:
                    if q < 0:
                        low, high = 1.0, 0.0
                else:
                    t = q / p
                    low, high = (max(low, t), high) if p < 0 else (low, min(high, t))
            assert low > high, "a quiet box meets an edge"
    # and it is not a grid that calls nothing quiet
    assert quiet.sum() > 1000
    # a box that only touches an edge's end is not quiet; boxes beyond the grid are
    assert not grid.quiet([[ends[0, 0], ends[0, 1], ends[0, 0] + 1, ends[0, 1] + 1]])[0]
    assert grid.quiet([[5000, 5000, 5001, 5001], [-900, -900, -800, -800]]).all()


def test_an_edge_grid_of_no_edges_is_quiet_everywhere():
    empty = numpy.zeros(0)
    assert EdgeGrid((empty, empty, empty, empty)).quiet([[0, 0, 1, 1]]).all()


class CancelAt(QgsProcessingFeedback):
    """A feedback whose user cancels once progress has passed ``percent``."""

    def __init__(self, percent):
        super().__init__()
        self.percent, self.seen = percent, []

    def setProgress(self, percent):  # noqa: N802 (QgsFeedback's name)
        super().setProgress(percent)
        self.seen.append(percent)
        if percent > self.percent:
            self.cancel()


@pytest.mark.parametrize("percent", [60.0, 80.0])  # in the overlays, in the class areas
def test_a_canceled_overlay_stops_and_leaves_no_thread_behind(city, monkeypatch, percent):
    import threading

    monkeypatch.setattr(exposure, "OVERLAY_THREADS", 2)
    buildings, hazard = city_layer(city, "building_footprints"), city_layer(city, "extremregen")
    before = threading.active_count()
    feedback = CancelAt(percent)
    with pytest.raises(exposure.ExposureCanceled):
        run_exposure(buildings, hazard, feedback=feedback)
    assert feedback.isCanceled() and max(feedback.seen) < 95.0  # stopped before the end
    assert threading.active_count() == before


def test_buffered_lights_and_an_odd_coverage_as_the_long_way(city, monkeypatch):
    lights, hazard = city_layer(city, "street_lights"), city_layer(city, "extremregen")
    extent = hazard.extent()
    # an L-shaped coverage over part of the polygons: footprints partly inside take the long way anyway
    x0, y0, x1, y1 = extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    coverage = memory_layer("Polygon", [("POLYGON(({a} {b}, {c} {b}, {c} {d}, {e} {d}, {e} {f}, {a} {f}, {a} {b}))"
                                         .format(a=x0, b=y0, c=x1, d=ym, e=xm, f=y1), {})])
    fast = run_exposure(lights, hazard, buffer_m=6.0, coverage=coverage)
    the_long_way(monkeypatch)
    slow = run_exposure(lights, hazard, buffer_m=6.0, coverage=coverage)
    assert values(fast) == values(slow)
    codes = fast.exposure.codes
    assert (codes == -1).any() and (codes > 0).any() and fast.exposure.shares is not None
