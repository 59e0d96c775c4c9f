"""Files that would harm the site or garble its records: each is refused with a plain message, nothing written."""

import io
import os
import struct
import time
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from relations import formats
from relations import models as records
from relations.formats import FORMATS, MB, export_bytes
from relations.registry import RESOURCES
from tests.test_admin_import_export import NEW_MISSION, confirm, upload

pytestmark = pytest.mark.django_db

XLSX_INDEX = str([f.__name__ for f in FORMATS].index("XLSX"))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads waiting for confirmation go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / "django-import-export"


def counts():
    return {name: resource._meta.model.objects.count() for name, resource in RESOURCES.items()}


def page_text(response):
    return response.content.decode()


def assert_plain(page):
    """What an editor sees of a refusal: no traceback, no path on the server."""
    assert "Traceback" not in page
    assert str(settings.BASE_DIR) not in page
    assert "site-packages" not in page


def upload_xlsx(client, name, data):
    return client.post(
        reverse(f"admin:relations_{name}_import"),
        {"format": XLSX_INDEX, "import_file": SimpleUploadedFile(f"{name}.xlsx", data)},
    )


def workbook(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data, change):
    """The workbook with its first sheet's XML passed through change()."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(member.filename, content)
    return buffer.getvalue()


def declaring_size(data, member_name, size):
    """The archive with its central directory declaring another inflated size for one member."""
    data = bytearray(data)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == member_name.encode():
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 1)
    raise AssertionError(f"no member {member_name}")


TOPICS = (["Slug", "Name"], ["space", "Space"])


# 1. Workbooks inflating to gigabytes, or holding millions of rows ---------------------------------


def test_workbook_inflating_beyond_the_limit_is_refused_in_the_admin(superuser_client, world, monkeypatch):
    monkeypatch.setattr(formats, "MAX_INFLATED_BYTES", 1 * MB)
    whitespace = with_sheet_xml(
        workbook(*TOPICS), lambda xml: xml.replace(b"</sheetData>", b" " * 2 * MB + b"</sheetData>")
    )
    assert len(whitespace) < 100_000
    before = counts()

    page = page_text(upload_xlsx(superuser_client, "topic", whitespace))

    assert "This workbook inflates to 2 MB when opened; workbooks of up to 1 MB opened can be imported." in page
    assert_plain(page)
    assert counts() == before


def test_declared_inflated_size_is_refused_by_the_command_without_inflating(world, tmp_path):
    # The member holds a few hundred bytes but declares 300 MB: only the declaration was read,
    # or the file would have failed as a broken workbook instead.
    path = tmp_path / "topics.xlsx"
    path.write_bytes(declaring_size(workbook(*TOPICS), "xl/worksheets/sheet1.xml", 300 * MB))
    before = counts()

    with pytest.raises(CommandError, match="This workbook inflates to 300 MB when opened; workbooks of up to 200 MB"):
        call_command("import", "topics", str(path))

    assert counts() == before


def test_sheet_with_more_rows_than_the_limit_is_refused_in_the_admin(superuser_client, world, monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 5)
    rows = [["Slug", "Name"], *([f"topic-{n}", f"Topic {n}"] for n in range(6))]
    assert upload_xlsx(superuser_client, "topic", workbook(*rows[:6])).context["confirm_form"] is not None
    before = counts()

    page = page_text(upload_xlsx(superuser_client, "topic", workbook(*rows)))

    assert "The file has more than 5 rows; a file of records has at most 5. Split it into smaller files." in page
    assert_plain(page)
    assert counts() == before


def test_csv_with_more_rows_than_the_limit_is_refused_by_the_command(world, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 5)
    path = tmp_path / "topics.csv"
    path.write_text("Slug,Name\n" + "".join(f"topic-{n},Topic {n}\n" for n in range(6)))
    before = counts()

    with pytest.raises(CommandError, match="topics.csv: The file has more than 5 rows"):
        call_command("import", "topics", str(path))

    assert counts() == before


# 2. A CSV mixing two encodings -------------------------------------------------------------------------


MIXED_ENCODINGS = (
    b"Slug,Current name,Country\r\n" + "kirikkale,Kırıkkale,NA\r\n".encode() + "igdir,Iğdır,NA\r\n".encode("cp1254")
)


def test_csv_mixing_utf8_and_windows_1254_lines_is_refused_naming_the_lines(superuser_client, world):
    before = counts()

    page = page_text(upload(superuser_client, "place", MIXED_ENCODINGS))

    assert "Line 3 is in Windows-1254 but line 2 is UTF-8" in page
    assert "CSV UTF-8" in page
    assert_plain(page)
    assert counts() == before
    assert not records.Place.objects.filter(name__contains="Ä").exists()


def test_csv_mixing_encodings_is_refused_by_the_command(world, tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(
        b"Slug,Current name,Country\r\n" + "igdir,Iğdır,NA\r\n".encode("cp1254") + "kirikkale,Kırıkkale,NA\r\n".encode()
    )
    before = counts()

    with pytest.raises(CommandError, match="Line 3 is UTF-8 but line 2 is in Windows-1254"):
        call_command("import", "places", str(path))

    assert counts() == before


# 3. Confirming one preview twice ------------------------------------------------------------------------


def test_second_confirmation_of_a_preview_says_so_and_writes_nothing(superuser_client, world):
    preview = upload(superuser_client, "mission", NEW_MISSION)
    confirm(superuser_client, "mission", preview)
    after_first = (records.Mission.objects.count(), records.Mission.history.count())

    again = confirm(superuser_client, "mission", preview)

    assert again.redirect_chain[-1][0] == reverse("admin:relations_mission_import")
    page = page_text(again)
    assert "This file has already been imported, or its preview has expired: upload it again." in page
    assert_plain(page)
    assert (records.Mission.objects.count(), records.Mission.history.count()) == after_first


@pytest.mark.parametrize("name", RESOURCES)
def test_second_confirmation_is_a_message_for_every_record_type(superuser_client, world, name):
    model_name = RESOURCES[name]._meta.model._meta.model_name
    preview = upload(superuser_client, model_name, export_bytes(RESOURCES[name]().export(), "csv"))
    assert preview.context["confirm_form"] is not None, page_text(preview)
    confirm(superuser_client, model_name, preview)

    again = confirm(superuser_client, model_name, preview)

    assert again.status_code == 200
    assert "This file has already been imported" in page_text(again)


# 4. Header rows, leftover uploads, the size limit ---------------------------------------------------------


def test_repeated_column_is_refused_naming_it(superuser_client, world):
    before = counts()

    page = page_text(upload(superuser_client, "topic", "Slug,Name,Name\r\nspace,Space,Other\r\n"))

    assert "The column “Name” appears more than once: keep one." in page
    assert "confirm_form" not in page
    assert_plain(page)
    assert counts() == before


@pytest.mark.parametrize(
    "text, message",
    [
        ("Slug,Name,Colour\r\nspace,Space,blue\r\n", "Unknown columns: “Colour”."),
        ("Name\r\nSpace\r\n", "Missing columns: “Slug”."),
    ],
)
def test_header_errors_show_only_the_plain_message(superuser_client, world, text, message):
    before = counts()

    page = page_text(upload(superuser_client, "topic", text))

    assert message in page
    assert "seen_rows" not in page
    assert "not found in dataset" not in page
    assert "Line number" not in page
    assert_plain(page)
    assert counts() == before


def test_command_reports_a_header_error_as_its_only_problem(world, tmp_path):
    path = tmp_path / "topics.csv"
    path.write_text("Slug,Name,Colour\nspace,Space,blue\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import", "topics", str(path), stderr=err)

    assert "refused, 1 problem:" in err.getvalue()
    assert "seen_rows" not in err.getvalue()


def test_file_with_200000_columns_is_refused_up_front_with_a_short_page(superuser_client, world, run_worker):
    header = ",".join(f"Column {n}" for n in range(200_000))
    before = counts()

    # So large a file is read by a worker; its job's page gives the refusal.
    job_page = upload(superuser_client, "topic", header + "\r\n").url
    run_worker()

    page = page_text(superuser_client.get(job_page))
    assert "Row 1 has 200,000 columns; a file of records has at most 100." in page
    assert len(page) < 50_000
    assert_plain(page)
    assert counts() == before


def test_list_of_unknown_columns_is_capped(superuser_client, world):
    header = "Slug,Name," + ",".join(f"Extra {n}" for n in range(30))

    page = page_text(upload(superuser_client, "topic", header + "\r\nspace,Space" + "," * 30 + "\r\n"))

    assert "Unknown columns: “Extra 0”, “Extra 1”" in page
    assert "“Extra 9” and 20 more." in page
    assert "Extra 10" not in page


def test_refused_upload_is_removed_at_once(superuser_client, world, media_root):
    upload(superuser_client, "topic", "Slug,Name,Colour\r\nspace,Space,blue\r\n")
    upload(superuser_client, "place", MIXED_ENCODINGS)

    assert list(media_root.iterdir()) == []


def test_abandoned_preview_is_removed_after_a_day_when_an_import_page_is_shown(superuser_client, world, media_root):
    abandoned = upload(superuser_client, "mission", NEW_MISSION)
    today = upload(superuser_client, "mission", NEW_MISSION)
    stored = media_root / abandoned.context["confirm_form"].initial["import_file_name"]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stored, (two_days_ago, two_days_ago))

    superuser_client.get(reverse("admin:relations_topic_import"))

    assert not stored.exists()
    assert len(list(media_root.iterdir())) == 1
    confirm(superuser_client, "mission", today)
    assert list(media_root.iterdir()) == []
    assert records.Mission.objects.count() == 2
    late = confirm(superuser_client, "mission", abandoned)
    assert "its preview has expired: upload it again." in page_text(late)
    assert records.Mission.objects.count() == 2


def test_size_limit_is_stated_in_the_megabytes_of_the_readme(superuser_client, world):
    assert settings.IMPORT_MAX_UPLOAD_BYTES == 20 * MB
    before = counts()

    page = page_text(upload(superuser_client, "topic", b"x" * (20 * MB + 1)))

    assert "This file is 20.0 MB; files of up to 20 MB can be imported." in page
    assert counts() == before


def test_an_upload_folder_that_cannot_be_written_to_is_a_message_not_an_error(superuser_client, world, settings):
    settings.MEDIA_ROOT.parent.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.write_text("a file where the upload folder should be")
    before = counts()
    response = upload(superuser_client, "mission", NEW_MISSION)
    assert response.status_code == 302
    page = page_text(superuser_client.get(response["Location"]))
    assert "could not be stored for its preview" in page
    assert_plain(page)
    assert counts() == before


# 5. Workbooks refused by their range and rows before a cell is read ------------------------------------


def with_range(data, ref, extra_rows=b""):
    """The workbook with its first sheet declaring the range `ref` (its dimension), rows added at its end."""

    def change(xml):
        start = xml.index(b"<dimension ")
        xml = xml[:start] + b'<dimension ref="' + ref + b'" />' + xml[xml.index(b"/>", start) + 2 :]
        return xml.replace(b"</sheetData>", extra_rows + b"</sheetData>")

    return with_sheet_xml(data, change)


def test_workbook_with_one_cell_at_xfd1048576_is_refused_at_once_with_a_plain_message(superuser_client, world):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = with_range(workbook(*TOPICS), b"A1:XFD1048576", far)
    assert len(data) < 6_000
    before = counts()

    started = time.monotonic()
    response = upload_xlsx(superuser_client, "topic", data)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    page = page_text(response)
    assert "The file has a cell in column XFD (XFD1048576); a file of records has at most 100 columns" in page
    assert "delete the rows below the records and the columns right of them" in page
    assert_plain(page)
    assert elapsed < 5
    assert counts() == before


def test_sheet_whose_range_reaches_far_below_its_records_is_refused_naming_the_range(world, tmp_path):
    # A cell only formatted at B1048576 below two rows of records: the range, not the rows, is too large.
    stray = b'<row r="1048576"><c r="B1048576" s="0" /></row>'
    path = tmp_path / "topics.xlsx"
    path.write_bytes(with_range(workbook(*TOPICS), b"A1:B1048576", stray))
    before = counts()

    with pytest.raises(CommandError, match=r"The sheet's cells reach B1048576 \(row 1,048,576, column 2\)"):
        call_command("import", "topics", str(path))

    assert counts() == before


def test_sheet_without_a_range_with_formatted_cells_at_xfd_is_refused_before_it_is_read(
    superuser_client, world, monkeypatch
):
    # No dimension saved: openpyxl would pad each of these rows to 16,384 cells.
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>t%d</t></is></c><c r="XFD%d" s="0" /></row>' % ((n,) * 4)
        for n in range(3, 2_000)
    )
    data = with_sheet_xml(
        workbook(*TOPICS),
        lambda xml: xml.replace(b'<dimension ref="A1:B2" />', b"").replace(b"</sheetData>", rows + b"</sheetData>"),
    )
    monkeypatch.setattr(formats.openpyxl, "load_workbook", refuse_to_open)
    before = counts()

    page = page_text(upload_xlsx(superuser_client, "topic", data))

    assert "The file has a cell in column XFD (XFD3); a file of records has at most 100 columns" in page
    assert_plain(page)
    assert counts() == before


def refuse_to_open(*args, **kwargs):
    raise AssertionError("The workbook was opened: its cells were about to be read.")


def test_rows_of_a_workbook_are_counted_before_openpyxl_opens_it(superuser_client, world, monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 5)
    monkeypatch.setattr(formats.openpyxl, "load_workbook", refuse_to_open)
    rows = [["Slug", "Name"], *([f"topic-{n}", f"Topic {n}"] for n in range(6))]
    before = counts()

    page = page_text(upload_xlsx(superuser_client, "topic", workbook(*rows)))

    assert "The file has more than 5 rows; a file of records has at most 5. Split it into smaller files." in page
    assert counts() == before


def test_rows_of_a_sheet_without_a_range_are_counted_before_it_is_opened(world, tmp_path, monkeypatch):
    # openpyxl reads a sheet saved without its range whole as it opens the workbook, to find the range.
    monkeypatch.setattr(formats, "MAX_ROWS", 5)
    monkeypatch.setattr(formats.openpyxl, "load_workbook", refuse_to_open)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(3, 9))
    path = tmp_path / "topics.xlsx"
    path.write_bytes(
        with_sheet_xml(
            workbook(*TOPICS),
            lambda xml: xml.replace(b'<dimension ref="A1:B2" />', b"").replace(b"</sheetData>", rows + b"</sheetData>"),
        )
    )

    with pytest.raises(CommandError, match="topics.xlsx: The file has more than 5 rows"):
        call_command("import", "topics", str(path))


def test_sheet_whose_range_is_saved_too_small_is_read_whole(world, tmp_path):
    # A writer that saves the range as A1 whatever the sheet holds: every row and column is still read.
    path = tmp_path / "topics.xlsx"
    path.write_bytes(with_range(workbook(["Slug", "Name"], ["space", "Space"], ["water", "Water"]), b"A1"))

    call_command("import", "topics", str(path), stdout=io.StringIO())

    assert set(records.Topic.objects.filter(slug__in=["space", "water"]).values_list("name", flat=True)) == {
        "Space",
        "Water",
    }


# 6. CSV saved with the old Mac's line ends, or a cell that never ends --------------------------------------


def test_csv_with_cr_only_line_ends_is_read_row_by_row(superuser_client, world):
    text = "Slug,Name\r" + 'space,Space\r"water","Water,\rrivers and seas"\r'

    preview = upload(superuser_client, "topic", text)

    assert preview.context["confirm_form"] is not None, page_text(preview)
    confirm(superuser_client, "topic", preview)
    assert records.Topic.objects.get(slug="space").name == "Space"
    # A line break typed inside a quoted cell stays in the cell.
    assert records.Topic.objects.get(slug="water").name == "Water,\rrivers and seas"


def test_csv_with_cr_only_line_ends_is_read_by_the_command_in_windows_1254(world, tmp_path):
    path = tmp_path / "topics.csv"
    path.write_bytes("Slug;Name\rkirsehir;Kırşehir\rigdir;Iğdır\r".encode("cp1254"))

    call_command("import", "topics", str(path), stdout=io.StringIO())

    assert dict(records.Topic.objects.filter(slug__in=["kirsehir", "igdir"]).values_list("slug", "name")) == {
        "kirsehir": "Kırşehir",
        "igdir": "Iğdır",
    }


def test_cell_opened_by_a_quotation_mark_never_closed_is_refused_naming_its_row(superuser_client, world, run_worker):
    rows = "".join(f"topic-{n},Topic {n}\r\n" for n in range(8_000))
    text = 'Slug,Name\r\nspace,Space\r\nwater,"Water\r\n' + rows
    before = counts()

    # So large a file is read by a worker; its job's page gives the refusal.
    job_page = upload(superuser_client, "topic", text).url
    run_worker()

    page = page_text(superuser_client.get(job_page))

    assert "Row 3 has a cell longer than 131,072 characters, more than a spreadsheet keeps in a cell." in page
    assert "a quotation mark (&quot;) opens a cell there and is never closed" in page
    assert "encountered while trying to read file" not in page
    assert_plain(page)
    assert counts() == before


def test_a_cell_longer_than_a_spreadsheet_keeps_is_refused_even_when_another_library_raised_the_csv_limit():
    import csv
    import sys

    from relations.formats import UnreadableFile, read_dataset

    text = 'Slug,Name\r\nspace,Space\r\nwater,"Water\r\n' + "".join(f"topic-{n},Topic {n}\r\n" for n in range(8_000))
    limit = csv.field_size_limit(sys.maxsize)  # as frictionless does when it is imported
    try:
        with pytest.raises(UnreadableFile, match="Row 3 has a cell longer than 131,072 characters"):
            read_dataset(text.encode(), "csv")
    finally:
        csv.field_size_limit(limit)
