"""Statistics: each pair's latest figures, an indicator's every figure with charts, and its series as CSV or SVG."""

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.views.generic import DetailView, ListView

from .. import charts, forms
from .. import models as records
from ..formats import escape_formula
from .base import FilteredListMixin


def latest_figures_by_relationship(relationships, beneath=None, **narrowed):
    """{relationship id: [LatestFigure]} of each series of these relationships, in the indicators' order."""
    figures = (
        records.Statistic.objects.filter(relationship__in=relationships, **narrowed)
        .latest_of_each_series(beneath)
        .order_by("relationship", "indicator__position", "indicator__name", "from_country__name", "period_end")
    )
    by_relationship = {}
    for latest in records.LatestFigure.of_series(figures):
        by_relationship.setdefault(latest.relationship_id, []).append(latest)
    return by_relationship


@dataclass(frozen=True)
class PairFigures:
    """What relations/latest_figures_table.html shows of a pair, on the statistics list and the pair's page.
    Made by pair_figures."""

    relationship: records.Relationship
    # LatestFigure of each series, in the indicators' order.
    latest_figures: tuple
    # The indicators it has figures of but none marked preferred (whose sources disagree and no editor has
    # chosen yet), where readers are sent to compare them, by name.
    unpreferred_indicators: tuple
    # The targets and changes its sources state (Statistic).
    targets_and_changes: tuple


def pair_figures(relationships, beneath=None):
    """A PairFigures of each relationship, in their order (`beneath`: see PublishableQuerySet.published)."""
    latest = latest_figures_by_relationship(relationships, beneath)
    # Each indicator once per relationship it has published observed figures in (a target or a change
    # alone has none to prefer); the filter's join names the pair.
    with_figures = (
        records.Indicator.objects.filter(
            records.Statistic.published_condition("statistics__", beneath),
            statistics__relationship__in=relationships,
            statistics__kind=records.Statistic.Kind.FIGURE,
        )
        .annotate(of_relationship=F("statistics__relationship"))
        .distinct()
    )
    unpreferred = {}
    for indicator in with_figures:
        if not any(shown.indicator.pk == indicator.pk for shown in latest.get(indicator.of_relationship, [])):
            unpreferred.setdefault(indicator.of_relationship, []).append(indicator)
    statements = {}
    for statement in records.Statistic.objects.filter(relationship__in=relationships).targets_and_changes(beneath):
        statements.setdefault(statement.relationship_id, []).append(statement)
    return [
        PairFigures(
            relationship=relationship,
            latest_figures=tuple(latest.get(relationship.pk, [])),
            unpreferred_indicators=tuple(sorted(unpreferred.get(relationship.pk, []), key=lambda i: i.name)),
            targets_and_changes=tuple(statements.get(relationship.pk, [])),
        )
        for relationship in relationships
    ]


def indicators_with_figures():
    return records.Indicator.objects.filter(
        Exists(records.Statistic.objects.published().filter(indicator=OuterRef("pk")))
    )


class IndicatorListView(FilteredListMixin, ListView):
    """The latest figure of each indicator for each pair (PairFigures, as `pairs`), a section per pair, in the
    home page's order."""

    filter_form_class = forms.StatisticsFilterForm
    template_name = "relations/indicator_list.html"
    context_object_name = "relationships"
    paginate_by = 10

    def get_queryset(self):
        figures = records.Statistic.objects.published().filter(relationship=OuterRef("pk"))
        relationships = records.Relationship.objects.published().filter(Exists(figures))
        return self.filtered(relationships.select_related("country_a", "country_b"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pairs"] = pair_figures(context["page_obj"].object_list)
        context["indicators"] = indicators_with_figures().order_by("position", "name")
        return context


class IndicatorDetailView(DetailView):
    """Every figure of an indicator, or of one pair's series (?relationship=): charts, table, CSV, and the
    charts as an SVG file."""

    template_name = "relations/indicator_detail.html"
    context_object_name = "indicator"
    model = records.Indicator
    max_figures = 200
    # The charts draw a whole series (a figure a month for decades is a few hundred points); past this many
    # points the page would weigh more than a reader's phone should load, and the CSV has them.
    max_charted = 5000
    max_charts = 12
    query_parameters = ("format", "relationship")

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
        """What the charts draw: every preferred observed figure and every target of the page's series, not only
        those the table lists, so that a long series is charted to its latest figure."""
        kinds = records.Statistic.Kind
        return self.series().filter(Q(kind=kinds.FIGURE, is_preferred=True) | Q(kind=kinds.TARGET))[: self.max_charted]

    def latest_figures(self):
        """The table's figures: the latest max_figures of the page, in its order (the CSV has them all)."""
        latest = self.series().order_by(F("period_end").desc(nulls_last=True), "-pk").values("pk")[: self.max_figures]
        return list(self.series().filter(pk__in=list(latest.values_list("pk", flat=True))))

    def charted(self, figures):
        """(series, targets): the preferred observed figures of each series (a pair, a direction, a unit),
        and the targets stated for it, in the page's order."""
        series, targets = {}, {}
        for figure in figures:
            key = (figure.relationship_id, figure.from_country_id, figure.to_country_id, figure.unit)
            if figure.kind == records.Statistic.Kind.TARGET:
                targets.setdefault(key, []).append(figure)
            elif figure.kind == records.Statistic.Kind.FIGURE and figure.is_preferred:
                series.setdefault(key, []).append(figure)
        return series, targets

    def charts_svg(self):
        """The page's charts as one SVG file to download (?format=svg): each under its caption, drawn
        without the site's stylesheet, with the page's address, where the figures' sources are."""
        series, targets = self.charted(self.charted_figures())
        if not series:
            raise Http404("This page has no chart to download.")
        drawn = [
            (
                series_title(observed[0]),
                charts.draw_series(
                    f"{self.object.name}, {series_title(observed[0])}", observed, targets.get(key, []), standalone=True
                ),
            )
            for key, observed in list(series.items())[: self.max_charts]
        ]
        pair = self.relationship
        title = f"{self.object.name}: {pair.country_a.name} and {pair.country_b.name}" if pair else self.object.name
        page = self.request.build_absolute_uri(self.request.path + (f"?relationship={pair.slug}" if pair else ""))
        response = HttpResponse(
            charts.svg_document(title, drawn, note=f"Every figure with its source: {page}"),
            content_type="image/svg+xml; charset=utf-8",
        )
        name = f"{self.object.slug}-{pair.slug}" if pair else self.object.slug
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = self.latest_figures()
        context["truncated"] = len(context["figures"]) == self.max_figures
        context["relationship"] = self.relationship
        context["filter_form"] = self.filter_form
        series, targets = self.charted(self.charted_figures())
        context["charts"] = [
            {
                "title": series_title(observed[0]),
                "relationship": observed[0].relationship,
                "line": charts.draws_line(observed),
                "svg": charts.series_chart(
                    f"{self.object.name}, {series_title(observed[0])}", observed, targets.get(key, [])
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
    """'Türkiye and Kazakhstan', with the direction where the figure has one."""
    pair = f"{figure.relationship.country_a.name} and {figure.relationship.country_b.name}"
    direction = figure.direction_display()
    return f"{pair}: {direction}" if direction else pair


def series_csv(indicator, statistics, relationship=None):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{indicator.slug}-{relationship.slug}" if relationship else indicator.slug
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Relationship", "Period", "Period start", "Period end", "From", "To", "Qualifier", "Value", "Unit"]
        + ["Equivalent value", "Equivalent unit", "Preferred", "Source", "Source address"]
        + ["Kind", "As worded", "Stated on", "Horizon as worded", "Compared with"]
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
            ]
        )
    return response
