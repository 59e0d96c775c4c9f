"""The shared resource of every record type, and the helpers that import a file whole or not at all.

Columns carry human headers; other records are named by ISO code, slug, or council slug plus
meeting number, so a file exported from one site imports into another. A file with any bad row,
an unknown column or a missing column is refused whole, with one message per problem naming the
row, the column and why, in the model's own words.
"""

import contextlib
import datetime
import logging
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, models
from django.db.models.fields import NOT_PROVIDED
from django.db.transaction import TransactionManagementError
from django.utils.text import capfirst
from import_export import resources
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Error, RowResult

from ..cache import records_changed
from ..dates import Precision, parse_partial_date
from ..formats import spreadsheet_row
from ..history import one_history_entry
from .columns import RecordColumns
from .preview import PREVIEW_ROWS, SHOWN_KINDS, NamedLaterRowResult, PreviewResult, RowsShownLaterDiff, preview_cells
from .widgets import NaturalKeyManyWidget, cell_text

logger = logging.getLogger(__name__)

SOURCED = ("source", "quote")
PUBLISHED = ("publication_status",)


SAVED_MEANWHILE = (
    "This record was saved by another import or editor at the same moment, so this file was not imported. "
    "Look at the list, then import the file again if anything is missing."
)
AFTER_SAVED_MEANWHILE = "Not imported: an earlier row was saved by someone else at the same moment."


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (unknown, missing or repeated columns)."""


class MessageOnlyError(Error):
    """An import error as the editor sees it: its message, without the server's traceback,
    which the admin's import page would otherwise print, file paths included. An error that is not
    one of the file's (a fault of ours) goes to the log with its traceback instead."""

    traceback = ""

    def __init__(self, error, row=None, number=None):
        if isinstance(error, IntegrityError):
            # The model's rules were checked before saving: a record the database still refuses was saved by
            # someone else in between (two confirmations of one file at the same instant).
            error = ValueError(SAVED_MEANWHILE)
        elif isinstance(error, (DatabaseError, TransactionManagementError)) and "transaction is aborted" in str(error):
            error = ValueError(AFTER_SAVED_MEANWHILE)
        super().__init__(error, row, number)
        if not isinstance(error, (ValidationError, ImportRefused, ValueError, LookupError)):
            logger.error("Import row failed on an unexpected error: %r", error, exc_info=error)


class NaturalKeyLoader(ModelInstanceLoader):
    """The library's CachedInstanceLoader — every record the file may update read in one query —
    for a key of several columns (the library's takes one), such as a figure's indicator, period
    and source."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        attnames = [resource._meta.model._meta.get_field(field.attribute).attname for field in resource.id_fields]
        self.stored = {
            tuple(getattr(record, attname) for attname in attnames): record
            for record in resource.records_to_update(dataset)
        }

    def get_instance(self, row):
        try:
            return self.stored.get(self.resource.row_identity(row))
        except ValueError:
            # An unreadable key: the row is new, and its cell errors say why.
            return None


def identity_value(value):
    return value.pk if isinstance(value, models.Model) else value


class RecordResource(RecordColumns, resources.ModelResource):
    """A record type as spreadsheet columns with human headers and natural keys."""

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader
        # The preview's cells are written for the rows it shows, not for every row (after_import_row).
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.import_fields = super().get_import_fields()
        self.id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        # Whether this import is a preview (a dry run), whose rows' cells are shown (preview_cells).
        self.previewing = False
        # A new row's cells before the import: the preview compares each new row with these.
        self.blank_record_cells = []
        # The rows of each kind (changed, new) whose cells the preview shows so far.
        self.rows_shown = Counter()
        # Columns of links (many-to-many), and their cells in the stored record of the row being imported.
        self.link_fields = [field for field in self.fields.values() if isinstance(field.widget, NaturalKeyManyWidget)]
        self.stored_links = {}
        # Widgets naming this resource's own record type (an organization's family), told of each record saved.
        self.own_type_widgets = [field.widget for field in self.columns_naming_own_type()]
        # Each row's number in the file, in the order the library reads them (put_parents_first).
        self.numbers_in_file = []
        # The first row naming each record, so a later row naming it again is refused.
        self.first_rows = {}
        # The row whose key was read last, and that key: the loader and the repeated-row check both ask.
        self.identity_of_row = (None, ())

    @classmethod
    def get_row_result_class(cls):
        return NamedLaterRowResult

    @classmethod
    def get_error_result_class(cls):
        return MessageOnlyError

    @classmethod
    def get_diff_class(cls):
        return RowsShownLaterDiff

    @classmethod
    def get_result_class(cls):
        return PreviewResult

    def get_import_fields(self):
        # The library works the list out from Meta at each call, five times for each row.
        return self.import_fields

    # Import hooks, in the order the library calls them ---------------------------------------

    def before_import(self, dataset, **kwargs):
        """Start afresh; refuse a file whose columns are not this record type's; parents first."""
        self.first_rows = {}
        self.identity_of_row = (None, ())
        self.numbers_in_file = []
        for field in self.fields.values():
            if hasattr(field.widget, "reset"):
                field.widget.reset()
        self.previewing = False
        self.rows_shown = Counter()
        blank = self.init_instance()
        self.blank_record_cells = [field.export(blank) for field in self.get_import_fields()]
        dataset.headers = [cell_text(header) for header in dataset.headers or []]
        problems = self.header_problems(dataset.headers)
        if problems:
            # The library goes on to read every row after this hook refuses the file, each row
            # then failing for want of its columns: leave it no rows, so only the refusal shows.
            del dataset[:]
            expected = ", ".join(f"“{field.column_name}”" for field in self.fields.values())
            raise ImportRefused(f"{' '.join(problems)} The columns of this file type are: {expected}.")
        for field in self.get_import_fields():
            # How the file writes decimals in each column of numbers, for its cells that could be read two ways.
            if hasattr(field.widget, "read_column") and field.column_name in dataset.headers:
                field.widget.read_column(dataset[field.column_name])
        self.numbers_in_file = self.put_parents_first(dataset)
        # A key column added after files were exported (a figure's kind) may be missing from an older
        # file: its rows have the column's default, as a blank cell does.
        for field in self.id_fields:
            if field.column_name not in dataset.headers and field.default is not NOT_PROVIDED:
                dataset.append_col([""] * len(dataset), header=field.column_name)

    def records_to_update(self, dataset):
        """The stored records the file's rows may name (NaturalKeyLoader reads them in one query)."""
        return self.get_queryset().order_by()

    def before_import_row(self, row, **kwargs):
        """A row without a slug gets the one the model gives a record saved without one, so that
        importing the file again finds the record it made."""
        # Only a preview (a dry run) shows its rows' cells; the library tells each row, not before_import.
        self.previewing = bool(kwargs.get("dry_run"))
        self.fill_blank_precisions(row)
        slug = self.fields.get("slug")
        if slug is not None and slug.column_name in row and not cell_text(row[slug.column_name]):
            row[slug.column_name] = self.slug_of_row(row)

    def fill_blank_precisions(self, row):
        """A date's precision cell left blank follows from the date as typed: '2012' is a year."""
        for name, field in self.fields.items():
            precision = self.fields.get(f"{name}_precision")
            if precision is None or precision.column_name not in row or cell_text(row[precision.column_name]):
                continue
            typed = row.get(field.column_name)
            if isinstance(typed, datetime.date):
                row[precision.column_name] = Precision.DAY.value
            elif cell_text(typed):
                # A date that cannot be read is reported, with its column, when the row is read.
                with contextlib.suppress(ValueError):
                    row[precision.column_name] = parse_partial_date(cell_text(typed))[1].value

    def after_export(self, queryset, dataset, **kwargs):
        # A workbook's sheet is named after the record type, not "Tablib Dataset".
        dataset.title = capfirst(str(self._meta.model._meta.verbose_name_plural))

    def slug_of_row(self, row):
        record = self.init_instance(row)
        for field in self.get_import_fields():
            if field.attribute and field.column_name in row and not isinstance(field.widget, NaturalKeyManyWidget):
                # A bad cell's own message is given when the row is read.
                with contextlib.suppress(ValueError):
                    self.import_field(field, record, row)
        try:
            return record.default_slug()
        except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
            return ""

    def row_identity(self, row):
        """The values of the row's import id columns (ids for other records), read once per row."""
        if self.identity_of_row[0] is not row:
            identity = tuple(identity_value(field.clean(row)) for field in self.id_fields)
            self.identity_of_row = (row, identity)
        return self.identity_of_row[1]

    def after_init_instance(self, instance, new, row, **kwargs):
        """Refuse a row naming the same record as an earlier row of the file, which it would overwrite.
        Read a stored record's links before the row changes them, should the preview show its cells."""
        self.stored_links = {}
        if (
            self.link_fields
            and not new
            and self.previewing
            and self.rows_shown[RowResult.IMPORT_TYPE_UPDATE] < PREVIEW_ROWS
        ):
            self.stored_links = {field.column_name: field.export(instance) for field in self.link_fields}
        try:
            identity = self.row_identity(row)
        except ValueError:
            return
        number = self.number_in_file(kwargs.get("row_number"))
        first = self.first_rows.setdefault(identity, number)
        if first != number:
            raise ValidationError(f"This row names the same record as row {spreadsheet_row(first)}.")

    def import_instance(self, instance, row, **kwargs):
        """The library's, with the many-to-many cells read now too: the library reads them only when
        saving the links, where an unknown key would be a server error instead of the cell's message."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, NaturalKeyManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The library's check (the model's full_clean), each error under its column's header."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    (key if key == NON_FIELD_ERRORS else self.column_of(key)): messages
                    for key, messages in error.message_dict.items()
                }
            ) from None

    def after_import_row(self, row, row_result, **kwargs):
        """Note the row's number; write its cells if it is one of the changed or new rows the preview shows."""
        row_result.number = self.number_in_file(kwargs.get("row_number"))
        kind = row_result.import_type
        if self.previewing and kind in SHOWN_KINDS and self.rows_shown[kind] < PREVIEW_ROWS:
            self.rows_shown[kind] += 1
            row_result.diff = preview_cells(self, row_result, self.stored_links)

    def after_save_instance(self, instance, row, **kwargs):
        for widget in self.own_type_widgets:
            widget.remember(instance)

    def save_m2m(self, instance, row, **kwargs):
        """The links saved into the version the record's save made: one version per row."""
        with one_history_entry(instance):
            super().save_m2m(instance, row, **kwargs)

    def number_in_file(self, number):
        """The file's number of the row the library read as `number`: the two differ once parents are
        put first, and the editor must be told of the row as it stands in the file."""
        if number and number <= len(self.numbers_in_file):
            return self.numbers_in_file[number - 1]
        return number

    def after_import(self, dataset, result, **kwargs):
        # The library numbered the refused rows as it read them: number them as the file does, in its order.
        for error_row in result.error_rows:
            error_row.number = self.number_in_file(error_row.number)
            for error in error_row.errors:
                error.number = self.number_in_file(error.number)
        for invalid in result.invalid_rows:
            invalid.number = self.number_in_file(invalid.number)
        result.error_rows.sort(key=lambda error_row: error_row.number)
        result.invalid_rows.sort(key=lambda invalid: invalid.number)
        # The preview lists the new and changed rows in the file's order too (a refused row has no number here).
        result.rows.sort(key=lambda row: (row.number is None, row.number or 0))
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            # Bulk writes send no signals: tell the page cache explicitly.
            records_changed()


def describe_errors(result):
    """One line per problem of an import result: the file's, then each bad row's, naming the row as the
    spreadsheet and the preview number it (spreadsheet_row) and the column."""
    lines = [str(error.error) for error in result.base_errors]
    for error_row in result.error_rows:
        lines.extend(f"Row {spreadsheet_row(error_row.number)}: {error.error}" for error in error_row.errors)
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            where = f"Row {spreadsheet_row(invalid.number)}"
            if column != NON_FIELD_ERRORS:
                where += f", column “{column}”"
            lines.extend(f"{where}: {message}" for message in messages)
    return lines


def import_file(resource_class, dataset, dry_run=False, **kwargs):
    """Import a whole dataset or nothing: any bad row rolls every row back."""
    resource = resource_class()
    return resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, **kwargs
    )
