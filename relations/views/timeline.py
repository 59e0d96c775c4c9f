"""The timeline: milestones, visits (with their outcomes), council meetings and targets set, merged in date order;
what is only announced shown as planned."""

import heapq
import itertools
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, Q
from django.http import Http404
from django.views.generic import TemplateView

from .. import forms
from .. import models as records
from ..models.milestones import timeline_date
from .base import AddressesMixin, FilteredListMixin
from .overview import read_outcomes, with_outcomes


@dataclass(frozen=True)
class TimelineSource:
    """One record type of the timeline: its entries' type in the template, its published records (those
    `narrowed` to) each dated `on` by `date` and read in date order on their date index (`order`), and what
    an entry shows of each (`related`)."""

    record_type: str
    model: type
    date: object
    order: tuple
    related: tuple
    narrowed: Q = Q()

    def rows(self, form):
        """(date, id) of its records the filter form lets through, in date order."""
        dated = self.model.objects.published().filter(self.narrowed).annotate(on=self.date)
        return (form.apply(dated) if form.is_bound else dated).order_by(*self.order).values_list("on", "pk")

    def tagged(self, rows):
        """Its rows as (date, source, id), to merge with the others'."""
        return ((on, self, pk) for on, pk in rows)

    def load(self, ids):
        return self.model.objects.select_related(*self.related).in_bulk(ids)


class VisitsOnTimeline(TimelineSource):
    """Visits, each with what it produced (its outcomes, read only for those that have any)."""

    def load(self, ids):
        visits = with_outcomes(self.model.objects.select_related(*self.related)).in_bulk(ids)
        read_outcomes(visits.values())
        return visits


# Each record type once; on the same day, entries follow this order.
TIMELINE_SOURCES = (
    # A milestone without a date stands at the start of its year for sorting.
    TimelineSource(
        "milestone",
        records.Milestone,
        timeline_date(),
        ("on", "pk"),
        ("source__reported_in", "relationship__country_a", "relationship__country_b"),
    ),
    # In the order of the visits' newest-first index (start date, then slug), read backwards; each with what it
    # produced, each outcome citing its own source or the visit's.
    VisitsOnTimeline(
        "visit",
        records.Visit,
        F("start_date"),
        ("on", "-slug"),
        ("guest", "host", "country", "place", "source__reported_in"),
    ),
    TimelineSource("meeting", records.CouncilMeeting, F("date"), ("on", "pk"), ("council", "place")),
    # A target stands on the day it was set.
    TimelineSource(
        "target",
        records.Statistic,
        F("stated_on"),
        ("on", "pk"),
        (
            "indicator",
            "source__reported_in",
            "relationship__country_a",
            "relationship__country_b",
            "from_country",
            "to_country",
        ),
        narrowed=Q(kind=records.Statistic.Kind.TARGET),
    ),
)


class TimelineView(AddressesMixin, FilteredListMixin, TemplateView):
    """Milestones, visits and contacts, council meetings and targets set, in date order, one page of the
    merged list at a time."""

    filter_form_class = forms.TimelineFilterForm
    template_name = "relations/timeline.html"

    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.paginate())
        return context

    def paginate(self):
        """The page's entries as (type, record). The merged list is never sorted whole: page n needs at most
        n pages' rows of each type."""
        form = self.filter_form
        readable = not form.is_bound or form.is_valid()
        sources = [(source, source.rows(form)) for source in TIMELINE_SOURCES] if readable else []
        paginator = Paginator(range(sum(rows.count() for _, rows in sources)), self.per_page)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from None
        end = page.number * self.per_page
        # By date alone: entries of one day keep their type's order (TIMELINE_SOURCES), then their own.
        merged = heapq.merge(*(source.tagged(rows[:end]) for source, rows in sources), key=lambda row: row[0])
        shown = list(itertools.islice(merged, end - self.per_page, end))
        loaded = {
            source: source.load([pk for _, shown_source, pk in shown if shown_source is source])
            for source, _ in sources
        }
        entries = [(source.record_type, loaded[source][pk]) for _, source, pk in shown]
        return {"entries": entries, "page_obj": page, "is_paginated": paginator.num_pages > 1}
