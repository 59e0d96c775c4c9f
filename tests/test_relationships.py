"""Several pairs of countries on one site: each list can be narrowed to one pair, and mixed lists name theirs."""

import datetime
import re

import pytest

from relations import models as records

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_pair(world):
    """Northland and Eastland: a pair sharing a country with the world's Northland–Southland."""
    north, source = world["north"], world["source"]
    east = records.Country.objects.create(code="EA", name="Eastland", adjective="Eastern")
    port = records.Place.objects.create(name="Ostport", country=east)
    envoy = records.Person.objects.create(name="Cy Envoy", country=north, role="Foreign minister of Northland")
    pair = records.Relationship.objects.create(
        country_a=north, country_b=east, source=source, established_on=datetime.date(1993, 5, 1)
    )
    records.Visit.objects.create(
        guest=envoy, country=east, place=port, start_date=datetime.date(2024, 4, 2), source=source
    )
    records.Mission.objects.create(sender=north, host=east, place=port, kind="embassy", source=source)
    council = records.Council.objects.create(name="Northland–Eastland Council", source=source)
    council.members.set([north, east])
    records.CouncilMeeting.objects.create(council=council, number=1, date=datetime.date(2024, 4, 2), source=source)
    records.Milestone.objects.create(
        relationship=pair,
        date=datetime.date(1993, 5, 1),
        title="Diplomatic relations established",
        source=source,
        publication_status="published",
    )
    records.Milestone.objects.create(
        relationship=world["pair"],
        date=datetime.date(1992, 3, 2),
        title="Diplomatic relations established",
        source=source,
    )
    return pair


def text(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "ours", "theirs"),
    [
        ("/visits/", "Ana Guest", "Cy Envoy"),
        ("/missions/", "Sudby", "Ostport"),
        ("/councils/", "Joint Council", "Northland–Eastland Council"),
        ("/timeline/", "Ana Guest", "Cy Envoy"),
    ],
)
def test_a_list_narrowed_to_one_pair_shows_that_pairs_records_only(client, world, second_pair, path, ours, theirs):
    everything = text(client, path)
    assert ours in everything and theirs in everything
    narrowed = text(client, f"{path}?relationship={world['pair'].slug}")
    assert ours in narrowed and theirs not in narrowed
    other = text(client, f"{path}?relationship={second_pair.slug}")
    assert theirs in other and ours not in other


def test_organizations_narrowed_to_a_pair_are_those_both_belong_to(client, world, second_pair):
    union = records.Organization.objects.get(acronym="UL")
    records.Membership.objects.create(organization=union, country=world["south"], role="member", source=world["source"])
    assert "Union of Lands" in text(client, f"/organizations/?relationship={world['pair'].slug}")
    assert "Union of Lands" not in text(client, f"/organizations/?relationship={second_pair.slug}")


def test_the_timeline_names_the_pair_of_each_milestone(client, world, second_pair):
    page = text(client, "/timeline/")
    entries = re.findall(r"Diplomatic relations established</strong> <span class=\"pair\">\(([^)]*)\)", page)
    assert sorted(entries) == ["Northland – Eastland", "Northland – Southland"]


def test_a_relationship_page_links_to_each_list_narrowed_to_it(client, world, second_pair):
    page = text(client, world["pair"].get_absolute_url())
    links = set(re.findall(r'href="(/[a-z]+/\?relationship=[^"]+)"', page.replace("&amp;", "&")))
    assert {f"/{name}/?relationship={world['pair'].slug}" for name in ("visits", "councils", "missions")} <= links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link  # already the list's one address: no redirect


def test_an_unknown_relationship_is_a_400_naming_it(client, world):
    response = client.get("/visits/?relationship=atlantis-lemuria")
    assert response.status_code == 400
    assert "No relationship is known by “atlantis-lemuria”." in response.content.decode()


def test_every_figure_listed_names_its_pair(client, world, second_pair):
    indicator = records.Indicator.objects.get()
    records.Statistic.objects.create(
        indicator=indicator,
        relationship=second_pair,
        value=41_000_000_000,
        unit="USD",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        source=world["source"],
    )
    detail = text(client, indicator.get_absolute_url())
    assert re.search(r"Northland – Eastland</a></td>\s*<td>2023</td>", detail)
    assert re.search(r"Northland – Southland</a></td>\s*<td>2024</td>", detail)
    assert "Northland – Southland" in text(client, "/statistics/")


def test_a_relationships_page_shows_its_own_visits_councils_and_organizations(client, world, second_pair):
    union = records.Organization.objects.get(acronym="UL")
    records.Membership.objects.create(organization=union, country=world["south"], role="member", source=world["source"])
    page = text(client, world["pair"].get_absolute_url())
    assert "Ana Guest" in page and "Cy Envoy" not in page
    assert "Joint Council" in page and "Northland–Eastland Council" not in page
    assert "Union of Lands" in page
    other = text(client, second_pair.get_absolute_url())
    assert "Cy Envoy" in other and "Ana Guest" not in other and "Union of Lands" not in other


def test_the_home_page_lists_pairs_in_the_order_editors_give_them(client, world, second_pair):
    def order():
        page = text(client, "/")
        return sorted(["Northland and Southland", "Northland and Eastland"], key=page.index)

    assert order() == ["Northland and Eastland", "Northland and Southland"]  # by name while both are equal
    world["pair"].position = 1
    world["pair"].save()
    assert order() == ["Northland and Southland", "Northland and Eastland"]


def test_a_relationships_file_without_the_position_column_still_imports(world):
    from relations.registry import RESOURCES
    from relations.resources import describe_errors, import_file

    dataset = RESOURCES["relationships"]().export()
    del dataset["Place on the home page"]
    assert describe_errors(import_file(RESOURCES["relationships"], dataset)) == []


def test_a_country_page_shows_its_relationships_missions_visits_and_memberships(client, world, second_pair):
    north = world["north"]
    page = text(client, north.get_absolute_url())
    assert "Northland and Southland" in page and "Northland and Eastland" in page
    abroad = page.split('id="missions-abroad"')[1].split("</section>")[0]
    assert "Sudby" in abroad and "Ostport" in abroad
    assert "Ana Guest" in page and "Cy Envoy" in page
    assert "Union of Lands" in page
    south = text(client, world["south"].get_absolute_url())
    hosted = south.split('id="missions-hosted"')[1].split("</section>")[0]
    assert "Northland" in hosted and "Ostport" not in south
    assert client.get("/countries/atlantis/").status_code == 404


def test_countries_are_found_by_search_and_linked_from_their_relationships(client, world, second_pair):
    assert world["north"].get_absolute_url() in text(client, "/search/?q=northland")
    assert world["north"].get_absolute_url() in text(client, world["pair"].get_absolute_url())
    assert world["north"].get_absolute_url() in text(client, "/sitemap-countries.xml")


def test_countries_named_on_visits_and_missions_link_to_their_pages(client, world):
    south = world["south"].get_absolute_url()
    assert south in text(client, "/visits/")
    assert south in text(client, world["visit"].get_absolute_url())
    assert south in text(client, "/missions/")
    assert south in text(client, records.Mission.objects.get().get_absolute_url())
