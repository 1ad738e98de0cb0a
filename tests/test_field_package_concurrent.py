"""A package of two WFS layers read side by side from the local backend (two qgis_mapserver
processes behind the front): the same features as one request at a time, and a cancel in the
middle of the concurrent read leaves no package and no request behind."""

import os
import sqlite3
import threading

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


class GetFeatures:
    """Records the GetFeature requests the WFS transports send (hits and reads), the reads they
    plan and every request thread made, per layer."""

    def __init__(self, monkeypatch):
        self.sent, self.threads, self.plans = [], [], []
        send, request_init, plan = wfst.WfsTransport._send, wfst._Request.__init__, wfst.WfsTransport._plan

        def recording_send(transport, method, body=None, params=None, max_bytes=None, **kwargs):
            if body and "GetFeature" in body:
                self.sent.append((transport.layer.source_name, "hits" if 'resultType="hits"' in body else "read",
                                  body))
            return send(transport, method, body, params, **({"max_bytes": max_bytes} if max_bytes else {}))

        def recording_init(request, transport, body):
            self.threads.append(request)
            request_init(request, transport, body)

        def recording_plan(transport, *args):
            self.plans.append((transport.layer.source_name, threading.current_thread() is threading.main_thread()))
            return plan(transport, *args)

        monkeypatch.setattr(wfst.WfsTransport, "_plan", recording_plan)
        monkeypatch.setattr(wfst.WfsTransport, "_send", recording_send)
        monkeypatch.setattr(wfst._Request, "__init__", recording_init)

    def of(self, table, kind):
        return [body for name, what, body in self.sent if name == table and what == kind]


KEYS = {"street_lights": "light_uuid", "building_footprints": "building_id"}


def test_the_reads_the_precheck_started_are_taken_over_each_strip_asked_for_once(qgis_app, city_backend, tmp_path,
                                                                                 strips, monkeypatch):
    """Each server is asked for a layer's strips as soon as it has counted the layer; the copy
    takes those reads over: every layer counted once, every strip asked for once, the same rows
    as a package whose copy asks for everything itself."""
    area = pk.district_area(districts_layer(city_backend), DISTRICT)
    watch = GetFeatures(monkeypatch)
    ahead = pk.make_package(wfs_layers(city_backend), area, output_dir=str(tmp_path), name="voraus",
                            key_columns=KEYS, inspection_target=None)
    for table in TABLES:
        # planned once, in the pre-check's counting thread, not again by the copy
        assert [in_main for name, in_main in watch.plans if name == table] == [False], table
        counts, reads = watch.of(table, "hits"), watch.of(table, "read")
        assert len(set(counts)) == len(counts), table  # (a district is counted exactly, then by its box)
        assert len(reads) > 1 and len(set(reads)) == len(reads), table  # strips, none asked for twice
    assert all(thread.isFinished() for thread in watch.threads)
    monkeypatch.setattr(pk, "ReadsAhead", lambda timeout_s: None)
    itself = pk.make_package(wfs_layers(city_backend), area, output_dir=str(tmp_path), name="selbst",
                             key_columns=KEYS, inspection_target=None)
    for table in TABLES:
        assert ahead.feature_counts[table] == itself.feature_counts[table] > 150
        assert rows(ahead.gpkg_path, table) == rows(itself.gpkg_path, table)


def test_a_blocking_precheck_drops_the_reads_it_started_and_leaves_nothing(qgis_app, city_backend, tmp_path, strips,
                                                                          monkeypatch):
    area = pk.district_area(districts_layer(city_backend), DISTRICT)
    watch = GetFeatures(monkeypatch)
    layers = wfs_layers(city_backend)
    with pytest.raises(pk.PackageError) as refused:
        # the lights pass, the footprints have no column "no_such_key": blocking
        pk.make_package(layers, area, output_dir=str(tmp_path), name="abgelehnt", inspection_target=None,
                        key_columns={"street_lights": "light_uuid", "building_footprints": "no_such_key"})
    assert "no_such_key" in str(refused.value)
    assert watch.of("street_lights", "hits") and watch.threads  # the lights were counted and read ahead
    assert all(thread.isFinished() for thread in watch.threads), "a read ahead still runs"
    assert not wfst._gate(city_backend.wfs_url)._waiting, "a request still waits for its turn"
    assert os.listdir(str(tmp_path)) == []


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
