"""Charts drawn on the server as SVG: no script, no network, readable without colour."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 10
MAX_BARS = 60


def bar_label(figure, several_pairs):
    parts = [figure.period_display()]
    if figure.direction_display():
        parts.append(figure.direction_display())
    if several_pairs:
        parts.append(str(figure.relationship))
    return " · ".join(parts)


def series_chart(indicator, figures):
    """Horizontal bars, one per figure, longest for the largest value; the table beside it holds the same data."""
    figures = figures[-MAX_BARS:]
    if not figures:
        return ""
    largest = max(figure.value for figure in figures) or 1
    several_pairs = len({figure.relationship_id for figure in figures}) > 1
    height = ROW_HEIGHT * len(figures) + 8
    rows = []
    for index, figure in enumerate(figures):
        top = index * ROW_HEIGHT + 4
        width = max(2, round(float(figure.value / largest) * (WIDTH - 8)))
        rows.append(
            (
                top + 13,
                bar_label(figure, several_pairs),
                top + LABEL_HEIGHT,
                width,
                BAR_HEIGHT,
                figure.value_display(),
                top + LABEL_HEIGHT + 12,
                "chart-bar chart-bar--approximate" if figure.qualifier != "exact" else "chart-bar",
                WIDTH,
            )
        )
    bars = format_html_join(
        "\n",
        '<g><text class="chart-label" x="0" y="{0}">{1}</text>'
        '<text class="chart-value" x="{8}" y="{0}" text-anchor="end">{5}</text>'
        '<rect class="{7}" x="0" y="{2}" width="{3}" height="{4}" rx="2"><title>{1}: {5}</title></rect></g>',
        rows,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        indicator.name,
        mark_safe(f"{len(figures)} figures; the same figures are listed in the table below the chart."),
        bars,
    )
