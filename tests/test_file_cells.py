"""What a cell of an imported file may hold: digits 0-9 only, dates of events no later than the end of next
year, a milestone placed by its date or by a year for sorting, never both; each refused in the same words in a
file and in the admin, nothing stored."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from relations import dates
from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file
from relations.resources.widgets import DateWidget, IntegerWidget, MeetingWidget, PlainDecimalWidget
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

MILESTONE_COLUMNS = ["Slug", "Relationship", "Date", "Year for sorting", "Title", "Source", "Publication status"]
LEVEL_COLUMNS = ["Relationship", "Level", "Since", "Precision of 'since'", "Source", "Publication status"]

TOO_FAR = "is too far ahead: an event is dated no later than 31 December 2027, the end of next year. Check its year."
BOTH = "A milestone with a date stands on the timeline at that date: leave the year for sorting blank."


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The site's today, so that 'the end of next year' is 31 December 2027."""
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2026, 12, 4))


def milestones_file(world, *rows):
    dataset = tablib.Dataset(headers=MILESTONE_COLUMNS)
    for slug, date, year in rows:
        dataset.append([slug, world["pair"].slug, date, year, f"Milestone {slug}", "report", "published"])
    return dataset


def levels_file(world, since):
    dataset = tablib.Dataset(headers=LEVEL_COLUMNS)
    dataset.append([world["pair"].slug, "comprehensive partnership", since, "", "report", "published"])
    return dataset


def admin_page(response):
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# Digits other than 0-9 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "widget, cell",
    [
        (IntegerWidget(), "١٩٩١"),  # Arabic-Indic digits
        (IntegerWidget(), "۱۹۹۱"),  # Persian digits
        (PlainDecimalWidget(), "٣"),
        (PlainDecimalWidget(), "1.5００"),  # full-width zeros
        (DateWidget(), "٢٩.٠٧.٢٠٢٥"),
        (DateWidget(partial=True), "٢٠١٢"),
    ],
)
def test_numbers_years_and_dates_in_other_scripts_digits_are_refused_saying_so(widget, cell):
    other = next(char for char in cell if not char.isascii() and char.isdecimal())
    with pytest.raises(ValueError) as error:
        widget.clean(cell)
    assert str(error.value) == (
        f"“{cell}” is written with the digit “{other}”: write numbers, years and dates with the digits 0–9."
    )


def test_the_same_cells_in_digits_0_to_9_are_read():
    assert IntegerWidget().clean("1991") == 1991
    assert PlainDecimalWidget().clean("1.500") == Decimal("1.500")
    assert DateWidget().clean("29.07.2025") == datetime.date(2025, 7, 29)
    assert DateWidget(partial=True).clean("Şubat 2012") == datetime.date(2012, 2, 1)


def test_a_date_in_arabic_indic_digits_is_not_a_date_anywhere():
    with pytest.raises(ValueError, match="is not a date"):
        dates.parse_partial_date("٢٠١٢")


def test_a_meeting_numbered_in_other_digits_is_refused(world):
    with pytest.raises(ValueError, match="written with the digit “٥”"):
        MeetingWidget().clean("٥", row={"Council": world["council"].slug})
    assert MeetingWidget().clean("5", row={"Council": world["council"].slug}) == world["meeting"]


def test_a_milestones_file_with_arabic_indic_digits_is_refused_and_stores_nothing(world):
    before = records.Milestone.objects.count()
    dataset = milestones_file(world, ("recognition", "٢٠١٢", ""), ("embassy", "", "١٩٩١"))

    result = import_file(RESOURCES["milestones"], dataset)

    problems = describe_errors(result)
    assert (
        "Row 2, column “Date”: “٢٠١٢” is written with the digit “٢”: write numbers, years and dates with the "
        "digits 0–9." in problems
    )
    assert (
        "Row 3, column “Year for sorting”: “١٩٩١” is written with the digit “١”: write numbers, years and dates "
        "with the digits 0–9." in problems
    )
    assert records.Milestone.objects.count() == before


# Dates of events no later than the end of next year ---------------------------------------------------------


def test_a_milestone_dated_9999_12_31_is_refused_by_the_model(world):
    milestone = records.Milestone(
        relationship=world["pair"], title="Typo", date=datetime.date(9999, 12, 31), source=world["source"]
    )
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert error.value.message_dict == {"date": [f"“9999-12-31” {TOO_FAR}"]}

    milestone.date = datetime.date(2027, 12, 31)
    milestone.full_clean()


def test_a_milestone_placed_in_a_far_year_is_refused_at_that_year(world):
    milestone = records.Milestone(relationship=world["pair"], title="Typo", sort_year=2052, source=world["source"])
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert error.value.message_dict == {"sort_year": [f"“2052” {TOO_FAR}"]}


def test_a_milestones_file_dated_far_ahead_is_refused_in_the_models_words(world):
    before = records.Milestone.objects.count()
    dataset = milestones_file(world, ("typo", "9999-12-31", ""), ("announced", "2027", ""))

    result = import_file(RESOURCES["milestones"], dataset)

    assert describe_errors(result) == [f"Row 2, column “Date”: “9999-12-31” {TOO_FAR}"]
    assert records.Milestone.objects.count() == before
    del dataset[0]
    assert describe_errors(import_file(RESOURCES["milestones"], dataset)) == []
    assert records.Milestone.objects.get(slug="announced").date == datetime.date(2027, 1, 1)


def test_the_admin_refuses_a_milestone_dated_far_ahead_in_the_same_words(superuser_client, world):
    url = reverse("admin:relations_milestone_add")
    data = admin_form(
        superuser_client,
        url,
        title="Typo",
        relationship=str(world["pair"].pk),
        kind="other",
        source=str(world["source"].pk),
        date="9999-12-31",
        date_precision="day",
        sort_year="",
        date_wording="",
        publication_status="published",
    )

    refused = superuser_client.post(url, data)

    assert refused.status_code == 200
    assert f"“9999-12-31” {TOO_FAR}" in admin_page(refused)
    assert not records.Milestone.objects.filter(title="Typo").exists()


def test_a_level_reached_in_9999_is_refused_by_the_model_the_admin_and_a_file(superuser_client, world):
    level = records.RelationshipLevel(
        relationship=world["pair"], level="typo", since=datetime.date(9999, 1, 1), since_precision="year"
    )
    level.source = world["source"]
    with pytest.raises(ValidationError) as error:
        level.full_clean()
    assert error.value.message_dict == {"since": [f"“9999” {TOO_FAR}"]}

    url = reverse("admin:relations_relationshiplevel_add")
    data = admin_form(
        superuser_client,
        url,
        relationship=str(world["pair"].pk),
        level="typo",
        since="9999-12-31",
        since_precision="day",
        source=str(world["source"].pk),
        publication_status="published",
    )
    refused = superuser_client.post(url, data)
    assert refused.status_code == 200
    assert f"“9999-12-31” {TOO_FAR}" in admin_page(refused)

    before = records.RelationshipLevel.objects.count()
    result = import_file(RESOURCES["relationship-levels"], levels_file(world, "9999-12-31"))
    assert describe_errors(result) == [f"Row 2, column “Since”: “9999-12-31” {TOO_FAR}"]
    assert records.RelationshipLevel.objects.count() == before
    assert describe_errors(import_file(RESOURCES["relationship-levels"], levels_file(world, "March 2022"))) == []
    assert records.RelationshipLevel.objects.count() == before + 1


def test_a_level_typed_in_a_relationships_file_far_ahead_is_refused_in_its_column(world):
    exported = RESOURCES["relationships"]().export()
    row = dict(exported.dict[0])
    row.update({"Current level": "comprehensive partnership", "Level reached in (year)": "9999"})
    dataset = tablib.Dataset(headers=exported.headers)
    dataset.append([row[header] for header in exported.headers])
    before = records.RelationshipLevel.objects.count()

    result = import_file(RESOURCES["relationships"], dataset)

    assert describe_errors(result) == [f"Row 2, column “Level reached in (year)”: “9999” {TOO_FAR}"]
    assert records.RelationshipLevel.objects.count() == before


# A milestone placed by its date or by a year for sorting, never both --------------------------------------------


def test_a_milestone_with_a_date_and_a_year_for_sorting_is_refused_by_the_model_and_the_database(world):
    both = records.Milestone(
        relationship=world["pair"],
        title="Both",
        date=datetime.date(1992, 3, 2),
        sort_year=1991,
        source=world["source"],
    )
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert error.value.message_dict == {"sort_year": [BOTH]}
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
    assert not records.Milestone.objects.filter(title="Both").exists()


def test_a_milestones_row_with_a_date_and_a_year_for_sorting_is_refused_in_the_same_words(superuser_client, world):
    before = records.Milestone.objects.count()
    dataset = milestones_file(world, ("both", "02.03.1992", "1991"))

    result = import_file(RESOURCES["milestones"], dataset)

    assert describe_errors(result) == [f"Row 2, column “Year for sorting”: {BOTH}"]
    assert records.Milestone.objects.count() == before

    url = reverse("admin:relations_milestone_add")
    data = admin_form(
        superuser_client,
        url,
        title="Both",
        relationship=str(world["pair"].pk),
        kind="other",
        source=str(world["source"].pk),
        date="1992-03-02",
        date_precision="day",
        sort_year="1991",
        date_wording="",
        publication_status="published",
    )
    refused = superuser_client.post(url, data)
    assert refused.status_code == 200
    assert BOTH in admin_page(refused)
    assert records.Milestone.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_dated_milestones_stored_with_a_year_for_sorting_lose_the_year_each_with_a_version_saying_why():
    before, after = (
        ("relations", "0017_missed_page_cache_changes"),
        ("relations", "0018_milestone_dated_or_placed_not_both"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    country = old.get_model("relations", "Country")
    north = country.objects.create(code="NL", name="Northland", slug="nl")
    south = country.objects.create(code="SL", name="Southland", slug="sl")
    source = old.get_model("relations", "Source").objects.create(slug="report", title="Report")
    pair = old.get_model("relations", "Relationship").objects.create(
        slug="pair", country_a=north, country_b=south, source=source
    )
    trade = old.get_model("relations", "Topic").objects.create(slug="trade", name="Trade")
    milestone = old.get_model("relations", "Milestone")
    common = {"relationship": pair, "source": source}
    both = milestone.objects.create(slug="both", title="Both", date=datetime.date(1992, 3, 2), sort_year=1991, **common)
    both.topics.set([trade])
    undated = milestone.objects.create(slug="undated", title="Undated", sort_year=1991, **common)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    stored = new.get_model("relations", "Milestone").objects.order_by("slug")
    assert [(m.slug, m.date, m.sort_year) for m in stored] == [
        ("both", datetime.date(1992, 3, 2), None),
        ("undated", None, 1991),
    ]
    versions = new.get_model("relations", "HistoricalMilestone").objects.all()
    assert [(v.id, v.sort_year, v.history_type, v.history_change_reason) for v in versions] == [
        (both.pk, None, "~", "Year for sorting cleared: a milestone with a date stands on the timeline at that date")
    ]
    version_topics = new.get_model("relations", "HistoricalMilestone_topics").objects.filter(history=versions[0])
    assert [topic.topic_id for topic in version_topics] == [trade.pk]
    assert undated.pk not in [v.id for v in versions]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
