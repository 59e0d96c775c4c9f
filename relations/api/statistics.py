"""Indicators and their sourced figures: observed values, targets, changes, ranks and durations."""

from typing import Literal

from django import forms as django_forms
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

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
    absolute,
    licence,
    page_address,
    partial_date,
)

router = Router(tags=["Statistics"])

Statistic = records.Statistic


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


class IndicatorFilters(forms.FilterForm):
    relationship = forms.relationship_field()

    def filter_relationship(self, queryset, relationship):
        figures = Statistic.objects.published().of_relationship(relationship).filter(indicator=OuterRef("pk"))
        return queryset.filter(Exists(figures))


class IndicatorOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site: its figures charted and listed.")
    name: str
    description: str
    unit: str = Field(description="The unit its figures are usually given in.")
    has_direction: bool = Field(description="Whether its figures flow from one country to the other.")
    topic: str | None = Field(description="Slug of its cooperation area.")
    figures: str = Field(description="The address of its figures in this API.")
    last_changed: LastChanged

    @staticmethod
    def resolve_topic(indicator):
        return indicator.topic.slug if indicator.topic_id else None

    @staticmethod
    def resolve_figures(indicator, context):
        figures = context.setdefault("figures", reverse("api:statistic_list"))
        return absolute(context, f"{figures}?indicator={indicator.slug}")


class IndicatorDetailOut(IndicatorOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(indicator):
        return licence()


def indicators():
    return records.Indicator.objects.select_related("topic").order_by("position", "name", "pk")


IndicatorParameters = lists.parameters_of(IndicatorFilters)


@router.get(
    "/indicators", response=lists.list_responses(IndicatorOut), openapi_extra=lists.CSV_TOO, summary="Indicators"
)
def indicator_list(request, filters: Query[IndicatorParameters]):
    """What figures measure, those with published figures, in the statistics page's order."""
    with_figures = indicators().filter(Exists(Statistic.objects.published().filter(indicator=OuterRef("pk"))))
    return lists.answer_list(request, "indicators", IndicatorFilters, with_figures, IndicatorOut, filters)


@router.get("/indicators/{slug}", response={200: IndicatorDetailOut, 404: Error}, summary="An indicator")
def indicator_detail(request, slug: str = lists.key_in_path()):
    return lists.found(lists.with_last_changed(indicators()), f"No indicator is known by “{slug}”.", slug=slug)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


class StatisticFilters(forms.FilterForm):
    relationship = forms.relationship_field()
    indicator = django_forms.ModelChoiceField(
        queryset=records.Indicator.objects.all(), to_field_name="slug", required=False, label="Indicator"
    )
    country = forms.country_field("Country (either of the pair)")
    kind = forms.kind_field(Statistic.Kind.choices)
    year = forms.year_field()
    period = lists.PeriodField()
    # Last: the latest of what the other filters leave.
    latest = lists.LatestField()

    def filter_indicator(self, queryset, indicator):
        return queryset.filter(indicator=indicator)

    def filter_country(self, queryset, country):
        return queryset.filter(Q(relationship__country_a=country) | Q(relationship__country_b=country))

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)

    def filter_year(self, queryset, year):
        return self.filter_period(queryset, lists.Period(year, year))

    def filter_period(self, queryset, period):
        """Figures whose period lies within the years (a target's: its horizon); a figure of no stated period has
        none to lie within them."""
        within = {"period_start__isnull": False}
        if period.starts_on:
            within["period_start__gte"] = period.starts_on
        if period.ends_on:
            within["period_end__lte"] = period.ends_on
        return queryset.filter(**within)

    def filter_latest(self, queryset, latest):
        """The latest figure of each series, as the pages show it (LatestFigure): of its latest full period, and of
        a later partial period or running total beside it."""
        series = queryset.latest_of_each_series().select_related(None)
        figures = series.only(
            "relationship", "indicator", "from_country", "to_country", "unit", "period_kind", "period_end"
        )
        shown = [
            figure.pk
            for latest_figure in records.LatestFigure.of_series(figures)
            for figure in (latest_figure.headline, latest_figure.partial)
            if figure is not None
        ]
        return queryset.filter(pk__in=shown)


class StatisticOut(Schema):
    id: int = Field(description="Its number on this site: a figure has no slug.")
    url: str = Field(description="Its indicator's page on this site, narrowed to its pair.")
    indicator: str = Field(description="Slug of its indicator.")
    relationship: str = Field(description="Slug of its relationship.")
    kind: Literal[tuple(Statistic.Kind.values)] = Field(
        description="An observed figure, a target, a change (a percent or a multiple), a rank or a duration."
    )
    statement: str = Field(description="What the source states, worded as pages word it: 'more than $5 billion'.")
    qualifier: Literal[tuple(Statistic.Qualifier.values)] = Field(
        description="The source's wording of the value: 'more than 20' is 20 'more-than'."
    )
    value: float
    unit: str = Field(description="An ISO 4217 currency code, or what is counted.")
    wording: str = Field(description="A rank's field or what has lasted, in the source's words.")
    equivalent_value: float | None = Field(description="The same amount in another unit, as the source gives it.")
    equivalent_unit: str
    period_kind: Literal[tuple(Statistic.PeriodKind.values)]
    period: str = Field(description="Its period as pages word it: '2024', 'January–May 2025', '2005–2024'.")
    period_start: PartialDate | None = Field(description="The first day of its period (a target's: its horizon).")
    period_end: PartialDate | None = Field(description="The last day of its period.")
    stated_on: PartialDate | None = Field(description="When a target was set.")
    stated_on_precision: Precision
    horizon_wording: str
    base_year: int | None = Field(description="A change's base year: 2021 in 'down 5.4% on 2021'.")
    from_country: str | None = Field(description="ISO code of the country it flows from, if it has a direction.")
    to_country: str | None = Field(description="ISO code of the country it flows to.")
    preferred: bool = Field(
        description="An observed figure chosen where sources disagree on a period: the point of its series."
    )
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_url(figure, context):
        return f"{page_address(figure, context)}?relationship={figure.relationship.slug}"

    @staticmethod
    def resolve_indicator(figure):
        return figure.indicator.slug

    @staticmethod
    def resolve_relationship(figure):
        return figure.relationship.slug

    @staticmethod
    def resolve_statement(figure):
        return figure.statement_display()

    @staticmethod
    def resolve_period(figure):
        return figure.period_display()

    @staticmethod
    def resolve_period_start(figure):
        return partial_date(figure.period_start)

    @staticmethod
    def resolve_period_end(figure):
        return partial_date(figure.period_end)

    @staticmethod
    def resolve_stated_on(figure):
        return partial_date(figure.stated_on, figure.stated_on_precision)

    @staticmethod
    def resolve_from_country(figure):
        return figure.from_country.code if figure.from_country_id else None

    @staticmethod
    def resolve_to_country(figure):
        return figure.to_country.code if figure.to_country_id else None

    @staticmethod
    def resolve_preferred(figure):
        return figure.is_preferred


class StatisticDetailOut(StatisticOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(figure):
        return licence()


def published_statistics():
    # In the order of the series index (indicator, relationship, period end): each series together, oldest first.
    return (
        Statistic.objects.published()
        .select_related("indicator", "relationship", "source__reported_in", "from_country", "to_country")
        .order_by("indicator_id", "relationship_id", "period_end", "pk")
    )


StatisticParameters = lists.parameters_of(StatisticFilters)


@router.get(
    "/statistics",
    response=lists.list_responses(StatisticOut),
    openapi_extra=lists.CSV_TOO,
    summary="Figures",
)
def statistic_list(request, filters: Query[StatisticParameters]):
    """Every published figure, each series (an indicator of a pair) together, oldest period first."""
    return lists.answer_list(request, "statistics", StatisticFilters, published_statistics(), StatisticOut, filters)


@router.get("/statistics/{id}", response={200: StatisticDetailOut, 404: Error}, summary="A figure")
def statistic_detail(request, id: int = Path(..., ge=1, le=lists.LARGEST_ID)):
    return lists.found(lists.with_last_changed(published_statistics()), f"No published figure is numbered {id}.", pk=id)
