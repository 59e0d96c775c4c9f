"""Dates and periods a sentence gives, read against the article's publication date to the precision its words
allow; `relations.dates.read_stated_date` reads the relative ones ('on Tuesday', 'last year'). Words that give
no date ('recently', 'last week') give none: nothing is invented."""

import calendar
import datetime
import re
from dataclasses import dataclass

from ..dates import MONTHS, Precision, parse_partial_date, read_stated_date

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]|20)\d\d"

# The forms of a date, most precise first; each is read by parse_partial_date or read_stated_date.
DATE_FORMS = [
    ("day", re.compile(rf"\b(?P<d>\d{{1,2}})(?:[-–](?P<d2>\d{{1,2}}))? (?P<m>{_MONTH}),? (?P<y>{_YEAR})\b")),
    ("day", re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}})(?:[-–](?P<d2>\d{{1,2}}))?,? (?P<y>{_YEAR})\b")),
    ("month", re.compile(rf"\b(?P<m>{_MONTH}) (?:of )?(?P<y>{_YEAR})\b")),
    (
        "relative",
        re.compile(
            rf"\b(?:(?:later|earlier) )?(?:on |this |last |next )?{_WEEKDAY}\b|\b(?:yesterday|today|tomorrow)\b|"
            r"\b(?:earlier |later )?(?:this|last|next) (?:year|month)\b|"
            r"\b(?:this time )?(?:\w+) (?:days|months|years) ago\b|"
            rf"\b(?:on |in )?(?:early |late |mid-)?(?P<rd>\d{{1,2}} )?{_MONTH}(?: \d{{1,2}})?(?! (?:of )?{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(rf"(?<![\d-])(?P<y>{_YEAR})(?![\d-])")),
]
# Words that name no date: flagged, never read as one.
VAGUE = re.compile(r"\b(?:recently|last week|this week|next week|soon|in recent years|earlier|lately)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """A date found in a sentence: where, the words, and the date at its precision (None: no date)."""

    start: int
    end: int
    words: str
    date: datetime.date | None
    precision: str
    relative: bool = False
    end_date: datetime.date | None = None


def find_dates(text, published_on, ahead=False):
    """The dates `text` gives, none overlapping another, in order."""
    found = []
    taken = []
    for form, pattern in DATE_FORMS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            words = match.group().strip()
            if form == "relative":
                if re.fullmatch(r"(?:on |in )?May", words) and not words.startswith(("on", "in")):
                    continue  # "May" alone is more often the verb
                month = re.search(rf"\b{_MONTH}", words, re.IGNORECASE)
                if month and not month.group()[0].isupper():
                    continue  # "may", "march": a month is written with a capital, a verb is not
                read = read_stated_date(re.sub(r"^(?:later|earlier)\s+(?=on\b)", "", words), published_on, ahead)
                if read is None:
                    continue
                value, precision = read
                found.append(Stated(match.start(), match.end(), words, value, precision, relative=True))
            else:
                parts = match.groupdict()
                if form == "year":
                    value, precision = datetime.date(int(parts["y"]), 1, 1), Precision.YEAR
                else:
                    day = f"{parts['d']} " if parts.get("d") else ""
                    value, precision = parse_partial_date(f"{day}{parts['m'].rstrip('.')} {parts['y']}")
                end_date = value.replace(day=int(parts["d2"])) if parts.get("d2") else None
                found.append(Stated(match.start(), match.end(), words, value, precision, end_date=end_date))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda stated: stated.start)


def is_vague(text):
    return bool(VAGUE.search(text))


# ---------------------------------------------------------------------------------------------------------------
# Periods of figures
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # the Statistic.PeriodKind values
    start: datetime.date | None
    end: datetime.date | None
    words: str = ""
    position: int = 0


def month_number(name):
    return MONTHS.get(name.rstrip(".").lower())


def year_of(first, last, published_on, year):
    """The year of a range of months without one: the latest such range that has ended by publication."""
    if year:
        return int(year)
    return published_on.year if last <= published_on.month else published_on.year - 1


def month_range(first, last, year):
    return datetime.date(year, first, 1), datetime.date(year, last, calendar.monthrange(year, last)[1])


PERIOD_FORMS = [
    (
        "months",
        re.compile(
            rf"\b(?:between|from) (?P<m1>{_MONTH}) (?:and|to|through) (?P<m2>{_MONTH})(?:,? (?P<y>{_YEAR}))?|"
            rf"\b(?P<m3>{_MONTH})\s?[-–]\s?(?P<m4>{_MONTH})(?:,? (?P<y2>{_YEAR}))?|"
            rf"\b(?:in )?the first (?P<n>\w+) months(?: of (?P<y3>{_YEAR}|this year|last year))?",
            re.IGNORECASE,
        ),
    ),
    (
        "academic-year",
        re.compile(
            rf"\b(?P<a>{_YEAR})\s?[-–/]\s?(?P<b>{_YEAR}|\d\d) academic year|"
            rf"academic year (?:of )?(?P<c>{_YEAR})\s?[-–/]\s?(?P<e>{_YEAR}|\d\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "span",
        re.compile(
            rf"\b(?:between|from) (?P<a>{_YEAR}) (?:and|to|through) (?P<b>{_YEAR})\b|"
            rf"\b(?P<c>{_YEAR})\s?[-–]\s?(?P<e>{_YEAR})\b"
        ),
    ),
    (
        "since",
        re.compile(
            rf"\bsince (?:(?:his|her|its|their) )?(?:(?P<what>[a-z ]+?) (?:in|of) )?(?P<y>{_YEAR})\b|"
            r"\bsince (?:gaining |(?:the|its|their) )?(?P<event>independence)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "as-of",
        re.compile(
            r"\b(?:currently|so far|to date|at present|as of today|as of now|now|today|at the moment|presently|"
            r"as things stand)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|for|during|of|by the end of) (?:the year )?(?P<y>{_YEAR})\b|^(?P<y2>{_YEAR})\b|"
            r"\b(?P<rel>last year|this year|a year earlier|the previous year)\b|\b(?P<same>(?:in )?the same period)\b",
            re.IGNORECASE,
        ),
    ),
]

COUNT_WORDS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}


def find_periods(text, published_on, events=None, previous=None):
    """The periods a clause states, in order: 'In 2024' a year, 'between January and May' a range of months,
    'between 2005 and 2024' a span, 'since his election in 2019' a running total, 'currently' as of the
    publication date, 'in the 2024-2025 academic year', 'in the same period' the `previous` figure's.
    `events`: dates the article gave to events ('independence'), for 'since gaining independence'."""
    found, taken = [], []
    for kind, pattern in PERIOD_FORMS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            period = read_period(kind, match, published_on, events or {}, previous)
            if period is None:
                continue
            found.append(Period(period.kind, period.start, period.end, match.group(), match.start()))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda period: period.position)


def read_period(kind, match, published_on, events, previous):
    parts = match.groupdict()
    if kind == "months":
        if parts.get("n"):
            count = COUNT_WORDS.get(parts["n"].lower()) or (int(parts["n"]) if parts["n"].isdigit() else None)
            if not count:
                return None
            which = parts.get("y3") or ""
            year = {"this year": published_on.year, "last year": published_on.year - 1}.get(which.lower()) or (
                int(which) if which else year_of(1, count, published_on, None)
            )
            return Period("months", *month_range(1, count, year))
        first = month_number(parts.get("m1") or parts.get("m3"))
        last = month_number(parts.get("m2") or parts.get("m4"))
        if not first or not last or last < first:
            return None
        year = year_of(first, last, published_on, parts.get("y") or parts.get("y2"))
        return Period("months", *month_range(first, last, year))
    if kind == "academic-year":
        first = int(parts.get("a") or parts.get("c"))
        return Period("academic-year", datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31))
    if kind == "span":
        first, last = int(parts.get("a") or parts.get("c")), int(parts.get("b") or parts.get("e"))
        if last <= first:
            return None
        return Period("span", datetime.date(first, 1, 1), datetime.date(last, 12, 31))
    if kind == "since":
        if parts.get("event"):
            start = events.get("independence")
            return Period("since", start, published_on) if start and published_on else None
        return Period("since", datetime.date(int(parts["y"]), 1, 1), published_on) if published_on else None
    if kind == "as-of":
        return Period("as-of", published_on, published_on) if published_on else None
    if kind == "year":
        if parts.get("same"):
            return Period(previous.kind, previous.start, previous.end) if previous else None
        if parts.get("rel"):
            if not published_on:
                return None
            offset = 0 if parts["rel"].lower() == "this year" else -1
            year = published_on.year + offset
        else:
            year = int(parts.get("y") or parts.get("y2"))
        return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return None
