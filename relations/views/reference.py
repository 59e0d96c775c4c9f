"""Sources: each publication with the published facts that cite it."""

from django.views.generic import DetailView

from .. import models as records
from ..registry import RECORD_TYPES

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
