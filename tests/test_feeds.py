"""Atom feeds of visits, council meetings and figures, site-wide and of one pair, as a subscriber's reader sees
them: the XML parsed, entries by title and link, drafts absent."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import models as records

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
DRAFT = records.PublicationStatus.DRAFT


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    """(title, link) of each entry, in the feed's order."""
    return [
        (entry.findtext("atom:title", namespaces=ATOM), entry.find("atom:link", ATOM).get("href"))
        for entry in feed.findall("atom:entry", ATOM)
    ]


def titles(feed):
    return [title for title, _ in entries(feed)]


def other_pair(world):
    """A second published pair, with a visit of its own."""
    west = records.Country.objects.create(code="WE", name="Westland", adjective="Western")
    pair = records.Relationship.objects.create(country_a=world["north"], country_b=west, source=world["source"])
    traveller = records.Person.objects.create(name="Cy West", country=west)
    records.Visit.objects.create(
        guest=traveller, country=world["north"], start_date=datetime.date(2024, 5, 1), source=world["source"]
    )
    return pair


def test_the_visit_feed_lists_published_visits_and_contacts_newest_first(client, world):
    records.Visit.objects.create(
        guest=world["host"],
        host=world["guest"],
        kind="phone-call",
        start_date=datetime.date(2025, 9, 1),
        source=world["source"],
        summary="They spoke of energy & trade.",
    )
    records.Visit.objects.create(
        guest=world["host"],
        country=world["north"],
        kind="official",
        planned=True,
        start_date=datetime.date(2026, 3, 1),
        start_date_precision="month",
        source=world["source"],
    )
    records.Visit.objects.create(
        guest=world["host"],
        country=world["north"],
        start_date=datetime.date(2025, 10, 1),
        source=world["source"],
        publication_status=DRAFT,
    )
    feed = read_feed(client, "/feeds/visits/")
    assert feed.findtext("atom:title", namespaces=ATOM).endswith(": visits and other contacts")
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == "http://testserver/visits/"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == "http://testserver/feeds/visits/"
    assert titles(feed) == [
        "Planned: Official visit of Bo Host to Northland, March 2026",
        "Phone call between Bo Host and Ana Guest, 1 September 2025",
        "Visit of Ana Guest to Southland, 29 July 2025",
    ]
    visit = world["visit"]
    assert entries(feed)[2][1] == f"http://testserver/visits/{visit.slug}/"
    call = feed.findall("atom:entry", ATOM)[1]
    # The summary is HTML: the reader shows "energy & trade", and the source.
    assert call.findtext("atom:summary", namespaces=ATOM) == (
        "1 September 2025, Northland. They spoke of energy &amp; trade. Source: Annual report."
    )
    # When each entry was added and last changed, from its history: real moments, not its date at its precision.
    published = datetime.datetime.fromisoformat(call.findtext("atom:published", namespaces=ATOM))
    updated = datetime.datetime.fromisoformat(call.findtext("atom:updated", namespaces=ATOM))
    assert published <= updated and published.date() >= datetime.date.today() - datetime.timedelta(days=1)
    ids = [entry.findtext("atom:id", namespaces=ATOM) for entry in feed.findall("atom:entry", ATOM)]
    assert len(set(ids)) == 3 and all(id_.startswith("http://testserver/visits/") for id_ in ids)


def test_a_pair_feed_lists_only_that_pair_and_names_it(client, world):
    other = other_pair(world)
    pair = world["pair"]
    feed = read_feed(client, f"/relationships/{pair.slug}/feeds/visits/")
    assert feed.findtext("atom:title", namespaces=ATOM) == "Northland and Southland: visits and other contacts"
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == f"http://testserver/relationships/{pair.slug}/"
    assert titles(feed) == ["Visit of Ana Guest to Southland, 29 July 2025"]
    assert titles(read_feed(client, f"/relationships/{other.slug}/feeds/visits/")) == [
        "Visit of Cy West to Northland, 1 May 2024"
    ]
    assert len(titles(read_feed(client, "/feeds/visits/"))) == 2
    # Each of a pair's feeds is a feed of its own.
    feed_ids = {
        read_feed(client, f"/relationships/{pair.slug}/feeds/{kind}/").findtext("atom:id", namespaces=ATOM)
        for kind in ("visits", "meetings", "figures")
    }
    assert len(feed_ids) == 3


def test_the_meeting_feed_leaves_out_meetings_of_a_draft_council(client, world):
    records.CouncilMeeting.objects.create(
        council=world["council"], number=6, date=datetime.date(2026, 5, 1), status="scheduled", source=world["source"]
    )
    secret = records.Council.objects.create(name="Secret Council", source=world["source"], publication_status=DRAFT)
    secret.members.set([world["north"], world["south"]])
    records.CouncilMeeting.objects.create(
        council=secret, number=1, date=datetime.date(2025, 8, 1), source=world["source"]
    )
    records.CouncilMeeting.objects.create(
        council=world["council"],
        number=4,
        date=datetime.date(2024, 1, 1),
        source=world["source"],
        publication_status=DRAFT,
    )
    expected = [
        ("Scheduled: 6th meeting of the Joint Council, 1 May 2026", "http://testserver/councils/joint-council/6/"),
        ("5th meeting of the Joint Council, 29 July 2025", "http://testserver/councils/joint-council/5/"),
    ]
    assert entries(read_feed(client, "/feeds/meetings/")) == expected
    assert entries(read_feed(client, f"/relationships/{world['pair'].slug}/feeds/meetings/")) == expected
    summary = (
        read_feed(client, "/feeds/meetings/").findall("atom:entry", ATOM)[1].findtext("atom:summary", namespaces=ATOM)
    )
    assert summary == "29 July 2025, Sudby. Source: Annual report."


def test_the_figure_feed_words_every_kind_and_links_to_the_indicator_of_the_pair(client, world):
    pair, indicator = world["pair"], world["indicator"]
    records.Statistic.objects.create(
        indicator=indicator,
        relationship=pair,
        kind="target",
        value=Decimal("10000000000"),
        unit="USD",
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        stated_on=datetime.date(2025, 7, 29),
        source=world["source"],
    )
    records.Statistic.objects.create(
        indicator=indicator,
        relationship=pair,
        kind="rank",
        value=Decimal("24"),
        wording="among investors in Southland",
        period_kind="unstated",
        source=world["source"],
    )
    # A figure of a draft pair is a draft too.
    west = records.Country.objects.create(code="WE", name="Westland", adjective="Western")
    hidden = records.Relationship.objects.create(
        country_a=world["north"], country_b=west, source=world["source"], publication_status=DRAFT
    )
    records.Statistic.objects.create(
        indicator=indicator,
        relationship=hidden,
        value=Decimal("7"),
        unit="USD",
        source=world["source"],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    feed = read_feed(client, "/feeds/figures/")
    link = f"http://testserver/statistics/{indicator.slug}/?relationship={pair.slug}"
    assert entries(feed) == [
        (
            "Bilateral trade, Northland and Southland, period not stated; reported 2 January 2025: "
            "24th among investors in Southland",
            link,
        ),
        ("Bilateral trade, Northland and Southland, by 2030, set 29 July 2025: target: $10 billion", link),
        ("Bilateral trade, Northland and Southland, 2024: $5 billion (TL 202.86 billion)", link),
    ]
    # One page for all three: their ids tell them apart.
    assert len({entry.findtext("atom:id", namespaces=ATOM) for entry in feed.findall("atom:entry", ATOM)}) == 3
    assert "Source: Annual report." in feed.find("atom:entry", ATOM).findtext("atom:summary", namespaces=ATOM)
    assert entries(read_feed(client, f"/relationships/{pair.slug}/feeds/figures/")) == entries(feed)


@pytest.mark.parametrize("kind", ["visits", "meetings", "figures"])
def test_a_draft_or_unknown_pair_has_no_feed(client, world, kind):
    pair = world["pair"]
    assert client.get(f"/relationships/no-such-pair/feeds/{kind}/").status_code == 404
    # Named the other way round, the pair's feed is found, as its page is.
    response = client.get(f"/relationships/southland-northland/feeds/{kind}/")
    assert response.status_code == 301 and response["Location"] == f"/relationships/{pair.slug}/feeds/{kind}/"
    pair.publication_status = DRAFT
    pair.save()
    assert client.get(f"/relationships/{pair.slug}/feeds/{kind}/").status_code == 404
    assert client.get(f"/relationships/southland-northland/feeds/{kind}/").status_code == 404
    assert client.post(f"/feeds/{kind}/").status_code == 405


def test_the_pages_announce_their_feeds(client, world):
    pair = world["pair"]
    pages = {
        "/visits/": ["/feeds/visits/"],
        "/councils/": ["/feeds/meetings/"],
        "/statistics/": ["/feeds/figures/"],
        f"/relationships/{pair.slug}/": [
            f"/relationships/{pair.slug}/feeds/{kind}/" for kind in ("visits", "meetings", "figures")
        ],
    }
    for page, feeds in pages.items():
        html = client.get(page).content.decode()
        head = html.split("</head>")[0]
        for feed in feeds:
            assert '<link rel="alternate" type="application/atom+xml"' in head
            assert f'href="{feed}"' in head, (page, feed)
            assert client.get(feed).status_code == 200
        # The base template's head is kept: the page's own stylesheet is still there.
        assert 'rel="stylesheet"' in head
        if not page.startswith("/relationships/"):
            assert f'<a href="{feeds[0]}" type="application/atom+xml">Atom feed</a>' in html


def add_visits(world, count, start):
    for day in range(count):
        visit = records.Visit.objects.create(
            guest=world["guest"],
            host=world["host"],
            country=world["south"],
            place=world["city"],
            start_date=start + datetime.timedelta(days=day),
            source=world["source"],
            kind="sidelines",
            occasion=f"summit {start.year}-{day}",
        )
        assert visit.pk


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        read_feed(client, url)
    return len(queries)


@pytest.mark.parametrize("kind", ["visits", "meetings", "figures"])
def test_the_queries_of_a_feed_do_not_grow_with_its_entries(client, world, settings, kind):
    settings.PUBLIC_PAGE_CACHE = False
    pair = world["pair"]
    urls = ["/feeds/{kind}/", f"/relationships/{pair.slug}/feeds/{{kind}}/"]
    few = [queries_of(client, url.format(kind=kind)) for url in urls]
    add_visits(world, 30, datetime.date(2020, 1, 1))
    for number in range(6, 36):
        records.CouncilMeeting.objects.create(
            council=world["council"],
            number=number,
            date=datetime.date(2020, 1, number % 28 + 1),
            place=world["city"],
            source=world["source"],
        )
    for year in range(1990, 2020):
        records.Statistic.objects.create(
            indicator=world["indicator"],
            relationship=pair,
            value=Decimal(year),
            unit="USD",
            source=world["source"],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            from_country=world["north"],
            to_country=world["south"],
        )
    many = [queries_of(client, url.format(kind=kind)) for url in urls]
    assert len(entries(read_feed(client, urls[0].format(kind=kind)))) == 31
    assert many == few


def test_a_feed_has_at_most_fifty_entries_the_latest(client, world):
    add_visits(world, 55, datetime.date(2010, 1, 1))
    feed = read_feed(client, "/feeds/visits/")
    assert len(entries(feed)) == 50
    assert titles(feed)[0] == "Visit of Ana Guest to Southland, 29 July 2025"
    assert "summit 2010-54" in titles(feed)[1] and "summit 2010-6," in titles(feed)[-1]


@pytest.mark.django_db(transaction=True)
def test_a_cached_feed_shows_a_new_visit_once_committed(client, world, settings):
    """Cached as the pages are, and dropped with them when a change is committed (relations/cache.py)."""
    settings.PUBLIC_PAGE_CACHE = True
    assert len(entries(read_feed(client, "/feeds/visits/"))) == 1
    with CaptureQueriesContext(connection) as queries:
        read_feed(client, "/feeds/visits/")
    assert not any("relations_visit" in query["sql"] for query in queries.captured_queries)
    add_visits(world, 1, datetime.date(2025, 12, 1))
    assert len(entries(read_feed(client, "/feeds/visits/"))) == 2
