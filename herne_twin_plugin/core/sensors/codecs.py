"""Payload codecs of the city's LoRaWAN devices: raw uplink bytes <-> readings.

Used when an uplink carries only the raw payload (The Things Stack ``frm_payload``,
ChirpStack ``data``, both base64). One codec per device type; the byte layouts are
the city's own (modelled on Decentlab and Dragino devices) and written down here,
so a device maker or a network-server payload formatter can follow them.

All layouts are big-endian, sent on LoRaWAN port 2, and start with a version byte
0x01. A "not measured" value (the sensor element failed) is sent as the marker
given and is left out of the readings. The last two bytes are always the battery
voltage in mV (decoded as ``battery_v`` in volts, not a stream of the station).

``herne-air-quality-v1`` (sensor type air_quality), 9 bytes::

    0      u8   version 0x01
    1-2    u16  PM10 in 0.1 µg/m³          (0xFFFF: not measured)
    3-4    u16  PM2.5 in 0.1 µg/m³         (0xFFFF: not measured)
    5-6    u16  NO2 in 0.1 µg/m³           (0xFFFF: not measured)
    7-8    u16  battery in mV

``herne-water-level-v1`` (water_level), 5 bytes::

    0      u8   version 0x01
    1-2    i16  water over the gauge zero in mm   (0x7FFF: not measured)
    3-4    u16  battery in mV

``herne-parking-v1`` (parking), 4 bytes::

    0      u8   version 0x01
    1      u8   status: bit 0 = space occupied; bits 1-7 reserved, always 0
    2-3    u16  battery in mV

``herne-soil-moisture-v1`` (soil_moisture), 7 bytes::

    0      u8   version 0x01
    1-2    u16  volumetric water content in 0.01 %   (0xFFFF: not measured)
    3-4    i16  soil temperature in 0.01 °C          (0x7FFF: not measured)
    5-6    u16  battery in mV

``herne-climate-v1`` (temperature), 6 bytes::

    0      u8   version 0x01
    1-2    i16  air temperature in 0.01 °C   (0x7FFF: not measured)
    3      u8   relative humidity in 0.5 %   (0xFF: not measured)
    4-5    u16  battery in mV
"""

import struct
from dataclasses import dataclass

MEASUREMENT_PORT = 2
VERSION = 0x01


class CodecError(ValueError):
    """The bytes do not follow the codec's layout (or values do not fit it)."""


@dataclass(frozen=True)
class _Field:
    key: str
    code: str  # struct code: H (u16), h (i16), B (u8)
    scale: float  # one unit of the field in the reading's unit
    missing: int  # the "not measured" marker


class Codec:
    """A fixed layout of scaled integer fields after the version byte, ending with the battery."""

    def __init__(self, codec_id, sensor_type, fields):
        self.codec_id = codec_id
        self.sensor_type = sensor_type
        self.fields = tuple(fields) + (_Field("battery_v", "H", 0.001, -1),)
        self._struct = struct.Struct(">B" + "".join(item.code for item in self.fields))
        self.size = self._struct.size

    def decode(self, data, f_port=MEASUREMENT_PORT):
        """{key: value} of the readings in ``data`` (bytes); CodecError if it does not fit."""
        if f_port != MEASUREMENT_PORT:
            raise CodecError("{} sends readings on port {}, not {}".format(self.codec_id, MEASUREMENT_PORT, f_port))
        if len(data) != self.size:
            raise CodecError("{} needs {} bytes, got {}".format(self.codec_id, self.size, len(data)))
        version, *raw = self._struct.unpack(bytes(data))
        if version != VERSION:
            raise CodecError("{}: unknown layout version {}".format(self.codec_id, version))
        readings = {}
        for item, number in zip(self.fields, raw):
            if number == item.missing:
                continue
            readings[item.key] = self._scaled(item, number)
        self._check(readings)
        return readings

    def encode(self, readings):
        """The payload bytes for ``readings`` ({key: value}; a missing key is sent as
        "not measured"); CodecError for a value the layout cannot hold."""
        numbers = []
        for item in self.fields:
            value = readings.get(item.key)
            if value is None:
                if item.missing < 0:
                    raise CodecError("{} needs {}".format(self.codec_id, item.key))
                numbers.append(item.missing)
                continue
            number = int(round(float(value) / item.scale))
            numbers.append(number)
        try:
            data = self._struct.pack(VERSION, *numbers)
        except struct.error as error:
            raise CodecError("{}: a value does not fit: {}".format(self.codec_id, error)) from None
        for item, number in zip(self.fields, numbers):
            if number == item.missing and readings.get(item.key) is not None:
                raise CodecError("{}: {} collides with the not-measured marker".format(self.codec_id, item.key))
        return data

    @staticmethod
    def _scaled(item, number):
        return round(number * item.scale, 6)

    def _check(self, readings):
        """Layout rules beyond the field sizes (none by default)."""


class ParkingCodec(Codec):
    def __init__(self):
        super().__init__("herne-parking-v1", "parking", [_Field("occupied", "B", 1, -1)])

    def _check(self, readings):
        if int(readings["occupied"]) & 0xFE:
            raise CodecError("herne-parking-v1: reserved status bits set")

    def encode(self, readings):
        value = readings.get("occupied")
        if value is not None and value not in (0, 1, True, False):
            raise CodecError("herne-parking-v1: occupied must be 0 or 1")
        return super().encode(readings)


CODECS = {
    codec.codec_id: codec
    for codec in (
        Codec("herne-air-quality-v1", "air_quality", [
            _Field("pm10", "H", 0.1, 0xFFFF), _Field("pm25", "H", 0.1, 0xFFFF), _Field("no2", "H", 0.1, 0xFFFF)]),
        Codec("herne-water-level-v1", "water_level", [_Field("water_level", "h", 0.1, 0x7FFF)]),
        ParkingCodec(),
        Codec("herne-soil-moisture-v1", "soil_moisture", [
            _Field("soil_moisture", "H", 0.01, 0xFFFF), _Field("soil_temperature", "h", 0.01, 0x7FFF)]),
        Codec("herne-climate-v1", "temperature", [
            _Field("temperature", "h", 0.01, 0x7FFF), _Field("humidity", "B", 0.5, 0xFF)]),
    )
}
#: The codec of each sensor type of the city's register.
CODEC_BY_SENSOR_TYPE = {codec.sensor_type: codec for codec in CODECS.values()}


def codec_for(sensor_type="", model=""):
    """The codec for a station's sensor type, else for a device model / profile name
    that names a codec id (``herne-air-quality-v1``, ``Herne Air Quality V1``); None if none fits."""
    if sensor_type in CODEC_BY_SENSOR_TYPE:
        return CODEC_BY_SENSOR_TYPE[sensor_type]
    if isinstance(model, str) and model:
        return CODECS.get(model.strip().lower().replace(" ", "-").replace("_", "-"))
    return None
