"""Figures as sources state them: observed values, targets set on a date for a horizon, and changes
(a percent or a multiple, possibly negative), each worded as its source worded it, with its own citation."""

import datetime
import re
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(world):
    """Three made-up outlets in the shape of real ones: a presidency, an embassy interview, a statistics office."""
    return {
        "presidency": records.Source.objects.create(
            slug="presidency", title="Joint statement of the presidents", published_on=datetime.date(2022, 3, 29)
        ),
        "interview": records.Source.objects.create(
            slug="interview", title="Ambassador's interview", published_on=datetime.date(2024, 10, 1)
        ),
        "office": records.Source.objects.create(
            slug="office", title="Statistics office release", published_on=datetime.date(2023, 2, 15)
        ),
    }


def trade():
    return records.Indicator.objects.get(name="Bilateral trade")


def statement(world, source, **fields):
    values = {
        "indicator": trade(),
        "relationship": world["pair"],
        "unit": "USD",
        "period_start": datetime.date(2024, 1, 1),
        "period_end": datetime.date(2024, 12, 31),
        "source": source,
    }
    values.update(fields)
    made = records.Statistic(**values)
    made.full_clean()
    made.save()
    return made


def target(world, source, value, year=None, **fields):
    period = (
        {"period_start": datetime.date(year, 1, 1), "period_end": datetime.date(year, 12, 31)}
        if year
        else {"period_kind": "unstated", "period_start": None, "period_end": None}
    )
    return statement(world, source, kind="target", value=Decimal(value), **period, **fields)


def text(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_one_interview_may_give_a_short_and_a_medium_term_target(world, sources):
    interview = sources["interview"]
    target(world, interview, 5_000_000_000, stated_on=datetime.date(2024, 10, 1), horizon_wording="in the short term")
    target(world, interview, 10_000_000_000, stated_on=datetime.date(2024, 10, 1), horizon_wording="in the medium term")
    assert records.Statistic.objects.filter(kind="target", source=interview).count() == 2


def test_a_target_and_the_observed_figure_of_one_period_from_one_source_are_both_kept(world, sources):
    office = sources["office"]
    statement(world, office, value=Decimal("4800000000"), is_preferred=False)
    target(world, office, 5_000_000_000, year=2024, stated_on=datetime.date(2023, 2, 15))
    assert records.Statistic.objects.filter(source=office).count() == 2


def test_a_target_needs_the_date_it_was_set(world, sources):
    with pytest.raises(ValidationError) as refused:
        target(world, sources["presidency"], 10_000_000_000, year=2030)
    assert refused.value.message_dict["stated_on"] == ["Give the date the target was set."]


def test_a_period_not_stated_has_no_dates(world, sources):
    with pytest.raises(ValidationError) as refused:
        statement(
            world, sources["office"], value=Decimal(1), period_kind="unstated",
            period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2022, 12, 31),
        )  # fmt: skip
    assert "has no dates" in refused.value.message_dict["period_kind"][0]


def test_a_change_may_be_negative_but_not_in_dollars(world, sources):
    fall = statement(
        world, sources["office"], kind="change", value=Decimal("-5.4"), unit="%", base_year=2021,
        period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2022, 12, 31),
    )  # fmt: skip
    assert fall.statement_display() == "down 5.4% on 2021"
    with pytest.raises(ValidationError) as refused:
        statement(world, sources["interview"], kind="change", value=Decimal("72"), unit="USD")
    assert refused.value.message_dict["unit"] == ["A change is in percent (unit “%”) or a multiple (unit “times”)."]


def test_changes_are_worded_with_their_base(world, sources):
    grew = records.Statistic(kind="change", value=Decimal("72"), unit="%", qualifier="exact")
    assert grew.statement_display() == "up 72%"
    multiple = records.Statistic(kind="change", value=Decimal("1.5"), unit="times", qualifier="exact", base_year=2017)
    assert multiple.statement_display() == "1.5 times the 2017 level"
    seventy = records.Statistic(kind="change", value=Decimal("70"), unit="times", qualifier="about")
    assert seventy.statement_display() == "about 70 times"


def test_figures_keep_the_digits_their_source_gave(world):
    assert records.format_amount(Decimal("3645000000"), "USD") == "$3.645 billion"
    assert records.format_amount(Decimal("5000000000"), "USD") == "$5 billion"
    assert records.format_amount(Decimal("202860000000"), "TRY") == "TL 202.86 billion"
    assert records.format_amount(Decimal("12000"), "persons") == "12,000 persons"


def test_the_indicator_page_shows_a_target_with_the_latest_observed_value_and_draws_it(client, world, sources):
    target(world, sources["presidency"], 10_000_000_000, year=2030, stated_on=datetime.date(2022, 3, 29))
    statement(
        world, sources["office"], kind="change", value=Decimal("-5.4"), unit="%", base_year=2023, is_preferred=False
    )
    page = text(client, trade().get_absolute_url())
    targets = page.split('id="targets"')[1].split("</section>")[0]
    assert re.search(
        r"target: \$10 billion</span> <span class=\"figure-period\">\(by 2030, set 29 March 2022\)</span>"
        r"; latest observed: <span class=\"figure-value\">\$5 billion \(TL 202.86 billion\)</span>",
        targets,
    )
    assert "Joint statement of the presidents" in targets
    svg = page.split('<svg class="chart"')[1].split("</svg>")[0]
    assert "target $10 billion by 2030 (set 2022)" in svg
    # The change is in the table in words, never a column on the chart's axis of amounts.
    assert "down 5.4% on 2023" in page and "down 5.4%" not in svg
    assert len(re.findall(r'<rect class="chart-bar', svg)) == 1


def test_the_pairs_page_and_statistics_list_targets_and_changes_with_their_sources(client, world, sources):
    target(
        world, sources["interview"], 10_000_000_000, stated_on=datetime.date(2024, 10, 1),
        horizon_wording="in the coming years",
    )  # fmt: skip
    for path in (world["pair"].get_absolute_url(), "/statistics/"):
        page = text(client, path)
        assert "Targets and changes stated for Northland and Southland" in page, path
        assert "(in the coming years, set 1 October 2024)" in page, path
        assert "Ambassador&#x27;s interview" in page or "Ambassador's interview" in page, path


def test_a_horizon_worded_as_its_year_is_not_said_twice(world, sources):
    stated = target(world, sources["presidency"], 10_000_000_000, year=2030, stated_on=datetime.date(2022, 3, 29),
                    horizon_wording="By 2030")  # fmt: skip
    assert stated.timing_display() == "by 2030, set 29 March 2022"


def test_the_csv_download_names_each_statements_kind_and_wording(client, world, sources):
    target(world, sources["presidency"], 10_000_000_000, year=2030, stated_on=datetime.date(2022, 3, 29))
    response = client.get(f"{trade().get_absolute_url()}?format=csv")
    rows = list(tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv").dict)
    stated = next(row for row in rows if row["Kind"] == "target")
    assert stated["As worded"] == "target: $10 billion"
    assert stated["Stated on"] == "29 March 2022" and stated["Preferred"] == ""
    assert next(row for row in rows if row["Kind"] == "figure")["Preferred"] == "yes"


def statistics_file(world, rows):
    resource = RESOURCES["statistics"]()
    headers = [field.column_name for field in resource.get_export_fields()]
    dataset = tablib.Dataset(headers=headers)
    base = {
        "Indicator": trade().slug,
        "Relationship": world["pair"].slug,
        "Unit": "USD",
        "Period": "year",
        "Publication status": "published",
    }
    for row in rows:
        dataset.append([{**base, **row}.get(header, "") for header in headers])
    return dataset


def test_a_file_states_figures_targets_and_changes_of_one_period(world, sources):
    dataset = statistics_file(
        world,
        [
            # Two sources for one period: one preferred figure, the other beside it.
            {"Value": "3645000000", "Period start": "2023-01-01", "Period end": "2023-12-31", "Source": "office"},
            {"Value": "3600000000", "Period start": "2023-01-01", "Period end": "2023-12-31", "Source": "interview",
             "Preferred value": "no"},
            # The same source's target for that year, and a fall of 5.4% on 2022.
            {"Kind": "target", "Value": "5000000000", "Period start": "2023-01-01", "Period end": "2023-12-31",
             "Source": "office", "Stated on": "15.02.2023"},
            {"Kind": "change", "Value": "-5.4", "Unit": "%", "Period start": "2023-01-01", "Period end": "2023-12-31",
             "Source": "office", "Compared with (year)": "2022"},
            # A target with no year: "in the coming years".
            {"Kind": "target", "Value": "10000000000", "Period": "unstated", "Source": "interview",
             "Stated on": "2024", "Horizon as worded": "in the coming years"},
        ],
    )  # fmt: skip
    result = import_file(RESOURCES["statistics"], dataset)
    assert describe_errors(result) == []
    stored = records.Statistic.objects.filter(indicator=trade(), source__in=sources.values())
    assert sorted(stored.values_list("kind", flat=True)) == ["change", "figure", "figure", "target", "target"]
    unstated = stored.get(period_kind="unstated")
    assert (unstated.stated_on, unstated.stated_on_precision) == (datetime.date(2024, 1, 1), "year")
    assert stored.get(kind="change").statement_display() == "down 5.4% on 2022"
    # The same file again changes nothing.
    again = import_file(RESOURCES["statistics"], dataset)
    assert again.totals["skip"] == 5 and again.totals["new"] == 0


def test_a_statistics_file_exported_before_the_kinds_imports_unchanged(world):
    exported = RESOURCES["statistics"]().export()
    for column in ("Kind", "Stated on", "Precision of the statement date", "Horizon as worded", "Compared with (year)"):
        del exported[column]
    result = import_file(RESOURCES["statistics"], exported)
    assert describe_errors(result) == []
    assert result.totals["skip"] == records.Statistic.objects.count() and result.totals["new"] == 0


def test_a_negative_figure_in_a_file_is_refused_with_the_way_to_state_a_fall(world, sources):
    dataset = statistics_file(
        world, [{"Value": "-5.4", "Period start": "2022-01-01", "Period end": "2022-12-31", "Source": "office"}]
    )
    result = import_file(RESOURCES["statistics"], dataset)
    assert describe_errors(result) == [
        "Row 2, column “Value”: A figure or a target cannot be negative: a fall is a change (kind “change”), "
        "such as -5.4 %."
    ]


def test_a_target_stands_on_the_timeline_on_the_day_it_was_set(client, world, sources):
    target(world, sources["presidency"], 10_000_000_000, year=2030, stated_on=datetime.date(2022, 3, 29))
    page = text(client, f"/timeline/?relationship={world['pair'].slug}")
    entry = page.split('class="timeline-target"')[1].split("</li>")[0]
    assert '<span class="date">29 March 2022</span> <span class="tag">Target</span>' in entry
    assert "target: $10 billion" in entry and "(by 2030, set 29 March 2022)" in entry
    assert "Joint statement of the presidents" in entry
    assert "Target" not in text(client, "/timeline/?year=2021")
