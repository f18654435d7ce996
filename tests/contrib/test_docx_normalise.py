"""Text helpers of the Word import (kb.contrib.docx.normalise): dates, numerals,
punctuation and Markdown marks as Chinese reports write them."""

from __future__ import annotations

import pytest

from kb.contrib.docx.normalise import (
    cn_to_int,
    escape_markdown,
    parse_date,
    parse_deadline,
    tidy_prose,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2023年9月8日", "2023-09-08"), ("二〇二三年九月八日", "2023-09-08"), ("２０２３年１２月３１日", "2023-12-31"),
     ("（2023年9月8日）", "2023-09-08"), ("2023.9.8", "2023-09-08"), ("2023-09-08", "2023-09-08"),
     ("2023年2月30日", None), ("九月八日", None), ("中共市财政局党组", None)],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2023年12月底", "2023-12-31"), ("2024年2月", "2024-02-29"), ("2024/03/31", "2024-03-31"),
     ("长期", None), ("尽快", None)],
)
def test_parse_deadline(text, expected):
    assert parse_deadline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("二〇二三", 2023), ("１２", 12), ("百", None), ("", None)],
)
def test_cn_to_int(text, expected):
    assert cn_to_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("学习,研讨:交流", "学习，研讨：交流"), ("(一)坚持", "（一）坚持"), ("完成了.", "完成了。"),
     ("共６次", "共6次"), ("版本3.5,已发布", "版本3.5，已发布"), ("ISO 9001", "ISO 9001"),
     ("累计 32 次", "累计32次"), ("通过 ISO 认证", "通过 ISO 认证")],
)
def test_tidy_prose(text, expected):
    assert tidy_prose(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1. 建立制度", "\\1. 建立制度"), ("# 标题", "\\# 标题"), ("a*b*c", "a\\*b\\*c"), ("<b>", "\\<b>"),
     ("- 条目", "\\- 条目"), ("普通文字", "普通文字")],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected
