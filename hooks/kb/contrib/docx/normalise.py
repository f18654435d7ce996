"""Text as Word writes it, made what the data files hold: line breaks and control
characters, full- and half-width forms, mixed punctuation, Markdown marks; Chinese and
Arabic numerals; dates as Chinese reports write them; loose comparison of labels.

Used by every stage of the import; imports nothing from the other stages.
"""

from __future__ import annotations

import datetime as dt
import re

_HALF = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_HALF.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20})
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"
_PUNCT_FIX = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])|(?<=[{_CJK}])\.(?=$|[{_CJK}\s])"
)
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}0-9])|(?<=[0-9])[ \t]+(?=[{_CJK}])")


_OTHER_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """Word text as the data files may hold it: every kind of line break becomes ``\n``
    and control characters the loader refuses (C0/C1 controls, U+FFFE …) are dropped."""
    return _UNPRINTABLE.sub("", _OTHER_BREAKS.sub("\n", text))


def half(text: str) -> str:
    """Full-width ASCII forms → half-width, one character for one (offsets are kept)."""
    return text.translate(_HALF)


def tidy_prose(text: str) -> tuple[str, int]:
    """Mixed punctuation made consistent for a Chinese document; returns (text, fixes).

    Half-width ``,;:?!()`` and a final ``.`` next to Chinese text become full-width;
    full-width digits and Latin letters become half-width (GB/T 15834 usage); stray
    spaces between Chinese characters, or between Chinese and digits, are removed.
    """
    count = 0

    def punct(m: re.Match) -> str:
        nonlocal count
        count += 1
        return "。" if m.group() == "." else _PUNCT_FIX[m.group()]

    def alnum(m: re.Match) -> str:
        nonlocal count
        count += 1
        return half(m.group())

    def space(_m: re.Match) -> str:
        nonlocal count
        count += 1
        return ""

    text = _FULLWIDTH_ALNUM.sub(alnum, text)
    text = _CJK_SPACE.sub(space, text)
    return _ASCII_PUNCT_NEAR_CJK.sub(punct, text), count


_MD_LINE_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d+[.)]\s|={3,}|-{3,}|!!!|\?\?\?)")
_MD_INLINE = re.compile(r"([\\`*_\[\]<])")


def escape_markdown(text: str) -> str:
    """Plain text from Word made inert as Markdown prose (the page shows it as written)."""
    lines = []
    for line in text.split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line)
        if _MD_LINE_START.match(line):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, also 〇/零 digits (二〇二三 → 2023) and Arabic digits."""
    text = half(text).strip()
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if text and all(c in digits for c in text) and len(text) > 2:
        return int("".join(str(digits[c]) for c in text))
    if not text or any(c not in digits and c != "十" for c in text):
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


# ----------------------------------------------------------------------- dates

_DATE_RE = re.compile(
    r"^\(?\s*(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*\)?$"
    r"|^\(?\s*(?P<y2>\d{4})\s*[-./]\s*(?P<m2>\d{1,2})\s*[-./]\s*(?P<d2>\d{1,2})\s*\)?$"
)


def parse_date(text: str) -> str | None:
    """'2023年9月8日', '二〇二三年九月八日', '2023.9.8', '2023-09-08' → '2023-09-08'."""
    m = _DATE_RE.match(half(text).strip())
    if not m:
        return None
    y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (
        m.group("y2"), m.group("m2"), m.group("d2"))
    values = [cn_to_int(y), cn_to_int(mo), cn_to_int(d)]
    if None in values:
        return None
    try:
        return dt.date(*values).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


LOOSE_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:[月.\-/]\s*(?:(\d{1,2})\s*日?|底)?)?")


def parse_deadline(text: str) -> str | None:
    """A ledger date cell: a full date, or '2023年12月(底)' → the last day of that month."""
    exact = parse_date(text)
    if exact:
        return exact
    m = LOOSE_DATE.search(half(text))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else None
    if day is None:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None



# ----------------------------------------------------------------- comparison


def squash(text: str) -> str:
    """``text`` half-width and without any white space: how labels and names are compared."""
    return re.sub(r"\s", "", half(text))


def lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence of ``a`` and ``b``."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
