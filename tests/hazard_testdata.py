"""Small hand-made hazard data for the tests of core/hazard: rasters whose cells we set
ourselves and vector layers from WKT, so that the right answers can be worked out by hand."""

import numpy
from osgeo import gdal, osr
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from herne_twin_plugin.core.hazard.prefetch import FeaturePrefetch

NODATA = -9999.0


def write_raster(path, values, x0, y0, cell, epsg=25832, nodata=NODATA, unit=None, tiled_block=None,
                 cell_y=None):
    """A GeoTIFF of ``values`` (rows north to south) with its top-left corner at (x0, y0)."""
    values = numpy.asarray(values, dtype=numpy.float32)
    options = ["COMPRESS=DEFLATE"]
    if tiled_block:
        options += ["TILED=YES", "BLOCKXSIZE={}".format(tiled_block), "BLOCKYSIZE={}".format(tiled_block)]
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1,
                                                   gdal.GDT_Float32, options=options)
    dataset.SetGeoTransform((x0, cell, 0.0, y0, 0.0, -(cell_y or cell)))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    dataset.SetProjection(srs.ExportToWkt())
    band = dataset.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    if unit:
        band.SetUnitType(unit)
    band.WriteArray(values)
    band.FlushCache()
    dataset = None
    return str(path)


def memory_layer(geometry_type, features, fields=(), epsg=25832, name="assets"):
    """A memory layer of ``features``: [(wkt or None, {field: value})]; ``fields``: [(name, QVariant type)]."""
    layer = QgsVectorLayer("{}?crs=EPSG:{}".format(geometry_type, epsg), name, "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(field, kind) for field, kind in fields])
    layer.updateFields()
    items = []
    for wkt, attributes in features:
        feature = QgsFeature(layer.fields())
        if wkt is not None:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        for key, value in attributes.items():
            feature[key] = value
        items.append(feature)
    provider.addFeatures(items)
    layer.updateExtents()
    assert layer.isValid()
    return layer


def class_layer(polygons, epsg=25832, scenario=None):
    """Depth-class polygons: [(wkt, depth_class)]."""
    fields = [("depth_class", QVariant.String)] + ([("scenario", QVariant.String)] if scenario else [])
    rows = []
    for wkt, depth_class, *rest in polygons:
        attributes = {"depth_class": depth_class}
        if scenario:
            attributes["scenario"] = rest[0] if rest else scenario
        rows.append((wkt, attributes))
    return memory_layer("MultiPolygon", rows, fields, epsg, name="depth_classes")


def box(x0, y0, x1, y1):
    return "POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}))".format(a=x0, b=y0, c=x1, d=y1)


def class_name(depth):
    """The depth class of ``depth`` cm, as Herne's map draws it (written out, not imported)."""
    if depth is None:
        return "no data"
    if depth >= 100:
        return ">100"
    if depth >= 50:
        return "50-100"
    if depth >= 30:
        return "30-50"
    if depth >= 10:
        return "10-30"
    return "below 10 cm"


def city_layer(city, name):
    """Layer ``name`` of a generated sample city's GeoPackage (core.sample_city.generate)."""
    found = QgsVectorLayer("{}|layername={}".format(city["geopackage"], name), name, "ogr")
    assert found.isValid()
    return found


def spy_read_ahead(monkeypatch):
    """Whether each computation from now on used the features read ahead (FeaturePrefetch.aligned found them)."""
    used = []
    aligned = FeaturePrefetch.aligned

    def spy(self, ids):
        found = aligned(self, ids)
        used.append(found is not None)
        return found

    monkeypatch.setattr(FeaturePrefetch, "aligned", spy)
    return used
