"""Dates known to a day, a month or a year, shown at the precision they are known."""

import calendar
import datetime
import re

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value, precision=Precision.DAY):
    """'2 March 1992', 'March 1992' or '1992': never a day that is not known."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


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


def ordinal(number):
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 33rd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


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
