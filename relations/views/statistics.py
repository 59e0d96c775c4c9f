"""Statistics: each pair's latest figures, an indicator's every figure with charts, and its series as CSV or SVG."""

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from .. import charts, forms, languages
from .. import models as records
from ..dates import today
from ..formats import escape_formula
from .base import AddressesMixin, FilteredListMixin, slug_addresses

# The indicators whose latest figures a pair shows on the statistics list and its own page; its statistics
# (?relationship=) show them all.
FIGURES_SHOWN = 10

# A figure's period "not stated": kept as its source states it, listed, never a point on a time axis.
UNSTATED = records.Statistic.PeriodKind.UNSTATED

# What a pair's statements are, in the order its caption names them (PairFigures.statements_caption).
STATEMENT_GROUPS = (
    ((records.Statistic.Kind.TARGET, records.Statistic.Kind.CHANGE), gettext_lazy("targets and changes")),
    ((records.Statistic.Kind.RANK,), gettext_lazy("ranks")),
    ((records.Statistic.Kind.DURATION,), gettext_lazy("durations")),
    ((records.Statistic.Kind.FIGURE,), gettext_lazy("figures of no stated period")),
)


def translated_column(path):
    """The text column `path` ('indicator__name') in the page's language as an expression: its translation's column,
    the English one where no translation is given; the English column itself on an English page."""
    language = languages.current()
    if language == languages.DEFAULT:
        return F(path)
    return Case(When(**{f"{path}_{language}": ""}, then=F(path)), default=F(f"{path}_{language}"))


def pair_name(relationship):
    """'Türkiye and Kazakhstan', in the page's language."""
    return _("%(a)s and %(b)s") % {
        "a": languages.translated(relationship.country_a, "name"),
        "b": languages.translated(relationship.country_b, "name"),
    }


def latest_figures_by_relationship(relationships, beneath=None, indicators=None, **narrowed):
    """{relationship id: [LatestFigure]} of each series of these relationships, in the indicators' order; of
    each pair's first `indicators` indicators only, when given."""
    # The window ranks ids alone (a pair's whole series pass through it); only the rows shown are loaded.
    latest = records.Statistic.objects.filter(relationship__in=relationships, **narrowed).latest_of_each_series(beneath)
    # {relationship id: {(indicator's position, name): ids of its latest figures}}
    by_pair = {}
    for pk, relationship, *indicator in latest.order_by().values_list(
        "pk", "relationship", "indicator__position", "indicator__name"
    ):
        by_pair.setdefault(relationship, {}).setdefault(tuple(indicator), []).append(pk)
    shown = [pk for of_pair in by_pair.values() for key in sorted(of_pair)[:indicators] for pk in of_pair[key]]
    figures = (
        records.Statistic.objects.filter(pk__in=shown)
        .select_related("indicator", "source", "from_country", "to_country")
        .order_by("relationship", "indicator__position", "indicator__name", "from_country__name", "period_end")
    )
    by_relationship = {}
    for latest_figure in records.LatestFigure.of_series(figures):
        by_relationship.setdefault(latest_figure.relationship_id, []).append(latest_figure)
    return by_relationship


@dataclass(frozen=True)
class PairFigures:
    """What relations/latest_figures_table.html shows of a pair, on the statistics list and the pair's page.
    Made by pair_figures."""

    relationship: records.Relationship
    # LatestFigure of each series, in the indicators' order.
    latest_figures: tuple
    # The indicators it has figures of but none marked preferred (whose sources disagree and no editor has
    # chosen yet), where readers are sent to compare them, by name: {"slug", "name"} of each.
    unpreferred_indicators: tuple
    # What its sources state besides the figures of a series (statements_of): targets, changes, ranks, durations
    # and figures of no stated period.
    targets_and_changes: tuple
    # Whether latest_figures leaves out indicators past the first few (pair_figures' `indicators_shown`).
    more: bool = False

    @property
    def statements_caption(self):
        """What its statements are: 'Targets and changes' (as the page has always named them, either or both),
        'Targets and changes, ranks and durations', 'Figures of no stated period'."""
        # The observed figures among them are those of no stated period (statements_of).
        stated = {statement.kind for statement in self.targets_and_changes}
        named = [str(name) for kinds, name in STATEMENT_GROUPS if stated.intersection(kinds)]
        if not named:
            return ""
        if len(named) == 1:
            text = named[0]
        else:
            # Translators: the last two of a list ('ranks and durations'; 'targets and changes, ranks and durations').
            text = _("%(items)s and %(last)s") % {"items": ", ".join(named[:-1]), "last": named[-1]}
        return capfirst(text)


def statements_of(relationships, beneath=None):
    """What the sources of these relationships state besides the points of a series, newest first: targets,
    changes, ranks and durations (StatisticQuerySet.targets_and_changes) and observed figures of no stated period,
    which no chart or latest figure shows (StatisticQuerySet.preferred), so they are listed here with their
    source's date."""
    kind = records.Statistic.Kind
    return (
        records.Statistic.objects.published(beneath)
        .filter(relationship__in=relationships)
        .filter(~Q(kind=kind.FIGURE) | Q(period_kind=UNSTATED))
        .select_related("indicator", "source", "from_country", "to_country")
        .order_by(
            F("stated_on").desc(nulls_last=True),
            F("period_end").desc(nulls_last=True),
            F("source__published_on").desc(nulls_last=True),
            "indicator__name",
            "pk",
        )
    )


def pair_figures(relationships, beneath=None, indicators_shown=None):
    """A PairFigures of each relationship, in their order (`beneath`: see PublishableQuerySet.published); its
    latest figures of the first `indicators_shown` indicators only, when given."""
    # One indicator more than shown tells whether there are more.
    latest = latest_figures_by_relationship(
        relationships, beneath, indicators=None if indicators_shown is None else indicators_shown + 1
    )
    # Each indicator (its slug and name) of each relationship with published observed figures (a target or a
    # change alone has none to prefer), none of them preferred: counted over the pair's figures, in one pass.
    unpreferred = {}
    for indicator in (
        records.Statistic.objects.published(beneath)
        .filter(relationship__in=relationships, kind=records.Statistic.Kind.FIGURE)
        # A figure of no stated period is never preferred (it is listed among the statements): an indicator with
        # only such figures has none to choose between.
        .exclude(period_kind=UNSTATED)
        .values("relationship", "indicator")
        .annotate(
            slug=F("indicator__slug"),
            name=translated_column("indicator__name"),
            preferred=Count("pk", filter=Q(is_preferred=True)),
        )
        .filter(preferred=0)
        .order_by("name")
    ):
        unpreferred.setdefault(indicator["relationship"], []).append(indicator)
    statements = {}
    for statement in statements_of(relationships, beneath):
        statements.setdefault(statement.relationship_id, []).append(statement)
    pairs = []
    for relationship in relationships:
        figures = latest.get(relationship.pk, [])
        indicators = list(dict.fromkeys(figure.indicator.pk for figure in figures))
        shown = set(indicators[:indicators_shown])
        pairs.append(
            PairFigures(
                relationship=relationship,
                latest_figures=tuple(figure for figure in figures if figure.indicator.pk in shown),
                unpreferred_indicators=tuple(unpreferred.get(relationship.pk, [])),
                targets_and_changes=tuple(statements.get(relationship.pk, [])),
                more=len(indicators) > len(shown),
            )
        )
    return pairs


def indicators_with_figures():
    return records.Indicator.objects.filter(
        Exists(records.Statistic.objects.published().filter(indicator=OuterRef("pk")))
    )


class IndicatorListView(AddressesMixin, FilteredListMixin, ListView):
    """The latest figure of each indicator for each pair (PairFigures, as `pairs`), a section per pair, in the
    home page's order."""

    filter_form_class = forms.StatisticsFilterForm
    template_name = "relations/indicator_list.html"
    context_object_name = "relationships"
    # A pair has a figure of dozens of indicators: a few pairs to a page, each with its first few indicators,
    # and all of them on the pair's own statistics (?relationship=).
    paginate_by = 3
    indicators_shown = FIGURES_SHOWN

    def get_queryset(self):
        figures = records.Statistic.objects.published().filter(relationship=OuterRef("pk"))
        relationships = records.Relationship.objects.published().filter(Exists(figures))
        return self.filtered(relationships.select_related("country_a", "country_b"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        one_pair = self.filter_form.is_bound and self.filter_form.is_valid()
        # The pairs listed are published: their figures are not asked again whether they are.
        context["pairs"] = pair_figures(
            context["page_obj"].object_list,
            beneath="relationship",
            indicators_shown=None if one_pair else self.indicators_shown,
        )
        indicators = (
            indicators_with_figures()
            .order_by("position", "name")
            .values_list("slug", translated_column("name") if languages.current() != languages.DEFAULT else "name")
        )
        context["indicators"] = slug_addresses("relations:indicator-detail", indicators)
        return context


class IndicatorDetailView(AddressesMixin, DetailView):
    """Every figure of an indicator, or of one pair's series (?relationship=): charts, table, CSV, and the
    charts as an SVG file."""

    template_name = "relations/indicator_detail.html"
    context_object_name = "indicator"
    model = records.Indicator
    # The table lists the latest figures first, a page at a time (the CSV has them all).
    figures_per_page = 50
    # The charts draw a whole series (a figure a month for decades is a few hundred points): the page of every
    # pair draws the first few pairs' (past them it would weigh more than a reader's phone should load), and
    # each pair's own page (?relationship=) draws its own.
    max_charted_pairs = 4
    max_charts = 12
    query_parameters = ("format", "relationship", "page")

    def series(self):
        statistics = self.object.statistics.published()
        if self.relationship is not None:
            statistics = statistics.of_relationship(self.relationship)
        return statistics.select_related(
            "relationship__country_a",
            "relationship__country_b",
            "from_country",
            "to_country",
            "source__reported_in",
        ).order_by(
            "relationship__position",
            "relationship__slug",
            "from_country__name",
            F("period_end").asc(nulls_last=True),
            "-is_preferred",
            "source__title",
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.filter_form = forms.IndicatorFilterForm(request.GET or None)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            raise BadRequest(self.filter_form.problems())
        self.relationship = self.filter_form.is_bound and self.filter_form.cleaned_data.get("relationship") or None
        if self.relationship is not None and request.GET["relationship"] != self.relationship.slug:
            # The pair named another way ('kazakhstan-turkiye') leads to the one address of its series.
            query = {**request.GET.dict(), "relationship": self.relationship.slug}
            return HttpResponsePermanentRedirect(f"{request.path}?{urlencode(query)}")
        wanted = request.GET.get("format", "html")
        if wanted == "csv":
            return series_csv(self.object, self.series(), self.relationship)
        if wanted == "svg":
            return self.charts_svg()
        if wanted != "html":
            raise Http404("This page has no such format.")
        return self.render_to_response(self.get_context_data(object=self.object))

    def charted_figures(self):
        """What the charts draw, and the ranks and durations listed above them: every preferred observed figure of
        a stated period (StatisticQuerySet.preferred: a figure of no stated period has no place on a time axis),
        every target, rank and duration of the series of the first max_charted_pairs pairs, not only those the
        table lists, so that a long series is charted to its latest figure; and how many pairs more have some.
        One query for all of them: charted() sets them apart."""
        kinds = records.Statistic.Kind
        charted = self.series().filter(
            Q(kind=kinds.FIGURE, is_preferred=True) & ~Q(period_kind=UNSTATED)
            | Q(kind__in=[kinds.TARGET, *records.Statistic.WORDED_KINDS])
        )
        pairs = list(
            charted.order_by("relationship__position", "relationship__slug")
            .values_list("relationship", flat=True)
            .distinct()
        )
        return charted.filter(relationship__in=pairs[: self.max_charted_pairs]), len(pairs[self.max_charted_pairs :])

    def latest_figures(self):
        """The table's page (a Page of the page's figures, latest first), its figures in the page's order."""
        latest = self.series().order_by(F("period_end").desc(nulls_last=True), "-pk").values_list("pk", flat=True)
        try:
            page = Paginator(latest, self.figures_per_page).page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from None
        page.object_list = list(self.series().filter(pk__in=list(page.object_list)))
        return page

    def charted(self, figures):
        """(series, targets, worded): the preferred observed figures of a stated period of each series (a pair, a
        direction, a unit) and the targets stated for it, in the page's order; and the ranks and durations, which
        are statements in words, never amounts on the series' axis."""
        series, targets, worded = {}, {}, []
        kinds = records.Statistic.Kind
        for figure in figures:
            key = (figure.relationship_id, figure.from_country_id, figure.to_country_id, figure.unit)
            if figure.kind == kinds.TARGET:
                targets.setdefault(key, []).append(figure)
            elif figure.kind in records.Statistic.WORDED_KINDS:
                worded.append(figure)
            elif figure.kind == kinds.FIGURE and figure.is_preferred and figure.period_kind != UNSTATED:
                series.setdefault(key, []).append(figure)
        return series, targets, worded

    def charts_svg(self):
        """The page's charts as one SVG file to download (?format=svg): each under its caption, drawn
        without the site's stylesheet, with the page's address, where the figures' sources are."""
        figures, _pairs_left_out = self.charted_figures()
        series, targets, _worded = self.charted(figures)
        if not series:
            raise Http404("This page has no chart to download.")
        drawn = [
            (
                series_title(observed[0]),
                charts.draw_series(
                    f"{languages.translated(self.object, 'name')}, {series_title(observed[0])}",
                    observed,
                    targets.get(key, []),
                    standalone=True,
                ),
            )
            for key, observed in list(series.items())[: self.max_charts]
        ]
        pair = self.relationship
        name = languages.translated(self.object, "name")
        title = _("%(indicator)s: %(pair)s") % {"indicator": name, "pair": pair_name(pair)} if pair else name
        page = self.request.build_absolute_uri(self.request.path + (f"?relationship={pair.slug}" if pair else ""))
        response = HttpResponse(
            charts.svg_document(title, drawn, note=_("Every figure with its source: %(address)s") % {"address": page}),
            content_type="image/svg+xml; charset=utf-8",
        )
        name = f"{self.object.slug}-{pair.slug}" if pair else self.object.slug
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.latest_figures()
        context.update(figures=page.object_list, page_obj=page, is_paginated=page.paginator.num_pages > 1)
        context["relationship"] = self.relationship
        context["filter_form"] = self.filter_form
        figures, context["pairs_left_out"] = self.charted_figures()
        series, targets, context["worded"] = self.charted(figures)
        context["charts"] = [
            {
                "title": series_title(observed[0]),
                "relationship": observed[0].relationship,
                "line": charts.draws_line(observed),
                "svg": charts.series_chart(
                    f"{languages.translated(self.object, 'name')}, {series_title(observed[0])}",
                    observed,
                    targets.get(key, []),
                ),
            }
            for key, observed in list(series.items())[: self.max_charts]
        ]
        context["has_line_chart"] = any(chart["line"] for chart in context["charts"])
        context["has_column_chart"] = not all(chart["line"] for chart in context["charts"])
        # Each target with the latest observed full period of its series beside it.
        context["targets"] = [
            (target, next((f for f in reversed(series.get(key, [])) if not f.is_partial_period), None))
            for key, stated in targets.items()
            for target in stated
        ]
        context["charts_left_out"] = max(len(series) - self.max_charts, 0)
        return context


def series_title(figure):
    """'Türkiye and Kazakhstan', with the direction where the figure has one, in the page's language."""
    pair = pair_name(figure.relationship)
    direction = figure.direction_display()
    return f"{pair}: {direction}" if direction else pair


def series_csv(indicator, statistics, relationship=None):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{indicator.slug}-{relationship.slug}" if relationship else indicator.slug
    # Dated, as every download of the site is: a reader's folder keeps the figures of each day apart.
    response["Content-Disposition"] = f'attachment; filename="{name}-{today().isoformat()}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Relationship", "Period", "Period start", "Period end", "From", "To", "Qualifier", "Value", "Unit"]
        + ["Equivalent value", "Equivalent unit", "Preferred", "Source", "Source address"]
        + ["Kind", "As worded", "Stated on", "Horizon as worded", "Compared with", "Note for readers"]
    )
    for figure in statistics.iterator(chunk_size=2000):
        # Editors' text (a source's title) must not run as a formula in the reader's spreadsheet.
        writer.writerow(
            escape_formula(cell)
            for cell in [
                figure.relationship.slug,
                figure.period_display(),
                figure.period_start.isoformat() if figure.period_start else "",
                figure.period_end.isoformat() if figure.period_end else "",
                figure.from_country.code if figure.from_country else "",
                figure.to_country.code if figure.to_country else "",
                figure.get_qualifier_display(),
                format(figure.value.normalize(), "f"),
                figure.unit,
                format(figure.equivalent_value.normalize(), "f") if figure.equivalent_value is not None else "",
                figure.equivalent_unit,
                ("yes" if figure.is_preferred else "no") if figure.kind == figure.Kind.FIGURE else "",
                figure.source.title,
                figure.source.url,
                figure.kind,
                figure.statement_display(),
                figure.stated_on_display(),
                figure.horizon_wording,
                figure.base_year or "",
                figure.reader_note,
            ]
        )
    return response
