"""What every transport does the same way: the package schema against the server's, and
server values made into ServerFeatures normalised to the package's field types."""

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

from ...i18n import tr
from ..manifest import PACKAGE_CRS
from . import base


def schema_problem(layer, server_fields):
    """A TransportError(SCHEMA_CHANGED) naming the package fields the server no longer has
    (removed or renamed since packaging), or None. Fields the server added are fine."""
    offered = {name for name, _ in server_fields}
    missing = [name for name, _ in layer.fields if name not in offered]
    if not missing:
        return None
    added = sorted(offered - {name for name, _ in layer.fields})
    message = tr("The server's layer {layer} has changed since the package was made: the field(s) {fields} "
                 "are gone or renamed. Nothing was sent; your edits stay in the package. Ask the "
                 "service's operator, or make a new package after the sync.").format(
        layer=layer.source_name or layer.table_name, fields=", ".join(missing))
    details = "missing: {}; new on the server: {}".format(", ".join(missing), ", ".join(added) or "-")
    return base.TransportError(base.SCHEMA_CHANGED, message, server_message=details)


def make_feature(layer, raw, geometry=None, server_id="", version=""):
    """A ServerFeature from the server's ``raw`` {name: value}: every package field normalised
    (absent ones None), the server's other fields in ``extra``."""
    types = dict(layer.fields)
    values = {}
    for name, field_type in types.items():
        try:
            values[name] = base.normalise_value(raw.get(name), field_type)
        except (TypeError, ValueError):
            raise value_error(name, field_type, raw.get(name)) from None
    extra = {name: value for name, value in raw.items() if name not in types}
    key = values.get(layer.key_column)
    return base.ServerFeature(key=str(key) if key is not None else "", values=values, geometry=geometry,
                              server_id=str(server_id), version=version or "", extra=extra)


def value_error(layer_field, field_type, value):
    """The TransportError for a server value that is no value of its package field's type."""
    return base.TransportError(
        base.INVALID_ANSWER,
        tr("The server sent {value} for the field {field}, which is no {type} value.").format(
            value=repr(value), field=layer_field, type=field_type))


def check_key(layer, values):
    """The key of a feature to insert; an insert without one could be made twice."""
    key = values.get(layer.key_column)
    if key in (None, ""):
        raise base.TransportError(base.REJECTED, tr(
            "An insert into {layer} carries no {key}: without it a retried insert could not be recognised.").format(
            layer=layer.table_name, key=layer.key_column))
    return str(key)


def geometry_from_hex(wkb_hex):
    """QgsGeometry of a WKB hex string (None or '' gives None)."""
    if not wkb_hex:
        return None
    geometry = QgsGeometry()
    geometry.fromWkb(bytes.fromhex(wkb_hex))
    return geometry


def same_geometry(first_hex, second_hex, tolerance=0.001):
    """Whether two WKB hex geometries are the same within ``tolerance`` metres (servers round)."""
    first, second = geometry_from_hex(first_hex), geometry_from_hex(second_hex)
    if first is None or second is None:
        return first is None and second is None
    return first.type() == second.type() and first.distance(second) <= tolerance and \
        abs(first.area() - second.area()) <= tolerance * max(1.0, first.length())


def geometry_to_hex(geometry):
    """WKB hex of a QgsGeometry; None for a null geometry."""
    if geometry is None or geometry.isNull():
        return None
    return bytes(geometry.asWkb()).hex()


class Reprojector:
    """Geometries between the package CRS and a server CRS (OGC API Features answers in CRS84)."""

    def __init__(self, server_crs, package_crs=PACKAGE_CRS):
        """``server_crs`` as QGIS names it ('OGC:CRS84', 'EPSG:4326'), not as an OGC URI."""
        self.to_package = QgsCoordinateTransform(QgsCoordinateReferenceSystem(server_crs),
                                                 QgsCoordinateReferenceSystem(package_crs), QgsProject.instance())
        self.to_server = QgsCoordinateTransform(QgsCoordinateReferenceSystem(package_crs),
                                                QgsCoordinateReferenceSystem(server_crs), QgsProject.instance())

    def package(self, geometry):
        geometry = QgsGeometry(geometry)
        geometry.transform(self.to_package)
        return geometry

    def server(self, geometry):
        geometry = QgsGeometry(geometry)
        geometry.transform(self.to_server)
        return geometry
