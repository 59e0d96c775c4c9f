"""A record type's columns: headed by each field's verbose name, read and written by the cell widgets,
other records named by natural key, and the header row of a file checked against them."""

from collections import Counter

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.utils import translation
from django.utils.text import capfirst
from import_export import fields

from .. import languages
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
)

# Unknown columns named in a refusal: enough to recognise a wrong file, short enough to read.
UNKNOWN_COLUMNS_SHOWN = 10


def with_translations(model, names):
    """The columns `names` of `model`'s file with those of their translations ('Name (tr)', 'Name (kk)',
    'Name (ru)', relations.languages), which come after all the others (RecordColumns.get_export_order).
    Optional: a file without them imports as it did."""
    translations = [
        f"{name}_{code}"
        for name in names
        for code in languages.OTHERS
        if any(field.name == f"{name}_{code}" for field in model._meta.concrete_fields)
    ]
    return (*names, *translations)


def natural_key_field(model):
    return "code" if model is records.Country else "slug"


class RecordColumns:
    """The columns of a ModelResource (mixed in before it): one per field, headed by its verbose name,
    with the widget its kind of field takes, and the rows exported in the order of their natural keys."""

    # Other records read with each record, for its export and to compare a row with it (a relationship's levels).
    prefetched = ()

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
        """Each column headed by its field's verbose name ('Sending country'), read by our widgets. Headed in
        English whatever the editor's language: a file exported from the Turkish admin imports in the Russian one."""
        with translation.override(languages.DEFAULT):
            column_name = str(capfirst(django_field.verbose_name))
        options = {
            "attribute": field_name,
            "column_name": column_name,
            "widget": cls.widget_for(django_field),
            "readonly": readonly,
            "default": NOT_PROVIDED if django_field.default is NOT_PROVIDED else django_field.get_default(),
        }
        return fields.Field(**options)

    def get_export_order(self):
        """The columns in the library's order, the translations' last: every other column keeps the place it had
        in files from before records had translations."""
        order = super().get_export_order()
        return (
            *[name for name in order if not languages.is_translation(name)],
            *filter(languages.is_translation, order),
        )

    def columns_naming_own_type(self):
        """Columns naming another record of the same type: an organization's family, a source reported in another."""
        model = self._meta.model
        return [
            field
            for field in self.fields.values()
            if isinstance(field.widget, NaturalKeyWidget) and field.widget.model is model
        ]

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
        """Rows in the order of their natural keys, the same on every site whatever the database ids, with the
        records their columns name and their many-to-many values read in one query per column and page of rows
        (Meta.chunk_size): a record named by a thousand rows is read once, not joined to each."""
        many = [field.name for field in self._meta.model._meta.many_to_many]
        queryset = super().filter_export(queryset, **kwargs).order_by(*self.export_ordering())
        return queryset.prefetch_related(*self.named_records(), *many, *self.prefetched)

    def named_records(self):
        """The paths of the other records the columns name (a meeting's council too: its column names it)."""
        paths = []
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                paths.append(field.attribute)
                if isinstance(field.widget, MeetingWidget):
                    paths.append(f"{field.attribute}__council")
        return list(dict.fromkeys(paths))

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
