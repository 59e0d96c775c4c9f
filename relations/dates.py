"""Dates known to a day, a month or a year, shown at the precision they are known."""

import calendar
import datetime
import re

from babel import dates as babel_dates
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import languages


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


# English month names, whatever the locale of the process (`%B` would follow it).
MONTH_NAMES = [calendar.month_name[number] for number in range(1, 13)]


# CLDR's pattern of a month and year, which Babel builds for each language from its skeleton.
MONTH_AND_YEAR = "yMMMM"


def format_partial_date(value, precision=Precision.DAY, language=None):
    """'2 March 1992', 'March 1992' or '1992': never a day that is not known. In another language by CLDR's
    rules, through Babel: '29 Temmuz 2025', '2025 ж. 29 шілде', '29 июля 2025 г.'; 'Temmuz 2025', 'июль 2025 г.'."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    language = language or languages.current()
    if language != languages.DEFAULT:
        if precision == Precision.MONTH:
            return babel_dates.format_skeleton(MONTH_AND_YEAR, value, locale=language)
        return babel_dates.format_date(value, "long", locale=language)
    if precision == Precision.MONTH:
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def format_weekday(value, language=None):
    """The day of the week of `value` in the reader's language: 'Friday', 'Cuma', 'жұма', 'пятница'."""
    language = language or languages.current()
    if language == languages.DEFAULT:
        return calendar.day_name[value.weekday()]
    return babel_dates.format_date(value, "EEEE", locale=language)


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
# Editors in Türkiye write months in Turkish too ("Mart 2024", "29 Temmuz 2025").
TURKISH_MONTHS = [
    "ocak",
    "şubat",
    "mart",
    "nisan",
    "mayıs",
    "haziran",
    "temmuz",
    "ağustos",
    "eylül",
    "ekim",
    "kasım",
    "aralık",
]
MONTHS.update({name: number for number, name in enumerate(TURKISH_MONTHS, 1)})

# What an editor types, and the precision it states. Digits are 0-9 only: `\d` would take any script's
# digits ('٢٠١٢', Arabic-Indic), which int() reads as 2012. Month names stay letters of any script (Şubat),
# which is why the patterns spell [0-9] rather than pass re.ASCII.
DATE_FORMS = [
    (re.compile(r"(?P<year>[0-9]{4})"), Precision.YEAR),
    (re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})"), Precision.MONTH),
    (re.compile(r"(?P<month>[0-9]{1,2})[./](?P<year>[0-9]{4})"), Precision.MONTH),
    (re.compile(r"(?P<month_name>[^\W\d_]+)\.? (?P<year>[0-9]{4})"), Precision.MONTH),
    (re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"), Precision.DAY),
    (re.compile(r"(?P<day>[0-9]{1,2})[./](?P<month>[0-9]{1,2})[./](?P<year>[0-9]{4})"), Precision.DAY),
    (re.compile(r"(?P<day>[0-9]{1,2}) (?P<month_name>[^\W\d_]+)\.? (?P<year>[0-9]{4})"), Precision.DAY),
    (re.compile(r"(?P<month_name>[^\W\d_]+)\.? (?P<day>[0-9]{1,2}),? (?P<year>[0-9]{4})"), Precision.DAY),
]
DATE_HINT = "Write a date as 2025-07-29, 29.07.2025 or 29/07/2025; a month as 2024-03 or March 2024; a year as 2012."


def parse_partial_date(text):
    """(first day of what was typed, its precision): '2012' is (2012-01-01, year), 'March 2024' is
    (2024-03-01, month), '29.07.2025' is (2025-07-29, day). Day-first, as Türkiye and most of Europe write."""
    text = " ".join(str(text).split())
    for pattern, precision in DATE_FORMS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = match.groupdict()
        name = parts.get("month_name")
        month = MONTHS.get(name.replace("I", "ı").replace("İ", "i").lower()) if name else int(parts.get("month") or 1)
        try:
            return datetime.date(int(parts["year"]), month or 0, int(parts.get("day") or 1)), precision
        except (TypeError, ValueError):
            break
    raise ValueError(f"“{text}” is not a date. {DATE_HINT}")


def coarser(first, second):
    """The less precise of two precisions: a date typed as a year cannot be known to the day."""
    order = [Precision.DAY, Precision.MONTH, Precision.YEAR]
    return max(first, second, key=lambda precision: order.index(precision))


def typed_form(value, precision):
    """A date written back the way it can be typed at its precision: '2012', '2024-03', '2025-07-29'."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# The Kazakh numbers whose words have back vowels, so take `-шы` rather than `-ші` (алты, тоғыз, он, жиырма, отыз,
# қырық, алпыс, тоқсан, мың): a number's ordinal follows the vowels of its last word ('33-ші', '30-шы', '6-шы').
KAZAKH_BACK_UNITS = {6, 9}
KAZAKH_BACK_TENS = {1, 2, 3, 4, 6, 9}


# The ending of a Russian ordinal written in digits, by its noun's gender.
RUSSIAN_ORDINAL_ENDINGS = {"feminine": "я", "masculine": "й", "neuter": "е"}


def ordinal(number, language=None, gender="feminine"):
    """A number as an ordinal in the reader's language: '33rd' in English, '33.' in Turkish, '33-ші' in Kazakh,
    '33-я' in Russian, whose ending follows the noun's gender ('33-я встреча', '33-й год', '33-е заседание')."""
    language = language or languages.current()
    if language == "tr":
        return f"{number}."
    if language == "kk":
        return f"{number}-{kazakh_ordinal_suffix(number)}"
    if language == "ru":
        return f"{number}-{RUSSIAN_ORDINAL_ENDINGS[gender]}"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def kazakh_ordinal_suffix(number):
    """`-ші` or `-шы` by the vowels of the number's last word (үш, отыз, жүз, мың…)."""
    if number % 10:
        back = number % 10 in KAZAKH_BACK_UNITS
    elif number % 100:
        back = number % 100 // 10 in KAZAKH_BACK_TENS
    else:
        # Hundreds end in жүз (front), thousands in мың (back).
        back = number % 1000 == 0
    return "шы" if back else "ші"


def today():
    return datetime.date.today()


def first_day_not_passed(precision, on):
    """The earliest stored date (a date is stored as the first day of what is known) whose day, month or
    year is not over on `on`: a date before it has passed. 'March 2025' is over from 1 April 2025, '2025'
    from 1 January 2026."""
    if precision == Precision.YEAR:
        return on.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return on.replace(day=1)
    return on


def has_passed(value, precision=Precision.DAY, on=None):
    """Whether a date known at `precision` is over on `on` (today): a meeting 'in March 2025' has not
    passed on 20 March 2025."""
    return value is not None and value < first_day_not_passed(precision, on or today())


def last_day(value, precision):
    """The last day of what a date at its precision covers: 2012 ends on 31 December 2012, March 2024 on
    31 March 2024, a day on itself."""
    if precision == Precision.YEAR:
        return value.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def parse_whole_date(text):
    """A date known to the day, typed day first as in parse_partial_date; a year or a month is refused."""
    value, precision = parse_partial_date(text)
    if precision != Precision.DAY:
        raise ValueError(f"“{text}” is not a whole date: write the day too, such as 29.07.2025 or 2025-07-29.")
    return value


def latest_event_date():
    """The last day an event may be dated: the end of next year. Relations reach a level and milestones
    happen on the day they are recorded or before, or in the coming months when a source announces them;
    a later date is a typo (9999-12-31, or 2052 for 2025). A bound on today, so no database rule: a date
    allowed once stays allowed."""
    return datetime.date(today().year + 1, 12, 31)


def too_far_ahead(value, precision=Precision.DAY):
    """The message refusing an event's date after latest_event_date(), or None: one rule for milestones and
    levels, given by their clean() so the admin and imports say the same."""
    latest = latest_event_date()
    if value is None or value <= latest:
        return None
    return (
        f"“{typed_form(value, precision or Precision.DAY)}” is too far ahead: an event is dated no later than "
        f"{format_partial_date(latest)}, the end of next year. Check its year."
    )


# ---------------------------------------------------------------------------
# Dates a source gives in words, read against its own publication date
# ---------------------------------------------------------------------------

WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        (
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ),
        1,
    )
}
NUMBER_WORDS.update({"a": 1, "an": 1})
# Words around a time that say nothing of it: "on Friday", "earlier this year", "by February this year".
FILLER = re.compile(
    r"^(?:(?:on|in|by|at|since|during|from|until|till|the|of|earlier|later|early|late|mid|end|start|beginning|"
    r"around|about|last|this|next)\b[\s-]*)*"
)


def shift_months(value, months):
    """The first day of the month `months` after (or before) the month of `value`."""
    index = value.year * 12 + value.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def count_word(text):
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


def month_named(words):
    """The number of the month `words` name ('April', 'Apr.', 'Nisan'), or None."""
    return MONTHS.get(words.rstrip(".").replace("I", "ı").replace("İ", "i").lower())


def read_stated_date(words, published_on, ahead=False):
    """(date, precision) that the source's own words give, read against its publication date `published_on`, to the
    precision the words allow: 'on Friday' is the Friday of that week (a day), 'last year' a year, 'in April' the
    April of that year (a month), 'this time three years ago' that month three years before. `ahead`: the words
    speak of something planned, so a weekday or a month without a year is the next one, not the last one.
    None when the words give no date ('recently', 'last week'), or need a publication date and there is none:
    then none is invented. A date the words state outright ('in 2019') needs no publication date."""
    text = " ".join(str(words).lower().replace(",", " ").split()).strip(" .")
    if not text:
        return None
    try:
        return parse_partial_date(FILLER.sub("", text) or text)
    except ValueError:
        if published_on is None:
            return None
    day = datetime.timedelta(days=1)
    relative = {
        "today": (published_on, Precision.DAY),
        "this day": (published_on, Precision.DAY),
        "yesterday": (published_on - day, Precision.DAY),
        "tomorrow": (published_on + day, Precision.DAY),
        "this month": (published_on.replace(day=1), Precision.MONTH),
        "earlier this month": (published_on.replace(day=1), Precision.MONTH),
        "later this month": (published_on.replace(day=1), Precision.MONTH),
        "last month": (shift_months(published_on, -1), Precision.MONTH),
        "next month": (shift_months(published_on, 1), Precision.MONTH),
        "this year": (published_on.replace(month=1, day=1), Precision.YEAR),
        "earlier this year": (published_on.replace(month=1, day=1), Precision.YEAR),
        "later this year": (published_on.replace(month=1, day=1), Precision.YEAR),
        "last year": (datetime.date(published_on.year - 1, 1, 1), Precision.YEAR),
        "next year": (datetime.date(published_on.year + 1, 1, 1), Precision.YEAR),
    }
    bare = re.sub(r"^(?:on|in|by|since|during|until)\s+", "", text)
    if bare in relative:
        return relative[bare]
    ago = r"(?:this time |about |some )?(\w+) (day|month|year)s? ago(?: this (?:month|year))?"
    if match := re.fullmatch(ago, bare):
        count, unit = count_word(match[1]), match[2]
        if count is None:
            return None
        if unit == "day":
            return published_on - count * day, Precision.DAY
        if unit == "month" or bare.startswith("this time"):
            # "This time three years ago" says the season, not the day: the same month, that many years before.
            return shift_months(published_on, -count if unit == "month" else -12 * count), Precision.MONTH
        return datetime.date(published_on.year - count, 1, 1), Precision.YEAR
    if (match := re.fullmatch(r"(?:(last|this|next) )?(\w+)", bare)) and match[2] in WEEKDAYS:
        return weekday_near(published_on, WEEKDAYS[match[2]], match[1], ahead), Precision.DAY
    # "in April", "by February this year", "in early March last year", "24 May", "May 24".
    year_word = re.search(r"\b(last|this|next) year$", bare)
    rest = FILLER.sub("", bare[: year_word.start()].strip() if year_word else bare).strip()
    day_number = None
    if match := re.fullmatch(r"([0-9]{1,2}) (\S+)|(\S+) ([0-9]{1,2})", rest):
        day_number, rest = int(match[1] or match[4]), match[2] or match[3]
    month = month_named(rest)
    if month is None:
        return None
    if year_word:
        year = published_on.year + {"last": -1, "this": 0, "next": 1}[year_word[1]]
    elif ahead:
        year = published_on.year + (1 if (month, day_number or 31) < (published_on.month, published_on.day) else 0)
    else:
        year = published_on.year - (1 if (month, day_number or 1) > (published_on.month, published_on.day) else 0)
    try:
        if day_number:
            return datetime.date(year, month, day_number), Precision.DAY
        return datetime.date(year, month, 1), Precision.MONTH
    except ValueError:
        return None


def weekday_near(published_on, weekday, which, ahead):
    """The day named by a weekday in a text published on `published_on`: the last one on or before it ('on
    Friday' in Saturday's paper), the first on or after it for what is planned, the next one after it when said
    to be 'next'."""
    if which == "next":
        return published_on + datetime.timedelta(days=(weekday - published_on.weekday() - 1) % 7 + 1)
    if ahead and which != "last":
        # 'On Friday, he is expected to …' in Friday's paper: that day, not a week later.
        return published_on + datetime.timedelta(days=(weekday - published_on.weekday()) % 7)
    back = (published_on.weekday() - weekday) % 7
    if which == "last" and back == 0:
        back = 7
    return published_on - datetime.timedelta(days=back)


def stated_date_display(value, precision, words=""):
    """A date with the source's words for it beside: 'Friday, 24 May 2024 — “on Friday”'; the words alone when
    they give no date ('in recent years'); the date alone when the source gave it outright."""
    shown = format_partial_date(value, precision)
    if shown and words and precision == Precision.DAY:
        shown = f"{format_weekday(value)}, {shown}"
    if shown and words:
        return f"{shown} — “{words}”"
    return shown or words
