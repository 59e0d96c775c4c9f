"""What every public page shares: GET only, filters read from the query string, drafts previewed by staff."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.functional import classproperty
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from .. import models as records

PAGE_SIZE = 20
# Records of each kind shown on a relationship's page (and a country's); its lists have them all.
HUB_SHOWN = 10


def read_only(view):
    """A public page answers GET and HEAD, and 405 to any other method: it writes nothing, so no CSRF
    check stands in front of that answer."""
    return csrf_exempt(require_safe(view))


class FilteredListMixin:
    """A list narrowed by a filter form read from the query string. A value that names nothing shows the list's
    own page, empty, with the form saying which value and suggesting close ones, as a 400: caches and crawlers
    keep none of it.

    A list whose records need more than a class-level `queryset` overrides `get_queryset` and returns
    `self.filtered(...)` of the records it lists."""

    filter_form_class = None
    paginate_by = PAGE_SIZE

    @classproperty
    def query_parameters(cls):
        """What the page reads from the query string (the page cache stores nothing else)."""
        return {*cls.filter_form_class.base_fields, "page"}

    def get(self, request, *args, **kwargs):
        self.filter_form = self.filter_form_class(request.GET or None)
        if self.filter_form.is_bound:
            if not self.filter_form.is_valid():
                return self.unreadable_filters()
            # A filter typed as a reader would ('?city=Almaty') leads to its one address ('?city=almaty'),
            # which the page cache stores once.
            canonical = self.filter_form.canonical_query()
            if "page" in request.GET:
                canonical["page"] = request.GET["page"]
            if canonical != request.GET.dict():
                return HttpResponsePermanentRedirect(
                    f"{request.path}?{urlencode(canonical)}" if canonical else request.path
                )
        return super().get(request, *args, **kwargs)

    def unreadable_filters(self):
        self.filter_form.suggest(self.request.path, self.request.GET)
        if isinstance(self, ListView):
            self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)

    def get_queryset(self):
        return self.filtered(super().get_queryset())

    def filtered(self, queryset):
        """`queryset` narrowed by the filter form; nothing when the form cannot be read."""
        if not self.filter_form.is_bound:
            return queryset
        return self.filter_form.apply(queryset) if self.filter_form.is_valid() else queryset.none()

    def paginate_queryset(self, queryset, page_size):
        """Cut the page from the ids alone, then load only that page's records with their relations:
        sorting ids stays an index scan however large the table, joined rows would not."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        loaded = queryset.order_by().in_bulk(list(ids))
        page.object_list = [loaded[pk] for pk in ids]
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class PreviewMixin:
    """Published records for everyone; drafts too for signed-in staff, who see a preview banner."""

    query_parameters = ()

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class Addresses(dict):
    """The address of each kind of record's page up to the slug ending it, by its URL name less 'relations:' and
    '-detail': `{{ at.visit }}{{ visit.slug }}/` is a visit's page. Each is reversed once a page, on first use:
    a reverse() per record (get_absolute_url) costs a list of hundreds more than the rest of its lines."""

    placeholder = "slug-of-the-record"

    def __missing__(self, kind):
        if kind == "timeline":
            # Where a milestone is read: `{{ at.timeline }}#{{ milestone.slug }}`.
            self[kind] = reverse("relations:timeline")
            return self[kind]
        address = reverse(f"relations:{kind}-detail", kwargs={"slug": self.placeholder})
        prefix, slash = address.split(self.placeholder)
        assert slash == "/", address  # what the templates write after the slug
        self[kind] = prefix
        return prefix


class AddressesMixin:
    """`at`, the page's Addresses, for its templates."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["at"] = Addresses()
        return context


def slug_addresses(url_name, records):
    """(address, name) of each (slug, name) of `records`, the page `url_name` takes its slug to: one reverse()
    for them all, as each costs more than the rest of its line in a list of hundreds."""
    placeholder = "slug-of-the-record"
    address = reverse(url_name, kwargs={"slug": placeholder})
    return [(address.replace(placeholder, slug), name) for slug, name in records]


def published_levels(sources=True):
    """A relationship's published level records, with their sources unless the page names none, to prefetch as
    `levels`: its current level and its ladder are derived from them (Relationship.level_ladder)."""
    # Published in themselves: the relationships shown are public, or previewed by staff on their own page.
    levels = records.RelationshipLevel.objects.filter(publication_status=records.PublicationStatus.PUBLISHED)
    if sources:
        levels = levels.select_related("source__reported_in")
    return Prefetch("levels", queryset=levels)
