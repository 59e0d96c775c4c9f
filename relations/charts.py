"""Charts drawn on the server as SVG: no script, no network, readable without colour.

A series is one pair's figures of one indicator, in one direction and unit: columns in period order
on an axis of amounts in that unit, full periods first and partial ones (part of a year, a running
total) set apart after them. A long series (more than LONG_SERIES figures: a figure as of each month
for years) reads as a line instead, its periods named every few points. Hovering a column or a point
tells its period and value (an SVG <title>). The SVG keeps its own pixel size, so its text stays at
12–13 px; on a narrow screen it scrolls inside its box instead of shrinking.

On the page the site's stylesheet draws each part by its class; a chart drawn `standalone` (the SVG
download) carries the same look as presentation attributes (LOOK), with no style sheet or <style>,
which the Content Security Policy would refuse.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, mark_safe

from .dates import Precision
from .models import format_amount


def format_html_join(separator, template, rows):
    """django.utils.html.format_html_join, but numbers go in as they are: a chart writes a dozen of them for
    each of hundreds of points, where escaping each costs more than drawing it."""
    return mark_safe(
        separator.join(
            template.format(
                *(value if isinstance(value, int | float | SafeData) else escape(value) for value in values)
            )
            for values in rows
        )
    )


PLOT_HEIGHT = 180
TOP = 34  # room for the amount written above the tallest column
BASE = TOP + PLOT_HEIGHT  # the axis line, at amount 0
AXIS_LABEL_HEIGHT = 40  # two lines of period label under the columns
MIN_PITCH = 56
CHARACTER_WIDTH = 7  # of a 12–13 px label, for fitting labels to their columns
PARTIAL_GAP = 28
TICKS = 4

# Up to two years of monthly figures (or 24 years of yearly ones) stay columns, each named under it: at
# 56 px or more a column, 24 of them still fit about one and a half screens of a desktop, and each value is
# written above its column. Longer, columns become a strip to scroll sideways, each named "as of …", and a
# line shows the series' course at a glance.
LONG_SERIES = 24
LINE_PLOT_WIDTH = 840  # about the page's width, less the axis's amounts
MIN_POINT_STEP = 4  # px between points: a longer series makes a wider chart, which scrolls
LINE_AXIS_LABEL_HEIGHT = 28  # one line of period label under the line
LABEL_SPACE = 16  # px at least between two labels of the axis
POINT_RADIUS = 3
# Labels stand every n points, n among these: a monthly series is named at the same month every
# quarter, half-year, year or several years.
LABEL_INTERVALS = (1, 2, 3, 4, 6, 12, 24, 36, 60, 120)

DOCUMENT_MARGIN = 16
CAPTION_HEIGHT = 24

# The stylesheet's chart rules (static/css/site.css) as presentation attributes, for a chart read without it.
INK, MUTED, LINE, BAR, BAR_LIGHT = "#1c2430", "#4f5b6b", "#d5dbe3", "#2f6db3", "#8fb3dc"
LOOK = {
    "chart-label": {"font-size": "12", "fill": INK},
    "chart-value": {"font-size": "12", "font-weight": "700", "fill": INK},
    "chart-axis": {"font-size": "12", "fill": MUTED},
    "chart-tick-line": {"stroke": LINE},
    "chart-tick-mark": {"stroke": INK},
    "chart-baseline": {"stroke": INK},
    "chart-separator": {"stroke": INK, "stroke-dasharray": "4 3"},
    "chart-bar": {"fill": BAR},
    "chart-bar--approximate": {"fill": BAR_LIGHT},
    "chart-bar--partial": {"fill-opacity": "0.55", "stroke": BAR, "stroke-dasharray": "3 2"},
    "chart-line": {"fill": "none", "stroke": BAR, "stroke-width": "2", "pointer-events": "none"},
    "chart-line--partial": {"stroke-dasharray": "6 4"},
    "chart-dot": {"fill": BAR},
    "chart-dot--approximate": {"fill": "#fff", "stroke": BAR, "stroke-width": "1.5"},
    "chart-target": {"stroke": INK, "stroke-width": "1.5", "stroke-dasharray": "6 4"},
    "chart-target-label": {
        "font-size": "12",
        "font-weight": "700",
        "fill": INK,
        "paint-order": "stroke",
        "stroke": "#fff",
        "stroke-width": "3",
    },
}


def nice_step(largest):
    """A round step (1, 2 or 5 times a power of ten) dividing the axis into about TICKS parts."""
    rough = float(largest) / TICKS
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if rough <= multiple * power:
            return Decimal(multiple * power)
    return Decimal(10 * power)


def as_of_label(figure):
    """The date of an as-of figure or a running total, short: 'Feb 2019'; '2019' for one as of a year (its end is
    31 December, which is not the date the source gave)."""
    if figure.period_kind == figure.PeriodKind.AS_OF and figure.as_of_precision() == Precision.YEAR:
        return str(figure.period_start.year)
    return f"{figure.period_end:%b} {figure.period_end.year}"


def period_label(figure):
    """The period under its column, in at most two short lines."""
    if figure.period_kind == figure.PeriodKind.MONTHS:
        start, end = figure.period_start, figure.period_end
        return (f"{start:%b}–{end:%b}", str(end.year))
    if figure.period_kind in (figure.PeriodKind.SINCE, figure.PeriodKind.AS_OF):
        first = f"since {figure.period_start.year}" if figure.period_kind == figure.PeriodKind.SINCE else "as of"
        return (first, as_of_label(figure))
    if figure.period_kind == figure.PeriodKind.ACADEMIC_YEAR:
        return (f"{figure.period_start.year}–{figure.period_end.year % 100:02d}", "academic")
    return (figure.period_display(), "")


def target_label(target):
    """'target $10 billion by 2030 (set 2022)'."""
    horizon = (
        target.period_display()
        and f" by {target.period_display()}"
        or (f" {target.horizon_wording}" if target.horizon_wording else "")
    )
    set_in = f" (set {target.stated_on.year})" if target.stated_on else ""
    return f"target {format_amount(target.value, target.unit)}{horizon}{set_in}"


def series_chart(title, figures, targets=(), standalone=False):
    """The chart of one series: columns, or a line for a long series (draws_line); '' when there is no
    figure. `standalone`: each part carries its look as presentation attributes (LOOK), for a file read
    without the site's stylesheet."""
    drawn = draw_series(title, figures, targets, standalone)
    return drawn.svg if drawn else ""


def draws_line(figures):
    """Whether a series is long enough to read as a line (LONG_SERIES)."""
    return len(figures) > LONG_SERIES


def ordered_series(figures):
    """(full, partial): full periods in order, then partial ones (part of a year, a running total)."""
    full = sorted((f for f in figures if not f.is_partial_period), key=lambda f: (f.period_end, f.period_start))
    partial = sorted((f for f in figures if f.is_partial_period), key=lambda f: (f.period_end, f.period_start))
    return full, partial


@dataclass
class Drawn:
    """A chart drawn: its <svg> element and its size in pixels."""

    svg: str
    width: int
    height: int


class ValueAxis:
    """The axis of amounts, from 0 to a round value above the largest figure or target, in one unit."""

    def __init__(self, statements, unit):
        largest = max(statement.value for statement in statements)
        self.step = nice_step(largest or 1)
        self.top = self.step * math.ceil(largest / self.step or 1)
        self.values = [self.step * n for n in range(int(self.top / self.step) + 1)]
        self.labels = [format_amount(value, unit) for value in self.values]
        # The axis's amounts stand left of the plot.
        self.gutter = max(len(text) for text in self.labels) * CHARACTER_WIDTH + 8

    def y_of(self, value):
        return BASE - round(float(value / self.top) * PLOT_HEIGHT)

    def ticks(self, width, look):
        return format_html_join(
            "\n",
            '<g class="chart-tick"><line{0} x1="0" x2="{1}" y1="{2}" y2="{2}"></line>'
            '<text class="chart-axis"{3} x="0" y="{4}">{5}</text></g>',
            (
                (look("chart-tick-line"), width, self.y_of(value), look("chart-axis"), self.y_of(value) - 4, text)
                for value, text in zip(self.values, self.labels, strict=True)
            ),
        )


def looks(standalone):
    """The presentation attributes of a part named by its classes: none on the page, whose stylesheet
    draws it; LOOK's in a standalone file."""

    def look(classes):
        if not standalone:
            return ""
        attributes = {}
        for name in classes.split():
            attributes.update(LOOK.get(name, {}))
        return flatatt(attributes)

    return look


def on_time_axis(figures):
    """The observed figures a time axis may place: those of a stated period. A rank, a duration (statements in
    words, not amounts) or a figure whose source gave no period has no place on it, whatever a caller passes."""
    return [
        figure
        for figure in figures
        if figure.kind == figure.Kind.FIGURE
        and figure.period_kind != figure.PeriodKind.UNSTATED
        and figure.period_end is not None
    ]


def draw_series(title, figures, targets=(), standalone=False):
    figures = on_time_axis(figures)
    # A target is a line across the axis of amounts, with or without a horizon year.
    targets = [target for target in targets if target.kind == target.Kind.TARGET]
    if not figures:
        return None
    full, partial = ordered_series(figures)
    axis = ValueAxis([*full, *partial, *targets], (full + partial)[0].unit)
    draw = line_chart if draws_line(figures) else column_chart
    return draw(title, full, partial, targets, axis, looks(standalone))


def column_chart(title, full, partial, targets, axis, look):
    """Columns of one series, full periods in order, then partial periods apart, and each target as a
    dashed line across them."""
    ordered = full + partial
    unit = ordered[0].unit
    amounts = [format_amount(figure.value, unit) for figure in ordered]
    labels = [period_label(figure) for figure in ordered]
    longest = max(len(text) for text in [*amounts, *(line for label in labels for line in label)])
    pitch = max(MIN_PITCH, longest * CHARACTER_WIDTH + 10)
    column = pitch - 14
    gutter = axis.gutter
    plot_end = gutter + pitch * len(ordered) + (PARTIAL_GAP if full and partial else 0)
    width = max(plot_end, gutter + target_labels_width(targets) + 8) + 8
    height = TOP + PLOT_HEIGHT + AXIS_LABEL_HEIGHT
    y_of = axis.y_of

    columns = []
    for index, (figure, amount, label) in enumerate(zip(ordered, amounts, labels, strict=True)):
        left = gutter + index * pitch + (PARTIAL_GAP if figure.is_partial_period and full else 0)
        y = y_of(figure.value)
        classes = ["chart-bar"]
        if figure.qualifier != figure.Qualifier.EXACT:
            classes.append("chart-bar--approximate")
        if figure.is_partial_period:
            classes.append("chart-bar--partial")
        columns.append(
            (
                left,
                y,
                column,
                max(BASE - y, 1),
                " ".join(classes),
                left + column / 2,
                y - 5,
                amount,
                BASE + 16,
                label[0],
                BASE + 32,
                label[1],
                point_title(figure),
                look(" ".join(classes)),
                look("chart-value"),
                look("chart-label"),
            )
        )
    bars = format_html_join(
        "\n",
        '<g><rect class="{4}"{13} x="{0}" y="{1}" width="{2}" height="{3}"><title>{12}</title></rect>'
        '<text class="chart-value"{14} x="{5}" y="{6}" text-anchor="middle">{7}</text>'
        '<text class="chart-label"{15} x="{5}" y="{8}" text-anchor="middle">{9}</text>'
        '<text class="chart-label"{15} x="{5}" y="{10}" text-anchor="middle">{11}</text></g>',
        columns,
    )
    separator = ""
    if full and partial:
        separator = partial_separator(gutter + len(full) * pitch + PARTIAL_GAP // 2 - 7, look)
    description = (
        f"{len(full)} full period{'s' if len(full) != 1 else ''} in order"
        + (f", then {len(partial)} partial" if partial else "")
        + targets_description(targets)
        + f"; amounts in {unit}; the same figures are listed in the table below."
    )
    body = format_html("{}{}{}", separator, bars, target_lines(targets, axis, width, look))
    return svg_element(title, description, width, height, axis, body, look)


def line_chart(title, full, partial, targets, axis, look):
    """A long series as a line through its figures in period order (full periods, then partial ones as a
    dashed line apart), a period label every few points so labels never overlap, and each figure's value
    on hover over its point."""
    ordered = full + partial
    unit = ordered[0].unit
    gutter = axis.gutter
    gap = PARTIAL_GAP if full and partial else 0
    plot_width = max(LINE_PLOT_WIDTH, len(ordered) * MIN_POINT_STEP)
    step = (plot_width - gap) / len(ordered)
    labels = [short_period_label(figure) for figure in ordered]
    label_width = max(len(label) for label in labels) * CHARACTER_WIDTH + LABEL_SPACE
    every = label_interval(label_width / step)
    width = round(max(gutter + plot_width + label_width / 2, gutter + target_labels_width(targets) + 8) + 8)
    height = TOP + PLOT_HEIGHT + LINE_AXIS_LABEL_HEIGHT
    y_of = axis.y_of

    def x_of(index):
        return round(gutter + step * (index + 0.5) + (gap if index >= len(full) else 0), 1)

    points = [(x_of(index), y_of(figure.value)) for index, figure in enumerate(ordered)]
    # Two lines when a series has both kinds of period: a running total is not the next year's figure.
    groups = [(full, points[: len(full)], "chart-line"), (partial, points[len(full) :], "chart-line")]
    if full and partial:
        groups[1] = (partial, points[len(full) :], "chart-line chart-line--partial")
    lines = format_html_join(
        "\n",
        '<polyline class="{0}"{1} points="{2}"></polyline>',
        ((classes, look(classes), " ".join(f"{x},{y}" for x, y in shown)) for group, shown, classes in groups if group),
    )
    half = round(step / 2, 1)
    # Points close together would merge into a thick line: each is then a bead on it, but an approximate
    # figure keeps its full hollow dot, the mark readers look for.
    exact_radius = round(min(POINT_RADIUS, step / 3), 1)
    dots = []
    for figure, (x, y) in zip(ordered, points, strict=True):
        exact = figure.qualifier == figure.Qualifier.EXACT
        classes = "chart-dot" if exact else "chart-dot chart-dot--approximate"
        radius = exact_radius if exact else POINT_RADIUS
        dots.append(
            (point_title(figure), round(x - half, 1), TOP, round(step, 1), PLOT_HEIGHT, classes, look(classes), x, y)
            + (radius,)
        )
    marks = format_html_join(
        "\n",
        '<g class="chart-point"><title>{0}</title>'
        '<rect class="chart-hit" x="{1}" y="{2}" width="{3}" height="{4}" fill="#fff" fill-opacity="0"></rect>'
        '<circle class="{5}"{6} cx="{7}" cy="{8}" r="{9}"></circle></g>',
        dots,
    )
    # The axis's labels: one every `every` points, each under a tick.
    axis_labels = format_html_join(
        "\n",
        '<g><line class="chart-tick-mark"{0} x1="{1}" x2="{1}" y1="{2}" y2="{3}"></line>'
        '<text class="chart-label"{4} x="{1}" y="{5}" text-anchor="middle">{6}</text></g>',
        (
            (look("chart-tick-mark"), points[index][0], BASE, BASE + 4, look("chart-label"), BASE + 18, labels[index])
            for index in range(0, len(ordered), every)
        ),
    )
    as_of = ""
    if all(figure.period_kind == figure.PeriodKind.AS_OF for figure in ordered):
        # 'Jan 1998' under the axis is a figure as of that month.
        as_of = format_html('<text class="chart-axis"{} x="0" y="{}">as of</text>', look("chart-axis"), BASE + 18)
    # The latest figure of each line is written beside its last point.
    latest = format_html_join(
        "\n",
        '<text class="chart-value"{0} x="{1}" y="{2}" text-anchor="end">{3}</text>',
        (
            (look("chart-value"), shown[-1][0], shown[-1][1] - 8, format_amount(group[-1].value, unit))
            for group, shown, _ in groups
            if group
        ),
    )
    separator = partial_separator(round(gutter + step * len(full) + gap / 2 - 7), look) if gap else ""
    description = (
        f"A line through {len(ordered)} figures in period order"
        + (f", {len(full)} full periods then {len(partial)} partial ones as a dashed line" if gap else "")
        + f", a period named every {every} point{'s' if every != 1 else ''}"
        + targets_description(targets)
        + f"; amounts in {unit}; each figure's value shows over its point, and the same figures are listed "
        "in the table below."
    )
    body = format_html(
        "{}{}{}{}{}{}{}", separator, as_of, axis_labels, lines, target_lines(targets, axis, width, look), marks, latest
    )
    return svg_element(title, description, width, height, axis, body, look)


def label_interval(points_per_label):
    """How many points apart the axis's labels stand: the smallest of LABEL_INTERVALS leaving each label
    its room, so a monthly series is labelled at the same month each year."""
    needed = math.ceil(points_per_label)
    return next((every for every in LABEL_INTERVALS if every >= needed), needed)


def short_period_label(figure):
    """A point's period in one short line under a line chart: 'Jan 1998', '2024', 'Jan–May 2025'."""
    if figure.period_kind in (figure.PeriodKind.SINCE, figure.PeriodKind.AS_OF):
        return as_of_label(figure)
    return " ".join(line for line in period_label(figure) if line)


def point_title(figure):
    """What hovering a column or a point tells: 'as of 1 January 1998: $5 billion'."""
    return f"{figure.period_display()}: {figure.value_display()}"


def target_labels_width(targets):
    """The chart is at least as wide as the longest target's label."""
    return max((len(target_label(target)) for target in targets), default=0) * CHARACTER_WIDTH


def targets_description(targets):
    if not targets:
        return ""
    return f", and {len(targets)} target{'s' if len(targets) != 1 else ''} as dashed lines"


def target_lines(targets, axis, width, look):
    """Each target as a dashed line across the plot; its label stands just above the line, at the start
    of the plot, so it is seen without scrolling a long chart."""
    return format_html_join(
        "\n",
        '<g><line class="chart-target"{6} x1="{0}" x2="{1}" y1="{2}" y2="{2}"></line>'
        '<text class="chart-target-label"{7} x="{3}" y="{4}">{5}</text></g>',
        (
            (
                axis.gutter,
                width - 8,
                axis.y_of(target.value),
                axis.gutter + 4,
                axis.y_of(target.value) - 5,
                target_label(target),
                look("chart-target"),
                look("chart-target-label"),
            )
            for target in targets
        ),
    )


def partial_separator(x, look):
    return format_html(
        '<line class="chart-separator"{5} x1="{0}" x2="{0}" y1="{1}" y2="{2}"></line>'
        '<text class="chart-axis"{6} x="{3}" y="{4}">partial</text>',
        x,
        TOP - 8,
        BASE,
        x + 6,
        TOP - 22,
        look("chart-separator"),
        look("chart-axis"),
    )


def svg_element(title, description, width, height, axis, body, look):
    svg = format_html(
        '<svg class="chart" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" '
        'xmlns="http://www.w3.org/2000/svg"><title>{2}</title><desc>{3}</desc>'
        '{4}<line class="chart-baseline"{7} x1="0" x2="{0}" y1="{5}" y2="{5}"></line>{6}</svg>',
        width,
        height,
        title,
        description,
        axis.ticks(width, look),
        BASE,
        body,
        look("chart-baseline"),
    )
    return Drawn(svg, width, height)


def svg_document(title, charts, note=""):
    """A standalone SVG file of charts, each (caption, Drawn) drawn standalone, stacked under their
    captions, on white, with a note (where the figures and their sources are) at the foot."""
    ink, muted = LOOK["chart-label"]["fill"], LOOK["chart-axis"]["fill"]
    width = max([drawn.width for _, drawn in charts] + [len(note) * CHARACTER_WIDTH, 320]) + 2 * DOCUMENT_MARGIN
    parts, y = [], DOCUMENT_MARGIN
    for caption, drawn in charts:
        parts.append(
            format_html(
                '<text x="{0}" y="{1}" font-size="14" font-weight="700" fill="{2}">{3}</text>'
                '<g transform="translate({0} {4})">{5}</g>',
                DOCUMENT_MARGIN,
                y + 14,
                ink,
                caption,
                y + CAPTION_HEIGHT,
                drawn.svg,
            )
        )
        y += CAPTION_HEIGHT + drawn.height + DOCUMENT_MARGIN
    if note:
        parts.append(
            format_html('<text x="{}" y="{}" font-size="12" fill="{}">{}</text>', DOCUMENT_MARGIN, y + 4, muted, note)
        )
        y += 20
    height = y + DOCUMENT_MARGIN
    return format_html(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{0}" height="{1}" viewBox="0 0 {0} {1}" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif">'
        '<title>{2}</title><rect width="{0}" height="{1}" fill="#fff"></rect>{3}</svg>\n',
        width,
        height,
        title,
        format_html_join("\n", "{}", ((part,) for part in parts)),
    )
