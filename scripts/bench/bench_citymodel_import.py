#!/usr/bin/env python3
"""Benchmark: the plugin's city-model import against ``ogr2ogr -f GPKG`` (GDAL's GML driver), in one run.

    .venv/bin/python scripts/bench/bench_citymodel_import.py [--runs 3] [--profile]

Datasets: the real NRW tiles in ../shared/data/citygml-nrw (where present), the densest generated
urban tile (LoD2_32_369_5713_1_NW, about 2,900 buildings, from the sample city generator) and a block
of 20 generated tiles. GDAL and the importer read fresh copies of the same files; GDAL gets each file in
one ``ogr2ogr -f GPKG [-append]`` call, as a user would type it (its time includes its process start,
about 0.03 s, and its two passes over the GML), the importer is timed around ``import_city_model`` in a
fresh Python process (inside QGIS the modules are loaded already). Note what each produces: GDAL one
layer of 3D multi line strings per building, the importer LoD2 solids (MultiPolygonZ), footprints and
every roof/wall/ground surface with area, tilt and azimuth, with a spatial index on each.

Cores: ogr2ogr runs in one process (its CPU time is above its wall time: GDAL builds the spatial index
in a thread of its own). The importer reads tiles of 4 MB and more in parse worker processes (one fewer
than cores, at most 4; see core/citymodel/parse_pool.py) while its own process writes and reads slices
too whenever a worker's answer is not there yet; its time includes starting the workers. Note that the
importer syncs the finished GeoPackage to disk and ogr2ogr does not (strace: no fsync at all). "CPU s"
is user + system time of all processes of a side (the importer's: its process and its workers), so the
CPU ratio compares the work done, the wall ratio the time a user waits. With other work on the machine
the wall time of the importer suffers more than GDAL's (it needs both cores): look at the load average
printed.

Memory: the peak resident size of a fresh process importing 1 tile and one importing 20 tiles, each
the importer's process (VmHWM) plus its parse workers' peaks (summed, as they run at the same time);
the importer streams, so the ratio should stay near 1 (target <= 1.2).

``--profile`` profiles an in-process import of the urban tile (no workers: the workers run the same
reader code, which is where the time goes).

Prints a table and writes build/bench/citymodel_import.json.
"""

import argparse
import cProfile
import glob
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_TILES = os.path.join(os.path.dirname(ROOT), "shared", "data", "citygml-nrw")
URBAN_TILE = "LoD2_32_369_5713_1_NW.gml"
BLOCK = (367000.0, 5711000.0, 372000.0, 5715000.0)  # 5 x 4 km of Herne: 20 tiles around Herne-Mitte
TARGET_RATIO, TARGET_MEMORY = 1.0, 1.2

sys.path.insert(0, ROOT)


# --- the worker: one import in a fresh process ------------------------------------------------------

def worker(args):
    from herne_twin_plugin.core.citymodel import import_city_model, parse_pool

    if args.mode == "phases":
        parse_pool.python_executable = lambda: None  # the phases of one process
        print(json.dumps(phases(args.files)))
        return
    if os.path.exists(args.output):
        os.remove(args.output)
    profiler = None
    if args.mode == "profile":
        parse_pool.python_executable = lambda: None  # see the docstring
        profiler = cProfile.Profile()
    started, cpu_started = time.perf_counter(), time.process_time()
    children_started = _children_cpu()
    if profiler:
        profiler.enable()
    summary = import_city_model(args.files, args.output)
    if profiler:
        profiler.disable()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    workers_cpu = _children_cpu() - children_started  # the parse workers, ended and waited for
    result = {
        "seconds": seconds, "cpu_seconds": cpu_seconds + workers_cpu, "main_cpu_seconds": cpu_seconds,
        "workers_cpu_seconds": workers_cpu, "parse_workers": summary.parse_workers,
        "buildings": summary.buildings, "failures": summary.failures,
        "tiles_failed": len(summary.tiles_failed), "main_maxrss_kb": peak_rss_kb(),
        "workers_maxrss_kb": summary.workers_peak_kb, "maxrss_kb": peak_rss_kb() + summary.workers_peak_kb,
    }
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
        result["profile"] = text.getvalue()
    print(json.dumps(result))


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_kb():
    """Peak resident size of this process image. Linux carries ru_maxrss over fork and exec (a child
    would report its parent's peak), so VmHWM of /proc comes first."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def phases(files):
    """CPU seconds of reading alone, of reading and deriving the rows, and of the whole import."""
    from herne_twin_plugin.core.citymodel import import_city_model
    from herne_twin_plugin.core.citymodel.building_features import building_rows
    from herne_twin_plugin.core.citymodel.citygml_reader import CityGMLReader

    times = {}
    started = time.process_time()
    for path in files:
        with open(path, "rb") as handle:
            for _building in CityGMLReader(handle).buildings():
                pass
    times["read"] = time.process_time() - started
    started = time.process_time()
    for path in files:
        with open(path, "rb") as handle:
            for building in CityGMLReader(handle).buildings():
                building_rows(building, os.path.basename(path))
    times["read_and_derive"] = time.process_time() - started
    output = os.path.join(os.path.dirname(files[0]), "phases.gpkg")
    started = time.process_time()
    import_city_model(files, output)
    times["import"] = time.process_time() - started
    os.remove(output)
    times["write"] = times["import"] - times["read_and_derive"]
    return times


def run_worker(mode, files, output):
    command = [sys.executable, os.path.abspath(__file__), "--worker", mode, "--output", output, *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    if result.returncode != 0:
        raise RuntimeError("worker failed: " + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- GDAL ---------------------------------------------------------------------------------------------

def run_ogr2ogr(files, folder):
    """Time ogr2ogr over fresh copies of ``files`` (no .gfs beside them); return (seconds, CPU seconds,
    features, geometry type)."""
    from osgeo import ogr

    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    copies = []
    for path in files:
        copies.append(os.path.join(folder, os.path.basename(path)))
        shutil.copy(path, copies[-1])
    output = os.path.join(folder, "ogr2ogr.gpkg")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for index, path in enumerate(copies):
        command = ["ogr2ogr", "-f", "GPKG", output, path] + (["-append"] if index else [])
        subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    dataset = ogr.Open(output)
    features, kinds = 0, set()
    for number in range(dataset.GetLayerCount()):
        layer = dataset.GetLayer(number)
        if layer.GetName() == "Building":
            features += layer.GetFeatureCount()
            kinds.add(ogr.GeometryTypeToName(layer.GetGeomType()))
    dataset = None
    return seconds, cpu_seconds, features, ", ".join(sorted(kinds))


def ours(files, folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    copies = []
    for path in files:
        copies.append(os.path.join(folder, os.path.basename(path)))
        shutil.copy(path, copies[-1])
    return run_worker("import", copies, os.path.join(folder, "city_model.gpkg"))


# --- data -----------------------------------------------------------------------------------------------

def generated_block(folder):
    """The 20 generated tiles of BLOCK (sample city generator, seed 2601): written once, reused."""
    from herne_twin_plugin.core.sample_city import DEFAULT_SEED, citygml_writer
    from herne_twin_plugin.core.sample_city.buildings import city_buildings
    from herne_twin_plugin.core.sample_city.districts import herne_districts
    from herne_twin_plugin.core.sample_city.scales import Scale
    from herne_twin_plugin.core.sample_city.streets import city_streets

    tiles = sorted(glob.glob(os.path.join(folder, "LoD2_32_*_1_NW.gml")))
    if len(tiles) == 20:
        return tiles
    os.makedirs(folder, exist_ok=True)
    districts = herne_districts()
    streets = city_streets(DEFAULT_SEED, districts)
    buildings = city_buildings(DEFAULT_SEED, streets, districts, Scale("bench", BLOCK, 0, 1.0))
    notice = "SYNTHETISCH - generated for the city-model import benchmark (seed {})".format(DEFAULT_SEED)
    citygml_writer.write_tiles(folder, buildings, DEFAULT_SEED, notice)
    return sorted(glob.glob(os.path.join(folder, "LoD2_32_*_1_NW.gml")))


def count_buildings(files):
    """bldg:Building elements in the files (lxml, freeing each as it goes)."""
    from lxml import etree

    count = 0
    for path in files:
        for _event, element in etree.iterparse(path, tag="{http://www.opengis.net/citygml/building/1.0}Building"):
            count += 1
            element.clear()
            while element.getparent() is not None and element.getparent().getprevious() is not None:
                del element.getparent().getparent()[0]
    return count


# --- the benchmark ----------------------------------------------------------------------------------

def measure(name, files, work, runs):
    buildings = count_buildings(files)
    gdal_times, gdal_cpu, our_times, our_cpu, our_main_cpu, result = [], [], [], [], [], None
    for _run in range(runs):
        seconds, cpu_seconds, features, kind = run_ogr2ogr(files, os.path.join(work, "gdal"))
        gdal_times.append(seconds)
        gdal_cpu.append(cpu_seconds)
        result = ours(files, os.path.join(work, "ours"))
        our_times.append(result["seconds"])
        our_cpu.append(result["cpu_seconds"])
        our_main_cpu.append(result["main_cpu_seconds"])
    gdal_s, our_s = statistics.median(gdal_times), statistics.median(our_times)
    return {
        "dataset": name, "files": len(files), "megabytes": sum(os.path.getsize(f) for f in files) / 2**20,
        "buildings": buildings,
        "gdal_seconds": gdal_s, "gdal_cpu_seconds": statistics.median(gdal_cpu), "gdal_features": features,
        "gdal_geometry": kind,
        "ours_seconds": our_s, "ours_cpu_seconds": statistics.median(our_cpu),
        "ours_main_cpu_seconds": statistics.median(our_main_cpu), "ours_parse_workers": result["parse_workers"],
        "ours_buildings": result["buildings"],
        "ours_failures": result["failures"], "ours_geometry": "MultiPolygonZ solids + footprints + surfaces",
        "ratio": our_s / gdal_s, "cpu_ratio": statistics.median(our_cpu) / statistics.median(gdal_cpu),
        "gdal_buildings_per_s": buildings / gdal_s, "ours_buildings_per_s": buildings / our_s,
        "runs": runs, "gdal_all_seconds": gdal_times, "ours_all_seconds": our_times,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the importer on the urban tile")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.mode = args.worker
        worker(args)
        return 0
    if not shutil.which("ogr2ogr"):
        sys.exit("ogr2ogr (gdal-bin) is needed for the comparison")

    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(args.out, "citymodel_work")
    block = generated_block(os.path.join(work, "generated"))
    urban = [path for path in block if os.path.basename(path) == URBAN_TILE]
    datasets = []
    real = sorted(glob.glob(os.path.join(SHARED_TILES, "*.gml")))
    if real:
        datasets.append(("real NRW tiles", real))
    else:
        print("(real tiles not found at {}: skipped)".format(SHARED_TILES))
    datasets += [("generated urban tile 369/5713", urban), ("20 generated tiles", block)]

    rows = []
    for name, files in datasets:
        print("measuring: {} ({} files) ...".format(name, len(files)), flush=True)
        rows.append(measure(name, files, os.path.join(work, "runs"), args.runs))

    print("measuring: peak memory, 1 tile and 20 tiles ...", flush=True)
    one = ours(urban, os.path.join(work, "memory_1"))
    twenty = ours(block, os.path.join(work, "memory_20"))
    memory = {"counted": "importer process VmHWM + the sum of its parse workers' VmHWM",
              "one_tile_maxrss_mb": one["maxrss_kb"] / 1024, "twenty_tiles_maxrss_mb": twenty["maxrss_kb"] / 1024,
              "one_tile_workers_mb": one["workers_maxrss_kb"] / 1024,
              "twenty_tiles_workers_mb": twenty["workers_maxrss_kb"] / 1024,
              "ratio": twenty["maxrss_kb"] / one["maxrss_kb"],
              "twenty_tiles_buildings": twenty["buildings"], "twenty_tiles_seconds": twenty["seconds"]}

    phase_folder = os.path.join(work, "phases")
    shutil.rmtree(phase_folder, ignore_errors=True)
    os.makedirs(phase_folder)
    shutil.copy(urban[0], phase_folder)
    phase_times = run_worker("phases", [os.path.join(phase_folder, URBAN_TILE)], os.path.join(work, "unused.gpkg"))
    profile = None
    if args.profile:
        profile = run_worker("profile", urban, os.path.join(work, "profile.gpkg"))["profile"]

    report = {
        "what": "city-model import (hernetwin:importcitymodel core) vs ogr2ogr -f GPKG (GDAL GML driver)",
        "gdal_version": subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True).stdout.strip(),
        "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
        "load_average": os.getloadavg(),
        "datasets": rows, "memory": memory, "urban_tile_phases_cpu_seconds": phase_times,
        "targets": {
            "ratio_at_most": TARGET_RATIO, "memory_ratio_at_most": TARGET_MEMORY,
            "ratio_met": {row["dataset"]: row["ratio"] <= TARGET_RATIO for row in rows},
            "memory_met": memory["ratio"] <= TARGET_MEMORY,
        },
    }
    path = os.path.join(args.out, "citymodel_import.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    shutil.rmtree(os.path.join(work, "runs"), ignore_errors=True)
    for folder in ("memory_1", "memory_20", "phases"):
        shutil.rmtree(os.path.join(work, folder), ignore_errors=True)

    print()
    print("{:<30} {:>5} {:>6} {:>9} {:>7} {:>7} {:>9} {:>9} {:>6} {:>9} {:>9} {:>7}".format(
        "dataset", "files", "MB", "buildings", "GDAL s", "ours s", "GDAL b/s", "ours b/s", "ratio", "GDAL CPU",
        "ours CPU", "workers"))
    for row in rows:
        print(("{:<30} {:>5} {:>6.1f} {:>9} {:>7.2f} {:>7.2f} {:>9.0f} {:>9.0f} {:>6.2f} {:>9.2f} {:>9.2f} "
               "{:>7}{}").format(
            row["dataset"], row["files"], row["megabytes"], row["buildings"], row["gdal_seconds"],
            row["ours_seconds"], row["gdal_buildings_per_s"], row["ours_buildings_per_s"], row["ratio"],
            row["gdal_cpu_seconds"], row["ours_cpu_seconds"], row["ours_parse_workers"],
            "" if row["ratio"] <= TARGET_RATIO else "  (target <= 1.0 missed)"))
        if row["ours_buildings"] + row["ours_failures"] != row["buildings"] or row["gdal_features"] != row["buildings"]:
            print("   counts differ: source {}, GDAL {}, ours {} + {} failed".format(
                row["buildings"], row["gdal_features"], row["ours_buildings"], row["ours_failures"]))
    print("GDAL writes {}; the importer writes {}.".format(rows[-1]["gdal_geometry"], rows[-1]["ours_geometry"]))
    print("urban tile, in-process importer CPU (no workers): read {read:.2f} s, read + derive "
          "{read_and_derive:.2f} s, whole import {import:.2f} s (write {write:.2f} s)".format(**phase_times))
    print("load average during the run: {:.1f} (on {} CPUs)".format(os.getloadavg()[0], os.cpu_count()))
    print("CPU s: all processes of a side (ours: the importer and its parse workers); CPU ratio {}".format(
        ", ".join("{} {:.2f}".format(row["dataset"], row["cpu_ratio"]) for row in rows)))
    print("peak memory (importer + its workers' peaks, of which workers {:.0f} / {:.0f} MB): 1 tile {:.0f} MB, "
          "20 tiles {:.0f} MB, ratio {:.2f}{}".format(
              memory["one_tile_workers_mb"], memory["twenty_tiles_workers_mb"],
              memory["one_tile_maxrss_mb"], memory["twenty_tiles_maxrss_mb"], memory["ratio"],
        "" if memory["ratio"] <= TARGET_MEMORY else "  (target <= 1.2 missed)"))
    if profile:
        print("\nprofile of the urban tile import:\n" + profile)
    print("written: " + path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
