"""What the extraction of one article knows as it goes: its sentences and the names in each, the pair of
countries it is about, and the rows found so far, each keyed by the import files' own column headers."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from ..languages import is_translation
from ..registry import RESOURCES
from ..text import slugify_name
from .names import Mention, as_kind
from .sentences import Sentence, split_sentences

DRAFT = "draft"
DATE_NOT_GIVEN = "Date not given in the text: type it at the precision a source gives."


@dataclass
class Row:
    """One row of an import file, the sentences it came from (their spans in the article) and notes for the
    editor ("date not given in the text")."""

    record_type: str
    values: dict
    spans: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    @property
    def span(self):
        """The span of the first sentence the row came from, (start, end) in the article."""
        return self.spans[0] if self.spans else None


def headers_of(record_type):
    """The columns of a record type's file that an article can fill: not the translations' ('Summary (tr)'), which
    an editor gives once the drafts are saved, and which would make a long review a form of thousands of fields."""
    resource = RESOURCES[record_type]()
    translations = {column.column_name for name, column in resource.fields.items() if is_translation(name)}
    return [header for header in resource.get_export_headers() if header not in translations]


def columns_of(record_type):
    """{attribute: header} of a record type's file: 'period_start' is 'Period start'."""
    resource = RESOURCES[record_type]()
    return {name: column.column_name for name, column in resource.fields.items()}


class Document:
    def __init__(self, text, published_on, source_row, gazetteer):
        self.text = text
        self.published_on = published_on
        self.source_row = dict(source_row)
        self.source = self.source_row.get("Slug", "")
        self.names = gazetteer
        self.sentences = split_sentences(text)
        mentions = gazetteer.find(text)
        self.mentions = {sentence.index: [] for sentence in self.sentences}
        for mention in mentions:
            for sentence in self.sentences:
                if sentence.start <= mention.start < sentence.end:
                    # Offsets relative to the sentence, as every rule reads them.
                    self.mentions[sentence.index].append(
                        Mention(
                            mention.start - sentence.start,
                            mention.end - sentence.start,
                            mention.kind,
                            mention.key,
                            mention.text,
                            mention.known,
                            mention.alternatives,
                        )
                    )
                    break
        self.rows = {name: [] for name in RESOURCES}
        self.columns = {name: columns_of(name) for name in RESOURCES}
        self.notes = []  # (sentence span, message): what was found and not made a row
        self.events = {}  # dates of events the article gives: {"independence": date}
        self.proposed = {}  # (record type, natural key) -> Row of a new reference record
        self.pair = self.find_pair()
        self.relationship = self.relationship_of(*self.pair) if len(self.pair) == 2 else ""

    # Names -----------------------------------------------------------------------------------------------------

    def of(self, sentence, *kinds):
        return [found for mention in self.mentions[sentence.index] if (found := as_kind(mention, kinds))]

    def find_pair(self):
        """The two countries the article is most about, named or by adjective ('Kazakh')."""
        counted = Counter()
        first_seen = {}
        for sentence in self.sentences:
            for mention in self.of(sentence, "country", "adjective"):
                counted[mention.key] += 1
                first_seen.setdefault(mention.key, (sentence.index, mention.start))
        ranked = sorted(counted, key=lambda code: (-counted[code], first_seen[code]))
        return tuple(ranked[:2])

    def other(self, code):
        """The pair's other country."""
        if code in self.pair and len(self.pair) == 2:
            return self.pair[1] if code == self.pair[0] else self.pair[0]
        return ""

    def relationship_of(self, first, second):
        """The slug of the pair's relationship; a draft relationship proposed when the site has none."""
        slug = self.names.relationship_slug(first, second)
        if slug:
            return slug
        for code in (first, second):
            self.country(code)
        slug = f"{self.names.country_slug(first)}-{self.names.country_slug(second)}"
        self.propose(
            "relationships",
            slug,
            None,
            slug=slug,
            country_a=first,
            country_b=second,
            source=self.source,
            publication_status=DRAFT,
        )
        return slug

    def country(self, code):
        """A country's code, proposing the country when the site does not know it (CLDR does)."""
        entity = self.names.entity("country", code)
        if entity is not None and entity.extra.get("unknown"):
            self.propose("countries", code, None, code=code, name=entity.name, slug=slugify_name(entity.name))
        return code

    # Rows ------------------------------------------------------------------------------------------------------

    def row(self, record_type, sentences, flags=(), **values):
        """A row of `record_type` from attribute values; the source, its quotation (the sentences) and the draft
        status filled in where the file has those columns. Added to the extraction and returned."""
        columns = self.columns[record_type]
        sentences = [sentence for sentence in (sentences or []) if sentence is not None]
        defaults = {"source": self.source, "publication_status": DRAFT}
        if sentences:
            defaults["quote"] = " ".join(dict.fromkeys(sentence.text for sentence in sentences))
        cells = {}
        for attribute, header in columns.items():
            value = values.get(attribute, defaults.get(attribute, ""))
            cells[header] = cell(value)
        unknown = set(values) - set(columns)
        if unknown:
            raise KeyError(f"{record_type} has no columns {sorted(unknown)}")
        found = Row(record_type, cells, [(s.start, s.end) for s in sentences], list(flags))
        self.rows[record_type].append(found)
        return found

    def propose(self, record_type, key, sentence, **values):
        """A new reference record (a country, place, person, organization, council …) once per article."""
        if (record_type, key) in self.proposed:
            return self.proposed[(record_type, key)]
        found = self.row(record_type, [sentence] if sentence else [], ["New record: not known to the site."], **values)
        self.proposed[(record_type, key)] = found
        return found

    def note(self, sentence, message):
        self.notes.append(((sentence.start, sentence.end), message))


def cell(value):
    """A value as the import files write it."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def sentence_at(document, index):
    return document.sentences[index] if 0 <= index < len(document.sentences) else None


__all__ = ["DATE_NOT_GIVEN", "DRAFT", "Document", "Row", "Sentence", "cell", "headers_of"]
