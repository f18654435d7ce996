"""Problem records found in data files, and their output formats.

A problem is a plain record (file, line, column, field path, message, level, rule id)
like yamllint's ``LintProblem``; its rule is one of the registry :mod:`kb.data.rules`
(:meth:`Problem.of`). Formatting for people (text), GitHub annotations and GitLab code
quality happens separately, in :func:`format_problems`.

File names and messages carry text from the data (values, keys, file names), so every
format keeps it inert: no record can start a line of its own, restyle a terminal or
reorder what is shown. Control characters (C0, DEL, C1), the Unicode line and paragraph
separators and the bidirectional controls are shown as ``\\n``, ``\\x1b``, ``\\u202e``;
lone surrogates (bytes of a non-UTF-8 file name, kept by ``surrogateescape``) become
U+FFFD. GitHub workflow commands escape ``%``, CR and LF in the message and also ``:`` and
``,`` in properties, as actions/toolkit's ``command.ts`` does; GitLab code quality is JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.data.rules import Rule

# One vocabulary for validation, import and build: an error stops the build (or the
# import's write), a warning should be fixed but does not stop anything, a note (提示) is
# information for the reader of the output.
ERROR = "error"
WARNING = "warning"
INFO = "info"

LEVEL_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


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

    @classmethod
    def of(
        cls,
        rule: Rule,
        file: str,
        line: int,
        column: int,
        message: str,
        *,
        path: str = "",
        level: str = "",
        expected: str = "",
        found: str = "",
    ) -> Problem:
        """A problem of a registered rule (:mod:`kb.data.rules`): its id, and its usual
        level unless ``level`` is given. The data layer builds every problem this way."""
        return cls(file, line, column, message, path, level or rule.level, expected, found, rule.id)

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


# Characters shown escaped: C0 controls, DEL, C1 controls, LINE/PARAGRAPH SEPARATOR,
# the bidirectional marks, embeddings, overrides and isolates, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _show(match: re.Match[str]) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control, separator, bidi and surrogate character shown inert
    (``\\n``, ``\\x1b``, ``\\u202e``, U+FFFD), except the characters in ``keep``."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _show(m), text)


def format_text(p: Problem) -> str:
    """One line ``file:line:col: 错误 [path] message``; data can never break the line."""
    where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
    field_path = f" [{p.path}]" if p.path else ""
    return visible(f"{where}: {LEVEL_ZH.get(p.level, p.level)}{field_path} {p.full_message()}")


def _gh_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF percent-encoded (command.ts escapeData)."""
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A workflow command's property value: as data, and ``:`` and ``,`` (escapeProperty)."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(p: Problem) -> str:
    """``::error file=…,line=…,col=…,title=…::message``, one line whatever the data holds."""
    kind = {ERROR: "error", WARNING: "warning"}.get(p.level, "notice")
    loc = f"file={_gh_property(p.file)}"
    if p.line:
        loc += f",line={p.line},col={p.column or 1}"
    title = f"数据校验：{p.path}" if p.path else "数据校验"
    return f"::{kind} {loc},title={_gh_property(title)}::{_gh_data(p.full_message())}"


def gitlab_record(p: Problem) -> dict:
    """One GitLab code-quality issue; every string in it is valid Unicode (encodable as UTF-8)."""
    digest = hashlib.sha1(
        f"{p.file}:{p.line}:{p.column}:{p.path}:{p.message}".encode("utf-8", "surrogatepass")
    ).hexdigest()
    description = f"{p.path}: {p.full_message()}" if p.path else p.full_message()
    return {
        "description": visible(description),
        "check_name": p.rule or "kb-validate",
        "fingerprint": digest,
        "severity": {ERROR: "major", WARNING: "minor"}.get(p.level, "info"),
        "location": {"path": _SURROGATE.sub("\ufffd", p.file), "lines": {"begin": max(p.line, 1)}},
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
