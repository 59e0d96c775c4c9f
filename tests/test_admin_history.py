"""A record's history as editors and view-only staff meet it in the admin: the list of versions, each with
its reason or a dash, and the page of one version, which only those who may change the record can revert."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from relations import models as records
from relations.history import give_first_versions, one_history_entry
from relations.registry import RESOURCES
from relations.resources import import_file
from tests.admin_pages import FormValues, admin_form
from tests.test_admin_import_export import confirm, upload
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


def history_cells(page, heading):
    """The cells under `heading` on a history page, newest version first, as HTML."""
    table = " ".join(page.split('<table id="change-history"')[1].split("</table>")[0].split())
    column = re.findall(r"<th scope=\"col\">(.*?)</th>", table).index(heading)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    return [re.findall(r"<td>(.*?)</td>", row, flags=re.S)[column].strip() for row in rows]


def text_of(cell):
    """A cell's text as a browser shows it, its spaces (no-break ones too) one space each."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())


def history_page(client, record):
    return client.get(reverse(f"admin:relations_{record._meta.model_name}_history", args=[record.pk])).content.decode()


def test_changed_by_says_what_made_a_version_without_a_user_never_none(editor_client, world):
    topic = world["energy"]
    records.Topic.history.filter(id=topic.pk).delete()
    give_first_versions("Loaded from the fixtures")
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    assert editor_client.post(url, admin_form(editor_client, url, name="Energy and mining")).status_code == 302
    place = world["city"]
    page = history_page(editor_client, topic)
    assert [text_of(cell) for cell in history_cells(page, "Changed by")] == ["editor", "Loaded from the fixtures"]
    # A record saved by a command or script with no reason.
    assert [text_of(cell) for cell in history_cells(history_page(editor_client, place), "Changed by")] == [
        "No user recorded"
    ]


def test_changed_by_names_who_imported_and_what_a_command_line_import_was(editor_client, world):
    confirm(editor_client, "topic", upload(editor_client, "topic", "Slug,Name\r\nspace,Space\r\n"))
    topic = records.Topic.objects.get(slug="space")
    assert [text_of(cell) for cell in history_cells(history_page(editor_client, topic), "Changed by")] == ["editor"]
    # Figures are written in bulk by an import, their versions given its reason; without a user, from the command line.
    dataset = RESOURCES["statistics"]().export()
    dataset.dict = [dict(row, Value="5100000000") for row in dataset.dict]
    import_file(RESOURCES["statistics"], dataset)
    statistic = records.Statistic.objects.get()
    page = history_page(editor_client, statistic)
    assert text_of(history_cells(page, "Changed by")[0]) == "An import from the command line"
    assert history_cells(page, "Change reason")[0] == "Import"


def test_changed_by_links_to_the_user_only_for_who_may_see_users(editor_client, django_user_model, world):
    chief = Client()
    chief.force_login(django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-password"))
    topic = world["energy"]
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    assert editor_client.post(url, admin_form(editor_client, url, name="Energy and mining")).status_code == 302
    editor = records.Topic.history.filter(id=topic.pk).latest().history_user
    # An editor may not open the users' pages: the name alone, no link answering 403.
    assert history_cells(history_page(editor_client, topic), "Changed by")[0] == "editor"
    user_page = reverse("admin:auth_user_change", args=[editor.pk])
    assert editor_client.get(user_page).status_code == 403
    assert history_cells(history_page(chief, topic), "Changed by")[0] == f'<a href="{user_page}">editor</a>'


def test_the_changes_show_amounts_and_dates_as_the_site_writes_them(editor_client, world):
    statistic = records.Statistic.objects.get()
    statistic.value = 5_100_000_000
    statistic.save()
    milestone = world["milestone"]
    milestone.date, milestone.date_precision = datetime.date(2012, 1, 1), "year"
    milestone.save()
    changes = history_cells(history_page(editor_client, statistic), "Changes")[0]
    assert text_of(changes) == "Value: $5 billion → $5.1 billion"
    changes = history_cells(history_page(editor_client, milestone), "Changes")[0]
    assert text_of(changes) == "Date: 2009 → 2012"
    source = world["source"]
    source.retrieved_on = datetime.date(2025, 3, 5)
    source.save()
    changes = history_cells(history_page(editor_client, source), "Changes")[0]
    assert text_of(changes) == "Retrieved on: — → 5 March 2025"


def test_a_revert_gives_the_new_version_a_reason_naming_the_version_and_who_reverted(
    editor_client, visit_changed_since
):
    visit, version = visit_changed_since
    url = version_url(visit, version)
    assert editor_client.post(url, admin_form(editor_client, url)).status_code == 302
    page = history_page(editor_client, visit)
    # The version reverted to, found by its link, and its date and time as the list shows them.
    row = next(n for n, cell in enumerate(history_cells(page, "Object")) if version_url(visit, version) in cell)
    shown_date = history_cells(page, "Date/time")[row]
    assert re.fullmatch(r"\w+\.? \d{1,2}, \d{4}, .+", shown_date)
    assert history_cells(page, "Change reason")[0] == f"Reverted to the version of {shown_date} by editor"
    assert text_of(history_cells(page, "Changed by")[0]) == "editor"
    assert visit.history.latest().history_change_reason == f"Reverted to the version of {shown_date} by editor"
