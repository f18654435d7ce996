"""Scale benchmark: ``scripts/bench.py [--units N ...]`` (``make bench``, default N = 1000).

For each N: generate N synthetic valid reports into a scratch data folder, time
``scripts/validate.py`` on it, build the site (``mkdocs build --strict`` with per-phase
timings), build the floor (the same pages as plain Markdown with MkDocs + Material, no
hooks, no search), measure one search in headless Chromium and, at --serve-at N, the
time from editing a report under ``make serve`` to the change showing in the browser.
With ``--repeat K`` the builds run in K rounds over all sizes and the fastest counts.
Every timed build starts from a deleted site folder and a flushed disk, as in CI.
Prints a table and the targets of issues 8 and 3, and writes JSON to bench-results/.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchkit import benchweb, builds, floor, results, synth
from benchkit.paths import REPO
from benchkit.targets import evaluate


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench.py", description="规模基准：生成 N 份合成报告，测量构建、地板、搜索和 serve 下的修改生效时间。")
    parser.add_argument("--units", type=int, nargs="+", default=[1000], metavar="N",
                        help="报告份数，可给多个（默认 1000）")
    parser.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）")
    parser.add_argument("--query", default="调查研究", help="测量搜索时输入的查询（默认：调查研究）")
    parser.add_argument("--serve-at", type=int, nargs="+", default=[1000], metavar="N",
                        help="在哪些 N 上测量 make serve 下的修改生效时间（默认 1000；0 表示不测）")
    parser.add_argument("--edits", type=int, default=3, help="serve 测量中修改的次数（默认 3）")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="做 K 轮，每轮依次构建所有规模的地板和完整构建，各取最快的一次（默认 1）")
    parser.add_argument("--no-browser", action="store_true", help="不做浏览器测量（搜索、serve）")
    parser.add_argument("--no-floor", action="store_true", help="不构建地板")
    parser.add_argument("--floor-up-to", type=int, metavar="N",
                        help="只为不超过 N 的规模构建地板（默认所有规模）")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results", help="JSON 输出目录")
    parser.add_argument("--work", type=Path, help="临时目录（默认系统临时目录，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="保留生成的数据和网站")
    parser.add_argument("--from-json", type=Path, metavar="JSON",
                        help="不测量，只从以前某次运行的 JSON 重新输出表格和性能页")
    parser.add_argument("--page", type=Path, metavar="PATH",
                        help="把结果写成网站的性能页（如 docs/performance.md），原始数据写在旁边的 .json")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Size:
    """One N under measurement: its scratch folder, generated data and results so far."""

    n: int
    folder: Path
    made: synth.SynthResult
    out: dict
    floor_config: Path | None
    floors: list = field(default_factory=list)
    fulls: list = field(default_factory=list)


def prepare(n: int, args: argparse.Namespace, work: Path) -> Size:
    """Generate the data for N, time validate.py on it and write the floor project."""
    folder = work / f"n{n}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    out: dict = {"n": n}

    log(f"N={n}: 生成合成数据")
    t0 = time.perf_counter()
    made = synth.generate(folder / "data", n, seed=args.seed)
    out["generate"] = {"seconds": time.perf_counter() - t0, "reports": len(made.reports),
                       "prose_chars_average": made.prose_chars / len(made.reports)}

    log(f"N={n}: scripts/validate.py")
    out["validate"] = builds.validate_summary(builds.validate_run(made.data_dir, folder, n))
    no_floor = args.no_floor or (args.floor_up_to is not None and n > args.floor_up_to)
    config = None if no_floor else floor.write_floor_project(made.data_dir, folder / "floor")
    return Size(n, folder, made, out, config)


def build_round(size: Size, turn: str) -> None:
    """One floor build and one full build of ``size`` (the floor first, so both see the
    same spell of the machine); its summary so far goes into ``size.out``."""
    n, folder, made = size.n, size.folder, size.made
    if size.floor_config is not None:
        log(f"N={n}: 地板（纯 Markdown + Material）{turn}")
        size.floors.append(builds.floor_build(size.floor_config, folder / "floor-site", n,
                                             made.report_ids, folder))
        if size.floors[-1].run.returncode:
            log(f"地板构建失败：\n{size.floors[-1].run.log_tail}")
        size.out["floor"] = builds.summarize(size.floors)
    log(f"N={n}: 完整构建{turn}")
    size.fulls.append(builds.full_build(made.data_dir, folder / "site", n, made.report_ids, folder))
    if size.fulls[-1].run.returncode:
        log(f"完整构建失败：\n{size.fulls[-1].run.log_tail}")
    size.out["full"] = builds.summarize(size.fulls)


def finish(size: Size, args: argparse.Namespace) -> None:
    """Measure search and serve on the site of ``size``, then remove its sites."""
    n, folder, made, out = size.n, size.folder, size.made, size.out
    # The site folder holds the last full build (each build starts from a deleted site).
    if not args.no_browser and size.fulls and size.fulls[-1].run.returncode == 0:
        try:
            log(f"N={n}: 搜索（Chromium）")
            out["search"] = benchweb.search_payload(folder / "site", args.query)
        except Exception as err:  # noqa: BLE001 - report and go on
            log(f"搜索测量失败：{err}")
            out["search_error"] = str(err)
        if n in args.serve_at:
            rid = made.report_ids[len(made.report_ids) // 2]
            path = made.reports[len(made.reports) // 2]
            try:
                log(f"N={n}: make serve 下修改 {rid}")
                out["serve"] = benchweb.serve_edit_latency(
                    made.data_dir, path, f"reports/{rid}/", folder, edits=args.edits)
            except Exception as err:  # noqa: BLE001 - report and go on
                log(f"serve 测量失败：{err}")
                out["serve_error"] = str(err)
    if not args.keep:
        for name in ("site", "floor-site", "floor"):
            shutil.rmtree(folder / name, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path, save: Callable[[dict[int, dict]], None]) -> None:
    """All sizes: prepare each, then ``--repeat`` rounds that build every size in turn,
    the order reversed every other round (so a slow spell of a shared machine is less
    likely to fall on one size only); search and serve of a size right after its last
    build. ``save`` gets the results so far after every build and every measurement."""
    sizes = [prepare(n, args, work) for n in args.units]
    by_n = {size.n: size.out for size in sizes}
    for i in range(args.repeat):
        turn = f"（第 {i + 1}/{args.repeat} 轮）" if args.repeat > 1 else ""
        for size in (sizes if i % 2 == 0 else sizes[::-1]):  # small to large, then back
            build_round(size, turn)
            save(by_n)
            if i == args.repeat - 1:  # its last build: measure search and serve now, so a
                finish(size, args)  # run cut short still has them for the sizes done
                save(by_n)


# What one run of this bench writes into the page JSON (every other key belongs to another bench).
OWN_KEYS = frozenset({"command", "started", "commit", "settings", "machine", "seed", "runs",
                      "targets", "table"})


def report(result: dict) -> None:
    runs = {int(k): v for k, v in result["runs"].items()}
    print(f"命令：{result['command']}\n")
    print(results.format_table(runs))
    print()
    print(results.format_targets(evaluate(runs)))


def write_page(result: dict, page: Path) -> None:
    """The 性能 page and its raw data (``page`` with ``.json``). Keys of the page's JSON that
    this run does not make (another bench's section, e.g. ``intake``) are kept."""
    raw = page.with_suffix(".json")
    try:
        before = json.loads(raw.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    result = result | {k: v for k, v in before.items() if k not in OWN_KEYS and k not in result}
    page.write_text(results.results_page(result), encoding="utf-8")
    raw.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"性能页：{page}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.from_json is not None:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
        report(result)
        if args.page is not None:
            write_page(result, args.page)
        return 0
    command = "scripts/bench.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    result: dict = {"command": command.strip(), "started": stamp, "commit": results.commit(),
                    "settings": results.settings(), "machine": results.machine(),
                    "seed": args.seed, "runs": {}}
    target_file = args.out / f"bench-{stamp}.json"

    def save(runs: dict[int, dict]) -> None:
        result["runs"] = {str(n): r for n, r in runs.items()}
        result["targets"] = [t.__dict__ | {"verdict": t.verdict} for t in evaluate(runs)]
        result["table"] = results.format_table(runs)
        target_file.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")

    try:
        measure(args, work, save)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    (args.out / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    if args.page is not None:
        write_page(result, args.page)
    report(result)
    print(f"\nJSON：{target_file.relative_to(REPO) if target_file.is_relative_to(REPO) else target_file}")
    failed = any(r.get("full", {}).get("returncode") for r in result["runs"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
