"""Problem records found in data files, and their output formats.

A problem is a plain record (file, line, column, field path, message, level) like
yamllint's ``LintProblem``; formatting for people (text), GitHub annotations and
GitLab code quality happens separately, in :func:`format_problems`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

LEVEL_ZH = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one data file. ``line`` and ``column`` are 1-based (0 = unknown)."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""
    level: str = ERROR
    expected: str = field(default="", compare=False)
    found: str = field(default="", compare=False)
    rule: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def full_message(self) -> str:
        """The Chinese message with the expected/found details appended."""
        parts = [self.message]
        details = []
        if self.expected:
            details.append(f"应为：{self.expected}")
        if self.found:
            details.append(f"实际：{self.found}")
        if details:
            parts.append("（" + "；".join(details) + "）")
        return "".join(parts)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order, duplicates removed."""
    return sorted(set(problems))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def format_text(p: Problem) -> str:
    where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
    field_path = f" [{p.path}]" if p.path else ""
    return f"{where}: {LEVEL_ZH.get(p.level, p.level)}{field_path} {p.full_message()}"


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(p: Problem) -> str:
    kind = "error" if p.is_error else "warning"
    loc = f"file={p.file}"
    if p.line:
        loc += f",line={p.line},col={p.column or 1}"
    title = f"数据校验：{p.path}" if p.path else "数据校验"
    return f"::{kind} {loc},title={_gh_escape(title)}::{_gh_escape(p.full_message())}"


def gitlab_record(p: Problem) -> dict:
    digest = hashlib.sha1(
        f"{p.file}:{p.line}:{p.column}:{p.path}:{p.message}".encode()
    ).hexdigest()
    return {
        "description": f"{p.path}: {p.full_message()}" if p.path else p.full_message(),
        "check_name": p.rule or "kb-validate",
        "fingerprint": digest,
        "severity": "major" if p.is_error else "minor",
        "location": {"path": p.file, "lines": {"begin": max(p.line, 1)}},
    }


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as ``text`` (one per line), ``github`` or ``gitlab`` (JSON)."""
    items = sort_problems(problems)
    if fmt == "gitlab":
        return json.dumps([gitlab_record(p) for p in items], ensure_ascii=False, indent=2)
    render = format_github if fmt == "github" else format_text
    return "\n".join(render(p) for p in items)


def summary(problems: Iterable[Problem]) -> str:
    items = list(problems)
    errors = sum(p.is_error for p in items)
    warnings = len(items) - errors
    return f"共 {errors} 个错误，{warnings} 个警告"
