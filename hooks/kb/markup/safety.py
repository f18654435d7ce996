"""Make contributor prose safe to publish.

Two layers. Contributor prose is rendered on its own (:mod:`kb.markup.prose`: Markdown without
raw HTML) and cleaned with the strict prose allow-list of :func:`clean_prose`: only the
elements Markdown syntax makes, no ``class`` (except the closed set of admonition kinds),
``style``, ``id`` or ``data-*`` attribute, links only to http/https/mailto or this site,
images only from this site. Then every generated page is cleaned as a whole by
:func:`sanitize_html` (nh3/ammonia): no ``<script>``, no ``on*`` attributes, no
``javascript:``/``data:`` URLs; the site's own markup keeps its classes and data attributes.
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
ALIGN = {"left", "right", "center"}
# Table cells of prose align with the align attribute (no style attribute from prose).
ALLOWED_ATTR_VALUES = {"td": {"align": ALIGN}, "th": {"align": ALIGN}}
URL_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\t\n\r]")


def _external(url: str) -> bool:
    """Whether a browser would fetch ``url`` from another host (or by another scheme).

    Read as the WHATWG URL parser does: leading C0 controls and spaces are dropped, tabs and
    line breaks are removed anywhere, and a backslash counts as a slash (``/\\evil`` is
    ``//evil``).
    """
    normal = _URL_IGNORED.sub("", url).lstrip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return bool(_SCHEME.match(normal)) or normal.startswith("//")


_SAFE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":
        return value if _SAFE_STYLE.match(value) else None
    if tag == "img" and attr == "src" and _external(value):
        return None  # images only from the site itself: no request to another host
    return value


def sanitize_html(html: str) -> str:
    """Clean a rendered page with the allow-list above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRS,
        tag_attribute_values=ALLOWED_ATTR_VALUES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )


# --- the strict allow-list of contributor prose ----------------------------------------

# Admonition (!!! kind) and details (??? kind) boxes keep their kind only from this closed
# set (Material's admonition types); any other class a contributor names is dropped.
ADMONITION_KINDS = frozenset({
    "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
    "bug", "example", "quote",
})
PROSE_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "details", "div", "dl", "dt", "em", "h4",
    "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "summary", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
PROSE_ATTRS = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "details": {"open"},
}
PROSE_CLASSES = {
    "div": {"admonition", *ADMONITION_KINDS},
    "p": {"admonition-title"},
    "details": set(ADMONITION_KINDS),
}


def _prose_attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and _external(value):
        return None
    return value


_PROSE_CLEANER = nh3.Cleaner(
    tags=PROSE_TAGS,
    attributes=PROSE_ATTRS,
    tag_attribute_values=ALLOWED_ATTR_VALUES,
    allowed_classes=PROSE_CLASSES,
    url_schemes=URL_SCHEMES,
    attribute_filter=_prose_attribute_filter,
    link_rel=None,
    strip_comments=True,
)


def clean_prose(html: str) -> str:
    """Clean the HTML of one prose field with the strict prose allow-list."""
    return _PROSE_CLEANER.clean(html)
