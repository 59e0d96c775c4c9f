"""Reference records named by natural key: countries, places, people, topics, sources, relationships."""

from babel import Locale
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import Precision, format_partial_date, ordinal, today
from ..languages import translated, translations
from ..text import country_names, slugify_name
from .base import (
    RECORD_PERMISSIONS,
    FormerName,
    NamedQuerySet,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    Searchable,
    SluggedModel,
    SlugManager,
    Sourced,
    precision_field,
    year_span_constraint,
)
from .levels import level_ladder

# ---------------------------------------------------------------------------
# Reference records
# ---------------------------------------------------------------------------


class CountryManager(models.Manager.from_queryset(NamedQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PlaceManager(SlugManager.from_queryset(NamedQuerySet)):
    pass


class Country(Searchable):
    """A sovereign state, known by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Enter the two capital letters of the ISO 3166-1 code, such as TR."))
        ],
        help_text=_("ISO 3166-1 alpha-2 code, two capital letters (TR, KZ)."),
    )
    name = models.CharField(_("short name"), max_length=100, unique=True)
    name_tr, name_kk, name_ru = translations(name)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    official_name_tr, official_name_kk, official_name_ru = translations(official_name)
    adjective = models.CharField(_("adjective"), max_length=100, blank=True, help_text=_("As in 'Turkish companies'."))
    adjective_tr, adjective_kk, adjective_ru = translations(adjective)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)

    objects = CountryManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return translated(self, "name")

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        if not self.slug:
            self.slug = self.default_slug()
        super().save(*args, **kwargs)

    def search_terms(self):
        # Its names in other languages and CLDR's alternative names: "turkey" and "Казахстан" find it too.
        return [self.name, self.official_name, self.adjective, self.code, *country_names(self.code)]

    def reader_names(self):
        return [self.code, self.name, self.official_name]

    def default_translation(self, name, language):
        """The country's short name in `language` from CLDR (Babel) where an editor gave none: 'Kazakistan',
        'Қазақстан', 'Казахстан' (relations.languages.translated)."""
        if name != "name":
            return ""
        return Locale.parse(language).territories.get(self.code, "")

    def get_absolute_url(self):
        return reverse("relations:country-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.code,)

    def default_slug(self):
        """The slug a country saved without one gets: its short name in Latin letters."""
        return slugify_name(self.name)


class Place(SluggedModel, Searchable):
    """A city or town in a country. Former names are kept with the years they were used."""

    name = models.CharField(_("current name"), max_length=200)
    name_tr, name_kk, name_ru = translations(name)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="places", verbose_name=_("country"))
    is_capital = models.BooleanField(_("capital city"), default=False)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
    )
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    objects = PlaceManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message=_("Latitude must lie between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message=_("Longitude must lie between -180 and 180."),
            ),
        ]

    def __str__(self):
        return translated(self, "name")

    def search_terms(self):
        former = [n.name for n in self.former_names.all()] if self.pk else []
        return [self.name, *former, self.country.name]

    def reader_names(self):
        return [self.slug, self.name, *(n.name for n in self.former_names.all())]

    def display_name(self):
        """'Astana (formerly Nur-Sultan)': the current name with the former ones."""
        former = [n.name for n in self.former_names.all() if n.kind == FormerName.Kind.FORMER]
        if former:
            return gettext("%(name)s (formerly %(former)s)") % {"name": self.name, "former": ", ".join(former)}
        return self.name


class PlaceName(FormerName):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("place"))

    history = HistoricalRecords()

    class Meta(FormerName.Meta):
        verbose_name = _("former name of a place")
        verbose_name_plural = _("former names of places")
        default_permissions = RECORD_PERMISSIONS
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="placename_unique_per_place"),
            year_span_constraint("placename_years_in_order"),
        ]


class Person(SluggedModel, Searchable):
    """A person who takes part in the relations, with the role they hold."""

    name = models.CharField(_("name"), max_length=200)
    name_tr, name_kk, name_ru = translations(name)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people", verbose_name=_("country"))
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("As in 'President of the Republic'."))
    role_tr, role_kk, role_ru = translations(role)
    in_office_since = models.DateField(_("in office since"), null=True, blank=True)
    in_office_since_precision = precision_field(_("precision of 'in office since'"))
    source = models.ForeignKey(
        "Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("source")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return translated(self, "name")

    def search_terms(self):
        return [self.name, self.role]

    def in_office_since_display(self):
        return format_partial_date(self.in_office_since, self.in_office_since_precision)


class Topic(SluggedModel, Searchable):
    """An area of cooperation: energy, trade, education, the Middle Corridor …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_tr, name_kk, name_ru = translations(name)
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return translated(self, "name")


class SourceQuerySet(models.QuerySet):
    def cited(self):
        """Sources a published record cites, or another source was reported in: the ones readers see."""
        condition = Exists(Source.objects.filter(reported_in=OuterRef("pk")))
        for model in citing_models():
            condition |= Exists(model._default_manager.published().filter(source=OuterRef("pk")))
        # A further report of a published visit (Visit.further_sources) is cited on the visit's page.
        visits = apps.get_model("relations", "Visit")._default_manager
        condition |= Exists(visits.published().filter(further_sources=OuterRef("pk")))
        return self.filter(condition)


def citing_models():
    """The record types whose records cite a source as a fact readers may see: those with a `source` and
    drafts (or a parent with drafts). A person's source backs an editor's entry, not a published fact."""
    return [
        model
        for model in apps.get_app_config("relations").get_models()
        if hasattr(model._default_manager, "published")
        and any(field.name == "source" and field.related_model is Source for field in model._meta.concrete_fields)
    ]


class SourceManager(SlugManager.from_queryset(SourceQuerySet)):
    pass


class Source(SluggedModel):
    """A publication that states facts: a news article, a ministry's release, a report."""

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_on_precision = precision_field(_("precision of the publication date"))
    retrieved_on = models.DateField(_("retrieved on"), null=True, blank=True)
    reported_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reported in"),
        help_text=_("When this source is known through another one (a ministry's figure quoted in a news article)."),
    )

    objects = SourceManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("relations:source-detail", args=[self.slug])

    def published_display(self):
        """'29 July 2025', 'July 2025' or '2025': a report dated only by its year shows no day."""
        return format_partial_date(self.published_on, self.published_on_precision)

    def clean(self):
        if self.pk and self.reported_in_id == self.pk:
            raise ValidationError({"reported_in": gettext("A source cannot be reported in itself.")})


class RelationshipQuerySet(PublishableQuerySet):
    def named_by_countries(self, text):
        """The relationship a reader means by its two countries' slugs in either order ('kazakhstan-turkiye'
        for 'turkiye-kazakhstan'); None when there is none. A country's slug may hold hyphens itself
        ('united-states'), so each hyphen is tried as the one between the two."""
        words = str(text).strip().lower().split("-")
        if len(words) < 2 or not all(words):
            return None
        condition = Q(pk__in=[])
        for cut in range(1, len(words)):
            first, second = "-".join(words[:cut]), "-".join(words[cut:])
            condition |= Q(country_a__slug=first, country_b__slug=second)
            condition |= Q(country_a__slug=second, country_b__slug=first)
        return self.filter(condition).first()


class RelationshipManager(SlugManager.from_queryset(RelationshipQuerySet)):
    pass


class Relationship(SluggedModel, Searchable, Publishable, Sourced):
    """The relations between a pair of countries; one record per pair, in either order. A draft one, and
    every record hanging from it (its levels, figures and milestones), stays off the public pages."""

    country_a = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("first country"))
    country_b = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("second country"))
    established_on = models.DateField(_("diplomatic relations established"), null=True, blank=True)
    established_on_precision = precision_field(_("precision of the establishment date"))
    established_with = models.CharField(
        _("established with"),
        max_length=200,
        blank=True,
        help_text=_(
            "The state relations were established with, when it was a predecessor of the present one: "
            "'the Soviet Union'."
        ),
    )
    established_source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source of the establishment"),
        help_text=_("Where the establishment is stated, when not in the relationship's source."),
    )
    established_quote = models.TextField(
        _("quotation on the establishment"),
        blank=True,
        help_text=_(
            "'Vietnam and the Soviet Union, the predecessor of the current Russia, officially established "
            "diplomatic relations on January 30, 1950.'"
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_tr, summary_kk, summary_ru = translations(summary)
    position = models.PositiveSmallIntegerField(
        _("place on the home page"),
        default=100,
        help_text=_("Lower comes first: the site's own relationship before the others, whatever their names."),
    )

    objects = RelationshipManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(country_a=F("country_b")),
                name="relationship_two_different_countries",
                violation_error_message=_("A relationship joins two different countries."),
            ),
            models.UniqueConstraint(
                Least("country_a", "country_b"),
                Greatest("country_a", "country_b"),
                name="relationship_one_per_pair",
                violation_error_message=_("These two countries already have a relationship record."),
            ),
        ]

    def __str__(self):
        return f"{self.country_a} – {self.country_b}"

    def get_absolute_url(self):
        return reverse("relations:relationship-detail", kwargs={"slug": self.slug})

    @property
    def countries(self):
        return (self.country_a, self.country_b)

    def search_terms(self):
        levels = [record.level for record in self.published_levels()] if self.pk else []
        return [str(self), self.country_a.official_name, self.country_b.official_name, *dict.fromkeys(levels)]

    def level_ladder(self):
        """The levels it reached as readers see them (published records), in date order, sources that date
        a level differently side by side on its step (levels.level_ladder). Reads prefetched `levels`."""
        return level_ladder(self.published_levels())

    def current_level(self):
        """Its current level, derived, never stored: the step of its latest published level record by date."""
        ladder = self.level_ladder()
        return ladder[-1] if ladder else None

    def published_levels(self):
        """Its level records published in themselves (reads prefetched `levels`): whether the relationship is
        published too is its own page's concern, which a draft one shows only to staff, as a preview."""
        return [record for record in self.levels.all() if record.publication_status == PublicationStatus.PUBLISHED]

    def established_display(self):
        """'30 January 1950 (with the Soviet Union)', or the date alone."""
        date = format_partial_date(self.established_on, self.established_on_precision)
        if date and self.established_with:
            return gettext("%(date)s (with %(state)s)") % {"date": date, "state": self.established_with}
        return date

    def establishment_source(self):
        return self.established_source if self.established_source_id else self.source

    def anniversaries(self, on=None):
        """Completed years of diplomatic relations on `on` (today): 2 March 1992 to 29 July 2025 is 33
        (the article's "33rd anniversary"). Before the day of a known date, the year is not complete yet."""
        if not self.established_on:
            return None
        on, since = on or today(), self.established_on
        years = on.year - since.year
        if self.established_on_precision != Precision.YEAR and (on.month, on.day) < (since.month, since.day):
            years -= 1
        return years

    def anniversary_display(self, on=None):
        """'34th year of diplomatic relations (33rd anniversary)': the running year is one more than the years
        completed."""
        completed = self.anniversaries(on)
        if completed is None or completed < 0:
            return ""
        if completed == 0:
            return gettext("%(ordinal)s year of diplomatic relations") % {"ordinal": ordinal(1)}
        return gettext("%(ordinal)s year of diplomatic relations (%(previous)s anniversary)") % {
            "ordinal": ordinal(completed + 1),
            "previous": ordinal(completed),
        }
