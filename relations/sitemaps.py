from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import models as records
from .registry import LISTED, RECORD_TYPES


class LanguagesSitemap(Sitemap):
    """Each page at its address in each of the site's languages, naming the others (hreflang) and the English
    one as the default (x-default)."""

    i18n = True
    alternates = True
    x_default = True


class SectionSitemap(LanguagesSitemap):
    def items(self):
        return [
            "relations:home",
            *(record_type.list_url for record_type in LISTED),
            "relations:timeline",
            "relations:data",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(LanguagesSitemap):
    """Every published record with a page of its own."""

    limit = 5000

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        # A copy each time: with languages, the sitemap reads every item (each once per language), and the
        # records read would otherwise stay with this module's queryset, the same for every later request.
        return self.queryset.all()


def sitemap_items(record_type):
    """The records of a type with a page of their own that a search engine may list."""
    if record_type.model is records.Source:
        return records.Source.objects.cited()
    if record_type.model is records.Indicator:
        # An indicator's page is worth listing once it has a published figure.
        figures = records.Statistic.objects.published()
        return records.Indicator.objects.filter(pk__in=figures.values("indicator"))
    return record_type.public()


SITEMAPS = {
    "sections": SectionSitemap(),
    **{
        record_type.sitemap_section: RecordSitemap(sitemap_items(record_type).order_by("pk"))
        for record_type in RECORD_TYPES
        if record_type.sitemap_section
    },
}
