"""Dates known to a day, a month or a year, shown at the precision they are known."""

import datetime

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


def ordinal(number):
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 33rd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def today():
    return datetime.date.today()
