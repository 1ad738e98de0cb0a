"""The package filter (a QGIS expression) in the small form every transport can send.

A field package is cut by an area and an optional filter such as
``district = 'Herne-Mitte' AND lamp_type IN ('LED', 'NAV')``. Servers understand different
filter languages (OGC Filter 1.1 / FES 2.0, OGC API query parameters, SQL), so the
expression is read into a small tree of what all of them can say: comparisons of a field
with a literal (=, <>, <, <=, >, >=), IN / NOT IN, IS NULL / IS NOT NULL, AND, OR. Anything
else is refused with a message saying what is allowed (``parse`` raises TransportError
UNSUPPORTED_FILTER); the packaging pre-check calls ``problem()`` to list it before copying.

Every transport also evaluates the tree on what it read (``matches``): where a server cannot
be trusted with part of the filter (QGIS Server compares no dates), the server gets less and
the client filters the rest, so a package never holds a feature the filter excludes.
"""

from dataclasses import dataclass
from typing import Tuple

from qgis.core import QgsExpression, QgsExpressionNode, QgsExpressionNodeBinaryOperator

from ...i18n import tr
from . import base

_COMPARISONS = {
    QgsExpressionNodeBinaryOperator.boEQ: "=",
    QgsExpressionNodeBinaryOperator.boNE: "<>",
    QgsExpressionNodeBinaryOperator.boLT: "<",
    QgsExpressionNodeBinaryOperator.boLE: "<=",
    QgsExpressionNodeBinaryOperator.boGT: ">",
    QgsExpressionNodeBinaryOperator.boGE: ">=",
}
_MIRRORED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of _MIRRORED
    value: object


@dataclass(frozen=True)
class In:
    field: str
    values: Tuple[object, ...]
    negated: bool = False


@dataclass(frozen=True)
class IsNull:
    field: str
    negated: bool = False


@dataclass(frozen=True)
class And:
    parts: Tuple[object, ...]


@dataclass(frozen=True)
class Or:
    parts: Tuple[object, ...]


def _refuse(expression, reason):
    return base.TransportError(
        base.UNSUPPORTED_FILTER,
        tr("The filter \"{expression}\" cannot be sent to the server: {reason}. Allowed are comparisons of a "
           "field with a value (=, <>, <, <=, >, >=), IN, IS NULL, AND and OR.").format(
            expression=expression, reason=reason))


def parse(expression, fields):
    """The tree of ``expression`` (None for an empty one); ``fields``: [(name, type)] of the layer,
    literals are normalised to the field's type. Raises TransportError(UNSUPPORTED_FILTER)."""
    if not expression or not expression.strip():
        return None
    types = dict(fields)
    parsed = QgsExpression(expression)
    if parsed.hasParserError():
        raise _refuse(expression, tr("it is not a valid expression ({error})").format(
            error=parsed.parserErrorString()))

    def column(node):
        if node.nodeType() != QgsExpressionNode.ntColumnRef:
            return None
        name = node.name()
        if name not in types:
            raise _refuse(expression, tr("the layer has no field {field}").format(field=name))
        return name

    def literal(node, field):
        if node.nodeType() != QgsExpressionNode.ntLiteral:
            raise _refuse(expression, tr("only plain values can be compared with {field}").format(field=field))
        try:
            return base.normalise_value(node.value(), types[field])
        except (TypeError, ValueError):
            raise _refuse(expression, tr("{value} is no value for {field}").format(
                value=node.value(), field=field)) from None

    def walk(node):
        kind = node.nodeType()
        if kind == QgsExpressionNode.ntBinaryOperator:
            op = node.op()
            if op in (QgsExpressionNodeBinaryOperator.boAnd, QgsExpressionNodeBinaryOperator.boOr):
                parts = []
                for child in (walk(node.opLeft()), walk(node.opRight())):
                    same = isinstance(child, And if op == QgsExpressionNodeBinaryOperator.boAnd else Or)
                    parts.extend(child.parts if same else (child,))
                return (And if op == QgsExpressionNodeBinaryOperator.boAnd else Or)(tuple(parts))
            if op in (QgsExpressionNodeBinaryOperator.boIs, QgsExpressionNodeBinaryOperator.boIsNot):
                field = column(node.opLeft())
                right = node.opRight()
                if field and right.nodeType() == QgsExpressionNode.ntLiteral and right.value() is None:
                    return IsNull(field, op == QgsExpressionNodeBinaryOperator.boIsNot)
                raise _refuse(expression, tr("IS is allowed only as \"field IS NULL\""))
            if op in _COMPARISONS:
                left, right = node.opLeft(), node.opRight()
                field = column(left)
                if field:
                    return Compare(field, _COMPARISONS[op], literal(right, field))
                field = column(right)
                if field:
                    return Compare(field, _MIRRORED[_COMPARISONS[op]], literal(left, field))
                raise _refuse(expression, tr("a comparison needs a field on one side"))
            raise _refuse(expression, tr("the operator {operator} is not supported").format(
                operator=node.text()))
        if kind == QgsExpressionNode.ntInOperator:
            field = column(node.node())
            if not field:
                raise _refuse(expression, tr("IN needs a field on its left"))
            values = tuple(literal(item, field) for item in node.list().list())
            return In(field, values, node.isNotIn())
        raise _refuse(expression, tr("\"{part}\" is not supported").format(part=node.dump()))

    return walk(parsed.rootNode())


def problem(expression, fields):
    """Why ``expression`` cannot be used as a package filter, or '' where it can."""
    try:
        parse(expression, fields)
    except base.TransportError as error:
        return error.message
    return ""


def fields_of(tree):
    """The field names the tree refers to."""
    if tree is None:
        return set()
    if isinstance(tree, (And, Or)):
        return set().union(*(fields_of(part) for part in tree.parts))
    return {tree.field}


def _compare(value, op, literal):
    if value is None or literal is None:
        return False  # SQL: a comparison with NULL is never true
    try:
        if op == "=":
            return value == literal
        if op == "<>":
            return value != literal
        if op == "<":
            return value < literal
        if op == "<=":
            return value <= literal
        if op == ">":
            return value > literal
        return value >= literal
    except TypeError:
        return False


def matches(tree, values):
    """Whether a feature's normalised ``values`` pass the filter."""
    if tree is None:
        return True
    if isinstance(tree, And):
        return all(matches(part, values) for part in tree.parts)
    if isinstance(tree, Or):
        return any(matches(part, values) for part in tree.parts)
    value = values.get(tree.field)
    if isinstance(tree, IsNull):
        return (value is None) != tree.negated
    if isinstance(tree, In):
        if value is None:
            return False
        return (value in tree.values) != tree.negated
    return _compare(value, tree.op, tree.value)


def equalities(tree):
    """{field: value} where the tree is only ``field = value`` joined by AND, else None."""
    parts = tree.parts if isinstance(tree, And) else (tree,)
    if tree is None or not all(isinstance(part, Compare) and part.op == "=" and part.value is not None
                               for part in parts):
        return None
    found = {}
    for part in parts:
        if found.setdefault(part.field, part.value) != part.value:
            return None
    return found


def to_sql(tree, quote_identifier):
    """(SQL condition with %s placeholders, parameters) of the tree; ('TRUE', []) for None."""
    if tree is None:
        return "TRUE", []
    if isinstance(tree, (And, Or)):
        pieces = [to_sql(part, quote_identifier) for part in tree.parts]
        joiner = " AND " if isinstance(tree, And) else " OR "
        return "(" + joiner.join(sql for sql, _ in pieces) + ")", [p for _, params in pieces for p in params]
    name = quote_identifier(tree.field)
    if isinstance(tree, IsNull):
        return "{} IS {}NULL".format(name, "NOT " if tree.negated else ""), []
    if isinstance(tree, In):
        if not tree.values:
            return ("TRUE" if tree.negated else "FALSE"), []
        return "{} {}IN ({})".format(name, "NOT " if tree.negated else "", ", ".join(["%s"] * len(tree.values))), \
            list(tree.values)
    return "{} {} %s".format(name, tree.op), [tree.value]
