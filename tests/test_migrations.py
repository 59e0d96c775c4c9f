"""Migrations that move data keep what editors have recorded."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("relations", "0003_publication_status_unindexed")
AFTER = ("relations", "0004_many_to_many_history")


@pytest.mark.django_db(transaction=True)
def test_versions_from_before_many_to_many_history_offer_todays_members():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    source = old.get_model("relations", "Source").objects.create(slug="report", title="Report")
    north = old.get_model("relations", "Country").objects.create(code="NL", name="Northland", slug="northland")
    south = old.get_model("relations", "Country").objects.create(code="SL", name="Southland", slug="southland")
    council = old.get_model("relations", "Council").objects.create(slug="council", name="Council", source=source)
    council.members.set([north, south])
    old.get_model("relations", "HistoricalCouncil").objects.create(
        id=council.id,
        slug="council",
        name="Council",
        source_id=source.id,
        history_date=timezone.now(),
        history_type="+",
    )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    version = new.get_model("relations", "HistoricalCouncil").objects.get(id=council.id)
    rows = new.get_model("relations", "HistoricalCouncil_members").objects.filter(history_id=version.history_id)
    assert sorted(row.country_id for row in rows) == sorted([north.id, south.id])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_relationships_recorded_before_they_were_searched_get_their_search_text():
    before, after = ("relations", "0008_relationship_position"), ("relations", "0009_relationships_searched")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    country = old.get_model("relations", "Country")
    north = country.objects.create(code="NL", name="Northland", official_name="Republic of Northland", slug="nl")
    south = country.objects.create(code="SL", name="Südland", slug="sl")
    source = old.get_model("relations", "Source").objects.create(slug="report", title="Report")
    old.get_model("relations", "Relationship").objects.create(
        slug="pair", country_a=north, country_b=south, source=source
    )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    pair = new.get_model("relations", "Relationship").objects.get(slug="pair")
    assert pair.search_text == "northland – sudland republic of northland"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_targets_and_changes_stored_preferred_are_cleared_each_with_a_version_saying_why():
    before, after = ("relations", "0015_outcomes_with_their_own_source"), ("relations", "0016_only_figures_preferred")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    country = old.get_model("relations", "Country")
    north = country.objects.create(code="NL", name="Northland", slug="nl")
    south = country.objects.create(code="SL", name="Southland", slug="sl")
    source = old.get_model("relations", "Source").objects.create(slug="report", title="Report")
    pair = old.get_model("relations", "Relationship").objects.create(
        slug="pair", country_a=north, country_b=south, source=source
    )
    trade = old.get_model("relations", "Indicator").objects.create(slug="trade", name="Trade")
    statistic = old.get_model("relations", "Statistic")
    year = {"period_start": datetime.date(2024, 1, 1), "period_end": datetime.date(2024, 12, 31)}
    common = {"indicator": trade, "relationship": pair, "source": source, "is_preferred": True}
    figure = statistic.objects.create(kind="figure", value=5, unit="USD", **year, **common)
    target = statistic.objects.create(
        kind="target", value=10, unit="USD", stated_on=datetime.date(2022, 3, 29), **year, **common
    )
    change = statistic.objects.create(kind="change", value=-5, unit="%", base_year=2023, **year, **common)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    stored = dict(new.get_model("relations", "Statistic").objects.values_list("pk", "is_preferred"))
    assert stored == {figure.pk: True, target.pk: False, change.pk: False}
    versions = new.get_model("relations", "HistoricalStatistic").objects.all()
    assert sorted((v.id, v.kind, v.is_preferred, v.value, v.history_type) for v in versions) == [
        (target.pk, "target", False, 10, "~"),
        (change.pk, "change", False, -5, "~"),
    ]
    assert {v.history_change_reason for v in versions} == {
        "Preferred value cleared: only an observed figure is preferred"
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
