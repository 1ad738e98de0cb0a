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

    # Each write as one statement (sql, params); None where there is nothing to write.

    def _insert_sql(self, values, geometry):
        common.check_key(self.layer, values)
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
        return "INSERT INTO {}.{} ({}) VALUES ({})".format(
            self._quote(self.schema), self._quote(self.table), ", ".join(columns), ", ".join(placeholders)), params

    def _update_sql(self, current, values, geometry):
        """The compare-and-set UPDATE: written only where every written field still holds the
        value read as ``current``."""
        _, geometry_column = self._checked()
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
            return None
        guard = ["{}::text = %s".format(self._quote(self.layer.key_column))]
        params.append(current.key)
        for name in changes:
            guard.append("{} IS NOT DISTINCT FROM %s".format(self._quote(name)))
            params.append(current.values.get(name))
        return "UPDATE {}.{} SET {} WHERE {}".format(
            self._quote(self.schema), self._quote(self.table), ", ".join(sets), " AND ".join(guard)), params

    def _delete_sql(self, current):
        return "DELETE FROM {}.{} WHERE {}::text = %s".format(
            self._quote(self.schema), self._quote(self.table), self._quote(self.layer.key_column)), [current.key]

    def _outcome(self, op, key, count, now):
        """The result of one write from its row count and the feature read afterwards."""
        if op == "insert":
            if now is None:
                return base.TransportError(base.REJECTED, tr(
                    "The database did not keep the new feature {key}.").format(key=key))
            return now
        if count == 0:
            if now is None:
                return base.TransportError(base.NOT_FOUND, tr(
                    "The feature {key} is no longer on the server.").format(key=key))
            if op == "update":
                return base.TransportError(base.PRECONDITION_FAILED, tr(
                    "The feature {key} was changed on the server since it was read.").format(key=key))
        return now if op == "update" else None

    def _single(self, op, key, statement):
        if statement is None:
            return None
        _, count = self._run(statement[0], statement[1], write=True)
        result = self._outcome(op, key, count, self.features_by_key([key]).get(key))
        if isinstance(result, base.TransportError):
            raise result
        return result

    def insert(self, values, geometry):
        key = common.check_key(self.layer, values)
        return self._single("insert", key, self._insert_sql(values, geometry))

    def update(self, current, values, geometry=None):
        result = self._single("update", current.key, self._update_sql(current, values, geometry))
        return current if result is None else result

    def delete(self, current):
        self._single("delete", current.key, self._delete_sql(current))

    def write_batch(self, operations):
        """Every operation in one database transaction, each behind a savepoint: a refused one
        (a constraint) is rolled back alone and reported with the database's reason."""
        if len(operations) <= 1:
            return super().write_batch(operations)
        psycopg2 = _psycopg2()
        statements, refused = [], {}
        for index, operation in enumerate(operations):
            try:
                if operation.op == "insert":
                    statements.append(self._insert_sql(operation.values, operation.geometry))
                elif operation.op == "update":
                    statements.append(self._update_sql(operation.current, operation.values or {}, operation.geometry))
                else:
                    statements.append(self._delete_sql(operation.current))
            except base.TransportError as error:
                if error.kind != base.REJECTED:
                    return [error] * len(operations)
                statements.append(None)
                refused[index] = error
        counts = {}
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", (int(self.timeout_s * 1000) * 4,))
                for index, statement in enumerate(statements):
                    if statement is None:
                        continue
                    cursor.execute("SAVEPOINT hernetwin_write")
                    try:
                        cursor.execute(statement[0], statement[1])
                        counts[index] = cursor.rowcount
                        cursor.execute("RELEASE SAVEPOINT hernetwin_write")
                    except psycopg2.IntegrityError as error:
                        cursor.execute("ROLLBACK TO SAVEPOINT hernetwin_write")
                        message = (error.pgerror or str(error)).strip()
                        refused[index] = base.TransportError(base.REJECTED, tr(
                            "The database refused the change: {error}").format(
                            error=message.splitlines()[0] if message else "?"), server_message=message)
            connection.commit()
        except psycopg2.Error as error:
            if not connection.closed:
                connection.rollback()
            message = (getattr(error, "pgerror", None) or str(error)).strip()
            unknown = isinstance(error, psycopg2.OperationalError)  # the commit may have happened
            failure = base.TransportError(base.NETWORK if unknown else base.REJECTED, tr(
                "The database connection failed: {error}").format(error=message.splitlines()[0] if message else "?"),
                server_message=message, outcome_unknown=unknown)
            return [failure] * len(operations)
        now = self.features_by_key([operation.key for operation in operations])
        results = []
        for index, operation in enumerate(operations):
            if index in refused:
                results.append(refused[index])
            elif statements[index] is None:
                results.append(operation.current if operation.op == "update" else None)
            else:
                results.append(self._outcome(operation.op, operation.key, counts.get(index, 0),
                                             now.get(operation.key)))
        return results


def _literal(text):
    return "'{}'".format(str(text).replace("'", "''"))
