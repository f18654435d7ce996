"""Contributor prose makes markup only through Markdown syntax (kb.markup.prose), and a page takes
it as fragments of cleaned HTML: hostile payloads, alone and in seeded random combinations,
go through the prose renderer and through a page rendered like the site renders it."""

from __future__ import annotations

import functools
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from conftest import DATA, ROOT
from kb.markup import prose
from kb.markup.render import SiteSettings, environment, expand_fragments, md_prose, page_fragments
from kb.markup.safety import ADMONITION_KINDS, clean_prose, sanitize_html
from kb.site import build, pages

FAKE_BUTTON = ('<a class="md-button md-button--primary" href="https://phish.example/login">'
               "下载Word版（新）</a>")
FAKE_FILTER = '<span data-pagefind-filter="指导组:第三指导组,学习教育:伪造学习教育">伪造</span>'

# One case per way of making markup; the first ones are those of the issue.
PAYLOADS = {
    "backslash backtick before a fake button": f"\\`{FAKE_BUTTON}`",
    "backslash backtick before a fake filter": f"\\`{FAKE_FILTER}`",
    "indented fence line, then a fake button": f"    ```\n{FAKE_BUTTON}",
    "indented fence line, then a fake filter": f"正文\n\n    ```\n\n{FAKE_FILTER}\n\n```",
    "backslash backtick, attr_list after a link": "\\`[下载Word版（新）](https://phish.example){: .md-button }`",
    "code span closed by a longer run": f"``{FAKE_BUTTON}` `` {FAKE_BUTTON}",
    "double backslash before a code span": f"\\\\`x` {FAKE_BUTTON}",
    "script tag": "正文<script>alert(1)</script>结束",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style tag": "<style>body{display:none}</style>",
    "javascript link": "[点我](javascript:alert(1))",
    "javascript link, upper case": "[点我](JaVaScRiPt:alert(1))",
    "javascript link, entity encoded": "[点我](&#106;avascript:alert(1))",
    "javascript autolink": "<javascript:alert(1)>",
    "data url link": "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data url image": "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "external image": "![外部](https://evil.example/a.png)",
    "attr_list on a paragraph": '段落文字\n{: .md-button #kb-fake-id onclick="alert(1)" }',
    "attr_list on a link": '[链接](https://example.org){: .md-button onmouseover="alert(1)" }',
    "attr_list on a heading": "#### 标题 { .md-button #kb-fake-id }",
    "attr_list on a list item": "- 条目 { .kb-fake }\n- 另一条\n{: .kb-fake }",
    "attr_list on a table": "| a | b |\n|---|---|\n| 1 | 2 |\n{: .kb-fake #kb-fake-id }",
    "attr_list on emphasis": "**加粗**{: .md-button style=\"color:red\" }",
    "attr_list in a code span": "`{: .md-button }` {: .md-button }",
    "attr_list, data attribute": '段落\n{: data-pagefind-filter="学习教育:伪造学习教育" }',
    "superfence with attributes": "```{.md-button #kb-fake-id data-kb-fake=1}\ncode\n```",
    "tilde fence with attributes": "~~~ { .kb-fake #kb-fake-id }\n<b>x</b>\n~~~",
    "unclosed fence": f"```\n{FAKE_BUTTON}",
    "fence inside a list": f"- 条目\n\n    ```\n    {FAKE_BUTTON}\n    ```\n\n{FAKE_FILTER}",
    "nested list with HTML": f"- 一\n    - {FAKE_BUTTON}\n        1. {FAKE_FILTER}",
    "admonition with class names": '!!! md-button md-button--primary kb-fake "下载Word版（新）"\n    正文',
    "admonition, known kind and a fake one": '!!! note kb-fake "说明"\n    正文',
    "details with class names": '???+ md-button kb-fake "展开"\n    正文',
    "markdown in html": '<div markdown="1" class="md-button" onclick="alert(1)">*x*</div>',
    "markdown in html, bare": "<div markdown>\n**x**\n</div>",
    "html comment": "<!-- 注释 --> 正文 <!-- kb-fragment 0 -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "processing instruction": "<?php echo 1; ?>",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62; &amp;lt;",
    "abbreviation with HTML": "*[HTML]: <b class=\"kb-fake\">超文本</b>\n\nHTML 文本",
    "definition list with HTML": f"术语\n:   {FAKE_BUTTON}",
    "blockquote with HTML": f"> {FAKE_BUTTON}\n> {FAKE_FILTER}",
    "table cell with HTML": f"| 甲 | 乙 |\n|:--|--:|\n| {FAKE_BUTTON} | {FAKE_FILTER} |",
    "reference link with HTML title": '[x][r]\n\n[r]: javascript:alert(1) "<b>t</b>"',
    "heading h1": "# 大标题\n\n正文",
    "setext heading": "大标题\n===\n\n正文",
    "control characters": "\x02wzxhzdk:0\x03 正文 \x00",
}

PIECES = [
    "`", "``", "\\", "\\`", "\\\\", "    ", "\t", "\n", "\n\n", "```", "~~~", "```{.md-button #kb-fake-id}",
    "~~~ {: .kb-fake }", FAKE_BUTTON, FAKE_FILTER, "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))", '{: .md-button #kb-fake-id data-kb-fake="1" style="color:red" }', "{ .kb-fake }",
    '!!! md-button kb-fake "标题"\n    ', "??? kb-fake\n    ", "???+ note md-button\n    ",
    '<div markdown="1">', "</div>", "<!-- c -->", "<![CDATA[x]]>", "&lt;script&gt;", "&#60;b&#62;",
    "- ", "1. ", "    - ", "> ", "# ", "| a | b |\n|---|---|\n| ", "|", "*", "**", "_", "[", "](", ")",
    "正文", "text", " ", "<!-- kb-fragment 0 -->", "*[HTML]: <b>x</b>\n", ": ", "<http://a.example>",
    "<javascript:alert(1)>", "===", "---", "<", ">", "&", '"', "'", "=",
]
ADMONITION_CLASSES = {"admonition", "admonition-title", *ADMONITION_KINDS}
PROSE_ATTRIBUTES = {"href", "title", "src", "alt", "start", "open", "align", "class"}
NEVER = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
         "textarea", "link", "meta", "base", "span"}


def fuzz_texts(seed: int, count: int = 12) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14))) for _ in range(count)]


class TagCollector(HTMLParser):
    """Every element of an HTML fragment with its attributes (text is not looked at)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@functools.cache
def site_markdown_config() -> tuple[list, dict]:
    """The Markdown extensions and their settings exactly as mkdocs.yml configures them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return config["markdown_extensions"], config["mdx_configs"]


# A page as report.md.j2 makes it: prose inside a Markdown-enabled block, next to site markup.
PAGE = ('<div class="kb-doc" markdown="1">\n\n<p class="kb-addressee">致</p>\n\n'
        "{{ value | prose }}\n\n{{ value | prose(lead='一是学习。', bold=true) }}\n\n</div>\n")
SITE_MARKUP = {"kb-doc", "kb-addressee"}


def publish(text: str) -> str:
    """What a page does with a prose field: the page's Markdown holds fragment markers, the
    site's Markdown renders it, the hooks put the fragments in and sanitise the page."""
    with page_fragments() as fragments:
        source = environment().from_string(PAGE).render(value=text)
    extensions, configs = site_markdown_config()
    html = markdown.markdown(source, extensions=extensions, extension_configs=configs)
    return sanitize_html(expand_fragments(html, fragments))


def prose_elements(page_html: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of a :func:`publish` page that come from the prose."""
    found = elements(page_html)
    site = [e for e in found if e[1].get("class") in SITE_MARKUP]
    assert [e[1]["class"] for e in site] == ["kb-doc", "kb-addressee"], page_html
    return [e for e in found if e[1].get("class") not in SITE_MARKUP]


def problems(found: list[tuple[str, dict[str, str]]]) -> list[str]:
    """Markup prose must not have made (an empty list: none)."""
    out = []
    for tag, attrs in found:
        if tag in NEVER:
            out.append(f"<{tag}>")
        for name, value in attrs.items():
            if name not in PROSE_ATTRIBUTES:
                out.append(f"<{tag} {name}>")  # style, id, data-*, on* …
            if name == "class" and not set(value.split()) <= ADMONITION_CLASSES:
                out.append(f'<{tag} class="{value}">')
            if name in {"href", "src"} and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                out.append(f"<{tag} {name}={value[:20]}>")
            if name == "src" and re.match(r"\s*(\w+:|//)", value):
                out.append(f"<{tag} src={value[:20]}>")
    return out


@pytest.mark.parametrize("text", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_makes_no_markup_on_the_page(text: str) -> None:
    html = publish(text)
    assert not problems(prose_elements(html)), html
    assert "伪造学习教育" not in "".join(str(a) for _, a in elements(html)), html


@pytest.mark.parametrize("text", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_makes_no_markup_in_the_prose_html(text: str) -> None:
    html = prose.to_html(text)
    assert not problems(elements(html)), html


@pytest.mark.parametrize("seed", range(30))
def test_random_combinations_make_no_markup(seed: int) -> None:
    for text in fuzz_texts(seed):
        assert not problems(elements(prose.to_html(text))), text
        assert not problems(prose_elements(publish(text))), text


@pytest.mark.parametrize("text", [FAKE_BUTTON, f"\\`{FAKE_BUTTON}`", f"    ```\n{FAKE_BUTTON}"],
                         ids=["plain", "backslash backtick", "indented fence"])
def test_raw_html_is_shown_as_text(text: str) -> None:
    html = publish(text)
    assert "&lt;a class=\"md-button md-button--primary\"" in html
    assert "下载Word版（新）&lt;/a&gt;" in html


def test_checker_sees_what_it_is_meant_to_see() -> None:
    found = elements('<a class="md-button" href="javascript:x" data-x="1" style="s">y</a><span id="i">')
    assert problems(found) == ['<a class="md-button">', "<a href=javascript:x>", "<a data-x>",
                               "<a style>", "<span>", "<span id>"]


# --- Markdown structure still renders ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| 项目 | 数量 |\n|---|--:|\n| 走访 | 32 |", '<td align="right">32</td>'),
        ("- 第一项\n- 第二项", "<li>第一项</li>"),
        ("1. 第一项\n2. 第二项", "<ol>"),
        ('!!! note "说明"\n    注意事项', '<div class="admonition note">'),
        ('!!! warning "说明"\n    注意事项', '<p class="admonition-title">说明</p>'),
        ('??? tip "展开"\n    内容', '<details class="tip">'),
        ('???+ tip "展开"\n    内容', '<summary>展开</summary>'),
        ("[官网](https://example.org/a)", '<a href="https://example.org/a">官网</a>'),
        ("[相对链接](../other/)", 'href="../other/"'),
        ("[邮件](mailto:a@example.org)", 'href="mailto:a@example.org"'),
        ("**加粗**与*强调*", "<strong>加粗</strong>与<em>强调</em>"),
        ("行内 `<br>` 代码", "<code>&lt;br&gt;</code>"),
        ("```\n<b>{x}</b>\n```", "<pre><code>&lt;b&gt;{x}&lt;/b&gt;"),
        ("术语\n:   解释", "<dt>术语</dt>"),
        ("*[CPC]: 中国共产党\n\nCPC 党员", '<abbr title="中国共产党">CPC</abbr>'),
        ("> 引用", "<blockquote>"),
        ("![本站](../assets/a.png)", 'src="../assets/a.png"'),
        ("比较 a<b 与 <b>加粗</b>", "a&lt;b 与 &lt;b&gt;加粗&lt;/b&gt;"),
        ("&lt;script&gt;", "&lt;script&gt;"),
    ],
)
def test_markdown_structure_survives(text: str, expected: str) -> None:
    assert expected in prose.to_html(text)
    assert expected in publish(text)


@pytest.mark.parametrize(
    "text",
    ["# 大标题\n\n正文", "## 二级\n正文", "### 三级", "大标题\n===\n\n正文", "小标题\n---\n\n正文",
     "> # 引用里的标题", "- ## 列表里的标题", "1. # 编号列表里的标题"],
    ids=["atx h1", "atx h2", "atx h3", "setext h1", "setext h2", "in blockquote", "in list",
         "in numbered list"],
)
def test_headings_stay_below_the_outline(text: str) -> None:
    tags = {tag for tag, _ in elements(prose.to_html(text))}
    assert "h4" in tags and not tags & {"h1", "h2", "h3"}


@pytest.mark.parametrize(
    "text",
    ['段落\n{: #report-title .kb-badge--late hidden }', '[链接](https://example.org){: .md-button }',
     "文字 { #x }", "\\`x` {: .md-button }"],
    ids=["block attr_list", "inline attr_list", "bare braces", "after a backslash backtick"],
)
def test_attribute_lists_are_text(text: str) -> None:
    html = prose.to_html(text)
    assert not [a for _, a in elements(html) if {"id", "class", "hidden"} & set(a)], html
    assert "{" in html


# --- the plain-text path gives what Markdown gives --------------------------------------

PLAIN_ALPHABET = ["中", "文", "。", "，", "a", "1", ".", "-", ":", "?", "+", ")", "%", "(", " ", "  ",
                  "\u3000", "\u00a0", "\n", "\n\n", "\n \n", "\u2028", "\"", "'", "/", ";", "@"]


def markdown_html(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(prose, "is_plain", lambda _text: False)
        return prose.to_html(text)


@pytest.mark.parametrize("seed", range(10))
def test_plain_path_matches_markdown(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    checked = 0
    for _ in range(300):
        text = "".join(rng.choice(PLAIN_ALPHABET) for _ in range(rng.randint(1, 30)))
        if prose.is_plain(text.strip()):
            checked += 1
            assert prose.to_html(text) == markdown_html(text, monkeypatch), repr(text)
    assert checked > 20


@pytest.mark.parametrize(
    "text",
    ["??? note\n    细节", "- 列表", "1. 编号", "+ 列表", "术语\n: 解释", "标题\n---", "-", "正文  \n换行",
     "\u3000首行缩进", "    缩进代码", "a\tb", "a *b*", "a<b", "a&b", "a|b", "#标题", "> 引用"],
)
def test_markup_is_not_taken_for_plain_text(text: str) -> None:
    assert not prose.is_plain(text)


# --- leads, fragments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "lead", "bold", "expected"),
    [
        ("内容。", "一是学习。", True, "<p><strong>一是学习。</strong>内容。</p>"),
        ("内容。\n\n第二段。", "一是", False, "<p>一是内容。</p>\n<p>第二段。</p>"),
        ("- 甲\n- 乙", "二是清单。", True, "<p><strong>二是清单。</strong></p>\n<ul>"),
        ("", "三是<b>。", True, "<p><strong>三是&lt;b&gt;。</strong></p>"),
    ],
)
def test_lead_starts_the_first_paragraph(body: str, lead: str, bold: bool, expected: str) -> None:
    assert prose.with_lead(prose.to_html(body), lead, bold).startswith(expected)


def test_prose_filter_needs_a_page() -> None:
    with pytest.raises(RuntimeError):
        md_prose("正文")


def test_prose_is_a_fragment_of_its_page() -> None:
    with page_fragments() as fragments:
        first, second = md_prose("**甲**"), md_prose("<!-- kb-fragment 0 -->")
    assert (first, second) == ("<!-- kb-fragment 0 -->", "<!-- kb-fragment 1 -->")
    assert fragments == ["<p><strong>甲</strong></p>", "<p>&lt;!-- kb-fragment 0 --&gt;</p>"]
    assert expand_fragments(f"{first}\n{second}", fragments).count("<strong>") == 1


def test_fields_do_not_reach_into_each_other() -> None:
    """Definitions and unclosed fences of one field stay in it (each is rendered alone)."""
    with page_fragments() as fragments:
        md_prose("*[CPC]: 中国共产党\n\n[r]: https://example.org\n\n```\n未闭合")
        md_prose("CPC [x][r] 正文")
    assert fragments[1] == "<p>CPC [x][r] 正文</p>"


@functools.cache
def example_pages() -> dict[str, pages.GeneratedPage]:
    kb, _ = build.load(Path(DATA))
    return {p.src_uri: p for p in pages.core_pages(kb, SiteSettings("2026-01-01"))}


@pytest.mark.parametrize("src", ["materials/index.md", "reports/2023-zhuti/index.md",
                                 "reports/2023-zhuti/shi-czj.md"])
def test_each_marker_is_a_block_of_its_own(src: str) -> None:
    page = example_pages()[src]
    lines = page.content.split("\n")
    markers = [i for i, line in enumerate(lines) if "kb-fragment" in line]
    assert len(markers) == len(page.fragments) > 0
    for i in markers:
        assert re.fullmatch(r"<!-- kb-fragment \d+ -->", lines[i]), lines[i]
        assert lines[i - 1] == "" and lines[i + 1] == "", lines[i - 1:i + 2]


def test_clean_prose_is_idempotent_on_rendered_prose() -> None:
    for text in fuzz_texts(99):
        html = prose.to_html(text)
        assert clean_prose(html) == html
