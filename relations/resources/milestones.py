"""Milestones on the timeline of a relationship."""

from .. import models as records
from .base import PUBLISHED, SOURCED, WordedDatesResource
from .columns import with_translations
from .run import WordedDatesRun


class MilestoneDatesRun(WordedDatesRun):
    """A milestone's date worked out from the source's words as the row is read ('last year' in a report of 2025 is
    2024), so that a slug made from the row carries the year ('2024-…'), as the model's clean() would date it."""

    def date_from_words(self, reading):
        # With a year for sorting the words are the only date shown ('in recent years'): clean() reads them only
        # without one, and a date worked out here beside it would be refused as a milestone placed twice.
        if reading.values.get(self.resource.fields["sort_year"]) is not None:
            return
        super().date_from_words(reading)


class MilestoneResource(WordedDatesResource):
    run_class = MilestoneDatesRun
    worded_dates = ("date",)

    class Meta(WordedDatesResource.Meta):
        model = records.Milestone
        # 'Planned' and 'Anniversary (as counted by the source)' came later: optional, so older files import as
        # they did (a blank or missing cell is not planned, no count).
        fields = with_translations(
            records.Milestone,
            (
                "slug",
                "relationship",
                "date",
                "date_precision",
                "sort_year",
                "date_wording",
                "planned",
                "title",
                "kind",
                "anniversary",
                "description",
                "topics",
                *SOURCED,
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)
