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
_SAFE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":
        return value if _SAFE_STYLE.match(value) else None
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


_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)


def escape_prose(text: str) -> str:
    """Contributor Markdown with raw HTML neutralised and headings demoted below the outline."""
    text = text.replace("<", "&lt;")
    # Headings inside prose must not break the report outline (h2/h3 are ours).
    return _HEADING.sub(lambda m: "#" * max(len(m.group(1)), 4), text)
