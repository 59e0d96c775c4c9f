"""One search over every record, blind to accents and case, the same on SQLite and PostgreSQL."""

import pytest

from relations import models as records
from relations.search import search
from relations.text import fold

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("turksoy", "Organizations", "International Organization of Turkic Culture (TÜRKSOY)"),
        ("TÜRKSOY", "Organizations", "International Organization of Turkic Culture (TÜRKSOY)"),
        ("Turkiye", "Countries", "Türkiye"),
        ("erdogan", "People", "Recep Tayyip Erdoğan"),
        ("ERDOĞAN", "People", "Recep Tayyip Erdoğan"),
        ("istanbul", "Places", "İstanbul"),
        ("İSTANBUL", "Missions", "Kazakh consulate general in İstanbul"),
        ("izmir", "Places", "İzmir"),
        ("Nur-Sultan", "Places", "Astana"),
        ("turkic council", "Organizations", "Organization of Turkic States (OTS)"),
        ("tokayev ankara", "Visits", "Kassym-Jomart Tokayev to Türkiye, 29 July 2025"),
        ("bilateral trade", "Statistics", "Bilateral trade"),
    ],
)
def test_search_finds_records_whatever_the_accents(article, query, group, expected):
    groups = {label: [str(record) for record in found] for label, found, _ in search(query)}
    assert expected in groups.get(group, []), groups


def test_search_page_groups_results_by_record_type(client, article):
    html = client.get("/search/", {"q": "astana"}).content.decode()
    assert '<h2 id="group-1">Missions</h2>' in html
    assert "Places</h2>" in html
    assert "Turkish embassy in Astana" in html


def test_search_does_not_find_drafts(article):
    records.Organization.objects.filter(acronym="TÜRKSOY").update(publication_status="draft")
    assert search("turksoy") == []


def test_renamed_place_is_found_by_its_new_and_former_name(article):
    astana = records.Place.objects.get(slug="astana")
    records.PlaceName.objects.create(place=astana, name="Akmola", start_year=1961, end_year=1992)
    found = {label: [str(r) for r in rows] for label, rows, _ in search("akmola")}
    assert found["Places"] == ["Astana"]
    assert found["Missions"] == ["Turkish embassy in Astana"]


def test_kazakh_and_turkish_letters_fold_to_their_plain_forms():
    assert fold("Қазақстан") == fold("казакстан") == "казакстан"
    assert fold("Iğdır") == fold("IGDIR") == "igdir"


def test_empty_search_finds_nothing(article):
    assert search("   ") == []


def test_search_finds_a_relationship_by_either_country_in_any_order_and_spelling(client, article):
    page = client.get("/search/", {"q": "kazakhstan turkiye"}).content.decode()
    assert "<h2" in page and ">Relationships<" in page
    assert 'href="/relationships/turkiye-kazakhstan/"' in page
    renamed = records.Country.objects.get(code="KZ")
    renamed.name = "Qazaqstan"
    renamed.save()
    page = client.get("/search/", {"q": "qazaqstan"}).content.decode()
    assert 'href="/relationships/turkiye-kazakhstan/"' in page
