"""Dates as people write them, read at the precision they state."""

import datetime

import pytest

from relations.dates import Precision, coarser, parse_partial_date, typed_form


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2012", datetime.date(2012, 1, 1), Precision.YEAR),
        ("2024-03", datetime.date(2024, 3, 1), Precision.MONTH),
        ("03.2024", datetime.date(2024, 3, 1), Precision.MONTH),
        ("March 2024", datetime.date(2024, 3, 1), Precision.MONTH),
        ("Jan. 2020", datetime.date(2020, 1, 1), Precision.MONTH),
        ("MAYIS 2020", datetime.date(2020, 5, 1), Precision.MONTH),
        ("29.07.2025", datetime.date(2025, 7, 29), Precision.DAY),
        ("1.7.2025", datetime.date(2025, 7, 1), Precision.DAY),
        ("29/07/2025", datetime.date(2025, 7, 29), Precision.DAY),
        ("2025-07-29", datetime.date(2025, 7, 29), Precision.DAY),
        ("29 July 2025", datetime.date(2025, 7, 29), Precision.DAY),
        ("29 Temmuz 2025", datetime.date(2025, 7, 29), Precision.DAY),
        ("July 29, 2025", datetime.date(2025, 7, 29), Precision.DAY),
        ("  2012 ", datetime.date(2012, 1, 1), Precision.YEAR),
    ],
)
def test_each_way_of_writing_a_date_gives_its_day_and_precision(text, date, precision):
    assert parse_partial_date(text) == (date, precision)


@pytest.mark.parametrize("text", ["12", "31.02.2025", "13.13.2025", "Smarch 2024", "2025-07-29T10:00", "yesterday"])
def test_what_is_not_a_date_is_refused_saying_how_to_write_one(text):
    with pytest.raises(ValueError, match="is not a date. Write a date as 2025-07-29"):
        parse_partial_date(text)


def test_the_coarser_precision_wins_and_a_date_is_written_back_as_typed():
    assert coarser(Precision.DAY, Precision.YEAR) == Precision.YEAR
    assert coarser(Precision.MONTH, Precision.DAY) == Precision.MONTH
    assert typed_form(datetime.date(2012, 1, 1), Precision.YEAR) == "2012"
    assert typed_form(datetime.date(2024, 3, 1), Precision.MONTH) == "2024-03"
    assert typed_form(datetime.date(2025, 7, 29), Precision.DAY) == "2025-07-29"
