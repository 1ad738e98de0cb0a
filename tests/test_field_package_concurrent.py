"""A package of two WFS layers read side by side from the local backend (two qgis_mapserver
processes behind the front): the same features as one request at a time, and a cancel in the
middle of the concurrent read leaves no package and no request behind."""

import os
import sqlite3

import pytest
from qgis.core import QgsFeedback, QgsVectorLayer
from test_field_package import DISTRICT, districts_layer

from herne_twin_plugin.core.field import package as pk
from herne_twin_plugin.core.field.transports import wfst

TABLES = ("street_lights", "building_footprints")


def wfs_layers(backend):
    return [QgsVectorLayer("url='{}' typename='{}' version='1.1.0' srsname='EPSG:25832'".format(
        backend.wfs_url, table), table, "WFS") for table in TABLES]


def rows(gpkg, table):
    connection = sqlite3.connect(gpkg)
    try:
        return sorted(connection.execute("SELECT * FROM {}".format(table)).fetchall(), key=repr)
    finally:
        connection.close()


@pytest.fixture
def strips(monkeypatch):
    """Small strips, so the district's layers are read as several requests each."""
    monkeypatch.setattr(wfst, "STRIP_FEATURES", 150)
    monkeypatch.setattr(wfst, "_GATES", {})


def test_two_layers_read_side_by_side_hold_what_one_request_at_a_time_reads(qgis_app, city_backend, tmp_path,
                                                                            strips, monkeypatch):
    area = pk.district_area(districts_layer(city_backend), DISTRICT)
    made = {}
    for connections in (1, 2):
        monkeypatch.setattr(wfst, "CONNECTIONS", connections)
        monkeypatch.setattr(wfst, "_GATES", {})
        made[connections] = pk.make_package(wfs_layers(city_backend), area, output_dir=str(tmp_path),
                                            name="verbindungen_{}".format(connections), key_columns={
                                                "street_lights": "light_uuid", "building_footprints": "building_id"},
                                            inspection_target=None)
    for table in TABLES:
        assert made[2].feature_counts[table] > 150  # read in several strips
        assert made[2].feature_counts[table] == made[1].feature_counts[table]
        assert rows(made[2].gpkg_path, table) == rows(made[1].gpkg_path, table)


def test_a_cancel_in_the_middle_of_the_concurrent_read_leaves_no_package(qgis_app, city_backend, tmp_path, strips):
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda progress: progress > 6 and feedback.cancel())
    with pytest.raises(pk.PackageCancelled):
        pk.make_package(wfs_layers(city_backend), pk.district_area(districts_layer(city_backend), DISTRICT),
                        output_dir=str(tmp_path), name="abgebrochen", feedback=feedback, inspection_target=None,
                        key_columns={"street_lights": "light_uuid", "building_footprints": "building_id"})
    assert os.listdir(str(tmp_path)) == []
    gate = wfst._gate(city_backend.wfs_url)
    assert not gate._waiting, "a request still waits for its turn"


def _group(leader):
    """Pids in the process group ``leader`` leads, with their command names."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/{}/stat".format(name)) as stat:
                    command, rest = stat.read().rsplit(")", 1)
                if int(rest.split()[2]) == leader and rest.split()[0] != "Z":
                    found[int(name)] = command.partition("(")[2]
            except (OSError, IndexError):
                continue
    return found


@pytest.mark.backend
def test_two_mapservers_answer_side_by_side_and_one_ending_ends_the_group(city_backend):
    import threading
    import time

    from backend.processes import http_request, is_running
    from city_backend import CityBackend, stop_backend

    backend_dir = os.path.join(os.path.dirname(city_backend.backend_dir), "two_mapservers")
    try:
        with CityBackend(city_backend.data_dir, backend_dir) as backend:
            leader = backend.pids["qgis_server"]
            mapservers = [pid for pid, name in _group(leader).items() if name == "qgis_mapserver"]
            assert len(mapservers) == 2
            url = backend.wfs_url + "?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=building_footprints"
            threads = [threading.Thread(target=http_request, args=(url,), kwargs={"timeout": 60}) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with open(os.path.join(backend.state["logs"], "qgis_server.log"), errors="replace") as log:
                answered = log.read()
            assert all("Server[{}]".format(pid) in answered for pid in mapservers), "one mapserver answered all"
            os.kill(mapservers[1], 15)
            deadline = time.monotonic() + 20
            while (is_running(leader) or is_running(mapservers[0])) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not is_running(leader) and not is_running(mapservers[0]), "half a QGIS Server left running"
    finally:
        stop_backend(backend_dir)
