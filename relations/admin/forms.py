"""The admin's forms: the import and export forms, and every record's form with its dates typed as known."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget
from django.db import models
from django.utils.translation import gettext as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .. import history
from ..dates import DATE_HINT, Precision, coarser, last_day, parse_partial_date, parse_whole_date, typed_form
from ..formats import MB


class ImportFileForm(ImportForm):
    """The library's upload form, with a size limit stated in words."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s MB; files of up to %(limit)s MB can be imported. Split it into smaller files.")
                % {"size": f"{upload.size / MB:.1f}", "limit": f"{limit / MB:.0f}"}
            )
        return upload


class ExportFileForm(SelectableFieldsExportForm):
    """The library's export form, CSV chosen to start with and each column named as the file names it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        format_field = self.fields["format"]
        format_field.choices = [(value, title) for value, title in format_field.choices if value]
        format_field.initial = "0"
        for resource in resources:
            columns = resource().fields
            for name in resource().get_export_order():
                self.fields[self.create_boolean_field_name(resource, name)].label = columns[name].column_name


class PartialDateField(forms.DateField):
    """A date as editors type it: '2012', 'March 2024', '2024-03', '29.07.2025', '29/07/2025', '2025-07-29'.
    Day first, never month first: Django's own date field would read '05/03/2024' as 3 May."""

    widget = AdminDateWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return self.parse(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def parse(self, text):
        return parse_partial_date(text)[0]


class WholeDateField(PartialDateField):
    """A date kept without a precision: typed day first like the others, and known to the day."""

    def parse(self, text):
        return parse_whole_date(text)


def partial_dates(model):
    """The date fields of a model stored with a precision beside them (`start_date` and `start_date_precision`)."""
    names = {field.name for field in model._meta.fields}
    return [
        field.name
        for field in model._meta.fields
        if isinstance(field, models.DateField) and f"{field.name}_precision" in names
    ]


class RecordForm(forms.ModelForm):
    """The admin's form of every record.

    - Its many-to-many values (topics, co-chairs, members) are saved into the same version as its other
      fields, and on an earlier version's Revert page they are offered from that version.
    - A date with a precision is typed as it is known ('2012', 'March 2024', '29.07.2025'), shown at its
      precision, and its precision follows from what was typed unless a coarser one is chosen.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        links = history.restored_links(self.instance)
        if links and not self.is_bound:
            self.initial.update({name: ids for name, ids in links.items() if name in self.fields})
        model = self._meta.model
        periods = {name for period in getattr(model, "PERIODS", ()) for name in period}
        for name in partial_dates(model):
            if name not in self.fields:
                continue
            self.fields[name] = self.typed_date_field(PartialDateField, self.fields[name])
            precision = self.fields.get(f"{name}_precision")
            if precision is not None:
                precision.required = False
                precision.choices = [("", _("As typed")), *Precision.choices]
                precision.help_text = _("Left at “As typed”, it follows from the date: '2012' is a year.")
            if not self.is_bound:
                # A new record's precision starts at "As typed" too, as its help says.
                self.initial[f"{name}_precision"] = ""
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = typed_form(value, getattr(self.instance, f"{name}_precision"))
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField) and not isinstance(field, PartialDateField):
                kind = PartialDateField if name in periods else WholeDateField
                self.fields[name] = self.typed_date_field(kind, field)

    @staticmethod
    def typed_date_field(kind, field):
        return kind(label=field.label, required=field.required, help_text=DATE_HINT, widget=field.widget)

    def clean(self):
        cleaned = super().clean()
        for name in partial_dates(self._meta.model):
            field = f"{name}_precision"
            if name not in self.fields or field not in self.fields:
                continue
            chosen = cleaned.get(field)
            if not cleaned.get(name):
                # No date, nothing to follow: the stored precision is the model's own default.
                cleaned[field] = chosen or self._meta.model._meta.get_field(field).default
                continue
            cleaned[field] = coarser(self.typed_precision(name), chosen) if chosen else self.typed_precision(name)
        for start, end in getattr(self._meta.model, "PERIODS", ()):
            self.fill_period(cleaned, start, end)
        return cleaned

    def typed_precision(self, name):
        """How precisely the editor typed the date of field `name` ('2012': a year)."""
        data = self[name].data
        return parse_partial_date(data)[1] if isinstance(data, str) and data.strip() else Precision.DAY

    def fill_period(self, cleaned, start, end):
        """A period typed as a year or a month covers it: '2012' as the start runs to 31 December 2012
        when no end is given, and '2012' or 'March 2024' as the end is its last day."""
        if start not in self.fields or end not in self.fields or not cleaned.get(start):
            return
        if cleaned.get(end):
            cleaned[end] = last_day(cleaned[end], self.typed_precision(end))
        elif not self[end].data:
            cleaned[end] = last_day(cleaned[start], self.typed_precision(start))

    def save(self, commit=True):
        instance = super().save(commit=False)
        save_links = self.save_m2m

        def save_links_in_the_same_version():
            with history.one_history_entry(instance):
                save_links()

        self.save_m2m = save_links_in_the_same_version
        if commit:
            instance.save()
            self.save_m2m()
        return instance
