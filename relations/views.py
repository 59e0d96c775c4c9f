"""Public pages: thin views over published records, filtered and paginated through the query string."""

import csv
import errno
import heapq
import itertools
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import classproperty
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from . import charts, forms, search
from . import models as records
from .formats import escape_formula
from .models.milestones import timeline_date
from .registry import RECORD_TYPES
from .search import MAX_QUERY_LENGTH

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
# Records of each kind shown on a relationship's page; its lists have them all.
HUB_SHOWN = 10
# Missions of each sender on a relationship's page: a country's consulates and honorary consulates run long.
MISSIONS_SHOWN = HUB_SHOWN * 2


def read_only(view):
    """A public page answers GET and HEAD, and 405 to any other method: it writes nothing, so no CSRF
    check stands in front of that answer."""
    return csrf_exempt(require_safe(view))


class FilteredListMixin:
    """A list narrowed by a filter form read from the query string. A value that names nothing shows the list's
    own page, empty, with the form saying which value and suggesting close ones, as a 400: caches and crawlers
    keep none of it."""

    filter_form_class = None
    paginate_by = PAGE_SIZE

    @classproperty
    def query_parameters(cls):
        """What the page reads from the query string (the page cache stores nothing else)."""
        return {*cls.filter_form_class.base_fields, "page"}

    def get(self, request, *args, **kwargs):
        self.filter_form = self.filter_form_class(request.GET or None)
        if self.filter_form.is_bound:
            if not self.filter_form.is_valid():
                return self.unreadable_filters()
            # A filter typed as a reader would ('?city=Almaty') leads to its one address ('?city=almaty'),
            # which the page cache stores once.
            canonical = self.filter_form.canonical_query()
            if "page" in request.GET:
                canonical["page"] = request.GET["page"]
            if canonical != request.GET.dict():
                return HttpResponsePermanentRedirect(
                    f"{request.path}?{urlencode(canonical)}" if canonical else request.path
                )
        return super().get(request, *args, **kwargs)

    def unreadable_filters(self):
        self.filter_form.suggest(self.request.path, self.request.GET)
        if isinstance(self, ListView):
            self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.filter_form.is_bound:
            return queryset
        return self.filter_form.apply(queryset) if self.filter_form.is_valid() else queryset.none()

    def paginate_queryset(self, queryset, page_size):
        """Cut the page from the ids alone, then load only that page's records with their relations:
        sorting ids stays an index scan however large the table, joined rows would not."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        loaded = queryset.order_by().in_bulk(list(ids))
        page.object_list = [loaded[pk] for pk in ids]
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class PreviewMixin:
    """Published records for everyone; drafts too for signed-in staff, who see a preview banner."""

    query_parameters = ()

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


def latest_visits(relationships):
    """The latest visit each way between the two countries, one index scan per direction: a visit, never a
    phone call or a meeting on the sidelines (Visit.CONTACTS)."""
    visits = records.Visit.objects.published().exclude(kind__in=records.Visit.CONTACTS).order_by("-start_date")
    visits = visits.values("pk")
    return relationships.annotate(
        latest_visit_to_a=Subquery(
            visits.filter(country=OuterRef("country_a"), guest__country=OuterRef("country_b"))[:1]
        ),
        latest_visit_to_b=Subquery(
            visits.filter(country=OuterRef("country_b"), guest__country=OuterRef("country_a"))[:1]
        ),
    )


def latest_meetings(relationships):
    pair_meetings = (
        records.CouncilMeeting.objects.published()
        .filter(council__members=OuterRef("country_a"))
        .filter(council__members=OuterRef("country_b"))
    )
    return relationships.annotate(
        latest_meeting_id=Subquery(pair_meetings.order_by("-date").values("pk")[:1]),
    )


def attach_overview(relationships, headline=True):
    """Headline figures (unless the page lists every latest figure), latest visit and meeting, and mission
    counts for a page of relationships."""
    relationships = list(relationships)
    if not relationships:
        return relationships
    visits = (
        records.Visit.objects.select_related("guest", "host", "country", "place")
        .prefetch_related("place__former_names")
        .in_bulk([pk for r in relationships for pk in (r.latest_visit_to_a, r.latest_visit_to_b) if pk])
    )
    meetings = records.CouncilMeeting.objects.select_related("council", "place").in_bulk(
        [r.latest_meeting_id for r in relationships if r.latest_meeting_id]
    )
    headline = latest_figures_by_relationship(relationships, indicator__is_headline=True) if headline else {}
    countries = {c for r in relationships for c in (r.country_a_id, r.country_b_id)}
    mission_counts = (
        records.Mission.objects.published()
        .filter(sender__in=countries, host__in=countries)
        .values("sender", "host", "kind")
        .annotate(total=Count("pk"))
        .order_by("sender", "kind")
    )
    counts = {}
    for row in mission_counts:
        counts.setdefault(frozenset((row["sender"], row["host"])), []).append(row)
    singular = {value: label.lower() for value, label in records.Mission.Kind.choices}
    for relationship in relationships:
        both_ways = [visits[pk] for pk in (relationship.latest_visit_to_a, relationship.latest_visit_to_b) if pk]
        relationship.latest_visit = max(both_ways, key=lambda visit: visit.start_date, default=None)
        relationship.latest_meeting = meetings.get(relationship.latest_meeting_id)
        relationship.headline_figures = headline.get(relationship.pk, [])
        by_sender = {relationship.country_a_id: [], relationship.country_b_id: []}
        for row in counts.get(frozenset((relationship.country_a_id, relationship.country_b_id)), []):
            kind = singular[row["kind"]] if row["total"] == 1 else records.Mission.KIND_PLURALS[row["kind"]]
            by_sender[row["sender"]].append(f"{row['total']} {kind}")
        relationship.mission_counts = [
            (relationship.country_a, by_sender[relationship.country_a_id]),
            (relationship.country_b, by_sender[relationship.country_b_id]),
        ]
    return relationships


def latest_figures_by_relationship(relationships, beneath=None, **narrowed):
    """{relationship id: [LatestFigure]} of each series of these relationships, in the indicators' order."""
    figures = (
        records.Statistic.objects.filter(relationship__in=relationships, **narrowed)
        .latest_of_each_series(beneath)
        .order_by("relationship", "indicator__position", "indicator__name", "from_country__name", "period_end")
    )
    by_relationship = {}
    for latest in records.LatestFigure.of_series(figures):
        by_relationship.setdefault(latest.relationship_id, []).append(latest)
    return by_relationship


def attach_latest_figures(relationships, beneath=None):
    """Each relationship's latest figures; the indicators it has figures of but none marked preferred
    (whose sources disagree and no editor has chosen yet), where readers are sent to compare them;
    and the targets and changes its sources state (`beneath`: see PublishableQuerySet.published)."""
    latest = latest_figures_by_relationship(relationships, beneath)
    # Each indicator once per relationship it has published observed figures in (a target or a change
    # alone has none to prefer); the filter's join names the pair.
    with_figures = (
        records.Indicator.objects.filter(
            records.Statistic.published_condition("statistics__", beneath),
            statistics__relationship__in=relationships,
            statistics__kind=records.Statistic.Kind.FIGURE,
        )
        .annotate(of_relationship=F("statistics__relationship"))
        .distinct()
    )
    unpreferred = {}
    for indicator in with_figures:
        if not any(shown.indicator.pk == indicator.pk for shown in latest.get(indicator.of_relationship, [])):
            unpreferred.setdefault(indicator.of_relationship, []).append(indicator)
    statements = {}
    for statement in records.Statistic.objects.filter(relationship__in=relationships).targets_and_changes(beneath):
        statements.setdefault(statement.relationship_id, []).append(statement)
    for relationship in relationships:
        relationship.targets_and_changes = statements.get(relationship.pk, [])
        relationship.latest_figures = latest.get(relationship.pk, [])
        relationship.unpreferred_indicators = sorted(unpreferred.get(relationship.pk, []), key=lambda i: i.name)
    return relationships


def published_levels():
    """A relationship's published level records with their sources, to prefetch as `levels`: its current
    level and its ladder are derived from them (Relationship.level_ladder)."""
    # Published in themselves: the relationships shown are public, or previewed by staff on their own page.
    levels = records.RelationshipLevel.objects.filter(publication_status=records.PublicationStatus.PUBLISHED)
    levels = levels.select_related("source__reported_in")
    return Prefetch("levels", queryset=levels)


def overview_queryset():
    return latest_meetings(
        latest_visits(
            records.Relationship.objects.select_related("country_a", "country_b", "source__reported_in")
        ).prefetch_related(published_levels())
    )


class HomeView(ListView):
    template_name = "relations/home.html"
    context_object_name = "relationships"
    paginate_by = 10
    query_parameters = ("page",)

    def get_queryset(self):
        return overview_queryset().published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["relationships"] = attach_overview(context["page_obj"].object_list)
        return context


@dataclass
class SentMissions:
    """One country's missions in the other, as the pair's page lists them under a heading of their own:
    the first MISSIONS_SHOWN, and how many there are in all."""

    sender: records.Country
    host: records.Country
    missions: list
    total: int

    @property
    def heading(self):
        """'Türkiye’s missions in Kazakhstan'; 'Philippines’ missions in …' for a name ending in s."""
        name = self.sender.name
        return f"{name}’{'' if name.endswith('s') else 's'} missions in {self.host.name}"

    @property
    def more(self):
        return self.total - len(self.missions)


def missions_by_sender(pair):
    """Each country's missions in the other (first the pair's first country's), embassies first, then
    consulates general, consulates and honorary consulates, by city: one query (and one for the cities'
    former names) whatever their number, each sender's total counted over the same rows."""
    kind_order = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(records.Mission.Kind.values)),
        default=Value(len(records.Mission.Kind.values)),
    )
    missions = (
        records.Mission.objects.published()
        .of_relationship(pair)
        .select_related("place")
        .prefetch_related("place__former_names")
        .annotate(
            kind_rank=kind_order,
            rank_in_sender=Window(RowNumber(), partition_by=F("sender"), order_by=[kind_order, "place__name", "pk"]),
            sender_total=Window(Count("pk"), partition_by=F("sender")),
        )
        .filter(rank_in_sender__lte=MISSIONS_SHOWN)
        .order_by("kind_rank", "place__name", "pk")
    )
    sent = {pair.country_a_id: [], pair.country_b_id: []}
    totals = {}
    for mission in missions:
        sent[mission.sender_id].append(mission)
        totals[mission.sender_id] = mission.sender_total
    return [
        SentMissions(sender, host, sent[sender.pk], totals.get(sender.pk, 0))
        for sender, host in ((pair.country_a, pair.country_b), (pair.country_b, pair.country_a))
    ]


class RelationshipDetailView(DetailView):
    """A pair's page; a draft one only for signed-in staff, as a preview."""

    template_name = "relations/relationship_detail.html"
    context_object_name = "relationship"
    query_parameters = ()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # The pair named the other way round ('/relationships/kazakhstan-turkiye/') leads to its page.
            found = records.Relationship.objects.visible_to(request.user).named_by_countries(kwargs["slug"])
            if found is None or found.slug == kwargs["slug"]:
                raise
            return HttpResponsePermanentRedirect(found.get_absolute_url())

    def get_queryset(self):
        return overview_queryset().visible_to(self.request.user)

    def get_object(self, queryset=None):
        relationship = super().get_object(queryset)
        # The page lists every latest figure (attach_latest_figures), headline ones included.
        return attach_overview([relationship], headline=False)[0]

    def get_context_data(self, **kwargs):
        """The pair's own records, a few of each, each section linking to its list narrowed to the pair."""
        context = super().get_context_data(**kwargs)
        pair = self.object
        # The page is shown to readers only for a published pair; staff previewing a draft see its records too.
        context["milestones"] = pair.milestones.published(beneath="relationship")[:50]
        context["visits"] = (
            records.Visit.objects.published()
            .of_relationship(pair)
            .select_related("guest", "host", "country", "place")
            .prefetch_related("place__former_names")
            .order_by("-start_date")[:HUB_SHOWN]
        )
        meetings = records.CouncilMeeting.objects.published().select_related("place").order_by("-number")
        context["councils"] = (
            records.Council.objects.published()
            .of_relationship(pair)
            .prefetch_related(Prefetch("meetings", queryset=meetings))
            .order_by("name")
        )
        context["missions_by_sender"] = missions_by_sender(pair)
        attach_latest_figures([pair], beneath="relationship")
        context["organizations"] = (
            records.Organization.objects.published().of_relationship(pair).order_by("name")[:HUB_SHOWN]
        )
        return context


# ---------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------

VISIT_RELATED = ["guest__country", "host__country", "country", "place__country", "invited_by", "source"]


class VisitListView(FilteredListMixin, ListView):
    filter_form_class = forms.VisitFilterForm
    template_name = "relations/visit_list.html"
    context_object_name = "visits"

    def get_queryset(self):
        self.queryset = (
            records.Visit.objects.published()
            .select_related(*VISIT_RELATED)
            .prefetch_related("topics", "place__former_names")
        )
        return super().get_queryset()


def cited_outcomes():
    """A meeting's outcomes, each with its own source (cited, or the meeting's when it has none)."""
    return Prefetch("outcomes", queryset=records.Outcome.objects.select_related("source__reported_in"))


class VisitDetailView(PreviewMixin, DetailView):
    template_name = "relations/visit_detail.html"
    context_object_name = "visit"
    queryset = (
        records.Visit.objects.select_related(*VISIT_RELATED, "source__reported_in")
        .prefetch_related("topics", "place__former_names")
        .prefetch_related(
            Prefetch(
                "council_meetings",
                queryset=records.CouncilMeeting.objects.published()
                .select_related("council", "source__reported_in")
                .prefetch_related(cited_outcomes()),
            )
        )
    )


# ---------------------------------------------------------------------------
# Councils and meetings
# ---------------------------------------------------------------------------


class CouncilListView(FilteredListMixin, ListView):
    template_name = "relations/council_list.html"
    context_object_name = "councils"
    filter_form_class = forms.CouncilFilterForm
    queryset = (
        records.Council.objects.published()
        .annotate(meeting_total=Count("meetings", filter=records.CouncilMeeting.published_condition("meetings__")))
        .prefetch_related("members")
        .order_by("name")
    )


class CouncilDetailView(PreviewMixin, DetailView):
    template_name = "relations/council_detail.html"
    context_object_name = "council"
    queryset = records.Council.objects.select_related("source__reported_in").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = self.object.meetings.visible_to(self.request.user).select_related("place").order_by("-number")
        context["meetings"] = meetings.prefetch_related("co_chairs", "place__former_names")[:200]
        return context


class MeetingDetailView(PreviewMixin, DetailView):
    template_name = "relations/meeting_detail.html"
    context_object_name = "meeting"
    queryset = records.CouncilMeeting.objects.select_related(
        "council", "place__country", "visit__guest", "source__reported_in"
    ).prefetch_related("co_chairs", "place__former_names", "agenda_items__topic", cited_outcomes())

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, council__slug=self.kwargs["slug"], number=self.kwargs["number"])


# ---------------------------------------------------------------------------
# Missions
# ---------------------------------------------------------------------------

MISSION_RELATED = ["sender", "host", "place__country", "source"]


class MissionListView(FilteredListMixin, ListView):
    filter_form_class = forms.MissionFilterForm
    template_name = "relations/mission_list.html"
    context_object_name = "missions"
    paginate_by = 50

    def get_queryset(self):
        self.queryset = (
            records.Mission.objects.published()
            .select_related(*MISSION_RELATED)
            .prefetch_related("place__former_names")
            .order_by("sender__name", "kind", "place__name")
        )
        return super().get_queryset()


class MissionDetailView(PreviewMixin, DetailView):
    template_name = "relations/mission_detail.html"
    context_object_name = "mission"
    queryset = records.Mission.objects.select_related(*MISSION_RELATED, "source__reported_in").prefetch_related(
        "place__former_names"
    )


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------

FACTS_SHOWN = 50


class SourceDetailView(DetailView):
    """A source with everything published that cites it: where a reader checks one publication's facts."""

    template_name = "relations/source_detail.html"
    context_object_name = "source"
    query_parameters = ()

    def get_queryset(self):
        # A source only drafts cite stays unseen, as they are, but for staff.
        sources = records.Source.objects.select_related("reported_in")
        return sources if self.request.user.is_staff else sources.cited()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facts = []
        for record_type in RECORD_TYPES:
            if not record_type.cites_as:
                continue
            citing = record_type.public().filter(source=self.object).select_related(*record_type.named_with)
            shown = list(citing[:FACTS_SHOWN])
            count = citing.count() if len(shown) == FACTS_SHOWN else len(shown)
            if shown:
                facts.append(
                    {"label": record_type.cites_as, "records": shown, "count": count, "more": count - len(shown)}
                )
        context["facts"] = facts
        context["reports"] = self.object.reports.all()[:FACTS_SHOWN]
        return context


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------


def indicators_with_figures():
    return records.Indicator.objects.filter(
        Exists(records.Statistic.objects.published().filter(indicator=OuterRef("pk")))
    )


class IndicatorListView(FilteredListMixin, ListView):
    """The latest figure of each indicator for each pair, a section per pair, in the home page's order."""

    filter_form_class = forms.StatisticsFilterForm
    template_name = "relations/indicator_list.html"
    context_object_name = "relationships"
    paginate_by = 10

    def get_queryset(self):
        figures = records.Statistic.objects.published().filter(relationship=OuterRef("pk"))
        relationships = records.Relationship.objects.published().filter(Exists(figures))
        self.queryset = relationships.select_related("country_a", "country_b")
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_latest_figures(context["page_obj"].object_list)
        context["indicators"] = indicators_with_figures().order_by("position", "name")
        return context


class IndicatorDetailView(DetailView):
    """Every figure of an indicator, or of one pair's series (?relationship=): charts, table, CSV, and the
    charts as an SVG file."""

    template_name = "relations/indicator_detail.html"
    context_object_name = "indicator"
    model = records.Indicator
    max_figures = 200
    # The charts draw a whole series (a figure a month for decades is a few hundred points); past this many
    # points the page would weigh more than a reader's phone should load, and the CSV has them.
    max_charted = 5000
    max_charts = 12
    query_parameters = ("format", "relationship")

    def series(self):
        statistics = self.object.statistics.published()
        if self.relationship is not None:
            statistics = statistics.of_relationship(self.relationship)
        return statistics.select_related(
            "relationship__country_a",
            "relationship__country_b",
            "from_country",
            "to_country",
            "source__reported_in",
        ).order_by(
            "relationship__position",
            "relationship__slug",
            "from_country__name",
            F("period_end").asc(nulls_last=True),
            "-is_preferred",
            "source__title",
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.filter_form = forms.IndicatorFilterForm(request.GET or None)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            raise BadRequest(self.filter_form.problems())
        self.relationship = self.filter_form.is_bound and self.filter_form.cleaned_data.get("relationship") or None
        if self.relationship is not None and request.GET["relationship"] != self.relationship.slug:
            # The pair named another way ('kazakhstan-turkiye') leads to the one address of its series.
            query = {**request.GET.dict(), "relationship": self.relationship.slug}
            return HttpResponsePermanentRedirect(f"{request.path}?{urlencode(query)}")
        wanted = request.GET.get("format", "html")
        if wanted == "csv":
            return series_csv(self.object, self.series(), self.relationship)
        if wanted == "svg":
            return self.charts_svg()
        if wanted != "html":
            raise Http404("This page has no such format.")
        return self.render_to_response(self.get_context_data(object=self.object))

    def charted_figures(self):
        """What the charts draw: every preferred observed figure and every target of the page's series, not only
        those the table lists, so that a long series is charted to its latest figure."""
        kinds = records.Statistic.Kind
        return self.series().filter(Q(kind=kinds.FIGURE, is_preferred=True) | Q(kind=kinds.TARGET))[: self.max_charted]

    def latest_figures(self):
        """The table's figures: the latest max_figures of the page, in its order (the CSV has them all)."""
        latest = self.series().order_by(F("period_end").desc(nulls_last=True), "-pk").values("pk")[: self.max_figures]
        return list(self.series().filter(pk__in=list(latest.values_list("pk", flat=True))))

    def charted(self, figures):
        """(series, targets): the preferred observed figures of each series (a pair, a direction, a unit),
        and the targets stated for it, in the page's order."""
        series, targets = {}, {}
        for figure in figures:
            key = (figure.relationship_id, figure.from_country_id, figure.to_country_id, figure.unit)
            if figure.kind == records.Statistic.Kind.TARGET:
                targets.setdefault(key, []).append(figure)
            elif figure.kind == records.Statistic.Kind.FIGURE and figure.is_preferred:
                series.setdefault(key, []).append(figure)
        return series, targets

    def charts_svg(self):
        """The page's charts as one SVG file to download (?format=svg): each under its caption, drawn
        without the site's stylesheet, with the page's address, where the figures' sources are."""
        series, targets = self.charted(self.charted_figures())
        if not series:
            raise Http404("This page has no chart to download.")
        drawn = [
            (
                series_title(observed[0]),
                charts.draw_series(
                    f"{self.object.name}, {series_title(observed[0])}", observed, targets.get(key, []), standalone=True
                ),
            )
            for key, observed in list(series.items())[: self.max_charts]
        ]
        pair = self.relationship
        title = f"{self.object.name}: {pair.country_a.name} and {pair.country_b.name}" if pair else self.object.name
        page = self.request.build_absolute_uri(self.request.path + (f"?relationship={pair.slug}" if pair else ""))
        response = HttpResponse(
            charts.svg_document(title, drawn, note=f"Every figure with its source: {page}"),
            content_type="image/svg+xml; charset=utf-8",
        )
        name = f"{self.object.slug}-{pair.slug}" if pair else self.object.slug
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = self.latest_figures()
        context["truncated"] = len(context["figures"]) == self.max_figures
        context["relationship"] = self.relationship
        context["filter_form"] = self.filter_form
        series, targets = self.charted(self.charted_figures())
        context["charts"] = [
            {
                "title": series_title(observed[0]),
                "relationship": observed[0].relationship,
                "line": charts.draws_line(observed),
                "svg": charts.series_chart(
                    f"{self.object.name}, {series_title(observed[0])}", observed, targets.get(key, [])
                ),
            }
            for key, observed in list(series.items())[: self.max_charts]
        ]
        context["has_line_chart"] = any(chart["line"] for chart in context["charts"])
        context["has_column_chart"] = not all(chart["line"] for chart in context["charts"])
        # Each target with the latest observed full period of its series beside it.
        context["targets"] = [
            (target, next((f for f in reversed(series.get(key, [])) if not f.is_partial_period), None))
            for key, stated in targets.items()
            for target in stated
        ]
        context["charts_left_out"] = max(len(series) - self.max_charts, 0)
        return context


def series_title(figure):
    """'Türkiye and Kazakhstan', with the direction where the figure has one."""
    pair = f"{figure.relationship.country_a.name} and {figure.relationship.country_b.name}"
    direction = figure.direction_display()
    return f"{pair}: {direction}" if direction else pair


def series_csv(indicator, statistics, relationship=None):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{indicator.slug}-{relationship.slug}" if relationship else indicator.slug
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Relationship", "Period", "Period start", "Period end", "From", "To", "Qualifier", "Value", "Unit"]
        + ["Equivalent value", "Equivalent unit", "Preferred", "Source", "Source address"]
        + ["Kind", "As worded", "Stated on", "Horizon as worded", "Compared with"]
    )
    for figure in statistics.iterator(chunk_size=2000):
        # Editors' text (a source's title) must not run as a formula in the reader's spreadsheet.
        writer.writerow(
            escape_formula(cell)
            for cell in [
                figure.relationship.slug,
                figure.period_display(),
                figure.period_start.isoformat() if figure.period_start else "",
                figure.period_end.isoformat() if figure.period_end else "",
                figure.from_country.code if figure.from_country else "",
                figure.to_country.code if figure.to_country else "",
                figure.get_qualifier_display(),
                format(figure.value.normalize(), "f"),
                figure.unit,
                format(figure.equivalent_value.normalize(), "f") if figure.equivalent_value is not None else "",
                figure.equivalent_unit,
                ("yes" if figure.is_preferred else "no") if figure.kind == figure.Kind.FIGURE else "",
                figure.source.title,
                figure.source.url,
                figure.kind,
                figure.statement_display(),
                figure.stated_on_display(),
                figure.horizon_wording,
                figure.base_year or "",
            ]
        )
    return response


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------


class OrganizationListView(FilteredListMixin, ListView):
    filter_form_class = forms.OrganizationFilterForm
    template_name = "relations/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self):
        memberships = records.Membership.objects.published().select_related("country")
        self.queryset = (
            records.Organization.objects.published()
            .select_related("parent")
            .prefetch_related("former_names", Prefetch("memberships", queryset=memberships))
            .order_by(F("parent__name").asc(nulls_first=True), "name")
        )
        return super().get_queryset()


class OrganizationDetailView(PreviewMixin, DetailView):
    template_name = "relations/organization_detail.html"
    context_object_name = "organization"
    queryset = records.Organization.objects.select_related("parent", "source__reported_in").prefetch_related(
        "former_names",
        Prefetch(
            "memberships",
            queryset=records.Membership.objects.published().select_related("country", "source__reported_in"),
        ),
        Prefetch("affiliates", queryset=records.Organization.objects.published()),
    )


# ---------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------


class CountryDetailView(DetailView):
    """A country as a reader's way in: its relationships, its missions abroad and those it hosts,
    visits to and from it, and the organizations it belongs to."""

    template_name = "relations/country_detail.html"
    context_object_name = "country"
    model = records.Country
    query_parameters = ()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A country's ISO code, in any case ('/countries/tr/'), leads to its page.
            found = records.Country.objects.filter(code=kwargs["slug"].upper()).first()
            if found is None or found.slug == kwargs["slug"]:
                raise
            return HttpResponsePermanentRedirect(found.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        missions = (
            records.Mission.objects.published()
            .select_related("sender", "host", "place")
            .prefetch_related("place__former_names")
        )
        context.update(
            relationships=records.Relationship.objects.published()
            .filter(Q(country_a=country) | Q(country_b=country))
            .select_related("country_a", "country_b")
            .prefetch_related(published_levels())
            .order_by("position", "slug"),
            missions_abroad=missions.filter(sender=country).order_by("host__name", "kind", "place__name"),
            missions_hosted=missions.filter(host=country).order_by("sender__name", "kind", "place__name"),
            visits=records.Visit.objects.published()
            .filter(Q(country=country) | Q(guest__country=country))
            .select_related("guest", "host", "country", "place")
            .order_by("-start_date")[:HUB_SHOWN],
            memberships=records.Membership.objects.published()
            .filter(country=country)
            .select_related("organization")
            .order_by("organization__name"),
        )
        return context


# ---------------------------------------------------------------------------
# Timeline and search
# ---------------------------------------------------------------------------


class TimelineView(FilteredListMixin, TemplateView):
    """Milestones, visits and contacts, council meetings and targets set, in date order, one page of the
    merged list at a time."""

    filter_form_class = forms.TimelineFilterForm
    template_name = "relations/timeline.html"

    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.paginate(self.sources(self.filter_form)))
        return context

    def sources(self, form):
        """Each record type as (date, type, id) rows in date order, read from its date index."""
        sources = [
            # A milestone without a date stands at the start of its year for sorting.
            records.Milestone.objects.published().annotate(on=timeline_date(), record_type=Value("milestone")),
            records.Visit.objects.published().annotate(on=F("start_date"), record_type=Value("visit")),
            records.CouncilMeeting.objects.published().annotate(on=F("date"), record_type=Value("meeting")),
            # A target stands on the day it was set.
            records.Statistic.objects.published()
            .filter(kind=records.Statistic.Kind.TARGET)
            .annotate(on=F("stated_on"), record_type=Value("target")),
        ]
        if form.is_bound:
            if not form.is_valid():
                return []
            sources = [form.apply(source) for source in sources]
        return [source.order_by("on", "pk").values_list("on", "record_type", "pk") for source in sources]

    def paginate(self, sources):
        # The merged list is never sorted whole: page n needs at most n pages' rows of each type.
        paginator = Paginator(range(sum(source.count() for source in sources)), self.per_page)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from None
        end = page.number * self.per_page
        merged = heapq.merge(*(source[:end] for source in sources))
        rows = list(itertools.islice(merged, end - self.per_page, end))
        wanted = {"milestone": [], "visit": [], "meeting": [], "target": []}
        for _, record_type, pk in rows:
            wanted[record_type].append(pk)
        loaded = {
            "milestone": records.Milestone.objects.select_related(
                "source__reported_in", "relationship__country_a", "relationship__country_b"
            ).in_bulk(wanted["milestone"]),
            "visit": records.Visit.objects.select_related("guest", "host", "country", "place").in_bulk(wanted["visit"]),
            "meeting": records.CouncilMeeting.objects.select_related("council", "place").in_bulk(wanted["meeting"]),
            "target": records.Statistic.objects.select_related(
                "indicator", "source__reported_in", "relationship__country_a", "relationship__country_b"
            ).in_bulk(wanted["target"]),
        }
        entries = [(record_type, loaded[record_type][pk]) for _, record_type, pk in rows]
        return {"entries": entries, "page_obj": page, "is_paginated": paginator.num_pages > 1}


class SearchView(TemplateView):
    template_name = "relations/search.html"
    query_parameters = ("q",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        if len(query) > MAX_QUERY_LENGTH:
            raise BadRequest(f"A search can be at most {MAX_QUERY_LENGTH} characters long.")
        query = "".join(char for char in query if char.isprintable())
        # results: search.Results — groups of Hits (title, url, kind, date, marked snippet), the query as
        # understood (its suggestion when a word was a typo) and the total.
        found = search.results(query)
        context.update(
            query=query,
            results=found,
            groups=found.groups,
            result_total=found.total,
            has_words=bool(found.query.words),
            suggestion=found.query.suggestion,
        )
        return context


@transaction.non_atomic_requests
def healthz(request):
    """Which part is down. 503 when the database does not answer: the site cannot work without it.
    200 "degraded" when only the page cache cannot store pages (they are served uncached) or uploads cannot
    be stored (imports in the admin wait); "full" names a full disk."""
    parts = {"database": database_status(), "cache": cache_status(), "uploads": uploads_status()}
    if parts["database"] != "ok":
        return JsonResponse({"status": "database unavailable", **parts}, status=503)
    return JsonResponse({"status": "ok" if set(parts.values()) == {"ok"} else "degraded", **parts})


def database_status():
    try:
        # Any query will do: it answers only when the database does.
        records.Country.objects.exists()
    except Exception as error:
        logger.error("Health check: the database does not answer (%s: %s).", type(error).__name__, error)
        return "unavailable"
    return "ok"


def write_failure(error):
    """How a failed write is reported: "full" for a full disk or quota, "unwritable" for any other refusal."""
    return "full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "unwritable"


def cache_status():
    """Whether the page cache stores a value and gives it back. Only a write shows a full disk under the
    file-based cache (its reads still work), so a probe key is written, read and removed."""
    key = f"relations:healthz:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    try:
        cache.set(key, token, 60)
        kept = cache.get(key) == token
        cache.delete(key)
    except OSError as error:
        # The file-based cache's folder; Redis's failures are not OSErrors.
        status = write_failure(error)
        logger.error("Health check: the page cache cannot store pages (%s: %s).", type(error).__name__, error)
        return status
    except Exception as error:
        logger.error("Health check: the page cache does not answer (%s: %s).", type(error).__name__, error)
        return "unavailable"
    if not kept:
        logger.error("Health check: the page cache answers but keeps nothing.")
        return "unwritable"
    return "ok"


def uploads_status():
    """Whether an import file can wait in MEDIA_ROOT for its confirmation: a probe file is written and removed
    (the folder is made when missing, as the first upload would make it)."""
    probe = Path(settings.MEDIA_ROOT) / f".healthz-{uuid.uuid4().hex}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        try:
            probe.write_bytes(b"ok\n")
        finally:
            probe.unlink(missing_ok=True)
    except OSError as error:
        status = write_failure(error)
        logger.error("Health check: import files cannot be stored in MEDIA_ROOT (%s: %s).", type(error).__name__, error)
        return status
    return "ok"


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap}\n", content_type="text/plain")


robots_txt.query_parameters = ()
