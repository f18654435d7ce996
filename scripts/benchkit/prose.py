"""Worst accepted prose: ``scripts/prose_bench.py [--repeat K]`` (``make bench-prose``).

The validator bounds contributor Markdown (``kb.data.checks.prose``) so that no text it accepts
makes the build slow. This measures that promise:

1. Families of texts at the limits (brackets, link targets, emphasis, code spans,
   escapes, tables, lists; each as long as a prose field may be) are checked to be
   accepted, rendered as the site renders prose (``kb.markup.prose.to_html``) and timed against plain text of
   the same length; the slowest family is the *worst accepted prose*.
2. The example site is built (fastest of K) as it is, then with one report whose every
   prose field holds the worst text, up to the 1 MiB file limit.

Prints both builds and their ratio; the target is ≤ 2× (issue 13, item 8). Exit 1 when the
worst text is refused by the validator (then the families are wrong), else 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchkit.paths import REPO
from kb.data.checks import prose as prose_rules
from kb.data.load import load_and_validate
from kb.data.yamlsafe import MAX_BYTES
from kb.markup import prose

FIELD_LIMIT = 20000  # maxLength of every prose field in data/schema/report.schema.json
REPORT = Path("reports") / "2023-zhuti" / "shi-czj.yml"
TARGET = 2.0


def _fill(unit: str, length: int = FIELD_LIMIT) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _dense(unit: str) -> str:
    """``unit`` repeated up to the limit of Markdown marks a field may hold, then plain text."""
    marks = len(prose_rules._MARKUP.findall(unit)) or 1
    body = (unit * (prose_rules.MAX_MARKUP // marks))[:FIELD_LIMIT]
    return body + _fill("字", FIELD_LIMIT - len(body))


def _lines(unit: str, head: str = "") -> str:
    """``head``, then ``unit`` repeated up to the limit of lines a field may hold, then a
    long last line of plain text up to the length limit."""
    body = head + _fill(unit, FIELD_LIMIT - len(head))
    kept = "\n".join(body.split("\n")[: prose_rules.MAX_LINES - 1])
    return kept + "\n" + _fill("字", FIELD_LIMIT - len(kept) - 1)


def _grouped(open_: str, close: str, groups: int) -> str:
    filler = "字" * (FIELD_LIMIT // groups - len(open_) - len(close))
    return (open_ + filler + close) * groups


FAMILIES: dict[str, Callable[[], str]] = {
    "plain": lambda: _fill("这是正文内容，"),
    "plain-paragraphs": lambda: _lines("这是正文内容，这是正文内容。\n\n"),
    "brackets-far": lambda: _grouped("[" * prose_rules.MAX_NESTING, "]" * prose_rules.MAX_NESTING,
                                     prose_rules.MAX_BRACKETS // prose_rules.MAX_NESTING),
    "link-targets-far": lambda: "".join(
        "[a](https://x.example/" + "a" * (prose_rules.MAX_TARGET - 30) + ")" + "字" * 250
        for _ in range(prose_rules.MAX_BRACKETS))[:FIELD_LIMIT - 1] + ")",
    "links-dense": lambda: "[a](https://x.example/)字" * prose_rules.MAX_BRACKETS
    + _fill("字", FIELD_LIMIT - 24 * prose_rules.MAX_BRACKETS),
    "emphasis": lambda: _dense("*a"),
    "strong": lambda: _dense("**a"),
    "underscore": lambda: _dense("_a"),
    "code-spans": lambda: _dense("`a"),
    "escapes": lambda: _dense("\\["),
    "angle": lambda: _dense("<a "),
    "entities": lambda: _dense("&amp;"),
    "table": lambda: _lines("| 字 | 字 |\n", head="| a | b |\n|---|---|\n"),
    "lists": lambda: _lines("".join("    " * i + "- 字\n" for i in range(prose_rules.MAX_INDENT // 4 + 1))),
    "flat-list": lambda: _lines("- 字\n"),
    "definitions": lambda: _lines("字\n:   定义\n\n"),
    "quotes": lambda: _dense("> " * prose_rules.MAX_QUOTE + "字\n"),
}


def _render_seconds(text: str, runs: int = 3) -> float:
    """Fastest of ``runs`` renderings of ``text`` the way the site renders prose."""
    best = float("inf")
    for _ in range(runs):
        prose._markdown_html.cache_clear()  # time the parser, not the cache
        start = time.perf_counter()
        prose.to_html(text)
        best = min(best, time.perf_counter() - start)
    return best


def worst_family() -> tuple[str, str, dict[str, float]]:
    """(name, text, ratios to plain) of the slowest accepted family."""
    texts = {name: make() for name, make in FAMILIES.items()}
    for name, text in texts.items():
        refused = [f for f in prose_rules.check(text) if not f.warning]
        if refused or len(text) > FIELD_LIMIT:
            raise SystemExit(f"{name}: 不是可接受的正文（{refused[:1]}，{len(text)} 字）")
    plain = _render_seconds(texts["plain"])
    ratios = {name: _render_seconds(text) / plain for name, text in texts.items()}
    worst = max(ratios, key=ratios.__getitem__)
    return worst, texts[worst], ratios


def poison_report(path: Path, text: str) -> int:
    """Every prose field of the report at ``path`` set to ``text`` while the file stays
    under the size limit; returns how many fields were set."""
    schema = json_schema()
    patterns = prose_rules.markdown_paths(schema)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    data = yaml.safe_load("".join(lines))
    fields = [p for p in _paths(data) if prose_rules.pattern_of(p) in patterns]
    set_count = 0
    for field_path in fields:
        trial = _set(data, field_path, text)
        body = lines[0] + yaml.safe_dump(trial, allow_unicode=True, width=10**9, sort_keys=False)
        if len(body.encode()) > MAX_BYTES:
            break
        data, set_count = trial, set_count + 1
    path.write_text(lines[0] + yaml.safe_dump(data, allow_unicode=True, width=10**9, sort_keys=False), "utf-8")
    return set_count


def json_schema() -> dict:
    import json

    return json.loads((REPO / "data" / "schema" / "report.schema.json").read_text("utf-8"))


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _paths(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _paths(v, (*path, i))]
    return [path]


def _set(data: object, path: tuple, value: str) -> object:
    import copy

    copied = copy.deepcopy(data)
    node = copied
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return copied


def project_copy(folder: Path) -> Path:
    for name in ("docs", "hooks", "data"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def build_seconds(project: Path, repeat: int) -> float:
    env = {k: v for k, v in os.environ.items() if k not in {"KB_DATA_DIR", "KB_ONLY"}}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1767225600")
    best = float("inf")
    for _ in range(repeat):
        shutil.rmtree(project / "site", ignore_errors=True)
        os.sync()
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml")],
            cwd=project, env=env, capture_output=True, text=True, timeout=1800)
        if result.returncode:
            raise SystemExit(f"构建失败：\n{result.stderr[-3000:]}")
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="prose_bench.py", description="测量“最坏的可接受正文”对构建时间的影响。")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="每种构建做 K 次取最快（默认 3）")
    parser.add_argument("--family", choices=sorted(FAMILIES), help="不找最慢的，直接用这一类正文构建")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="把含最坏正文的项目复制到 DIR（便于分析）")
    args = parser.parse_args(argv)
    worst, text, ratios = worst_family()
    if args.family:
        worst, text = args.family, FAMILIES[args.family]()
    for name, value in sorted(ratios.items(), key=lambda kv: -kv[1]):
        print(f"  {name:18s} 渲染耗时 = {value:6.2f} × 同长度普通文字")
    print(f"最坏的可接受正文：{worst}")
    with tempfile.TemporaryDirectory(prefix="kb-prose-bench-") as tmp:
        clean = project_copy(Path(tmp) / "clean")
        hostile = project_copy(Path(tmp) / "hostile")
        fields = poison_report(hostile / "data" / REPORT, text)
        _raw, problems = load_and_validate(hostile / "data")
        errors = [p for p in problems if p.is_error]
        if errors:
            print(f"校验没有通过（{errors[0].message}），测量无效", file=sys.stderr)
            return 1
        size = (hostile / "data" / REPORT).stat().st_size
        if args.keep:
            shutil.copytree(hostile, args.keep, dirs_exist_ok=True)
        print(f"{REPORT}：{fields} 个正文字段，文件 {size / 1024:.0f} KiB（上限 {MAX_BYTES // 1024} KiB）")
        rounds = [(build_seconds(clean, 1), build_seconds(hostile, 1)) for _ in range(args.repeat)]
    base, worst_build = min(r[0] for r in rounds), min(r[1] for r in rounds)
    ratio = worst_build / base
    print(f"示例网站构建：{base:.2f} s；含最坏正文：{worst_build:.2f} s；比值 {ratio:.2f}×"
          f"（目标 ≤ {TARGET:.0f}×：{'达到' if ratio <= TARGET else '未达到'}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
