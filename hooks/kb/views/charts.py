"""Inline SVG charts drawn at build time: no script, no external request, readable in print.

Every label is HTML-escaped here; the caller embeds the returned markup as is. Each
chart carries ``role="img"``, an ``aria-label`` and a ``<title>``, and its data in words as
its accessible description (``<desc>``: every bar, dot and median, exact); every bar and dot
has a ``data-value`` attribute with the number it draws (tests read them back). Text drawn on
a coloured bar is white or black, whichever reaches WCAG AA contrast on that colour.

Numbers: a report's figure is at most 10,000,000 (the schema) and a group total a few
thousand times that; drawn labels shorten large numbers with 万 / 亿 / 万亿 so they fit,
tooltips and ``data-value`` keep them exact. Positions are ratios of integers, computed
without converting large integers to float, so any integer the YAML loader can read
(under 10**121, ``kb.data.yamlsafe.MAX_NUMBER_CHARS``) draws inside the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
WIDTH = 420
LABEL_W = 96
VALUE_W = 56
ROW_H = 24
BAR_H = 14
TOP = 8
AXIS_H = 22
BAR_COLOUR = "#c62828"
DOT_COLOUR = "#1565c0"
TEXT_COLOUR = "#212121"
GRID_COLOUR = "#bdbdbd"
JITTER = (0, -4, 4, -2, 2, -6, 6)


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    """Exact: integers as written, other values with one decimal."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


ZH_MAGNITUDES = ((10**12, "万亿"), (10**8, "亿"), (10**4, "万"))


def short_number(value: float) -> str:
    """A drawn label: exact below 100,000, else at most one decimal of 万 / 亿 / 万亿
    (10,000,000 → 1000万, 123,456 → 12.3万, 99,999,999 → 1亿); from 10**16 on, far beyond
    any accepted figure, in scientific notation (1.2e+20)."""
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size < 100_000:
        return _num(value)
    if size >= 10**16:
        exponent = math.floor(math.log10(size))  # log10 takes any int
        mantissa = _ratio(size, 10**exponent)
        return f"{sign}{mantissa:.1f}e+{exponent}"
    for unit, name in ZH_MAGNITUDES:
        shown = round(_ratio(size, unit), 1)
        if shown >= 1:
            return f"{sign}{shown:.1f}".removesuffix(".0") + name
    return _num(value)  # pragma: no cover - 100,000 is at least 1万


def text_width(text: str, size: float = 12) -> float:
    """A generous estimate of a label's drawn width: CJK one em, other characters 0.62 em."""
    return sum(size if "\u3000" <= ch <= "\u9fff" else 0.62 * size for ch in text)


def _ratio(value: float, whole: float) -> float:
    """``value / whole`` without converting large integers to float first (int / int is
    exact in Python); 0 when ``whole`` is 0."""
    return value / whole if whole else 0.0


def nice_step(span: float, ticks: int = 4) -> int:
    """A 1/2/5 × 10^k step that divides ``span`` into at most ``ticks`` intervals (at least 1)."""
    if not span > 0:
        return 1
    exp = 10 ** max(0, math.floor(math.log10(span) - math.log10(ticks)))  # log10 takes any int
    for mult in (1, 2, 5, 10, 20):
        if mult * exp * ticks >= span:
            return mult * exp
    return 50 * exp  # pragma: no cover - 20 × exp × ticks always reaches span


def _svg(height: int, label: str, body: list[str], description: str) -> str:
    return (
        f'<svg class="kb-chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{_e(label)}" '
        f'font-family="{FONT}" font-size="12" fill="{TEXT_COLOUR}">'
        f"<title>{_e(label)}</title><desc>{_e(description)}</desc>" + "".join(body) + "</svg>"
    )


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rgb`` or ``#rrggbb``."""
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    channels = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """White text on a dark bar, black on a light one (the one with more contrast)."""
    return "#fff" if contrast("#fff", fill) >= contrast("#000", fill) else "#000"


def _amount(value: float | None, unit: str) -> str:
    return "未填写" if value is None else f"{_num(value)}{unit}"


def _label(y: float, text: str) -> str:
    return (f'<text x="{LABEL_W - 6}" y="{y:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{_e(text)}</text>')


def bar_chart(label: str, bars: list[tuple[str, int | None]], unit: str = "") -> str:
    """Horizontal bars, one per row, the value written after the bar (— when missing)."""
    top = max((v for _, v in bars if v is not None), default=0)
    span = WIDTH - LABEL_W - VALUE_W
    height = TOP * 2 + ROW_H * len(bars)
    body: list[str] = []
    for i, (name, value) in enumerate(bars):
        mid = TOP + ROW_H * i + ROW_H / 2
        body.append(_label(mid, name))
        length = span * _ratio(value or 0, top)
        if value is not None:
            body.append(
                f'<rect class="kb-chart__bar" x="{LABEL_W}" y="{mid - BAR_H / 2:.1f}" '
                f'width="{length:.1f}" height="{BAR_H}" fill="{BAR_COLOUR}" '
                f'data-value="{value}"><title>{_e(name)}：{value}{_e(unit)}</title></rect>'
            )
        text = "—" if value is None else f"{short_number(value)}{unit}"
        body.append(_value_label(LABEL_W + length, mid, text))
    body.append(f'<line x1="{LABEL_W}" y1="{TOP}" x2="{LABEL_W}" y2="{height - TOP}" '
                f'stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    return _svg(height, label, body, "；".join(f"{name} {_amount(value, unit)}" for name, value in bars))


def _value_label(bar_end: float, y: float, text: str) -> str:
    """A bar's value after its end, or inside it (white, right-aligned) when it would not fit."""
    if bar_end + 4 + text_width(text) <= WIDTH or bar_end - LABEL_W < text_width(text) + 8:
        return (f'<text class="kb-chart__value" x="{bar_end + 4:.1f}" y="{y:.1f}" '
                f'dominant-baseline="middle">{_e(text)}</text>')
    return (f'<text class="kb-chart__value" x="{bar_end - 4:.1f}" y="{y:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{text_on(BAR_COLOUR)}">{_e(text)}</text>')


def _axis(top_value: float, y: float, span: float) -> tuple[list[str], int]:
    step = nice_step(top_value)
    count = max(1, -(-math.ceil(top_value) // step))  # intervals: ceil(top / step), in integers
    last = step * count
    parts = []
    for k in range(count + 1):
        x = LABEL_W + span * k / count
        label = short_number(k * step)
        centre = min(x, WIDTH - text_width(label, 10) / 2 - 1)  # the last label stays inside
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID_COLOUR}" stroke-width="0.5"/>')
        parts.append(f'<text x="{centre:.1f}" y="{y + 14:.1f}" text-anchor="middle" '
                     f'font-size="10">{label}</text>')
    return parts, last


def strip_chart(label: str, rows: list[tuple[str, list[tuple[str, int]], float | None]],
                unit: str = "") -> str:
    """Per-unit distribution: one row per group, a dot per unit, a bar at the group median."""
    values = [v for _, points, _ in rows for _, v in points]
    span = WIDTH - LABEL_W - 16
    plot_h = ROW_H * len(rows)
    height = TOP + plot_h + AXIS_H
    axis, last = _axis(max(values, default=0), TOP + plot_h, span)
    body = list(axis)
    most = max((len(points) for _, points, _ in rows), default=0)
    # Many units: smaller, fainter dots, so that density and the median stay visible.
    radius = 3.5 if most <= 60 else 2.5
    opacity = max(0.12, min(0.55, 20 / most)) if most else 0.55
    for i, (name, points, mid_value) in enumerate(rows):
        mid = TOP + ROW_H * i + ROW_H / 2
        body.append(_label(mid, name))
        for j, (unit_name, value) in enumerate(points):
            x = LABEL_W + span * _ratio(value, last)
            y = mid + JITTER[j % len(JITTER)]
            body.append(
                f'<circle class="kb-chart__dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
                f'fill="{DOT_COLOUR}" fill-opacity="{opacity:.2f}" stroke="{DOT_COLOUR}" '
                f'stroke-opacity="{min(1.0, opacity * 1.5):.2f}" stroke-width="0.8" '
                f'data-value="{value}"><title>{_e(unit_name)}：{value}{_e(unit)}</title></circle>'
            )
        if mid_value is not None:
            x = LABEL_W + span * _ratio(mid_value, last)
            body.append(f'<line x1="{x:.1f}" y1="{mid - 10:.1f}" x2="{x:.1f}" y2="{mid + 10:.1f}" '
                        f'stroke="#fff" stroke-width="5"/>')
            body.append(
                f'<line class="kb-chart__median" x1="{x:.1f}" y1="{mid - 10:.1f}" x2="{x:.1f}" '
                f'y2="{mid + 10:.1f}" stroke="{TEXT_COLOUR}" stroke-width="2.5" '
                f'data-value="{_num(mid_value)}"><title>{_e(name)}中位数：{_num(mid_value)}'
                f'{_e(unit)}</title></line>'
            )
    body.append(f'<line x1="{LABEL_W}" y1="{TOP + plot_h}" x2="{WIDTH - 16}" '
                f'y2="{TOP + plot_h}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    return _svg(height, label, body, _strip_description(rows, unit))


def _strip_description(rows: list[tuple[str, list[tuple[str, int]], float | None]], unit: str) -> str:
    """Per group: its median, then every unit's value (the dots in words)."""
    parts = []
    for name, points, mid_value in rows:
        median = "" if mid_value is None else f"（中位数 {_num(mid_value)}{unit}）"
        units = "、".join(f"{unit_name} {_num(value)}{unit}" for unit_name, value in points) or "无数据"
        parts.append(f"{name}{median}：{units}")
    return "；".join(parts)


def stacked_chart(label: str, rows: list[tuple[str, list[int]]], series: list[Series]) -> str:
    """Stacked horizontal bars (e.g. on time / late / missing per group) with a legend."""
    top = max((sum(values) for _, values in rows), default=0) or 1
    span = WIDTH - LABEL_W - VALUE_W
    legend_h = 20
    height = TOP * 2 + ROW_H * len(rows) + legend_h
    body: list[str] = []
    for i, (name, values) in enumerate(rows):
        mid = TOP + ROW_H * i + ROW_H / 2
        body.append(_label(mid, name))
        x = float(LABEL_W)
        for s, value in zip(series, values, strict=True):
            w = span * _ratio(value, top)
            if value:
                body.append(
                    f'<rect class="kb-chart__seg" x="{x:.1f}" y="{mid - BAR_H / 2 - 1:.1f}" '
                    f'width="{w:.1f}" height="{BAR_H + 2}" fill="{s.colour}" data-value="{value}" '
                    f'data-series="{_e(s.label)}"><title>{_e(name)} {_e(s.label)}：{value}</title></rect>'
                )
                if w >= 14:
                    body.append(f'<text x="{x + w / 2:.1f}" y="{mid:.1f}" text-anchor="middle" '
                                f'dominant-baseline="middle" fill="{text_on(s.colour)}" '
                                f'font-size="11">{short_number(value)}</text>')
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{mid:.1f}" dominant-baseline="middle">'
                    f'{short_number(sum(values))}</text>')
    y = TOP + ROW_H * len(rows) + 10
    x = float(LABEL_W)
    for s in series:
        body.append(f'<rect x="{x:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{s.colour}"/>')
        body.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" dominant-baseline="middle" '
                    f'font-size="11">{_e(s.label)}</text>')
        x += 28 + 12 * len(s.label)
    description = "；".join(
        f"{name}：" + "、".join(f"{s.label} {value}" for s, value in zip(series, values, strict=True))
        for name, values in rows)
    return _svg(height, label, body, description)
