"""Search reads `search_text LIKE '%word%'` on every searchable table: on PostgreSQL a trigram index (pg_trgm,
created by 0020) answers that without reading the whole table. SQLite's index is 0022's."""

from django.db import migrations

from relations.migrations._search_tables import SEARCHED_TABLES


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0020_search_by_other_names_and_typos"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
