"""Safe YAML loading: marks, YAML 1.1 resolution, encodings, hostile input, error messages."""

from __future__ import annotations

import datetime
import math
import time
from pathlib import Path

import pytest
import yaml

from kb.data import yamlsafe
from kb.data.yamlsafe import MAX_BYTES, load_yaml, parse_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]

SAMPLE = """\
# yaml-language-server: $schema=../../schema/report.schema.json
unit: u-a
submitted: 2023-09-08
opening: |-
  第一段。

  第二段含有 X个 占位。
highlights:
  sections:
    - title: 坚持以学铸魂
      points:
        - {lead: 淬炼, text: 正文}
figures:
  research_topics: 6
flags: [NO, on, 010010, 12:30:00, 1.10, ~, "NO", '6']
"""


def parse(text: str, pure: bool = False) -> tuple[yamlsafe.SourceDoc | None, list]:
    return parse_text(text, Path("/x.yml"), "x.yml", pure=pure)


def messages(problems: list) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def plain(value):
    """yaml.safe_load's result with timestamps as the text they were written as."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("pure", PARSERS)
def test_marks_of_keys_and_values(pure: bool) -> None:
    doc, problems = parse(SAMPLE, pure)
    assert problems == [] and doc is not None
    assert doc.marks[()] == (1, 1)
    assert doc.marks[("unit",)] == (2, 7)
    assert doc.key_marks[("unit",)] == (2, 1)
    assert doc.marks[("opening",)] == (4, 10)  # the | indicator
    # A block collection under a key points at the key's line.
    assert doc.marks[("highlights",)] == (8, 1)
    assert doc.marks[("highlights", "sections")] == (9, 3)
    assert doc.marks[("highlights", "sections", 0, "title")] == (10, 14)
    assert doc.key_marks[("highlights", "sections", 0, "title")] == (10, 7)
    # A flow mapping points at its brace.
    assert doc.marks[("highlights", "sections", 0, "points", 0)] == (12, 11)
    assert doc.marks[("highlights", "sections", 0, "points", 0, "text")] == (12, 28)
    assert doc.marks[("flags", 3)] == (15, 25)
    assert doc.mark(("highlights", "sections", 0, "nothing", 3)) == (10, 7)


@pytest.mark.parametrize("pure", PARSERS)
def test_yaml11_resolution_keeps_dates_and_raw_text(pure: bool) -> None:
    doc, _ = parse(SAMPLE, pure)
    assert doc is not None
    assert doc.data["submitted"] == "2023-09-08"
    assert doc.data["flags"] == [False, True, 4104, 45000, 1.1, None, "NO", "6"]
    info = doc.scalars[("flags", 2)]
    assert (info.raw, info.style, info.tag) == ("010010", "", yamlsafe.INT_TAG)
    assert doc.scalars[("flags", 6)].style == '"'
    assert doc.scalars[("opening",)].style == "|"
    assert doc.data["figures"] == {"research_topics": 6}


def test_locate_finds_the_line_inside_a_block_scalar() -> None:
    doc, _ = parse(SAMPLE)
    assert doc is not None
    assert doc.locate(("opening",), "X个") == (7, 9)
    assert doc.locate(("opening",), "不存在") == (4, 10)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "data").glob("**/*.yml")) + sorted((FIXTURES / "good").glob("**/*.yml")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_data_equals_safe_load(path: Path, pure: bool) -> None:
    doc, problems = load_yaml(path, path.name, pure=pure)
    assert problems == [] and doc is not None
    assert doc.data == plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_both_parsers_agree_on_every_bad_fixture() -> None:
    for path in sorted((FIXTURES / "bad").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        fast, fast_problems = parse(text, pure=False)
        slow, slow_problems = parse(text, pure=True)
        assert (fast is None) == (slow is None), path.name
        if fast is not None:
            assert fast.data == slow.data, path.name
            assert fast.marks == slow.marks, path.name
        # Syntax messages may differ in wording between libyaml and PyYAML, not in place.
        assert [(p.line, p.column) for p in fast_problems] == [(p.line, p.column) for p in slow_problems], path.name


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("text", "line", "col", "needle"),
    [
        ("a: b: c\n", 1, 5, "不允许出现“: ”"),
        ("a: 1\nb\nc: 2\n", 2, 1, "找不到预期的“:”"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "缩进"),
        ("a: `x`\n", 1, 4, "不能作为内容开头"),
        ("a: \"abc\nb: 1\n", 1, 4, "引号没有闭合"),
        ("a: 'abc\nb: 1\n", 1, 4, "引号没有闭合"),
        ("a: [1, 2\nb: 1\n", 2, 2, "方括号列表"),
        ("a: {x: 1\nb: 1\n", 2, 2, "花括号 { } 没有闭合"),
        ('a: "C:\\x"\n', 1, 9, "反斜杠"),
        ("a:\n  - 1\n  b: 2\n", 3, 3, "列表项和字段混在同一层级"),
        ("a: | x\n  y\n", 1, 6, "多行文字的 |- 标记"),
        ("a: *x\n", 1, 4, "锚点/别名"),
    ],
)
def test_syntax_errors_in_chinese_at_the_right_place(text: str, line: int, col: int, needle: str, pure: bool) -> None:
    doc, problems = parse(text, pure)
    hits = [p for p in problems if needle in p.message]
    assert hits, messages(problems)
    assert (hits[0].line, hits[0].column) == (line, col)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in hits[0].message)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("text", "line", "col", "needle"),
    [  # the typical mistake behind an error, read from the line it points at (issue 18)
        ("x:\n  - text: |-\n    正文第一行\n    第二行\n", 3, 5, "每行都要比 text: 多缩进两个空格（行首 6 个空格）"),
        ("opening: |-\n主题教育\nb: 1\n", 2, 1, "每行都要比 opening: 多缩进两个空格（行首 2 个空格）"),
        ('x:\n  - title: "林间课堂"进林场\n', 2, 12, "请改用中文引号，写成 “林间课堂”进林场"),
        ("title: '林间课堂'进林场\n", 1, 8, "或者给整个值加双引号，写成 \"'林间课堂'进林场\""),
        ("title: '林间\"课堂'进林场\n", 1, 8, "或者给整个值加单引号，写成 '''林间\"课堂''进林场'"),
        ("x:\n  - text: |-\n      第一段。\n\n    第二段。\n  - text: b\n", 5, 5,
         "每行都要比 text: 多缩进两个空格（行首 6 个空格），空行后的各段也一样"),
        ("opening: |-\n  第一段。\n\n第二段。\nb: 1\n", 4, 1,
         "每行都要比 opening: 多缩进两个空格（行首 2 个空格），空行后的各段也一样"),
        ("x:\n  - title: 坚持以学铸魂: 推动学习\n", 2, 18, "写成 title: 坚持以学铸魂：推动学习"),
    ],
)
def test_syntax_errors_explain_the_typical_mistake(text: str, line: int, col: int, needle: str, pure: bool) -> None:
    _doc, problems = parse(text, pure)
    assert [(p.line, p.column) for p in problems if needle in p.message] == [(line, col)], messages(problems)


@pytest.mark.parametrize("pure", PARSERS)
def test_explained_syntax_errors_leave_the_parser_english_out(pure: bool) -> None:
    _doc, problems = parse("a: b: c\n", pure)
    assert [(p.rule, p.full_message()) for p in problems] == [
        ("yaml-syntax", "YAML 语法错误：此处不允许出现“: ”：值里的冒号请改用中文冒号“：”，写成 a: b：c；"
                        "确需半角冒号时给整个值加引号；如果这里本该是新的一行，请检查上一行的缩进")
    ]


@pytest.mark.parametrize("pure", PARSERS)
def test_unexplained_syntax_error_ends_with_the_parser_original(pure: bool) -> None:
    _doc, problems = parse("a: !<x y\n", pure)
    assert [p.rule for p in problems] == ["yaml-syntax"]
    message = problems[0].full_message()
    assert message.startswith("YAML 语法错误：无法解析此处的内容（解析器原文：")
    assert message.endswith("）") and "expected '>'" in message  # libyaml's or PyYAML's words


@pytest.mark.parametrize(
    "text",
    [
        "opening: |\n  对照目标\n  KPI：考核\n",  # full-width colon inside a block scalar
        "opening: 对照目标\n  KPI：考核\n",  # … and in a folded plain scalar
        "opening: |\n  \u3000\u3000首行缩进两个全角空格。\n",
        "opening: |\n  代码：\n  \tTab 在内容里\n",
        "note: 现将情况报告如下：\n",
    ],
)
def test_prose_is_not_mistaken_for_bad_keys(text: str) -> None:
    doc, problems = parse(text)
    assert problems == [] and doc is not None


@pytest.mark.parametrize(
    ("text", "line", "col", "needle"),
    [
        ("a:\n\tb: 1\n", 2, 1, "Tab"),
        ("a:\n  b: |\n\tx\n", 3, 1, "Tab"),
        ("title： 值\nb: 1\n", 1, 6, "全角冒号"),
        ("a:\n  - lead：淬炼\n", 2, 9, "全角冒号"),
        ("a:\n\u00a0 b: 1\n", 2, 1, "不换行空格"),
        ("a:\n  \u3000b: 1\n", 2, 3, "全角空格"),
        ("a\u200b: 1\n", 1, 2, "零宽空格"),
        ("\u2060a: 1\n", 1, 1, "零宽不换行符"),
        ("a: 1\nb: 2\na: 3\n", 3, 1, "重复的字段名 a（第 1 行"),
        ("yes: 1\n", 1, 1, "读成了逻辑值"),
        ("? [a, b]\n: 1\n", 1, 3, "字段名必须是简单的文本"),
        ("a: 1\n---\nb: 2\n", 2, 1, "只能有一个 YAML 文档"),
        ("a: !!str 1\n", 1, 4, "不允许使用 YAML 标签"),
        ("a: &x 1\n", 1, 4, "锚点/别名"),
        ("a: b\x01c\n", 1, 5, "控制字符 U+0001"),
    ],
)
def test_refused_input(text: str, line: int, col: int, needle: str) -> None:
    _doc, problems = parse(text)
    hits = [p for p in problems if needle in p.message]
    assert hits, messages(problems)
    assert (hits[0].line, hits[0].column) == (line, col)


def test_a_consequential_syntax_error_is_not_reported_twice() -> None:
    _doc, problems = parse("title： 值\nb: 1\n")
    assert [p.rule for p in problems] == ["fullwidth-colon"]


@pytest.mark.parametrize("pure", PARSERS)
def test_alias_bomb_is_refused_without_expansion(pure: bool) -> None:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 30):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    doc, problems = parse("\n".join(lines) + "\n", pure)
    assert time.perf_counter() - started < 10  # a hang guard: expansion would never finish
    assert [p.message for p in problems if p.rule == "yaml-alias"] == ["不支持 YAML 锚点/别名（&、*）：请直接写出内容"]
    assert doc is not None and doc.data["l1"] == [None] * 9


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_deep_nesting_stops_at_the_limit(pure: bool, opener: str) -> None:
    depth = 100_000 if opener == "[" else 2_000
    text = opener * depth if opener != "- " else "".join("  " * i + "-\n" for i in range(depth))
    doc, problems = parse(text, pure)
    assert doc is None
    assert [p.rule for p in problems if p.is_error] == ["yaml-depth"]


@pytest.mark.parametrize("pure", PARSERS)
def test_depth_limit_is_exact(pure: bool) -> None:
    """MAX_DEPTH nested collections are read (the top-level mapping counts); one more is refused."""
    lists = yamlsafe.MAX_DEPTH - 1
    doc, problems = parse("a: " + "[" * lists + "]" * lists + "\n", pure)
    assert problems == [] and doc is not None
    deeper = lists + 1
    doc, problems = parse("a: " + "[" * deeper + "]" * deeper + "\n", pure)
    assert doc is None
    assert [(p.rule, p.line, p.column) for p in problems] == [("yaml-depth", 1, len("a: ") + deeper)]


def test_empty_and_comment_only_files() -> None:
    for text in ("", "# 只有注释\n"):
        doc, problems = parse(text)
        assert problems == [] and doc is not None and doc.data is None


def test_bom_is_an_error_but_the_file_is_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("a: 中文\na: 2\n".encode("utf-8-sig"))
    doc, problems = load_yaml(path, "x.yml")
    assert doc is not None and doc.data == {"a": "中文"}
    assert [p.rule for p in problems] == ["encoding", "yaml-duplicate-key"]


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_bytes(b"a: 1\n" + b"#" * MAX_BYTES)
    doc, problems = load_yaml(path, "big.yml")
    assert doc is None and "文件过大" in problems[0].message
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 10))
    assert load_yaml(path, "big.yml")[1] == []


def test_unreadable_path(tmp_path: Path) -> None:
    doc, problems = load_yaml(tmp_path, "dir.yml")
    assert doc is None and "无法读取文件" in problems[0].message


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\nb: !!python/name:os.system\n"
    for pure in (False, True):
        doc, problems = parse(text, pure)
        assert not marker.exists()
        assert [p.rule for p in problems] == ["yaml-tag", "yaml-tag"]
        assert doc is not None and doc.data == {"a": [f"touch {marker}"], "b": ""}


def test_line_breaks_agree_with_the_parser() -> None:
    doc, problems = parse("a: 1\r\nb:\r\n\tc: 2\r\n")
    assert [(p.line, p.column, p.rule) for p in problems] == [(3, 1, "tab")]
    doc, _ = parse("a: 1\r\nb: 中\r\n")
    assert doc is not None and doc.lines == ["a: 1", "b: 中"] and doc.marks[("b",)] == (2, 4)


def test_prose_in_a_block_is_not_flagged_when_the_file_does_not_parse() -> None:
    text = "opening: |\n  \u3000\u3000首行缩进。\n  KPI：考核\nb: [1, 2\n"
    doc, problems = parse(text)
    assert doc is None
    assert [p.rule for p in problems] == ["yaml-syntax"], messages(problems)


# ---------------------------------------------------------------- numbers too long or not finite
# (issue 13, item 7: a 5,001-digit integer, 1.0e+400, .inf, .nan; the schema explains them)

LONG_SEXAGESIMAL_INT = "1" + ":00" * 3000  # 60**3000: over 5,000 digits once constructed
LONG_SEXAGESIMAL_FLOAT = "1" + ":00" * 200 + ".5"  # constructing it overflowed float


def same(a: object, b: object) -> bool:
    """Equal, with the same type; NaN equals NaN; -0.0 differs from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return a == b


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("raw", "tag", "value"),
    [
        pytest.param("1" * 5001, yamlsafe.INT_TAG, math.inf, id="5001-digits"),
        pytest.param("-" + "1" * 401, yamlsafe.INT_TAG, -math.inf, id="minus-401-digits"),
        pytest.param("9" * yamlsafe.MAX_NUMBER_CHARS, yamlsafe.INT_TAG, int("9" * yamlsafe.MAX_NUMBER_CHARS), id="longest-read"),
        pytest.param("1" * (yamlsafe.MAX_NUMBER_CHARS + 1), yamlsafe.INT_TAG, math.inf, id="one-digit-more"),
        pytest.param("1_" + "0" * 200, yamlsafe.INT_TAG, math.inf, id="underscores"),
        pytest.param("0x" + "f" * 4000, yamlsafe.INT_TAG, math.inf, id="long-hex"),
        pytest.param("0b" + "1" * 98, yamlsafe.INT_TAG, 2**98 - 1, id="binary"),
        pytest.param(LONG_SEXAGESIMAL_INT, yamlsafe.INT_TAG, math.inf, id="long-sexagesimal-int"),
        pytest.param(LONG_SEXAGESIMAL_FLOAT, yamlsafe.FLOAT_TAG, math.inf, id="long-sexagesimal-float"),
        pytest.param("1.0e+400", yamlsafe.FLOAT_TAG, math.inf, id="float-overflow"),
        pytest.param("-1.0e+400", yamlsafe.FLOAT_TAG, -math.inf, id="negative-float-overflow"),
        pytest.param("0." + "0" * 5000 + "1", yamlsafe.FLOAT_TAG, 0.0, id="long-tiny-float"),
        pytest.param(".inf", yamlsafe.FLOAT_TAG, math.inf, id="inf"),
        pytest.param("-.Inf", yamlsafe.FLOAT_TAG, -math.inf, id="minus-inf"),
        pytest.param(".nan", yamlsafe.FLOAT_TAG, math.nan, id="nan"),
        pytest.param("1e400", yamlsafe.STR_TAG, "1e400", id="yaml11-text"),
        pytest.param("-0", yamlsafe.INT_TAG, 0, id="negative-zero-int"),
        pytest.param("-0.0", yamlsafe.FLOAT_TAG, -0.0, id="negative-zero-float"),
    ],
)
def test_numbers_are_read_without_raising(raw: str, tag: str, value: object, pure: bool) -> None:
    doc, problems = parse(f"figures:\n  n: {raw}\n", pure)
    assert problems == [] and doc is not None
    read = doc.data["figures"]["n"]
    assert same(read, value), (type(read), str(read)[:40])
    assert doc.scalars[("figures", "n")].tag == tag
    assert doc.scalars[("figures", "n")].raw == raw  # the schema explains it from what was written
    if type(read) is int:
        assert abs(read) < 10**121 and len(str(read)) < 4300  # printable, and a float when needed


def test_every_number_the_loader_constructs_stays_printable() -> None:
    """The longest texts of every YAML 1.1 integer notation, at the length limit."""
    n = yamlsafe.MAX_NUMBER_CHARS
    longest = ["9" * n, "-" + "9" * (n - 1), "0x" + "f" * (n - 2), "0b" + "1" * (n - 2), "0" + "7" * (n - 1),
               "9" * (n - 3) + ":59", "1" + ":59" * ((n - 1) // 3)]
    for raw in longest:
        assert len(raw) <= n
        tag, value = yamlsafe.resolve_scalar(raw, None)
        assert tag == yamlsafe.INT_TAG and type(value) is int, raw
        assert abs(value) < 10**121 and float(value) < math.inf
