"""Chinese messages for schema errors (kb.data.messages) as plain functions; the messages
of whole documents are tested in tests/data/test_schema.py and by the fixture cases."""

from __future__ import annotations

import re

import pytest

from kb.data import messages

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_type_names_are_chinese() -> None:
    assert set(messages.TYPE_NAMES) == {"string", "integer", "number", "boolean", "array", "object", "null"}
    assert all(CJK.search(name) for name in messages.TYPE_NAMES.values())


@pytest.mark.parametrize(
    ("raw", "reading"),
    [("010", "八进制整数"), ("1:30", "六十进制整数"), ("0x1F", "十六进制整数"), ("0b101", "二进制整数"), ("12", "整数"), ("-0", "整数")],
)
def test_int_reading(raw: str, reading: str) -> None:
    assert messages.int_reading(raw) == reading
