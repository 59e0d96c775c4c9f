"""From an article to draft records: the facts a news text states, as rows of the import files.

    extraction = extract(text, published_on=date(2025, 7, 29), source_row={"Slug": "article-2025-07-29", …})
    extraction.rows["statistics"]      # rows keyed by the statistics file's own headers
    write_folder(extraction, folder)   # the files `export all` writes, for `import all FOLDER [--dry-run]`

What is found is written as rows of the import files (the same columns, the same natural keys), so its review is
an import's preview: the same cells, messages and counts, and the same refusals. Rules over the site's own names
(`names.Gazetteer`), plain Python; no model is downloaded. See the README's "From an article to draft records".
"""

import datetime
from dataclasses import dataclass, field

from ..registry import RESOURCES
from .document import DATE_NOT_GIVEN, Document, Row, headers_of
from .facts import milestones, missions, organizations, statistics, visits
from .names import Gazetteer
from .writer import write_folder

__all__ = ["DATE_NOT_GIVEN", "Extraction", "Gazetteer", "Row", "extract", "headers_of", "write_folder"]


@dataclass
class Extraction:
    """What was found in one article: per record type (the registry's names, in its order) the rows of its
    import file, each with the span of the sentence it came from and flags for the editor; and notes on what was
    seen and not made a row (an amount no indicator is named beside)."""

    text: str
    published_on: datetime.date | None
    source_row: dict
    rows: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def __getitem__(self, record_type):
        return [row.values for row in self.rows.get(record_type, [])]

    def record_types(self):
        """The record types with rows, in the order of the import files."""
        return [name for name in RESOURCES if self.rows.get(name)]

    def counts(self):
        return {name: len(self.rows[name]) for name in self.record_types()}

    def flagged(self):
        return [
            (row.record_type, row, flag)
            for name in self.record_types()
            for row in self.rows[name]
            for flag in row.flags
        ]


def extract(text, *, published_on, source_row, gazetteer=None):
    """The facts of `text` (an article published on `published_on`, whose source is `source_row`, a row of the
    sources file keyed by its headers) as rows of the import files, drafts citing that source."""
    document = Document(text, published_on, source_row, gazetteer or Gazetteer())
    source = document.row("sources", [], **source_attributes(source_row, published_on))
    document.proposed[("sources", source_row.get("Slug", ""))] = source
    milestones.remember_events(document)
    found_visits, _meetings = visits.extract(document)
    missions.extract(document)
    statistics.extract(document)
    organizations.extract(document)
    milestones.extract(document)
    rows = {name: document.rows[name] for name in RESOURCES if document.rows[name]}
    return Extraction(text, published_on, document.source_row, rows, document.notes)


def source_attributes(source_row, published_on):
    columns = {header: name for name, header in document_columns("sources").items()}
    values = {columns[header]: value for header, value in source_row.items() if header in columns}
    values.setdefault("published_on", published_on)
    values.setdefault("published_on_precision", "day")
    return values


def document_columns(record_type):
    from .document import columns_of

    return columns_of(record_type)
