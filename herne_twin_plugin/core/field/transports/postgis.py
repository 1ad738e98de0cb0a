"""PostGIS: the field sync's transport straight to the asset register's tables (psycopg2, Debian's
python3-psycopg2).

``layer.source_url`` is a libpq connection string without a password (``service=herne_twin`` or
``host=... port=... dbname=...``); user and password come from the layer's authcfg (Basic) or
from libpq's own files (pg_service.conf, .pgpass). ``source_name`` is ``schema.table``.
An update is one atomic compare-and-set: ``UPDATE ... WHERE key = %s AND <each written field IS
NOT DISTINCT FROM the value read>``; no row updated means the feature changed or is gone, and
the transport reads it again to say which.
"""

import logging

from qgis.core import QgsApplication, QgsAuthMethodConfig

from ...i18n import tr
from . import base, common, expression_filter

LOGGER = logging.getLogger(__name__)

KEY_BATCH = 1000
_PG_TYPES = {
    "text": "str", "character varying": "str", "character": "str", "uuid": "str",
    "integer": "int", "bigint": "int", "smallint": "int",
    "double precision": "real", "real": "real", "numeric": "real",
    "date": "date", "timestamp without time zone": "datetime", "timestamp with time zone": "datetime",
    "boolean": "bool",
}


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.extensions
        import psycopg2.sql
    except ImportError:
        raise base.TransportError(base.NETWORK, tr(
            "PostGIS layers need the Python module psycopg2 (Debian: python3-psycopg2).")) from None
    return psycopg2


class PostgisTransport(base.FieldTransport):
    def __init__(self, layer, feedback=None, timeout_s=30.0):
        super().__init__(layer, feedback, timeout_s)
        schema, _, table = layer.source_name.rpartition(".")
        self.schema, self.table = schema or "public", table
        self._connection = None
        self._columns = None  # [(name, type)], geometry column

    # -- connection ------------------------------------------------------------------

    def _connect(self):
        if self._connection is not None and not self._connection.closed:
            return self._connection
        psycopg2 = _psycopg2()
        options = {"connect_timeout": max(1, int(self.timeout_s))}
        if self.layer.authcfg:
            config = QgsAuthMethodConfig()
            manager = QgsApplication.authManager()
            if self.layer.authcfg not in manager.configIds() or not manager.loadAuthenticationConfig(
                    self.layer.authcfg, config, True):
                raise base.TransportError(base.AUTH, tr(
                    "The authentication configuration {authcfg} could not be applied.").format(
                    authcfg=self.layer.authcfg))
            options.update(user=config.config("username"), password=config.config("password"))
        try:
            self._connection = psycopg2.connect(self.layer.source_url, **options)
        except psycopg2.OperationalError as error:
            text = str(error).strip()
            kind = base.AUTH if "password" in text or "authentication" in text else base.NETWORK
            raise base.TransportError(kind, tr("The database could not be reached: {error}").format(
                error=text.splitlines()[0] if text else "?"), server_message=text) from None
        self._connection.autocommit = False
        return self._connection

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _run(self, statement, params=(), write=False):
        """Rows of one statement in its own transaction; errors as TransportErrors."""
        psycopg2 = _psycopg2()
        if self.feedback is not None and self.feedback.isCanceled():
            raise base.TransportError(base.CANCELLED, tr("The request to the server was cancelled."))
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", (int(self.timeout_s * 1000),))
                cursor.execute(statement, params)
                rows = cursor.fetchall() if cursor.description else []
                count = cursor.rowcount
            connection.commit()
            return rows, count
        except psycopg2.Error as error:
            connection.rollback() if not connection.closed else None
            message = (getattr(error, "pgerror", None) or str(error)).strip()
            if isinstance(error, psycopg2.OperationalError):
                kind = base.TIMEOUT if "statement timeout" in message else base.NETWORK
                raise base.TransportError(kind, tr("The database connection failed: {error}").format(
                    error=message.splitlines()[0] if message else "?"), server_message=message,
                    outcome_unknown=write) from None
            raise base.TransportError(base.REJECTED, tr("The database refused the change: {error}").format(
                error=message.splitlines()[0] if message else "?"), server_message=message) from None

    def _id(self, name):
        return _psycopg2().sql.Identifier(name)

    def _table(self):
        return _psycopg2().sql.Identifier(self.schema, self.table)

    # -- schema ----------------------------------------------------------------------

    def _describe(self):
        if self._columns is None:
            rows, _ = self._run(
                "SELECT column_name, data_type, udt_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", (self.schema, self.table))
            if not rows:
                raise base.TransportError(base.SCHEMA_CHANGED, tr(
                    "The database has no table {table} any more.").format(table=self.layer.source_name))
            geometry = next((name for name, _, udt in rows if udt == "geometry"), "")
            fields = [(name, _PG_TYPES.get(data_type, "str")) for name, data_type, udt in rows if udt != "geometry"]
            self._columns = (fields, geometry)
        return self._columns

    def server_fields(self):
        return list(self._describe()[0])

    def _checked(self):
        fields, geometry = self._describe()
        problem = common.schema_problem(self.layer, fields)
        if problem is not None:
            raise problem
        return fields, geometry

    # -- reads -----------------------------------------------------------------------

    def _select(self, where, params):
        sql = _psycopg2().sql
        fields, geometry = self._checked()
        names = [name for name, _ in fields]
        columns = sql.SQL(", ").join([self._id(name) for name in names] + (
            [sql.SQL("encode(ST_AsBinary(ST_Transform({}, 25832)), 'hex')").format(self._id(geometry))]
            if geometry else [sql.SQL("NULL")]))
        statement = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY {}").format(
            columns, self._table(), sql.SQL(where), self._id(self.layer.key_column))
        rows, _ = self._run(statement, params)
        features = []
        for row in rows:
            raw = dict(zip(names, row[:-1]))
            features.append(common.make_feature(self.layer, raw, row[-1], server_id=raw.get(self.layer.key_column)))
        return features

    def _quote(self, name):
        return self._id(name).as_string(self._connect())

    def features_in_area(self, area_wkt, filter_expression=""):
        _, geometry = self._checked()
        tree = expression_filter.parse(filter_expression, self.layer.fields)
        where, params = expression_filter.to_sql(tree, self._quote)
        if area_wkt and geometry:
            where = "({}) AND ST_Intersects({}, ST_Transform(ST_GeomFromText(%s, 25832), ST_SRID({})))".format(
                where, self._quote(geometry), self._quote(geometry))
            params = list(params) + [area_wkt]
        yield from self._select(where, params)

    def features_by_key(self, keys):
        keys = sorted({str(key) for key in keys})
        found = {}
        for offset in range(0, len(keys), KEY_BATCH):
            batch = keys[offset:offset + KEY_BATCH]
            where = "{}::text = ANY(%s)".format(self._quote(self.layer.key_column))
            for feature in self._select(where, [batch]):
                found[feature.key] = feature
        return found

    # -- writes ----------------------------------------------------------------------

    def insert(self, values, geometry):
        key = common.check_key(self.layer, values)
        fields, geometry_column = self._checked()
        offered = {name for name, _ in fields}
        names = [name for name, _ in self.layer.fields if name in offered and values.get(name) is not None
                 and name != "fid"]
        columns = [self._quote(name) for name in names]
        placeholders = ["%s"] * len(names)
        params = [values[name] for name in names]
        if geometry and geometry_column:
            columns.append(self._quote(geometry_column))
            placeholders.append("ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), 25832), "
                                "Find_SRID({}, {}, {}))".format(_literal(self.schema), _literal(self.table),
                                                                _literal(geometry_column)))
            params.append(geometry)
        self._run("INSERT INTO {}.{} ({}) VALUES ({})".format(
            self._quote(self.schema), self._quote(self.table), ", ".join(columns), ", ".join(placeholders)),
            params, write=True)
        now = self.features_by_key([key]).get(key)
        if now is None:
            raise base.TransportError(base.REJECTED, tr("The database did not keep the new feature {key}.").format(
                key=key))
        return now

    def update(self, current, values, geometry=None):
        fields, geometry_column = self._checked()
        types = dict(self.layer.fields)
        changes = {name: value for name, value in values.items() if name in types and name != self.layer.key_column}
        sets, params = [], []
        for name, value in changes.items():
            sets.append("{} = %s".format(self._quote(name)))
            params.append(value)
        if geometry is not None and geometry_column:
            sets.append("{} = ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), 25832), "
                        "ST_SRID({}))".format(self._quote(geometry_column), self._quote(geometry_column)))
            params.append(geometry)
        if not sets:
            return current
        guard = ["{}::text = %s".format(self._quote(self.layer.key_column))]
        params.append(current.key)
        for name in changes:
            guard.append("{} IS NOT DISTINCT FROM %s".format(self._quote(name)))
            params.append(current.values.get(name))
        _, count = self._run("UPDATE {}.{} SET {} WHERE {}".format(
            self._quote(self.schema), self._quote(self.table), ", ".join(sets), " AND ".join(guard)), params,
            write=True)
        now = self.features_by_key([current.key]).get(current.key)
        if count == 0:
            if now is None:
                raise base.TransportError(base.NOT_FOUND, tr(
                    "The feature {key} is no longer on the server.").format(key=current.key))
            raise base.TransportError(base.PRECONDITION_FAILED, tr(
                "The feature {key} was changed on the server since it was read.").format(key=current.key))
        return now

    def delete(self, current):
        _, count = self._run("DELETE FROM {}.{} WHERE {}::text = %s".format(
            self._quote(self.schema), self._quote(self.table), self._quote(self.layer.key_column)),
            [current.key], write=True)
        if count == 0:
            raise base.TransportError(base.NOT_FOUND, tr(
                "The feature {key} is no longer on the server.").format(key=current.key))


def _literal(text):
    return "'{}'".format(str(text).replace("'", "''"))
