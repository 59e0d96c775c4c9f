"""What editors see on the admin's screens around their records: the workbook an export gives them, a workbook's
refused row in an import's preview, the messages of the list's actions, and a membership's quotation on the public
page of its organization."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from relations import models as records
from relations.formats import FORMATS
from tests.test_admin_import_export import all_fields

pytestmark = pytest.mark.django_db

XLSX_INDEX = str([f.__name__ for f in FORMATS].index("XLSX"))


def workbook_rows(data):
    """The rows of a workbook's first sheet, each as {column: cell value}."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def command_workbook(tmp_path):
    path = tmp_path / "statistics.xlsx"
    call_command("export", "statistics", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    return workbook_rows(path.read_bytes())


def test_the_export_button_gives_a_workbook_of_numbers_and_dates_as_the_export_command_does(
    editor_client, world, tmp_path
):
    response = editor_client.post(
        reverse("admin:relations_statistic_export"),
        {"format": XLSX_INDEX, "resource": "0", **all_fields("statistic")},
    )
    assert response.status_code == 200
    [row] = workbook_rows(response.content)
    # A number and a date a spreadsheet can sum and sort, not the text '5000000000' and '2024-01-01'.
    assert row["Value"] == 5_000_000_000
    assert row["Period start"].date().isoformat() == "2024-01-01"
    assert [row] == command_workbook(tmp_path)


def test_the_export_action_gives_the_same_workbook(editor_client, world, tmp_path):
    statistic = records.Statistic.objects.get()
    chosen = editor_client.post(
        reverse("admin:relations_statistic_changelist"),
        {"action": "export_admin_action", "_selected_action": [statistic.pk]},
    )
    assert chosen.status_code == 200
    response = editor_client.post(
        reverse("admin:relations_statistic_export"),
        {"format": XLSX_INDEX, "resource": "0", "export_items": [statistic.pk], **all_fields("statistic")},
    )
    [row] = workbook_rows(response.content)
    assert row["Value"] == 5_000_000_000
    assert row["Equivalent value"] == 202_860_000_000
    assert [row] == command_workbook(tmp_path)


def refused_row_cells(page):
    """The cells of the first refused row of an import's preview, after its number and its messages."""
    table = page.split('class="import-preview import-refusals"')[1].split("</table>")[0]
    row = table.split("<tbody>")[1].split("</tr>")[0]
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.split("</ul>")[1], flags=re.S)]


def test_a_workbooks_refused_row_shows_its_empty_cells_empty_as_a_csv_files_does(editor_client, world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Slug", "Sending country", "Host country", "City", "Kind", "Source", "Publication status"])
    sheet.append(["bad", "XX", "NA", None, "embassy", "report", None])
    data = io.BytesIO()
    workbook.save(data)
    preview = editor_client.post(
        reverse("admin:relations_mission_import"),
        {"format": XLSX_INDEX, "import_file": SimpleUploadedFile("missions.xlsx", data.getvalue())},
    )
    page = preview.content.decode()
    assert "No country has the ISO code “XX”." in page
    cells = refused_row_cells(page)
    assert "None" not in cells
    # After "Row" and "What to correct", the file's columns.
    headers = re.findall(r'<th scope="col">(.*?)</th>', page.split("import-refusals")[1])[2:]
    shown = dict(zip(headers, cells, strict=True))
    assert shown["Slug"] == "bad"
    assert shown["City"] == ""
    assert shown["Publication status"] == ""


def action_messages(client, url, data):
    """The messages the list shows after an action, as the editor reads them."""
    page = client.post(url, data, follow=True).content.decode()
    listing = page.split('class="messagelist"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", listing, flags=re.S)]


def test_publishing_and_withdrawing_from_the_list_say_how_many_in_plain_words(editor_client, world):
    url = reverse("admin:relations_mission_changelist")
    first = records.Mission.objects.get()
    second = records.Mission.objects.create(
        sender=world["south"], host=world["north"], place=world["capital"], kind="consulate", source=world["source"]
    )
    both = {"_selected_action": [first.pk, second.pk]}
    assert action_messages(editor_client, url, {"action": "unpublish", **both}) == ["2 missions set back to draft."]
    assert action_messages(editor_client, url, {"action": "publish", "_selected_action": [first.pk]}) == [
        "1 mission published."
    ]


def test_a_memberships_quotation_shows_with_its_source_on_its_organizations_page(client, world):
    membership = records.Membership.objects.get()
    membership.quote = "Northland founded the Union in 1992."
    membership.save()
    records.Organization.objects.filter(pk=membership.organization_id).update(publication_status="published")
    page = client.get(membership.organization.get_absolute_url()).content.decode()
    row = page.split("<h2>Memberships</h2>")[1].split("</ul>")[0]
    assert "Northland</a>: founding member." in row
    assert 'Source: <a href="/sources/report/">Annual report</a>' in row
    assert '<blockquote class="quote"><p>Northland founded the Union in 1992.</p></blockquote>' in row
