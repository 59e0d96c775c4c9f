"""Milestones of the relationships: dated events on their timelines."""

from typing import Literal

from ninja import Field, Query, Router

from .. import forms
from .. import models as records
from ..models.milestones import timeline_date
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

router = Router(tags=["Milestones"])


class MilestoneFilters(forms.FilterForm):
    relationship = forms.relationship_field()
    kind = forms.kind_field(records.Milestone.Kind.choices)
    year = forms.year_field()
    period = lists.PeriodField()

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)

    def filter_year(self, queryset, year):
        return queryset.filter(date__year=year)

    def filter_period(self, queryset, period):
        return queryset.filter(**period.bounds("date"))


class MilestoneOut(RecordOut):
    slug: str
    url: str = Field(description="Its place on the timeline of this site.")
    relationship: str = Field(description="Slug of its relationship.")
    title: str
    kind: Literal[tuple(records.Milestone.Kind.values)]
    date: PartialDate | None = Field(description="None when the source gives none: then its wording alone.")
    date_precision: Precision
    date_wording: str = Field(description="The source's own words for the time: 'before 1992', 'last year'.")
    planned: bool
    anniversary: int | None = Field(description="An anniversary's count, as the source states it.")
    description: str
    topics: list[str] = Field(description="Slugs of its topics.")
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_relationship(milestone):
        return milestone.relationship.slug

    @staticmethod
    def resolve_date(milestone):
        return partial_date(milestone.date, milestone.date_precision)

    @staticmethod
    def resolve_topics(milestone):
        return [topic.slug for topic in milestone.topics.all()]


class MilestoneDetailOut(MilestoneOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(milestone):
        return licence()


def published_milestones():
    # In timeline order, the latest first (an undated one by its year for sorting), on the timeline's index.
    return (
        records.Milestone.objects.published()
        .select_related("relationship", "source__reported_in")
        .prefetch_related("topics")
        .order_by(timeline_date().desc(), "pk")
    )


MilestoneParameters = lists.parameters_of(MilestoneFilters)


@router.get(
    "/milestones", response=lists.list_responses(MilestoneOut), openapi_extra=lists.CSV_TOO, summary="Milestones"
)
def milestone_list(request, filters: Query[MilestoneParameters]):
    """Events on the relationships' timelines, the latest first."""
    return lists.answer_list(request, "milestones", MilestoneFilters, published_milestones(), MilestoneOut, filters)


@router.get("/milestones/{slug}", response={200: MilestoneDetailOut, 404: Error}, summary="A milestone")
def milestone_detail(request, slug: str = lists.key_in_path()):
    return lists.found(
        lists.with_last_changed(published_milestones()), f"No published milestone is known by “{slug}”.", slug=slug
    )
