"""The device register: which LoRaWAN device (DevEUI, device id) is which station,
where it stands and what it measures.

Built from the city's ``sensor_stations`` layer (the sample city's GeoPackage or
the asset register): fields ``station_id``, ``name``, ``sensor_type``,
``device_eui``, ``observed_properties`` and ``units`` (aligned comma lists) and
``thresholds`` (JSON, e.g. {"pm10": {"warn": 50}}). Positions are kept in EPSG:25832.
"""

import json
import logging
import re

from .model import CITY_CRS, Station, Stream, stream_id
from .observed_properties import property_key

LOGGER = logging.getLogger(__name__)

SENSOR_STATIONS_LAYER = "sensor_stations"
_EUI = re.compile(r"[0-9A-F]{16}")
_STATION_PROPERTIES = ("device_eui", "observed_properties", "units", "thresholds", "district", "operator",
                       "network", "mounted_on")


def _split(text):
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def station_streams(station):
    """The streams a register station reports (its ``observed_properties``)."""
    properties = station.properties
    keys = [property_key(name) for name in _split(properties.get("observed_properties"))]
    units = _split(properties.get("units"))
    try:
        thresholds = json.loads(properties.get("thresholds") or "{}")
    except (TypeError, ValueError):
        thresholds = {}
    if not isinstance(thresholds, dict):
        thresholds = {}
    streams = []
    for index, key in enumerate(keys):
        unit = units[index] if index < len(units) else ""
        if unit == "bool":
            unit = ""
        limits = thresholds.get(key) if isinstance(thresholds.get(key), dict) else {}
        streams.append(Stream(stream_id(station.station_id, key), station.station_id, key, unit, dict(limits)))
    return streams


class DeviceRegister:
    """Stations by DevEUI (upper case hex) and by station id (= device id)."""

    def __init__(self, stations=()):
        self._by_id = {}
        self._by_eui = {}
        self._streams = {}
        for station in stations:
            self.add(station)

    def add(self, station):
        self._by_id[station.station_id] = station
        eui = normalise_eui(station.properties.get("device_eui"))
        if eui:
            self._by_eui[eui] = station
        self._streams[station.station_id] = {stream.observed_property: stream for stream in station_streams(station)}

    def __len__(self):
        return len(self._by_id)

    def stations(self):
        return list(self._by_id.values())

    def by_eui(self, eui):
        return self._by_eui.get(normalise_eui(eui))

    def by_id(self, station_id):
        return self._by_id.get(station_id)

    def streams(self, station_id):
        """{observed property: Stream} of a registered station (empty when unknown)."""
        return self._streams.get(station_id, {})

    @classmethod
    def from_records(cls, records):
        """From dicts with the layer's fields plus ``x`` and ``y`` (EPSG:25832)."""
        stations = []
        for record in records:
            stations.append(Station(
                station_id=str(record["station_id"]),
                name=str(record.get("name") or record["station_id"]),
                x=float(record["x"]),
                y=float(record["y"]),
                crs=CITY_CRS,
                sensor_type=str(record.get("sensor_type") or ""),
                properties={key: record.get(key) for key in _STATION_PROPERTIES if record.get(key) is not None},
            ))
        return cls(stations)

    @classmethod
    def from_layer(cls, layer):
        """From a QgsVectorLayer of sensor stations (any CRS; kept in EPSG:25832).
        Features without a station id or a point are skipped with a log warning."""
        from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

        target = QgsCoordinateReferenceSystem(CITY_CRS)
        transform = None
        if layer.crs().isValid() and layer.crs() != target:
            transform = QgsCoordinateTransform(layer.crs(), target, QgsProject.instance())
        names = set(layer.fields().names())
        if "station_id" not in names:
            raise ValueError("the layer {} has no field station_id".format(layer.name()))
        records, skipped = [], 0
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            station_id = feature["station_id"]
            if geometry is None or geometry.isEmpty() or not station_id:
                skipped += 1
                continue
            if transform is not None:
                geometry.transform(transform)
            point = geometry.centroid().asPoint()
            record = {name: _plain(feature[name]) for name in names}
            record.update(x=point.x(), y=point.y())
            records.append(record)
        if skipped:
            LOGGER.warning("Device register: %d stations of %s without id or position were skipped",
                           skipped, layer.name())
        return cls.from_records(records)

    @classmethod
    def from_geopackage(cls, path, layer_name=SENSOR_STATIONS_LAYER):
        from qgis.core import QgsVectorLayer

        layer = QgsVectorLayer("{}|layername={}".format(path, layer_name), layer_name, "ogr")
        if not layer.isValid():
            raise ValueError("{} has no layer {}".format(path, layer_name))
        return cls.from_layer(layer)


def normalise_eui(eui):
    """A DevEUI as 16 upper-case hex digits without separators, or "" when it is not one."""
    if not isinstance(eui, str):
        return ""
    text = eui.replace("-", "").replace(":", "").strip().upper()
    return text if _EUI.fullmatch(text) else ""


def _plain(value):
    """A feature attribute as a plain Python value (NULL -> None, QDate -> ISO text)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toString") and not isinstance(value, str):
        return value.toString("yyyy-MM-dd") if hasattr(value, "day") else value.toString()
    return value
