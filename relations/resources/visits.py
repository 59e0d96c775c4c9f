"""Visits, councils, their meetings, and the meetings' agenda items and outcomes."""

from import_export import fields

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource
from .widgets import MeetingCouncilWidget


class VisitResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Visit
        fields = (
            "slug",
            "guest",
            "host",
            "country",
            "place",
            "start_date",
            "start_date_precision",
            "end_date",
            "kind",
            "occasion",
            "invited_by",
            "summary",
            "protocol",
            "topics",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


class CouncilResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Council
        fields = (
            "slug",
            "name",
            "short_name",
            "members",
            "established_on",
            "established_on_precision",
            "description",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)


class CouncilMeetingResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.CouncilMeeting
        fields = (
            "council",
            "number",
            "date",
            "date_precision",
            "place",
            "co_chairs",
            "status",
            "visit",
            "summary",
            *SOURCED,
            *PUBLISHED,
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
        fields = ("council", "meeting", "position", "title", "topic")
        import_id_fields = ("meeting", "position")


class OutcomeResource(MeetingPartResource):
    class Meta(MeetingPartResource.Meta):
        model = records.Outcome
        fields = (
            "council",
            "meeting",
            "position",
            "title",
            "kind",
            "signed",
            "count",
            "description",
            "source",
            "quote",
        )
        import_id_fields = ("meeting", "position")
