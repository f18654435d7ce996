"""The two allow-lists: the strict one of contributor prose (clean_prose) keeps only what
Markdown syntax makes; the page's (sanitize_html) keeps the site's own markup but nothing
that runs or loads from elsewhere. Prose through the renderer: tests/markup/test_prose.py."""

from __future__ import annotations

import pytest

from kb.markup.render import md_text
from kb.markup.safety import clean_prose, sanitize_html

PROSE_CASES = {
    "class of a fake button": ('<a class="md-button md-button--primary" href="https://phish.example/login">'
                               "下载</a>", '<a href="https://phish.example/login">下载</a>'),
    "fake search filter": ('<span data-pagefind-filter="学习教育:伪造">伪造</span>', "伪造"),
    "data attribute": ('<p data-kb-status="done" data-pagefind-ignore>x</p>', "<p>x</p>"),
    "style and id": ('<p style="color:red" id="report-title">x</p>', "<p>x</p>"),
    "admonition kind kept, other classes dropped": (
        '<div class="admonition note md-button"><p class="admonition-title kb-x">t</p></div>',
        '<div class="admonition note"><p class="admonition-title">t</p></div>'),
    "details kind kept": ('<details class="tip kb-fake" open><summary>s</summary></details>',
                          '<details class="tip" open=""><summary>s</summary></details>'),
    "class on other tags": ('<table class="kb-ledger"><tbody><tr><td class="kb-status">1</td></tr>'
                            "</tbody></table>", "<table><tbody><tr><td>1</td></tr></tbody></table>"),
    "table alignment as align": ('<table><tbody><tr><td align="right" style="text-align: right;">1</td>'
                                 '<td align="javascript:x">2</td></tr></tbody></table>',
                                 '<table><tbody><tr><td align="right">1</td><td>2</td></tr></tbody></table>'),
    "javascript link": ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    "external image": ('<img src="https://evil.example/a.png" alt="a">', '<img alt="a">'),
    "local image": ('<img src="../a.png" alt="a">', '<img src="../a.png" alt="a">'),
    "outline headings": ("<h1>a</h1><h3>b</h3><h4>c</h4>", "ab<h4>c</h4>"),
    "script": ("<script>alert(1)</script>x", "x"),
    "handler": ('<img src="a.png" onerror="alert(1)">', '<img src="a.png">'),
    "comment": ("<!-- kb-fragment 0 -->x", "x"),
}


@pytest.mark.parametrize(("html", "expected"), PROSE_CASES.values(), ids=PROSE_CASES.keys())
def test_prose_allow_list(html: str, expected: str) -> None:
    assert clean_prose(html) == expected


PAGE_CASES = {
    "site markup keeps classes and filters": (
        '<span class="kb-badge" data-pagefind-filter="学习教育">x</span>',
        '<span class="kb-badge" data-pagefind-filter="学习教育">x</span>'),
    "table alignment style kept": ('<table><tbody><tr><td style="text-align: right;">1</td></tr></tbody></table>',
                                   '<table><tbody><tr><td style="text-align: right;">1</td></tr></tbody></table>'),
    "other styles dropped": ('<table><tbody><tr><td style="background:url(javascript:x)">2</td></tr></tbody></table>',
                             "<table><tbody><tr><td>2</td></tr></tbody></table>"),
    "align of prose tables kept": ('<table><tbody><tr><th align="center">1</th><td align="x">2</td></tr></tbody></table>',
                                   '<table><tbody><tr><th align="center">1</th><td>2</td></tr></tbody></table>'),
    "script": ("<script>alert(1)</script>x", "x"),
    "javascript link": ('<a class="md-button" href="javascript:x">y</a>', '<a class="md-button">y</a>'),
    "external image": ('<img src="//evil.example/a.png">', "<img>"),
}
# What a browser reads as another host (WHATWG URL parsing; found by review of issue 13).
HOSTILE_SOURCES = ["/\\evil.example/a.png", "\\\\evil.example/a.png", "\\/evil.example/a.png",
                   " //evil.example/a.png", "/\t/evil.example/a.png", "/\n/evil.example/a.png",
                   "\x01//evil.example", "HTTPS://evil.example/a.png", "java\tscript:alert(1)"]


@pytest.mark.parametrize("source", HOSTILE_SOURCES)
@pytest.mark.parametrize("clean", [clean_prose, sanitize_html])
def test_no_image_from_another_host(source: str, clean) -> None:
    html = clean(f'<img src="{source}" alt="a">')
    assert "evil" not in html and "script" not in html and "src" not in html, html


@pytest.mark.parametrize(("html", "expected"), PAGE_CASES.values(), ids=PAGE_CASES.keys())
def test_page_allow_list(html: str, expected: str) -> None:
    assert sanitize_html(html) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a*b*", r"a\*b\*"), ("[x](y)", r"\[x\](y)"), ("<b>", "&lt;b&gt;"), ("一|二", r"一\|二"),
     ("多\n行", "多 行")],
)
def test_md_text_makes_text_inert(value: str, expected: str) -> None:
    assert md_text(value) == expected
