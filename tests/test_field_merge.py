"""Three-way merge of field edits (mine) and server edits (theirs) against the packaging base."""

import random

import pytest

from herne_twin_plugin.core.field.merge import (
    DELETE_VS_EDIT,
    WHOLE_FEATURE,
    EditedValue,
    MergeError,
    geometries_equal,
    merge,
    resolve,
)

BASE = {"lamp_type": "HQL", "wattage_w": 125, "condition": 2, "note": None}


def test_edits_that_do_not_overlap_merge_by_themselves():
    mine = dict(BASE, condition=4)
    theirs = dict(BASE, lamp_type="LED", wattage_w=30)
    result = merge(BASE, mine, theirs)
    assert result.conflicts == []
    assert result.values == {"lamp_type": "LED", "wattage_w": 30, "condition": 4, "note": None}


def test_the_same_edit_on_both_sides_is_no_conflict():
    both = dict(BASE, lamp_type="LED")
    result = merge(BASE, dict(both), dict(both))
    assert result.conflicts == []
    assert result.values["lamp_type"] == "LED"


def test_different_edits_of_one_field_are_a_conflict_with_all_three_values():
    result = merge(BASE, dict(BASE, wattage_w=40, note="Mast rostig"), dict(BASE, wattage_w=30))
    assert [(c.field, c.base, c.mine, c.theirs) for c in result.conflicts] == [("wattage_w", 125, 40, 30)]
    assert result.values["note"] == "Mast rostig"
    # nothing is decided silently: the conflicting field still holds the base value
    assert result.values["wattage_w"] == 125


def test_resolve_per_field_mine_theirs_or_an_edited_value():
    base = dict(BASE)
    result = merge(base, dict(base, wattage_w=40, lamp_type="NAV"), dict(base, wattage_w=30, lamp_type="LED"))
    assert {c.field for c in result.conflicts} == {"wattage_w", "lamp_type"}
    assert resolve(result, {"wattage_w": "mine", "lamp_type": "theirs"}) == dict(base, wattage_w=40, lamp_type="LED")
    assert resolve(result, {"wattage_w": 35, "lamp_type": EditedValue("mine")})["lamp_type"] == "mine"
    assert resolve(result, {"wattage_w": 35, "lamp_type": "LED"})["wattage_w"] == 35


def test_resolve_refuses_open_conflicts_and_unknown_fields():
    result = merge(BASE, dict(BASE, wattage_w=40), dict(BASE, wattage_w=30))
    with pytest.raises(MergeError, match="wattage_w"):
        resolve(result, {})
    with pytest.raises(MergeError, match="condition"):
        resolve(result, {"wattage_w": "mine", "condition": "mine"})


def test_delete_on_one_side_and_edit_on_the_other_is_a_conflict():
    for mine, theirs in ((None, dict(BASE, condition=5)), (dict(BASE, condition=5), None)):
        result = merge(BASE, mine, theirs)
        assert [c.kind for c in result.conflicts] == [DELETE_VS_EDIT]
        with pytest.raises(MergeError):
            resolve(result, {})
        kept = resolve(result, {WHOLE_FEATURE: "mine" if mine else "theirs"})
        assert kept == dict(BASE, condition=5)
        assert resolve(result, {WHOLE_FEATURE: "theirs" if mine else "mine"}) is None
        with pytest.raises(MergeError):
            resolve(result, {WHOLE_FEATURE: {"condition": 1}})


def test_delete_against_an_untouched_feature_deletes_and_an_insert_stays():
    assert merge(BASE, None, dict(BASE)).values is None
    assert merge(BASE, dict(BASE), None).values is None
    assert merge(BASE, None, None).values is None
    new_light = {"lamp_type": "LED", "wattage_w": 20}
    assert merge(None, new_light, None).values == new_light


def test_geometry_compared_as_shape_with_a_tolerance():
    base = {"geometry": "POINT (387000 5711000)", "condition": 2}
    moved_a_little = {"geometry": "POINT (387000.004 5711000)", "condition": 2}
    moved_far = {"geometry": "POINT (387005 5711000)", "condition": 2}
    # exact comparison: a 4 mm move on both sides, differently, is a conflict ...
    assert [c.field for c in merge(base, moved_a_little, moved_far).conflicts] == ["geometry"]
    # ... and the same shape written as WKT and as WKB is no edit at all
    from qgis.core import QgsGeometry

    as_wkb = {"geometry": bytes(QgsGeometry.fromWkt(base["geometry"]).asWkb()), "condition": 3}
    result = merge(base, as_wkb, moved_far)
    assert result.conflicts == []
    assert result.values["geometry"] == moved_far["geometry"]
    # with 1 cm tolerance the 4 mm move counts as unchanged, so the server's move wins
    result = merge(base, moved_a_little, moved_far, tolerance=0.01)
    assert result.conflicts == []
    assert result.values["geometry"] == moved_far["geometry"]
    assert geometries_equal(bytes(QgsGeometry.fromWkt("POINT (1 2)").asWkb()).hex(), "POINT (1 2)")
    assert not geometries_equal("POINT (1 2)", "LINESTRING (1 2, 3 4)")
    with pytest.raises(MergeError):
        geometries_equal("not a geometry", "POINT (1 2)")


def _random_feature(rng, fields):
    return {name: rng.choice([None, 0, 1, 2, "a", "b", 2.5]) for name in fields}


def test_merge_properties_over_many_random_triples():
    rng = random.Random(2601)
    fields = ["f{}".format(index) for index in range(6)]
    conflicts_seen = 0
    for _ in range(3000):
        base, mine, theirs = (_random_feature(rng, fields) for _ in range(3))
        assert merge(base, dict(mine), dict(base)).values == mine
        assert merge(base, dict(base), dict(theirs)).values == theirs
        result = merge(base, mine, theirs)
        conflicting = {c.field for c in result.conflicts}
        for name in fields:
            edited_differently = mine[name] != base[name] and theirs[name] != base[name] and mine[name] != theirs[name]
            assert (name in conflicting) == edited_differently, (base, mine, theirs, name)
            if name not in conflicting:
                # no edit of either side is lost
                if mine[name] != base[name]:
                    assert result.values[name] == mine[name]
                if theirs[name] != base[name]:
                    assert result.values[name] == theirs[name]
        conflicts_seen += len(conflicting)
        # every conflict is decidable and a decision for 'mine' keeps mine
        resolved = resolve(result, {name: "mine" for name in conflicting})
        assert all(resolved[name] == mine[name] for name in conflicting)
    assert conflicts_seen > 100  # the generator really produced overlapping edits
