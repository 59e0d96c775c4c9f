"""Import and export of every record type, with natural keys instead of database ids.

Columns carry human headers; other records are named by ISO code, slug,
or council slug plus meeting number, so a file exported from one site imports
into another. A file with any bad row, an unknown column or a missing column is
refused whole, with one message per bad row naming the row, the column and why.
"""

import contextlib
import datetime
import logging
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from django.utils.text import capfirst
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, RowResult

from . import models as records
from .cache import records_changed
from .formats import escape_formula, unescape_formula
from .history import one_history_entry
from .text import slugify_name

logger = logging.getLogger(__name__)

M2M_SEPARATOR = ","

# Unknown columns named in a refusal: enough to recognise a wrong file, short enough to read.
UNKNOWN_COLUMNS_SHOWN = 10


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (unknown, missing or repeated columns)."""


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


# ---------------------------------------------------------------------------
# Widgets: one cell to one value, with pinned formats (ISO dates, decimal point)
# ---------------------------------------------------------------------------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
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

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IsoDateWidget(widgets.Widget):
    """Dates as YYYY-MM-DD whatever the language of the site or the spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10] if re.match(r"\d{4}-\d\d-\d\dT", text) else text)
        except ValueError:
            raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD, such as 1992-03-02.") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class PlainDecimalWidget(widgets.Widget):
    """Numbers with a decimal point (or a Turkish decimal comma), never thousands separators."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        text = cell_text(value).replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"“{cell_text(value)}” is not a number: write digits with a decimal point and no thousands "
                "separators, such as 202860000000 or 1.5."
            ) from None
        if not number.is_finite():
            raise ValueError(f"“{text}” is not a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"“{text}” is not a whole number.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    TRUE = {"1", "yes", "true", "y", "x", "evet"}
    FALSE = {"0", "no", "false", "n", "hayır", "hayir"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE or not text:
            return False
        raise ValueError(f"“{cell_text(value)}” is not yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Another record named by its natural key, looked up once per import from a cache."""

    def __init__(self, model, field="slug"):
        super().__init__(model, field=field)
        self._by_key = None

    def reset(self):
        self._by_key = None

    def key(self, text):
        return text.upper() if self.field == "code" else text

    def lookup(self):
        if self._by_key is None:
            self._by_key = {str(getattr(obj, self.field)): obj for obj in self.model._default_manager.all()}
        return self._by_key

    def find(self, text):
        try:
            return self.lookup()[self.key(text)]
        except KeyError:
            label = "ISO code" if self.field == "code" else self.field
            raise ValueError(f"No {self.model._meta.verbose_name} has the {label} “{text}”.") from None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        return self.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class NaturalKeyManyWidget(widgets.ManyToManyWidget):
    """Several records in one cell, by natural key, separated by commas: 'energy, trade'."""

    def __init__(self, model, field="slug"):
        super().__init__(model, separator=M2M_SEPARATOR, field=field)
        self.single = NaturalKeyWidget(model, field)

    def reset(self):
        self.single.reset()

    def clean(self, value, row=None, **kwargs):
        keys = [part.strip() for part in cell_text(value).split(M2M_SEPARATOR) if part.strip()]
        found, unknown = [], []
        for key in keys:
            try:
                found.append(self.single.find(key))
            except ValueError:
                unknown.append(key)
        if unknown:
            names = ", ".join(f"“{key}”" for key in unknown)
            raise ValueError(f"No {self.model._meta.verbose_name_plural} with these keys: {names}.")
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{M2M_SEPARATOR} ".join(sorted(str(getattr(item, self.field)) for item in value.all()))


class MeetingWidget(NaturalKeyWidget):
    """A council meeting named by its number, with the council slug read from the 'Council' column."""

    def __init__(self):
        super().__init__(records.CouncilMeeting, field="number")

    def lookup(self):
        if self._by_key is None:
            meetings = records.CouncilMeeting.objects.select_related("council")
            self._by_key = {(meeting.council.slug, meeting.number): meeting for meeting in meetings}
        return self._by_key

    def clean(self, value, row=None, **kwargs):
        number = cell_text(value)
        council = cell_text((row or {}).get("Council"))
        if not number and not council:
            return None
        try:
            return self.lookup()[(council, int(number))]
        except (KeyError, ValueError):
            raise ValueError(f"The council “{council}” has no meeting number “{number}”.") from None


# ---------------------------------------------------------------------------
# Finding the existing record of a row, with one query for the whole file
# ---------------------------------------------------------------------------


def identity_value(value):
    return value.pk if isinstance(value, models.Model) else value


class NaturalKeyLoader(BaseInstanceLoader):
    """Loads the records the file may update in one query, keyed by the import id columns."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.by_identity = None

    def identity(self, row):
        return self.resource.row_identity(row)

    def stored_identity(self, instance):
        values = []
        for field in self.resource.id_fields():
            model_field = instance._meta.get_field(field.attribute)
            values.append(getattr(instance, model_field.attname))
        return tuple(values)

    def load(self):
        queryset = self.resource.get_queryset().order_by()
        first = self.resource.id_fields()[0]
        model_field = queryset.model._meta.get_field(first.attribute)
        if model_field.many_to_one and self.dataset is not None:
            # Statistics of the indicators in the file, not the whole table.
            named = set()
            for row in self.dataset.dict:
                try:
                    named.add(identity_value(first.clean(row)))
                except ValueError:
                    continue
            queryset = queryset.filter(**{f"{model_field.attname}__in": named})
        self.by_identity = {self.stored_identity(instance): instance for instance in queryset}

    def get_instance(self, row):
        if self.by_identity is None:
            self.load()
        try:
            return self.by_identity.get(self.identity(row))
        except ValueError:
            # An unreadable key: the row is new, and its field errors say why.
            return None


class NamedLaterRowResult(RowResult):
    """A row's result that names its record only when asked (for the admin's log), not for every row."""

    def __init__(self):
        self._record = None
        self._object_repr = None
        super().__init__()

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = instance.pk
            self._record = instance

    @property
    def object_repr(self):
        if self._object_repr is None and self._record is not None:
            self._object_repr = str(self._record)
        return self._object_repr

    @object_repr.setter
    def object_repr(self, value):
        self._object_repr = value


class MessageOnlyError(Error):
    """An import error as the editor sees it: its message, without the server's traceback,
    which the admin's import page would otherwise print, file paths included. An error that is not
    one of the file's (a fault of ours) goes to the log with its traceback instead."""

    traceback = ""

    def __init__(self, error, row=None, number=None):
        super().__init__(error, row, number)
        if not isinstance(error, (ValidationError, ImportRefused, ValueError, LookupError)):
            logger.error("Import row failed on an unexpected error: %r", error, exc_info=error)


# ---------------------------------------------------------------------------
# The shared resource
# ---------------------------------------------------------------------------


class RecordResource(resources.ModelResource):
    """A record type as spreadsheet columns with human headers and natural keys."""

    # Columns whose text gives a slug when the Slug cell is left blank.
    slug_from = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The first row naming each record, so a later row naming it again is refused.
        self.seen_rows = {}

    @classmethod
    def get_row_result_class(cls):
        return NamedLaterRowResult

    @classmethod
    def get_error_result_class(cls):
        return MessageOnlyError

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader

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
        if isinstance(django_field, models.DateField):
            return IsoDateWidget()
        if isinstance(django_field, models.DecimalField):
            return PlainDecimalWidget()
        if isinstance(django_field, models.BooleanField):
            return YesNoWidget()
        if isinstance(django_field, models.IntegerField):
            return IntegerWidget()
        return TextWidget()

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return fields.Field(
            attribute=field_name,
            column_name=capfirst(django_field.verbose_name),
            widget=cls.widget_for(django_field),
            readonly=readonly,
            default=NOT_PROVIDED if django_field.default is NOT_PROVIDED else django_field.get_default(),
        )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            # Bulk writes send no signals: tell the page cache explicitly.
            records_changed()

    def filter_export(self, queryset, **kwargs):
        # Natural keys of related records are read from joined rows, not with a query per row.
        model = self._meta.model
        related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        many = [f.name for f in model._meta.many_to_many]
        queryset = super().filter_export(queryset, **kwargs).select_related(*related).prefetch_related(*many)
        return queryset.order_by(*self.export_ordering())

    def export_ordering(self):
        """Rows in the order of their natural keys, the same on every site whatever the database ids."""
        ordering = []
        for name in self.get_import_id_fields():
            model_field = self._meta.model._meta.get_field(self.fields[name].attribute)
            if model_field.related_model is records.CouncilMeeting:
                ordering += [f"{name}__council__slug", f"{name}__number"]
            elif model_field.many_to_one:
                ordering.append(f"{name}__{natural_key_field(model_field.related_model)}")
            else:
                ordering.append(name)
        return ordering

    # Export --------------------------------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # The library works out the columns, and each one's dehydrate method, again for every row:
        # work them out once per export (a third of the time of a large export).
        key = tuple(selected_fields) if selected_fields else None
        plans = self.__dict__.setdefault("_export_plans", {})
        if key not in plans:
            plans[key] = [(field, self.dehydrate_method(field)) for field in self.get_export_fields(selected_fields)]
        return [
            escape_formula(method(instance) if method else field.export(instance, **kwargs))
            for field, method in plans[key]
        ]

    def dehydrate_method(self, field):
        """The resource's `dehydrate_<field>` for a column, if it has one (as the library finds it)."""
        method = field.get_dehydrate_method(self.get_field_name(field))
        return method if callable(method) else getattr(self, method, None)

    # Import --------------------------------------------------------------

    def column_of(self, attribute):
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def required_columns(self):
        model = self._meta.model
        required = [self.fields[name].column_name for name in self.get_import_id_fields()]
        for field in self.get_import_fields():
            try:
                model_field = model._meta.get_field(field.attribute)
            except Exception:
                continue
            if not (model_field.blank or model_field.has_default() or model_field.many_to_many):
                required.append(field.column_name)
        return list(dict.fromkeys(required))

    def before_import(self, dataset, **kwargs):
        self.seen_rows = {}
        for field in self.fields.values():
            if hasattr(field.widget, "reset"):
                field.widget.reset()
        dataset.headers = [cell_text(header) for header in dataset.headers or []]
        problems = self.header_problems(dataset.headers)
        if problems:
            # The library goes on to read every row after this hook refuses the file, each row
            # then failing for want of its columns: leave it no rows, so only the refusal shows.
            del dataset[:]
            expected = ", ".join(f"“{field.column_name}”" for field in self.fields.values())
            raise ImportRefused(f"{' '.join(problems)} The columns of this file type are: {expected}.")
        self.put_parents_first(dataset)

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

    def put_parents_first(self, dataset):
        """Rows naming a parent in the same file come after the rows without one, so the parent exists."""
        for field in self.fields.values():
            widget = field.widget
            self_referential = isinstance(widget, NaturalKeyWidget) and widget.model is self._meta.model
            if self_referential and field.column_name in dataset.headers:
                column = dataset.headers.index(field.column_name)
                rows = sorted(dataset, key=lambda values: bool(cell_text(values[column])))
                if rows != list(dataset):
                    headers = dataset.headers
                    dataset.wipe()
                    dataset.headers = headers
                    for values in rows:
                        dataset.append(values)

    def before_import_row(self, row, **kwargs):
        if "Slug" in row and not cell_text(row["Slug"]):
            source = next((cell_text(row.get(column)) for column in self.slug_from if cell_text(row.get(column))), "")
            row["Slug"] = slugify_name(source)[:120]

    def import_instance(self, instance, row, **kwargs):
        """Every column's value set on the record, each bad cell giving its own error.

        What the library's import_instance does, in one loop per row instead of four calls per cell,
        reusing the key columns already read to find the record; unknown many-to-many keys are
        reported here too, not dropped when the links are saved.
        """
        errors = {}
        identity = self._identity_values if row is getattr(self, "_identity_row", None) else {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            try:
                if field.attribute in identity:
                    value = identity[field.attribute]
                else:
                    value = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = [str(error)]
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue  # linked by save_m2m once the record is saved
            if value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
        if "slug" in self.fields and not getattr(instance, "slug", "x"):
            errors["slug"] = ["Give each row a slug, so that importing the file again updates the same record."]
        first = self.first_row_naming(row, kwargs.get("row_number"))
        if first:
            errors[NON_FIELD_ERRORS] = [f"This row names the same record as row {first}."]
        if errors:
            raise ValidationError(errors)

    def get_import_fields(self):
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def id_fields(self):
        if not hasattr(self, "_id_fields"):
            self._id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        return self._id_fields

    def row_identity(self, row):
        """The values of the import id columns, worked out once per row."""
        if getattr(self, "_identity_row", None) is not row:
            self._identity_row = None
            self._identity_values = {field.attribute: field.clean(row) for field in self.id_fields()}
            self._identity = tuple(identity_value(value) for value in self._identity_values.values())
            self._identity_row = row
        return self._identity

    def save_m2m(self, instance, row, **kwargs):
        with one_history_entry(instance):
            super().save_m2m(instance, row, **kwargs)

    def first_row_naming(self, row, number):
        """The earlier row of the file naming the same record, which this row would silently overwrite."""
        try:
            identity = self.row_identity(row)
        except ValueError:
            return None
        first = self.seen_rows.setdefault(identity, number)
        return first if first != number else None

    def after_init_instance(self, instance, new, row, **kwargs):
        # The stored values, kept cheaply (no deep copy) to tell an unchanged row.
        self.stored_values = (
            None if new else {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when every column holds what is stored, compared by id, without a query per foreign key."""
        if import_validation_errors or self.stored_values is None:
            return False
        for field in self.get_import_fields():
            if field.attribute is None or field.column_name not in row:
                continue
            model_field = instance._meta.get_field(field.attribute)
            if model_field.many_to_many:
                wanted = sorted(item.pk for item in field.clean(row))
                stored = sorted(getattr(instance, model_field.name).values_list("pk", flat=True))
                if wanted != stored:
                    return False
            elif getattr(instance, model_field.attname) != self.stored_values[model_field.attname]:
                return False
        return True

    def after_save_instance(self, instance, row, **kwargs):
        # A record may name another of the same file as its parent (an organization's family).
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, NaturalKeyWidget) and widget.model is type(instance) and widget._by_key is not None:
                widget._by_key[widget.key(str(getattr(instance, widget.field)))] = instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    (key if key == NON_FIELD_ERRORS else self.column_of(key)): messages
                    for key, messages in error.message_dict.items()
                }
            ) from None


def natural_key_field(model):
    return "code" if model is records.Country else "slug"


# ---------------------------------------------------------------------------
# One resource per record type, in the order a full import needs them
# ---------------------------------------------------------------------------


class CountryResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Country
        fields = ("code", "name", "official_name", "adjective", "slug")
        import_id_fields = ("code",)

    def before_import_row(self, row, **kwargs):
        if cell_text(row.get("ISO code")):
            row["ISO code"] = cell_text(row["ISO code"]).upper()
        if "Slug" in row and not cell_text(row["Slug"]):
            row["Slug"] = slugify_name(cell_text(row.get("Short name")))


class SourceResource(RecordResource):
    slug_from = ("Title",)

    class Meta(RecordResource.Meta):
        model = records.Source
        fields = ("slug", "title", "publisher", "url", "published_on", "retrieved_on", "reported_in")
        import_id_fields = ("slug",)


class TopicResource(RecordResource):
    slug_from = ("Name",)

    class Meta(RecordResource.Meta):
        model = records.Topic
        fields = ("slug", "name", "description")
        import_id_fields = ("slug",)


class PlaceResource(RecordResource):
    slug_from = ("Current name",)

    class Meta(RecordResource.Meta):
        model = records.Place
        fields = ("slug", "name", "country", "is_capital", "latitude", "longitude")
        import_id_fields = ("slug",)


class PlaceNameResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.PlaceName
        fields = ("place", "name", "kind", "start_year", "end_year")
        import_id_fields = ("place", "name")


class PersonResource(RecordResource):
    slug_from = ("Name",)

    class Meta(RecordResource.Meta):
        model = records.Person
        fields = ("slug", "name", "country", "role", "in_office_since", "in_office_since_precision", "source")
        import_id_fields = ("slug",)


SOURCED = ("source", "quote")
PUBLISHED = ("publication_status",)


class RelationshipResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Relationship
        fields = (
            "slug",
            "country_a",
            "country_b",
            "established_on",
            "established_on_precision",
            "level",
            "level_since",
            "summary",
            *SOURCED,
        )
        import_id_fields = ("slug",)


class VisitResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Visit
        fields = (
            "slug",
            "guest",
            "host",
            "country",
            "place",
            "start_date",
            "start_date_precision",
            "end_date",
            "kind",
            "invited_by",
            "summary",
            "protocol",
            "topics",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


class CouncilResource(RecordResource):
    slug_from = ("Name",)

    class Meta(RecordResource.Meta):
        model = records.Council
        fields = (
            "slug",
            "name",
            "short_name",
            "members",
            "established_on",
            "established_on_precision",
            "description",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


class CouncilMeetingResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.CouncilMeeting
        fields = (
            "council",
            "number",
            "date",
            "date_precision",
            "place",
            "co_chairs",
            "status",
            "visit",
            "summary",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("council", "number")


class MeetingPartResource(RecordResource):
    """Agenda items and outcomes: rows of a meeting, named by council slug and meeting number."""

    council = fields.Field(column_name="Council", attribute=None, dehydrate_method="dehydrate_council")

    class Meta(RecordResource.Meta):
        abstract = True

    def dehydrate_council(self, part):
        return part.meeting.council.slug

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("meeting__council")

    def required_columns(self):
        return ["Council", *super().required_columns()]


class AgendaItemResource(MeetingPartResource):
    class Meta(MeetingPartResource.Meta):
        model = records.AgendaItem
        fields = ("council", "meeting", "position", "title", "topic")
        import_id_fields = ("meeting", "position")


class OutcomeResource(MeetingPartResource):
    class Meta(MeetingPartResource.Meta):
        model = records.Outcome
        fields = ("council", "meeting", "position", "title", "kind", "signed", "description")
        import_id_fields = ("meeting", "position")


class MissionResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Mission
        fields = (
            "slug",
            "sender",
            "host",
            "place",
            "kind",
            "opened_on",
            "opened_on_precision",
            "address",
            "website",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)

    def before_import_row(self, row, **kwargs):
        if "Slug" in row and not cell_text(row["Slug"]):
            parts = (row.get("Sending country"), row.get("Kind"), row.get("City"))
            row["Slug"] = slugify_name(" ".join(cell_text(part) for part in parts))


class IndicatorResource(RecordResource):
    slug_from = ("Name",)

    class Meta(RecordResource.Meta):
        model = records.Indicator
        fields = ("slug", "name", "description", "unit", "has_direction", "is_headline", "position", "topic")
        import_id_fields = ("slug",)


class StatisticResource(RecordResource):
    """Figures, the largest table: written in bulk, checked against the database rules in memory."""

    class Meta(RecordResource.Meta):
        model = records.Statistic
        fields = (
            "indicator",
            "relationship",
            "period_kind",
            "period_start",
            "period_end",
            "from_country",
            "to_country",
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
        )
        use_bulk = True
        batch_size = 2000
        # The preview tells new, changed, unchanged and invalid rows apart without a per-cell diff,
        # which would cost a deep copy of every row.
        skip_diff = True

    PREFERRED_TWICE = (
        "Another figure is already preferred for this indicator, period and direction; mark only one as preferred."
    )

    def before_import(self, dataset, **kwargs):
        self.preferred_holders = None
        # The figure each row of the file marks preferred, by indicator, period and direction.
        self.file_claims = {}
        # Rows taking the preference from a stored figure: valid only if another row takes it away
        # from that figure, wherever that row is in the file.
        self.waiting_claims = []
        self.released = set()
        self.import_user = kwargs.get("user")
        super().before_import(dataset, **kwargs)

    # Bulk writes bypass save(), so their history is written in bulk too, copied inside the database.
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                with self.waiting_written_unpreferred(self.create_instances) as written:
                    insert_in_bulk(records.Statistic, self.create_instances)
                copy_to_history(records.Statistic, [s.pk for s in written], "+", self.import_user)
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                fields = self.get_bulk_update_fields()
                with self.waiting_written_unpreferred(self.update_instances) as written:
                    records.Statistic.objects.bulk_update(self.update_instances, fields, batch_size=batch_size)
                copy_to_history(records.Statistic, [s.pk for s in written], "~", self.import_user)
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    @contextlib.contextmanager
    def waiting_written_unpreferred(self, statistics):
        """Write the waiting claims as not preferred, so the stored figure they replace may be written
        after them; they are marked preferred, with their history, once every row is written.
        Yields the other statistics, whose history is written at once."""
        waiting = {id(claim) for *_, claim in self.waiting_claims}
        held = [statistic for statistic in statistics if id(statistic) in waiting]
        for statistic in held:
            statistic.is_preferred = False
        try:
            yield [statistic for statistic in statistics if id(statistic) not in waiting]
        finally:
            for statistic in held:
                statistic.is_preferred = True

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type not in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            return
        statistic = row_result._record
        holder = self.load_preferred_holders().get(self.preferred_key(statistic))
        if holder is None or holder == statistic.pk:
            if not statistic.is_preferred and holder is not None:
                self.released.add(holder)
        elif statistic.is_preferred:
            self.waiting_claims.append((kwargs["row_number"], row, row_result, statistic))

    def after_import(self, dataset, result, **kwargs):
        for number, row, row_result, statistic in self.waiting_claims:
            if self.preferred_holders[self.preferred_key(statistic)] not in self.released:
                refuse_row(result, number, row, row_result, {self.column_of("is_preferred"): [self.PREFERRED_TWICE]})
        if self.waiting_claims and not (result.has_errors() or result.has_validation_errors()):
            self.mark_waiting_claims_preferred()
        super().after_import(dataset, result, **kwargs)

    def mark_waiting_claims_preferred(self):
        pks = [statistic.pk for *_, statistic in self.waiting_claims]
        for start in range(0, len(pks), 500):
            records.Statistic.objects.filter(pk__in=pks[start : start + 500]).update(is_preferred=True)
        for history_type, import_type in (("+", RowResult.IMPORT_TYPE_NEW), ("~", RowResult.IMPORT_TYPE_UPDATE)):
            written = [
                statistic.pk
                for *_, row_result, statistic in self.waiting_claims
                if row_result.import_type == import_type
            ]
            copy_to_history(records.Statistic, written, history_type, self.import_user)

    def preferred_key(self, statistic):
        return (
            statistic.indicator_id,
            statistic.relationship_id,
            statistic.period_start,
            statistic.period_end,
            statistic.from_country_id or 0,
            statistic.to_country_id or 0,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The database's unique and check constraints, tested here in memory rather than
        # with a query per row; the constraints themselves stay as the last word.
        errors = dict(import_validation_errors or {})
        # Foreign keys came from the widgets' caches, so they exist: skip a query per key and row.
        foreign_keys = [f for f in instance._meta.concrete_fields if f.many_to_one]
        for field in foreign_keys:
            if getattr(instance, field.attname) is None and not field.null and field.name not in errors:
                errors[field.name] = ["This field is required."]
        # Choices, yes/no and free text were already checked by their widgets (an empty cell takes the default).
        checked_by_widgets = ["qualifier", "period_kind", "publication_status", "is_preferred", "quote", "note"]
        try:
            instance.full_clean(
                exclude=[*errors, *(f.name for f in foreign_keys), *checked_by_widgets],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.value is not None and instance.value < 0:
            errors.setdefault("value", []).append("A figure cannot be negative.")
        if instance.equivalent_value is not None and instance.equivalent_value < 0:
            errors.setdefault("equivalent_value", []).append("An equivalent figure cannot be negative.")
        if instance.from_country_id and instance.from_country_id == instance.to_country_id:
            errors.setdefault("to_country", []).append("A figure cannot flow from a country to itself.")
        if not errors and instance.is_preferred and not self.first_to_claim(instance):
            errors.setdefault("is_preferred", []).append(self.PREFERRED_TWICE)
        if errors:
            super().validate_instance(instance, errors, validate_unique=False)

    def first_to_claim(self, statistic):
        """Whether no earlier row of the file marks another figure preferred for the same period."""
        return self.file_claims.setdefault(self.preferred_key(statistic), statistic) is statistic

    def load_preferred_holders(self):
        if self.preferred_holders is None:
            preferred = records.Statistic.objects.filter(is_preferred=True).only(
                "pk", "indicator", "relationship", "period_start", "period_end", "from_country", "to_country"
            )
            self.preferred_holders = {self.preferred_key(statistic): statistic.pk for statistic in preferred}
        return self.preferred_holders


class OrganizationResource(RecordResource):
    slug_from = ("Acronym", "Name")

    class Meta(RecordResource.Meta):
        model = records.Organization
        fields = (
            "slug",
            "name",
            "acronym",
            "kind",
            "parent",
            "website",
            "founded_on",
            "founded_on_precision",
            "description",
            "source",
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


class OrganizationNameResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.OrganizationName
        fields = ("organization", "name", "kind", "start_year", "end_year")
        import_id_fields = ("organization", "name")


class MembershipResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Membership
        fields = ("organization", "country", "role", "joined_on", "joined_on_precision", *SOURCED, *PUBLISHED)
        import_id_fields = ("organization", "country")


class MilestoneResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Milestone
        fields = (
            "slug",
            "relationship",
            "date",
            "date_precision",
            "title",
            "kind",
            "description",
            "topics",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


# Every record type by the name the command line uses, in an order where each
# file only refers to records of the files before it.


def insert_in_bulk(model, instances):
    """INSERT new records many rows to a statement, and give each its id.

    On SQLite, Django's bulk_create runs every value of every row through its SQL compiler and
    its checks for unsaved related records, which costs more than the database's own work; an
    import has built and validated these records itself, so each value only needs its database
    form. On PostgreSQL, bulk_create already sends each column as one array, which is faster.
    """
    if connection.vendor != "sqlite" or not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(instances)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    per_statement = connection.ops.bulk_batch_size(fields, instances)
    row = f"({', '.join(['%s'] * len(fields))})"
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES "
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(instances), per_statement):
            chunk = instances[start : start + per_statement]
            values = [
                field.get_db_prep_save(field.pre_save(instance, True), connection)
                for instance in chunk
                for field in fields
            ]
            cursor.execute(insert + ", ".join([row] * len(chunk)) + returning, values)
            for instance, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                instance.pk = pk
                instance._state.adding = False
                instance._state.db = connection.alias


def copy_to_history(model, pks, history_type, user, reason="Import"):
    """Write the history rows of records just written in bulk with one INSERT … SELECT per batch.

    The same rows django-simple-history writes on save(), without building them in Python.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None and user.is_authenticated else None
    # PostgreSQL takes the ids as one array (it plans a long IN list slowly); SQLite as a list of values.
    batch_size = max(len(pks), 1) if connection.vendor == "postgresql" else 500
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            chunk = pks[start : start + batch_size]
            if connection.vendor == "postgresql":
                among, ids = "= ANY(%s)", [chunk]
            else:
                among, ids = f"IN ({', '.join(['%s'] * len(chunk))})", chunk
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({columns}, history_date, history_type, history_user_id, history_change_reason) "
                f"SELECT {columns}, %s, %s, %s, %s "
                f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} {among}",
                [moment, history_type, user_id, reason, *ids],
            )


def refuse_row(result, number, row, row_result, errors):
    """Mark a row that passed its own checks as invalid, once the whole file shows it cannot stand."""
    error = ValidationError(errors)
    result.totals[row_result.import_type] -= 1
    row_result.import_type = RowResult.IMPORT_TYPE_INVALID
    row_result.validation_error = error
    result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
    result.append_invalid_row(number, row, error)
    result.invalid_rows.sort(key=lambda invalid: invalid.number)


def describe_errors(result):
    """One line per problem of an import result: the file's, then each bad row's, naming the column."""
    lines = [str(error.error) for error in result.base_errors]
    for error_row in result.error_rows:
        lines.extend(f"Row {error_row.number}: {error.error}" for error in error_row.errors)
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            where = f"Row {invalid.number}"
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
