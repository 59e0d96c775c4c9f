"""A country's page: its relationships, missions, visits and memberships."""

from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView

from .. import models as records
from .base import HUB_SHOWN, published_levels


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
