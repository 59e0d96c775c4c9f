"""Indicators, and their figures: the largest table, imported in bulk with one version per row.

One file may move the preferred figure of a period from one source's figure to another's (the old
one marked "no", the new one "yes"), whatever the order of its rows; a file that would leave two
preferred figures for a period is refused.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import models as records
from ..models.base import rule_message
from .base import PUBLISHED, SOURCED, RecordResource
from .widgets import cell_text

CHANGE_REASON = "Import"


class IndicatorResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Indicator
        fields = ("slug", "name", "description", "unit", "has_direction", "is_headline", "position", "topic")
        import_id_fields = ("slug",)


def preferred_group(statistic):
    """The indicator, relationship, period and direction a figure may be the preferred one of
    (the keys of StatisticQuerySet.preferred_by_period)."""
    return (
        statistic.indicator_id,
        statistic.relationship_id,
        statistic.period_start,
        statistic.period_end,
        statistic.from_country_id or 0,
        statistic.to_country_id or 0,
    )


class StatisticResource(RecordResource):
    """Figures, written in bulk through simple-history's bulk helpers, checked without a query per row."""

    class Meta(RecordResource.Meta):
        model = records.Statistic
        fields = (
            "indicator",
            "relationship",
            "kind",
            "period_kind",
            "period_start",
            "period_end",
            "from_country",
            "to_country",
            "stated_on",
            "stated_on_precision",
            "horizon_wording",
            "base_year",
            "qualifier",
            "value",
            "unit",
            "equivalent_value",
            "equivalent_unit",
            "is_preferred",
            "note",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = (
            "indicator",
            "relationship",
            "period_start",
            "period_end",
            "from_country",
            "to_country",
            "source",
            # One source may give a figure, a target and a change of one period.
            "kind",
        )
        use_bulk = True
        batch_size = 2000
        # validate_instance runs the model's full_clean itself, without the queries of each row.
        clean_model_instances = False

    PREFERRED_TWICE = rule_message(records.Statistic, "statistic_one_preferred_per_period")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.import_user = None
        # The stored preferred figure of each group the file names: {group: id}.
        self.preferred_holders = {}
        # The first figure of the file marked preferred, by group.
        self.file_claims = {}
        # Stored figures the file marks not preferred.
        self.released = set()
        # Figures taking the preference from a stored one: valid only if another row of the file
        # releases that one, and written after it. [(row number, row, row result, figure)]
        self.waiting_claims = []

    def before_import(self, dataset, **kwargs):
        self.import_user = kwargs.get("user")
        self.preferred_holders = {}
        self.file_claims = {}
        self.released = set()
        self.waiting_claims = []
        super().before_import(dataset, **kwargs)
        named = records.Statistic.objects.filter(indicator__slug__in=self.indicators_named(dataset))
        self.preferred_holders = named.preferred_by_period()

    def indicators_named(self, dataset):
        column = self.fields["indicator"].column_name
        return {cell_text(value) for value in dataset[column]} if len(dataset) else set()

    def records_to_update(self, dataset):
        """The figures of the indicators the file names, not the whole table."""
        return super().records_to_update(dataset).filter(indicator__slug__in=self.indicators_named(dataset))

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # Before the library compares the row with the stored record: a target or a change a file
            # marks preferred (as files exported before the rule do) is stored cleared (Statistic.clean),
            # so the row is unchanged rather than a change writing a version of nothing.
            instance.clear_preference_unless_figure()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, without the queries it would run for each row: the foreign keys were
        found among the stored records by their widgets, and the database rules are its clean()'s (the
        check constraints), the import's key (one figure per source and period) and the claims below
        (one preferred figure per period)."""
        errors = dict(import_validation_errors or {})
        found = [
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one and getattr(instance, field.attname) is not None
        ]
        try:
            instance.full_clean(exclude=[*errors, *found], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors and instance.is_preferred and instance.kind == records.Statistic.Kind.FIGURE:
            first = self.file_claims.setdefault(preferred_group(instance), instance)
            if first is not instance:
                errors["is_preferred"] = [self.PREFERRED_TWICE]
        super().validate_instance(instance, errors, validate_unique=False)

    def after_import_row(self, row, row_result, **kwargs):
        """Note the preference each written figure takes or gives up."""
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type not in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            return
        statistic = row_result.record
        if statistic.kind != records.Statistic.Kind.FIGURE:
            return
        holder = self.preferred_holders.get(preferred_group(statistic))
        if holder is None or holder == statistic.pk:
            if not statistic.is_preferred and holder is not None:
                self.released.add(holder)
        elif statistic.is_preferred:
            self.waiting_claims.append((kwargs["row_number"], row, row_result, statistic))

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_create, through simple-history's, so each figure gets its version."""
        if using_transactions or not dry_run:
            self.write(bulk_create_with_history, self.create_instances, result, raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_update, through simple-history's, so each figure gets its version."""
        if using_transactions or not dry_run:
            self.write(bulk_update_with_history, self.update_instances, result, raise_errors)
        self.update_instances.clear()

    def write(self, helper, statistics, result, raise_errors):
        # A figure taking the preference from a stored one is written after it, in after_import:
        # the database allows one preferred figure per period at every moment.
        waiting = {id(claim) for *_, claim in self.waiting_claims}
        ready = [statistic for statistic in statistics if id(statistic) not in waiting]
        if not ready:
            return
        try:
            if self.previewing:
                # A preview's writes, rolled back, only let the database check its rules: the figures are
                # written as the library writes them, without the versions a confirmed import gives them.
                self.write_without_versions(helper, ready)
                return
            options = {
                "default_user": self.import_user,
                "default_change_reason": CHANGE_REASON,
                "default_date": timezone.now(),
            }
            if helper is bulk_update_with_history:
                options["fields"] = self.get_bulk_update_fields()
            helper(ready, records.Statistic, batch_size=self._meta.batch_size, **options)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def write_without_versions(self, helper, statistics):
        manager = records.Statistic.objects
        if helper is bulk_update_with_history:
            manager.bulk_update(statistics, self.get_bulk_update_fields(), batch_size=self._meta.batch_size)
        else:
            manager.bulk_create(statistics, batch_size=self._meta.batch_size)

    def after_import(self, dataset, result, **kwargs):
        """Refuse the figures claiming a preference the file leaves with a stored figure; write the others."""
        for number, row, row_result, statistic in self.waiting_claims:
            if self.preferred_holders[preferred_group(statistic)] not in self.released:
                refuse_row(result, number, row, row_result, {self.column_of("is_preferred"): [self.PREFERRED_TWICE]})
        if self.waiting_claims and not (result.has_errors() or result.has_validation_errors()):
            written = kwargs.get("using_transactions") or not kwargs.get("dry_run")
            claims = {RowResult.IMPORT_TYPE_NEW: [], RowResult.IMPORT_TYPE_UPDATE: []}
            for *_, row_result, statistic in self.waiting_claims:
                claims[row_result.import_type].append(statistic)
            self.waiting_claims = []
            if written:
                self.write(bulk_create_with_history, claims[RowResult.IMPORT_TYPE_NEW], result, raise_errors=False)
                self.write(bulk_update_with_history, claims[RowResult.IMPORT_TYPE_UPDATE], result, raise_errors=False)
        super().after_import(dataset, result, **kwargs)


def refuse_row(result, number, row, row_result, errors):
    """Mark a row that passed its own checks as invalid, once the whole file shows it cannot stand. `number` is
    the library's, as for every other row (messages and pages show relations.formats.spreadsheet_row of it)."""
    error = ValidationError(errors)
    result.totals[row_result.import_type] -= 1
    row_result.import_type = RowResult.IMPORT_TYPE_INVALID
    row_result.validation_error = error
    result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
    result.append_invalid_row(number, row, error)
    result.invalid_rows.sort(key=lambda invalid: invalid.number)
