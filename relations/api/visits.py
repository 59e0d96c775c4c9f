"""Visits and other contacts, councils, and their meetings with agendas and outcomes."""

from typing import Literal

from django import forms as django_forms
from django.db.models import Count, Prefetch
from ninja import Field, Path, Query, Router, Schema

from .. import forms
from .. import models as records
from . import lists
from .schemas import (
    CountryRef,
    Error,
    LastChanged,
    LicenceOut,
    PartialDate,
    PersonRef,
    PlaceRef,
    Precision,
    Quotation,
    ReaderNote,
    RecordOut,
    SourceOut,
    licence,
    partial_date,
)

router = Router(tags=["Visits and councils"])


class ResultOut(Schema):
    """What a visit or a meeting produced: documents signed (or expected to be), decisions, targets."""

    position: int
    title: str
    kind: Literal[tuple(records.Result.Kind.values)]
    signed: bool
    count: int | None = Field(description="How many, when the source counts them.")
    description: str
    source: SourceOut = Field(description="Its own source, or else that of the visit or meeting, which states it.")
    quotation: Quotation
    reader_note: ReaderNote

    @staticmethod
    def resolve_source(result):
        return result.cited_source()


# ---------------------------------------------------------------------------
# Visits and contacts
# ---------------------------------------------------------------------------


class VisitFilters(forms.VisitFilterForm):
    period = lists.PeriodField()

    def filter_period(self, queryset, period):
        return queryset.filter(**period.bounds("start_date"))


class VisitOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site.")
    title: str = Field(description="As pages name it.")
    kind: Literal[tuple(records.Visit.Kind.values)] = Field(
        description="Empty when the source does not state it; phone-call and sidelines are contacts, not visits."
    )
    planned: bool = Field(description="Announced by its source, not known to have happened yet.")
    guest: PersonRef
    host: PersonRef | None
    country: CountryRef = Field(description="Where the guest went (for a phone call, the host's country).")
    place: PlaceRef | None
    start_date: PartialDate
    start_date_precision: Precision
    date_wording: str = Field(description="The source's own words for the date ('on Friday'), if it gives them.")
    end_date: PartialDate | None
    occasion: str
    invited_by: str | None = Field(description="Slug of the person who invited the guest.")
    summary: str
    protocol: str
    topics: list[str] = Field(description="Slugs of its topics.")
    further_sources: list[str] = Field(description="Slugs of other reports of it.")
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_start_date(visit):
        return partial_date(visit.start_date, visit.start_date_precision)

    @staticmethod
    def resolve_end_date(visit):
        return partial_date(visit.end_date)

    @staticmethod
    def resolve_invited_by(visit):
        return visit.invited_by.slug if visit.invited_by_id else None

    @staticmethod
    def resolve_topics(visit):
        return [topic.slug for topic in visit.topics.all()]

    @staticmethod
    def resolve_further_sources(visit):
        return [source.slug for source in visit.further_sources.all()]


class EngagementOut(Schema):
    """A part of a visit's programme: talks, a courtesy call, a ceremony in another city."""

    position: int
    kind: Literal[tuple(records.Engagement.Kind.values)]
    title: str
    people: list[str] = Field(description="Slugs of the people met.")
    place: PlaceRef | None
    date: PartialDate | None
    date_precision: Precision
    date_wording: str
    source: SourceOut = Field(description="Its own source, or else the visit's.")
    quotation: Quotation

    @staticmethod
    def resolve_people(engagement):
        return [person.slug for person in engagement.people.all()]

    @staticmethod
    def resolve_date(engagement):
        return partial_date(engagement.date, engagement.date_precision)

    @staticmethod
    def resolve_source(engagement):
        return engagement.cited_source()


class MeetingRef(RecordOut):
    council: str = Field(description="Slug of its council.")
    number: int
    url: str

    @staticmethod
    def resolve_council(meeting):
        return meeting.council.slug


class VisitDetailOut(VisitOut):
    programme: list[EngagementOut]
    outcomes: list[ResultOut]
    council_meetings: list[MeetingRef] = Field(description="The published council meetings held during it.")
    licence: LicenceOut

    @staticmethod
    def resolve_licence(visit):
        return licence()


VISIT_RELATED = ("guest__country", "host__country", "country", "place", "invited_by", "source__reported_in")


def published_visits():
    return (
        records.Visit.objects.published()
        .select_related(*VISIT_RELATED)
        .prefetch_related("topics", "further_sources")
        .order_by("-start_date", "slug")
    )


VisitParameters = lists.parameters_of(VisitFilters)


@router.get(
    "/visits",
    response=lists.list_responses(VisitOut),
    openapi_extra=lists.CSV_TOO,
    summary="Visits and other contacts",
)
def visit_list(request, filters: Query[VisitParameters]):
    """Visits, phone calls and meetings on the sidelines between leaders, newest first."""
    return lists.answer_list(request, "visits", VisitFilters, published_visits(), VisitOut, filters)


@router.get("/visits/{slug}", response={200: VisitDetailOut, 404: Error}, summary="A visit or contact")
def visit_detail(request, slug: str = lists.key_in_path()):
    """A visit with its programme, its outcomes and the council meetings held during it."""
    visits = published_visits().prefetch_related(
        Prefetch(
            "programme",
            queryset=records.Engagement.objects.select_related("place", "source__reported_in").prefetch_related(
                "people"
            ),
        ),
        Prefetch("outcomes", queryset=records.VisitOutcome.objects.select_related("source__reported_in")),
        Prefetch("council_meetings", queryset=records.CouncilMeeting.objects.published().select_related("council")),
    )
    return lists.found(lists.with_last_changed(visits), f"No published visit is known by “{slug}”.", slug=slug)


# ---------------------------------------------------------------------------
# Councils
# ---------------------------------------------------------------------------


class CouncilOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site.")
    name: str
    short_name: str
    members: list[str] = Field(description="ISO codes of its member countries.")
    established_on: PartialDate | None
    established_on_precision: Precision
    description: str
    meeting_count: int = Field(description="Its published meetings.")
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_members(council):
        return sorted(country.code for country in council.members.all())

    @staticmethod
    def resolve_established_on(council):
        return partial_date(council.established_on, council.established_on_precision)


class MeetingSummaryOut(RecordOut):
    number: int
    url: str
    date: PartialDate
    date_precision: Precision
    status: Literal[tuple(records.CouncilMeeting.Status.values)]

    @staticmethod
    def resolve_date(meeting):
        return partial_date(meeting.date, meeting.date_precision)


class CouncilDetailOut(CouncilOut):
    meetings: list[MeetingSummaryOut] = Field(description="Its published meetings, latest first.")
    licence: LicenceOut

    @staticmethod
    def resolve_licence(council):
        return licence()


def published_councils():
    published_meetings = records.CouncilMeeting.published_condition("meetings__")
    return (
        records.Council.objects.published()
        .select_related("source__reported_in")
        .prefetch_related("members")
        .annotate(meeting_count=Count("meetings", filter=published_meetings))
        .order_by("name", "pk")
    )


CouncilParameters = lists.parameters_of(forms.CouncilFilterForm)


@router.get("/councils", response=lists.list_responses(CouncilOut), openapi_extra=lists.CSV_TOO, summary="Councils")
def council_list(request, filters: Query[CouncilParameters]):
    """Standing intergovernmental councils, by name."""
    return lists.answer_list(request, "councils", forms.CouncilFilterForm, published_councils(), CouncilOut, filters)


@router.get("/councils/{slug}", response={200: CouncilDetailOut, 404: Error}, summary="A council")
def council_detail(request, slug: str = lists.key_in_path()):
    """A council with its published meetings."""
    meetings = records.CouncilMeeting.objects.filter(publication_status=records.PublicationStatus.PUBLISHED)
    councils = published_councils().prefetch_related(
        Prefetch("meetings", queryset=meetings.select_related("council").order_by("-number"))
    )
    return lists.found(lists.with_last_changed(councils), f"No published council is known by “{slug}”.", slug=slug)


# ---------------------------------------------------------------------------
# Council meetings
# ---------------------------------------------------------------------------


class MeetingFilters(forms.FilterForm):
    relationship = forms.relationship_field()
    council = django_forms.ModelChoiceField(
        queryset=records.Council.objects.published(), to_field_name="slug", required=False, label="Council"
    )
    status = forms.kind_field(records.CouncilMeeting.Status.choices, label="Status")
    year = forms.year_field()
    period = lists.PeriodField()

    def filter_council(self, queryset, council):
        return queryset.filter(council=council)

    def filter_status(self, queryset, status):
        return queryset.filter(status=status)

    def filter_year(self, queryset, year):
        return queryset.filter(date__year=year)

    def filter_period(self, queryset, period):
        return queryset.filter(**period.bounds("date"))


class MeetingOut(RecordOut):
    council: str = Field(description="Slug of its council: with its number, the meeting's key.")
    number: int
    url: str = Field(description="Its page on this site.")
    title: str
    date: PartialDate
    date_precision: Precision
    date_wording: str
    status: Literal[tuple(records.CouncilMeeting.Status.values)] = Field(description="Empty when not stated.")
    place: PlaceRef | None
    co_chairs: list[str] = Field(description="Slugs of its co-chairs.")
    visit: str | None = Field(description="Slug of the published visit it was held during, if any.")
    summary: str
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_council(meeting):
        return meeting.council.slug

    @staticmethod
    def resolve_title(meeting):
        return str(meeting)

    @staticmethod
    def resolve_date(meeting):
        return partial_date(meeting.date, meeting.date_precision)

    @staticmethod
    def resolve_co_chairs(meeting):
        return [person.slug for person in meeting.co_chairs.all()]

    @staticmethod
    def resolve_visit(meeting):
        # A link to a draft is left out, as on the pages.
        return meeting.visit.slug if meeting.visit_id and meeting.visit.is_published else None


class AgendaItemOut(Schema):
    position: int
    title: str
    topic: str | None = Field(description="Slug of the cooperation area it concerns.")

    @staticmethod
    def resolve_topic(item):
        return item.topic.slug if item.topic_id else None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    outcomes: list[ResultOut]
    licence: LicenceOut

    @staticmethod
    def resolve_agenda(meeting):
        return meeting.agenda_items.all()

    @staticmethod
    def resolve_licence(meeting):
        return licence()


def published_meetings():
    return (
        records.CouncilMeeting.objects.published()
        .select_related("council", "place", "visit", "source__reported_in")
        .prefetch_related("co_chairs")
        .order_by("-date", "-number", "pk")
    )


MeetingParameters = lists.parameters_of(MeetingFilters)


@router.get(
    "/council-meetings",
    response=lists.list_responses(MeetingOut),
    openapi_extra=lists.CSV_TOO,
    summary="Council meetings",
)
def meeting_list(request, filters: Query[MeetingParameters]):
    """Meetings of councils, latest first."""
    return lists.answer_list(request, "council-meetings", MeetingFilters, published_meetings(), MeetingOut, filters)


@router.get(
    "/council-meetings/{council}/{number}", response={200: MeetingDetailOut, 404: Error}, summary="A council meeting"
)
def meeting_detail(
    request, council: str = lists.key_in_path(), number: int = Path(..., ge=1, le=lists.LARGEST_SMALL_NUMBER)
):
    """A meeting by its council's slug and its number, with its agenda and outcomes."""
    meetings = published_meetings().prefetch_related(
        "agenda_items__topic",
        Prefetch("outcomes", queryset=records.Outcome.objects.select_related("source__reported_in")),
    )
    return lists.found(
        lists.with_last_changed(meetings),
        f"No published meeting of “{council}” is numbered {number}.",
        council__slug=council,
        number=number,
    )
