"""The reference records in the admin: countries, places and their names, people, topics, sources, relationships."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin, RecordAdmin
from .forms import RecordForm


@admin.register(records.Country)
class CountryAdmin(RecordAdmin):
    list_display = ["name", "code", "official_name", "adjective"]
    search_fields = ["name", "official_name", "code", "adjective", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PlaceNameInline(admin.TabularInline):
    model = records.PlaceName
    extra = 1


@admin.register(records.Place)
class PlaceAdmin(RecordAdmin):
    list_display = ["name", "country", "is_capital", "former_names_list"]
    list_filter = ["country", "is_capital"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "former_names__name", "country__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlaceNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("former_names")

    @admin.display(description=_("former names"))
    def former_names_list(self, place):
        return ", ".join(str(name) for name in place.former_names.all())


@admin.register(records.PlaceName)
class PlaceNameAdmin(RecordAdmin):
    list_display = ["name", "place", "kind", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["name", "place__name"]
    autocomplete_fields = ["place"]


@admin.register(records.Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "role", "country", "in_office_since_display"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "role"]
    autocomplete_fields = ["country", "source"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("in office since"), ordering="in_office_since")
    def in_office_since_display(self, person):
        return person.in_office_since_display()


@admin.register(records.Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(records.Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "publisher", "published_display", "reported_in", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "slug"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["reported_in"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["reported_in"]

    @admin.display(description=_("publication date"), ordering="published_on")
    def published_display(self, source):
        return source.published_display()


class RelationshipLevelInline(admin.TabularInline):
    """A relationship's levels, each as one source dates it: the current level is the latest published one."""

    model = records.RelationshipLevel
    form = RecordForm
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["level", "since", "since_precision", "source", "quote", "reader_note", "publication_status"]


@admin.register(records.Relationship)
class RelationshipAdmin(PublishableAdmin):
    list_display = ["__str__", "position", "current_level", "established_display", "anniversary"]
    list_editable = ["position"]
    list_filter = ["publication_status"]
    search_fields = ["slug", "country_a__name", "country_b__name", "levels__level"]
    autocomplete_fields = ["country_a", "country_b", "source", "established_source"]
    list_select_related = ["country_a", "country_b"]
    readonly_fields = ["anniversary"]
    inlines = [RelationshipLevelInline]
    fieldsets = [
        (None, {"fields": ["slug", "country_a", "country_b", "summary", "position"]}),
        (
            _("Establishment of diplomatic relations"),
            {
                "fields": [
                    "established_on",
                    "established_on_precision",
                    "established_with",
                    "established_source",
                    "established_quote",
                    "anniversary",
                ],
                # The establishment is often stated by another source than the rest of the record, and with a
                # predecessor state: each said here, so readers see who states it and with which state.
                "description": _(
                    "Name the state relations were established with only when it was a predecessor "
                    "of the present one ('the Soviet Union'). Give the source of the establishment when it is not "
                    "the relationship's own source below."
                ),
            },
        ),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description=_("current level (derived from its levels)"))
    def current_level(self, relationship):
        step = relationship.current_level()
        if step is None:
            return "—"
        if step.since_year:
            return gettext("%(level)s since %(year)s") % {"level": step.level, "year": step.since_year}
        return step.level

    @admin.display(description=_("diplomatic relations since"), ordering="established_on")
    def established_display(self, relationship):
        return relationship.established_display()

    @admin.display(description=_("anniversary (computed)"))
    def anniversary(self, relationship):
        return relationship.anniversary_display() if relationship.pk else "—"
