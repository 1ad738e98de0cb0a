#!/usr/bin/env python3
"""The demo's live sensor layer: the simulator publishes The Things Stack and ChirpStack uplinks
for the sample stations to the local backend's Mosquitto for a few seconds while the plugin's
live ingest fills the styled live readings layer (as the "Live sensors" dock does).

    .venv/bin/python scripts/demo_sensors.py [--dir build/backend] [--seconds 5] [--rate 120]

From the demo::

    from demo_sensors import show_live_sensors
    result = show_live_sensors(backend_state, project, seconds=5)
    result["layer"], result["counters"], result["sent"], result["updates"]

``updates`` lists (seconds since start, stations in the layer, uplinks accepted) after every
write cycle: the layer filling and updating while messages arrive.
"""

import argparse
import os
import sys
import threading
import time

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
for _path in (SCRIPTS_DIR, REPO_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SAMPLE_GPKG = "herne_sample.gpkg"


class DemoError(RuntimeError):
    """The live sensor demo could not run; the message says why."""


def _pump(condition, timeout_s):
    """Run the Qt event loop (the batcher's timer, queued signals) until ``condition()`` or the time-out."""
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def show_live_sensors(backend_state, project, seconds=5, rate=120.0, seed=2601):
    """Publish simulated uplinks for ``seconds`` and fill the live layer; returns a dict with
    ``layer`` (in ``project``, styled), ``counters`` (received, accepted, rejected ...), ``sent``,
    ``stations`` and ``updates``. Raises DemoError when the backend's broker or data are missing."""
    from sensors.simulator import Publisher, UplinkPlan, run
    from sensors.stations import load_stations

    from herne_twin_plugin.core.sensors.ingest import ConnectionState, IngestError
    from herne_twin_plugin.core.sensors.live_session import LiveSession
    from herne_twin_plugin.core.sensors.register import DeviceRegister

    if seconds <= 0 or rate <= 0:
        raise DemoError("seconds and rate must be positive")
    host, port = backend_state.get("mqtt_host"), backend_state.get("mqtt_port")
    gpkg = os.path.join(backend_state.get("data_dir") or "", SAMPLE_GPKG)
    if not host or not port:
        raise DemoError("the backend state names no MQTT broker (mqtt_host, mqtt_port)")
    if not os.path.isfile(gpkg):
        raise DemoError("no sample GeoPackage at {} (the backend's data_dir)".format(gpkg))
    try:
        register = DeviceRegister.from_geopackage(gpkg)
    except ValueError as error:
        raise DemoError(str(error)) from error
    session = LiveSession.lorawan("mqtt://{}:{}".format(host, port), register, max_repaints_per_s=4.0)
    started = time.monotonic()
    updates = []
    session.batcher.written.connect(lambda _stations, _uplinks: updates.append(
        (round(time.monotonic() - started, 2), len(session.live.store), session.counters.snapshot()["accepted"])))
    try:
        session.start()
    except IngestError as error:
        raise DemoError(str(error)) from error
    try:
        if not _pump(lambda: session.state == ConnectionState.CONNECTED, 15):
            raise DemoError("the live ingest did not connect to {}:{}: {}".format(host, port, session.message))
        plan = UplinkPlan(load_stations(gpkg=gpkg), seed=seed)
        publisher = Publisher(host, port, client_id="herne-demo-sensors-{}".format(os.getpid()))
        figures = {}

        def publish():
            try:
                figures.update(run(plan, publisher, rate, duration_s=seconds))
            finally:
                publisher.close()

        worker = threading.Thread(target=publish, name="herne-demo-simulator")
        worker.start()
        _pump(lambda: not worker.is_alive(), seconds + 60)
        worker.join()
        sent = figures.get("sent", 0)
        _pump(lambda: session.counters.snapshot()["received"] >= sent, 15)
    finally:
        session.stop()
        session.close_connections()
    project.addMapLayer(session.layer)
    counters = session.counters.snapshot()
    return {"layer": session.layer, "counters": counters, "sent": figures.get("sent", 0),
            "stations": len(session.live.store), "updates": updates, "session": session}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=os.path.join(REPO_ROOT, "build", "backend"), help="backend dir")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=120.0, help="messages per second")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    from city_backend import BackendError, read_state
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = show_live_sensors(read_state(args.dir), QgsProject.instance(), args.seconds, args.rate)
    except (BackendError, DemoError) as error:
        print("demo_sensors: {}".format(error), file=sys.stderr)
        return 1
    print("{sent} uplinks published; {stations} stations in the live layer; counters {counters}".format(**result))
    for moment, stations, accepted in result["updates"]:
        print("  {:6.2f} s: {} stations, {} uplinks accepted".format(moment, stations, accepted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
