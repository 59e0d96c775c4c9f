"""Visits and contacts, councils and their meetings."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .. import forms
from .. import models as records
from .base import AddressesMixin, FilteredListMixin, PreviewMixin

VISIT_RELATED = ["guest__country", "host__country", "country", "place__country", "invited_by", "source"]


class VisitListView(AddressesMixin, FilteredListMixin, ListView):
    filter_form_class = forms.VisitFilterForm
    template_name = "relations/visit_list.html"
    context_object_name = "visits"

    def get_queryset(self):
        # Only what a visit's line names: its people, destination and city.
        return self.filtered(
            records.Visit.objects.published()
            .select_related("guest", "host", "country", "place")
            .prefetch_related("topics", "place__former_names")
        )


def cited_outcomes():
    """A meeting's outcomes, each with its own source (cited, or the meeting's when it has none)."""
    return Prefetch("outcomes", queryset=records.Outcome.objects.select_related("source__reported_in"))


def visit_programme():
    """A visit's programme in order, each part with its people, city and own source (cited when it has one)."""
    return Prefetch(
        "programme",
        queryset=records.Engagement.objects.select_related("place", "source__reported_in").prefetch_related(
            "people", "place__former_names"
        ),
    )


def cited_visit_outcomes():
    """A visit's outcomes, each with its own source (cited, or the visit's when it has none)."""
    return Prefetch("outcomes", queryset=records.VisitOutcome.objects.select_related("source__reported_in"))


class VisitDetailView(AddressesMixin, PreviewMixin, DetailView):
    template_name = "relations/visit_detail.html"
    context_object_name = "visit"
    queryset = (
        records.Visit.objects.select_related(*VISIT_RELATED, "source__reported_in")
        .prefetch_related("topics", "place__former_names", visit_programme(), cited_visit_outcomes())
        .prefetch_related(Prefetch("further_sources", queryset=records.Source.objects.select_related("reported_in")))
        .prefetch_related(
            Prefetch(
                "council_meetings",
                queryset=records.CouncilMeeting.objects.published()
                .select_related("council", "source__reported_in")
                .prefetch_related(cited_outcomes()),
            )
        )
    )


class CouncilListView(AddressesMixin, FilteredListMixin, ListView):
    template_name = "relations/council_list.html"
    context_object_name = "councils"
    filter_form_class = forms.CouncilFilterForm
    queryset = (
        records.Council.objects.published()
        .annotate(meeting_total=Count("meetings", filter=records.CouncilMeeting.published_condition("meetings__")))
        .prefetch_related("members")
        .order_by("name")
    )


class CouncilDetailView(AddressesMixin, PreviewMixin, DetailView):
    template_name = "relations/council_detail.html"
    context_object_name = "council"
    queryset = records.Council.objects.select_related("source__reported_in").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = self.object.meetings.visible_to(self.request.user).select_related("place").order_by("-number")
        context["meetings"] = meetings.prefetch_related("co_chairs", "place__former_names")[:200]
        return context


class MeetingDetailView(AddressesMixin, PreviewMixin, DetailView):
    template_name = "relations/meeting_detail.html"
    context_object_name = "meeting"
    queryset = records.CouncilMeeting.objects.select_related(
        "council", "place__country", "visit__guest", "source__reported_in"
    ).prefetch_related("co_chairs", "place__former_names", "agenda_items__topic", cited_outcomes())

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, council__slug=self.kwargs["slug"], number=self.kwargs["number"])
