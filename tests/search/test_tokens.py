"""Search tokens (kb.search.tokens): Chinese bigrams, and the readable text they decode to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import DATA
from kb.search.tokens import decode, tokenize

TOKEN_CASES = [
    ("调研报告", ["调研", "研报", "报告", "告"]),
    ("信访", ["信访", "访"]),
    ("局", ["局"]),
    ("2023年主题教育", ["2023", "年主", "主题", "题教", "教育", "育"]),
    ("12345热线，回访", ["12345", "热线", "线", "，", "回访", "访"]),
    ("“第一议题”", ["“", "第一", "一议", "议题", "题", "”"]),
    ("A股 B 股", ["A", "股", "B", "股"]),
    ("GB/T 9704-2012", ["GB/T", "9704-2012"]),
    ("２０２３年ＧＢ", ["2023", "年", "GB"]),
    ("\u200b调研\u200b", ["调研", "研"]),
    ("𠀀字", ["𠀀字", "字"]),
    ("   ", []),
]


@pytest.mark.parametrize(("text", "words"), TOKEN_CASES, ids=[c[0].strip() or "blank" for c in TOKEN_CASES])
def test_tokenize(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


def _prose(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _prose(v)]
    if isinstance(node, list):
        return [s for v in node for s in _prose(v)]
    return [node] if isinstance(node, str) and len(node) > 20 else []


REPORT_FILES = sorted((DATA / "reports").glob("*/*.yml"))


@pytest.mark.parametrize("report_file", REPORT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_decode_gives_the_text_back(report_file: Path) -> None:
    """The index keeps readable text: excerpts are decoded from the bigram words."""
    for text in _prose(yaml.safe_load(report_file.read_text(encoding="utf-8"))):
        words = tokenize(text)
        assert re.sub(r"\s", "", decode(words)) == re.sub(r"\s", "", text)
        # every substring of two Han characters is one of the index words
        for i in range(len(text) - 1):
            pair = text[i : i + 2]
            if all("\u4e00" <= c <= "\u9fff" for c in pair):
                assert pair in words


def test_the_browser_uses_the_same_han_class() -> None:
    """docs/assets/search.js spells HAN the way kb.text does (the index and the query agree)."""
    import re

    from conftest import ROOT
    from kb.text import HAN

    script = (ROOT / "docs" / "assets" / "search.js").read_text(encoding="utf-8")
    spelled = re.search(r'var HAN = "([^"]+)";', script).group(1)
    decoded = re.sub(r"\\u\{([0-9a-f]+)\}|\\u([0-9a-f]{4})",
                     lambda m: chr(int(m.group(1) or m.group(2), 16)), spelled)
    assert decoded == HAN
