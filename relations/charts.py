"""Charts drawn on the server as SVG: no script, no network, readable without colour.

A series is one pair's figures of one indicator, in one direction and unit: columns in period order
on an axis of amounts in that unit, full periods first and partial ones (part of a year, a running
total) set apart after them. The SVG keeps its own pixel size, so its text stays at 12–13 px; on a
narrow screen it scrolls inside its box instead of shrinking.
"""

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join

from .models import format_amount

PLOT_HEIGHT = 180
TOP = 34  # room for the amount written above the tallest column
AXIS_LABEL_HEIGHT = 40  # two lines of period label under the columns
MIN_PITCH = 56
CHARACTER_WIDTH = 7  # of a 12–13 px label, for fitting labels to their columns
PARTIAL_GAP = 28
TICKS = 4


def nice_step(largest):
    """A round step (1, 2 or 5 times a power of ten) dividing the axis into about TICKS parts."""
    rough = float(largest) / TICKS
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if rough <= multiple * power:
            return Decimal(multiple * power)
    return Decimal(10 * power)


def period_label(figure):
    """The period under its column, in at most two short lines."""
    if figure.period_kind == figure.PeriodKind.MONTHS:
        start, end = figure.period_start, figure.period_end
        return (f"{start:%b}–{end:%b}", str(end.year))
    if figure.period_kind in (figure.PeriodKind.SINCE, figure.PeriodKind.AS_OF):
        first = f"since {figure.period_start.year}" if figure.period_kind == figure.PeriodKind.SINCE else "as of"
        return (first, f"{figure.period_end:%b} {figure.period_end.year}")
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


def series_chart(title, figures, targets=()):
    """Columns of one series, full periods in order, then partial periods apart, and each target as a
    dashed line across them; '' when there is no figure."""
    if not figures:
        return ""
    full = sorted((f for f in figures if not f.is_partial_period), key=lambda f: (f.period_end, f.period_start))
    partial = sorted((f for f in figures if f.is_partial_period), key=lambda f: (f.period_end, f.period_start))
    ordered = full + partial
    unit = ordered[0].unit
    amounts = [format_amount(figure.value, unit) for figure in ordered]
    labels = [period_label(figure) for figure in ordered]
    longest = max(len(text) for text in [*amounts, *(line for label in labels for line in label)])
    pitch = max(MIN_PITCH, longest * CHARACTER_WIDTH + 10)
    column = pitch - 14
    largest = max(statement.value for statement in [*ordered, *targets])
    step = nice_step(largest or 1)
    top_tick = step * math.ceil(largest / step or 1)
    tick_values = [step * n for n in range(int(top_tick / step) + 1)]
    tick_labels = [format_amount(value, unit) for value in tick_values]
    # The axis's amounts stand left of the first column.
    gutter = max(len(text) for text in tick_labels) * CHARACTER_WIDTH + 8
    plot_end = gutter + pitch * len(ordered) + (PARTIAL_GAP if full and partial else 0)
    # Each target's label stands just above its line, at the start of the plot, so it is seen
    # without scrolling a long chart; the chart is at least as wide as the longest label.
    target_labels = [target_label(target) for target in targets]
    longest_label = max((len(label) for label in target_labels), default=0) * CHARACTER_WIDTH
    width = max(plot_end, gutter + longest_label + 8) + 8
    height = TOP + PLOT_HEIGHT + AXIS_LABEL_HEIGHT
    base = TOP + PLOT_HEIGHT

    def y_of(value):
        return base - round(float(value / top_tick) * PLOT_HEIGHT)

    ticks = format_html_join(
        "\n",
        '<g class="chart-tick"><line x1="0" x2="{0}" y1="{1}" y2="{1}"></line>'
        '<text class="chart-axis" x="0" y="{2}">{3}</text></g>',
        ((width, y_of(value), y_of(value) - 4, text) for value, text in zip(tick_values, tick_labels, strict=True)),
    )
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
                max(base - y, 1),
                " ".join(classes),
                left + column / 2,
                y - 5,
                amount,
                base + 16,
                label[0],
                base + 32,
                label[1],
                f"{figure.period_display()}: {figure.value_display()}",
            )
        )
    bars = format_html_join(
        "\n",
        '<g><rect class="{4}" x="{0}" y="{1}" width="{2}" height="{3}"><title>{12}</title></rect>'
        '<text class="chart-value" x="{5}" y="{6}" text-anchor="middle">{7}</text>'
        '<text class="chart-label" x="{5}" y="{8}" text-anchor="middle">{9}</text>'
        '<text class="chart-label" x="{5}" y="{10}" text-anchor="middle">{11}</text></g>',
        columns,
    )
    separator = ""
    if full and partial:
        x = gutter + len(full) * pitch + PARTIAL_GAP // 2 - 7
        separator = format_html(
            '<line class="chart-separator" x1="{0}" x2="{0}" y1="{1}" y2="{2}"></line>'
            '<text class="chart-axis" x="{3}" y="{4}">partial</text>',
            x,
            TOP - 8,
            base,
            x + 6,
            TOP - 22,
        )
    target_lines = format_html_join(
        "\n",
        '<g><line class="chart-target" x1="{0}" x2="{1}" y1="{2}" y2="{2}"></line>'
        '<text class="chart-target-label" x="{3}" y="{4}">{5}</text></g>',
        (
            (gutter, width - 8, y_of(target.value), gutter + 4, y_of(target.value) - 5, label)
            for target, label in zip(targets, target_labels, strict=True)
        ),
    )
    description = (
        f"{len(full)} full period{'s' if len(full) != 1 else ''} in order"
        + (f", then {len(partial)} partial" if partial else "")
        + (f", and {len(targets)} target{'s' if len(targets) != 1 else ''} as dashed lines" if targets else "")
        + f"; amounts in {unit}; the same figures are listed in the table below."
    )
    return format_html(
        '<svg class="chart" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" '
        'xmlns="http://www.w3.org/2000/svg"><title>{2}</title><desc>{3}</desc>'
        '{4}<line class="chart-baseline" x1="0" x2="{0}" y1="{5}" y2="{5}"></line>{6}{7}{8}</svg>',
        width,
        height,
        title,
        description,
        ticks,
        base,
        separator,
        bars,
        target_lines,
    )
