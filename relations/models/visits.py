"""Visits, councils and their meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import dates
from ..dates import Precision, format_partial_date, ordinal, stated_date_display, typed_form
from ..languages import in_each_language, translated, translations
from .base import (
    RECORD_PERMISSIONS,
    Ordered,
    Planned,
    Publishable,
    PublishableQuerySet,
    PublishableSlugManager,
    Searchable,
    SluggedModel,
    Sourced,
    both_among,
    date_from_wording,
    date_wording_field,
    either_way,
    precision_field,
    rule_message,
)
from .reference import Country, Person, Place, Source, Topic

# ---------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------


class Visit(SluggedModel, Searchable, Publishable, Planned, Sourced):
    """A visit of a guest to a host, in the host's country; or a contact between the two that is no visit: a
    phone call, or a meeting on the sidelines of a summit, possibly in a third country. Its programme (talks,
    courtesy calls, other cities) and what it produced (documents signed, decisions) hang from it."""

    class Kind(models.TextChoices):
        # The source does not say: shown as a plain "visit", never as a guess.
        NOT_STATED = "", _("Not stated")
        STATE = "state", _("State visit")
        OFFICIAL = "official", _("Official visit")
        WORKING = "working", _("Working visit")
        PRIVATE = "private", _("Private visit")
        SUMMIT = "summit", _("Summit or multilateral meeting")
        PHONE_CALL = "phone-call", _("Phone call")
        SIDELINES = "sidelines", _("Meeting on the sidelines")

    # Contacts between two people that are not visits: they belong to the pair of the two people's countries,
    # wherever they were held, and the home page's "latest visit" is never one.
    CONTACTS = (Kind.PHONE_CALL, Kind.SIDELINES)

    guest = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits_made", verbose_name=_("guest"))
    host = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits_hosted", null=True, blank=True, verbose_name=_("host")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="visits_received",
        verbose_name=_("destination country"),
        blank=True,
        help_text=_(
            "Where the guest went; for a meeting on the sidelines, where it was held. "
            "Left blank for a phone call: the host's country."
        ),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("city")
    )
    # Blank in a form or a file only while its words give it (date_from_wording): a visit is always dated.
    start_date = models.DateField(_("start date"), blank=True)
    start_date_precision = precision_field()
    date_wording = date_wording_field()
    end_date = models.DateField(_("end date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True, default=Kind.NOT_STATED)
    occasion = models.CharField(
        _("occasion"),
        max_length=200,
        blank=True,
        help_text=_("What brought them together, for a meeting on the sidelines: 'the SCO summit in Astana'."),
    )
    invited_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("at the invitation of"),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_tr, summary_kk, summary_ru = translations(summary)
    protocol = models.TextField(
        _("notable protocol"),
        blank=True,
        help_text=_("As in 'welcomed at the airport by the president, as an exception'."),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="visits", verbose_name=_("topics"))
    further_sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="visits_also_reported",
        verbose_name=_("further sources"),
        help_text=_("Other reports of the same visit, such as the one that gives its date or its host."),
    )

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[topics, further_sources])

    @classmethod
    def pair_condition(cls, a, b):
        """A visit of one country's guest to the other country; a contact (a phone call, a meeting on the
        sidelines) between a person of each country, wherever it was held: a third country's summit too."""
        contact = Q(kind__in=cls.CONTACTS)
        # The guest is of one of the two countries either way: said once more outright, it lets the database find
        # the visits through their guests (an index) instead of reading every visit to test the alternatives.
        return Q(guest__country__in=(a, b)) & (
            (~contact & either_way("guest__country", "country", a, b))
            | (contact & either_way("guest__country", "host__country", a, b))
        )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-start_date", "slug"]
        indexes = [
            models.Index(fields=["-start_date", "slug"], name="visit_newest_idx"),
            models.Index(fields=["country", "-start_date"], name="visit_destination_idx"),
            # A country's page: the latest visits of its people, found in the index alone (what it is filtered and
            # sorted by) among the thousands of a head of state of a country at the centre of many pairs.
            models.Index(
                fields=["guest", "-start_date", "slug", "country", "publication_status"], name="visit_guest_newest_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="visit_ends_after_start",
                violation_error_message=_("A visit cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["phone-call", "sidelines"]) | Q(host__isnull=False),
                name="visit_contact_between_two_people",
                violation_error_message=_(
                    "A phone call or a meeting on the sidelines is between two people: "
                    "give the host (the other party) too."
                ),
            ),
        ]

    def __str__(self):
        if self.is_contact:
            return f"{self.title()}, {self.dates_display()}"
        # Translators: "Kassym-Jomart Tokayev to Türkiye, 29 July 2025": a visit's guest, destination and dates.
        return gettext("%(guest)s to %(country)s, %(dates)s") % {
            "guest": self.guest,
            "country": self.country,
            "dates": self.dates_display(),
        }

    @property
    def is_contact(self):
        return self.kind in self.CONTACTS

    def title(self):
        """How pages name it: 'Official visit of A to B', 'Phone call between A and B', 'Meeting of A and B on
        the sidelines of the SCO summit in Astana' (or 'in <city>' when the source names no occasion)."""
        names = {"guest": self.guest.name, "host": self.host.name if self.host_id else gettext("another leader")}
        if self.kind == self.Kind.PHONE_CALL:
            return gettext("Phone call between %(guest)s and %(host)s") % names
        if self.kind == self.Kind.SIDELINES:
            if self.occasion:
                return gettext("Meeting of %(guest)s and %(host)s on the sidelines of %(occasion)s") % {
                    **names,
                    "occasion": self.occasion,
                }
            where = self.place.name if self.place_id else self.country.name
            return gettext("Meeting of %(guest)s and %(host)s in %(place)s") % {**names, "place": where}
        # Translators: "Official visit of Kassym-Jomart Tokayev to Türkiye": the kind of visit, the guest, the country.
        return gettext("%(kind)s of %(guest)s to %(country)s") % {
            "kind": self.kind_display(),
            "guest": names["guest"],
            "country": self.country.name,
        }

    def get_absolute_url(self):
        return reverse("relations:visit-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        place = self.place.name if self.place_id else ""
        host = self.host.name if self.host_id else ""
        # The kind in each language the site is read in, whichever the editor who saved it was using.
        kinds = in_each_language(self.kind_display)
        return [self.guest.name, host, self.country.name, place, *kinds, self.occasion, self.summary]

    def slug_source(self):
        if self.is_contact:
            host = self.host.name if self.host_id else ""
            return f"{self.guest.name} {host} {self.get_kind_display()} {self.start_date_as_typed()}"
        return f"{self.guest.name} {self.country.name} {self.start_date_as_typed()}"

    def start_date_as_typed(self):
        # An address never states a day or a month the source did not give ('…-2024-03', not '…-2024-03-01').
        return typed_form(self.start_date, self.start_date_precision)

    def save(self, *args, **kwargs):
        self.country_from_host()
        super().save(*args, **kwargs)

    def country_from_host(self):
        """A phone call left without a destination country is placed in the host's country."""
        if self.country_id is None and self.kind == self.Kind.PHONE_CALL and self.host_id:
            self.country_id = self.host.country_id

    def kind_display(self):
        """'Official visit', or plain 'Visit' when the source does not say which kind."""
        return self.get_kind_display() if self.kind else pgettext("kind of visit", "Visit")

    def dates_display(self):
        """'29 July 2025', '29–30 July 2025' as '29 July 2025 – 30 July 2025', or with the source's words:
        'Friday, 24 May 2024 — “on Friday”'."""
        start = stated_date_display(self.start_date, self.start_date_precision, self.date_wording)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_partial_date(self.end_date)}"
        return start

    def clean(self):
        errors = {}
        if message := date_from_wording(self, "start_date"):
            errors["start_date"] = message
        elif self.start_date is None:
            errors["start_date"] = gettext(
                "Give the start date, or the source's words for it ('on Friday', 'in April')."
            )
        self.country_from_host()
        if self.is_contact and not self.host_id:
            errors["host"] = rule_message(self, "visit_contact_between_two_people")
        elif self.country_id is None:
            errors["country"] = gettext(
                "Give the destination country (for a meeting on the sidelines, where it was held)."
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = rule_message(self, "visit_ends_after_start")
        if self.place_id and self.country_id and self.place.country_id != self.country_id:
            errors["place"] = gettext("%(place)s is not in %(country)s.") % {
                "place": self.place,
                "country": self.country,
            }
        if self.host_id and self.guest_id and self.host_id == self.guest_id:
            errors["host"] = gettext("The host and the guest must be different people.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Councils and their meetings
# ---------------------------------------------------------------------------


class Council(SluggedModel, Searchable, Publishable, Sourced):
    """A standing intergovernmental body that meets under a number (1st, 2nd … meeting)."""

    name = models.CharField(_("name"), max_length=300)
    name_tr, name_kk, name_ru = translations(name)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    short_name_tr, short_name_kk, short_name_ru = translations(short_name)
    members = models.ManyToManyField(Country, related_name="councils", verbose_name=_("member countries"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_on_precision = precision_field(_("precision of the establishment date"))
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)

    objects = PublishableSlugManager()

    history = HistoricalRecords(m2m_fields=[members])

    @classmethod
    def pair_condition(cls, a, b, council="pk"):
        """A council both countries are members of (`council`: where the council's id is, seen from the list)."""
        return both_among(cls.members.through.objects, "council", council, a, b)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["name"]

    def __str__(self):
        return translated(self, "name")

    def get_absolute_url(self):
        return reverse("relations:council-detail", kwargs={"slug": self.slug})

    def established_display(self):
        return format_partial_date(self.established_on, self.established_on_precision)

    def search_terms(self):
        return [self.name, self.short_name, self.description]


class CouncilMeetingQuerySet(PublishableQuerySet):
    def date_passed_still_scheduled(self, on=None):
        """Meetings still marked scheduled whose date is over on `on` (today), at the precision it is
        known: their outcome (held, postponed, cancelled) is not recorded yet."""
        on = on or dates.today()
        passed = Q()
        for precision in Precision:
            passed |= Q(date_precision=precision, date__lt=dates.first_day_not_passed(precision, on))
        return self.filter(passed, status=CouncilMeeting.Status.SCHEDULED)


class CouncilMeetingManager(models.Manager.from_queryset(CouncilMeetingQuerySet)):
    def get_by_natural_key(self, council_slug, number):
        return self.get(council__slug=council_slug, number=number)


class CouncilMeeting(Searchable, Publishable, Sourced):
    """A numbered meeting of a council: its date, place, co-chairs, agenda and outcomes."""

    published_parents = ("council",)

    class Status(models.TextChoices):
        NOT_STATED = "", _("Not stated")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("council"))
    number = models.PositiveSmallIntegerField(
        pgettext_lazy("a meeting's place in the series", "number"), help_text=_("5 for the fifth meeting.")
    )
    # Blank in a form or a file only while its words give it (date_from_wording).
    date = models.DateField(_("date"), blank=True)
    date_precision = precision_field()
    date_wording = date_wording_field()
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="council_meetings", verbose_name=_("place")
    )
    co_chairs = models.ManyToManyField(Person, blank=True, related_name="meetings_chaired", verbose_name=_("co-chairs"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True, default=Status.NOT_STATED)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_meetings",
        verbose_name=_("held during the visit"),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_tr, summary_kk, summary_ru = translations(summary)

    objects = CouncilMeetingManager()

    history = HistoricalRecords(m2m_fields=[co_chairs])

    @classmethod
    def pair_condition(cls, a, b):
        """A meeting of a council both countries are members of."""
        return Council.pair_condition(a, b, council="council_id")

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["-date", "-number"]
        indexes = [models.Index(fields=["date"], name="councilmeeting_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"],
                name="councilmeeting_one_per_number",
                violation_error_message=_("This council already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="councilmeeting_number_positive",
                violation_error_message=_("Meetings are numbered from 1."),
            ),
        ]

    def __str__(self):
        if self.number is None or self.council_id is None:
            return gettext("New council meeting")
        return gettext("%(ordinal)s meeting of the %(council)s") % {
            "ordinal": ordinal(self.number),
            "council": self.council,
        }

    def get_absolute_url(self):
        return reverse("relations:meeting-detail", kwargs={"slug": self.council.slug, "number": self.number})

    def natural_key(self):
        return (self.council.slug, self.number)

    natural_key.dependencies = ["relations.council"]

    def search_terms(self):
        place = self.place.name if self.place_id else ""
        # Its name in each language the site is read in, whichever the editor who saved it was using.
        return [*in_each_language(lambda: str(self)), self.council.short_name, place, self.summary]

    def date_display(self):
        return stated_date_display(self.date, self.date_precision, self.date_wording)

    def number_display(self):
        return ordinal(self.number)

    def clean(self):
        if message := date_from_wording(self, "date"):
            raise ValidationError({"date": message})
        if self.date is None:
            raise ValidationError(
                {"date": gettext("Give the date, or the source's words for it ('in April', 'last year').")}
            )


class AgendaItem(Ordered):
    """One item on a meeting's agenda, linked to the cooperation area it concerns."""

    ordered_within = "meeting"

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    title = models.CharField(_("item"), max_length=300)
    title_tr, title_kk, title_ru = translations(title)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items", verbose_name=_("topic")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agendaitem_one_per_position",
                violation_error_message=_("Two agenda items cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.title


class OutcomeQuerySet(models.QuerySet):
    def published(self):
        """Outcomes as readers see them: those of published meetings (of published councils)."""
        return self.filter(CouncilMeeting.published_condition("meeting__"))


class Result(Ordered):
    """What a meeting or a visit produced: documents signed (or expected to be), declarations adopted, decisions
    taken ("the council will meet every year"), targets set ("a $10 billion project portfolio"). It may cite a
    source of its own, with a quotation; without one, its meeting's or visit's source states it."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        DECLARATION = "declaration", _("Joint declaration")
        PROTOCOL = "protocol", _("Protocol")
        PROGRAMME = "programme", _("Programme or action plan")
        DOCUMENTS = "documents", _("Set of documents")
        DECISION = "decision", _("Decision")
        TARGET = "target", _("Target")

    # Kinds that are not documents: never signed, never "expected to be signed".
    NOT_SIGNED = (Kind.DECISION, Kind.TARGET)

    # How many of a kind the source counts: '25 agreements'.
    KIND_COUNTS = {
        Kind.AGREEMENT: ngettext_lazy("%(count)s agreement", "%(count)s agreements", "count"),
        Kind.MEMORANDUM: ngettext_lazy(
            "%(count)s memorandum of understanding", "%(count)s memorandums of understanding", "count"
        ),
        Kind.DECLARATION: ngettext_lazy("%(count)s joint declaration", "%(count)s joint declarations", "count"),
        Kind.PROTOCOL: ngettext_lazy("%(count)s protocol", "%(count)s protocols", "count"),
        Kind.PROGRAMME: ngettext_lazy(
            "%(count)s programme or action plan", "%(count)s programmes or action plans", "count"
        ),
        Kind.DOCUMENTS: ngettext_lazy("%(count)s document", "%(count)s documents", "count"),
        Kind.DECISION: ngettext_lazy("%(count)s decision", "%(count)s decisions", "count"),
        Kind.TARGET: ngettext_lazy("%(count)s target", "%(count)s targets", "count"),
    }

    title = models.CharField(_("title"), max_length=300)
    title_tr, title_kk, title_ru = translations(title)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AGREEMENT)
    signed = models.BooleanField(
        _("signed"),
        default=False,
        help_text=_(
            "Leave unticked while a document is only expected to be signed; decisions and targets are never signed."
        ),
    )
    count = models.PositiveIntegerField(
        pgettext_lazy("how many", "number"),
        null=True,
        blank=True,
        help_text=_("How many, when the source counts them: 25 in '25 agreements were signed'."),
    )
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("Where this outcome is stated, when not in the source of what produced it."),
    )
    quote = models.TextField(
        _("quotation"), blank=True, help_text=_("The sentence of the source that states the outcome, word for word.")
    )
    quote_tr, quote_kk, quote_ru = translations(quote)
    reader_note = models.TextField(
        _("note for readers"), blank=True, help_text=_("Context a reader needs with the outcome, shown with it.")
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["decision", "target"]) | Q(signed=False),
                name="%(class)s_decisions_and_targets_unsigned",
                violation_error_message=_("A decision or a target is not signed: untick “signed”."),
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1),
                name="%(class)s_count_positive",
                violation_error_message=_(
                    "A number of outcomes counts from 1: leave it blank when the source gives none."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def produced_by(self):
        """The meeting or visit it came out of."""
        return getattr(self, self.ordered_within)

    def get_absolute_url(self):
        return self.produced_by().get_absolute_url()

    def cited_source(self):
        """Its own source, or else the source of what produced it, which then states it."""
        return self.source if self.source_id else self.produced_by().source

    def status_display(self):
        """'25 agreements, signed', 'set of documents, expected to be signed', 'decision', 'target'."""
        if self.kind in self.NOT_SIGNED:
            return self.get_kind_display().lower()
        if self.count:
            what = self.KIND_COUNTS[self.kind] % {"count": self.count}
        else:
            what = self.get_kind_display().lower()
        if self.signed:
            # Translators: "25 agreements, signed".
            return gettext("%(what)s, signed") % {"what": what}
        # Translators: "set of documents, expected to be signed".
        return gettext("%(what)s, expected to be signed") % {"what": what}

    def clean(self):
        errors = {}
        if self.kind in self.NOT_SIGNED and self.signed:
            errors["signed"] = rule_message(self, f"{self._meta.model_name}_decisions_and_targets_unsigned")
        if self.count is not None and self.count < 1:
            errors["count"] = rule_message(self, f"{self._meta.model_name}_count_positive")
        if errors:
            raise ValidationError(errors)


class Outcome(Result):
    """What a council meeting produced."""

    ordered_within = "meeting"

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )

    objects = models.Manager.from_queryset(OutcomeQuerySet)()

    history = HistoricalRecords()

    class Meta(Result.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="outcome_one_per_position",
                violation_error_message=_("Two outcomes cannot share a position."),
            ),
            *Result.Meta.constraints,
        ]


class VisitPartQuerySet(models.QuerySet):
    def published(self):
        """As readers see them: those of published visits."""
        return self.filter(Visit.published_condition("visit__"))


class VisitOutcome(Result):
    """What a visit produced: "during the official visit the parties signed the Action plan for 2023–2024"."""

    ordered_within = "visit"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("visit"))

    objects = models.Manager.from_queryset(VisitPartQuerySet)()

    history = HistoricalRecords()

    class Meta(Result.Meta):
        verbose_name = _("outcome of a visit")
        verbose_name_plural = _("outcomes of visits")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "position"],
                name="visitoutcome_one_per_position",
                violation_error_message=_("Two outcomes of a visit cannot share a position."),
            ),
            *Result.Meta.constraints,
        ]


class Engagement(Ordered):
    """One part of a visit's programme, in order: talks, a courtesy call on the Speaker, an exhibition in another
    city. Each has its own people, and may have its own place, date (or the source's words for it) and source."""

    class Kind(models.TextChoices):
        TALKS = "talks", _("Talks")
        MEETING = "meeting", _("Meeting")
        COURTESY_CALL = "courtesy-call", _("Courtesy call")
        CEREMONY = "ceremony", _("Ceremony or event")
        ARRIVAL = "arrival", _("Arrival")
        OTHER = "other", _("Other")

    ordered_within = "visit"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="programme", verbose_name=_("visit"))
    kind = models.CharField(_("kind"), max_length=13, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(
        pgettext_lazy("a part of a visit's programme", "what"),
        max_length=300,
        blank=True,
        help_text=_(
            "In the source's words: 'talks in narrow format', 'the opening of the exhibition of Chinese goods'."
        ),
    )
    title_tr, title_kk, title_ru = translations(title)
    people = models.ManyToManyField(Person, blank=True, related_name="engagements", verbose_name=_("people met"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements", verbose_name=_("city")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field()
    date_wording = date_wording_field()
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("Where this part is stated, when not in the visit's source."),
    )
    quote = models.TextField(_("quotation"), blank=True)

    objects = models.Manager.from_queryset(VisitPartQuerySet)()

    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        verbose_name = _("part of a visit's programme")
        verbose_name_plural = _("visits' programmes")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["visit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "position"],
                name="engagement_one_per_position",
                violation_error_message=_("Two parts of a visit's programme cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        return self.visit.get_absolute_url()

    def dating_source(self):
        """Its own source, or the visit's."""
        return self.source if self.source_id else self.visit.source

    def cited_source(self):
        return self.dating_source()

    def date_display(self):
        return stated_date_display(self.date, self.date_precision, self.date_wording)

    # Words that date a part of a programme by its visit, not by its source: "the same day, the minister paid
    # courtesy calls on the President and the Speaker".
    SAME_DAY = ("the same day", "on the same day", "that day", "on that day", "the same day as the talks")

    def clean(self):
        # Words that give no date are kept as they are, without one: a part of a programme needs no date.
        if self.date is not None or not self.date_wording:
            return
        if self.date_wording.strip().casefold() in self.SAME_DAY and self.visit_id and self.visit.start_date:
            self.date, self.date_precision = self.visit.start_date, self.visit.start_date_precision
        elif self.source_id or self.visit_id:
            date_from_wording(self, "date")
