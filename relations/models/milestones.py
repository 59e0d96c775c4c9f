"""Milestones of a relationship."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import Precision, ordinal, stated_date_display, too_far_ahead
from ..languages import translated, translations
from ..text import slugify_name
from .base import (
    RECORD_PERMISSIONS,
    Planned,
    Publishable,
    PublishableSlugManager,
    Searchable,
    SluggedModel,
    Sourced,
    date_from_wording,
    either_way,
    precision_field,
    rule_message,
)

# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------


class YearStart(models.Func):
    """1 January of a year held as a number, as a date the database orders with other dates."""

    output_field = models.DateField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps dates as ISO text: the year in four digits, then '-01-01' (no printf: its '%' would be
        # read as a query parameter's mark).
        template = "(substr('000' || (%(expressions)s), -4) || '-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sql(self, compiler, connection, **extra_context):
        extra_context.setdefault("template", "make_date(%(expressions)s, 1, 1)")
        return super().as_sql(compiler, connection, **extra_context)


def timeline_date():
    """Where a milestone stands in time: its date, or 1 January of its year for sorting when it has none."""
    return Coalesce("date", YearStart("sort_year"), output_field=models.DateField())


class Milestone(SluggedModel, Searchable, Publishable, Planned, Sourced):
    """An event on the timeline of a relationship: dated at a precision, or placed by a year for sorting when
    the source gives no date ("Türkiye was the first country to recognise Kazakhstan's independence"), with
    the source's words for a time it gives only roughly ("before 1992", "in recent years") or relative to
    itself ("last year", worked out from its publication date). An anniversary a source states ("the 70th
    anniversary of diplomatic relations") is one, with the source's own count."""

    # Public only while its relationship is.
    published_parents = ("relationship",)

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("Recognition")
        DIPLOMATIC_RELATIONS = "diplomatic-relations", _("Diplomatic relations")
        PARTNERSHIP = "partnership", _("Partnership level")
        AGREEMENT = "agreement", _("Agreement")
        MISSION = "mission", _("Diplomatic mission")
        TRAVEL = "travel", _("Travel and visas")
        ANNIVERSARY = "anniversary", _("Anniversary")
        OTHER = "other", _("Other")

    relationship = models.ForeignKey(
        "Relationship", on_delete=models.PROTECT, related_name="milestones", verbose_name=_("relationship")
    )
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Left blank when the source gives none: then give a year for sorting."),
    )
    date_precision = precision_field()
    sort_year = models.PositiveSmallIntegerField(
        _("year for sorting"),
        null=True,
        blank=True,
        help_text=_(
            "Where a milestone without a date stands on the timeline (at the start of that year). "
            "Required when there is no date; not shown to readers."
        ),
    )
    date_wording = models.CharField(
        _("date as worded"),
        max_length=100,
        blank=True,
        help_text=_(
            "The source's own words for the time: 'on Friday', 'last year', 'before 1992', 'in recent years'. "
            "With the date left blank, words that give one are worked out from the source's publication date, to the "
            "precision they allow, and shown beside it; words that give none are shown alone (then give a year for "
            "sorting)."
        ),
    )
    anniversary = models.PositiveSmallIntegerField(
        _("anniversary (as counted by the source)"),
        null=True,
        blank=True,
        help_text=_(
            "For an anniversary: the source's own count, 70 in 'the 70th anniversary of diplomatic relations', "
            "shown beside the one the site works out from the establishment date."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    title_tr, title_kk, title_ru = translations(title)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)
    topics = models.ManyToManyField("Topic", blank=True, related_name="milestones", verbose_name=_("topics"))

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[topics])

    @classmethod
    def pair_condition(cls, a, b):
        """Recorded for the relationship of the pair, in either order."""
        return either_way("relationship__country_a", "relationship__country_b", a, b)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        default_permissions = RECORD_PERMISSIONS
        ordering = [timeline_date().desc(), "title"]
        indexes = [
            models.Index(fields=["date"], name="milestone_date_idx"),
            models.Index(timeline_date(), "id", name="milestone_timeline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=False) | Q(sort_year__isnull=False),
                name="milestone_dated_or_placed",
                violation_error_message=_(
                    "A milestone without a date needs a year for sorting: give the year it stands at on the timeline."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sort_year__isnull=True) | Q(sort_year__gte=1, sort_year__lte=9999),
                name="milestone_sort_year_range",
                violation_error_message=_("A year for sorting lies between 1 and 9999."),
            ),
            models.CheckConstraint(
                condition=Q(anniversary__isnull=True) | Q(anniversary__gte=1),
                name="milestone_anniversary_positive",
                violation_error_message=_("Anniversaries count from the 1st."),
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=True) | Q(sort_year__isnull=True),
                name="milestone_dated_or_placed_not_both",
                violation_error_message=_(
                    "A milestone with a date stands on the timeline at that date: leave the year for sorting blank."
                ),
            ),
        ]

    def __str__(self):
        when = self.date_display()
        title = translated(self, "title")
        return f"{when}: {title}" if when else title

    def get_absolute_url(self):
        return f"{reverse('relations:timeline')}#{self.slug}"

    def search_terms(self):
        return [self.title, self.description]

    def slug_source(self):
        """'1992 Diplomatic relations established'; an undated milestone's year for sorting stands for its year."""
        year = self.date.year if self.date else self.sort_year
        return f"{year} {self.title}" if year else self.title

    def default_slug(self):
        """'1992-diplomatic-relations-established', or with the pair's slug after it when another pair's
        milestone of that year already bears that title: every pair has such milestones."""
        slug = super().default_slug()
        if Milestone.objects.filter(slug=slug).exclude(relationship=self.relationship_id).exists():
            slug = slugify_name(f"{self.slug_source()} {self.relationship.slug}")[:120]
        return slug

    def date_display(self):
        """The date at its precision, with the source's words for it beside ('2023 — “last year”'); the words
        alone when they give no date ('before 1992'); nothing for a milestone with neither: its year for sorting
        only places it."""
        return stated_date_display(self.date, self.date_precision, self.date_wording)

    def anniversary_display(self):
        """'70th anniversary of diplomatic relations' as the source counts it, or nothing."""
        if not self.anniversary:
            return ""
        return gettext("%(ordinal)s anniversary") % {"ordinal": ordinal(self.anniversary)}

    def clean(self):
        errors = {}
        if self.sort_year is None:
            # Words that give no date ('in recent years') stay the only date shown: then a year for sorting places it.
            date_from_wording(self, "date")
        if self.anniversary is not None and self.anniversary < 1:
            errors["anniversary"] = rule_message(self, "milestone_anniversary_positive")
        dated = isinstance(self.date, datetime.date)
        if self.date is None and self.sort_year is None:
            errors["sort_year"] = rule_message(self, "milestone_dated_or_placed")
        elif self.date is not None and self.sort_year is not None:
            errors["sort_year"] = rule_message(self, "milestone_dated_or_placed_not_both")
        elif self.sort_year is not None and not 1 <= self.sort_year <= 9999:
            errors["sort_year"] = rule_message(self, "milestone_sort_year_range")
        elif self.sort_year is not None:
            far = too_far_ahead(datetime.date(self.sort_year, 1, 1), Precision.YEAR)
            if far:
                errors["sort_year"] = far
        if dated and (far := too_far_ahead(self.date, self.date_precision)):
            errors["date"] = far
        if errors:
            raise ValidationError(errors)
