"""The levels relationships reached, each as one source dates it."""

from django.db.models import F
from ninja import Field, Path, Query, Router

from .. import forms
from .. import models as records
from . import lists
from .schemas import (
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
    partial_date,
)

router = Router(tags=["Relationships, countries and sources"])


class LevelFilters(forms.FilterForm):
    relationship = forms.relationship_field()
    period = lists.PeriodField()

    def filter_period(self, queryset, period):
        return queryset.filter(**period.bounds("since"))


class LevelOut(RecordOut):
    id: int = Field(description="Its number on this site: a level has no slug.")
    relationship: str = Field(description="Slug of its relationship.")
    url: str = Field(description="Its relationship's page, where its levels are shown.")
    level: str
    since: PartialDate | None = Field(description="When the relationship reached it, as the source dates it.")
    since_precision: Precision
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_relationship(level):
        return level.relationship.slug

    @staticmethod
    def resolve_since(level):
        return partial_date(level.since, level.since_precision)


class LevelDetailOut(LevelOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(level):
        return licence()


def published_levels():
    return records.RelationshipLevel.objects.published().select_related("relationship", "source__reported_in")


LevelParameters = lists.parameters_of(LevelFilters)


@router.get(
    "/relationship-levels",
    response=lists.list_responses(LevelOut),
    openapi_extra=lists.CSV_TOO,
    summary="Relationship levels",
)
def level_list(request, filters: Query[LevelParameters]):
    """The published levels of published relationships, each relationship's in date order (undated first)."""
    levels = published_levels().order_by("relationship__slug", F("since").asc(nulls_first=True), "pk")
    return lists.answer_list(request, "relationship-levels", LevelFilters, levels, LevelOut, filters)


@router.get("/relationship-levels/{id}", response={200: LevelDetailOut, 404: Error}, summary="A relationship level")
def level_detail(request, id: int = Path(..., ge=1, le=lists.LARGEST_ID)):
    return lists.found(lists.with_last_changed(published_levels()), f"No published level is numbered {id}.", pk=id)
