"""File formats for import and export, reading files the way editors' spreadsheets save them.

Excel saves "CSV UTF-8" with a byte-order mark, and Turkish Excel saves plain
"CSV" in Windows-1254 with semicolons. Both are read here; a file in any other
encoding is refused with a message rather than stored with mangled letters.
"""

import csv

import tablib
from import_export.formats import base_formats

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
        return tablib.import_set(text, format="csv", delimiter=sniff_delimiter(text))

    def export_data(self, dataset, **kwargs):
        # A byte-order mark makes Excel open the file as UTF-8, Turkish and Kazakh letters intact.
        return "\ufeff" + dataset.export("csv", **kwargs)


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        try:
            return super().create_dataset(in_stream, **kwargs)
        except Exception as error:
            raise UnreadableFile("The file could not be read as an Excel workbook (.xlsx).") from error


class JSON(base_formats.JSON):
    def create_dataset(self, in_stream, **kwargs):
        try:
            return super().create_dataset(decode_text(in_stream), **kwargs)
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile("The file is not a JSON list of records.") from error


FORMATS = [CSV, XLSX, JSON]
FORMATS_BY_NAME = {"csv": CSV, "xlsx": XLSX, "json": JSON}


def read_dataset(data, format_name):
    return FORMATS_BY_NAME[format_name]().create_dataset(data)


def export_bytes(dataset, format_name):
    data = FORMATS_BY_NAME[format_name]().export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data
