"""Milestones of a relationship."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import format_partial_date
from ..text import slugify_name
from .base import (
    RECORD_PERMISSIONS,
    Publishable,
    PublishableSlugManager,
    Searchable,
    SluggedModel,
    Sourced,
    either_way,
    precision_field,
)
from .reference import Relationship, Topic

# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------


class Milestone(SluggedModel, Searchable, Publishable, Sourced):
    """A dated event on the timeline of a relationship."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", "Recognition"
        DIPLOMATIC_RELATIONS = "diplomatic-relations", "Diplomatic relations"
        PARTNERSHIP = "partnership", "Partnership level"
        AGREEMENT = "agreement", "Agreement"
        MISSION = "mission", "Diplomatic mission"
        TRAVEL = "travel", "Travel and visas"
        OTHER = "other", "Other"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="milestones", verbose_name="relationship"
    )
    date = models.DateField("date")
    date_precision = precision_field()
    title = models.CharField("title", max_length=300)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField("description", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="milestones", verbose_name="topics")

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[topics])

    @classmethod
    def pair_condition(cls, a, b):
        """Recorded for the relationship of the pair, in either order."""
        return either_way("relationship__country_a", "relationship__country_b", a, b)

    class Meta:
        verbose_name = "milestone"
        verbose_name_plural = "milestones"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["date"], name="milestone_date_idx")]

    def __str__(self):
        return f"{self.date_display()}: {self.title}"

    def get_absolute_url(self):
        return f"{reverse('relations:timeline')}#{self.slug}"

    def search_terms(self):
        return [self.title, self.description]

    def slug_source(self):
        return f"{self.date.year} {self.title}"

    def default_slug(self):
        """'1992-diplomatic-relations-established', or with the pair's slug after it when another pair's
        milestone of that year already bears that title: every pair has such milestones."""
        slug = super().default_slug()
        if Milestone.objects.filter(slug=slug).exclude(relationship=self.relationship_id).exists():
            slug = slugify_name(f"{self.slug_source()} {self.relationship.slug}")[:120]
        return slug

    def date_display(self):
        return format_partial_date(self.date, self.date_precision)
