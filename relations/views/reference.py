"""Sources: each publication with the published facts that cite it."""

from dataclasses import dataclass

from django.utils.translation import ngettext
from django.views.generic import DetailView

from .. import models as records
from ..registry import RECORD_TYPES
from .base import AddressesMixin

# The facts of each kind listed on a source's page: a source of a statistics office's series cites tens of
# thousands, which no page lists or counts whole.
FACTS_SHOWN = 20


# Each citing record's page (its get_absolute_url) from the page's Addresses, by what it is read under: a
# source page lists a few hundred records, and a reverse() each would cost more than the rest of the page.
CITED_AT = {
    records.RelationshipLevel: lambda at, level: f"{at['relationship']}{level.relationship.slug}/#levels",
    records.CouncilMeeting: lambda at, meeting: f"{at['council']}{meeting.council.slug}/{meeting.number}/",
    records.Outcome: lambda at, outcome: f"{at['council']}{outcome.meeting.council.slug}/{outcome.meeting.number}/",
    records.Statistic: lambda at, figure: f"{at['indicator']}{figure.indicator.slug}/",
    records.Membership: lambda at, membership: f"{at['organization']}{membership.organization.slug}/",
    records.Milestone: lambda at, milestone: f"{at['timeline']}#{milestone.slug}",
    records.VisitOutcome: lambda at, outcome: f"{at['visit']}{outcome.visit.slug}/",
    records.Engagement: lambda at, engagement: f"{at['visit']}{engagement.visit.slug}/",
}


def cited_at(at, record):
    """The address of a record citing a source; a record with a page of its own is at its slug."""
    address = CITED_AT.get(type(record))
    return address(at, record) if address else f"{at[record._meta.model_name]}{record.slug}/"


@dataclass(frozen=True)
class CitingFacts:
    """The published records of one kind citing a source: the last FACTS_SHOWN recorded, newest first, as
    (address, record), and whether there are more."""

    label: str
    records: list
    more: bool

    @property
    def counted(self):
        """'16', or 'more than 20'."""
        shown = len(self.records)
        if self.more:
            return ngettext("more than %(count)s", "more than %(count)s", shown) % {"count": shown}
        return str(shown)


def citing_facts(record_type, source, at):
    """The CitingFacts of a record type, or None when none cites the source: one query, reading one record
    more than shown from the index of the records' sources."""
    citing = record_type.public().filter(source=source).select_related(*record_type.named_with)
    found = list(citing.order_by("-pk")[: FACTS_SHOWN + 1])
    if not found:
        return None
    shown = [(cited_at(at, record), record) for record in found[:FACTS_SHOWN]]
    return CitingFacts(record_type.cites_as, shown, len(found) > FACTS_SHOWN)


class SourceDetailView(AddressesMixin, DetailView):
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
        at = context["at"]
        facts = (citing_facts(record_type, self.object, at) for record_type in RECORD_TYPES if record_type.cites_as)
        context["facts"] = [group for group in facts if group is not None]
        context["reports"] = list(self.object.reports.all()[:FACTS_SHOWN])
        return context
