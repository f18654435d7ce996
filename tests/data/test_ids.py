"""Identifiers (kb.data.ids): the Chinese reason an id is refused."""

from __future__ import annotations

import pytest

from kb.data.ids import explain_id


@pytest.mark.parametrize(("value", "reason"), [
    ("a\n::warning file=README.md,line=1::INJECTED", "控制字符"),
    ("../x", "路径字符"),
    ("c:x", "冒号"),
    ("Shi-czj", "大写字母"),
    ("", "为空"),
    ("a" * 65, "太长"),
    ("shi_czj", "只能用小写"),
])
def test_explain_id_names_the_real_reason(value: str, reason: str) -> None:
    assert reason in explain_id(value)
