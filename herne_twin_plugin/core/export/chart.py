"""A time-series chart of the sensor nearest to an atlas page, as an image for the layout.

The readings come from a provider the caller hands in, so the atlas does not depend on
where the history lives (the sensor history API is another issue). The hook:

    def provider(station_id):            # -> observations, oldest first or in any order
        return [Observation(time, value, unit), ...]   # or plain (time, value) pairs

    chart = SensorChart(sensor_stations_layer, provider, title_field="name")
    export_atlas(..., chart=chart)

``hernetwin:exportatlas`` (which cannot take a function as a parameter) uses the provider
registered with ``register_observation_provider(provider)``; the sensor history module
registers one when it lands (``register_observation_provider(None)`` removes it).

Per page the atlas asks ``chart.image_for(geometry, path)``: the nearest station (within
``max_distance_m``) gets its readings drawn with matplotlib (Agg, no pyplot state, so it is
safe outside the UI thread); a page with no station nearby or no readings gets no chart.
"""

import datetime
import logging
import math
from dataclasses import dataclass

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsPointXY, QgsSpatialIndex

from ..i18n import tr
from .errors import MapExportError
from .language import MapLanguage, tr_noop

LOG = logging.getLogger(__name__)

MM_PER_INCH = 25.4
LINE_COLOUR = "#0570b0"


_registered = {"provider": None}


def register_observation_provider(provider):
    """Make ``provider`` (station id -> observations) the source of the atlas algorithm's charts."""
    if provider is not None and not callable(provider):
        raise MapExportError(tr("The chart needs a provider of readings (a function of the station id)."))
    _registered["provider"] = provider


def observation_provider():
    """The registered provider of readings, or None."""
    return _registered["provider"]


@dataclass(frozen=True)
class Observation:
    time: datetime.datetime
    value: float
    unit: str = ""


def _observations(raw):
    """Observation objects from what a provider returned (Observation or (time, value[, unit]))."""
    result = []
    for item in raw or ():
        if not isinstance(item, Observation):
            item = Observation(*item)
        if item.time is None or item.value is None or not math.isfinite(float(item.value)):
            continue
        result.append(item)
    return sorted(result, key=lambda o: o.time)


def render_chart(observations, path, title="", language=None, size_mm=(58.0, 50.0), dpi=200):
    """Draw ``observations`` as a line chart PNG at ``path`` (size in layout millimetres)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    language = language or MapLanguage()
    points = _observations(observations)
    if not points:
        raise MapExportError(tr("There are no readings to draw."))
    unit = next((o.unit for o in points if o.unit), "")
    figure = Figure(figsize=(size_mm[0] / MM_PER_INCH, size_mm[1] / MM_PER_INCH), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.plot([o.time for o in points], [float(o.value) for o in points], color=LINE_COLOUR, linewidth=0.9)
    locator = AutoDateLocator(minticks=2, maxticks=5)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(labelsize=5, length=2, pad=1)
    axes.xaxis.get_offset_text().set_fontsize(5)
    axes.set_ylabel(unit, fontsize=5, labelpad=1)
    axes.grid(True, linewidth=0.3, color="#cccccc")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    newest = points[-1]
    caption = language(tr_noop("latest {value:g} {unit} at {when}")).format(
        value=float(newest.value), unit=unit, when=language.moment(newest.time)).replace("  ", " ")
    axes.set_title("{}\n{}".format(title, caption) if title else caption, fontsize=5.5, loc="left", pad=2)
    figure.tight_layout(pad=0.4)
    figure.savefig(path, dpi=dpi, format="png")
    return path


class SensorChart:
    """Charts of the station nearest to a geometry, from ``stations`` (points) and ``provider``."""

    def __init__(self, stations, provider, id_field="station_id", title_field="name", max_distance_m=1000.0,
                 language=None):
        if stations is None or not stations.isValid():
            raise MapExportError(tr("The sensor stations layer for the charts failed to load."))
        if stations.fields().indexOf(id_field) < 0:
            raise MapExportError(tr("The layer {layer} has no field {field}.").format(
                layer=stations.name(), field=id_field))
        if not callable(provider):
            raise MapExportError(tr("The chart needs a provider of readings (a function of the station id)."))
        self.provider = provider
        self.id_field = id_field
        self.title_field = title_field if stations.fields().indexOf(title_field) >= 0 else id_field
        self.max_distance_m = max_distance_m
        self.language = language or MapLanguage()
        self._stations = {feature.id(): feature for feature in stations.getFeatures(QgsFeatureRequest())
                          if feature.hasGeometry()}
        self._index = QgsSpatialIndex()
        for feature in self._stations.values():
            self._index.addFeature(feature)

    def nearest(self, geometry):
        """The station feature nearest to ``geometry`` within the distance limit, or None."""
        if geometry is None or geometry.isEmpty() or not self._stations:
            return None
        centre = geometry.centroid().asPoint() if not geometry.isMultipart() else geometry.pointOnSurface().asPoint()
        best = None
        for fid in self._index.nearestNeighbor(QgsPointXY(centre), 3):
            feature = self._stations[fid]
            distance = feature.geometry().distance(geometry)
            if best is None or distance < best[0]:
                best = (distance, feature)
        if best is None or (self.max_distance_m is not None and best[0] > self.max_distance_m):
            return None
        return best[1]

    def image_for(self, geometry, path, size_mm=(58.0, 50.0)):
        """Write the chart for the station nearest ``geometry`` to ``path``; the path, or None."""
        station = self.nearest(QgsGeometry(geometry))
        if station is None:
            return None
        station_id = station[self.id_field]
        try:
            observations = self.provider(station_id)
        except Exception as error:  # a provider's failure costs the page its chart, not the atlas
            LOG.warning("no readings for station %s: %s", station_id, error)
            return None
        if not _observations(observations):
            return None
        return render_chart(observations, path, title=str(station[self.title_field]), language=self.language,
                            size_mm=size_mm)
