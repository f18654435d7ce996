"""Files: where the data files lie, how they are named, and how each one is written.

Layout (``data/campaigns/*.yml``, ``data/reports/<campaign>/<unit>.yml``, ``.yml`` not
``.yaml``), file and folder names (safe ids, UTF-8, no two differing only in case), the
editor's ``$schema`` modeline on the first line, and integers YAML 1.1 reads in a way a
contributor does not expect (``010`` is 8).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from kb.data import rules
from kb.data.checks.base import Collector, is_utf8
from kb.data.ids import explain_id
from kb.data.messages import int_reading
from kb.data.problems import WARNING, Problem
from kb.data.schema import MODELINE_PREFIX
from kb.data.yamlsafe import INT_TAG, SourceDoc, format_path, resolve_scalar

SHARED = {"groups": "groups.yml", "units": "units.yml", "materials": "materials.yml"}
_CANONICAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def shared_file(out: Collector, data_dir: Path, kind: str) -> Path | None:
    """The path of a shared file (groups, units, materials), or None (and an error) when missing."""
    path = data_dir / SHARED[kind]
    if not path.is_file():
        alt = path.with_suffix(".yaml")
        hint = f"（发现了 {alt.name}，请把扩展名改为 .yml）" if alt.is_file() else ""
        out.file(out.rel(path), f"缺少数据文件{hint}", rule=rules.MISSING_FILE)
        return None
    return path


def yml_files(out: Collector, folder: Path, where: str) -> list[Path]:
    """``*.yml`` files in ``folder``; other names are reported, hidden files skipped."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = entry.name
        if not out.utf8_name(entry):
            continue
        if entry.is_dir():
            out.file(out.rel(entry), f"{where}下不应有子目录", rule=rules.LAYOUT)
        elif name.endswith(".yml"):
            found.append(entry)
        elif name.endswith(".yaml"):
            out.file(out.rel(entry), "扩展名应为 .yml（不是 .yaml），否则不会被读取", rule=rules.LAYOUT)
        elif not name.startswith("."):
            out.file(out.rel(entry), f"{where}只应有 .yml 文件，这个文件被忽略", level=WARNING, rule=rules.LAYOUT)
    return found


def file_names(out: Collector, paths: list[Path], what: str) -> None:
    """Unsafe and case-colliding file names (the stem is an id)."""
    seen: dict[tuple[str, str], Path] = {}
    for path in paths:
        stem = path.name[: -len(".yml")]
        reason = explain_id(stem)
        if reason:
            out.file(
                out.rel(path),
                f"文件名 {path.name} 不是合规的{what}标识：{reason}",
                found=path.name, rule=rules.FILE_NAME,
            )
        folded = (path.parent.name.lower(), stem.lower())
        other = seen.get(folded)
        if other is not None:
            out.file(
                out.rel(path),
                f"文件名与 {out.rel(other)} 只有大小写不同，在 Windows/macOS 上会互相覆盖",
                found=path.name, rule=rules.FILE_NAME_CASE,
            )
        else:
            seen[folded] = path


def campaign_files(out: Collector, data_dir: Path) -> list[Path]:
    paths = yml_files(out, data_dir / "campaigns", "data/campaigns/ ")
    file_names(out, paths, "学习教育")
    return paths


def report_files(out: Collector, data_dir: Path, only: Iterable[Path] | None) -> list[Path]:
    """The report files to check: all under ``data/reports``, or those in ``only``."""
    reports_dir = data_dir / "reports"
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
        if not all(map(is_utf8, parts or (name,))):
            out.utf8_name(next(p for p in (path, *path.parents) if not is_utf8(p.name)))
            continue
        if name.endswith(".yaml"):
            out.file(out.rel(path), "扩展名应为 .yml（不是 .yaml），否则不会被读取", rule=rules.LAYOUT)
        elif not name.endswith(".yml"):
            out.file(out.rel(path), "data/reports/ 下只应有 .yml 报告文件，这个文件被忽略", level=WARNING, rule=rules.LAYOUT)
        elif len(parts) != 2:
            out.file(
                out.rel(path),
                "报告文件必须放在 data/reports/<学习教育 id>/<单位 id>.yml",
                found=out.rel(path), rule=rules.LAYOUT,
            )
        else:
            kept.append(path)
    for folder in sorted({p.parent for p in kept}):
        reason = explain_id(folder.name)
        if reason:
            out.file(out.rel(folder), f"目录名 {folder.name} 不是合规的学习教育标识：{reason}", rule=rules.FILE_NAME)
    file_names(out, kept, "单位")
    return kept


def check_modeline(out: Collector, doc: SourceDoc, schema_dir: Path, kind: str) -> None:
    """Warning when the first line does not point the editor at this file kind's schema."""
    target = os.path.relpath(schema_dir / f"{kind}.schema.json", doc.path.parent)
    expected = MODELINE_PREFIX + Path(target).as_posix()
    first = doc.first_line.strip()
    if not first.startswith(MODELINE_PREFIX):
        out.problems.append(
            Problem.of(
                rules.MODELINE, doc.rel, 1, 1,
                "第一行缺少 yaml-language-server 的 $schema 声明，编辑器将无法补全字段和显示中文说明",
                level=WARNING, expected=expected, found=first[:60],
            )
        )
    elif first != expected:
        out.problems.append(
            Problem.of(
                rules.MODELINE, doc.rel, 1, 1, "第一行的 $schema 路径不对，编辑器找不到这类文件的 JSON Schema",
                level=WARNING, expected=expected, found=first,
            )
        )


def check_ambiguous_ints(out: Collector, doc: SourceDoc, flagged: set[str]) -> None:
    """Error for an unquoted integer YAML 1.1 reads unexpectedly (``010``, ``1:30``, ``0x1F``).

    ``flagged`` holds the field paths the schema already reported.
    """
    for path, info in doc.scalars.items():
        if info.tag != INT_TAG or not info.plain or _CANONICAL_INT.fullmatch(info.raw):
            continue
        if len(info.raw) > 40:  # the schema reports a number this long (too large)
            continue
        if format_path(path) in flagged:
            continue
        value = resolve_scalar(info.raw, "")[1]
        reading = int_reading(info.raw)
        out.at(
            doc, path,
            f"整数 {info.raw} 写法有歧义：YAML 1.1 把它读成了{reading} {value}；"
            f"请写成不带前导 0 和冒号的普通整数，若是文本请加引号",
            expected="十进制整数，如 12", found=info.raw, rule=rules.YAML11_INT,
        )
