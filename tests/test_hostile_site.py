"""End to end: hostile text in every free-text field of every data file builds into a
site where nothing runs, nothing loads from another host and the text is still shown."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

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


def poison(node, field: str = ""):
    if isinstance(node, dict):
        return {k: v if NOT_FREE_TEXT.match(str(k)) else poison(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, field) for v in node]
    if isinstance(node, str) and field:
        return node + INLINE + (BLOCK if field in PROSE else "")
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
