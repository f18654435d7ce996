"""Chinese text helpers shared by every layer: numerals and Han character classes.

The bottom layer of the package: imports nothing from ``kb``.
"""

from __future__ import annotations

import re

CHINESE_NUMERALS = "一二三四五六七八九十"
# Han ideographs (〇, CJK Unified Ideographs with Extension A, compatibility ideographs,
# Extensions B–G) as a regular-expression character class body, e.g. f"[{HAN}]".
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_CHAR = re.compile(f"[{HAN}]")  # one Chinese character


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (enough for outline numbering)."""
    if n <= 0:
        raise ValueError(n)
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")
