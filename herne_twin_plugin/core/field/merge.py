"""Three-way merge of one feature, per attribute: base (packaging time), mine (field), theirs (server).

A field edited on one side only takes that edit; the same edit on both sides is no conflict;
different edits on both sides become a FieldConflict, never overwritten silently. A feature
deleted on one side and edited on the other is a conflict of kind 'delete_vs_edit'. A side
given as None is a deleted feature; a field missing from a side counts as unchanged there.
"""

from dataclasses import dataclass, field
from typing import Any, List, Optional

from qgis.core import QgsGeometry

from ..i18n import tr

EDIT_VS_EDIT = "edit_vs_edit"
DELETE_VS_EDIT = "delete_vs_edit"
# The key under which a delete_vs_edit conflict is resolved (it concerns the whole feature).
WHOLE_FEATURE = "*feature*"
MINE, THEIRS = "mine", "theirs"
_MISSING = object()


class MergeError(ValueError):
    """A resolution that cannot be applied; the message says why, for the user."""


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any
    mine: Any
    theirs: Any
    kind: str = EDIT_VS_EDIT


@dataclass
class MergeResult:
    """``values`` is the merged feature (None: deleted). For a conflicting field it holds the
    base value until ``resolve`` replaces it with a decision."""

    values: Optional[dict]
    conflicts: List[FieldConflict] = field(default_factory=list)
    mine: Optional[dict] = None
    theirs: Optional[dict] = None

    @property
    def has_conflicts(self):
        return bool(self.conflicts)


@dataclass(frozen=True)
class EditedValue:
    """A value typed in by the user; wraps values that would read as a side ('mine', 'theirs')."""

    value: Any


def _to_geometry(value):
    if isinstance(value, QgsGeometry):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        geometry = QgsGeometry()
        geometry.fromWkb(bytes(value))
        return geometry
    text = str(value).strip()
    try:
        wkb = bytes.fromhex(text)
    except ValueError:
        return QgsGeometry.fromWkt(text)
    geometry = QgsGeometry()
    geometry.fromWkb(wkb)
    return geometry


def geometries_equal(first, second, tolerance=0.0):
    """Whether two geometries (WKB bytes, WKB hex, WKT or QgsGeometry) are the same shape,
    vertices allowed to differ by up to ``tolerance`` map units."""
    if first is None or second is None:
        return first is None and second is None
    a, b = _to_geometry(first), _to_geometry(second)
    if a.isNull() or b.isNull():
        raise MergeError(tr("A geometry could not be read (neither WKB nor WKT)."))
    if a.wkbType() != b.wkbType():
        return False
    if tolerance <= 0:
        return a.isGeosEqual(b)
    return a.hausdorffDistance(b) <= tolerance


def merge(base, mine, theirs, geometry_fields=("geometry",), tolerance=0.0):
    """Merge ``mine`` and ``theirs`` (dicts, or None for deleted) against ``base``."""
    base = base or {}

    def same(name, first, second):
        if name in geometry_fields and first is not _MISSING and second is not _MISSING:
            return geometries_equal(first, second, tolerance)
        return first == second

    def edited(side):
        return any(
            not same(name, side.get(name, base.get(name, _MISSING)), base.get(name, _MISSING))
            for name in set(side) | set(base)
        )

    if mine is None or theirs is None:
        if mine is None and theirs is None:
            return MergeResult(values=None, mine=mine, theirs=theirs)
        survivor = mine if theirs is None else theirs
        if not base:  # new on one side only: an insert, nothing to merge
            return MergeResult(values=dict(survivor), mine=mine, theirs=theirs)
        if not edited(survivor):  # deleted on one side, untouched on the other
            return MergeResult(values=None, mine=mine, theirs=theirs)
        conflict = FieldConflict(WHOLE_FEATURE, base, mine, theirs, DELETE_VS_EDIT)
        return MergeResult(values=dict(survivor), conflicts=[conflict], mine=mine, theirs=theirs)

    values, conflicts = {}, []
    for name in list(dict.fromkeys([*base, *mine, *theirs])):
        base_value = base.get(name, _MISSING)
        mine_value = mine.get(name, base_value)
        theirs_value = theirs.get(name, base_value)
        if same(name, mine_value, theirs_value) or same(name, theirs_value, base_value):
            chosen = mine_value
        elif same(name, mine_value, base_value):
            chosen = theirs_value
        else:
            conflicts.append(FieldConflict(name, _none(base_value), _none(mine_value), _none(theirs_value)))
            chosen = base_value
        if chosen is not _MISSING:
            values[name] = chosen
    return MergeResult(values=values, conflicts=conflicts, mine=mine, theirs=theirs)


def _none(value):
    return None if value is _MISSING else value


def resolve(result, choices):
    """The final feature (dict, or None for deleted) after deciding every conflict.

    ``choices`` maps a conflict's field (WHOLE_FEATURE for delete_vs_edit) to 'mine',
    'theirs', or an edited value (wrap it in EditedValue if it is itself 'mine'/'theirs').
    Refuses unresolved conflicts and choices for fields that are not in conflict.
    """
    by_field = {conflict.field: conflict for conflict in result.conflicts}
    unknown = sorted(set(choices) - set(by_field))
    if unknown:
        raise MergeError(tr("No conflict to decide for: {fields}.").format(fields=", ".join(map(str, unknown))))
    open_fields = [name for name in by_field if name not in choices]
    if open_fields:
        raise MergeError(
            tr("Decide every conflict before saving; still open: {fields}.").format(fields=", ".join(open_fields))
        )
    whole = by_field.get(WHOLE_FEATURE)
    if whole is not None:
        choice = choices[WHOLE_FEATURE]
        if choice == MINE:
            return None if whole.mine is None else dict(whole.mine)
        if choice == THEIRS:
            return None if whole.theirs is None else dict(whole.theirs)
        raise MergeError(tr("A deleted feature is decided with 'mine' or 'theirs', not with a value."))
    values = dict(result.values)
    for name, conflict in by_field.items():
        choice = choices[name]
        if isinstance(choice, EditedValue):
            values[name] = choice.value
        elif choice == MINE:
            values[name] = conflict.mine
        elif choice == THEIRS:
            values[name] = conflict.theirs
        else:
            values[name] = choice
    return values
