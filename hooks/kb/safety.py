"""Make contributor prose safe to publish.

Two layers: :func:`escape_prose` turns every ``<`` of contributor Markdown into text
before rendering (raw HTML shows literally, nothing is lost), and :func:`sanitize_html`
cleans the rendered page with an allow-list (nh3/ammonia): no ``<script>``, no ``on*``
attributes (also none smuggled in through ``attr_list``), no ``javascript:``/``data:`` URLs.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "nav", "section", "article", "aside", "header", "footer",
}
GLOBAL_ATTRS = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "hidden"}
ALLOWED_ATTRS = {
    "*": GLOBAL_ATTRS,
    "a": GLOBAL_ATTRS | {"href", "hreflang", "rel", "download"},
    "img": GLOBAL_ATTRS | {"src", "alt", "width", "height", "loading"},
    "td": GLOBAL_ATTRS | {"colspan", "rowspan", "style"},
    "th": GLOBAL_ATTRS | {"colspan", "rowspan", "scope", "style"},
    "ol": GLOBAL_ATTRS | {"start", "type"},
    "time": GLOBAL_ATTRS | {"datetime"},
    "details": GLOBAL_ATTRS | {"open"},
    "div": GLOBAL_ATTRS | {"data-pagefind-filter", "data-pagefind-meta", "data-pagefind-body",
                           "data-pagefind-ignore", "data-kb-status", "data-kb-group",
                           "data-kb-campaign", "data-kb-overdue"},
    "span": GLOBAL_ATTRS | {"data-pagefind-filter", "data-pagefind-meta"},
    "tr": GLOBAL_ATTRS | {"data-kb-status", "data-kb-group", "data-kb-campaign",
                          "data-kb-overdue"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_EXTERNAL_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
_SAFE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":
        return value if _SAFE_STYLE.match(value) else None
    if tag == "img" and attr == "src" and _EXTERNAL_URL.match(value):
        return None  # images only from the site itself: no request to another host
    return value


def sanitize_html(html: str) -> str:
    """Clean rendered HTML with the allow-list above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRS,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ATX_HEADING = re.compile(r"^([ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+\.)[ \t]+)?)(#{1,6})(?=[ \t])")
_SETEXT_UNDERLINE = re.compile(r"^[ \t]*(=+|-+)[ \t]*$")


def _escape_text(line: str) -> str:
    """Neutralise raw HTML (``<``) and attribute lists (``{``) outside code spans."""
    out, last = [], 0
    for m in _CODE_SPAN.finditer(line):
        out.append(line[last:m.start()].replace("<", "&lt;").replace("{", "\\{"))
        out.append(m.group(0))
        last = m.end()
    out.append(line[last:].replace("<", "&lt;").replace("{", "\\{"))
    return "".join(out)


def escape_prose(text: str) -> str:
    """Contributor Markdown made inert: raw HTML shows as text, ``{: …}`` attribute lists
    do nothing, and headings sit below the report outline (h4 or lower).

    Code spans and fenced code are left alone (Markdown escapes them itself).
    """
    lines, fence, previous = [], "", ""
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if fence:
            lines.append(line)
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = ""
            continue
        if marker:
            fence = marker.group(1)
            lines.append(line)
            continue
        if previous.strip() and _SETEXT_UNDERLINE.match(line):
            lines.append("")  # a text line underlined with === or --- would become h1/h2
        line = _ATX_HEADING.sub(lambda m: m.group(1) + "#" * max(len(m.group(2)), 4), line)
        lines.append(_escape_text(line))
        previous = line
    return "\n".join(lines)
