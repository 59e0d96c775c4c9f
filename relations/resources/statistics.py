"""Indicators, and their figures: the largest table, imported in bulk with one version per row.

One file may move the preferred figure of a period from one source's figure to another's (the old
one marked "no", the new one "yes"), whatever the order of its rows; a file that would leave two
preferred figures for a period is refused.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.text import capfirst

from .. import models as records
from ..models.base import rule_message
from .base import PUBLISHED, SOURCED, RecordResource
from .columns import with_translations
from .run import ImportRun
from .widgets import PeriodDateWidget, StatedValueWidget, cell_text
from .writer import VersionedWriter

CHANGE_REASON = "Import"


class IndicatorResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Indicator
        fields = with_translations(
            records.Indicator,
            ("slug", "name", "description", "unit", "has_direction", "is_headline", "position", "topic"),
        )
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


class StatisticsRun(ImportRun):
    """An import of figures: the run of any file, and the claims of its figures to be the preferred one of their
    period. One file may move the preference from a stored figure to another figure, whatever the order of its rows:
    the figures it marks "no" are read before those it marks "yes" (ranks), so that a figure taking the preference
    from a stored one finds it released already (claim); it is written once that release is (written)."""

    def __init__(self, resource, dataset, **kwargs):
        self.preferred = resource.fields["is_preferred"]
        self.kind = resource.fields["kind"]
        super().__init__(resource, dataset, **kwargs)
        # The stored preferred figure of each group the file names: {group: id}.
        self.holders = records.Statistic.objects.filter(
            indicator__slug__in=resource.indicators_named(dataset)
        ).preferred_by_period()
        # The first figure of the file marked preferred, by group.
        self.claims = {}
        # Stored preferred figures the file marks not preferred; those of them written so.
        self.released = set()
        self.released_written = set()
        # Figures taking the preference from a stored one, by that one's id, until its release is written.
        self.waiting = {}
        self.waiting_ids = set()
        # The stored values of the figures the file changes, until they are written (changed_fields).
        self.stored = {}

    def ranks(self, dataset):
        """The rows marking a figure preferred last. Their cells are read here, once: read_cell takes them from here."""
        preferred = self.preferred
        if preferred.column_name not in dataset.headers:
            return super().ranks(dataset)
        column = self.preread[preferred] = []
        for cell in dataset[preferred.column_name]:
            try:
                column.append(preferred.clean({preferred.column_name: cell}))
            except ValueError as error:
                column.append(error)
        return [value is True for value in column]

    def read(self, row, row_number):
        reading = super().read(row, row_number)
        # A target or a change a file marks preferred (as files exported before the rule do) is stored cleared
        # (Statistic.clear_preference_unless_figure): read so, its row is unchanged rather than a change writing
        # a version of nothing.
        if self.preferred in reading.values and reading.values.get(self.kind) != records.Statistic.Kind.FIGURE:
            reading.values[self.preferred] = False
        return reading

    def claim(self, figure):
        """The errors of a figure the file cannot make the preferred one of its period ({} if it can)."""
        if figure.kind != records.Statistic.Kind.FIGURE or figure.period_kind == records.Statistic.PeriodKind.UNSTATED:
            # A figure of no stated period is never a point of a series (StatisticQuerySet.preferred): several
            # sources' such figures, each marked preferred, do not compete, nor does the database rule count them.
            return {}
        group = preferred_group(figure)
        holder = self.holders.get(group)
        if not figure.is_preferred:
            if holder is not None and holder == figure.pk:
                self.released.add(holder)
            return {}
        if self.claims.setdefault(group, figure) is not figure:
            return {"is_preferred": [self.resource.PREFERRED_TWICE]}
        if holder is None or holder == figure.pk:
            return {}
        if holder not in self.released:
            return {"is_preferred": [self.resource.PREFERRED_TWICE]}
        if holder not in self.released_written:
            self.waiting.setdefault(holder, []).append(figure)
            self.waiting_ids.add(id(figure))
        return {}

    def changed_fields(self, figures):
        """The columns the stored `figures` change, the only ones written: Django's bulk_update writes each column
        as a CASE with a branch for each row, and writing every column made a changed figure five times slower to
        import than a new one."""
        changed = set()
        for figure in figures:
            stored = self.stored.pop(id(figure), None)
            if stored is None:
                changed.update(field.attribute for field in self.fields)
                continue
            now = self.values_of(figure)
            for field, before, after in zip(self.fields, stored, now, strict=True):
                if before != after:
                    changed.add(field.attribute)
        fields = self.resource.get_bulk_update_fields()
        return [name for name in fields if name in changed] or fields

    def waits(self, figure):
        return id(figure) in self.waiting_ids

    def written(self, figures):
        """The figures waiting for the release of one of `figures`, just written."""
        freed = []
        for figure in figures:
            if figure.pk in self.released:
                self.released_written.add(figure.pk)
                freed.extend(self.waiting.pop(figure.pk, []))
        self.waiting_ids.difference_update(id(figure) for figure in freed)
        return freed


class StatisticResource(RecordResource):
    """Figures, written in bulk through simple-history's bulk helpers, checked without a query per row."""

    run_class = StatisticsRun

    class Meta(RecordResource.Meta):
        model = records.Statistic
        fields = with_translations(
            records.Statistic,
            (
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
                "wording",
                "equivalent_value",
                "equivalent_unit",
                "is_preferred",
                "note",
                *SOURCED,
                *PUBLISHED,
            ),
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

    # Headers of columns since renamed, still read from files exported before: {former: present}. The editors'
    # note was "Note" until readers had a note of their own ("Note for readers").
    FORMER_HEADERS = {"Note": "Note for editors"}

    @classmethod
    def widget_for(cls, django_field):
        """A period's dates may be typed as a year or a month (PeriodDateWidget); a rank's value as '24th'."""
        model = records.Statistic
        for start, end in model.PERIODS:
            if django_field.name == start:
                return PeriodDateWidget()
            if django_field.name == end:
                return PeriodDateWidget(start_column=capfirst(model._meta.get_field(start).verbose_name))
        if django_field.name == "value":
            kind = model._meta.get_field("kind")
            return StatedValueWidget(capfirst(kind.verbose_name), kind.choices, model.Kind.RANK)
        return super().widget_for(django_field)

    def export_ordering(self):
        """The key columns' order, a figure of no stated period (no dates) after the dated ones of its indicator
        and pair on every database (SQLite would put it first)."""
        periods = {name for period in records.Statistic.PERIODS for name in period}
        return [F(name).asc(nulls_last=True) if name in periods else name for name in super().export_ordering()]

    def before_import(self, dataset, **kwargs):
        headers = [cell_text(header) for header in dataset.headers or []]
        present = set(headers)
        dataset.headers = [
            self.FORMER_HEADERS[header]
            if header in self.FORMER_HEADERS and self.FORMER_HEADERS[header] not in present
            else header
            for header in headers
        ]
        super().before_import(dataset, **kwargs)

    def indicators_named(self, dataset):
        column = self.fields["indicator"].column_name
        return {cell_text(value) for value in dataset[column]} if len(dataset) else set()

    def records_to_update(self, dataset):
        """The figures of the indicators the file names, not the whole table."""
        return super().records_to_update(dataset).filter(indicator__slug__in=self.indicators_named(dataset))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, without the queries it would run for each row: the foreign keys were
        found among the stored records by their widgets, and the database rules are its clean()'s (the
        check constraints), the import's key (one figure per source and period) and the file's claims
        (one preferred figure per period: StatisticsRun.claim)."""
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
        if not errors:
            errors = self.run.claim(instance)
        super().validate_instance(instance, errors, validate_unique=False)
        if instance.pk is not None:
            self.run.stored[id(instance)] = self.run.row.stored

    # The library writes figures with the model manager's bulk_create and bulk_update, which give them no version,
    # with no hook to write them otherwise, nor to write one figure after another: both are replaced.

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_create, each figure with its version (VersionedWriter)."""
        self.write(self.create_instances, using_transactions, dry_run, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_update, each figure with its version (VersionedWriter)."""
        self.write(self.update_instances, using_transactions, dry_run, raise_errors, result)

    def write(self, pending, using_transactions, dry_run, raise_errors, result):
        """Write the pending figures, except those waiting for the release of a stored figure's preference (the
        database allows one preferred figure per period at every moment), then those it frees."""
        figures = [figure for figure in pending if not self.run.waits(figure)]
        pending.clear()
        if dry_run and not using_transactions:
            return  # as the library: nothing to roll the writes back
        try:
            while figures:
                self.write_now(figures, dry_run)
                figures = self.run.written(figures)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def write_now(self, figures, dry_run):
        new = [figure for figure in figures if figure.pk is None]
        stored = [figure for figure in figures if figure.pk is not None]
        fields = self.run.changed_fields(stored)
        writer = VersionedWriter(
            records.Statistic,
            user=self.run.user,
            reason=self.run.change_reason or CHANGE_REASON,
            date=timezone.now(),
            versions=not dry_run,
        )
        writer.create(new)
        writer.update(stored, set(fields))
