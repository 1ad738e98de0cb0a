"""Uplink messages exactly as the network servers publish them, for the simulator and the tests.

- The Things Stack v3: topic ``v3/herne-sensors@herne/devices/<device id>/up`` (the
  device id is the station id), JSON with ``end_device_ids``, ``correlation_ids``,
  ``received_at`` and ``uplink_message`` (``f_port``, ``f_cnt``, ``frm_payload``,
  ``decoded_payload`` unless raw only, ``rx_metadata``, ``settings``, ``locations``,
  ``version_ids``, ``network_ids``).
- ChirpStack v4: topic ``application/<application uuid>/device/<devEui>/event/up``, JSON
  with ``deduplicationId``, ``time``, ``deviceInfo``, ``devAddr``, ``fCnt``, ``fPort``,
  ``data``, ``object`` unless raw only, ``rxInfo``, ``txInfo``.

Raw payloads are made by the devices' codecs (herne_twin_plugin/core/sensors/codecs.py).
"""

import base64
import datetime
import uuid

from herne_twin_plugin.core.sensors.codecs import CODEC_BY_SENSOR_TYPE

from .readings import uniform

TTS_APPLICATION = "herne-sensors"
TTS_TENANT = "herne"
GATEWAYS = (  # (id, EUI, lon, lat): gateways on tall buildings of Herne-Mitte
    ("herne-gw-rathaus", "B827EBFFFE61A001", 7.2196, 51.5386),
    ("herne-gw-kulturzentrum", "B827EBFFFE61A002", 7.2178, 51.5362),
    ("herne-gw-wanne-sued", "B827EBFFFE61A003", 7.1547, 51.5304),
)


def _uuid(seed, *parts):
    return str(uuid.UUID(int=int(uniform(seed, *parts) * 2 ** 64) << 64 | int(uniform(seed, "lo", *parts) * 2 ** 64)))


def nanoseconds(moment):
    """ISO 8601 with nine fraction digits and Z, as The Things Stack writes times."""
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "{:06d}000Z".format(moment.microsecond)


def chirpstack_time(moment):
    """ISO 8601 with an offset, as ChirpStack v4 writes times."""
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "{:06d}+00:00".format(moment.microsecond)


def payload(station, readings):
    """(decoded payload dict, raw bytes) of the readings, through the device's codec."""
    codec = CODEC_BY_SENSOR_TYPE[station["sensor_type"]]
    raw = codec.encode(readings)
    return codec.decode(raw), raw


def _radio(seed, station_id, counter):
    rssi = -70 - int(uniform(seed, station_id, counter, "rssi") * 45)
    snr = round(10 - uniform(seed, station_id, counter, "snr") * 17, 1)
    gateway = GATEWAYS[int(uniform(seed, station_id, "gw") * len(GATEWAYS))]
    return rssi, snr, gateway


def tts_uplink(station, readings, moment, counter, raw_only=False, seed=0, battery_v=3.6):
    """(topic, message dict) of a The Things Stack v3 uplink."""
    decoded, raw = payload(station, dict(readings, battery_v=battery_v))
    rssi, snr, (gateway_id, gateway_eui, gw_lon, gw_lat) = _radio(seed, station["station_id"], counter)
    when = nanoseconds(moment)
    codec = CODEC_BY_SENSOR_TYPE[station["sensor_type"]]
    device_id = station["station_id"]
    uplink = {
        "session_key_id": base64.b64encode(bytes.fromhex(_uuid(seed, device_id, "skey").replace("-", ""))).decode(),
        "f_port": 2,
        "f_cnt": counter,
        "frm_payload": base64.b64encode(raw).decode(),
        "rx_metadata": [{
            "gateway_ids": {"gateway_id": gateway_id, "eui": gateway_eui},
            "time": when, "timestamp": (counter * 900000007) % 2 ** 32, "rssi": rssi, "channel_rssi": rssi, "snr": snr,
            "location": {"latitude": gw_lat, "longitude": gw_lon, "altitude": 80, "source": "SOURCE_REGISTRY"},
            "uplink_token": base64.b64encode("{}:{}".format(gateway_id, counter).encode()).decode(),
            "received_at": when,
        }],
        "settings": {
            "data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 7 + counter % 3, "coding_rate": "4/5"}},
            "frequency": str(868100000 + 200000 * (counter % 3)), "timestamp": (counter * 900000007) % 2 ** 32,
            "time": when,
        },
        "received_at": when,
        "consumed_airtime": "0.061696s",
        "locations": {"user": {"latitude": station["lat"], "longitude": station["lon"], "altitude": 60,
                               "source": "SOURCE_REGISTRY"}},
        "version_ids": {"brand_id": "herne", "model_id": codec.codec_id, "hardware_version": "1.0",
                        "firmware_version": "1.2", "band_id": "EU_863_870"},
        "network_ids": {"net_id": "000013", "ns_id": "EC656E0000000181", "tenant_id": TTS_TENANT,
                        "cluster_id": "eu1", "cluster_address": "eu1.cloud.thethings.network"},
    }
    if not raw_only:
        uplink["decoded_payload"] = decoded
        uplink["decoded_payload_warnings"] = []
    message = {
        "end_device_ids": {
            "device_id": device_id,
            "application_ids": {"application_id": TTS_APPLICATION},
            "dev_eui": station["device_eui"],
            "join_eui": "70B3D57ED0000000",
            "dev_addr": "260B{:04X}".format(int(uniform(seed, device_id, "addr") * 0xFFFF)),
        },
        "correlation_ids": ["as:up:" + _uuid(seed, device_id, counter, "as"), "gs:uplink:" + _uuid(seed, device_id,
                                                                                                 counter, "gs")],
        "received_at": when,
        "uplink_message": uplink,
    }
    topic = "v3/{}@{}/devices/{}/up".format(TTS_APPLICATION, TTS_TENANT, device_id)
    return topic, message


def chirpstack_uplink(station, readings, moment, counter, raw_only=False, seed=0, battery_v=3.6):
    """(topic, message dict) of a ChirpStack v4 uplink event."""
    decoded, raw = payload(station, dict(readings, battery_v=battery_v))
    rssi, snr, (gateway_id, gateway_eui, gw_lon, gw_lat) = _radio(seed, station["station_id"], counter)
    codec = CODEC_BY_SENSOR_TYPE[station["sensor_type"]]
    application_id = _uuid(seed, "chirpstack-application")
    dev_eui = station["device_eui"].lower()
    message = {
        "deduplicationId": _uuid(seed, station["station_id"], counter, "dedup"),
        "time": chirpstack_time(moment),
        "deviceInfo": {
            "tenantId": _uuid(seed, "chirpstack-tenant"), "tenantName": "Stadt Herne",
            "applicationId": application_id, "applicationName": TTS_APPLICATION,
            "deviceProfileId": _uuid(seed, codec.codec_id), "deviceProfileName": codec.codec_id,
            "deviceName": station["station_id"], "devEui": dev_eui, "deviceClassEnabled": "CLASS_A",
            "tags": {"district": str(station.get("district") or "")},
        },
        "devAddr": "260b{:04x}".format(int(uniform(seed, station["station_id"], "addr") * 0xFFFF)),
        "adr": True, "dr": 5 - counter % 3, "fCnt": counter, "fPort": 2, "confirmed": False,
        "data": base64.b64encode(raw).decode(),
        "rxInfo": [{
            "gatewayId": gateway_eui.lower(), "uplinkId": (counter * 2654435761) % 2 ** 32,
            "nsTime": chirpstack_time(moment), "rssi": rssi, "snr": snr, "channel": counter % 8,
            "location": {"latitude": gw_lat, "longitude": gw_lon},
            "context": base64.b64encode(counter.to_bytes(4, "big")).decode(),
            "metadata": {"region_common_name": "EU868", "region_config_id": "eu868"}, "crcStatus": "CRC_OK",
        }],
        "txInfo": {"frequency": 868100000 + 200000 * (counter % 3),
                   "modulation": {"lora": {"bandwidth": 125000, "spreadingFactor": 7 + counter % 3,
                                           "codeRate": "CR_4_5"}}},
    }
    if not raw_only:
        message["object"] = decoded
    topic = "application/{}/device/{}/event/up".format(application_id, dev_eui)
    return topic, message
