"""What every check uses: the problem collector of one run and safe readers of loaded data.

Checks run on data a schema may have refused, so nothing here trusts a shape: a list
where a mapping is expected, a number where an id is expected, are skipped (the schema
reports them) instead of raising.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kb.data import rules
from kb.data.messages import suggest
from kb.data.problems import Problem
from kb.data.rules import Rule
from kb.data.yamlsafe import SourceDoc, format_path

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def items(doc: SourceDoc | None, key: str) -> Iterator[tuple[int, dict]]:
    """(index, mapping) of the list ``doc.data[key]``, skipping malformed entries."""
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        return
    for index, item in enumerate(doc.data[key]):
        if isinstance(item, dict):
            yield index, item


def get(doc: SourceDoc, key: str) -> Any:
    return doc.data.get(key) if isinstance(doc.data, dict) else None


def get_path(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def as_list(value: Any) -> list:
    """``value`` when it is a list, else [] (the schema reports the wrong type).

    A text where a list is expected (``materials: abc``) is not a list of its characters.
    """
    return value if isinstance(value, list) else []


def as_id(value: Any) -> str | int | None:
    """``value`` when it can be an id or a batch number (text or integer), else None."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def iso_date(value: Any) -> str | None:
    """``value`` if it is a real YYYY-MM-DD date (safe to compare as text), else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def is_utf8(name: str) -> bool:
    """Whether a file name read from the disk was valid UTF-8 (no escaped bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def suggestion(word: str, known: Iterable[str]) -> str:
    close = suggest(word, sorted(known))
    return f"，是否想写 {close}？" if close else ""


class Collector:
    """Accumulates problems for one validation run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository, printable (undecodable bytes shown as �)."""
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = Path(os.path.relpath(path, self.root)).as_posix()
        return shown if is_utf8(shown) else os.fsencode(shown).decode("utf-8", errors="replace")

    def utf8_name(self, path: Path) -> bool:
        """False (and an error) when the file name is not valid UTF-8."""
        if is_utf8(path.name):
            return True
        what = "目录名" if path.is_dir() else "文件名"
        self.file(
            self.rel(path), f"{what}不是 UTF-8 编码（可能是在 GBK 系统上起的名字），无法读取：请用小写英文字母和数字重新命名",
            rule=rules.FILE_NAME_ENCODING,
        )
        return False

    def at(
        self,
        doc: SourceDoc,
        path: tuple,
        message: str,
        *,
        rule: Rule,
        level: str = "",
        key: bool = False,
        expected: str = "",
        found: str = "",
    ) -> None:
        """A problem at the value (or, with ``key``, the key) of ``path`` in ``doc``; its
        level is the rule's unless ``level`` is given."""
        line, col = doc.key_mark(path) if key else doc.mark(path)
        self.problems.append(Problem.of(
            rule, doc.rel, line, col, message, path=format_path(path), level=level, expected=expected, found=found,
        ))

    def file(self, rel: str, message: str, *, rule: Rule, level: str = "", found: str = "") -> None:
        """A problem with a whole file (no line)."""
        self.problems.append(Problem.of(rule, rel, 0, 0, message, level=level, found=found))
