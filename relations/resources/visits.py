"""Visits with their programmes and outcomes, councils, their meetings, and the meetings' agenda items and
outcomes."""

from import_export import fields

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource, WordedDatesResource
from .columns import with_translations
from .widgets import MeetingCouncilWidget


class VisitResource(WordedDatesResource):
    worded_dates = ("start_date",)

    class Meta(WordedDatesResource.Meta):
        model = records.Visit
        fields = with_translations(
            records.Visit,
            (
                "slug",
                "guest",
                "host",
                "country",
                "place",
                "start_date",
                "start_date_precision",
                "date_wording",
                "end_date",
                "kind",
                "planned",
                "occasion",
                "invited_by",
                "summary",
                "protocol",
                "topics",
                *SOURCED,
                "further_sources",
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)


# The columns of what a meeting or a visit produced (models.Result), after the key naming which one.
RESULT_COLUMNS = ("position", "title", "kind", "signed", "count", "description", "source", "quote", "reader_note")


class VisitPartResource(RecordResource):
    """A visit's outcomes and the parts of its programme: rows of a visit, named by its slug and their position."""

    class Meta(RecordResource.Meta):
        abstract = True
        import_id_fields = ("visit", "position")


class VisitOutcomeResource(VisitPartResource):
    class Meta(VisitPartResource.Meta):
        model = records.VisitOutcome
        fields = with_translations(records.VisitOutcome, ("visit", *RESULT_COLUMNS))


class EngagementResource(WordedDatesResource, VisitPartResource):
    worded_dates = ("date",)

    class Meta(VisitPartResource.Meta):
        model = records.Engagement
        fields = with_translations(
            records.Engagement,
            (
                "visit",
                "position",
                "kind",
                "title",
                "people",
                "place",
                "date",
                "date_precision",
                "date_wording",
                "source",
                "quote",
            ),
        )


class CouncilResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Council
        fields = with_translations(
            records.Council,
            (
                "slug",
                "name",
                "short_name",
                "members",
                "established_on",
                "established_on_precision",
                "description",
                *SOURCED,
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)


class CouncilMeetingResource(WordedDatesResource):
    worded_dates = ("date",)

    class Meta(WordedDatesResource.Meta):
        model = records.CouncilMeeting
        fields = with_translations(
            records.CouncilMeeting,
            (
                "council",
                "number",
                "date",
                "date_precision",
                "date_wording",
                "place",
                "co_chairs",
                "status",
                "visit",
                "summary",
                *SOURCED,
                *PUBLISHED,
            ),
        )
        import_id_fields = ("council", "number")


class MeetingPartResource(RecordResource):
    """Agenda items and outcomes: rows of a meeting, named by council slug and meeting number."""

    council = fields.Field(attribute="meeting", column_name="Council", widget=MeetingCouncilWidget(), readonly=True)

    class Meta(RecordResource.Meta):
        abstract = True


class AgendaItemResource(MeetingPartResource):
    class Meta(MeetingPartResource.Meta):
        model = records.AgendaItem
        fields = with_translations(records.AgendaItem, ("council", "meeting", "position", "title", "topic"))
        import_id_fields = ("meeting", "position")


class OutcomeResource(MeetingPartResource):
    class Meta(MeetingPartResource.Meta):
        model = records.Outcome
        fields = with_translations(records.Outcome, ("council", "meeting", *RESULT_COLUMNS))
        import_id_fields = ("meeting", "position")
