"""Cell widgets: one spreadsheet cell to one value and back.

Formats are pinned whatever the language of the site or the spreadsheet (ISO dates, a decimal
point), choices are read by value or label, other records are named by natural key, and a cell
a spreadsheet would run as a formula is written with a leading ' and read back without it.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from import_export import widgets

from .. import models as records
from ..dates import Precision, last_day, ordinal, parse_partial_date
from ..formats import escape_formula, unescape_formula

M2M_SEPARATOR = ","


def cell_text(value):
    """A cell as stripped text, with a spreadsheet's formula escape undone."""
    if value.__class__ is not str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    text = value.strip()
    # Called for every cell of a file: the common case (no leading quote) returns without a call.
    return unescape_formula(text) if text[:1] == "'" else text


def refuse_other_digits(text):
    """Refuse a number, year or date written with digits other than 0-9: Python reads '٣' (Arabic-Indic) or
    '３' (full-width) as 3, so a cell pasted from another script would be stored as a number nobody typed."""
    other = next((char for char in text if char.isdecimal() and not char.isascii()), None)
    if other is not None:
        raise ValueError(
            f"“{text}” is written with the digit “{other}”: write numbers, years and dates with the digits 0–9."
        )


class TextWidget(widgets.Widget):
    """Free text. Every widget here writes its cell formula-safe ('=SUM(A1)' as "'=SUM(A1)"), and reads
    it with cell_text, which undoes that."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        # A workbook (the library asks for native types there) keeps numbers and dates as such.
        if kwargs.get("force_native_type") and value is not None and self.native(value) is not None:
            return self.native(value)
        return escape_formula(self.text(value))

    def text(self, value):
        return "" if value is None else str(value)

    def native(self, value):
        """The cell as a workbook holds it natively (a number, a date), or None when it is text."""
        return None


class SlugWidget(TextWidget):
    """A slug: the key that finds the record again when the file is imported a second time.

    A blank cell is given the model's slug, made from the row's other cells, before it is read (ImportRun.read);
    one still blank had nothing to make it from."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError("Give each row a slug, so that importing the file again updates the same record.")
        return text


class IsoCodeWidget(TextWidget):
    """A country's ISO code, stored in capitals (Country.save) and so looked up in capitals."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value).upper()


class ChoiceWidget(TextWidget):
    """A stored choice value; the human label ('Consulate general') is accepted too."""

    def __init__(self, choices):
        super().__init__()
        self.values = {str(value): value for value, _ in choices}
        self.values.update({str(label).casefold(): value for value, label in choices})
        self.allowed = ", ".join(str(value) for value, _ in choices)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        try:
            return self.values.get(text) or self.values[text.casefold()]
        except KeyError:
            raise ValueError(f"“{text}” is not one of: {self.allowed}.") from None


class DateWidget(TextWidget):
    """A date as spreadsheets hold it: a date cell, 2025-07-29, 29.07.2025 or 29/07/2025 (day first, as in
    Türkiye); where the record keeps a date's precision (`partial`), also 2012, 2024-03 or March 2024."""

    def __init__(self, partial=False):
        super().__init__()
        self.partial = partial

    def clean(self, value, row=None, precision_column=None, **kwargs):
        """The date; when the row's `precision_column` cell is blank, it is filled with the precision the date is
        typed at ('2012' is a year), so that the precision column reads it (ImportRun.read reads that column after)."""
        date, precision = self.read(value)
        if precision is not None and precision_column in (row or ()) and not cell_text(row[precision_column]):
            row[precision_column] = precision.value
        return date

    def read(self, value):
        """(date, precision) of a cell; (None, None) when it is blank."""
        if isinstance(value, datetime.datetime):
            return value.date(), Precision.DAY
        if isinstance(value, datetime.date):
            return value, Precision.DAY
        text = cell_text(value)
        if not text:
            return None, None
        refuse_other_digits(text)
        date, precision = parse_partial_date(text[:10] if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T", text) else text)
        if precision != Precision.DAY and not self.partial:
            raise ValueError(f"“{text}” is not a whole date: write the day too, such as 29.07.2025 or 2025-07-29.")
        return date, precision

    def text(self, value):
        return value.isoformat() if value else ""

    def native(self, value):
        return value


class PeriodDateWidget(DateWidget):
    """A date bounding a period (a model's PERIODS, such as a figure's period start and end), which may be typed as
    a year or a month covering it, as in the admin's form (RecordForm.fill_period): the start is its first day, the
    end its last ('2019-02' ends on 28 February 2019); a blank end is the last day of what the start covers, so that
    a figure as of February 2019 is the row "as-of, 2019-02" with its end left blank, or "2019-02" again."""

    def __init__(self, start_column=None):
        super().__init__(partial=True)
        # The header of the period's start, for the widget of its end; None for the start's own widget.
        self.start_column = start_column

    def clean(self, value, row=None, **kwargs):
        date, precision = self.read(value)
        if self.start_column is None:
            return date
        if date is None:
            try:
                date, precision = self.read((row or {}).get(self.start_column))
            except ValueError:
                # The start's own cell says what is wrong with it, under its column.
                return None
        return None if date is None else last_day(date, precision)


# Spaces a spreadsheet may group thousands with: a space, a no-break space, a narrow no-break space.
GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f")
# Digits (0-9 only, as refuse_other_digits says) with points and commas, and a power of ten as a spreadsheet
# shows a long number ('2,0286E+11').
NUMBER_TEXT = re.compile(r"(?P<digits>[+-]?[0-9.,]*[0-9])(?:[eE](?P<exponent>[+-]?[0-9]+))?")


def decimal_separator_of(digits):
    """How a number written in a cell shows its decimal separator: (separator, certain).

    '1.234,50', '5.000.000,00', '2,5' and '39,9237' certainly have a decimal comma; '1,234.5', '1,000,000' and
    '1.5' a decimal point; '1.234' and '12,500' could be either (one separator before exactly three digits):
    (separator, False), where the separator is the one written. A whole number without separators: (None, True)."""
    body = digits.lstrip("+-")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return ("," if body.rfind(",") > body.rfind(".") else "."), True
    if dots > 1:
        return ",", True
    if commas > 1:
        return ".", True
    if not (dots or commas):
        return None, True
    separator = "." if dots else ","
    whole, fraction = body.split(separator)
    if len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        return separator, False
    return separator, True


def number_parts(text):
    """A cell's text as (digits, power of ten), or None when it does not write a number."""
    match = NUMBER_TEXT.fullmatch(text.translate(GROUPING_SPACES))
    return (match["digits"], int(match["exponent"] or 0)) if match else None


def read_number(text, decimal_separator=None):
    """The Decimal a cell's text writes, with a decimal point or comma and thousands grouped or not, as
    spreadsheets write numbers in any language: 202860000000, 1.5, 2,5, 1.234,5, 5.000.000.000,00, 1,234.5,
    1 234,5, 2,0286E+11. A number that could be read either way ('12.500') is read with `decimal_separator` if
    given (how the rest of its column writes decimals), else as written (12.5). ValueError if it is no number."""
    parts = number_parts(text)
    if parts is None:
        raise ValueError(text)
    digits, exponent = parts
    separator, certain = decimal_separator_of(digits)
    if separator is not None and not certain and decimal_separator:
        separator = decimal_separator
    if separator is not None:
        grouping = "," if separator == "." else "."
        whole, _, fraction = digits.partition(separator)
        if separator in fraction or grouping in fraction:
            raise ValueError(text)
        if grouping in whole and not re.fullmatch(rf"[+-]?[0-9]{{1,3}}(?:{re.escape(grouping)}[0-9]{{3}})+", whole):
            raise ValueError(text)
        digits = whole.replace(grouping, "") + "." + fraction
    return Decimal(digits).scaleb(exponent) if exponent else Decimal(digits)


class NumberColumn(NamedTuple):
    """How a file's column writes decimals (PlainDecimalWidget.read_column): with a `separator` ('.' or ','),
    or with both (`mixed`), or, where no cell shows it for certain, unknown (None)."""

    separator: str | None = None
    mixed: bool = False


class PlainDecimalWidget(TextWidget):
    """Numbers as spreadsheets write them (read_number), written with a decimal point and no thousands separators.

    A number that could be read two ways ('12.500', '1,234': one separator before three digits) is read the way
    its column writes decimals elsewhere in the file (`column`, from read_column): with a decimal comma where
    another cell has one ('2,5', '1.234,50'), with a decimal point where another has one ('1.5', '1,234.50'); in a
    column with neither, the separator is a decimal one (12.5, 1.234), as this site's own files write it; in a
    column with both, it is refused, saying why."""

    @staticmethod
    def read_column(cells):
        """How a file's column writes decimals, from its cells that show it for certain (read once per import)."""
        seen = set()
        for value in cells:
            parts = number_parts(cell_text(value)) if value.__class__ is str else None
            if parts is not None:
                separator, certain = decimal_separator_of(parts[0])
                if separator and certain:
                    seen.add(separator)
                    if len(seen) == 2:
                        break
        return NumberColumn(seen.pop() if len(seen) == 1 else None, len(seen) == 2)

    def clean(self, value, row=None, column=None, **kwargs):
        column = column or NumberColumn()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        text = cell_text(value)
        parts = number_parts(text)
        if not text.translate(GROUPING_SPACES):
            return None
        refuse_other_digits(text)
        if column.mixed and parts is not None and not decimal_separator_of(parts[0])[1]:
            whole, fraction = re.split(r"[.,]", parts[0])
            decimal = f"{whole}.{fraction}".rstrip("0").rstrip(".")
            raise ValueError(
                f"“{text}” could be {whole}{fraction} or {decimal}: this column writes decimals both with a point "
                "and with a comma. Write the number without thousands separators."
            )
        try:
            return read_number(text, column.separator)
        except (ValueError, InvalidOperation):
            raise ValueError(
                f"“{text}” is not a number: write digits, with a decimal point or comma, such as 202860000000, "
                "1.5 or 1.234,5."
            ) from None

    def text(self, value):
        if value is None:
            return ""
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    def native(self, value):
        return value


# A rank as sources write it: '24th', '1st', '3 rd'.
ORDINAL_TEXT = re.compile(r"(?P<number>[0-9]+) ?(?P<suffix>st|nd|rd|th)\.?", re.IGNORECASE)


class StatedValueWidget(PlainDecimalWidget):
    """A statistic's value, which for a rank may be written as sources write it ('24th' for 24), and only for a
    rank: an amount written '24th' is a slip, refused rather than read as 24. The row's kind is read from its
    `kind_column` (a figure when the column is absent or blank, as the model's default)."""

    def __init__(self, kind_column, kinds, rank):
        super().__init__()
        self.kind_column = kind_column
        self.kinds = ChoiceWidget(kinds)
        self.rank = rank

    def clean(self, value, row=None, column=None, **kwargs):
        match = ORDINAL_TEXT.fullmatch(cell_text(value)) if value.__class__ is str else None
        if match is None:
            return super().clean(value, row, column, **kwargs)
        text, number = cell_text(value), int(match["number"])
        try:
            kind = self.kinds.clean((row or {}).get(self.kind_column))
        except ValueError:
            kind = None  # the kind's own cell says what is wrong with it
        if kind != self.rank:
            raise ValueError(
                f"“{text}” is written as a rank: only a rank (kind “{self.rank}”) may be written so. "
                f"Write the value as a number, such as {number}, or give the row the kind “{self.rank}”."
            )
        if number < 1 or ordinal(number).casefold() != f"{number}{match['suffix']}".casefold():
            raise ValueError(f"“{text}” is not a rank: write it as {ordinal(max(number, 1))} or {max(number, 1)}.")
        return Decimal(number)


class IntegerWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            return int(value)
        text = cell_text(value)
        if not text:
            return None
        refuse_other_digits(text)
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError(f"“{text}” is not a whole number.")
        return int(text)

    def native(self, value):
        return value


class YesNoWidget(TextWidget):
    """Yes or no, in English or Turkish, or as a spreadsheet in Turkish writes a logical cell (DOĞRU, YANLIŞ)."""

    TRUE = {"1", "yes", "true", "y", "x", "evet", "doğru", "dogru"}
    FALSE = {"0", "no", "false", "n", "hayır", "hayir", "yanlış", "yanlis"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value)
        # Capitals lowered as English and as Turkish lowers them: YANLIŞ is yanlış (yanliş in English).
        forms = {text.casefold(), text.replace("I", "ı").replace("İ", "i").casefold()}
        if forms & self.TRUE:
            return True
        if forms & self.FALSE or not text:
            return False
        raise ValueError(f"“{cell_text(value)}” is not yes or no.")

    def text(self, value):
        return "yes" if value else "no"


class KnownRecords:
    """The records a column of natural keys may name: every record of its type, by key and by id, read in one
    query when first needed. One import reads them once for all its columns naming that type (ImportRun.known);
    a widget used on its own reads them for its cell.

    A key not among them is looked up in the database: a record saved by an earlier row of the same file (an
    organization's parent) is found so, in the import's transaction."""

    def __init__(self, widget):
        self.widget = widget
        self.by_key = None
        self.by_pk = None

    def load(self):
        if self.by_key is None:
            found = list(self.widget.get_queryset())
            self.by_key = {self.widget.key_of(record): record for record in found}
            self.by_pk = {record.pk: record for record in found}

    def add(self, record):
        if record is not None:
            self.by_key[self.widget.key_of(record)] = record
            self.by_pk[record.pk] = record
        return record

    def find(self, key):
        self.load()
        if key in self.by_key:
            return self.by_key[key]
        return self.add(self.widget.get_queryset().filter(**self.widget.lookup(key)).first())

    def with_pk(self, pk):
        if pk is None:
            return None
        self.load()
        if pk in self.by_pk:
            return self.by_pk[pk]
        return self.add(self.widget.get_queryset().filter(pk=pk).first())


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Another record named by its natural key (a slug, an ISO code), looked up among its KnownRecords.

    The library's CachedForeignKeyWidget caches the same way, but answers an unknown key with DoesNotExist (a server
    error rather than a message on the cell), and keeps its cache from one file to the next."""

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        return self.model._default_manager.all()

    def key_of(self, record):
        return str(getattr(record, self.field))

    def lookup(self, key):
        return {self.field: key}

    def find(self, text, known=None):
        record = (known or KnownRecords(self)).find(text.upper() if self.field == "code" else text)
        if record is None:
            label = "ISO code" if self.field == "code" else self.field
            raise ValueError(f"No {self.model._meta.verbose_name} has the {label} “{text}”.")
        return record

    def clean(self, value, row=None, known=None, **kwargs):
        text = cell_text(value)
        return self.find(text, known) if text else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else escape_formula(str(getattr(value, self.field)))


class NaturalKeyManyWidget(widgets.ManyToManyWidget):
    """Several records in one cell, by natural key, separated by commas: 'energy, trade'."""

    def __init__(self, model, field="slug"):
        super().__init__(model, separator=M2M_SEPARATOR, field=field)
        self.single = NaturalKeyWidget(model, field)

    def clean(self, value, row=None, known=None, **kwargs):
        known = known or KnownRecords(self.single)
        keys = [part.strip() for part in cell_text(value).split(M2M_SEPARATOR) if part.strip()]
        found, unknown = [], []
        for key in keys:
            try:
                found.append(self.single.find(key, known))
            except ValueError:
                unknown.append(key)
        if unknown:
            names = ", ".join(f"“{key}”" for key in unknown)
            raise ValueError(f"No {self.model._meta.verbose_name_plural} with these keys: {names}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.text_of(value.all())

    def text_of(self, records):
        return escape_formula(f"{M2M_SEPARATOR} ".join(sorted(str(getattr(item, self.field)) for item in records)))


class MeetingWidget(NaturalKeyWidget):
    """A council meeting, named by the council's slug (the 'Council' column) and its number: the key
    is two cells, where the library's widgets read one."""

    def __init__(self):
        super().__init__(records.CouncilMeeting, field="number")

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        return records.CouncilMeeting.objects.select_related("council")

    def key_of(self, meeting):
        return (meeting.council.slug, meeting.number)

    def lookup(self, key):
        return {"council__slug": key[0], "number": key[1]}

    def clean(self, value, row=None, known=None, **kwargs):
        number = cell_text(value)
        council = cell_text((row or {}).get("Council"))
        if not number and not council:
            return None
        refuse_other_digits(number)
        try:
            meeting = (known or KnownRecords(self)).find((council, int(number)))
        except ValueError:
            meeting = None
        if meeting is None:
            raise ValueError(f"The council “{council}” has no meeting number “{number}”.")
        return meeting


class MeetingCouncilWidget(MeetingWidget):
    """The 'Council' column of a meeting's parts: the meeting's council, by slug (read-only; the
    meeting is read from both columns by MeetingWidget)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else escape_formula(value.council.slug)
