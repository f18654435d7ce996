"""Measure the search targets (issue 3) at N synthetic reports, against Material's search.

    .venv/bin/python scripts/search_bench.py -n 1000 --work /tmp/search-bench \\
        [--jieba-path DIR] [--query 调查研究 --query 财政局 …]

Steps: generate N reports with the scale benchmark's generator (benchkit.synth) unless
``WORK/data`` exists; build the site twice without post-build steps — as the project
builds it, and with Material's built-in search plugin (lang zh; with jieba when
``--jieba-path`` points at a folder where ``import jieba`` works, as the issue's
comparison did) — then index the first site with Pagefind (``kb.search.index_site``)
and type each query into each site's header search box on a cold page in headless
Chromium. Prints a table and writes ``WORK/search-bench.json``.

The relevance suite (issue 16, :mod:`benchkit.relevance`) runs on the same site: ``--relevance
K`` seeded phrases (default 40, 0 = none) typed into the site's own search code; with
``--page-json docs/performance.json`` its figures go under ``"relevance"`` there (rendered
by ``scripts/bench.py --from-json docs/performance.json --page docs/performance.md``).
``--site DIR`` measures an already built and indexed site instead of building one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from benchkit import relevance, search_bench  # noqa: E402

MB = 1_000_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="搜索性能测量：Pagefind 与 Material 内置搜索对比")
    parser.add_argument("-n", type=int, default=1000, help="合成报告数（默认 1000）")
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"), help="工作目录")
    parser.add_argument("--jieba-path", default="", help="可 import jieba 的目录（Material 中文分词）")
    parser.add_argument("--query", action="append", help="搜索词，可重复（默认 调查研究、财政局、整改）")
    parser.add_argument("--skip-material", action="store_true", help="不测 Material 内置搜索")
    parser.add_argument("--relevance", type=int, default=40, metavar="K",
                        help="相关性测试的短语数（默认 40；0 表示不测）")
    parser.add_argument("--site", type=Path, help="直接测量已构建并建好索引的网站目录（不构建）")
    parser.add_argument("--page-json", type=Path,
                        help="把相关性结果并入性能页的 JSON（如 docs/performance.json）")
    return parser.parse_args(argv)


def measure_relevance(site: Path, n: int, count: int) -> dict:
    """The relevance suite on a built ``site`` of ``n`` reports."""
    phrases = relevance.site_phrases(site, count)
    return {"n": n, "started": time.strftime("%Y-%m-%d"), **relevance.measure(site, phrases)}


def add_to_page_json(page_json: Path, result: dict) -> None:
    """Put ``result`` under ``"relevance"`` in the 性能 page's JSON."""
    data = json.loads(page_json.read_text("utf-8"))
    data["relevance"] = result
    page_json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def relevance_only(args: argparse.Namespace) -> int:
    """``--site``: the relevance suite (and the queries) on an existing site."""
    site = args.site.resolve()
    reports = sum(1 for _ in site.glob("reports/*/*/index.html"))
    out: dict = {"n": reports, "queries": [search_bench.measure_query(site, q, search_bench.KB)
                                           for q in args.query or ["调查研究", "财政局", "整改"]]}
    if args.relevance:
        out["relevance"] = measure_relevance(site, reports, args.relevance)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.page_json is not None and "relevance" in out:
        add_to_page_json(args.page_json, out["relevance"])
        print(f"已并入 {args.page_json}")
    return 0 if out.get("relevance", {}).get("met", True) else 1


def _site_bytes(site: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in site.glob(pattern) if p.is_file())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.site is not None:
        return relevance_only(args)
    queries = args.query or ["调查研究", "财政局", "整改"]
    work = args.work.resolve()
    data = work / "data"
    if not data.is_dir():
        from benchkit.synth import generate

        generate(data, args.n)
    out: dict = {"n": args.n, "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
                 "load_average": os.getloadavg()}

    site = work / "site-kb"
    shutil.rmtree(site, ignore_errors=True)
    render = search_bench.build_site(data, site)
    index = search_bench.time_index(data, site)
    out["kb"] = {
        "render_seconds": round(render, 1),
        "index_seconds": round(index["seconds"], 1),
        "index_over_render": round(index["seconds"] / render, 2),
        "index": index,
        "queries": [search_bench.measure_query(site, q, search_bench.KB) for q in queries],
    }
    if args.relevance:
        out["relevance"] = measure_relevance(site, args.n, args.relevance)
        if args.page_json is not None:
            add_to_page_json(args.page_json, out["relevance"])
    if not args.skip_material:
        msite = work / "site-material"
        shutil.rmtree(msite, ignore_errors=True)
        config = search_bench.material_config(work)
        mrender = search_bench.build_site(data, msite, config, args.jieba_path)
        out["material"] = {
            "jieba": bool(args.jieba_path),
            "build_seconds": round(mrender, 1),
            "search_plugin_seconds": round(mrender - render, 1),
            "search_index_bytes": _site_bytes(msite, "search/search_index.json"),
            "queries": [search_bench.measure_query(msite, q, search_bench.MATERIAL)
                        for q in queries],
        }
    (work / "search-bench.json").write_text(json.dumps(out, ensure_ascii=False, indent=1),
                                            encoding="utf-8")
    print(format_report(out))
    return 0


def format_report(out: dict) -> str:
    kb = out["kb"]
    lines = [f"N = {out['n']} 份报告；{out['machine']}；负载 {out['load_average'][0]:.1f}",
             f"MkDocs 构建（不含后处理）：{kb['render_seconds']} s",
             f"Pagefind 索引：{kb['index_seconds']} s（{kb['index_over_render']}× 构建）；"
             f"{kb['index']['records']} 条记录，{kb['index']['bytes'] / MB:.1f} MB"]
    if "material" in out:
        m = out["material"]
        lines.append(f"Material 内置搜索{'（jieba）' if m['jieba'] else '（无 jieba）'}："
                     f"构建 {m['build_seconds']} s（搜索插件约 +{m['search_plugin_seconds']} s），"
                     f"search_index.json {m['search_index_bytes'] / MB:.1f} MB")
    lines.append("搜索词 | 首批结果（本站） | 搜索数据：首批/整页（本站） | "
                 "首批结果（Material） | 搜索数据（Material）")
    mq = {q["query"]: q for q in out.get("material", {}).get("queries", [])}
    for q in kb["queries"]:
        m = mq.get(q["query"])
        lines.append(
            f"{q['query']} | {q['first_result_seconds']:.2f} s | "
            f"{q['search_bytes_first'] / MB:.2f} / {q['search_bytes'] / MB:.2f} MB"
            f"（{q['search_requests']} 个请求） | "
            + (f"{m['first_result_seconds']:.2f} s | {m['search_bytes'] / MB:.2f} MB" if m else "— | —"))
    hosts = [h for side in ("kb", "material") for q in out.get(side, {}).get("queries", [])
             for h in q["other_hosts"]]
    lines.append(f"对其他主机的请求：{len(hosts)}")
    if "relevance" in out:
        r = out["relevance"]
        lines.append(f"相关性：{r['phrases']} 个短语，排第一 {r['first_share']:.0%}，"
                     f"前五 {r['top5_share']:.0%}，MRR {r['mrr']:.2f}"
                     f"（{'达到' if r['met'] else '未达到'}）")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
