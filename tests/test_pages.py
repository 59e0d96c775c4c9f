"""Public pages show the article's facts, hide drafts, refuse bad addresses politely and stay at a fixed query count."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import dates
from relations import models as records

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


FACTS_BY_PAGE = {
    "/": [
        "Türkiye and Kazakhstan",
        "Enhanced strategic partnership",
        "since 2022",
        "2 March 1992",
        "exceeded $1.9 billion",
        "January–May 2025",
        "more than 12,000 persons",
        "Kassym-Jomart Tokayev",
        "5th meeting of the Türkiye-Kazakhstan High-Level Strategic Cooperation Council",
        "3 consulates general",
        "7 honorary consulates",
    ],
    "/visits/": ["Official visit of Kassym-Jomart Tokayev to Türkiye", "29 July 2025", "Ankara", "Recep Tayyip Erdoğan"],
    "/councils/": ["Türkiye-Kazakhstan High-Level Strategic Cooperation Council", "1 meeting"],
    "/missions/": ['Missions of <a href="/countries/kazakhstan/">Kazakhstan</a>', 'Missions of <a href="/countries/turkiye/">Türkiye</a>', "Bitlis", "Honorary consulate", "Astana (formerly Nur-Sultan)", "1992"],
    "/statistics/": ["Bilateral trade", "exceeded $1.9 billion", "January–May 2025", "3,538 companies", "Tourists"],
    "/statistics/bilateral-trade/": ["$5 billion (TL 202.86 billion)", "2024", "January–May 2025", "Ministry of Trade and Integration", "<svg"],
    "/statistics/investment/": ["$5.2 billion", "2005–2024", "Türkiye → Kazakhstan"],
    "/statistics/tourists/": ["863,000 persons", "130,000 persons", "Kazakhstan → Türkiye"],
    "/statistics/presidential-visits/": ["more than 20 visits"],
    "/statistics/bilateral-meetings/": ["14 meetings", "since 2019, as of 29 July 2025"],
    "/statistics/joint-projects/": ["78 projects"],
    "/statistics/scholarships/": ["300 persons", "2024–2025 academic year"],
    "/organizations/": ["Organization of Turkic States", "International Organization of Turkic Culture", "TÜRKSOY", "Turkic Council", "founding member", "United Nations", "Economic Cooperation Organization"],
    "/organizations/ots/": ["founding member", "Turkic Parliamentary Assembly", "Turkic Council (until 2021)"],
    "/timeline/": ["16 December 1991", "2 March 1992", "2009", "2022", "Visa-free stay for Turkish citizens extended from 30 to 90 days", "29 July 2025"],
    "/visits/tokayev-official-visit-turkiye-2025-07-29/": ["airport", "Recep Tayyip Erdoğan", "At the invitation of", "Source:", "Tokayev is on an official visit at the invitation of Erdoğan."],
    "/sources/article-2025-07-29/": ["Erdoğan hosts Kazakh President Tokayev", "Diplomatic missions (16)", "Organizations (9)", "Memberships (18)", "Statistics (10)", "Milestones (6)", "Tourists, 2024, Kazakhstan → Türkiye: 863,000 persons", "Kazakhstan–Türkiye trade, January–May 2025"],
    "/sources/kazakhstan-ministry-of-trade-and-integration/": ["Ministry of Trade and Integration", "Reported in", "Erdoğan hosts Kazakh President Tokayev", "Statistics (1)", "exceeded $1.9 billion"],
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/": ["Middle Corridor", "Defense industry", "Agriculture", "Scheduled", "numerous documents", "expected to be signed", "Kassym-Jomart Tokayev"],
}  # fmt: skip


@pytest.mark.parametrize("url", list(FACTS_BY_PAGE))
def test_page_shows_the_article_facts(client, article, url, monkeypatch):
    # As on the article's day: the 5th meeting is then "scheduled", not past its date (test_reader_pages).
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2025, 7, 29))
    html = page(client, url)
    for fact in FACTS_BY_PAGE[url]:
        assert fact in html, (url, fact)


def test_home_shows_the_anniversary_computed_today(client, article):
    relationship = records.Relationship.objects.get()
    assert relationship.anniversary_display() in page(client, "/")
    assert (
        relationship.anniversary_display(on=datetime.date(2025, 7, 29))
        == "34th year of diplomatic relations (33rd anniversary)"
    )


def public_record_urls():
    urls = []
    for model in (records.Visit, records.Council, records.CouncilMeeting, records.Mission, records.Organization):
        urls += [obj.get_absolute_url() for obj in model.objects.published()]
    urls += [indicator.get_absolute_url() for indicator in records.Indicator.objects.all()]
    urls += [relationship.get_absolute_url() for relationship in records.Relationship.objects.all()]
    urls += [source.get_absolute_url() for source in records.Source.objects.all()]
    return urls


def test_every_detail_page_answers(client, article):
    urls = public_record_urls()
    assert len(urls) > 30
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    ["/sitemap.xml", "/robots.txt", "/healthz", "/search/?q=ankara", "/statistics/tourists/?format=csv", "/timeline/"],
)
def test_service_pages_answer(client, article, url):
    assert client.get(url).status_code == 200


def test_sitemap_lists_every_public_page(client, article):
    index = page(client, "/sitemap.xml")
    listed = ""
    for section in (
        "sections",
        "relationships",
        "visits",
        "councils",
        "meetings",
        "missions",
        "indicators",
        "organizations",
        "sources",
    ):
        assert f"sitemap-{section}.xml" in index
        listed += page(client, f"/sitemap-{section}.xml")
    for url in public_record_urls():
        assert url in listed, url


def test_series_download_is_csv_of_published_figures(client, article):
    response = client.get("/statistics/bilateral-trade/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "turkiye-kazakhstan,2024,2024-01-01,2024-12-31,,,exactly,5000000000,USD,202860000000,TRY,yes" in text
    assert "exceeded,1900000000" in text


def test_indicator_whose_figures_are_none_preferred_stays_listed(client, article):
    records.Statistic.objects.filter(indicator__slug="joint-projects").update(is_preferred=False)
    html = page(client, "/statistics/")
    assert 'href="/statistics/joint-projects/"' in html
    assert "No figure is marked preferred" in html
    assert "78 projects" in page(client, "/statistics/joint-projects/")


def test_an_indicator_with_only_a_target_is_not_taken_for_figures_awaiting_a_preferred_one(client, article):
    pair = records.Relationship.objects.get(slug="turkiye-kazakhstan")
    investment = records.Indicator.objects.create(name="Mutual investment", slug="mutual-investment")
    stated = records.Statistic(
        indicator=investment,
        relationship=pair,
        kind=records.Statistic.Kind.TARGET,
        value=30_000_000_000,
        unit="USD",
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        stated_on=datetime.date(2025, 7, 29),
        source=records.Source.objects.first(),
        publication_status=records.PublicationStatus.PUBLISHED,
    )
    stated.full_clean()
    stated.save()
    for url in (pair.get_absolute_url(), "/statistics/"):
        html = page(client, url)
        assert "target: $30 billion" in html, url
        assert "No figure is marked preferred" not in html, url


def test_every_fact_links_to_its_source_page(client, article):
    html = page(client, "/missions/tr-embassy-astana/")
    assert "Source:" in html and "Currently, Türkiye has an embassy" in html
    assert 'href="/sources/article-2025-07-29/"' in html
    trade = page(client, "/statistics/bilateral-trade/")
    assert 'href="/sources/kazakhstan-ministry-of-trade-and-integration/"' in trade
    assert 'href="/sources/kazakhstan-ministry-of-trade-and-integration/"' in page(client, "/")


def test_a_source_only_drafts_cite_stays_unseen_but_for_staff(client, article, django_user_model):
    embargoed = records.Source.objects.create(title="Embargoed report")
    visit = records.Visit.objects.get()
    visit.source, visit.publication_status = embargoed, records.PublicationStatus.DRAFT
    visit.save()
    assert client.get(embargoed.get_absolute_url()).status_code == 404
    assert embargoed.get_absolute_url() not in page(client, "/sitemap-sources.xml")
    assert "/sources/article-2025-07-29/" in page(client, "/sitemap-sources.xml")
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert "Embargoed report" in page(client, embargoed.get_absolute_url())


def test_source_page_lists_only_published_facts(client, article):
    visit = records.Visit.objects.get()
    visit.publication_status = records.PublicationStatus.DRAFT
    visit.save()
    html = page(client, "/sources/article-2025-07-29/")
    assert "Visits (" not in html and visit.get_absolute_url() not in html
    assert "Diplomatic missions (16)" in html


# Drafts ---------------------------------------------------------------------------------------


def test_drafts_are_hidden_from_the_public_and_previewable_by_staff(client, article, django_user_model):
    mission = records.Mission.objects.get(slug="kz-honorary-consulate-bitlis")
    mission.publication_status = "draft"
    mission.save()
    assert client.get(mission.get_absolute_url()).status_code == 404
    assert "Bitlis" not in page(client, "/missions/")
    assert "kz-honorary-consulate-bitlis" not in page(client, "/sitemap-missions.xml")
    assert "Bitlis" not in page(client, "/search/?q=bitlis").split("<main", 1)[1].split("Places", 1)[0]
    staff = django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    client.force_login(staff)
    preview = page(client, mission.get_absolute_url())
    assert "Draft preview" in preview


# Bad addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/visits/?page=abc", 404),
        ("/visits/?page=99999", 404),
        ("/visits/?page=-1", 404),
        ("/visits/?country=ZZ", 400),
        ("/visits/?year=abc", 400),
        ("/visits/?year=99999999999999999999", 400),
        ("/visits/?topic=no-such-topic", 400),
        ("/missions/?kind=palace", 400),
        ("/missions/?city=atlantis", 400),
        ("/organizations/?country=%00", 400),
        ("/timeline/?year=abc", 400),
        ("/timeline/?page=0", 404),
        ("/statistics/tourists/?format=pdf", 404),
        ("/statistics/no-such-indicator/", 404),
        ("/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/99/", 404),
        ("/search/?q=" + "x" * 10_000, 400),
        ("/no/such/page/", 404),
    ],
)
def test_bad_addresses_get_a_helpful_page_not_an_error(client, article, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Bilateral Relations" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("?city=Almaty", "?city=almaty"),
        ("?city=ALMATY", "?city=almaty"),
        ("?city=%C4%B0stanbul", "?city=istanbul"),
        ("?city=Istanbul", "?city=istanbul"),
        ("?city=Nur-Sultan", "?city=astana"),
        ("?sender=tr", "?sender=TR"),
        ("?sender=Kazakhstan&kind=", "?sender=KZ"),
        ("?sender=T%C3%BCrkiye&host=kazakhstan", "?sender=TR&host=KZ"),
    ],
)
def test_a_filter_takes_what_a_reader_types_and_leads_to_its_one_address(client, article, typed, address):
    response = client.get(f"/missions/{typed}")
    assert (response.status_code, response["Location"]) == (301, f"/missions/{address}")
    assert client.get(response["Location"]).status_code == 200


def test_a_city_typed_by_name_lists_its_missions(client, article):
    page = client.get("/missions/?city=Almaty", follow=True).content.decode()
    assert "Almaty" in page and "Bitlis" not in page


@pytest.mark.parametrize(("url", "status"), [("/missions/?city=Atlantis", 400), ("/statistics/no-such/", 404)])
def test_bad_addresses_get_the_sites_own_page_in_development_too(client, article, settings, url, status):
    settings.DEBUG = True
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert "Bilateral Relations" in page and "Traceback" not in page and "technical" not in page.lower()
    if status == 400:
        assert "No city is known by “Atlantis”." in page


def test_search_with_control_characters_and_broken_utf8_is_fine(client, article):
    assert client.get("/search/", {"q": "ank\x00ara\x1b"}).status_code == 200
    assert client.get("/search/?q=%ff%fe").status_code == 200


# Query counts ---------------------------------------------------------------------------------

PAGES_FOR_COUNTS = [
    "/",
    "/relationships/turkiye-kazakhstan/",
    "/visits/",
    "/visits/?country=TR",
    "/councils/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/",
    "/missions/",
    "/statistics/",
    "/statistics/bilateral-trade/",
    "/organizations/",
    "/organizations/ots/",
    "/timeline/",
    "/search/?q=turk",
    "/visits/tokayev-official-visit-turkiye-2025-07-29/",
    "/sources/article-2025-07-29/",
    "/countries/turkiye/",
    # Lists narrowed to one pair, which the pair's page links to.
    "/visits/?relationship=turkiye-kazakhstan",
    "/councils/?relationship=turkiye-kazakhstan",
    "/missions/?relationship=turkiye-kazakhstan",
    "/statistics/?relationship=turkiye-kazakhstan",
    "/statistics/bilateral-trade/?relationship=turkiye-kazakhstan",
    "/organizations/?relationship=turkiye-kazakhstan",
    "/timeline/?relationship=turkiye-kazakhstan",
]


def query_counts(client):
    counts = {}
    for url in PAGES_FOR_COUNTS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_count_does_not_grow_with_the_data(client, article):
    small = query_counts(client)
    call_command("seed_scale", "--pairs", "3", "--seed", "7", stdout=io.StringIO())
    assert records.Visit.objects.count() > 500
    large = query_counts(client)
    grown = {url: (small[url], large[url]) for url in small if large[url] > small[url]}
    assert grown == {}
    assert max(small.values()) <= 20


# Page cache -------------------------------------------------------------------------------------


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_public_pages_are_cached_and_refreshed_when_a_record_changes(client, article):
    with CaptureQueriesContext(connection) as first:
        assert "Bitlis" in page(client, "/missions/")
    with CaptureQueriesContext(connection) as second:
        assert "Bitlis" in page(client, "/missions/")
    # A cached page reads nothing but whether a change awaits announcing (MissedPageCacheChange): one query.
    assert len(first) > 1 and len(second) == 1 and "missedpagecachechange" in second[0]["sql"]
    mission = records.Mission.objects.get(slug="kz-honorary-consulate-bitlis")
    mission.publication_status = "draft"
    mission.save()
    assert "Bitlis" not in page(client, "/missions/")


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_publishing_from_the_admin_list_refreshes_the_cache(superuser_client, client, article):
    mission = records.Mission.objects.get(slug="kz-honorary-consulate-bitlis")
    assert "Bitlis" in page(client, "/missions/")
    superuser_client.post("/admin/relations/mission/", {"action": "unpublish", "_selected_action": [mission.pk]})
    assert "Bitlis" not in page(client, "/missions/")


def test_editors_are_never_served_a_cached_page(client, article, django_user_model):
    page(client, "/missions/")
    mission = records.Mission.objects.get(slug="kz-honorary-consulate-bitlis")
    records.Mission.objects.filter(pk=mission.pk).update(publication_status="draft")  # no signal: cache not told
    staff = django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    client.force_login(staff)
    assert "Draft preview" in page(client, mission.get_absolute_url())


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_a_visit_or_meeting_whose_kind_the_source_does_not_state_shows_no_guess(client, world):
    visit, meeting = world["visit"], world["meeting"]
    assert visit.kind == "" and meeting.status == ""  # made without one, as from a source that does not say
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Visit of Ana Guest to Southland" in page and "Official" not in page and "Not stated" not in page
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Status" not in meeting_page and "Scheduled" not in meeting_page
    visit.kind = records.Visit.Kind.STATE
    visit.save()
    assert "State visit of Ana Guest" in client.get(visit.get_absolute_url()).content.decode()


# Shared links and printing ------------------------------------------------------------------------


def link_preview(html):
    """The Open Graph and Twitter card tags of a page, as a site showing a shared link reads them."""
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):\w+)" content="([^"]*)">', html))


def test_a_shared_relationship_page_shows_the_pairs_name_and_its_summary(client, article):
    html = page(client, "/relationships/turkiye-kazakhstan/")
    summary = "Relations between Türkiye and Kazakhstan hold special significance due to the shared cultural roots"
    preview = link_preview(html)
    assert preview["og:description"].startswith(summary) and preview["twitter:description"].startswith(summary)
    assert preview == {
        "og:type": "website",
        "og:site_name": django_settings.SITE_NAME,
        "og:title": "Türkiye and Kazakhstan",
        "og:description": preview["og:description"],
        "og:url": "http://testserver/relationships/turkiye-kazakhstan/",
        "og:image": "http://testserver/static/img/card.png",
        "twitter:card": "summary",
        "twitter:title": "Türkiye and Kazakhstan",
        "twitter:description": preview["og:description"],
        "twitter:image": "http://testserver/static/img/card.png",
    }


def test_a_shared_link_shows_the_sites_picture_which_the_site_serves(client, article):
    from django.contrib.staticfiles import finders

    html = page(client, "/visits/")
    assert '<meta property="og:image:width" content="512">' in html
    picture = finders.find("img/card.png")
    with open(picture, "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_shared_visit_page_shows_its_title_and_summary(client, article):
    html = page(client, "/visits/tokayev-official-visit-turkiye-2025-07-29/")
    preview = link_preview(html)
    assert preview["og:title"] == "Official visit of Kassym-Jomart Tokayev to Türkiye, 29 July 2025"
    assert preview["og:description"].startswith("Kazakh President Kassym-Jomart Tokayev’s official visit to Türkiye")


def test_a_shared_visit_page_without_a_summary_still_says_what_the_page_holds(client, world):
    preview = link_preview(page(client, world["visit"].get_absolute_url()))
    assert preview["og:title"] == "Visit of Ana Guest to Southland, 29 July 2025"
    assert preview["og:description"].startswith("Visit of Ana Guest to Southland, 29 July 2025: ")


@pytest.mark.parametrize("url", PAGES_FOR_COUNTS)
def test_every_public_page_names_its_title_summary_and_address_for_shared_links(client, article, url):
    html = page(client, url)
    preview = link_preview(html)
    title = re.search(r"<title>(.*?) · ", html).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)
    assert canonical.startswith("http://testserver/")
    assert preview == {
        "og:type": "website",
        "og:site_name": django_settings.SITE_NAME,
        "og:title": title,
        "og:description": description,
        "og:url": canonical,
        "og:image": "http://testserver/static/img/card.png",
        "twitter:card": "summary",
        "twitter:title": title,
        "twitter:description": description,
        "twitter:image": "http://testserver/static/img/card.png",
    }
    assert title and description


def hidden_in_print():
    """The selectors the stylesheet's print rules hide."""
    css = (ROOT / "static" / "css" / "site.css").read_text()
    hidden = set()
    for block in re.findall(r"@media print\s*\{(.*?)\n\}", css, re.S):
        for selectors, rules in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            if re.search(r"display:\s*none", rules):
                hidden |= {selector.strip() for selector in selectors.split(",")}
    return hidden, css


def test_a_printed_page_leaves_out_navigation_search_and_filters(client, article):
    html = page(client, "/missions/")
    hidden, css = hidden_in_print()
    # What a page shows on screen around its content, each as the page marks it up.
    for element, tag, css_class in (
        ('<a class="skip-link"', "a", "skip-link"),
        ('<nav aria-label="Sections">', "nav", None),
        ('<form class="site-search"', "form", "site-search"),
        ('<form class="filters"', "form", "filters"),
    ):
        assert element in html
        assert {tag, f".{css_class}", f"{tag}.{css_class}"} & hidden, element
    assert not {"main", "h1", ".records", ".table"} & hidden
    # Links print as their text: no address written after them.
    assert "attr(href)" not in css
