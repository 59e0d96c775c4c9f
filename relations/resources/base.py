"""The shared resource of every record type, and the helpers that import a file whole or not at all.

Columns carry human headers; other records are named by ISO code, slug, or council slug plus
meeting number, so a file exported from one site imports into another. A file with any bad row,
an unknown column or a missing column is refused whole, with one message per problem naming the
row, the column and why, in the model's own words.
"""

import logging
from functools import cached_property

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError
from django.db.models.fields import NOT_PROVIDED
from django.db.transaction import TransactionManagementError
from django.utils.text import capfirst
from import_export import resources
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Error

from ..cache import records_changed
from ..formats import spreadsheet_row
from ..history import one_history_entry
from .columns import RecordColumns
from .preview import PreviewResult, preview_rows
from .run import ImportRun, WordedDatesRun
from .widgets import cell_text

logger = logging.getLogger(__name__)

SOURCED = ("source", "quote", "reader_note")
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
    and source, and with the key as the row's reading has it (ImportRun.read), not read again."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        attnames = [resource._meta.model._meta.get_field(field.attribute).attname for field in resource.id_fields]
        stored = resource.records_to_update(dataset) if dataset else []
        self.stored = {tuple(getattr(record, attname) for attname in attnames): record for record in stored}

    def get_instance(self, row):
        # An unreadable key (None): the row is new, and its cell errors say why.
        identity = self.resource.run.row.identity
        return None if identity is None else self.stored.get(identity)


class RecordResource(RecordColumns, resources.ModelResource):
    """A record type as spreadsheet columns with human headers and natural keys.

    Each import makes an ImportRun in before_import: every per-file state lives there, so one resource may import
    several files. Each row's cells are read once (before_import_row); the hooks after it use that reading."""

    # What one import knows of its file (StatisticResource adds the preferred figures' claims).
    run_class = ImportRun

    class Meta:
        abstract = True
        skip_unchanged = True
        # Every row has its result, in the order the rows are read: the preview numbers them from that order.
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader
        # With skip_diff off, the library copies every row's record and writes it and the imported record as cells
        # (its Diff), for every row of every import: it has no setting to do so only for the rows a preview shows.
        # skip_diff turns that off, and the library's skip_row with it: ours compares the values import_instance
        # keeps, and after_import writes the cells of the rows a preview shows (tests/test_import_design.py).
        skip_diff = True
        # Each row's result keeps its record: the preview writes a row's cells from it.
        store_instance = True
        # Rows exported in pages of this many, the records they name read once a page (filter_export). On SQLite,
        # Django prefetches a page's foreign keys as one OR per record: 2,000 made "Expression tree is too large"
        # on visit outcomes at seed_scale size.
        chunk_size = 500

    @classmethod
    def get_result_class(cls):
        return PreviewResult

    @classmethod
    def get_error_result_class(cls):
        return MessageOnlyError

    @cached_property
    def id_fields(self):
        return [self.fields[name] for name in self.get_import_id_fields()]

    # Import hooks, in the order the library calls them ---------------------------------------

    def before_import(self, dataset, **kwargs):
        """Refuse a file whose columns are not this record type's; start this file's ImportRun."""
        self.run = None
        if not dataset.headers and not len(dataset):
            # `export all` writes a record type with no records as a JSON file of none, '[]', which has no header
            # row to check: this type's file, empty, with nothing to import and nothing to refuse.
            dataset.headers = [field.column_name for field in self.fields.values()]
        dataset.headers = [cell_text(header) for header in dataset.headers or []]
        problems = self.header_problems(dataset.headers)
        if problems:
            # The library goes on to read every row after this hook refuses the file, each row
            # then failing for want of its columns: leave it no rows, so only the refusal shows.
            del dataset[:]
        # A key column added after files were exported (a figure's kind) may be missing from an older
        # file: its rows have the column's default, as a blank cell does.
        for field in self.id_fields:
            if field.column_name not in dataset.headers and field.default is not NOT_PROVIDED:
                dataset.append_col([""] * len(dataset), header=field.column_name)
        self.run = self.run_class(self, dataset, **kwargs)
        if problems:
            expected = ", ".join(f"“{field.column_name}”" for field in self.fields.values())
            raise ImportRefused(f"{' '.join(problems)} The columns of this file type are: {expected}.")

    def records_to_update(self, dataset):
        """The stored records the file's rows may name (NaturalKeyLoader reads them in one query), with their
        links, compared with the row's (skip_row)."""
        links = [field.attribute for field in self.run.links]
        return self.get_queryset().order_by().prefetch_related(*links, *self.prefetched)

    def before_import_row(self, row, **kwargs):
        """Read the row's cells, each once (ImportRun.read)."""
        # Whether this import is a preview: the library tells each row, not before_import.
        self.run.previewing = bool(kwargs.get("dry_run"))
        if self.run.progress is not None:
            self.run.progress.advance(done=kwargs["row_number"] - 1, refused=self.run.refused)
        self.run.read(row, kwargs.get("row_number"))

    def import_instance(self, instance, row, **kwargs):
        """Set the row's cells, as read in before_import_row, on its record, once its stored values are kept
        (skip_row, the preview). The links (many-to-many) are saved with save_m2m, but their cells' errors are
        given now, each under its column, with the others': the library reads them only when saving the links,
        where an unknown key is a server error instead of the cell's message."""
        reading = self.run.row
        if instance.pk is not None:
            reading.stored = self.run.values_of(instance)
        if self.run.change_reason is not None:
            instance._change_reason = self.run.change_reason
            instance._history_user = self.run.user
        for field, value in reading.values.items():
            if field not in self.run.links:
                setattr(instance, field.attribute, value)
        if reading.errors:
            raise ValidationError(reading.errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row leaving its stored record as it was (Meta.skip_unchanged), compared with the values kept before
        the row changed it (the library compares a copy of the record, which skip_diff spares)."""
        reading = self.run.row
        if import_validation_errors or reading.stored is None or not self._meta.skip_unchanged:
            return False
        if self.run.values_of(instance, reading) == reading.stored:
            return True
        self.run.keep_for_preview(reading)
        return False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The library's check (the model's full_clean), each error under its column's header."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            self.run.refused += 1
            raise ValidationError(
                {
                    (key if key == NON_FIELD_ERRORS else self.column_of(key)): messages
                    for key, messages in error.message_dict.items()
                }
            ) from None

    def save_m2m(self, instance, row, **kwargs):
        """The row's links, as read in before_import_row, saved into the version the record's save made: one
        version per row; then the other records the row saves after its own (RowReading.follows). Skipped where
        the library skips them (a dry run without a transaction, bulk writes)."""
        if self._meta.use_bulk or (kwargs.get("dry_run") and not kwargs.get("using_transactions")):
            return
        reading = self.run.row
        with one_history_entry(instance):
            for field in self.run.links:
                if field in reading.values:
                    getattr(instance, field.attribute).set(reading.values[field])
        for record, link in reading.follows:
            setattr(record, link, instance)
            record.save()

    def after_import(self, dataset, result, **kwargs):
        """Number the refused rows as the file does, in its order; write the cells of the rows a preview shows."""
        run = self.run
        # The library numbered the rows as it read them (ImportRun.order_rows).
        for error_row in result.error_rows:
            error_row.number = run.number_in_file(error_row.number)
            for error in error_row.errors:
                error.number = run.number_in_file(error.number)
        for invalid in result.invalid_rows:
            invalid.number = run.number_in_file(invalid.number)
        result.error_rows.sort(key=lambda error_row: error_row.number)
        result.invalid_rows.sort(key=lambda invalid: invalid.number)
        dry_run = kwargs.get("dry_run")
        if dry_run and not (result.has_errors() or result.has_validation_errors()):
            result.shown_rows = preview_rows(run, result.rows)
        super().after_import(dataset, result, **kwargs)
        if self._meta.use_bulk and not dry_run:
            # Bulk writes send no signals, which tell the page cache of each record saved: tell it once.
            records_changed()

    def after_export(self, queryset, dataset, **kwargs):
        # A workbook's sheet is named after the record type, not "Tablib Dataset".
        dataset.title = capfirst(str(self._meta.model._meta.verbose_name_plural))


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


class WordedDatesResource(RecordResource):
    """A record type with a date its source may give in words (`worded_dates`, each with its precision, beside the
    record's `date_wording`)."""

    run_class = WordedDatesRun
    worded_dates = ()

    class Meta(RecordResource.Meta):
        abstract = True

    def before_import(self, dataset, **kwargs):
        # A file with a date column but no precision column ('2024-05' typed in a short file): the date's precision
        # is read from what was typed, as from a blank precision cell, never taken as a day the source did not give.
        headers = [cell_text(header) for header in dataset.headers or []]
        for name in self.worded_dates:
            date, precision = self.fields[name].column_name, self.fields[f"{name}_precision"].column_name
            if date in headers and precision not in headers:
                dataset.append_col([""] * len(dataset), header=precision)
        super().before_import(dataset, **kwargs)
