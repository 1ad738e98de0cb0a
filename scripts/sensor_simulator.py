#!/usr/bin/env python3
"""Publish realistic LoRaWAN uplinks (The Things Stack v3 and ChirpStack v4) for the sample
city's sensor stations to an MQTT broker, at a chosen rate.

    .venv/bin/python scripts/sensor_simulator.py --broker mqtt://127.0.0.1:1883 \\
        [--stations 60] [--rate 10] [--count N | --duration S] [--seed 2601] \\
        [--raw-share 0.3] [--network mixed|tts|chirpstack] [--user NAME] [--gpkg FILE]

Without --broker it uses the local backend's Mosquitto (build/backend/backend.json).
The password for --user is read from $HERNE_MQTT_PASSWORD (never from the command
line). Up to 60 stations come from the sample city, up to 2,000 from the full city
(generated in memory). Values are deterministic from the seed (see
scripts/sensors/simulator.py); at the end it prints the achieved rate.
"""

import argparse
import json
import os
import sys
import urllib.parse

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
for path in (SCRIPTS_DIR, REPO_ROOT):
    if path not in sys.path:
        sys.path.insert(0, path)

from sensors.simulator import NETWORKS, Publisher, UplinkPlan, run  # noqa: E402
from sensors.stations import stations_for_count  # noqa: E402

MAX_STATIONS = 2000
BACKEND_STATE = os.path.join(REPO_ROOT, "build", "backend", "backend.json")


def broker_from_backend(path=BACKEND_STATE):
    with open(path, encoding="utf-8") as handle:
        state = json.load(handle)
    return "mqtt://{}:{}".format(state["mqtt_host"], state["mqtt_port"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", help="mqtt://host:port (default: the local backend's Mosquitto)")
    parser.add_argument("--stations", type=int, default=60, help="how many stations send (1-2000, default 60)")
    parser.add_argument("--rate", type=float, default=10.0, help="messages per second (0: as fast as possible)")
    parser.add_argument("--count", type=int, help="stop after this many messages")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--seed", type=int, default=2601)
    parser.add_argument("--raw-share", type=float, default=0.3, help="share of raw-only uplinks (default 0.3)")
    parser.add_argument("--network", choices=NETWORKS, default="mixed")
    parser.add_argument("--user", help="MQTT user name (password from $HERNE_MQTT_PASSWORD)")
    parser.add_argument("--gpkg", help="stations from this GeoPackage's sensor_stations layer")
    args = parser.parse_args(argv)
    if not 1 <= args.stations <= MAX_STATIONS:
        parser.error("--stations must be between 1 and {}".format(MAX_STATIONS))
    if args.rate < 0:
        parser.error("--rate must not be negative")
    if args.count is None and args.duration is None:
        parser.error("give --count or --duration")
    if (args.count is not None and args.count < 0) or (args.duration is not None and args.duration <= 0):
        parser.error("--count must not be negative and --duration must be positive")
    try:
        broker = args.broker or broker_from_backend()
    except (OSError, ValueError, KeyError) as problem:
        parser.error("no --broker and no local backend state ({}): {}".format(BACKEND_STATE, problem))
    parts = urllib.parse.urlsplit(broker)
    if parts.scheme != "mqtt" or not parts.hostname:
        parser.error("--broker must look like mqtt://host:port")
    try:
        plan = UplinkPlan(stations_for_count(args.stations, args.gpkg), seed=args.seed, raw_share=args.raw_share,
                          network=args.network)
        publisher = Publisher(parts.hostname, parts.port or 1883, args.user, os.environ.get("HERNE_MQTT_PASSWORD"))
    except (ValueError, OSError, ConnectionError) as problem:
        parser.error(str(problem))
    try:
        figures = run(plan, publisher, args.rate, count=args.count, duration_s=args.duration)
    except KeyboardInterrupt:
        figures = None
    finally:
        publisher.close()
    if figures:
        print("{sent} uplinks to {stations} stations in {publish_s} s: {rate} messages/s achieved "
              "(asked {asked}); {acked} acknowledged by the broker".format(
                  stations=len(plan.stations), asked=args.rate or "max", **figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
