"""Bench of the upward material (kb.upward): ``python -m benchkit.upward_bench``.

For each N, N synthetic reports (with the paraphrase families of
:mod:`benchkit.synth.families`) are generated and loaded; then, timed apart, the 共性问题
grouping, the 典型做法 scoring and the drafted summaries (.docx) of every campaign and
guidance group, with the peak of memory Python allocates for them (tracemalloc), and the
purity and recall of the groups on the planted families (the lowest over the campaigns).
``--compare`` adds the figures of a ``python -m benchkit.compare`` run (full build
without and with kb.upward); ``--page-json`` puts the result under ``"upward"`` in the
性能 page's JSON (``scripts/bench.py --from-json`` renders it).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchkit import synth
from benchkit.synth import families

SEED = 2024
BUILD_DATE = "2026-01-01"


def _timed(make):
    """``make()``, its wall seconds and its CPU seconds (this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    value = make()
    return value, round(time.perf_counter() - started, 3), time.process_time() - cpu


def _peak(make) -> int:
    """Peak bytes Python allocates while ``make()`` runs (a separate, slower run)."""
    tracemalloc.start()
    make()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def quality(kb, grouped: dict[str, list]) -> dict:
    scores = []
    for campaign_id, groups in grouped.items():
        reports = kb.reports_of(campaign_id)
        planted = {(p.report_id, p.kind, p.index + 1): p.family
                   for p in families.planted([r.id for r in reports], SEED)}
        cluster_of, sizes = {}, {}
        for n, g in enumerate(groups):
            sizes[n] = len(g.items)
            for item in g.items:
                cluster_of[(item.report.id, item.kind, item.number)] = n
        scores.append(families.score(planted, cluster_of, sizes))
    return {"purity": round(min(s.purity for s in scores), 4),
            "recall": round(min(s.recall for s in scores), 4),
            "planted": sum(s.planted for s in scores)}


def run(n: int, work: Path) -> dict:
    from kb.site import build
    from kb.upward import drafts, grouping, practices
    from kb.upward.summary import upward
    from kb.views.copies import load_template

    made = synth.generate(work / f"data-{n}", n, seed=SEED)
    kb, _ = build.load(made.data_dir)
    campaigns = sorted(kb.campaigns)
    grouped, group_s, _ = _timed(lambda: {
        c: grouping.group_items(grouping.items(kb.reports_of(c))) for c in campaigns})
    template = load_template(made.data_dir)
    _, practice_s, _ = _timed(lambda: [practices.scored(kb.reports_of(c), template) for c in campaigns])
    material, upward_s, upward_cpu = _timed(lambda: upward(kb, BUILD_DATE))
    files, draft_s, draft_cpu = _timed(lambda: [
        drafts.docx_bytes(s, BUILD_DATE) for c in material for s in c.scopes()])
    peak = _peak(lambda: [drafts.docx_bytes(s, BUILD_DATE)
                          for c in upward(kb, BUILD_DATE) for s in c.scopes()])
    return {
        "n": n,
        "items": sum(len(g.items) for groups in grouped.values() for g in groups),
        "grouping_seconds": group_s, "practices_seconds": practice_s,
        "upward_seconds": upward_s, "drafts_seconds": draft_s, "drafts": len(files),
        "cpu_seconds": round(upward_cpu + draft_cpu, 3),  # CPU of all the build adds (one thread)
        "peak_bytes": peak,
        **quality(kb, grouped),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchkit.upward_bench",
        description="测量共性问题归并、典型做法和汇报初稿的用时、内存，以及归并在模拟同义问题上的纯度和召回率。")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], metavar="N",
                        help="报告数（默认：1000）")
    parser.add_argument("--compare", type=Path, metavar="JSON",
                        help="python -m benchkit.compare 的输出（不含与含上报材料的完整构建）")
    parser.add_argument("--page-json", type=Path, metavar="JSON",
                        help="把结果写入性能页的 JSON（键 upward）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-upward-") as tmp:
        runs = [run(n, Path(tmp)) for n in args.sizes]
    result: dict = {"benchmark": "upward", "started": time.strftime("%Y-%m-%d"), "seed": SEED,
                    "runs": runs}
    if args.compare:
        result["build"] = json.loads(args.compare.read_text("utf-8"))
    if args.page_json:
        data = json.loads(args.page_json.read_text("utf-8"))
        data["upward"] = result
        args.page_json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
