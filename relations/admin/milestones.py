"""Milestones of a relationship in the admin."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import models as records
from ..models.milestones import timeline_date
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin


@admin.register(records.Milestone)
class MilestoneAdmin(PublishableAdmin):
    list_display = ["title", "date_display", "planned", "kind", "anniversary", "relationship", "publication_status"]
    # Announced milestones found at once, to be ticked off (or moved) once they happen.
    list_filter = ["publication_status", "planned", "kind", "relationship", "topics"]
    list_select_related = ["relationship__country_a", "relationship__country_b"]
    search_fields = ["title", "slug", "description", "quote"]
    date_hierarchy = "date"
    autocomplete_fields = ["relationship", "topics", "source"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "anniversary", "relationship", "description", "topics"]}),
        (
            _("When"),
            {
                "fields": ["date", "date_precision", "sort_year", "date_wording", "planned"],
                "description": _(
                    "Without a date, give the source's words for it ('last year', 'on Friday'): the "
                    "date is worked out from the source's publication date. Words that give none ('before 1992') "
                    "need a year for sorting, and are shown instead of the date. Tick “planned” for what the source "
                    "announces."
                ),
            },
        ),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("date"), ordering=timeline_date())
    def date_display(self, milestone):
        return milestone.date_display() or gettext("undated (%(year)s)") % {"year": milestone.sort_year}
