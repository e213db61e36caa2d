"""Small SVG charts for the reports, made on the server.

Why not a charting library: the reports must work with no JavaScript at run time (the site's
Content Security Policy allows only its own scripts, and the training room may have no
internet), must print through WeasyPrint, which draws SVG but runs no script, and must be read
by screen readers and on black-and-white printers. A few dozen lines of SVG do all of that: the
same markup goes on the page and into the PDF, labels and values are real text, and each chart
carries a ``<title>`` and a ``<desc>`` with its figures. A table with the same figures always
goes beside a chart (``templates/evaluation/includes/chart_figure.html``), so nothing is known
only from a picture.

Every label is escaped here (``format_html``), since cohort and programme names are typed by
people. Bars are GOV.UK blue (5.2:1 on white); in paired charts "before" is a hatched outline
and "after" solid, and every bar is labelled in words, so the charts read in grey print.
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK = "#0b0c0c"
BAR = "#1d70b8"
GRID = "#b1b4b6"
FONT = "Atkinson Hyperlegible, Arial, sans-serif"
FONT_SIZE = 16
SMALL_SIZE = 14
CHAR_WIDTH = 8.4  # a generous average width of a character at FONT_SIZE
BAR_AREA = 280
VALUE_AREA = 64
ROW = 40
BAR_HEIGHT = 22
LABEL_MAX_CHARS = 24
PRINT_SCALE = 0.75  # 16px labels print at 9pt, beside 10pt text


@dataclass(frozen=True)
class Chart:
    """A chart and the table that goes beside it: ``columns`` heads ``rows`` of text."""

    id: str
    title: str
    description: str
    svg: SafeString
    print_svg: SafeString  # the same at PRINT_SCALE, for WeasyPrint (1px = 0.26mm)
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(label: str, width: int = LABEL_MAX_CHARS) -> list[str]:
    """A label in at most two lines of ``width`` characters, broken after a comma if it has
    one (the table beside the chart has the label whole)."""
    if len(label) <= width:
        return [label]
    first, comma, rest = label.rpartition(", ")
    if comma and len(first) < width:
        return [f"{first},", _clip(rest, width)]
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return [_clip(lines[0], width), _clip(" ".join(lines[1:]), width)][: len(lines)]


def _label_width(labels) -> int:
    longest = max((len(line) for label in labels for line in _wrap(label)), default=4)
    return int(longest * CHAR_WIDTH) + 16


def _text(x, y, content, anchor="start", weight=None, size=FONT_SIZE) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}"{}>{}</text>',
        _n(x),
        _n(y),
        anchor,
        size,
        mark_safe(' font-weight="700"') if weight else "",  # noqa: S308 - a constant
        content,
    )


def _label(x, y, label: str) -> SafeString:
    """A right-aligned label in one or two lines, centred on ``y``."""
    lines = _wrap(label)
    first = y + 5 - (len(lines) - 1) * 9
    return format_html_join(
        "", "{}", ((_text(x, first + 18 * i, line, "end"),) for i, line in enumerate(lines))
    )


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svgs(chart_id, title, description, width, height, body, defs=""):
    """The chart for the screen, and the same drawn smaller for print."""
    return (
        _svg(chart_id, title, description, width, height, body, defs),
        _svg(chart_id, title, description, width, height, body, defs, PRINT_SCALE),
    )


def _svg(chart_id, title, description, width, height, body, defs="", scale=1) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        'viewBox="0 0 {w} {h}" width="{sw}" height="{sh}" font-family="{font}" fill="{ink}" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{defs}{body}</svg>",
        w=_n(width),
        h=_n(height),
        sw=_n(width * scale),
        sh=_n(height * scale),
        font=FONT,
        ink=INK,
        id=chart_id,
        title=title,
        desc=description,
        defs=defs,
        body=body,
    )


def _step(low: float, high: float, whole: bool = False, count: int = 5) -> float:
    """A round distance between grid lines, about ``count`` of them from low to high; a
    whole number for counts."""
    raw = (high - low) / (count - 1)
    if whole and raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    return next(m * magnitude for m in steps if m * magnitude >= raw)


def _ticks(low: float, high: float, whole: bool = False) -> list[float]:
    if high <= low:
        return [low]
    step = _step(low, high, whole)
    first = math.ceil(low / step) * step
    ticks, tick = [], first
    while tick <= high + 1e-9:
        ticks.append(round(tick, 6))
        tick += step
    return ticks


def _line(x, top, bottom, colour, width) -> SafeString:
    return format_html(
        '<line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="{c}" stroke-width="{w}"/>',
        x=_n(x),
        t=_n(top),
        b=_n(bottom),
        c=colour,
        w=width,
    )


def _axis(x0, spans, bottom, low, high, formatter, whole=False) -> SafeString:
    """Light grid lines at round values over each ``(top, bottom)`` span of bars, and the
    values written once under the last."""
    parts = []
    for tick in _ticks(low, high, whole):
        x = x0 + (tick - low) / (high - low) * BAR_AREA if high > low else x0
        parts.extend(_line(x, top, end, GRID, 1) for top, end in spans)
        parts.append(_text(x, bottom + 18, formatter(tick), "middle", size=SMALL_SIZE))
    parts.extend(_line(x0, top, end, INK, 1.5) for top, end in spans)
    return mark_safe("".join(parts))  # noqa: S308 - every part made by format_html


def percent(share: float | None) -> str:
    return "no data" if share is None else f"{round(share * 100)}%"


def number(value: float | None, places: int = 1) -> str:
    if value is None:
        return "no data"
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def bar_chart(
    title: str,
    rows: list[tuple[str, float | None]],
    *,
    high: float | None = None,
    formatter=number,
    label_heading: str = "",
    value_heading: str = "Value",
    chart_id: str = "",
    whole: bool = False,
) -> Chart:
    """Horizontal bars, one per ``(label, value)``, from 0 to ``high`` (default: a round
    number above the largest value). ``formatter`` writes a value as text; None is drawn as
    "no data". ``whole``: the values are counts, so grid lines fall on whole numbers."""
    chart_id = chart_id or _slug(title)
    if high is None:  # up to the next round number above the largest value
        largest = max((v for _, v in rows if v is not None), default=0) or 1
        step = _step(0, largest, whole)
        high = math.ceil(largest / step) * step
    label_width = _label_width(label for label, _ in rows)
    top, bottom = 8, 8 + ROW * len(rows)
    width = label_width + BAR_AREA + VALUE_AREA
    body = [_axis(label_width, [(top, bottom)], bottom, 0, high, formatter, whole)]
    for i, (label, value) in enumerate(rows):
        y = top + ROW * i + (ROW - BAR_HEIGHT) / 2
        middle = y + BAR_HEIGHT / 2
        body.append(_label(label_width - 8, middle, label))
        length = 0 if value is None else max(0, min(value, high)) / high * BAR_AREA
        if length:
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(label_width),
                    _n(y),
                    _n(length),
                    BAR_HEIGHT,
                    BAR,
                )
            )
        body.append(_text(label_width + length + 6, middle + 5, formatter(value), weight=True))
    description = "; ".join(f"{label}: {formatter(value)}" for label, value in rows) + "."
    svg, print_svg = _svgs(
        chart_id,
        title,
        description,
        width,
        bottom + 28,
        mark_safe("".join(body)),  # noqa: S308 - every part made by format_html
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        print_svg=print_svg,
        columns=(label_heading, value_heading),
        rows=tuple((label, formatter(value)) for label, value in rows),
    )


def paired_chart(
    title: str,
    rows: list[tuple[str, float | None, float | None]],
    *,
    low: float,
    high: float,
    names: tuple[str, str] = ("Before", "After"),
    formatter=number,
    label_heading: str = "",
    chart_id: str = "",
) -> Chart:
    """Two bars per ``(label, first, second)``, on a scale from ``low`` to ``high``: the first
    hatched, the second solid, each named in words beside it."""
    chart_id = chart_id or _slug(title)
    hatch = f"{chart_id}-hatch"
    label_width = _label_width(names)
    group = 2 * (BAR_HEIGHT + 8) + 30
    top, bottom = 8, 8 + group * len(rows)
    longest = max((len(label) for label, _, _ in rows), default=0) * CHAR_WIDTH
    width = max(label_width + BAR_AREA + VALUE_AREA, longest + 8)
    defs = format_html(
        '<defs><pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2.5"/></pattern></defs>',
        hatch,
        INK,
    )
    bars = 2 * (BAR_HEIGHT + 8)
    spans = [(top + group * i + 22, top + group * i + 26 + bars) for i in range(len(rows))]
    body = [_axis(label_width, spans, bottom, low, high, formatter)]
    span = (high - low) or 1
    for i, (label, first, second) in enumerate(rows):
        group_top = top + group * i
        body.append(_text(0, group_top + 16, label, weight=True))
        for j, (name, value) in enumerate(zip(names, (first, second), strict=True)):
            y = group_top + 26 + j * (BAR_HEIGHT + 8)
            middle = y + BAR_HEIGHT / 2
            body.append(_text(label_width - 8, middle + 5, name, "end"))
            length = 0 if value is None else max(0, min(value, high) - low) / span * BAR_AREA
            if length:
                fill = f"url(#{hatch})" if j == 0 else BAR
                body.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                        'stroke-width="1"/>',
                        _n(label_width),
                        _n(y),
                        _n(length),
                        BAR_HEIGHT,
                        fill,
                        INK if j == 0 else BAR,
                    )
                )
            body.append(_text(label_width + length + 6, middle + 5, formatter(value), weight=True))
    description = (
        "; ".join(
            f"{label}: {names[0].lower()} {formatter(first)}, {names[1].lower()} "
            f"{formatter(second)}"
            for label, first, second in rows
        )
        + f". Scale from {formatter(low)} to {formatter(high)}."
    )
    svg, print_svg = _svgs(
        chart_id,
        title,
        description,
        width,
        bottom + 28,
        mark_safe("".join(body)),  # noqa: S308 - every part made by format_html
        defs,
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        print_svg=print_svg,
        columns=(label_heading, *names),
        rows=tuple((label, formatter(a), formatter(b)) for label, a, b in rows),
    )
