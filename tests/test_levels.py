"""A relationship's levels as dated, sourced records: the current level is derived from them, sources that
date a level differently stand side by side, and relationships files from before still import."""

import datetime
import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db

OLD_RELATIONSHIP_HEADERS = [
    "Slug",
    "First country",
    "Second country",
    "Diplomatic relations established",
    "Precision of the establishment date",
    "Current level",
    "Level reached in (year)",
    "Summary",
    "Source",
    "Quotation",
]


def level(world, name, year=None, source=None, **fields):
    return records.RelationshipLevel.objects.create(
        relationship=world["pair"],
        level=name,
        since=datetime.date(year, 1, 1) if year else None,
        since_precision="year",
        source=source or world["source"],
        **fields,
    )


def other_source(slug="news", title="Northern News"):
    return records.Source.objects.create(slug=slug, title=title, published_on=datetime.date(2024, 5, 1))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


# The model ------------------------------------------------------------------------------------


def test_the_current_level_is_the_latest_published_one_by_date(world):
    pair = world["pair"]
    assert pair.current_level().level == "strategic partnership"
    level(world, "enhanced strategic partnership", 2022)
    level(world, "comprehensive strategic partnership", 2024, publication_status="draft")
    current = records.Relationship.objects.get(pk=pair.pk).current_level()
    assert (current.level, current.since_year) == ("enhanced strategic partnership", 2022)


def test_a_level_reached_again_after_another_is_a_step_of_its_own(world):
    records.RelationshipLevel.objects.all().delete()
    level(world, "partnership", 1995)
    level(world, "strategic partnership", 2009)
    level(world, "partnership", 2016, source=other_source())
    ladder = world["pair"].level_ladder()
    assert [(step.level, step.since_year) for step in ladder] == [
        ("partnership", 1995),
        ("strategic partnership", 2009),
        ("partnership", 2016),
    ]
    assert world["pair"].current_level().since_year == 2016


def test_one_source_dates_a_level_of_a_relationship_once_a_date(world):
    level(world, "strategic partnership", 2009)
    again = records.RelationshipLevel(
        relationship=world["pair"],
        level="enhanced strategic partnership",
        since=datetime.date(2009, 1, 1),
        since_precision="year",
        source=world["source"],
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert error.value.messages == [
        "This source already dates a level of this relationship to this date: change that record."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_a_level_has_a_name_in_the_database_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        level(world, "", 2009)


# Public pages ---------------------------------------------------------------------------------


def test_sources_that_date_a_level_differently_are_shown_side_by_side(client, world):
    records.RelationshipLevel.objects.all().delete()
    news = other_source()
    level(world, "strategic partnership", 2009, quote="Ties were elevated to a strategic partnership in 2009.")
    level(world, "Strategic partnership", 2012, source=news, quote="The 2012 strategic partnership agreement …")
    level(world, "enhanced strategic partnership", 2022)

    hub = page(client, world["pair"].get_absolute_url())
    ladder = section(hub, "levels")
    assert ladder.index("Strategic partnership") < ladder.index("Enhanced strategic partnership")
    assert "Since 2009, according to Annual report." in ladder
    assert "Since 2012, according to Northern News." in ladder
    assert "The 2012 strategic partnership agreement …" in ladder
    assert 'href="/sources/news/"' in ladder
    assert "(current level)" in ladder.split("Enhanced strategic partnership")[1]

    records.RelationshipLevel.objects.filter(level="enhanced strategic partnership").delete()
    home = page(client, "/")
    assert "<strong>Strategic partnership</strong> since 2009 (2012 according to" in home
    assert 'href="/sources/news/">Northern News</a>)' in home


def test_the_home_page_and_country_page_read_the_derived_level(client, world):
    level(world, "enhanced strategic partnership", 2022)
    home = page(client, "/")
    assert "<strong>Enhanced strategic partnership</strong> since 2022." in home
    assert ": enhanced strategic partnership" in page(client, world["north"].get_absolute_url())


def test_a_draft_level_is_not_shown_nor_its_source(client, world):
    secret = other_source("secret", "Unreleased memo")
    level(world, "alliance", 2025, source=secret, publication_status="draft")
    home = page(client, "/")
    assert "Alliance" not in home and "alliance" not in home
    assert "Unreleased memo" not in page(client, world["pair"].get_absolute_url())
    assert client.get("/sources/secret/").status_code == 404


def test_the_overview_reads_levels_in_one_query_whatever_the_number_of_pairs(client, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, "/")
        return len(captured)

    one = queries()
    for code, name in (("EA", "Eastland"), ("WE", "Westland"), ("UP", "Upland")):
        country = records.Country.objects.create(code=code, name=name)
        pair = records.Relationship.objects.create(country_a=world["north"], country_b=country, source=world["source"])
        for year, name in ((2001, "partnership"), (2011, "strategic partnership")):
            records.RelationshipLevel.objects.create(
                relationship=pair, level=name, since=datetime.date(year, 1, 1), source=world["source"]
            )
    from django.core.cache import cache

    cache.clear()
    assert queries() == one
    assert page(client, "/").count("<strong>Strategic partnership</strong> since 2011.") == 3


def test_the_article_ladder_and_its_source(client, article):
    hub = page(client, "/relationships/turkiye-kazakhstan/")
    ladder = section(hub, "levels")
    assert ladder.index("Strategic partnership") < ladder.index("Enhanced strategic partnership")
    assert "Since 2009." in ladder and "Since 2022." in ladder
    assert "further upgraded to an “enhanced strategic partnership” in 2022" in ladder
    assert "Relationship levels (2)" in page(client, "/sources/article-2025-07-29/")


def test_a_relationship_is_found_by_its_level(client, world):
    level(world, "enhanced strategic partnership", 2022)
    response = client.get("/search/", {"q": "enhanced strategic"})
    assert "Northland – Southland" in response.content.decode()
    records.RelationshipLevel.objects.filter(level="enhanced strategic partnership").delete()
    response = client.get("/search/", {"q": "enhanced strategic"})
    assert "Northland – Southland" not in response.content.decode()


# Admin ----------------------------------------------------------------------------------------


def test_levels_are_edited_inline_on_their_relationship(superuser_client, world):
    from tests.admin_pages import admin_form

    url = reverse("admin:relations_relationship_change", args=[world["pair"].pk])
    listed = superuser_client.get(reverse("admin:relations_relationship_changelist")).content.decode()
    assert "Current level (derived from its levels)" in listed and "strategic partnership" in listed
    data = admin_form(
        superuser_client,
        url,
        **{
            "levels-1-level": "enhanced strategic partnership",
            "levels-1-since": "2022",
            "levels-1-since_precision": "",
            "levels-1-source": str(world["source"].pk),
            "levels-1-publication_status": "published",
        },
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = records.RelationshipLevel.objects.get(level="enhanced strategic partnership")
    assert (added.since, added.since_precision) == (datetime.date(2022, 1, 1), "year")
    assert added.history.count() == 1


# Import and export ----------------------------------------------------------------------------


def old_relationships_file(**cells):
    row = {
        "Slug": "northland-southland",
        "First country": "NA",
        "Second country": "SA",
        "Diplomatic relations established": "1992-03-02",
        "Precision of the establishment date": "day",
        "Current level": "strategic partnership",
        "Level reached in (year)": "",
        "Summary": "",
        "Source": "report",
        "Quotation": "",
    }
    row.update(cells)
    dataset = tablib.Dataset(headers=OLD_RELATIONSHIP_HEADERS)
    dataset.append([row[header] for header in OLD_RELATIONSHIP_HEADERS])
    return dataset


def test_a_relationships_file_from_before_levels_were_records_still_imports(world):
    world["pair"].slug = "northland-southland"
    world["pair"].save()
    unchanged = import_file(RESOURCES["relationships"], old_relationships_file())
    assert describe_errors(unchanged) == [] and unchanged.totals["skip"] == 1
    assert records.RelationshipLevel.objects.count() == 1

    result = import_file(
        RESOURCES["relationships"],
        old_relationships_file(
            **{"Current level": "enhanced strategic partnership", "Level reached in (year)": "2022"}
        ),
    )
    assert describe_errors(result) == [] and result.totals["update"] == 1
    added = records.RelationshipLevel.objects.get(level="enhanced strategic partnership")
    assert (added.since, added.since_precision, added.source, added.is_published) == (
        datetime.date(2022, 1, 1),
        "year",
        world["source"],
        True,
    )
    again = import_file(
        RESOURCES["relationships"],
        old_relationships_file(
            **{"Current level": "enhanced strategic partnership", "Level reached in (year)": "2022"}
        ),
    )
    assert again.totals["skip"] == 1 and records.RelationshipLevel.objects.count() == 2


def test_a_level_any_source_already_dates_to_that_year_is_not_added_again(world):
    news = other_source()
    level(world, "Enhanced Strategic Partnership", 2022, source=news)
    result = import_file(
        RESOURCES["relationships"],
        old_relationships_file(
            Slug=world["pair"].slug,
            **{"Current level": "enhanced strategic partnership", "Level reached in (year)": 2022},
        ),
    )
    assert describe_errors(result) == []
    assert records.RelationshipLevel.objects.filter(level__iexact="enhanced strategic partnership").count() == 1


def test_the_level_columns_of_a_new_relationship_make_its_level_record(world):
    records.Country.objects.create(code="EA", name="Eastland")
    result = import_file(
        RESOURCES["relationships"],
        old_relationships_file(
            Slug="northland-eastland",
            **{"Second country": "EA", "Current level": "partnership", "Level reached in (year)": "2001"},
        ),
    )
    assert describe_errors(result) == []
    pair = records.Relationship.objects.get(slug="northland-eastland")
    assert [(r.level, r.since.year, r.source.slug) for r in pair.levels.all()] == [("partnership", 2001, "report")]


def test_bad_level_cells_are_refused_in_the_models_words(world):
    result = import_file(
        RESOURCES["relationships"],
        old_relationships_file(Slug=world["pair"].slug, **{"Current level": "x" * 101, "Level reached in (year)": "0"}),
    )
    assert describe_errors(result) == ["Row 2, column “Level reached in (year)”: “0” is not a year."]
    result = import_file(RESOURCES["relationships"], old_relationships_file(**{"Current level": "x" * 101}))
    assert describe_errors(result) == [
        "Row 2, column “Current level”: Ensure this value has at most 100 characters (it has 101)."
    ]
    assert records.Relationship.objects.count() == 1 and records.RelationshipLevel.objects.count() == 1


def test_the_relationships_file_shows_the_derived_current_level(world):
    level(world, "enhanced strategic partnership", 2022)
    exported = RESOURCES["relationships"]().export().dict[0]
    assert (exported["Current level"], exported["Level reached in (year)"]) == (
        "enhanced strategic partnership",
        "2022",
    )
    levels = RESOURCES["relationship-levels"]().export()
    assert levels.headers == [
        "Relationship",
        "Level",
        "Since",
        "Precision of 'since'",
        "Source",
        "Quotation",
        "Note for readers",
        "Publication status",
        "Quotation (tr)",
        "Quotation (kk)",
        "Quotation (ru)",
    ]
    assert [row["Level"] for row in levels.dict] == ["strategic partnership", "enhanced strategic partnership"]


def test_import_all_keeps_levels_of_other_sources_as_they_were(world, tmp_path):
    news = other_source()
    level(world, "enhanced strategic partnership", 2022, source=news, quote="Upgraded in 2022.")
    before = {name: resource().export().csv for name, resource in RESOURCES.items()}
    call_command("export", "all", "--output", str(tmp_path), stdout=io.StringIO())
    records.Source.objects.update(reported_in=None)
    for name in reversed(RESOURCES):
        RESOURCES[name]._meta.model.objects.all().delete()
    call_command("import", "all", str(tmp_path), stdout=io.StringIO())
    assert {name: resource().export().csv for name, resource in RESOURCES.items()} == before
    restored = records.RelationshipLevel.objects.order_by(F("since").asc(nulls_first=True))
    assert [(r.level, r.source.slug) for r in restored] == [
        ("strategic partnership", "report"),
        ("enhanced strategic partnership", "news"),
    ]


def test_a_levels_file_imports_and_is_refused_whole_on_a_bad_row(world):
    dataset = tablib.Dataset(
        headers=["Relationship", "Level", "Since", "Precision of 'since'", "Source", "Publication status"]
    )
    dataset.append([world["pair"].slug, "enhanced strategic partnership", "March 2022", "", "report", "published"])
    dataset.append([world["pair"].slug, "", "2024", "", "report", "published"])
    result = import_file(RESOURCES["relationship-levels"], dataset)
    assert describe_errors(result) == ["Row 3, column “Level”: This field cannot be blank."]
    assert records.RelationshipLevel.objects.count() == 1
    del dataset[1]
    assert describe_errors(import_file(RESOURCES["relationship-levels"], dataset)) == []
    added = records.RelationshipLevel.objects.get(level="enhanced strategic partnership")
    assert (added.since, added.since_precision) == (datetime.date(2022, 3, 1), "month")
    assert import_file(RESOURCES["relationship-levels"], dataset).totals["skip"] == 1


# Migration ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_level_on_each_relationship_becomes_a_level_record_and_comes_back():
    executor = MigrationExecutor(connection)
    levels = ("relations", "0011_relationship_levels")
    derived = ("relations", "0012_relationship_level_derived")
    (before,) = [parent for parent in executor.loader.graph.node_map[levels].parents if parent.key[0] == "relations"]
    executor.migrate([before.key])
    old = executor.loader.project_state([before.key]).apps
    country = old.get_model("relations", "Country")
    codes = [country.objects.create(code=code, name=code, slug=code.lower()) for code in ("NL", "SL", "EL", "WL")]
    source = old.get_model("relations", "Source").objects.create(slug="report", title="Report")
    # The group migration 0002 made (a transactional test before this one may have emptied the database).
    old.get_model("auth", "Group").objects.get_or_create(name="Editors")
    relationship = old.get_model("relations", "Relationship")
    relationship.objects.create(
        slug="with-year",
        country_a=codes[0],
        country_b=codes[1],
        source=source,
        level="strategic partnership",
        level_since=2009,
    )
    relationship.objects.create(
        slug="without-year", country_a=codes[0], country_b=codes[2], source=source, level="partnership"
    )
    relationship.objects.create(slug="none", country_a=codes[0], country_b=codes[3], source=source, level_since=2001)

    executor = MigrationExecutor(connection)
    executor.migrate([derived])
    new = executor.loader.project_state([derived]).apps
    moved = new.get_model("relations", "RelationshipLevel").objects.order_by("relationship__slug")
    assert [
        (r.relationship.slug, r.level, r.since, r.since_precision, r.source.slug, r.publication_status) for r in moved
    ] == [
        ("with-year", "strategic partnership", datetime.date(2009, 1, 1), "year", "report", "published"),
        ("without-year", "partnership", None, "year", "report", "published"),
    ]
    versions = new.get_model("relations", "HistoricalRelationshipLevel").objects.all()
    assert sorted(v.history_change_reason for v in versions) == ["Moved from the relationship's level"] * 2
    editors = new.get_model("auth", "Group").objects.get(name="Editors")
    assert (
        editors.permissions.filter(codename__in=["import_relationshiplevel", "change_relationshiplevel"]).count() == 2
    )

    executor = MigrationExecutor(connection)
    executor.migrate([before.key])
    old = executor.loader.project_state([before.key]).apps
    back = old.get_model("relations", "Relationship").objects.order_by("slug")
    assert [(r.slug, r.level, r.level_since) for r in back] == [
        ("none", "", None),
        ("with-year", "strategic partnership", 2009),
        ("without-year", "partnership", None),
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
