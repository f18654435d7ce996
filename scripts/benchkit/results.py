"""The results as text: the Markdown table (one column per N), the targets table and the
性能 page (``docs/performance.md``, from ``templates/performance.md.j2``).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from benchkit.builds import VALIDATE_RUNS
from benchkit.intake_bench import markdown_table
from benchkit.paths import REPO
from benchkit.targets import KB, MB, Target, evaluate, growth, ratio
from benchkit.timings import PHASE_ZH, PHASES


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value / MB:.1f} MB"


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _x(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def table_rows(runs: dict[int, dict]) -> list[tuple[str, list[str]]]:
    """(row label, one cell per N) for the results table."""
    ns = sorted(runs)

    def cell(n: int, fn) -> str:
        try:
            return fn(runs[n])
        except (KeyError, TypeError, ZeroDivisionError):
            return "—"

    def full(r: dict) -> dict:
        return r["full"]

    rows: list[tuple[str, list[str]]] = [
        ("完整构建（墙钟）", [cell(n, lambda r: _s(full(r)["wall"])) for n in ns]),
        ("地板：纯 Markdown + Material，无搜索", [cell(n, lambda r: _s(r["floor"]["wall"])) for n in ns]),
        ("完整构建 / 地板", [cell(n, lambda r: _x(ratio(full(r)["wall"], r["floor"]["wall"])))
                        for n in ns]),
    ]
    def phase_cell(r: dict, p: str) -> str:
        seconds = full(r)["phases"][p]
        floor = (r.get("floor") or {}).get("wall") or 0.0
        return f"{_s(seconds)}（{_x(ratio(seconds, floor))}）" if floor else _s(seconds)

    for phase in PHASES:
        rows.append((f"　{PHASE_ZH[phase]}",
                     [cell(n, lambda r, p=phase: phase_cell(r, p)) for n in ns]))
    rows += [
        ("完整构建 CPU 时间", [cell(n, lambda r: _s(full(r)["cpu"])) for n in ns]),
        ("峰值内存（进程树）", [cell(n, lambda r: _mb(full(r)["peak_tree_rss"])) for n in ns]),
        ("地板峰值内存", [cell(n, lambda r: _mb(r["floor"]["peak_tree_rss"])) for n in ns]),
        ("网站大小", [cell(n, lambda r: f"{_mb(full(r)['site_bytes'])}（{full(r)['site_files']} 个文件）")
                   for n in ns]),
        ("地板网站大小", [cell(n, lambda r: _mb(r["floor"]["site_bytes"])) for n in ns]),
        ("报告页平均 / 最大", [cell(n, lambda r: f"{full(r)['pages']['average'] / KB:.1f} KB / "
                                          f"{full(r)['pages']['largest'] / KB:.1f} KB")
                          for n in ns]),
        ("validate.py 全部文件", [cell(n, lambda r: _s(r["validate"]["wall"])) for n in ns]),
        ("一次搜索传输数据", [cell(n, lambda r: f"{r['search']['bytes'] / MB:.2f} MB（{r['search']['requests']} 个请求）")
                         for n in ns]),
        ("输入到首批结果", [cell(n, lambda r: _s(r["search"]["first_result_seconds"])) for n in ns]),
        ("serve 下修改到显示", [cell(n, lambda r: f"{r['serve']['worst']:.2f} s（{len(r['serve']['edits'])} 次中最慢）")
                            for n in ns]),
    ]
    return rows


def format_table(runs: dict[int, dict]) -> str:
    """A Markdown table: one column per N."""
    ns = sorted(runs)
    head = "| | " + " | ".join(f"N = {n:,}" for n in ns) + " |"
    sep = "|---|" + "---:|" * len(ns)
    body = [f"| {label} | " + " | ".join(cells) + " |" for label, cells in table_rows(runs)]
    return "\n".join([head, sep, *body])


def format_targets(targets: list[Target]) -> str:
    lines = ["| 目标 | 要求 | 结果 | 结论 |", "|---|---|---:|---|"]
    lines += [f"| {t.label} | {t.limit} | {t.shown} | {t.verdict} |" for t in targets]
    return "\n".join(lines)


PAGE_TEMPLATE = "performance.md.j2"
TEMPLATES = Path(__file__).resolve().parent / "templates"
COMMAND = "scripts/bench.py"


def render(template: str, **context: object) -> str:
    """``template`` of the kit's ``templates/`` (Jinja, set up as the site's templates are)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.get_template(template).render(**context)


def results_page(result: dict[str, Any]) -> str:
    """The 性能 page (docs/performance.md) of one benchmark run, from its JSON."""
    runs = {int(k): v for k, v in result["runs"].items()}
    command = result["command"]
    floors = [(runs.get(n) or {}).get("floor", {}).get("wall") for n in (1000, 5000)]
    floor_growth = growth(*floors) if all(floors) else None
    rounds = [_full_walls(runs.get(n) or {}) for n in (1000, 5000)]  # None: that build failed
    walls = [[w for w in r if w is not None] for r in rounds]
    repeated = all(len(w) > 1 for w in walls)
    median_growth = growth(*(statistics.median(w) for w in walls)) if repeated else None
    same_round = [growth(a, b) for a, b in zip(*rounds, strict=False)
                  if a is not None and b is not None] if repeated else []
    return render(
        PAGE_TEMPLATE,
        commit=result.get("commit", ""),
        settings=result.get("settings", {}),
        command=command,
        args=command.removeprefix(COMMAND).strip(),
        started=result["started"],
        seed=result["seed"],
        machine=result["machine"],
        table=format_table(runs),
        targets=format_targets(evaluate(runs)),
        floor_growth=floor_growth,
        median_growth=median_growth,
        full_walls={n: w for n, w in zip((1000, 5000), walls, strict=True)} if repeated else {},
        same_round=same_round,
        intake=result.get("intake"),  # make bench-intake's JSON, added with intake_bench.py --page-json
        intake_table=markdown_table(result["intake"]) if result.get("intake") else "",
    )


def _full_walls(run: dict[str, Any]) -> list[float | None]:
    """The wall time of each full build of a size in the order they ran; None if it failed."""
    full = run.get("full") or {}
    walls = full.get("walls") or []
    codes = full.get("returncodes") or [0] * len(walls)
    return [w if rc == 0 else None for w, rc in zip(walls, codes, strict=True)]


def settings() -> dict[str, Any]:
    """What the measured numbers depend on besides the machine (shown on the 性能 page)."""
    from kb import search

    return {"shard_words": search.SHARD_WORDS, "validate_runs": VALIDATE_RUNS,
            "fresh_site": True, "rounds_over_sizes": True, "size_order": "alternating"}


def commit() -> str:
    """The git commit measured ('' outside a checkout), with '+' when files were changed."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+" if dirty.strip() else "")


def machine() -> dict[str, Any]:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
