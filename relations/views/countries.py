"""A country's page: its relationships, missions, visits and memberships."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView

from .. import models as records
from .base import HUB_SHOWN, AddressesMixin, published_levels

# Missions and memberships of each kind on a country's page: a country at the centre of many relationships has
# thousands; its lists have them all.
LISTED_SHOWN = HUB_SHOWN * 2


@dataclass(frozen=True)
class FirstFew:
    """The first records of a list on a country's page, and whether the list has more."""

    records: list
    more: bool


def first_few(listed, shown=LISTED_SHOWN):
    """A FirstFew of `listed`, read with one more record than shown, which tells whether there are more."""
    rows = list(listed[: shown + 1])
    return FirstFew(rows[:shown], len(rows) > shown)


def loaded(queryset, *id_lists):
    """The records of each list of ids, in its order, read in one query."""
    found = queryset.in_bulk([pk for ids in id_lists for pk in ids])
    return [[found[pk] for pk in ids] for ids in id_lists]


def latest_visits(country):
    """The latest HUB_SHOWN visits to or from a country: those to it read newest first from its destination
    index, those of its people from their own (one scan of every visit would find a country of few visits
    last), merged. Ids first: sorting a head of state's thousands of visits reads the index alone."""
    newest = records.Visit.objects.published().order_by("-start_date", "slug").values_list("pk", flat=True)
    people = records.Person.objects.filter(country=country).values("pk")
    to_it, by_its_people = loaded(
        records.Visit.objects.select_related("guest", "host", "country", "place"),
        newest.filter(country=country)[:HUB_SHOWN],
        newest.filter(guest__in=people).exclude(country=country)[:HUB_SHOWN],
    )
    found = sorted([*to_it, *by_its_people], key=lambda visit: visit.slug)
    return sorted(found, key=lambda visit: visit.start_date, reverse=True)[:HUB_SHOWN]


class CountryDetailView(AddressesMixin, DetailView):
    """A country as a reader's way in: its relationships, its missions abroad and those it hosts,
    visits to and from it, and the organizations it belongs to, the first few of each with a link to all."""

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
        # Ids first, one more than shown: a country at the centre of many pairs has thousands, sorted by the names
        # of countries and cities, which sort faster alone than with the rows they name.
        missions = records.Mission.objects.published().values_list("pk", flat=True)
        abroad, hosted = (
            missions.filter(sender=country).order_by("host__name", "kind", "place__name")[: LISTED_SHOWN + 1],
            missions.filter(host=country).order_by("sender__name", "kind", "place__name")[: LISTED_SHOWN + 1],
        )
        abroad, hosted = loaded(
            records.Mission.objects.select_related("sender", "host", "place").prefetch_related("place__former_names"),
            abroad,
            hosted,
        )
        context.update(
            relationships=records.Relationship.objects.published()
            .filter(Q(country_a=country) | Q(country_b=country))
            .select_related("country_a", "country_b")
            # Each names its current level, not its sources: a country at the centre of a hundred pairs lists them all.
            .prefetch_related(published_levels(sources=False))
            .order_by("position", "slug"),
            missions_abroad=first_few(abroad),
            missions_hosted=first_few(hosted),
            visits=latest_visits(country),
            memberships=first_few(
                records.Membership.objects.published()
                .filter(country=country)
                .select_related("organization")
                .order_by("organization__name")
            ),
        )
        return context
