"""The package filter: which QGIS expressions a transport can send, and that the tree decides
like QGIS itself on the features (data-driven: each case an expression, QGIS evaluates it)."""

import pytest
from qgis.core import QgsExpression, QgsExpressionContext, QgsFeature, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.field.transports import base, expression_filter

FIELDS = (("district", "str"), ("lamp_type", "str"), ("wattage_w", "int"), ("mast_height_m", "real"),
          ("last_inspection", "date"))
LIGHTS = [dict(zip([name for name, _ in FIELDS], row)) for row in (
    ("Herne-Mitte", "LED", 40, 6.0, "2024-05-01"),
    ("Wanne", "NAV", 150, 10.0, "2021-01-31"),
    ("Eickel", None, None, 4.5, None),
    ("Sodingen", "HQL", 80, 8.0, "2023-12-31"),
)]
SENDABLE = [
    "district = 'Herne-Mitte'",
    "'Wanne' = district",
    "lamp_type IN ('LED', 'NAV')",
    "lamp_type NOT IN ('LED')",
    "wattage_w >= 80 AND mast_height_m < 10",
    "wattage_w < 50 OR district = 'Eickel'",
    "lamp_type IS NULL",
    "lamp_type IS NOT NULL AND (wattage_w > 100 OR mast_height_m <= 6)",
    "last_inspection >= '2023-01-01'",
    "wattage_w <> 40",
]
REFUSED = [
    ("upper(district) = 'WANNE'", "upper"),
    ("district LIKE 'Her%'", "LIKE"),
    ("wattage_w + 1 > 41", "a field on one side"),
    ("no_such_field = 1", "no_such_field"),
    ("district = ", "valid expression"),
    ("wattage_w = mast_height_m", "plain values"),
]


def qgis_says(expression, values):
    fields = QgsFields()
    for name, kind in FIELDS:
        fields.append(QgsField(name, {"str": QVariant.String, "int": QVariant.Int, "real": QVariant.Double,
                                      "date": QVariant.String}[kind]))
    feature = QgsFeature(fields)
    feature.setAttributes([values[name] for name, _ in FIELDS])
    context = QgsExpressionContext()
    context.setFeature(feature)
    return bool(QgsExpression(expression).evaluate(context))


@pytest.mark.parametrize("expression", SENDABLE)
def test_the_tree_selects_what_qgis_selects(expression):
    tree = expression_filter.parse(expression, FIELDS)
    for light in LIGHTS:
        assert expression_filter.matches(tree, light) == qgis_says(expression, light), (expression, light)
    assert expression_filter.problem(expression, FIELDS) == ""


@pytest.mark.parametrize("expression, named", REFUSED)
def test_what_no_server_can_be_sent_is_refused_with_the_reason(expression, named):
    with pytest.raises(base.TransportError) as refused:
        expression_filter.parse(expression, FIELDS)
    assert refused.value.kind == base.UNSUPPORTED_FILTER
    assert named in str(refused.value) and "IN, IS NULL, AND" in str(refused.value)
    assert expression_filter.problem(expression, FIELDS) == str(refused.value)


def test_equalities_become_query_parameters_only_when_that_is_all():
    assert expression_filter.equalities(expression_filter.parse(
        "district = 'Wanne' AND wattage_w = '150'", FIELDS)) == {"district": "Wanne", "wattage_w": 150}
    for other in ("district = 'Wanne' OR wattage_w = 150", "wattage_w > 1", "district = 'A' AND district = 'B'"):
        assert expression_filter.equalities(expression_filter.parse(other, FIELDS)) is None
    assert expression_filter.parse("  ", FIELDS) is None and expression_filter.matches(None, LIGHTS[0])


def test_sql_form_has_parameters_not_values():
    tree = expression_filter.parse("district = 'O''Brien; DROP TABLE x' AND lamp_type IN ('LED', 'NAV')", FIELDS)
    sql, params = expression_filter.to_sql(tree, lambda name: '"{}"'.format(name))
    assert sql == '("district" = %s AND "lamp_type" IN (%s, %s))'
    assert params == ["O'Brien; DROP TABLE x", "LED", "NAV"]
