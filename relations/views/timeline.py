"""The timeline: milestones, visits, council meetings and targets set, merged in date order."""

import heapq
import itertools

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, Value
from django.http import Http404
from django.views.generic import TemplateView

from .. import forms
from .. import models as records
from ..models.milestones import timeline_date
from .base import FilteredListMixin


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
