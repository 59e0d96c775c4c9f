"""Extracted rows scored against a key: recall and precision per record type.

How a match is decided. Each row is reduced to its *signature*: the cells of the columns MATCHED names for its
record type, normalised — a date written at its precision (`2009-01-01` at `year` is `2009`), a value as a number
(`5000000000` and `5000000000.00` are one), a list of names as a set (co-chairs, people met), names of records
(places, people, organizations) folded (accents and case aside). A proposed row matches a key row when their
signatures are equal; each key row is matched at most once (so two proposals of one fact count one). Recall is
matched / key rows, precision matched / proposed rows. Free text — titles, summaries, quotations, slugs of new
records — is never compared: it is what the editor rewrites.

The fields are those the issue names: value, unit, qualifier, period, direction, people, places and dates, and the
natural keys that place a row (its council and meeting, its organization and country). A milestone's time is its
date at its precision or, without one, its year for sorting as a year: the article's editor dated the visa change
"2025" (the article's year, as its description says) where the extraction leaves the date empty, flags it and
sorts it under 2025 — the same statement of what is known.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..dates import typed_form
from ..registry import RESOURCES
from ..text import fold

# Record types whose rows state facts, scored in every article.
FACT_TYPES = (
    "relationship-levels",
    "visits",
    "council-meetings",
    "agenda-items",
    "outcomes",
    "visit-outcomes",
    "visit-programmes",
    "missions",
    "statistics",
    "memberships",
    "milestones",
)
# Reference records: a row is a *new* record proposed; the key lists the ones that should be (none, for an article
# whose names the site knows).
REFERENCE_TYPES = (
    "countries",
    "places",
    "people",
    "relationships",
    "councils",
    "organizations",
    "indicators",
    "topics",
)

DATE = "date"
SET = "set"
NUMBER = "number"
NAME = "name"

# {record type: [(column, how it is compared), …]}; a date column's precision column is read with it.
MATCHED = {
    "relationship-levels": [("Relationship", None), ("Level", NAME), ("Since", DATE)],
    "visits": [
        ("Guest", None),
        ("Host", None),
        ("Destination country", None),
        ("City", None),
        ("Start date", DATE),
        ("End date", DATE),
        ("Kind", None),
        ("Planned", None),
        ("At the invitation of", None),
    ],
    "council-meetings": [
        ("Council", None),
        ("Number", NUMBER),
        ("Date", DATE),
        ("Place", None),
        ("Co-chairs", SET),
        ("Status", None),
        ("Held during the visit", None),
    ],
    "agenda-items": [("Council", None), ("Meeting", NUMBER), ("Topic", None)],
    "outcomes": [("Council", None), ("Meeting", NUMBER), ("Kind", None), ("Signed", None), ("Number", NUMBER)],
    "visit-outcomes": [("Visit", None), ("Kind", None), ("Signed", None), ("Number", NUMBER)],
    "visit-programmes": [("Visit", None), ("Kind", None), ("People met", SET), ("City", None), ("Date", DATE)],
    "missions": [("Sending country", None), ("Host country", None), ("City", None), ("Kind", None), ("Opened", DATE)],
    "statistics": [
        ("Indicator", None),
        ("Relationship", None),
        ("Kind", None),
        ("Period", None),
        ("Period start", None),
        ("Period end", None),
        ("From country", None),
        ("To country", None),
        ("Stated on", None),
        ("Compared with (year)", NUMBER),
        ("Qualifier", None),
        ("Value", NUMBER),
        ("Unit", None),
        ("Equivalent value", NUMBER),
        ("Equivalent unit", None),
    ],
    "memberships": [("Organization", None), ("Country", None), ("Role", None), ("Joined", DATE)],
    "milestones": [
        ("Relationship", None),
        ("Kind", None),
        ("Date", DATE),
        ("Anniversary (as counted by the source)", NUMBER),
    ],
    "countries": [("ISO code", None)],
    "places": [("Current name", NAME), ("Country", None)],
    "people": [("Name", NAME), ("Country", None)],
    "relationships": [("First country", SET), ("Second country", SET)],
    "councils": [("Name", NAME)],
    "organizations": [("Name", NAME)],
    "indicators": [("Name", NAME)],
    "topics": [("Name", NAME)],
}
PRECISION_COLUMNS = {
    "Since": "Precision of 'since'",
    "Start date": "Date precision",
    "End date": "Date precision",
    "Date": "Date precision",
    "Opened": "Precision of the opening date",
    "Joined": "Precision of the joining date",
}


@dataclass
class Score:
    record_type: str
    matched: int
    expected: int
    proposed: int
    missed: list
    wrong: list

    @property
    def recall(self):
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self):
        return self.matched / self.proposed if self.proposed else 1.0


def normal(row, column, how, record_type):
    value = str(row.get(column, "") or "").strip()
    if how == DATE:
        if not value:
            if record_type == "milestones" and column == "Date" and row.get("Year for sorting"):
                return f"{int(row['Year for sorting']):04d}"
            return ""
        precision = row.get(PRECISION_COLUMNS.get(column, ""), "") or "day"
        try:
            return typed_form(datetime.date.fromisoformat(value[:10]), precision)
        except ValueError:
            return value
    if how == NUMBER:
        try:
            return str(Decimal(value.replace(",", "")).normalize()) if value else ""
        except InvalidOperation:
            return value
    if how == SET:
        return ",".join(sorted(fold(part.strip()) for part in value.split(",") if part.strip()))
    if how == NAME:
        return " ".join(fold(value).split())
    return value


def signature(record_type, row):
    if record_type == "relationships":
        return ",".join(sorted([row.get("First country", ""), row.get("Second country", "")]))
    return tuple(normal(row, column, how, record_type) for column, how in MATCHED[record_type])


def score_type(record_type, proposed, expected):
    waiting = [signature(record_type, row) for row in expected]
    left = list(range(len(expected)))
    wrong = []
    for row in proposed:
        found = signature(record_type, row)
        hit = next((index for index in left if waiting[index] == found), None)
        if hit is None:
            wrong.append(row)
        else:
            left.remove(hit)
    missed = [expected[index] for index in left]
    return Score(record_type, len(proposed) - len(wrong), len(expected), len(proposed), missed, wrong)


def score(proposed, expected, record_types=None):
    """{record type: Score} of `proposed` rows against `expected` ones, both {record type: [row, …]}."""
    names = record_types or [name for name in RESOURCES if name in (*FACT_TYPES, *REFERENCE_TYPES)]
    return {name: score_type(name, proposed.get(name, []), expected.get(name, [])) for name in names}


def total(scores, record_types=FACT_TYPES):
    matched = sum(scores[name].matched for name in record_types if name in scores)
    expected = sum(scores[name].expected for name in record_types if name in scores)
    proposed = sum(scores[name].proposed for name in record_types if name in scores)
    return Score("all facts", matched, expected, proposed, [], [])


def rows_of(extraction):
    return {name: extraction[name] for name in extraction.record_types()}


def key_from_database(record_types=FACT_TYPES):
    """The records of the database as the import files' rows, {record type: [row, …]}: on a database holding the
    fixtures only, every fact of the article as its editor entered it."""
    key = {}
    for name in record_types:
        dataset = RESOURCES[name]().export()
        key[name] = [dict(zip(dataset.headers, (cell_text(value) for value in row), strict=True)) for row in dataset]
    return key


def cell_text(value):
    return "" if value is None else str(value)


def table(scores, title=""):
    """The scores as a plain-text table, one line per record type with rows proposed or expected."""
    lines = [title] if title else []
    lines.append(f"{'record type':<22}{'key':>5}{'found':>7}{'right':>7}{'recall':>9}{'precision':>11}")
    for name, result in scores.items():
        if not (result.expected or result.proposed):
            continue
        lines.append(
            f"{name:<22}{result.expected:>5}{result.proposed:>7}{result.matched:>7}"
            f"{result.recall:>9.0%}{result.precision:>11.0%}"
        )
    all_facts = total(scores)
    lines.append(
        f"{'all facts':<22}{all_facts.expected:>5}{all_facts.proposed:>7}{all_facts.matched:>7}"
        f"{all_facts.recall:>9.0%}{all_facts.precision:>11.0%}"
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# Articles with their keys: tests/articles/NAME.txt and NAME.json
# ---------------------------------------------------------------------------------------------------------------

ARTICLE = "article-2025-07-29"
# The article of the fixtures, its source row as `fixtures/` has it.
ARTICLE_SOURCE = {
    "Slug": ARTICLE,
    "Title": "Erdoğan hosts Kazakh President Tokayev in Ankara as Türkiye–Kazakhstan council meets",
    "Publication date": "2025-07-29",
    "Precision of the publication date": "day",
}


def dataset_of(record_type, rows):
    """Rows (keyed by some of the headers) as a dataset of the record type's file, other cells blank."""
    import tablib

    from .document import headers_of

    headers = headers_of(record_type)
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    return dataset


def load_reference(reference):
    """Import the reference rows an article needs ({record type: rows}) through the import files' resources, in
    the registry's order; a refused file raises with its messages."""
    from ..resources import describe_errors, import_file

    for name in RESOURCES:
        if reference.get(name):
            result = import_file(RESOURCES[name], dataset_of(name, reference[name]))
            problems = describe_errors(result)
            if problems:
                raise ValueError(f"{name}: {problems}")


def read_key(path):
    import json
    from pathlib import Path

    return json.loads(Path(path).read_text(encoding="utf-8"))


def score_extraction(extraction, expected):
    return score(rows_of(extraction), expected)
