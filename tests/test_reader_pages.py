"""What readers see of a pair's missions, of meetings whose date has passed, of long series and of an
indicator's table on a phone."""

import datetime
import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import dates
from relations import models as records

pytestmark = pytest.mark.django_db

PAIR = "/relationships/turkiye-kazakhstan/"
MEETING = "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/"
COUNCIL = "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/"
DATE_PASSED = "(date passed, outcome not yet recorded)"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html, heading_id):
    """The part of a page under the heading with this id, up to the next heading of any level."""
    start = html.index(f'id="{heading_id}"')
    following = re.search(r"<h[1-6]", html[start:])
    return html[start : start + following.start()] if following else html[start:]


def missions_section(html):
    return html.split('<section aria-labelledby="missions">')[1].split("</section>")[0]


@pytest.fixture
def on(monkeypatch):
    """Pins the day pages take for today (relations.dates.today)."""

    def pin(day):
        monkeypatch.setattr(dates, "today", lambda: day)

    return pin


# A pair's missions, by sending country ----------------------------------------------------------------


def test_a_pairs_page_lists_each_countrys_missions_under_a_heading_of_its_own(client, article):
    html = missions_section(page(client, PAIR))
    turkish = section(html, "missions-tr")
    kazakh = section(html, "missions-kz")
    assert "Türkiye’s missions in Kazakhstan</h3>" in turkish
    assert "Kazakhstan’s missions in Türkiye</h3>" in kazakh
    assert html.index("missions-tr") < html.index("missions-kz")  # the pair's own order
    # Each mission under its sender, embassy first, named by kind and city (the heading names the sender).
    assert turkish.count("<li>") == 5 and kazakh.count("<li>") == 11
    assert re.search(r">Embassy in Astana \(formerly Nur-Sultan\)</a>", turkish)
    assert turkish.index("Embassy in") < turkish.index("Consulate general in Almaty")
    assert "Honorary consulate in Bitlis" in kazakh and "Bitlis" not in turkish
    assert "Almaty" not in kazakh


def test_a_pairs_missions_are_read_in_one_query_however_many_and_a_long_list_links_to_the_rest(
    client, article, settings
):
    settings.PUBLIC_PAGE_CACHE = False  # each request reads the database

    def count():
        with CaptureQueriesContext(connection) as queries:
            html = page(client, PAIR)
        return len(queries), html

    count()  # the first page read the site's settings (its footer's licence) into the cache: they are not records
    before, _ = count()
    kazakhstan = records.Country.objects.get(code="KZ")
    turkiye = records.Country.objects.get(code="TR")
    source = records.Source.objects.first()
    for number in range(25):
        city = records.Place.objects.create(name=f"Town {number:02d}", country=turkiye)
        records.PlaceName.objects.create(place=city, name=f"Old Town {number:02d}", start_year=1990, end_year=2000)
        records.Mission.objects.create(
            sender=kazakhstan, host=turkiye, place=city, kind="honorary-consulate", source=source
        )
    after, html = count()
    assert after == before
    kazakh = section(missions_section(html), "missions-kz")
    assert kazakh.count("<li>") == 20
    assert "All 36 of Kazakhstan’s missions in Türkiye" in html
    assert 'href="/missions/?relationship=turkiye-kazakhstan&amp;sender=KZ"' in html
    assert "All 5 of Türkiye’s" not in html  # every Turkish mission is shown


def test_a_country_without_missions_in_the_other_says_so(client, world):
    html = page(client, world["pair"].get_absolute_url())
    assert "Northland’s missions in Southland" in html
    assert "None recorded." in section(missions_section(html), "missions-sa")


# Meetings still scheduled after their date ---------------------------------------------------------------


def test_a_meeting_still_scheduled_sixteen_months_after_its_date_is_not_called_scheduled(client, article, on):
    on(datetime.date(2026, 11, 29))
    home = page(client, "/")
    assert "5th meeting of the Türkiye-Kazakhstan High-Level Strategic Cooperation Council</a>, 29 July 2025" in home
    assert DATE_PASSED in home and "(scheduled)" not in home
    for url in (PAIR, COUNCIL, "/timeline/"):
        html = page(client, url)
        assert DATE_PASSED in html and "(scheduled)" not in html, url
    meeting = page(client, MEETING)
    assert "<dt>Status</dt><dd>Date passed, outcome not yet recorded</dd>" in meeting


def test_a_meeting_is_scheduled_until_its_day_has_passed(client, article, on):
    on(datetime.date(2025, 7, 29))
    assert "(scheduled)" in page(client, "/") and DATE_PASSED not in page(client, "/timeline/")
    assert "<dt>Status</dt><dd>Scheduled</dd>" in page(client, MEETING)


def test_a_meeting_known_to_the_month_has_passed_once_the_month_is_over(client, article, on):
    records.CouncilMeeting.objects.update(date=datetime.date(2026, 3, 1), date_precision="month")
    on(datetime.date(2026, 3, 31))
    assert "(scheduled)" in page(client, COUNCIL)
    meeting = records.CouncilMeeting.objects.get()
    assert meeting not in records.CouncilMeeting.objects.date_passed_still_scheduled()
    assert meeting in records.CouncilMeeting.objects.date_passed_still_scheduled(on=datetime.date(2026, 4, 1))


def test_a_held_meeting_is_held_whatever_the_date(client, article, on):
    records.CouncilMeeting.objects.update(status="held")
    on(datetime.date(2026, 11, 29))
    assert "(held)" in page(client, "/") and DATE_PASSED not in page(client, "/")


def test_editors_list_the_meetings_whose_date_passed_while_still_scheduled(superuser_client, article, on):
    scheduled = records.CouncilMeeting.objects.get()
    held = records.CouncilMeeting.objects.create(
        council=scheduled.council, number=4, date=datetime.date(2022, 10, 1), status="held", source=scheduled.source
    )
    upcoming = records.CouncilMeeting.objects.create(
        council=scheduled.council,
        number=6,
        date=datetime.date(2026, 12, 20),
        status="scheduled",
        source=scheduled.source,
    )
    on(datetime.date(2026, 11, 29))
    changelist = page(superuser_client, "/admin/relations/councilmeeting/")
    assert "Date passed, still scheduled" in changelist
    filtered = page(superuser_client, "/admin/relations/councilmeeting/?date_passed=yes")
    assert f"/admin/relations/councilmeeting/{scheduled.pk}/change/" in filtered
    assert f"/admin/relations/councilmeeting/{held.pk}/change/" not in filtered
    assert f"/admin/relations/councilmeeting/{upcoming.pk}/change/" not in filtered


# Long series ---------------------------------------------------------------------------------------------


def month_starts(first_year, count):
    return [datetime.date(first_year + month // 12, month % 12 + 1, 1) for month in range(count)]


@pytest.fixture
def monthly(world):
    """A figure as of the first of each month from January 1998, 40 months (or as many as asked)."""
    indicator = records.Indicator.objects.create(name="Students", slug="students", unit="persons")

    def make(count=40):
        for number, day in enumerate(month_starts(1998, count)):
            records.Statistic.objects.create(
                indicator=indicator,
                relationship=world["pair"],
                value=Decimal(1000 + 25 * number),
                unit="persons",
                qualifier="about" if number == 3 else "exact",
                period_kind="as-of",
                period_start=day,
                period_end=day,
                source=world["source"],
            )
        return indicator

    return make


def chart_of(html):
    return html.split('<svg class="chart"')[1].split("</svg>")[0]


def test_a_long_series_reads_as_a_line_with_a_label_every_few_points_and_each_value_on_hover(client, monthly):
    html = page(client, monthly(40).get_absolute_url())
    assert "A long series is drawn as a line" in html and "Hover over a point to see its period and value." in html
    svg = chart_of(html)
    assert '<polyline class="chart-line"' in svg and '<rect class="chart-bar' not in svg
    points = re.findall(r'<g class="chart-point"><title>([^<]+)</title>', svg)
    assert len(points) == 40
    assert points[0] == "as of 1 January 1998: 1,000 persons"
    assert points[3] == "as of 1 April 1998: about 1,075 persons"
    assert points[-1] == "as of 1 April 2001: 1,975 persons"
    labels = re.findall(r'<text class="chart-label" x="([\d.]+)"[^>]*>([^<]+)</text>', svg)
    # Labelled every few points, at the same month, never overlapping: each a line of its own width apart.
    assert 2 < len(labels) < 40
    assert {"Jan 1998", "Jan 1999", "Jan 2000", "Jan 2001"} <= {text for _, text in labels}  # the same months each year
    for (x, text), (next_x, _) in zip(labels, labels[1:], strict=False):
        assert float(next_x) - float(x) >= len(text) * 7
    assert svg.count(">as of</text>") == 1  # said once on the axis, not under every month
    assert ">1,975 persons</text>" in svg  # the latest value written beside the line's end


def test_a_short_series_keeps_its_columns_each_with_its_value_on_hover(client, monthly):
    svg = chart_of(page(client, monthly(24).get_absolute_url()))
    assert "chart-line" not in svg
    assert (
        len(re.findall(r'<rect class="chart-bar[^"]*" x="\d+" y="\d+" width="\d+" height="\d+"><title>as of ', svg))
        == 24
    )


def test_a_chart_downloads_as_a_standalone_svg_beside_the_csv(client, monthly, world):
    indicator = monthly(40)
    html = page(client, indicator.get_absolute_url())
    assert (
        'href="?format=csv" download>' in html and 'href="?format=svg" download>Download the chart as SVG</a>' in html
    )
    narrowed = page(client, f"{indicator.get_absolute_url()}?relationship={world['pair'].slug}")
    assert f'href="?relationship={world["pair"].slug}&amp;format=svg" download>' in narrowed
    response = client.get(f"{indicator.get_absolute_url()}?relationship={world['pair'].slug}&format=svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == f'attachment; filename="students-{world["pair"].slug}.svg"'
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    document = ET.fromstring(text.encode())  # well-formed XML
    svg = "{http://www.w3.org/2000/svg}"
    assert document.tag == f"{svg}svg"
    assert document.find(f"{svg}title").text == "Students: Northland and Southland"
    # Drawn without the site's stylesheet, and without a <style> the Content Security Policy would refuse.
    line = document.find(f".//{svg}polyline")
    assert line.get("stroke") and line.get("fill") == "none"
    assert document.find(f".//{svg}style") is None and "style=" not in text
    assert len(document.findall(f".//{svg}g[@class='chart-point']")) == 40
    assert f"Every figure with its source: http://testserver{indicator.get_absolute_url()}?relationship=" in text


def test_the_svg_download_of_the_articles_columns_is_well_formed(client, article):
    response = client.get("/statistics/bilateral-trade/?format=svg")
    assert response.status_code == 200
    document = ET.fromstring(response.content)
    bars = document.findall(".//{http://www.w3.org/2000/svg}rect[@class]")
    assert any(bar.get("class").startswith("chart-bar") and bar.get("fill") for bar in bars)


@pytest.mark.parametrize("wanted", ["SVG", "svgz", "png", "", "svg%00"])
def test_a_format_the_page_does_not_have_is_not_found(client, monthly, wanted):
    response = client.get(f"{monthly(30).get_absolute_url()}?format={wanted}")
    assert response.status_code == 404


def test_an_indicator_with_no_chart_has_no_svg_to_download(client, world):
    empty = records.Indicator.objects.create(name="Nothing yet", slug="nothing-yet")
    assert client.get(f"{empty.get_absolute_url()}?format=svg").status_code == 404
    assert "format=svg" not in page(client, empty.get_absolute_url())


# An indicator's table on a phone -----------------------------------------------------------------------


def test_an_indicators_table_reads_as_a_list_on_a_phone(client, world):
    html = page(client, "/statistics/bilateral-trade/")
    assert '<table class="table stacked">\n  <caption>All figures: Bilateral trade' in html
    # A figure with no direction says nothing of one on a phone (its "—" is hidden there).
    assert '<td class="no-value">—</td>' in html


@pytest.fixture
def served(transactional_db, live_server):
    call_command("bootstrap", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


@pytest.mark.browser
def test_on_a_360_px_phone_every_figure_and_its_source_are_in_view(served):
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.skip("Debian's chromium (/usr/bin/chromium) is missing")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        try:
            view = browser.new_page(viewport={"width": 360, "height": 780})
            for url in ("/statistics/bilateral-trade/", "/statistics/tourists/?relationship=turkiye-kazakhstan"):
                view.goto(served + url)
                cells = view.locator("table.stacked tbody td")
                assert cells.count() > 4, url
                for index in range(cells.count()):
                    box = cells.nth(index).bounding_box()
                    if box is None:  # hidden: an empty direction
                        continue
                    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 + 1, (url, cells.nth(index).inner_text())
        finally:
            browser.close()


def test_a_series_longer_than_the_table_is_charted_to_its_latest_figure_and_the_table_lists_the_latest(client, monthly):
    indicator = monthly(230)  # January 1998 to February 2017: more figures than a page of the table lists (50)
    html = page(client, indicator.get_absolute_url())
    assert "Feb 2017" in chart_of(html) or "2017" in chart_of(html).split("<title>")[-1]
    table = html.split("<table")[-1].split("</table>")[0]
    assert "latest first (page 1 of 5; the CSV has them all)" in html
    assert "1 February 2017" in table and "1 January 2013" in table and "1 December 2012" not in table
    # Every figure is a page or a few away, the earliest on the last.
    assert 'href="?page=2"' in html
    last = page(client, f"{indicator.get_absolute_url()}?page=5").split("<table")[-1].split("</table>")[0]
    assert "1 January 1998" in last and "1 February 2017" not in last
    assert client.get(f"{indicator.get_absolute_url()}?page=6").status_code == 404


def test_an_indicators_table_keeps_the_capitals_of_its_name(client, world):
    indicator = records.Indicator.objects.get()
    indicator.name = "Kazakh students in Türkiye"
    indicator.save()
    assert "<caption>All figures: Kazakh students in Türkiye" in page(client, indicator.get_absolute_url())
