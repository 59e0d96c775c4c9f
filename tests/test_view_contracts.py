"""What the public views promise the page cache and their templates: every view declares the query parameters
it reads, and every template reads only names its view gives it."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLResolver, path, reverse
from django.views.generic import TemplateView

from config import urls as site_urls
from relations import urls as relations_urls
from relations.cache import declared_parameters
from relations.views.overview import PairOverview
from relations.views.statistics import PairFigures

# Django's sitemap views declare nothing: their pages are stored only without a query string (`?p=2` is served
# uncached). The admin is never cached (cache.UNCACHED_PREFIXES) and is left out whole.
UNDECLARED = {"sitemap-index", "django.contrib.sitemaps.views.sitemap"}


def view_of(pattern):
    """What the page cache asks for `query_parameters` (cache.declared_parameters)."""
    return getattr(pattern.callback, "view_class", pattern.callback)


def public_patterns(patterns, namespace=""):
    """(name, pattern) of each public address, through every include but the admin's."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from public_patterns(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name}", entry


def undeclared(patterns):
    """The names of the public addresses whose view declares no `query_parameters`."""
    return [
        name
        for name, pattern in public_patterns(patterns)
        if name not in UNDECLARED and not hasattr(view_of(pattern), "query_parameters")
    ]


def test_every_public_view_declares_the_query_parameters_it_reads():
    names = {name for name, _ in public_patterns(site_urls.urlpatterns)}
    # Every page of the app is reached, and every address left undeclared still exists.
    assert {f"relations:{pattern.name}" for pattern in relations_urls.urlpatterns} <= names
    assert {"robots", "healthz"} | UNDECLARED <= names
    assert undeclared(site_urls.urlpatterns) == []


def test_a_view_that_declares_nothing_is_named():
    class Declared(TemplateView):
        query_parameters = ("page",)

    class Forgotten(TemplateView):
        pass

    def forgotten_function(request):
        return HttpResponse()

    def declared_function(request):
        return HttpResponse()

    declared_function.query_parameters = ()
    patterns = [
        path("declared/", Declared.as_view(), name="declared"),
        path("forgotten/", Forgotten.as_view(), name="forgotten"),
        path("function/", forgotten_function, name="forgotten-function"),
        path("declared-function/", declared_function, name="declared-function"),
    ]
    assert undeclared(patterns) == ["forgotten", "forgotten-function"]


def sample_address(name, pattern):
    kwargs = {key: 1 if converter.regex == "[0-9]+" else "x" for key, converter in pattern.pattern.converters.items()}
    return reverse(name, kwargs=kwargs)


def test_the_page_cache_reads_each_declaration():
    for name, pattern in public_patterns(site_urls.urlpatterns):
        if name in UNDECLARED:
            continue
        request = RequestFactory().get(sample_address(name, pattern))
        assert declared_parameters(request) == view_of(pattern).query_parameters, name


PAGES = [
    "/",
    "/relationships/turkiye-kazakhstan/",
    "/countries/turkiye/",
    "/visits/",
    "/visits/tokayev-official-visit-turkiye-2025-07-29/",
    "/councils/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/",
    "/missions/",
    "/statistics/",
    "/statistics/bilateral-trade/",
    "/organizations/",
    "/organizations/ots/",
    "/sources/article-2025-07-29/",
    "/timeline/",
    "/search/?q=ankara",
]


@pytest.mark.django_db
def test_the_templates_read_only_names_their_views_give(client, article, settings):
    """A name a template reads and its view no longer gives renders as nothing, unseen; here it shows.
    Only the site's search box reads `query`, which the search page alone gives."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "string_if_invalid": "UNKNOWN[%s]"}}]
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        unknown = set(re.findall(r"UNKNOWN\[([^\]]*)\]", response.content.decode()))
        assert unknown <= {"query"}, (url, unknown)


@pytest.mark.django_db
def test_a_pair_is_shown_through_named_objects_not_attributes_set_on_it(client, article):
    home = client.get("/")
    overview = home.context["overviews"][0]
    assert isinstance(overview, PairOverview)
    assert overview.latest_visit is not None and overview.latest_meeting is not None
    pair_page = client.get("/relationships/turkiye-kazakhstan/")
    assert isinstance(pair_page.context["overview"], PairOverview)
    assert pair_page.context["overview"].headline_figures == ()
    assert isinstance(pair_page.context["figures"], PairFigures)
    assert pair_page.context["figures"].latest_figures
    statistics = client.get("/statistics/")
    assert all(isinstance(figures, PairFigures) for figures in statistics.context["pairs"])
    for relationship in [overview.relationship, pair_page.context["relationship"]]:
        assert not {"latest_visit", "mission_counts", "headline_figures", "latest_figures"} & set(vars(relationship))
