"""Text checks (kb.data.checks.text) as plain functions; the fixture cases in
tests/fixtures/bad/ cover how they are reported (file:line:column)."""

from __future__ import annotations

import pytest

from kb.data.checks.text import find_placeholders


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("领导班子领题调研X个课题", ["X个"]),
        ("主题教育第X指导组：", ["第X指导组"]),
        ("X党组认真贯彻落实", ["X党组"]),
        ("走访累计X次", ["X次"]),
        ("为XX系统奠定基础", ["XX系统"]),
        ("收集问题x个", ["x个"]),
        ("解决信访问题Ｘ件", ["Ｘ件"]),
        ("问题清单共X。", ["X"]),
        ("X党工委、X局", ["X党工委", "X局"]),
        ("【请填写单位名称】", ["【请填写单位名称】"]),
        ("用Excel表格整理", []),
        ("采购X光机和X射线设备", []),
        ("Windows X 系统", []),
        ("3x3 篮球赛", []),
        ("XML格式", []),
        ("Xi'an 西安", []),
    ],
)
def test_find_placeholders(text: str, expected: list[str]) -> None:
    assert [blank.quote for blank in find_placeholders(text)] == expected
