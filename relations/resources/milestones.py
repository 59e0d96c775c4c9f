"""Milestones on the timeline of a relationship."""

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource


class MilestoneResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Milestone
        fields = (
            "slug",
            "relationship",
            "date",
            "date_precision",
            "sort_year",
            "date_wording",
            "title",
            "kind",
            "description",
            "topics",
            *SOURCED,
            *PUBLISHED,
        )
        import_id_fields = ("slug",)
