"""Milestones of a relationship in the admin."""

from django.contrib import admin

from .. import models as records
from ..models.milestones import timeline_date
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin


@admin.register(records.Milestone)
class MilestoneAdmin(PublishableAdmin):
    list_display = ["title", "date_display", "kind", "relationship", "publication_status"]
    list_filter = ["publication_status", "kind", "relationship", "topics"]
    list_select_related = ["relationship__country_a", "relationship__country_b"]
    search_fields = ["title", "slug", "description", "quote"]
    date_hierarchy = "date"
    autocomplete_fields = ["relationship", "topics", "source"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "relationship", "description", "topics"]}),
        (
            "When",
            {
                "fields": ["date", "date_precision", "sort_year", "date_wording"],
                "description": "Without a date, give the year for sorting; the source's own words for a rough "
                "time ('before 1992') are shown instead of the date.",
            },
        ),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="date", ordering=timeline_date())
    def date_display(self, milestone):
        return milestone.date_display() or f"undated ({milestone.sort_year})"
