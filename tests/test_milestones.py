"""Milestones as sources state them: undated ones placed by a year for sorting, rough times in the source's
words; a source's own date at its precision."""

import datetime

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db

UNDATED = "A milestone without a date needs a year for sorting: give the year it stands at on the timeline."


def milestone(world, title, date=None, precision="day", **fields):
    return records.Milestone.objects.create(
        relationship=world["pair"],
        title=title,
        date=date,
        date_precision=precision,
        source=world["source"],
        **fields,
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def undated(world):
    """The world's pair with an undated milestone, one worded roughly, and dated ones around them."""
    return {
        "first": milestone(world, "Northland first to recognise Southland's independence", sort_year=1991),
        "relations": milestone(world, "Diplomatic relations established", datetime.date(1992, 3, 2)),
        "embassy": milestone(world, "Southland opens an embassy in Nordby", sort_year=1991, date_wording="before 1992"),
        "recent": milestone(world, "Joint projects multiply", sort_year=2023, date_wording="in recent years"),
    }


# The model ------------------------------------------------------------------------------------


def test_a_milestone_without_a_date_needs_a_year_for_sorting(world):
    lost = records.Milestone(relationship=world["pair"], title="Something happened", source=world["source"])
    with pytest.raises(ValidationError) as error:
        lost.full_clean()
    assert error.value.message_dict == {"sort_year": [UNDATED]}
    with pytest.raises(IntegrityError), transaction.atomic():
        lost.save()
    lost.sort_year = 0
    with pytest.raises(ValidationError) as error:
        lost.full_clean()
    assert error.value.message_dict == {"sort_year": ["A year for sorting lies between 1 and 9999."]}


def test_an_undated_milestone_takes_its_slug_from_its_year_for_sorting(undated):
    assert undated["first"].slug == "1991-northland-first-to-recognise-southlands-independence"
    assert str(undated["first"]) == "Northland first to recognise Southland's independence"
    assert str(undated["recent"]) == "in recent years: Joint projects multiply"
    assert undated["embassy"].date_display() == "before 1992"


def test_the_timeline_places_undated_milestones_by_their_year_and_shows_no_date(client, world, undated):
    html = page(client, "/timeline/")
    order = [
        "Northland first to recognise",
        "Southland opens an embassy",
        "Diplomatic relations established",
        "Partnership",
        "Joint projects multiply",
        "Visit of Ana Guest",
    ]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    first = html.split(f'id="{undated["first"].slug}"')[1].split("</li>")[0]
    assert 'class="date"' not in first
    recent = html.split(f'id="{undated["recent"].slug}"')[1].split("</li>")[0]
    assert '<span class="date">in recent years</span>' in recent
    assert '<span class="date">before 1992</span>' in html
    assert '<span class="date">2 March 1992</span>' in html


def test_the_timeline_finds_an_undated_milestone_by_the_year_it_stands_at(client, world, undated):
    html = page(client, "/timeline/?year=1991")
    assert "Northland first to recognise" in html and "Southland opens an embassy" in html
    assert "Diplomatic relations established" not in html


def test_the_pairs_page_lists_milestones_newest_first_undated_among_them(client, world, undated):
    html = page(client, world["pair"].get_absolute_url()).split('id="milestones"')[1]
    order = ["Joint projects multiply", "Partnership", "Diplomatic relations established", "Southland opens an embassy"]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert "in recent years" in html and "before 1992" in html


# Admin ----------------------------------------------------------------------------------------


def test_an_editor_records_an_undated_milestone_in_the_admin(superuser_client, world):
    from tests.admin_pages import admin_form

    url = reverse("admin:relations_milestone_add")
    data = admin_form(
        superuser_client,
        url,
        title="First to recognise independence",
        relationship=str(world["pair"].pk),
        kind="recognition",
        source=str(world["source"].pk),
        date="",
        date_precision="",
        sort_year="",
        date_wording="",
        publication_status="published",
    )
    refused = superuser_client.post(url, data)
    assert refused.status_code == 200
    assert UNDATED in refused.content.decode().replace("&#x27;", "'")
    data["sort_year"] = ["1991"]
    assert superuser_client.post(url, data).status_code == 302
    saved = records.Milestone.objects.get(title="First to recognise independence")
    assert (saved.date, saved.sort_year, saved.slug) == (None, 1991, "1991-first-to-recognise-independence")
    listed = superuser_client.get(reverse("admin:relations_milestone_changelist")).content.decode()
    assert "undated (1991)" in listed


# Import and export ----------------------------------------------------------------------------


def test_a_milestones_file_from_before_imports_unchanged_and_new_columns_round_trip(world, undated):
    exported = RESOURCES["milestones"]().export()
    assert {"Year for sorting", "Date as worded"} <= set(exported.headers)
    row = next(row for row in exported.dict if row["Slug"] == undated["recent"].slug)
    assert (row["Date"], row["Year for sorting"], row["Date as worded"]) == ("", "2023", "in recent years")
    assert import_file(RESOURCES["milestones"], exported).totals["skip"] == len(exported)

    older = tablib.Dataset(headers=[h for h in exported.headers if h not in ("Year for sorting", "Date as worded")])
    for values in exported.dict:
        older.append([values[header] for header in older.headers])
    result = import_file(RESOURCES["milestones"], older)
    assert describe_errors(result) == [] and result.totals["skip"] == len(exported)
    undated["recent"].refresh_from_db()
    assert (undated["recent"].sort_year, undated["recent"].date_wording) == (2023, "in recent years")


def test_an_undated_milestone_row_without_a_year_is_refused_in_the_models_words(world):
    headers = ["Slug", "Relationship", "Date", "Year for sorting", "Title", "Source", "Publication status"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["", world["pair"].slug, "", "1991", "First to recognise independence", "report", "published"])
    dataset.append(["", world["pair"].slug, "", "", "Something undated", "report", "published"])
    result = import_file(RESOURCES["milestones"], dataset)
    assert describe_errors(result) == [f"Row 3, column “Year for sorting”: {UNDATED}"]
    del dataset[1]
    assert describe_errors(import_file(RESOURCES["milestones"], dataset)) == []
    assert records.Milestone.objects.get(slug="1991-first-to-recognise-independence").date is None


# A source's own date --------------------------------------------------------------------------


def test_a_source_dated_only_by_its_year_is_cited_without_a_day(client, world):
    source = world["source"]
    source.published_on, source.published_on_precision = datetime.date(2024, 1, 1), "year"
    source.save()
    cited = page(client, world["visit"].get_absolute_url())
    assert "Annual report</a>, 2024 (" in cited or "Annual report</a>, 2024." in cited
    assert "1 January 2024" not in cited
    assert "<dd>2024</dd>" in page(client, source.get_absolute_url())


def test_a_sources_file_reads_the_publication_dates_precision_and_older_files_still_import(world):
    exported = RESOURCES["sources"]().export()
    assert "Precision of the publication date" in exported.headers
    older = tablib.Dataset(headers=[h for h in exported.headers if h != "Precision of the publication date"])
    for values in exported.dict:
        older.append([values[header] for header in older.headers])
    result = import_file(RESOURCES["sources"], older)
    assert describe_errors(result) == [] and result.totals["skip"] == len(exported)
    assert records.Source.objects.get(slug="report").published_on_precision == "day"

    dataset = tablib.Dataset(headers=["Slug", "Title", "Publication date", "Precision of the publication date"])
    dataset.append(["monthly", "Monthly bulletin", "March 2024", ""])
    assert describe_errors(import_file(RESOURCES["sources"], dataset)) == []
    bulletin = records.Source.objects.get(slug="monthly")
    assert (bulletin.published_on, bulletin.published_on_precision) == (datetime.date(2024, 3, 1), "month")
    assert bulletin.published_display() == "March 2024"
