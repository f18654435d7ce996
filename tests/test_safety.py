"""Contributor prose cannot inject markup: every dangerous input comes out inert,
while Markdown structure (tables, lists, admonitions, headings) still renders."""

from __future__ import annotations

import functools
from html.parser import HTMLParser

import markdown
import pytest
from mkdocs.config import load_config

from conftest import ROOT
from kb.render import md_prose, md_text
from kb.safety import sanitize_html


@functools.cache
def site_markdown_config() -> tuple[list, dict]:
    """The Markdown extensions and their settings exactly as mkdocs.yml configures them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return config["markdown_extensions"], config["mdx_configs"]


def publish(prose: str) -> str:
    """What a report page does with a prose field: escape, render, sanitise."""
    extensions, configs = site_markdown_config()
    html = markdown.markdown(md_prose(prose), extensions=extensions, extension_configs=configs)
    return sanitize_html(html)


DANGEROUS = {
    "script tag": "正文<script>alert(1)</script>结束",
    "img onerror": '<img src=x onerror="alert(1)">',
    "javascript link": "[点我](javascript:alert(1))",
    "javascript link, upper case": "[点我](JaVaScRiPt:alert(1))",
    "javascript link, entity encoded": "[点我](&#106;avascript:alert(1))",
    "data url link": "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data url image": "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "attr_list on paragraph": '段落文字\n{: onclick="alert(1)" }',
    "attr_list on link": '[链接](https://example.org){: onmouseover="alert(1)" }',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style tag": "<style>body{display:none}</style>",
    "svg onload": "<svg onload=alert(1)>",
    "markdown in html attr": '<div markdown="1" onclick="alert(1)">x</div>',
}


class TagCollector(HTMLParser):
    """Every real element and attribute of an HTML fragment (text is not looked at)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("prose", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_dangerous_prose_is_inert(prose: str) -> None:
    html = publish(prose)
    for tag, attrs in elements(html):
        assert tag not in {"script", "iframe", "style", "svg", "object", "embed"}, html
        assert not [a for a in attrs if a.startswith("on")], html
        for name in ("href", "src"):
            url = attrs.get(name, "").strip().lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:")), html


def test_checker_sees_a_real_handler() -> None:
    """The checker itself must catch what it is meant to catch."""
    assert elements('<img src="x" onerror="y">') == [("img", {"src": "x", "onerror": "y"})]


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    html = publish("比较 a<b 与 <b>加粗</b>")
    assert "a&lt;b" in html
    assert "&lt;b&gt;加粗" in html


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("| 项目 | 数量 |\n|---|---|\n| 走访 | 32 |", "<table>"),
        ("- 第一项\n- 第二项", "<li>第一项</li>"),
        ('!!! note "说明"\n    注意事项', 'class="admonition note"'),
        ("[官网](https://example.org/a)", 'href="https://example.org/a"'),
        ("[相对链接](../other/)", 'href="../other/"'),
        ("**加粗**与*强调*", "<strong>加粗</strong>"),
    ],
)
def test_markdown_structure_survives(prose: str, expected: str) -> None:
    assert expected in publish(prose)


@pytest.mark.parametrize(
    "prose",
    ["# 大标题\n\n正文", "## 二级\n正文", "大标题\n===\n\n正文", "小标题\n---\n\n正文",
     "> # 引用里的标题", "- ## 列表里的标题", "1. # 编号列表里的标题"],
    ids=["atx h1", "atx h2", "setext h1", "setext h2", "in blockquote", "in list", "in numbered list"],
)
def test_headings_in_prose_stay_below_the_outline(prose: str) -> None:
    tags = {tag for tag, _ in elements(publish(prose))}
    assert not tags & {"h1", "h2", "h3"}, publish(prose)


def test_code_is_shown_verbatim() -> None:
    html = publish("行内 `<br>` 代码\n\n```\n<b>{x}</b>\n```")
    assert "<code>&lt;br&gt;</code>" in html
    assert "&amp;lt;" not in html and "\\{" not in html


@pytest.mark.parametrize(
    "prose",
    ['段落\n{: #report-title .kb-badge--late hidden }', '[链接](https://example.org){: .md-button }',
     "文字 { #x }"],
    ids=["block attr_list", "inline attr_list", "bare braces"],
)
def test_attribute_lists_do_nothing_in_prose(prose: str) -> None:
    for _, attrs in elements(publish(prose)):
        assert not {"id", "class", "hidden"} & set(attrs), publish(prose)
    assert "{" in publish(prose)  # the text itself is kept


@pytest.mark.parametrize(
    ("prose", "kept"),
    [("![外部](https://evil.example/a.png)", False), ("![外部](//evil.example/a.png)", False),
     ("![本站](../assets/a.png)", True)],
)
def test_images_only_from_the_site_itself(prose: str, kept: bool) -> None:
    srcs = [attrs.get("src") for tag, attrs in elements(publish(prose)) if tag == "img"]
    assert bool([s for s in srcs if s]) is kept, publish(prose)


def test_table_alignment_kept_but_other_styles_dropped() -> None:
    html = sanitize_html('<table><tr><td style="text-align: right;">1</td>'
                         '<td style="background:url(javascript:x)">2</td></tr></table>')
    assert 'style="text-align: right;"' in html
    assert "background" not in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a*b*", r"a\*b\*"), ("[x](y)", r"\[x\](y)"), ("<b>", "&lt;b&gt;"), ("一|二", r"一\|二"),
     ("多\n行", "多 行")],
)
def test_md_text_makes_text_inert(value: str, expected: str) -> None:
    assert md_text(value) == expected
