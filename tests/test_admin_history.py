"""A record's history as editors and view-only staff meet it in the admin: the list of versions, each with
its reason or a dash, and the page of one version, which only those who may change the record can revert."""

import re

import pytest
from django.urls import reverse

from tests.admin_pages import admin_form

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
