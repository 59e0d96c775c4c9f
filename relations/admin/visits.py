"""Visits and councils in the admin: visits with their programmes and outcomes, councils, their meetings,
agenda items and outcomes."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .. import models as records
from ..models.base import date_from_wording
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin, RecordAdmin
from .forms import RecordForm

WORDED_DATE_HELP = _(
    "Leave the date blank when the source gives it only in words ('on Friday', 'last year'): it is worked out "
    "from the source's publication date, at the precision the words allow."
)

# A result of a meeting or a visit, as its file has it (OutcomeResource, VisitOutcomeResource).
RESULT_FIELDS = [
    ("position", "kind"),
    "title",
    ("signed", "count"),
    "description",
    "source",
    "quote",
    "reader_note",
]


class VisitForm(RecordForm):
    """A visit's form: a start date given only in the source's words is worked out before the model's checks, by
    the model's own rule (date_from_wording), so that the address made from it is the one checked as free."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") is None and cleaned.get("date_wording"):
            worded = records.Visit(date_wording=cleaned["date_wording"], planned=cleaned.get("planned", False))
            worded.source = cleaned.get("source")
            # Words that give no date: the model's clean() refuses them, in its own words.
            if date_from_wording(worded, "start_date") is None:
                cleaned["start_date"] = worded.start_date
                cleaned["start_date_precision"] = worded.start_date_precision
        return cleaned


class EngagementInline(admin.StackedInline):
    """The visit's programme, in order: every column of its file (EngagementResource)."""

    model = records.Engagement
    form = RecordForm
    extra = 0
    autocomplete_fields = ["people", "place", "source"]
    fields = [
        ("position", "kind"),
        "title",
        "people",
        "place",
        ("date", "date_precision", "date_wording"),
        "source",
        "quote",
    ]


class VisitOutcomeInline(admin.StackedInline):
    model = records.VisitOutcome
    form = RecordForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = RESULT_FIELDS


@admin.register(records.Visit)
class VisitAdmin(PublishableAdmin):
    form = VisitForm
    list_display = ["__str__", "kind", "guest", "host", "place", "dates", "planned", "publication_status"]
    list_filter = ["publication_status", "planned", "kind", "country", "topics"]
    list_select_related = ["guest", "host", "country", "place"]
    search_fields = ["slug", "guest__name", "host__name", "place__name", "summary", "quote"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["guest", "host", "country", "place", "invited_by", "topics", "source", "further_sources"]
    inlines = [EngagementInline, VisitOutcomeInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "guest", "host", "invited_by"]}),
        (
            _("When and where"),
            {
                "fields": [
                    # The source's words just below its date, each on a line of its own: a version's page shows
                    # the date at its precision on the date's own line (version_read_only).
                    "start_date",
                    "start_date_precision",
                    "date_wording",
                    "planned",
                    "end_date",
                    "country",
                    "place",
                    "occasion",
                ],
                "description": WORDED_DATE_HELP,
            },
        ),
        (_("What"), {"fields": ["summary", "protocol", "topics"]}),
        # Its further sources beside its source, and the note readers see with them.
        (_("Source"), {"fields": ["source", "further_sources", "quote", "reader_note"]}),
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("dates"), ordering="start_date")
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
        (_("When"), {"fields": ["established_on", "established_on_precision"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="meeting_total")
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
    fields = RESULT_FIELDS


class DatePassedStillScheduledFilter(admin.SimpleListFilter):
    """Meetings whose date is over but still marked scheduled: public pages say 'date passed, outcome not
    yet recorded' of them until an editor records what happened."""

    title = _("date passed, still scheduled")
    parameter_name = "date_passed"

    def lookups(self, request, model_admin):
        return [("yes", _("Date passed, still scheduled"))]

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
        (
            _("When and where"),
            {"fields": ["date", "date_precision", "date_wording", "place"], "description": WORDED_DATE_HELP},
        ),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("date"), ordering="date")
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


class VisitPartAdmin(RecordAdmin):
    """A visit's outcomes or the parts of its programme, listed across visits (each visit's form has them inline)."""

    list_select_related = ["visit__guest", "visit__host", "visit__country", "visit__place"]
    autocomplete_fields = ["visit", "source"]


@admin.register(records.VisitOutcome)
class VisitOutcomeAdmin(VisitPartAdmin):
    list_display = ["title", "visit", "kind", "signed", "count", "source"]
    list_filter = ["kind", "signed"]
    list_select_related = [*VisitPartAdmin.list_select_related, "source"]
    search_fields = ["title", "description", "quote", "visit__slug"]


@admin.register(records.Engagement)
class EngagementAdmin(VisitPartAdmin):
    list_display = ["__str__", "visit", "position", "kind", "place", "when"]
    list_filter = ["kind"]
    list_select_related = [*VisitPartAdmin.list_select_related, "place"]
    search_fields = ["title", "quote", "visit__slug", "people__name"]
    autocomplete_fields = [*VisitPartAdmin.autocomplete_fields, "people", "place"]

    @admin.display(description=_("date"), ordering="date")
    def when(self, engagement):
        return engagement.date_display()
