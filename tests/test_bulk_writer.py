"""The import's writer through the driver's bulk API writes the rows simple-history's bulk helpers write."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from relations import models as records
from relations.resources.writer import VersionedWriter

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.UTC)
# Columns the database numbers: equal rows may get other numbers.
NUMBERED = {"id", "history_id"}


def new_figures(world):
    stored = records.Statistic.objects.get()
    ministry = records.Source.objects.get(slug="ministry")
    figures = []
    for year, preferred in zip(range(1990, 1996), itertools.cycle([True, False]), strict=False):
        figure = records.Statistic.objects.get(pk=stored.pk)
        figure.pk = None
        figure._state.adding = True
        figure.period_start, figure.period_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        figure.value, figure.equivalent_value = Decimal(f"{year}.25"), None
        figure.source, figure.is_preferred, figure.note = ministry, preferred, f"Note {year}"
        figures.append(figure)
    return figures


def rows_of(model, pks):
    # A record's versions share its id: ordered by their own number too, or PostgreSQL returns them in any order.
    order = ["id", "history_id"] if hasattr(model, "history_id") else ["id"]
    return [
        {name: value for name, value in row.items() if name not in NUMBERED}
        for row in model.objects.filter(id__in=pks).order_by(*order).values()
    ]


def written(write, figures):
    """The figures and versions `write` leaves in the database, all of it rolled back after."""
    with transaction.atomic():
        write(figures)
        pks = [figure.pk for figure in figures]
        rows = rows_of(records.Statistic, pks), rows_of(records.Statistic.history.model, pks)
        transaction.set_rollback(True)
    return rows


def test_new_figures_and_their_versions_are_the_rows_simple_history_writes(world, django_user_model):
    editor = django_user_model.objects.create_user("editor")
    ours = written(
        lambda figures: VersionedWriter(records.Statistic, editor, "Import", WHEN).create(figures), new_figures(world)
    )
    theirs = written(
        lambda figures: bulk_create_with_history(
            figures, records.Statistic, default_user=editor, default_change_reason="Import", default_date=WHEN
        ),
        new_figures(world),
    )
    assert len(ours[0]) == 6 and len(ours[1]) == 6
    assert ours == theirs
    assert {row["history_type"] for row in ours[1]} == {"+"}


def changed(figures):
    stored = list(records.Statistic.objects.filter(pk__in=[figure.pk for figure in figures]).order_by("pk"))
    for figure in stored:
        figure.value += 1
        figure.note = ""
    return stored


def test_changed_figures_and_their_versions_are_the_rows_simple_history_writes(world):
    figures = new_figures(world)
    VersionedWriter(records.Statistic, None, "Import", timezone.now()).create(figures)
    ours = written(
        lambda figures: VersionedWriter(records.Statistic, None, "Import", WHEN).update(figures, {"value", "note"}),
        changed(figures),
    )
    theirs = written(
        lambda figures: bulk_update_with_history(
            figures, records.Statistic, ["value", "note"], default_change_reason="Import", default_date=WHEN
        ),
        changed(figures),
    )
    assert ours == theirs
    assert [row["value"] for row in ours[0]] == [Decimal(f"{year}.25") + 1 for year in range(1990, 1996)]
    assert [row["history_type"] for row in ours[1]].count("~") == 6


def test_only_the_named_columns_are_written(world):
    figures = new_figures(world)
    VersionedWriter(records.Statistic, None, "Import", WHEN).create(figures)
    for figure in figures:
        figure.value, figure.note = Decimal(7), "not written"
    VersionedWriter(records.Statistic, None, "Import", WHEN).update(figures, {"value"})
    stored = records.Statistic.objects.filter(pk__in=[figure.pk for figure in figures])
    assert {(figure.value, figure.note) for figure in stored} == {
        (Decimal(7), f"Note {year}") for year in range(1990, 1996)
    }


def test_a_preview_writes_the_figures_without_versions(world):
    figures = new_figures(world)
    VersionedWriter(records.Statistic, None, "Import", WHEN, versions=False).create(figures)
    assert records.Statistic.objects.filter(pk__in=[figure.pk for figure in figures]).count() == 6
    assert not records.Statistic.history.filter(id__in=[figure.pk for figure in figures]).exists()


def test_ids_follow_those_of_deleted_figures(world):
    """Ids are never given again (a version names its record by id): the writer takes them from the same sequence."""
    first = new_figures(world)
    VersionedWriter(records.Statistic, None, "Import", WHEN).create(first)
    highest = max(figure.pk for figure in first)
    records.Statistic.objects.filter(pk__in=[figure.pk for figure in first]).delete()
    again = new_figures(world)
    VersionedWriter(records.Statistic, None, "Import", WHEN).create(again)
    assert min(figure.pk for figure in again) > highest
    assert sorted(records.Statistic.objects.filter(source__slug="ministry").values_list("pk", flat=True)) == sorted(
        figure.pk for figure in again
    )
