"""Problem records and their text, GitHub and GitLab renderings."""

from __future__ import annotations

import json

import pytest

from kb.problems import (
    ERROR,
    WARNING,
    Problem,
    format_github,
    format_problems,
    format_text,
    gitlab_record,
    has_errors,
    sort_problems,
    summary,
)

TYPE = Problem(
    "data/reports/c1/u-a.yml", 12, 5, "“状态”的类型不对", "ledger[0].status", ERROR, "文本", "逻辑值 true", "schema-type"
)
FILE = Problem("data/reports/c1/U-A.yml", 0, 0, "文件名含有大写字母", rule="file-name")
WARN = Problem("data/units.yml", 1, 1, "第一行缺少 $schema 声明", level=WARNING, rule="modeline")


def test_full_message_appends_expected_and_found() -> None:
    assert TYPE.full_message() == "“状态”的类型不对（应为：文本；实际：逻辑值 true）"
    assert FILE.full_message() == "文件名含有大写字母"
    assert Problem("f", 1, 1, "m", found="x").full_message() == "m（实际：x）"


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (TYPE, "data/reports/c1/u-a.yml:12:5: 错误 [ledger[0].status] “状态”的类型不对（应为：文本；实际：逻辑值 true）"),
        (FILE, "data/reports/c1/U-A.yml: 错误 文件名含有大写字母"),
        (WARN, "data/units.yml:1:1: 警告 第一行缺少 $schema 声明"),
    ],
)
def test_text_format(problem: Problem, text: str) -> None:
    assert format_text(problem) == text


def test_github_format_and_escaping() -> None:
    assert format_github(TYPE) == (
        "::error file=data/reports/c1/u-a.yml,line=12,col=5,title=数据校验：ledger[0].status::"
        "“状态”的类型不对（应为：文本；实际：逻辑值 true）"
    )
    assert format_github(FILE) == "::error file=data/reports/c1/U-A.yml,title=数据校验::文件名含有大写字母"
    assert format_github(WARN).startswith("::warning file=data/units.yml,line=1,col=1,")
    odd = Problem("a.yml", 2, 0, "100% 完成\n第二行\r")
    assert format_github(odd).endswith("::100%25 完成%0A第二行%0D")
    assert ",col=1," in format_github(odd)


def test_gitlab_format() -> None:
    records = json.loads(format_problems([WARN, TYPE, FILE], "gitlab"))
    assert [r["location"]["path"] for r in records] == [
        "data/reports/c1/U-A.yml", "data/reports/c1/u-a.yml", "data/units.yml",
    ]
    first = records[0]
    assert first["location"]["lines"]["begin"] == 1  # unknown line → 1
    assert first["severity"] == "major" and records[2]["severity"] == "minor"
    assert records[1]["check_name"] == "schema-type"
    assert records[1]["description"].startswith("ledger[0].status: “状态”")
    fingerprints = {r["fingerprint"] for r in records}
    assert len(fingerprints) == 3 and all(len(f) == 40 for f in fingerprints)
    assert gitlab_record(TYPE)["fingerprint"] == gitlab_record(TYPE)["fingerprint"]
    assert gitlab_record(TYPE)["fingerprint"] != gitlab_record(WARN)["fingerprint"]
    assert json.loads(format_problems([], "gitlab")) == []


def test_sorting_deduplicates_and_orders_by_place() -> None:
    later = Problem("data/reports/c1/u-a.yml", 12, 9, "另一个问题")
    assert sort_problems([later, WARN, TYPE, FILE, TYPE]) == [FILE, TYPE, later, WARN]
    assert format_problems([later, TYPE]).splitlines()[0].startswith("data/reports/c1/u-a.yml:12:5:")


def test_summary_and_error_detection() -> None:
    assert summary([TYPE, FILE, WARN]) == "共 2 个错误，1 个警告"
    assert summary([]) == "共 0 个错误，0 个警告"
    assert has_errors([WARN, TYPE]) and not has_errors([WARN])
