"""The timed builds: the full build and the floor build of one data folder, and ``validate.py``.

* :func:`full_build` builds the site from a synthetic data folder (``KB_DATA_DIR``) with
  per-phase timings, so :func:`benchkit.timings.phases` can split the time into load +
  validate, page generation, MkDocs rendering, search indexing, other post-build steps
  and the rest;
* :func:`floor_build` builds the floor project (:mod:`benchkit.floor`) with MkDocs +
  Material alone;
* :func:`validate_run` times ``scripts/validate.py`` on the whole data folder;
* page and site sizes, and each build as a JSON-able dict (:func:`run_to_dict`).

Nothing here imports MkDocs: builds run as child processes of the venv's ``mkdocs``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchkit import configs, timings
from benchkit.paths import BIN, REPO
from benchkit.processes import ProcessRun, fastest, measure_process
from benchkit.targets import MAX_REPORT_PAGE
from benchkit.timings import phases, read_spans, span_summary


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
    """``mkdocs build`` of the project over ``data_dir`` with per-phase timings (the
    project's config plus the timing hook, :func:`benchkit.configs.timed`)."""
    fresh_site(site_dir)
    timings_file = work / f"timings-full-{n}.json"
    timings_file.unlink(missing_ok=True)
    cmd = [_mkdocs(), "build", "-f", str(configs.timed(work)), "-d", str(site_dir)]
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
