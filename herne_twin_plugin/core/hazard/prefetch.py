"""The assets' features read in a background thread while the exposure is computed.

An output that is not written straight into a GeoPackage (a memory layer, another
format) needs every asset as a QgsFeature. Where the exposure reads the assets in bulk
(sources.py), those features are otherwise read only after the computation, feature by
feature through the layer's provider. The provider reads without holding Python's lock,
so reading them beside the computation hides most of that time on a machine with two
cores (51,000 buildings: about 0.3 s). The computation then takes the cores left
(exposure.threads_beside): on two cores one, not two more threads.

Tried and dropped (full sample city, buildings x class polygons, memory output, CPU s):
QGIS copying the assets straight into the output's memory layer in this thread
(QgsProxyFeatureSink over its provider: 0.4-0.5, each feature padded and checked) and the
exposure set afterwards by one changeAttributeValues (0.25, about 0.03 per column of
51,000 values) plus the check that the copy holds the run's assets in its order (0.1);
or joined from a side table in SQLite (join cache 0.14, joined copy 0.3). The features
read here (0.28, beside the computation), padded and given their values (0.18) and
handed over in one list (0.1) cost less. A read filled into a QgsFeatureStore in one
call into QGIS instead of this loop: no less CPU time.
"""

import itertools
import logging
import threading

import numpy
from qgis.core import QgsFeature, QgsFeatureRequest, QgsMapLayer, QgsVectorLayerFeatureSource, QgsWkbTypes

LOG = logging.getLogger(__name__)

CHUNK = 2000  # features read between two looks at the stop flag


class FeaturePrefetch:
    """Reads all features of ``layer`` (a QgsVectorLayer) in a thread of its own.

    ``aligned(ids)`` waits for them and gives them in the order of ``ids``, or None where
    they are not the same features (the layer changed, the read failed, it was stopped);
    the caller then reads them itself. ``stop()`` ends the thread early."""

    def __init__(self, layer):
        # made here, read there: a feature source is the thread-safe copy of a layer's provider
        self._source = QgsVectorLayerFeatureSource(layer)
        self._features, self._failed = [], None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="hazard-prefetch", daemon=True)
        self._thread.start()

    @staticmethod
    def worthwhile(layer, hazard_layer, buffer_m):
        """Whether the exposure will read ``layer`` in bulk and so not as features (a whole
        GeoPackage layer in the hazard data's CRS, without buffer or curves) and compute
        long enough to hide the read: not for points on class polygons (a few
        hundredths of a second, which a second thread only slows down)."""
        try:
            bulk = (layer is not None and layer.providerType() == "ogr" and not layer.subsetString()
                    and not layer.isEditable() and not buffer_m and hazard_layer is not None
                    and layer.crs() == hazard_layer.crs() and not QgsWkbTypes.isCurvedType(layer.wkbType())
                    and layer.source().split("|")[0].lower().endswith(".gpkg"))
            quick = layer.geometryType() == QgsWkbTypes.PointGeometry and \
                hazard_layer.type() == QgsMapLayer.VectorLayer
            return bulk and not quick
        except (AttributeError, RuntimeError):
            return False

    def _read(self):
        try:
            iterator = self._source.getFeatures(QgsFeatureRequest())
            while not self._stop.is_set():
                chunk = list(itertools.islice(iterator, CHUNK))
                self._features += chunk
                if len(chunk) < CHUNK:
                    return
            self._failed = "stopped"
        except Exception as error:  # noqa: BLE001 (any failure: the caller reads the features itself)
            self._failed = str(error) or type(error).__name__

    def stop(self):
        self._stop.set()
        self._thread.join()

    def aligned(self, ids):
        """The features in the order of the feature ids ``ids``, or None."""
        self._thread.join()
        if self._failed is not None:
            LOG.info("features not read ahead (%s): read again", self._failed)
            return None
        features = in_order(self._features, ids)
        if features is None:
            LOG.info("features read ahead are not the assets of the run: read again")
        return features


def in_order(features, ids):
    """``features`` in the order of the feature ids ``ids``, or None where one is missing."""
    ids = numpy.asarray(ids, dtype=numpy.int64)
    found = numpy.fromiter(map(QgsFeature.id, features), dtype=numpy.int64, count=len(features))
    if len(found) == len(ids) and numpy.array_equal(found, ids):
        return features
    by_id = dict(zip(found.tolist(), features))
    if len(by_id) != len(ids) or any(i not in by_id for i in ids.tolist()):
        return None
    return [by_id[i] for i in ids.tolist()]
