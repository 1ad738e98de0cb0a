"""From QGIS layers to the arrays the exposure computation works on, and back.

``run_exposure`` is the whole path the Processing algorithm, the street-light view, the
sensor view and the demo share: read the assets (any vector layer or feature source),
transform them into the hazard data's CRS where the two differ (and say so), repair
invalid polygons (and say so), buffer them, and expose them to a depth raster or to
depth-class polygons. Every message for the user is collected in ``notes`` and logged.

A whole GeoPackage layer (no subset string, no pending edits) that needs no transform,
buffer or curve segmentising is read in bulk: feature ids and WKB through OGR's Arrow
stream, parsed with numpy (geometry.WkbTable), attribute columns the same way where
needed; its QgsFeatures are read only when an output needs them (a memory layer, say).
Anything else is read feature by feature as before; both give the same values.
"""

import logging
import os
from dataclasses import dataclass, field

import numpy
from osgeo import gdal, ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayer,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate

from ..i18n import tr
from .exposure import (
    AssetGeometries,
    ClassPolygons,
    Coverage,
    DepthRaster,
    ExposureCanceled,
    ExposureError,
    expose_to_polygons,
    expose_to_raster,
)
from .geometry import WkbTable
from .prefetch import in_order
from .scenarios import code_of_class_value, scenario_from_text

LOG = logging.getLogger(__name__)

# Fields a depth-class layer may carry its class in, tried in this order.
CLASS_FIELDS = ("depth_class", "depth_min_cm", "tiefenklasse", "wassertiefe_klasse", "klasse", "class")
SCENARIO_FIELD = "scenario"
_SHOWN_IDS = 5  # feature ids named in a message before "..."


class Assets:
    """The assets read for a run: their geometries in the hazard CRS (buffered), their
    feature ids, and their features (attributes and original geometry), which a bulk
    read leaves to the first use (a GeoPackage written directly never needs them)."""

    def __init__(self, features, geometries, notes=None, source=None, ids=None, table=None):
        self._features = features
        self.geometries = geometries  # AssetGeometries
        self.notes = notes if notes is not None else []
        self.source = source
        self.table = table  # an OgrTable where the assets were read in bulk, else None
        self._ids = numpy.asarray(ids, dtype=numpy.int64) if ids is not None else None

    @property
    def areal(self):
        return self.geometries.areal

    def __len__(self):
        return len(self.geometries)

    @property
    def ids(self):
        """The feature ids, aligned with the geometries."""
        if self._ids is None:
            self._ids = numpy.fromiter((f.id() for f in self._features), dtype=numpy.int64,
                                       count=len(self._features))
        return self._ids

    @property
    def features(self):
        """QgsFeature, as read (attributes and original geometry), aligned with the geometries."""
        if self._features is None:
            self._features = self._read_features(QgsFeatureRequest())
        return self._features

    def attribute_features(self, names):
        """Features holding at least the attributes ``names`` (without geometry where they
        are still to be read), aligned with the geometries."""
        if self._features is not None:
            return self._features
        fields = self.source.fields()
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(
            [name for name in names if fields.indexOf(name) >= 0], fields)
        return self._read_features(request)

    def column(self, name):
        """The values of field ``name`` per asset (as QGIS reads them), or None where the
        layer has no such field."""
        index = self.source.fields().indexOf(name) if self.source is not None else (
            self._features[0].fields().indexOf(name) if self._features else -1)
        if index < 0:
            return None
        if self.table is not None:  # in bulk, even where the features are read already
            values = self.table.column(name)
            if values is not None:
                return values
        return [feature.attribute(index) for feature in self.attribute_features([name])]

    def _read_features(self, request):
        features = in_order(list(self.source.getFeatures(request)), self.ids)
        if features is None:
            raise ExposureError(tr("The asset layer changed while the exposure was computed."))
        return features


@dataclass
class ExposureRun:
    assets: Assets
    exposure: object  # exposure.Exposure
    scenario: str
    hazard_kind: str  # "raster" or "polygons"
    hazard_crs: QgsCoordinateReferenceSystem
    notes: list = field(default_factory=list)


def note(notes, text, feedback=None, warning=False):
    notes.append(text)
    (LOG.warning if warning else LOG.info)("%s", text)
    if feedback is not None:
        if warning:
            feedback.pushWarning(text)
        else:
            feedback.pushInfo(text)


def _ids_text(ids):
    shown = ", ".join(str(i) for i in ids[:_SHOWN_IDS])
    return shown + (", …" if len(ids) > _SHOWN_IDS else "")


def _is_metric(crs):
    return crs.isValid() and not crs.isGeographic() and crs.mapUnits() == QgsUnitTypes.DistanceMeters


def transform_to(source_crs, target_crs, context, what, notes, feedback):
    """A QgsCoordinateTransform where the CRSs differ (with a note), else None."""
    if not source_crs.isValid() or not target_crs.isValid() or source_crs == target_crs:
        return None
    note(notes, tr(
        "{what} ({source}) and the hazard data ({target}) are in different coordinate systems: "
        "{what} are transformed to {target} on the fly.").format(
        what=what, source=source_crs.authid() or source_crs.description(),
        target=target_crs.authid() or target_crs.description()), feedback)
    return QgsCoordinateTransform(source_crs, target_crs, context or QgsProject.instance().transformContext())


def polygonal(geometry):
    """``geometry`` made valid, keeping its polygons only (make_valid may leave lines beside)."""
    if geometry.isGeosValid():
        return geometry
    fixed = geometry.makeValid()
    if fixed.type() != QgsWkbTypes.PolygonGeometry:
        fixed.convertGeometryCollectionToSubclass(QgsWkbTypes.PolygonGeometry)
    return fixed


def note_repaired(notes, ids, what, feedback=None):
    if ids:
        note(notes, tr("{count} {what} had invalid geometries and were repaired before the overlay "
                       "(feature ids {ids}); check them in the source data.").format(
            count=len(ids), what=what, ids=_ids_text(ids)), feedback, warning=True)


def geometry_wkb(geometry):
    if QgsWkbTypes.isCurvedType(geometry.wkbType()):
        geometry = QgsGeometry(geometry.constGet().segmentize())
    return bytes(geometry.asWkb())


def _prepared_geometry(geometry, buffer_m, transform, curved):
    """A copy buffered (in the source CRS), transformed and without curves; None where
    the transform fails."""
    if curved:
        geometry = QgsGeometry(geometry.constGet().segmentize())
    if buffer_m:
        geometry = geometry.buffer(buffer_m, 8)
    if transform is not None:
        geometry = QgsGeometry(geometry)
        try:
            geometry.transform(transform)
        except QgsCsException:
            return None
    return geometry


class OgrTable:
    """The GeoPackage table behind a QGIS layer, read in bulk through OGR (its Arrow
    stream) instead of feature by feature. Only for a layer that shows the table as it
    is: no subset string, no edits pending, the same feature count."""

    def __init__(self, path, layer_name, dataset, layer):
        self.path, self.layer_name = path, layer_name
        self._dataset, self._layer = dataset, layer  # the layer lives as long as its dataset

    @classmethod
    def of(cls, source):
        """The OgrTable of ``source`` (a QgsVectorLayer), or None where it cannot be read so."""
        if not isinstance(source, QgsVectorLayer) or source.providerType() != "ogr" or not source.isValid():
            return None
        if source.subsetString() or source.isEditable() or source.isModified():
            return None
        if not hasattr(ogr.Layer, "GetArrowStreamAsNumPy"):
            return None  # GDAL < 3.6
        parts = QgsProviderRegistry.instance().decodeUri("ogr", source.source())
        path = parts.get("path")
        if not path or not os.path.isfile(path):
            return None
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
        finally:
            gdal.PopErrorHandler()
        if dataset is None:
            return None
        layer_name = parts.get("layerName")
        layer = dataset.GetLayerByName(layer_name) if layer_name else dataset.GetLayer(int(parts.get("layerId") or 0))
        if layer is None or layer.GetLayerDefn().GetGeomFieldCount() != 1:
            return None
        if layer.GetFeatureCount() != source.featureCount():
            return None
        return cls(path, layer.GetName(), dataset, layer)

    @property
    def fid_column(self):
        return self._layer.GetFIDColumn() or "OGC_FID"

    @property
    def geometry_column(self):
        return self._layer.GetGeometryColumn() or "wkb_geometry"

    def field_names(self):
        definition = self._layer.GetLayerDefn()
        return [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]

    def _batches(self, keep_fields=(), geometry=True):
        layer = self._layer
        ignored = [name for name in self.field_names() if name not in keep_fields]
        layer.SetIgnoredFields(ignored + ([] if geometry else ["OGR_GEOMETRY"]))
        layer.ResetReading()
        try:
            # a batch's arrays live until the next batch: every caller copies what it keeps
            yield from layer.GetArrowStreamAsNumPy()
        finally:
            layer.SetIgnoredFields([])
            layer.ResetReading()

    def geometries(self):
        """(feature ids, WkbTable of the geometries), in the table's order."""
        fids, buffers = [], []
        for batch in self._batches():
            fids.append(numpy.array(batch[self.fid_column], dtype=numpy.int64))
            buffers.append(WkbTable.buffer_of(batch[self.geometry_column]))
        if not fids:
            return numpy.zeros(0, dtype=numpy.int64), WkbTable(buffers=(b"", numpy.zeros(0, dtype=numpy.int64)))
        return numpy.concatenate(fids), WkbTable(buffers=(
            b"".join(data for data, _lengths in buffers), numpy.concatenate([lengths for _data, lengths in buffers])))

    def column(self, name):
        """The values of a plain text or date field as QGIS reads them (str or QDate, None
        for NULL), or None for any other kind of field."""
        definition = self._layer.GetLayerDefn()
        index = definition.GetFieldIndex(name)
        if index < 0:
            return None
        field = definition.GetFieldDefn(index)
        if field.GetSubType() != ogr.OFSTNone or field.GetType() not in (ogr.OFTString, ogr.OFTDate):
            return None
        values = []
        for batch in self._batches(keep_fields=(name,), geometry=False):
            column = batch[name]
            mask = numpy.ma.getmaskarray(column) if numpy.ma.isMaskedArray(column) else None
            data = numpy.ma.getdata(column) if mask is not None else column
            if field.GetType() == ogr.OFTDate:
                texts = _dates(data)
            else:
                texts = [None if value is None else (value.decode("utf-8") if isinstance(value, bytes) else str(value))
                         for value in data.tolist()]
            if mask is not None:
                texts = [None if masked else text for text, masked in zip(texts, mask.tolist())]
            values += texts
        return values


def _dates(values):
    """QDate (None for NaT) of numpy datetime64 values."""
    days = numpy.asarray(values).astype("datetime64[D]")
    missing = numpy.isnat(days).tolist()
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    ymd = zip((years.astype(numpy.int64) + 1970).tolist(), (months - years).astype(numpy.int64).tolist(),
              (days - months).astype(numpy.int64).tolist())
    return [None if gap else QDate(y, m + 1, d + 1) for gap, (y, m, d) in zip(missing, ymd)]


def _read_in_bulk(source, areal, notes, feedback):
    """Assets of a GeoPackage layer read through OGR in one go, or None where that is not
    possible (then the caller reads feature by feature)."""
    table = OgrTable.of(source)
    if table is None:
        return None
    try:
        ids, geometries = table.geometries()
    except (RuntimeError, ValueError, KeyError, IndexError, TypeError) as error:
        LOG.info("bulk read of %s not possible (%s): read feature by feature", table.path, error)
        return None
    if feedback is not None and feedback.isCanceled():
        raise ExposureCanceled(tr("The exposure run was canceled."))
    missing = ids[~numpy.isfinite(geometries.bounds[:, 0])].tolist()
    if missing:
        note(notes, tr("{count} assets have no geometry (feature ids {ids}); they are \"no data\".").format(
            count=len(missing), ids=_ids_text(missing)), feedback, warning=True)
    return Assets(None, AssetGeometries.from_table(geometries, areal), notes, source=source, ids=ids, table=table)


def read_assets(source, hazard_crs, context=None, buffer_m=0.0, feedback=None, progress=(0.0, 30.0)):
    """The assets of ``source`` (a QgsVectorLayer or QgsFeatureSource) in ``hazard_crs``."""
    notes = []
    geometry_type = QgsWkbTypes.geometryType(source.wkbType())
    if geometry_type not in (QgsWkbTypes.PointGeometry, QgsWkbTypes.LineGeometry, QgsWkbTypes.PolygonGeometry):
        raise ExposureError(tr("The asset layer has no point, line or polygon geometries."))
    if buffer_m is None or buffer_m != buffer_m or buffer_m < 0:
        raise ExposureError(tr("The buffer must be zero or a positive distance in metres."))
    if geometry_type == QgsWkbTypes.LineGeometry and buffer_m <= 0:
        raise ExposureError(tr("Line assets need a buffer (in metres) to be exposed as areas."))
    areal = geometry_type == QgsWkbTypes.PolygonGeometry or buffer_m > 0
    source_crs = source.sourceCrs()
    if not source_crs.isValid():
        note(notes, tr("The asset layer has no coordinate system; it is taken to be the hazard data's ({crs}).")
              .format(crs=hazard_crs.authid()), feedback, warning=True)
    transform = transform_to(source_crs, hazard_crs, context, tr("The assets"), notes, feedback)
    # a buffer is in metres: drawn in the assets' CRS, so that must be metric
    if buffer_m > 0 and not _is_metric(source_crs if source_crs.isValid() else hazard_crs):
        raise ExposureError(tr(
            "A buffer in metres needs the assets in a projected coordinate system in metres "
            "(such as EPSG:25832); reproject them first."))

    total = source.featureCount() if hasattr(source, "featureCount") else -1
    curved = QgsWkbTypes.isCurvedType(source.wkbType())
    features, geometries, failed, missing = [], [], [], []
    start, end = progress
    bounds = []
    nowhere = (numpy.nan,) * 4
    prepare = buffer_m > 0 or transform is not None or curved
    if not prepare:
        bulk = _read_in_bulk(source, areal, notes, feedback)
        if bulk is not None:
            return bulk
    # the hot loop of a run over 50,000 buildings: no more calls per feature than needed
    # (a null geometry is empty too; progress and cancelation every 5,000 features)
    for count, feature in enumerate(source.getFeatures(QgsFeatureRequest()), start=1):
        features.append(feature)
        geometry = feature.geometry()
        if geometry.isEmpty():
            missing.append(feature.id())
            geometries.append(None)
            bounds.append(nowhere)
            continue
        if prepare:
            geometry = _prepared_geometry(geometry, buffer_m, transform, curved)
            if geometry is None:
                failed.append(feature.id())
                geometries.append(None)
                bounds.append(nowhere)
                continue
        geometries.append(geometry)
        bounds.append(geometry.boundingBox().toRectF().getCoords())
        if count % 5000 == 0 and feedback is not None:
            if feedback.isCanceled():
                raise ExposureCanceled(tr("The exposure run was canceled."))
            if total > 0:
                feedback.setProgress(start + (end - start) * count / total)
    if failed:
        note(notes, tr("{count} assets could not be transformed to the hazard data's coordinate system "
                       "(feature ids {ids}); they are \"no data\".").format(
            count=len(failed), ids=_ids_text(failed)), feedback, warning=True)
    if missing:
        note(notes, tr("{count} assets have no geometry (feature ids {ids}); they are \"no data\".").format(
            count=len(missing), ids=_ids_text(missing)), feedback, warning=True)
    bounds = numpy.array(bounds, dtype=float).reshape(-1, 4)
    return Assets(features, AssetGeometries(geometries, bounds, areal), notes, source=source)


def raster_path(hazard):
    """The file of a local raster hazard (a path or a QgsRasterLayer from GDAL)."""
    if isinstance(hazard, QgsRasterLayer):
        if hazard.providerType() != "gdal":
            raise ExposureError(tr(
                "The hazard layer {name} is a {provider} layer: exposure needs local depth data (a raster "
                "file or depth-class polygons). Use the identify tool on map services.").format(
                name=hazard.name(), provider=hazard.providerType()))
        return hazard.source()
    return os.fspath(hazard)


def raster_crs(raster, layer=None):
    if layer is not None and layer.crs().isValid():
        return layer.crs()
    crs = QgsCoordinateReferenceSystem.fromWkt(raster.wkt) if raster.wkt else QgsCoordinateReferenceSystem()
    return crs


def class_field_of(source, class_field=None):
    names = source.fields().names()
    if class_field:
        if class_field not in names:
            raise ExposureError(tr("The depth-class layer has no field {field}.").format(field=class_field))
        return class_field
    for name in CLASS_FIELDS:
        if name in names:
            return name
    raise ExposureError(tr(
        "The depth-class layer has none of the fields {expected} that hold a depth class; its fields "
        "are {fields}.").format(expected=", ".join(CLASS_FIELDS), fields=", ".join(names) or "-"))


def scenario_of_polygons(source, scenario=None, name=""):
    """The scenario to take from a depth-class layer (a layer may hold several)."""
    index = source.fields().indexOf(SCENARIO_FIELD)
    if index < 0:
        return scenario or scenario_from_text(name) or ""
    present = sorted(str(value) for value in source.uniqueValues(index) if value is not None and str(value))
    if scenario:
        if scenario not in present:
            raise ExposureError(tr("The depth-class layer has no scenario {scenario}; it has {scenarios}.").format(
                scenario=scenario, scenarios=", ".join(present) or "-"))
        return scenario
    if len(present) > 1:
        raise ExposureError(tr(
            "The depth-class layer holds several scenarios ({scenarios}): choose one.").format(
            scenarios=", ".join(present)))
    return present[0] if present else (scenario_from_text(name) or "")


def read_class_polygons(source, scenario=None, class_field=None, feedback=None, name=""):
    """(ClassPolygons, scenario, extent as QgsRectangle, unknown area, notes) of a depth-class
    layer. The unknown area (a QgsGeometry or None) is where polygons hold a class that
    cannot be read: there the data says nothing."""
    notes = []
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise ExposureError(tr("The hazard layer must be a raster or a layer of depth-class polygons."))
    class_field = class_field_of(source, class_field)
    scenario = scenario_of_polygons(source, scenario, name)
    request = QgsFeatureRequest().setSubsetOfAttributes(
        [n for n in (class_field, SCENARIO_FIELD) if n in source.fields().names()], source.fields())
    has_scenario = source.fields().indexOf(SCENARIO_FIELD) >= 0
    geometries, codes, ids, unclassed, unclassed_geometries = [], [], [], [], []
    extent = QgsRectangle()
    extent.setMinimal()
    for feature in source.getFeatures(request):
        if has_scenario and scenario and str(feature[SCENARIO_FIELD]) != scenario:
            continue
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        extent.combineExtentWith(geometry.boundingBox())
        code = code_of_class_value(feature[class_field])
        if code == 0:
            continue  # a class below 10 cm (some maps draw 0-10): covered, and below 10 cm
        if code is None:
            unclassed.append(feature.id())
            unclassed_geometries.append(polygonal(geometry))
            continue
        if QgsWkbTypes.isCurvedType(geometry.wkbType()):
            geometry = QgsGeometry(geometry.constGet().segmentize())
        geometries.append(geometry)
        codes.append(code)
        ids.append(feature.id())
        if feedback is not None and feedback.isCanceled():
            raise ExposureCanceled(tr("The exposure run was canceled."))
    if unclassed:
        note(notes, tr("{count} depth-class polygons have no depth class that can be read in {field} "
                        "(feature ids {ids}): the area they cover counts as no data.").format(
            count=len(unclassed), field=class_field, ids=_ids_text(unclassed)), feedback, warning=True)
    if not geometries:
        raise ExposureError(tr("The depth-class layer holds no polygons with a depth class{scenario}.").format(
            scenario=(" " + tr("for {scenario}").format(scenario=scenario)) if scenario else ""))
    fixed = [polygonal(geometry) for geometry in geometries]
    note_repaired(notes, [i for i, a, b in zip(ids, geometries, fixed) if a is not b], tr("depth-class polygons"),
                  feedback)
    keep = [index for index, geometry in enumerate(fixed) if not geometry.isEmpty()]
    polygons = ClassPolygons([fixed[i] for i in keep], [codes[i] for i in keep])
    unknown = QgsGeometry.unaryUnion(unclassed_geometries) if unclassed_geometries else None
    return polygons, scenario, extent, unknown, notes


def read_coverage(source, target_crs, context=None, notes=None, feedback=None):
    """The union of the polygons of ``source`` in ``target_crs`` (a QgsGeometry: the area the
    hazard data covers)."""
    notes = notes if notes is not None else []
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise ExposureError(tr("The coverage layer must hold polygons."))
    transform = transform_to(source.sourceCrs(), target_crs, context, tr("The coverage polygons"), notes, feedback)
    geometries, repaired = [], []
    for feature in source.getFeatures(QgsFeatureRequest().setNoAttributes()):
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        if transform is not None:
            geometry = QgsGeometry(geometry)
            geometry.transform(transform)
        fixed = polygonal(geometry)
        if fixed is not geometry:
            repaired.append(feature.id())
        geometries.append(fixed)
    if not geometries:
        raise ExposureError(tr("The coverage layer holds no polygons."))
    note_repaired(notes, repaired, tr("coverage polygons"), feedback)
    return QgsGeometry.unaryUnion(geometries)


def run_exposure(assets_source, hazard, buffer_m=0.0, scenario=None, coverage=None, class_field=None,
                 context=None, feedback=None, threads=None):
    """Expose the assets of ``assets_source`` to ``hazard``: a depth raster (a path or a
    QgsRasterLayer) or depth-class polygons (a QgsVectorLayer or feature source).
    ``coverage`` (a polygon layer, optional) is where the hazard data holds; by default
    the raster's extent or the polygons' extent. ``threads``: threads for the computation
    (raster reads, overlays; default: as many as help on this machine)."""
    notes = []
    is_raster = isinstance(hazard, (str, os.PathLike)) or (
        isinstance(hazard, QgsMapLayer) and hazard.type() == QgsMapLayer.RasterLayer)
    if is_raster:
        raster = DepthRaster(raster_path(hazard))
        crs = raster_crs(raster, hazard if isinstance(hazard, QgsRasterLayer) else None)
        if not crs.isValid():
            raise ExposureError(tr("The hazard raster {path} has no coordinate system.").format(path=raster.path))
        if raster.dataset.RasterCount > 1:
            note(notes, tr("The hazard raster has {count} bands; band 1 is read as the water depth.").format(
                count=raster.dataset.RasterCount), feedback)
        if raster.scale_to_cm != 1.0:
            note(notes, tr("The hazard raster gives depths in metres; they are converted to cm."), feedback)
        name = hazard.name() if isinstance(hazard, QgsMapLayer) else os.path.basename(raster.path)
        scenario = scenario or scenario_from_text(raster.metadata.get("SCENARIO"), name, raster.path) or ""
    else:
        crs = hazard.sourceCrs()
        if not crs.isValid():
            raise ExposureError(tr("The depth-class layer has no coordinate system."))
        name = hazard.name() if isinstance(hazard, QgsVectorLayer) else ""
        polygons, scenario, extent, unknown, polygon_notes = read_class_polygons(
            hazard, scenario, class_field, feedback, name)
        notes += polygon_notes
    coverage_geometry = None
    if coverage is not None:
        coverage_geometry = read_coverage(coverage, crs, context, notes, feedback)
    elif not is_raster:
        coverage_geometry = QgsGeometry.fromRect(extent)
        note(notes, tr("No coverage area given: the extent of the depth-class polygons ({extent}) counts as the "
                        "area the hazard data covers; assets outside it are \"no data\".").format(
            extent=extent.toString(0)), feedback)
    if not is_raster and unknown is not None:
        coverage_geometry = coverage_geometry.difference(unknown)
    area = Coverage(coverage_geometry) if coverage_geometry is not None else None
    assets = read_assets(assets_source, crs, context, buffer_m, feedback)
    if not len(assets):
        note(notes, tr("The asset layer is empty: there is nothing to expose."), feedback, warning=True)
    inner = _Scaled(feedback, 30.0, 95.0)
    if is_raster:
        exposure = expose_to_raster(raster, assets.geometries, area, inner, threads)
    else:
        exposure = expose_to_polygons(polygons, assets.geometries, area, inner, threads)
        if len(assets):
            note(notes, tr("Depth-class polygons give classes, not depths: max_depth_cm and mean_depth_cm "
                           "stay empty."), feedback)
        if exposure.overlapped:
            note(notes, tr("Depth-class polygons overlap one another on {count} assets: there each part counts "
                           "once, in the deepest class.").format(count=exposure.overlapped), feedback)
    note_repaired(notes, [int(assets.ids[i]) for i in sorted(set(exposure.repaired))], tr("assets"), feedback)
    outside = int((exposure.codes == -1).sum())
    if outside:
        note(notes, tr("{count} of {total} assets lie outside the hazard data: \"no data\", not safe.").format(
            count=outside, total=len(exposure)), feedback, warning=True)
    return ExposureRun(assets, exposure, scenario, "raster" if is_raster else "polygons", crs,
                       notes + assets.notes)


class _Scaled:
    """A feedback view that maps 0-100 % onto [start, end] of the parent's progress."""

    def __init__(self, feedback, start, end):
        self.feedback, self.start, self.end = feedback, start, end

    def isCanceled(self):  # noqa: N802 (QgsFeedback's name)
        return self.feedback is not None and self.feedback.isCanceled()

    def setProgress(self, percent):  # noqa: N802
        if self.feedback is not None:
            self.feedback.setProgress(self.start + (self.end - self.start) * percent / 100.0)
