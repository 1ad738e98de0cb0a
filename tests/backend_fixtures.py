"""The local city backend as a pytest fixture.

``city_backend`` (session scope) starts PostGIS, QGIS Server, pygeoapi and
Mosquitto once per test session in a temporary dir and stops every process by
its pid at the end: also when tests fail, when the run is interrupted (Ctrl-C),
or when pytest gets SIGTERM (atexit plus a SIGTERM handler as a second line;
both also stop backends that single tests started and could not stop).

Data: the sample city from ``herne_twin_plugin.core.sample_city`` when that
module exists, else ``write_tiny_city`` below (a few features per layer, the
same layer names). ``HERNE_BACKEND_DATA=<dir with herne_sample.gpkg>`` uses a
prepared data dir instead.

conftest.py imports it: ``from backend_fixtures import city_backend  # noqa``.
"""

import atexit
import os
import shutil
import signal
import struct
import sys
import tempfile

import pytest

_SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts")
if _SCRIPTS not in sys.path:  # conftest.py adds it too; this also works with `-p backend_fixtures`
    sys.path.insert(0, _SCRIPTS)

from city_backend import CityBackend, ensure_sample_data, stop_started_backends  # noqa: E402

SAMPLE_GPKG = "herne_sample.gpkg"
EPSG = 25832

# A block of Herne-Mitte (EPSG:25832, metres), inside the sample city's window.
_X0, _Y0 = 369200.0, 5713200.0


def _square(x, y, size):
    return "POLYGON(({x} {y},{x2} {y},{x2} {y2},{x} {y2},{x} {y}))".format(x=x, y=y, x2=x + size, y2=y + size)


# layer: (geometry type, fields, rows of (wkt, values)); fields are a subset of the sample city's.
_TINY_CITY = {
    "districts": ("Polygon", [("name", "str"), ("population", "int")], [
        (_square(_X0, _Y0, 1000), ["Herne-Mitte", 64000]),
        (_square(_X0 + 1000, _Y0, 1000), ["Sodingen", 28000]),
    ]),
    "street_lights": ("Point", [("light_uuid", "str"), ("light_point_no", "str"), ("street", "str"),
                                ("lamp_type", "str"), ("wattage_w", "int")], [
        ("POINT({} {})".format(_X0 + 100 + 150 * i, _Y0 + 200 + 40 * i),
         ["6a1f0c2e-0000-4000-8000-00000000000{}".format(i), "BHF-{:03d}".format(i + 1), "Bahnhofstraße",
          "LED", 30 + i])
        for i in range(6)
    ]),
    "streets": ("LineString", [("name", "str")], [
        ("LINESTRING({} {},{} {})".format(_X0, _Y0 + 200, _X0 + 1000, _Y0 + 440), ["Bahnhofstraße"]),
    ]),
    "sensor_stations": ("Point", [("station_id", "str"), ("kind", "str")], [
        ("POINT({} {})".format(_X0 + 500, _Y0 + 500), ["herne-env-001", "air_quality"]),
        ("POINT({} {})".format(_X0 + 1500, _Y0 + 300), ["herne-lvl-002", "water_level"]),
    ]),
    "building_footprints": ("Polygon", [("building_id", "str"), ("function", "str")], [
        (_square(_X0 + 300, _Y0 + 300, 20), ["DENW36AL100001", "residential"]),
        (_square(_X0 + 700, _Y0 + 600, 30), ["DENW36AL100002", "school"]),
    ]),
    "starkregen_depth_classes": (None, [("depth_class", "int"), ("min_depth_m", "real"),
                                        ("max_depth_m", "real")], [
        (None, [1, 0.1, 0.3]), (None, [2, 0.3, 0.5]), (None, [3, 0.5, 1.0]),
    ]),
}
for _index, _scenario in enumerate(("seltener_starkregen", "aussergewoehnlicher_starkregen", "extremregen")):
    # Nested squares: deeper classes in the middle, wider areas for rarer rain.
    _TINY_CITY[_scenario] = ("Polygon", [("depth_class", "int")], [
        (_square(_X0 + 250 + 50 * k, _Y0 + 250 + 50 * k, 200 + 100 * _index - 60 * k), [k + 1]) for k in range(3)
    ])


def write_tiny_city(output_dir):
    """A few features per layer of the sample city, plus one depth raster; returns output_dir."""
    from osgeo import gdal, ogr, osr

    os.makedirs(output_dir, exist_ok=True)
    gpkg_path = os.path.join(output_dir, SAMPLE_GPKG)
    if os.path.exists(gpkg_path):
        os.remove(gpkg_path)
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(EPSG)
    field_types = {"str": ogr.OFTString, "int": ogr.OFTInteger, "real": ogr.OFTReal}
    geometry_types = {"Point": ogr.wkbPoint, "LineString": ogr.wkbLineString, "Polygon": ogr.wkbPolygon,
                      None: ogr.wkbNone}
    source = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg_path)
    for name, (geometry_type, fields, rows) in _TINY_CITY.items():
        layer = source.CreateLayer(name, crs if geometry_type else None, geometry_types[geometry_type])
        for field_name, field_type in fields:
            layer.CreateField(ogr.FieldDefn(field_name, field_types[field_type]))
        for wkt, values in rows:
            feature = ogr.Feature(layer.GetLayerDefn())
            if wkt:
                feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            for (field_name, _), value in zip(fields, values):
                feature.SetField(field_name, value)
            layer.CreateFeature(feature)
    source = None  # closes the file
    raster = gdal.GetDriverByName("GTiff").Create(
        os.path.join(output_dir, "starkregen_extremregen_depth.tif"), 20, 20, 1, gdal.GDT_Float32
    )
    raster.SetGeoTransform((_X0, 50.0, 0.0, _Y0 + 1000, 0.0, -50.0))
    raster.SetProjection(crs.ExportToWkt())
    band = raster.GetRasterBand(1)
    band.SetNoDataValue(0)
    depths = [0.05 * ((row * 20 + column) % 30) for row in range(20) for column in range(20)]
    band.WriteRaster(0, 0, 20, 20, struct.pack("<400f", *depths))
    raster = None
    return output_dir


def _session_data(root):
    """The data dir the session's backend serves (see the module docstring)."""
    prepared = os.environ.get("HERNE_BACKEND_DATA")
    if prepared:
        return prepared
    data_dir = os.path.join(root, "sample")
    try:
        from herne_twin_plugin.core.sample_city import generate  # noqa: F401 - only: is it there yet?
    except ImportError:
        return write_tiny_city(data_dir)
    return ensure_sample_data(data_dir)


def backend_root():
    """A fresh temp dir the postgres system user can enter (mkdtemp makes 0700 dirs)."""
    root = tempfile.mkdtemp(prefix="herne-backend-")
    os.chmod(root, 0o755)
    return root


class _StopOnce:
    """Stops every backend this test process started and removes the session's
    temp dir; later calls do nothing."""

    def __init__(self, root):
        self.root, self.backend, self.done = root, None, False

    def __call__(self):
        if self.done:
            return
        self.done = True
        try:
            if self.backend is not None:
                self.backend.stop()
            stop_started_backends()  # also those of tests cut short by a signal
        finally:
            if not os.environ.get("HERNE_BACKEND_KEEP"):
                shutil.rmtree(self.root, ignore_errors=True)


def _stop_on_sigterm(stop):
    """On SIGTERM stop the backend, then die of SIGTERM as before. Returns the old handler."""
    previous = signal.getsignal(signal.SIGTERM)

    def handler(signum, frame):
        stop()
        signal.signal(signum, previous if callable(previous) else signal.SIG_DFL)
        if callable(previous):
            previous(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, handler)
    return previous


@pytest.fixture(scope="session")
def city_backend():
    """A running CityBackend (URLs, ports, ``pg``, ``pg_dsn()``, ``pids``) for the whole session."""
    root = backend_root()
    stop = _StopOnce(root)
    atexit.register(stop)
    previous = _stop_on_sigterm(stop)
    try:
        stop.backend = CityBackend(_session_data(root), os.path.join(root, "backend"))
        yield stop.backend.start()
    finally:
        try:
            stop()
        finally:
            signal.signal(signal.SIGTERM, previous)
            atexit.unregister(stop)
