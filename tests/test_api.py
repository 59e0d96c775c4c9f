"""The read-only API at /api/v1/: what a reader with `curl` gets, as JSON a page at a time or as CSV, with the public
pages' filters; drafts and what hangs from them never; answers cached like the pages and fresh after a change."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations.cache import declared_parameters, page_address

pytestmark = pytest.mark.django_db

PAIR = "turkiye-kazakhstan"
MEETING = "/api/v1/council-meetings/turkiye-kazakhstan-high-level-strategic-cooperation-council/5"
VISIT = "tokayev-official-visit-turkiye-2025-07-29"

LISTS = [
    "relationships",
    "countries",
    "relationship-levels",
    "visits",
    "councils",
    "council-meetings",
    "missions",
    "indicators",
    "statistics",
    "organizations",
    "memberships",
    "milestones",
    "sources",
]


def answer(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.json()


def csv_rows(client, url):
    """The rows of a CSV answer as dicts, and the response."""
    response = client.get(url)
    assert response.status_code == 200, url
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "spreadsheets read its letters by the byte-order mark"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))), response


def slugs(page, key="slug"):
    return {record[key] for record in page["results"]}


# Lists and paging -------------------------------------------------------------------------------------


def test_every_list_answers_a_page_with_its_total_and_the_licence(client, article):
    for name in LISTS:
        page = answer(client, f"/api/v1/{name}")
        assert page["count"] == len(page["results"]) > 0, name
        assert page["licence"] == {
            "spdx": "CC-BY-4.0",
            "name": "Creative Commons Attribution 4.0 International",
            "url": "https://creativecommons.org/licenses/by/4.0/",
            "credit": "Bilateral Relations",
        }


def test_the_index_names_every_list_and_the_description(client, article):
    index = answer(client, "/api/v1/")
    assert set(index["lists"]) == set(LISTS)
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    assert index["documentation"] == "http://testserver/api/v1/docs"
    for address in index["lists"].values():
        assert client.get(address).status_code == 200


def test_a_page_counts_the_whole_list_and_links_its_neighbours(client, article):
    first = answer(client, "/api/v1/missions?page_size=5")
    assert (first["count"], first["pages"], first["page"], len(first["results"])) == (16, 4, 1, 5)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/missions?page_size=5&page=2"
    last = answer(client, "/api/v1/missions?page_size=5&page=4")
    assert len(last["results"]) == 1 and last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/missions?page_size=5&page=3"
    every = [answer(client, f"/api/v1/missions?page_size=5&page={n}")["results"] for n in range(1, 5)]
    assert len({mission["slug"] for page in every for mission in page}) == 16
    assert answer(client, "/api/v1/missions?page_size=5&page=5", 404) == {
        "detail": "Page 5 is past the last page of this list, 4."
    }


def test_an_empty_list_is_a_page_of_nothing(client, article):
    page = answer(client, "/api/v1/visits?year=1999")
    assert (page["count"], page["pages"], page["results"]) == (0, 1, [])


# Filters ----------------------------------------------------------------------------------------------


def test_filters_narrow_the_lists_as_on_the_pages(client, article):
    kazakh = records.Mission.objects.published().filter(sender__code="KZ")
    assert slugs(answer(client, "/api/v1/missions?sender=KZ")) == set(kazakh.values_list("slug", flat=True))
    assert slugs(answer(client, "/api/v1/missions?sender=KZ&kind=embassy")) == {"kz-embassy-ankara"}
    assert slugs(answer(client, "/api/v1/missions?city=astana")) == {"tr-embassy-astana"}
    assert slugs(answer(client, f"/api/v1/visits?relationship={PAIR}&year=2025&kind=official")) == {VISIT}
    assert answer(client, "/api/v1/visits?year=2024")["count"] == 0
    assert answer(client, "/api/v1/organizations?country=TR&kind=intergovernmental")["count"] > 0
    assert answer(client, "/api/v1/statistics?indicator=tourists")["count"] == 2
    assert answer(client, "/api/v1/council-meetings?status=scheduled&year=2025")["count"] == 1
    assert answer(client, "/api/v1/memberships?organization=ots")["count"] == 2
    assert answer(client, "/api/v1/relationships?country=KZ")["count"] == 1
    assert answer(client, "/api/v1/indicators?relationship=turkiye-kazakhstan")["count"] == 9


def test_a_period_takes_the_records_of_its_years(client, article):
    assert slugs(answer(client, "/api/v1/visits?period=2025:2025")) == {VISIT}
    assert slugs(answer(client, "/api/v1/visits?period=2026:")) == set()
    assert slugs(answer(client, "/api/v1/visits?period=:2025")) == {VISIT}
    figures = answer(client, "/api/v1/statistics?period=2024:2024")["results"]
    # Within 2024 only: the calendar year's figures, not the span 2005–2024 nor January–May 2025.
    assert {(figure["indicator"], figure["period"]) for figure in figures} == {
        ("bilateral-trade", "2024"),
        ("tourists", "2024"),
    }
    assert answer(client, "/api/v1/statistics?year=2024")["count"] == 3
    levels = answer(client, "/api/v1/relationship-levels?period=2020:")["results"]
    assert [(level["level"], level["since"]) for level in levels] == [("enhanced strategic partnership", "2022")]


def test_latest_gives_the_latest_figure_of_each_series_as_the_pages_do(client, article):
    trade = answer(client, "/api/v1/statistics?indicator=bilateral-trade&latest=1")["results"]
    # The latest full period, and the later partial one beside it ("exceeded $1.9 billion", January–May 2025).
    assert [(figure["period"], figure["qualifier"], figure["value"]) for figure in trade] == [
        ("2024", "exact", 5_000_000_000),
        ("January–May 2025", "exceeded", 1_900_000_000),
    ]
    records.Statistic.objects.create(
        indicator=records.Indicator.objects.get(slug="bilateral-trade"),
        relationship=records.Relationship.objects.get(slug=PAIR),
        value=Decimal("4000000000"),
        unit="USD",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        source=records.Source.objects.get(slug="article-2025-07-29"),
    )
    assert answer(client, "/api/v1/statistics?indicator=bilateral-trade")["count"] == 3
    again = answer(client, "/api/v1/statistics?indicator=bilateral-trade&latest=1")["results"]
    assert [figure["period"] for figure in again] == ["2024", "January–May 2025"]


def test_a_filter_typed_as_a_reader_would_leads_to_its_one_address(client, article):
    for typed, address in [
        ("/api/v1/visits?country=Kazakhstan", "/api/v1/visits?country=KZ"),
        ("/api/v1/statistics?relationship=kazakhstan-turkiye", f"/api/v1/statistics?relationship={PAIR}"),
        ("/api/v1/missions?city=Nur-Sultan&format=csv", "/api/v1/missions?city=astana&format=csv"),
        ("/api/v1/statistics?period=2024", "/api/v1/statistics?period=2024:2024"),
        ("/api/v1/statistics?latest=true", "/api/v1/statistics?latest=1"),
        ("/api/v1/visits?utm_source=mail", "/api/v1/visits"),
    ]:
        response = client.get(typed)
        assert (response.status_code, response["Location"]) == (301, address), typed


@pytest.mark.parametrize(
    "url, status, detail",
    [
        ("/api/v1/visits?country=Kazakstan", 400, "Did you mean: Kazakhstan?"),
        ("/api/v1/visits?kind=holiday", 400, "kind: Input should be"),
        ("/api/v1/visits?year=20250", 400, "year: Input should be less than or equal to 2200"),
        ("/api/v1/visits?year=two", 400, "year: Input should be a valid integer"),
        ("/api/v1/visits?page=0", 400, "page: Input should be greater than or equal to 1"),
        ("/api/v1/visits?page_size=5000", 400, "page_size: Input should be less than or equal to 1000"),
        ("/api/v1/visits?format=xml", 400, "format: Input should be 'json' or 'csv'"),
        ("/api/v1/visits?country=%00", 400, "a value holds a character no name or number has"),
        ("/api/v1/statistics?period=2024:2020", 400, "The period ends (2020) before it starts (2024)."),
        ("/api/v1/statistics?period=1700:", 400, "A period's years lie between 1800 and 2200."),
        ("/api/v1/statistics?period=:", 400, "Write a period as 2020:2024"),
        ("/api/v1/statistics?latest=maybe", 400, "latest: Input should be a valid boolean"),
        ("/api/v1/statistics?relationship=nowhere", 400, "No relationship is known by “nowhere”."),
        ("/api/v1/visits/no-such-visit", 404, "No published visit is known by “no-such-visit”."),
        ("/api/v1/statistics/99999", 404, "No published figure is numbered 99999."),
        ("/api/v1/statistics/99999999999999999999", 400, "id: Input should be less than or equal to"),
        ("/api/v1/council-meetings/no-council/5", 404, "No published meeting of “no-council” is numbered 5."),
        ("/api/v1/council-meetings/no-council/70000", 400, "number: Input should be less than or equal to"),
        ("/api/v1/countries/ZZ", 404, "No country is known by “ZZ”."),
        ("/api/v1/memberships/ots/ZZ", 404, "No published membership of “ots” is known for “ZZ”."),
    ],
)
def test_a_bad_value_is_a_400_and_an_unknown_record_a_404_saying_which(client, article, url, status, detail):
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (status, "application/json; charset=utf-8")
    assert detail in response.json()["detail"]


def test_the_api_answers_get_and_head_only(client, article):
    head = client.head("/api/v1/missions")
    assert head.status_code == 200 and head["Content-Type"] == "application/json; charset=utf-8"
    assert head.content == b""
    assert client.post("/api/v1/missions").status_code == 405
    assert client.delete(f"/api/v1/visits/{VISIT}").status_code == 405


# Records ----------------------------------------------------------------------------------------------


def test_a_record_carries_its_keys_source_quotation_dates_and_last_change(client, article):
    records.Visit.objects.get(slug=VISIT).save()
    visit = answer(client, f"/api/v1/visits/{VISIT}")
    assert visit["url"] == f"http://testserver/visits/{VISIT}/"
    assert (visit["guest"]["slug"], visit["guest"]["country"]) == ("kassym-jomart-tokayev", "KZ")
    assert (visit["country"]["code"], visit["place"]["slug"]) == ("TR", "ankara")
    assert (visit["start_date"], visit["start_date_precision"]) == ("2025-07-29", "day")
    assert visit["source"]["slug"] == "article-2025-07-29"
    assert visit["source"]["published"] == "2025-07-29"
    assert visit["quotation"] and visit["licence"]["spdx"] == "CC-BY-4.0"
    changed = records.Visit.history.filter(id=records.Visit.objects.get(slug=VISIT).pk).latest("history_date")
    assert datetime.datetime.fromisoformat(visit["last_changed"]) == changed.history_date.replace(
        microsecond=changed.history_date.microsecond // 1000 * 1000
    )
    assert visit["council_meetings"] == [
        {
            "council": "turkiye-kazakhstan-high-level-strategic-cooperation-council",
            "number": 5,
            "url": "http://testserver/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/",
        }
    ]


def test_dates_keep_the_precision_the_source_gives(client, article):
    relationship = answer(client, f"/api/v1/relationships/{PAIR}")
    assert (relationship["level"], relationship["level_since"]) == ("enhanced strategic partnership", "2022")
    assert relationship["level_since_precision"] == "year"
    assert (relationship["established_on"], relationship["established_on_precision"]) == ("1992-03-02", "day")
    assert [(level["level"], level["since"]) for level in relationship["levels"]] == [
        ("strategic partnership", "2009"),
        ("enhanced strategic partnership", "2022"),
    ]
    milestones = answer(client, "/api/v1/milestones?year=2009")["results"]
    assert {(milestone["date"], milestone["date_precision"]) for milestone in milestones} == {("2009", "year")}


def test_a_figure_carries_its_qualifier_kind_period_and_preferred_flag(client, article):
    (students,) = answer(client, "/api/v1/statistics?indicator=students")["results"]
    assert students["qualifier"] == "more-than" and students["value"] == 12000
    assert students["statement"] == "more than 12,000 persons"
    assert (students["kind"], students["period_kind"], students["preferred"]) == ("figure", "as-of", True)
    assert (students["from_country"], students["to_country"]) == ("KZ", "TR")
    assert students["url"] == f"http://testserver/statistics/students/?relationship={PAIR}"
    assert answer(client, f"/api/v1/statistics/{students['id']}")["statement"] == "more than 12,000 persons"


def test_a_meeting_carries_its_agenda_and_outcomes_each_with_a_source(client, world):
    meeting = answer(client, "/api/v1/council-meetings/joint-council/5")
    assert meeting["agenda"] == [{"position": 1, "title": "Energy cooperation", "topic": "energy"}]
    (outcome,) = meeting["outcomes"]
    # Without a source of its own, an outcome cites its meeting's.
    assert (outcome["title"], outcome["source"]["slug"]) == ("Documents", "report")
    assert meeting["co_chairs"] == ["ana-guest", "bo-host"]


def test_editors_notes_never_leave_the_admin(client, article):
    figure = records.Statistic.objects.get(indicator__slug="students")
    figure.note = "Check with the ministry before publishing"
    figure.reader_note = "Students at universities"
    figure.save()
    detail = client.get(f"/api/v1/statistics/{figure.pk}").content.decode()
    rows, _ = csv_rows(client, "/api/v1/statistics?format=csv")
    assert "Check with the ministry" not in detail + str(rows)
    assert "Students at universities" in detail and "Students at universities" in str(rows)


# Drafts -----------------------------------------------------------------------------------------------


def test_drafts_never_appear(client, world):
    visit, mission = world["visit"], records.Mission.objects.get()
    for record in (visit, mission):
        record.publication_status = records.PublicationStatus.DRAFT
        record.save()
    assert answer(client, "/api/v1/visits")["count"] == 0
    assert answer(client, "/api/v1/missions")["count"] == 0
    assert client.get(f"/api/v1/visits/{visit.slug}").status_code == 404
    assert client.get(f"/api/v1/missions/{mission.slug}").status_code == 404
    rows, _ = csv_rows(client, "/api/v1/visits?format=csv")
    assert rows == []
    # A meeting held during the draft visit names no visit.
    assert answer(client, "/api/v1/council-meetings/joint-council/5")["visit"] is None


def test_published_records_of_a_draft_parent_never_appear(client, world):
    pair, council, union = world["pair"], world["council"], records.Organization.objects.get(acronym="UL")
    for parent in (pair, council, union):
        parent.publication_status = records.PublicationStatus.DRAFT
        parent.save()
    for name in ("relationships", "relationship-levels", "statistics", "milestones", "council-meetings"):
        assert answer(client, f"/api/v1/{name}")["count"] == 0, name
    assert answer(client, "/api/v1/memberships")["count"] == 0
    assert answer(client, "/api/v1/councils")["count"] == 0
    assert client.get("/api/v1/council-meetings/joint-council/5").status_code == 404
    assert client.get(f"/api/v1/relationships/{pair.slug}").status_code == 404
    level = world["level"]
    assert client.get(f"/api/v1/relationship-levels/{level.pk}").status_code == 404
    # A draft pair is no more a filter's value than on the pages.
    assert client.get(f"/api/v1/statistics?relationship={pair.slug}").status_code == 400
    # The affiliate of a draft organization names no family.
    academy = answer(client, "/api/v1/organizations/academy-of-lands")
    assert academy["parent"] is None
    rows, _ = csv_rows(client, "/api/v1/statistics?format=csv")
    assert rows == []


# CSV --------------------------------------------------------------------------------------------------


def test_csv_is_the_same_query_whole_with_the_fields_flattened(client, article):
    page = answer(client, "/api/v1/statistics?relationship=turkiye-kazakhstan&page_size=2")
    rows, response = csv_rows(client, "/api/v1/statistics?relationship=turkiye-kazakhstan&page_size=2&format=csv")
    assert page["count"] == len(rows) == 11
    assert [row["id"] for row in rows[:2]] == [str(figure["id"]) for figure in page["results"]]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistics-turkiye-kazakhstan.csv"'
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    trade = next(row for row in rows if row["period"] == "January–May 2025")
    assert (trade["qualifier"], trade["value"], trade["unit"], trade["preferred"]) == (
        "exceeded",
        "1900000000",
        "USD",
        "yes",
    )
    # The ministry's figure, as the article reports it.
    assert (trade["source_slug"], trade["source_reported_in"]) == (
        "kazakhstan-ministry-of-trade-and-integration",
        "article-2025-07-29",
    )
    assert "trade between January and May exceeded $1.9 billion" in trade["quotation"]


def test_csv_of_visits_joins_lists_and_names_people_by_key(client, article):
    (visit,), _ = csv_rows(client, "/api/v1/visits?format=csv")
    assert visit["guest_slug"] == "kassym-jomart-tokayev" and visit["country_code"] == "TR"
    topics = records.Visit.objects.get(slug=VISIT).topics.values_list("slug", flat=True)
    assert len(topics) > 1 and visit["topics"] == "; ".join(topics)


def test_text_that_would_run_as_a_formula_is_escaped_in_csv(client, world):
    visit = world["visit"]
    visit.summary = '=HYPERLINK("http://example.org")'
    visit.save()
    (row,), _ = csv_rows(client, "/api/v1/visits?format=csv")
    assert row["summary"] == '\'=HYPERLINK("http://example.org")'


def test_a_researcher_gets_every_published_figure_of_a_pair_for_2020_to_2024_as_csv(client, article):
    """Done when a researcher with only curl and a spreadsheet gets every published figure of a pair for 2020–2024
    as CSV from the API."""
    trade = records.Indicator.objects.get(slug="bilateral-trade")
    pair = records.Relationship.objects.get(slug=PAIR)
    source = records.Source.objects.get(slug="article-2025-07-29")
    for year, status in [(2019, "published"), (2020, "published"), (2021, "published"), (2022, "draft")]:
        records.Statistic.objects.create(
            indicator=trade,
            relationship=pair,
            value=Decimal(year) * 1_000_000,
            unit="USD",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            source=source,
            publication_status=status,
        )
    rows, response = csv_rows(client, f"/api/v1/statistics?relationship={PAIR}&period=2020:2024&format=csv")
    assert response["Content-Disposition"] == f'attachment; filename="statistics-{PAIR}-2020-2024.csv"'
    assert sorted((row["indicator"], row["period"], row["value"]) for row in rows) == [
        ("bilateral-trade", "2020", "2020000000"),
        ("bilateral-trade", "2021", "2021000000"),
        ("bilateral-trade", "2024", "5000000000"),
        ("tourists", "2024", "130000"),
        ("tourists", "2024", "863000"),
    ]
    expected = records.Statistic.objects.published().filter(
        relationship=pair, period_start__year__gte=2020, period_end__year__lte=2024
    )
    assert {int(row["id"]) for row in rows} == set(expected.values_list("pk", flat=True))
    assert all(row["relationship"] == PAIR and row["source_title"] for row in rows)


# The page cache ---------------------------------------------------------------------------------------


def test_a_list_is_stored_under_its_own_parameters_only():
    factory = RequestFactory()
    declared = declared_parameters(factory.get("/api/v1/statistics"))
    assert {"relationship", "indicator", "period", "latest", "page", "page_size", "format"} <= set(declared)
    assert declared_parameters(factory.get(f"/api/v1/visits/{VISIT}")) == ()
    assert page_address(factory.get(f"/api/v1/statistics?relationship={PAIR}&period=2020:2024"))[1] is True
    assert page_address(factory.get("/api/v1/statistics?utm_source=x"))[1] is False
    assert page_address(factory.get("/api/v1/statistics?page=01"))[1] is False


# A cached answer is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_answers_are_cached_and_a_committed_change_is_seen_by_the_next_request(client, article):
    url = "/api/v1/missions?sender=KZ"
    assert "kz-honorary-consulate-bitlis" in slugs(answer(client, url))
    with CaptureQueriesContext(connection) as cached:
        assert "kz-honorary-consulate-bitlis" in slugs(answer(client, url))
    # A cached answer reads nothing but whether a change awaits announcing.
    assert len(cached) == 1 and "missedpagecachechange" in cached[0]["sql"]
    detail = "/api/v1/missions/kz-honorary-consulate-bitlis"
    assert answer(client, detail)["address"] == ""
    mission = records.Mission.objects.get(slug="kz-honorary-consulate-bitlis")
    mission.address = "Harbour Street 1"
    mission.save()
    assert answer(client, detail)["address"] == "Harbour Street 1"
    mission.publication_status = records.PublicationStatus.DRAFT
    mission.save()
    assert "kz-honorary-consulate-bitlis" not in slugs(answer(client, url))
    assert client.get(detail).status_code == 404


# The public pages link their own query as data ----------------------------------------------------------


@pytest.mark.parametrize(
    "page, data",
    [
        ("/visits/?country=KZ", "/api/v1/visits?country=KZ"),
        ("/missions/?sender=TR&kind=embassy", "/api/v1/missions?sender=TR&amp;kind=embassy"),
        ("/organizations/", "/api/v1/organizations"),
        ("/councils/", "/api/v1/councils"),
        ("/statistics/", "/api/v1/statistics?latest=1"),
        (
            f"/statistics/bilateral-trade/?relationship={PAIR}",
            f"/api/v1/statistics?relationship={PAIR}&amp;indicator=bilateral-trade",
        ),
    ],
)
def test_a_public_list_links_its_own_query_as_json_and_csv(client, article, page, data):
    html = client.get(page).content.decode()
    assert f'href="{data}" type="application/json">JSON</a>' in html
    csv_address = f"{data}{'&amp;' if '?' in data else '?'}format=csv"
    assert f'href="{csv_address}" type="text/csv">CSV</a>' in html
    json_address = data.replace("&amp;", "&")
    assert client.get(json_address).status_code == 200
