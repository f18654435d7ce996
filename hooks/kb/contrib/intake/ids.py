"""Unit ids from unit names, in the style of the ids already in ``data/units.yml``.

``市财政局`` becomes ``shi-czj``: a prefix for the level (市 → ``shi``, 区/县 → ``qu``,
省 → ``sheng``) and the pinyin initials of the rest. Streets, towns and townships keep
their place name in full pinyin after the level (``西湖街道`` → ``jd-xihu``, ``青山镇`` →
``zhen-qingshan``), as the existing ids do. Long official names are first shortened the way
they are usually said (发展和改革委员会 → 发改委, so ``shi-fgw``); see :data:`SHORT_FORMS`.

Readings come from pypinyin with its phrase dictionary (the common reading of a
heteronym in context: 银行 → ``yh``, 重庆 → ``cq``). Ids follow the schema's id rule
(:mod:`kb.data.ids`): lower-case ASCII letters, digits and ``-``, at most 64 characters.
:func:`unit_id` is stable (a name gives the same id for the same taken set) and never
returns a taken id (``-2``, ``-3`` … are appended).
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

from kb.data.ids import ID_RE

MAX_LENGTH = 64
SUFFIX_ROOM = 4  # "-999"

# Level written at the start of the name → id prefix. Longest first.
LEADING_LEVELS: tuple[tuple[str, str], ...] = (
    ("省", "sheng"),
    ("市", "shi"),
    ("区", "qu"),
    ("县", "qu"),
)
# Words that start with a level character without being one (市场监督管理局 is not 市 + 场…).
NOT_A_LEVEL = ("市场", "区域", "县域")
# Level written at the end of a place name → prefix; the place is spelt in full pinyin.
TRAILING_LEVELS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "jd"),
    ("街道", "jd"),
    ("镇人民政府", "zhen"),
    ("镇", "zhen"),
    ("乡人民政府", "xiang"),
    ("乡", "xiang"),
    ("社区", "sq"),
)
# Official names as they are usually shortened before taking initials. Applied in order.
SHORT_FORMS: tuple[tuple[str, str], ...] = (
    ("发展和改革", "发改"),
    ("卫生健康", "卫健"),
    ("住房和城乡建设", "住建"),
    ("市场监督管理", "市场监管"),
    ("人力资源和社会保障", "人社"),
    ("交通运输", "交通"),
    ("委员会", "委"),
)
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _clean(name: str) -> str:
    """The name without spaces, full-width forms folded (ＡＢＣ → ABC)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _ascii(syllables: list[str]) -> str:
    return "".join(_ASCII_WORD.findall("".join(syllables).lower()))


def initials(text: str) -> str:
    """Pinyin initials of ``text`` (ASCII letters and digits kept as they are, lower-case)."""
    return _ascii(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda s: list(s)))


def full_pinyin(text: str) -> str:
    """``text`` in toneless pinyin, syllables joined (ü written ``v``)."""
    return _ascii(lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: list(s)))


def _shorten(text: str) -> str:
    for long, short in SHORT_FORMS:
        text = text.replace(long, short)
    return text


def base_id(name: str) -> str:
    """The id for ``name`` before collisions are considered ("" when nothing usable is left)."""
    text = _clean(name)
    for suffix, prefix in TRAILING_LEVELS:
        place = text[: -len(suffix)] if text.endswith(suffix) else ""
        if place and not place.endswith(("市", "区", "县")):
            return _join(prefix, full_pinyin(place))
    prefix = ""
    for level, code in LEADING_LEVELS:
        if text.startswith(level) and not text.startswith(NOT_A_LEVEL) and len(text) > len(level):
            prefix, text = code, text[len(level):]
            break
    return _join(prefix, initials(_shorten(text)))


def _join(prefix: str, body: str) -> str:
    body = body[: MAX_LENGTH - SUFFIX_ROOM - len(prefix) - 1]
    if prefix and body:
        return f"{prefix}-{body}"
    return prefix or body


def unit_id(name: str, taken: set[str]) -> str:
    """A schema-valid id for ``name`` that is not in ``taken`` (``-2``, ``-3`` … when needed)."""
    base = base_id(name) or "danwei"
    if not ID_RE.fullmatch(base):  # e.g. starts with "-" after cleaning: never in practice
        base = "danwei-" + base.strip("-")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
