"""Building blocks shared by the records: slugs, publication, sources, search text, dates of a given precision."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.lookups import Contains
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import languages
from ..dates import Precision, read_stated_date
from ..languages import DEFAULT, translations
from ..text import fold, slugify_name

# ---------------------------------------------------------------------------
# Shared building blocks
# ---------------------------------------------------------------------------

# Importing and exporting are rights of their own: viewing a record does not grant them.
RECORD_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SluggedModel(models.Model):
    """A record named by a unique slug, filled in from its name when left blank."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Part of the page address and the key used in CSV files. Filled in from the name when left blank."),
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.default_slug()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        if self.slug:
            return
        try:
            # In English, whatever the editor's language: a slug never depends on who saved the record.
            with translation.override(DEFAULT):
                source = self.slug_source()
            slug = self.default_slug()
        except (ObjectDoesNotExist, AttributeError, TypeError):
            # A field the slug is made from is missing or invalid: that field's own message says so.
            return
        if not slugify_name(source):
            raise ValidationError(
                {"slug": gettext("The name has no letters a web address can carry: give a slug in Latin letters.")}
            )
        # The slug is filled in on saving, after Django's unique check: checked here, it is a message, not an error.
        if type(self)._default_manager.filter(slug=slug).exclude(pk=self.pk).exists():
            message = gettext(
                "Another %(record)s already has the address “%(slug)s”: give this one a slug of its own."
            ) % {"record": self._meta.verbose_name, "slug": slug}
            raise ValidationError({"slug": message})

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return str(self)

    def default_slug(self):
        """The slug a record saved without one gets: its slug source in Latin letters ('Kırşehir', 'kirsehir'),
        made in English whatever the language of the request (a phone call's kind, for one, is part of it)."""
        with translation.override(DEFAULT):
            return slugify_name(self.slug_source())[:120]


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def either_way(first, second, a, b):
    """A record of the pair (a, b) when `first` names one of its countries and `second` the other."""
    return Q(**{first: a, second: b}) | Q(**{first: b, second: a})


def both_among(links, link, outer, a, b):
    """A record of the pair (a, b) when both countries are among the `links` rows (members, memberships)
    whose `link` points to it (`outer`: where its id is, seen from the list)."""
    return Exists(links.filter(**{link: OuterRef(outer)}, country=a)) & Exists(
        links.filter(**{link: OuterRef(outer)}, country=b)
    )


class PublishableQuerySet(models.QuerySet):
    def published(self, beneath=None):
        """Published records. On the page of the parent `beneath` ("relationship"), which readers reach only when
        it is published, its records are not asked again whether it is: so staff previewing a draft parent see
        them as readers will once it is published."""
        return self.filter(self.model.published_condition(beneath=beneath))

    def of_relationship(self, relationship):
        """The records of one pair of countries, each record type saying how in its `pair_condition`."""
        return self.filter(self.model.pair_condition(relationship.country_a_id, relationship.country_b_id))

    def visible_to(self, user):
        """Published records, and drafts too for signed-in staff previewing them."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class PublishableSlugManager(SlugManager.from_queryset(PublishableQuerySet)):
    pass


class Publishable(models.Model):
    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        # No index: nearly every record is published, and an index on it lures SQLite's planner
        # away from the selective indexes (a whole-table scan for each overview).
        help_text=_("Drafts are hidden from public pages, search, the sitemap and public downloads."),
    )

    # The records this one hangs from (a meeting from its council): it is public only when they are.
    published_parents = ()

    class Meta:
        abstract = True

    @classmethod
    def published_condition(cls, prefix="", beneath=None):
        """Published, and every record it hangs from published too, as a filter (`prefix` reaches it from another);
        all but the parent `beneath`, whose own page shows it (see PublishableQuerySet.published)."""
        condition = Q(**{f"{prefix}publication_status": PublicationStatus.PUBLISHED})
        for name in cls.published_parents:
            if name == beneath:
                continue
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
        verbose_name=_("source"),
        help_text=_("Where this fact is stated."),
    )
    quote = models.TextField(
        _("quotation"),
        blank=True,
        help_text=_("The sentence of the source that states the fact, word for word."),
    )
    quote_tr, quote_kk, quote_ru = translations(quote)
    reader_note = models.TextField(
        _("note for readers"),
        blank=True,
        help_text=_(
            "Context a reader needs with the fact, shown with it and exported: 'a record', 'mostly in mining, "
            "oil and gas', 'the Presidents set the corresponding task'."
        ),
    )

    class Meta:
        abstract = True

    def dating_source(self):
        """The source whose publication date its words for a date are read against ('last year')."""
        return self.source if self.source_id else None


def date_wording_field():
    return models.CharField(
        _("date as worded"),
        max_length=100,
        blank=True,
        help_text=_(
            "The source's own words for the date: 'on Friday', 'last year', 'in April', 'this time three years "
            "ago'. With the date left blank, it is worked out from the source's publication date to the precision the "
            "words allow, and the words are shown beside it."
        ),
    )


def date_from_wording(record, field):
    """Fills the date `field` of `record` and its precision from the record's `date_wording` when no date was
    typed, read against its source's publication date (Sourced.dating_source). The message refusing it when the
    words give no date, else None: a date the source does not give is never invented."""
    words = record.date_wording.strip()
    if getattr(record, field) is not None or not words:
        return None
    source = record.dating_source()
    known = source is not None and source.published_on is not None and source.published_on_precision == Precision.DAY
    found = read_stated_date(words, source.published_on if known else None, ahead=getattr(record, "planned", False))
    if found is None:
        if known:
            message = gettext(
                "“%(words)s” gives no date the site can work out: type the date at the precision the source gives, "
                "such as 2024, 2024-04 or 24.05.2024."
            )
        else:
            message = gettext(
                "“%(words)s” gives no date the site can work out (the source has no publication date known to the "
                "day to read them against): type the date at the precision the source gives, such as 2024, 2024-04 "
                "or 24.05.2024."
            )
        return message % {"words": words}
    setattr(record, field, found[0])
    setattr(record, f"{field}_precision", found[1])
    return None


class Planned(models.Model):
    """An event a source announces: shown as planned until an editor records that it happened."""

    planned = models.BooleanField(
        _("planned"),
        default=False,
        help_text=_("The source announces it; it has not happened yet. Shown as planned until this is unticked."),
    )

    class Meta:
        abstract = True


class NamedQuerySet(models.QuerySet):
    def named(self, text):
        """The record a reader means by `text`: its code or slug, or any of its names (`reader_names`),
        in any case, with or without accents ("almaty", "İstanbul", "Nur-Sultan"); None when there is none."""
        wanted = fold(" ".join(str(text).split()))
        # No name holds a control character (and PostgreSQL refuses a NUL in a query).
        if not wanted or not wanted.isprintable():
            return None
        # The search text holds every name: it narrows the candidates, then the names decide.
        for record in self.filter(search_text__contains=wanted)[:50]:
            if wanted in {fold(name) for name in record.reader_names() if name}:
                return record
        return None


class IndexedContains(Contains):
    """`search_text__contains` read from an index on SQLite: each searched table has an FTS5 table of trigrams
    of its search text (migration 0022, kept by triggers), which answers LIKE '%word%' without reading the
    whole table. PostgreSQL's own trigram index (migration 0021) answers the plain LIKE."""

    def as_sqlite(self, compiler, connection):
        word = self.rhs
        if not isinstance(word, str) or not hasattr(self.lhs, "alias") or any(char in word for char in "%_\\"):
            return super().as_sql(compiler, connection)
        model = self.lhs.target.model
        if not issubclass(model, Searchable):
            # A version of a record (simple-history copies the field) has no index.
            return super().as_sql(compiler, connection)
        row = f"{connection.ops.quote_name(self.lhs.alias)}.{connection.ops.quote_name(model._meta.pk.column)}"
        index = connection.ops.quote_name(search_index_table(model))
        return f"{row} IN (SELECT rowid FROM {index} WHERE search_text LIKE %s)", [f"%{word}%"]


def search_index_table(model):
    """The SQLite FTS5 table indexing a searchable record type's search text."""
    return f"{model._meta.db_table}_search"


class SearchTextField(models.TextField):
    """A record's names folded for search, found through an index by `contains` (IndexedContains)."""


SearchTextField.register_lookup(IndexedContains)


class Searchable(models.Model):
    """A record found by the public search, by any of its names, accents and case aside."""

    search_text = SearchTextField(_("search text"), blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        super().save(*args, **kwargs)

    # The fields whose translations a reader may search by (a topic's Kazakh name), where a record has them.
    searched_translations = ("name", "short_name", "official_name", "adjective", "title")

    def folded_search_text(self):
        """Its names in every language of the site, whatever the language of the request saving it: a record
        is found by its Kazakh name from the English search, and by its English one from the Kazakh search."""
        terms = []
        for code in languages.CODES:
            with translation.override(code):
                terms += [str(term) for term in self.search_terms() if term]
            if code != languages.DEFAULT:
                terms += [getattr(self, f"{name}_{code}", "") for name in self.searched_translations]
        return fold(" ".join(dict.fromkeys(term for term in terms if term)))

    def search_terms(self):
        return [str(self)]


class Ordered(models.Model):
    """A record with a place in its parent's list (an agenda item in its meeting's agenda): its position,
    left blank, is the next after the last, so new rows typed together each get their own."""

    # The field naming the parent whose list this record is in.
    ordered_within = None

    position = models.PositiveSmallIntegerField(
        _("position"), blank=True, help_text=_("Left blank: after the last one.")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.position is None:
            siblings = type(self)._default_manager.filter(**{self.ordered_within: getattr(self, self.ordered_within)})
            self.position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
        super().save(*args, **kwargs)


def rule_message(model, constraint_name):
    """The message of a database rule of `model` (a record type or a record), for its clean() to give the
    same rule in the same words on the field it concerns (the constraint reports it for the whole record)."""
    for constraint in model._meta.constraints:
        if constraint.name == constraint_name:
            return constraint.get_violation_error_message()
    raise LookupError(f"{model._meta.object_name} has no constraint {constraint_name}.")


def precision_field(verbose_name=None):
    return models.CharField(
        verbose_name or _("date precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How much of the date is known: '2009' is stored as 1 January 2009 with precision 'year'."),
    )


def year_span_constraint(name):
    return models.CheckConstraint(
        condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
        name=name,
        violation_error_message=_("The last year a name was used cannot be before the first."),
    )


class FormerName(models.Model):
    """A name a place or organization had, or has besides its current one, with its years."""

    class Kind(models.TextChoices):
        FORMER = "former", _("Former name")
        ALTERNATIVE = "alternative", _("Alternative name or spelling")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FORMER)
    start_year = models.PositiveSmallIntegerField(_("used from"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("used until"), null=True, blank=True)

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
            return gettext("until %(year)s") % {"year": self.end_year}
        if self.start_year:
            return gettext("since %(year)s") % {"year": self.start_year}
        return ""

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": rule_message(self, f"{self._meta.model_name}_years_in_order")})
