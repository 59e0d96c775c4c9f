"""File formats for import and export, reading files the way editors' spreadsheets save them.

Excel saves "CSV UTF-8" with a byte-order mark, and Turkish Excel saves plain
"CSV" in Windows-1254 with semicolons. Both are read here; a file in any other
encoding, or mixing two, is refused with a message rather than stored with mangled letters.
A file larger than an import can take (too many rows or columns, or a workbook that
inflates beyond reason) is refused before its cells are read, or while they are, before it fills
the server's memory or outlasts its request timeout.
"""

import csv
import io
import itertools
import re
import zipfile

import openpyxl
import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.formats import base_formats
from openpyxl.utils import get_column_letter

MB = 1024 * 1024

# Rows of records in one file. Statistics, imported in bulk, preview 10,000 new figures in about 4 s on a 2-core
# machine, so a file at the limit takes under a minute; record types imported row by row are about three times
# slower (README, "Import and export"), and such a file at the limit outlasts `make serve`'s 120 s request
# timeout until imports run in the background.
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

# The first line of a text, whichever line ends it uses: Windows' (CR LF), Unix's (LF) or the old Mac's (CR).
FIRST_LINE = re.compile(r"[^\r\n]*")

# The start of a worksheet's XML, with the prefix its tags carry if any (`<x:worksheet>`, then `<x:row>`).
WORKSHEET_TAG = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")

# What to do about a cell far beyond the records, which Excel and LibreOffice save even if it is only formatted.
FAR_CELL_ADVICE = gettext_lazy(
    "A cell beyond the records, even one only formatted, counts: delete the rows below the records and the "
    "columns right of them, save the file and upload it again."
)

# The longest tag of a worksheet whose start is looked for across the end of a chunk read (a row's tag, written
# by LibreOffice with seven attributes, takes about 120 characters; a cell's, fewer).
LONGEST_TAG = 4096


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
        _(
            "The file is neither UTF-8 nor Turkish Windows-1254 text, so its letters cannot be read reliably. "
            "In Excel, save it with “Save as… CSV UTF-8 (comma delimited)” and upload it again."
        )
    )


def refuse_mixed_encodings(data):
    """Refuse a file with lines in UTF-8 and lines in another encoding (rows pasted from two files):
    read in either encoding, the other's letters would be stored garbled."""
    first_utf8 = first_other = None
    for number, line in enumerate(data.splitlines(), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_other = first_other or number
        else:
            first_utf8 = first_utf8 or number
        if first_utf8 and first_other:
            lines = {"utf8": first_utf8, "other": first_other}
            if first_other > first_utf8:
                message = _(
                    "Line %(other)s is in Windows-1254 but line %(utf8)s is UTF-8: the file mixes two encodings, so "
                    "some of its letters cannot be read reliably. Save the whole file with “Save as… CSV UTF-8 "
                    "(comma delimited)” and upload it again."
                )
            else:
                message = _(
                    "Line %(utf8)s is UTF-8 but line %(other)s is in Windows-1254: the file mixes two encodings, so "
                    "some of its letters cannot be read reliably. Save the whole file with “Save as… CSV UTF-8 "
                    "(comma delimited)” and upload it again."
                )
            raise UnreadableFile(message % lines)


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
            raise too_many_rows()
        row = without_blank_end(row)
        if len(row) > MAX_COLUMNS:
            raise UnreadableFile(
                ngettext(
                    "Row %(row)s has %(columns)s column; a file of records has at most %(limit)s. "
                    "Keep only the columns of the record type and save it again.",
                    "Row %(row)s has %(columns)s columns; a file of records has at most %(limit)s. "
                    "Keep only the columns of the record type and save it again.",
                    len(row),
                )
                % {"row": spreadsheet_row(number), "columns": f"{len(row):,}", "limit": MAX_COLUMNS}
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
        raise UnreadableFile(_("The file is empty."))
    width = max(len(row) for row in rows)
    dataset = tablib.Dataset(headers=[*rows[0], *[""] * (width - len(rows[0]))])
    for row in rows[1:]:
        dataset.append([*row, *[""] * (width - len(row))])
    return dataset


def too_many_rows():
    return UnreadableFile(
        ngettext(
            "The file has more than %(limit)s row; a file of records has at most %(limit)s. "
            "Split it into smaller files.",
            "The file has more than %(limit)s rows; a file of records has at most %(limit)s. "
            "Split it into smaller files.",
            MAX_ROWS,
        )
        % {"limit": f"{MAX_ROWS:,}"}
    )


def refuse_large_workbook(data):
    """Refuse a workbook whose parts inflate beyond MAX_INFLATED_BYTES, before anything inflates them, or
    one of whose sheets passes the limits of a file (refuse_large_sheet), before openpyxl reads a cell:
    reading the cells of 100,000 rows of 100 columns takes a minute, searching a 200 MB sheet's text about
    a second. Every sheet is searched, not only the first, as the limits are a file's: openpyxl reads a
    sheet saved without its dimension (its range, A1:F6) whole when it opens the workbook.

    Each part of a zip archive declares its inflated size, and Python's zipfile, which openpyxl
    reads with, never yields more than that size: the declared sizes bound the work."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            inflated = sum(member.file_size for member in members)
            if inflated > MAX_INFLATED_BYTES:
                raise UnreadableFile(
                    _(
                        "This workbook inflates to %(size)s MB when opened; workbooks of up to %(limit)s MB opened "
                        "can be imported. Split it into smaller files."
                    )
                    % {"size": f"{inflated / MB:,.0f}", "limit": f"{MAX_INFLATED_BYTES / MB:.0f}"}
                )
            far_cell = far_cell_pattern()
            for member in members:
                if member.filename.endswith(".xml"):
                    refuse_large_sheet(archive, member, far_cell)
    except UnreadableFile:
        raise
    except Exception as error:
        # Not a zip archive, or a part that does not inflate (damaged, or packed in a way zipfile cannot read).
        raise UnreadableFile(_("The file could not be read as an Excel workbook (.xlsx).")) from error


def far_cell_pattern():
    """A cell's reference (`<c r="CW7">`, the only tag of a worksheet with an `r` of letters) in a column past
    MAX_COLUMNS (CV, the 100th): columns of more letters, or of as many coming after CV (D… to Z…, CW to CZ)."""
    last = get_column_letter(MAX_COLUMNS)
    further = [f"[A-Z]{{{len(last) + 1},}}"] + [
        f"{last[:n]}[{chr(ord(letter) + 1)}-Z]{'[A-Z]' * (len(last) - n - 1)}"
        for n, letter in enumerate(last)
        if letter != "Z"
    ]
    return re.compile(rb' r="((?:%s)[0-9]+)"' % "|".join(further).encode())


def refuse_large_sheet(archive, member, far_cell):
    """Refuse a part of a workbook (a sheet) that saves more rows than a file may hold (its header and
    MAX_ROWS records), or a cell in a column past MAX_COLUMNS, formatted only or not: openpyxl would pad
    every row of a sheet without its dimension as far as its last cell, 16,384 columns for a cell at XFD.
    The part is searched a megabyte at a time at the speed of a text search (a second for 200 MB), not
    parsed; its rows (`<row>` elements) are counted no further than one past the limit. A part other than
    a worksheet (its shared strings, its styles) is left to openpyxl."""
    rows = 0
    pending = b""
    row_tags = None
    with archive.open(member) as part:
        while True:
            chunk = part.read(MB)
            text = pending + chunk
            if row_tags is None:
                root = WORKSHEET_TAG.search(text, 0, LONGEST_TAG)
                if root is None:
                    return
                row = b"<" + (root[1] + b":" if root[1] else b"") + b"row"
                row_tags = [row + b" ", row + b">", row + b"/"]
            # The tag cut by the end of the chunk is searched with the next one: no tag holds a '<'.
            cut = text.rfind(b"<") if chunk else len(text)
            cut = len(text) if cut < 0 or len(text) - cut > LONGEST_TAG else cut
            rows += sum(text.count(tag, 0, cut) for tag in row_tags)
            far = far_cell.search(text, 0, cut)
            if rows > MAX_ROWS + 1:
                raise too_many_rows()
            if far:
                column = far[1].decode().rstrip("0123456789")
                raise UnreadableFile(
                    ngettext(
                        "The file has a cell in column %(column)s (%(cell)s); a file of records has at most "
                        "%(limit)s column, the last one %(last)s. %(advice)s",
                        "The file has a cell in column %(column)s (%(cell)s); a file of records has at most "
                        "%(limit)s columns, the last one %(last)s. %(advice)s",
                        MAX_COLUMNS,
                    )
                    % {
                        "column": column,
                        "cell": far[1].decode(),
                        "limit": MAX_COLUMNS,
                        "last": get_column_letter(MAX_COLUMNS),
                        "advice": FAR_CELL_ADVICE,
                    }
                )
            if not chunk:
                return
            pending = text[cut:]


def refuse_large_dimension(sheet):
    """Refuse a sheet whose saved range (its dimension, A1:XFD1048576) reaches beyond the rows or columns a
    file may hold. A stray cell far off, if only formatted, sets the range, and openpyxl would pad every row
    to its width: one cell at XFD1048576 meant 16,384 columns of a million rows, two minutes of reading."""
    # A range saved without its rows or columns (LibreOffice has saved '1:233') bounds only the other.
    rows, columns = sheet.max_row or 1, sheet.max_column or 1
    if rows <= MAX_ROWS + 1 and columns <= MAX_COLUMNS:
        return
    raise UnreadableFile(
        _(
            "The sheet's cells reach %(cell)s (row %(row)s, column %(column)s); a file of records has at most "
            "%(max_rows)s rows and %(max_columns)s columns. %(advice)s"
        )
        % {
            "cell": f"{get_column_letter(columns)}{rows}",
            "row": f"{rows:,}",
            "column": f"{columns:,}",
            "max_rows": f"{MAX_ROWS:,}",
            "max_columns": MAX_COLUMNS,
            "advice": FAR_CELL_ADVICE,
        }
    )


def sniff_delimiter(text):
    """Comma, semicolon or tab, whichever the header line uses."""
    header = FIRST_LINE.match(text).group()
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


# The longest cell read: the csv module's own default limit. Checked here as well, since another library in the same
# process may raise the module's limit, which is global (frictionless sets it to the largest integer).
MAX_CELL_CHARACTERS = 131_072


def csv_rows(text, delimiter):
    """The rows of a CSV text as the csv module reads them, empty lines left out (as tablib does).

    Lines may end as Windows, Unix or the old Mac (a CR alone, Excel for Mac's "CSV (Macintosh)") end
    them: read with newline="", as the csv module asks, the module tells them apart from a line break
    typed inside a quoted cell. A cell longer than the csv module's limit (131,072 characters) is refused
    naming its row rather than read: Excel and LibreOffice keep at most 32,767 characters in a cell, so
    such a cell is a quotation mark opened and never closed, which swallows every row after it into one
    cell; reading it would store those rows as one record's text."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    read = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise unreadable_csv_row(spreadsheet_row(read), error) from error
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in row):
            raise unreadable_csv_row(spreadsheet_row(read), csv.Error("field larger than field limit"))
        if row:
            read += 1
            yield row


def unreadable_csv_row(row, error):
    """The message for a row the csv module cannot read (`row` as the spreadsheet numbers it)."""
    if "field limit" in str(error):
        return UnreadableFile(
            _(
                "Row %(row)s has a cell longer than %(limit)s characters, more than a spreadsheet keeps in a cell. "
                'Most likely a quotation mark (") opens a cell there and is never closed, so the rows after it were '
                "read as part of that cell: close it or remove it, and upload the file again."
            )
            % {"row": row, "limit": f"{MAX_CELL_CHARACTERS:,}"}
        )
    return UnreadableFile(
        _(
            "Row %(row)s could not be read as CSV. Save the file again with “Save as… CSV UTF-8 (comma delimited)” "
            "and upload it again."
        )
        % {"row": row}
    )


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
            raise UnreadableFile(_("The file is empty."))
        # Rows and columns counted as the csv module reads them, one at a time, before they are held:
        # 20 MB of one-letter lines would take 2 GB as a dataset.
        return sheet_dataset(within_limits(csv_rows(text, sniff_delimiter(text))))

    def export_data(self, dataset, **kwargs):
        # A byte-order mark makes Excel open the file as UTF-8, Turkish and Kazakh letters intact.
        return "\ufeff" + dataset.export("csv", **kwargs)


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        """The first sheet, header row first, as the library reads it, but refused as soon as it passes
        the limits: the library reads every row there is, and a small file may hold millions."""
        refuse_large_workbook(in_stream)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
            try:
                sheet = workbook.active
                refuse_large_dimension(sheet)
                # Rows are then read as saved, each as far as its last cell, not padded to the dimension nor cut
                # at it: a dimension saved too small (A1) would otherwise drop the rows and columns beyond it.
                sheet.reset_dimensions()
                dataset = sheet_dataset(within_limits(sheet.iter_rows(values_only=True)))
            finally:
                workbook.close()
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile(_("The file could not be read as an Excel workbook (.xlsx).")) from error
        return dataset


class JSON(base_formats.JSON):
    def create_dataset(self, in_stream, **kwargs):
        try:
            dataset = super().create_dataset(decode_text(in_stream), **kwargs)
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile(_("The file is not a JSON list of records.")) from error
        # The library reads JSON whole, so it is counted once read; the same limits apply to every format.
        for _row in within_limits(itertools.chain([dataset.headers or []], dataset)):
            pass
        return dataset


FORMATS = [CSV, XLSX, JSON]
FORMATS_BY_NAME = {"csv": CSV, "xlsx": XLSX, "json": JSON}


def keeps_native_types(format_class):
    """Whether a file of `format_class` holds numbers and dates as such (a workbook: 14 as a number, 1 January 2019
    as a date) rather than as text (CSV, JSON): the widgets then render them natively (`force_native_type`).
    The one rule for the admin's export and `manage.py export`. django-import-export decides it by a format's exact
    class (`type(file_format) in BINARY_FORMATS`), which this site's XLSX, a subclass of its own, is not."""
    return issubclass(format_class, tuple(base_formats.BINARY_FORMATS))


def read_dataset(data, format_name):
    return FORMATS_BY_NAME[format_name]().create_dataset(data)


def export_bytes(dataset, format_name):
    data = FORMATS_BY_NAME[format_name]().export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data
