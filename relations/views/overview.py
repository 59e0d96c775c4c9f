"""The home page and a relationship's page: each pair with its level, latest visit and meeting, missions and figures."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Subquery, Value, When, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from .. import languages
from .. import models as records
from ..dates import format_partial_date
from ..models.milestones import timeline_date
from .base import HUB_SHOWN, AddressesMixin, published_levels
from .statistics import FIGURES_SHOWN, latest_figures_by_relationship, pair_figures

# Missions of each sender on a relationship's page: a country's consulates and honorary consulates run long.
MISSIONS_SHOWN = HUB_SHOWN * 2


def latest_visits(relationships):
    """The latest visit each way between the two countries, one index scan per direction: a visit that took place,
    never one only announced (planned) nor a phone call or a meeting on the sidelines (Visit.CONTACTS); and the
    latest announced one each way, shown as planned beside it. Annotated as the visits' ids, `latest_visit_to_a`,
    `latest_visit_to_b`, `planned_visit_to_a` and `planned_visit_to_b`, which pair_overviews loads."""
    visits = records.Visit.objects.published().exclude(kind__in=records.Visit.CONTACTS).order_by("-start_date")
    to_a = {"country": OuterRef("country_a"), "guest__country": OuterRef("country_b")}
    to_b = {"country": OuterRef("country_b"), "guest__country": OuterRef("country_a")}
    # A direction each, not both in one condition: each is then read from the destination's index.
    held, planned = visits.filter(planned=False).values("pk"), visits.filter(planned=True).values("pk")
    return relationships.annotate(
        latest_visit_to_a=Subquery(held.filter(**to_a)[:1]),
        latest_visit_to_b=Subquery(held.filter(**to_b)[:1]),
        planned_visit_to_a=Subquery(planned.filter(**to_a)[:1]),
        planned_visit_to_b=Subquery(planned.filter(**to_b)[:1]),
    )


def stated_anniversaries(relationships):
    """The latest anniversary of diplomatic relations a source states of each relationship (a published milestone
    with the source's own count), annotated as its id, `stated_anniversary_id`, which pair_overviews loads. A draft
    relationship's page is a preview: its milestones as readers will see them once it is published."""
    stated = (
        records.Milestone.objects.published(beneath="relationship")
        .filter(relationship=OuterRef("pk"), anniversary__isnull=False)
        .order_by(timeline_date().desc(), "-pk")
    )
    return relationships.annotate(stated_anniversary_id=Subquery(stated.values("pk")[:1]))


def latest_meetings(relationships):
    """The latest council meeting of a council both countries sit on, annotated as its id,
    `latest_meeting_id`, which pair_overviews loads."""
    pair_meetings = (
        records.CouncilMeeting.objects.published()
        .filter(council__members=OuterRef("country_a"))
        .filter(council__members=OuterRef("country_b"))
    )
    return relationships.annotate(
        latest_meeting_id=Subquery(pair_meetings.order_by("-date").values("pk")[:1]),
    )


def overview_queryset():
    """Relationships with their countries, sources (their own and the establishment's) and levels, annotated by
    latest_visits, latest_meetings and stated_anniversaries: what pair_overviews needs."""
    relationships = records.Relationship.objects.select_related(
        "country_a", "country_b", "source__reported_in", "established_source__reported_in"
    )
    return stated_anniversaries(latest_meetings(latest_visits(relationships))).prefetch_related(published_levels())


@dataclass(frozen=True)
class PairOverview:
    """What relations/relationship_summary.html shows of a pair beside the relationship's own fields (its level,
    summary and source), on the home page and at the top of the pair's page. Made by pair_overviews."""

    relationship: records.Relationship
    # The later of the latest visit each way that took place (latest_visits), or None.
    latest_visit: records.Visit | None
    # The later of the latest visit announced each way and not yet held, shown as planned, or None.
    planned_visit: records.Visit | None
    latest_meeting: records.CouncilMeeting | None
    # LatestFigure of each series of the headline indicators; none on the pair's page, which lists them all.
    headline_figures: tuple
    # (country, ("3 consulates general", "1 embassy")) for each country's missions in the other, the first first.
    mission_counts: tuple
    # The latest anniversary of diplomatic relations a source states (a published milestone with the source's own
    # count), shown as that source's statement beside the one worked out from the establishment date, or alone
    # without one; None when no source states one.
    stated_anniversary: records.Milestone | None = None

    def established_on(self):
        """The date diplomatic relations were established, at its precision, without the state they were
        established with (Relationship.established_display), which the page words a sentence of its own around."""
        relationship = self.relationship
        return format_partial_date(relationship.established_on, relationship.established_on_precision)


def pair_overviews(relationships, headline=True, missions=None):
    """A PairOverview of each of a page of relationships (from overview_queryset): headline figures (unless the
    page lists every latest figure), latest visit and meeting, and mission counts (counted from `missions`, every
    published mission of one pair, when its page has read them already)."""
    relationships = list(relationships)
    if not relationships:
        return []
    visits = (
        records.Visit.objects.select_related("guest", "host", "country", "place")
        .prefetch_related("place__former_names")
        .in_bulk(
            [
                pk
                for r in relationships
                for pk in (r.latest_visit_to_a, r.latest_visit_to_b, r.planned_visit_to_a, r.planned_visit_to_b)
                if pk
            ]
        )
    )
    # Read only when a source states one (in_bulk of no ids reads nothing).
    anniversaries = records.Milestone.objects.select_related("source__reported_in").in_bulk(
        [r.stated_anniversary_id for r in relationships if r.stated_anniversary_id]
    )
    meetings = records.CouncilMeeting.objects.select_related("council", "place").in_bulk(
        [r.latest_meeting_id for r in relationships if r.latest_meeting_id]
    )
    # The headline indicators' series found from their index, not by reading each pair's every figure.
    headlines = records.Indicator.objects.filter(is_headline=True).values("pk")
    headline = latest_figures_by_relationship(relationships, indicator__in=headlines) if headline else {}
    if missions is None:
        countries = {c for r in relationships for c in (r.country_a_id, r.country_b_id)}
        mission_counts = (
            records.Mission.objects.published()
            .filter(sender__in=countries, host__in=countries)
            .values("sender", "host", "kind")
            .annotate(total=Count("pk"))
            .order_by("sender", "kind")
        )
    else:
        totals = Counter((mission.sender_id, mission.host_id, mission.kind) for mission in missions)
        mission_counts = [
            {"sender": sender, "host": host, "kind": kind, "total": total}
            for (sender, host, kind), total in sorted(totals.items())
        ]
    counts = {}
    for row in mission_counts:
        counts.setdefault(frozenset((row["sender"], row["host"])), []).append(row)
    overviews = []
    for relationship in relationships:
        both_ways = [visits[pk] for pk in (relationship.latest_visit_to_a, relationship.latest_visit_to_b) if pk]
        announced = [visits[pk] for pk in (relationship.planned_visit_to_a, relationship.planned_visit_to_b) if pk]
        by_sender = {relationship.country_a_id: [], relationship.country_b_id: []}
        for row in counts.get(frozenset((relationship.country_a_id, relationship.country_b_id)), []):
            by_sender[row["sender"]].append(records.Mission.KIND_COUNTS[row["kind"]] % {"count": row["total"]})
        overviews.append(
            PairOverview(
                relationship=relationship,
                latest_visit=max(both_ways, key=lambda visit: visit.start_date, default=None),
                planned_visit=max(announced, key=lambda visit: visit.start_date, default=None),
                latest_meeting=meetings.get(relationship.latest_meeting_id),
                headline_figures=tuple(headline.get(relationship.pk, [])),
                mission_counts=(
                    (relationship.country_a, tuple(by_sender[relationship.country_a_id])),
                    (relationship.country_b, tuple(by_sender[relationship.country_b_id])),
                ),
                stated_anniversary=anniversaries.get(relationship.stated_anniversary_id),
            )
        )
    return overviews


def with_outcomes(visits):
    """Visits annotated `has_outcomes`, whether they produced anything recorded (VisitOutcome): read_outcomes reads
    the outcomes of those that did."""
    return visits.annotate(has_outcomes=Exists(records.VisitOutcome.objects.filter(visit=OuterRef("pk"))))


def read_outcomes(visits):
    """The outcomes of those of `visits` (with_outcomes) that have any, prefetched as `outcomes` in one query, each
    with its own source: it cites that or its visit's (VisitOutcome.cited_source), so the visits are read with their
    sources. No query when none has any, as most have not; templates ask `has_outcomes` before reading them."""
    outcomes = records.VisitOutcome.objects.select_related("source__reported_in")
    prefetch_related_objects([visit for visit in visits if visit.has_outcomes], Prefetch("outcomes", queryset=outcomes))
    return visits


class HomeView(AddressesMixin, ListView):
    """Each pair's overview (PairOverview, as `overviews`), five to a page: each reads its latest visit, meeting,
    figures and missions, and a page of them should still come uncached in a few tens of milliseconds."""

    template_name = "relations/home.html"
    context_object_name = "relationships"
    paginate_by = 5
    query_parameters = ("page",)

    def get_queryset(self):
        return overview_queryset().published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overviews"] = pair_overviews(context["page_obj"].object_list)
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
        """'Türkiye’s missions in Kazakhstan'; 'Philippines’ missions in …' for a name ending in s. In the page's
        language, the countries' names too."""
        names = {"sender": languages.translated(self.sender, "name"), "host": languages.translated(self.host, "name")}
        if names["sender"].endswith("s"):
            # Translators: the missions of a country whose name ends in s ('Philippines’ missions in Türkiye').
            return _("%(sender)s’ missions in %(host)s") % names
        return _("%(sender)s’s missions in %(host)s") % names

    @property
    def more(self):
        return self.total - len(self.missions)


def pair_missions(pair):
    """Every published mission of each country of the pair in the other, embassies first, then consulates
    general, consulates and honorary consulates, by city: one query (and one for the cities' former names)."""
    # Read whole (cut by missions_by_sender, counted by pair_overviews): a pair's missions are a few dozen at most,
    # one a city, and ranking them in the database (a window filtered by rank) cost several times more to build
    # than reading them all.
    kind_order = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(records.Mission.Kind.values)),
        default=Value(len(records.Mission.Kind.values)),
    )
    return list(
        records.Mission.objects.published()
        .of_relationship(pair)
        .select_related("place")
        .prefetch_related("place__former_names")
        .order_by(kind_order, "place__name", "pk")
    )


def missions_by_sender(pair, missions):
    """The pair's missions (pair_missions) under each sender, the first MISSIONS_SHOWN of each."""
    sent = {pair.country_a_id: [], pair.country_b_id: []}
    for mission in missions:
        sent[mission.sender_id].append(mission)
    return [
        SentMissions(sender, host, sent[sender.pk][:MISSIONS_SHOWN], len(sent[sender.pk]))
        for sender, host in ((pair.country_a, pair.country_b), (pair.country_b, pair.country_a))
    ]


class RelationshipDetailView(AddressesMixin, DetailView):
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

    def get_context_data(self, **kwargs):
        """The pair's overview (`overview`, a PairOverview) and latest figures (`figures`, a PairFigures), and its
        own records, a few of each, each section linking to its list narrowed to the pair."""
        context = super().get_context_data(**kwargs)
        pair = self.object
        missions = pair_missions(pair)
        # The page lists every latest figure (`figures`), headline ones included.
        context["overview"] = pair_overviews([pair], headline=False, missions=missions)[0]
        # The page is shown to readers only for a published pair; staff previewing a draft see its records too.
        context["milestones"] = pair.milestones.published(beneath="relationship")[:HUB_SHOWN]
        # Named by their title, which gives a city's current name only; each with what it produced, each outcome
        # citing its own source or the visit's.
        context["visits"] = read_outcomes(
            list(
                with_outcomes(records.Visit.objects.published().of_relationship(pair))
                .select_related("guest", "host", "country", "place", "source__reported_in")
                .order_by("-start_date")[:HUB_SHOWN]
            )
        )
        meetings = records.CouncilMeeting.objects.published().select_related("place").order_by("-number")
        context["councils"] = (
            records.Council.objects.published()
            .of_relationship(pair)
            .prefetch_related(Prefetch("meetings", queryset=meetings))
            .order_by("name")
        )
        context["missions_by_sender"] = missions_by_sender(pair, missions)
        # Its first few indicators: its statistics (?relationship=) list them all.
        context["figures"] = pair_figures([pair], beneath="relationship", indicators_shown=FIGURES_SHOWN)[0]
        context["organizations"] = (
            records.Organization.objects.published().of_relationship(pair).order_by("name")[:HUB_SHOWN]
        )
        return context
