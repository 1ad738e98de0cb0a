"""Sources and licences printed on a map, from the layers on it.

Always the city itself ("Stadt Herne") and the Geobasis NRW data the twin is built on
(city model, boundaries; dl-de/zero-2.0); the BKG where a BKG service is on the map; the
operators of the sensors shown; and anything a layer states in ``hernetwin/source``.
"""

from .language import tr_noop
from .layer_facts import SOURCE_PROPERTY, field_names, is_vector, service_host, wms_layer_names

BKG_HOSTS = ("geodatenzentrum.de", "bkg.bund.de")
BKG_LAYER_PREFIX = "nw_"  # the BKG's Starkregen layers for NRW: nw_tiefe_agw, ...
MAX_OPERATORS = 6


def _is_bkg(layer):
    host = service_host(layer)
    if any(host == h or host.endswith("." + h) for h in BKG_HOSTS):
        return True
    return any(name.startswith(BKG_LAYER_PREFIX) for name in wms_layer_names(layer))


def sensor_operators(layer):
    """Distinct operators of the sensor stations in ``layer`` (its ``operator`` field)."""
    if not is_vector(layer) or "operator" not in field_names(layer) or not (
            {"station_id", "sensor_type", "device_eui"} & field_names(layer)):
        return []
    index = layer.fields().indexOf("operator")
    return sorted(str(v) for v in layer.uniqueValues(index, MAX_OPERATORS + 1) if v not in (None, ""))


def source_lines(layers, language, extra=()):
    """The sources & licences lines in ``language``; no line twice."""
    lines = [language(tr_noop("Stadt Herne, Digitaler Zwilling")),
             language(tr_noop("Geobasis NRW (dl-de/zero-2.0)"))]
    operators = []
    for layer in layers:
        stated = layer.customProperty(SOURCE_PROPERTY)
        if stated:
            lines.append(str(stated))
        if _is_bkg(layer):
            lines.append(language(tr_noop("© BKG, Hinweiskarte Starkregengefahren (dl-de/by-2-0)")))
        operators.extend(o for o in sensor_operators(layer) if o not in operators)
    if operators:
        shown = operators[:MAX_OPERATORS] + (["…"] if len(operators) > MAX_OPERATORS else [])
        lines.append(language(tr_noop("Sensors: {operators}")).format(operators=", ".join(shown)))
    lines.extend(extra)
    unique = []
    for line in lines:
        if line and line not in unique:
            unique.append(line)
    return unique
