"""How an import works, beyond what the editor sees: each cell read once, a fresh start for each file, the page
cache told once, versions written by the bulk writes, and the preview's cells written only for the rows it shows."""

import functools
from collections import Counter

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export import fields

from relations import cache
from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file
from relations.resources import widgets as cell_widgets
from relations.resources.preview import PREVIEW_ROWS
from tests.test_import_export import csv_of, figures_file

pytestmark = pytest.mark.django_db

PLACE_HEADERS = ["Slug", "Current name", "Country", "Capital city", "Latitude", "Longitude"]


def places_file(count, slug=""):
    """`count` new places, without slugs (the model makes them from the names), latitudes with a decimal comma."""
    dataset = tablib.Dataset(headers=PLACE_HEADERS)
    for n in range(count):
        dataset.append([slug, f"Place {n}", "NA" if n % 2 else "SA", "hayır", f"39,{n:04d}", f"44,{n:03d}"])
    return dataset


@pytest.fixture
def cells_read(monkeypatch):
    """Calls of the widgets' clean(), by widget class: one call reads one cell."""
    calls = Counter()

    def counting(widget_class):
        clean = widget_class.clean

        def counted(self, *args, **kwargs):
            if type(self) is widget_class:
                calls[widget_class.__name__] += 1
            return clean(self, *args, **kwargs)

        return counted

    for widget_class in vars(cell_widgets).values():
        if isinstance(widget_class, type) and "clean" in vars(widget_class):
            monkeypatch.setattr(widget_class, "clean", counting(widget_class))
    return calls


def test_each_cell_of_a_places_file_is_read_once(world, cells_read):
    result = import_file(RESOURCES["places"], places_file(3))
    assert describe_errors(result) == [] and result.totals["new"] == 3
    # The slug is made from the other cells, read once; the model's slug is then read like any cell.
    assert cells_read == {
        "SlugWidget": 3,
        "TextWidget": 3,
        "NaturalKeyWidget": 3,
        "YesNoWidget": 3,
        "PlainDecimalWidget": 6,
    }
    assert records.Place.objects.filter(slug="place-1", latitude="39.0001").exists()


def test_each_cell_of_a_figures_file_is_read_once_new_or_unchanged(world, cells_read):
    dataset = figures_file(4)
    columns = len([header for header in dataset.headers if header])
    result = import_file(RESOURCES["statistics"], dataset)
    assert describe_errors(result) == [] and result.totals["new"] == 4
    assert sum(cells_read.values()) == 4 * columns
    cells_read.clear()
    again = import_file(RESOURCES["statistics"], figures_file(4))
    assert again.totals["skip"] == 4
    assert sum(cells_read.values()) == 4 * columns


def test_the_links_of_a_visit_are_read_once(world, cells_read):
    rows = RESOURCES["visits"]().export().dict
    rows[0]["Topics"] = "energy"
    result = import_file(RESOURCES["visits"], csv_of("visits", rows))
    assert describe_errors(result) == [] and result.totals["update"] == 1
    # One row, two cells of links (its topics and its further sources), each read once.
    assert cells_read["NaturalKeyManyWidget"] == 2
    assert list(records.Visit.objects.get().topics.values_list("slug", flat=True)) == ["energy"]


def test_a_resource_importing_a_second_file_knows_nothing_of_the_first(world):
    """A preview is rolled back: a confirmation by the same resource does not find the records it made."""
    resource = RESOURCES["organizations"]()
    rows = [
        {"Slug": "union", "Name": "Union"},
        {"Slug": "council", "Name": "Council", "Part of": "union"},
    ]
    preview = resource.import_data(csv_of("organizations", rows), dry_run=True, rollback_on_validation_errors=True)
    assert describe_errors(preview) == [], describe_errors(preview)
    assert not records.Organization.objects.filter(slug="union").exists()

    result = resource.import_data(csv_of("organizations", rows[1:]), rollback_on_validation_errors=True)
    assert describe_errors(result) == ["Row 2, column “Part of”: No organization has the slug “union”."]


def test_decimals_are_read_as_each_file_writes_them(world):
    """How one file's column writes decimals does not decide how the next file's does: after a file writing
    latitudes with a decimal comma, 1.234 in a file writing none otherwise is one and a bit, as written."""
    resource = RESOURCES["places"]()
    assert describe_errors(resource.import_data(places_file(2))) == []
    point = tablib.Dataset(["point", "Point", "NA", "no", "1.234", "1.5"], headers=PLACE_HEADERS)
    assert describe_errors(resource.import_data(point)) == []
    assert str(records.Place.objects.get(slug="point").latitude).rstrip("0") == "1.234"


def test_a_second_export_by_the_same_resource_names_the_records_made_since(world):
    resource = RESOURCES["organizations"]()
    resource.export()
    parent = records.Organization.objects.create(slug="union", name="Union")
    records.Organization.objects.create(slug="council", name="Council", parent=parent)
    exported = {row["Slug"]: row for row in resource.export().dict}
    assert exported["council"]["Part of"] == "union"


@pytest.fixture
def page_cache_told(monkeypatch):
    """How many times the page cache is told that records changed (records_changed, inside the import's transaction,
    asks whether its announcement already waits for the commit)."""
    told = []
    waiting = cache.announcement_waiting

    @functools.wraps(waiting)
    def counted(connection):
        told.append(1)
        return waiting(connection)

    monkeypatch.setattr(cache, "announcement_waiting", counted)
    return told


def test_the_page_cache_is_told_once_of_a_place_saved(world, page_cache_told):
    result = import_file(RESOURCES["places"], places_file(1))
    assert result.totals["new"] == 1
    assert len(page_cache_told) == 1


def test_the_page_cache_is_told_once_of_figures_written_in_bulk(world, page_cache_told):
    result = import_file(RESOURCES["statistics"], figures_file(5))
    assert result.totals["new"] == 5
    assert len(page_cache_told) == 1


def test_figures_written_in_bulk_each_get_one_version(world, django_user_model):
    """The library's bulk_create and bulk_update write no versions: StatisticResource writes through
    simple-history's bulk helpers, with the import's user and reason."""
    user = django_user_model.objects.create_user("importer")
    result = import_file(RESOURCES["statistics"], figures_file(3), user=user)
    assert describe_errors(result) == [] and result.totals["new"] == 3
    versions = records.Statistic.history.filter(source__slug="ministry")
    assert (
        sorted(versions.values_list("history_type", "history_change_reason", "history_user"))
        == [("+", "Import", user.pk)] * 3
    )

    rows = [dict(row, Value="7") for row in figures_file(3).dict]
    result = import_file(RESOURCES["statistics"], csv_of("statistics", rows), user=user)
    assert describe_errors(result) == [] and result.totals["update"] == 3
    assert versions.filter(history_type="~", value=7).count() == 3


def test_a_changed_figure_is_written_with_the_columns_it_changes_only(world):
    """Only the changed columns are written (SQLite's statement is logged as "3 times: UPDATE …")."""
    assert describe_errors(import_file(RESOURCES["statistics"], figures_file(3))) == []
    rows = [dict(row, Value="7") for row in figures_file(3).dict]
    with CaptureQueriesContext(connection) as captured:
        result = import_file(RESOURCES["statistics"], csv_of("statistics", rows))
    assert describe_errors(result) == [] and result.totals["update"] == 3
    updates = [query["sql"] for query in captured if 'UPDATE "relations_statistic"' in query["sql"]]
    assert updates and all('UPDATE "relations_statistic" SET "value" =' in sql for sql in updates)
    assert not any('"unit"' in sql for sql in updates)
    assert records.Statistic.objects.filter(source__slug="ministry", value=7).count() == 3


@pytest.fixture
def cells_written(monkeypatch):
    """Cells written from a record (Field.export): the export, the preview's cells."""
    written = []
    export = fields.Field.export

    def counted(self, instance, **kwargs):
        written.append(self.column_name)
        return export(self, instance, **kwargs)

    monkeypatch.setattr(fields.Field, "export", counted)
    return written


def test_a_confirmed_import_writes_no_cells(world, cells_written):
    """The library writes both sides of every row as cells (its Diff) unless skip_diff: ours writes none."""
    result = import_file(RESOURCES["places"], places_file(5))
    assert result.totals["new"] == 5
    assert cells_written == []


def test_a_preview_writes_the_cells_of_the_rows_it_shows_only(world, cells_written):
    count = PREVIEW_ROWS + 20
    result = import_file(RESOURCES["places"], places_file(count), dry_run=True)
    assert result.totals["new"] == count
    assert len(result.new_rows_shown) == PREVIEW_ROWS
    # The rows shown, and the blank record a new row is compared with.
    # Each with a cell per column of the record type, its translations' included.
    assert len(cells_written) == (PREVIEW_ROWS + 1) * len(RESOURCES["places"]().get_export_headers())
