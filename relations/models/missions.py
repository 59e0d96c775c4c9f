"""Diplomatic missions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import languages
from ..dates import format_partial_date
from ..languages import in_each_language
from .base import (
    RECORD_PERMISSIONS,
    Publishable,
    PublishableSlugManager,
    Searchable,
    SluggedModel,
    Sourced,
    either_way,
    precision_field,
    rule_message,
)
from .reference import Country, Place

# ---------------------------------------------------------------------------
# Diplomatic missions
# ---------------------------------------------------------------------------


class Mission(SluggedModel, Searchable, Publishable, Sourced):
    """A diplomatic mission of a sending country in a city of the host country."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate-general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        HONORARY_CONSULATE = "honorary-consulate", _("Honorary consulate")

    # How many missions of a kind: '1 embassy', '3 consulates general'.
    KIND_COUNTS = {
        Kind.EMBASSY: ngettext_lazy("%(count)s embassy", "%(count)s embassies", "count"),
        Kind.CONSULATE_GENERAL: ngettext_lazy("%(count)s consulate general", "%(count)s consulates general", "count"),
        Kind.CONSULATE: ngettext_lazy("%(count)s consulate", "%(count)s consulates", "count"),
        Kind.HONORARY_CONSULATE: ngettext_lazy(
            "%(count)s honorary consulate", "%(count)s honorary consulates", "count"
        ),
    }

    sender = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="missions_sent", verbose_name=_("sending country")
    )
    host = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="missions_hosted", verbose_name=_("host country")
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="missions", verbose_name=_("city"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    opened_on = models.DateField(_("opened"), null=True, blank=True)
    opened_on_precision = precision_field(_("precision of the opening date"))
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)

    objects = PublishableSlugManager()

    history = HistoricalRecords()

    @classmethod
    def pair_condition(cls, a, b):
        """A mission of one country in the other."""
        return either_way("sender", "host", a, b)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["sender__name", "kind", "place__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=F("host")),
                name="mission_host_differs_from_sender",
                violation_error_message=_("A country cannot host its own diplomatic mission."),
            ),
            models.UniqueConstraint(
                fields=["sender", "kind", "place"],
                name="mission_one_per_sender_kind_city",
                violation_error_message=_("This country already has a mission of this kind in this city."),
            ),
        ]

    def __str__(self):
        # Translators: "Turkish embassy in Astana": the sending country's adjective (or name), the kind, the city.
        # An adjective in the reader's language, else the country's name in it ("Türkiye büyükelçiliği").
        adjective, language = languages.translated_or_default(self.sender, "adjective")
        return gettext("%(country)s %(kind)s in %(place)s") % {
            "country": adjective if adjective and language == languages.current() else str(self.sender),
            "kind": self.get_kind_display().lower(),
            "place": self.place,
        }

    def get_absolute_url(self):
        return reverse("relations:mission-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        former = [n.name for n in self.place.former_names.all()]
        # Its name in each language the site is read in, whichever the editor who saved it was using.
        return [*in_each_language(lambda: str(self)), self.sender.name, self.host.name, self.place.name, *former]

    def slug_source(self):
        return f"{self.sender.code} {self.kind} {self.place.name}"

    def opened_display(self):
        return format_partial_date(self.opened_on, self.opened_on_precision)

    def clean(self):
        errors = {}
        if self.sender_id and self.host_id and self.sender_id == self.host_id:
            errors["host"] = rule_message(self, "mission_host_differs_from_sender")
        if self.place_id and self.host_id and self.place.country_id != self.host_id:
            errors["place"] = gettext("%(place)s is not in %(country)s.") % {"place": self.place, "country": self.host}
        if errors:
            raise ValidationError(errors)
