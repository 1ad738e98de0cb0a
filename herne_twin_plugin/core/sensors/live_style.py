"""How the live readings layer looks: each station by its latest values against its
thresholds, stations without a recent reading greyed out.

The state of a station is one expression over the live layer's fields
(``state_expression``): ``stale`` when its newest reading is older than the stale age
(default 15 min) or it has none, else ``alarm`` / ``warning`` when a valid value is
beyond a threshold (``{"warn": 50}``, ``{"warn": 20, "alarm": 40}``,
``{"warn_below": 15}`` from the stations' ``thresholds`` JSON, which may differ per
station), else ``ok``. A categorized renderer draws those four states.
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsMarkerSymbol,
    QgsRendererCategory,
)

from ..i18n import tr

STALE_AFTER_S = 15 * 60
STALE_KEY = "sensors/stale_after_s"

OK, WARNING, ALARM, STALE = "ok", "warning", "alarm", "stale"
STATE_COLOURS = ((OK, "#1a9850"), (WARNING, "#fdae61"), (ALARM, "#d73027"), (STALE, "#bdbdbd"))


def state_label(state):
    labels = {OK: tr("Within limits"), WARNING: tr("Warning level exceeded"), ALARM: tr("Alarm level exceeded"),
              STALE: tr("No recent reading")}
    return labels[state]


def _quoted(names):
    return ",".join(QgsExpression.quotedString(name) for name in sorted(names))


def _limit_conditions(streams, level):
    """Expression parts true when a station's value is beyond its ``level`` threshold.
    Stations sharing a limit share one condition (a few conditions for 2,000 stations)."""
    groups = {}  # (property, comparison, limit) -> station ids
    for stream in streams:
        limits = stream.thresholds or {}
        keys = ((level, ">="),) if level == "alarm" else (("warn", ">="), ("warn_below", "<="))
        for key, comparison in keys:
            limit = limits.get(key)
            if isinstance(limit, (int, float)) and not isinstance(limit, bool):
                groups.setdefault((stream.observed_property, comparison, float(limit)), set()).add(stream.station_id)
    conditions = []
    for (key, comparison, limit), stations in sorted(groups.items()):
        conditions.append("({field} {comparison} {limit:g} AND \"station_id\" IN ({stations}))".format(
            field=QgsExpression.quotedColumnRef(key), comparison=comparison, limit=limit,
            stations=_quoted(stations)))
    return conditions


def state_expression(streams, stale_after_s=STALE_AFTER_S):
    """The expression giving a station's state (see the module doc); ``streams``: the register's."""
    parts = ["CASE WHEN \"age_s\" IS NULL OR \"age_s\" > {:g} THEN '{}'".format(float(stale_after_s), STALE)]
    for state, level in ((ALARM, "alarm"), (WARNING, "warn")):
        conditions = _limit_conditions(streams, level)
        if conditions:
            parts.append("WHEN {} THEN '{}'".format(" OR ".join(conditions), state))
    parts.append("ELSE '{}' END".format(OK))
    return " ".join(parts)


def apply_live_style(layer, streams, stale_after_s=STALE_AFTER_S):
    """Style the live layer by station state; returns the expression used."""
    expression = state_expression(streams, stale_after_s)
    categories = []
    for state, colour in STATE_COLOURS:
        symbol = QgsMarkerSymbol.createSimple({
            # diamonds, so readings never look like the round street lights beside them
            "name": "diamond", "color": colour, "size": "4.2" if state != STALE else "3.2",
            "outline_color": "#ffffff" if state != STALE else "#8a8a8a", "outline_width": "0.4"})
        categories.append(QgsRendererCategory(state, symbol, state_label(state)))
    layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))
    layer.triggerRepaint()
    return expression


def station_states(layer, expression=None):
    """{station id: state} of the layer's features (for the dock's counts and the tests)."""
    renderer = layer.renderer()
    text = expression or (renderer.classAttribute() if isinstance(renderer, QgsCategorizedSymbolRenderer) else None)
    if not text:
        return {}
    compiled = QgsExpression(text)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    compiled.prepare(context)
    states = {}
    for feature in layer.getFeatures():
        context.setFeature(feature)
        states[feature["station_id"]] = compiled.evaluate(context)
    return states
