"""Statistics in the admin: indicators and their figures, targets and changes."""

from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .base import PUBLICATION_FIELDSET, SOURCE_FIELDSET, PublishableAdmin, RecordAdmin


@admin.register(records.Indicator)
class IndicatorAdmin(RecordAdmin):
    list_display = ["name", "unit", "has_direction", "is_headline", "position"]
    list_filter = ["is_headline", "has_direction", "topic"]
    list_editable = ["position", "is_headline"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["topic"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(records.Statistic)
class StatisticAdmin(PublishableAdmin):
    list_display = ["indicator", "relationship", "period", "figure", "direction", "preferred", "publication_status"]
    list_filter = [
        "publication_status",
        "kind",
        "indicator",
        "relationship",
        "qualifier",
        "period_kind",
        "is_preferred",
    ]
    list_select_related = [
        "indicator",
        "relationship__country_a",
        "relationship__country_b",
        "from_country",
        "to_country",
    ]
    search_fields = ["indicator__name", "wording", "note", "reader_note", "quote", "source__title"]
    date_hierarchy = "period_end"
    autocomplete_fields = ["indicator", "relationship", "from_country", "to_country", "source"]
    fieldsets = [
        (None, {"fields": ["indicator", "relationship", "kind", "is_preferred"]}),
        (
            _("Figure"),
            {
                "fields": ["qualifier", "value", "unit", "wording", "equivalent_value", "equivalent_unit", "note"],
                "description": _(
                    "A rank: its number as the value (24 for '24th'), no unit, and its field as worded "
                    "('among investors in Vietnam'). A duration: its length as the value and unit (14, 'continuous "
                    "years'), and what has lasted as worded ('largest trading partner')."
                ),
            },
        ),
        (
            _("Period"),
            {
                "fields": ["period_kind", "period_start", "period_end"],
                "description": _(
                    "As of a month or a year the source gives no day of: type it as the start "
                    "('2019-02', 'February 2019') and leave the end blank. A source that gives no period: choose "
                    "“not stated” and leave both blank; the figure is shown with the source's date, never on a chart."
                ),
            },
        ),
        (
            _("Target or change"),
            {
                "fields": ["stated_on", "stated_on_precision", "horizon_wording", "base_year"],
                "description": _(
                    # Translators: "5.4%" is a percentage, not a placeholder.
                    # xgettext:no-python-format
                    "A target: when it was set, and its horizon in the source's words if it gives no year "
                    "(period “not stated”). A change: the year it is compared with ('down 5.4% on 2021')."
                ),
            },
        ),
        (_("Direction"), {"fields": ["from_country", "to_country"]}),
        # The note for readers with the source it qualifies, as every page shows it (includes/source.html).
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description=_("figure"), ordering="value")
    def figure(self, statistic):
        return statistic.statement_display()

    @admin.display(description=_("period"), ordering="period_end")
    def period(self, statistic):
        return statistic.period_display()

    @admin.display(description=_("direction"))
    def direction(self, statistic):
        return statistic.direction_display()

    @admin.display(description=_("preferred value"), ordering="is_preferred", empty_value="")
    def preferred(self, statistic):
        # Yes or no for an observed figure, as the admin shows a boolean; nothing for a target or a change,
        # which is never a preferred one (a per-row choice the column's `boolean` option cannot make).
        if statistic.kind != records.Statistic.Kind.FIGURE:
            return None
        return display_for_value(statistic.is_preferred, "", boolean=True)
