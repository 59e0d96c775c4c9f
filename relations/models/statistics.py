"""Indicators and their sourced figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from babel import numbers as babel_numbers
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import languages
from ..dates import Precision, format_partial_date, last_day, ordinal
from ..languages import translated, translations
from .base import (
    RECORD_PERMISSIONS,
    Publishable,
    PublishableQuerySet,
    Searchable,
    SluggedModel,
    Sourced,
    either_way,
    precision_field,
    rule_message,
)
from .reference import Country, Relationship, Topic

# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------


class Indicator(SluggedModel, Searchable):
    """What a figure measures: bilateral trade, investment, students, tourists …"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_tr, name_kk, name_ru = translations(name)
    description = models.TextField(_("description"), blank=True)
    description_tr, description_kk, description_ru = translations(description)
    unit = models.CharField(
        _("usual unit"), max_length=20, blank=True, help_text=_("The unit its figures are usually given in.")
    )
    has_direction = models.BooleanField(
        _("has a direction"),
        default=False,
        help_text=_("Figures flow from one country to the other (tourists, investment)."),
    )
    is_headline = models.BooleanField(_("headline figure"), default=False, help_text=_("Shown on the overview page."))
    position = models.PositiveSmallIntegerField(_("position"), default=100, help_text=_("Order on the overview page."))
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators", verbose_name=_("topic")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["position", "name"]

    def __str__(self):
        return translated(self, "name")

    def get_absolute_url(self):
        return reverse("relations:indicator-detail", kwargs={"slug": self.slug})

    def search_terms(self):
        return [self.name, self.description]


# How figures in a currency are written; any other unit (a currency code or a noun) follows the number.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "TRY": "TL ", "RUB": "₽"}


class StatisticQuerySet(PublishableQuerySet):
    def preferred(self):
        """Observed figures of a stated period chosen where sources disagree (targets, changes, ranks and durations
        are never preferred ones): the points of a series on its time axis."""
        return self.filter(is_preferred=True, kind=Statistic.Kind.FIGURE).exclude(
            period_kind=Statistic.PeriodKind.UNSTATED
        )

    def targets_and_changes(self, beneath=None):
        """What sources said a figure should become, or how it moved: newest statement first."""
        return (
            self.published(beneath)
            .exclude(kind=Statistic.Kind.FIGURE)
            .select_related("indicator", "source", "from_country", "to_country")
            .order_by(F("stated_on").desc(nulls_last=True), F("period_end").desc(nulls_last=True), "indicator__name")
        )

    def preferred_by_period(self):
        """The preferred figure of each indicator, relationship, period and direction, as the rule
        statistic_one_preferred_per_period groups them (no country counts as 0): {group: id}."""
        rows = self.preferred().values_list(
            "pk", "indicator_id", "relationship_id", "period_start", "period_end", "from_country_id", "to_country_id"
        )
        return {(*group, source or 0, target or 0): pk for pk, *group, source, target in rows}

    def latest_of_each_series(self, beneath=None):
        """The latest preferred published figure of each series (indicator, relationship, direction and
        unit), twice where both exist: of a full period and of a partial one (Statistic.PARTIAL_PERIODS).
        Only these leave the database, however long the series; LatestFigure.of_series pairs them."""
        partial = Case(When(period_kind__in=Statistic.PARTIAL_PERIODS, then=Value(1)), default=Value(0))
        return (
            self.published(beneath)
            .preferred()
            .annotate(
                recency=Window(
                    RowNumber(),
                    partition_by=[
                        F("relationship"),
                        F("indicator"),
                        F("from_country"),
                        F("to_country"),
                        F("unit"),
                        partial,
                    ],
                    order_by=[F("period_end").desc(), F("pk").desc()],
                )
            )
            .filter(recency=1)
            .select_related("indicator", "source", "from_country", "to_country")
        )


class Statistic(Publishable, Sourced):
    """What a source states of an indicator for a relationship: an observed figure over a period, a target
    set on a date for a horizon, a change over a period (a percent or a multiple, which may be negative), a rank
    ("24th among investors") or a duration ("largest trading partner for 14 years running"). A source may give
    no period: the figure is then kept as stated, placed by the source's date, and never drawn on a time axis."""

    # Public only while its relationship is.
    published_parents = ("relationship",)

    class Kind(models.TextChoices):
        FIGURE = "figure", _("Observed figure")
        TARGET = "target", _("Target")
        CHANGE = "change", pgettext_lazy("kind of statistic", "Change")
        RANK = "rank", _("Rank")
        DURATION = "duration", _("Duration")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        MORE_THAN = "more-than", _("more than")
        OVER = "over", pgettext_lazy("qualifier of a figure", "over")
        EXCEEDED = "exceeded", pgettext_lazy("qualifier of a figure", "exceeded")
        ABOUT = "about", pgettext_lazy("qualifier of a figure", "about")
        NEARLY = "nearly", _("nearly")
        AT_LEAST = "at-least", _("at least")
        LESS_THAN = "less-than", _("less than")

    class PeriodKind(models.TextChoices):
        YEAR = "year", _("Calendar year")
        MONTHS = "months", _("Range of months")
        SPAN = "span", _("Cumulative span of years")
        SINCE = "since", _("Cumulative since a date")
        ACADEMIC_YEAR = "academic-year", _("Academic year")
        AS_OF = "as-of", _("As of a date")
        UNSTATED = "unstated", _("Not stated")

    # The dates that bound a period: a year or a month typed as the start covers it (the admin's RecordForm).
    PERIODS = (("period_start", "period_end"),)

    # The units of a change: "grew by 72%", "increased 1.5 times".
    CHANGE_UNITS = ("%", "times")

    # Statements worded in words of their own, never amounts on an axis: "24th among investors in Vietnam".
    WORDED_KINDS = (Kind.RANK, Kind.DURATION)

    # A part of a year, or a total still running: shown beside the latest full period, not instead of it.
    PARTIAL_PERIODS = (PeriodKind.MONTHS, PeriodKind.SINCE, PeriodKind.AS_OF)

    # No index of its own: the series and latest-figure indexes begin with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="statistics", verbose_name=_("indicator"), db_index=False
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="statistics", verbose_name=_("relationship")
    )
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.FIGURE,
        help_text=_(
            "An observed figure; a target (what a figure should reach); a change (a percent or a multiple); "
            "a rank (24 for '24th'); or a duration (14 for '14 years running', unit 'years')."
        ),
    )
    qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_("The source's wording: 'more than 20' is 20 with 'more than'."),
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(
        _("unit"),
        max_length=20,
        blank=True,
        help_text=_(
            "An ISO 4217 currency code (USD, EUR, TRY) or what is counted (persons, companies, projects); "
            "for a duration, 'years' or 'continuous years'; none for a rank."
        ),
    )
    wording = models.CharField(
        _("ranked among / lasting as"),
        max_length=200,
        blank=True,
        help_text=_(
            "A rank's field in the source's words, 'among investors in Vietnam' (shown '24th among investors "
            "in Vietnam'); what has lasted, 'largest trading partner' (shown 'largest trading partner for 14 years')."
        ),
    )
    equivalent_value = models.DecimalField(
        _("equivalent value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    equivalent_unit = models.CharField(_("equivalent unit"), max_length=20, blank=True)
    period_kind = models.CharField(_("period"), max_length=13, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_start = models.DateField(
        _("period start"),
        null=True,
        blank=True,
        help_text=_("For a year, its first day; for an as-of date, that date; for a target, its horizon."),
    )
    period_end = models.DateField(
        _("period end"), null=True, blank=True, help_text=_("For a year, its last day; for an as-of date, that date.")
    )
    stated_on = models.DateField(
        _("stated on"), null=True, blank=True, help_text=_("When the target was set (required for a target).")
    )
    stated_on_precision = precision_field(_("precision of the statement date"))
    horizon_wording = models.CharField(
        _("horizon as worded"),
        max_length=100,
        blank=True,
        help_text=_("A target's horizon in the source's words: 'in the coming years', 'in the medium term'."),
    )
    base_year = models.PositiveSmallIntegerField(
        _("compared with (year)"),
        null=True,
        blank=True,
        # xgettext:no-python-format
        help_text=_("A change's base: 2021 in 'down 5.4% on 2021'."),
    )
    from_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from country")
    )
    to_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to country")
    )
    is_preferred = models.BooleanField(
        _("preferred value"),
        default=True,
        help_text=_(
            "Observed figures only: when sources disagree on a period, the figure shown first; the others are "
            "shown beside it. A target or a change is never preferred (the box is cleared on saving)."
        ),
    )
    note = models.TextField(_("note for editors"), blank=True, help_text=_("Not shown to readers."))

    objects = StatisticQuerySet.as_manager()

    # The largest history table is read by record and date only; an index per foreign key would
    # slow every import of figures and serve no page.
    history = HistoricalRecords(no_db_index=["indicator", "relationship", "source", "from_country", "to_country"])

    @classmethod
    def pair_condition(cls, a, b):
        """Recorded for the relationship of the pair, in either order."""
        return either_way("relationship__country_a", "relationship__country_b", a, b)

    class Meta:
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        default_permissions = RECORD_PERMISSIONS
        ordering = ["indicator", "-period_end", "-is_preferred"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) | Q(kind="change"),
                name="statistic_value_not_negative",
                violation_error_message=_(
                    "A figure or a target cannot be negative: a fall is a change (kind “change”), such as -5.4 %%."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | Q(unit__in=["%", "times"]),
                name="statistic_change_in_percent_or_times",
                violation_error_message=_("A change is in percent (unit “%%”) or a multiple (unit “times”)."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="change", unit="times") | Q(value__gt=0),
                name="statistic_multiple_positive",
                violation_error_message=_("A multiple is more than zero: “halved” is 0.5 times."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="target") | Q(stated_on__isnull=False),
                name="statistic_target_dated",
                violation_error_message=_("Give the date the target was set."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_start__isnull=False, period_end__isnull=False) & ~Q(period_kind="unstated")
                    | Q(period_kind="unstated", period_start__isnull=True, period_end__isnull=True)
                ),
                name="statistic_period_stated",
                violation_error_message=_(
                    "Give the period's start and end, or choose the period “not stated” and leave them blank."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["figure", "target"]) | ~Q(unit=""),
                name="statistic_amount_has_unit",
                violation_error_message=_("Give the unit: a currency code (USD) or what is counted (persons)."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="rank") | Q(value__gte=1),
                name="statistic_rank_whole",
                violation_error_message=_("A rank is a whole number from 1: 24 for “24th”."),
            ),
            models.CheckConstraint(
                condition=Q(equivalent_value__isnull=True) | Q(equivalent_value__gte=0),
                name="statistic_equivalent_not_negative",
                violation_error_message=_("An equivalent figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="statistic_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(from_country__isnull=True) | Q(to_country__isnull=True) | ~Q(from_country=F("to_country")),
                name="statistic_direction_two_countries",
                violation_error_message=_("A figure cannot flow from a country to itself."),
            ),
            models.UniqueConstraint(
                F("indicator"),
                F("relationship"),
                F("period_start"),
                F("period_end"),
                Coalesce("from_country", Value(0), output_field=models.BigIntegerField()),
                Coalesce("to_country", Value(0), output_field=models.BigIntegerField()),
                F("source"),
                F("kind"),
                name="statistic_one_per_source_and_period",
                violation_error_message=_(
                    "This source already gives a figure for this indicator, period and direction."
                ),
            ),
            models.UniqueConstraint(
                F("indicator"),
                F("relationship"),
                F("period_start"),
                F("period_end"),
                Coalesce("from_country", Value(0), output_field=models.BigIntegerField()),
                Coalesce("to_country", Value(0), output_field=models.BigIntegerField()),
                condition=Q(is_preferred=True, kind="figure"),
                name="statistic_one_preferred_per_period",
                violation_error_message=_(
                    "Another figure is already preferred for this indicator, period and direction."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "relationship", "period_end"], name="statistic_series_idx"),
            # The latest figure of an indicator (statistics list, overview).
            models.Index(fields=["indicator", "-period_end"], name="statistic_latest_idx"),
            # Targets in the order they were set (the timeline), without reading every figure.
            models.Index(fields=["kind", "stated_on"], name="statistic_statement_idx"),
            # A pair's figures of one kind (its page, its statistics), each indicator's found within them: without
            # it SQLite, which keeps no statistics of its own, reads every figure of the site through the index above.
            models.Index(fields=["relationship", "kind", "indicator"], name="statistic_pair_kind_idx"),
        ]

    def __str__(self):
        circumstances = self.circumstances_display()
        return f"{self.indicator}{f', {circumstances}' if circumstances else ''}: {self.statement_display()}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def save(self, *args, **kwargs):
        # Records made in code, not through a form or a file, are cleared too (clean() says why).
        self.clear_preference_unless_figure()
        super().save(*args, **kwargs)

    def clear_preference_unless_figure(self):
        """Only an observed figure is the preferred one of its period: the rule statistic_one_preferred_per_period
        and every page leave the flag of a target or a change unread, so it is stored cleared."""
        if self.kind != self.Kind.FIGURE:
            self.is_preferred = False

    def clean(self):
        # Cleared, not refused: the admin's form and a file's rows pass through here, and files exported
        # while targets and changes were stored marked "yes" still import.
        self.clear_preference_unless_figure()
        errors = {}
        if self.value is not None and self.value < 0 and self.kind != self.Kind.CHANGE:
            errors["value"] = rule_message(self, "statistic_value_not_negative")
        if self.kind == self.Kind.CHANGE and self.unit not in self.CHANGE_UNITS:
            errors["unit"] = rule_message(self, "statistic_change_in_percent_or_times")
        elif self.kind == self.Kind.CHANGE and self.unit == "times" and self.value is not None and self.value <= 0:
            errors["value"] = rule_message(self, "statistic_multiple_positive")
        if self.kind == self.Kind.TARGET and self.stated_on is None:
            errors["stated_on"] = rule_message(self, "statistic_target_dated")
        if self.kind in (self.Kind.FIGURE, self.Kind.TARGET) and not self.unit:
            errors["unit"] = rule_message(self, "statistic_amount_has_unit")
        # A whole number is also the database's rule statistic_rank_whole, which checks only that it is from 1.
        if self.kind == self.Kind.RANK and self.value is not None and (self.value < 1 or self.value % 1):
            errors["value"] = rule_message(self, "statistic_rank_whole")
        # The rule statistic_period_stated, told by what is wrong: a missing date, or dates given to a period
        # "not stated".
        if self.period_kind != self.PeriodKind.UNSTATED:
            if self.period_start is None:
                errors["period_start"] = gettext(
                    "Give the period's start (a year such as 2012 covers the whole year), or choose the period "
                    "“not stated” when the source gives none."
                )
            if self.period_end is None:
                errors["period_end"] = gettext("Give the period's end.")
        elif self.period_start is not None or self.period_end is not None:
            errors["period_kind"] = gettext("A horizon “not stated” has no dates: clear the period's start and end.")
        if self.equivalent_value is not None and self.equivalent_value < 0:
            errors["equivalent_value"] = rule_message(self, "statistic_equivalent_not_negative")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = rule_message(self, "statistic_period_in_order")
        elif self.period_start and self.period_end and (disagreement := self.period_disagreement()):
            errors["period_end"] = disagreement
        if self.from_country_id and self.from_country_id == self.to_country_id:
            errors["to_country"] = rule_message(self, "statistic_direction_two_countries")
        if self.equivalent_value is not None and not self.equivalent_unit:
            errors["equivalent_unit"] = gettext("Give the unit of the equivalent value.")
        if self.relationship_id:
            pair = {self.relationship.country_a_id, self.relationship.country_b_id}
            for field in ("from_country", "to_country"):
                country_id = getattr(self, f"{field}_id")
                if country_id and country_id not in pair:
                    errors[field] = gettext("This country is not part of %(relationship)s.") % {
                        "relationship": self.relationship
                    }
        if errors:
            raise ValidationError(errors)

    def period_disagreement(self):
        """Why the period's dates are not what its kind says, or None: a calendar year runs from
        1 January to 31 December of one year, an as-of date is one day, and so on."""
        start, end, kind = self.period_start, self.period_end, self.period_kind
        if start is None or end is None:
            return None
        dates = {"start": start.isoformat(), "end": end.isoformat()}
        whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if kind == self.PeriodKind.YEAR and not (whole_years and start.year == end.year):
            return (
                gettext(
                    "A calendar year runs from 1 January to 31 December of one year; %(start)s to %(end)s is not one."
                )
                % dates
            )
        if kind == self.PeriodKind.SPAN and not (whole_years and start.year < end.year):
            return (
                gettext(
                    "A span of years runs from 1 January of one year to 31 December of a later one; %(start)s to "
                    "%(end)s is not one."
                )
                % dates
            )
        if kind == self.PeriodKind.MONTHS and not (start.day == 1 and (end + datetime.timedelta(days=1)).day == 1):
            return (
                gettext(
                    "A range of months runs from the first day of a month to the last of a month; %(start)s to "
                    "%(end)s is not one."
                )
                % dates
            )
        if kind == self.PeriodKind.ACADEMIC_YEAR and end.year != start.year + 1:
            return (
                gettext("An academic year runs from one year into the next; %(start)s to %(end)s is not one.") % dates
            )
        if kind == self.PeriodKind.AS_OF and start != end and last_day(start, self.as_of_precision()) != end:
            return (
                gettext(
                    "A figure as of a date has one date, its start and end the same, or a whole month or year when "
                    "the source gives no day (“as of February”: 2019-02 as start and end); %(start)s to %(end)s is "
                    "neither."
                )
                % dates
            )
        return None

    def as_of_precision(self):
        """How precisely an as-of date is known: a day, or a whole month or year typed as the period (its start on
        the first day, its end on the last)."""
        start, end = self.period_start, self.period_end
        if start is None or end is None or start == end or start.day != 1:
            return Precision.DAY
        if (start.month, end.month, end.day) == (1, 12, 31) and start.year == end.year:
            return Precision.YEAR
        return Precision.MONTH if start.year == end.year and start.month == end.month else Precision.DAY

    # Display, the way people read figures: "more than 12,000", "$5 billion".
    def qualified(self, amount):
        """An amount with the source's qualifier before it: 'more than 12,000'; an exact one as it is."""
        if self.qualifier == self.Qualifier.EXACT:
            return amount
        # Translators: a figure with its qualifier: "more than 12,000", "about $5 billion".
        return gettext("%(qualifier)s %(amount)s") % {"qualifier": self.get_qualifier_display(), "amount": amount}

    def value_display(self):
        text = self.qualified(format_amount(self.value, self.unit))
        if self.equivalent_value is not None:
            text += f" ({format_amount(self.equivalent_value, self.equivalent_unit)})"
        return text

    def statement_display(self):
        """What the source states, worded as a reader would: '$5 billion', 'target: $10 billion',
        'down 5.4% on 2021', '1.5 times the 2017 level'."""
        if self.kind == self.Kind.TARGET:
            return gettext("target: %(value)s") % {"value": self.value_display()}
        if self.kind == self.Kind.CHANGE:
            return self.change_display()
        if self.kind == self.Kind.RANK:
            return f"{ordinal(int(self.value))} {self.wording}".strip()
        if self.kind == self.Kind.DURATION:
            lasting = f"{format_number(self.value)} {self.unit}".strip()
            if not self.wording:
                return lasting
            # Translators: "largest trading partner for 14 years": what has lasted, and for how long.
            return gettext("%(wording)s for %(duration)s") % {"wording": self.wording, "duration": lasting}
        return self.value_display()

    def change_display(self):
        # The number with its qualifier: 'more than 5'.
        number = self.qualified(format_number(abs(self.value)))
        values = {"number": number, "year": self.base_year}
        if self.unit == "times":
            if self.base_year:
                return gettext("%(number)s times the %(year)s level") % values
            return gettext("%(number)s times") % values
        if self.value == 0:
            return gettext("unchanged on %(year)s") % values if self.base_year else gettext("unchanged")
        if self.value < 0:
            if self.base_year:
                return gettext("down %(number)s%% on %(year)s") % values
            return gettext("down %(number)s%%") % values
        if self.base_year:
            return gettext("up %(number)s%% on %(year)s") % values
        return gettext("up %(number)s%%") % values

    def timing_display(self):
        """The period; for a target, its horizon and when it was set: 'by 2030, set 29 March 2022'."""
        period = self.period_display()
        if self.kind != self.Kind.TARGET:
            return period
        parts = [gettext("by %(period)s") % {"period": period}] if period else []
        # A source's wording that says no more than the horizon year ("by 2030") is not said twice.
        if self.horizon_wording and self.horizon_wording.strip().casefold() not in (part.casefold() for part in parts):
            parts.append(self.horizon_wording)
        if self.stated_on:
            # Translators: when a target was set: "set 29 March 2022".
            parts.append(gettext("set %(date)s") % {"date": self.stated_on_display()})
        return ", ".join(parts)

    def stated_on_display(self):
        return format_partial_date(self.stated_on, self.stated_on_precision) if self.stated_on else ""

    def circumstances_display(self):
        """The timing and direction: '2024, Türkiye → Kazakhstan', 'by 2030, set 29 March 2022'."""
        return ", ".join(part for part in (self.timing_display(), self.direction_display()) if part)

    def period_display(self):
        start, end = self.period_start, self.period_end
        kind = self.period_kind
        if kind == self.PeriodKind.UNSTATED and self.kind != self.Kind.TARGET:
            # Placed by when its source said it, never on a time axis: 'period not stated; reported 12 April 2023'.
            reported = self.source.published_display() if self.source_id else ""
            if reported:
                return gettext("period not stated; reported %(date)s") % {"date": reported}
            return gettext("period not stated")
        if start is None or end is None:
            return ""
        if kind == self.PeriodKind.YEAR:
            return str(start.year)
        if kind == self.PeriodKind.MONTHS:
            # The months' names in the reader's language (Django's translations of them).
            first, last = MONTHS[start.month], MONTHS[end.month]
            if (start.year, start.month) == (end.year, end.month):
                return f"{last} {end.year}"
            if start.year == end.year:
                return f"{first}–{last} {end.year}"
            return f"{first} {start.year}–{last} {end.year}"
        if kind == self.PeriodKind.SPAN:
            return f"{start.year}–{end.year}"
        if kind == self.PeriodKind.ACADEMIC_YEAR:
            return gettext("%(start)s–%(end)s academic year") % {"start": start.year, "end": end.year}
        if kind == self.PeriodKind.SINCE:
            return gettext("since %(year)s, as of %(date)s") % {"year": start.year, "date": format_partial_date(end)}
        return gettext("as of %(date)s") % {"date": format_partial_date(start, self.as_of_precision())}

    @property
    def is_partial_period(self):
        return self.period_kind in self.PARTIAL_PERIODS

    def partial_label(self):
        """How a partial figure is introduced beside a full period's: 'so far' for months of a year."""
        return gettext("partial period") if self.period_kind == self.PeriodKind.MONTHS else gettext("running total")

    def direction_display(self):
        if self.from_country_id and self.to_country_id:
            return f"{self.from_country} → {self.to_country}"
        return ""


@dataclass
class LatestFigure:
    """The latest figure of a series as readers should meet it: the latest full period as the headline,
    and a later partial period or running total beside it (the article's 2024 trade of $5 billion, and
    "exceeded $1.9 billion" for January–May 2025)."""

    headline: Statistic
    partial: Statistic | None = None

    @property
    def indicator(self):
        return self.headline.indicator

    @property
    def relationship_id(self):
        return self.headline.relationship_id

    @classmethod
    def of_series(cls, figures):
        """The figures of StatisticQuerySet.latest_of_each_series, in their order, paired by series."""
        series = {}
        for figure in figures:
            key = (
                figure.relationship_id,
                figure.indicator_id,
                figure.from_country_id,
                figure.to_country_id,
                figure.unit,
            )
            series.setdefault(key, []).append(figure)
        latest = []
        for pair in series.values():
            full = next((figure for figure in pair if not figure.is_partial_period), None)
            partial = next((figure for figure in pair if figure.is_partial_period), None)
            if full is None:
                latest.append(cls(partial))
            elif partial is not None and partial.period_end > full.period_end:
                latest.append(cls(full, partial))
            else:
                latest.append(cls(full))
        return latest


def format_number(number, language=None):
    """Every digit the source gave, and no more: 3.645 stays 3.645, 5 stays 5, 12000 is 12,000; in another
    language by CLDR's rules, through Babel: '12.000' and '202,86' in Turkish, '12 000' in Kazakh and Russian."""
    number = Decimal(number)
    language = language or languages.current()
    if language != languages.DEFAULT:
        return babel_numbers.format_decimal(number, locale=language, decimal_quantization=False)
    if number == number.to_integral():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


# Each with its words in the reader's language ('5 milyar', '5 млрд').
AMOUNT_SCALES = (
    (Decimal(10**12), _("%(number)s trillion")),
    (Decimal(10**9), _("%(number)s billion")),
    (Decimal(10**6), _("%(number)s million")),
)


def format_amount(value, unit, language=None):
    """'$5 billion', 'TL 202.86 billion', '12,000 persons'; in another language by its rules: '5 milyar $',
    '202,86 млрд ₺' (the currency's sign from CLDR, after the amount as these languages write it)."""
    if value is None:
        return ""
    language = language or languages.current()
    number, scale = Decimal(value), "%(number)s"
    for size, words in AMOUNT_SCALES:
        if number >= size:
            number, scale = number / size, words
            break
    with translation.override(language):
        text = str(scale) % {"number": format_number(number, language)}
    if unit in CURRENCY_SYMBOLS:
        if language == languages.DEFAULT:
            return f"{CURRENCY_SYMBOLS[unit]}{text}"
        symbol = babel_numbers.get_currency_symbol(unit, locale=language)
        # CLDR gives some languages no sign of some currencies (the lira in Kazakh): its code would show.
        return f"{text} {CURRENCY_SYMBOLS[unit].strip() if symbol == unit else symbol}"
    return f"{text} {unit}".strip()
