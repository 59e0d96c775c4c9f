"""Every date field of the admin reads what editors type day first, as files do; a period typed as a year or
a month covers it; an address never states a day the source did not give."""

import datetime
import re

import pytest

from relations import models as records
from tests.admin_pages import admin_form
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db


def save_statistic(client, statistic, **changes):
    url = admin_url(records.Statistic, "change", statistic.pk)
    return client.post(url, admin_form(client, url, **changes))


@pytest.mark.parametrize(
    ("start", "end", "stored"),
    [
        ("05/03/2024", "31/12/2024", ("2024-03-05", "2024-12-31")),
        ("01.01.2012", "31.12.2012", ("2012-01-01", "2012-12-31")),
        ("2012", "", ("2012-01-01", "2012-12-31")),
        ("2012", "2012", ("2012-01-01", "2012-12-31")),
    ],
)
def test_a_figures_period_is_read_day_first_and_a_year_covers_the_year(superuser_client, world, start, end, stored):
    statistic = records.Statistic.objects.get()
    kind = "year" if stored[0].endswith("-01-01") else "months"
    if stored == ("2024-03-05", "2024-12-31"):
        kind = "since"
    response = save_statistic(superuser_client, statistic, period_kind=kind, period_start=start, period_end=end)
    assert response.status_code == 302, response.content.decode()[-3000:]
    statistic.refresh_from_db()
    assert (statistic.period_start.isoformat(), statistic.period_end.isoformat()) == stored


def test_a_month_typed_as_a_period_runs_to_its_last_day(superuser_client, world):
    statistic = records.Statistic.objects.get()
    response = save_statistic(
        superuser_client, statistic, period_kind="months", period_start="February 2024", period_end=""
    )
    assert response.status_code == 302
    statistic.refresh_from_db()
    assert (statistic.period_start, statistic.period_end) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))


def test_a_bad_period_date_is_refused_with_that_problem_alone(superuser_client, world):
    statistic = records.Statistic.objects.get()
    response = save_statistic(superuser_client, statistic, period_start="31.02.2024", period_end="2024")
    page = response.content.decode()
    assert response.status_code == 200
    assert "“31.02.2024” is not a date" in page
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    assert errors and not any("horizon" in error or "Give the period" in error for error in errors)
    statistic.refresh_from_db()
    assert statistic.period_start == datetime.date(2024, 1, 1)


@pytest.mark.parametrize(("typed", "stored"), [("29.07.2025", "2025-07-29"), ("31/07/2025", "2025-07-31")])
def test_a_visits_end_date_is_read_day_first(superuser_client, world, typed, stored):
    visit = world["visit"]
    url = admin_url(records.Visit, "change", visit.pk)
    response = superuser_client.post(url, admin_form(superuser_client, url, end_date=typed))
    assert response.status_code == 302, response.content.decode()[-3000:]
    visit.refresh_from_db()
    assert visit.end_date.isoformat() == stored


def test_a_date_kept_without_precision_needs_its_day(superuser_client, world):
    source = world["source"]
    url = admin_url(records.Source, "change", source.pk)
    response = superuser_client.post(url, admin_form(superuser_client, url, retrieved_on="2025"))
    assert response.status_code == 200
    assert "“2025” is not a whole date" in response.content.decode()
    response = superuser_client.post(url, admin_form(superuser_client, url, retrieved_on="05/03/2025"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.retrieved_on == datetime.date(2025, 3, 5)


def test_a_new_records_date_precision_starts_as_typed(superuser_client, world):
    page = superuser_client.get(admin_url(records.Visit, "add")).content.decode()
    precision = page.split('name="start_date_precision"')[1].split("</select>")[0]
    assert '<option value="" selected>As typed</option>' in precision


def test_a_visit_known_to_the_month_has_an_address_without_a_day(superuser_client, world):
    visit = world["visit"]
    # Its form is posted as a new visit's: without the rows of its programme and outcomes, which are its own.
    visit.programme.all().delete()
    visit.outcomes.all().delete()
    url = admin_url(records.Visit, "add")
    form = admin_form(superuser_client, admin_url(records.Visit, "change", visit.pk), slug="", start_date="March 2024")
    form.pop("start_date_precision")
    response = superuser_client.post(url, {**form, "start_date_precision": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    added = records.Visit.objects.exclude(pk=visit.pk).get()
    assert added.start_date_precision == "month"
    assert added.slug.endswith("-2024-03")
    assert added.get_absolute_url().endswith("-2024-03/")
