"""The records of the Bilateral Relations CMS.

Reference records (countries, places, people, topics, sources) are referred to
by natural key, so fixtures and CSV files carry codes and slugs, never ids.
Records that state a fact cite a Source and may quote the sentence it came from.
"""

import contextlib
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import capfirst
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_m2m_records

from .dates import Precision, format_partial_date, ordinal, today
from .text import fold, slugify_name

# ---------------------------------------------------------------------------
# Shared building blocks
# ---------------------------------------------------------------------------

# Importing and exporting are rights of their own: viewing a record does not grant them.
RECORD_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")


@contextlib.contextmanager
def one_history_entry(instance):
    """Many-to-many values (topics, co-chairs, members) are set after their record is saved: keep them in
    that save's history entry, instead of one more entry for each value removed and added."""
    # Checked first: reaching `instance.history` builds a manager, too slow for every imported row;
    # a record being saved without history stays without it.
    if not instance._meta.many_to_many or hasattr(instance, "skip_history_when_saving"):
        yield
        return
    history_model = instance.history.model
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    entry = instance.history.first()
    if entry is None:
        return
    for field in history_model._history_m2m_fields:
        getattr(entry, field.name).all().delete()
    # The library's own copy of the values; its models for them are shared by every HistoricalRecords.
    HistoricalRecords().create_historical_record_m2ms(entry, instance)


def keep_links_of_deleted_record(sender, instance, **kwargs):
    """Django removes a record's many-to-many links before the record itself: read them first, so
    the history entry of the deletion keeps them like the record's other values."""
    instance._links_before_delete = {
        field.name: list(
            getattr(instance, field.name).through.objects.filter(**{history_utils.get_m2m_field_name(field): instance})
        )
        for field in sender.history.model._history_m2m_fields
    }


@receiver(pre_create_historical_m2m_records)
def deletion_entry_keeps_the_links(sender, rows, history_instance, instance, field, **kwargs):
    links = getattr(instance, "_links_before_delete", {}).get(field.name)
    if history_instance.history_type == "-" and links:
        rows.extend(
            sender(history=history_instance, **{f.attname: getattr(link, f.attname) for f in link._meta.fields})
            for link in links
        )


def note_records_losing_a_link(sender, instance, **kwargs):
    """A deleted topic (co-chair, member) leaves the records linked to it: note them to give them a version."""
    instance._records_losing_a_link = [
        record
        for field in tracked_links()
        if field.related_model is sender
        for record in field.model._default_manager.filter(**{field.name: instance})
    ]


def give_a_version_to_records_that_lost_a_link(sender, instance, **kwargs):
    losing = getattr(instance, "_records_losing_a_link", [])
    # Records deleted by the same cascade stay deleted.
    remaining = set()
    for model in {type(record) for record in losing}:
        pks = [record.pk for record in losing if type(record) is model]
        remaining.update((model, pk) for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
    for record in losing:
        if (type(record), record.pk) in remaining:
            record._change_reason = f"{capfirst(sender._meta.verbose_name)} “{instance}” deleted"
            record.save()


def tracked_links():
    """The many-to-many fields whose values each version keeps, such as Visit.topics."""
    return [
        field
        for model in apps.get_app_config("relations").get_models()
        if getattr(getattr(model, "history", None), "model", None)
        for field in model.history.model._history_m2m_fields
    ]


def connect_history_of_links():
    for field in tracked_links():
        record, linked = field.model, field.related_model
        pre_delete.connect(keep_links_of_deleted_record, sender=record, dispatch_uid=f"links-{record._meta.label}")
        pre_delete.connect(note_records_losing_a_link, sender=linked, dispatch_uid=f"linked-{linked._meta.label}")
        post_delete.connect(
            give_a_version_to_records_that_lost_a_link, sender=linked, dispatch_uid=f"unlinked-{linked._meta.label}"
        )


@receiver(post_save)
def loaded_records_keep_their_history(sender, instance, raw=False, **kwargs):
    """Fixtures and backups load records as they were (a backup brings its own history): their
    many-to-many values, set after the raw save, add no history entry either."""
    if raw and hasattr(sender, "history"):
        instance.skip_history_when_saving = True


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SluggedModel(models.Model):
    """A record named by a unique slug, filled in from its name when left blank."""

    slug = models.SlugField(
        "slug",
        max_length=120,
        unique=True,
        blank=True,
        help_text="Part of the page address and the key used in CSV files. Filled in from the name when left blank.",
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify_name(self.slug_source())[:120]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        if self.slug:
            return
        try:
            source = self.slug_source()
        except (ObjectDoesNotExist, AttributeError, TypeError):
            # A field the slug is made from is missing or invalid: that field's own message says so.
            return
        if not slugify_name(source):
            raise ValidationError(
                {"slug": "The name has no letters a web address can carry: give a slug in Latin letters."}
            )

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return str(self)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(self.model.published_condition())

    def visible_to(self, user):
        """Published records, and drafts too for signed-in staff previewing them."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class PublishableSlugManager(SlugManager.from_queryset(PublishableQuerySet)):
    pass


class Publishable(models.Model):
    publication_status = models.CharField(
        "publication status",
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        # No index: nearly every record is published, and an index on it lures SQLite's planner
        # away from the selective indexes (a whole-table scan for each overview).
        help_text="Drafts are hidden from public pages, search, the sitemap and public downloads.",
    )

    # The records this one hangs from (a meeting from its council): it is public only when they are.
    published_parents = ()

    class Meta:
        abstract = True

    @classmethod
    def published_condition(cls, prefix=""):
        """Published, and every record it hangs from published too, as a filter (`prefix` reaches it from another)."""
        condition = Q(**{f"{prefix}publication_status": PublicationStatus.PUBLISHED})
        for name in cls.published_parents:
            parent = cls._meta.get_field(name).related_model
            condition &= parent.published_condition(f"{prefix}{name}__")
        return condition

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED and all(
            getattr(self, name).is_published for name in self.published_parents
        )


class Sourced(models.Model):
    """A fact with the source it comes from and, optionally, the sentence quoted."""

    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="source",
        help_text="Where this fact is stated.",
    )
    quote = models.TextField(
        "quotation",
        blank=True,
        help_text="The sentence of the source that states the fact, word for word.",
    )

    class Meta:
        abstract = True


class Searchable(models.Model):
    """A record found by the public search, by any of its names, accents and case aside."""

    search_text = models.TextField("search text", blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        super().save(*args, **kwargs)

    def folded_search_text(self):
        return fold(" ".join(str(term) for term in self.search_terms() if term))

    def search_terms(self):
        return [str(self)]


def precision_field(verbose_name="date precision"):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date is known: '2009' is stored as 1 January 2009 with precision 'year'.",
    )


def year_span_constraint(name):
    return models.CheckConstraint(
        condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
        name=name,
        violation_error_message="The last year a name was used cannot be before the first.",
    )


class FormerName(models.Model):
    """A name a place or organization had, or has besides its current one, with its years."""

    class Kind(models.TextChoices):
        FORMER = "former", "Former name"
        ALTERNATIVE = "alternative", "Alternative name or spelling"

    name = models.CharField("name", max_length=200)
    kind = models.CharField("kind", max_length=12, choices=Kind.choices, default=Kind.FORMER)
    start_year = models.PositiveSmallIntegerField("used from", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("used until", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-end_year", "name"]

    def __str__(self):
        return f"{self.name} ({self.years})" if self.years else self.name

    @property
    def years(self):
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        if self.end_year:
            return f"until {self.end_year}"
        if self.start_year:
            return f"since {self.start_year}"
        return ""

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The last year a name was used cannot be before the first."})


# ---------------------------------------------------------------------------
# Reference records
# ---------------------------------------------------------------------------


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(Searchable):
    """A sovereign state, known by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Enter the two capital letters of the ISO 3166-1 code, such as TR.")],
        help_text="ISO 3166-1 alpha-2 code, two capital letters (TR, KZ).",
    )
    name = models.CharField("short name", max_length=100, unique=True)
    official_name = models.CharField("official name", max_length=200, blank=True)
    adjective = models.CharField("adjective", max_length=100, blank=True, help_text="As in 'Turkish companies'.")
    slug = models.SlugField("slug", max_length=100, unique=True, blank=True)

    objects = CountryManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "country"
        verbose_name_plural = "countries"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        if not self.slug:
            self.slug = slugify_name(self.name)
        super().save(*args, **kwargs)

    def search_terms(self):
        return [self.name, self.official_name, self.adjective, self.code]

    def natural_key(self):
        return (self.code,)


class Place(SluggedModel, Searchable):
    """A city or town in a country. Former names are kept with the years they were used."""

    name = models.CharField("current name", max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="places", verbose_name="country")
    is_capital = models.BooleanField("capital city", default=False)
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
    )
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "place"
        verbose_name_plural = "places"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message="Latitude must lie between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message="Longitude must lie between -180 and 180.",
            ),
        ]

    def __str__(self):
        return self.name

    def search_terms(self):
        former = [n.name for n in self.former_names.all()] if self.pk else []
        return [self.name, *former, self.country.name]

    def display_name(self):
        """'Astana (formerly Nur-Sultan)': the current name with the former ones."""
        former = [n.name for n in self.former_names.all() if n.kind == FormerName.Kind.FORMER]
        if former:
            return f"{self.name} (formerly {', '.join(former)})"
        return self.name


class PlaceName(FormerName):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="former_names", verbose_name="place")

    history = HistoricalRecords()

    class Meta(FormerName.Meta):
        verbose_name = "former name of a place"
        verbose_name_plural = "former names of places"
        default_permissions = RECORD_PERMISSIONS
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="placename_unique_per_place"),
            year_span_constraint("placename_years_in_order"),
        ]


class Person(SluggedModel, Searchable):
    """A person who takes part in the relations, with the role they hold."""

    name = models.CharField("name", max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people", verbose_name="country")
    role = models.CharField("role", max_length=200, blank=True, help_text="As in 'President of the Republic'.")
    in_office_since = models.DateField("in office since", null=True, blank=True)
    in_office_since_precision = precision_field("precision of 'in office since'")
    source = models.ForeignKey(
        "Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="source"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return self.name

    def search_terms(self):
        return [self.name, self.role]

    def in_office_since_display(self):
        return format_partial_date(self.in_office_since, self.in_office_since_precision)


class Topic(SluggedModel, Searchable):
    """An area of cooperation: energy, trade, education, the Middle Corridor …"""

    name = models.CharField("name", max_length=100, unique=True)
    description = models.TextField("description", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "topic"
        verbose_name_plural = "topics"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return self.name


class SourceQuerySet(models.QuerySet):
    def cited(self):
        """Sources a published record cites, or another source was reported in: the ones readers see."""
        condition = Exists(Source.objects.filter(reported_in=OuterRef("pk")))
        for _, facts in published_facts():
            condition |= Exists(facts.filter(source=OuterRef("pk")))
        return self.filter(condition)


class SourceManager(SlugManager.from_queryset(SourceQuerySet)):
    pass


class Source(SluggedModel):
    """A publication that states facts: a news article, a ministry's release, a report."""

    title = models.CharField("title", max_length=300)
    publisher = models.CharField("publisher", max_length=200, blank=True)
    url = models.URLField("web address", max_length=500, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    retrieved_on = models.DateField("retrieved on", null=True, blank=True)
    reported_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="reported in",
        help_text="When this source is known through another one (a ministry's figure quoted in a news article).",
    )

    objects = SourceManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("relations:source-detail", args=[self.slug])

    def clean(self):
        if self.pk and self.reported_in_id == self.pk:
            raise ValidationError({"reported_in": "A source cannot be reported in itself."})


class Relationship(SluggedModel, Sourced):
    """The relations between a pair of countries; one record per pair, in either order."""

    country_a = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name="first country")
    country_b = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name="second country")
    established_on = models.DateField("diplomatic relations established", null=True, blank=True)
    established_on_precision = precision_field("precision of the establishment date")
    level = models.CharField(
        "current level", max_length=100, blank=True, help_text="As in 'enhanced strategic partnership'."
    )
    level_since = models.PositiveSmallIntegerField("level reached in (year)", null=True, blank=True)
    summary = models.TextField("summary", blank=True)

    objects = SlugManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "relationship"
        verbose_name_plural = "relationships"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(country_a=F("country_b")),
                name="relationship_two_different_countries",
                violation_error_message="A relationship joins two different countries.",
            ),
            models.UniqueConstraint(
                Least("country_a", "country_b"),
                Greatest("country_a", "country_b"),
                name="relationship_one_per_pair",
                violation_error_message="These two countries already have a relationship record.",
            ),
        ]

    def __str__(self):
        return f"{self.country_a} – {self.country_b}"

    def get_absolute_url(self):
        return reverse("relations:relationship-detail", kwargs={"slug": self.slug})

    @property
    def countries(self):
        return (self.country_a, self.country_b)

    def established_display(self):
        return format_partial_date(self.established_on, self.established_on_precision)

    def year_of_relations(self, on=None):
        """The running year of diplomatic relations: 1992 to 2025 is the 33rd year."""
        if not self.established_on:
            return None
        return (on or today()).year - self.established_on.year

    def anniversary_display(self, on=None):
        years = self.year_of_relations(on)
        if not years or years < 1:
            return ""
        return f"{ordinal(years)} year of diplomatic relations"


# ---------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------


class Visit(SluggedModel, Searchable, Publishable, Sourced):
    """A visit of a guest to a host, in the host's country."""

    class Kind(models.TextChoices):
        STATE = "state", "State visit"
        OFFICIAL = "official", "Official visit"
        WORKING = "working", "Working visit"
        PRIVATE = "private", "Private visit"
        SUMMIT = "summit", "Summit or multilateral meeting"

    guest = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits_made", verbose_name="guest")
    host = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits_hosted", null=True, blank=True, verbose_name="host"
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="visits_received", verbose_name="destination country"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name="city"
    )
    start_date = models.DateField("start date")
    start_date_precision = precision_field()
    end_date = models.DateField("end date", null=True, blank=True)
    kind = models.CharField("kind", max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    invited_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="at the invitation of",
    )
    summary = models.TextField("summary", blank=True)
    protocol = models.TextField(
        "notable protocol", blank=True, help_text="As in 'welcomed at the airport by the president, as an exception'."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="visits", verbose_name="topics")

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        verbose_name = "visit"
        verbose_name_plural = "visits"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-start_date", "slug"]
        indexes = [
            models.Index(fields=["-start_date", "slug"], name="visit_newest_idx"),
            models.Index(fields=["country", "-start_date"], name="visit_destination_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="visit_ends_after_start",
                violation_error_message="A visit cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.guest} to {self.country}, {self.dates_display()}"

    def get_absolute_url(self):
        return reverse("relations:visit-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        place = self.place.name if self.place_id else ""
        host = self.host.name if self.host_id else ""
        return [self.guest.name, host, self.country.name, place, self.get_kind_display(), self.summary]

    def slug_source(self):
        return f"{self.guest.name} {self.country.name} {self.start_date:%Y-%m-%d}"

    def dates_display(self):
        start = format_partial_date(self.start_date, self.start_date_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_partial_date(self.end_date)}"
        return start

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "A visit cannot end before it starts."
        if self.place_id and self.country_id and self.place.country_id != self.country_id:
            errors["place"] = f"{self.place} is not in {self.country}."
        if self.host_id and self.guest_id and self.host_id == self.guest_id:
            errors["host"] = "The host and the guest must be different people."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Councils and their meetings
# ---------------------------------------------------------------------------


class Council(SluggedModel, Searchable, Publishable, Sourced):
    """A standing intergovernmental body that meets under a number (1st, 2nd … meeting)."""

    name = models.CharField("name", max_length=300)
    short_name = models.CharField("short name", max_length=100, blank=True)
    members = models.ManyToManyField(Country, related_name="councils", verbose_name="member countries")
    established_on = models.DateField("established on", null=True, blank=True)
    established_on_precision = precision_field("precision of the establishment date")
    description = models.TextField("description", blank=True)

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = "council"
        verbose_name_plural = "councils"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("relations:council-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        return [self.name, self.short_name, self.description]


class CouncilMeetingManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, council_slug, number):
        return self.get(council__slug=council_slug, number=number)


class CouncilMeeting(Searchable, Publishable, Sourced):
    """A numbered meeting of a council: its date, place, co-chairs, agenda and outcomes."""

    published_parents = ("council",)

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings", verbose_name="council")
    number = models.PositiveSmallIntegerField("number", help_text="5 for the fifth meeting.")
    date = models.DateField("date")
    date_precision = precision_field()
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="council_meetings", verbose_name="place"
    )
    co_chairs = models.ManyToManyField(Person, blank=True, related_name="meetings_chaired", verbose_name="co-chairs")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_meetings",
        verbose_name="held during the visit",
    )
    summary = models.TextField("summary", blank=True)

    objects = CouncilMeetingManager()

    history = HistoricalRecords(m2m_fields=[co_chairs])

    class Meta:
        verbose_name = "council meeting"
        verbose_name_plural = "council meetings"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-date", "-number"]
        indexes = [models.Index(fields=["date"], name="councilmeeting_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"],
                name="councilmeeting_one_per_number",
                violation_error_message="This council already has a meeting with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="councilmeeting_number_positive",
                violation_error_message="Meetings are numbered from 1.",
            ),
        ]

    def __str__(self):
        if self.number is None or self.council_id is None:
            return "New council meeting"
        return f"{ordinal(self.number)} meeting of the {self.council}"

    def get_absolute_url(self):
        return reverse("relations:meeting-detail", kwargs={"slug": self.council.slug, "number": self.number})

    def natural_key(self):
        return (self.council.slug, self.number)

    natural_key.dependencies = ["relations.council"]

    def search_terms(self):
        place = self.place.name if self.place_id else ""
        return [str(self), self.council.short_name, place, self.summary]

    def date_display(self):
        return format_partial_date(self.date, self.date_precision)


class AgendaItem(models.Model):
    """One item on a meeting's agenda, linked to the cooperation area it concerns."""

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name="meeting"
    )
    position = models.PositiveSmallIntegerField("position", default=1)
    title = models.CharField("item", max_length=300)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items", verbose_name="topic"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "agenda item"
        verbose_name_plural = "agenda items"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agendaitem_one_per_position",
                violation_error_message="Two agenda items cannot share a position.",
            ),
        ]

    def __str__(self):
        return self.title


class Outcome(models.Model):
    """What a meeting produced: documents signed, declarations adopted."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement"
        MEMORANDUM = "memorandum", "Memorandum of understanding"
        DECLARATION = "declaration", "Joint declaration"
        PROTOCOL = "protocol", "Protocol"
        PROGRAMME = "programme", "Programme or action plan"
        DOCUMENTS = "documents", "Set of documents"

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name="meeting"
    )
    position = models.PositiveSmallIntegerField("position", default=1)
    title = models.CharField("title", max_length=300)
    kind = models.CharField("kind", max_length=12, choices=Kind.choices, default=Kind.AGREEMENT)
    signed = models.BooleanField(
        "signed", default=False, help_text="Leave unticked while the document is only expected to be signed."
    )
    description = models.TextField("description", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "outcome"
        verbose_name_plural = "outcomes"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="outcome_one_per_position",
                violation_error_message="Two outcomes cannot share a position.",
            ),
        ]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------------------
# Diplomatic missions
# ---------------------------------------------------------------------------


class Mission(SluggedModel, Searchable, Publishable, Sourced):
    """A diplomatic mission of a sending country in a city of the host country."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", "Embassy"
        CONSULATE_GENERAL = "consulate-general", "Consulate general"
        CONSULATE = "consulate", "Consulate"
        HONORARY_CONSULATE = "honorary-consulate", "Honorary consulate"

    KIND_PLURALS = {
        Kind.EMBASSY: "embassies",
        Kind.CONSULATE_GENERAL: "consulates general",
        Kind.CONSULATE: "consulates",
        Kind.HONORARY_CONSULATE: "honorary consulates",
    }

    sender = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="missions_sent", verbose_name="sending country"
    )
    host = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="missions_hosted", verbose_name="host country"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="missions", verbose_name="city")
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    opened_on = models.DateField("opened", null=True, blank=True)
    opened_on_precision = precision_field("precision of the opening date")
    address = models.TextField("address", blank=True)
    website = models.URLField("website", max_length=300, blank=True)

    objects = PublishableSlugManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mission"
        verbose_name_plural = "missions"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["sender__name", "kind", "place__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=F("host")),
                name="mission_host_differs_from_sender",
                violation_error_message="A country cannot host its own diplomatic mission.",
            ),
            models.UniqueConstraint(
                fields=["sender", "kind", "place"],
                name="mission_one_per_sender_kind_city",
                violation_error_message="This country already has a mission of this kind in this city.",
            ),
        ]

    def __str__(self):
        return f"{self.sender.adjective or self.sender.name} {self.get_kind_display().lower()} in {self.place}"

    def get_absolute_url(self):
        return reverse("relations:mission-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        former = [n.name for n in self.place.former_names.all()]
        return [str(self), self.sender.name, self.host.name, self.place.name, *former]

    def slug_source(self):
        return f"{self.sender.code} {self.kind} {self.place.name}"

    def opened_display(self):
        return format_partial_date(self.opened_on, self.opened_on_precision)

    def clean(self):
        errors = {}
        if self.sender_id and self.host_id and self.sender_id == self.host_id:
            errors["host"] = "A country cannot host its own diplomatic mission."
        if self.place_id and self.host_id and self.place.country_id != self.host_id:
            errors["place"] = f"{self.place} is not in {self.host}."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------


class Indicator(SluggedModel, Searchable):
    """What a figure measures: bilateral trade, investment, students, tourists …"""

    name = models.CharField("name", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    unit = models.CharField(
        "usual unit", max_length=20, blank=True, help_text="The unit its figures are usually given in."
    )
    has_direction = models.BooleanField(
        "has a direction",
        default=False,
        help_text="Figures flow from one country to the other (tourists, investment).",
    )
    is_headline = models.BooleanField("headline figure", default=False, help_text="Shown on the overview page.")
    position = models.PositiveSmallIntegerField("position", default=100, help_text="Order on the overview page.")
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators", verbose_name="topic"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicator"
        verbose_name_plural = "indicators"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("relations:indicator-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        return [self.name, self.description]


# How figures in a currency are written; any other unit (a currency code or a noun) follows the number.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "TRY": "TL ", "RUB": "₽"}


class StatisticQuerySet(PublishableQuerySet):
    def preferred(self):
        return self.filter(is_preferred=True)


class Statistic(Publishable, Sourced):
    """A sourced figure of an indicator for a relationship over a period."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        MORE_THAN = "more-than", "more than"
        EXCEEDED = "exceeded", "exceeded"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly"
        AT_LEAST = "at-least", "at least"
        LESS_THAN = "less-than", "less than"

    class PeriodKind(models.TextChoices):
        YEAR = "year", "Calendar year"
        MONTHS = "months", "Range of months"
        SPAN = "span", "Cumulative span of years"
        SINCE = "since", "Cumulative since a date"
        ACADEMIC_YEAR = "academic-year", "Academic year"
        AS_OF = "as-of", "As of a date"

    # No index of its own: the series and latest-figure indexes begin with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="statistics", verbose_name="indicator", db_index=False
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="statistics", verbose_name="relationship"
    )
    qualifier = models.CharField(
        "qualifier",
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text="The source's wording: 'more than 20' is 20 with 'more than'.",
    )
    value = models.DecimalField("value", max_digits=20, decimal_places=2)
    unit = models.CharField(
        "unit",
        max_length=20,
        help_text="An ISO 4217 currency code (USD, EUR, TRY) or what is counted (persons, companies, projects).",
    )
    equivalent_value = models.DecimalField("equivalent value", max_digits=20, decimal_places=2, null=True, blank=True)
    equivalent_unit = models.CharField("equivalent unit", max_length=20, blank=True)
    period_kind = models.CharField("period", max_length=13, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_start = models.DateField(
        "period start", help_text="For a year, its first day; for an as-of date, that date."
    )
    period_end = models.DateField("period end", help_text="For a year, its last day; for an as-of date, that date.")
    from_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="from country"
    )
    to_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="to country"
    )
    is_preferred = models.BooleanField(
        "preferred value",
        default=True,
        help_text="When sources disagree on a period, the value shown first; the others are shown beside it.",
    )
    note = models.TextField("note", blank=True)

    objects = StatisticQuerySet.as_manager()

    # The largest history table is read by record and date only; an index per foreign key would
    # slow every import of figures and serve no page.
    history = HistoricalRecords(no_db_index=["indicator", "relationship", "source", "from_country", "to_country"])

    class Meta:
        verbose_name = "statistic"
        verbose_name_plural = "statistics"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["indicator", "-period_end", "-is_preferred"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="statistic_value_not_negative",
                violation_error_message="A figure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(equivalent_value__isnull=True) | Q(equivalent_value__gte=0),
                name="statistic_equivalent_not_negative",
                violation_error_message="An equivalent figure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="statistic_period_in_order",
                violation_error_message="A period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(from_country__isnull=True) | Q(to_country__isnull=True) | ~Q(from_country=F("to_country")),
                name="statistic_direction_two_countries",
                violation_error_message="A figure cannot flow from a country to itself.",
            ),
            models.UniqueConstraint(
                F("indicator"),
                F("relationship"),
                F("period_start"),
                F("period_end"),
                Coalesce("from_country", Value(0), output_field=models.BigIntegerField()),
                Coalesce("to_country", Value(0), output_field=models.BigIntegerField()),
                F("source"),
                name="statistic_one_per_source_and_period",
                violation_error_message="This source already gives a figure for this indicator, period and direction.",
            ),
            models.UniqueConstraint(
                F("indicator"),
                F("relationship"),
                F("period_start"),
                F("period_end"),
                Coalesce("from_country", Value(0), output_field=models.BigIntegerField()),
                Coalesce("to_country", Value(0), output_field=models.BigIntegerField()),
                condition=Q(is_preferred=True),
                name="statistic_one_preferred_per_period",
                violation_error_message="Another figure is already preferred for this indicator, period and direction.",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "relationship", "period_end"], name="statistic_series_idx"),
            # The latest figure of an indicator (statistics list, overview).
            models.Index(fields=["indicator", "-period_end"], name="statistic_latest_idx"),
        ]

    def __str__(self):
        direction = self.direction_display()
        return (
            f"{self.indicator}, {self.period_display()}{f', {direction}' if direction else ''}: {self.value_display()}"
        )

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "A period cannot end before it starts."
        if self.equivalent_value is not None and not self.equivalent_unit:
            errors["equivalent_unit"] = "Give the unit of the equivalent value."
        if self.relationship_id:
            pair = {self.relationship.country_a_id, self.relationship.country_b_id}
            for field in ("from_country", "to_country"):
                country_id = getattr(self, f"{field}_id")
                if country_id and country_id not in pair:
                    errors[field] = f"This country is not part of {self.relationship}."
        if errors:
            raise ValidationError(errors)

    # Display, the way people read figures: "more than 12,000", "$5 billion".
    def value_display(self):
        amount = format_amount(self.value, self.unit)
        qualifier = "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
        text = f"{qualifier}{amount}"
        if self.equivalent_value is not None:
            text += f" ({format_amount(self.equivalent_value, self.equivalent_unit)})"
        return text

    def period_display(self):
        start, end = self.period_start, self.period_end
        kind = self.period_kind
        if kind == self.PeriodKind.YEAR:
            return str(start.year)
        if kind == self.PeriodKind.MONTHS:
            if start.year == end.year:
                return f"{start:%B}–{end:%B} {end.year}"
            return f"{start:%B} {start.year}–{end:%B} {end.year}"
        if kind == self.PeriodKind.SPAN:
            return f"{start.year}–{end.year}"
        if kind == self.PeriodKind.ACADEMIC_YEAR:
            return f"{start.year}–{end.year} academic year"
        if kind == self.PeriodKind.SINCE:
            return f"since {start.year}, as of {format_partial_date(end)}"
        return f"as of {format_partial_date(end)}"

    def direction_display(self):
        if self.from_country_id and self.to_country_id:
            return f"{self.from_country} → {self.to_country}"
        return ""


AMOUNT_SCALES = ((Decimal(10**12), " trillion"), (Decimal(10**9), " billion"), (Decimal(10**6), " million"))


def format_amount(value, unit):
    """'$5 billion', 'TL 202.86 billion', '12,000 persons'."""
    if value is None:
        return ""
    number, scale = Decimal(value), ""
    for size, word in AMOUNT_SCALES:
        if number >= size:
            number, scale = number / size, word
            break
    if number == number.to_integral():
        text = f"{number:,.0f}"
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    if unit in CURRENCY_SYMBOLS:
        return f"{CURRENCY_SYMBOLS[unit]}{text}{scale}"
    return f"{text}{scale} {unit}".strip()


# ---------------------------------------------------------------------------
# International organizations
# ---------------------------------------------------------------------------


class Organization(SluggedModel, Searchable, Publishable):
    """An international organization or institution the countries take part in."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        PARLIAMENTARY = "parliamentary", "Parliamentary assembly"
        CULTURAL = "cultural", "Cultural organization"
        ACADEMIC = "academic", "Academic institution"
        FOUNDATION = "foundation", "Foundation"
        FORUM = "forum", "Forum or conference"

    name = models.CharField("name", max_length=300, unique=True)
    acronym = models.CharField("acronym", max_length=30, blank=True, help_text="As in OTS, TÜRKSOY, OIC.")
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.INTERGOVERNMENTAL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliates",
        verbose_name="part of",
        help_text="The organization whose family this one belongs to.",
    )
    website = models.URLField("website", max_length=300, blank=True)
    founded_on = models.DateField("founded", null=True, blank=True)
    founded_on_precision = precision_field("precision of the founding date")
    description = models.TextField("description", blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="source"
    )

    objects = PublishableSlugManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organization"
        verbose_name_plural = "organizations"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["acronym"],
                condition=~Q(acronym=""),
                name="organization_unique_acronym",
                violation_error_message="Another organization has this acronym.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("relations:organization-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        former = [n.name for n in self.former_names.all()] if self.pk else []
        return [self.name, self.acronym, *former, self.description]

    def slug_source(self):
        return self.acronym or self.name

    def clean(self):
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be part of itself."})


class OrganizationName(FormerName):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_names", verbose_name="organization"
    )

    history = HistoricalRecords()

    class Meta(FormerName.Meta):
        verbose_name = "former name of an organization"
        verbose_name_plural = "former names of organizations"
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
        FOUNDING_MEMBER = "founding-member", "Founding member"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"
        PARTNER = "partner", "Partner"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="organization"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships", verbose_name="country")
    role = models.CharField("role", max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField("joined", null=True, blank=True)
    joined_on_precision = precision_field("precision of the joining date")

    objects = MembershipManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membership"
        verbose_name_plural = "memberships"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["organization__name", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "country"],
                name="membership_one_per_organization_and_country",
                violation_error_message="This country already has a membership of this organization.",
            ),
        ]

    def __str__(self):
        return f"{self.country} in {self.organization.acronym or self.organization.name}"

    def get_absolute_url(self):
        return self.organization.get_absolute_url()

    def natural_key(self):
        return (self.organization.slug, self.country.code)

    natural_key.dependencies = ["relations.organization", "relations.country"]

    def joined_display(self):
        return format_partial_date(self.joined_on, self.joined_on_precision)


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

    def date_display(self):
        return format_partial_date(self.date, self.date_precision)


def published_facts():
    """Each kind of record that cites a source, as readers see it: published only."""
    return [
        ("Relationships", Relationship.objects.all()),
        ("Visits", Visit.objects.published()),
        ("Councils", Council.objects.published()),
        ("Council meetings", CouncilMeeting.objects.published()),
        ("Diplomatic missions", Mission.objects.published()),
        ("Organizations", Organization.objects.published()),
        ("Statistics", Statistic.objects.published()),
        ("Memberships", Membership.objects.published()),
        ("Milestones", Milestone.objects.published()),
    ]
