"""Filters as readers type them: a value that names nothing shows the list with its form, the message beside
the field and close matches; a pair named the other way round, or a country by its code, leads to its page."""

import html

import pytest

from relations import models as records

pytestmark = pytest.mark.django_db


def bad(client, path):
    """The page of a filter value that names nothing: a 400, which no cache or crawler keeps."""
    response = client.get(path)
    assert response.status_code == 400, path
    return html.unescape(response.content.decode())


def test_an_unknown_city_shows_the_list_with_its_form_and_the_message_beside_the_field(client, world):
    page = bad(client, "/missions/?city=Paris")
    assert "<h1>Diplomatic missions</h1>" in page
    assert 'class="filters"' in page and 'name="city" value="Paris"' in page
    city_field = page.split('for="id_city"')[1].split("</div>")[0]
    assert "No city is known by “Paris”." in city_field
    assert 'aria-invalid="true"' in city_field and 'aria-describedby="id_city-error"' in city_field
    # The form's message in words, not Django's plain-text listing of its errors.
    assert "* city" not in page and "Did you mean" not in page
    assert "No mission matches these filters." in page


def test_a_misspelt_value_suggests_close_matches_linking_to_the_list_with_them(client, world):
    page = bad(client, "/missions/?kind=embassy&city=Sudbi")
    city_field = page.split('for="id_city"')[1].split("</div>")[0]
    assert "No city is known by “Sudbi”." in city_field
    assert 'Did you mean: <a href="/missions/?kind=embassy&city=sudby">Sudby</a>?' in city_field
    sender = bad(client, "/missions/?sender=Northlnd")
    assert '<a href="/missions/?sender=NA">Northland</a>' in sender
    kind = bad(client, "/visits/?kind=offical")
    assert '<a href="/visits/?kind=official">Official visit</a>' in kind
    pair = bad(client, "/visits/?relationship=northland-southlnd")
    assert '<a href="/visits/?relationship=northland-southland">Northland – Southland</a>' in pair
    # The suggested address is the list's one address for it: the list itself, no redirect.
    assert client.get("/missions/?kind=embassy&city=sudby").status_code == 200


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/timeline/?year=nineteen", "year"),
        ("/statistics/?relationship=atlantis", "relationship"),
        ("/organizations/?country=Atlantis", "country"),
        ("/councils/?relationship=atlantis", "relationship"),
        ("/visits/?topic=atlantis", "topic"),
    ],
)
def test_every_list_shows_its_form_with_the_message_for_a_bad_value(client, world, path, field):
    page = bad(client, path)
    assert 'class="filters"' in page
    assert f'id="id_{field}-error"' in page.split(f'for="id_{field}"')[1].split("</div>")[0]


def test_a_bad_value_on_an_indicator_page_is_named_in_words(client, world):
    indicator = records.Indicator.objects.get()
    page = bad(client, f"{indicator.get_absolute_url()}?relationship=atlantis")
    assert "Relationship: No relationship is known by “atlantis”." in page
    assert "* relationship" not in page


def test_a_pair_named_the_other_way_round_leads_to_its_one_address(client, world):
    for path in ("/visits/", "/missions/", "/statistics/", "/timeline/"):
        response = client.get(f"{path}?relationship=Southland-Northland&page=1")
        assert response.status_code == 301, path
        assert response["Location"] == f"{path}?relationship=northland-southland&page=1"
    indicator = records.Indicator.objects.get()
    response = client.get(f"{indicator.get_absolute_url()}?relationship=southland-northland&format=csv")
    assert response.status_code == 301
    assert response["Location"] == f"{indicator.get_absolute_url()}?relationship=northland-southland&format=csv"
    response = client.get("/relationships/southland-northland/")
    assert response.status_code == 301 and response["Location"] == "/relationships/northland-southland/"
    assert client.get("/relationships/southland-eastland/").status_code == 404


def test_a_draft_pair_named_the_other_way_round_is_unknown_to_readers(client, world):
    pair = world["pair"]
    pair.publication_status = records.PublicationStatus.DRAFT
    pair.save()
    assert client.get("/relationships/southland-northland/").status_code == 404
    assert "No relationship is known by “southland-northland”." in bad(
        client, "/visits/?relationship=southland-northland"
    )


def test_a_country_code_in_any_case_leads_to_the_country_page(client, world):
    for code in ("na", "NA", "Na"):
        response = client.get(f"/countries/{code}/")
        assert response.status_code == 301, code
        assert response["Location"] == "/countries/northland/"
    assert client.get("/countries/xx/").status_code == 404


def test_a_page_number_out_of_range_is_still_a_404(client, world):
    assert client.get("/missions/?page=99").status_code == 404
    assert client.get("/timeline/?page=99").status_code == 404
