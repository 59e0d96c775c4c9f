"""Diplomatic missions: embassies, consulates and honorary consulates."""

from django.views.generic import DetailView, ListView

from .. import forms
from .. import models as records
from .base import AddressesMixin, FilteredListMixin, PreviewMixin

MISSION_RELATED = ["sender", "host", "place__country", "source"]


class MissionListView(AddressesMixin, FilteredListMixin, ListView):
    filter_form_class = forms.MissionFilterForm
    template_name = "relations/mission_list.html"
    context_object_name = "missions"
    paginate_by = 50

    def get_queryset(self):
        return self.filtered(
            records.Mission.objects.published()
            .select_related(*MISSION_RELATED)
            .prefetch_related("place__former_names")
            .order_by("sender__name", "kind", "place__name")
        )


class MissionDetailView(AddressesMixin, PreviewMixin, DetailView):
    template_name = "relations/mission_detail.html"
    context_object_name = "mission"
    queryset = records.Mission.objects.select_related(*MISSION_RELATED, "source__reported_in").prefetch_related(
        "place__former_names"
    )
