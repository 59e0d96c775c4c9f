"""At scale: each public page reads as many queries and weighs as little however many records there are, and
what a long list leaves out is a link away."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations.cache import site_settings

pytestmark = pytest.mark.django_db

# The bound for a page at the size of `seed_scale --pairs 100`.
MAX_PAGE_BYTES = 100 * 1024


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False  # each request reads the database


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def seeded(pairs, seed):
    """`seed_scale` with this many pairs; the addresses of its pages, by what they show."""
    call_command("seed_scale", "--pairs", str(pairs), "--seed", str(seed), stdout=io.StringIO())
    pair = records.Relationship.objects.filter(slug__startswith=f"s{seed}-").order_by("pk").first()
    hub = pair.country_a
    indicator = records.Indicator.objects.filter(statistics__relationship=pair).order_by("position").first()
    council = records.Council.objects.filter(slug__startswith=f"s{seed}-").order_by("pk").first()
    narrowed = f"?relationship={pair.slug}"
    return {
        "the hub country": hub.get_absolute_url(),
        "a partner country": pair.country_b.get_absolute_url(),
        "the pair": pair.get_absolute_url(),
        "the source": f"/sources/scale-{seed}/",
        "an indicator": indicator.get_absolute_url(),
        "the pair's series": indicator.get_absolute_url() + narrowed,
        "the pair's statistics": "/statistics/" + narrowed,
        "the pair's visits": "/visits/" + narrowed,
        "the pair's missions": "/missions/" + narrowed,
        "the pair's organizations": "/organizations/" + narrowed,
        "the pair's timeline": "/timeline/" + narrowed,
        "the hub's visits": f"/visits/?country={hub.code}",
        "the hub's missions": f"/missions/?sender={hub.code}",
        "the hub's organizations": f"/organizations/?country={hub.code}",
        "a council": council.get_absolute_url(),
        "a meeting": council.meetings.order_by("number").last().get_absolute_url(),
    }


def measured(client, pages):
    """{page: (queries, bytes)}."""
    # The site's settings (the footer's licence) are read once into the cache, by whichever page comes first.
    site_settings()
    found = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            html = page(client, url)
        found[name] = (len(queries), len(html.encode()))
    return found


def test_the_pages_of_a_larger_seed_read_as_many_queries_and_weigh_under_the_bound(client):
    small = measured(client, seeded(1, 7))
    large = measured(client, seeded(3, 8))
    grown = {name: (small[name][0], large[name][0]) for name in small if large[name][0] > small[name][0]}
    assert grown == {}
    assert max(queries for queries, _ in large.values()) <= 20
    heavy = {name: size for name, (_, size) in large.items() if size > MAX_PAGE_BYTES}
    assert heavy == {}


def test_the_statistics_list_stays_light_with_many_pairs_and_each_pair_has_every_figure_on_its_own(client):
    call_command("seed_scale", "--pairs", "7", "--seed", "7", stdout=io.StringIO())
    first = page(client, "/statistics/")
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    assert pages >= 3  # a few pairs to a page
    for number in range(1, pages + 1):
        html = page(client, f"/statistics/?page={number}")
        assert len(html.encode()) < MAX_PAGE_BYTES, number
        assert html.count("<section") - 1 <= 3  # its pairs, and the index of indicators
    pair = records.Relationship.objects.filter(slug__startswith="s7-").order_by("position", "slug").first()
    listed = first.split(f'id="figures-{pair.slug}"')[1].split("</section>")[0]
    # Its first ten indicators here, each a row, and all fifty on its own statistics.
    assert listed.count('<th scope="row">') == 10
    assert f'<a href="?relationship={pair.slug}">The latest figure of each indicator of' in listed
    own = page(client, f"/statistics/?relationship={pair.slug}")
    assert own.count('<th scope="row">') == 50 and len(own.encode()) < MAX_PAGE_BYTES
    # Every indicator with a figure is in the index, on every page.
    measured = records.Indicator.objects.filter(slug__startswith="s7-", statistics__isnull=False).distinct()
    assert first.count('<li><a href="/statistics/s7-indicator-') == measured.count() == 7 * 50


def test_a_country_at_the_centre_of_many_pairs_lists_a_few_of_each_and_links_to_all(client):
    call_command("seed_scale", "--pairs", "3", "--seed", "7", stdout=io.StringIO())
    hub = records.Relationship.objects.filter(slug__startswith="s7-").first().country_a
    html = page(client, hub.get_absolute_url())
    abroad = html.split('id="missions-abroad"')[1].split("</section>")[0]
    assert abroad.count("<li>") == 20
    assert f'href="/missions/?sender={hub.code}">Every mission of {hub.name} abroad</a>' in abroad
    hosted = html.split('id="missions-hosted"')[1].split("</section>")[0]
    assert f'href="/missions/?host={hub.code}">Every mission in {hub.name}</a>' in hosted
    memberships = html.split('id="memberships"')[1].split("</section>")[0]
    assert memberships.count("<li>") == 20
    assert f'href="/organizations/?country={hub.code}">Every organization {hub.name} belongs to</a>' in memberships
    # The lists linked to hold them all: 25 cities of each of three partners.
    assert "75 missions." in page(client, f"/missions/?sender={hub.code}")
    # Its latest visits, to it and by its people, newest first.
    visits = records.Visit.objects.filter(country=hub) | records.Visit.objects.filter(guest__country=hub)
    latest = visits.order_by("-start_date", "slug")[:10]
    shown = html.split('id="visits"')[1].split("</section>")[0]
    assert re.findall(r'<li><a href="([^"]+)"', shown) == [visit.get_absolute_url() for visit in latest]


def test_a_source_cited_by_thousands_lists_the_last_recorded_of_each_kind(client, article):
    call_command("seed_scale", "--pairs", "1", "--seed", "7", stdout=io.StringIO())
    html = page(client, "/sources/scale-7/")
    assert "Statistics (more than 20)" in html and "Visits (more than 20)" in html
    assert "The last 20 recorded are listed here." in html
    statistics = html.split("Statistics (more than 20)")[1].split("</section>")[0]
    assert statistics.count("<li>") == 20
    # A source citing fewer names how many.
    assert "Diplomatic missions (16)" in page(client, "/sources/article-2025-07-29/")


def test_an_indicator_charts_a_few_pairs_and_sends_readers_to_the_others_own_pages(client, world):
    indicator, north = world["indicator"], world["north"]
    for number in range(5):
        partner = records.Country.objects.create(code=f"P{number}", name=f"Partner {number}")
        pair = records.Relationship.objects.create(country_a=north, country_b=partner, source=world["source"])
        records.Statistic.objects.create(
            indicator=indicator,
            relationship=pair,
            value=Decimal(1_000_000 * (number + 1)),
            unit="USD",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            source=world["source"],
        )
    html = page(client, indicator.get_absolute_url())
    assert html.count('<figure class="chart-figure">') == 4
    assert "The charts and targets of 2 more pairs are on their own pages" in html
    # The table lists every pair's figure; the left-out pair's own page charts it.
    assert html.split("<table")[1].count("<tr>") == 7  # the header and six figures
    left_out = records.Relationship.objects.order_by("position", "slug").last()
    own = page(client, f"{indicator.get_absolute_url()}?relationship={left_out.slug}")
    assert own.count('<figure class="chart-figure">') == 1 and "more pair" not in own


def test_the_addresses_a_page_writes_from_one_reverse_each_are_the_records_own(article):
    """Lists write a record's address as its kind's Addresses prefix, its slug and '/', and a source page each
    citing record's as views.reference.cited_at does: the same as the record's get_absolute_url."""
    from relations.registry import RECORD_TYPES
    from relations.views.base import Addresses
    from relations.views.reference import cited_at

    call_command("seed_scale", "--pairs", "1", "--seed", "7", stdout=io.StringIO())
    at = Addresses()
    for model in (
        records.Country,
        records.Relationship,
        records.Visit,
        records.Council,
        records.Mission,
        records.Indicator,
        records.Organization,
        records.Source,
    ):
        for record in model.objects.order_by("pk")[:3]:
            assert f"{at[model._meta.model_name]}{record.slug}/" == record.get_absolute_url()
    meeting = records.CouncilMeeting.objects.select_related("council").first()
    assert f"{at['council']}{meeting.council.slug}/{meeting.number}/" == meeting.get_absolute_url()
    milestone = records.Milestone.objects.first()
    assert f"{at['timeline']}#{milestone.slug}" == milestone.get_absolute_url()
    cited = [record_type for record_type in RECORD_TYPES if record_type.cites_as]
    for record_type in cited:
        found = list(record_type.public().select_related(*record_type.named_with).order_by("-pk")[:3])
        assert found, record_type.name
        assert [cited_at(at, record) for record in found] == [record.get_absolute_url() for record in found]


def test_each_page_reads_the_queries_it_needs_and_no_more(client):
    """The number of queries of each page at scale, as it was when it was last made faster: a page reading
    more says so here (the first test says whether it grows with the data)."""
    budget = {
        "the hub country": 13,
        "a partner country": 13,
        "the pair": 18,
        # One query for each record type that may cite it (visits' outcomes and programmes made it 17).
        "the source": 17,
        "an indicator": 9,
        "the pair's series": 10,
        "the pair's statistics": 12,
        "the pair's visits": 11,
        "the pair's missions": 10,
        "the pair's organizations": 10,
        "the pair's timeline": 14,
        "the hub's visits": 11,
        "the hub's missions": 10,
        "the hub's organizations": 10,
        "a council": 7,
        "a meeting": 8,
    }
    found = {name: queries for name, (queries, _) in measured(client, seeded(3, 8)).items()}
    assert found == budget
