"""Rows per second of a statistics CSV import through the admin's resource, beside the floors of the same rows.

    python benchmarks/import_statistics.py [--rows 10000] [--json]

In one run: the floors (Django's bulk_create; simple-history's bulk_create_with_history; the driver's bulk API,
executemany on SQLite and COPY on PostgreSQL, writing the figures and their versions), each from the same emptied
database; then the import of new rows, of the same file again (unchanged rows) and of the file with every value
changed, and the preview (a dry run) of new and of changed rows. The background issue's goals are ratios of these.

Runs in a scratch SQLite database of its own unless BENCH_DATABASE_URL names
another (a PostgreSQL database that may be emptied).
"""

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="relations-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from import_export.results import RowResult  # noqa: E402

from benchmarks.statistics_rows import CHANGE_REASON, export_files, measure_floors, prepare  # noqa: E402
from relations import models as records  # noqa: E402
from relations.formats import read_dataset  # noqa: E402
from relations.resources import StatisticResource, describe_errors, import_file  # noqa: E402

# The goals: {ratio: (numerator, denominator, goal)}.
GOALS = {
    "new_vs_history": ("new_rate", "history_rate", 0.75),
    "unchanged_vs_history": ("unchanged_rate", "history_rate", 1.0),
    "changed_vs_new": ("changed_rate", "new_rate", 0.5),
}


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.statements = collections.Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.statements[sql[:120]] += 1
        return execute(sql, params, many, context)


def timed_import(data, user, expected, dry_run=False):
    """Seconds and queries of importing `data` as the admin's resource does, every row of the kind `expected`."""
    dataset = read_dataset(data, "csv")
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        result = import_file(StatisticResource, dataset, dry_run=dry_run, user=user, change_reason=CHANGE_REASON)
        seconds = time.perf_counter() - started
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for statement, count in queries.statements.most_common(8):
            print(f"{count:8d}  {statement}")
    problems = describe_errors(result)
    if problems:
        raise SystemExit("\n".join(problems[:10]))
    # A benchmark that imported something else than it says would measure nothing.
    if result.totals[expected] != len(dataset):
        raise SystemExit(f"Expected {len(dataset)} rows {expected}, the import gave {dict(result.totals)}")
    return seconds, queries.count


def measure(rows):
    numbers = {"database": connection.vendor, "rows": rows}
    numbers.update(measure_floors(rows))
    # The floors left the rows stored: they are the file of new rows, and, values changed, of changed ones.
    new_file, changed_file = export_files()

    _, user = prepare(rows)
    steps = [
        ("preview_new", new_file, RowResult.IMPORT_TYPE_NEW, True),
        ("new", new_file, RowResult.IMPORT_TYPE_NEW, False),
        ("unchanged", new_file, RowResult.IMPORT_TYPE_SKIP, False),
        ("preview_changed", changed_file, RowResult.IMPORT_TYPE_UPDATE, True),
        ("changed", changed_file, RowResult.IMPORT_TYPE_UPDATE, False),
    ]
    for name, data, expected, dry_run in steps:
        seconds, queries = timed_import(data, user, expected, dry_run=dry_run)
        numbers[f"{name}_rate"], numbers[f"{name}_queries"] = rows / seconds, queries
    assert records.Statistic.history.count() == 2 * rows  # a version for each new row and each changed one
    numbers["ratios"] = {name: numbers[top] / numbers[bottom] for name, (top, bottom, _) in GOALS.items()}
    return numbers


LABELS = {
    "raw_rate": "floor: Django bulk_create (no versions)",
    "history_rate": "floor: simple-history bulk_create_with_history",
    "driver_rate": "floor: driver bulk API, figures and versions",
    "preview_new_rate": "preview of new rows (dry run)",
    "new_rate": "import of new rows",
    "unchanged_rate": "import of unchanged rows",
    "preview_changed_rate": "preview of changed rows (dry run)",
    "changed_rate": "import of changed rows",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="Print the numbers as one line of JSON.")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    numbers = measure(options.rows)
    if options.json:
        print(json.dumps(numbers))
        return
    print(f"database: {numbers['database']}, rows: {options.rows:,}")
    for key, label in LABELS.items():
        queries = numbers.get(key.replace("_rate", "_queries"))
        print(f"{label:50} {numbers[key]:10,.0f} rows/s" + (f"  {queries} queries" if queries is not None else ""))
    for name, (top, bottom, goal) in GOALS.items():
        ratio = numbers["ratios"][name]
        print(f"{top} ÷ {bottom}: {ratio:.2f} (goal ≥ {goal}: {'met' if ratio >= goal else 'MISSED'})")


if __name__ == "__main__":
    main()
