"""What the admin shows of an import: each row's cells in the preview, each record's name in its log."""

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from import_export.resources import Diff
from import_export.results import RowResult


class PreviewDiff(Diff):
    """The library's preview of a row's cells (its Diff), in the same HTML, without its costs that grow
    with the file: it works the cells out for every import, where only a preview (a dry run) shows them;
    it runs diff_match_patch on every cell, where only a changed cell needs it (an unchanged or new
    cell's HTML is written here as it would write it); and it reads a new row's stored side afresh for
    every row, where it is the same blank record (RecordResource.blank_record_cells)."""

    def __init__(self, resource, instance, new):
        self.shown = resource.previewing
        self.left, self.right, self.new = [], [], new
        if self.shown:
            self.left = resource.blank_record_cells if new else self._read_field_values(resource, instance)

    def compare_with(self, resource, instance):
        if self.shown:
            super().compare_with(resource, instance)

    def as_html(self):
        cells = []
        for stored, imported in zip(self.left, self.right, strict=True):
            stored, imported = force_str(stored), force_str(imported)
            if stored != imported and self.new:
                stored = ""
            if stored == imported:
                cells.append(SafeString(f"<span>{html_text(imported)}</span>" if imported else ""))
            elif not stored:
                cells.append(SafeString(f'<ins style="background:#e6ffe6;">{html_text(imported)}</ins>'))
            else:
                matcher = diff_match_patch()
                diff = matcher.diff_main(stored, imported)
                matcher.diff_cleanupSemantic(diff)
                cells.append(SafeString(matcher.diff_prettyHtml(diff)))
        return cells


def html_text(text):
    """A cell's text as diff_match_patch's HTML writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&para;<br>")


class NamedLaterRowResult(RowResult):
    """A row's result that names its record only when asked, where the library's names every row's
    record as it goes (str() of a figure reads five other records and formats its amount), though
    nothing on an import page reads the name (the admin's log reads the record itself)."""

    def __init__(self):
        self.record = None
        self._object_repr = None
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
