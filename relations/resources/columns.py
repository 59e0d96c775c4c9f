"""A record type's columns: headed by each field's verbose name, read and written by the cell widgets,
other records named by natural key, and the header row of a file checked against them."""

from collections import Counter

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.utils.text import capfirst
from import_export import fields

from .. import models as records
from .widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    IsoCodeWidget,
    MeetingWidget,
    NaturalKeyManyWidget,
    NaturalKeyWidget,
    PlainDecimalWidget,
    SlugWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
)

# Unknown columns named in a refusal: enough to recognise a wrong file, short enough to read.
UNKNOWN_COLUMNS_SHOWN = 10


def natural_key_field(model):
    return "code" if model is records.Country else "slug"


class NaturalKeyField(fields.Field):
    """A column naming another record, read by id through its widget's records.

    The library reads every column of a row's stored record to compare it with the row and show
    it in the preview; through the record's attribute that would fetch the other record again,
    a query for each row and column."""

    def __init__(self, *args, attname, **kwargs):
        super().__init__(*args, **kwargs)
        self.attname = attname

    def get_value(self, instance):
        return self.widget.with_pk(getattr(instance, self.attname))


class RecordColumns:
    """The columns of a ModelResource (mixed in before it): one per field, headed by its verbose name,
    with the widget its kind of field takes, and the rows exported in the order of their natural keys."""

    @classmethod
    def widget_for(cls, django_field):
        if django_field.many_to_many:
            return NaturalKeyManyWidget(django_field.related_model, natural_key_field(django_field.related_model))
        if django_field.many_to_one:
            if django_field.related_model is records.CouncilMeeting:
                return MeetingWidget()
            return NaturalKeyWidget(django_field.related_model, natural_key_field(django_field.related_model))
        if django_field.choices:
            return ChoiceWidget(django_field.choices)
        if isinstance(django_field, models.SlugField):
            return SlugWidget()
        if django_field.model is records.Country and django_field.name == "code":
            return IsoCodeWidget()
        if isinstance(django_field, models.DateField):
            return DateWidget(partial=f"{django_field.name}_precision" in django_field.model.__dict__)
        if isinstance(django_field, models.DecimalField):
            return PlainDecimalWidget()
        if isinstance(django_field, models.BooleanField):
            return YesNoWidget()
        if isinstance(django_field, models.IntegerField):
            return IntegerWidget()
        return TextWidget()

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """Each column headed by its field's verbose name ('Sending country'), read by our widgets."""
        options = {
            "attribute": field_name,
            "column_name": capfirst(django_field.verbose_name),
            "widget": cls.widget_for(django_field),
            "readonly": readonly,
            "default": NOT_PROVIDED if django_field.default is NOT_PROVIDED else django_field.get_default(),
        }
        if django_field.many_to_one:
            return NaturalKeyField(attname=django_field.attname, **options)
        return fields.Field(**options)

    def columns_naming_own_type(self):
        """Columns naming another record of the same type: an organization's family, a source reported in another."""
        model = self._meta.model
        return [
            field
            for field in self.fields.values()
            if isinstance(field.widget, NaturalKeyWidget) and field.widget.model is model
        ]

    def put_parents_first(self, dataset):
        """Rows naming a parent in the same file come after the rows without one, so the parent exists.
        Returns each row's number in the file (first record 1), in the new order: the library numbers
        the rows as it reads them, and messages must name the row the editor sees."""
        numbers = list(range(1, len(dataset) + 1))
        for field in self.columns_naming_own_type():
            if field.column_name in dataset.headers:
                column = dataset.headers.index(field.column_name)
                rows = list(dataset)
                order = sorted(range(len(rows)), key=lambda index: bool(cell_text(rows[index][column])))
                if order != sorted(order):
                    headers = dataset.headers
                    dataset.wipe()
                    dataset.headers = headers
                    for index in order:
                        dataset.append(rows[index])
                    numbers = [numbers[index] for index in order]
        return numbers

    def column_of(self, attribute):
        """The header of the column writing `attribute` (an error on `meeting` belongs to 'Meeting')."""
        for field in self.fields.values():
            if field.attribute == attribute and not field.readonly:
                return field.column_name
        return attribute

    def required_columns(self):
        model = self._meta.model
        # A key column with a default (a figure's kind, added later) may be left out, as by older files.
        required = [field.column_name for field in self.id_fields if field.default is NOT_PROVIDED]
        for field in self.get_import_fields():
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if not (model_field.blank or model_field.has_default() or model_field.many_to_many):
                required.append(field.column_name)
        return list(dict.fromkeys(required))

    def header_problems(self, headers):
        """Why a file's header row cannot be imported: unknown, missing or repeated columns."""
        known = [field.column_name for field in self.fields.values()]
        unknown = [header for header in headers if header not in known]
        missing = [column for column in self.required_columns() if column not in headers]
        repeated = [header for header, count in Counter(headers).items() if count > 1 and header in known]
        problems = []
        if unknown:
            named = ", ".join(f"“{header}”" for header in unknown[:UNKNOWN_COLUMNS_SHOWN])
            more = len(unknown) - UNKNOWN_COLUMNS_SHOWN
            problems.append(f"Unknown columns: {named}" + (f" and {more} more." if more > 0 else "."))
        if missing:
            problems.append("Missing columns: " + ", ".join(f"“{column}”" for column in missing) + ".")
        for header in repeated:
            problems.append(f"The column “{header}” appears more than once: keep one.")
        return problems

    def filter_export(self, queryset, **kwargs):
        """Rows in the order of their natural keys, the same on every site whatever the database ids,
        with their many-to-many values read in one query per field."""
        many = [field.name for field in self._meta.model._meta.many_to_many]
        queryset = super().filter_export(queryset, **kwargs).prefetch_related(*many)
        return queryset.order_by(*self.export_ordering())

    def export_ordering(self):
        ordering = []
        for field in self.id_fields:
            model_field = self._meta.model._meta.get_field(field.attribute)
            if model_field.related_model is records.CouncilMeeting:
                ordering += [f"{field.attribute}__council__slug", f"{field.attribute}__number"]
            elif model_field.many_to_one:
                ordering.append(f"{field.attribute}__{natural_key_field(model_field.related_model)}")
            else:
                ordering.append(field.attribute)
        return ordering
