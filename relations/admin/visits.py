"""Visits and councils in the admin: visits, councils, their meetings, agenda items and outcomes."""

from django.contrib import admin
from django.db.models import Count

from .. import models as records
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin, RecordAdmin


@admin.register(records.Visit)
class VisitAdmin(PublishableAdmin):
    list_display = ["__str__", "kind", "guest", "host", "place", "dates", "publication_status"]
    list_filter = ["publication_status", "kind", "country", "topics"]
    list_select_related = ["guest", "host", "country", "place"]
    search_fields = ["slug", "guest__name", "host__name", "place__name", "summary", "quote"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["guest", "host", "country", "place", "invited_by", "topics", "source"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "guest", "host", "invited_by"]}),
        (
            "When and where",
            {"fields": ["start_date", "start_date_precision", "end_date", "country", "place", "occasion"]},
        ),
        ("What", {"fields": ["summary", "protocol", "topics"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="dates", ordering="start_date")
    def dates(self, visit):
        return visit.dates_display()


@admin.register(records.Council)
class CouncilAdmin(PublishableAdmin):
    list_display = ["name", "short_name", "meeting_count", "publication_status"]
    list_filter = ["publication_status", "members"]
    search_fields = ["name", "short_name", "slug", "description"]
    autocomplete_fields = ["members", "source"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "members", "description"]}),
        ("When", {"fields": ["established_on", "established_on_precision"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    @admin.display(description="meetings", ordering="meeting_total")
    def meeting_count(self, council):
        return council.meeting_total


class AgendaItemInline(admin.TabularInline):
    model = records.AgendaItem
    extra = 1
    autocomplete_fields = ["topic"]


class OutcomeInline(admin.StackedInline):
    model = records.Outcome
    extra = 0
    autocomplete_fields = ["source"]


class DatePassedStillScheduledFilter(admin.SimpleListFilter):
    """Meetings whose date is over but still marked scheduled: public pages say 'date passed, outcome not
    yet recorded' of them until an editor records what happened."""

    title = "date passed, still scheduled"
    parameter_name = "date_passed"

    def lookups(self, request, model_admin):
        return [("yes", "Date passed, still scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.date_passed_still_scheduled()
        return queryset


@admin.register(records.CouncilMeeting)
class CouncilMeetingAdmin(PublishableAdmin):
    list_display = ["__str__", "council", "number", "date_display", "place", "status", "publication_status"]
    list_filter = ["publication_status", "status", DatePassedStillScheduledFilter, "council"]
    list_select_related = ["council", "place"]
    search_fields = ["council__name", "council__short_name", "summary", "agenda_items__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["council", "place", "co_chairs", "visit", "source"]
    inlines = [AgendaItemInline, OutcomeInline]
    fieldsets = [
        (None, {"fields": ["council", "number", "status", "co_chairs", "visit", "summary"]}),
        ("When and where", {"fields": ["date", "date_precision", "place"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="date", ordering="date")
    def date_display(self, meeting):
        return meeting.date_display()


@admin.register(records.AgendaItem)
class AgendaItemAdmin(RecordAdmin):
    list_display = ["title", "meeting", "position", "topic"]
    list_filter = ["topic"]
    list_select_related = ["meeting__council", "topic"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting", "topic"]


@admin.register(records.Outcome)
class OutcomeAdmin(RecordAdmin):
    list_display = ["title", "meeting", "kind", "signed", "count", "source"]
    list_filter = ["kind", "signed"]
    list_select_related = ["meeting__council", "source"]
    search_fields = ["title", "description", "quote"]
    autocomplete_fields = ["meeting", "source"]
