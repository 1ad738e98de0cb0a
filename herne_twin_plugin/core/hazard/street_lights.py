"""The street-light asset view: the hazard class of each light, its inspection state, and
the priority list for heavy rain.

Inspections come from the field packages (a later issue) as a table or layer with this
contract (``INSPECTION_FIELDS``):

==============  ==========================================================================
light_uuid      the light's ``light_uuid`` (text), the key to the street-light register
inspected_at    when the inspection took place (date, date-time, or ISO 8601 text)
condition       the inspector's verdict as text (e.g. "ok", "defect", "damaged")
open_defects    how many defects are still open after that inspection (whole number >= 0)
==============  ==========================================================================

A light may have many inspections; the latest ``inspected_at`` counts. A light without any
keeps the date of its own ``last_inspection`` field (the register's) and an unknown
condition and defect count.

The priority list ranks the lights that lie in a depth class (10 cm or more): deepest
class first, within a class the lights with open defects first (more defects first),
then the lights inspected longest ago (never inspected first). Lights below 10 cm or
without hazard data get no rank.
"""

import datetime
from dataclasses import dataclass

from qgis.core import QgsFeatureRequest, QgsField
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

from ..i18n import tr
from .exposure import ExposureError

INSPECTION_FIELDS = ("light_uuid", "inspected_at", "condition", "open_defects")
LIGHT_KEY = "light_uuid"
REGISTER_INSPECTION_FIELD = "last_inspection"
# the output fields this view adds to an exposure of street lights
VIEW_FIELDS = (
    ("last_inspected", QVariant.Date),
    ("condition", QVariant.String),
    ("open_defects", QVariant.Int),
    ("priority", QVariant.Int),
)


@dataclass(frozen=True)
class Inspection:
    inspected_at: datetime.datetime
    condition: object  # str or None
    open_defects: object  # int or None


# the asset attributes view_columns reads
READ_FIELDS = (LIGHT_KEY, REGISTER_INSPECTION_FIELD)


def is_street_light_layer(fields):
    return fields.indexOf(LIGHT_KEY) >= 0


def view_fields():
    return [QgsField(name, kind) for name, kind in VIEW_FIELDS]


def as_datetime(value):
    """A datetime of a QDate, QDateTime, date, datetime or ISO 8601 text; None if empty."""
    if value is None:
        return None
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return datetime.datetime.combine(value.toPyDate(), datetime.time()) if value.isValid() else None
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    text = str(value).strip()
    if not text or text.upper() == "NULL":
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def read_inspections(source):
    """({light_uuid: latest Inspection}, number of rows without a light or a date) of an
    inspections table; a clear ExposureError where the table does not keep the contract."""
    names = source.fields().names()
    missing = [name for name in INSPECTION_FIELDS if name not in names]
    if missing:
        raise ExposureError(tr(
            "The inspections table lacks the fields {missing}; it needs {fields}.").format(
            missing=", ".join(missing), fields=", ".join(INSPECTION_FIELDS)))
    latest, unreadable = {}, 0
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(
        list(INSPECTION_FIELDS), source.fields())
    for feature in source.getFeatures(request):
        key = _text(feature[LIGHT_KEY])
        when = as_datetime(feature["inspected_at"])
        if key is None or when is None:
            unreadable += 1
            continue
        defects = feature["open_defects"]
        try:
            defects = None if _is_null(defects) else max(0, int(defects))
        except (TypeError, ValueError):
            defects = None
        inspection = Inspection(when, _text(feature["condition"]), defects)
        if key not in latest or latest[key].inspected_at < when:
            latest[key] = inspection
    return latest, unreadable


def _is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


def _text(value):
    if _is_null(value):
        return None
    text = str(value).strip()
    return text or None


def _as_qdate(value):
    if isinstance(value, QDate):
        return value if value.isValid() else None
    if isinstance(value, datetime.datetime):
        return QDate(value.date())
    return None


def view_columns(features, codes, inspections=None):
    """Values of VIEW_FIELDS for each light: [last_inspected (QDate or None), condition,
    open_defects, priority] in the order of ``features`` (aligned with ``codes``)."""
    if not features:
        return []
    fields = features[0].fields()
    key_index = fields.indexOf(LIGHT_KEY)
    register_index = fields.indexOf(REGISTER_INSPECTION_FIELD)
    keys = [feature.attribute(key_index) for feature in features]
    registers = [feature.attribute(register_index) for feature in features] if register_index >= 0 else None
    return view_columns_of(keys, registers, codes, inspections)


def view_columns_of(keys, registers, codes, inspections=None):
    """view_columns from the lights' keys and register inspection dates (None: no such
    field), as read from the layer."""
    if registers is None:
        registers = [None] * len(keys)
    rows = []
    for key, register, code in zip(keys, registers, codes):
        inspection = inspections.get(_text(key)) if inspections else None
        if inspection is not None:
            register_date = as_datetime(register)
            if register_date is None or inspection.inspected_at >= register_date:
                rows.append([inspection.inspected_at, inspection.condition, inspection.open_defects, None, int(code)])
                continue
        rows.append([register, None, None, None, int(code)])
    for rank, index in enumerate(priority_order(rows), start=1):
        rows[index][3] = rank
    return [[_as_qdate(row[0]), row[1], row[2], row[3]] for row in rows]


def priority_order(rows):
    """Indices of the exposed lights (class code >= 1) in priority order; ``rows`` hold
    [inspected_at, condition, open_defects, priority, class code]."""
    exposed = [index for index, row in enumerate(rows) if row[4] >= 1]
    inspected = {index: as_datetime(rows[index][0]) for index in exposed}

    def key(index):
        _inspected_at, _condition, defects, _priority, code = rows[index]
        defects = defects or 0
        when = inspected[index]
        return (-code, defects == 0, -defects, when is not None, when or datetime.datetime.min, index)

    return sorted(exposed, key=key)
