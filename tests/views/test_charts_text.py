"""Charts for every reader: each chart's data in words as its accessible description
(``<desc>``), and text drawn on a coloured bar at WCAG AA contrast (4.5:1)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from kb.views import charts
from kb.views.producer import SUBMISSION_SERIES

SERIES = [charts.Series("按时报送", "#2e7d32"), charts.Series("迟报", "#ef6c00"), charts.Series("未报送", "#757575")]
CHARTS = {
    "bar": (lambda: charts.bar_chart("调研课题各指导组合计", [("第一指导组", 12), ("第二指导组", 123_456),
                                                         ("第三指导组", None)], "个"),
            "第一指导组 12个；第二指导组 123456个；第三指导组 未填写"),
    "strip": (lambda: charts.strip_chart("调研课题各单位分布", [("第一指导组", [("市财政局", 3), ("市教育局", 8)], 5.5),
                                                           ("第二指导组", [], None)], "个"),
              "第一指导组（中位数 5.5个）：市财政局 3个、市教育局 8个；第二指导组：无数据"),
    "stacked": (lambda: charts.stacked_chart("各指导组报送情况", [("第一指导组", [5, 1, 0]), ("第二指导组", [4, 0, 2])],
                                             SERIES),
                "第一指导组：按时报送 5、迟报 1、未报送 0；第二指导组：按时报送 4、迟报 0、未报送 2"),
}


def description(svg: str) -> str:
    found = re.search(r"<desc>([^<]*)</desc>", svg)
    assert found, "chart without an accessible description"
    return unescape(found.group(1))


@pytest.mark.parametrize("case", CHARTS.values(), ids=CHARTS.keys())
def test_every_chart_states_its_data_in_words(case) -> None:
    draw, expected = case
    assert description(draw()) == expected


def test_description_is_escaped() -> None:
    svg = charts.bar_chart("甲", [("<script>x</script>", 1)], "<b>")
    assert "<script>" not in svg and "<b>" not in svg
    assert description(svg) == "<script>x</script> 1<b>"


def drawn_text_on_fills(svg: str) -> list[tuple[str, str]]:
    """(text colour, fill of the bar under it) for every number written inside a bar."""
    num = r'"([\d.]+)"'
    boxes = [(float(x), float(y), float(w), float(h), fill) for x, y, w, h, fill in re.findall(
        rf'<rect[^>]* x={num} y={num} width={num} height={num}[^>]* fill="(#[0-9a-f]+)"', svg)]
    pairs = []
    for x, y, colour in re.findall(rf'<text[^>]* x={num} y={num}[^>]* fill="(#[0-9a-f]+)"', svg):
        under = [fill for left, top, w, h, fill in boxes
                 if left <= float(x) <= left + w and top <= float(y) <= top + h]
        if under:
            pairs.append((colour, under[-1]))
    return pairs


@pytest.mark.parametrize("series", [SERIES, SUBMISSION_SERIES], ids=["aa-palette", "dashboard-series"])
def test_numbers_on_bars_reach_aa_contrast(series) -> None:
    drawn = [charts.stacked_chart("报送", [("第一指导组", [40, 40, 40])], series),
             charts.bar_chart("合计", [("甲", 123_456_789), ("乙", 123_456_788)], "人次")]  # value inside the bar
    pairs = [pair for svg in drawn for pair in drawn_text_on_fills(svg)]
    assert len(pairs) == 5, pairs
    low = [(text, fill, round(charts.contrast(text, fill), 2)) for text, fill in pairs
           if charts.contrast(text, fill) < 4.5]
    assert not low, low
