"""A visit as sources tell it: its programme (talks, courtesy calls, another city) and what it produced, each
citing its own source or the visit's; a date given only in the source's words ('on Friday', 'last year'),
worked out from the source's publication date and never shown or put in an address more precisely than the
words give it; a visit announced but not yet held; other reports of the same visit."""

import datetime

import pytest
import tablib
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

VISIT_COLUMNS = ["Slug", "Guest", "Host", "Destination country", "Start date", "Date as worded", "Source"]


def page(client, url):
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def lands():
    """Two made-up countries, their leaders, a city, and a weekly published on Saturday 25 May 2024 that reports
    a visit 'on Friday'; a wire service that reports it too."""
    east = records.Country.objects.create(code="EL", name="Eastland")
    west = records.Country.objects.create(code="WL", name="Westland")
    weekly = records.Source.objects.create(
        slug="east-weekly", title="East Weekly", published_on=datetime.date(2024, 5, 25)
    )
    wire = records.Source.objects.create(slug="west-wire", title="West Wire", published_on=datetime.date(2024, 5, 24))
    agency = records.Source.objects.create(slug="lands-agency", title="Lands Agency")
    guest = records.Person.objects.create(name="Ida East", country=east, role="President of Eastland")
    host = records.Person.objects.create(name="Ola West", country=west, role="President of Westland")
    speaker = records.Person.objects.create(name="Per Speaker", country=west, role="Speaker of Westland")
    minister = records.Person.objects.create(name="Rut Minister", country=west, role="Minister of Trade")
    capital = records.Place.objects.create(name="Westburg", country=west, is_capital=True)
    port = records.Place.objects.create(name="Westport", country=west)
    records.Relationship.objects.create(country_a=east, country_b=west, source=weekly)
    visit = records.Visit(
        guest=guest,
        host=host,
        country=west,
        place=capital,
        date_wording="on Friday",
        kind="official",
        source=weekly,
        quote="The President arrived in Westburg on Friday.",
        reader_note="The first official visit in ten years.",
    )
    # Its date is worked out from the words as an editor's form or a file would: by the model's checks.
    visit.full_clean()
    visit.save()
    return locals()


def visit_rows(*rows):
    dataset = tablib.Dataset(headers=VISIT_COLUMNS)
    for row in rows:
        dataset.append(row)
    return dataset


# The visit's date in the source's words --------------------------------------------------------


def test_a_visit_dated_in_words_is_dated_from_its_sources_publication(lands):
    visit = lands["visit"]
    assert (visit.start_date, visit.start_date_precision) == (datetime.date(2024, 5, 24), "day")
    assert visit.slug == "ida-east-westland-2024-05-24"
    assert visit.dates_display() == "Friday, 24 May 2024 — “on Friday”"


def test_a_visit_row_with_words_instead_of_a_date_imports_with_the_date_they_give(lands):
    result = import_file(
        RESOURCES["visits"], visit_rows(["", "ida-east", "ola-west", "WL", "", "in April", "east-weekly"])
    )
    assert describe_errors(result) == []
    visit = records.Visit.objects.get(date_wording="in April")
    assert (visit.start_date, visit.start_date_precision) == (datetime.date(2024, 4, 1), "month")
    # The address made from it says the month the words give, no day.
    assert visit.slug == "ida-east-westland-2024-04"
    exported = RESOURCES["visits"]().export()
    row = next(row for row in exported.dict if row["Slug"] == visit.slug)
    assert (row["Start date"], row["Date precision"], row["Date as worded"]) == ("2024-04-01", "month", "in April")
    assert import_file(RESOURCES["visits"], exported).totals["skip"] == len(exported)
    # The same row imported again finds its visit unchanged.
    again = import_file(
        RESOURCES["visits"], visit_rows(["", "ida-east", "ola-west", "WL", "", "in April", "east-weekly"])
    )
    assert describe_errors(again) == [] and again.totals["skip"] == 1


def test_last_year_gives_a_year_on_the_page_and_in_the_address(client, lands):
    result = import_file(RESOURCES["visits"], visit_rows(["", "ida-east", "", "WL", "", "last year", "east-weekly"]))
    assert describe_errors(result) == []
    visit = records.Visit.objects.get(date_wording="last year")
    assert (visit.start_date, visit.start_date_precision) == (datetime.date(2023, 1, 1), "year")
    assert visit.slug == "ida-east-westland-2023"
    html = page(client, visit.get_absolute_url())
    assert "2023 — “last year”" in html
    assert "1 January 2023" not in html and "2023-01-01" not in html
    assert "2023 — “last year”" in page(client, reverse("relations:visit-list"))


def test_words_that_give_no_date_are_refused_in_the_models_words(lands):
    result = import_file(RESOURCES["visits"], visit_rows(["", "ida-east", "", "WL", "", "recently", "east-weekly"]))
    assert describe_errors(result) == [
        "Row 2, column “Start date”: “recently” gives no date the site can work out: type the date at the "
        "precision the source gives, such as 2024, 2024-04 or 24.05.2024."
    ]
    assert not records.Visit.objects.filter(date_wording="recently").exists()


def test_a_visits_file_from_before_the_new_columns_imports_unchanged(lands):
    visit = lands["visit"]
    visit.planned = True
    visit.save()
    visit.further_sources.set([lands["wire"]])
    exported = RESOURCES["visits"]().export()
    new_columns = ("Date as worded", "Planned", "Further sources", "Note for readers")
    older = tablib.Dataset(headers=[header for header in exported.headers if header not in new_columns])
    for values in exported.dict:
        older.append([values[header] for header in older.headers])
    result = import_file(RESOURCES["visits"], older)
    assert describe_errors(result) == [] and result.totals["skip"] == len(exported)
    visit.refresh_from_db()
    assert visit.planned and visit.date_wording == "on Friday"
    assert [source.slug for source in visit.further_sources.all()] == ["west-wire"]


def test_a_planned_visit_in_a_file_reads_its_words_ahead(lands):
    dataset = tablib.Dataset(headers=[*VISIT_COLUMNS, "Planned", "Further sources"])
    dataset.append(["", "ola-west", "ida-east", "EL", "", "on Monday", "east-weekly", "yes", "west-wire, lands-agency"])
    result = import_file(RESOURCES["visits"], dataset)
    assert describe_errors(result) == []
    visit = records.Visit.objects.get(guest__slug="ola-west")
    # Announced on Saturday 25 May for Monday: the Monday after, not the one before.
    assert visit.planned and visit.start_date == datetime.date(2024, 5, 27)
    assert sorted(source.slug for source in visit.further_sources.all()) == ["lands-agency", "west-wire"]


def test_a_council_meeting_row_dated_in_words_imports_with_the_date_they_give(lands):
    council = records.Council.objects.create(name="Lands Council", source=lands["weekly"])
    dataset = tablib.Dataset(headers=["Council", "Number", "Date", "Date as worded", "Source"])
    dataset.append([council.slug, "2", "", "this time three years ago", "east-weekly"])
    result = import_file(RESOURCES["council-meetings"], dataset)
    assert describe_errors(result) == []
    meeting = council.meetings.get(number=2)
    assert (meeting.date, meeting.date_precision) == (datetime.date(2021, 5, 1), "month")
    assert meeting.date_display() == "May 2021 — “this time three years ago”"


# Programme and outcome files ------------------------------------------------------------------


def test_a_programme_file_imports_in_order_with_its_people_place_and_dates(lands):
    visit = lands["visit"]
    dataset = tablib.Dataset(
        headers=["Visit", "Position", "Kind", "What", "People met", "City", "Date", "Date as worded", "Source"]
    )
    dataset.append([visit.slug, "1", "Talks", "talks in narrow format", "ola-west", "westburg", "", "on Friday", ""])
    dataset.append([visit.slug, "2", "courtesy-call", "", "per-speaker", "", "", "", "west-wire"])
    dataset.append(
        [visit.slug, "3", "meeting", "a trade forum", "rut-minister, ola-west", "westport", "2024-05", "", ""]
    )
    result = import_file(RESOURCES["visit-programmes"], dataset)
    assert describe_errors(result) == []
    parts = list(visit.programme.all())
    assert [(part.position, part.kind, part.title) for part in parts] == [
        (1, "talks", "talks in narrow format"),
        (2, "courtesy-call", ""),
        (3, "meeting", "a trade forum"),
    ]
    talks, call, forum = parts
    # The visit's source dates the talks' words; the forum keeps the month it was typed at.
    assert (talks.date, talks.date_precision) == (datetime.date(2024, 5, 24), "day")
    assert (forum.date, forum.date_precision) == (datetime.date(2024, 5, 1), "month")
    assert call.date is None and call.source == lands["wire"]
    assert sorted(person.slug for person in forum.people.all()) == ["ola-west", "rut-minister"]
    assert forum.place == lands["port"]
    exported = RESOURCES["visit-programmes"]().export()
    assert exported.dict[2]["People met"] == "ola-west, rut-minister"
    assert import_file(RESOURCES["visit-programmes"], exported).totals["skip"] == 3


def test_a_programme_row_naming_an_unknown_visit_is_refused(lands):
    dataset = tablib.Dataset(headers=["Visit", "Position", "Kind"])
    dataset.append(["no-such-visit", "1", "talks"])
    result = import_file(RESOURCES["visit-programmes"], dataset)
    assert describe_errors(result) == ["Row 2, column “Visit”: No visit has the slug “no-such-visit”."]


def test_an_outcomes_file_of_a_visit_imports_and_round_trips(lands):
    visit = lands["visit"]
    dataset = tablib.Dataset(
        headers=["Visit", "Position", "Title", "Kind", "Signed", "Number", "Source", "Note for readers"]
    )
    dataset.append([visit.slug, "1", "Action plan for 2024–2025", "programme", "yes", "", "", ""])
    dataset.append([visit.slug, "2", "Agreements on trade", "agreement", "yes", "7", "lands-agency", "A record."])
    result = import_file(RESOURCES["visit-outcomes"], dataset)
    assert describe_errors(result) == []
    plan, agreements = visit.outcomes.all()
    assert plan.status_display() == "programme or action plan, signed" and plan.cited_source() == lands["weekly"]
    assert agreements.status_display() == "7 agreements, signed" and agreements.reader_note == "A record."
    exported = RESOURCES["visit-outcomes"]().export()
    assert [row["Visit"] for row in exported.dict] == [visit.slug, visit.slug]
    assert import_file(RESOURCES["visit-outcomes"], exported).totals["skip"] == 2
    signed_decision = tablib.Dataset(headers=["Visit", "Position", "Title", "Kind", "Signed"])
    signed_decision.append([visit.slug, "3", "Meet every year", "decision", "yes"])
    assert describe_errors(import_file(RESOURCES["visit-outcomes"], signed_decision)) == [
        "Row 2, column “Signed”: A decision or a target is not signed: untick “signed”."
    ]


# The admin ------------------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:relations_{model._meta.model_name}_{view}", args=args)


def test_the_visit_form_saves_its_programme_and_outcomes_inline(superuser_client, lands):
    visit = lands["visit"]
    url = admin_url(records.Visit, "change", visit.pk)
    html = superuser_client.get(url).content.decode()
    for name in ("date_wording", "planned", "further_sources", "reader_note", "programme-TOTAL_FORMS"):
        assert f'name="{name}"' in html, name
    assert 'name="outcomes-__prefix__-reader_note"' in html
    assert 'name="programme-__prefix__-people"' in html
    form = admin_form(superuser_client, url)
    form = {name: values for name, values in form.items() if "__prefix__" not in name}
    form.update(
        {
            "planned": ["on"],
            "further_sources": [str(lands["wire"].pk)],
            "programme-TOTAL_FORMS": ["2"],
            "programme-0-kind": ["talks"],
            "programme-0-title": ["talks in extended format"],
            "programme-0-people": [str(lands["host"].pk), str(lands["minister"].pk)],
            "programme-0-place": [str(lands["capital"].pk)],
            "programme-0-date_wording": ["on Friday"],
            "programme-1-kind": ["ceremony"],
            "programme-1-title": ["the opening of a school"],
            "programme-1-place": [str(lands["port"].pk)],
            "programme-1-date": ["25.05.2024"],
            "programme-1-source": [str(lands["wire"].pk)],
            "programme-1-quote": ["On Saturday the President opened a school in Westport."],
            "outcomes-TOTAL_FORMS": ["1"],
            "outcomes-0-kind": ["memorandum"],
            "outcomes-0-title": ["Memorandum on schools"],
            "outcomes-0-reader_note": ["Signed by the ministers of education."],
        }
    )
    for prefix, count in (("programme", 2), ("outcomes", 1)):
        for index in range(count):
            form.setdefault(f"{prefix}-{index}-visit", [str(visit.pk)])
    response = superuser_client.post(url, form)
    assert response.status_code == 302, (
        response.context["errors"],
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    visit.refresh_from_db()
    assert visit.planned and list(visit.further_sources.all()) == [lands["wire"]]
    talks, school = visit.programme.all()
    assert (talks.position, talks.date, talks.date_precision) == (1, datetime.date(2024, 5, 24), "day")
    assert sorted(person.name for person in talks.people.all()) == ["Ola West", "Rut Minister"]
    assert (school.position, school.date, school.source) == (2, datetime.date(2024, 5, 25), lands["wire"])
    (memorandum,) = visit.outcomes.all()
    assert memorandum.reader_note == "Signed by the ministers of education."
    assert memorandum.status_display() == "memorandum of understanding, expected to be signed"


def test_a_visit_added_with_words_for_its_date_gets_the_address_of_the_date_they_give(superuser_client, lands):
    form = admin_form(superuser_client, admin_url(records.Visit, "add"))
    form = {name: values for name, values in form.items() if "__prefix__" not in name}
    form.update(
        {
            "guest": [str(lands["host"].pk)],
            "country": [str(lands["east"].pk)],
            "date_wording": ["last year"],
            "source": [str(lands["weekly"].pk)],
        }
    )
    response = superuser_client.post(admin_url(records.Visit, "add"), form)
    assert response.status_code == 302, response.context["errors"]
    visit = records.Visit.objects.get(guest=lands["host"])
    assert visit.slug == "ola-west-eastland-2023" and visit.start_date_precision == "year"


def test_words_that_give_no_date_are_refused_on_the_form(superuser_client, lands):
    form = admin_form(superuser_client, admin_url(records.Visit, "add"))
    form = {name: values for name, values in form.items() if "__prefix__" not in name}
    form.update(
        {
            "guest": [str(lands["host"].pk)],
            "country": [str(lands["east"].pk)],
            "date_wording": ["in recent years"],
            "source": [str(lands["weekly"].pk)],
        }
    )
    response = superuser_client.post(admin_url(records.Visit, "add"), form)
    assert response.status_code == 200
    assert "“in recent years” gives no date the site can work out" in response.content.decode()
    assert not records.Visit.objects.filter(guest=lands["host"]).exists()


def test_the_visit_list_in_the_admin_filters_planned_visits(superuser_client, lands):
    response = superuser_client.get(admin_url(records.Visit, "changelist"), {"planned__exact": "1"})
    assert response.context["cl"].result_count == 0
    lands["visit"].planned = True
    lands["visit"].save()
    response = superuser_client.get(admin_url(records.Visit, "changelist"), {"planned__exact": "1"})
    assert response.context["cl"].result_count == 1


def test_a_meetings_form_takes_words_for_its_date_and_its_outcomes_a_note(superuser_client, lands):
    council = records.Council.objects.create(name="Lands Council", source=lands["weekly"])
    meeting = records.CouncilMeeting.objects.create(
        council=council, number=1, date=datetime.date(2024, 5, 1), date_precision="month", source=lands["weekly"]
    )
    html = superuser_client.get(admin_url(records.CouncilMeeting, "change", meeting.pk)).content.decode()
    assert 'name="date_wording"' in html and 'name="outcomes-__prefix__-reader_note"' in html


# Reader pages ---------------------------------------------------------------------------------


@pytest.fixture
def told(lands):
    """The visit with its programme and outcomes, one part and one outcome citing a source of their own."""
    visit = lands["visit"]
    talks = records.Engagement(
        visit=visit, kind="talks", title="talks in narrow format", place=lands["capital"], date_wording="on Friday"
    )
    talks.full_clean(exclude=["position"])
    talks.save()
    talks.people.set([lands["host"]])
    call = records.Engagement.objects.create(
        visit=visit, kind="courtesy-call", source=lands["wire"], quote="He called on the Speaker."
    )
    call.people.set([lands["speaker"]])
    records.Engagement.objects.create(visit=visit, kind="ceremony", title="a school opened", place=lands["port"])
    records.VisitOutcome.objects.create(visit=visit, title="Action plan for 2024–2025", kind="programme", signed=True)
    records.VisitOutcome.objects.create(
        visit=visit,
        title="Agreements on trade",
        kind="agreement",
        signed=True,
        count=7,
        source=lands["agency"],
        quote="Seven agreements were signed.",
        reader_note="A record for one visit.",
    )
    visit.further_sources.set([lands["wire"]])
    return lands


def test_the_visit_page_shows_its_programme_in_order(client, told):
    html = page(client, told["visit"].get_absolute_url())
    programme = html.split('<h2 id="programme">Programme</h2>')[1].split("</ol>")[0]
    parts = programme.split("<li>")[1:]
    assert [part.split("</span>")[0].rsplit(">", 1)[1] for part in parts] == [
        "Talks",
        "Courtesy call",
        "Ceremony or event",
    ]
    talks, call, school = parts
    assert "talks in narrow format" in talks and "Ola West (President of Westland)" in talks
    assert "Westburg" in talks and "Friday, 24 May 2024 — “on Friday”" in talks
    # Its own source cited with it; the others are the visit's, cited once below.
    assert "Source:" not in talks and 'href="/sources/west-wire/">West Wire</a>' in call
    assert "He called on the Speaker." in call and "Per Speaker (Speaker of Westland)" in call
    assert "Westport" in school


def test_the_visit_page_cites_each_outcome(client, told):
    html = page(client, told["visit"].get_absolute_url())
    outcomes = html.split('<h2 id="outcomes">Outcomes</h2>')[1].split("</ul>")[0]
    plan, agreements = outcomes.split("<li>")[1:]
    assert "Action plan for 2024–2025 — programme or action plan, signed" in plan
    assert 'href="/sources/east-weekly/">East Weekly</a>' in plan
    assert "Agreements on trade — 7 agreements, signed" in agreements
    assert 'href="/sources/lands-agency/">Lands Agency</a>' in agreements
    assert "Seven agreements were signed." in agreements and "Note: A record for one visit." in agreements


def test_the_visit_page_shows_its_further_sources_and_note_for_readers(client, told):
    html = page(client, told["visit"].get_absolute_url())
    further = html.split('<h2 id="further-sources">Further sources</h2>')[1]
    assert 'href="/sources/west-wire/">West Wire</a>, 24 May 2024' in further
    assert "Note: The first official visit in ten years." in html


def test_a_planned_visit_says_so_on_its_page_and_in_the_list(client, lands):
    visit = lands["visit"]
    html = page(client, visit.get_absolute_url())
    assert "not yet recorded as held" not in html and "Planned" not in html
    visit.planned = True
    visit.save()
    html = page(client, visit.get_absolute_url())
    assert '<strong class="planned">Planned</strong>: announced; not yet recorded as held.' in html
    assert 'Friday, 24 May 2024 — “on Friday” <strong class="planned">(planned)</strong>' in html
    listed = page(client, reverse("relations:visit-list"))
    assert '<strong class="planned">Planned:</strong> <span class="date">Friday, 24 May 2024' in listed


def test_the_visit_page_reads_as_many_queries_however_long_its_programme(client, told):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            page(client, told["visit"].get_absolute_url())
        return len(captured)

    before = count()
    visit = told["visit"]
    for n in range(5):
        source = records.Source.objects.create(slug=f"paper-{n}", title=f"Paper {n}")
        place = records.Place.objects.create(name=f"Town {n}", country=told["west"])
        records.PlaceName.objects.create(place=place, name=f"Old Town {n}", end_year=2000)
        part = records.Engagement.objects.create(visit=visit, kind="meeting", place=place, source=source)
        part.people.set([told["speaker"], told["minister"]])
        records.VisitOutcome.objects.create(visit=visit, title=f"Memorandum {n}", kind="memorandum", source=source)
        visit.further_sources.add(source)
    assert count() == before


def test_a_source_cited_only_by_a_visits_outcome_lists_it(client, told):
    html = page(client, "/sources/lands-agency/")
    assert "Visit outcomes (1)" in html
    assert f'href="{told["visit"].get_absolute_url()}">Agreements on trade</a>' in html


def test_a_visit_with_its_programme_and_outcomes_round_trips_into_a_site_without_it(told):
    visit = told["visit"]
    files = {name: RESOURCES[name]().export() for name in ("visits", "visit-programmes", "visit-outcomes")}
    before = [
        (part.kind, part.title, part.date, part.date_precision, part.date_wording, part.source_id, part.quote)
        for part in visit.programme.all()
    ]
    people = [sorted(person.slug for person in part.people.all()) for part in visit.programme.all()]
    outcomes = list(visit.outcomes.values_list("title", "kind", "signed", "count", "source", "quote", "reader_note"))
    visit.delete()
    for name, dataset in files.items():
        assert describe_errors(import_file(RESOURCES[name], dataset)) == [], name
    visit = records.Visit.objects.get(slug=visit.slug)
    assert (visit.start_date, visit.date_wording, visit.reader_note) == (
        datetime.date(2024, 5, 24),
        "on Friday",
        "The first official visit in ten years.",
    )
    assert [source.slug for source in visit.further_sources.all()] == ["west-wire"]
    assert [
        (part.kind, part.title, part.date, part.date_precision, part.date_wording, part.source_id, part.quote)
        for part in visit.programme.all()
    ] == before
    assert [sorted(person.slug for person in part.people.all()) for part in visit.programme.all()] == people
    assert (
        list(visit.outcomes.values_list("title", "kind", "signed", "count", "source", "quote", "reader_note"))
        == outcomes
    )
