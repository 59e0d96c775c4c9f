"""File formats for import and export, reading files the way editors' spreadsheets save them.

Excel saves "CSV UTF-8" with a byte-order mark, and Turkish Excel saves plain
"CSV" in Windows-1254 with semicolons. Both are read here; a file in any other
encoding, or mixing two, is refused with a message rather than stored with mangled letters.
A file larger than an import can take (too many rows or columns, or a workbook that
inflates beyond reason) is refused while it is read, before it fills the server's memory.
"""

import csv
import io
import itertools
import zipfile

import openpyxl
import tablib
from import_export.formats import base_formats

MB = 1024 * 1024

# Rows of records in one file. The largest table, statistics, previews and imports new figures at about
# 2,000 to 3,500 rows a second on a 2-core machine, so a file at the limit takes under a minute, within the
# server's 120 s request timeout (`make serve`); larger data is split into files.
MAX_ROWS = 100_000

# Columns of one file. A record type has fewer than 20; a hundred leaves room for a
# spreadsheet's stray columns while keeping the list of unknown columns readable.
MAX_COLUMNS = 100

# The size a workbook (.xlsx, a zip archive) may inflate to. A 200,000-row export of
# statistics written by this site inflates to about 180 MB; reading a workbook at the limit
# takes at most about 450 MB of memory, where a 2 MB file inflating to 2 GB took 4 GB.
MAX_INFLATED_BYTES = 200 * MB

# Characters a Turkish Windows-1254 file legitimately holds beyond ASCII.
# Anything else in the upper half (Cyrillic read as Latin, say) means the guess was wrong.
TURKISH_WINDOWS_CHARACTERS = set("İıĞğŞşÖöÜüÇçÂâÎîÛûÉéÈèÀàÄäËëÏïÔô’‘“”–—…€£°·«»§©®±×÷¢¥µ¶•†‡‰‹›™\u00a0")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(ValueError):
    """A file whose text cannot be read: the message tells the editor how to save it."""


def decode_text(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, or Turkish Windows-1254."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    refuse_mixed_encodings(data)
    try:
        text = data.decode("cp1254")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(ord(char) < 128 or char in TURKISH_WINDOWS_CHARACTERS for char in text):
        return text
    raise UnreadableFile(
        "The file is neither UTF-8 nor Turkish Windows-1254 text, so its letters cannot be read reliably. "
        "In Excel, save it with “Save as… CSV UTF-8 (comma delimited)” and upload it again."
    )


def refuse_mixed_encodings(data):
    """Refuse a file with lines in UTF-8 and lines in another encoding (rows pasted from two files):
    read in either encoding, the other's letters would be stored garbled."""
    first_utf8 = first_other = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_other = first_other or number
        else:
            first_utf8 = first_utf8 or number
        if first_utf8 and first_other:
            if first_other > first_utf8:
                where = f"Line {first_other} is in Windows-1254 but line {first_utf8} is UTF-8"
            else:
                where = f"Line {first_utf8} is UTF-8 but line {first_other} is in Windows-1254"
            raise UnreadableFile(
                f"{where}: the file mixes two encodings, so some of its letters cannot be read reliably. "
                "Save the whole file with “Save as… CSV UTF-8 (comma delimited)” and upload it again."
            )


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def without_blank_end(row):
    """A row without its blank cells after the last one filled in: a spreadsheet saves cells that are only
    formatted, never typed in (a column of amounts formatted to its end gives each row cells up to it)."""
    end = len(row)
    while end and is_blank(row[end - 1]):
        end -= 1
    return row if end == len(row) else row[:end]


def spreadsheet_row(number):
    """The row editors see for the import's row number (django-import-export's: first record 1), the one every
    message and page names: a spreadsheet numbers its header row 1, so its first record is row 2."""
    return number + 1


def within_limits(rows):
    """The rows of a file as they are read, header first, each without its blank end (without_blank_end),
    refusing the file at the first row past the limits, so the rest is never read."""
    # The header is number 0, the first record 1, as the import numbers them (spreadsheet_row).
    for number, row in enumerate(rows):
        if number > MAX_ROWS:
            raise UnreadableFile(
                f"The file has more than {MAX_ROWS:,} rows; a file of records has at most {MAX_ROWS:,}. "
                "Split it into smaller files."
            )
        row = without_blank_end(row)
        if len(row) > MAX_COLUMNS:
            raise UnreadableFile(
                f"Row {spreadsheet_row(number)} has {len(row):,} columns; a file of records has at most {MAX_COLUMNS}. "
                "Keep only the columns of the record type and save it again."
            )
        yield row


def sheet_dataset(rows):
    """A dataset of a sheet's rows (header first, read by within_limits) without what a spreadsheet saves
    of cells only formatted: the blank rows after the last one filled in, the blank columns after the last
    one filled in. LibreOffice saves a workbook's formatted cells as rows and columns of their own: amounts
    formatted down to row 60 gave 54 rows of nothing after the records, each refused."""
    rows = list(rows)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise UnreadableFile("The file is empty.")
    width = max(len(row) for row in rows)
    dataset = tablib.Dataset(headers=[*rows[0], *[""] * (width - len(rows[0]))])
    for row in rows[1:]:
        dataset.append([*row, *[""] * (width - len(row))])
    return dataset


def refuse_large_inflation(data):
    """Refuse a workbook whose parts inflate beyond MAX_INFLATED_BYTES, before anything inflates them.

    Each part of a zip archive declares its inflated size, and Python's zipfile, which openpyxl
    reads with, never yields more than that size: the declared sizes bound the work."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise UnreadableFile("The file could not be read as an Excel workbook (.xlsx).") from error
    if inflated > MAX_INFLATED_BYTES:
        raise UnreadableFile(
            f"This workbook inflates to {inflated / MB:,.0f} MB when opened; workbooks of up to "
            f"{MAX_INFLATED_BYTES / MB:.0f} MB opened can be imported. Split it into smaller files."
        )


def sniff_delimiter(text):
    """Comma, semicolon or tab, whichever the header line uses."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def escape_formula(value):
    """Keep a spreadsheet from running a cell as a formula: '=SUM(A1)' is written as "'=SUM(A1)"."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo escape_formula, so an exported file imports back to the same text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class CSV(base_formats.CSV):
    """CSV in any of the encodings and delimiters editors' spreadsheets write."""

    def is_binary(self):
        # Read the upload as bytes, so the encoding is worked out here, not assumed.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_text(in_stream)
        if not text.strip():
            raise UnreadableFile("The file is empty.")
        delimiter = sniff_delimiter(text)
        # Rows and columns counted as the csv module reads them, one at a time, before they are held:
        # 20 MB of one-letter lines would take 2 GB as a dataset. Empty lines are left out, as tablib does.
        lines = (row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row)
        return sheet_dataset(within_limits(lines))

    def export_data(self, dataset, **kwargs):
        # A byte-order mark makes Excel open the file as UTF-8, Turkish and Kazakh letters intact.
        return "\ufeff" + dataset.export("csv", **kwargs)


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        """The first sheet, header row first, as the library reads it, but refused as soon as it passes
        the limits: the library reads every row there is, and a small file may hold millions."""
        refuse_large_inflation(in_stream)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
            try:
                dataset = sheet_dataset(within_limits(workbook.active.iter_rows(values_only=True)))
            finally:
                workbook.close()
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile("The file could not be read as an Excel workbook (.xlsx).") from error
        return dataset


class JSON(base_formats.JSON):
    def create_dataset(self, in_stream, **kwargs):
        try:
            dataset = super().create_dataset(decode_text(in_stream), **kwargs)
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile("The file is not a JSON list of records.") from error
        # The library reads JSON whole, so it is counted once read; the same limits apply to every format.
        for _row in within_limits(itertools.chain([dataset.headers or []], dataset)):
            pass
        return dataset


FORMATS = [CSV, XLSX, JSON]
FORMATS_BY_NAME = {"csv": CSV, "xlsx": XLSX, "json": JSON}


def read_dataset(data, format_name):
    return FORMATS_BY_NAME[format_name]().create_dataset(data)


def export_bytes(dataset, format_name):
    data = FORMATS_BY_NAME[format_name]().export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data
