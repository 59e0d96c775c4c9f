"""Countries, sources and relationships (pairs of countries), with the levels they reached."""

from django.db.models import Prefetch, Q
from ninja import Field, Query, Router

from .. import forms
from .. import models as records
from ..views.base import published_levels
from . import lists
from .levels import LevelOut
from .schemas import (
    CountryRef,
    Error,
    LastChanged,
    LicenceOut,
    PartialDate,
    Precision,
    Quotation,
    ReaderNote,
    RecordOut,
    SourceOut,
    licence,
    page_address,
    partial_date,
)

router = Router(tags=["Relationships, countries and sources"])


class CountryFilters(forms.FilterForm):
    """Every country: none is a draft."""


class CountryOut(RecordOut):
    code: str = Field(description="ISO 3166-1 alpha-2 code, the country's key in the import files.")
    slug: str
    url: str = Field(description="Its page on this site.")
    name: str
    official_name: str
    adjective: str
    last_changed: LastChanged


class CountryDetailOut(CountryOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(country):
        return licence()


CountryParameters = lists.parameters_of(CountryFilters)


@router.get("/countries", response=lists.list_responses(CountryOut), openapi_extra=lists.CSV_TOO, summary="Countries")
def country_list(request, filters: Query[CountryParameters]):
    """Every country, by name."""
    countries = records.Country.objects.order_by("name", "pk")
    return lists.answer_list(request, "countries", CountryFilters, countries, CountryOut, filters)


@router.get("/countries/{key}", response={200: CountryDetailOut, 404: Error}, summary="A country")
def country_detail(request, key: str = lists.key_in_path("Its ISO code, in any case, or its slug.")):
    """A country by its ISO code (TR, in any case) or its slug (turkiye)."""
    countries = lists.with_last_changed(records.Country.objects.all())
    return lists.found(countries, f"No country is known by “{key}”.", Q(code=key.upper()) | Q(slug=key))


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------


class SourceFilters(forms.FilterForm):
    """The sources readers see: those a published record cites (Source.objects.cited())."""


class CitedSourceOut(SourceOut):
    page: str = Field(description="Its page on this site, with the published facts citing it.")
    retrieved_on: str | None = Field(description="When the original was read (a day).")
    last_changed: LastChanged

    @staticmethod
    def resolve_page(source, context):
        return page_address(source, context)

    @staticmethod
    def resolve_retrieved_on(source):
        return partial_date(source.retrieved_on)


class SourceDetailOut(CitedSourceOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(source):
        return licence()


SourceParameters = lists.parameters_of(SourceFilters)


@router.get("/sources", response=lists.list_responses(CitedSourceOut), openapi_extra=lists.CSV_TOO, summary="Sources")
def source_list(request, filters: Query[SourceParameters]):
    """The sources published records cite, newest first."""
    sources = records.Source.objects.cited().select_related("reported_in").order_by("-published_on", "title", "pk")
    return lists.answer_list(request, "sources", SourceFilters, sources, CitedSourceOut, filters)


@router.get("/sources/{slug}", response={200: SourceDetailOut, 404: Error}, summary="A source")
def source_detail(request, slug: str = lists.key_in_path()):
    sources = lists.with_last_changed(records.Source.objects.cited().select_related("reported_in"))
    return lists.found(sources, f"No source of a published record is known by “{slug}”.", slug=slug)


# ---------------------------------------------------------------------------
# Relationships
# ---------------------------------------------------------------------------


class RelationshipFilters(forms.FilterForm):
    country = forms.country_field("Country (either of the pair)")

    def filter_country(self, queryset, country):
        return queryset.filter(Q(country_a=country) | Q(country_b=country))


class RelationshipOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site.")
    name: str = Field(description="The pair, as pages name it.")
    country_a: CountryRef
    country_b: CountryRef
    level: str | None = Field(description="Its current level: that of its latest published level record by date.")
    level_since: PartialDate | None = Field(description="Since when, as the earliest source dating it states it.")
    level_since_precision: Precision | None
    established_on: PartialDate | None = Field(description="When diplomatic relations were established.")
    established_on_precision: Precision
    established_with: str = Field(description="The state relations were established with, if a predecessor.")
    established_source: SourceOut | None = Field(description="Where the establishment is stated, if not `source`.")
    established_quotation: str
    summary: str
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_name(relationship):
        return str(relationship)

    @staticmethod
    def resolve_level(relationship):
        step = relationship.current_level()
        return step.level if step else None

    @staticmethod
    def resolve_level_since(relationship):
        step = relationship.current_level()
        return partial_date(step.first.since, step.first.since_precision) if step else None

    @staticmethod
    def resolve_level_since_precision(relationship):
        step = relationship.current_level()
        return step.first.since_precision if step and step.first.since else None

    @staticmethod
    def resolve_established_on(relationship):
        return partial_date(relationship.established_on, relationship.established_on_precision)

    @staticmethod
    def resolve_established_quotation(relationship):
        return relationship.established_quote


class RelationshipDetailOut(RelationshipOut):
    levels: list[LevelOut] = Field(description="Its published level records in date order, each with its source.")
    licence: LicenceOut

    @staticmethod
    def resolve_levels(relationship):
        return sorted(relationship.published_levels(), key=records.RelationshipLevel.date_order)

    @staticmethod
    def resolve_licence(relationship):
        return licence()


RELATIONSHIP_RELATED = ("country_a", "country_b", "source__reported_in", "established_source__reported_in")

RelationshipParameters = lists.parameters_of(RelationshipFilters)


@router.get(
    "/relationships",
    response=lists.list_responses(RelationshipOut),
    openapi_extra=lists.CSV_TOO,
    summary="Relationships",
)
def relationship_list(request, filters: Query[RelationshipParameters]):
    """The published relationships, in the home page's order."""
    relationships = (
        records.Relationship.objects.published()
        .select_related(*RELATIONSHIP_RELATED)
        .prefetch_related(published_levels(sources=False))
        .order_by("position", "slug", "pk")
    )
    return lists.answer_list(request, "relationships", RelationshipFilters, relationships, RelationshipOut, filters)


@router.get("/relationships/{slug}", response={200: RelationshipDetailOut, 404: Error}, summary="A relationship")
def relationship_detail(request, slug: str = lists.key_in_path()):
    """A published relationship by its slug, or its two countries' slugs the other way round."""
    relationships = records.Relationship.objects.published()
    found = relationships.filter(slug=slug).first() or relationships.named_by_countries(slug)
    levels = records.RelationshipLevel.objects.filter(publication_status=records.PublicationStatus.PUBLISHED)
    loaded = (
        records.Relationship.objects.select_related(*RELATIONSHIP_RELATED)
        .prefetch_related(
            Prefetch("levels", queryset=lists.with_last_changed(levels.select_related("source__reported_in")))
        )
        .filter(pk=found.pk if found else None)
    )
    return lists.found(lists.with_last_changed(loaded), f"No published relationship is known by “{slug}”.")
