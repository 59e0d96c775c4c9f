"""What the admin shows of an import: the preview's counts, rows and cells.

A preview (a dry run) of a long file would be pages long if it showed every row, so it shows the
counts of new, changed, unchanged and refused rows, then the cells of the first PREVIEW_ROWS changed
rows and the first PREVIEW_ROWS new rows, and says how many more there are: confirming imports the whole
file all the same, as it is read again then. Unchanged rows are counted, not listed.
"""

import re
from collections import Counter
from functools import cached_property
from typing import NamedTuple

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from import_export.results import Result, RowResult

# Changed rows, and new rows, whose cells a preview shows: each kind's first rows in the file.
PREVIEW_ROWS = 100

# Refused rows whose messages a refusal shows: the first ones in the file.
REFUSED_ROWS_SHOWN = 100

SHOWN_KINDS = (RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_NEW)


class ShownRow(NamedTuple):
    """A row whose cells the preview shows: its number in the file, its kind (new or update), its cells' HTML."""

    number: int
    import_type: str
    diff: list


def preview_rows(run, row_results):
    """The rows a preview shows, in the file's order: the first PREVIEW_ROWS changed rows and new rows, each cell
    its text, a changed cell's old text struck through before its new one. The stored side of a changed row was
    kept before the row changed its record (ImportRun.keep_for_preview); a new row is compared with a blank record.
    `row_results` are the library's, one per row in the order it read them (Meta.report_skipped)."""
    fields = run.fields
    blank = None
    shown = Counter()
    rows = []
    for row_result, number in zip(row_results, run.numbers, strict=True):
        kind = row_result.import_type
        if kind not in SHOWN_KINDS or shown[kind] >= PREVIEW_ROWS:
            continue
        new = kind == RowResult.IMPORT_TYPE_NEW
        if new:
            blank = blank or [field.export(run.resource.init_instance()) for field in fields]
        stored = blank if new else run.changed_cells.get(number)
        if stored is None:
            continue
        shown[kind] += 1
        imported = [field.export(row_result.instance) for field in fields]
        rows.append(
            ShownRow(number, kind, [cell_html(old, now, new) for old, now in zip(stored, imported, strict=True)])
        )
    return sorted(rows)


INLINE_STYLE = re.compile(r' style="[^"]*"')


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
    inserted = f"<ins>{html_text(imported)}</ins>" if imported else ""
    if not stored:
        return SafeString(inserted)
    if not (" " in stored.strip() and " " in imported.strip()):
        # Kept on the line of the struck value: “1000 →”, then “5001” on the next if the column is narrow.
        arrow = "\u00a0→ " if inserted else ""
        return SafeString(f"<del>{html_text(stored)}</del>{arrow}{inserted}")
    matcher = diff_match_patch()
    diff = matcher.diff_main(stored, imported)
    matcher.diff_cleanupSemantic(diff)
    # Its colours are the stylesheet's (admin.css): the Content Security Policy refuses the inline styles
    # diff_match_patch writes.
    return SafeString(INLINE_STYLE.sub("", matcher.diff_prettyHtml(diff)))


def html_text(text):
    """A cell's text as diff_match_patch's HTML writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&para;<br>")


class PreviewResult(Result):
    """The library's result of an import, with what its preview shows: the counts, the rows whose cells
    are written (shown_rows, set by RecordResource.after_import), and how many rows of each kind are not shown."""

    shown_rows = ()

    @cached_property
    def changed_rows_shown(self):
        return [row for row in self.shown_rows if row.import_type == RowResult.IMPORT_TYPE_UPDATE]

    @cached_property
    def new_rows_shown(self):
        return [row for row in self.shown_rows if row.import_type == RowResult.IMPORT_TYPE_NEW]

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
