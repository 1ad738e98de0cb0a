#!/usr/bin/env python3
"""Benchmark: the live sensor ingest through a real Mosquitto, and loading 2,000 stations over
SensorThings with $expand and paging against one request per Datastream, in one run.

    .venv/bin/python scripts/bench/bench_sensor_ingest.py [--rates 1000,2000,5000] [--seconds 15]
        [--stations 2000] [--publishers 2] [--skip-sta] [--profile]

Live ingest: Mosquitto on 127.0.0.1 (scripts/backend/mosquitto.py), ``--publishers`` simulator
processes (scripts/sensors/simulator.py; the stations split between them, The Things Stack and
ChirpStack uplinks, 30 % raw payloads; messages made before the start, see publisher_main) publish
at the asked rate in total for ``--seconds``; this
process runs the plugin's LiveSession (MQTT thread -> queue -> LiveLayerBatcher on the Qt event
loop -> memory layer) as the dock does. Figures per rate:

- sustained ingest: uplinks applied to the live layer's store per second while publishing, and
  what the simulators achieved (the broker acknowledged);
- publish-to-layer latency p50/p95: from the publishing of a station's oldest not yet shown
  uplink (its scheduled publish time; a simulator that falls behind makes this longer, never
  shorter) to the write of that station into the layer;
- longest UI-thread stall: the longest batcher tick and the longest gap of a 10 ms QTimer on the
  same event loop beyond its interval.

SensorThings: the fixture server (scripts/sensor_fixture_server.py, --scale full, a process of its
own) is read by the plugin's SensorThingsSource.latest() ($expand of the newest Observation per
Datastream, @iot.nextLink paging, $top=1000) and the naive way (list the Datastreams, then one
request per Datastream for its newest Observation), both through QGIS networking.

Targets (issue 4): 5,000 messages/s sustained, p95 <= 500 ms, stall <= 50 ms. Prints a table and
writes build/bench/sensor_ingest.json.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
for _path in (ROOT, SCRIPTS):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

TARGET_RATE, TARGET_P95_S, TARGET_STALL_S = 5000.0, 0.5, 0.05
OUT = os.path.join(ROOT, "build", "bench", "sensor_ingest.json")


# --- the publisher: a process of its own -------------------------------------------------------------

def publisher_main(args):
    """Publishes messages made before the start, so the simulator's own JSON work (about 80 µs a
    message) does not take CPU from the ingest under test on a small machine. Message ``i`` carries
    the time ``g0 + i / rate`` (``--g0``, the same for all publishers) and is published at
    ``p0 + i / rate`` or later; ``p0 - g0`` is reported as ``offset_s`` to date the publishing."""
    from sensors.simulator import Publisher, UplinkPlan, run
    from sensors.stations import stations_for_count

    stations = stations_for_count(args.stations)[args.part::args.parts]
    g0 = datetime.datetime.fromtimestamp(args.g0, datetime.timezone.utc)
    virtual = [g0]
    plan = UplinkPlan(stations, seed=2601 + args.part, raw_share=0.3, clock=lambda: virtual[0])
    count = int(args.rate * args.seconds)
    messages = []
    for index in range(count):
        virtual[0] = g0 + datetime.timedelta(seconds=index / args.rate)
        messages.append(plan.message(index))
    publisher = Publisher("127.0.0.1", args.port, client_id="herne-bench-{}-{}".format(os.getpid(), args.part))
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    p0 = datetime.datetime.now(datetime.timezone.utc)
    try:
        figures = run(plan, publisher, args.rate, count=count, messages=messages.__getitem__)
    finally:
        publisher.close()
    figures["offset_s"] = (p0 - g0).total_seconds()
    print(json.dumps(figures), flush=True)


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- one live-ingest run --------------------------------------------------------------------------------

def ingest_run(broker, register, rate, seconds, publishers, stations, station_ids, freeze_gc=True):
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QTimer

    from herne_twin_plugin.core.sensors.ingest import ConnectionState, wait_for_state
    from herne_twin_plugin.core.sensors.live_session import LiveSession
    from herne_twin_plugin.core.sensors.model import utc_now

    load_before = os.getloadavg()[0]  # other work on the machine takes CPU from the run: say so
    session = LiveSession.lorawan(broker.url, register, freeze_gc=freeze_gc)
    QgsProject.instance().addMapLayer(session.layer)
    pending = {}  # station id -> publish time of its oldest uplink not yet in the layer
    latencies = []

    def seen(uplinks):
        for uplink in uplinks:
            oldest = min(observation.time for observation in uplink.observations)
            previous = pending.get(uplink.station.station_id)
            if previous is None or oldest < previous:
                pending[uplink.station.station_id] = oldest

    session.queue.observers.append(seen)
    write = session.live.write

    def timed_write(changes):
        written = write(changes)
        now = utc_now()
        for station_id in changes:
            published = pending.pop(station_id, None)
            if published is not None:
                latencies.append((station_id, (now - published).total_seconds()))
        return written

    session.live.write = timed_write
    # CPU the UI thread spent in a tick, beside its wall time (the difference: waiting for a CPU
    # or for the interpreter lock the MQTT thread holds)
    tick_cpu = {"max": 0.0}
    tick = session.batcher.tick

    def timed_tick(force=False):
        started_cpu = time.thread_time()
        written = tick(force)
        tick_cpu["max"] = max(tick_cpu["max"], time.thread_time() - started_cpu)
        return written

    gc_pauses = []  # Python's cycle collector stops every thread of the process

    def gc_watch(phase, info):
        if phase == "start":
            gc_watch.started = time.perf_counter()
        else:
            gc_pauses.append((info["generation"], time.perf_counter() - gc_watch.started))

    gc.callbacks.append(gc_watch)
    session.batcher._timer.timeout.disconnect()
    session.batcher._timer.timeout.connect(timed_tick)
    loop = QEventLoop()
    session.start()
    if not wait_for_state(session.ingest, ConnectionState.CONNECTED, 10, QCoreApplication.processEvents):
        raise RuntimeError("the ingest did not connect: {}".format(session.message))
    g0 = time.time()
    workers = [subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--publisher", "--port", str(broker.port), "--rate",
         str(rate / publishers), "--seconds", str(seconds), "--stations", str(stations), "--part", str(part),
         "--parts", str(publishers), "--g0", repr(g0)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=ROOT) for part in range(publishers)]
    for worker in workers:
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError("a simulator did not start")
    heartbeat = {"last": time.monotonic(), "max_gap": 0.0, "count": 0}

    def beat():
        now = time.monotonic()
        heartbeat["max_gap"] = max(heartbeat["max_gap"], now - heartbeat["last"] - 0.010)
        heartbeat["last"] = now
        heartbeat["count"] += 1

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(beat)
    start_counts = session.batcher.stats()
    started = time.monotonic()
    heartbeat["last"] = started
    ticker.start()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    # the run: publishing for ``seconds``, then up to 10 s more for what is still under way
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec_()
    during = session.batcher.stats()
    publish_end = time.monotonic()
    # the event loop keeps running (and is measured) while the simulators finish and the rest arrives
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline and any(worker.poll() is None for worker in workers):
        QTimer.singleShot(50, loop.quit)
        loop.exec_()
    figures = [json.loads(worker.stdout.read().strip().splitlines()[-1] or "{}") for worker in workers]
    sent = sum(item.get("sent", 0) for item in figures)
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and session.counters.snapshot()["received"] < sent:
        QTimer.singleShot(100, loop.quit)
        loop.exec_()
    QTimer.singleShot(600, loop.quit)  # the last write cycle
    loop.exec_()
    ticker.stop()
    gc.callbacks.remove(gc_watch)
    stats = session.batcher.stats()
    counts = session.counters.snapshot()
    session.close_connections()
    in_layer = session.layer.featureCount()
    QgsProject.instance().removeMapLayer(session.layer.id())
    applied_during = during["uplinks"] - start_counts["uplinks"]
    part_of = {station_id: index % publishers for index, station_id in enumerate(station_ids)}
    offsets = [item.get("offset_s", 0.0) for item in figures]
    latencies = [raw - offsets[part_of[station_id]] for station_id, raw in latencies]
    window = publish_end - started
    return {
        "asked_rate": rate,
        "published": sent,
        "publish_rate": round(sum(item.get("rate", 0) for item in figures), 1),
        "all_acked": all(item.get("all_acked") for item in figures),
        "ingest_rate": round(applied_during / window, 1),
        "received": counts["received"], "accepted": counts["accepted"],
        "rejected": sum(counts["rejected"].values()), "dropped": counts["dropped"],
        "lost": sent - counts["received"],
        "latency_p50_s": round(percentile(latencies, 0.5) or 0, 3),
        "latency_p95_s": round(percentile(latencies, 0.95) or 0, 3),
        "latency_max_s": round(max(latencies) if latencies else 0, 3),
        "max_tick_s": round(stats["max_tick_s"], 4),
        "max_tick_cpu_s": round(tick_cpu["max"], 4),
        "max_gc_pause_s": round(max((pause for _generation, pause in gc_pauses), default=0.0), 4),
        "gc_full_collections": sum(1 for generation, _pause in gc_pauses if generation == 2),
        "max_event_loop_gap_s": round(heartbeat["max_gap"], 4),
        "ticks": stats["ticks"], "write_cycles": stats["cycles"],
        "stations_in_layer": in_layer,
        "load_average_before": round(load_before, 2),
    }


# --- SensorThings: $expand + paging vs one request per Datastream -----------------------------------

def sensorthings_run(stations):
    from backend import processes

    from herne_twin_plugin.core.sensors.fetch import get_json
    from herne_twin_plugin.core.sensors.sensorthings import SensorThingsSource, query_url

    port = processes.free_port()
    log = os.path.join(tempfile.mkdtemp(prefix="herne-bench-sta-"), "server.log")
    server = processes.start_service(
        [sys.executable, os.path.join(SCRIPTS, "sensor_fixture_server.py"), "--scale", "full", "--stations",
         str(stations), "--port", str(port), "--page-size", "1000"], "sensor fixture server", log,
        lambda: processes.port_accepts(port), timeout=120, cwd=ROOT)
    base = "http://127.0.0.1:{}/v1.1".format(port)
    try:
        started = time.perf_counter()
        source = SensorThingsSource(base, page_size=1000)
        snapshot = source.latest()
        expand_s = time.perf_counter() - started
        expand = {"requests": source.pages_read, "seconds": round(expand_s, 3), "stations": len(snapshot.stations),
                  "datastreams": len(snapshot.streams), "latest": len(snapshot.observations)}

        started = time.perf_counter()
        naive_source = SensorThingsSource(base, page_size=1000)
        things = naive_source.collect(query_url(base, "Things", expand="Locations", top=1000))
        datastreams = naive_source.collect(query_url(base, "Datastreams", top=1000))
        requests = naive_source.pages_read
        latest = 0
        for datastream in datastreams:
            document, _response = get_json(query_url(base, "Datastreams({})/Observations".format(
                datastream["@iot.id"]), orderby="phenomenonTime desc", top=1))
            requests += 1
            latest += bool(document.get("value"))
        naive_s = time.perf_counter() - started
        naive = {"requests": requests, "seconds": round(naive_s, 3), "stations": len(things),
                 "datastreams": len(datastreams), "latest": latest}
    finally:
        processes.stop_process(server.pid)
    return {"expand_paging": expand, "per_datastream": naive,
            "ratio": round(naive_s / expand_s, 1) if expand_s > 0 else None,
            "same_result": expand["latest"] == naive["latest"] and expand["datastreams"] == naive["datastreams"]}


# --- main -------------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="1000,2000,5000")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--publishers", type=int, default=2)
    parser.add_argument("--skip-sta", action="store_true")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="keep the session from freezing the objects out of the cycle collector (what it saves)")
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest process (top 25 by own time)")
    # the publisher worker
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--g0", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.publisher:
        return publisher_main(args)
    rates = [float(item) for item in args.rates.split(",") if item.strip()]
    if not rates or min(rates) <= 0 or args.seconds <= 0 or not 1 <= args.stations <= 2000 or args.publishers < 1:
        parser.error("rates and seconds must be positive, stations 1-2000, publishers >= 1")

    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from sensors.stations import stations_for_count
    from sensors.testing import Broker

    from herne_twin_plugin.core.sensors.register import DeviceRegister

    records = stations_for_count(args.stations)
    register = DeviceRegister.from_records(records)
    workdir = tempfile.mkdtemp(prefix="herne-bench-mqtt-")
    os.chmod(workdir, 0o755)
    broker = Broker(workdir).start()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "stations": args.stations, "seconds": args.seconds, "publishers": args.publishers,
               "gc_freeze": not args.no_gc_freeze,
               "targets": {"rate": TARGET_RATE, "p95_s": TARGET_P95_S, "stall_s": TARGET_STALL_S}, "ingest": []}
    try:
        for rate in rates:
            results["ingest"].append(ingest_run(broker, register, rate, args.seconds, args.publishers,
                                                args.stations, [record["station_id"] for record in records],
                                                freeze_gc=not args.no_gc_freeze))
            print(json.dumps(results["ingest"][-1]), flush=True)
    finally:
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        print(text.getvalue())
    if not args.skip_sta:
        results["sensorthings"] = sensorthings_run(args.stations)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)
    print_table(results)
    app.exitQgis()
    return 0


def print_table(results):
    print("\nLive ingest, {} stations, {} s per rate, {} simulator processes, real Mosquitto on 127.0.0.1".format(
        results["stations"], results["seconds"], results["publishers"]))
    print("{:>7} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>6} {:>5}  {}".format(
        "asked/s", "publ./s", "ingest/s", "p50 s", "p95 s", "tick s", "tick cpu", "loop gap", "lost", "load",
        "targets"))
    for run in results["ingest"]:
        stall = max(run["max_tick_s"], run["max_event_loop_gap_s"])
        met = []
        met.append("rate ok" if run["ingest_rate"] >= 0.95 * run["asked_rate"] else "RATE MISSED")
        met.append("p95 ok" if run["latency_p95_s"] <= TARGET_P95_S else "P95 MISSED")
        met.append("stall ok" if stall <= TARGET_STALL_S else "STALL MISSED")
        print("{:>7.0f} {:>9.0f} {:>9.0f} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>9.3f} {:>6} {:>5.1f}  {}".format(
            run["asked_rate"], run["publish_rate"], run["ingest_rate"], run["latency_p50_s"], run["latency_p95_s"],
            run["max_tick_s"], run["max_tick_cpu_s"], run["max_event_loop_gap_s"], run["lost"],
            run["load_average_before"], ", ".join(met)))
    print("(tick cpu: the UI thread's own CPU time in its longest tick; the rest of a tick's wall time it waited "
          "for a CPU or the interpreter lock. load: the machine's 1-minute load average before the run, {} CPUs; "
          "the simulators, Mosquitto and the ingest share them)".format(results["machine"]["cpus"]))
    sta = results.get("sensorthings")
    if sta:
        print("\nSensorThings, {} stations / {} Datastreams with their latest reading:".format(
            sta["expand_paging"]["stations"], sta["expand_paging"]["datastreams"]))
        for name, label in (("expand_paging", "$expand + paging"), ("per_datastream", "one request per Datastream")):
            print("  {:28} {:>6} requests {:>8.2f} s".format(label, sta[name]["requests"], sta[name]["seconds"]))
        print("  ratio (naive / $expand): {}x; same result: {}".format(sta["ratio"], sta["same_result"]))
    print("\nwritten to {}".format(OUT))


if __name__ == "__main__":
    sys.exit(main())
