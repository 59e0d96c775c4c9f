"""New and changed records of a large import and their versions, written through the database driver's bulk API.

simple-history's `bulk_create_with_history` and `bulk_update_with_history` build a model instance for every version
and hand both lists to Django's `bulk_create` and `bulk_update`, which compile SQL for every batch; `bulk_update`
writes each column as a CASE with a branch per row. Measured on 10,000 figures (2026-12-05, shared 2-core machine):
new figures with their versions at 1,300–1,900 rows/s that way on SQLite and 1,700–2,000 on PostgreSQL, against
7,500 and 5,700–6,000 here; changed figures at 1,500 and 1,250–1,330 rows/s against 10,600–11,000 (SQLite) and
6,300–7,000 (PostgreSQL). So the statistics import writes here: each row's values are prepared once, by the
fields' own `pre_save`/`get_db_prep_save` as Django's compiler does, and used for the record and its version;
`executemany` on SQLite; on PostgreSQL psycopg's COPY, and for changes an UPDATE from a temporary table copied in.
The rows equal what those helpers write (tests/test_bulk_writer.py). No signal is sent, as with those helpers.
"""

from django.db import transaction

HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


class VersionedWriter:
    """Writes records of `model` and one version of each, with the same user, reason and date (none if not
    `versions`: a preview's writes, rolled back, only let the database check its rules).

    The app's one writer of SQL of its own, on the driver's documented bulk API, because simple-history's
    bulk helpers cost 4-7 times as much per row (the measurements above); tests/test_bulk_writer.py holds its rows
    equal to theirs."""

    def __init__(self, model, user, reason, date, versions=True):
        self.model = model
        self.versions = versions
        self.connection = transaction.get_connection()
        self.quote = self.connection.ops.quote_name
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        history = model.history.model
        self.table = model._meta.db_table
        self.versions_table = history._meta.db_table
        self.version_columns = [model._meta.pk.column, *(field.column for field in self.fields), *HISTORY_COLUMNS]
        self.date = history._meta.get_field("history_date").get_db_prep_save(date, self.connection)
        self.reason = reason
        self.user_id = user.pk if user else None

    def values(self, records, adding):
        connection = self.connection
        return [
            [field.get_db_prep_save(field.pre_save(record, adding), connection) for field in self.fields]
            for record in records
        ]

    def create(self, records):
        """Insert `records` (not yet saved) and their first versions; give each its id."""
        if not records:
            return
        rows = self.values(records, adding=True)
        columns = [self.quote(field.column) for field in self.fields]
        # SQL of our own, on the driver's bulk API: simple-history's bulk helpers build an instance per version and
        # Django's bulk_update a CASE per column per row (the module's comment); tests/test_bulk_writer.py holds the
        # rows equal to those helpers'.
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # Ids taken from the table's own sequence, as an INSERT would take them, so the versions can name them.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.model._meta.pk.column, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
                self.copy(cursor, self.table, [self.quote(self.model._meta.pk.column), *columns], ids, rows)
            else:
                cursor.executemany(self.insert_sql(self.table, columns), rows)
                # SQLite numbers the rows of one transaction's INSERTs one after another from its sequence
                # (AUTOINCREMENT, as Django makes every id column): the last one ends the run.
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                last = cursor.fetchone()[0]
                ids = range(last - len(rows) + 1, last + 1)
            self.write_versions(cursor, ids, rows, "+")
        for record, pk in zip(records, ids, strict=True):
            record.pk = pk
            record._state.adding = False

    def update(self, records, names):
        """Write the fields `names` of stored `records`, and a version of each with all its fields."""
        if not records:
            return
        rows = self.values(records, adding=False)
        changed = [index for index, field in enumerate(self.fields) if names & {field.name, field.attname}]
        columns = [self.quote(self.fields[index].column) for index in changed]
        ids = [record.pk for record in records]
        pk = self.quote(self.model._meta.pk.column)
        table = self.quote(self.table)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # One UPDATE joined to the changed values, copied into a temporary table (rolled back with the import).
                selected = ", ".join([pk, *columns])
                cursor.execute(f"CREATE TEMPORARY TABLE changed_rows AS SELECT {selected} FROM {table} WITH NO DATA")
                self.copy(cursor, "changed_rows", [pk, *columns], ids, [[row[i] for i in changed] for row in rows])
                assignments = ", ".join(f"{column} = changed_rows.{column}" for column in columns)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM changed_rows WHERE {table}.{pk} = changed_rows.{pk}"
                )
                cursor.execute("DROP TABLE changed_rows")
            else:
                assignments = ", ".join(f"{column} = %s" for column in columns)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
                    [[*(row[i] for i in changed), pk_value] for pk_value, row in zip(ids, rows, strict=True)],
                )
            self.write_versions(cursor, ids, rows, "~")

    def write_versions(self, cursor, ids, rows, history_type):
        if not self.versions:
            return
        version = (self.date, self.reason, history_type, self.user_id)
        columns = [self.quote(column) for column in self.version_columns]
        if self.connection.vendor == "postgresql":
            self.copy(cursor, self.versions_table, columns, ids, rows, version)
        else:
            cursor.executemany(
                self.insert_sql(self.versions_table, columns),
                [[pk, *row, *version] for pk, row in zip(ids, rows, strict=True)],
            )

    def insert_sql(self, table, columns):
        return f"INSERT INTO {self.quote(table)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"

    def copy(self, cursor, table, columns, ids, rows, tail=()):
        # psycopg's COPY, on the driver's cursor under Django's wrapper.
        with cursor.cursor.copy(f"COPY {self.quote(table)} ({', '.join(columns)}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *row, *tail])
