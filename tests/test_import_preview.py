"""The admin's import preview of a long file: counts at the top, changed and new rows with their cells,
unchanged rows counted rather than listed, the first rows of each kind shown and the others counted;
confirming still imports the whole file."""

import datetime
import re
from decimal import Decimal

import pytest
import tablib

from relations import models as records
from relations.registry import RESOURCES
from relations.resources.preview import PREVIEW_ROWS, REFUSED_ROWS_SHOWN
from tests.test_admin_import_export import confirm, upload

pytestmark = pytest.mark.django_db

INS = "<ins>"
DEL = "<del>"


def add_figures(world, count):
    """`count` stored figures of the world's pair, one a year from 1700, valued 1000 + n."""
    indicator = records.Indicator.objects.create(name="Students", unit="persons")
    records.Statistic.objects.bulk_create(
        records.Statistic(
            indicator=indicator,
            relationship=world["pair"],
            value=Decimal(1000 + n),
            unit="persons",
            period_start=datetime.date(1700 + n, 1, 1),
            period_end=datetime.date(1700 + n, 12, 31),
            source=world["source"],
        )
        for n in range(count)
    )


def statistics_file(change=None, new_rows=0):
    """The stored figures as exported, `change` applied to rows by their index ({index: {column: value}}),
    and `new_rows` figures of 1,000 years later appended."""
    stored = RESOURCES["statistics"]().export()
    dataset = tablib.Dataset(headers=stored.headers)
    rows = stored.dict
    for index, row in enumerate(rows):
        row = dict(row, **(change or {}).get(index, {}))
        dataset.append([row[header] for header in stored.headers])
    template = next(row for row in rows if row["Indicator"] == "students")
    for n in range(new_rows):
        year = 2700 + n
        row = dict(template, **{"Period start": f"{year}-01-01", "Period end": f"{year}-12-31", "Value": 9000 + n})
        dataset.append([row[header] for header in stored.headers])
    return dataset.csv


def rows_of(page, kind):
    return re.findall(rf'<tr class="{kind}">(.*?)</tr>', page, flags=re.S)


def test_a_long_file_with_a_few_changes_shows_the_changes_and_counts_the_unchanged(superuser_client, world):
    add_figures(world, 300)
    # Rows are exported by indicator then period: the world's one figure ("bilateral-trade") comes first.
    text = statistics_file(change={11: {"Value": "777777"}, 201: {"Value": "1200.5", "Note for editors": "revised"}})
    preview = upload(superuser_client, "statistic", text)
    page = preview.content.decode()
    assert preview.context["confirm_form"] is not None

    assert "0 new, 2 changed, 299 unchanged, 0 refused" in page
    assert "299 unchanged rows are not listed" in page
    changed = rows_of(page, "update")
    assert len(changed) == 2 and not rows_of(page, "skip") and not rows_of(page, "new")
    # Each changed row says where it is in the spreadsheet (its header is row 1), and what changes, old → new.
    assert '<td class="import-type">13</td>' in changed[0]
    assert f"{DEL}1010</del>\u00a0→ {INS}777777</ins>" in changed[0]
    assert f"{DEL}1200</del>\u00a0→ {INS}1200.5</ins>" in changed[1]
    assert f"{INS}revised</ins>" in changed[1]
    assert "<span>students</span>" in changed[1]
    # No unchanged figure is written out: 1000 + n for the 298 figures not changed.
    assert not [n for n in range(300) if n not in (10, 200) and f"<span>{1000 + n}</span>" in page]
    assert len(page) < 60_000

    confirm(superuser_client, "statistic", preview)
    assert records.Statistic.objects.get(period_start=datetime.date(1710, 1, 1)).value == 777777
    assert records.Statistic.objects.get(note="revised").value == Decimal("1200.5")


def test_a_long_preview_shows_the_first_rows_of_each_kind_and_confirming_imports_them_all(superuser_client, world):
    add_figures(world, 150)
    change = {index: {"Value": str(5000 + index)} for index in range(1, 150)}
    new_rows = PREVIEW_ROWS + 120
    preview = upload(superuser_client, "statistic", statistics_file(change=change, new_rows=new_rows))
    page = preview.content.decode()

    assert f"{new_rows} new, 149 changed, 2 unchanged, 0 refused" in page
    assert len(rows_of(page, "update")) == PREVIEW_ROWS
    assert len(rows_of(page, "new")) == PREVIEW_ROWS
    assert "And 49 more changed rows not shown here; confirming imports them too" in page
    assert "And 120 more new rows not shown here; confirming imports them too" in page
    # Changed rows come first, then new rows; each kind's first rows in the file.
    assert page.index("<h3>Changed rows</h3>") < page.index("<h3>New rows</h3>")
    assert f"{INS}9000</ins>" in page and f"{INS}{9000 + PREVIEW_ROWS - 1}</ins>" in page
    assert f"{INS}{9000 + PREVIEW_ROWS}</ins>" not in page

    done = confirm(superuser_client, "statistic", preview)
    assert f"Import finished: {new_rows} new, 149 updated" in done.content.decode()
    assert records.Statistic.objects.count() == 151 + new_rows
    assert records.Statistic.objects.filter(value__gte=9000, value__lt=9000 + new_rows).count() == new_rows
    assert records.Statistic.objects.get(period_start=datetime.date(1848, 1, 1)).value == 5000 + 149


def test_a_file_with_many_refused_rows_shows_the_first_and_counts_the_rest(superuser_client, world):
    header = "Slug,Sending country,Host country,City,Kind,Source,Publication status\r\n"
    bad = "".join(f"bad-{n},XX,NA,nordby,embassy,report,published\r\n" for n in range(REFUSED_ROWS_SHOWN + 30))
    good = "southland-embassy-nordby,SA,NA,nordby,embassy,report,published\r\n"
    preview = upload(superuser_client, "mission", header + good + bad)
    page = preview.content.decode()
    assert "confirm_form" not in preview.context
    assert f"1 new, 0 changed, 0 unchanged, {REFUSED_ROWS_SHOWN + 30} refused" in page
    refusals = page.split('class="import-preview import-refusals"')[1].split("</table>")[0]
    assert refusals.count("No country has the ISO code “XX”.") == REFUSED_ROWS_SHOWN
    # The good row is the spreadsheet's row 2; the first refused one row 3, the last shown row 102.
    assert "<td>3</td>" in refusals and f"<td>{REFUSED_ROWS_SHOWN + 2}</td>" in refusals
    assert f"<td>{REFUSED_ROWS_SHOWN + 3}</td>" not in refusals
    assert "And 30 more refused rows, not shown here" in page
    assert records.Mission.objects.count() == 1


def test_a_changed_list_of_topics_shows_the_stored_topics_struck_through(superuser_client, world):
    stored = RESOURCES["visits"]().export()
    row = dict(zip(stored.headers, stored[0], strict=True), Topics="energy")
    dataset = tablib.Dataset([row[header] for header in stored.headers], headers=stored.headers)
    preview = upload(superuser_client, "visit", dataset.csv)
    changed = rows_of(preview.content.decode(), "update")
    assert len(changed) == 1
    assert f"{DEL}energy, trade</del>\u00a0→ {INS}energy</ins>" in changed[0]
    confirm(superuser_client, "visit", preview)
    assert [topic.slug for topic in world["visit"].topics.all()] == ["energy"]


def test_a_long_file_of_new_rows_makes_a_short_page(superuser_client, world, run_worker):
    add_figures(world, 1000)
    text = statistics_file()
    records.Statistic.objects.filter(indicator__slug="students").delete()
    # So long a file is previewed by a worker, on its job's page.
    job_page = upload(superuser_client, "statistic", text).url
    run_worker()
    page = superuser_client.get(job_page).content.decode()
    assert "1,000 new, 0 changed, 1 unchanged, 0 refused" in page
    assert "And 900 more new rows not shown here" in page
    assert len(page) < 150_000
