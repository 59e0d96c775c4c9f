"""The tables search reads (each record type with a search text), indexed by migrations 0021 and 0022.
Fixed here as they were then: a migration never reads today's models."""

SEARCHED_TABLES = [
    "relations_country",
    "relations_place",
    "relations_person",
    "relations_topic",
    "relations_relationship",
    "relations_milestone",
    "relations_mission",
    "relations_organization",
    "relations_indicator",
    "relations_visit",
    "relations_council",
    "relations_councilmeeting",
]


def make_sqlite_indexes(apps, schema_editor):
    """On SQLite, an FTS5 table of trigrams per searched table, kept by triggers. Safe to run again: a migration
    that rebuilds a searched table (SQLite alters a column by copying the table) drops its triggers, and runs
    this after to make them again and refill the index."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCHED_TABLES:
        index = f"{table}_search"
        forget = f"INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
        learn = f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text);"
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5(search_text, content='{table}', "
            "content_rowid='id', tokenize='trigram')"
        )
        schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} BEGIN {learn} END")
        schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN {forget} END")
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE OF search_text ON {table} BEGIN {forget} {learn} END"
        )
        schema_editor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def drop_sqlite_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in SEARCHED_TABLES:
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_search")
