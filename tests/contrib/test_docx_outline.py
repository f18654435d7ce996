"""The outline of a Word report (kb.contrib.docx.outline): markers of points."""

from __future__ import annotations

import pytest

from kb.contrib.docx.outline import doubled_marker


@pytest.mark.parametrize(
    ("text", "expected"),
    [("二是是还存在问题", "二是是"), ("一是：是还存在", "一是是"), ("三是三是加强学习", "三是三是"),
     ("二是还存在问题", ""), ("一是是否落实到位", ""), ("一是 淬炼政治忠诚", "")],
)
def test_doubled_marker(text, expected):
    assert doubled_marker(text) == expected
