"""The statistics rows the import benchmarks write, and the floors they are measured against: the same prepared
rows written by Django's bulk_create, by simple-history's bulk_create_with_history, and by the database driver's
own bulk API (executemany on SQLite, COPY on PostgreSQL) with their history rows.

Imported by benchmarks/import_statistics.py and benchmarks/background.py once Django is set up.
"""

import datetime
import operator
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from relations import models as records
from relations.formats import export_bytes
from relations.resources import StatisticResource

# The reason the floors and the imports give their versions, so both write the same history rows.
CHANGE_REASON = "Benchmark import"
BATCH = 2000


def prepare(rows):
    """An emptied database with the records the rows name and the user the versions name; `rows` unsaved figures
    of one pair over 100 indicators, and that user."""
    call_command("flush", "--no-input", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", password="a-benchmark-only-password")
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
    return statistics, user


def timed(write, *args):
    started = time.perf_counter()
    write(*args)
    return time.perf_counter() - started


def write_bulk_create(statistics, user):
    """Django's bulk_create: the figures without their versions, the floor the ORM sets."""
    records.Statistic.objects.bulk_create(statistics, batch_size=BATCH)


def write_with_history(statistics, user):
    """simple-history's bulk_create_with_history, with the user and reason an import gives the versions."""
    bulk_create_with_history(
        statistics,
        records.Statistic,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=CHANGE_REASON,
        default_date=timezone.now(),
    )


def write_through_driver(statistics, user):
    """The figures and their versions written with the driver's bulk API in one transaction, with no ORM between:
    the floor a writer of our own could reach. Each value goes to the driver as the record holds it (the driver
    adapts numbers, text, dates and decimals itself); the figures' ids are taken first, since COPY and executemany
    return none, so that their versions can name them."""
    history = records.Statistic.history.model
    fields = [field.attname for field in records.Statistic._meta.concrete_fields]
    columns = [field.column for field in records.Statistic._meta.concrete_fields]
    # A version holds the figure's fields, then what simple-history adds; its own key is numbered by the database.
    added = {
        # The one value the driver would store otherwise than Django does (an aware time): converted by Django's field.
        "history_date": history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        "history_change_reason": CHANGE_REASON,
        "history_type": "+",
        "history_user_id": user.pk,
    }
    copied = [field for field in history._meta.concrete_fields if field.attname in fields]
    at = {name: position for position, name in enumerate(fields)}
    picks = [at[field.attname] for field in copied]
    constants = list(added.values())
    values_of = operator.attrgetter(*fields)
    with transaction.atomic():
        for pk, statistic in zip(new_ids(len(statistics)), statistics, strict=True):
            statistic.id = pk
        figures = [values_of(statistic) for statistic in statistics]
        versions = [[figure[i] for i in picks] + constants for figure in figures]
        cursor = connection.cursor().cursor  # the driver's own cursor, under Django's wrapper
        write_rows(cursor, records.Statistic._meta.db_table, columns, figures)
        write_rows(cursor, history._meta.db_table, [field.column for field in copied] + list(added), versions)
    # Django now takes them as saved, as after bulk_create.
    for statistic in statistics:
        statistic._state.adding = False


def new_ids(count):
    table = records.Statistic._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite (inside the transaction, which holds the write lock once it writes): after the largest id.
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def write_rows(cursor, table, columns, rows):
    names = ", ".join(f'"{column}"' for column in columns)
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        # Django's SQLite cursor takes "%s" placeholders, as every backend's does; it is the sqlite3 driver's cursor.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


FLOORS = {
    "raw": write_bulk_create,
    "history": write_with_history,
    "driver": write_through_driver,
}


def measure_floors(rows, floors=FLOORS):
    """Rows per second of each floor, each from the same emptied database with the same prepared rows."""
    rates = {}
    for name, write in floors.items():
        statistics, user = prepare(rows)
        rates[f"{name}_rate"] = rows / timed(write, statistics, user)
        assert records.Statistic.objects.count() == rows, name
        assert records.Statistic.history.count() == (0 if name == "raw" else rows), name
    return rates


def export_files():
    """The stored figures as the admin exports them (CSV), then the same file with every figure's value changed."""
    new = export_bytes(StatisticResource().export(), "csv")
    records.Statistic.objects.update(value=F("value") + 1)
    changed = export_bytes(StatisticResource().export(), "csv")
    return new, changed
