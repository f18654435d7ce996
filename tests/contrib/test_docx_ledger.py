"""Ledger cells of the Word import (kb.contrib.docx.ledger): statuses as units write them."""

from __future__ import annotations

import pytest

from kb.contrib.docx.ledger import normalise_status


@pytest.mark.parametrize(
    ("text", "expected"),
    [("已完成", "已完成"), ("已整改到位", "已完成"), ("完成（2023.11.28）", "已完成"), ("未完成", "推进中"),
     ("正在推进", "推进中"), ("长期坚持", "长期坚持"), ("常态化推进", "长期坚持"), ("未启动", "未开始"),
     ("研究中", None), ("", None)],
)
def test_normalise_status(text, expected):
    assert normalise_status(text) == expected
