"""The review of what an article states: its rows checked as an import checks them, then saved as drafts.

What the editor reviews is kept as plain data (`Review.as_data`, in their session) between the pages: the article,
its source, and per record type the rows found, each with its cells, the spans of its sentences, its flags and
whether the editor keeps it. Checking runs the import of every kept row, record type after record type in the
order of the import files (so that a visit finds the person proposed above it), as `import all --dry-run` does,
and rolls it all back; saving does the same and keeps it, only when no kept row is refused.
"""

import datetime
from dataclasses import dataclass, field

import tablib
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, npgettext_lazy, pgettext_lazy
from import_export.results import RowResult

from ..registry import BY_NAME, RESOURCES
from . import extract
from .document import DRAFT, headers_of
from .writer import write_rows

PUBLICATION_STATUS = "Publication status"
# Checks of a new review at most: each may leave out rows the one before showed to be on the site already.
CHECKS = 3
PREFERRED = "Preferred value"
# The flags below are kept in English with their row (in the editor's session, in a job's outcome) and shown in
# the editor's language (ReviewedRow.flags_shown): marked here with gettext_noop, translated when shown.
NOT_PREFERRED = gettext_noop(
    "Another source's figure is preferred for this period on the site: this one is proposed beside it, not "
    "preferred. Make it the preferred one on its page once saved, if it should be."
)
# What a row that names a record already on the site becomes: left out unless the editor keeps it.
ALREADY_STORED = (RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
ALREADY_ON_THE_SITE = {
    RowResult.IMPORT_TYPE_SKIP: gettext_noop("Already on the site, unchanged: left out."),
    RowResult.IMPORT_TYPE_UPDATE: gettext_noop(
        "Already on the site, with other values: left out. Kept, it would change the stored record to this row's "
        "values, a draft."
    ),
}
# A row's status, in English: the key of its count (Review.counts, kept in a job's outcome) and its CSS class.
REFUSED = "refused"
STATUS_WORDS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "changes a record on the site",
    RowResult.IMPORT_TYPE_SKIP: "already on the site, unchanged",
}
# The statuses as the editor reads them.
STATUS_LABELS = {
    "new": pgettext_lazy("status of a row found in an article", "new"),
    "changes a record on the site": pgettext_lazy(
        "status of a row found in an article", "changes a record on the site"
    ),
    "already on the site, unchanged": pgettext_lazy(
        "status of a row found in an article", "already on the site, unchanged"
    ),
    REFUSED: pgettext_lazy("status of a row found in an article", "refused"),
}
# How many kept rows have each status: "3 new".
STATUS_COUNTS = {
    "new": npgettext_lazy("rows found in an article", "%(count)s new", "%(count)s new", "count"),
    "changes a record on the site": npgettext_lazy(
        "rows found in an article",
        "%(count)s changes a record on the site",
        "%(count)s changes a record on the site",
        "count",
    ),
    "already on the site, unchanged": npgettext_lazy(
        "rows found in an article",
        "%(count)s already on the site, unchanged",
        "%(count)s already on the site, unchanged",
        "count",
    ),
    REFUSED: npgettext_lazy("rows found in an article", "%(count)s refused", "%(count)s refused", "count"),
}


def status_label(status):
    """A row's status (or a count's key) in the editor's language; as it is when it has no label."""
    return STATUS_LABELS.get(status, status)


def counted(status, count):
    """How many kept rows have `status`, in the editor's language: "3 new"."""
    if status in STATUS_COUNTS:
        return STATUS_COUNTS[status] % {"count": count}
    return f"{count} {status}"


class Rollback(Exception):
    pass


def preferred_rival_message():
    """The model's own words for a second preferred figure of one period (its constraint's message)."""
    from ..models import Statistic

    (constraint,) = [c for c in Statistic._meta.constraints if c.name == "statistic_one_preferred_per_period"]
    # In the language of the check's messages, which may be a lazy translation.
    return str(constraint.violation_error_message)


def source_row(title, publisher="", url="", published_on=None, slug=""):
    """The article's row of the sources file."""
    published = published_on.isoformat() if published_on else ""
    return {
        "Slug": slug or slugify(f"{title} {published}")[:80].strip("-"),
        "Title": title,
        "Publisher": publisher,
        "Web address": url,
        "Publication date": published,
        "Precision of the publication date": "day" if published else "",
    }


def source_row_of(source):
    """The row of a source already on the site, chosen instead of typing the article's own."""
    return {
        "Slug": source.slug,
        "Title": source.title,
        "Publisher": source.publisher,
        "Web address": source.url,
        "Publication date": source.published_on.isoformat() if source.published_on else "",
        "Precision of the publication date": source.published_on_precision if source.published_on else "",
    }


def once_each(record_type, found):
    """The rows found of one record type, a row stated again word for word (the same cells, the same quotation)
    kept once, with the sentences of both: an import would refuse the second as naming the same record."""
    rows = {}
    for row in found:
        same = rows.setdefault(tuple(row.values.items()), ReviewedRow(record_type, dict(row.values)))
        same.spans.extend(span for span in row.spans if span not in same.spans)
        same.flags.extend(flag for flag in row.flags if flag not in same.flags)
    return list(rows.values())


@dataclass
class ReviewedRow:
    record_type: str
    values: dict
    spans: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    keep: bool = True
    # What the last check said of it: the import's kind of row (new, update, skip) and its messages.
    import_type: str = ""
    messages: list = field(default_factory=list)
    # The record it saved, once saved: (primary key, its name).
    saved: tuple | None = None

    @property
    def status(self):
        if self.messages:
            return REFUSED
        return STATUS_WORDS.get(self.import_type, "")

    @property
    def status_label(self):
        return status_label(self.status)

    @property
    def flags_shown(self):
        """Its flags in the editor's language (those of this module are kept in English, marked for translation)."""
        return [gettext(flag) for flag in self.flags]

    @property
    def refused(self):
        return bool(self.messages)

    @property
    def quotation(self):
        return self.values.get("Quotation", "")


@dataclass
class Review:
    text: str
    title: str
    published_on: datetime.date | None
    rows: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # A worker's progress, told of each record type checked.
    progress: object = None

    @classmethod
    def of_article(cls, text, *, title, published_on, source, user=None, progress=None):
        """The facts of `text` found and checked: rows naming a record already on the site are left out, checked
        again until none is left to leave out (a row may name a stored record only once another is dropped). A
        worker's `progress` (relations.tasks.Progress) is told of each step: finding, then each record type
        checked."""
        extraction = extract(text, published_on=published_on, source_row=source)
        if progress is not None:
            progress.total = 1 + (CHECKS + 1) * len(extraction.rows)
            progress.advance()
        rows = {name: once_each(name, found) for name, found in extraction.rows.items()}
        review = cls(text, title, published_on, rows, [message for _span, message in extraction.notes])
        review.progress = progress
        for _ in range(CHECKS):
            review.check(user)
            if not review.leave_out_what_is_stored():
                break
        else:
            review.check(user)
        if progress is not None:
            progress.advance(done=progress.total)
        return review

    def leave_out_what_is_stored(self):
        """Untick the kept rows the last check found naming a record already on the site, and propose a figure
        beside another source's preferred one as not preferred; whether any row changed."""
        rival = preferred_rival_message()
        changed = False
        for row in self.all_rows():
            if not row.keep:
                continue
            if row.import_type in ALREADY_STORED:
                row.keep = False
                row.flags.append(ALREADY_ON_THE_SITE[row.import_type])
                changed = True
            elif any(message.endswith(rival) for message in row.messages):
                row.values[PREFERRED] = "no"
                row.flags.append(NOT_PREFERRED)
                changed = True
        return changed

    # Between the pages ------------------------------------------------------------------------------------------

    def as_data(self):
        return {
            "text": self.text,
            "title": self.title,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "notes": self.notes,
            "rows": {
                name: [{"values": row.values, "spans": row.spans, "flags": row.flags, "keep": row.keep} for row in rows]
                for name, rows in self.rows.items()
            },
        }

    @classmethod
    def from_data(cls, data):
        published = data.get("published_on")
        return cls(
            data["text"],
            data["title"],
            datetime.date.fromisoformat(published) if published else None,
            {
                name: [
                    ReviewedRow(name, row["values"], [tuple(span) for span in row["spans"]], row["flags"], row["keep"])
                    for row in rows
                ]
                for name, rows in data["rows"].items()
                if name in RESOURCES
            },
            data.get("notes", []),
        )

    # The rows ---------------------------------------------------------------------------------------------------

    def all_rows(self):
        return [row for name in RESOURCES for row in self.rows.get(name, [])]

    def kept(self, name):
        return [row for row in self.rows.get(name, []) if row.keep]

    def refused(self):
        return [row for row in self.all_rows() if row.keep and row.refused] or self.problems

    def groups(self):
        """[(record type, its rows, the file's headers)], in the order of the import files."""
        return [(BY_NAME[name], self.rows[name], headers_of(name)) for name in RESOURCES if self.rows.get(name)]

    def counts(self):
        """{status: number of kept rows}, as an import's preview counts them."""
        counts = {}
        for row in self.all_rows():
            if row.keep:
                counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def write_folder(self, folder):
        """The kept rows as the files `export all` writes, for `import all FOLDER`; the paths written."""
        return write_rows({name: [row.values for row in self.kept(name)] for name in self.rows}, folder)

    # Checking and saving ----------------------------------------------------------------------------------------

    def check(self, user=None):
        """Import every kept row and roll it all back: each row's kind and messages, as the preview would say."""
        self.run(user, reason=None, save=False)

    def save(self, user):
        """Save every kept row as a draft, each with a first version naming the article; nothing when a kept row is
        refused. True when saved."""
        for row in self.all_rows():
            if row.keep and PUBLICATION_STATUS in row.values:
                row.values[PUBLICATION_STATUS] = DRAFT
        return self.run(user, reason=f"From the article “{self.title}”", save=True)

    def run(self, user, reason, save):
        self.problems = []
        for row in self.all_rows():
            row.import_type, row.messages, row.saved = "", [], None
        try:
            with transaction.atomic():
                for name in RESOURCES:
                    kept = self.kept(name)
                    if kept:
                        self.import_rows(name, kept, user, reason)
                    if self.progress is not None and name in self.rows:
                        self.progress.advance()
                if not save or self.refused():
                    raise Rollback
        except Rollback:
            for row in self.all_rows():
                row.saved = None
            return False
        return True

    def import_rows(self, name, rows, user, reason):
        headers = headers_of(name)
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([row.values.get(header, "") for header in headers])
        resource = RESOURCES[name]()
        result = resource.import_data(
            dataset,
            dry_run=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
            change_reason=reason,
        )
        self.problems.extend(str(error.error) for error in result.base_errors)
        # The library numbers rows as it reads them, which may not be the file's order (ImportRun.order_rows).
        numbers = resource.run.numbers if resource.run else range(1, len(rows) + 1)
        for row_result, number in zip(result.rows, numbers, strict=False):
            row = rows[number - 1]
            row.import_type = row_result.import_type
            # Figures are written in bulk (resources/writer.py), whose rows name their record by instance only.
            instance = row_result.instance
            pk = row_result.object_id if row_result.object_id is not None else getattr(instance, "pk", None)
            if pk is not None:
                row.saved = (pk, row_result.object_repr or str(instance))
        for error_row in result.error_rows:
            rows[error_row.number - 1].messages.extend(str(error.error) for error in error_row.errors)
        for invalid in result.invalid_rows:
            row = rows[invalid.number - 1]
            for column, messages in invalid.error_dict.items():
                where = "" if column == "__all__" else f"{column}: "
                row.messages.extend(f"{where}{message}" for message in messages)
