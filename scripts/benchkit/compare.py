"""Two commits, one run: ``python -m benchkit.compare OLD NEW [--units N] [--repeat K]``.

Shows that a change (a refactoring) did not make the build slower and did not change the
site at scale: N synthetic reports are generated once; each round builds the floor (plain
MkDocs + Material, :mod:`benchkit.floor`) and then the full strict build of each commit
(``git archive`` of it, the same data through ``KB_DATA_DIR``), in alternating order, each
from a deleted site and a flushed disk. The fastest of K counts; the figure compared is
each commit's build time over the floor's, measured in the same run. Finally the two
sites of the last round are compared file by file (``diff -rq``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from benchkit import synth
from benchkit.floor import write_floor_project
from benchkit.paths import REPO

EPOCH = "1767225600"


def export(rev: str, dest: Path) -> Path:
    """The tracked files of ``rev`` in ``dest``."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=REPO,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def timed_build(config: Path, site: Path, env: dict[str, str], *, strict: bool = True) -> float:
    """Wall seconds of one build of ``config`` into a deleted ``site`` (after a disk flush)."""
    shutil.rmtree(site, ignore_errors=True)
    os.sync()
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    start = time.perf_counter()
    result = subprocess.run(cmd + (["--strict"] if strict else []), cwd=config.parent, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"构建失败（{config}）：\n{result.stderr[-2000:]}")
    return seconds


def summary(times: dict[str, list[float]], old: str, new: str, n: int, identical: bool) -> dict:
    """Fastest times and each commit's ratio to the floor of the same run."""
    floor = min(times["floor"])
    return {
        "n": n, "rounds": len(times["floor"]), "old": old, "new": new,
        "floor_fastest": round(floor, 1),
        "old_fastest": round(min(times["old"]), 1), "new_fastest": round(min(times["new"]), 1),
        "old_ratio": round(min(times["old"]) / floor, 2), "new_ratio": round(min(times["new"]) / floor, 2),
        "sites_identical": identical, "times": {k: [round(x, 1) for x in v] for k, v in times.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchkit.compare", description="同一次运行中比较两个版本的构建时间（相对地板）和网站是否相同。")
    parser.add_argument("old", help="旧版本（提交号）")
    parser.add_argument("new", help="新版本（提交号）")
    parser.add_argument("--units", type=int, default=1000, help="合成报告份数（默认 1000）")
    parser.add_argument("--repeat", type=int, default=3, help="轮数，取最快（默认 3）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-compare-") as tmp:
        work = Path(tmp)
        made = synth.generate(work / "data", args.units, seed=2024)
        floor = write_floor_project(made.data_dir, work / "floor")
        trees = {"old": export(args.old, work / "old"), "new": export(args.new, work / "new")}
        env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
        env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, KB_DATA_DIR=str(made.data_dir))
        times: dict[str, list[float]] = {"old": [], "new": [], "floor": []}
        for round_ in range(args.repeat):
            times["floor"].append(timed_build(floor, work / "floor-site", env, strict=False))
            for name in (("old", "new") if round_ % 2 == 0 else ("new", "old")):
                times[name].append(timed_build(trees[name] / "mkdocs.yml", work / f"site-{name}", env))
            print(json.dumps(times), file=sys.stderr, flush=True)
        same = subprocess.run(["diff", "-rq", str(work / "site-old"), str(work / "site-new")],
                              capture_output=True, text=True).returncode == 0
    print(json.dumps(summary(times, args.old, args.new, args.units, same), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
