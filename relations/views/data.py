"""Bulk downloads: `/data/` lists them; `/data/all.zip` and `/data/relationships/<slug>.zip` serve the zips of the
latest build (relations.downloads) from the storage, named with their date."""

from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.generic import TemplateView

from .. import downloads, languages
from .. import models as records
from ..registry import RECORD_TYPES
from .statistics import indicators_with_figures

# A reader asking while the first build is made is told to come back this many seconds later.
RETRY_AFTER = 60


def site_address(request):
    """'https://relations.example.org', named in the data package as its home."""
    return request.build_absolute_uri("/").rstrip("/")


def counted_indicators():
    """Each indicator with published figures, annotated with their number (`figures`), in the statistics' order."""
    published = records.Statistic.published_condition("statistics__")
    counted = indicators_with_figures().annotate(figures=Count("statistics", filter=published))
    return counted.order_by("position", "name")


def not_stored(response):
    """The page as a streamed response, which the page cache never stores (cache.PublicPageCacheMiddleware): a page
    showing a build older than the data would otherwise be served for the whole generation, after the new build."""
    response.render()
    streamed = StreamingHttpResponse(
        iter([response.content]), status=response.status_code, content_type=response["Content-Type"]
    )
    streamed["Cache-Control"] = "no-store"
    return streamed


def named_in_page_language(build):
    """(tables, pairs) of `build` as /data/ lists them: [(Table, its title)] of the whole data set and
    [(Download, its relationship or None)] of each pair. The build's manifest names them in English, as it was
    made; on a page in another language each table is named by its record type again and each pair by its
    relationship, read in one query, whose countries the page names in its language."""
    if languages.current() == languages.DEFAULT:
        return [(table, table.title) for table in build.whole.tables], [(pair, None) for pair in build.pairs]
    titles = {downloads.file_name(record_type): downloads.table_title(record_type) for record_type in RECORD_TYPES}
    tables = [(table, titles.get(table.path, table.title)) for table in build.whole.tables]
    relationships = records.Relationship.objects.select_related("country_a", "country_b").in_bulk(
        [pair.key for pair in build.pairs], field_name="slug"
    )
    return tables, [(pair, relationships.get(pair.key)) for pair in build.pairs]


class DataView(TemplateView):
    """The downloads: the whole data set, each pair's records, each indicator's figures; with their sizes, rows and
    date, and how to check and import them."""

    template_name = "relations/data.html"
    query_parameters = ()

    def get(self, request, *args, **kwargs):
        self.build, self.current = downloads.ready(site_address(request))
        response = self.render_to_response(self.get_context_data())
        return response if self.current else not_stored(response)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["build"] = self.build
        context["current"] = self.current
        if self.build:
            context["tables"], context["pairs"] = named_in_page_language(self.build)
        # A zip asked for that the latest build lacks (a pair published since): the next build has it.
        context["missing"] = getattr(self, "missing", False)
        context["indicators"] = counted_indicators()
        context["all_address"] = self.request.build_absolute_uri(reverse("relations:data-all"))
        return context


class DownloadView(DataView):
    """One zip of the latest build: the whole data set (no slug) or a published pair's records."""

    def get(self, request, slug=None):
        if slug is not None:
            relationship = records.Relationship.objects.published().filter(slug=slug).first()
            if relationship is None:
                named = records.Relationship.objects.published().named_by_countries(slug)
                if named is None:
                    raise Http404("No published relationship has this address.")
                return HttpResponsePermanentRedirect(reverse("relations:data-relationship", args=[named.slug]))
        self.build, self.current = downloads.ready(site_address(request))
        found = self.build.download(slug or "all") if self.build else None
        if found is None:
            # No build yet, or one made before the pair was published: the next one, being made, has it.
            return self.pending()
        try:
            stored = default_storage.open(found.stored_as)
        except FileNotFoundError:
            # Removed as a newer build was kept, between reading the manifest and opening the file.
            return self.pending()
        response = FileResponse(stored, as_attachment=True, filename=found.filename, content_type="application/zip")
        response["Last-Modified"] = http_date(self.build.created.timestamp())
        return response

    def pending(self):
        self.missing = True
        response = not_stored(self.render_to_response(self.get_context_data(), status=503))
        response["Retry-After"] = str(RETRY_AFTER)
        return response
