"""Inline code against the Content-Security-Policy (kb.deploy.csp): what counts as inline
code, which policy allows it, and the real site against the shipped nginx policy."""

from __future__ import annotations

import pytest

from conftest import ROOT
from kb.deploy import csp, nginxconf

TEMPLATE = ROOT / "deploy" / "nginx" / "kb-reports.conf.template"


@pytest.mark.parametrize(("html", "field", "value"), [
    ("<script>alert(1)</script>", "scripts", "alert(1)"),
    ('<script type="module">x()</script>', "scripts", "x()"),
    ('<script type="application/json">{"a":1}</script>', "scripts", None),
    ('<script src="a.js"></script>', "scripts", None),
    ("<style>p{color:red}</style>", "styles", "p{color:red}"),
    ('<td style="text-align: right;">1</td>', "style_attrs", "text-align: right;"),
    ('<button onclick="print()">打印</button>', "handlers", "p.html: <button onclick>"),
    ('<a href=" JavaScript:void(0)">x</a>', "handlers", "p.html: <a href=javascript:>"),
    ('<a href="&#106;avascript:x()">x</a>', "handlers", "p.html: <a href=javascript:>"),
    ("<SCRIPT>up()</SCRIPT>", "scripts", "up()"),
    ('<p title="a > b" style="color: red">x</p>', "style_attrs", "color: red"),
    ("<!-- <script>old()</script> -->", "scripts", None),
    ('<script>if (a<b) x("<p style=z>")</script>', "style_attrs", None),
    ('<img src=x.png onerror=alert(1)>', "handlers", "p.html: <img onerror>"),
])
def test_inline_code_is_found(tmp_path, html, field, value):
    (tmp_path / "p.html").write_text(f"<!doctype html><body>{html}</body>", encoding="utf-8")
    found = getattr(csp.inline_code(tmp_path), field)
    assert found == ({value} if value is not None else set())


POLICY = ("default-src 'none'; script-src 'self' " + csp.csp_hash("ok()")
          + "; style-src 'self' 'unsafe-hashes' " + csp.csp_hash("text-align: left;"))


@pytest.mark.parametrize(("code", "problem"), [
    (csp.InlineCode(scripts={"ok()"}, style_attrs={"text-align: left;"}), None),
    (csp.InlineCode(scripts={"evil()"}), "内联脚本未被 CSP 允许"),
    (csp.InlineCode(styles={"p{}"}), "内联 <style> 未被 CSP 允许"),
    (csp.InlineCode(style_attrs={"color: red"}), "style 属性未被 CSP 允许"),
    (csp.InlineCode(handlers={"a.html: <a onclick>"}), "内联事件处理"),
])
def test_csp_problems(code, problem):
    problems = csp.csp_problems(code, POLICY)
    assert (problems == []) if problem is None else (len(problems) == 1 and problem in problems[0])


def test_style_attribute_hash_needs_unsafe_hashes():
    policy = "style-src 'self' " + csp.csp_hash("text-align: left;")
    code = csp.InlineCode(style_attrs={"text-align: left;"})
    assert csp.csp_problems(code, policy)


@pytest.mark.slow
def test_built_site_inline_code_is_allowed_by_the_shipped_csp(built_site):
    """Every inline script/style of the real site has its hash in deploy/nginx (else the
    browser would block it); run ``scripts/publish.py --print-csp`` to update the hashes."""
    code = csp.inline_code(built_site)
    assert code.scripts, "Material's inline scripts not found: is the parser broken?"
    policy = nginxconf.nginx_csp(TEMPLATE.read_text(encoding="utf-8"))
    assert csp.csp_problems(code, policy) == []
