"""The validator (load and check the data tree) shared by the build, ``scripts/validate.py``, previews and tests.

:func:`load_and_validate` loads every data file safely (:mod:`kb.data.yamlsafe`), checks it
against its JSON Schema (:mod:`kb.data.schema`), then checks what a schema cannot see: file
names and layout, references between files (campaign, unit, group, batch, material
ids), duplicates, the figures a campaign declares, template placeholders left in the
text, and consistency warnings. Every finding is a :class:`~kb.data.problems.Problem` with
file, line, column and a Chinese message; nothing raises on bad data.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kb.data import confine
from kb.data import schema as schemas
from kb.data.checks import prose as prose_rules
from kb.data.problems import ERROR, WARNING, Problem, sort_problems
from kb.data.schema import ID_RE, explain_id
from kb.data.yamlsafe import INT_TAG, STR_TAG, SourceDoc, format_path, load_yaml, resolve_scalar
from kb.text import chinese_number

MODELINE = "# yaml-language-server: $schema="
SHARED = {"groups": "groups.yml", "units": "units.yml", "materials": "materials.yml"}
DONE = schemas.ledger_statuses()[-1]  # 已完成: the schema lists the statuses in order of progress

# A blank X/Ｘ/x of the template next to Chinese text: X个, 第X指导组, X党组, X次, XX单位.
_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９_])[XＸx]+(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９_])"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_PLACEHOLDER = re.compile(r"[XＸx](?:光|射线|线|型)")
# What follows the X of a template blank (X党组, XX系统, X个 …), longest first: it is quoted
# with the X, so the message shows exactly the blank (“X党组”, not “X党组认”).
_BLANK_NOUN = re.compile(
    "指导组|党工委|党支部|党总支|党组|党委|系统|单位|部门|领域|行业|街道|[局委办处科室厅院县区市镇乡村]"
    "|[个次件篇项条名人天场期家户所批届轮年月日万元亿]"
)
_SCAFFOLD = "【请填写"
_FIGURE_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_CANONICAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LEDGER_LABELS = schemas.text_field_titles("report", ("ledger", "items"))  # problem: 问题 …
# Numbering the page adds itself, written at the start of a title or lead: （一）(1) 一、 1. 一是 第一，
_CN_NUM = "[一二三四五六七八九十]+"
_NUMBERING = re.compile(
    rf"\s*(?:[（(]\s*(?:{_CN_NUM}|[0-9０-９]+)\s*[）)]|{_CN_NUM}是|{_CN_NUM}[、．.]"
    rf"|[0-9０-９]+[、．.](?![0-9０-９])|第{_CN_NUM}(?=是|[，,、：:；;\s]))[\s，,、：:；;]*"
)
_LEAD_END = re.compile(r"[\s。．.，,；;：:、]+$")  # the page ends a lead with 。 itself


@dataclass
class RawData:
    """Every loaded data file (None or absent when it could not be loaded)."""

    data_dir: Path
    groups: SourceDoc | None
    units: SourceDoc | None
    materials: SourceDoc | None
    campaigns: list[SourceDoc] = field(default_factory=list)  # data/campaigns/*.yml, by file name
    reports: list[SourceDoc] = field(default_factory=list)  # data/reports/<campaign>/<unit>.yml, by path


# ----------------------------------------------------------------- small helpers


def _items(doc: SourceDoc | None, key: str) -> Iterator[tuple[int, dict]]:
    """(index, mapping) of the list ``doc.data[key]``, skipping malformed entries."""
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        return
    for index, item in enumerate(doc.data[key]):
        if isinstance(item, dict):
            yield index, item


def _get(doc: SourceDoc, key: str) -> Any:
    return doc.data.get(key) if isinstance(doc.data, dict) else None


def _get_path(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _list(value: Any) -> list:
    """``value`` when it is a list, else [] (the schema reports the wrong type).

    A text where a list is expected (``materials: abc``) is not a list of its characters.
    """
    return value if isinstance(value, list) else []


def _id(value: Any) -> str | int | None:
    """``value`` when it can be an id or a batch number (text or integer), else None."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def _date(value: Any) -> str | None:
    """``value`` if it is a real YYYY-MM-DD date (safe to compare as text), else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return value


class _Collector:
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
        return shown if _is_utf8(shown) else os.fsencode(shown).decode("utf-8", errors="replace")

    def utf8_name(self, path: Path) -> bool:
        """False (and an error) when the file name is not valid UTF-8."""
        if _is_utf8(path.name):
            return True
        what = "目录名" if path.is_dir() else "文件名"
        self.file(
            self.rel(path), f"{what}不是 UTF-8 编码（可能是在 GBK 系统上起的名字），无法读取：请用小写英文字母和数字重新命名",
            rule="file-name-encoding",
        )
        return False

    def at(
        self,
        doc: SourceDoc,
        path: tuple,
        message: str,
        *,
        level: str = ERROR,
        key: bool = False,
        expected: str = "",
        found: str = "",
        rule: str = "",
    ) -> None:
        line, col = doc.key_mark(path) if key else doc.mark(path)
        self.problems.append(
            Problem(doc.rel, line, col, message, format_path(path), level, expected, found, rule)
        )

    def file(self, rel: str, message: str, *, level: str = ERROR, found: str = "", rule: str = "") -> None:
        self.problems.append(Problem(rel, 0, 0, message, level=level, found=found, rule=rule))


def _is_utf8(name: str) -> bool:
    """Whether a file name read from the disk was valid UTF-8 (no escaped bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _suggestion(word: str, known: Iterable[str]) -> str:
    close = schemas.suggest(word, sorted(known))
    return f"，是否想写 {close}？" if close else ""


# ----------------------------------------------------------------- per file


class _Validator:
    """Loads single files: safe YAML, modeline, schema, ambiguous integers; layout checks."""

    def __init__(self, data_dir: Path, schema_dir: Path | None) -> None:
        self.data_dir = data_dir
        self.schema_dir = schema_dir or data_dir / "schema"
        self.out = _Collector(data_dir.parent)
        self.compiled, schema_problems = schemas.load_schemas(self.schema_dir)
        self.markdown: dict[str, set[tuple]] = {}  # file kind -> Markdown field patterns
        self.out.problems += schema_problems

    def load(self, path: Path, kind: str) -> SourceDoc | None:
        doc, problems = load_yaml(path, self.out.rel(path))
        self.out.problems += problems
        if doc is None:
            return None
        self._modeline(doc, kind)
        compiled = self.compiled.get(kind)
        before = len(self.out.problems)
        if compiled is not None:
            self.out.problems += schemas.check(doc, compiled)
        flagged = {p.path for p in self.out.problems[before:]}
        self._ambiguous_ints(doc, flagged)
        self._prose(doc, kind)
        return doc

    def _prose(self, doc: SourceDoc, kind: str) -> None:
        """Links and pathological Markdown in the prose fields (:mod:`kb.data.checks.prose`)."""
        if kind not in self.markdown:
            compiled = self.compiled.get(kind)
            self.markdown[kind] = prose_rules.markdown_paths(compiled.schema) if compiled else set()
        patterns = self.markdown[kind]
        if not patterns:
            return
        for path, info in doc.scalars.items():
            if info.tag != STR_TAG or prose_rules.pattern_of(path) not in patterns:
                continue
            value = _get_path(doc.data, path)
            if not isinstance(value, str):
                continue
            for finding in prose_rules.check(value):
                line, col = doc.find(path, finding.anchor) or doc.mark(path)
                self.out.problems.append(Problem(
                    doc.rel, line, col, finding.message, format_path(path),
                    WARNING if finding.warning else ERROR, found=finding.needle[:40], rule=finding.rule,
                ))

    def _modeline(self, doc: SourceDoc, kind: str) -> None:
        target = os.path.relpath(self.schema_dir / f"{kind}.schema.json", doc.path.parent)
        expected = MODELINE + Path(target).as_posix()
        first = doc.first_line.strip()
        if not first.startswith(MODELINE):
            self.out.problems.append(
                Problem(
                    doc.rel, 1, 1,
                    "第一行缺少 yaml-language-server 的 $schema 声明，编辑器将无法补全字段和显示中文说明",
                    level=WARNING, expected=expected, found=first[:60], rule="modeline",
                )
            )
        elif first != expected:
            self.out.problems.append(
                Problem(
                    doc.rel, 1, 1, "第一行的 $schema 路径不对，编辑器找不到这类文件的 JSON Schema",
                    level=WARNING, expected=expected, found=first, rule="modeline",
                )
            )

    def _ambiguous_ints(self, doc: SourceDoc, flagged: set[str]) -> None:
        for path, info in doc.scalars.items():
            if info.tag != INT_TAG or not info.plain or _CANONICAL_INT.fullmatch(info.raw):
                continue
            if len(info.raw) > 40:  # the schema reports a number this long (too large)
                continue
            if format_path(path) in flagged:
                continue
            value = resolve_scalar(info.raw, "")[1]
            reading = schemas.int_reading(info.raw)
            self.out.at(
                doc, path,
                f"整数 {info.raw} 写法有歧义：YAML 1.1 把它读成了{reading} {value}；"
                f"请写成不带前导 0 和冒号的普通整数，若是文本请加引号",
                expected="十进制整数，如 12", found=info.raw, rule="yaml11-int",
            )

    # -- files and layout

    def shared(self, kind: str) -> SourceDoc | None:
        path = self.data_dir / SHARED[kind]
        if not path.is_file():
            alt = path.with_suffix(".yaml")
            hint = f"（发现了 {alt.name}，请把扩展名改为 .yml）" if alt.is_file() else ""
            self.out.file(self.out.rel(path), f"缺少数据文件{hint}", rule="missing-file")
            return None
        return self.load(path, kind)

    def _yml_files(self, folder: Path, where: str) -> list[Path]:
        """``*.yml`` files in ``folder``; other names are reported, hidden files skipped."""
        found: list[Path] = []
        for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
            name = entry.name
            if not self.out.utf8_name(entry):
                continue
            if entry.is_dir():
                self.out.file(self.out.rel(entry), f"{where}下不应有子目录", rule="layout")
            elif name.endswith(".yml"):
                found.append(entry)
            elif name.endswith(".yaml"):
                self.out.file(self.out.rel(entry), "扩展名应为 .yml（不是 .yaml），否则不会被读取", rule="layout")
            elif not name.startswith("."):
                self.out.file(self.out.rel(entry), f"{where}只应有 .yml 文件，这个文件被忽略", level=WARNING, rule="layout")
        return found

    def file_names(self, paths: list[Path], what: str) -> None:
        """Unsafe and case-colliding file names (the stem is an id)."""
        seen: dict[str, Path] = {}
        for path in paths:
            stem = path.name[: -len(".yml")]
            reason = explain_id(stem)
            if reason:
                self.out.file(
                    self.out.rel(path),
                    f"文件名 {path.name} 不是合规的{what}标识：{reason}",
                    found=path.name, rule="file-name",
                )
            folded = (path.parent.name.lower(), stem.lower())
            other = seen.get(folded)
            if other is not None:
                self.out.file(
                    self.out.rel(path),
                    f"文件名与 {self.out.rel(other)} 只有大小写不同，在 Windows/macOS 上会互相覆盖",
                    found=path.name, rule="file-name-case",
                )
            else:
                seen[folded] = path

    def campaign_files(self) -> list[Path]:
        paths = self._yml_files(self.data_dir / "campaigns", "data/campaigns/ ")
        self.file_names(paths, "学习教育")
        return paths

    def report_files(self, only: Iterable[Path] | None) -> list[Path]:
        reports_dir = self.data_dir / "reports"
        if only is None:
            candidates = [reports_dir] if reports_dir.is_dir() else []
        else:
            candidates = [Path(os.path.abspath(p)) for p in only]
        files: set[str] = set()
        for candidate in candidates:
            if candidate.is_dir():
                for folder, _dirs, names in os.walk(candidate):
                    files.update(os.path.join(folder, n) for n in names)
            else:
                files.add(str(candidate))
        kept: list[Path] = []
        for path in map(Path, sorted(files)):
            try:
                parts = path.relative_to(reports_dir).parts
            except ValueError:
                parts = ()
            name = path.name
            if name.startswith(".") and not name.endswith(".yml"):
                continue
            if not all(map(_is_utf8, parts or (name,))):
                self.out.utf8_name(next(p for p in (path, *path.parents) if not _is_utf8(p.name)))
                continue
            if name.endswith(".yaml"):
                self.out.file(self.out.rel(path), "扩展名应为 .yml（不是 .yaml），否则不会被读取", rule="layout")
            elif not name.endswith(".yml"):
                self.out.file(self.out.rel(path), "data/reports/ 下只应有 .yml 报告文件，这个文件被忽略", level=WARNING, rule="layout")
            elif len(parts) != 2:
                self.out.file(
                    self.out.rel(path),
                    "报告文件必须放在 data/reports/<学习教育 id>/<单位 id>.yml",
                    found=self.out.rel(path), rule="layout",
                )
            else:
                kept.append(path)
        for folder in sorted({p.parent for p in kept}):
            reason = explain_id(folder.name)
            if reason:
                self.out.file(self.out.rel(folder), f"目录名 {folder.name} 不是合规的学习教育标识：{reason}", rule="file-name")
        self.file_names(kept, "单位")
        return kept


# ----------------------------------------------------------------- cross-file


@dataclass
class _Index:
    """Known ids (None when the file defining them could not be read)."""

    groups: set[str] | None
    units: set[str] | None
    materials: set[str] | None
    campaigns: dict[str, _CampaignInfo]
    material_titles: dict[str, str] = field(default_factory=dict)


def _unique_ids(out: _Collector, doc: SourceDoc | None, key: str, field_name: str, what: str) -> set[str] | None:
    """Ids of the entries of ``doc[key]``; duplicates are errors at the second one."""
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        return None
    first: dict[Any, int] = {}
    for index, item in _items(doc, key):
        value = _id(item.get(field_name))
        if value is None:
            continue
        path = (key, index, field_name)
        if value in first:
            out.at(
                doc, path, f"重复的{what} {value}（第 {first[value]} 行已经定义过）",
                found=str(value), rule="duplicate-id",
            )
        else:
            first[value] = doc.mark(path)[0]
    return {str(v) for v in first}


def _check_refs(out: _Collector, doc: SourceDoc, path: tuple, value: Any, known: set[str] | None, what: str, where: str) -> bool:
    """Error when the id ``value`` is not in ``known``; True when it is known."""
    if known is None or not isinstance(value, str) or not ID_RE.fullmatch(value):
        return False
    if value in known:
        return True
    out.at(
        doc, path, f"未知的{what} {value}：{where}中没有这个标识{_suggestion(value, known)}",
        found=value, rule="unknown-id",
    )
    return False


def _check_campaign(out: _Collector, doc: SourceDoc, index: _Index) -> None:
    stem = doc.path.name[: -len(".yml")]
    cid = _get(doc, "id")
    if isinstance(cid, str) and ID_RE.fullmatch(cid) and cid != stem:
        out.at(doc, ("id",), f"学习教育标识 {cid} 与文件名 {doc.path.name} 不一致：文件名必须是 <id>.yml", expected=f"{stem}", found=cid, rule="file-name")
    batches = _unique_ids(out, doc, "batches", "id", "批次编号") or set()
    if any(type(b.get("id") if isinstance(b, dict) else None) is not int for b in _list(_get(doc, "batches"))):
        batches = set()  # a batch without a usable number: its schema error is enough
    _unique_ids(out, doc, "figures", "key", "数字键名")
    _check_at_most(out, doc)
    for i, material in enumerate(_list(_get(doc, "required_materials"))):
        _check_refs(out, doc, ("required_materials", i), material, index.materials, "学习材料", "data/materials.yml ")
    seen: dict[str, int] = {}
    for i, entry in _items(doc, "roster"):
        unit = entry.get("unit")
        _check_refs(out, doc, ("roster", i, "unit"), unit, index.units, "单位", "data/units.yml ")
        _check_refs(out, doc, ("roster", i, "group"), entry.get("group"), index.groups, "指导组", "data/groups.yml ")
        batch = entry.get("batch")
        if type(batch) is int and batches and str(batch) not in batches:
            out.at(
                doc, ("roster", i, "batch"), f"批次 {batch} 不在本学习教育的批次中",
                expected="、".join(sorted(batches)), found=str(batch), rule="unknown-id",
            )
        if isinstance(unit, str):
            if unit in seen:
                out.at(doc, ("roster", i, "unit"), f"单位 {unit} 在名册中重复出现（第 {seen[unit]} 行已有）", found=unit, rule="duplicate-id")
            else:
                seen[unit] = doc.mark(("roster", i, "unit"))[0]
    _date_order(out, doc, (), "学习教育")
    for i, _batch in _items(doc, "batches"):
        _date_order(out, doc, ("batches", i), "批次")


def _check_at_most(out: _Collector, doc: SourceDoc) -> None:
    """``at_most`` of a declared figure names another figure of the same campaign."""
    keys = [f.get("key") for _i, f in _items(doc, "figures") if isinstance(f.get("key"), str)]
    for i, figure in _items(doc, "figures"):
        other = figure.get("at_most")
        if not isinstance(other, str) or not _FIGURE_KEY.fullmatch(other):
            continue  # the schema reports it
        path = ("figures", i, "at_most")
        if other == figure.get("key"):
            out.at(doc, path, f"at_most 不能指向本项数字 {other} 自己：请写另一项数字的键名", found=other, rule="at-most")
        elif other not in keys:
            out.at(
                doc, path, f"at_most 指向的数字 {other} 不在本学习教育的 figures 中{_suggestion(other, keys)}",
                expected="、".join(str(k) for k in keys), found=other, rule="unknown-figure",
            )


def _date_order(out: _Collector, doc: SourceDoc, base: tuple, what: str) -> None:
    node: Any = doc.data
    for part in base:
        node = node[part] if isinstance(node, dict | list) else None
    if not isinstance(node, dict):
        return
    start, end = _date(node.get("start")), _date(node.get("end"))
    if start and end and start > end:
        out.at(doc, base + ("end",), f"{what}的结束日期早于开始日期 {start}", level=WARNING, found=end, rule="date-order")


@dataclass
class _CampaignInfo:
    """What report checks need from one campaign, computed once per run."""

    doc: SourceDoc
    roster: dict[str, dict]
    figures: dict[str, dict]
    batches: dict[Any, dict]
    required_materials: list[str]

    @classmethod
    def of(cls, doc: SourceDoc) -> _CampaignInfo:
        return cls(
            doc,
            {e["unit"]: e for _i, e in _items(doc, "roster") if isinstance(e.get("unit"), str)},
            {f["key"]: f for _i, f in _items(doc, "figures") if isinstance(f.get("key"), str)},
            {_id(b.get("id")): b for _i, b in reversed(list(_items(doc, "batches"))) if _id(b.get("id")) is not None},
            [m for m in _list(_get(doc, "required_materials")) if isinstance(m, str)],
        )


def _check_report(out: _Collector, doc: SourceDoc, index: _Index) -> tuple[str, str]:
    """Check one report against the shared files; return the (campaign, unit) it claims."""
    folder, stem = doc.path.parent.name, doc.path.name[: -len(".yml")]
    unit, cid = _get(doc, "unit"), _get(doc, "campaign")
    if isinstance(cid, str) and cid != folder:
        out.at(doc, ("campaign",), f"报告在目录 reports/{folder}/ 下，但 campaign 写的是 {cid}：两者必须一致", expected=folder, found=cid, rule="layout")
    if isinstance(unit, str) and unit != stem:
        out.at(doc, ("unit",), f"报告文件名是 {doc.path.name}，但 unit 写的是 {unit}：文件名必须是 <单位 id>.yml", expected=stem, found=unit, rule="layout")
    if not isinstance(cid, str):
        cid = folder
    if not isinstance(unit, str):
        unit = stem
    unit_known = _check_refs(out, doc, ("unit",), unit, index.units, "单位", "data/units.yml ")
    info = index.campaigns.get(cid)
    if info is None and ID_RE.fullmatch(cid):
        out.at(
            doc, ("campaign",), f"未知的学习教育 {cid}：data/campaigns/ 中没有 {cid}.yml{_suggestion(cid, index.campaigns)}",
            found=cid, rule="unknown-id",
        )
    for i, material in enumerate(_list(_get(doc, "materials"))):
        _check_refs(out, doc, ("materials", i), material, index.materials, "学习材料", "data/materials.yml ")
    if info is not None:
        entry = info.roster.get(unit)
        if entry is None and unit_known:
            out.at(doc, ("unit",), f"单位 {unit} 不在学习教育 {cid} 的名册（roster）中：请先在 {info.doc.rel} 的 roster 里添加", found=unit, rule="roster")
        _check_figures(out, doc, info)
        _check_dates(out, doc, info, entry)
        _check_required_materials(out, doc, info, index)
    _check_ledger_labels(out, doc)
    _check_numbering(out, doc)
    return cid, unit


def _check_figures(out: _Collector, doc: SourceDoc, info: _CampaignInfo) -> None:
    figures = _get(doc, "figures")
    if not isinstance(figures, dict):
        return
    declared = info.figures
    suggested: set[str] = set()
    for key in figures:
        if key not in declared:
            close = schemas.suggest(str(key), list(declared))
            suggested.add(close)
            hint = f"，是否想写 {close}？" if close else f"（本学习教育声明的数字：{'、'.join(declared)}）"
            out.at(doc, ("figures", key), f"学习教育 {info.doc.path.stem} 没有声明数字 {key}{hint}", key=True, found=str(key), rule="unknown-figure")
    for key, spec in declared.items():
        if spec.get("required") is True and key not in figures and key not in suggested:
            out.at(
                doc, ("figures",), f"缺少必填数字 {key}（{spec.get('label', '')}，单位：{spec.get('unit', '')}）",
                key=True, expected=key, rule="missing-figure",
            )
    _check_zero_figures(out, doc, figures, declared)
    for big, spec in declared.items():
        small = spec.get("at_most")
        if not isinstance(small, str) or small not in declared or small == big:
            continue
        a, b = figures.get(big), figures.get(small)
        if type(a) is int and type(b) is int and a > b:
            label_a = declared.get(big, {}).get("label", big)
            label_b = declared.get(small, {}).get("label", small)
            out.at(
                doc, ("figures", big), f"“{label_a}”（{a}）多于“{label_b}”（{b}），请核对",
                level=WARNING, found=f"{a} > {b}", rule="figures-consistency",
            )


def _check_zero_figures(out: _Collector, doc: SourceDoc, figures: dict, declared: dict[str, dict]) -> None:
    """Warning when every required figure is 0: the scaffold's figures were never filled in."""
    required = [key for key, spec in declared.items() if spec.get("required") is True]
    values = [figures.get(key) for key in required]
    if not required or any(type(v) is not int or v != 0 for v in values):
        return
    names = "、".join(f"{key}（{declared[key].get('label', '')}）" for key in required)
    out.at(
        doc, ("figures",), f"关键数据全部为 0，请填写实际数字：figures 中的 {names}都是 0",
        level=WARNING, key=True, found="0", rule="figures-zero",
    )


def _check_required_materials(out: _Collector, doc: SourceDoc, info: _CampaignInfo, index: _Index) -> None:
    """Warning for ``materials: []`` when the campaign lists required study materials.

    A report may list only some of them (units study different texts); an empty list is
    what the scaffold leaves when the campaign had none, or a contributor's “fill in later”.
    A missing ``materials`` is already a schema error.
    """
    if _get(doc, "materials") != [] or not info.required_materials:
        return
    required = info.required_materials
    names = "、".join(
        f"《{index.material_titles[m]}》（{m}）" if m in index.material_titles else m for m in required
    )
    out.at(
        doc, ("materials",),
        f"未列出本次学习教育的必读材料：materials 是空的，而学习教育 {info.doc.path.stem} 的必读材料有 {names}；"
        f"请把本单位学习过的材料 id 写进 materials",
        level=WARNING, expected="、".join(required), found="[]", rule="required-materials",
    )


def _check_ledger_labels(out: _Collector, doc: SourceDoc) -> None:
    """Error when a 整改台账 field still holds its column label (problem: 问题), as in the scaffold's example."""
    for i, item in _items(doc, "ledger"):
        for name, label in LEDGER_LABELS.items():
            value = item.get(name)
            if isinstance(value, str) and _is_label(value, label):
                out.at(
                    doc, ("ledger", i, name),
                    f"整改台账第 {i + 1} 条的 {name}（{label}）还是示例文字“{value.strip()}”：请填写实际的{label}",
                    found=value, rule="placeholder",
                )


def _is_label(value: str, label: str) -> bool:
    """``value`` is ``label`` itself, maybe with a bracketed note (责任单位（处室）)."""
    text = value.strip()
    return text == label or bool(re.fullmatch(re.escape(label) + r"\s*[（(][^）)]*[）)]", text))


def _numbered_texts(doc: SourceDoc) -> Iterator[tuple[tuple, str, bool]]:
    """(path, text, is a lead) of the section titles and point leads the page numbers itself."""
    highlights, plans, problems = _get(doc, "highlights"), _get(doc, "plans"), _get(doc, "problems")
    for part, block in (("highlights", highlights), ("plans", plans)):
        sections = block.get("sections") if isinstance(block, dict) else None
        for i, section in enumerate(_list(sections)):
            if not isinstance(section, dict):
                continue
            yield (part, "sections", i, "title"), section.get("title"), False
            for j, point in enumerate(_list(section.get("points"))):
                if isinstance(point, dict):
                    yield (part, "sections", i, "points", j, "lead"), point.get("lead"), True
    for j, point in enumerate(_list(problems.get("points") if isinstance(problems, dict) else None)):
        if isinstance(point, dict):
            yield ("problems", "points", j, "lead"), point.get("lead"), True


def _check_numbering(out: _Collector, doc: SourceDoc) -> None:
    """Warning for a title or lead that starts with its own numbering, or a lead ending in 。."""
    for path, text, lead in _numbered_texts(doc):
        if not isinstance(text, str) or not text.strip():
            continue
        number = _NUMBERING.match(text)
        head = number.group().strip() if number and number.end() < len(text) else ""
        end = _LEAD_END.search(text) if lead else None
        tail = end.group().strip() if end else ""
        if not head and not tail:
            continue
        fixed = text[number.end() if head and number else 0 : end.start() if tail and end else len(text)].strip()
        n = chinese_number(path[-2] + 1)
        shown = f"{n}是{text.strip()}。" if lead else f"（{n}）{text.strip()}"
        added = f"“{n}是”和句末的“。”" if lead else f"序号“（{n}）”"
        parts = [f"开头的“{head}”"] if head else []
        parts += [f"句末的“{tail}”"] if tail else []
        what = "领句 lead" if lead else "小节标题 title"
        out.at(
            doc, path,
            f"{what} 不用写{'和'.join(parts)}：网页会自动加上{added}，现在会显示成“{shown}”；请写成：{fixed}",
            level=WARNING, expected=fixed, found=text, rule="numbering",
        )


def _check_dates(out: _Collector, doc: SourceDoc, info: _CampaignInfo, entry: dict | None) -> None:
    start = _date(_get(info.doc, "start"))
    batch_id = _id(entry.get("batch")) if entry else None
    batch = info.batches.get(batch_id) if batch_id is not None else None
    submitted = _date(_get(doc, "submitted"))
    batch_start = _date(batch.get("start")) if batch else None
    if submitted and batch_start and submitted < batch_start:
        out.at(
            doc, ("submitted",), f"报送日期早于所在批次（{batch.get('name', '')}）的开始日期 {batch_start}，请核对",
            level=WARNING, found=submitted, rule="date-order",
        )
    for i, item in _items(doc, "ledger"):
        deadline, status = _date(item.get("deadline")), item.get("status")
        if deadline and start and deadline < start:
            out.at(
                doc, ("ledger", i, "deadline"), f"整改时限早于学习教育开始日期 {start}，请核对",
                level=WARNING, found=deadline, rule="date-order",
            )
        if status == DONE and not item.get("completed"):
            out.at(
                doc, ("ledger", i, "status"), "状态为“已完成”，但没有填写完成日期 completed",
                level=WARNING, expected="completed: YYYY-MM-DD", rule="ledger-completed",
            )
        elif item.get("completed") and isinstance(status, str) and status != DONE:
            out.at(
                doc, ("ledger", i, "completed"), f"填写了完成日期，但状态是“{status}”而不是“已完成”，请核对",
                level=WARNING, found=status, rule="ledger-completed",
            )


class Placeholder(NamedTuple):
    """A template blank left in a text: where the X is, and a quote around it."""

    offset: int  # of the X (or of 【) in the text
    quote: str  # e.g. 第X指导组
    lead: int  # offset of the X inside ``quote``


def find_placeholders(text: str) -> list[Placeholder]:
    """Template blanks left in ``text``: X个, 第X指导组, X党组, X次 …, and 【请填写…】."""
    found: list[Placeholder] = []
    if "X" in text or "x" in text or "Ｘ" in text:
        for match in _PLACEHOLDER.finditer(text):
            start, end = match.span()
            before, after = text[start - 1 : start], text[end : end + 1]
            if not (_CJK.match(before) or _CJK.match(after)) or _NOT_PLACEHOLDER.match(text, end - 1):
                continue
            left = start - 1 if before == "第" else start
            noun = _BLANK_NOUN.match(text, end)
            right = noun.end() if noun else end
            found.append(Placeholder(start, text[left:right], start - left))
    scaffold = text.find(_SCAFFOLD)
    if scaffold >= 0:
        close = text.find("】", scaffold)
        found.append(Placeholder(scaffold, text[scaffold : close + 1 if close >= 0 else scaffold + 12], 0))
    return found


def _check_placeholders(out: _Collector, doc: SourceDoc) -> None:
    for path, info in doc.scalars.items():
        if info.tag != STR_TAG:
            continue
        for blank in find_placeholders(info.raw):
            found = doc.find(path, blank.quote)
            line, col = (found[0], found[1] + blank.lead) if found else doc.mark(path)
            out.problems.append(
                Problem(
                    doc.rel, line, col, f"模板占位符“{blank.quote}”没有替换：请填写实际内容",
                    format_path(path), ERROR, rule="placeholder",
                )
            )


# ----------------------------------------------------------------- entry point

PARALLEL_MIN_REPORTS = 200  # below this, starting worker processes costs more than it saves


@dataclass
class _Claim:
    """The (campaign, unit) a report claims, to find two reports for the same unit."""

    campaign: str
    unit: str
    rel: str
    mark: tuple[int, int]


_ReportResult = tuple[SourceDoc | None, list[Problem], _Claim | None]
_WORKER: tuple[_Validator, _Index, bool] | None = None  # set before forking workers


def _process_report(run: _Validator, index: _Index, path: Path) -> _ReportResult:
    """Load and check one report: (document, its problems, its claim)."""
    start = len(run.out.problems)
    doc = run.load(path, "report")
    claim = None
    if doc is not None:
        cid, unit = _check_report(run.out, doc, index)
        _check_placeholders(run.out, doc)
        claim = _Claim(cid, unit, doc.rel, doc.mark(("unit",)))
    problems = run.out.problems[start:]
    del run.out.problems[start:]
    return doc, problems, claim


def _work(chunk: list[Path]) -> list[_ReportResult]:
    """Worker process: check a chunk of reports with the forked validator and index."""
    assert _WORKER is not None
    run, index, keep_docs = _WORKER
    results = [_process_report(run, index, path) for path in chunk]
    return results if keep_docs else [(None, problems, claim) for _doc, problems, claim in results]


def _process_reports(run: _Validator, index: _Index, paths: list[Path], jobs: int, keep_docs: bool) -> list[_ReportResult]:
    global _WORKER
    if jobs <= 1 or len(paths) < PARALLEL_MIN_REPORTS or "fork" not in multiprocessing.get_all_start_methods():
        return [_process_report(run, index, path) for path in paths]
    size = max(16, len(paths) // (jobs * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    _WORKER = (run, index, keep_docs)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for part in pool.map(_work, chunks) for result in part]
    finally:
        _WORKER = None


def _refused(data_dir: Path, only: Iterable[Path] | None, schema_dir: Path | None) -> list[Problem]:
    """Symlinks and special files in the data tree, the schema folder or the given reports."""
    root = data_dir.parent
    problems = confine.scan(data_dir, root)
    if schema_dir is not None:
        problems += confine.scan(Path(os.path.abspath(schema_dir)), root)
    for path in only or ():
        given = Path(os.path.abspath(path))
        if not given.is_relative_to(data_dir):
            problems += confine.scan(given, root)
    return problems


def load_and_validate(
    data_dir: Path,
    only: Iterable[Path] | None = None,
    schema_dir: Path | None = None,
    *,
    jobs: int = 1,
    keep_docs: bool = True,
) -> tuple[RawData, list[Problem]]:
    """Load and check the data tree; problems are sorted.

    ``only`` restricts the report files (files or folders under ``data/reports``);
    groups, units, materials and campaigns are always loaded. ``schema_dir`` defaults to
    ``data_dir / "schema"``. ``jobs`` > 1 checks many reports in that many forked worker
    processes; with ``keep_docs=False`` (for checking only) ``RawData.reports`` stays empty
    and the workers send back nothing but problems.
    """
    data_dir = Path(os.path.abspath(data_dir))
    refused = _refused(data_dir, only, schema_dir)
    if refused:  # nothing is read while a link or a special file is there (kb.data.confine)
        return RawData(data_dir, None, None, None, [], []), sort_problems(refused)
    run = _Validator(data_dir, Path(os.path.abspath(schema_dir)) if schema_dir else None)
    out = run.out
    groups, units, materials = (run.shared(kind) for kind in ("groups", "units", "materials"))
    campaigns = [d for d in (run.load(p, "campaign") for p in run.campaign_files()) if d is not None]
    report_paths = run.report_files(only)

    campaign_index: dict[str, _CampaignInfo] = {}
    for doc in campaigns:
        cid = _get(doc, "id")
        if isinstance(cid, str):
            if cid in campaign_index:
                out.at(doc, ("id",), f"学习教育标识 {cid} 与 {campaign_index[cid].doc.rel} 重复", found=cid, rule="duplicate-id")
            else:
                campaign_index[cid] = _CampaignInfo.of(doc)
    index = _Index(
        groups=_unique_ids(out, groups, "groups", "id", "指导组标识"),
        units=_unique_ids(out, units, "units", "id", "单位标识"),
        materials=_unique_ids(out, materials, "materials", "id", "学习材料标识"),
        campaigns=campaign_index,
        material_titles={
            m["id"]: m["title"] for _i, m in _items(materials, "materials")
            if isinstance(m.get("id"), str) and isinstance(m.get("title"), str)
        },
    )
    _unique_ids(out, groups, "groups", "number", "指导组序号")
    known_campaigns = set(campaign_index) if campaigns or (data_dir / "campaigns").is_dir() else None
    for i, material in _items(materials, "materials"):
        for j, cid in enumerate(_list(material.get("campaigns"))):
            _check_refs(out, materials, ("materials", i, "campaigns", j), cid, known_campaigns, "学习教育", "data/campaigns/ ")
    for doc in campaigns:
        _check_campaign(out, doc, index)
    for doc in (groups, units, materials, *campaigns):
        if doc is not None:
            _check_placeholders(out, doc)

    reports: list[SourceDoc] = []
    seen: dict[tuple[str, str], str] = {}
    for doc, problems, claim in _process_reports(run, index, report_paths, jobs, keep_docs):
        out.problems += problems
        if doc is not None:
            reports.append(doc)
        if claim is None:
            continue
        key = (claim.campaign, claim.unit)
        if key in seen:
            out.problems.append(
                Problem(
                    claim.rel, claim.mark[0], claim.mark[1],
                    f"单位 {claim.unit} 在学习教育 {claim.campaign} 中已经有一份报告：{seen[key]}",
                    "unit", ERROR, found=claim.unit, rule="duplicate-report",
                )
            )
        else:
            seen[key] = claim.rel
    raw = RawData(data_dir, groups, units, materials, campaigns, reports)
    return raw, sort_problems(out.problems)
