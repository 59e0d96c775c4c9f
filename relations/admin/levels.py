"""A relationship's levels in the admin, each dated by a source."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin


@admin.register(records.RelationshipLevel)
class RelationshipLevelAdmin(PublishableAdmin):
    list_display = ["level", "relationship", "since_display", "source", "publication_status"]
    list_filter = ["publication_status", "relationship"]
    list_select_related = ["relationship__country_a", "relationship__country_b", "source"]
    search_fields = ["level", "quote", "relationship__slug", "source__title"]
    date_hierarchy = "since"
    autocomplete_fields = ["relationship", "source"]
    fieldsets = [
        (None, {"fields": ["relationship", "level"]}),
        (_("Since"), {"fields": ["since", "since_precision"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("since"), ordering="since")
    def since_display(self, level):
        return level.since_display()
