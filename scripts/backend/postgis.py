"""PostgreSQL 15 + PostGIS: the city's asset register.

A private cluster in ``<backend dir>/pgdata`` on 127.0.0.1:<port>, its socket in
``<backend dir>/run``. PostgreSQL refuses to run as root, so when we are root
the server programs run as the ``postgres`` system user (``runuser``). Services
log in over TCP as the role ``herne_twin`` with a password generated at start;
the password lives only in the state file and in ``pgpass`` (both 0600).
"""

import json
import os
import shutil
import subprocess
import tempfile

from . import processes
from .processes import BackendError

PG_BIN = os.environ.get("HERNE_PG_BIN", "/usr/lib/postgresql/15/bin")
DATABASE = "herne"
SCHEMA = "assets"
ROLE = "herne_twin"
SERVICE = "herne_twin"
SUPERUSER = "postgres"
SYSTEM_USER = "postgres"

# The stable key of each table a field package syncs (the sync finds features by it).
STABLE_KEYS = {"street_lights": "light_uuid", "sensor_stations": "station_id",
               "building_footprints": "building_id", "inspections": "inspection_uuid"}

# Inspections made in the field (issue 5): created empty, filled by the field sync.
INSPECTIONS_DDL = """
CREATE TABLE {schema}.inspections (
    fid serial PRIMARY KEY,
    geom geometry(Point, 25832),
    inspection_uuid text NOT NULL,
    asset_layer text,
    asset_key text,
    inspected_at text,
    inspector text,
    condition integer CHECK (condition BETWEEN 1 AND 5),
    defects text,
    notes text,
    photos text,
    status text CHECK (status IN ('open', 'done'))
);
CREATE INDEX inspections_geom_geom_idx ON {schema}.inspections USING GIST (geom);
"""

# A scratch database: durability only costs time here.
_SERVER_SETTINGS = """
# --- Herne Digital Twin local backend ---
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
log_min_messages = warning
"""

# Unix socket paths are limited to 107 bytes; deep checkouts get a socket in /tmp.
_SOCKET_PATH_LIMIT = 100


def _as_postgres(argv):
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--"] + argv
    return argv


def _give_to_postgres(path):
    if os.geteuid() == 0:
        shutil.chown(path, SYSTEM_USER, SYSTEM_USER)


def _check_reachable_by_postgres(path):
    """A clear error instead of initdb's "permission denied" for a dir the
    postgres user cannot enter (e.g. below a 0700 home or pytest temp dir)."""
    if os.geteuid() != 0:
        return
    probe = ["runuser", "-u", SYSTEM_USER, "--", "test", "-x", path]
    if subprocess.run(probe, check=False).returncode != 0:
        raise BackendError(
            "the postgres system user cannot enter {}: choose a backend dir whose parents are "
            "world-executable (e.g. build/backend or a dir under /tmp with mode 0755)".format(path)
        )


def read_postmaster(pgdata):
    """(pid, start time) from ``<pgdata>/postmaster.pid``, None if there is no running server."""
    try:
        with open(os.path.join(pgdata, "postmaster.pid"), encoding="ascii") as pidfile:
            pid = int(pidfile.readline().strip())
    except (OSError, ValueError):
        return None
    started = processes.start_time(pid)
    return (pid, started) if started is not None else None


class CityDatabase:
    """The PostGIS cluster of one backend dir."""

    def __init__(self, backend_dir, port, password):
        self.backend_dir = backend_dir
        self.port = port
        self.password = password
        self.pgdata = os.path.join(backend_dir, "pgdata")
        self.log_path = os.path.join(backend_dir, "logs", "postgres.log")
        self.socket_dir = os.path.join(backend_dir, "run")
        if len(os.path.join(self.socket_dir, ".s.PGSQL.{}".format(port))) > _SOCKET_PATH_LIMIT:
            self.socket_dir = tempfile.mkdtemp(prefix="herne-pg-")
        self.pgpass_path = os.path.join(backend_dir, "pgpass")
        self.service_path = os.path.join(backend_dir, "pg_service.conf")

    # -- connection pieces -------------------------------------------------

    def dsn(self):
        return {
            "host": processes.LOCALHOST,
            "port": self.port,
            "dbname": DATABASE,
            "user": ROLE,
            "password": self.password,
            "schema": SCHEMA,
            "service": SERVICE,
            "service_file": self.service_path,
            "pgpass_file": self.pgpass_path,
            "socket_dir": self.socket_dir,
            "pgdata": self.pgdata,
        }

    def client_env(self):
        """Environment for a libpq client (psql, ogr2ogr, QGIS) logging in as the service role."""
        env = dict(os.environ)
        env.update(PGSERVICEFILE=self.service_path, PGPASSFILE=self.pgpass_path)
        env.pop("PGPASSWORD", None)
        return env

    def _superuser_sql(self, sql, database=DATABASE, what="SQL as superuser"):
        # SQL goes in on stdin: the role's password never shows in a process list.
        argv = [
            os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", self.socket_dir, "-p", str(self.port), "-U", SUPERUSER, "-d", database,
        ]
        return processes.run(argv, what, input=sql, cwd=self.backend_dir)

    def query(self, sql, what="query"):
        """Rows (lists of strings) of ``sql`` run as the service role over TCP."""
        argv = [os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                "ON_ERROR_STOP=1", "service={}".format(SERVICE)]
        output = processes.run(argv, what, env=self.client_env(), input=sql)
        return [line.split("\t") for line in output.splitlines() if line]

    # -- life cycle --------------------------------------------------------

    def start_server(self):
        """initdb and start the server (``postmaster()`` then tells its pid)."""
        _check_reachable_by_postgres(self.backend_dir)
        for path in (self.pgdata, self.socket_dir):
            os.makedirs(path, exist_ok=True)
            os.chmod(path, 0o700)
            _give_to_postgres(path)
        open(self.log_path, "a").close()
        _give_to_postgres(self.log_path)
        processes.run(
            _as_postgres([
                os.path.join(PG_BIN, "initdb"), "-D", self.pgdata, "-U", SUPERUSER, "-E", "UTF8",
                "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
            ]),
            "initdb", cwd=self.backend_dir,
        )
        with open(os.path.join(self.pgdata, "postgresql.conf"), "a", encoding="utf-8") as conf:
            conf.write(_SERVER_SETTINGS.format(port=self.port, socket_dir=self.socket_dir))
        processes.run(
            _as_postgres([
                os.path.join(PG_BIN, "pg_ctl"), "start", "-D", self.pgdata, "-l", self.log_path,
                "-w", "-t", "30",
            ]),
            "PostgreSQL start (log {})".format(self.log_path), cwd=self.backend_dir, timeout=60,
        )

    def create_database(self):
        """The service role, database ``herne`` with PostGIS, schema ``assets``, and the client files."""
        self._superuser_sql(
            "CREATE ROLE {role} LOGIN PASSWORD '{password}';\n"
            "CREATE DATABASE {db} OWNER {role};\n".format(role=ROLE, password=self.password, db=DATABASE),
            database="postgres", what="create role and database",
        )
        self._superuser_sql(
            "CREATE EXTENSION postgis;\nCREATE SCHEMA {schema} AUTHORIZATION {role};\n".format(
                schema=SCHEMA, role=ROLE
            ),
            what="create PostGIS extension and schema",
        )
        self._write_client_files()

    def _write_client_files(self):
        service = "[{}]\nhost={}\nport={}\ndbname={}\nuser={}\n".format(
            SERVICE, processes.LOCALHOST, self.port, DATABASE, ROLE
        )
        pgpass = "{}:{}:{}:{}:{}\n".format(processes.LOCALHOST, self.port, DATABASE, ROLE, self.password)
        for path, text in ((self.service_path, service), (self.pgpass_path, pgpass)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)

    def postmaster(self):
        """(pid, start time) of the running server."""
        found = read_postmaster(self.pgdata)
        if found is None:
            raise BackendError("PostgreSQL wrote no postmaster.pid. Log {}:\n{}".format(
                self.log_path, processes.log_tail(self.log_path)))
        return found

    # -- data --------------------------------------------------------------

    def load_geopackage(self, gpkg_path):
        """Copy every layer of the GeoPackage into ``assets.<layer>`` (EPSG kept,
        key ``fid``, geometry ``geom``); return the loaded tables' descriptions."""
        if not os.path.isfile(gpkg_path):
            raise BackendError("sample GeoPackage not found: {}".format(gpkg_path))
        processes.run(
            [
                "ogr2ogr", "-f", "PostgreSQL", "PG:service={}".format(SERVICE), gpkg_path,
                "-lco", "SCHEMA={}".format(SCHEMA), "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
                "-lco", "SPATIAL_INDEX=GIST", "-preserve_fid",
            ],
            "ogr2ogr {} -> PostGIS".format(gpkg_path), env=self.client_env(), timeout=600,
        )
        self.create_field_tables()
        tables = self.describe_tables()
        if not tables:
            raise BackendError("{} holds no layer that could be loaded".format(gpkg_path))
        # fid values came from the GeoPackage: move each sequence past them so
        # the services' inserts get fresh keys.
        self.query("".join(
            "SELECT setval(pg_get_serial_sequence('{s}.{t}', 'fid'), "
            "GREATEST(COALESCE(MAX(fid), 0), 1)) FROM {s}.{t};\n".format(s=SCHEMA, t=table["name"])
            for table in tables
        ), "advance key sequences")
        return tables

    def create_field_tables(self):
        """The empty ``inspections`` table the field inspectors' packages push to, and a
        unique index on each asset table's stable key (a second insert of the same
        client UUID fails on the server instead of making a duplicate)."""
        self.query(INSPECTIONS_DDL.format(schema=SCHEMA), "create the inspections table")
        present = {row[0] for row in self.query(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = '{}';".format(SCHEMA), "list columns")}
        self.query("".join(
            "CREATE UNIQUE INDEX {t}_{k}_key ON {s}.{t} ({k});\n".format(s=SCHEMA, t=table, k=key)
            for table, key in STABLE_KEYS.items() if "{}.{}".format(table, key) in present
        ) or "SELECT 1;", "unique stable keys")

    def describe_tables(self):
        """Tables of schema ``assets``: name, geometry column/type/srid (None for
        attribute tables), row count, and extent in the table's CRS and in WGS 84."""
        rows = self.query(
            "SELECT t.table_name, g.f_geometry_column, g.type, g.srid FROM information_schema.tables t "
            "LEFT JOIN geometry_columns g ON g.f_table_schema = t.table_schema "
            "AND g.f_table_name = t.table_name "
            "WHERE t.table_schema = '{}' AND t.table_type = 'BASE TABLE' ORDER BY t.table_name;".format(SCHEMA),
            "list loaded tables",
        )
        tables = []
        for name, geometry_column, geometry_type, srid in rows:
            table = {"name": name, "geometry_column": geometry_column or None,
                     "geometry_type": geometry_type or None, "srid": int(srid) if srid else None}
            sql = "SELECT json_build_object('rows', count(*)"
            if geometry_column:
                sql += (
                    ", 'extent', (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) "
                    "FROM (SELECT ST_Extent({g}) AS e FROM {s}.{t}) x), "
                    "'extent_wgs84', (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) "
                    "FROM (SELECT ST_Extent(ST_Transform({g}, 4326)) AS e FROM {s}.{t}) y)"
                ).format(g=geometry_column, s=SCHEMA, t=name)
            sql += ") FROM {}.{};".format(SCHEMA, name)
            table.update(json.loads(self.query(sql, "describe {}".format(name))[0][0]))
            for extent in ("extent", "extent_wgs84"):  # an empty table has no extent
                if table.get(extent) and None in table[extent]:
                    table[extent] = None
            tables.append(table)
        return tables

    # -- stop ----------------------------------------------------------------

    @staticmethod
    def stop(pgdata, pid, started):
        """``pg_ctl stop -m fast``; if that fails or the data dir is gone, SIGTERM/SIGKILL by pid."""
        if not processes.is_running(pid, started):
            return
        if os.path.isfile(os.path.join(pgdata, "postmaster.pid")):
            try:
                processes.run(
                    _as_postgres([os.path.join(PG_BIN, "pg_ctl"), "stop", "-D", pgdata, "-m", "fast",
                                  "-w", "-t", "20"]),
                    "PostgreSQL stop", cwd="/", timeout=40,
                )
            except BackendError:
                pass  # fall through to signals
        processes.stop_process(pid, started)
