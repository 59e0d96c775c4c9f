"""The read-only API at /api/v1/: every public record type as the pages show it, with their filters, a page at a
time as JSON or the whole list as CSV; described by OpenAPI at /api/v1/openapi.json, readable at /api/v1/docs.

Built on django-ninja, one module per area as the views (`reference`, `levels`, `visits`, `missions`,
`statistics`, `organizations`, `milestones`), on `lists` (filters, paging, CSV) and `schemas` (what every answer
shares). Readers see here what they see on the pages: published records only, none hanging from a draft.
Answers are cached like the pages, under the same generation (relations/cache.py): `urls()` tells the page
cache which query parameters each answer reads.
"""

import functools
import re

from django.http import Http404, JsonResponse
from django.urls import URLPattern, reverse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi import get_schema
from ninja.renderers import JSONRenderer

from . import levels, milestones, missions, organizations, reference, statistics, visits
from .schemas import licence

DESCRIPTION = """Every published record of the site, with the public pages' filters, as JSON a page at a time
(`page`, `page_size`, with the total `count`) or, with `format=csv`, the whole filtered list as CSV.

Records name one another by the keys the import files use: a country by its ISO code, the rest by their
slugs (a figure, a level by their `id`). Each cites its source with the sentence quoted from it; dates are
given at the precision the source gives (`2009`, `2024-03`, `2025-07-29`) beside that precision.

A filter takes what a reader types (`country=Kazakhstan`, `relationship=kazakhstan-turkiye`) and leads (301)
to the list's one address for it (`country=KZ`): follow redirects (`curl -L`). A value that names nothing is
a 400 saying which, with close matches.

The data is given under the licence each answer names (`licence`; a `Link` header on CSV)."""


class ReadableJSON(JSONRenderer):
    """JSON in UTF-8 as it is read: 'Türkiye', not 'T\\u00fcrkiye'."""

    json_dumps_params = {"ensure_ascii": False}


class RecordsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The description, with the licence editors chose for the data (read when it is asked for)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        chosen = licence()
        schema["info"]["license"] = {"name": chosen["name"], "url": chosen["url"]}
        return schema


api = RecordsAPI(
    title="Bilateral Relations API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    renderer=ReadableJSON(),
)
for area in (reference, levels, visits, missions, statistics, organizations, milestones):
    api.add_router("", area.router)


@api.exception_handler(ValidationError)
def unreadable_parameters(request, error):
    """A value of the wrong type or out of range: a 400 saying which, as a filter naming nothing is."""
    problems = "; ".join(f"{problem['loc'][-1]}: {problem['msg']}" for problem in error.errors)
    return api.create_response(request, {"detail": f"{problems}."}, status=400)


@api.exception_handler(Http404)
def not_found(request, error):
    """An unknown record or a page past the last: a 404 saying which, in production as in development."""
    return api.create_response(request, {"detail": str(error) or "Not found."}, status=404)


def index(request):
    """What /api/v1/ holds: the addresses of its lists, its description and documentation."""
    lists = {
        name: request.build_absolute_uri(reverse(f"api:{view}"))
        for name, view in [
            ("relationships", "relationship_list"),
            ("countries", "country_list"),
            ("relationship-levels", "level_list"),
            ("visits", "visit_list"),
            ("councils", "council_list"),
            ("council-meetings", "meeting_list"),
            ("missions", "mission_list"),
            ("indicators", "indicator_list"),
            ("statistics", "statistic_list"),
            ("organizations", "organization_list"),
            ("memberships", "membership_list"),
            ("milestones", "milestone_list"),
            ("sources", "source_list"),
        ]
    }
    return JsonResponse(
        {
            "title": api.title,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "documentation": request.build_absolute_uri(reverse("api:openapi-view")),
            "licence": licence(),
            "lists": lists,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def urls():
    """The API's URL patterns for `include()`: each answers HEAD as GET, as the pages do, and declares the query
    parameters it reads (`query_parameters`, read by cache.declared_parameters): those its OpenAPI description
    declares, so that the page cache stores a list under them, and nothing else."""
    patterns, app_name, namespace = api.urls
    declared = query_parameters_declared()
    wrapped = []
    for pattern in patterns:
        view = index if pattern.name == "api-root" else pattern.callback
        wrapped.append(
            URLPattern(
                pattern.pattern,
                answering_head(view, declared.get(openapi_path(pattern), ())),
                pattern.default_args,
                pattern.name,
            )
        )
    return wrapped, app_name, namespace


def query_parameters_declared():
    """{OpenAPI path ('/visits/{slug}'): the names of the query parameters its GET operation reads}."""
    description = get_schema(api, path_prefix="")
    return {
        path: tuple(
            parameter["name"]
            for parameter in operations.get("get", {}).get("parameters", [])
            if parameter["in"] == "query"
        )
        for path, operations in description["paths"].items()
    }


def openapi_path(pattern):
    """The OpenAPI path of a URL pattern: 'visits/<slug>' is '/visits/{slug}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def answering_head(view, query_parameters):
    """`view`, answering HEAD as GET (the server sends the headers alone), and declaring `query_parameters`."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    answer.query_parameters = query_parameters
    return answer
