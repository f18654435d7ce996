"""What the intake did with each file: the outcome rows, the terminal table and ``intake-report.md``.

One :class:`FileResult` per file of the inbox: the file, its unit, the outcome (one of
:data:`OUTCOMES`), the figures found of those declared, the ledger rows and the messages.
:func:`table` lays them out for a terminal (CJK characters counted double width),
:func:`markdown` for the report file, :func:`exit_code` says how the run ended: 0 when
every report was imported, 1 when some need attention or failed. :func:`annotations`
turns the rows that need attention (and those imported with warnings) into problems of
the rule ``intake-file`` in the forges' formats, for the pipeline that takes in uploads.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kb.data import rules
from kb.data.problems import ERROR, WARNING, Problem, format_problems

IMPORTED = "已导入"
WARNED = "已导入（有警告）"
ATTENTION = "需要处理"
NOT_REPORT = "不是报告"
FAILED = "失败"
OUTCOMES = (IMPORTED, WARNED, ATTENTION, NOT_REPORT, FAILED)
OK = frozenset({IMPORTED, WARNED, NOT_REPORT})  # outcomes that leave exit status 0

REPORT_NAME = "intake-report.md"
HEADER = ("文件", "单位", "结果", "数字", "台账", "说明")
CELL_WIDTH = 40  # terminal columns of the widest cell (the message is cut there)


@dataclass
class FileResult:
    """One file of the inbox and what became of it."""

    name: str  # the file, relative to the inbox
    outcome: str = FAILED
    unit: str = ""
    target: str = ""  # the data file, relative to the data directory ("reports/<campaign>/<unit>.yml")
    figures: tuple[int, int] | None = None  # found, declared by the campaign
    ledger: int | None = None  # rows of the rectification ledger
    messages: list[str] = field(default_factory=list)  # Chinese, most important first
    written: str = ""  # 新写入 / 已更新 / 未改变 / 未写入 …
    review: str = ""  # a data file held back because it does not validate, relative to the inbox

    @property
    def first_message(self) -> str:
        return self.messages[0] if self.messages else ""


def exit_code(results: Sequence[FileResult]) -> int:
    """0 when every report was imported (files that are not reports do not count), else 1."""
    return 0 if all(r.outcome in OK for r in results) else 1


def counts(results: Sequence[FileResult]) -> str:
    """``共 5 个文件：已导入 3，需要处理 1，失败 1``."""
    counted = Counter(r.outcome for r in results)
    parts = [f"{o} {counted[o]}" for o in OUTCOMES if counted[o]]
    return f"共 {len(results)} 个文件" + ("：" + "，".join(parts) if parts else "")


def _cells(result: FileResult) -> tuple[str, ...]:
    figures = f"{result.figures[0]}/{result.figures[1]}" if result.figures else "—"
    ledger = str(result.ledger) if result.ledger is not None else "—"
    return (result.name, result.unit or "—", result.outcome, figures, ledger, result.first_message or "—")


def width(text: str) -> int:
    """Terminal columns ``text`` takes (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _visible(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _cut(text: str, columns: int) -> str:
    text = _visible(text)
    if width(text) <= columns:
        return text
    out, used = [], 0
    for char in text:
        used += width(char)
        if used > columns - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(results: Sequence[FileResult]) -> str:
    """The outcome of every file as an aligned text table, then the counts."""
    rows = [HEADER] + [tuple(_cut(c, CELL_WIDTH) for c in _cells(r)) for r in results]
    widths = [max(width(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines + ["", counts(results)])


def _md(text: str) -> str:
    """A table cell: one line, the characters Markdown or HTML would read escaped."""
    text = " ".join(_visible(text).split())
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text or "—"


def markdown(results: Sequence[FileResult], *, title: str = "导入结果") -> str:
    """``intake-report.md``: a table of every file, then each file's further messages."""
    lines = [f"# {title}", "", counts(results), "", "| " + " | ".join(HEADER) + " |",
             "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_md(c) for c in _cells(r)) + " |" for r in results]
    more = [r for r in results if len(r.messages) > 1 or r.target]
    if more:
        lines += ["", "## 详细说明"]
    for result in more:
        lines += ["", f"### {_md(result.name)}", ""]
        if result.target:
            lines.append(f"- 数据文件：data/{_md(result.target)}（{_md(result.written or '未写入')}）")
        if result.review:
            lines.append(f"- 待修改的数据文件（没有通过校验）：收件箱中的 {_md(result.review)}")
        lines += [f"- {_md(m)}" for m in result.messages]
    return "\n".join(lines) + "\n"


# Rows the pipeline annotates, and at which level.
ANNOTATED = {ATTENTION: ERROR, FAILED: ERROR, WARNED: WARNING}
FORMATS = ("github", "gitlab")


def problems(results: Sequence[FileResult], inbox: str) -> list[Problem]:
    """One problem per row that needs attention, failed or was imported with warnings.

    ``inbox`` is the inbox as the forge knows it (``data/inbox``), so an annotation
    points at the uploaded file; the message holds the outcome and every message of the row.
    """
    out = []
    for result in results:
        level = ANNOTATED.get(result.outcome)
        if level is None:
            continue
        unit = f"（单位 {result.unit}）" if result.unit else ""
        text = "；".join(result.messages) or "没有更多说明"
        message = f"{result.outcome}{unit}：{text}"
        out.append(Problem.of(rules.INTAKE_FILE, f"{inbox.rstrip('/')}/{result.name}", 0, 0, message, level=level))
    return out


def annotations(results: Sequence[FileResult], inbox: str, fmt: str) -> str:
    """The rows of :func:`problems` as GitHub workflow commands or GitLab code-quality JSON."""
    rendered = format_problems(problems(results, inbox), fmt)
    if fmt == "github":  # the validator's title, "数据校验", names the intake here
        rendered = rendered.replace(",title=数据校验::", ",title=导入收件箱::")
    return rendered
