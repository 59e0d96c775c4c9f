"""Statistics as real sources state them, imported from files and shown to readers: a rank ("24th among
investors"), a duration ("largest trading partner for 14 continuous years"), a figure whose source gives no
period ("a record high of over US$26 billion"), and a figure as of a month without a day ("as of February
2019"). Ranks, durations and figures of no stated period are statements: listed, worded, never a point on a
chart's time axis nor a latest figure."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from relations import models as records
from relations.formats import read_dataset
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db

# The columns an editor's file of figures has (any others are optional).
HEADERS = [
    "Indicator",
    "Relationship",
    "Kind",
    "Period",
    "Period start",
    "Period end",
    "From country",
    "To country",
    "Qualifier",
    "Value",
    "Unit",
    "Ranked among / lasting as",
    "Preferred value",
    "Source",
    "Quotation",
    "Note for readers",
    "Publication status",
]


@pytest.fixture
def customs(world):
    """A made-up customs office's release, dated to the day: its figures without a period are placed by it."""
    return records.Source.objects.create(
        slug="customs", title="Customs office release", published_on=datetime.date(2023, 4, 12)
    )


def file_of(*rows):
    """A CSV file as an editor writes it, each row a dict of the cells it fills."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                "Indicator": "bilateral-trade",
                "Relationship": "northland-southland",
                "Source": "customs",
                "Publication status": "published",
                **row,
            }
        )
    return text.getvalue().encode("utf-8")


def imported(data):
    """Import a file of figures; the lines of its refusal, [] when it was imported."""
    result = import_file(RESOURCES["statistics"], read_dataset(data, "csv"))
    return describe_errors(result)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def charts_of(html):
    """Every chart's SVG on a page."""
    return "".join(part.split("</svg>")[0] for part in html.split('<svg class="chart"')[1:])


def table_row_with(html, text):
    """The table row of a page holding `text`, tags removed and spaces collapsed."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        plain = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        if text in plain:
            return plain
    raise AssertionError(f"No table row holds {text!r}")


RANK = {
    "Kind": "rank",
    "Period": "year",
    "Period start": "2023",
    "Value": "24th",
    "Ranked among / lasting as": "among investors in Southland",
    "Quotation": "Northland ranked 24th among investors in Southland.",
}
DURATION = {
    "Kind": "duration",
    "Period": "unstated",
    "Value": "14",
    "Unit": "continuous years",
    "Ranked among / lasting as": "largest trading partner",
    "Note for readers": "Counted by the customs office since 2009.",
}
UNSTATED = {
    "Period": "unstated",
    "Qualifier": "more than",
    "Value": "26000000000",
    "Unit": "USD",
    "Quotation": "Trade turnover hit a record high of over US$26 billion.",
    "Note for readers": "A record.",
}


def test_a_rank_and_a_duration_from_a_file_are_worded_on_the_indicator_page_and_never_charted(client, customs):
    assert imported(file_of(RANK, DURATION)) == []
    rank = records.Statistic.objects.get(kind="rank")
    assert (rank.value, rank.unit, rank.wording) == (Decimal(24), "", "among investors in Southland")
    assert (rank.period_start, rank.period_end) == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    duration = records.Statistic.objects.get(kind="duration")
    assert (duration.value, duration.unit, duration.reader_note) == (
        Decimal(14),
        "continuous years",
        "Counted by the customs office since 2009.",
    )

    html = page(client, "/statistics/bilateral-trade/")
    statements = html.split('id="statements"')[1].split("</section>")[0]
    assert '24th among investors in Southland</span> <span class="figure-period">(2023)</span>' in statements
    assert "largest trading partner for 14 continuous years</span>" in statements
    assert "(period not stated; reported 12 April 2023)" in statements
    assert "Note: Counted by the customs office since 2009." in statements
    # In the table of every figure, each worded too.
    assert "24th among investors in Southland" in table_row_with(html, "24th")
    # The chart draws the world's one figure of 2024, and neither statement.
    svg = charts_of(html)
    assert len(re.findall(r'<rect class="chart-bar', svg)) == 1
    assert "24" not in re.sub(r"2024", "", " ".join(re.findall(r"<title>(.*?)</title>", svg)))
    assert "14" not in " ".join(re.findall(r"<title>(.*?)</title>", svg))
    download = client.get("/statistics/bilateral-trade/?format=svg").content.decode()
    assert "investors" not in download and "trading partner" not in download


def test_a_rank_and_a_duration_are_statements_on_the_pairs_statistics_not_latest_figures(client, customs):
    assert imported(file_of(RANK, DURATION)) == []
    html = page(client, "/statistics/?relationship=northland-southland")
    assert "Ranks and durations stated for Northland and Southland" in html
    latest = html.split("<caption>Latest figures")[1].split("</table>")[0]
    assert "investors" not in latest and "trading partner" not in latest
    assert "$5 billion" in latest


def test_a_figure_of_no_stated_period_is_listed_with_its_sources_date_but_never_charted_nor_latest(client, customs):
    assert imported(file_of(UNSTATED)) == []
    figure = records.Statistic.objects.get(source=customs)
    assert (figure.kind, figure.period_kind, figure.period_start, figure.period_end) == (
        "figure",
        "unstated",
        None,
        None,
    )

    html = page(client, "/statistics/bilateral-trade/")
    row = table_row_with(html, "$26 billion")
    assert "period not stated; reported 12 April 2023" in row and "more than $26 billion" in row
    assert "Note: A record." in row
    svg = charts_of(html)
    assert "26" not in " ".join(re.findall(r"<title>(.*?)</title>", svg))
    assert len(re.findall(r'<rect class="chart-bar', svg)) == 1

    # The pair's statistics: the latest figure is still 2024's; the figure of no period is among the statements.
    for url in ("/statistics/", "/statistics/?relationship=northland-southland"):
        listed = page(client, url)
        latest = listed.split("<caption>Latest figures")[1].split("</table>")[0]
        assert "$5 billion" in latest and "26 billion" not in latest, url
        assert "Figures of no stated period stated for Northland and Southland" in listed, url
        assert (
            '<span class="figure-value">more than $26 billion</span> '
            '<span class="figure-period">(period not stated; reported 12 April 2023)</span>'
        ) in listed, url
    # Nor is it the headline of the pair's page.
    summary = page(client, "/").split("Bilateral trade")[1].split("</li>")[0]
    assert "$5 billion" in summary and "26 billion" not in summary


def test_the_csv_download_keeps_a_figure_of_no_stated_period_with_blank_dates(client, customs):
    assert imported(file_of(UNSTATED)) == []
    response = client.get("/statistics/bilateral-trade/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    stated = next(row for row in rows if row["Source"] == "Customs office release")
    assert stated["Period"] == "period not stated; reported 12 April 2023"
    assert (stated["Period start"], stated["Period end"]) == ("", "")
    assert stated["As worded"] == "more than $26 billion" and stated["Note for readers"] == "A record."


def test_two_sources_figures_of_no_stated_period_may_both_be_marked_preferred(customs):
    other = dict(UNSTATED, Value="25900000000", Source="report", **{"Preferred value": "yes"})
    assert imported(file_of(dict(UNSTATED, **{"Preferred value": "yes"}), other)) == []
    assert records.Statistic.objects.filter(period_kind="unstated").count() == 2


@pytest.mark.parametrize("end", ["", "2019-02", "February 2019"])
def test_a_figure_as_of_a_month_from_a_file_is_shown_without_a_day(client, customs, end):
    row = {"Period": "as-of", "Period start": "2019-02", "Period end": end, "Value": "1200", "Unit": "companies",
           "Preferred value": "yes"}  # fmt: skip
    assert imported(file_of(row)) == []
    figure = records.Statistic.objects.get(source=customs)
    assert (figure.period_start, figure.period_end) == (datetime.date(2019, 2, 1), datetime.date(2019, 2, 28))
    assert figure.period_display() == "as of February 2019"

    html = page(client, "/statistics/bilateral-trade/")
    assert "as of February 2019" in table_row_with(html, "1,200 companies")
    assert "1 February 2019" not in html and "28 February 2019" not in html
    # Its chart names the month, its point tells the period as the table does.
    svg = charts_of(html)
    assert "as of February 2019: 1,200 companies" in svg and ">Feb 2019</text>" in svg


def test_a_period_typed_as_a_year_in_a_file_covers_the_year(customs):
    assert imported(file_of({"Period": "year", "Period start": "2022", "Value": "4100000000", "Unit": "USD"})) == []
    figure = records.Statistic.objects.get(source=customs)
    assert (figure.period_start, figure.period_end) == (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))


def test_24th_is_refused_as_a_figure_and_read_as_24_only_for_a_rank(customs):
    figure = {"Period": "year", "Period start": "2023", "Value": "24th", "Unit": "companies"}
    assert imported(file_of(figure)) == [
        "Row 2, column “Value”: “24th” is written as a rank: only a rank (kind “rank”) may be written so. "
        "Write the value as a number, such as 24, or give the row the kind “rank”."
    ]
    assert imported(file_of(dict(RANK, Value="24st"))) == [
        "Row 2, column “Value”: “24st” is not a rank: write it as 24th or 24."
    ]
    assert not records.Statistic.objects.filter(source=customs).exists()
    assert imported(file_of(dict(RANK, Value="1st"), dict(RANK, Value="3rd", Source="report"))) == []
    assert sorted(records.Statistic.objects.filter(kind="rank").values_list("value", flat=True)) == [1, 3]


def test_a_file_exported_with_its_new_columns_imports_unchanged_and_an_older_note_column_still_reads(customs):
    assert imported(file_of(RANK, DURATION, UNSTATED)) == []
    exported = RESOURCES["statistics"]().export()
    assert {"Ranked among / lasting as", "Note for readers", "Note for editors"} <= set(exported.headers)
    result = import_file(RESOURCES["statistics"], read_dataset(exported.csv.encode(), "csv"))
    assert describe_errors(result) == [] and result.totals["skip"] == 4

    # Files exported before readers had a note of their own head the editors' note "Note".
    older = exported.csv.replace("Note for editors", "Note").encode()
    older_rows = read_dataset(older, "csv")
    rank_row = next(index for index, row in enumerate(older_rows.dict) if row["Kind"] == "rank")
    older_rows[rank_row] = tuple(
        "checked against the ministry" if header == "Note" else cell
        for header, cell in zip(older_rows.headers, older_rows[rank_row], strict=True)
    )
    assert describe_errors(import_file(RESOURCES["statistics"], older_rows)) == []
    assert records.Statistic.objects.get(kind="rank").note == "checked against the ministry"


def test_the_statistic_form_has_every_column_of_the_file(editor_client, world):
    html = editor_client.get(reverse("admin:relations_statistic_add")).content.decode()
    assert 'name="wording"' in html and 'name="reader_note"' in html
    resource = RESOURCES["statistics"]()
    for field in resource.get_import_fields():
        assert f'name="{field.attribute}"' in html, field.attribute


def test_a_figure_as_of_a_year_is_charted_under_its_year_not_its_last_month(client, customs):
    row = {"Period": "as-of", "Period start": "2019", "Value": "900", "Unit": "companies", "Preferred value": "yes"}
    assert imported(file_of(row)) == []
    figure = records.Statistic.objects.get(source=customs)
    assert (figure.period_end, figure.period_display()) == (datetime.date(2019, 12, 31), "as of 2019")
    svg = charts_of(page(client, "/statistics/bilateral-trade/"))
    assert ">2019</text>" in svg and "Dec 2019" not in svg
