"""Indicators and their sourced figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import Precision, format_partial_date, last_day, ordinal
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
        FIGURE = "figure", "Observed figure"
        TARGET = "target", "Target"
        CHANGE = "change", "Change"
        RANK = "rank", "Rank"
        DURATION = "duration", "Duration"

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        MORE_THAN = "more-than", "more than"
        OVER = "over", "over"
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
        UNSTATED = "unstated", "Not stated"

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
        Indicator, on_delete=models.PROTECT, related_name="statistics", verbose_name="indicator", db_index=False
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="statistics", verbose_name="relationship"
    )
    kind = models.CharField(
        "kind",
        max_length=8,
        choices=Kind.choices,
        default=Kind.FIGURE,
        help_text="An observed figure; a target (what a figure should reach); a change (a percent or a multiple); "
        "a rank (24 for '24th'); or a duration (14 for '14 years running', unit 'years').",
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
        blank=True,
        help_text="An ISO 4217 currency code (USD, EUR, TRY) or what is counted (persons, companies, projects); "
        "for a duration, 'years' or 'continuous years'; none for a rank.",
    )
    wording = models.CharField(
        "ranked among / lasting as",
        max_length=200,
        blank=True,
        help_text="A rank's field in the source's words, 'among investors in Vietnam' (shown '24th among investors "
        "in Vietnam'); what has lasted, 'largest trading partner' (shown 'largest trading partner for 14 years').",
    )
    equivalent_value = models.DecimalField("equivalent value", max_digits=20, decimal_places=2, null=True, blank=True)
    equivalent_unit = models.CharField("equivalent unit", max_length=20, blank=True)
    period_kind = models.CharField("period", max_length=13, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_start = models.DateField(
        "period start",
        null=True,
        blank=True,
        help_text="For a year, its first day; for an as-of date, that date; for a target, its horizon.",
    )
    period_end = models.DateField(
        "period end", null=True, blank=True, help_text="For a year, its last day; for an as-of date, that date."
    )
    stated_on = models.DateField(
        "stated on", null=True, blank=True, help_text="When the target was set (required for a target)."
    )
    stated_on_precision = precision_field("precision of the statement date")
    horizon_wording = models.CharField(
        "horizon as worded",
        max_length=100,
        blank=True,
        help_text="A target's horizon in the source's words: 'in the coming years', 'in the medium term'.",
    )
    base_year = models.PositiveSmallIntegerField(
        "compared with (year)", null=True, blank=True, help_text="A change's base: 2021 in 'down 5.4% on 2021'."
    )
    from_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="from country"
    )
    to_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="to country"
    )
    is_preferred = models.BooleanField(
        "preferred value",
        default=True,
        help_text=(
            "Observed figures only: when sources disagree on a period, the figure shown first; the others are "
            "shown beside it. A target or a change is never preferred (the box is cleared on saving)."
        ),
    )
    note = models.TextField("note for editors", blank=True, help_text="Not shown to readers.")

    objects = StatisticQuerySet.as_manager()

    # The largest history table is read by record and date only; an index per foreign key would
    # slow every import of figures and serve no page.
    history = HistoricalRecords(no_db_index=["indicator", "relationship", "source", "from_country", "to_country"])

    @classmethod
    def pair_condition(cls, a, b):
        """Recorded for the relationship of the pair, in either order."""
        return either_way("relationship__country_a", "relationship__country_b", a, b)

    class Meta:
        verbose_name = "statistic"
        verbose_name_plural = "statistics"
        default_permissions = RECORD_PERMISSIONS
        ordering = ["indicator", "-period_end", "-is_preferred"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) | Q(kind="change"),
                name="statistic_value_not_negative",
                violation_error_message=(
                    "A figure or a target cannot be negative: a fall is a change (kind “change”), such as -5.4 %%."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | Q(unit__in=["%", "times"]),
                name="statistic_change_in_percent_or_times",
                violation_error_message="A change is in percent (unit “%%”) or a multiple (unit “times”).",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change", unit="times") | Q(value__gt=0),
                name="statistic_multiple_positive",
                violation_error_message="A multiple is more than zero: “halved” is 0.5 times.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="target") | Q(stated_on__isnull=False),
                name="statistic_target_dated",
                violation_error_message="Give the date the target was set.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_start__isnull=False, period_end__isnull=False) & ~Q(period_kind="unstated")
                    | Q(period_kind="unstated", period_start__isnull=True, period_end__isnull=True)
                ),
                name="statistic_period_stated",
                violation_error_message=(
                    "Give the period's start and end, or choose the period “not stated” and leave them blank."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["figure", "target"]) | ~Q(unit=""),
                name="statistic_amount_has_unit",
                violation_error_message="Give the unit: a currency code (USD) or what is counted (persons).",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rank") | Q(value__gte=1),
                name="statistic_rank_whole",
                violation_error_message="A rank is a whole number from 1: 24 for “24th”.",
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
                F("kind"),
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
                condition=Q(is_preferred=True, kind="figure"),
                name="statistic_one_preferred_per_period",
                violation_error_message="Another figure is already preferred for this indicator, period and direction.",
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
                errors["period_start"] = (
                    "Give the period's start (a year such as 2012 covers the whole year), or choose the period "
                    "“not stated” when the source gives none."
                )
            if self.period_end is None:
                errors["period_end"] = "Give the period's end."
        elif self.period_start is not None or self.period_end is not None:
            errors["period_kind"] = "A horizon “not stated” has no dates: clear the period's start and end."
        if self.equivalent_value is not None and self.equivalent_value < 0:
            errors["equivalent_value"] = rule_message(self, "statistic_equivalent_not_negative")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = rule_message(self, "statistic_period_in_order")
        elif self.period_start and self.period_end and (disagreement := self.period_disagreement()):
            errors["period_end"] = disagreement
        if self.from_country_id and self.from_country_id == self.to_country_id:
            errors["to_country"] = rule_message(self, "statistic_direction_two_countries")
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

    def period_disagreement(self):
        """Why the period's dates are not what its kind says, or None: a calendar year runs from
        1 January to 31 December of one year, an as-of date is one day, and so on."""
        start, end, kind = self.period_start, self.period_end, self.period_kind
        if start is None or end is None:
            return None
        dates = f"{start.isoformat()} to {end.isoformat()}"
        whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if kind == self.PeriodKind.YEAR and not (whole_years and start.year == end.year):
            return f"A calendar year runs from 1 January to 31 December of one year; {dates} is not one."
        if kind == self.PeriodKind.SPAN and not (whole_years and start.year < end.year):
            return f"A span of years runs from 1 January of one year to 31 December of a later one; {dates} is not one."
        if kind == self.PeriodKind.MONTHS and not (start.day == 1 and (end + datetime.timedelta(days=1)).day == 1):
            return f"A range of months runs from the first day of a month to the last of a month; {dates} is not one."
        if kind == self.PeriodKind.ACADEMIC_YEAR and end.year != start.year + 1:
            return f"An academic year runs from one year into the next; {dates} is not one."
        if kind == self.PeriodKind.AS_OF and start != end and last_day(start, self.as_of_precision()) != end:
            return (
                f"A figure as of a date has one date, its start and end the same, or a whole month or year when the "
                f"source gives no day (“as of February”: 2019-02 as start and end); {dates} is neither."
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
    def value_display(self):
        amount = format_amount(self.value, self.unit)
        qualifier = "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
        text = f"{qualifier}{amount}"
        if self.equivalent_value is not None:
            text += f" ({format_amount(self.equivalent_value, self.equivalent_unit)})"
        return text

    def statement_display(self):
        """What the source states, worded as a reader would: '$5 billion', 'target: $10 billion',
        'down 5.4% on 2021', '1.5 times the 2017 level'."""
        if self.kind == self.Kind.TARGET:
            return f"target: {self.value_display()}"
        if self.kind == self.Kind.CHANGE:
            return self.change_display()
        if self.kind == self.Kind.RANK:
            return f"{ordinal(int(self.value))} {self.wording}".strip()
        if self.kind == self.Kind.DURATION:
            lasting = f"{format_number(self.value)} {self.unit}".strip()
            return f"{self.wording} for {lasting}" if self.wording else lasting
        return self.value_display()

    def change_display(self):
        qualifier = "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
        number = format_number(abs(self.value))
        if self.unit == "times":
            base = f" the {self.base_year} level" if self.base_year else ""
            return f"{qualifier}{number} times{base}"
        base = f" on {self.base_year}" if self.base_year else ""
        if self.value == 0:
            return f"unchanged{base}"
        return f"{'down' if self.value < 0 else 'up'} {qualifier}{number}%{base}"

    def timing_display(self):
        """The period; for a target, its horizon and when it was set: 'by 2030, set 29 March 2022'."""
        period = self.period_display()
        if self.kind != self.Kind.TARGET:
            return period
        parts = [f"by {period}"] if period else []
        # A source's wording that says no more than the horizon year ("by 2030") is not said twice.
        if self.horizon_wording and self.horizon_wording.strip().casefold() not in (part.casefold() for part in parts):
            parts.append(self.horizon_wording)
        if self.stated_on:
            parts.append(f"set {self.stated_on_display()}")
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
            return f"period not stated; reported {reported}" if reported else "period not stated"
        if start is None or end is None:
            return ""
        if kind == self.PeriodKind.YEAR:
            return str(start.year)
        if kind == self.PeriodKind.MONTHS:
            if (start.year, start.month) == (end.year, end.month):
                return f"{end:%B} {end.year}"
            if start.year == end.year:
                return f"{start:%B}–{end:%B} {end.year}"
            return f"{start:%B} {start.year}–{end:%B} {end.year}"
        if kind == self.PeriodKind.SPAN:
            return f"{start.year}–{end.year}"
        if kind == self.PeriodKind.ACADEMIC_YEAR:
            return f"{start.year}–{end.year} academic year"
        if kind == self.PeriodKind.SINCE:
            return f"since {start.year}, as of {format_partial_date(end)}"
        return f"as of {format_partial_date(start, self.as_of_precision())}"

    @property
    def is_partial_period(self):
        return self.period_kind in self.PARTIAL_PERIODS

    def partial_label(self):
        """How a partial figure is introduced beside a full period's: 'so far' for months of a year."""
        return "partial period" if self.period_kind == self.PeriodKind.MONTHS else "running total"

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


def format_number(number):
    """Every digit the source gave, and no more: 3.645 stays 3.645, 5 stays 5, 12000 is 12,000."""
    number = Decimal(number)
    if number == number.to_integral():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


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
    text = format_number(number)
    if unit in CURRENCY_SYMBOLS:
        return f"{CURRENCY_SYMBOLS[unit]}{text}{scale}"
    return f"{text}{scale} {unit}".strip()
