"""Diplomatic missions in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin


@admin.register(records.Mission)
class MissionAdmin(PublishableAdmin):
    list_display = ["__str__", "kind", "sender", "host", "place", "opened_display", "publication_status"]
    list_filter = ["publication_status", "kind", "sender", "host"]
    list_select_related = ["sender", "host", "place"]
    search_fields = ["slug", "place__name", "place__former_names__name", "sender__name", "host__name", "address"]
    autocomplete_fields = ["sender", "host", "place", "source"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "sender", "host", "place"]}),
        (_("Details"), {"fields": ["opened_on", "opened_on_precision", "address", "website"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("opened"), ordering="opened_on")
    def opened_display(self, mission):
        return mission.opened_display()
