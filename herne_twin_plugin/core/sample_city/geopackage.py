"""Writes the sample city's vector layers into one GeoPackage (EPSG:25832), reproducibly.

Every layer's description in gpkg_contents says that the data is synthetic.
The GeoPackage's own timestamps are fixed (OGR_CURRENT_DATE), so the same seed
gives a byte-identical file.
"""

from osgeo import gdal, ogr

from .geometry import checked, crs

FIXED_TIMESTAMP = "2025-01-01T00:00:00.000Z"

_FIELD_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger, "real": ogr.OFTReal, "date": ogr.OFTDate}
_GEOMETRY_TYPES = {
    "Point": ogr.wkbPoint, "LineString": ogr.wkbLineString, "MultiPolygon": ogr.wkbMultiPolygon,
}


class LayerData:
    """One layer: its name, geometry type, fields [(name, "str"|"int"|"real"|"date")],
    description and rows of (ogr geometry, {field: value})."""

    def __init__(self, name, geometry_type, fields, description, rows):
        self.name = name
        self.geometry_type = geometry_type
        self.fields = fields
        self.description = description
        self.rows = rows


def write_geopackage(path, layers, progress=None):
    # thread-local: a Processing algorithm runs in a worker thread beside other work
    previous = gdal.GetThreadLocalConfigOption("OGR_CURRENT_DATE", None)
    gdal.SetThreadLocalConfigOption("OGR_CURRENT_DATE", FIXED_TIMESTAMP)
    try:
        dataset = checked(ogr.GetDriverByName("GPKG").CreateDataSource(path), path)
        for index, layer_data in enumerate(layers):
            _write_layer(dataset, layer_data)
            if progress is not None:
                progress((index + 1) / len(layers))
        dataset = None
    finally:
        gdal.SetThreadLocalConfigOption("OGR_CURRENT_DATE", previous)


def _write_layer(dataset, data):
    layer = checked(dataset.CreateLayer(
        data.name, crs(), _GEOMETRY_TYPES[data.geometry_type],
        options=["DESCRIPTION=" + data.description, "FID=fid", "GEOMETRY_NAME=geom"],
    ), data.name)
    for name, kind in data.fields:
        checked(layer.CreateField(ogr.FieldDefn(name, _FIELD_TYPES[kind])), data.name)
    definition = layer.GetLayerDefn()
    checked(layer.StartTransaction(), data.name)
    for geometry, values in data.rows:
        feature = ogr.Feature(definition)
        for name, kind in data.fields:
            value = values.get(name)
            if value is None:
                feature.SetFieldNull(name)
            elif kind == "date":
                feature.SetField(name, value.year, value.month, value.day, 0, 0, 0, 0)
            else:
                feature.SetField(name, value)
        feature.SetGeometry(geometry)
        checked(layer.CreateFeature(feature), data.name)
    checked(layer.CommitTransaction(), data.name)
