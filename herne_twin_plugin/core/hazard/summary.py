"""The exposure per district: how many assets fall in each depth class.

Districts come from a district layer (the asset's point on surface decides), else from
the assets' own ``district`` field, else there is just the city-wide total row.
"""

from dataclasses import dataclass

import numpy
from qgis.core import QgsFeatureRequest, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant

from ..i18n import tr
from .exposure import ExposureError
from .geometry import points_in_rings, ring_edges, wkb_rings
from .scenarios import CODE_BELOW_10, CODE_NO_DATA, DEPTH_CLASSES
from .sources import geometry_wkb, transform_to

DISTRICT_FIELD = "district"
NAME_FIELDS = ("name", "district", "stadtbezirk", "bezirk", "district_name")


@dataclass
class DistrictRow:
    district: str
    counts: dict  # class code -> number of assets

    @property
    def assets(self):
        return sum(self.counts.values())

    @property
    def exposed(self):
        return sum(count for code, count in self.counts.items() if code > CODE_BELOW_10)


def summary_fields():
    fields = QgsFields()
    fields.append(QgsField("district", QVariant.String))
    fields.append(QgsField("scenario", QVariant.String))
    fields.append(QgsField("assets", QVariant.Int))
    fields.append(QgsField("count_no_data", QVariant.Int))
    fields.append(QgsField("count_below_10", QVariant.Int))
    for depth_class in DEPTH_CLASSES:
        fields.append(QgsField(depth_class.count_field, QVariant.Int))
    fields.append(QgsField("exposed", QVariant.Int))
    fields.append(QgsField("exposed_share", QVariant.Double))
    return fields


def row_values(row, scenario):
    """Attribute values of a summary row in the order of ``summary_fields``."""
    values = [row.district, scenario, row.assets, row.counts.get(CODE_NO_DATA, 0), row.counts.get(CODE_BELOW_10, 0)]
    values += [row.counts.get(code, 0) for code in range(1, len(DEPTH_CLASSES) + 1)]
    values.append(row.exposed)
    values.append(row.exposed / row.assets if row.assets else None)
    return values


def district_names_from_field(features, field=DISTRICT_FIELD):
    """The assets' own district attribute, or None where the assets have no such field."""
    index = features[0].fields().indexOf(field) if features else -1
    if index < 0:
        return None
    return [_text(feature.attribute(index)) for feature in features]


def district_names_of_assets(assets, field=DISTRICT_FIELD):
    """The district attribute of the assets of a run (sources.Assets), or None where the
    assets have no such field; read in bulk where the assets were."""
    values = assets.column(field) if len(assets) else None
    return [_text(value) for value in values] if values is not None else None


def district_names_from_layer(districts, assets, hazard_crs, context=None, notes=None, feedback=None):
    """For each asset (AssetGeometries in ``hazard_crs``) the name of the district its point
    on surface lies in (None outside every district)."""
    names = districts.fields().names()
    name_field = next((name for name in NAME_FIELDS if name in names), None)
    if name_field is None:
        name_field = next((f.name() for f in districts.fields() if f.type() == QVariant.String), None)
    if name_field is None:
        raise ExposureError(tr("The district layer has no field with the districts' names (such as name)."))
    transform = transform_to(districts.sourceCrs(), hazard_crs, context, tr("The districts"),
                             notes if notes is not None else [], feedback)
    shapes = []
    request = QgsFeatureRequest().setSubsetOfAttributes([name_field], districts.fields())
    for feature in districts.getFeatures(request):
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        if transform is not None:
            geometry.transform(transform)
        shapes.append((_text(feature[name_field]), geometry))
    if not shapes:
        raise ExposureError(tr("The district layer holds no polygons."))
    present = assets.present()
    xs, ys = numpy.empty(len(present)), numpy.empty(len(present))
    for position, index in enumerate(present):
        bounds = assets.bounds[index]
        if bounds[0] == bounds[2] and bounds[1] == bounds[3]:
            xs[position], ys[position] = bounds[0], bounds[1]
        else:
            point = assets.geometries[index].pointOnSurface().asPoint()
            xs[position], ys[position] = point.x(), point.y()
    result = [None] * len(assets)
    open_ = numpy.ones(len(present), dtype=bool)  # a point on a shared border goes to the first district
    for label, geometry in shapes:
        box = geometry.boundingBox()
        near = open_ & (xs >= box.xMinimum()) & (xs <= box.xMaximum()) & (ys >= box.yMinimum()) & \
            (ys <= box.yMaximum())
        if not near.any():
            continue
        edges = ring_edges(wkb_rings(geometry_wkb(geometry)))
        hit = numpy.flatnonzero(near)[points_in_rings(xs[near], ys[near], edges)]
        for position in hit.tolist():
            result[present[position]] = label
        open_[hit] = False
    return result


def _text(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    text = str(value).strip()
    return text or None


def district_rows(codes, district_names=None):
    """[DistrictRow] per district (sorted by name; assets without a district last) and a
    final row for all assets together."""
    codes = numpy.asarray(codes, dtype=numpy.int64)
    rows = []
    if district_names is not None:
        names = sorted(set(district_names), key=lambda n: (n is None, n or ""))
        position = {name: number for number, name in enumerate(names)}
        owner = numpy.fromiter((position[name] for name in district_names), dtype=numpy.int64,
                               count=len(district_names))
        for name, counts in zip(names, _count(codes, owner, len(names))):
            rows.append(DistrictRow(name if name is not None else tr("Outside the districts"), counts))
    rows += [DistrictRow(tr("All districts"), counts) for counts in _count(codes, numpy.zeros(len(codes), int), 1)]
    return rows


def _count(codes, owner, groups):
    """Per group ({code: number of assets} for every code): codes counted at once."""
    known = [CODE_NO_DATA, CODE_BELOW_10] + list(range(1, len(DEPTH_CLASSES) + 1))
    width = len(known)
    table = numpy.bincount(owner * width + (codes - CODE_NO_DATA), minlength=groups * width).reshape(groups, width)
    return [dict(zip(known, row)) for row in table.tolist()]
