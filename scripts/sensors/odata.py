"""The OData part of SensorThings API 1.1 query options, for the fixture server.

``parse_options(raw)`` reads ``$top``, ``$skip``, ``$count``, ``$orderby``, ``$filter``,
``$select`` and ``$expand`` (with nested options: ``Observations($orderby=phenomenonTime
desc;$top=1)``, paths like ``Thing/Locations``). ``$filter`` supports the comparison
operators eq ne gt ge lt le, and / or / not, add sub mul div mod, parentheses,
literals (numbers, 'strings', ISO 8601 times, true/false/null,
geography'POLYGON((...))') and the functions st_intersects, st_within, st_contains,
st_disjoint, st_equals, st_touches, st_overlaps, st_crosses, geo.intersects,
substringof, startswith, endswith, contains, tolower, toupper, length, year, month,
day, hour, minute, second, round, floor, ceiling. A path through a collection
(``Thing/Locations/location``) is true when any of its values is (OData's "any").
Anything else raises QueryError (the server answers 400).
"""

import datetime
import json
import math
import re
from dataclasses import dataclass, field

UTC = datetime.timezone.utc


class QueryError(ValueError):
    """A query option the server cannot read (HTTP 400)."""


@dataclass
class Options:
    top: int = None
    skip: int = 0
    count: bool = False
    orderby: list = field(default_factory=list)  # [(path segments, descending)]
    filter: tuple = None  # the parsed expression
    select: list = None
    expand: list = field(default_factory=list)  # [Expand]


@dataclass
class Expand:
    name: str
    options: Options


# -- splitting ----------------------------------------------------------------------------

def split_top_level(text, separator):
    """Split at ``separator`` outside parentheses and quotes."""
    parts, depth, current, quoted = [], 0, [], False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses in {!r}".format(text))
        if char == separator and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0 or quoted:
        raise QueryError("unbalanced parentheses or quotes in {!r}".format(text))
    parts.append("".join(current))
    return [part.strip() for part in parts]


_KNOWN = ("$top", "$skip", "$count", "$orderby", "$filter", "$select", "$expand", "$resultFormat")


def parse_options(raw):
    """Options from {"$top": "10", ...}; QueryError for bad values or unknown $options."""
    options = Options()
    for key in raw:
        if key.startswith("$") and key not in _KNOWN:
            raise QueryError("unknown query option {}".format(key))
    if "$resultFormat" in raw:
        raise QueryError("$resultFormat is not supported by this server")
    for key, attribute in (("$top", "top"), ("$skip", "skip")):
        if key in raw:
            text = raw[key].strip()
            if not text.isdigit():
                raise QueryError("{} must be a non-negative integer, not {!r}".format(key, text))
            setattr(options, attribute, int(text))
    if "$count" in raw:
        text = raw["$count"].strip().lower()
        if text not in ("true", "false"):
            raise QueryError("$count must be true or false")
        options.count = text == "true"
    if raw.get("$orderby", "").strip():
        for part in split_top_level(raw["$orderby"], ","):
            words = part.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                raise QueryError("cannot read $orderby {!r}".format(part))
            options.orderby.append((_path(words[0]), len(words) == 2 and words[1].lower() == "desc"))
    if raw.get("$filter", "").strip():
        options.filter = parse_filter(raw["$filter"])
    if "$select" in raw:
        options.select = [item.strip() for item in raw["$select"].split(",") if item.strip()]
        if not options.select:
            raise QueryError("$select is empty")
    if raw.get("$expand", "").strip():
        options.expand = parse_expand(raw["$expand"])
    return options


def _path(text):
    segments = text.split("/")
    if not all(re.match(r"^[A-Za-z_@][A-Za-z0-9_.@]*$", segment) for segment in segments):
        raise QueryError("not a property path: {!r}".format(text))
    return segments


def parse_expand(text):
    """[Expand] of an $expand value; ``A/B(opts)`` becomes A expanding B with opts."""
    result = []
    for item in split_top_level(text, ","):
        match = re.match(r"^([A-Za-z/]+)\s*(?:\((.*)\))?$", item, re.S)
        if not match:
            raise QueryError("cannot read $expand {!r}".format(item))
        names = match.group(1).strip("/").split("/")
        raw = {}
        if match.group(2) is not None:
            for option in split_top_level(match.group(2), ";"):
                if not option:
                    continue
                key, separator, value = option.partition("=")
                if not separator or not key.strip().startswith("$"):
                    raise QueryError("cannot read the $expand option {!r}".format(option))
                raw[key.strip()] = value
        leaf = Expand(names[-1], parse_options(raw))
        for name in reversed(names[:-1]):
            leaf = Expand(name, Options(expand=[leaf]))
        _merge(result, leaf)
    return result


def _merge(expands, item):
    for existing in expands:
        if existing.name == item.name:
            for child in item.options.expand:
                _merge(existing.options.expand, child)
            return
    expands.append(item)


# -- $filter: tokens and parser -----------------------------------------------------------

_TOKEN = re.compile(r"""\s*(?:
    (?P<geo>geography'(?:[^']|'')*')
  | (?P<str>'(?:[^']|'')*')
  | (?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_@][A-Za-z0-9_.@]*)
  | (?P<punct>[(),/])
)""", re.X)

_COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
_ARITHMETIC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "mod": 2}


def _tokens(text):
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise QueryError("cannot read $filter at {!r}".format(text[position:position + 30]))
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def parse_filter(text):
    parser = _Parser(_tokens(text))
    expression = parser.expression()
    if parser.position != len(parser.tokens):
        raise QueryError("unexpected {!r} in $filter".format(parser.tokens[parser.position][1]))
    return expression


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        if token[0] is None:
            raise QueryError("$filter ends too early")
        self.position += 1
        return token

    def expect(self, value):
        kind, text = self.take()
        if text != value:
            raise QueryError("expected {!r} in $filter, found {!r}".format(value, text))

    def word(self):
        kind, text = self.peek()
        return text.lower() if kind == "name" else None

    def expression(self):
        left = self.conjunction()
        while self.word() == "or":
            self.take()
            left = ("or", left, self.conjunction())
        return left

    def conjunction(self):
        left = self.negation()
        while self.word() == "and":
            self.take()
            left = ("and", left, self.negation())
        return left

    def negation(self):
        if self.word() == "not":
            self.take()
            return ("not", self.negation())
        return self.comparison()

    def comparison(self):
        left = self.arithmetic(1)
        if self.word() in _COMPARISONS:
            operator = self.take()[1].lower()
            return ("cmp", operator, left, self.arithmetic(1))
        return left

    def arithmetic(self, level):
        if level > 2:
            return self.primary()
        left = self.arithmetic(level + 1)
        while self.word() in _ARITHMETIC and _ARITHMETIC[self.word()] == level:
            operator = self.take()[1].lower()
            left = ("math", operator, left, self.arithmetic(level + 1))
        return left

    def primary(self):
        kind, text = self.take()
        if kind == "punct" and text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "geo":
            return ("geo", text[len("geography'"):-1].replace("''", "'"))
        if kind == "str":
            return ("lit", text[1:-1].replace("''", "'"))
        if kind == "time":
            return ("lit", _parse_time(text))
        if kind == "num":
            return ("lit", float(text) if any(char in text for char in ".eE") else int(text))
        if kind == "name":
            lowered = text.lower()
            if lowered in ("true", "false"):
                return ("lit", lowered == "true")
            if lowered == "null":
                return ("lit", None)
            if self.peek() == ("punct", "("):
                self.take()
                arguments = []
                if self.peek() != ("punct", ")"):
                    arguments.append(self.expression())
                    while self.peek() == ("punct", ","):
                        self.take()
                        arguments.append(self.expression())
                self.expect(")")
                if lowered not in _FUNCTIONS:
                    raise QueryError("unknown function {}".format(text))
                return ("call", lowered, arguments)
            segments = [text]
            while self.peek() == ("punct", "/"):
                self.take()
                kind, name = self.take()
                if kind != "name":
                    raise QueryError("expected a property after / in $filter")
                segments.append(name)
            return ("path", segments)
        raise QueryError("unexpected {!r} in $filter".format(text))


# -- evaluation -----------------------------------------------------------------------------

def _parse_time(text):
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _as_time(value):
    """(start, end) of a time value (instants: start == end); None if it is no time."""
    if isinstance(value, datetime.datetime):
        return value, value
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        try:
            parts = [_parse_time(part) for part in value.split("/")]
        except ValueError:
            return None
        return parts[0], parts[-1]
    return None


def _compare(operator, left, right):
    if operator in ("eq", "ne") and (left is None or right is None):
        return (left is None and right is None) == (operator == "eq")
    if isinstance(left, datetime.datetime) or isinstance(right, datetime.datetime):
        left_span, right_span = _as_time(left), _as_time(right)
        if left_span is None or right_span is None:
            return False
        if operator in ("gt", "ge"):  # the whole of left after right
            left, right = left_span[0], right_span[1]
        elif operator in ("lt", "le"):
            left, right = left_span[1], right_span[0]
        else:
            left, right = left_span, right_span
    elif isinstance(left, bool) != isinstance(right, bool):
        return False
    elif isinstance(left, (int, float)) != isinstance(right, (int, float)):
        return False
    try:
        return {
            "eq": lambda: left == right, "ne": lambda: left != right, "gt": lambda: left > right,
            "ge": lambda: left >= right, "lt": lambda: left < right, "le": lambda: left <= right,
        }[operator]()
    except TypeError:
        return False


def _geometry(value):
    from osgeo import ogr

    if isinstance(value, tuple) and value and value[0] == "geo":
        geometry = ogr.CreateGeometryFromWkt(value[1])
        if geometry is None:
            raise QueryError("cannot read the geography literal {!r}".format(value[1][:60]))
        return geometry
    if isinstance(value, dict):
        if value.get("type") == "Feature":
            value = value.get("geometry")
        return ogr.CreateGeometryFromJson(json.dumps(value)) if isinstance(value, dict) else None
    return None


def _spatial(name):
    def test(first, second):
        a, b = _geometry(first), _geometry(second)
        return a is not None and b is not None and getattr(a, name)(b)
    return test


def _text(function):
    def apply(*values):
        return function(*values) if all(isinstance(value, str) for value in values) else None
    return apply


def _time_part(name):
    def apply(value):
        span = _as_time(value)
        return getattr(span[0], name) if span else None
    return apply


def _number(function):
    def apply(value):
        return function(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return apply


_FUNCTIONS = {
    "st_intersects": _spatial("Intersects"), "geo.intersects": _spatial("Intersects"),
    "st_within": _spatial("Within"), "st_contains": _spatial("Contains"), "st_disjoint": _spatial("Disjoint"),
    "st_equals": _spatial("Equals"), "st_touches": _spatial("Touches"), "st_overlaps": _spatial("Overlaps"),
    "st_crosses": _spatial("Crosses"),
    "substringof": _text(lambda needle, text: needle in text), "contains": _text(lambda text, needle: needle in text),
    "startswith": _text(str.startswith), "endswith": _text(str.endswith),
    "tolower": _text(str.lower), "toupper": _text(str.upper), "length": _text(len),
    "year": _time_part("year"), "month": _time_part("month"), "day": _time_part("day"),
    "hour": _time_part("hour"), "minute": _time_part("minute"), "second": _time_part("second"),
    "round": _number(round), "floor": _number(math.floor), "ceiling": _number(math.ceil),
}


def evaluate(node, entity, resolve):
    """The values of ``node`` for ``entity`` (a list: paths may give several);
    ``resolve(entity, segments)`` gives a path's values."""
    kind = node[0]
    if kind == "lit":
        return [node[1]]
    if kind == "geo":
        return [node]
    if kind == "path":
        return resolve(entity, node[1])
    if kind == "and":
        return [matches(node[1], entity, resolve) and matches(node[2], entity, resolve)]
    if kind == "or":
        return [matches(node[1], entity, resolve) or matches(node[2], entity, resolve)]
    if kind == "not":
        return [not matches(node[1], entity, resolve)]
    if kind == "cmp":
        lefts, rights = evaluate(node[2], entity, resolve), evaluate(node[3], entity, resolve)
        return [any(_compare(node[1], left, right) for left in lefts for right in rights)]
    if kind == "math":
        results = []
        for left in evaluate(node[2], entity, resolve):
            for right in evaluate(node[3], entity, resolve):
                results.append(_arithmetic(node[1], left, right))
        return results
    if kind == "call":
        argument_values = [evaluate(argument, entity, resolve) for argument in node[2]]
        results = []
        for combination in _product(argument_values):
            try:
                results.append(_FUNCTIONS[node[1]](*combination))
            except TypeError:
                raise QueryError("wrong number of arguments for {}".format(node[1])) from None
        return results
    raise QueryError("cannot evaluate {!r}".format(kind))


def _product(lists):
    if not lists:
        return [()]
    return [(first,) + rest for first in lists[0] for rest in _product(lists[1:])]


def _arithmetic(operator, left, right):
    numeric = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (left, right))
    if not numeric:
        return None
    if operator in ("div", "mod") and right == 0:
        return None
    return {"add": left + right, "sub": left - right, "mul": left * right,
            "div": left / right if operator == "div" else None,
            "mod": left % right if operator == "mod" else None}[operator]


def matches(node, entity, resolve):
    return any(value is True for value in evaluate(node, entity, resolve))
