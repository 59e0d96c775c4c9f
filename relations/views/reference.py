"""Sources: each publication with the published facts that cite it."""

from dataclasses import dataclass

from django.views.generic import DetailView

from .. import models as records
from ..registry import RECORD_TYPES

# The facts of each kind listed on a source's page: a source of a statistics office's series cites tens of
# thousands, which no page lists or counts whole.
FACTS_SHOWN = 20


@dataclass(frozen=True)
class CitingFacts:
    """The published records of one kind citing a source: the last FACTS_SHOWN recorded, newest first, and
    whether there are more."""

    label: str
    records: list
    more: bool

    @property
    def counted(self):
        """'16', or 'more than 20'."""
        return f"more than {len(self.records)}" if self.more else str(len(self.records))


def citing_facts(record_type, source):
    """The CitingFacts of a record type, or None when none cites the source: one query, reading one record
    more than shown from the index of the records' sources."""
    citing = record_type.public().filter(source=source).select_related(*record_type.named_with)
    found = list(citing.order_by("-pk")[: FACTS_SHOWN + 1])
    return CitingFacts(record_type.cites_as, found[:FACTS_SHOWN], len(found) > FACTS_SHOWN) if found else None


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
        facts = (citing_facts(record_type, self.object) for record_type in RECORD_TYPES if record_type.cites_as)
        context["facts"] = [group for group in facts if group is not None]
        context["reports"] = self.object.reports.all()[:FACTS_SHOWN]
        return context
