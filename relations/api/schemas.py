"""What every answer of the API shares: the pieces of a record that name another (a country, a place, a person,
a source), dates at their precision, the licence, errors.

A record names another by its natural key, as the import files do (a country by its ISO code, the rest by
their slugs), with its name beside it for readers. Dates are written at the precision they are known ("2009",
"2024-03", "2025-07-29"), never with a day or a month the source did not give, each beside its precision.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from .. import models as records
from ..dates import typed_form
from ..views.base import Addresses
from ..views.reference import cited_at

# A date at the precision it is known: '2009', '2024-03' or '2025-07-29'.
PartialDate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        description="At the precision it is known: 2009 (a year), 2024-03 (a month) or 2025-07-29 (a day).",
    ),
]
Precision = Literal[tuple(records.Precision.values)]


def partial_date(value, precision=records.Precision.DAY):
    """A date written at its precision, or None when there is none."""
    return typed_form(value, precision) or None


def absolute(context, address):
    """The absolute address of one of the site's pages, for the request being answered: the site's own address is
    read once an answer (`context` is the answer's, shared by its records)."""
    if "site" not in context:
        context["site"] = context["request"].build_absolute_uri("/").removesuffix("/")
    return context["site"] + address


def page_address(record, context):
    """The absolute address of the page showing `record`, as a source page links it (cited_at): each kind of page
    reversed once an answer, not once a record, which would cost a list of 1,000 more than the rest of it."""
    return absolute(context, cited_at(context.setdefault("at", Addresses()), record))


class RecordOut(Schema):
    """A record with a public page of its own: its `url` field is that page's absolute address."""

    @staticmethod
    def resolve_url(record, context):
        return page_address(record, context)


class CountryRef(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2 code, the country's key in the import files.")
    name: str


class PlaceRef(Schema):
    slug: str
    name: str = Field(description="Its current name.")


class PersonRef(Schema):
    slug: str
    name: str
    role: str
    country: str = Field(description="ISO code of the person's country.")

    @staticmethod
    def resolve_country(person):
        return person.country.code


class SourceOut(Schema):
    """Where a fact is stated."""

    slug: str
    title: str
    publisher: str
    url: str = Field(description="The address of the original publication (empty when it has none).")
    published: PartialDate | None = Field(description="Its publication date, at the precision it is known.")
    published_precision: Precision
    reported_in: str | None = Field(description="Slug of the source this one is known through, if any.")

    @staticmethod
    def resolve_published(source):
        return partial_date(source.published_on, source.published_on_precision)

    @staticmethod
    def resolve_published_precision(source):
        return source.published_on_precision

    @staticmethod
    def resolve_reported_in(source):
        return source.reported_in.slug if source.reported_in_id else None


# What every fact carries after its own fields: its source (a SourceOut), the sentence quoted from it, the note
# shown to readers beside it (editors' own notes are never part of the API) and when it last changed here.
Quotation = Annotated[
    str, Field(validation_alias="quote", description="The sentence of the source that states it, word for word.")
]
ReaderNote = Annotated[str, Field(description="Context a reader needs with it.")]
LastChanged = Annotated[
    datetime | None, Field(description="When the record last changed on this site (its latest version).")
]


class LicenceOut(Schema):
    spdx: str = Field(description="The licence's SPDX identifier, such as CC-BY-4.0.")
    name: str
    url: str
    credit: str = Field(description="Whom to credit when reusing the data.")


def licence():
    """The licence the site's data is given under, as editors set it (SiteSettings)."""
    site = records.SiteSettings.current()
    chosen = site.licence
    return {"spdx": chosen.spdx, "name": chosen.title, "url": chosen.url, "credit": site.publisher}


class Error(Schema):
    detail: str = Field(description="What could not be answered, in words.")
