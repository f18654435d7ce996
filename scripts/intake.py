#!/usr/bin/env python3
"""Take in a folder of reports: ``scripts/intake.py INBOX [--roster FILE] [--campaign ID] …``.

Every file of INBOX (and of its direct sub-folders) is classified, converted when it is
not a .docx (LibreOffice, PDF text), imported, matched to a unit and written to
``data/reports/<campaign>/<unit>.yml`` (:mod:`kb.contrib.intake.run`). With ``--roster``
the roster's units are registered first. Prints a table and writes ``intake-report.md``
in INBOX (:mod:`kb.contrib.intake.summary`). Exit status: 0 every report imported, 1 some
need attention or failed, 2 usage error (nothing done). ``--dry-run`` writes nothing.

For the pipeline that takes in a merge request's uploads (``.ci/intake``): ``--format
github`` prints workflow commands for the files that need attention, ``--format gitlab
--output FILE`` writes them as GitLab code quality; ``--copy-to DIR`` copies the data files
written and ``intake-report.md`` into DIR (paths as under the repository) for the artifact, and
the data files held back because they do not validate (``intake-review/…``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.contrib.intake import run, summary  # noqa: E402
from kb.data import confine  # noqa: E402
from kb.data.problems import format_text, has_errors  # noqa: E402

# What the run did with a data file that leaves it the intake's own work (worth downloading).
_OWN = frozenset({"新写入", "已更新", "已覆盖", "未改变"})


def _parser() -> argparse.ArgumentParser:
    parser = zh_argparse.Parser(
        prog="intake.py",
        description="把一个文件夹中的报告（.docx、.doc、.wps、.odt、.rtf、PDF）一次导入为数据文件 "
                    "data/reports/<学习教育>/<单位>.yml；可先按名单（Excel/CSV）登记单位。",
    )
    parser.add_argument("inbox", type=Path, metavar="INBOX", help="收件箱文件夹（含报告文件；也读其下一级子文件夹）")
    parser.add_argument("--roster", type=Path, metavar="FILE", help="单位名单（.xlsx 或 .csv）：先登记其中的新单位")
    parser.add_argument("--campaign", metavar="ID", help="学习教育 id（默认按报告标题识别），如 2023-zhuti")
    parser.add_argument("--group", metavar="G", help="名单中没有指导组时，新单位所属的指导组")
    parser.add_argument("--batch", metavar="B", help="名单中没有批次时，新单位所属的批次")
    parser.add_argument("--jobs", type=int, metavar="N", help="同时处理的文件数（默认：CPU 核数，并按内存限制）")
    parser.add_argument("--dry-run", action="store_true", help="只试运行：不写任何文件（数据文件、units.yml、导入报告）")
    parser.add_argument("--force", action="store_true", help="覆盖导入后被手工修改过的数据文件")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="数据目录（默认：仓库的 data/）")
    parser.add_argument("--format", choices=("text",) + summary.FORMATS, default="text",
                        help="流水线用：github 输出工作流注释，gitlab 把需要处理的文件写成代码质量报告（需 --output）")
    parser.add_argument("--output", type=Path, metavar="FILE", help="--format gitlab 的报告文件")
    parser.add_argument("--copy-to", type=Path, metavar="DIR",
                        help="流水线用：把写出的数据文件和导入报告另存一份到 DIR，作为产物下载")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.format == "gitlab" and args.output is None:
        parser.error("--format gitlab 须同时给出 --output FILE（代码质量报告写到哪个文件）")
    options = run.Options(
        inbox=args.inbox, data_dir=args.data_dir.resolve(), roster=args.roster, campaign=args.campaign,
        group=args.group, batch=args.batch, jobs=args.jobs, dry_run=args.dry_run, force=args.force,
        progress=sys.stderr.isatty(),
    )
    try:
        outcome = run.run(options)
    except run.UsageError as err:
        print(f"错误：{err}\n没有导入任何文件。", file=sys.stderr)
        return 2
    for problem in outcome.roster_problems:
        print(format_text(problem))
    for line in outcome.registered:
        print(line)
    _annotate(args, outcome.results)
    if not outcome.results:
        print("收件箱中没有需要导入的文件。")
        return 1 if has_errors(outcome.roster_problems) else 0
    print(summary.table(outcome.results))
    report = args.inbox / summary.REPORT_NAME
    if args.dry_run:
        print("（试运行：没有写出任何文件）")
    else:
        try:
            confine.write_atomically(report, summary.markdown(outcome.results))
        except OSError as exc:
            print(f"无法写入 {report}（{confine.os_error_text(exc)}）")
        else:
            print(f"导入结果已写入 {report}")
        if args.copy_to is not None:
            _copy(outcome.results, args.data_dir.resolve(), report, args.copy_to)
            _copy_held(outcome.results, args.inbox, args.copy_to)
    roster_errors = has_errors(outcome.roster_problems)
    return max(summary.exit_code(outcome.results), 1 if roster_errors else 0)


def _annotate(args: argparse.Namespace, results: list[summary.FileResult]) -> None:
    """The rows that need attention as the forge's annotations (``--format``)."""
    if args.format == "text":
        return
    inbox = _shown(args.inbox)
    text = summary.annotations(results, inbox, args.format)
    if args.format == "github":
        if text:
            print(text)
        return
    try:
        confine.write_atomically(args.output, text + "\n")
    except OSError as exc:
        print(f"无法写入 {args.output}（{confine.os_error_text(exc)}）")


def _shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (as the forge names files)."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return path.as_posix()


def _copy(results: list[summary.FileResult], data_dir: Path, report: Path, target: Path) -> None:
    """The data files the run wrote and the report, copied under ``target`` (``data/…``)."""
    sources = [data_dir / r.target for r in results
               if r.target and r.written in _OWN and (data_dir / r.target).is_file()]
    try:
        for source in sources:
            dest = target / "data" / source.relative_to(data_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        if report.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(report, target / summary.REPORT_NAME)
    except OSError as exc:
        print(f"无法复制导入结果到 {target}（{confine.os_error_text(exc)}）")
    else:
        print(f"写出的数据文件（{len(sources)} 个）和导入报告已复制到 {target}")


def _copy_held(results: list[summary.FileResult], inbox: Path, target: Path) -> None:
    """The data files held back because they do not validate, copied under ``target`` as in the inbox."""
    held = [r.review for r in results if r.review and (inbox / r.review).is_file()]
    try:
        for name in held:
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(inbox / name, dest)
    except OSError as exc:
        print(f"无法复制待修改的数据文件到 {target}（{confine.os_error_text(exc)}）")
    else:
        if held:
            print(f"没有通过校验的数据文件（{len(held)} 个）已复制到 {target / run.staging.REVIEW_DIR}，修改后交给管理员")


if __name__ == "__main__":
    sys.exit(main())
