from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import models as records


class SectionSitemap(Sitemap):
    def items(self):
        return [
            "relations:home",
            "relations:visit-list",
            "relations:council-list",
            "relations:mission-list",
            "relations:indicator-list",
            "relations:organization-list",
            "relations:timeline",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """Every published record with a page of its own."""

    limit = 5000

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset


SITEMAPS = {
    "sections": SectionSitemap(),
    "relationships": RecordSitemap(records.Relationship.objects.order_by("slug")),
    "visits": RecordSitemap(records.Visit.objects.published().order_by("pk")),
    "councils": RecordSitemap(records.Council.objects.published().order_by("pk")),
    "meetings": RecordSitemap(records.CouncilMeeting.objects.published().select_related("council").order_by("pk")),
    "missions": RecordSitemap(records.Mission.objects.published().order_by("pk")),
    "indicators": RecordSitemap(
        records.Indicator.objects.filter(statistics__publication_status="published").distinct().order_by("pk")
    ),
    "organizations": RecordSitemap(records.Organization.objects.published().order_by("pk")),
    "sources": RecordSitemap(records.Source.objects.cited().order_by("pk")),
}
