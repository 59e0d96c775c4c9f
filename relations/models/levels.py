"""The levels a relationship reached ('strategic partnership' in 2009, 'enhanced strategic partnership' in 2022),
each as one source dates it. The current level is derived from them, never stored on the relationship."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import format_partial_date, too_far_ahead
from ..text import fold
from .base import RECORD_PERMISSIONS, Publishable, PublishableQuerySet, Sourced, either_way, precision_field


class RelationshipLevel(Publishable, Sourced):
    """A level of a relationship, since a date, as one source states it. Sources that date the same level
    differently each have a record of their own, and readers see them side by side."""

    # Public only while its relationship is.
    published_parents = ("relationship",)

    relationship = models.ForeignKey(
        "Relationship", on_delete=models.CASCADE, related_name="levels", verbose_name=_("relationship")
    )
    level = models.CharField(
        _("level"),
        max_length=100,
        help_text=_("As in 'enhanced strategic partnership': written the same way in each record of that level."),
    )
    since = models.DateField(
        _("since"),
        null=True,
        blank=True,
        help_text=_("When the relationship reached this level, as the source dates it."),
    )
    since_precision = precision_field(_("precision of 'since'"))

    objects = models.Manager.from_queryset(PublishableQuerySet)()

    history = HistoricalRecords()

    @classmethod
    def pair_condition(cls, a, b):
        """Recorded for the relationship of the pair, in either order."""
        return either_way("relationship__country_a", "relationship__country_b", a, b)

    class Meta:
        verbose_name = _("relationship level")
        verbose_name_plural = _("relationship levels")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["relationship", models.F("since").asc(nulls_first=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level=""),
                name="relationshiplevel_level_named",
                violation_error_message=_("Name the level, such as “strategic partnership”."),
            ),
            models.UniqueConstraint(
                fields=["relationship", "since", "source"],
                name="relationshiplevel_one_per_source_and_date",
                violation_error_message=_(
                    "This source already dates a level of this relationship to this date: change that record."
                ),
            ),
        ]

    def __str__(self):
        since = self.since_display()
        if since:
            return gettext("%(relationship)s: %(level)s since %(date)s") % {
                "relationship": self.relationship,
                "level": self.level,
                "date": since,
            }
        return f"{self.relationship}: {self.level}"

    def get_absolute_url(self):
        return f"{self.relationship.get_absolute_url()}#levels"

    def clean(self):
        # Reached no later than events are dated (the milestones' rule).
        far = too_far_ahead(self.since, self.since_precision) if isinstance(self.since, datetime.date) else None
        if far:
            raise ValidationError({"since": far})

    def since_display(self):
        return format_partial_date(self.since, self.since_precision)

    def date_order(self):
        """Undated records (a level whose source gives no year) come first, then by date."""
        return (self.since is not None, self.since or datetime.date.min, self.pk or 0)

    def names_level(self, name):
        """Whether `name` is this record's level, capitals, accents and spacing aside."""
        return fold(" ".join(str(name).split())) == fold(" ".join(self.level.split()))


@dataclass
class LevelStep:
    """One level on a relationship's ladder: the records dating it, in date order (undated first). The
    earliest dated one gives 'since'; records giving other years are sources that disagree, shown beside it."""

    records: list = field(default_factory=list)

    @property
    def level(self):
        return self.first.level

    @property
    def first(self):
        return next((record for record in self.records if record.since), self.records[0])

    @property
    def since_year(self):
        return self.first.since.year if self.first.since else None

    @property
    def other_dates(self):
        """One record for each other year sources give for this level, earliest first."""
        years = {self.since_year}
        others = []
        for record in self.records:
            if record.since and record.since.year not in years:
                years.add(record.since.year)
                others.append(record)
        return others


def level_ladder(levels):
    """Level records (of one relationship) as the steps it climbed, in date order: records of the same level
    next to each other in date order make one step, so two sources dating the strategic partnership to
    2009 and 2012 stand on one step, while a level reached again after another is a step of its own."""
    steps = []
    for record in sorted(levels, key=RelationshipLevel.date_order):
        if steps and steps[-1].first.names_level(record.level):
            steps[-1].records.append(record)
        else:
            steps.append(LevelStep([record]))
    return steps
