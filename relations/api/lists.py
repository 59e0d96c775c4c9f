"""The lists of the API: filtered as the public pages filter them, a page at a time with the total count, or
the whole filtered list as CSV.

A list's filters are a filter form of the public pages (relations/forms.py), extended here where the API filters
more (a date range, the latest figures): the form reads and checks what is typed, and its fields are what the
OpenAPI description declares (`parameters_of`), so the rules are written once. As on the pages, a value typed
another way than the list's own ('?country=Kazakhstan', '?period=2024') leads (301) to its one address
('?country=KZ', '?period=2024:2024'), which the page cache stores once.
"""

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from django import forms as django_forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from ninja import Field, Path, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, create_model

from .. import forms
from ..formats import escape_formula
from . import schemas

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# Rows read from the database at a time while a CSV answer is written.
CSV_CHUNK = 2000
# The largest id a record may have (a 64-bit integer): a larger one in an address is a 400, never a database error.
LARGEST_ID = 2**63 - 1
# The largest number a meeting may have (a small integer in the database).
LARGEST_SMALL_NUMBER = 32767

# The years a period may name: those a list's `year` takes.
FIRST_YEAR, LAST_YEAR = forms.year_field().min_value, forms.year_field().max_value


# ---------------------------------------------------------------------------
# Filters the API adds to the pages' own
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of whole years, either end possibly open: `2020:2024`, `2020:`, `:2024`."""

    first: int | None
    last: int | None

    def __str__(self):
        return f"{self.first or ''}:{self.last or ''}"

    @property
    def starts_on(self):
        return datetime.date(self.first, 1, 1) if self.first is not None else None

    @property
    def ends_on(self):
        return datetime.date(self.last, 12, 31) if self.last is not None else None

    def bounds(self, field):
        """The filter of the dates `field` within the period (a record without one is not within it)."""
        bounds = {f"{field}__isnull": False}
        if self.starts_on:
            bounds[f"{field}__gte"] = self.starts_on
        if self.ends_on:
            bounds[f"{field}__lte"] = self.ends_on
        return bounds


class PeriodField(django_forms.Field):
    """Years from and to, `2020:2024`; `2020:` or `:2024` leaves one end open, and `2024` alone is that year."""

    pattern = re.compile(r"(?P<first>[0-9]{4})?:(?P<last>[0-9]{4})?|(?P<year>[0-9]{4})")
    openapi_pattern = r"^([0-9]{4})?:([0-9]{4})?$|^[0-9]{4}$"

    def __init__(self, **kwargs):
        super().__init__(required=False, label="Years from and to", **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        match = self.pattern.fullmatch(value)
        if not match or not any(match.groups()):
            raise django_forms.ValidationError("Write a period as 2020:2024, 2020: (from 2020) or :2024 (to 2024).")
        year = match["year"]
        first, last = (int(year), int(year)) if year else (int_or_none(match["first"]), int_or_none(match["last"]))
        for bound in (first, last):
            if bound is not None and not FIRST_YEAR <= bound <= LAST_YEAR:
                raise django_forms.ValidationError(f"A period's years lie between {FIRST_YEAR} and {LAST_YEAR}.")
        if first is not None and last is not None and last < first:
            raise django_forms.ValidationError(f"The period ends ({last}) before it starts ({first}).")
        return Period(first, last)

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value


def int_or_none(digits):
    return int(digits) if digits else None


class LatestField(django_forms.Field):
    """Whether only the latest figures are asked for: `1` (or `true`, `yes`, `on`), as OpenAPI's booleans are
    written; `0` or nothing for every figure."""

    true = {"1", "t", "true", "y", "yes", "on"}
    false = {"0", "f", "false", "n", "no", "off"}

    def __init__(self, **kwargs):
        super().__init__(required=False, label="Only the latest figures", **kwargs)

    def to_python(self, value):
        typed = str(value or "").strip().lower()
        if typed in self.true:
            return True
        if typed in self.false or not typed:
            return None
        raise django_forms.ValidationError("Write 1 for the latest figures only, 0 for every figure.")

    def prepare_value(self, value):
        return "1" if value is True else value


# ---------------------------------------------------------------------------
# The query parameters of a list, as OpenAPI declares them
# ---------------------------------------------------------------------------


class ListParameters(Schema):
    """What every list reads besides its filters."""

    page: int = Field(1, ge=1, description="The page of the list, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Records a page (at most {MAX_PAGE_SIZE}).")
    format: Literal["json", "csv"] = Field(
        "json",
        description="`csv`: every record of the filtered list (not one page) as CSV, the fields of the JSON answer "
        "flattened into columns (`source_title`, `source_url` …), with a header row.",
    )


def parameters_of(form_class):
    """The query parameters of a list filtered by `form_class`: each field of the form, then the paging. Declared
    so, ninja checks their types and OpenAPI describes them; the form reads what they name."""
    fields = {name: parameter(field) for name, field in form_class.base_fields.items()}
    paging = {name: (field.annotation, field) for name, field in ListParameters.model_fields.items()}
    return create_model(f"{form_class.__name__.removesuffix('Form')}Parameters", __base__=Schema, **fields, **paging)


def parameter(field):
    """(type, pydantic Field) of the query parameter a filter form's field reads (left out: None)."""
    description = f"{field.label}. {hint(field)}"
    if isinstance(field, PeriodField):
        return str, Field(None, pattern=PeriodField.openapi_pattern, description=description)
    if isinstance(field, LatestField):
        return bool, Field(None, description=description)
    if isinstance(field, django_forms.IntegerField):
        return int, Field(None, ge=field.min_value, le=field.max_value, description=description)
    if isinstance(field, django_forms.ChoiceField) and not isinstance(field, django_forms.ModelChoiceField):
        values = tuple(value for value, _ in field.choices if value)
        return Literal[values], Field(None, description=description)
    return str, Field(None, description=description)


def hint(field):
    """How a reader names what a filter chooses."""
    if isinstance(field, forms.RelationshipField):
        return "A pair of countries by its slug (turkiye-kazakhstan), or its two countries the other way round."
    if isinstance(field, django_forms.ModelChoiceField):
        model = field.queryset.model._meta.model_name
        if model == "country":
            return "A country by its ISO code (TR) or any of its names (Türkiye, Turkey)."
        if model == "place":
            return "A city by its slug or any of its names, current or former (Almaty, Nur-Sultan)."
        return "By its slug."
    if isinstance(field, PeriodField):
        return "2020:2024 from 2020 to 2024, 2020: from 2020, :2024 up to 2024; 2024 alone is that year."
    if isinstance(field, LatestField):
        return (
            "True: only the latest figure of each series (indicator, pair, direction and unit), of its latest full "
            "period, with a later partial period or running total beside it, as the pages show them."
        )
    if isinstance(field, django_forms.IntegerField):
        return "A year, such as 2024."
    return "One of the values listed."


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------

# A list's answers besides its page: a value typed another way leads to its one address; a value that names
# nothing, or a page past the last, says so.
LIST_RESPONSES = {301: None, 400: schemas.Error, 404: schemas.Error}

# A list answers CSV too (?format=csv): described beside its JSON.
CSV_TOO = {
    "responses": {
        200: {
            "description": "A page of the list as JSON; with format=csv, the whole list as CSV.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        301: {"description": "The list's one address for the filters typed another way."},
    }
}

PAGES = {}


def page_of(schema):
    """The schema of a page of `schema` records (one for each record type)."""
    if schema not in PAGES:
        PAGES[schema] = create_model(
            f"{schema.__name__.removesuffix('Out')}Page",
            __base__=Schema,
            count=(int, Field(description="Records of the whole filtered list.")),
            page=(int, ...),
            pages=(int, Field(description="Pages of the whole filtered list.")),
            page_size=(int, ...),
            next=(str | None, Field(description="The address of the next page, if any.")),
            previous=(str | None, Field(description="The address of the previous page, if any.")),
            licence=(schemas.LicenceOut, ...),
            results=(list[schema], ...),
        )
    return PAGES[schema]


def list_responses(schema):
    return {200: page_of(schema), **LIST_RESPONSES}


def with_last_changed(queryset):
    """`queryset` annotated with `last_changed`, the latest time in each record's history, as a subquery of its
    own query (no query per record)."""
    versions = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by().values("id")
    return queryset.annotate(last_changed=Subquery(versions.annotate(latest=Max("history_date")).values("latest")))


def answer_list(request, name, form_class, queryset, schema, parameters):
    """A page of `queryset` narrowed by the filters typed (`form_class`) as JSON, or all of it as CSV; a redirect
    to the list's one address for filters typed another way. `name` names the list's CSV file."""
    unprintable = [key for key, value in request.GET.items() if not value.isprintable()]
    if unprintable:
        raise HttpError(400, f"{unprintable[0]}: a value holds a character no name or number has.")
    form = form_class(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise HttpError(400, problems(form, request))
    canonical = form.canonical_query() if form.is_bound else {}
    canonical.update({key: request.GET[key] for key in ListParameters.model_fields if key in request.GET})
    if canonical != request.GET.dict():
        return HttpResponsePermanentRedirect(address(request.path, canonical))
    chosen = form.apply(queryset) if form.is_bound else queryset
    if parameters.format == "csv":
        filters = [value for key, value in canonical.items() if key not in ListParameters.model_fields]
        return csv_answer(request, chosen, schema, "-".join([name, *filters]))
    return page_answer(request, chosen, parameters.page, parameters.page_size)


def problems(form, request):
    """What the form could not read, with close matches of each value that names nothing."""
    form.suggest(request.path, request.GET)
    text = form.problems()
    for name in form.errors:
        suggestions = getattr(form.fields.get(name), "suggestions", None)
        if suggestions:
            text += f" Did you mean: {', '.join(label for label, _ in suggestions)}?"
    return text


def page_answer(request, queryset, page, page_size):
    """One page of `queryset`, with the total count and the addresses of the pages beside it. The page's ids are
    cut first, and only its records loaded with what they name: sorting ids stays an index scan."""
    count = queryset.count()
    pages = max(1, math.ceil(count / page_size))
    if page > pages:
        raise Http404(f"Page {page} is past the last page of this list, {pages}.")
    start = (page - 1) * page_size
    ids = list(queryset.values_list("pk", flat=True)[start : start + page_size])
    loaded = with_last_changed(queryset.order_by()).in_bulk(ids)
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "next": page_address(request, page + 1) if page < pages else None,
        "previous": page_address(request, page - 1) if page > 1 else None,
        "licence": schemas.licence(),
        "results": [loaded[pk] for pk in ids],
    }


def page_address(request, page):
    query = {**request.GET.dict(), "page": page}
    if page == 1:
        del query["page"]
    return request.build_absolute_uri(address(request.path, query))


def address(path, query):
    """`path` with `query`, a period's colon left as typed (2020:2024)."""
    return f"{path}?{urlencode(query, safe=':')}" if query else path


def found(queryset, missing, *conditions, **lookup):
    """The record of `queryset` matching, or a 404 saying what is `missing` ('No published visit is known by
    “nope”.')."""
    record = queryset.filter(*conditions, **lookup).first()
    if record is None:
        raise Http404(missing)
    return record


def key_in_path(description="Its slug."):
    """A record's key in an address: a slug, or a country's code."""
    return Path(..., pattern=r"^[-a-zA-Z0-9_]+$", description=description)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def csv_answer(request, queryset, schema, name):
    """Every record of `queryset` as CSV, streamed: the fields of `schema` flattened into columns, a record a
    row. UTF-8 with a byte-order mark, so that spreadsheets read its letters; the data's licence in a Link header."""
    columns = csv_columns(schema)
    context = {"request": request}

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        yield "\ufeff" + take(buffer)
        for record in with_last_changed(queryset).iterator(chunk_size=CSV_CHUNK):
            flat = flatten(schema.model_validate(record, context=context).model_dump())
            writer.writerow(cell(flat.get(column)) for column in columns)
            yield take(buffer)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(name)}.csv"'
    response["Link"] = f'<{schemas.licence()["url"]}>; rel="license"'
    return response


def take(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_columns(schema, prefix=""):
    """The columns of `schema`: a field naming another record (a source) becomes its fields, `source_title` …"""
    columns = []
    for name, field in schema.model_fields.items():
        inner = nested_schema(field.annotation)
        columns.extend(csv_columns(inner, f"{prefix}{name}_") if inner else [f"{prefix}{name}"])
    return columns


def nested_schema(annotation):
    """The schema a field holds, alone or None (`SourceOut | None`), else None."""
    for kind in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def flatten(data, prefix=""):
    flat = {}
    for name, value in data.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{name}_"))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def cell(value):
    """A value as a spreadsheet reads it: a number as a number, every digit the source gave and no more; text that
    would run as a formula escaped (an editor's text must not run in a reader's spreadsheet); lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        # As the JSON answers write it.
        return DjangoJSONEncoder().default(value)
    if isinstance(value, list):
        return escape_formula("; ".join(str(item) for item in value))
    return escape_formula(value) if isinstance(value, str) else value


def file_name(name):
    """`statistics-turkiye-kazakhstan-2020-2024`: the list and the filters of the answer, in letters a file name
    keeps anywhere."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
