"""The outcome of an import: the report data, the problems, and the data file's text.

:class:`ImportResult` holds what the stages found; :meth:`ImportResult.to_yaml` writes the
data file (modeline, import note, data, missing figures and leftovers as comments).
:func:`output_problems` checks that text against the loader's hard limits before it is
written (file size, field lengths, list lengths, reads back as the same data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kb.contrib import reportyaml
from kb.contrib.docx.normalise import shorten
from kb.contrib.docx.outline import PART_TITLES
from kb.contrib.docx.package import mib
from kb.contrib.reference import Reference
from kb.data import rules
from kb.data.problems import Problem, format_text, has_errors, visible

_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _one_line(text: str) -> str:
    """``text`` safe inside one comment line: control characters and line breaks become "?"."""
    return _LINE_BREAKS.sub("?", text)


@dataclass
class ImportResult:
    """The report data found in a Word file, and what the importer has to say about it."""

    data: dict[str, Any]
    campaign: str = ""
    unit: str = ""
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[Problem] = field(default_factory=list)  # text kept as comments at the end of the file
    missing_figures: list[dict] = field(default_factory=list)
    figures_declared: list[dict] = field(default_factory=list)
    source_name: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.campaign and self.unit) and not has_errors(self.problems)

    def all_problems(self) -> list[Problem]:
        """Everything the importer has to say, in the order it was found, leftovers last."""
        return self.problems + self.unmapped

    def summary(self, ref: Reference | None = None) -> str:
        """One Chinese line: what was recognised."""
        d = self.data
        unit = ref.unit(self.unit) if ref and self.unit else None
        sections = (d.get("highlights") or {}).get("sections") or []
        points = sum(len(s.get("points") or []) for s in sections)
        parts = [
            f"单位：{unit['name']}（{self.unit}）" if unit else f"单位：{self.unit or '未识别'}",
            f"学习教育：{self.campaign or '未识别'}",
            f"报告日期：{d.get('submitted', '')}",
            f"一、{len(sections)} 个小节 {points} 条做法",
            f"二、{len((d.get('problems') or {}).get('points') or [])} 条问题",
            f"三、{len((d.get('plans') or {}).get('sections') or [])} 个小节",
            f"数字 {len(d.get('figures') or {})} 项",
            f"整改台账 {len(d.get('ledger') or [])} 条",
        ]
        return " · ".join(parts)

    def to_yaml(self) -> str:
        """The data file text: modeline, import note, data, missing figures and leftovers as comments."""
        data = dict(self.data)
        figures = dict(data.get("figures") or {})
        for fig in self.missing_figures:
            need = "必填" if fig.get("required") else "可选，如有"
            figures[f"__missing_{fig['key']}"] = reportyaml.Comment(
                f"{fig['key']}: 0  # Word 中没有找到“{fig.get('label', '')}”（{fig.get('unit', '')}）："
                f"{need}请填写数字并去掉行首的 #"
            )
        if figures:
            data["figures"] = figures
        trailing = {
            f"figures.{f['key']}": f"{f.get('label', '')}（{f.get('unit', '')}）"
            for f in self.figures_declared
        }
        trailing.update({
            "highlights": PART_TITLES["highlights"],
            "problems": PART_TITLES["problems"],
            "plans": PART_TITLES["plans"],
        })
        header = [
            reportyaml.REPORT_MODELINE,
            f"# 由 scripts/import_docx.py 从 Word 文件“{_one_line(self.source_name)}”导入，请核对后再提交。",
        ]
        footer = []
        if self.unmapped:
            footer += ["", "# ---- 以下段落未能归入报告提纲，导入时保留在此（不会显示在网页上），请人工处理后删除："]
            for problem in self.unmapped:
                footer.append(f"# [{problem.path}] {problem.message}" if problem.path else f"# {problem.message}")
                footer += [f"#   {line}" for line in problem.found.splitlines()]
        return reportyaml.dump(data, header=header, trailing=trailing, footer=footer)


def format_problem(problem: Problem) -> str:
    """An import problem for the terminal: the validator's line (``file: 警告 [第 N 段] message``,
    :func:`kb.data.problems.format_text`), then the Word text it is about, shortened, as 原文."""
    line = format_text(replace(problem, found=""))
    return line + (f"\n    原文：{visible(shorten(problem.found))}" if problem.found else "")


# Validator findings that no editing of an imported file is expected to fix: the file
# would be refused as a whole, or the field is beyond what the site accepts.
HARD_RULES = frozenset({rules.SCHEMA_MAX_LENGTH.id, rules.SCHEMA_MAX_ITEMS.id})


def output_problems(text: str, data: dict[str, Any], schema_dir: Path) -> list[str]:
    """Why the data file ``text`` must not be written (Chinese, one line each); [] when it may.

    Checks the loader's hard limits on the very text: size (:data:`kb.data.yamlsafe.MAX_BYTES`),
    that the safe loader reads it without complaint and back as ``data`` (comments did not
    change it), and the schema's maximum lengths of texts and lists. Ordinary content
    errors (a missing field, a placeholder) are not checked here: the contributor fixes
    them in the written file.
    """
    from kb.data import schema, yamlsafe, yamltext

    size = len(text.encode("utf-8"))
    if size > yamlsafe.MAX_BYTES:
        return [f"导入结果有 {mib(size)}，超过单个数据文件的上限 {mib(yamlsafe.MAX_BYTES)}："
                "报告正文过长，请在 Word 中精简后重新导入"]
    raw, problems = yamltext.decode(text.encode("utf-8"), "import.yml")
    doc = None
    if raw is not None:
        doc, more = yamlsafe.parse_text(raw, Path("import.yml"), "import.yml")
        problems += more
    if doc is None or problems or doc.data != reportyaml.strip_comments(data):
        return ["导入结果无法被数据加载器原样读回（Word 中可能有特殊的控制字符），没有写出："
                "请把 Word 文件交给知识库管理员处理"]
    compiled, _ = schema.load_schemas(schema_dir)
    if "report" not in compiled:
        return []
    return [f"{p.path}：{p.full_message()}" for p in schema.check(doc, compiled["report"]) if p.rule in HARD_RULES]
