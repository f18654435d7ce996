#!/usr/bin/env python3
"""Take in a folder of reports: ``scripts/intake.py INBOX [--roster FILE] [--campaign ID] …``.

Every file of INBOX (and of its direct sub-folders) is classified, converted when it is
not a .docx (LibreOffice, PDF text), imported, matched to a unit and written to
``data/reports/<campaign>/<unit>.yml`` (:mod:`kb.contrib.intake.run`). With ``--roster``
the roster's units are registered first. Prints a table and writes ``intake-report.md``
in INBOX (:mod:`kb.contrib.intake.summary`). Exit status: 0 every report imported, 1 some
need attention or failed, 2 usage error (nothing done). ``--dry-run`` writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from kb.contrib.intake import run, summary  # noqa: E402
from kb.data import confine  # noqa: E402
from kb.data.problems import format_text, has_errors  # noqa: E402


class _Parser(argparse.ArgumentParser):
    """argparse with its English error line replaced by a Chinese one (exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"错误：命令行参数不正确（{_zh(message)}）。运行 scripts/intake.py --help 查看用法。", file=sys.stderr)
        raise SystemExit(2)


def _zh(message: str) -> str:
    """argparse's English reasons, the usual ones in Chinese."""
    if message.startswith("the following arguments are required"):
        return "缺少收件箱文件夹 INBOX"
    if message.startswith("unrecognized arguments"):
        return "有无法识别的参数：" + message.split(":", 1)[1].strip()
    if "invalid int value" in message:
        return "--jobs 须是正整数"
    if "expected one argument" in message:
        return message.split(":", 1)[0].removeprefix("argument ") + " 后面缺少值"
    return "请检查参数"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="intake.py",
        description="把一个文件夹中的报告（.docx、.doc、.wps、.odt、.rtf、PDF）一次导入为数据文件 "
                    "data/reports/<学习教育>/<单位>.yml；可先按名单（Excel/CSV）登记单位。",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示这段帮助后退出")
    parser.add_argument("inbox", type=Path, metavar="INBOX", help="收件箱文件夹（含报告文件；也读其下一级子文件夹）")
    parser.add_argument("--roster", type=Path, metavar="FILE", help="单位名单（.xlsx 或 .csv）：先登记其中的新单位")
    parser.add_argument("--campaign", metavar="ID", help="学习教育 id（默认按报告标题识别），如 2023-zhuti")
    parser.add_argument("--group", metavar="G", help="名单中没有指导组时，新单位所属的指导组")
    parser.add_argument("--batch", metavar="B", help="名单中没有批次时，新单位所属的批次")
    parser.add_argument("--jobs", type=int, metavar="N", help="同时处理的文件数（默认：CPU 核数，并按内存限制）")
    parser.add_argument("--dry-run", action="store_true", help="只试运行：不写任何文件（数据文件、units.yml、导入报告）")
    parser.add_argument("--force", action="store_true", help="覆盖导入后被手工修改过的数据文件")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="数据目录（默认：仓库的 data/）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
    roster_errors = has_errors(outcome.roster_problems)
    return max(summary.exit_code(outcome.results), 1 if roster_errors else 0)


if __name__ == "__main__":
    sys.exit(main())
