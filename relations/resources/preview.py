"""What the admin shows of an import: the preview's rows and cells, each record's name in its log.

A preview (a dry run) of a long file would be pages long if it showed every row, so it shows the
counts of new, changed, unchanged and refused rows, then the cells of the first PREVIEW_ROWS changed
rows and the first PREVIEW_ROWS new rows, and says how many more there are: confirming imports the whole
file all the same, as it is read again then. Unchanged rows are counted, not listed.
"""

from functools import cached_property

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from import_export.resources import Diff
from import_export.results import Result, RowResult

# Changed rows, and new rows, whose cells a preview shows: each kind's first rows in the file.
PREVIEW_ROWS = 100

# Refused rows whose messages a refusal shows: the first ones in the file.
REFUSED_ROWS_SHOWN = 100

SHOWN_KINDS = (RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_NEW)


class RowsShownLaterDiff(Diff):
    """The library's Diff of a row, which it makes for every row as the row is imported (reading the
    row's stored record and writing both sides' cells as HTML), left empty: a preview shows the cells of
    only some rows, and which ones is known only once the row is imported (new, changed or unchanged).
    RecordResource.after_import_row writes them (preview_cells) for the rows the preview shows."""

    def __init__(self, resource, instance, new):
        self.left, self.right, self.new = [], [], new

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


def preview_cells(resource, row_result, stored_links):
    """A row's cells as the preview shows them: each cell's text, a changed cell's old text struck
    through before its new one. The stored side of a changed row is the library's copy of the record
    taken before the row was imported (row_result.original), except its links (many-to-many cells), which
    are read from the database, where the row changes them, and so were read before (stored_links)."""
    fields = resource.get_import_fields()
    new = row_result.is_new()
    if new:
        stored = resource.blank_record_cells
    else:
        stored = [
            stored_links[field.column_name] if field.column_name in stored_links else field.export(row_result.original)
            for field in fields
        ]
    imported = [field.export(row_result.record) for field in fields]
    return [cell_html(old, now, new) for old, now in zip(stored, imported, strict=True)]


def cell_html(stored, imported, new):
    """One cell, in the HTML of the library's preview (diff_match_patch's): unchanged text as is, new text
    inserted; a changed word or number struck through whole, an arrow, then its new value (“1000 → 1001”,
    not “100” with a 0 struck and a 1 inserted); a changed text of several words with the words that
    change marked."""
    stored, imported = force_str(stored), force_str(imported)
    if stored != imported and new:
        stored = ""
    if stored == imported:
        return SafeString(f"<span>{html_text(imported)}</span>" if imported else "")
    inserted = f'<ins style="background:#e6ffe6;">{html_text(imported)}</ins>' if imported else ""
    if not stored:
        return SafeString(inserted)
    if not (" " in stored.strip() and " " in imported.strip()):
        # Kept on the line of the struck value: “1000 →”, then “5001” on the next if the column is narrow.
        arrow = "\u00a0→ " if inserted else ""
        return SafeString(f'<del style="background:#ffe6e6;">{html_text(stored)}</del>{arrow}{inserted}')
    matcher = diff_match_patch()
    diff = matcher.diff_main(stored, imported)
    matcher.diff_cleanupSemantic(diff)
    return SafeString(matcher.diff_prettyHtml(diff))


def html_text(text):
    """A cell's text as diff_match_patch's HTML writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&para;<br>")


class PreviewResult(Result):
    """The library's result of an import, with what its preview shows: the counts, the rows whose
    cells were written (RecordResource.after_import_row), and how many rows of each kind are not shown."""

    @cached_property
    def changed_rows_shown(self):
        return self.rows_shown(RowResult.IMPORT_TYPE_UPDATE)

    @cached_property
    def new_rows_shown(self):
        return self.rows_shown(RowResult.IMPORT_TYPE_NEW)

    def rows_shown(self, kind):
        return [row for row in self.rows if row.import_type == kind and row.diff is not None]

    @property
    def changed_rows_not_shown(self):
        return self.totals[RowResult.IMPORT_TYPE_UPDATE] - len(self.changed_rows_shown)

    @property
    def new_rows_not_shown(self):
        return self.totals[RowResult.IMPORT_TYPE_NEW] - len(self.new_rows_shown)

    @property
    def refused_rows_shown(self):
        return self.invalid_rows[:REFUSED_ROWS_SHOWN]

    @property
    def refused_rows_not_shown(self):
        return max(len(self.invalid_rows) - REFUSED_ROWS_SHOWN, 0)

    @property
    def counts(self):
        """The rows of each kind, written with thousands separators: {'new': '10,000', …, 'refused': '0'}."""
        totals = dict(self.totals)
        totals["refused"] = totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
        totals["changed_not_shown"] = self.changed_rows_not_shown
        totals["new_not_shown"] = self.new_rows_not_shown
        totals["refused_not_shown"] = self.refused_rows_not_shown
        return {kind: f"{count:,}" for kind, count in totals.items()}


class NamedLaterRowResult(RowResult):
    """A row's result that names its record only when asked, where the library's names every row's
    record as it goes (str() of a figure reads five other records and formats its amount), though
    nothing on an import page reads the name (the admin's log reads the record itself). It keeps the
    row's number in the file as the library counts them; pages and messages show relations.formats.spreadsheet_row."""

    def __init__(self):
        self.record = None
        self._object_repr = None
        self.number = None
        super().__init__()

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = instance.pk
            self.record = instance

    @property
    def object_repr(self):
        if self._object_repr is None and self.record is not None:
            self._object_repr = str(self.record)
        return self._object_repr

    @object_repr.setter
    def object_repr(self, value):
        self._object_repr = value
