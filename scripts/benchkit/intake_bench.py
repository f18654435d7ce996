"""The intake measured: ``scripts/intake_bench.py [--sizes 200 1000] [--jobs N]`` (``make bench-intake``).

For each size N (issue 15, "Measured"):

1. :func:`benchkit.synth.generate` writes N synthetic reports into a data folder, and every
   second dated ledger deadline gets the wording people write kept in ``deadline_text``
   (``2024年3月底``, ``2024年3月16日前``: :func:`with_wordings`);
2. each report is exported by our own Word export (:func:`kb.official.word.report_bytes`)
   into an inbox (:func:`export_inbox`); every ``--pdf-every``-th of them is printed to PDF
   by LibreOffice first (:func:`print_pdfs`) and goes into the inbox as that PDF;
3. a second data folder gets the same shared files (units, groups, campaigns, materials,
   schema, template) and no reports (:func:`shared_copy`);
4. ``scripts/intake.py INBOX --data-dir D --jobs J`` runs as a measured child process
   (:func:`benchkit.processes.measure_process`: wall time, peak memory of the whole tree);
5. each imported report is compared with its original (:func:`compare_report`): figures
   equal, ledger rows equal in every field (:data:`LEDGER_FIELDS`, the deadline's original
   wording ``deadline_text`` included), and the share of the original's sentences (prose without
   Markdown emphasis marks, split on 。！？； and line breaks) found verbatim in the imported prose.

Prints a table and writes ``bench-results/intake.json``. Targets: every report imported,
figures and ledgers equal, at least 99 % of sentences kept overall. Exit 0 when met, 1 when not.
The PDF share is compared and reported separately (``pdf`` of each run) and does not decide
the exit status: it measures what a PDF's text layer gives back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from benchkit import synth
from benchkit.paths import REPO, SCRIPTS
from benchkit.processes import measure_process

SIZES = (200, 1000)
PDF_EVERY = 10  # every tenth report goes into the inbox as a PDF (0: none)
SENTENCE_TARGET = 0.99
SHARED_FILES = ("units.yml", "groups.yml", "materials.yml")
SHARED_DIRS = ("campaigns", "schema", "template")
PROSE_KEYS = ("opening", "highlights", "problems", "plans")  # the parts of a report that are prose
LEDGER_FIELDS = ("problem", "measure", "responsible_unit", "responsible_person", "deadline", "deadline_text",
                 "status", "completed")
_SENTENCE_END = re.compile(r"[。！？；]|\n+")
_EMPHASIS = re.compile(r"\*{1,3}")  # Markdown bold/italic marks: formatting in Word, not text
MIB = 1024 * 1024


# ---------------------------------------------------------------------------------------
# Comparison (pure functions on report mappings)
# ---------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A scalar as the comparison sees it: dates in ISO form, None as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def prose_strings(report: dict) -> list[str]:
    """Every string of the prose parts of a report mapping, in document order."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for key in PROSE_KEYS:
        walk(report.get(key))
    return out


def sentences(text: str) -> list[str]:
    """``text`` without Markdown emphasis marks, split into sentences at 。！？； (dropped:
    a bold opening phrase may become part of a point's lead, its full stop with it) and
    at line breaks; stripped, none empty."""
    return [s.strip() for s in _SENTENCE_END.split(_EMPHASIS.sub("", text)) if s.strip()]


def sentences_kept(original: dict, imported: dict | None) -> tuple[int, int]:
    """(original sentences found verbatim in the imported prose, original sentences)."""
    wanted = [s for part in prose_strings(original) for s in sentences(part)]
    if imported is None:
        return 0, len(wanted)
    haystack = _EMPHASIS.sub("", "\n".join(prose_strings(imported)))
    return sum(1 for s in wanted if s in haystack), len(wanted)


def figures_equal(original: dict, imported: dict | None) -> bool:
    """The same figure keys with the same values."""
    if imported is None:
        return False
    want = {k: _text(v) for k, v in (original.get("figures") or {}).items()}
    got = {k: _text(v) for k, v in (imported.get("figures") or {}).items()}
    return want == got


def _field(item: dict, key: str) -> str:
    value = _text(item.get(key))
    if key == "deadline_text" and value == _text(item.get("deadline")):
        return ""  # a wording that is the date itself adds nothing (the site shows none)
    return value


def ledger_rows(report: dict) -> list[tuple[str, ...]]:
    """The ledger as rows of :data:`LEDGER_FIELDS` (missing fields as "")."""
    return [tuple(_field(item, f) for f in LEDGER_FIELDS) for item in report.get("ledger") or []]


def ledger_equal(original: dict, imported: dict | None) -> bool:
    """The same rows in the same order, in every field the Word export carries."""
    return imported is not None and ledger_rows(original) == ledger_rows(imported)


@dataclass
class ReportCheck:
    """One report: imported at all, figures and ledger equal, sentences kept of total."""

    report: str  # "<campaign>/<unit>"
    imported: bool
    figures: bool
    ledger: bool
    kept: int
    total: int

    @property
    def share(self) -> float:
        return self.kept / self.total if self.total else 1.0


def compare_report(report_id: str, original: dict, imported: dict | None) -> ReportCheck:
    kept, total = sentences_kept(original, imported)
    return ReportCheck(report_id, imported is not None, figures_equal(original, imported),
                       ledger_equal(original, imported), kept, total)


@dataclass
class Summary:
    """All reports of one run, summed up."""

    reports: int
    imported: int
    figures_equal: int
    ledger_equal: int
    sentences_total: int
    sentences_kept: int
    sentence_share_min: float
    sentence_share_overall: float
    worst: list[str] = field(default_factory=list)  # reports below the target, at most 10

    @property
    def met(self) -> bool:
        return (self.imported == self.figures_equal == self.ledger_equal == self.reports
                and self.sentence_share_overall >= SENTENCE_TARGET)


def summarize(checks: list[ReportCheck]) -> Summary:
    total = sum(c.total for c in checks)
    kept = sum(c.kept for c in checks)
    below = sorted((c for c in checks if c.share < SENTENCE_TARGET or not (c.figures and c.ledger)),
                   key=lambda c: c.share)
    return Summary(
        reports=len(checks), imported=sum(c.imported for c in checks),
        figures_equal=sum(c.figures for c in checks), ledger_equal=sum(c.ledger for c in checks),
        sentences_total=total, sentences_kept=kept,
        sentence_share_min=min((c.share for c in checks), default=1.0),
        sentence_share_overall=kept / total if total else 1.0,
        worst=[f"{c.report} ({c.kept}/{c.total}, 数字{'同' if c.figures else '异'}, "
               f"台账{'同' if c.ledger else '异'})" for c in below[:10]],
    )


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------


_DEADLINE_LINE = re.compile(r"^(?P<indent>\s*(?:- )?)deadline: (?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


def wording(year: int, month: int, day: int) -> str:
    """How a report writes a deadline: ``2024年3月底`` for a month's last day, else ``2024年3月16日前``."""
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return f"{year}年{month}月底" if day == last else f"{year}年{month}月{day}日前"


def with_wordings(data_dir: Path) -> int:
    """Every second dated ledger deadline of the reports in ``data_dir`` gets a ``deadline_text``
    line after it (the synthetic data has none); the count of wordings added."""
    added = 0
    for path in sorted((data_dir / "reports").rglob("*.yml")):
        lines, seen = [], 0
        for line in path.read_text("utf-8").split("\n"):
            lines.append(line)
            found = _DEADLINE_LINE.match(line)
            if found is not None:
                seen += 1
                if seen % 2 == 0:
                    said = wording(int(found["y"]), int(found["m"]), int(found["d"]))
                    lines.append(f"{' ' * len(found['indent'])}deadline_text: {said}")
                    added += 1
        path.write_text("\n".join(lines), "utf-8")
    return added


def export_inbox(data_dir: Path, inbox: Path, pdf_every: int = 0) -> list[str]:
    """Every report of ``data_dir`` as a .docx of our Word export in ``inbox``, but every
    ``pdf_every``-th printed to PDF instead (:func:`print_pdfs`); the ids of those in PDF."""
    from kb.official.word import report_bytes
    from kb.site.build import load

    kb, _problems = load(data_dir)
    inbox.mkdir(parents=True, exist_ok=True)
    to_print = inbox.parent / "to-pdf"
    as_pdf = []
    for n, report in enumerate(kb.reports, start=1):
        name = f"{report.campaign.id}-{report.unit.id}.docx"
        folder = to_print if pdf_every and n % pdf_every == 0 else inbox
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(report_bytes(report))
        if folder == to_print:
            as_pdf.append(report.id)
    if as_pdf:
        print_pdfs(sorted(to_print.glob("*.docx")), inbox)
    return as_pdf


def print_pdfs(sources: list[Path], target: Path) -> None:
    """The Word files printed to PDF into ``target`` by LibreOffice (one call for all, its own profile)."""
    from kb.contrib.intake.convert import find_soffice, seed_profile

    soffice = find_soffice()
    if soffice is None:
        raise SystemExit("错误：PDF 部分需要 LibreOffice（apt-get install libreoffice-writer-nogui），或用 --pdf-every 0 跳过")
    profile = target.parent / "pdf-profile"
    seed_profile(profile)
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(target), *map(str, sources)],
                   check=True, capture_output=True, timeout=60 + 10 * len(sources))


def shared_copy(source: Path, dest: Path) -> None:
    """A data folder with ``source``'s shared files and no reports."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SHARED_DIRS:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name)
    for name in SHARED_FILES:
        shutil.copy2(source / name, dest / name)


def _load(path: Path) -> dict | None:
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text("utf-8"))
    return data if isinstance(data, dict) else None


def compare_folders(original: Path, imported: Path, report_ids: list[str]) -> list[ReportCheck]:
    """Each report of ``report_ids`` in ``original`` against the same path in ``imported``."""
    checks = []
    for rid in report_ids:
        rel = Path("reports") / f"{rid}.yml"
        checks.append(compare_report(rid, _load(original / rel) or {}, _load(imported / rel)))
    return checks


@dataclass
class IntakeRun:
    """One size: the measured intake and the comparison."""

    n: int
    jobs: int
    cpus: int
    wall: float
    cpu: float
    reports_per_second: float
    peak_tree_mib: float
    max_process_mib: float
    returncode: int
    summary: Summary  # the reports that went in as Word files
    export_seconds: float = 0.0
    pdf: Summary | None = None  # those that went in as PDF, compared apart


def run_size(n: int, jobs: int, seed: int, workdir: Path, pdf_every: int = PDF_EVERY) -> IntakeRun:
    """Generate, export, take in and compare N reports inside ``workdir``."""
    original, inbox, target = workdir / "original", workdir / "inbox", workdir / "imported"
    made = synth.generate(original, n, seed)
    with_wordings(original)
    t0 = time.perf_counter()
    as_pdf = set(export_inbox(original, inbox, pdf_every))
    exported = time.perf_counter() - t0
    shared_copy(original, target)
    cmd = [sys.executable, str(SCRIPTS / "intake.py"), str(inbox), "--data-dir", str(target),
           "--jobs", str(jobs)]
    measured = measure_process(cmd, cwd=REPO, log=workdir / "intake.log")
    summary = summarize(compare_folders(original, target, [r for r in made.report_ids if r not in as_pdf]))
    pdf = summarize(compare_folders(original, target, sorted(as_pdf))) if as_pdf else None
    return IntakeRun(
        n=n, jobs=jobs, cpus=os.cpu_count() or 1, wall=measured.wall, cpu=measured.cpu,
        reports_per_second=n / measured.wall if measured.wall else 0.0,
        peak_tree_mib=measured.peak_tree_rss / MIB, max_process_mib=measured.max_process_rss / MIB,
        returncode=measured.returncode, summary=summary, export_seconds=exported, pdf=pdf,
    )


def table(runs: list[IntakeRun]) -> str:
    """The runs as a plain-text table (Chinese headings)."""
    head = ("报告数", "并行", "用时(秒)", "报告/秒", "峰值内存(MiB)", "已导入", "数字一致", "台账一致",
            "句子保留(最低)", "句子保留(总)", "达标")
    rows = [head]
    for r in runs:
        s = r.summary
        rows.append((str(r.n), str(r.jobs), f"{r.wall:.1f}", f"{r.reports_per_second:.1f}",
                     f"{r.peak_tree_mib:.0f}", f"{s.imported}/{s.reports}", f"{s.figures_equal}/{s.reports}",
                     f"{s.ledger_equal}/{s.reports}", f"{s.sentence_share_min:.2%}",
                     f"{s.sentence_share_overall:.2%}", "是" if s.met else "否"))
        if r.pdf is not None:
            p = r.pdf
            rows.append(("其中 PDF", "", "", "", "", f"{p.imported}/{p.reports}", f"{p.figures_equal}/{p.reports}",
                         f"{p.ledger_equal}/{p.reports}", f"{p.sentence_share_min:.2%}",
                         f"{p.sentence_share_overall:.2%}", "是" if p.met else "否"))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
                     for row in rows)


def _width(text: str) -> int:
    """Terminal columns of ``text`` (wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def markdown_table(result: dict) -> str:
    """The runs of an intake JSON (:func:`to_json`) as a Markdown table for the 性能 page."""
    lines = ["| 报告数 | 用时 | 报告/秒 | 峰值内存 | 已导入 | 数字一致 | 台账一致 | 句子保留（最低 / 总体） |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["runs"]:
        s = r["summary"]
        lines.append(
            f"| {r['n']:,} | {r['wall']:.1f} 秒 | {r['reports_per_second']:.1f} | {r['peak_tree_mib']:.0f} MiB "
            f"| {s['imported']}/{s['reports']} | {s['figures_equal']}/{s['reports']} "
            f"| {s['ledger_equal']}/{s['reports']} "
            f"| {s['sentence_share_min']:.2%} / {s['sentence_share_overall']:.2%} |")
    return "\n".join(lines) + _pdf_table(result)


def _pdf_table(result: dict) -> str:
    """The PDF share of the runs (when there was one) as a second table, with a sentence on how it was made."""
    runs = [r for r in result["runs"] if r.get("pdf")]
    if not runs:
        return ""
    every = result.get("pdf_every") or PDF_EVERY
    lines = ["", "", f"上表只计以 Word 文件导入的报告。每 {every} 份中另有 1 份先由 LibreOffice 打印成 PDF 再放进收件箱，"
             "由 intake 从 PDF 的文字层读出（表格按文字位置重建、跨行的单元格合并），单独比较：", "",
             "| 报告数 | 其中 PDF | 已导入 | 数字一致 | 台账一致 | 句子保留（最低 / 总体） |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        p = r["pdf"]
        lines.append(f"| {r['n']:,} | {p['reports']} | {p['imported']}/{p['reports']} | {p['figures_equal']}/{p['reports']} "
                     f"| {p['ledger_equal']}/{p['reports']} "
                     f"| {p['sentence_share_min']:.2%} / {p['sentence_share_overall']:.2%} |")
    return "\n".join(lines)


def add_to_page_json(page_json: Path, result: dict) -> None:
    """Put ``result`` under ``"intake"`` in the 性能 page's JSON (written as ``bench.py`` writes it);
    ``scripts/bench.py --from-json`` then renders the page with an intake section."""
    data = json.loads(page_json.read_text("utf-8"))
    data["intake"] = result
    page_json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def to_json(runs: list[IntakeRun], seed: int, pdf_every: int = PDF_EVERY) -> dict:
    return {
        "pdf_every": pdf_every,
        "benchmark": "intake",
        "started": time.strftime("%Y-%m-%d"),
        "seed": seed,
        "sentence_target": SENTENCE_TARGET,
        "ledger_fields": list(LEDGER_FIELDS),  # the 性能 page says deadline_text is compared when listed
        "runs": [{**asdict(r), "met": r.summary.met} for r in runs],
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intake_bench.py",
        description="把 N 份模拟报告用本项目的 Word 导出为 .docx，再用 scripts/intake.py 导入，"
                    "比较数字、台账和句子，测量每秒报告数和峰值内存。")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N",
                        help="报告数（默认：200 1000）")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="J",
                        help="intake 的 --jobs（默认：CPU 核数）")
    parser.add_argument("--seed", type=int, default=2024, help="模拟数据的随机种子")
    parser.add_argument("--pdf-every", type=int, default=PDF_EVERY, metavar="K",
                        help=f"每 K 份报告中有 1 份先打印成 PDF 再导入，单独比较（默认 {PDF_EVERY}；0 表示不用 PDF）")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results" / "intake.json",
                        help="JSON 输出文件")
    parser.add_argument("--page-json", type=Path, metavar="JSON",
                        help="把结果并入性能页的 JSON（如 docs/performance.json）；之后运行 "
                             "scripts/bench.py --from-json JSON --page docs/performance.md 重新生成性能页")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="把模拟数据、收件箱和导入结果留在 DIR 中（默认：临时文件夹，用完删除）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if any(n < len(synth.CAMPAIGNS) for n in args.sizes) or args.jobs < 1 or args.pdf_every < 0:
        print(f"错误：报告数至少为 {len(synth.CAMPAIGNS)}（每个学习教育至少一份），--jobs 至少为 1，--pdf-every 不能为负数。",
              file=sys.stderr)
        return 2
    runs = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
            workdir = (args.keep / f"n{n}") if args.keep else Path(tmp)
            if args.keep and workdir.exists():
                shutil.rmtree(workdir)
            print(f"… {n} 份报告：生成、导出、导入", flush=True)
            runs.append(run_size(n, args.jobs, args.seed, workdir, args.pdf_every))
            if runs[-1].returncode != 0:
                print(f"  intake.py 退出码 {runs[-1].returncode}，日志末尾：\n"
                      + (workdir / "intake.log").read_text("utf-8", errors="replace")[-1500:])
    print(table(runs))
    for r in runs:
        for line in r.summary.worst:
            print(f"  N={r.n} 未达标：{line}")
        for line in r.pdf.worst if r.pdf else []:
            print(f"  N={r.n} PDF 未达标：{line}")
    out = args.out / "intake.json" if args.out.is_dir() else args.out  # a folder: the file inside it
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(to_json(runs, args.seed, args.pdf_every), ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"结果已写入 {out}")
    if args.page_json is not None:
        add_to_page_json(args.page_json, to_json(runs, args.seed, args.pdf_every))
        print(f"已并入 {args.page_json}")
    return 0 if all(r.summary.met for r in runs) else 1
