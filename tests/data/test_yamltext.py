"""The text around the parser (kb.data.yamltext): decoding raw bytes. The pre-scan and the
Chinese syntax errors are tested through the loader (tests/data/test_yamlsafe.py)."""

from __future__ import annotations

import pytest

from kb.data.yamltext import decode


@pytest.mark.parametrize(
    ("raw", "needle", "at"),
    [
        ("a: 中文\n".encode("gbk"), "GBK", (1, 4)),
        ("a: 1\nb: 中文\n".encode("gb18030"), "GBK", (2, 4)),
        ("a: 中文\n".encode("utf-16"), "UTF-16", (1, 1)),
        ("a: 中文\n".encode("utf-16-be"), "NUL 字节", (1, 1)),
        ("a: 中文\n".encode("utf-32"), "UTF-32", (1, 1)),
        (b"a: caf\xe9 \xff\n", "不是有效的 UTF-8", (1, 7)),
    ],
)
def test_wrong_encodings(raw: bytes, needle: str, at: tuple[int, int]) -> None:
    text, problems = decode(raw, "x.yml")
    assert text is None
    assert len(problems) == 1 and needle in problems[0].message and "请另存为 UTF-8（无 BOM）编码" in problems[0].message
    assert (problems[0].line, problems[0].column) == at
