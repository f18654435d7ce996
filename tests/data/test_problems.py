"""Problem records and their text, GitHub and GitLab renderings."""

from __future__ import annotations

import json
import os
import re

import pytest

from kb.data.problems import (
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
    visible,
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


# ---------------------------------------------------------------- hostile file names and messages

# One case per hostile text; each is used as a file name, a field path and a message.
HOSTILE = {
    "newline-command": "data/reports/c1/x\n::warning file=README.md,line=1::INJECTED",
    "carriage-return": "data/x\r::error::forged",
    "crlf-command": "a\r\n::add-mask::secret",
    "literal-percent-escape": "data/100%0A%3A%2C%25.yml",
    "property-separators": "data/a.yml,line=99,title=x::forged",
    "ansi-escape": "data/\x1b[2J\x1b[31mred.yml",
    "unicode-line-breaks": "data/a\u2028b\u2029c\x85d\x0be\x0cf.yml",
    "bidi-override": "data/\u202egpj.yml\u2066\u200f",
    "nul-and-del": "data/a\x00b\x7f.yml",
    "quote-and-backslash": 'data/a"b\\c\'.yml',
    "non-utf8-name": "data/" + os.fsdecode(b"\xb1\xa8\xff.yml"),  # surrogateescape, as os.listdir gives
}
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def hostile(text: str) -> Problem:
    return Problem(text, 3, 4, "说明：" + text, path="figures." + text, found=text)


def runner_parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow-command line as the GitHub runner reads it (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    command, _, props = line[2:end].partition(" ")
    properties = {}
    for item in filter(None, props.strip().split(",")):
        key, sep, value = item.partition("=")
        if key and sep:
            properties[key] = (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
                               .replace("%2C", ",").replace("%25", "%"))
    data = line[end + 2:].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return command, properties, data


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_github_command_cannot_be_forged(text: str) -> None:
    line = format_github(hostile(text))
    assert len(line.splitlines()) == 1 and not LINE_BREAKS.search(line), line
    command, properties, data = runner_parse(line)
    assert command == "error"
    assert set(properties) == {"file", "line", "col", "title"}, properties
    assert (properties["line"], properties["col"]) == ("3", "4")
    assert properties["file"] == visible(text, keep="\r\n")  # CR/LF travel percent-encoded
    assert properties["title"] == "数据校验：figures." + visible(text, keep="\r\n")
    assert data.startswith("说明：" + visible(text, keep="\r\n"))


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_text_line_cannot_be_forged(text: str) -> None:
    line = format_text(hostile(text))
    assert len(line.splitlines()) == 1 and not UNSAFE.search(line), line
    assert line.startswith(visible(text) + ":3:4: 错误 [figures.")
    line.encode("utf-8")  # printable as is


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_gitlab_report_is_valid_json_for_any_name(text: str) -> None:
    out = format_problems([hostile(text), FILE], "gitlab")
    records = json.loads(out.encode("utf-8"))  # encodable: no lone surrogate left
    record = next(r for r in records if r["location"]["path"] != FILE.file)
    assert record["location"]["path"] == text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    assert re.fullmatch("[0-9a-f]{40}", record["fingerprint"])
    assert not UNSAFE.search(record["description"])
    assert len({r["fingerprint"] for r in records}) == 2


def test_hostile_names_keep_distinct_fingerprints() -> None:
    fingerprints = {gitlab_record(hostile(text))["fingerprint"] for text in HOSTILE.values()}
    assert len(fingerprints) == len(HOSTILE)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\tb", "a\\r\\tb"),
        ("\x1b[31m", "\\x1b[31m"),
        ("\x85\x9f\x7f", "\\x85\\x9f\\x7f"),
        ("\u2028\u202e\u2067", "\\u2028\\u202e\\u2067"),
        (os.fsdecode(b"\xff"), "\ufffd"),
        ("报告 100% ok", "报告 100% ok"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
