"""Figures out of template sentences (kb.contrib.docx.figures)."""

from __future__ import annotations

import pytest

from kb.contrib.docx.figures import find_figures

FIGS = [
    {"key": "research_topics", "label": "领导班子领题调研课题", "unit": "个"},
    {"key": "field_visits", "label": "到基层走访", "unit": "次"},
    {"key": "problems_solved", "label": "解决实际问题", "unit": "个"},
    {"key": "petitions_resolved", "label": "解决信访问题", "unit": "件"},
    {"key": "suggestions", "label": "征集意见建议", "unit": "条"},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("领导班子领题调研8个课题，到基层走访累计46次", {"research_topics": 8, "field_visits": 46}),
        ("班子成员领题调研１２个课题", {"research_topics": 12}),
        ("共征集意见建议236条，解决实际问题87个", {"suggestions": 236, "problems_solved": 87}),
        ("解决信访问题23件", {"petitions_resolved": 23}),
        ("开展专题研讨12次，抽查预算单位32家", {}),  # numbers that are not declared figures
        ("解决信访问题5个", {}),  # unit of measure differs
        ("收集问题41个", {}),
    ],
)
def test_find_figures(text, expected):
    assert find_figures([text], FIGS)[0] == expected
