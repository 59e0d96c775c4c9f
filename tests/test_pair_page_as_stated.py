"""A pair's page, the timeline and the home page as sources state things: dates in the source's words, what is only
announced shown as planned, anniversaries a source counts, relations established with a predecessor state, and
what a visit produced, each with its own citation."""

import datetime
import re

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations.cache import site_settings
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False  # each request reads the database


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def entry(html, text):
    """The list item holding `text` (its own markup, up to the next item at its level)."""
    start = html.rindex("<li", 0, html.index(text))
    return html[start : html.index("</li>", html.index(text))]


def section(html, name):
    return html.split(f'id="{name}"')[1].split("</section>")[0]


@pytest.fixture
def planned(world):
    """An announced milestone and an announced visit of the world's pair, after its visit that took place."""
    herald = records.Source.objects.create(
        slug="lands-herald", title="Lands Herald", published_on=datetime.date(2025, 9, 5)
    )
    return {
        "milestone": records.Milestone.objects.create(
            relationship=world["pair"],
            title="The Year of Northland in Southland will be launched",
            date=datetime.date(2026, 1, 1),
            date_precision="year",
            date_wording="next year",
            planned=True,
            source=herald,
            reader_note="Announced by both foreign ministers.",
        ),
        "visit": records.Visit.objects.create(
            guest=world["host"],
            host=world["guest"],
            country=world["north"],
            kind="state",
            start_date=datetime.date(2026, 1, 1),
            start_date_precision="year",
            date_wording="next year",
            planned=True,
            source=herald,
        ),
    }


# Dates in the source's words ------------------------------------------------------------------


def test_a_milestone_last_year_imported_from_a_file_is_dated_to_the_year_with_its_words_and_no_day(client, world):
    # The world's report was published on 2 January 2025: its "last year" is 2024.
    dataset = tablib.Dataset(headers=["Slug", "Relationship", "Title", "Date as worded", "Source"])
    dataset.append(["", world["pair"].slug, "Trade office opened in Sudby", "last year", "report"])
    assert describe_errors(import_file(RESOURCES["milestones"], dataset)) == []
    milestone = records.Milestone.objects.get(title="Trade office opened in Sudby")
    assert (milestone.date, milestone.date_precision) == (datetime.date(2024, 1, 1), "year")
    assert milestone.date_wording == "last year"
    assert milestone.slug == "2024-trade-office-opened-in-sudby"
    html = page(client, world["pair"].get_absolute_url())
    assert "2024 — “last year”" in entry(section(html, "milestones"), "Trade office opened in Sudby")
    timeline = page(client, "/timeline/")
    assert "2024 — “last year”" in entry(timeline, "Trade office opened in Sudby")
    assert "January 2024" not in html + timeline
    # The file exported and imported again changes nothing.
    exported = RESOURCES["milestones"]().export()
    assert import_file(RESOURCES["milestones"], exported).totals["skip"] == len(exported)


# Planned ----------------------------------------------------------------------------------------


def test_a_planned_milestone_and_a_planned_visit_are_shown_as_planned_on_the_pairs_page(client, world, planned):
    html = page(client, world["pair"].get_absolute_url())
    milestone = entry(section(html, "milestones"), "The Year of Northland in Southland")
    assert '<span class="tag planned">Planned</span>' in milestone and "2026 — “next year”" in milestone
    assert "Note: Announced by both foreign ministers." in milestone
    visit = entry(section(html, "visits"), planned["visit"].get_absolute_url())
    assert '<span class="tag planned">Planned</span>' in visit and "2026 — “next year”" in visit
    # What took place is not marked.
    done = entry(section(html, "visits"), world["visit"].get_absolute_url())
    assert "Planned" not in done
    assert "Planned" not in entry(section(html, "milestones"), ">Partnership</a>")


def test_a_planned_milestone_and_a_planned_visit_are_shown_as_planned_on_the_timeline(client, world, planned):
    html = page(client, "/timeline/")
    milestone = entry(html, "The Year of Northland in Southland")
    assert '<span class="tag planned">Planned</span>' in milestone
    assert "Note: Announced by both foreign ministers." in milestone
    visit = entry(html, planned["visit"].get_absolute_url())
    assert '<span class="tag planned">Planned</span>' in visit
    assert "Planned" not in entry(html, world["visit"].get_absolute_url())


def test_the_home_pages_latest_visit_skips_a_planned_one_which_is_shown_as_planned(client, world, planned):
    html = page(client, "/")
    card = html.split("Latest visit</h3>")[1].split("Latest council meeting")[0]
    latest, announced = card.split('<p class="planned-visit">')
    assert world["visit"].get_absolute_url() in latest and "29 July 2025" in latest
    assert planned["visit"].get_absolute_url() not in latest
    assert '<span class="tag planned">Planned</span>' in announced
    assert planned["visit"].get_absolute_url() in announced and "2026 — “next year”" in announced
    overview = client.get("/").context["overviews"][0]
    assert overview.latest_visit == world["visit"] and overview.planned_visit == planned["visit"]


def test_a_pair_without_a_planned_visit_shows_only_its_latest(client, world):
    html = page(client, "/")
    assert "planned-visit" not in html and "Planned" not in html


# Anniversaries and the establishment ------------------------------------------------------------------


@pytest.fixture
def seventieth(world):
    """A source counting the 70th anniversary of the pair's diplomatic relations."""
    gazette = records.Source.objects.create(
        slug="southern-gazette", title="Southern Gazette", published_on=datetime.date(2020, 1, 30)
    )
    return records.Milestone.objects.create(
        relationship=world["pair"],
        title="70th anniversary of diplomatic relations celebrated",
        kind="anniversary",
        anniversary=70,
        date=datetime.date(2020, 1, 30),
        source=gazette,
    )


def test_a_stated_anniversary_is_shown_as_its_sources_statement_without_an_establishment_date(
    client, world, seventieth
):
    pair = world["pair"]
    pair.established_on = None
    pair.save()
    stated = (
        '70th anniversary (as stated by <a href="/sources/southern-gazette/">Southern Gazette</a>, 30 January 2020).'
    )
    for url in (pair.get_absolute_url(), "/"):
        html = page(client, url)
        assert stated in html, url
        assert "Diplomatic relations since" not in html and "year of diplomatic relations" not in html
    milestones = section(page(client, pair.get_absolute_url()), "milestones")
    assert "(70th anniversary, as the source counts it)" in entry(milestones, "70th anniversary of diplomatic")


def test_a_stated_anniversary_stands_beside_the_computed_one(client, world, seventieth):
    html = page(client, world["pair"].get_absolute_url())
    computed = re.search(r"Diplomatic relations since 2 March 1992: the \d+th year of diplomatic relations", html)
    assert computed is not None
    assert computed.start() < html.index("70th anniversary (as stated by")


def test_relations_established_with_a_predecessor_state_are_shown_with_their_own_citation(client, world):
    note = records.Source.objects.create(
        slug="embassy-note", title="Embassy history note", publisher="Embassy of Southland"
    )
    pair = world["pair"]
    pair.established_on, pair.established_on_precision = datetime.date(1950, 1, 30), "day"
    pair.established_with = "the Soviet Union"
    pair.established_source = note
    pair.established_quote = "Southland and the Soviet Union established diplomatic relations on January 30, 1950."
    pair.save()
    for url in (pair.get_absolute_url(), "/"):
        html = page(client, url)
        assert "Diplomatic relations since 30 January 1950, established with the Soviet Union" in html, url
        status = html.split('class="status"')[1]
        citation = status[: status.index("</blockquote>")]
        assert '<a href="/sources/embassy-note/">Embassy history note</a>, Embassy of Southland' in citation
        assert "established diplomatic relations on January 30, 1950.</p></blockquote>" in html
    # The relationship's own source is still cited for the rest.
    assert '<a href="/sources/report/">Annual report</a>' in page(client, pair.get_absolute_url())


def test_an_establishment_without_a_source_of_its_own_cites_the_relationships_with_its_quotation(client, world):
    pair = world["pair"]
    pair.established_quote = "Relations were established on 2 March 1992."
    pair.save()
    html = page(client, pair.get_absolute_url())
    status = html.split('class="status"')[1]
    assert '<a href="/sources/report/">Annual report</a>' in status[: status.index("</blockquote>")]
    assert "established with" not in html


# A visit's outcomes -------------------------------------------------------------------------------


@pytest.fixture
def produced(world):
    """What the world's visit produced: an action plan a communiqué states, and documents its own source states."""
    communique = records.Source.objects.create(
        slug="joint-communique", title="Joint communiqué", published_on=datetime.date(2025, 7, 30)
    )
    return {
        "plan": records.VisitOutcome.objects.create(
            visit=world["visit"],
            title="Action plan for 2025–2026",
            kind="programme",
            signed=True,
            source=communique,
            quote="The parties signed the Action plan for 2025–2026.",
            reader_note="The first such plan since 2019.",
        ),
        "documents": records.VisitOutcome.objects.create(
            visit=world["visit"], title="Documents on energy", kind="documents", count=12
        ),
    }


def test_a_visits_outcomes_are_shown_with_their_citations_on_the_pairs_page_and_the_timeline(client, world, produced):
    pair_page = section(page(client, world["pair"].get_absolute_url()), "visits")
    timeline = page(client, "/timeline/")
    for html in (pair_page, timeline):
        visit = html.split(world["visit"].get_absolute_url())[1]
        outcomes = visit[visit.index('<ul class="outcomes">') : visit.index("</ul>")]
        plan = entry(outcomes, "Action plan for 2025–2026")
        assert "programme or action plan, signed" in plan
        assert '<a href="/sources/joint-communique/">Joint communiqué</a>' in plan
        assert "The parties signed the Action plan for 2025–2026." in plan
        assert "Note: The first such plan since 2019." in plan
        # Without a source of its own, the visit's states it.
        documents = entry(outcomes, "Documents on energy")
        assert "12 documents, signed" not in documents and "12 documents, expected to be signed" in documents
        assert '<a href="/sources/report/">Annual report</a>' in documents


def test_the_pairs_page_and_the_timeline_read_as_many_queries_however_many_outcomes_and_sources(
    client, world, produced, seventieth
):
    urls = [world["pair"].get_absolute_url(), "/timeline/", "/"]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                page(client, url)
            found.append(len(queries))
        return found

    site_settings()  # read once into the cache by whichever page comes first: the footer's licence
    before = counts()
    for number in range(5):
        source = records.Source.objects.create(slug=f"wire-{number}", title=f"Wire {number}")
        records.VisitOutcome.objects.create(
            visit=world["visit"], title=f"Memorandum {number}", kind="memorandum", source=source
        )
        records.Milestone.objects.create(
            relationship=world["pair"],
            title=f"Anniversary {number}",
            anniversary=10 + number,
            date=datetime.date(2000 + number, 1, 1),
            date_precision="year",
            planned=bool(number % 2),
            source=source,
        )
    assert counts() == before


# Files --------------------------------------------------------------------------------------------


def test_the_establishment_columns_round_trip_and_an_older_relationships_file_still_imports(world):
    note = records.Source.objects.create(slug="embassy-note", title="Embassy history note")
    pair = world["pair"]
    pair.established_with, pair.established_source, pair.established_quote = "the Soviet Union", note, "Since 1950."
    pair.save()
    exported = RESOURCES["relationships"]().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["Established with"] == "the Soviet Union"
    assert row["Source of the establishment"] == "embassy-note"
    assert row["Quotation on the establishment"] == "Since 1950."
    assert import_file(RESOURCES["relationships"], exported).totals["skip"] == 1
    new = ("Established with", "Source of the establishment", "Quotation on the establishment")
    older = tablib.Dataset(headers=[header for header in exported.headers if header not in new])
    older.append([value for header, value in zip(exported.headers, exported[0], strict=True) if header not in new])
    assert describe_errors(import_file(RESOURCES["relationships"], older)) == []
    pair.refresh_from_db()
    assert (pair.established_with, pair.established_source, pair.established_quote) == (
        "the Soviet Union",
        note,
        "Since 1950.",
    )


def test_a_milestones_planned_and_anniversary_columns_round_trip_and_older_files_import(world, seventieth):
    exported = RESOURCES["milestones"]().export()
    rows = [dict(zip(exported.headers, row, strict=True)) for row in exported]
    stated = next(row for row in rows if row["Slug"] == seventieth.slug)
    assert stated["Anniversary (as counted by the source)"] == "70"
    new = ("Planned", "Anniversary (as counted by the source)")
    before = tablib.Dataset(headers=[header for header in exported.headers if header not in new])
    for row in exported:
        before.append([value for header, value in zip(exported.headers, row, strict=True) if header not in new])
    assert import_file(RESOURCES["milestones"], before).totals["skip"] == len(before)
    older = tablib.Dataset(headers=["Slug", "Relationship", "Title", "Date", "Date as worded", "Source"])
    older.append(["", world["pair"].slug, "A joint museum will open", "2026", "next year", "report"])
    assert describe_errors(import_file(RESOURCES["milestones"], older)) == []
    museum = records.Milestone.objects.get(title="A joint museum will open")
    assert not museum.planned and museum.anniversary is None
    announced = tablib.Dataset(headers=["Slug", "Relationship", "Title", "Date as worded", "Planned", "Source"])
    announced.append(["", world["pair"].slug, "A joint theatre will open", "next year", "yes", "report"])
    assert describe_errors(import_file(RESOURCES["milestones"], announced)) == []
    theatre = records.Milestone.objects.get(title="A joint theatre will open")
    assert theatre.planned and (theatre.date, theatre.date_precision) == (datetime.date(2026, 1, 1), "year")
    assert theatre.slug == "2026-a-joint-theatre-will-open"
