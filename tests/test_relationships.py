"""Several pairs of countries on one site: each list can be narrowed to one pair, and mixed lists name theirs."""

import datetime
import re
from decimal import Decimal

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


@pytest.fixture
def third_pair(world, second_pair):
    """Westland and Southland: a third pair, sharing Southland with the first, with figures of its own."""
    south, source = world["south"], world["source"]
    west = records.Country.objects.create(code="WE", name="Westland", adjective="Western")
    harbour = records.Place.objects.create(name="Westhaven", country=west)
    minister = records.Person.objects.create(name="Di Minister", country=south, role="Trade minister of Southland")
    pair = records.Relationship.objects.create(
        country_a=west, country_b=south, source=source, established_on=datetime.date(1992, 3, 2)
    )
    records.Visit.objects.create(
        guest=minister, country=west, place=harbour, start_date=datetime.date(2023, 9, 9), source=source
    )
    records.Mission.objects.create(sender=south, host=west, place=harbour, kind="consulate-general", source=source)
    # The same title on the same day as the first pair's: every pair has such a milestone.
    records.Milestone.objects.create(
        relationship=pair, date=datetime.date(1992, 3, 2), title="Diplomatic relations established", source=source
    )
    trade = records.Indicator.objects.get(name="Bilateral trade")
    for year, billions in ((2022, 3), (2023, 4)):
        records.Statistic.objects.create(
            indicator=trade,
            relationship=pair,
            value=Decimal(billions * 10**9),
            unit="USD",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            source=source,
        )
    return pair


def partial_trade(world, relationship, value, end_month=5):
    """A figure for part of 2025 (January to end_month), newer than any full year."""
    return records.Statistic.objects.create(
        indicator=records.Indicator.objects.get(name="Bilateral trade"),
        relationship=relationship,
        value=Decimal(value),
        unit="USD",
        qualifier="exceeded",
        period_kind="months",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, end_month + 1, 1) - datetime.timedelta(days=1),
        source=world["source"],
    )


def section(page, anchor):
    """The HTML of the <section> whose heading has this id."""
    return page.split(f'id="{anchor}"')[1].split("</section>")[0]


def text(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/visits/", ["Ana Guest", "Cy Envoy", "Di Minister"]),
        ("/missions/", ["Sudby", "Ostport", "Westhaven"]),
        ("/councils/", ["Joint Council", "Northland–Eastland Council", None]),
        ("/timeline/", ["Ana Guest", "Cy Envoy", "Di Minister"]),
    ],
)
def test_a_list_narrowed_to_one_pair_shows_that_pairs_records_only(client, world, second_pair, third_pair, path, names):
    everything = text(client, path)
    assert all(name in everything for name in names if name)
    for pair, own in zip([world["pair"], second_pair, third_pair], names, strict=True):
        narrowed = text(client, f"{path}?relationship={pair.slug}")
        assert [name for name in names if name and name in narrowed] == ([own] if own else []), pair


def test_organizations_narrowed_to_a_pair_are_those_both_belong_to(client, world, second_pair):
    union = records.Organization.objects.get(acronym="UL")
    records.Membership.objects.create(organization=union, country=world["south"], role="member", source=world["source"])
    assert "Union of Lands" in text(client, f"/organizations/?relationship={world['pair'].slug}")
    assert "Union of Lands" not in text(client, f"/organizations/?relationship={second_pair.slug}")


def test_the_timeline_names_the_pair_of_each_milestone(client, world, second_pair, third_pair):
    page = text(client, "/timeline/")
    entries = re.findall(
        r'Diplomatic relations established</strong> <span class="pair">\(<a href="([^"]+)">([^<]*)</a>\)', page
    )
    assert sorted(entries) == [
        (second_pair.get_absolute_url(), "Northland – Eastland"),
        (world["pair"].get_absolute_url(), "Northland – Southland"),
        (third_pair.get_absolute_url(), "Westland – Southland"),
    ]


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


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
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


def test_a_relationships_file_carries_the_publication_status_and_imports_a_draft_as_one(world):
    from relations.registry import RESOURCES
    from relations.resources import describe_errors, import_file

    dataset = RESOURCES["relationships"]().export()
    # Last but for the translations' columns, which follow the columns of every file.
    english = [header for header in dataset.headers if not header.endswith(("(tr)", "(kk)", "(ru)"))]
    assert english[-1] == "Publication status"
    assert [row["Publication status"] for row in dataset.dict] == ["published"]
    dataset = RESOURCES["relationships"]().export()
    del dataset["Publication status"]
    dataset.append_col(["draft"], header="Publication status")
    assert describe_errors(import_file(RESOURCES["relationships"], dataset)) == []
    assert records.Relationship.objects.get().publication_status == records.PublicationStatus.DRAFT


def test_a_relationships_file_without_the_publication_status_column_imports_new_ones_as_published(world):
    from relations.registry import RESOURCES
    from relations.resources import describe_errors, import_file

    records.Country.objects.create(code="EA", name="Eastland")
    dataset = RESOURCES["relationships"]().export()
    del dataset["Publication status"]
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    row.update(
        {"Slug": "northland-eastland", "Second country": "EA", "Current level": "", "Level reached in (year)": ""}
    )
    dataset.append([row[header] for header in dataset.headers])
    assert describe_errors(import_file(RESOURCES["relationships"], dataset)) == []
    assert records.Relationship.objects.get(slug="northland-eastland").publication_status == "published"


def test_the_relationships_of_the_fixtures_load_as_published(client, article):
    assert records.Relationship.objects.exists()
    assert set(records.Relationship.objects.values_list("publication_status", flat=True)) == {"published"}
    home = text(client, "/")
    for relationship in records.Relationship.objects.all():
        assert relationship.get_absolute_url() in home


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


# Three pairs: statistics, the pair's page, charts ---------------------------------------------------


def test_statistics_shows_the_latest_figure_of_each_pair_under_its_own_heading(client, world, third_pair):
    page = text(client, "/statistics/")
    first = section(page, f"figures-{world['pair'].slug}")
    third = section(page, f"figures-{third_pair.slug}")
    # Each pair's own latest year, not one latest period for all pairs.
    assert "$5 billion" in first and "(2024)" in first and "$4 billion" not in first
    assert "$4 billion" in third and "(2023)" in third and "$5 billion" not in third
    narrowed = text(client, f"/statistics/?relationship={third_pair.slug}")
    assert f'id="figures-{third_pair.slug}"' in narrowed and f'id="figures-{world["pair"].slug}"' not in narrowed


def test_the_headline_is_the_latest_full_period_with_a_later_partial_one_beside_it(client, world, third_pair):
    partial_trade(world, world["pair"], 1_900_000_000)
    for path in ("/", "/statistics/", world["pair"].get_absolute_url()):
        page = text(client, path)
        headline = page.index('<span class="figure-value">$5 billion (TL 202.86 billion)</span>')
        partial = page.index('Partial period: <span class="figure-value">exceeded $1.9 billion</span>')
        assert headline < partial, path
        assert "(January–May 2025)" in page, path


def test_a_partial_period_older_than_the_latest_full_year_is_not_shown_beside_it(client, world, third_pair):
    partial_trade(world, world["pair"], 1_000_000_000).delete()
    old = partial_trade(world, third_pair, 1_000_000_000)
    old.period_start, old.period_end = datetime.date(2022, 1, 1), datetime.date(2022, 5, 31)
    old.save()
    page = section(text(client, "/statistics/"), f"figures-{third_pair.slug}")
    assert "$4 billion" in page and "Partial period" not in page


def test_a_relationships_page_holds_its_own_figures_missions_meetings_and_milestones(client, world, third_pair):
    page = text(client, world["pair"].get_absolute_url())
    assert "$5 billion" in section(page, "figures") and "$4 billion" not in page
    missions = section(page, "missions")
    assert "Sudby" in missions and "Westhaven" not in missions and "Ostport" not in missions
    councils = section(page, "councils")
    assert "Joint Council" in councils and "5th meeting" in councils
    milestones = section(page, "milestones")
    assert "Partnership" in milestones and f"/timeline/?relationship={world['pair'].slug}" in milestones
    third = text(client, third_pair.get_absolute_url())
    assert "Westhaven" in section(third, "missions") and "Sudby" not in section(third, "missions")
    assert "$4 billion" in section(third, "figures") and "$5 billion" not in third


def test_an_indicator_narrowed_to_a_pair_shows_that_pairs_series_chart_and_csv(client, world, second_pair, third_pair):
    indicator = records.Indicator.objects.get(name="Bilateral trade")
    everything = text(client, indicator.get_absolute_url())
    assert everything.count('<svg class="chart"') == 2  # one per pair with figures
    narrowed = text(client, f"{indicator.get_absolute_url()}?relationship={third_pair.slug}")
    assert narrowed.count('<svg class="chart"') == 1
    assert "$4 billion" in narrowed and "$3 billion" in narrowed and "$5 billion" not in narrowed
    response = client.get(f"{indicator.get_absolute_url()}?relationship={third_pair.slug}&format=csv")
    dated = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{indicator.slug}-{third_pair.slug}-{dated}.csv"'
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and all(row.startswith(third_pair.slug) for row in rows[1:])
    assert client.get(f"{indicator.get_absolute_url()}?relationship=atlantis").status_code == 400


def test_a_chart_puts_periods_in_order_on_its_axis_and_partial_periods_after_them(client, world, third_pair):
    partial_trade(world, third_pair, 1_200_000_000, end_month=6)
    indicator = records.Indicator.objects.get(name="Bilateral trade")
    page = text(client, f"{indicator.get_absolute_url()}?relationship={third_pair.slug}")
    svg = page.split('<svg class="chart"')[1].split("</svg>")[0]
    labels = re.findall(r'<text class="chart-label"[^>]*>([^<]+)</text>', svg)
    assert [label for label in labels if label.strip()] == ["2022", "2023", "Jan–Jun", "2025"]
    assert svg.index("partial</text>") < svg.index(">Jan–Jun<")
    assert "amounts in USD" in svg
    axis = re.findall(r'<text class="chart-axis"[^>]*>([^<]+)</text>', svg)
    assert axis[:2] == ["$0", "$1 billion"]
    # The chart keeps its pixel size (its text stays legible) and scrolls inside its box on a phone.
    assert re.match(r' width="\d+" height="\d+"', svg)
    assert '<div class="chart-box">' in page


def test_two_pairs_may_each_have_a_milestone_of_the_same_title_and_day(world, third_pair):
    slugs = set(
        records.Milestone.objects.filter(title="Diplomatic relations established").values_list("slug", flat=True)
    )
    assert slugs == {
        "1993-diplomatic-relations-established",
        "1992-diplomatic-relations-established",
        f"1992-diplomatic-relations-established-{third_pair.slug}",
    }


def test_a_second_milestone_of_the_same_pair_title_and_year_gets_a_message_not_an_error(world):
    from django.core.exceptions import ValidationError

    twin = records.Milestone(
        relationship=world["pair"], date=datetime.date(2009, 6, 1), title="Partnership", source=world["source"]
    )
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "already has the address “2009-partnership”" in str(refused.value)


def test_countries_are_linked_where_councils_and_organizations_name_them(client, world):
    north = world["north"].get_absolute_url()
    assert north in text(client, "/councils/")
    assert north in text(client, records.Council.objects.get().get_absolute_url())
    assert north in text(client, "/organizations/")
    assert north in text(client, records.Organization.objects.get(acronym="UL").get_absolute_url())
