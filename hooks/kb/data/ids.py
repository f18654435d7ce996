"""Identifiers: the one rule for campaign, unit, group and material ids, explained in Chinese.

Ids become URLs and file names, so they are lower-case ASCII letters, digits and ``-``,
at most 64 characters. The schemas spell the same pattern (``ID_PATTERN``); file names,
folder names and the contributor tools check against it here.
"""

from __future__ import annotations

import re

ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE = re.compile(ID_PATTERN[1:-1])
NOT_ID_CHARACTERS = "只能用小写英文字母、数字和“-”，并以字母或数字开头"  # the reason when no other applies


def explain_id(value: str) -> str:
    """Why ``value`` is not a safe id (Chinese), or "" when it is one."""
    if ID_RE.fullmatch(value):
        return ""
    if value == "":
        return "为空"
    if len(value) > 64:
        return f"太长（{len(value)} 个字符，最多 64 个）"
    if any(not c.isprintable() for c in value):
        return "含有换行符或其他看不见的控制字符"
    if ".." in value or "/" in value or "\\" in value:
        return "含有路径字符（/、\\ 或 ..），会指向别的目录"
    if ":" in value:
        return "含有冒号（如 C:\\），在 Windows 上是盘符"
    if value.lower() != value and ID_RE.fullmatch(value.lower()):
        return "含有大写字母：网址和文件名在 Windows/macOS 上不区分大小写，只允许小写"
    return NOT_ID_CHARACTERS
