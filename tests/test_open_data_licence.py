"""The data's licence, an editor's setting stated in every page's footer with a line to cite the page, and the
headers that let proxies, CDNs and other sites' scripts use the public pages and the open data."""

import pytest
from django.test import Client

from relations import models as records
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

SETTINGS_PAGE = "/admin/relations/sitesettings/1/change/"


def footer(response):
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def test_every_page_states_cc_by_until_an_editor_chooses_another_licence(client, article):
    for url in ("/", "/relationships/turkiye-kazakhstan/", "/visits/", "/statistics/bilateral-trade/"):
        text = footer(client.get(url))
        assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in text, url
        assert "CC BY 4.0" in text
    assert not records.SiteSettings.objects.exists(), "reading a page writes nothing"


def test_a_page_says_how_to_cite_it_with_its_title_site_date_and_address(client, article, monkeypatch):
    import datetime

    from relations import context_processors

    monkeypatch.setattr(context_processors, "today", lambda: datetime.date(2026, 12, 5))
    text = footer(client.get("/relationships/turkiye-kazakhstan/"))
    assert "Cite this page:" in text
    assert "“Türkiye and Kazakhstan”" in text
    assert "Retrieved 5 December 2026" in text
    assert "http://testserver/relationships/turkiye-kazakhstan/" in text


# The footer is made again once the change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_an_editor_changes_the_licence_and_readers_see_it_on_the_next_page(editor_client, article):
    reader = Client()
    assert "CC BY 4.0" in footer(reader.get("/visits/"))
    assert editor_client.get("/admin/relations/sitesettings/").url == SETTINGS_PAGE

    response = editor_client.post(
        SETTINGS_PAGE,
        admin_form(editor_client, SETTINGS_PAGE, data_licence="CC0-1.0", data_publisher="Institute of Eurasia"),
    )

    assert response.status_code == 302
    text = footer(reader.get("/visits/"))
    assert "CC0 1.0" in text and "https://creativecommons.org/publicdomain/zero/1.0/" in text
    assert "Data by Institute of Eurasia" in text


def test_the_settings_are_one_row_that_nobody_adds_or_deletes(superuser_client):
    assert superuser_client.get("/admin/relations/sitesettings/add/").status_code == 403
    assert superuser_client.get("/admin/relations/sitesettings/2/change/").status_code == 302
    superuser_client.post(SETTINGS_PAGE, admin_form(superuser_client, SETTINGS_PAGE, data_licence="ODbL-1.0"))
    assert list(records.SiteSettings.objects.values_list("pk", "data_licence")) == [(1, "ODbL-1.0")]
    assert superuser_client.get("/admin/relations/sitesettings/1/delete/").status_code == 403


def test_pages_name_their_languages_for_search_engines(client, article):
    html = client.get("/visits/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/visits/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/visits/">' in html


# What caches and clients between the site and the reader are told -------------------------------------------


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_a_reader_who_has_the_page_gets_304_until_a_record_changes(client, article):
    visit = records.Visit.objects.get()
    address = f"/visits/{visit.slug}/"
    first = client.get(address)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"] and first["Last-Modified"]

    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    visit.summary = "A summary written again."
    visit.save()
    changed = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "A summary written again." in changed.content.decode()


def test_an_operator_may_let_caches_keep_public_pages_for_a_while(client, article, settings):
    settings.PUBLIC_MAX_AGE = 300
    assert client.get("/missions/")["Cache-Control"] == "public, max-age=300"


def test_what_a_signed_in_editor_sees_stays_in_their_browser(editor_client, article):
    response = editor_client.get("/visits/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]
    assert "no-store" in editor_client.get("/admin/")["Cache-Control"]


def test_errors_and_pages_of_a_bad_query_are_not_kept_by_caches(client, article):
    assert "Cache-Control" not in client.get("/visits/no-such-visit/")
    assert "Cache-Control" not in client.get("/visits/?year=abc")


def test_scripts_of_other_sites_may_read_the_feeds_but_not_the_pages(client, article):
    feed = client.get("/feeds/visits/", HTTP_ORIGIN="https://newsroom.example")
    assert feed["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in feed
    pair_feed = client.get("/relationships/turkiye-kazakhstan/feeds/figures/", HTTP_ORIGIN="https://newsroom.example")
    assert pair_feed["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/visits/", HTTP_ORIGIN="https://newsroom.example")
