"""The latest readings of a catalog entry (SensorThings or NGSI v2) as point features:
what ``hernetwin:sensorsnapshot`` writes, with the live layer's attributes."""

from ..i18n import tr
from ..services.service_types import ServiceType
from .fetch import DEFAULT_TIMEOUT_S
from .live_layer import ReadingsSchema
from .model import utc_now
from .ngsi import NgsiSource
from .observed_properties import PROPERTY_ORDER
from .sensorthings import SensorThingsSource

SNAPSHOT_TYPES = (ServiceType.SENSORTHINGS, ServiceType.NGSI)


def read_snapshot(service, extent_lonlat=None, feedback=None, timeout_s=DEFAULT_TIMEOUT_S, counters=None):
    """A Snapshot of a catalog entry; ``extent_lonlat`` (xmin, ymin, xmax, ymax) in WGS 84
    keeps the stations inside it. Raises SourceError (fetch.py) when the source fails,
    ValueError for an entry of another type."""
    if service.service_type == ServiceType.SENSORTHINGS:
        source = SensorThingsSource.from_service(service, timeout_s=timeout_s, feedback=feedback, counters=counters)
        return source.latest(extent=extent_lonlat)
    if service.service_type == ServiceType.NGSI:
        source = NgsiSource.from_service(service, timeout_s=timeout_s, feedback=feedback, counters=counters)
        snapshot = source.latest()
        if extent_lonlat is not None:  # Orion's geo-query is optional in brokers: filter here
            xmin, ymin, xmax, ymax = extent_lonlat
            inside = {station.station_id for station in snapshot.stations
                      if xmin <= station.x <= xmax and ymin <= station.y <= ymax}
            snapshot.stations = [item for item in snapshot.stations if item.station_id in inside]
            snapshot.streams = [item for item in snapshot.streams if item.station_id in inside]
            snapshot.observations = [item for item in snapshot.observations if item.station_id in inside]
        return snapshot
    raise ValueError(tr("The catalog entry {name} is not a sensor source (SensorThings API or FIWARE NGSI v2).")
                     .format(name=service.name))


def snapshot_properties(snapshot):
    """The observed properties of a snapshot's streams: the city's in their usual order, others after."""
    found = {stream.observed_property for stream in snapshot.streams}
    return [key for key in PROPERTY_ORDER if key in found] + sorted(found - set(PROPERTY_ORDER))


def snapshot_features(snapshot, schema=None, now=None):
    """One point feature per station (schema: ReadingsSchema over the snapshot's properties)."""
    schema = schema or ReadingsSchema(snapshot_properties(snapshot))
    now = now or utc_now()
    latest = snapshot.latest_by_station()
    return [schema.feature(station, latest.get(station.station_id, {}), now) for station in snapshot.stations]
