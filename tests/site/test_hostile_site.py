"""End to end: hostile text in every free-text field of every data file builds into a
site where nothing runs, nothing loads from another host, prose makes no site markup
(no class, style, id or data-* attribute, no search filter) and the text is still shown."""

from __future__ import annotations

import gzip
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import DATA, run_mkdocs

pytestmark = pytest.mark.slow

# Fields that are ids, dates, numbers or enums: left as they are (the validator guards them).
NOT_FREE_TEXT = re.compile(
    r"^(id|unit|campaign|group|key|date|start|end|deadline|submitted|completed|status|category"
    r"|link|batch|number|required|materials|required_materials|campaigns|at_most)$"
)
PROSE = {"opening", "intro", "text", "summary"}
INLINE = "<svg onload=alert(1)>&amp;\\x"  # short: names and titles have length limits
BLOCK = (
    "\n\n[点击](javascript:alert(3)) [数据](data:text/html,<b>x</b>) ![图](https://evil.example/a.png)"
    "\n\n<script>alert(4)</script>\n\n标记段落\n{: onclick=\"alert(5)\" style=\"background:url(x)\" }"
    "\n\n`<code>` **加粗**\n\n# 文内标题\n\n<iframe src=\"https://evil.example\"></iframe>\n"
)
# The two payloads of issue 13 (a fake download button, a fake search filter), each after a
# backslash-backtick and after an indented fence line, and the Markdown extensions that can
# carry classes, ids and attributes. Every name they give is marked "kb-fake".
FAKE_BUTTON = ('<a class="md-button md-button--primary kb-fake" href="https://phish.example/login">'
               "下载Word版（新）</a>")
FAKE_FILTER = '<span data-pagefind-filter="指导组:第三指导组,学习教育:伪造学习教育">伪造</span>'
MARKUP = (
    f"\n\n\\`{FAKE_BUTTON}`\n\n\\`{FAKE_FILTER}`"
    "\n\n段落 {: .md-button .kb-fake #kb-fake-id data-kb-fake=\"1\" style=\"color:red\" }"
    "\n\n[链接](https://example.org){: .md-button .kb-fake }"
    "\n\n!!! md-button kb-fake \"下载\"\n    提示\n\n???+ kb-fake \"展开\"\n    细节"
    "\n\n```{.kb-fake #kb-fake-id data-kb-fake=1}\ncode\n```"
    "\n\n<div markdown=\"1\" class=\"kb-fake\" id=\"kb-fake-id\">*x*</div>"
    f"\n\n    ```\n\n{FAKE_BUTTON}\n\n{FAKE_FILTER}\n"
)
REPORT = "reports/2023-zhuti/shi-czj/index.html"
# data-pagefind-filter values of a report page: the template's, one each.
REPORT_FILTERS = ["学习教育", "指导组", "批次", "报告部分:亮点做法", "报告部分:存在的问题",
                  "报告部分:下步打算", "报告部分:整改台账"]
ADMONITION_CLASSES = {"admonition", "admonition-title", "note", "abstract", "info", "tip",
                      "success", "question", "warning", "failure", "danger", "bug", "example",
                      "quote"}


def poison(node, field: str = ""):
    if isinstance(node, dict):
        return {k: v if NOT_FREE_TEXT.match(str(k)) else poison(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, field) for v in node]
    if isinstance(node, str) and field:
        return node + INLINE + (BLOCK + MARKUP if field in PROSE else "")
    return node


class Scanner(HTMLParser):
    """Collects everything in a page that would run or fetch from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}>")
            if name in {"href", "src"} and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.findings.append(f"<{tag} {name}={value[:30]}>")
            if name == "src" and "evil.example" in value:
                self.findings.append(f"<{tag} src={value[:30]}>")
            if name == "style" and "url(" in value:
                self.findings.append(f"<{tag} style=url()>")
        if tag in {"iframe", "object", "embed"}:
            self.findings.append(f"<{tag}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.findings.append("script body with alert(")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    for path in sorted(data.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        poisoned = poison(yaml.safe_load(text))
        dumped = yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False, width=10**6)
        path.write_text(text.splitlines()[0] + "\n" + dumped, encoding="utf-8")
    site = root / "site"
    result = run_mkdocs(site, env={"KB_DATA_DIR": str(data), "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_nothing_runs_or_loads_from_elsewhere(hostile_site: Path) -> None:
    findings = {}
    for page in hostile_site.rglob("*.html"):
        scanner = Scanner()
        scanner.feed(page.read_text(encoding="utf-8"))
        if scanner.findings:
            findings[str(page.relative_to(hostile_site))] = scanner.findings[:3]
    assert not findings, findings


def test_hostile_text_is_shown_not_dropped(hostile_site: Path) -> None:
    html = (hostile_site / "reports/2023-zhuti/shi-czj/index.html").read_text(encoding="utf-8")
    assert "&lt;svg onload=alert(1)&gt;" in html  # names and titles: shown as text
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # raw HTML in prose: shown as text
    assert "<strong>加粗</strong>" in html  # Markdown still works
    assert "<title>市财政局&lt;svg" in html  # page title escaped, front matter intact


def fake_markup(tree) -> list[str]:
    """Elements carrying a class, id or attribute that hostile prose named."""
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        attrs = dict(el.attrib)
        named = ("kb-fake" in attrs.get("class", "").split() or attrs.get("id") == "kb-fake-id"
                 or any(a.startswith("data-kb-fake") for a in attrs)
                 or any("phish.example" in v or "伪造" in v for v in attrs.values()))
        if named:
            found.append(f"<{el.tag} {attrs}>")
    return found


def test_no_page_has_markup_that_prose_named(hostile_site: Path) -> None:
    findings = {}
    for page in hostile_site.rglob("*.html"):
        found = fake_markup(lxml.html.fromstring(page.read_bytes()))
        if found:
            findings[str(page.relative_to(hostile_site))] = found[:3]
    assert not findings, findings


def site_markup(el, doc) -> bool:
    """Elements of the report body that the template writes (not prose)."""
    for node in [el, *el.iterancestors()]:
        if node is doc:
            return False
        cls = node.get("class", "")
        if node.tag in {"h2", "h3"} or cls in {"kb-addressee", "kb-signature"}:
            return True
        if node.getparent() is doc and node.tag == "div" and node.get("hidden") is not None:
            return True
    return False


def test_prose_elements_carry_no_class_style_id_or_data(hostile_site: Path) -> None:
    tree = lxml.html.fromstring((hostile_site / REPORT).read_bytes())
    (doc,) = tree.xpath("//div[@class='kb-doc']")
    prose = [el for el in doc.iterdescendants() if isinstance(el.tag, str) and not site_markup(el, doc)]
    assert {el.tag for el in prose} >= {"p", "strong", "code", "div", "pre", "details"}
    bad = [f"<{el.tag} {dict(el.attrib)}>" for el in prose
           if {"style", "id"} & set(el.attrib) or any(a.startswith("data-") for a in el.attrib)
           or not set(el.get("class", "").split()) <= ADMONITION_CLASSES]
    assert not bad, bad[:5]


def test_report_search_filters_are_only_the_real_ones(hostile_site: Path) -> None:
    tree = lxml.html.fromstring((hostile_site / REPORT).read_bytes())
    assert sorted(tree.xpath("//@data-pagefind-filter")) == sorted(REPORT_FILTERS)
    filters = b"".join(gzip.decompress(f.read_bytes())
                       for f in (hostile_site / "pagefind" / "filter").glob("*.pf_filter"))
    assert "报告部分".encode() in filters  # the index holds the filters …
    assert "伪造学习教育".encode() not in filters  # … and no campaign that prose made up


def test_fake_button_is_shown_as_text(hostile_site: Path) -> None:
    html = (hostile_site / REPORT).read_text(encoding="utf-8")
    assert "&lt;a class=\"md-button md-button--primary kb-fake\"" in html
    assert "下载Word版（新）&lt;/a&gt;" in html
