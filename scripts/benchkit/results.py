"""The results as text: the Markdown table (one column per N), the targets table and the
性能 page (``docs/performance.md``, from ``templates/performance.md.j2``).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Row:
    """One row of the results table: a cell per N and the number its growth is taken of."""

    label: str
    cells: list[str]
    values: list[float | None]
    grows: bool = True  # False for rows that are ratios already (growth would mislead)


def _row(label: str, runs: dict[int, dict], show: Callable[[dict], str],
         value: Callable[[dict], float] | None, grows: bool = True) -> Row:
    """A row over the sizes of ``runs``; a size whose figure is missing shows "—"."""
    cells: list[str] = []
    values: list[float | None] = []
    for n in sorted(runs):
        try:
            cells.append(show(runs[n]))
        except (KeyError, TypeError, ZeroDivisionError):
            cells.append("—")
        try:
            values.append(float(value(runs[n])) if value else None)
        except (KeyError, TypeError, ValueError):
            values.append(None)
    return Row(label, cells, values, grows and value is not None)


def _full(r: dict) -> dict:
    return r["full"]


def _phase_cell(r: dict, p: str) -> str:
    seconds = _full(r)["phases"][p]
    floor = (r.get("floor") or {}).get("wall") or 0.0
    return f"{_s(seconds)}（{_x(ratio(seconds, floor))}）" if floor else _s(seconds)


def table_rows(runs: dict[int, dict]) -> list[Row]:
    """The rows of the results table (one cell per N)."""
    rows = [
        _row("完整构建（墙钟）", runs, lambda r: _s(_full(r)["wall"]), lambda r: _full(r)["wall"]),
        _row("地板：纯 Markdown + Material，无搜索", runs, lambda r: _s(r["floor"]["wall"]),
             lambda r: r["floor"]["wall"]),
        _row("完整构建 / 地板", runs, lambda r: _x(ratio(_full(r)["wall"], r["floor"]["wall"])), None),
    ]
    rows += [_row(f"　{PHASE_ZH[p]}", runs, lambda r, p=p: _phase_cell(r, p),
                  lambda r, p=p: _full(r)["phases"][p]) for p in PHASES]
    rows += [
        _row("完整构建 CPU 时间", runs, lambda r: _s(_full(r)["cpu"]), lambda r: _full(r)["cpu"]),
        _row("峰值内存（进程树）", runs, lambda r: _mb(_full(r)["peak_tree_rss"]),
             lambda r: _full(r)["peak_tree_rss"]),
        _row("地板峰值内存", runs, lambda r: _mb(r["floor"]["peak_tree_rss"]),
             lambda r: r["floor"]["peak_tree_rss"]),
        _row("网站大小", runs, lambda r: f"{_mb(_full(r)['site_bytes'])}（{_full(r)['site_files']} 个文件）",
             lambda r: _full(r)["site_bytes"]),
        _row("地板网站大小", runs, lambda r: _mb(r["floor"]["site_bytes"]), lambda r: r["floor"]["site_bytes"]),
        _row("报告页平均 / 最大", runs, lambda r: f"{_full(r)['pages']['average'] / KB:.1f} KB / "
                                            f"{_full(r)['pages']['largest'] / KB:.1f} KB",
             lambda r: _full(r)["pages"]["average"]),
        _row("validate.py 全部文件", runs, lambda r: _s(r["validate"]["wall"]), lambda r: r["validate"]["wall"]),
        _row("一次搜索传输数据", runs,
             lambda r: f"{r['search']['bytes'] / MB:.2f} MB（{r['search']['requests']} 个请求）",
             lambda r: r["search"]["bytes"]),
        _row("输入到首批结果", runs, lambda r: _s(r["search"]["first_result_seconds"]),
             lambda r: r["search"]["first_result_seconds"]),
        _row("serve 下修改到显示", runs,
             lambda r: f"{r['serve']['worst']:.2f} s（{len(r['serve']['edits'])} 次中最慢）",
             lambda r: r["serve"]["worst"]),
    ]
    return rows


def _growth_cell(row: Row, i: int) -> str:
    a, b = row.values[i], row.values[i + 1]
    return _x(b / a) if row.grows and a and b is not None else "—"


def format_table(runs: dict[int, dict]) -> str:
    """A Markdown table: one column per N, then the growth between neighbouring sizes
    (the same figure at the larger N over the smaller; linear growth is the ratio of the Ns)."""
    ns = sorted(runs)
    pairs = list(range(len(ns) - 1))
    head = "| | " + " | ".join(f"N = {n:,}" for n in ns)
    head += "".join(f" | 增长 {ns[i]:,} → {ns[i + 1]:,}（线性 {ns[i + 1] / ns[i]:g}×）" for i in pairs)
    sep = "|---|" + "---:|" * (len(ns) + len(pairs))
    body = [f"| {row.label} | " + " | ".join(row.cells + [_growth_cell(row, i) for i in pairs]) + " |"
            for row in table_rows(runs)]
    return "\n".join([head + " |", sep, *body])


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
        serve_sizes=[f"{n:,}" for n in sorted(runs) if runs[n].get("serve") or runs[n].get("serve_error")],
        result=result,  # other benches' keys of the page JSON, for their own sections
        table_ns=sorted(runs),
        unbuilt=[f"{n:,}" for n in sorted(runs) if not runs[n].get("full")],
        failed=[f"{n:,}" for n in sorted(runs) if (runs[n].get("full") or {}).get("returncode")],
        no_floor_sizes=[f"{n:,}" for n in sorted(runs) if runs[n].get("full") and not runs[n].get("floor")],
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
