"""Rows per second of a statistics CSV import, against a raw bulk_create of the same rows.

    python benchmarks/import_statistics.py [--rows 10000]

Runs in a scratch SQLite database of its own unless BENCH_DATABASE_URL names
another (a PostgreSQL database that may be emptied).
"""

import argparse
import collections
import datetime
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="relations-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from relations import models as records  # noqa: E402
from relations.formats import export_bytes, read_dataset  # noqa: E402
from relations.resources import StatisticResource, describe_errors, import_file  # noqa: E402


def prepare(rows):
    call_command("flush", "--no-input", verbosity=0)
    source = records.Source.objects.create(slug="bench", title="Benchmark source")
    north = records.Country.objects.create(code="NA", name="Northland")
    south = records.Country.objects.create(code="SA", name="Southland")
    pair = records.Relationship.objects.create(country_a=north, country_b=south, source=source, slug="na-sa")
    indicators = records.Indicator.objects.bulk_create(
        records.Indicator(name=f"Indicator {n}", slug=f"indicator-{n}") for n in range(100)
    )
    statistics = []
    for n in range(rows):
        year = 1900 + n // 200
        flow = (north, south) if (n // 100) % 2 else (south, north)
        statistics.append(
            records.Statistic(
                indicator=indicators[n % 100],
                relationship=pair,
                value=Decimal(1000 + n),
                unit="USD",
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                from_country=flow[0],
                to_country=flow[1],
                qualifier="more-than",
                source=source,
            )
        )
    return statistics


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.statements = collections.Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.statements[sql[:120]] += 1
        return execute(sql, params, many, context)


def timed_import(data):
    dataset = read_dataset(data, "csv")
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        result = import_file(StatisticResource, dataset)
        seconds = time.perf_counter() - started
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for statement, count in queries.statements.most_common(8):
            print(f"{count:8d}  {statement}")
    problems = describe_errors(result)
    if problems:
        raise SystemExit("\n".join(problems[:10]))
    return seconds, queries.count, dict(result.totals)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="Print the numbers as one line of JSON.")
    options = parser.parse_args()
    rows = options.rows

    call_command("migrate", verbosity=0)
    statistics = prepare(rows)
    started = time.perf_counter()
    records.Statistic.objects.bulk_create(statistics, batch_size=2000)
    raw_seconds = time.perf_counter() - started
    data = export_bytes(StatisticResource().export(), "csv")

    prepare(rows)
    new_seconds, new_queries, new_totals = timed_import(data)
    same_seconds, same_queries, same_totals = timed_import(data)

    if options.json:
        numbers = {
            "database": connection.vendor,
            "rows": rows,
            "raw_rate": rows / raw_seconds,
            "new_rate": rows / new_seconds,
            "new_queries": new_queries,
            "unchanged_rate": rows / same_seconds,
            "unchanged_queries": same_queries,
        }
        print(json.dumps(numbers))
        return
    print(f"database: {connection.vendor}, rows: {rows}")
    print(f"raw bulk_create:    {rows / raw_seconds:10,.0f} rows/s")
    print(f"import, new rows:   {rows / new_seconds:10,.0f} rows/s  {new_queries} queries  {new_totals}")
    print(f"import, unchanged:  {rows / same_seconds:10,.0f} rows/s  {same_queries} queries  {same_totals}")
    print(f"new-row import is {raw_seconds / new_seconds:.1%} of raw bulk_create speed")


if __name__ == "__main__":
    main()
