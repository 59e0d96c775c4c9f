"""One import of one file: what it knows of the file, made afresh for each import (RecordResource.before_import),
and each row's cells as read once by their columns' widgets (ImportRun.read).

The library asks for a row's values in several places (the instance loader, import_instance, skip_row, save_m2m),
each time reading the cells again through the widgets; here each cell is read once, before the row's record is
looked up, and those hooks use that reading. What a widget needs to know of the whole file to read one cell (the
records of a type by natural key, how a column writes decimals) is this run's, handed to the widget with the cell.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from ..formats import spreadsheet_row
from ..models.base import date_from_wording
from .preview import PREVIEW_ROWS
from .widgets import DateWidget, KnownRecords, NaturalKeyManyWidget, NaturalKeyWidget, PlainDecimalWidget, cell_text


def identity_value(value):
    return value.pk if isinstance(value, models.Model) else value


class RowReading:
    """A row's cells, each read once by its column's widget."""

    def __init__(self, number):
        # The row's number in the file (first record 1), as messages and the preview name it.
        self.number = number
        # {field: value} of the cells that could be read; {attribute: [message]} of those that could not.
        self.values = {}
        self.errors = {}
        # The values of the key columns (ids for other records); None when a key cell cannot be read.
        self.identity = None
        # The stored record's values as the row found them (ImportRun.values_of), None for a new record.
        self.stored = None
        # Other records the row saves after its own, each with the name of its field naming the row's record
        # (a relationship's stated level, "relationship"): RecordResource.save_m2m saves them.
        self.follows = []


class ImportRun:
    """What one import knows of its file: the order its rows are read in and their numbers in the file, the first
    row naming each record, the records its key columns may name, how its number columns write decimals, and the
    changed rows whose cells a preview shows."""

    def __init__(self, resource, dataset, user=None, change_reason=None, progress=None, **kwargs):
        self.resource = resource
        self.fields = resource.get_import_fields()
        # Who imports and why, for the versions the rows save (a worker has no request to tell simple-history).
        self.user = user
        self.change_reason = change_reason
        # A worker's relations.tasks.Progress, told of each row read and each row refused so far.
        self.progress = progress
        self.refused = 0
        model = resource._meta.model
        # Columns naming another record, compared by its id (read without the record): {field: attname}.
        self.keys = {
            field: model._meta.get_field(field.attribute).attname
            for field in self.fields
            if isinstance(field.widget, NaturalKeyWidget)
        }
        # Columns of links (many-to-many), saved once the row's record is (save_m2m).
        self.links = [field for field in self.fields if isinstance(field.widget, NaturalKeyManyWidget)]
        self.slug = resource.fields.get("slug")
        self.known = {}
        self.contexts = {field: self.context(name, field, dataset) for name, field in resource.fields.items()}
        # Blank precision cells are filled when their date is read: read precisions after dates, slugs after all.
        self.reading_order = sorted(
            (field for field in self.fields if not field.readonly),
            key=lambda field: (field is self.slug, field.attribute.endswith("_precision")),
        )
        self.preread = {}
        self.numbers = self.order_rows(dataset)
        self.first_rows = {}
        self.previewing = False
        # The stored cells of the changed rows a preview shows, by number in the file.
        self.changed_cells = {}
        self.row = None

    # The file ---------------------------------------------------------------------------------------

    def context(self, name, field, dataset):
        """What a column's widget needs to know of the whole file to read one of its cells."""
        widget = field.widget
        if isinstance(widget, NaturalKeyManyWidget):
            return {"known": self.known_records(widget.single)}
        if isinstance(widget, NaturalKeyWidget):
            return {"known": self.known_records(widget)}
        if isinstance(widget, PlainDecimalWidget) and field.column_name in dataset.headers:
            return {"column": widget.read_column(dataset[field.column_name])}
        precision = self.resource.fields.get(f"{name}_precision")
        if isinstance(widget, DateWidget) and precision is not None:
            return {"precision_column": precision.column_name}
        return {}

    def known_records(self, widget):
        """The records a widget's keys name, shared by every column naming that type (sender and host countries)."""
        key = (type(widget), widget.model, widget.field)
        if key not in self.known:
            self.known[key] = KnownRecords(widget)
        return self.known[key]

    def order_rows(self, dataset):
        """Put the rows in the order they are imported (by `ranks`, stable); returns each row's number in the file
        in that order: the library numbers the rows as it reads them, and messages name the row the editor sees."""
        numbers = list(range(1, len(dataset) + 1))
        ranks = self.ranks(dataset)
        if ranks == sorted(ranks):
            return numbers
        order = sorted(range(len(ranks)), key=ranks.__getitem__)
        rows, headers = list(dataset), dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for index in order:
            dataset.append(rows[index])
        return [numbers[index] for index in order]

    def ranks(self, dataset):
        """Rows naming a record of their own type (an organization's parent) after the others, so it exists."""
        columns = [
            dataset.headers.index(field.column_name)
            for field in self.resource.columns_naming_own_type()
            if field.column_name in dataset.headers
        ]
        return [tuple(bool(cell_text(row[column])) for column in columns) for row in dataset]

    def number_in_file(self, number):
        """The file's number of the row the library read as `number`."""
        if number and number <= len(self.numbers):
            return self.numbers[number - 1]
        return number

    # A row ------------------------------------------------------------------------------------------

    def read(self, row, row_number):
        """Read the row's cells, each once; refuse a row naming the same record as an earlier row of the file,
        which it would overwrite."""
        reading = self.row = RowReading(self.number_in_file(row_number))
        for field in self.reading_order:
            if field.column_name not in row:
                continue
            if field is self.slug and not cell_text(row[field.column_name]):
                # A row without a slug gets the one the model gives a record saved without one, so that
                # importing the file again finds the record it made.
                row[field.column_name] = self.default_slug(reading, row)
            self.read_cell(reading, field, row)
        id_fields = self.resource.id_fields
        if all(field in reading.values for field in id_fields):
            reading.identity = tuple(identity_value(reading.values[field]) for field in id_fields)
            first = self.first_rows.setdefault(reading.identity, reading.number)
            if first != reading.number:
                raise ValidationError(f"This row names the same record as row {spreadsheet_row(first)}.")
        return reading

    def read_cell(self, reading, field, row):
        try:
            if field in self.preread:
                value = self.preread[field][reading.number - 1]
                if isinstance(value, ValueError):
                    raise value
            else:
                value = field.clean(row, **self.contexts[field])
        except ValueError as error:
            reading.errors[field.attribute] = [str(error)]
        else:
            reading.values[field] = value

    def default_slug(self, reading, row):
        record = self.resource.init_instance(row)
        for field, value in reading.values.items():
            if field not in self.links:
                setattr(record, field.attribute, value)
        try:
            return record.default_slug()
        except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
            return ""

    def values_of(self, instance, reading=None):
        """What makes a record unchanged (skip_row): each column's value in it, another record's id rather than the
        record, the ids of its links (those of the row's `reading` once read: they are saved after the record)."""
        values = []
        for field in self.fields:
            if field in self.keys:
                values.append(getattr(instance, self.keys[field]))
            elif field in self.links:
                if reading is not None and field in reading.values:
                    linked = reading.values[field]
                else:
                    linked = field.get_value(instance).all() if instance.pk else []
                values.append(tuple(sorted(record.pk for record in linked)))
            else:
                values.append(field.get_value(instance))
        return tuple(values)

    def keep_for_preview(self, reading):
        """Keep the stored cells of a changed row the preview may show (the first PREVIEW_ROWS)."""
        if self.previewing and len(self.changed_cells) < PREVIEW_ROWS:
            self.changed_cells[reading.number] = [
                self.cell(field, value) for field, value in zip(self.fields, reading.stored, strict=True)
            ]

    def cell(self, field, value):
        """A cell as the export writes it, from a value of values_of."""
        known = self.contexts[field].get("known")
        if field in self.keys:
            return field.widget.render(known.with_pk(value))
        if field in self.links:
            return field.widget.text_of(known.with_pk(pk) for pk in value)
        return field.widget.render(value)


class WordedDatesRun(ImportRun):
    """An import of records whose date may be given in the source's words alone ('on Friday', 'last year'): each
    row's date is worked out from them as it is read, as the model's clean() would (date_from_wording), so that the
    slug made from it carries the date at the words' precision ('…-2023', never '…-2023-01-01' or no date), the
    preview shows it, and importing the file again finds the row unchanged. Words that give no date are left to
    clean(), which refuses the row in the model's words."""

    def read(self, row, row_number):
        # A blank slug is made within super().read (default_slug), which works the date out first; a given one
        # leaves it to be worked out here.
        reading = super().read(row, row_number)
        self.date_from_words(reading)
        return reading

    def default_slug(self, reading, row):
        self.date_from_words(reading)
        return super().default_slug(reading, row)

    def date_from_words(self, reading):
        for name in self.resource.worded_dates:
            date, precision = self.resource.fields[name], self.resource.fields[f"{name}_precision"]
            if reading.values.get(date) is not None or not reading.values.get(self.resource.fields["date_wording"]):
                continue
            record = self.resource._meta.model(
                **{field.attribute: value for field, value in reading.values.items() if field not in self.links}
            )
            setattr(record, name, None)
            if date_from_wording(record, name) is None:
                reading.values[date] = getattr(record, name)
                reading.values[precision] = getattr(record, f"{name}_precision")
