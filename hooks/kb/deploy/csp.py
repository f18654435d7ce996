"""Inline code of a built site against the Content-Security-Policy of the shipped nginx configuration.

Every inline script and style must be allowed by a hash (or the policy's keywords); inline
event handlers and ``javascript:`` links are never allowed. :func:`inline_code` finds the
inline code of a site, :func:`csp_problems` names what a policy would block,
:func:`csp_suggestion` prints the hashes to put into the policy. kb.deploy.nginxconf renders
that configuration. Imports nothing from MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.deploy.errors import PublishError

_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass
class InlineCode:
    """Inline code of HTML pages, as CSP sees it."""

    scripts: set[str] = field(default_factory=set)       # inline <script> bodies
    styles: set[str] = field(default_factory=set)        # <style> bodies
    style_attrs: set[str] = field(default_factory=set)   # style="…" values
    handlers: set[str] = field(default_factory=set)      # "file: onclick" / "file: javascript:"


_Q = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # tag attributes; quoted values may hold ">"
_SCRIPT = re.compile(rf"<script\b({_Q})>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(rf"<style\b({_Q})>(.*?)</style\s*>", re.I | re.S)
_TAG = re.compile(rf"<([a-zA-Z][^\s/>]*)({_Q})>")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _attributes(raw: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTR.finditer(raw)}


def _scan_page(text: str, name: str, code: InlineCode) -> None:
    """Regular expressions, not a full parser: a site has thousands of tags per page."""
    text = _COMMENT.sub("", text)
    for match in _SCRIPT.finditer(text):
        attrs = _attributes(match[1])
        if "src" not in attrs and attrs.get("type", "").strip().lower() in _JS_TYPES:
            code.scripts.add(match[2])
    code.styles.update(m[2] for m in _STYLE.finditer(text))
    # Element bodies are not markup; keep the start tags (their attributes count).
    text = _STYLE.sub(lambda m: f"<style{m[1]}>", _SCRIPT.sub(lambda m: f"<script{m[1]}>", text))
    for tag in _TAG.finditer(text):
        for key, value in _attributes(tag[2]).items():
            if key.startswith("on"):
                code.handlers.add(f"{name}: <{tag[1].lower()} {key}>")
            elif key == "style":
                code.style_attrs.add(value)
            elif key in {"href", "src", "action", "formaction"} and re.match(
                r"\s*javascript:", value, re.I
            ):
                code.handlers.add(f"{name}: <{tag[1].lower()} {key}=javascript:>")


def inline_code(site: Path) -> InlineCode:
    """All inline code in the HTML pages of a built site."""
    code = InlineCode()
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        try:
            text = page.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PublishError(f"页面不是 UTF-8 文本，文件可能已损坏：{name}"
                               "（请重新构建 make build 后再发布）") from None
        _scan_page(text, name, code)
    return code


def parse_csp(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def _sources(policy: dict[str, list[str]], *names: str) -> list[str]:
    """The sources of the first directive present (CSP fallback order)."""
    for name in names:
        if name in policy:
            return policy[name]
    return policy.get("default-src", [])


def csp_problems(code: InlineCode, policy: str) -> list[str]:
    """Inline code of the site that ``policy`` would block (the browser would refuse it)."""
    csp = parse_csp(policy)
    problems = [f"内联事件处理或 javascript: 链接（CSP 不允许，请改用外部脚本）：{h}"
                for h in sorted(code.handlers)]
    script_src = _sources(csp, "script-src-elem", "script-src")
    style_elem = _sources(csp, "style-src-elem", "style-src")
    style_attr = _sources(csp, "style-src-attr", "style-src")
    for text in sorted(code.scripts):
        if csp_hash(text) not in script_src and "'unsafe-inline'" not in script_src:
            problems.append(f"内联脚本未被 CSP 允许：{csp_hash(text)} {text[:60]!r}…")
    for text in sorted(code.styles):
        if csp_hash(text) not in style_elem and "'unsafe-inline'" not in style_elem:
            problems.append(f"内联 <style> 未被 CSP 允许：{csp_hash(text)} {text[:60]!r}")
    hashes_ok = "'unsafe-hashes'" in style_attr
    for text in sorted(code.style_attrs):
        allowed = "'unsafe-inline'" in style_attr or (hashes_ok and csp_hash(text) in style_attr)
        if not allowed:
            problems.append(f"style 属性未被 CSP 允许：{csp_hash(text)} style={text!r}")
    return problems


def csp_suggestion(code: InlineCode) -> str:
    """The hash sources a policy needs for the site's inline scripts and styles."""
    scripts = " ".join(sorted(csp_hash(t) for t in code.scripts))
    styles = " ".join(sorted(csp_hash(t) for t in code.styles | code.style_attrs))
    return f"script-src 的哈希：{scripts or '（无）'}\nstyle-src 的哈希：{styles or '（无）'}"
