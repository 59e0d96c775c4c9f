"""A record's history as editors and view-only staff meet it in the admin: the list of versions, each with
its reason or a dash, and the page of one version, which only those who may change the record can revert."""

import datetime
import re

import pytest
from django.urls import reverse

from relations import models as records
from relations.history import one_history_entry
from tests.admin_pages import FormValues, admin_form
from tests.test_permissions import viewer_client  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def reason_cells(page):
    """The 'Change reason' cell of each version on a history page, newest first."""
    table = " ".join(page.split('<table id="change-history"')[1].split("</table>")[0].split())
    headings = re.findall(r"<th scope=\"col\">(.*?)</th>", table)
    column = headings.index("Change reason")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    return [re.findall(r"<td>(.*?)</td>", row, flags=re.S)[column].strip() for row in rows]


def test_a_version_saved_on_the_form_shows_a_dash_for_its_reason_not_none(editor_client, world):
    topic = world["energy"]
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    assert editor_client.post(url, admin_form(editor_client, url, name="Energy and mining")).status_code == 302
    page = editor_client.get(reverse("admin:relations_topic_history", args=[topic.pk])).content.decode()
    # The form's edit, then the world's creation: neither gave a reason.
    assert reason_cells(page) == ["—", "—"]


def test_a_version_with_a_reason_still_shows_it(editor_client, world):
    visit = world["visit"]
    visit._change_reason = "Published from the list"
    visit.save()
    page = editor_client.get(reverse("admin:relations_visit_history", args=[visit.pk])).content.decode()
    assert reason_cells(page)[0] == "Published from the list"
    assert set(reason_cells(page)[1:]) == {"—"}


@pytest.fixture
def visit_changed_since(world):
    """The world's visit with a version of its summary, topics (Energy, Trade) and date, then changed."""
    visit = world["visit"]
    visit.summary = "The first summary"
    visit.start_date, visit.start_date_precision = datetime.date(2025, 7, 1), "month"
    visit.save()
    with one_history_entry(visit):
        pass
    version = visit.history.latest()
    visit.summary = "A later summary"
    visit.start_date, visit.start_date_precision = datetime.date(2025, 7, 29), "day"
    visit.save()
    with one_history_entry(visit):
        visit.topics.set([world["energy"]])
    return visit, version


def version_url(record, version):
    return reverse(f"admin:relations_{record._meta.model_name}_simple_history", args=[record.pk, version.history_id])


def content(page):
    return page.split('id="content-main"')[1] if 'id="content-main"' in page else page.split('id="content"')[1]


def readonly_rows(page):
    """{field name: its read-only text} of a change form, by each row's CSS class (field-<name>)."""
    rows = re.findall(r'field-(\w+)">.*?<div class="readonly">(.*?)</div>', " ".join(page.split()))
    return {name: re.sub(r"<[^>]+>", "", text).strip() for name, text in rows}


def test_a_view_only_user_sees_a_version_as_text_with_no_field_to_edit_and_no_revert_button(
    viewer_client,  # noqa: F811
    visit_changed_since,
):
    visit, version = visit_changed_since
    response = viewer_client.get(version_url(visit, version))
    assert response.status_code == 200
    page = response.content.decode()
    main = content(page)
    # Nothing a browser would send but the form's token: no field, no button.
    assert set(FormValues(main).values) == {"csrfmiddlewaretoken"}
    assert "<textarea" not in main and "<select" not in main
    assert 'type="submit"' not in main and "Revert" not in main.split("</h1>")[-1]
    shown = readonly_rows(page)
    # The version's own values, not today's.
    assert shown["summary"] == "The first summary"
    assert shown["topics"] == "Energy, Trade"
    # A date as it was known: July 2025, not 1 July 2025.
    assert shown["start_date"] == "July 2025"
    assert shown["guest"] == "Ana Guest"
    assert "View " in page.split("<title>")[1].split("</title>")[0]


@pytest.mark.parametrize("model", [records.Country, records.Statistic, records.Milestone, records.Organization])
def test_a_view_only_user_can_read_a_version_of_each_kind_of_form(viewer_client, world, model):  # noqa: F811
    # A slug filled in from the name, dates with a precision, fieldsets without them, a form with inlines.
    record = model._default_manager.first()
    page = viewer_client.get(version_url(record, record.history.earliest()))
    assert page.status_code == 200
    assert set(FormValues(content(page.content.decode())).values) == {"csrfmiddlewaretoken"}


def test_an_editor_still_gets_the_version_as_a_form_to_revert(editor_client, visit_changed_since):
    visit, version = visit_changed_since
    url = version_url(visit, version)
    page = editor_client.get(url).content.decode()
    values = FormValues(content(page)).values
    assert values["summary"] == [version.summary]
    assert 'value="Revert"' in page
    assert editor_client.post(url, admin_form(editor_client, url)).status_code == 302
    visit.refresh_from_db()
    assert visit.start_date == datetime.date(2025, 7, 1)
    assert sorted(topic.name for topic in visit.topics.all()) == ["Energy", "Trade"]
