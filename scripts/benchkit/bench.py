"""The scale benchmark: measure full builds against the floor, and the arithmetic on it.

``scripts/bench.py`` is the command; this module does the work and nothing here imports
MkDocs (builds run as child processes of the venv's ``mkdocs``):

* :func:`measure_process` runs one command and returns its wall time, CPU time and
  memory (peak resident set of the whole process tree, sampled with psutil, and the
  largest single process from ``wait4``'s rusage);
* :func:`full_build` builds the site from a synthetic data folder (``KB_DATA_DIR``) with
  ``KB_TIMINGS`` set, so :func:`phases` can split the time into load + validate, page
  generation, MkDocs rendering, search indexing, other post-build steps and the rest;
* :func:`floor_build` writes the same generated pages as plain Markdown files into a
  scratch ``docs/`` and builds them with MkDocs + Material alone (no hooks, no search,
  the same nav and theme) — the floor every time is compared with;
* the pure functions (:func:`ratio`, :func:`page_stats`, :func:`growth`,
  :func:`evaluate`, :func:`format_table` …) are what tests pin down.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.site import timings

REPO = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
KB = 1000
MB = 1000 * 1000
GB = 1000 * MB

# Targets of the scale issue (8) and the search issue (3).
MAX_FULL_OVER_FLOOR = 2.5  # N = 1,000
MAX_AVG_REPORT_PAGE = 40 * KB
MAX_REPORT_PAGE = 100 * KB
MAX_VALIDATE_SECONDS = 2.0
MAX_PEAK_MEMORY = 1.5 * GB  # N = 5,000
MAX_GROWTH_5000_OVER_1000 = 5.5
MAX_SERVE_SECONDS = 3.0
MAX_SEARCH_BYTES = 1 * MB
MAX_FIRST_RESULT_SECONDS = 1.5
MAX_INDEX_OVER_RENDER = 1.0

SEARCH_STEP = "search"  # post-build steps whose qualified name contains this are search indexing


# ---------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------


@dataclass
class ProcessRun:
    """One measured child process (with everything it started).

    Memory is sampled with psutil (``wait4``'s ``ru_maxrss`` would count the pages a
    child shares with this process right after the fork).
    """

    wall: float
    cpu: float
    peak_tree_rss: int
    max_process_rss: int
    returncode: int
    started: float
    ended: float
    log_tail: str = ""


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, largest) resident set size of a process and its descendants, in bytes."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    sizes = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            sizes.append(proc.memory_info().rss)
    return sum(sizes), max(sizes, default=0)


def measure_process(cmd: Sequence[str], *, env: dict[str, str] | None = None,
                    cwd: Path = REPO, log: Path | None = None,
                    interval: float = 0.05) -> ProcessRun:
    """Run ``cmd`` to completion, sampling the memory of its process tree."""
    log = log or Path(os.devnull)
    full_env = {**os.environ, **(env or {})}
    with open(log, "wb") as out:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stdout=out, stderr=out)
        peak = largest = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, largest
            while not done.is_set():
                total, single = _tree_rss(proc.pid)
                peak, largest = max(peak, total), max(largest, single)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        ended = time.time()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    tail = ""
    if log != Path(os.devnull) and log.exists():
        tail = log.read_text("utf-8", errors="replace")[-3000:]
    return ProcessRun(
        wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_tree_rss=peak,
        max_process_rss=largest, returncode=proc.returncode,
        started=started, ended=ended, log_tail=tail,
    )


# ---------------------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------------------

PHASES = ["load", "generate", "render", "search", "postbuild_other", "rest"]
PHASE_ZH = {
    "load": "加载+校验", "generate": "生成页面", "render": "MkDocs 渲染",
    "search": "搜索索引（Word 文件同时生成）", "postbuild_other": "其他后处理（搜索之外）", "rest": "其余",
}


def phases(spans: list[dict[str, Any]], wall: float) -> dict[str, float]:
    """Split a build's wall time by the spans of :mod:`kb.site.timings` (one build).

    ``render`` is MkDocs' own work between our page generation and the post-build
    steps (nav, Markdown → HTML, theme templates, writing files). The post-build steps
    run side by side: ``search`` is the search step's wall time (the Word files are
    written meanwhile), ``postbuild_other`` what the post-build took beyond it; ``rest`` is what no
    span covers (interpreter start, imports, config, copying theme assets) and is the
    wall time minus the other phases, so the phases add up to the wall time.
    """
    last = {s["name"]: s for s in spans}

    def length(name: str) -> float:
        s = last.get(name)
        return max(0.0, s["end"] - s["start"]) if s else 0.0

    out = {name: 0.0 for name in PHASES}
    out["load"] = length("on_config")
    out["generate"] = length("on_files")
    if "on_files" in last and "on_post_build" in last:
        out["render"] = max(0.0, last["on_post_build"]["start"] - last["on_files"]["end"])
    steps = {n: length(n) for n in last if n.startswith("step:")}
    out["search"] = sum(v for n, v in steps.items() if SEARCH_STEP in n)
    post_total = length("on_post_build")
    out["postbuild_other"] = max(0.0, post_total - out["search"])
    out["rest"] = max(0.0, wall - sum(out[n] for n in PHASES if n != "rest"))
    return out


def span_summary(spans: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Seconds and peak memory of the build process (so far) at the end of each span."""
    return {s["name"]: {"seconds": round(s["end"] - s["start"], 3),
                        "maxrss": s.get("maxrss", 0)} for s in spans}


def read_spans(path: Path) -> list[dict[str, Any]]:
    """Spans of the last build recorded in a ``KB_TIMINGS`` file (empty if none)."""
    if not path.exists():
        return []
    builds = json.loads(path.read_text("utf-8"))
    return builds[-1] if builds else []


# ---------------------------------------------------------------------------------------
# Site measurements (pure functions over files and numbers)
# ---------------------------------------------------------------------------------------


def ratio(value: float, floor: float) -> float | None:
    """value / floor, or None when the floor is not positive."""
    return value / floor if floor > 0 else None


@dataclass
class PageStats:
    count: int
    average: float
    largest: int
    largest_path: str
    over_limit: int


def page_stats(sizes: dict[str, int], limit: int = MAX_REPORT_PAGE) -> PageStats:
    """Average and largest of page sizes ({path: bytes}); how many exceed ``limit``."""
    if not sizes:
        return PageStats(0, 0.0, 0, "", 0)
    largest_path = max(sizes, key=lambda p: (sizes[p], p))
    return PageStats(
        count=len(sizes),
        average=statistics.fmean(sizes.values()),
        largest=sizes[largest_path],
        largest_path=largest_path,
        over_limit=sum(1 for s in sizes.values() if s > limit),
    )


def report_page_sizes(site_dir: Path, report_ids: Iterable[str]) -> dict[str, int]:
    """Bytes of each report page ``reports/<campaign>/<unit>/index.html``."""
    sizes = {}
    for rid in report_ids:
        page = site_dir / "reports" / rid / "index.html"
        if page.is_file():
            sizes[f"reports/{rid}/"] = page.stat().st_size
    return sizes


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``."""
    total = count = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
            count += 1
    return total, count


def growth(time_small: float, time_large: float) -> float | None:
    """time(large) / time(small): 5.0 is perfectly linear from 1,000 to 5,000."""
    return ratio(time_large, time_small)


# ---------------------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------------------


@dataclass
class BuildResult:
    kind: str  # "full" | "floor"
    n: int
    run: ProcessRun
    phases: dict[str, float] = field(default_factory=dict)
    site_bytes: int = 0
    site_files: int = 0
    pages: PageStats | None = None
    spans: dict[str, dict[str, float]] = field(default_factory=dict)


def fastest(runs: list[ProcessRun]) -> ProcessRun:
    """The fastest successful run of several (the least disturbed on a shared machine);
    a failed run counts only when every run failed."""
    ok = [r for r in runs if r.returncode == 0] or runs
    return min(ok, key=lambda r: r.wall)


def best(results: list[BuildResult]) -> BuildResult:
    """The build whose run is :func:`fastest`."""
    run = fastest([r.run for r in results])
    return next(r for r in results if r.run is run)


def summarize(results: list[BuildResult]) -> dict[str, Any]:
    """The fastest build as a dict, with every wall time and the highest memory of all."""
    out = run_to_dict(best(results))
    out["walls"] = [r.run.wall for r in results]
    out["returncodes"] = [r.run.returncode for r in results]
    out["peak_tree_rss"] = max(r.run.peak_tree_rss for r in results)
    out["max_process_rss"] = max(r.run.max_process_rss for r in results)
    return out


def _mkdocs() -> str:
    return str(BIN / "mkdocs")


def fresh_site(site_dir: Path) -> None:
    """Start a timed build as CI does: no site folder from an earlier run, disk flushed.

    Without this a repeated build pays for deleting the previous site (37,000 files at
    5,000 reports) and for the kernel writing back the previous build's output."""
    shutil.rmtree(site_dir, ignore_errors=True)
    os.sync()


def full_build(data_dir: Path, site_dir: Path, n: int, report_ids: list[str], work: Path,
               strict: bool = True) -> BuildResult:
    """``mkdocs build`` of the project over ``data_dir`` with per-phase timings."""
    fresh_site(site_dir)
    timings_file = work / f"timings-full-{n}.json"
    timings_file.unlink(missing_ok=True)
    cmd = [_mkdocs(), "build", "-f", str(REPO / "mkdocs.yml"), "-d", str(site_dir)]
    cmd += ["--strict"] if strict else []
    env = {"KB_DATA_DIR": str(data_dir), timings.ENV: str(timings_file),
           "SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
    run = measure_process(cmd, env=env, log=work / f"build-full-{n}.log")
    result = BuildResult("full", n, run)
    spans = read_spans(timings_file)
    result.phases = phases(spans, run.wall)
    result.spans = span_summary(spans)
    result.site_bytes, result.site_files = tree_size(site_dir) if site_dir.exists() else (0, 0)
    result.pages = page_stats(report_page_sizes(site_dir, report_ids))
    return result


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without constructing its ``!!python`` / ``!ENV`` objects."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_TolerantLoader.add_multi_constructor("!", lambda *_: None)


def floor_nav(config_text: str, campaign_pages: list[str]) -> list:
    """The project's nav with the campaign pages the hook adds (``on_nav``) written in."""
    config = yaml.load(config_text, Loader=_TolerantLoader) or {}
    nav = json.loads(json.dumps(config.get("nav") or []))

    def visit(items: list) -> bool:
        for item in items:
            if isinstance(item, dict):
                for children in item.values():
                    if isinstance(children, list) and (
                        "reports/index.md" in children or visit(children)
                    ):
                        if "reports/index.md" in children:
                            children.extend(campaign_pages)
                        return True
        return False

    visit(nav)
    return nav


def write_floor_project(data_dir: Path, folder: Path, *, subprocess_: bool = True) -> Path:
    """A plain MkDocs project with the generated pages as files; returns its config path.

    The pages are generated in a child process (not part of the floor's time), so this
    process stays small and does not lend its memory to the builds it measures.
    """
    if subprocess_:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "hooks"), str(REPO / "scripts")])}
        subprocess.run([sys.executable, "-m", "benchkit.bench", "floor", str(data_dir), str(folder)],
                       cwd=REPO, env=env, check=True)
        return folder / "mkdocs.yml"
    from kb.site import build, pages

    kb, _problems = build.load(data_dir)
    settings = build.settings_from_extra({}, "")
    docs = folder / "docs"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("overrides"))
    for page in pages.generate_pages(kb, settings):
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.inline(), encoding="utf-8")  # the same page, all in Markdown
    config_text = (REPO / "mkdocs.yml").read_text("utf-8")
    floor = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "docs_dir": str(docs),
        "strict": False,
        "hooks": [],
        "plugins": [],
        "theme": {"custom_dir": str(REPO / "docs" / "overrides")},
        "nav": floor_nav(config_text, pages.campaign_nav(kb)),
    }
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump(floor, allow_unicode=True, sort_keys=False), "utf-8")
    return config


def floor_build(config: Path, site_dir: Path, n: int, report_ids: list[str],
                work: Path) -> BuildResult:
    fresh_site(site_dir)
    cmd = [_mkdocs(), "build", "-f", str(config), "-d", str(site_dir)]
    env = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
    run = measure_process(cmd, env=env, cwd=config.parent, log=work / f"build-floor-{n}.log")
    result = BuildResult("floor", n, run)
    result.site_bytes, result.site_files = tree_size(site_dir) if site_dir.exists() else (0, 0)
    result.pages = page_stats(report_page_sizes(site_dir, report_ids))
    return result


VALIDATE_RUNS = 3  # a 2-second command on a shared machine: the fastest of three counts


def validate_run(data_dir: Path, work: Path, n: int, runs: int = VALIDATE_RUNS) -> list[ProcessRun]:
    """``scripts/validate.py`` on the whole data folder (interpreter start included),
    ``runs`` times after the freshly generated files are flushed to disk."""
    os.sync()  # the generator's writes would otherwise be flushed during the first run
    cmd = [sys.executable, str(REPO / "scripts" / "validate.py"), str(data_dir)]
    return [measure_process(cmd, log=work / f"validate-{n}-{i + 1}.log") for i in range(runs)]


def validate_summary(runs: list[ProcessRun]) -> dict[str, Any]:
    """The :func:`fastest` run, with every wall time and the first failure's code."""
    run = fastest(runs)
    return {"wall": run.wall, "cpu": run.cpu,
            "returncode": next((r.returncode for r in runs if r.returncode), 0),
            "walls": [r.wall for r in runs]}


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


@dataclass
class Target:
    key: str
    label: str  # Chinese description of the target
    limit: str  # Chinese, e.g. "≤ 2.5 × 地板"
    value: float | None
    shown: str  # the measured value, formatted
    ok: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "达到", False: "未达到", None: "未测"}[self.ok]


def _check(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _fmt(value: float | None, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def _run_of(runs: dict[int, dict], n: int) -> dict:
    return runs.get(n) or {}


def evaluate(runs: dict[int, dict]) -> list[Target]:
    """The targets of issues 8 and 3 from the per-N results of one benchmark run.

    ``runs`` maps N to the JSON-able dict made by :func:`run_to_dict`; values that were not
    measured (a size not in the run, a browser step skipped) give ``ok = None``.
    """
    r1, r5 = _run_of(runs, 1000), _run_of(runs, 5000)
    full1 = (r1.get("full") or {}).get("wall")
    floor1 = (r1.get("floor") or {}).get("wall")
    over = ratio(full1, floor1) if full1 is not None and floor1 is not None else None
    pages1 = (r1.get("full") or {}).get("pages") or {}
    avg = pages1.get("average") if pages1.get("count") else None
    largest = pages1.get("largest") if pages1.get("count") else None
    validate = (r1.get("validate") or {}).get("wall")
    peak5 = (r5.get("full") or {}).get("peak_tree_rss")
    full5 = (r5.get("full") or {}).get("wall")
    grow = growth(full1, full5) if full1 and full5 else None
    serve = (r1.get("serve") or {}).get("worst")
    search = r1.get("search") or {}
    payload = search.get("bytes")
    first = search.get("first_result_seconds")
    index_time = ((r1.get("full") or {}).get("phases") or {}).get("search")
    render_floor = floor1
    index_ratio = ratio(index_time, render_floor) if index_time and render_floor else None
    return [
        Target("full_over_floor", "N=1000 完整构建（含搜索）/ 地板", f"≤ {MAX_FULL_OVER_FLOOR}×",
               over, _fmt(over, "{:.2f}×"), _check(over, MAX_FULL_OVER_FLOOR)),
        Target("avg_report_page", "N=1000 报告页平均大小", f"≤ {MAX_AVG_REPORT_PAGE // KB} KB",
               avg, _fmt(avg and avg / KB, "{:.1f} KB"), _check(avg, MAX_AVG_REPORT_PAGE)),
        Target("largest_report_page", "N=1000 最大报告页", f"≤ {MAX_REPORT_PAGE // KB} KB",
               largest, _fmt(largest and largest / KB, "{:.1f} KB"),
               _check(largest, MAX_REPORT_PAGE)),
        Target("validate", "N=1000 scripts/validate.py 校验全部文件", f"≤ {MAX_VALIDATE_SECONDS:g} 秒",
               validate, _fmt(validate, "{:.2f} 秒"), _check(validate, MAX_VALIDATE_SECONDS)),
        Target("peak_memory", "N=5000 构建峰值内存", f"≤ {MAX_PEAK_MEMORY / GB:g} GB",
               peak5, _fmt(peak5 and peak5 / GB, "{:.2f} GB"), _check(peak5, MAX_PEAK_MEMORY)),
        Target("growth", "构建时间 N=5000 / N=1000", f"≤ {MAX_GROWTH_5000_OVER_1000}×",
               grow, _fmt(grow, "{:.2f}×"), _check(grow, MAX_GROWTH_5000_OVER_1000)),
        Target("serve_edit", "N=1000 make serve 下修改一份报告到浏览器显示", f"≤ {MAX_SERVE_SECONDS:g} 秒",
               serve, _fmt(serve, "{:.2f} 秒"), _check(serve, MAX_SERVE_SECONDS)),
        Target("search_bytes", "N=1000 一次搜索传输的数据", f"≤ {MAX_SEARCH_BYTES // MB} MB",
               payload, _fmt(payload and payload / MB, "{:.2f} MB"),
               _check(payload, MAX_SEARCH_BYTES)),
        Target("first_result", "N=1000 冷启动页面输入后出现首批结果", f"≤ {MAX_FIRST_RESULT_SECONDS} 秒",
               first, _fmt(first, "{:.2f} 秒"), _check(first, MAX_FIRST_RESULT_SECONDS)),
        Target("index_over_render", "N=1000 搜索索引耗时 / 地板（MkDocs 渲染同样页面）",
               f"≤ {MAX_INDEX_OVER_RENDER:g}×", index_ratio, _fmt(index_ratio, "{:.2f}×"),
               _check(index_ratio, MAX_INDEX_OVER_RENDER)),
    ]


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------


def run_to_dict(result: BuildResult) -> dict[str, Any]:
    out = {
        "kind": result.kind,
        "n": result.n,
        **{k: v for k, v in asdict(result.run).items() if k != "log_tail"},
        "phases": result.phases,
        "site_bytes": result.site_bytes,
        "site_files": result.site_files,
        "pages": asdict(result.pages) if result.pages else None,
        "spans": result.spans,
    }
    return out


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


if __name__ == "__main__":  # python -m benchkit.bench floor DATA_DIR FOLDER (used by the bench)
    if len(sys.argv) == 4 and sys.argv[1] == "floor":
        write_floor_project(Path(sys.argv[2]), Path(sys.argv[3]), subprocess_=False)
    else:
        sys.exit("usage: python -m benchkit.bench floor DATA_DIR FOLDER")
