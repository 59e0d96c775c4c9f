"""International organizations, their names and memberships."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import format_partial_date
from ..languages import translated, translations
from .base import (
    RECORD_PERMISSIONS,
    FormerName,
    Publishable,
    PublishableQuerySet,
    PublishableSlugManager,
    Searchable,
    SluggedModel,
    Sourced,
    both_among,
    precision_field,
    year_span_constraint,
)
from .reference import Country, Source

# ---------------------------------------------------------------------------
# International organizations
# ---------------------------------------------------------------------------


class Organization(SluggedModel, Searchable, Publishable):
    """An international organization or institution the countries take part in."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        PARLIAMENTARY = "parliamentary", _("Parliamentary assembly")
        CULTURAL = "cultural", _("Cultural organization")
        ACADEMIC = "academic", _("Academic institution")
        FOUNDATION = "foundation", _("Foundation")
        FORUM = "forum", _("Forum or conference")

    name = models.CharField(_("name"), max_length=300, unique=True)
    name_tr, name_kk, name_ru = translations(name)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, help_text=_("As in OTS, TÜRKSOY, OIC."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERGOVERNMENTAL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliates",
        verbose_name=_("part of"),
        help_text=_("The organization whose family this one belongs to."),
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    founded_on_precision = precision_field(_("precision of the founding date"))
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("source")
    )

    objects = PublishableSlugManager()

    history = HistoricalRecords()

    @classmethod
    def pair_condition(cls, a, b):
        """An organization both countries are published members of."""
        return both_among(Membership.objects.published(), "organization", "pk", a, b)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["acronym"],
                condition=~Q(acronym=""),
                name="organization_unique_acronym",
                violation_error_message=_("Another organization has this acronym."),
            ),
        ]

    def __str__(self):
        name = translated(self, "name")
        return f"{name} ({self.acronym})" if self.acronym else name

    def get_absolute_url(self):
        return reverse("relations:organization-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        former = [n.name for n in self.former_names.all()] if self.pk else []
        return [self.name, self.acronym, *former, self.description]

    def slug_source(self):
        return self.acronym or self.name

    def clean(self):
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": gettext("An organization cannot be part of itself.")})


class OrganizationName(FormerName):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("organization")
    )

    history = HistoricalRecords()

    class Meta(FormerName.Meta):
        verbose_name = _("former name of an organization")
        verbose_name_plural = _("former names of organizations")
        default_permissions = RECORD_PERMISSIONS
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="organizationname_unique_per_organization"),
            year_span_constraint("organizationname_years_in_order"),
        ]


class MembershipManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, organization_slug, country_code):
        return self.get(organization__slug=organization_slug, country__code=country_code)


class Membership(Publishable, Sourced):
    """A country's membership of an organization, with its role and date."""

    published_parents = ("organization",)

    class Role(models.TextChoices):
        FOUNDING_MEMBER = "founding-member", _("Founding member")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("country")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    joined_on_precision = precision_field(_("precision of the joining date"))

    objects = MembershipManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["organization__name", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "country"],
                name="membership_one_per_organization_and_country",
                violation_error_message=_("This country already has a membership of this organization."),
            ),
        ]

    def __str__(self):
        return gettext("%(country)s in %(organization)s") % {
            "country": self.country,
            "organization": self.organization.acronym or self.organization.name,
        }

    def get_absolute_url(self):
        return self.organization.get_absolute_url()

    def natural_key(self):
        return (self.organization.slug, self.country.code)

    natural_key.dependencies = ["relations.organization", "relations.country"]

    def joined_display(self):
        return format_partial_date(self.joined_on, self.joined_on_precision)
