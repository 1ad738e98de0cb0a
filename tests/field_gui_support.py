"""A small field package (street lights, a basemap raster, the manifest) and a stand-in of the
sync engine's API for the field dialog tests (the dialogs take the API as ``sync_api``).

The conflict dialog is made without a parent in the tests: a map canvas that rendered as a
child of pytest-qgis's main window crashed the test process when it exited (after all tests
passed), also after the dialog was deleted.
"""

import datetime
import sqlite3
from dataclasses import dataclass, field
from typing import Any, List, Optional

from osgeo import gdal, ogr, osr

from herne_twin_plugin.core.field import manifest
from herne_twin_plugin.core.field.merge import DELETE_VS_EDIT, WHOLE_FEATURE, FieldConflict

LIGHT_FIELDS = (("light_uuid", "str"), ("street", "str"), ("wattage_w", "int"), ("mast_height_m", "real"),
                ("last_inspection", "date"))
ORIGIN = (369400.0, 5713500.0)  # Herne-Mitte


def point_wkb(x, y):
    return ogr.CreateGeometryFromWkt("POINT ({} {})".format(x, y)).ExportToWkb().hex()


def make_package(folder, name="mitte", lights=6, basemap=True):
    """<folder>/<name>/<name>.gpkg with street_lights, a basemap raster and the manifest."""
    package_dir = folder / name
    package_dir.mkdir(parents=True)
    gpkg = str(package_dir / (name + ".gpkg"))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg)
    layer = source.CreateLayer("street_lights", srs, ogr.wkbPoint)
    kinds = {"str": ogr.OFTString, "int": ogr.OFTInteger, "real": ogr.OFTReal, "date": ogr.OFTDate}
    for field_name, field_type in LIGHT_FIELDS:
        layer.CreateField(ogr.FieldDefn(field_name, kinds[field_type]))
    for index in range(lights):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("light_uuid", "light-{:04d}".format(index))
        feature.SetField("street", "Bahnhofstraße")
        feature.SetField("wattage_w", 40 + index)
        feature.SetField("mast_height_m", 6.0)
        feature.SetField("last_inspection", "2025-05-0{}".format(1 + index % 9))
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT ({} {})".format(ORIGIN[0] + 20 * index, ORIGIN[1])))
        layer.CreateFeature(feature)
    source = None
    layers = [manifest.PackageLayer(
        table_name="street_lights", role=manifest.ROLE_ASSET, source_kind=manifest.SOURCE_WFS,
        source_url="http://127.0.0.1:9/wfs", source_name="street_lights", source_version="2.0.0",
        key_column="light_uuid", geometry_type="Point", fields=LIGHT_FIELDS, writable=True,
        title="Straßenleuchten")]
    if basemap:
        raster = gdal.GetDriverByName("MEM").Create("", 64, 64, 3, gdal.GDT_Byte)
        raster.SetGeoTransform((ORIGIN[0] - 200, 6.25, 0, ORIGIN[1] + 200, 0, -6.25))
        raster.SetProjection(srs.ExportToWkt())
        for band, value in ((1, 230), (2, 225), (3, 200)):
            raster.GetRasterBand(band).Fill(value)
        gdal.GetDriverByName("GPKG").CreateCopy(
            gpkg, raster, options=["RASTER_TABLE=basemap", "APPEND_SUBDATASET=YES"])
        raster = None
        layers.append(manifest.PackageLayer(table_name="basemap", role=manifest.ROLE_BASEMAP, title="Grundkarte"))
    connection = sqlite3.connect(gpkg)
    with connection:
        manifest.write(connection, manifest.PackageManifest(
            package_id="pkg-mitte", title="Herne-Mitte", created_at="2026-11-26T08:00:00Z", layers=layers,
            area_wkt="POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))".format(
                x0=ORIGIN[0] - 200, y0=ORIGIN[1] - 200, x1=ORIGIN[0] + 200, y1=ORIGIN[1] + 200)))
    connection.close()
    return gpkg


@dataclass
class OpenConflict:
    table: str
    key: str
    conflicts: List[FieldConflict]
    base: Optional[dict] = None
    mine: Optional[dict] = None
    theirs: Optional[dict] = None
    base_geometry: Optional[str] = None
    mine_geometry: Optional[str] = None
    theirs_geometry: Optional[str] = None


@dataclass
class Receipt:
    sync_id: str
    table: str
    key: str
    op: str
    outcome: str
    message: str = ""
    at: str = ""


@dataclass
class LayerPlan:
    table: str
    pushes: List[Any] = field(default_factory=list)
    pulls: List[Any] = field(default_factory=list)
    conflicts: List[Any] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


@dataclass
class FeatureAction:
    table: str
    key: str
    action: str
    op: str
    outcome: str
    message: str = ""
    fields: tuple = ()


@dataclass
class SyncPlan:
    layers: List[LayerPlan]
    actions: List[FeatureAction] = field(default_factory=list)


class FakeSync:
    """The sync engine's API over in-memory conflicts and receipts; records every call."""

    def __init__(self, conflicts=(), receipts=(), plan=None):
        self.conflicts = list(conflicts)
        self.receipt_list = list(receipts)
        self.plan = plan
        self.calls = []

    def open_conflicts(self, package):
        self.calls.append(("open_conflicts", package))
        return list(self.conflicts)

    def resolve_conflict(self, package, table, key, choices):
        self.calls.append(("resolve_conflict", package, table, key, dict(choices)))
        self.conflicts = [c for c in self.conflicts if (c.table, c.key) != (table, key)]

    def plan_sync(self, package, transport_factory=None, feedback=None):
        self.calls.append(("plan_sync", package))
        if feedback is not None:
            feedback.setProgress(50)  # from the worker thread, as the engine does
        if isinstance(self.plan, Exception):
            raise self.plan
        return self.plan

    def receipts(self, package, sync_id=None):
        self.calls.append(("receipts", package, sync_id))
        return [r for r in self.receipt_list if sync_id is None or r.sync_id == sync_id]


def edit_conflict(key="light-0002"):
    """Wattage and position edited differently here and on the server; the street only here."""
    base = {"light_uuid": key, "street": "Bahnhofstraße", "wattage_w": 42, "mast_height_m": 6.0,
            "last_inspection": "2025-05-03"}
    mine = dict(base, wattage_w=35, street="Bahnhofstr.", last_inspection="2026-11-20")
    theirs = dict(base, wattage_w=50, last_inspection="2026-11-02")
    return OpenConflict(
        table="street_lights", key=key,
        conflicts=[FieldConflict("wattage_w", 42, 35, 50),
                   FieldConflict("last_inspection", "2025-05-03", "2026-11-20", "2026-11-02"),
                   FieldConflict("@geometry", point_wkb(ORIGIN[0] + 40, ORIGIN[1]),
                                 point_wkb(ORIGIN[0] + 43, ORIGIN[1] + 5), point_wkb(ORIGIN[0] + 36, ORIGIN[1] - 6))],
        base=base, mine=mine, theirs=theirs,
        base_geometry=point_wkb(ORIGIN[0] + 40, ORIGIN[1]),
        mine_geometry=point_wkb(ORIGIN[0] + 43, ORIGIN[1] + 5),
        theirs_geometry=point_wkb(ORIGIN[0] + 36, ORIGIN[1] - 6))


def delete_conflict(key="light-0004"):
    """Deleted on the server, edited (and moved by a metre) here."""
    base = {"light_uuid": key, "street": "Bahnhofstraße", "wattage_w": 44, "mast_height_m": 6.0,
            "last_inspection": "2025-05-05"}
    mine = dict(base, mast_height_m=8.5)
    return OpenConflict(
        table="street_lights", key=key,
        conflicts=[FieldConflict(WHOLE_FEATURE, dict(base, **{"@geometry": point_wkb(ORIGIN[0] + 80, ORIGIN[1])}),
                                 dict(mine, **{"@geometry": point_wkb(ORIGIN[0] + 81, ORIGIN[1])}), None,
                                 DELETE_VS_EDIT)],
        base=base, mine=mine, theirs=None,
        base_geometry=point_wkb(ORIGIN[0] + 80, ORIGIN[1]), mine_geometry=point_wkb(ORIGIN[0] + 81, ORIGIN[1]))


def now_iso(minutes=0):
    moment = datetime.datetime(2026, 11, 26, 9, 0) + datetime.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

